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

from __future__ import annotations

import numbers
from fractions import Fraction
from math import prod

import numpy as np

from . import canonical, limits
from .canonical import Terms
from .errors import SymconvError
from .space import EMPTY, TensorBlock, union


class UnsupportedError(SymconvError, TypeError):
    """The traced code used a NumPy function or an operation the compact tracer does not carry."""


# -- scalars ---------------------------------------------------------------------------------------
def _number(v):
    """A Python number for NumPy and Python scalars (exact for integers)."""
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def _is_number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, Traced)


def _check_finite(v):
    if isinstance(v, (float, complex)) and not np.isfinite(v):
        raise UnsupportedError(f"the traced code used {v} (NaN or infinity); expected finite numbers")
    return v


class Traced:
    """What a traced array and a traced scalar share: NumPy's dispatch protocols and the arithmetic operators."""

    __array_priority__ = 1000
    __hash__ = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _function(func, args, kwargs)

    def __add__(self, other):
        return _ufunc(np.add, "__call__", (self, other), {})

    def __radd__(self, other):
        return _ufunc(np.add, "__call__", (other, self), {})

    def __sub__(self, other):
        return _ufunc(np.subtract, "__call__", (self, other), {})

    def __rsub__(self, other):
        return _ufunc(np.subtract, "__call__", (other, self), {})

    def __mul__(self, other):
        return _ufunc(np.multiply, "__call__", (self, other), {})

    def __rmul__(self, other):
        return _ufunc(np.multiply, "__call__", (other, self), {})

    def __truediv__(self, other):
        return _ufunc(np.true_divide, "__call__", (self, other), {})

    def __rtruediv__(self, other):
        return _ufunc(np.true_divide, "__call__", (other, self), {})

    def __matmul__(self, other):
        return _ufunc(np.matmul, "__call__", (self, other), {})

    def __rmatmul__(self, other):
        return _ufunc(np.matmul, "__call__", (other, self), {})

    def __pow__(self, other):
        return _ufunc(np.power, "__call__", (self, other), {})

    def __neg__(self):
        return _ufunc(np.negative, "__call__", (self,), {})

    def __pos__(self):
        return self

    def _refuse(self, what):
        raise UnsupportedError(f"the traced code {what} of a symbolic value; its value depends on the inputs "
                               f"(use sc.probe for code that needs numbers)")

    def __bool__(self):
        self._refuse("asks for the truth value")

    def __float__(self):
        self._refuse("converts to float one")

    def __int__(self):
        self._refuse("converts to int one")

    def __complex__(self):
        self._refuse("converts to complex one")

    def __index__(self):
        self._refuse("uses as an index one")

    def __eq__(self, other):
        self._refuse("compares (==) one")

    def __ne__(self, other):
        self._refuse("compares (!=) one")

    def __lt__(self, other):
        self._refuse("compares (<) one")

    def __le__(self, other):
        self._refuse("compares (<=) one")

    def __gt__(self, other):
        self._refuse("compares (>) one")

    def __ge__(self, other):
        self._refuse("compares (>=) one")

    def __floordiv__(self, other):
        self._refuse("floor-divides one")

    __rfloordiv__ = __mod__ = __rmod__ = __floordiv__

    def __abs__(self):
        self._refuse("takes the absolute value")

    def __round__(self, n=None):
        self._refuse("rounds one")

    @property
    def dtype(self):
        return np.dtype(object)

    def conjugate(self):
        return _ufunc(np.conjugate, "__call__", (self,), {})

    conj = conjugate


class TracedScalar(Traced):
    """One exact polynomial: ``{monomial: coefficient}``, a monomial being the sorted tuple of its variable ids.

    The ids number the variables of `space` (a :class:`~symconv.space.VarSpace`); coefficients are Python
    numbers (``int``, ``Fraction``, ``float``, ``complex``).  Arithmetic with numbers and other scalars is
    plain Python on the dict; with arrays it goes through the tables.  A scalar read from a table keeps
    that table and builds its dict only when scalar arithmetic needs it.
    """

    __slots__ = ("_poly", "_table", "space")
    shape = ()
    ndim = 0
    size = 1

    def __init__(self, poly: dict | None, space, table: Terms | None = None):
        self._poly = poly
        self._table = table
        self.space = space

    # -- conversions ---------------------------------------------------------------------------
    @staticmethod
    def of(t: Terms) -> TracedScalar:
        """The scalar of a shape-``()`` table."""
        return TracedScalar(None, t.space, t)

    @property
    def poly(self) -> dict:
        if self._poly is None:
            t = self._table
            if t.n_terms == 0:
                self._poly = {}
            else:
                _, mono = t.decode()
                coefs = t.coefs().tolist()
                self._poly = {tuple(m - 1 for m in row if m): _number(c) for row, c in zip(mono.tolist(), coefs)}
        return self._poly

    def terms(self) -> Terms:
        if self._table is None:
            self._table = pack([self], ())
        return self._table

    def _sympy_(self):
        return _sympy_entry(self)

    def __repr__(self) -> str:
        return _format(self)

    # -- arithmetic on the dict --------------------------------------------------------------------
    def _with(self, other):
        """`other` as a scalar over the same space, or None when it is an array (the array path takes it)."""
        if isinstance(other, TracedScalar):
            if other.space is self.space or other.space == self.space or _constant(other):
                return self, other
            if _constant(self):
                return TracedScalar(self.poly, other.space), other
            space = union(self.space, other.space)
            return _respace(self, space), _respace(other, space)
        if _is_number(other) or isinstance(other, np.generic) and other.ndim == 0:
            value = _check_finite(_number(other))
            return self, TracedScalar({(): value} if value != 0 else {}, self.space)
        return None

    def __add__(self, other):
        pair = self._with(other)
        if pair is None:
            return super().__add__(other)
        a, b = pair
        out = dict(a.poly)
        for m, c in b.poly.items():
            s = out.get(m, 0) + c
            if s == 0:
                out.pop(m, None)
            else:
                out[m] = s
        return TracedScalar(out, a.space)

    def __radd__(self, other):
        return self.__add__(other) if self._with(other) is not None else super().__radd__(other)

    def __neg__(self):
        return TracedScalar({m: -c for m, c in self.poly.items()}, self.space)

    def __sub__(self, other):
        pair = self._with(other)
        return self + (-pair[1]) if pair is not None else super().__sub__(other)

    def __rsub__(self, other):
        return (-self).__add__(other) if self._with(other) is not None else super().__rsub__(other)

    def __mul__(self, other):
        pair = self._with(other)
        if pair is None:
            return super().__mul__(other)
        a, b = pair
        out: dict = {}
        for ma, ca in a.poly.items():
            for mb, cb in b.poly.items():
                m = tuple(sorted(ma + mb)) if ma and mb else ma or mb
                s = out.get(m, 0) + ca * cb
                if s == 0:
                    out.pop(m, None)
                else:
                    out[m] = s
        return TracedScalar(out, a.space)

    def __rmul__(self, other):
        return self.__mul__(other) if self._with(other) is not None else super().__rmul__(other)

    def __truediv__(self, other):
        if isinstance(other, Traced) or not _is_number(other) and not isinstance(other, np.generic):
            return super().__truediv__(other)
        return self * _reciprocal(_number(other))

    def __pow__(self, other):
        n = _exponent(other)
        result, base = TracedScalar({(): 1}, self.space), self
        while n:
            if n & 1:
                result = result * base
            base, n = base * base, n >> 1
        return result


