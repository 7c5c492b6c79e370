"""Arrays that carry the compact form through NumPy code: what :func:`symconv.trace` hands the traced function.

A :class:`TracedArray` holds a term table (:class:`~symconv.canonical.Terms`) and implements NumPy's
dispatch protocols (``__array_ufunc__``, ``__array_function__``), so that slicing, element-wise
arithmetic, ``np.sum``, ``np.dot``, ``np.einsum``, ``np.tensordot``, reshapes and flips run on whole
tables at once.  Reading one entry gives a :class:`TracedScalar`, a light exact polynomial (a dict of
monomials), never a SymPy expression; arrays of those (``np.array([... for i in ...])``, loops that
fill ``dtype=object`` arrays) are packed back into one table.

Functions that only rearrange entries (``reshape``, ``flip``, ``pad``, ``concatenate``, ...) are run by
NumPy itself on an array of entry numbers, so they keep NumPy's exact semantics; the products and sums
(``dot``, ``einsum``, ...) are built from their definitions.  A NumPy function outside both lists raises
:class:`~symconv.trace.TraceError` naming it; :func:`symconv.trace` then runs the code on SymPy objects.
"""

from .array import TracedArray, concatenate, entries, gather, lift, wrap
from .dispatch import UnsupportedError
from .scalar import Traced, TracedScalar, pack
from . import elementwise, products, structural  # noqa: F401 -- they register the NumPy functions they carry

__all__ = ["Traced", "TracedArray", "TracedScalar", "UnsupportedError", "concatenate", "entries", "gather", "lift",
           "pack", "wrap"]
