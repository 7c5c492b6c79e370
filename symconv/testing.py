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


def assert_equivalent(a: ArrayLike, b: ArrayLike) -> None:
    """Raise ``AssertionError`` with a short report unless `a` and `b` are equal as polynomials.

    The decision is :func:`symconv.equivalent`'s (exact).  The report gives
    the shapes, how many entries differ, the first mismatching index, the
    difference ``a - b`` there (cut after about 100 characters) and a
    counterexample; under pytest the frame of this function is hidden from
    the traceback.

    Parameters
    ----------
    a, b : ArrayLike
        The two arrays (or scalar expressions), typically the code under test
        and a reference such as ``symconv.conv(x, w)``.

    Returns
    -------
    None
        When `a` and `b` are equal as polynomials.

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
    """
    __tracebackhide__ = True
    verdict = equivalent(a, b)
    if not verdict:
        raise AssertionError(report(verdict))
