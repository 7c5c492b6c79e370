"""Traced arrays: a term table that NumPy code runs on, with NumPy's views, writes and memory layout."""

from __future__ import annotations

from math import prod

import numpy as np

from .. import canonical
from ..canonical import Terms
from .dispatch import HOOKS, UnsupportedError, apply_function, apply_ufunc
from .scalar import Traced, TracedScalar, _is_number, _number, pack


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
        self[...] = apply_ufunc(ufunc, "__call__", (self, other), {})
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
        result = apply_ufunc(np.matmul, "__call__", (self, other), {})
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
        return apply_function(np.transpose, (self,), {})

    def reshape(self, *shape, order="C"):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return apply_function(np.reshape, (self, shape), {"order": order})

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) or axes == (None,) else axes
        return apply_function(np.transpose, (self, axes or None), {})

    def ravel(self, order="C"):
        return apply_function(np.ravel, (self,), {"order": order})

    def flatten(self, order="C"):
        return TracedArray(lift(apply_function(np.ravel, (self,), {"order": order})))

    def squeeze(self, axis=None):
        return apply_function(np.squeeze, (self,), {"axis": axis})

    def swapaxes(self, a, b):
        return apply_function(np.swapaxes, (self, a, b), {})

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return apply_function(np.diagonal, (self, offset, axis1, axis2), {})

    def repeat(self, repeats, axis=None):
        return apply_function(np.repeat, (self, repeats, axis), {})

    def take(self, indices, axis=None):
        return apply_function(np.take, (self, indices, axis), {})

    def copy(self, order="C"):
        return wrap(self.terms, like=self._positions().copy(order=order))

    def fill(self, value):
        self[...] = value

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        if np.dtype(dtype) != object:
            self._refuse(f"converts to {np.dtype(dtype)} the entries")
        return self.copy(order=order)

    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        return apply_function(np.sum, (self,), {"axis": axis, "dtype": dtype, "out": out, "keepdims": keepdims})

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return apply_function(np.mean, (self,), {"axis": axis, "dtype": dtype, "out": out, "keepdims": keepdims})

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        return apply_function(np.prod, (self,), {"axis": axis, "dtype": dtype, "out": out, "keepdims": keepdims})

    def trace(self, offset=0, axis1=0, axis2=1):
        return apply_function(np.trace, (self, offset, axis1, axis2), {})

    def dot(self, other):
        return apply_function(np.dot, (self, other), {})

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
        from ..tensors import as_terms

        return as_terms(value, "a value in the traced code")
    raise UnsupportedError(f"the traced code used {type(value).__name__}; expected arrays and numbers")

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

def _broadcast_index(shape, target):
    return np.broadcast_to(np.arange(prod(shape), dtype=np.int64).reshape(shape), target).reshape(-1)

def _broadcast(t: Terms, shape) -> Terms:
    return t if t.shape == tuple(shape) else gather(t, _broadcast_index(t.shape, shape).reshape(shape))

def _structural_one(func, t: Terms, args) -> Terms:
    grid = np.arange(t.size, dtype=np.int64).reshape(t.shape)
    return gather(t, np.asarray(func(grid, *args)))


def _out(ufunc, method, inputs, kwargs, out):
    """``np.add(a, b, out=c)`` (``c += b``): the result written into `c`, a traced or an object array."""
    target = out[0] if isinstance(out, tuple) and len(out) == 1 else out
    if not (isinstance(target, TracedArray) or isinstance(target, np.ndarray) and target.dtype == object):
        raise UnsupportedError(f"np.{ufunc.__name__}(..., out=...) writes symbolic values into "
                               f"{type(target).__name__} {getattr(target, 'dtype', '')}; expected an object array")
    table = lift(apply_ufunc(ufunc, method, inputs, kwargs))
    if table.shape != tuple(target.shape):
        table = _broadcast(table, tuple(target.shape))
    if isinstance(target, TracedArray):
        target[...] = TracedArray(table)
    else:
        target[...] = entries(table)
    return target


HOOKS["out"] = _out
