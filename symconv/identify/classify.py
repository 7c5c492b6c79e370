"""`classify`: the reading of a table, trying layers, Hadamard sums, matrix products and windowed sums."""

from __future__ import annotations

from .. import canonical
from ..array import SymArray
from ..canonical import Terms
from ..forms import matmul
from ..space import TensorBlock
from .diagnose import diagnose
from .layers import _layer_reading
from .result import Identification
from .roles import input_first
from .windows import _bilinear, _hadamard, _same, _window_matmul, _windowed


def classify(t: Terms, diagnose_misses: bool = True) -> Identification:
    """Identify a table (see :func:`identify`)."""
    blocks = [b for b in t.space.blocks if isinstance(b, TensorBlock)]
    layer = _layer_reading(t)
    if layer is not None:
        return layer
    if len(blocks) != 2 or len(t.space.blocks) != 2:
        count = len(t.space.blocks)
        return Identification("unknown", detail=f"it involves {count} tensor{'' if count == 1 else 's'} or symbol"
                                                f"{'' if count == 1 else 's'}, expected two")
    if not _bilinear(t):
        return Identification("unknown", detail="it is not bilinear (one factor from each of two tensors per term)")
    a, b = (SymArray(canonical.identity(blk.label, blk.shape)) for blk in blocks)
    names = [blk.label.name for blk in blocks]
    if not t.shape or t.size == 1:
        found = _hadamard(t, blocks)
        if found is not None:
            return found
    if all(1 <= len(blk.shape) <= 2 for blk in blocks) and any(len(blk.shape) == 2 for blk in blocks):
        for p, q, (n1, n2) in ((a, b, names), (b, a, names[::-1])):
            inner_p = p.shape[-1]
            inner_q = q.shape[0]
            if inner_p == inner_q and _same(t, matmul(p, q).terms):
                return Identification("matrix-product", input=n1, kernel=n2)
    if all(len(blk.shape) == 2 for blk in blocks):
        found = _window_matmul(t, blocks)
        if found is not None:
            return found
    readings = [r for r in (_windowed(t, blocks[0], blocks[1]), _windowed(t, blocks[1], blocks[0])) if r is not None]
    if not readings:
        reason = diagnose(t, blocks, classify) if diagnose_misses else "no reading"
        return Identification("unknown", detail=reason)
    sizes = {blk.label.name: blk.size for blk in blocks}
    # prefer a match, then a standard mode, then the roles a reader expects (the larger, or the input-named, is the input)
    return min(readings, key=lambda r: (r.kind == "unknown", "mode" not in r.params,
                                        not input_first(r.input, r.kernel, sizes[r.input], sizes[r.kernel])))