def _constant(s: TracedScalar) -> bool:
    return not s.poly or len(s.poly) == 1 and () in s.poly


def _respace(s: TracedScalar, space) -> TracedScalar:
    if s._table is not None:
        return TracedScalar(None, space, s._table.to_space(space))
    table = s.space.remap_to(space)
    return TracedScalar({tuple(sorted(int(table[v]) for v in m)): c for m, c in s.poly.items()}, space)


def _reciprocal(d):
    if isinstance(d, Traced):
        raise UnsupportedError("the traced code divides by a symbolic value; symconv keeps polynomials, so expected "
                               "a division by a number")
    if d == 0:
        raise ZeroDivisionError("division of a traced value by zero")
    if isinstance(d, int):
        return Fraction(1, d)
    if isinstance(d, Fraction):
        return 1 / d
    return _check_finite(1 / d)


def _exponent(e) -> int:
    e = _number(e)
    if isinstance(e, float) and e.is_integer():
        e = int(e)
    if not isinstance(e, int) or isinstance(e, Traced) or e < 0:
        raise UnsupportedError(f"the traced code raises a symbolic value to the power {e!r}; expected a non-negative "
                               f"integer (polynomials only)")
    return e


def _sympy_entry(s: TracedScalar):
    from .canonical import to_sympy_number
    import sympy

    terms = []
    for m, c in s.poly.items():
        terms.append(sympy.Mul(to_sympy_number(c), *[s.space.element(v) for v in m]))
    return sympy.Add(*terms)


def _name_of(space, v: int) -> str:
    i = int(np.searchsorted(np.asarray(space.offsets), v, side="right")) - 1
    block = space.blocks[i]
    if isinstance(block, TensorBlock):
        idx = np.unravel_index(v - space.offsets[i], block.shape)
        return f"{block.label.name}[{', '.join(str(int(j)) for j in idx)}]"
    return str(block.expr)


def _format(s: TracedScalar) -> str:
    if not s.poly:
        return "0"
    parts = []
    for m, c in sorted(s.poly.items(), key=lambda mc: [_name_of(s.space, v) for v in mc[0]]):
        names = "*".join(_name_of(s.space, v) for v in m)
        if not names:
            parts.append(str(c))
        elif c == 1:
            parts.append(names)
        elif c == -1:
            parts.append("-" + names)
        else:
            parts.append(f"{c}*{names}")
    return " + ".join(parts).replace("+ -", "- ")


def pack(entries, shape) -> Terms:
    """One table of `shape` from its entries in row-major order: traced scalars or numbers."""
    space, tables, dicts, numbers_ = EMPTY, [], [], []
    for e, v in enumerate(entries):
        if isinstance(v, TracedScalar):
            if v._table is not None:
                tables.append((e, v._table))
                if v._table.degree:
                    space = union(space, v.space)
            else:
                dicts.append((e, v))
                if not _constant(v):
                    space = union(space, v.space)
        else:
            value = _check_finite(_number(v))
            if not _is_number(value):
                raise UnsupportedError(f"the traced code built an array holding {type(v).__name__}; expected numbers "
                                       f"and traced values")
            if value != 0:
                numbers_.append((e, value))
    parts = []
    if dicts or numbers_:
        parts.append(_pack_dicts(dicts, numbers_, shape, space))
    if tables:
        parts.append(_pack_tables(tables, shape, space))
    if not parts:
        return canonical.zeros(shape, space)
    return parts[0] if len(parts) == 1 else canonical.add(*parts)


def _pack_dicts(dicts, numbers_, shape, space) -> Terms:
    rows_out, rows_mono, coefs, degree = [], [], [], 0
    for e, value in numbers_:
        rows_out.append(e)
        rows_mono.append(())
        coefs.append(value)
    for e, s in dicts:
        if not _constant(s) and s.space is not space and s.space != space:
            s = _respace(s, space)
        for m, c in s.poly.items():
            rows_out.append(e)
            rows_mono.append(m)
            coefs.append(c)
            if len(m) > degree:
                degree = len(m)
    mono = np.zeros((len(rows_mono), degree), dtype=np.int64)
    for r, m in enumerate(rows_mono):
        if m:
            mono[r, degree - len(m):] = np.asarray(m) + 1
    coef = np.empty(len(coefs), dtype=object)
    coef[:] = coefs
    return canonical.build(shape, space, np.asarray(rows_out, dtype=np.int64), mono, coef)


def _pack_tables(tables, shape, space) -> Terms:
    """Shape-``()`` tables put at their entries: a key of a 0-d table is its monomial's digits, so entry ``e``
    of a table of degree ``D`` holds ``e * radix**D + key`` (lower degrees are leading zero digits)."""
    tables = [(e, t if not t.degree or t.space is space or t.space == space else t.to_space(space)) for e, t in tables]
    degree = max(t.degree for _, t in tables)
    radix = space.size + 1
    big = not canonical.fits_int64(prod(shape), radix, degree) or any(t.key.dtype == object for _, t in tables)
    keys = [t.key.astype(object) if big else t.key for _, t in tables]
    counts = np.array([len(k) for k in keys], dtype=np.int64)
    out = np.repeat(np.array([e for e, _ in tables], dtype=np.int64), counts)
    key = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
    key = (out.astype(object) if big else out) * radix**degree + key
    coefs = [t.coefs() for _, t in tables]
    coef = None if all(t.coef is None for _, t in tables) else canonical._concat_coefs(coefs)
    return canonical.from_keys(shape, space, degree, key, coef, any_top=False)


