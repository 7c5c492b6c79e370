"""Products of traced values built from their definitions: einsum, dot, matmul, tensordot, inner, outer, vdot."""

from __future__ import annotations

import numbers
from math import prod

import numpy as np

from .. import canonical, limits
from ..canonical import Terms
from ..space import union
from .array import TracedArray, _broadcast, _structural_one, lift, wrap
from .dispatch import FUNCTIONS, UFUNCS, UnsupportedError
from .elementwise import _conjugate_table, _elementwise, _mul, _plain_options, _sum


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


UFUNCS[np.matmul] = _matmul
FUNCTIONS.update({np.einsum: _einsum, np.dot: _dot, np.tensordot: _tensordot, np.inner: _inner, np.outer: _outer,
                  np.vdot: _vdot, np.trace: _trace, np.matmul: _matmul})
