"""Why a bilinear table is no named kind: the true reason, checked on its terms (never a guess).

Each check tests one precise near miss -- the products not summed, the kernel transposed, the input
index taken modulo the input length, a kernel that changes with the output position -- and names it
only when the terms show exactly that.
"""

from __future__ import annotations

import numpy as np

from .. import canonical
from ..canonical import Terms
from ..space import TensorBlock
from .roles import input_first


def _pairs(t: Terms, xb: TensorBlock, kb: TensorBlock):
    """Per term: output multi-index, input multi-index, kernel multi-index (as tuples of arrays)."""
    out, mono = t.decode()
    x_off = t.space.offsets[t.space.blocks.index(xb)]
    k_off = t.space.offsets[t.space.blocks.index(kb)]
    xs, ks = (mono[:, 0], mono[:, 1]) if x_off < k_off else (mono[:, 1], mono[:, 0])
    return (np.unravel_index(out, t.shape), np.unravel_index(xs - 1 - x_off, xb.shape),
            np.unravel_index(ks - 1 - k_off, kb.shape), x_off, k_off)


def not_summed(t: Terms, blocks) -> str | None:
    xb, kb = blocks
    if not (t.shape == xb.shape == kb.shape) or np.any(t.counts() != 1):
        return None
    o, i, m, *_ = _pairs(t, xb, kb)
    if all(np.array_equal(a, b) and np.array_equal(a, c) for a, b, c in zip(o, i, m)):
        return (f"each output is one product {xb.label.name}[i]*{kb.label.name}[i]: the element-wise (Hadamard) "
                f"product, not summed -- its sum is the sum of element-wise products (sc.hadamard_sum)")
    return None


def transposed_kernel(t: Terms, blocks, classify) -> str | None:
    for xb, kb in (blocks, blocks[::-1]):
        if len(kb.shape) != 2 or kb.shape[0] != kb.shape[1] or len(t.shape) != 2:
            continue
        out, mono = t.decode()
        k_off = t.space.offsets[t.space.blocks.index(kb)]
        local = mono - 1 - k_off
        inside = (local >= 0) & (local < kb.size)
        r, c = np.divmod(np.where(inside, local, 0), kb.shape[1])
        swapped = np.where(inside, c * kb.shape[1] + r + 1 + k_off, mono)
        found = classify(canonical.build(t.shape, t.space, out, swapped, t.coef), diagnose_misses=False)
        if found.kind in ("correlation", "convolution"):
            return (f"the kernel's axes are swapped: it is a {found.kind} of {xb.label.name} with the transposed kernel "
                    f"{kb.label.name}.T ({', '.join(f'{key}={v}' for key, v in found.params.items())})")
    return None


def _roles(blocks):
    """(input, kernel) as a reader takes them: the larger, or the input-named, tensor is the input."""
    a, b = blocks
    return (a, b) if input_first(a.label.name, b.label.name, a.size, b.size) else (b, a)


def circular(t: Terms, blocks) -> str | None:
    """The input index is affine in (output, tap) only modulo the input length: a periodic correlation."""
    for xb, kb in (_roles(blocks),):
        if len(xb.shape) != len(t.shape) or len(kb.shape) != len(t.shape):
            continue
        o, i, m, *_ = _pairs(t, xb, kb)
        wraps = []
        for a in range(len(t.shape)):
            n = xb.shape[a]
            found = None
            for step_out in (1, 2, 3):
                for step_k in (1, -1, 2, -2):
                    start = np.mod(i[a] - o[a] * step_out - m[a] * step_k, n)
                    if np.all(start == start[0]):
                        raw = start[0] + o[a] * step_out + m[a] * step_k
                        found = bool(np.any((raw < 0) | (raw >= n)))
                        break
                if found is not None:
                    break
            if found is None:
                break
            wraps.append(found)
        else:
            if any(wraps):
                axes = [a for a, w in enumerate(wraps) if w]
                return (f"the input index of {xb.label.name} wraps around (it is taken modulo the input length on "
                        f"axis {', '.join(map(str, axes))}): a circular (periodic) correlation, not a zero-padded one "
                        f"-- sc.correlate(x, k, 'same', boundary='wrap') is the centred circular one")
    return None


def not_shift_invariant(t: Terms, blocks) -> str | None:
    """Every output reads a window of the input, but the tap paired with an input offset changes with the output."""
    for xb, kb in (_roles(blocks),):
        if len(xb.shape) != len(t.shape) or len(kb.shape) != len(t.shape):
            continue
        o, i, m, *_ = _pairs(t, xb, kb)
        rel = np.stack([i[a] - o[a] for a in range(len(t.shape))], axis=1)
        taps = np.stack(m, axis=1)
        seen: dict = {}
        varies = False
        for r, tap in zip(map(tuple, rel), map(tuple, taps)):
            if seen.setdefault(r, tap) != tap:
                varies = True
                break
        if varies and len({tuple(sorted(map(tuple, rel[np.asarray(np.ravel_multi_index(o, t.shape)) == e])))
                           for e in np.unique(np.ravel_multi_index(o, t.shape))}) == 1:
            return (f"every output reads a window of {xb.label.name}, but the tap of {kb.label.name} paired with each "
                    f"input offset changes from output to output: not shift-invariant, so no single kernel slides "
                    f"over the input")
    return None


def diagnose(t: Terms, blocks, classify) -> str:
    """The true reason, or the plain statement that no named kind matches."""
    for reason in (not_summed(t, blocks), not_shift_invariant(t, blocks), circular(t, blocks)):
        if reason:
            return reason
    reason = transposed_kernel(t, blocks, classify)
    return reason or "no correlation, convolution, Hadamard sum or matrix product matches"