# -- arrays ----------------------------------------------------------------------------------------
class TracedArray(Traced):
    """An array of exact polynomials, as one table, that NumPy code runs on (see the module doc).

    Views behave as NumPy's: basic indexing, ``.T``, ``reshape``, ``ravel``, ``flip``, ... give a view
    exactly when NumPy does (the function is run on the array of entry numbers, and its result is a view of
    it or not), and an assignment through a view changes the array it views, as on NumPy arrays.
    """

    __slots__ = ("_terms", "_writes", "_grid_cache", "_root", "_map", "_seen", "_version", "_writeable", "_exported")

    def __init__(self, terms: Terms | None, *, root: TracedArray | None = None, positions=None, writeable=True,
                 grid=None):
        self._terms = terms  # a view's cache of its entries
        self._writes = []  # pending item assignments: (flat positions, value)
        self._grid_cache = grid  # entry numbers (row-major) laid out in memory as NumPy would lay out this array
        self._root = root  # a view: entry e is entry positions[e] of root
        self._map = positions
        self._seen = -1
        self._version = 0
        self._writeable = writeable
        self._exported = False  # np.asarray handed out its entries: a later write could not reach them

    @property
    def terms(self) -> Terms:
        if self._root is not None:
            root = self._root
            current = root.terms
            if self._terms is None or self._seen != root._version:
                self._terms, self._seen = gather(current, self._map), root._version
            return self._terms
        if self._writes:
            self._terms = _apply_writes(self._terms, self._writes)
            self._writes = []
        return self._terms

    @property
    def shape(self) -> tuple:
        return self._map.shape if self._root is not None else self._terms.shape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return prod(self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        return f"TracedArray(shape={self.shape}, {self.terms.n_terms} terms)"

    def __iter__(self):
        for i in range(self.shape[0]):
            yield self[i]

    # -- entries ---------------------------------------------------------------------------------
    def _grid(self):
        if self._grid_cache is None:
            self._grid_cache = np.arange(self.size, dtype=np.int64).reshape(self.shape)
        return self._grid_cache

    def _positions(self):
        """Where this array's entries sit in the array that owns them (itself, or the one it views)."""
        return self._map if self._root is not None else self._grid()

    def _owner(self) -> TracedArray:
        return self._root if self._root is not None else self

    def _view_or_copy(self, picked, base, writeable=True):
        """`picked` (positions in the owner, NumPy's result on `base`): a view when NumPy gave one, else a copy."""
        if isinstance(picked, np.ndarray) and np.may_share_memory(picked, base):
            return TracedArray(None, root=self._owner(), positions=picked,
                               writeable=self._writeable and writeable and picked.flags.writeable)
        return wrap(gather(self._owner().terms, picked), like=picked)

    def __getitem__(self, index):
        _check_index(index)
        base = self._positions()
        picked = base[index]
        if not isinstance(picked, np.ndarray):  # an entry (x[0, ...] is a 0-d view instead, as in NumPy)
            return _entry(self._owner().terms, int(picked))
        return self._view_or_copy(picked, base)

    def __setitem__(self, index, value):
        _check_index(index)
        if not self._writeable:
            raise ValueError("assignment destination is read-only")
        self._owner()._write(np.asarray(self._positions()[index]), value)

    def _write(self, picked, value) -> None:
        if self._exported:
            raise UnsupportedError("the traced code writes into an array after np.asarray shared it; the compact "
                                   "tracer cannot keep the two in step")
        if isinstance(value, TracedScalar) or _is_number(value):
            self._writes.append((picked.reshape(-1), value))
        else:
            table = lift(value)
            try:
                target = np.broadcast_to(np.arange(table.size).reshape(table.shape), picked.shape)
            except ValueError:
                raise ValueError(f"could not broadcast input array from shape {table.shape} into shape "
                                 f"{picked.shape}") from None
            self._writes.append((picked.reshape(-1), gather(table, target.reshape(-1))))
        self._version += 1

    def _in_place(self, ufunc, other):
        self[...] = _ufunc(ufunc, "__call__", (self, other), {})
        return self

    def __iadd__(self, other):
        return self._in_place(np.add, other)

    def __isub__(self, other):
        return self._in_place(np.subtract, other)

    def __imul__(self, other):
        return self._in_place(np.multiply, other)

    def __itruediv__(self, other):
        return self._in_place(np.true_divide, other)

    def __ipow__(self, other):
        return self._in_place(np.power, other)

    def __imatmul__(self, other):
        result = _ufunc(np.matmul, "__call__", (self, other), {})
        if tuple(np.shape(result)) != self.shape:
            raise ValueError("matmul: in-place matrix multiplication changes the shape")
        self[...] = result
        return self

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != object:
            self._refuse(f"converts to {np.dtype(dtype)} the entries")
        out = entries(self.terms)
        if copy is not True:  # np.asarray: NumPy would share the memory; an object array of entries cannot
            out.flags.writeable = False  # so writes into it are refused, and writes into this array after it
            self._owner()._exported = True  # (both fall back to SymPy objects, where the sharing is real)
        return out

    def tolist(self):
        return entries(self.terms).tolist()

    def item(self, *index):
        if len(index) == 1 and isinstance(index[0], tuple):
            index = index[0]
        if not index:
            if self.size != 1:
                raise ValueError("can only convert an array of size 1 to a Python scalar")
            index = (0,)
        if len(index) == 1:  # a flat index, as ndarray.item reads one
            flat = int(index[0])
            if not -self.size <= flat < self.size:
                raise IndexError(f"index {flat} is out of bounds for size {self.size}")
            return _entry(self._owner().terms, int(self._positions().reshape(-1)[flat]))
        return self[tuple(index)]

    @property
    def flat(self):
        return iter(entries(self.terms).reshape(-1))

    # -- methods as NumPy's ndarray has them -------------------------------------------------------
    @property
    def T(self):
        return _function(np.transpose, (self,), {})

    def reshape(self, *shape, order="C"):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return _function(np.reshape, (self, shape), {"order": order})

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) or axes == (None,) else axes
        return _function(np.transpose, (self, axes or None), {})

    def ravel(self, order="C"):
        return _function(np.ravel, (self,), {"order": order})

    def flatten(self, order="C"):
        return TracedArray(lift(_function(np.ravel, (self,), {"order": order})))

    def squeeze(self, axis=None):
        return _function(np.squeeze, (self,), {"axis": axis})

    def swapaxes(self, a, b):
        return _function(np.swapaxes, (self, a, b), {})

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return _function(np.diagonal, (self, offset, axis1, axis2), {})

    def repeat(self, repeats, axis=None):
        return _function(np.repeat, (self, repeats, axis), {})

    def take(self, indices, axis=None):
        return _function(np.take, (self, indices, axis), {})

    def copy(self, order="C"):
        return wrap(self.terms, like=self._positions().copy(order=order))

    def fill(self, value):
        self[...] = value

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        if np.dtype(dtype) != object:
            self._refuse(f"converts to {np.dtype(dtype)} the entries")
        return self.copy(order=order)

    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        return _function(np.sum, (self,), {"axis": axis, "dtype": dtype, "out": out, "keepdims": keepdims})

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return _function(np.mean, (self,), {"axis": axis, "dtype": dtype, "out": out, "keepdims": keepdims})

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        return _function(np.prod, (self,), {"axis": axis, "dtype": dtype, "out": out, "keepdims": keepdims})

    def trace(self, offset=0, axis1=0, axis2=1):
        return _function(np.trace, (self, offset, axis1, axis2), {})

    def dot(self, other):
        return _function(np.dot, (self, other), {})


def _check_index(index):
    parts = index if isinstance(index, tuple) else (index,)
    for p in parts:
        if isinstance(p, Traced) or isinstance(p, list) and any(isinstance(q, Traced) for q in p):
            raise UnsupportedError("the traced code indexes an array by a symbolic value; indices must be numbers")


def wrap(t: Terms, like=None):
    """A traced scalar for a shape-``()`` table, else a traced array; laid out in memory as the NumPy array
    `like` (of the same shape) when that is not row-major."""
    if t.shape == ():
        return TracedScalar.of(t)
    if like is not None and not like.flags.c_contiguous and like.shape == t.shape:
        return TracedArray(t, grid=_grid_like(like))
    return TracedArray(t)


