"""`identify`: say what an expression, an array or a function computes, by exact comparison.

The candidate readings -- a correlation or convolution with some geometry, a
Hadamard sum, a matrix product -- get their parameters from the structure of
the object's terms (which input index meets which kernel index in which
output), never from names; each candidate is then built from its own
definition and compared exactly with the object.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import sympy

from . import canonical
from .array import SymArray
from .canonical import Terms
from .errors import InvalidTypeError
from .forms import hadamard_sum, matmul
from .formula import Formula
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
    formula: object = field(default=None, compare=False)   # the Formula read, for LaTeX input
    reading: dict = field(default_factory=dict, compare=False)

    def explain(self) -> str:
        """One or two sentences: what it computes, and why the other readings fail."""
        if self.formula is not None:
            from .identify_formula import explain_formula

            return explain_formula(self)
        x, k = self.input or "x", self.kernel or "k"
        if self.kind in ("correlation", "convolution") and "offset" in self.params:
            return (f"This is a windowed sum of products of {x} and {k} (a {self.kind}), but its windows start at "
                    f"offset {self.params['offset']} with output shape {self.params['shape']}, which matches no SciPy "
                    f"mode and no zero padding: check the loop bounds (an off-by-one?).")
        if self.kind == "correlation" and self.params.get("flipped"):
            flipped = self.params["flipped"]
            rest = tuple(a for a in range(len(self.params["stride"])) if a not in flipped)
            return (f"This is a cross-correlation along {_axes(rest)} and a convolution along {_axes(flipped)}"
                    f"{_geometry(self.params)}: the kernel {k} is flipped along {_axes(flipped)} only, so it is neither "
                    f"what a CNN layer computes (no flip) nor a true convolution (flipped along every axis).")
        if self.kind == "correlation":
            return (f"This is a cross-correlation{_geometry(self.params)}: y[n] = sum_m {x}[n+m] {k}[m], the sum of "
                    f"element-wise products of {k} with each window of {x} (a dot product of the flattened window and "
                    f"kernel). It equals a convolution only for centro-symmetric kernels, and it is not a matrix product.")
        if self.kind == "convolution":
            return (f"This is a convolution{_geometry(self.params)}: y[n] = sum_m {x}[n-m] {k}[m], i.e. a "
                    f"cross-correlation with the kernel flipped along {_axes(self.params.get('flipped', ()), every=True)}. "
                    f"It equals the correlation a CNN layer computes only for centro-symmetric kernels.")
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


def _axes(axes, every=False) -> str:
    """``axis 1``, ``axes 0 and 2``, or ``every axis``."""
    axes = tuple(axes)
    if every and len(axes) > 1 and axes == tuple(range(len(axes))):
        return "every axis"
    if len(axes) == 1:
        return f"axis {axes[0]}"
    return "axes " + ", ".join(str(a) for a in axes[:-1]) + f" and {axes[-1]}"


def _geometry(params) -> str:
    shown = {k: v for k, v in params.items() if k != "flipped"}
    return " (" + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")" if shown else ""


def identify(obj, *shapes_or_tensors) -> Identification:
    """What `obj` computes.

    `obj` is a SymPy expression or array or a symconv array (its tensors are
    found in its terms), or a callable given the shapes (or tensors) of its two
    arguments: traced on symbols when it accepts object arrays, probed
    numerically otherwise.  A LaTeX string (or a SymPy formula with ``Sum`` and ``Indexed``) is read
    with :func:`parse_latex` and compared exactly at two sets of concrete sizes.

    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    >>> sc.identify(sc.convolve(x, k, "same"))
    Identification(kind='convolution', params={'mode': 'same', 'stride': (1, 1), 'dilation': (1, 1), 'flipped': (0, 1)}, input='x', kernel='k')
    >>> sc.identify(sc.matmul(sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3)))).kind
    'matrix-product'
    """
    if isinstance(obj, (str, sympy.Equality, Formula)) or (isinstance(obj, sympy.Expr) and any(
            not i.is_Integer for e in obj.atoms(sympy.Indexed) for i in e.indices)):
        from .identify_formula import identify_formula

        if shapes_or_tensors:
            raise InvalidTypeError("identify(formula) takes no shapes: the formula's indices fix them")
        return identify_formula(obj)
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
    layer = _layer_reading(t)
    if layer is not None:
        return layer
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
    # prefer a match, then a standard mode, then the roles a reader expects (the larger, or the input-named, is the input)
    return min(readings, key=lambda r: (r.kind == "unknown", "mode" not in r.params,
                                        not input_first(r.input, r.kernel, sizes[r.input], sizes[r.kernel])))


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


#: names people give kernels and inputs (lower case), the tie-breaker of the roles after the sizes
KERNEL_NAMES = {"k", "w", "h", "g", "b", "c", "kernel", "filter", "filters", "weight", "weights", "mask"}
INPUT_NAMES = {"x", "i", "a", "f", "s", "u", "v", "input", "image", "img", "signal", "data", "inp"}


def input_first(a: str, b: str, size_a: int, size_b: int) -> bool:
    """Whether `a` (not `b`) reads as the input: the larger extent, else the name people give an input.

    >>> input_first("k", "x", 1, 1), input_first("x", "k", 1, 1), input_first("h", "x", 9, 3)
    (False, True, True)
    """
    if size_a != size_b:
        return size_a > size_b
    kernel_a, kernel_b = a.lower() in KERNEL_NAMES, b.lower() in KERNEL_NAMES
    input_a, input_b = a.lower() in INPUT_NAMES, b.lower() in INPUT_NAMES
    if (input_a and not input_b) or (kernel_b and not kernel_a):
        return True
    if (input_b and not input_a) or (kernel_a and not kernel_b):
        return False
    return a <= b


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
    fits = [_fit_axis(o[a], i[a], m[a]) for a in range(r)]
    if any(f is None for f in fits):
        return None
    axes = _decide_flips([Axis(xb.shape[a], t.shape[a], kb.shape[a], *fit) for a, fit in enumerate(fits)])
    xt, kt = canonical.identity(xb.label, xb.shape), canonical.identity(kb.label, kb.shape)
    candidate = windowed_sum(xt, kt, axes)
    if not canonical.equal(t, candidate):
        return Identification("unknown", input=xb.label.name, kernel=kb.label.name,
                              detail=f"the index pattern is that of a windowed sum of {xb.label.name} and "
                                     f"{kb.label.name}, but terms are missing or extra (e.g. an off-by-one loop bound)")
    flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
    kind = "convolution" if flipped and len(flipped) == r else "correlation"
    return Identification(kind, _describe(axes, flipped, kind), xb.label.name, kb.label.name)


def _decide_flips(axes):
    """Axes whose kernel index never varies (a kernel axis of size 1) are flipped and unflipped at once:
    they take the reading of the axes that decide it (flipped when every deciding axis is)."""
    deciding = [ax for ax in axes if ax.step_k is not None]
    flip = bool(deciding) and all(ax.step_k < 0 for ax in deciding)
    return [ax if ax.step_k is not None else dataclasses.replace(ax, step_k=-1 if flip else 1) for ax in axes]


def _fit_axis(o, i, m):
    """Integers ``(start, step_out, step_k)`` with ``i = start + o*step_out + m*step_k`` for every term, or None.

    ``step_k`` is None when the kernel index never varies on this axis: then no term tells a flip.
    """
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
    step_k = int(coef[-1]) if vary_m else None
    if step_out < 1 or step_k == 0 or not np.array_equal(start + o * step_out + m * (step_k or 0), i):
        return None
    return start, step_out, step_k


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
    pads = _padding(axes) if not flipped else None  # the PyTorch padding of a layer reading (no flip)
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
        left = -ax.start if ax.step_k > 0 else (effective(ax.k_len, abs(ax.step_k)) - 1) - ax.start
        # the padding a user writes first: symmetric when it gives the same output (the right pad may go unread)
        rights = [left] + [r for r in range(0, max(0, left) + abs(ax.step_k) * ax.k_len + ax.step_out + 1) if r != left]
        for right in rights:
            if left >= 0 and layer_axis(ax.n, ax.k_len, stride=ax.step_out, pad=(left, right),
                                        dilation=abs(ax.step_k)).out_len == ax.out_len:
                pads.append((left, right))
                break
        else:
            return None
    if all(p == q for p, q in pads):
        return tuple(p for p, _ in pads)
    return tuple(pads)


def _layer_reading(t: Terms):
    """A PyTorch-style layer reading (channels first, one group): ``y[f, o] = sum_c sum_m x[c, ...] w[f, c, m] + b``.

    Returns None unless the table has an input ``x`` of rank r, weights ``w`` of rank r + 1 and at most
    a bias (a tensor of shape ``(F,)`` or one symbol), and its product terms fit that pattern.
    """
    r = len(t.shape)
    blocks = list(t.space.blocks)
    tensors = [b for b in blocks if isinstance(b, TensorBlock)]
    xs = [b for b in tensors if len(b.shape) == r]
    ws = [b for b in tensors if len(b.shape) == r + 1]
    if len(ws) == 2 and not xs and r >= 1:  # one output channel: y[o] = sum_c sum_m x[c, ...] w[c, m] (+ b)
        t = SymArray(t).reshape((1,) + t.shape).terms
        r += 1
        for x, w in (ws, ws[::-1]):
            bias = [b for b in blocks if b is not x and b is not w]
            if len(bias) <= 1 and not (bias and isinstance(bias[0], TensorBlock)):
                found = _layer_fit(t, x, w, bias[0] if bias else None, single=True)
                if found is not None:
                    return found
        return None
    if r < 2 or len(xs) < 1 or len(ws) != 1:
        return None
    w = ws[0]
    rest = [b for b in blocks if b is not w]
    for x in xs:
        bias = [b for b in rest if b is not x]
        if len(bias) > 1 or (bias and isinstance(bias[0], TensorBlock) and bias[0].shape != (w.shape[0],)):
            continue
        found = _layer_fit(t, x, w, bias[0] if bias else None)
        if found is not None:
            return found
    return None


def _layer_fit(t: Terms, xb: TensorBlock, wb: TensorBlock, bias, single: bool = False):
    from .ops import conv
    from .tensors import flip

    r = len(t.shape)
    w_shape = (1,) + wb.shape if single else wb.shape
    if xb.shape[0] != w_shape[1] or t.shape[0] != w_shape[0]:
        return None
    out, mono = t.decode()
    pairs = mono[:, -2:] if mono.shape[1] >= 2 else None
    if pairs is None or not np.any(pairs[:, 0] > 0):
        return None
    prod_rows = pairs[:, 0] > 0
    x_off = t.space.offsets[t.space.blocks.index(xb)]
    w_off = t.space.offsets[t.space.blocks.index(wb)]
    a, b = pairs[prod_rows, 0], pairs[prod_rows, 1]
    xs, ws = (a, b) if x_off < w_off else (b, a)
    o = np.unravel_index(out[prod_rows], t.shape)
    try:
        i = np.unravel_index(xs - 1 - x_off, xb.shape)
        m = np.unravel_index(ws - 1 - w_off, w_shape)
    except ValueError:
        return None
    if not (np.array_equal(o[0], m[0]) and np.array_equal(i[0], m[1])):
        return None
    axes = []
    for s in range(1, r):
        fit = _fit_axis(o[s], i[s], m[s + 1])
        if fit is None:
            return None
        axes.append(Axis(xb.shape[s], t.shape[s], w_shape[s + 1], *fit))
    axes = _decide_flips(axes)
    flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
    if flipped and len(flipped) != len(axes):
        return None
    pads = _symmetric(axes, _padding(axes))
    if pads is None and all(ax.step_out == 1 for ax in axes):
        pads = "same"  # PyTorch's padding='same' pads an even extent asymmetrically (the extra on the right)
    if pads is None:
        return None
    x = SymArray(canonical.identity(xb.label, xb.shape))
    w = SymArray(canonical.identity(wb.label, wb.shape)).reshape(w_shape)
    if flipped:
        w = flip(w, tuple(a + 2 for a in flipped))
    stride = tuple(ax.step_out for ax in axes)
    dilation = tuple(abs(ax.step_k) for ax in axes)
    bias_arr = SymArray(canonical.identity(bias.label, bias.shape)) if isinstance(bias, TensorBlock) else None
    try:
        candidate = conv(x, w, bias_arr, stride=stride, padding=pads, dilation=dilation)
    except Exception:  # a geometry conv refuses is not this reading
        return None
    if bias is not None and not isinstance(bias, TensorBlock):
        candidate = candidate + bias.expr
    if not canonical.equal(t, candidate.terms):
        return None
    params = {"stride": stride, "padding": pads, "dilation": dilation}
    if pads != "same" and not any(pads):
        del params["padding"]
    if flipped:
        params["flipped"] = flipped
    params["channels"] = (xb.shape[0], w_shape[0])
    params["bias"] = bias is not None
    kind = "convolution" if flipped else "correlation"
    return Identification(kind, params, xb.label.name, wb.label.name,
                          detail="a layer: channels summed, one kernel per output channel")


def _symmetric(axes, pads):
    """The per-axis PyTorch ``padding`` (one number per axis) with the geometry of `pads`, or None."""
    if pads is None:
        return None
    out = []
    for ax, p in zip(axes, pads):
        left = p if isinstance(p, int) else p[0]
        if layer_axis(ax.n, ax.k_len, stride=ax.step_out, pad=(left, left), dilation=abs(ax.step_k)).out_len != ax.out_len:
            return None
        out.append(left)
    return tuple(out)
