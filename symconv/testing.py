"""Assertions for tests of convolution code: `assert_equivalent`.

>>> import symconv as sc
>>> from symconv.testing import assert_equivalent
>>> x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
>>> assert_equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k))
>>> assert_equivalent(sc.convolve(x, k), sc.correlate(x, k))
Traceback (most recent call last):
...
AssertionError: arrays are not equivalent: 9 of 9 entries differ (shape (3, 3))
  first mismatch at (0, 0): a - b = -k[0, 0]*x[0, 0] + k[0, 0]*x[1, 1] - k[0, 1]*x[0, 1] + k[0, 1]*x[1, 0] + k[1, 0]*x[0, 1] - ...
  counterexample: k[0, 0] = 1, x[0, 0] = 1 (all other symbols 0) gives a = 0, b = 1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .equivalence import Verdict, equivalent

#: An array argument: a :class:`~symconv.array.SymArray` (what :func:`symconv.tensor` and every operation return),
#: a SymPy ``Array``/``Matrix``, a NumPy array (numeric or ``dtype=object``) or nested lists; numbers and SymPy
#: expressions stand for 0-d arrays.  Every entry must be a polynomial in tensor entries and symbols.
ArrayLike = Any

#: longest difference polynomial shown in a report
SHOWN = 100


def report(verdict: Verdict, names=("a", "b")) -> str:
    """A few readable lines on why two arrays are not equivalent."""
    a, b = names
    if verdict.equal:
        return f"{a} and {b} are equivalent"
    if not verdict.shapes_match:
        return f"arrays are not equivalent: shapes differ, {a} has shape {verdict.a.shape} and {b} has {verdict.b.shape}"
    shape = verdict.a.shape
    lines = [f"arrays are not equivalent: {len(verdict.mismatches)} of {max(1, verdict.a.size)} entries differ (shape {shape})"]
    index, diff = verdict.mismatches[0]
    text = str(diff)
    if len(text) > SHOWN:
        text = text[:SHOWN].rsplit(" ", 1)[0] + " ..."
    lines.append(f"  first mismatch at {index}: {a} - {b} = {text}")
    witness = verdict.counterexample
    chosen = ", ".join(f"{s} = {v}" for s, v in witness.items() if v != 0) or "all symbols 0"
    lines.append(f"  counterexample: {chosen} (all other symbols 0) gives {a} = {witness.a_value}, {b} = {witness.b_value}")
    return "\n".join(lines)


def assert_equivalent(a: ArrayLike, b: ArrayLike, shapes: Sequence[Sequence[int]] | None = None,
                      **options: Any):
    """Raise ``AssertionError`` with a short report unless `a` and `b` are equal as polynomials.

    For two arrays the decision is :func:`symconv.equivalent`'s (exact).  The
    report gives the shapes, how many entries differ, the first mismatching
    index, the difference ``a - b`` there (cut after about 100 characters)
    and a counterexample; under pytest the frame of this function is hidden
    from the traceback.

    When `a` is a function (code that only takes numbers: a torch module, a
    compiled kernel, NumPy code too large to trace) and `shapes` gives its
    arguments' shapes, `a` and the reference `b` (a function, or an exact
    array such as ``sc.conv(x, w)``) are compared by randomized exact
    identity testing (:func:`symconv.randomized.random_check`): both are
    evaluated on random integer inputs kept small enough to be exact, and a
    false "equal" has probability at most ``(d/|S|)**t`` (Schwartz-Zippel,
    stated in the verdict).  When they differ, the report lists the
    differing outputs and, where probing is affordable, what `a` computes
    there.

    Parameters
    ----------
    a, b : ArrayLike or callable
        The two arrays (or scalar expressions), typically the code under test
        and a reference such as ``symconv.conv(x, w)``; or the function under
        test and a reference (a function or an exact array).
    shapes : sequence of shapes, optional
        The shapes of the function's arguments (only with a function).
    **options
        Passed on to :func:`symconv.randomized.random_check` (``trials``,
        ``seed``, ``names``, ``degree``, ``probe_calls``).

    Returns
    -------
    None or RandomVerdict
        None when two arrays are equal as polynomials; the verdict (with its
        error bound) when a function agreed with its reference on every trial.

    Raises
    ------
    AssertionError
        When they are not (also when their shapes differ).
    NotPolynomialError
        An entry is not a polynomial.
    ShapeError
        Two different tensors are given the same name, or nested lists are
        ragged.
    InvalidTypeError
        An input is not an array or expression.

    See Also
    --------
    symconv.equivalent : the verdict itself.

    Examples
    --------
    >>> import symconv as sc
    >>> from symconv.testing import assert_equivalent
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> assert_equivalent(sc.convolve(x, k), sc.correlate(x, sc.flip(k)))
    >>> assert_equivalent(sc.convolve(x, k), sc.correlate(x, k))
    Traceback (most recent call last):
    ...
    AssertionError: arrays are not equivalent: 2 of 2 entries differ (shape (2,))
      first mismatch at (0,): a - b = -k[0]*x[0] + k[0]*x[1] + k[1]*x[0] - k[1]*x[1]
      counterexample: k[0] = 1, x[0] = 1 (all other symbols 0) gives a = 0, b = 1
    >>> assert_equivalent(x, k)
    Traceback (most recent call last):
    ...
    AssertionError: arrays are not equivalent: shapes differ, a has shape (3,) and b has (2,)

    Code that only takes numbers, against the exact operation:

    >>> import numpy as np, scipy.signal
    >>> found = assert_equivalent(scipy.signal.correlate2d, sc.correlate(sc.tensor("x", (6, 6)), sc.tensor("k", (3, 3)),
    ...                           "full"), [(6, 6), (3, 3)])
    >>> print(found)
    fn and reference agree: 3 random exact trials with inputs in -32768..32768; a false 'equal' has probability at most (2/65537)^3 = 2.8e-14 (Schwartz-Zippel, for polynomials of degree <= 2)
    """
    __tracebackhide__ = True
    if callable(a) and not hasattr(a, "shape"):
        from .randomized import random_check

        if shapes is None:
            from .errors import InvalidTypeError

            raise InvalidTypeError("assert_equivalent(fn, reference, shapes) needs the shapes of fn's arguments; got none")
        found = random_check(a, b, shapes, **options)
        if not found:
            raise AssertionError(found.report())
        return found
    if shapes is not None or options:
        from .errors import InvalidTypeError

        raise InvalidTypeError(f"assert_equivalent(a, b) of two arrays takes no shapes or options; got "
                               f"shapes={shapes!r} and {sorted(options)}; expected a function as a for them")
    verdict = equivalent(a, b)
    if not verdict:
        raise AssertionError(report(verdict))