def _grid_like(like: np.ndarray) -> np.ndarray:
    grid = np.empty_like(like, dtype=np.int64)  # the layout of `like` (order 'K')
    grid[...] = np.arange(like.size, dtype=np.int64).reshape(like.shape)
    return grid


def _layout(*inputs):
    """The array NumPy's element-wise result on `inputs` would be laid out as, or None when it is row-major
    (so nothing is computed for the common case)."""
    dummies, plain = [], True
    for v in inputs:
        if isinstance(v, TracedArray):
            d = v._positions()
        elif isinstance(v, np.ndarray):
            d = v
        else:
            d = np.zeros((), dtype=np.int8)
        plain = plain and (d.ndim < 2 or d.flags.c_contiguous)
        dummies.append(d if d.dtype != object else np.zeros_like(d, dtype=np.int8))
    if plain:
        return None
    return np.add(*dummies) if len(dummies) == 2 else np.positive(dummies[0])


def lift(value) -> Terms:
    """Any operand of traced code as a table: traced values, NumPy arrays and scalars, nested lists."""
    if isinstance(value, TracedArray):
        return value.terms
    if isinstance(value, TracedScalar):
        return value.terms()
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return pack(value.reshape(-1), value.shape) if value.size else canonical.zeros(value.shape)
        if value.dtype.kind in "biufc":
            if value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
                raise UnsupportedError("the traced code used an array holding NaN or infinity; expected finite numbers")
            return canonical.constant(value)
        raise UnsupportedError(f"the traced code used an array of dtype {value.dtype}; expected numbers")
    if _is_number(value) or isinstance(value, np.generic):
        return pack([value], ())
    if isinstance(value, (list, tuple)):
        arr = np.empty(0, dtype=object)
        try:
            arr = np.array(value, dtype=object)
        except ValueError as err:
            raise ValueError(f"the traced code built a ragged array: {err}") from None
        return lift(arr)
    if hasattr(value, "_sympy_") or type(value).__module__.startswith("sympy"):
        from .tensors import as_terms

        return as_terms(value, "a value in the traced code")
    raise UnsupportedError(f"the traced code used {type(value).__name__}; expected arrays and numbers")


# -- table helpers -----------------------------------------------------------------------------------
def gather(t: Terms, picked) -> Terms:
    """The entries `picked` (flat indices, ``-1`` for a zero) as a table of ``picked.shape``."""
    picked = np.asarray(picked, dtype=np.int64)
    return canonical.linear(t, picked.shape, np.arange(picked.size, dtype=np.int64), picked.reshape(-1))


def _entry(t: Terms, flat: int) -> TracedScalar:
    """Entry `flat` of `t` as a traced scalar, read off its slice of keys (Python integers: a few terms)."""
    starts = t.starts()
    lo, hi = int(starts[flat]), int(starts[flat + 1])
    radix, degree = t.radix, t.degree
    base = flat * radix**degree
    coefs = t.coef[lo:hi].tolist() if t.coef is not None else [1] * (hi - lo)
    poly = {}
    for key, c in zip(t.key[lo:hi].tolist(), coefs):
        rest, mono = int(key) - base, []
        for _ in range(degree):
            rest, digit = divmod(rest, radix)
            if digit:
                mono.append(digit - 1)
        poly[tuple(reversed(mono))] = _number(c)
    return TracedScalar(poly, t.space)


def entries(t: Terms) -> np.ndarray:
    """The entries of `t` as an object array of :class:`TracedScalar`."""
    out = np.empty(t.size, dtype=object)
    starts = t.starts()
    _, mono = t.decode()
    mono = mono.tolist()
    coefs = t.coefs().tolist()
    for e in range(t.size):
        poly = {}
        for r in range(starts[e], starts[e + 1]):
            poly[tuple(m - 1 for m in mono[r] if m)] = _number(coefs[r])
        out[e] = TracedScalar(poly, t.space)
    return out.reshape(t.shape)


def concatenate(tables) -> Terms:
    """The tables' entries one after another, as one flat table."""
    tables = canonical.unify(*tables) if len(tables) > 1 else list(tables)
    space = tables[0].space
    degree = max(t.degree for t in tables)
    total = sum(t.size for t in tables)
    radix = space.size + 1
    step = radix**degree
    big = not canonical.fits_int64(total, radix, degree) or any(t.key.dtype == object for t in tables)
    keys, coefs, offset = [], [], 0
    for t in tables:
        if t.n_terms:
            own = t.radix**t.degree
            key = t.key.astype(object) if big else t.key
            out, rest = key // own, key % own
            keys.append((out + offset) * step + rest)
            coefs.append(t.coefs())
        offset += t.size
    if not keys:
        return canonical.zeros((total,), space)
    coef = canonical._concat_coefs(coefs)
    return canonical.from_keys((total,), space, degree, np.concatenate(keys), coef, any_top=False)


def _apply_writes(base: Terms, writes) -> Terms:
    """`base` with the item assignments applied in order (a later one wins where they overlap)."""
    src = np.arange(base.size, dtype=np.int64)
    tables, offset = [base], base.size
    scalar_values, scalar_pos = [], []
    for pos, value in writes:
        if isinstance(value, Terms):
            src[pos] = offset + np.arange(len(pos), dtype=np.int64)
            tables.append(value)
            offset += value.size
        else:  # one scalar for every position: gathered after the tables
            scalar_pos.append((pos, len(scalar_values)))
            src[pos] = -2 - len(scalar_values)
            scalar_values.append(value)
    if scalar_values:
        tables.append(pack(scalar_values, (len(scalar_values),)))
        hit = src <= -2
        src[hit] = offset + (-2 - src[hit])
    flat = concatenate(tables)
    return gather(flat, src.reshape(base.shape))


# -- dispatch ------------------------------------------------------------------------------------
def _ufunc(ufunc, method, inputs, kwargs):
    out = kwargs.pop("out", None)
    if out is not None:  # a += b on an array: the result written into it, as NumPy does
        target = out[0] if isinstance(out, tuple) and len(out) == 1 else out
        if not (isinstance(target, TracedArray) or isinstance(target, np.ndarray) and target.dtype == object):
            raise UnsupportedError(f"np.{ufunc.__name__}(..., out=...) writes symbolic values into "
                                   f"{type(target).__name__} {getattr(target, 'dtype', '')}; expected an object array")
        result = _ufunc(ufunc, method, inputs, kwargs)
        table = lift(result)
        if table.shape != tuple(target.shape):
            table = _broadcast(table, tuple(target.shape))
        if isinstance(target, TracedArray):
            target[...] = TracedArray(table)
        else:
            target[...] = entries(table)
        return target
    if method == "reduce":
        return _reduce(ufunc, inputs[0], kwargs)
    if method != "__call__":
        raise UnsupportedError(f"np.{ufunc.__name__}.{method} is not traced; expected plain calls of polynomial operations")
    where = kwargs.pop("where", True)
    if where is not True:
        raise UnsupportedError(f"np.{ufunc.__name__}(..., where=...) is not traced")
    impl = _UFUNCS.get(ufunc)
    if impl is None:
        raise UnsupportedError(f"np.{ufunc.__name__} is not a polynomial operation; the compact tracer carries "
                               f"{', '.join(sorted('np.' + u.__name__ for u in _UFUNCS))}")
    return impl(*inputs)


