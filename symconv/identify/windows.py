"""Readings of a table as a windowed sum (correlation, convolution), a Hadamard sum or a window's matrix product.

Parameters come from the structure of the terms (which input index meets which kernel index in which
output, :func:`symconv.geometry.fit_axis`); each candidate is then built from its own definition and
compared exactly with the table.
"""

from __future__ import annotations

import numpy as np
import sympy

from .. import canonical
from ..array import SymArray
from ..canonical import Terms
from ..forms import hadamard_sum, matmul
from ..geometry import SIGNAL_MODES, Axis, decide_flips, fit_axis, layer_padding_of, signal_axis
from ..ops import windowed_sum
from ..space import TensorBlock
from .result import Identification
from .roles import input_first


def _used_box(t: Terms, blocks, n: int):
    """``(lo, hi)`` of the indices of tensor `n` that table `t` reads."""
    _, mono = t.decode()
    off = t.space.offsets[t.space.blocks.index(blocks[n])]
    col = mono[:, 0] if off < t.space.offsets[t.space.blocks.index(blocks[1 - n])] else mono[:, 1]
    used = np.unravel_index(col - 1 - off, blocks[n].shape)
    return tuple(int(u.min()) for u in used), tuple(int(u.max()) + 1 for u in used)


def _window_matmul(t: Terms, blocks):
    """The seed's confusion: ``np.dot`` of a window with the kernel -- a matrix per window (rank 2 or 4)."""
    if len(t.shape) not in (2, 4) or t.n_terms == 0:
        return None
    outer = t.shape[:-2]
    for xn, kernel_first in ((0, False), (1, False), (0, True), (1, True)):
        xb, kb = blocks[xn], blocks[1 - xn]
        k = SymArray(canonical.identity(kb.label, kb.shape))
        shapes = set()
        for p in np.ndindex(outer) if outer else [()]:
            sub = SymArray(t)[p].terms if p else t
            if sub.n_terms == 0:
                return None
            lo, hi = _used_box(sub, blocks, xn)
            window = SymArray(canonical.identity(xb.label, xb.shape))[tuple(slice(a, b) for a, b in zip(lo, hi))]
            left, right = (k, window) if kernel_first else (window, k)
            if left.shape[1] != right.shape[0] or not _same(sub, matmul(left, right).terms):
                break
            shapes.add(window.shape)
        else:
            if len(shapes) == 1 and (outer or xb.shape != shapes.copy().pop()):
                shape = shapes.pop()
                params = {"window": shape} if not outer else {"window": shape, "windows": outer}
                return Identification("matrix-product", params, xb.label.name, kb.label.name,
                                      detail="a matrix product of each window with the kernel")
    return None


def _hadamard(t: Terms, blocks):
    """A Hadamard-sum reading of a one-entry table: the used boxes of both tensors, multiplied and summed."""
    _, mono = t.decode()
    boxes = []
    for n, blk in enumerate(blocks):
        off = t.space.offsets[n]
        used = np.unravel_index(mono[:, n] - 1 - off, blk.shape)
        lo = tuple(int(u.min()) for u in used)
        hi = tuple(int(u.max()) + 1 for u in used)
        boxes.append((lo, hi))
    (alo, ahi), (blo, bhi) = boxes
    if [h - l for l, h in zip(alo, ahi)] != [h - l for l, h in zip(blo, bhi)]:
        return None
    a, b = (SymArray(canonical.identity(blk.label, blk.shape))[tuple(slice(l, h) for l, h in zip(lo, hi))]
            for blk, (lo, hi) in zip(blocks, boxes))
    product = hadamard_sum(a, b).terms
    if not canonical.equal(canonical.linear(t, (), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)), product):
        return None
    first, second = blocks[0].label.name, blocks[1].label.name
    big = input_first(first, second, blocks[0].size, blocks[1].size)
    params = {"window": tuple(zip(alo, ahi)) if big else tuple(zip(blo, bhi))}
    if tuple(h - l for l, h in zip(*(boxes[0 if big else 1]))) == (blocks[0] if big else blocks[1]).shape:
        params = {}
    return Identification("hadamard-sum", params, first if big else second, second if big else first)


def _same(t: Terms, other: Terms) -> bool:
    return canonical.equal(t, other) if t.size == other.size else False


def _bilinear(t: Terms) -> bool:
    if t.degree != 2 or t.n_terms == 0:
        return False
    _, mono = t.decode()
    first = t.space.offsets[1]
    return bool(np.all(mono[:, 0] >= 1) & np.all(mono[:, 0] <= first) & np.all(mono[:, 1] > first))


