"""`SymArray`: a lazy, SymPy-compatible array backed by the exact compact form.

It indexes, iterates, converts (``sympy.Array(a)``, ``sympy.Matrix(a)``,
``np.asarray(a)``, ``a.tolist()``), prints and renders in Jupyter like a SymPy
array, but builds SymPy expressions only for the entries that are asked for.
"""

from __future__ import annotations

import numbers

import numpy as np
import sympy
from sympy.tensor.array.ndim_array import NDimArray

from . import canonical
from .canonical import Terms
from .errors import InvalidTypeError, ShapeError, SymconvIndexError, describe
from .geometry import is_int
from .limits import check_sympy_terms

#: arrays with more entries than this print as a summary
PRINT_ENTRIES = 400


class SymArray(NDimArray):
    """An array of expanded polynomials, held exactly as a :class:`~symconv.canonical.Terms` table.

    It is a SymPy ``NDimArray`` (so SymPy's functions accept it) whose entries
    are built only when asked for.  ``==`` compares exactly, as polynomials, and
    returns a bool, whichever side the symconv array is on: ``y == other``,
    ``sympy.Array(y) == y`` and ``numpy_array == y`` all ask the same question
    (NumPy's element-wise comparison is switched off with
    ``__array_ufunc__ = None``).

    >>> import symconv as sc
    >>> x = sc.tensor("x", (2, 2))
    >>> x[1, 0]
    x[1, 0]
    >>> x.shape, len(x), x.tolist()
    ((2, 2), 2, [[x[0, 0], x[0, 1]], [x[1, 0], x[1, 1]]])
    >>> import sympy
    >>> sympy.Array(x) == sympy.Array(x.tolist())
    True
    """

    __slots__ = ("_terms", "_entries")
    _array_priority = 20  # win SymPy's binary-operator dispatch
    __array_ufunc__ = None  # NumPy defers ``ndarray == y`` (and +, -, *) to our reflected methods

    def __new__(cls, terms: Terms):
        self = object.__new__(cls)
        self._terms = terms
        self._entries = {}
        return self

    def __init__(self, terms: Terms):
        pass

    # -- facts ----------------------------------------------------------------
    @property
    def terms(self) -> Terms:
        """The exact compact form."""
        return self._terms

    @property
    def shape(self) -> tuple[int, ...]:
        return self._terms.shape

    def rank(self) -> int:
        return len(self.shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def n_terms(self) -> int:
        """How many monomials the whole array holds."""
        return self._terms.n_terms

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-dimensional SymArray")
        return self.shape[0]

    # -- entries --------------------------------------------------------------
    def _entry(self, flat: int) -> sympy.Expr:
        if flat not in self._entries:
            self._entries[flat] = self._terms.entry(flat)
        return self._entries[flat]

    def __getitem__(self, index):
        whole = index if isinstance(index, tuple) else (index,)
        if len(whole) == len(self.shape) and all(is_int(i) for i in whole):  # one entry: no index grid
            if all(-n <= i < n for i, n in zip(whole, self.shape)):
                return self._entry(int(np.ravel_multi_index(tuple(i % n for i, n in zip(whole, self.shape)), self.shape)))
        grid = np.arange(self._terms.size, dtype=np.int64).reshape(self.shape)
        try:
            picked = grid[index]
        except (IndexError, TypeError, ValueError) as err:
            raise SymconvIndexError(f"index {describe(index)} does not fit an array of shape {self.shape}: {err}") from None
        if np.ndim(picked) == 0:
            return self._entry(int(picked))
        return SymArray(_gather(self._terms, picked))

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-dimensional SymArray")
        check_sympy_terms(self.n_terms, f"iterating over an array of shape {self.shape}")
        for i in range(self.shape[0]):
            yield self[i]

    def tolist(self):
        """Nested lists of SymPy expressions (a 0-d array gives its expression)."""
        check_sympy_terms(self.n_terms, f"tolist() of an array of shape {self.shape}")
        flat = [self._entry(i) for i in range(self._terms.size)]
        return np.array(flat + [None], dtype=object)[:-1].reshape(self.shape).tolist()

    def as_sympy(self):
        """The SymPy ``ImmutableDenseNDimArray`` (a 0-d array gives its expression)."""
        check_sympy_terms(self.n_terms, f"converting an array of shape {self.shape} to SymPy")
        if not self.shape:
            return self._entry(0)
        return sympy.ImmutableDenseNDimArray([self._entry(i) for i in range(self._terms.size)], self.shape)

    def _sympy_(self):
        return self.as_sympy()

    def tomatrix(self) -> sympy.ImmutableMatrix:
        """The 2-D array as a SymPy ``ImmutableMatrix`` (a 1-D array as a column)."""
        if self.ndim not in (1, 2):
            raise InvalidTypeError(f"tomatrix() needs a 1-D or 2-D array; this one has shape {self.shape}")
        rows, cols = (self.shape[0], 1) if self.ndim == 1 else self.shape
        check_sympy_terms(self.n_terms, f"tomatrix() of shape {self.shape}")
        return sympy.ImmutableMatrix(rows, cols, [self._entry(i) for i in range(self._terms.size)])

    def __array__(self, dtype=None, copy=None):
        check_sympy_terms(self.n_terms, f"np.asarray() of an array of shape {self.shape}")
        out = np.empty(self._terms.size, dtype=object)
        for i in range(self._terms.size):
            out[i] = self._entry(i)
        out = out.reshape(self.shape)
        return out if dtype is None else out.astype(dtype)

    def reshape(self, *shape) -> SymArray:
        """The same entries (row-major) in a new shape (one axis may be ``-1``, as in NumPy)."""
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        size = self._terms.size
        if not all(is_int(s) and s >= -1 for s in shape) or list(shape).count(-1) > 1:
            raise ShapeError(f"shape={describe(shape)} is not a valid shape for reshape; expected non-negative integers "
                             f"and at most one -1")
        shape = tuple(int(s) for s in shape)
        known = int(np.prod([s for s in shape if s != -1]))
        if -1 in shape and known and size % known == 0:
            shape = tuple(size // known if s == -1 else s for s in shape)
        if int(np.prod(shape)) != size:
            raise ShapeError(f"cannot reshape an array of shape {self.shape} ({size} entries) into "
                             f"shape={describe(shape)}; expected a shape with {size} entries")
        return SymArray(_gather(self._terms, np.arange(size).reshape(shape)))

    def flatten(self) -> SymArray:
        return self.reshape(self._terms.size)

    @property
    def free_symbols(self) -> set:
        return {self._terms.space.element(int(m) - 1) for m in np.unique(self._terms.decode()[1]) if m}

    def expand(self, *args, **kwargs) -> SymArray:
        """Entries are expanded already: returns the array itself (SymPy habit)."""
        return self

    doit = expand

    # -- comparison and arithmetic ------------------------------------------------
    def __eq__(self, other) -> bool:
        other_terms = _other_terms(other, self.shape)
        return other_terms is not None and canonical.equal(self._terms, other_terms)

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.shape, self.n_terms, self._terms.degree))

    def __add__(self, other):
        other_terms = _other_terms(other, self.shape, strict=True)
        if other_terms is None:
            return NotImplemented
        return SymArray(canonical.add(self._terms, other_terms))

    __radd__ = __add__

    def __neg__(self):
        return SymArray(canonical.scale(self._terms, -1))

    def __sub__(self, other):
        other_terms = _other_terms(other, self.shape, strict=True)
        if other_terms is None:
            return NotImplemented
        return SymArray(canonical.add(self._terms, canonical.scale(other_terms, -1)))

    def __rsub__(self, other):
        return (-self).__add__(other)

    def __mul__(self, other):
        if _is_number(other):
            return SymArray(canonical.scale(self._terms, other))
        if not self.shape:
            return self.as_sympy() * other
        return NotImplemented

    __rmul__ = __mul__

    def __matmul__(self, other):
        from .forms import matmul

        return matmul(self, other)

    def __rmatmul__(self, other):
        from .forms import matmul

        return matmul(other, self)

    def __int__(self) -> int:
        return int(self._scalar())

    def __float__(self) -> float:
        return float(self._scalar())

    def _scalar(self):
        if self.shape:
            raise TypeError(f"only a 0-dimensional SymArray converts to a number; this one has shape {self.shape}")
        return self._entry(0)

    # -- printing ----------------------------------------------------------------
    def _small(self) -> bool:
        return self._terms.size <= PRINT_ENTRIES and self.n_terms <= 20 * PRINT_ENTRIES

    def __repr__(self) -> str:
        if not self.shape:
            return repr(self._entry(0))
        if self._small():
            return str(self.tolist())
        return f"<SymArray shape={self.shape}, {self.n_terms:,} terms>"

    __str__ = __repr__

    def _latex(self, printer) -> str:
        from .latex.printing import array_latex

        return array_latex(self, printer)

    def _repr_latex_(self) -> str:
        from .latex.printing import array_latex

        return "$\\displaystyle " + array_latex(self) + "$"