def _unary_or_scalar(fn_scalar, fn_table):
    def impl(a):
        if isinstance(a, TracedScalar):
            return fn_scalar(a)
        return wrap(fn_table(lift(a)), like=_layout(a))
    return impl


def _binary(op):
    def impl(a, b):
        if isinstance(a, TracedScalar) and (isinstance(b, TracedScalar) or _is_number(b)) or \
                isinstance(b, TracedScalar) and _is_number(a):
            return op(*(v if isinstance(v, TracedScalar) else TracedScalar({(): _number(v)} if v != 0 else {}, EMPTY)
                        for v in (a, b)))
        return wrap(_elementwise(op, lift(a), lift(b)), like=_layout(a, b))
    return impl


def _elementwise(op, a: Terms, b: Terms) -> Terms:
    shape = np.broadcast_shapes(a.shape, b.shape)
    if op is _mul:
        if a.degree == 0 and a.size == 1 and b.shape == shape:
            return _scaled(b, a)
        if b.degree == 0 and b.size == 1 and a.shape == shape:
            return _scaled(a, b)
        if a.shape == b.shape and a.degree == b.degree == 1 and a.single() and b.single() and \
                (a.space is b.space or a.space == b.space):
            return _product_of_singles(a, b)
        n = prod(shape)
        limits.check_terms(n * max(1, a.max_count()) * max(1, b.max_count()), "an element-wise product in traced code")
        acc = canonical.Bilinear(shape, a, b)
        whole = np.arange(n, dtype=np.int64)
        acc.add(whole, whole if a.shape == shape else _broadcast_index(a.shape, shape),
                whole if b.shape == shape else _broadcast_index(b.shape, shape))
        return acc.result()
    a, b = _broadcast(a, shape), _broadcast(b, shape)
    if op is _sub:
        b = canonical.scale(b, -1)
    return canonical.add(a, b)


def _product_of_singles(a: Terms, b: Terms) -> Terms:
    """Entry-wise product of two tables of one variable per entry: one key per entry, no sort, no merge."""
    radix = a.radix
    if a.key.dtype == object or b.key.dtype == object or not canonical.fits_int64(a.size, radix, 2):
        acc = canonical.Bilinear(a.shape, a, b)
        whole = np.arange(a.size, dtype=np.int64)
        acc.add(whole, whole, whole)
        return acc.result()
    ma, mb = a.key % radix, b.key % radix
    key = np.arange(a.size, dtype=np.int64) * (radix * radix) + np.minimum(ma, mb) * radix + np.maximum(ma, mb)
    out = Terms(a.shape, a.space, 2, key, canonical.mul_coef(a.coef, b.coef))
    out._max_count = 1
    return out


def _scaled(t: Terms, c: Terms) -> Terms:
    if c.n_terms == 0:
        return canonical.zeros(t.shape, t.space)
    return canonical.scale(t, _number(c.coefs()[0]))


def _broadcast_index(shape, target):
    return np.broadcast_to(np.arange(prod(shape), dtype=np.int64).reshape(shape), target).reshape(-1)


def _broadcast(t: Terms, shape) -> Terms:
    return t if t.shape == tuple(shape) else gather(t, _broadcast_index(t.shape, shape).reshape(shape))


def _add(a, b):
    return a + b


def _sub(a, b):
    return a - b


def _mul(a, b):
    return a * b


def _divide(a, b):
    if isinstance(b, (TracedArray, TracedScalar)) or isinstance(b, np.ndarray) and b.dtype == object:
        _reciprocal(TracedScalar({}, EMPTY))  # raises: a division by a symbolic value
    if isinstance(b, np.ndarray) or isinstance(b, (list, tuple)):
        recip = np.empty(np.shape(b), dtype=object)
        recip.reshape(-1)[:] = [_reciprocal(_number(v)) for v in np.asarray(b).reshape(-1)]
        return _UFUNCS[np.multiply](a, recip)
    return _UFUNCS[np.multiply](a, _reciprocal(_number(b)))


def _power(a, e):
    if isinstance(e, Traced) or np.ndim(e) != 0:
        raise UnsupportedError("the traced code raises to a symbolic or array power; expected one non-negative integer")
    n = _exponent(e)
    if isinstance(a, TracedScalar) or _is_number(a):
        return (a if isinstance(a, TracedScalar) else TracedScalar({(): _number(a)}, EMPTY)) ** n
    t = lift(a)
    result = canonical.constant(np.ones(t.shape, dtype=np.int64))
    base = t
    while n:
        if n & 1:
            result = _elementwise(_mul, result, base)
        n >>= 1
        if n:
            base = _elementwise(_mul, base, base)
    return wrap(result)


def _conjugate_table(t: Terms) -> Terms:
    if t.space.complex_symbol() is not None:
        raise UnsupportedError(f"the traced code conjugates values of the complex symbol {t.space.complex_symbol()}; "
                               f"the compact tracer keeps real symbols only")
    return canonical.conjugate(t)


def _conjugate_scalar(s: TracedScalar) -> TracedScalar:
    return wrap(_conjugate_table(s.terms()))


_UFUNCS = {
    np.add: _binary(_add),
    np.subtract: _binary(_sub),
    np.multiply: _binary(_mul),
    np.true_divide: _divide,
    np.power: _power,
    np.negative: _unary_or_scalar(lambda s: -s, lambda t: canonical.scale(t, -1)),
    np.positive: _unary_or_scalar(lambda s: s, lambda t: t),
    np.square: lambda a: _UFUNCS[np.multiply](a, a),
    np.conjugate: _unary_or_scalar(_conjugate_scalar, _conjugate_table),
    np.matmul: lambda a, b: _matmul(a, b),
}


def _reduce(ufunc, a, kwargs):
    kw = dict(kwargs)
    axis = kw.pop("axis", 0)
    keepdims = kw.pop("keepdims", False)
    initial = kw.pop("initial", np._NoValue)
    kw.pop("dtype", None)
    if kw.pop("where", True) is not True or kw:
        raise UnsupportedError(f"np.{ufunc.__name__}.reduce with {sorted(kwargs)} is not traced")
    if ufunc is np.add:
        return _sum(a, axis=axis, keepdims=keepdims, initial=initial)
    if ufunc is np.multiply:
        return _prod(a, axis=axis, keepdims=keepdims, initial=initial)
    raise UnsupportedError(f"np.{ufunc.__name__}.reduce is not a polynomial operation")


