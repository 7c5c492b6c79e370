"""NumPy functions that only move entries, run by NumPy itself on entry numbers; and those run entry by entry."""

from __future__ import annotations

import numpy as np

from .. import canonical
from .array import TracedArray, concatenate, entries, gather, lift, wrap
from .dispatch import FUNCTIONS, UnsupportedError
from .elementwise import _add, _elementwise
from .scalar import Traced, _number


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


def _moving(func):
    return lambda *args, **kwargs: _structural(func, args, kwargs)


def _entry_by_entry(func):
    return lambda *args, **kwargs: _by_entries(func, args, kwargs)


FUNCTIONS.update({np.zeros_like: _like(0), np.ones_like: _like(1), np.empty_like: _like(0), np.full_like: _full_like,
                  np.shape: lambda a: a.shape, np.ndim: lambda a: a.ndim,
                  np.size: lambda a, axis=None: a.size if axis is None else a.shape[axis]})
FUNCTIONS.update({func: _moving(func) for func in _STRUCTURAL})
FUNCTIONS.update({func: _entry_by_entry(func) for func in _BY_ENTRIES})
