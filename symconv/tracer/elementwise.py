"""Element-wise arithmetic and reductions on traced values, built from their definitions."""

from __future__ import annotations

import numbers
from math import prod

import numpy as np

from .. import canonical, limits
from ..canonical import Terms
from ..space import EMPTY
from .array import TracedArray, _broadcast, _broadcast_index, _layout, _structural_one, gather, lift, wrap
from .dispatch import FUNCTIONS, HOOKS, UFUNCS, UnsupportedError
from .scalar import Traced, TracedScalar, _exponent, _is_number, _number, _reciprocal


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
        return UFUNCS[np.multiply](a, recip)
    return UFUNCS[np.multiply](a, _reciprocal(_number(b)))

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

UFUNCS.update({
    np.add: _binary(_add),
    np.subtract: _binary(_sub),
    np.multiply: _binary(_mul),
    np.true_divide: _divide,
    np.power: _power,
    np.negative: _unary_or_scalar(lambda s: -s, lambda t: canonical.scale(t, -1)),
    np.positive: _unary_or_scalar(lambda s: s, lambda t: t),
    np.square: lambda a: UFUNCS[np.multiply](a, a),
    np.conjugate: _unary_or_scalar(_conjugate_scalar, _conjugate_table),
})

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


HOOKS["reduce"] = _reduce
FUNCTIONS.update({np.sum: _sum, np.mean: _mean, np.prod: _prod})