def _axes(axis, ndim, name="axis"):
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for ax in axes:
        if not isinstance(ax, numbers.Integral) or not -ndim <= ax < ndim:
            raise np.exceptions.AxisError(f"{name} {ax} is out of bounds for array of dimension {ndim}")
        out.append(int(ax) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"duplicate value in '{name}'")
    return tuple(out)


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue, where=True):
    _plain_options("np.sum", dtype, out, where)
    t = lift(a)
    axes = _axes(axis, len(t.shape))
    kept = tuple(1 if d in axes else n for d, n in enumerate(t.shape))
    final = kept if keepdims else tuple(n for d, n in enumerate(t.shape) if d not in axes)
    if final == () and t.degree and t.key.dtype != object:  # everything summed: drop the entry part of the keys
        rest = t.key % (t.radix**t.degree)
        result = canonical.from_keys((), t.space, t.degree, rest, t.coef, any_top=False)
    else:
        dst = _broadcast_index(kept, t.shape)
        result = canonical.linear(t, final, dst, np.arange(t.size, dtype=np.int64))
    if initial is not np._NoValue and initial != 0:
        result = _elementwise(_add, result, lift(initial))
    return wrap(result)


def _mean(a, axis=None, dtype=None, out=None, keepdims=False, where=True):
    t = lift(a)
    count = prod(t.shape[d] for d in _axes(axis, len(t.shape)))
    if not count:
        raise UnsupportedError("np.mean of an empty axis is NaN (NumPy warns 'Mean of empty slice'); expected entries")
    total = _sum(wrap(t), axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
    return _divide(total, count)


def _prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue, where=True):
    _plain_options("np.prod", dtype, out, where)
    t = lift(a)
    axes = _axes(axis, len(t.shape))
    moved = _structural_one(np.moveaxis, t, (axes, tuple(range(len(axes)))))
    n = prod(t.shape[d] for d in axes)
    rest = moved.shape[len(axes):]
    flat = _structural_one(np.reshape, moved, ((n,) + rest,))
    result = canonical.constant(np.ones(rest, dtype=np.int64))
    grid = np.arange(flat.size, dtype=np.int64).reshape(flat.shape)
    for i in range(n):
        result = _elementwise(_mul, result, gather(flat, grid[i]))
    if initial is not np._NoValue:
        result = _elementwise(_mul, result, lift(initial))
    if keepdims:
        result = _structural_one(np.reshape, result, (tuple(1 if d in axes else s for d, s in enumerate(t.shape)),))
    return wrap(result)


def _plain_options(name, dtype, out, where):
    if out is not None:
        raise UnsupportedError(f"{name}(..., out=...) is not traced; expected a result that is returned")
    if dtype is not None and np.dtype(dtype) != object:
        raise UnsupportedError(f"{name}(..., dtype={np.dtype(dtype)}) converts symbolic values to numbers")
    if where is not True:
        raise UnsupportedError(f"{name}(..., where=...) is not traced")


# -- products built from their definitions -------------------------------------------------------------------
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def contract(operands, subs, out_subs) -> Terms:
    """``einsum`` over tables: `subs` the letters of each operand, `out_subs` those of the result.

    Letters may repeat inside an operand (a diagonal); a letter of size 1 in one operand and larger in
    another broadcasts (NumPy's rule for the axes an ellipsis stands for).
    """
    dims: dict = {}
    for t, s in zip(operands, subs):
        if len(s) != len(t.shape):
            raise ValueError(f"einstein sum subscripts string {s!r} does not match the {len(t.shape)} dimensions "
                             f"of its operand")
        for c, n in zip(s, t.shape):
            if c not in dims or dims[c] == 1:
                dims[c] = n
            elif n != 1 and n != dims[c]:
                raise ValueError(f"operands could not be broadcast together: subscript {c!r} has sizes "
                                 f"{dims[c]} and {n}")
    for c in out_subs:
        if c not in dims:
            raise ValueError(f"einstein sum subscript {c!r} of the output appears in no operand")
        if out_subs.count(c) > 1:
            raise ValueError(f"einstein sum subscripts string includes output subscript {c!r} multiple times")
    for t, s in zip(operands, subs):
        for c in set(s):
            sizes = {n for d, n in zip(s, t.shape) if d == c}
            if len(sizes) > 1:
                raise ValueError(f"dimensions in single operand for collapsing index {c!r} don't match {sorted(sizes)}")
    if any(n == 0 for n in dims.values()):
        return canonical.zeros(tuple(dims[c] for c in out_subs), union(*(t.space for t in operands)))
    if len(operands) == 1:
        return _contract_one(operands[0], subs[0], out_subs, dims)
    tables, subs = list(operands), list(subs)
    while len(tables) > 2:  # fold from the left, keeping the letters still needed
        later = set(out_subs).union(*subs[2:])
        keep = "".join(dict.fromkeys(c for c in subs[0] + subs[1] if c in later))
        tables[:2] = [_contract_two(tables[0], subs[0], tables[1], subs[1], keep, dims)]
        subs[:2] = [keep]
    return _contract_two(tables[0], subs[0], tables[1], subs[1], out_subs, dims)


def _points(letters, dims, chunk=1 << 20):
    """The index of every letter at every point of the letters' grid, in chunks (row-major)."""
    shape = tuple(dims[c] for c in letters)
    total = prod(shape)
    for lo in range(0, max(total, 1) if shape else 1, chunk):
        flat = np.arange(lo, min(total, lo + chunk), dtype=np.int64) if shape else np.zeros(1, dtype=np.int64)
        yield dict(zip(letters, np.unravel_index(flat, shape) if shape else ())), len(flat)


def _flat_index(point, subs, shape, n):
    if not subs:
        return np.zeros(n, dtype=np.int64)
    idx = [point[c] if size > 1 else np.zeros(n, dtype=np.int64) for c, size in zip(subs, shape)]
    return np.ravel_multi_index(idx, shape).astype(np.int64)


def _contract_one(t, s, out, dims):
    letters = "".join(dict.fromkeys(s))
    out_shape = tuple(dims[c] for c in out)
    dst, src = [], []
    for point, n in _points(letters, dims):
        src.append(_flat_index(point, s, t.shape, n))
        dst.append(_flat_index(point, out, out_shape, n))
    return canonical.linear(t, out_shape, np.concatenate(dst), np.concatenate(src))


def _contract_two(a, sa, b, sb, out, dims):
    letters = "".join(dict.fromkeys(sa + sb + out))
    out_shape = tuple(dims[c] for c in out)
    n_points = prod(dims[c] for c in letters)
    limits.check_terms(n_points * max(1, a.max_count()) * max(1, b.max_count()), "a product in traced code")
    acc = canonical.Bilinear(out_shape, a, b)
    for point, n in _points(letters, dims):
        acc.add(_flat_index(point, out, out_shape, n), _flat_index(point, sa, a.shape, n),
                _flat_index(point, sb, b.shape, n))
    return acc.result()


