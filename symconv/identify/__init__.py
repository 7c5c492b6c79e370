"""`identify`: say what an expression, an array or a function computes, by exact comparison.

The candidate readings -- a correlation or convolution with some geometry, a
Hadamard sum, a matrix product, a layer -- get their parameters from the
structure of the object's terms (which input index meets which kernel index in
which output), never from names; each candidate is then built from its own
definition and compared exactly with the object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sympy

from ..array import SymArray
from ..errors import InvalidTypeError
from ..formula import Formula
from ..tensors import ArrayLike, as_array
from ..trace import TraceError, probe, trace
from .classify import classify
from .formula import identify_formula
from .kinds import KINDS, TABLE, Kind
from .result import Identification

__all__ = ["identify", "classify", "Identification", "KINDS", "Kind", "TABLE"]


def identify(obj: ArrayLike | str | Formula | sympy.Basic | Callable[..., Any],
             *shapes_or_tensors: int | Sequence[int] | ArrayLike) -> Identification:
    """What `obj` computes.

    `obj` is a SymPy expression or array or a symconv array (its tensors are
    found in its terms), or a callable given the shapes (or tensors) of its two
    arguments: traced on symbols when it accepts object arrays, probed
    numerically otherwise.  A LaTeX string (or a SymPy formula with ``Sum`` and ``Indexed``) is read
    with :func:`parse_latex` and compared exactly at two sets of concrete sizes.

    Parameters
    ----------
    obj : ArrayLike, str, Formula, sympy.Basic or callable
        What to identify:

        - an array (a :class:`~symconv.array.SymArray`, a SymPy ``Array``/``Matrix``, a NumPy
          ``dtype=object`` array, nested lists) or a SymPy expression of tensor entries: the two
          tensors and their roles are read from its terms;
        - a LaTeX string, a :class:`~symconv.formula.Formula`, an ``Eq(name, definition)`` or an
          expression whose ``Indexed`` have symbolic indices: a formula, read and compared exactly at
          two sets of concrete sizes;
        - a callable of two arrays: run by :func:`~symconv.trace` on symbols, or by
          :func:`~symconv.probe` on numbers when it fails on symbols (FFTs, compiled code).
    *shapes_or_tensors : int, tuple of int, list of int or ArrayLike
        Only for a callable, and then exactly two: the shapes (or tensors) of its two arguments, as
        :func:`~symconv.trace` takes them (shapes become the tensors ``x`` and ``k``).

    Returns
    -------
    Identification
        The ``kind`` (``'correlation'``, ``'convolution'``, ``'hadamard-sum'``, ``'matrix-product'``
        or ``'unknown'``), its ``params`` (mode, stride, dilation, flipped axes, layer geometry, ...)
        and which tensor is the ``input`` and which the ``kernel``.  An object that matches no reading
        is ``kind='unknown'`` with the reason in ``detail``, never an error.

    Raises
    ------
    InvalidTypeError
        Shapes are given with a formula, a callable comes without exactly two shapes (or tensors),
        or `obj` is none of the accepted types.
    LatexParseError
        A LaTeX string cannot be read (the message points at the position).
    TraceError
        The callable fails on symbols and on numbers (the symbolic failure is raised).
    NotBilinearError
        The callable fails on symbols and probing finds it is not bilinear.
    TooLargeError
        Tracing or comparing would exceed the limits (see :func:`symconv.set_limits`).

    See Also
    --------
    trace, probe : what a function computes, as an array.
    equivalent : whether two computations are the same, with a counterexample if not.

    Examples
    --------
    An array, by the structure of its terms:

    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    >>> sc.identify(sc.convolve(x, k, "same"))  # doctest: +NORMALIZE_WHITESPACE
    Identification(kind='convolution', params={'mode': 'same', 'stride': (1, 1), 'dilation': (1, 1), 'flipped': (0, 1)},
                   input='x', kernel='k')
    >>> sc.identify(sc.matmul(sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3)))).kind
    'matrix-product'

    A function, traced on symbols (NumPy code) or probed on numbers (an FFT):

    >>> import numpy as np
    >>> sc.identify(np.convolve, (5,), (3,)).params["mode"]
    'full'
    >>> def fft_convolve(a, b):
    ...     return np.fft.irfft(np.fft.rfft(a, 8) * np.fft.rfft(b, 8), 8)[:7]
    >>> sc.identify(fft_convolve, (5,), (3,)).kind
    'convolution'

    A formula, in LaTeX:

    >>> found = sc.identify(r"y_n = \\sum_{m=0}^{2} x_{n-m} w_m")
    >>> found.kind, found.input, found.kernel
    ('convolution', 'x', 'w')
    >>> print(found.explain().splitlines()[0])
    This is a true convolution of x with w: the input index is n - m, so the kernel is flipped along axis 0.

    What matches no reading says why:

    >>> sc.identify(2 * sc.tensor("x", (3,))).detail
    'it involves 1 tensor or symbol, expected two'
    >>> sc.identify(np.convolve, (5,))
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidTypeError: identify(fn, ...) needs the shapes (or tensors) of fn's two arguments; got 1
    """
    if isinstance(obj, (str, sympy.Equality, Formula)) or (isinstance(obj, sympy.Expr) and any(
            not i.is_Integer for e in obj.atoms(sympy.Indexed) for i in e.indices)):
        if shapes_or_tensors:
            raise InvalidTypeError("identify(formula) takes no shapes: the formula's indices fix them")
        return identify_formula(obj)
    if callable(obj) and not isinstance(obj, SymArray):
        if len(shapes_or_tensors) != 2:
            raise InvalidTypeError(f"identify(fn, ...) needs the shapes (or tensors) of fn's two arguments; got {len(shapes_or_tensors)}")
        try:
            arr = trace(obj, *shapes_or_tensors)
        except TraceError as traced:
            try:
                arr = probe(obj, *[getattr(s, "shape", s) for s in shapes_or_tensors])
            except TraceError:  # it fails on numbers too: the traced failure says more (e.g. a slice's length)
                raise traced from None
    else:
        arr = as_array(obj, "obj")
    return classify(arr.terms)