def _windowed(t: Terms, xb: TensorBlock, kb: TensorBlock):
    """A correlation/convolution reading with `xb` as input and `kb` as kernel, or None."""
    r = len(t.shape)
    if len(xb.shape) != r or len(kb.shape) != r or r == 0:
        return None
    out, mono = t.decode()
    x_off = t.space.offsets[t.space.blocks.index(xb)]
    k_off = t.space.offsets[t.space.blocks.index(kb)]
    xs, ks = (mono[:, 0], mono[:, 1]) if x_off < k_off else (mono[:, 1], mono[:, 0])
    o = np.unravel_index(out, t.shape)
    i = np.unravel_index(xs - 1 - x_off, xb.shape)
    m = np.unravel_index(ks - 1 - k_off, kb.shape)
    fits = [fit_axis(o[a], i[a], m[a]) for a in range(r)]
    if any(f is None for f in fits):
        # an extra (or stray) term breaks the fit: fit the outputs with the usual number of terms only
        counts = t.counts()
        usual = counts[out] == np.bincount(counts[counts > 0]).argmax()
        if usual.all() or not usual.any():
            return None
        fits = [fit_axis(o[a][usual], i[a][usual], m[a][usual]) for a in range(r)]
        if any(f is None for f in fits):
            return None
    axes = decide_flips([Axis(xb.shape[a], t.shape[a], kb.shape[a], *fit) for a, fit in enumerate(fits)])
    xt, kt = canonical.identity(xb.label, xb.shape), canonical.identity(kb.label, kb.shape)
    candidate = windowed_sum(xt, kt, axes)
    if not canonical.equal(t, candidate):
        flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
        noun = "convolution" if flipped and len(flipped) == r else "cross-correlation"
        return Identification("unknown", input=xb.label.name, kernel=kb.label.name,
                              detail=_difference(t, candidate, noun, xb.label.name, kb.label.name))
    flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
    kind = "convolution" if flipped and len(flipped) == r else "correlation"
    return Identification(kind, _describe(axes, flipped, kind), xb.label.name, kb.label.name)


def _difference(t: Terms, candidate: Terms, noun: str, x: str, k: str) -> str:
    """The true reason a near miss is not the windowed sum it resembles: a scale factor, or extra/missing terms."""
    t, candidate = canonical.unify(t, candidate)
    if len(t.key) == len(candidate.key) and np.array_equal(t.key, candidate.key) and candidate.coef is None:
        coefs = set(canonical.to_sympy_number(c) for c in t.coefs())
        if len(coefs) == 1:
            c = coefs.pop()
            return (f"every term of a {noun} of {x} and {k} is there, each with the factor {c}: it is {c} times that "
                    f"{noun}, and no kind carries a scale factor (fold {c} into the kernel)")
    diff = canonical.add(t, canonical.scale(candidate, -1))
    flat = int(np.flatnonzero(diff.counts())[0])
    index = tuple(int(v) for v in np.unravel_index(flat, t.shape))
    signs = np.sign(np.array([float(sympy.re(canonical.to_sympy_number(c))) for c in diff.coefs()]))
    what = "extra" if np.all(signs > 0) else ("missing" if np.all(signs < 0) else "extra or missing")
    return (f"it is a {noun} of {x} and {k} with {diff.n_terms} {what} term{'s' if diff.n_terms > 1 else ''} "
            f"(e.g. {diff.entry(flat)} in output {index}): a tap missing or an extra term, an off-by-one loop bound?")


def _describe(axes, flipped, kind) -> dict:
    stride = tuple(ax.step_out for ax in axes)
    dilation = tuple(abs(ax.step_k) for ax in axes)
    params: dict = {}

    def reading(mode, centre_up):  # per axis: a flipped axis is read as convolve, the others as correlate
        return [signal_axis(ax.n, ax.k_len, mode=mode, stride=ax.step_out, dilation=abs(ax.step_k), flip=ax.step_k < 0,
                            centre_up=centre_up and ax.step_k > 0) for ax in axes]

    for mode in SIGNAL_MODES:
        for centre_up in (False, True):
            want = reading(mode, centre_up)
            if all((w.start, w.out_len) == (ax.start, ax.out_len) for w, ax in zip(want, axes)):
                params["mode"] = mode
                if centre_up and mode == "same" and [w.start for w in want] != [w.start for w in reading(mode, False)]:
                    params["boundary"] = "fill"
                break
        if "mode" in params:
            break
    pads = layer_padding_of(axes) if not flipped else None  # the PyTorch padding of a layer reading (no flip)
    if "mode" in params:
        if pads is not None and any(pads if isinstance(pads[0], int) else (p for pair in pads for p in pair)):
            params["padding"] = pads  # the same geometry as a PyTorch layer
    else:
        if pads is None:
            params["offset"] = tuple(ax.start for ax in axes)
            params["shape"] = tuple(ax.out_len for ax in axes)
        else:
            params["padding"] = pads
    params["stride"] = stride
    params["dilation"] = dilation
    if flipped:
        params["flipped"] = flipped
    return params