def _einsum(*operands, out=None, optimize=False, dtype=None, casting="safe", order="K"):
    if out is not None:
        raise UnsupportedError("np.einsum(..., out=...) is not traced; expected a result that is returned")
    if not operands or not isinstance(operands[0], str):
        raise UnsupportedError("np.einsum with operands and sublists is not traced; expected a subscripts string")
    spec, tables = operands[0].replace(" ", ""), [lift(v) for v in operands[1:]]
    inputs, arrow, output = spec.partition("->")
    subs = inputs.split(",")
    if len(subs) != len(tables):
        raise ValueError(f"more operands than subscripts: {len(subs)} subscripts for {len(tables)} operands")
    free = [c for c in _LETTERS if c not in spec]
    ell = max((len(t.shape) - len(s.replace("...", "")) for t, s in zip(tables, subs) if "..." in s), default=0)
    ell_letters = "".join(free[:ell])
    subs = [s.replace("...", ell_letters[ell - (len(t.shape) - len(s.replace("...", ""))):]) if "..." in s else s
            for t, s in zip(tables, subs)]
    if arrow:
        if ell and "..." not in output:
            raise ValueError("output has more dimensions than subscripts given in einstein sum, but no '...' "
                             "ellipsis provided to broadcast the extra dimensions.")
        output = output.replace("...", ell_letters)
    else:
        counts = {}
        for c in "".join(subs):
            counts[c] = counts.get(c, 0) + 1
        output = ell_letters + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell_letters))
    for c in "".join(subs) + output:
        if not c.isalpha():
            raise ValueError(f"invalid subscript {c!r} in einstein sum subscripts string")
    if len(tables) == 1 and isinstance(operands[1], TracedArray) and set(subs[0]) <= set(output) \
            and len(set(output)) == len(output):
        contract(tables, subs, output)  # NumPy's checks; nothing is summed: an axis permutation or a diagonal,
        base = operands[1]._positions()  # which NumPy gives as a view
        return operands[1]._view_or_copy(np.einsum(spec, base), base)
    return wrap(contract(tables, subs, output))


def _letters(n, start=0):
    return _LETTERS[start:start + n]


def _dot(a, b, out=None):
    if out is not None:
        raise UnsupportedError("np.dot(..., out=...) is not traced")
    ta, tb = lift(a), lift(b)
    na, nb = len(ta.shape), len(tb.shape)
    if na == 0 or nb == 0:
        return wrap(_elementwise(_mul, ta, tb))
    sa = _letters(na)
    if nb == 1:
        sb = sa[-1]
        out_s = sa[:-1]
    else:
        rest = _letters(nb - 1, na)
        sb = rest[:-1] + sa[-1] + rest[-1]
        out_s = sa[:-1] + rest
    _check_contracted("dot", ta.shape[-1], tb.shape[-1 if nb == 1 else -2], ta.shape, tb.shape)
    return wrap(contract([ta, tb], [sa, sb], out_s))


def _check_contracted(name, n, m, sa, sb):
    if n != m:
        raise ValueError(f"shapes {sa} and {sb} not aligned: {n} (dim {len(sa) - 1}) != {m}")


def _matmul(a, b):
    ta, tb = lift(a), lift(b)
    if not ta.shape or not tb.shape:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    ta2 = ta if len(ta.shape) > 1 else _structural_one(np.reshape, ta, ((1,) + ta.shape,))
    tb2 = tb if len(tb.shape) > 1 else _structural_one(np.reshape, tb, (tb.shape + (1,),))
    if ta2.shape[-1] != tb2.shape[-2]:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"(n?,k),(k,m?)->(n?,m?) (size {tb2.shape[-2]} is different from {ta2.shape[-1]})")
    batch = np.broadcast_shapes(ta2.shape[:-2], tb2.shape[:-2])
    ta2, tb2 = _broadcast(ta2, batch + ta2.shape[-2:]), _broadcast(tb2, batch + tb2.shape[-2:])
    z = _letters(len(batch), 3)
    result = contract([ta2, tb2], [z + "ij", z + "jk"], z + "ik")
    final = batch + ta.shape[-2:-1] + tb.shape[-1:] if len(tb.shape) > 1 else batch + ta.shape[-2:-1]
    if len(ta.shape) == 1:
        final = batch + (tb.shape[-1:] if len(tb.shape) > 1 else ())
    return wrap(_structural_one(np.reshape, result, (final,)))


def _tensordot(a, b, axes=2):
    ta, tb = lift(a), lift(b)
    na, nb = len(ta.shape), len(tb.shape)
    if isinstance(axes, numbers.Integral):
        ax_a, ax_b = list(range(na - axes, na)), list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, numbers.Integral) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, numbers.Integral) else list(ax_b)
    if len(ax_a) != len(ax_b):
        raise ValueError("shape-mismatch for sum")
    if len({p % na for p in ax_a}) != len(ax_a) or len({q % nb for q in ax_b}) != len(ax_b):
        raise ValueError("repeated axis in tensordot axes")
    sa, sb = list(_letters(na)), list(_letters(nb, na))
    for p, q in zip(ax_a, ax_b):
        if ta.shape[p] != tb.shape[q]:
            raise ValueError("shape-mismatch for sum")
        sb[q] = sa[p]
    out = [c for d, c in enumerate(sa) if d not in [p % na for p in ax_a]] + \
          [c for d, c in enumerate(sb) if d not in [q % nb for q in ax_b]]
    return wrap(contract([ta, tb], ["".join(sa), "".join(sb)], "".join(out)))


def _inner(a, b):
    ta, tb = lift(a), lift(b)
    if not ta.shape or not tb.shape:
        return wrap(_elementwise(_mul, ta, tb))
    _check_contracted("inner", ta.shape[-1], tb.shape[-1], ta.shape, tb.shape)
    sa = _letters(len(ta.shape))
    sb = _letters(len(tb.shape) - 1, len(ta.shape)) + sa[-1]
    return wrap(contract([ta, tb], [sa, sb], sa[:-1] + sb[:-1]))


def _outer(a, b, out=None):
    ta, tb = (_structural_one(np.ravel, lift(v), ()) for v in (a, b))
    return wrap(contract([ta, tb], ["i", "j"], "ij"))


def _vdot(a, b):
    ta, tb = (_structural_one(np.ravel, lift(v), ()) for v in (a, b))
    if ta.size != tb.size:
        raise ValueError("cannot reshape array: vdot of arrays of different sizes")
    return wrap(contract([_conjugate_table(ta), tb], ["i", "i"], ""))


def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    _plain_options("np.trace", dtype, out, True)
    diag = _structural_one(np.diagonal, lift(a), (offset, axis1, axis2))
    return _sum(TracedArray(diag), axis=-1)


# -- functions that only move entries: NumPy runs them on entry numbers -----------------------------------------
#: function -> how its data arguments come: "one" (the first argument) or "seq" (a sequence of arrays first)
_STRUCTURAL = {}
for _name, _how in [("reshape", "one"), ("ravel", "one"), ("transpose", "one"), ("swapaxes", "one"),
                    ("moveaxis", "one"), ("rollaxis", "one"), ("flip", "one"), ("fliplr", "one"), ("flipud", "one"),
                    ("rot90", "one"), ("squeeze", "one"), ("expand_dims", "one"), ("broadcast_to", "one"),
                    ("roll", "one"), ("diagonal", "one"), ("atleast_1d", "one"), ("atleast_2d", "one"),
                    ("atleast_3d", "one"), ("copy", "one"), ("take", "one"), ("tril", "one"), ("triu", "one"),
                    ("diag", "one"), ("diagflat", "one"), ("tile", "one"), ("repeat", "one"), ("pad", "one"),
                    ("split", "one"), ("array_split", "one"), ("hsplit", "one"), ("vsplit", "one"),
                    ("concatenate", "seq"), ("stack", "seq"), ("hstack", "seq"), ("vstack", "seq"),
                    ("dstack", "seq"), ("column_stack", "seq")]:
    if hasattr(np, _name):
        _STRUCTURAL[getattr(np, _name)] = _how
