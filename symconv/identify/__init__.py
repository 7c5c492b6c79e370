"""`identify`: say what an expression, an array or a function computes, by exact comparison.

The candidate readings -- a correlation or convolution with some geometry, a
Hadamard sum, a matrix product, a layer -- get their parameters from the
structure of the object's terms (which input index meets which kernel index in
which output), never from names; each candidate is then built from its own
definition and compared exactly with the object.
"""

from __future__ import annotations

import sympy

from ..array import SymArray
from ..errors import InvalidTypeError
from ..formula import Formula
from ..tensors import as_array
from ..trace import TraceError, probe, trace
from .classify import classify
from .formula import identify_formula
from .kinds import KINDS, TABLE, Kind
from .result import Identification

__all__ = ["identify", "classify", "Identification", "KINDS", "Kind", "TABLE"]


def identify(obj, *shapes_or_tensors) -> Identification:
    """What `obj` computes.

    `obj` is a SymPy expression or array or a symconv array (its tensors are
    found in its terms), or a callable given the shapes (or tensors) of its two
    arguments: traced on symbols when it accepts object arrays, probed
    numerically otherwise.  A LaTeX string (or a SymPy formula with ``Sum`` and ``Indexed``) is read
    with :func:`parse_latex` and compared exactly at two sets of concrete sizes.

    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    >>> sc.identify(sc.convolve(x, k, "same"))
    Identification(kind='convolution', params={'mode': 'same', 'stride': (1, 1), 'dilation': (1, 1), 'flipped': (0, 1)}, input='x', kernel='k')
    >>> sc.identify(sc.matmul(sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3)))).kind
    'matrix-product'
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