class SymMatrix(SymArray):
    """A 2-D :class:`SymArray` with the matrix vocabulary (``rows``, ``cols``, ``T``, ``*``)."""

    __slots__ = ()

    @property
    def rows(self) -> int:
        return self.shape[0]

    @property
    def cols(self) -> int:
        return self.shape[1]

    @property
    def T(self) -> SymMatrix:
        r, c = self.shape
        return SymMatrix(_gather(self._terms, np.arange(r * c).reshape(r, c).T))

    def __mul__(self, other):
        if _is_number(other):
            return SymMatrix(canonical.scale(self._terms, other))
        return self.__matmul__(other)

    def __rmul__(self, other):
        if _is_number(other):
            return SymMatrix(canonical.scale(self._terms, other))
        return self.__rmatmul__(other)


def _gather(terms: Terms, picked: np.ndarray) -> Terms:
    """The entries ``picked`` (an array of flat indices) as a new array of ``picked.shape``."""
    picked = np.asarray(picked)
    dst = np.arange(picked.size, dtype=np.int64)
    return canonical.linear(terms, picked.shape, dst, picked.reshape(-1).astype(np.int64))


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) or (isinstance(value, sympy.Basic) and value.is_number)


def _other_terms(other, shape, strict=False):
    """`other` as a table of `shape` (scalars broadcast), or ``None`` when it cannot be."""
    from .tensors import as_terms

    if isinstance(other, SymArray):
        terms = other.terms
    else:
        try:
            terms = as_terms(other, "other")
        except Exception:
            return None
    if terms.shape == shape:
        return terms
    if terms.shape == ():
        n = int(np.prod(shape))
        return canonical.linear(terms, shape, np.arange(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
    if strict:
        raise ShapeError(f"operands have shapes {shape} and {terms.shape}; expected equal shapes (or a scalar)")
    return None
