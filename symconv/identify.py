"""`identify`: say what an expression, an array or a function computes, by exact comparison.

The candidate readings -- a correlation or convolution with some geometry, a
Hadamard sum, a matrix product -- get their parameters from the structure of
the object's terms (which input index meets which kernel index in which
output), never from names; each candidate is then built from its own
definition and compared exactly with the object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import canonical
from .array import SymArray
from .canonical import Terms
from .errors import InvalidTypeError
from .forms import hadamard_sum, matmul
from .geometry import SIGNAL_MODES, Axis, effective, layer_axis, signal_axis
from .ops import windowed_sum
from .space import TensorBlock
from .tensors import as_array
from .trace import TraceError, probe, trace

KINDS = ("correlation", "convolution", "hadamard-sum", "matrix-product", "unknown")


@dataclass(frozen=True)
class Identification:
    """What an object computes: ``kind``, its ``params``, and which tensor plays which role."""

    kind: str
    params: dict = field(default_factory=dict)
    input: str | None = None
    kernel: str | None = None
    detail: str = ""

    def explain(self) -> str:
        """One or two sentences: what it computes, and why the other readings fail."""
        x, k = self.input or "x", self.kernel or "k"
        if self.kind in ("correlation", "convolution") and "offset" in self.params:
            return (f"This is a windowed sum of products of {x} and {k} (a {self.kind}), but its windows start at "
                    f"offset {self.params['offset']} with output shape {self.params['shape']}, which matches no SciPy "
                    f"mode and no zero padding: check the loop bounds (an off-by-one?).")
        if self.kind == "correlation":
            return (f"This is a cross-correlation{_geometry(self.params)}: y[n] = sum_m {x}[n+m] {k}[m], the sum of "
                    f"element-wise products of {k} with each window of {x} (a dot product of the flattened window and "
                    f"kernel). It equals a convolution only for centro-symmetric kernels, and it is not a matrix product.")
        if self.kind == "convolution":
            return (f"This is a convolution{_geometry(self.params)}: y[n] = sum_m {x}[n-m] {k}[m], i.e. a "
                    f"cross-correlation with the kernel flipped along axes {self.params.get('flipped')}. It equals the "
                    f"correlation a CNN layer computes only for centro-symmetric kernels.")
        if self.kind == "hadamard-sum":
            return (f"This is the sum of the element-wise (Hadamard) products of {x} and {k}: sum_i {x}[i] {k}[i], "
                    f"which equals the dot product of the flattened arrays. It is not the matrix product {x}.{k}.")
        if self.kind == "matrix-product":
            return (f"This is the matrix product {x}.{k} (row times column), what np.dot computes on 2-D arrays. It is "
                    f"not the sum of element-wise products, which would be one number.")
        return "symconv cannot match this to a correlation, convolution, Hadamard sum or matrix product" + (
            f": {self.detail}" if self.detail else ".")

    def latex(self) -> str:
        name = {"correlation": r"\text{cross-correlation}", "convolution": r"\text{convolution}",
                "hadamard-sum": r"\textstyle\sum_i x_i k_i", "matrix-product": r"x\,k",
                "unknown": r"\text{unknown}"}[self.kind]
        params = ", ".join(f"\\text{{{key}}}={value}" for key, value in self.params.items())
        return name + (r"\quad(" + params + ")" if params else "")

    def __repr__(self) -> str:
        return f"Identification(kind={self.kind!r}, params={self.params}, input={self.input!r}, kernel={self.kernel!r})"


def _geometry(params) -> str:
    shown = {k: v for k, v in params.items() if k != "flipped"}
    return " (" + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")" if shown else ""


def identify(obj, *shapes_or_tensors) -> Identification:
    """What `obj` computes.

    `obj` is a SymPy expression or array or a symconv array (its tensors are
    found in its terms), or a callable given the shapes (or tensors) of its two
    arguments: traced on symbols when it accepts object arrays, probed
    numerically otherwise.

    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    >>> sc.identify(sc.convolve(x, k, "same"))
    Identification(kind='convolution', params={'mode': 'same', 'stride': (1, 1), 'dilation': (1, 1), 'flipped': (0, 1)}, input='x', kernel='k')
    >>> sc.identify(sc.matmul(sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3)))).kind
    'matrix-product'
    """
    if isinstance(obj, str):
        raise InvalidTypeError("identify() of a LaTeX string is not supported yet; expected an expression, an array or a callable")
    if callable(obj) and not isinstance(obj, SymArray):
        if len(shapes_or_tensors) != 2:
            raise InvalidTypeError(f"identify(fn, ...) needs the shapes (or tensors) of fn's two arguments; got {len(shapes_or_tensors)}")
        try:
            arr = trace(obj, *shapes_or_tensors)
        except TraceError:
            arr = probe(obj, *[getattr(s, "shape", s) for s in shapes_or_tensors])
    else:
        arr = as_array(obj, "obj")
    return classify(arr.terms)


def classify(t: Terms) -> Identification:
    """Identify a table (see :func:`identify`)."""
    blocks = [b for b in t.space.blocks if isinstance(b, TensorBlock)]
    if len(blocks) != 2 or len(t.space.blocks) != 2:
        return Identification("unknown", detail=f"it involves {len(t.space.blocks)} tensors or symbols, expected two")
    if not _bilinear(t):
        return Identification("unknown", detail="it is not bilinear (one factor from each of two tensors per term)")
    a, b = (SymArray(canonical.identity(blk.label, blk.shape)) for blk in blocks)
    names = [blk.label.name for blk in blocks]
    if not t.shape or t.size == 1:
        found = _hadamard(t, blocks)
        if found is not None:
            return found
    if all(len(blk.shape) == 2 for blk in blocks):
        for p, q, (n1, n2) in ((a, b, names), (b, a, names[::-1])):
            if p.shape[1] == q.shape[0] and _same(t, matmul(p, q).terms):
                return Identification("matrix-product", input=n1, kernel=n2)
    readings = [r for r in (_windowed(t, blocks[0], blocks[1]), _windowed(t, blocks[1], blocks[0])) if r is not None]
    if not readings:
        return Identification("unknown", detail="no correlation, convolution, Hadamard sum or matrix product matches")
    sizes = {blk.label.name: blk.size for blk in blocks}
    # prefer a match, then a standard mode, then the larger tensor as the input
    return min(readings, key=lambda r: (r.kind == "unknown", "mode" not in r.params, sizes[r.kernel] > sizes[r.input]))


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
    big = blocks[0].size >= blocks[1].size
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
    axes = []
    for a in range(r):
        fit = _fit_axis(o[a], i[a], m[a])
        if fit is None:
            return None
        start, step_out, step_k = fit
        axes.append(Axis(xb.shape[a], t.shape[a], kb.shape[a], start, step_out, step_k))
    xt, kt = canonical.identity(xb.label, xb.shape), canonical.identity(kb.label, kb.shape)
    candidate = windowed_sum(xt, kt, axes)
    if not canonical.equal(t, candidate):
        return Identification("unknown", input=xb.label.name, kernel=kb.label.name,
                              detail=f"the index pattern is that of a windowed sum of {xb.label.name} and "
                                     f"{kb.label.name}, but terms are missing or extra (e.g. an off-by-one loop bound)")
    flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
    kind = "convolution" if flipped and len(flipped) == r else "correlation"
    return Identification(kind, _describe(axes, flipped, kind), xb.label.name, kb.label.name)


def _fit_axis(o, i, m):
    """Integers ``(start, step_out, step_k)`` with ``i = start + o*step_out + m*step_k`` for every term, or None."""
    columns = [np.ones(len(i))]
    vary_o, vary_m = len(np.unique(o)) > 1, len(np.unique(m)) > 1
    if vary_o:
        columns.append(o)
    if vary_m:
        columns.append(m)
    coef, *_ = np.linalg.lstsq(np.stack(columns, axis=1).astype(float), i.astype(float), rcond=None)
    coef = np.rint(coef).astype(np.int64)
    start = int(coef[0])
    step_out = int(coef[1]) if vary_o else 1
    step_k = int(coef[-1]) if vary_m else 1
    if step_out < 1 or step_k == 0 or not np.array_equal(start + o * step_out + m * step_k, i):
        return None
    return start, step_out, step_k


def _describe(axes, flipped, kind) -> dict:
    stride = tuple(ax.step_out for ax in axes)
    dilation = tuple(abs(ax.step_k) for ax in axes)
    params: dict = {}
    flip_all = kind == "convolution"
    for mode in SIGNAL_MODES:
        for centre_up in (False, True):
            want = [signal_axis(ax.n, ax.k_len, mode=mode, stride=ax.step_out, dilation=abs(ax.step_k), flip=flip_all,
                                centre_up=centre_up) for ax in axes]
            if all((w.start, w.out_len) == (ax.start, ax.out_len) for w, ax in zip(want, axes)) and (
                    flip_all or not flipped):
                params["mode"] = mode
                if centre_up and mode == "same" and not all(
                        (w.start == v.start) for w, v in zip(want, [signal_axis(ax.n, ax.k_len, mode=mode, stride=ax.step_out,
                                                                                dilation=abs(ax.step_k), flip=flip_all)
                                                                    for ax in axes])):
                    params["boundary"] = "fill"
                break
        if "mode" in params:
            break
    pads = _padding(axes) if not flipped else None
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


def _padding(axes):
    """Per-axis ``(left, right)`` zero padding of a layer reading, or the raw offsets when none fits."""
    pads = []
    for ax in axes:
        left = -ax.start if ax.step_k > 0 else ax.start - (effective(ax.k_len, abs(ax.step_k)) - 1)
        for right in range(0, max(0, left) + abs(ax.step_k) * ax.k_len + ax.step_out + 1):
            if left >= 0 and layer_axis(ax.n, ax.k_len, stride=ax.step_out, pad=(left, right),
                                        dilation=abs(ax.step_k)).out_len == ax.out_len:
                pads.append((left, right))
                break
        else:
            return None
    if all(p == q for p, q in pads):
        return tuple(p for p, _ in pads)
    return tuple(pads)