_STRUCTURAL[np.lib.stride_tricks.sliding_window_view] = "one"


#: structural functions that put zeros where no entry goes (never views): run on entry numbers plus one
_ZERO_FILLING = {np.pad, np.tril, np.triu, np.diag, np.diagflat}


def _structural(func, args, kwargs):
    if kwargs.get("out") is not None:
        raise UnsupportedError(f"np.{func.__name__}(..., out=...) is not traced; expected a result that is returned")
    if func is np.pad:
        _check_pad(args, kwargs)
    zeros = func in _ZERO_FILLING and not (func is np.diag and np.ndim(args[0]) == 2)  # 2-D: the diagonal view
    if func in (np.atleast_1d, np.atleast_2d, np.atleast_3d) and len(args) != 1:
        return [_structural(func, (a,), kwargs) for a in args]
    if _STRUCTURAL[func] == "one" and not zeros:
        # NumPy runs on the entries' positions: its result is a view of them exactly when it would be a view
        data = args[0] if isinstance(args[0], TracedArray) else TracedArray(lift(args[0]))
        base = data._positions()
        result = func(base, *args[1:], **kwargs)
        if isinstance(result, (list, tuple)):
            return [data._view_or_copy(np.asarray(r), base) for r in result]
        return data._view_or_copy(np.asarray(result), base)
    if _STRUCTURAL[func] == "one":
        tables = [lift(args[0])]
        grids = [np.arange(1, tables[0].size + 1, dtype=np.int64).reshape(tables[0].shape)]
        call_args = (grids[0],) + tuple(args[1:])
    else:
        tables = [lift(v) for v in args[0]]
        grids, offset = [], 1
        for t in tables:
            grids.append(np.arange(offset, offset + t.size, dtype=np.int64).reshape(t.shape))
            offset += t.size
        call_args = (grids,) + tuple(args[1:])
    kw = dict(kwargs)
    constant = kw.get("constant_values", 0) if func is np.pad else 0
    if func is np.pad and "constant_values" in kw:
        kw["constant_values"] = 0
    result = func(*call_args, **kw)
    flat = concatenate(tables) if len(tables) > 1 else canonical.reshape(tables[0], (tables[0].size,))

    def back(r):
        r = np.asarray(r)
        picked = gather(flat, r - 1)  # 0 (a padded or zeroed entry) reads -1: zero
        if constant is not None and np.any(constant != 0) and np.any(r == 0):
            fill = np.zeros(r.shape, dtype=object)
            fill[r == 0] = _number(constant)
            picked = _elementwise(_add, picked, lift(fill))
        return wrap(picked)

    if isinstance(result, (list, tuple)):
        return [back(r) for r in result]
    return back(result)


def _check_pad(args, kwargs):
    mode = kwargs.get("mode", args[2] if len(args) > 2 else "constant")
    if mode not in ("constant", "edge", "reflect", "symmetric", "wrap"):
        raise UnsupportedError(f"np.pad(..., mode={mode!r}) computes new values; the compact tracer pads with "
                               f"'constant', 'edge', 'reflect', 'symmetric' or 'wrap'")
    if kwargs.get("reflect_type", "even") != "even":
        raise UnsupportedError("np.pad(..., reflect_type='odd') computes new values; expected reflect_type='even'")
    c = kwargs.get("constant_values", 0)
    if isinstance(c, Traced) or np.ndim(c) != 0:
        raise UnsupportedError("np.pad(..., constant_values=...) with per-axis or symbolic values is not traced; "
                               "expected one number")


def _structural_one(func, t: Terms, args) -> Terms:
    grid = np.arange(t.size, dtype=np.int64).reshape(t.shape)
    return gather(t, np.asarray(func(grid, *args)))


def _like(fill):
    def impl(a, dtype=None, order="K", subok=True, shape=None, **kw):
        shape = lift(a).shape if shape is None else tuple(np.atleast_1d(shape))
        value = kw.get("fill_value", 0) if fill is None else fill
        if dtype is not None and np.dtype(dtype) != object:  # a numeric array, as NumPy gives: it holds numbers only
            return np.full_like(np.empty(shape), value, dtype=dtype, order=order) if shape != lift(a).shape or \
                not isinstance(a, TracedArray) else np.full_like(a._positions(), value, dtype=dtype, order=order)
        like = np.empty_like(a._positions(), order=order) if isinstance(a, TracedArray) and shape == a.shape else None
        return wrap(lift(np.full(shape, value, dtype=object)), like=like)
    return impl


_FUNCTIONS = {
    np.zeros_like: _like(0), np.ones_like: _like(1), np.empty_like: _like(0), np.full_like: None,
    np.sum: _sum, np.mean: _mean, np.prod: _prod, np.einsum: _einsum, np.dot: _dot, np.tensordot: _tensordot,
    np.inner: _inner, np.outer: _outer, np.vdot: _vdot, np.trace: _trace, np.matmul: _matmul,
}


#: polynomial NumPy functions run by NumPy itself on object arrays of traced scalars (NumPy's own semantics,
#: entry by entry: slower than the tables, exact all the same)
_BY_ENTRIES = {np.convolve, np.correlate, np.kron, np.cumsum, np.diff, np.cross, np.linalg.multi_dot, np.polymul}


def _by_entries(func, args, kwargs):
    def unpack(v):
        if isinstance(v, TracedArray):
            return entries(v.terms)
        if isinstance(v, (list, tuple)):
            return type(v)(unpack(u) for u in v)
        return v

    result = func._implementation(*[unpack(v) for v in args], **{k: unpack(v) for k, v in kwargs.items()})
    return wrap(lift(result)) if isinstance(result, np.ndarray) or isinstance(result, Traced) else result


def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return _like(None)(a, dtype=dtype, shape=shape, fill_value=fill_value)


_FUNCTIONS[np.full_like] = _full_like
_FUNCTIONS[np.shape] = lambda a: a.shape
_FUNCTIONS[np.ndim] = lambda a: a.ndim
_FUNCTIONS[np.size] = lambda a, axis=None: a.size if axis is None else a.shape[axis]


def _function(func, args, kwargs):
    if func in _FUNCTIONS:
        return _FUNCTIONS[func](*args, **kwargs)
    if func in _STRUCTURAL:
        return _structural(func, args, kwargs)
    if func in _BY_ENTRIES:
        return _by_entries(func, args, kwargs)
    name = getattr(func, "__module__", "numpy") or "numpy"
    name = name.replace("numpy.", "np.").replace("numpy", "np") + "." + getattr(func, "__name__", str(func))
    raise UnsupportedError(f"{name} is not traced by the compact tracer (it is not a polynomial operation symconv "
                           f"carries)")
