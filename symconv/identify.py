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
from .geometry import SIGNAL_MODES, Axis, effective, layer_axis, signal_axis, transposed_len
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
        if "channels" in self.params:
            return _explain_layer(self, x, k)
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
        if self.kind == "matrix-product" and "window" in self.params:
            h, w = self.params["window"]
            per = "each" if "windows" in self.params else "one"
            return (f"This is a matrix product of {per} {h}x{w} window of {x} with {k} (np.dot of the window and the "
                    f"kernel): a matrix per window, not the number a CNN layer computes -- that is the sum of the "
                    f"element-wise products (sc.hadamard_sum, or np.sum(window * kernel)).")
        if self.kind == "matrix-product":
            return (f"This is the matrix product {x}.{k} (row times column), what np.dot computes on 2-D arrays. It is "
                    f"not the sum of element-wise products, which would be one number.")
        return "symconv cannot match this to a correlation, convolution, Hadamard sum or matrix product" + (
            f": {self.detail}" if self.detail else ".")

    def latex(self) -> str:
        name = {"correlation": r"\text{cross-correlation}", "convolution": r"\text{convolution}",
                "hadamard-sum": r"\textstyle\sum_i x_i k_i", "matrix-product": r"x\,k",
                "unknown": r"\text{unknown}"}[self.kind]
        params = ", ".join(f"\\text{{{key.replace('_', ' ')}}}={_latex_value(value)}" for key, value in self.params.items())
        return name + (r"\quad(" + params + ")" if params else "")

    def __repr__(self) -> str:
        return f"Identification(kind={self.kind!r}, params={self.params}, input={self.input!r}, kernel={self.kernel!r})"


def _latex_value(value) -> str:
    """A parameter value in LaTeX: words upright (``\\text{valid}``), numbers and tuples as they are."""
    if isinstance(value, str):
        return r"\text{" + value + "}"
    if isinstance(value, bool):
        return r"\text{" + ("yes" if value else "no") + "}"
    return str(value).replace("'", "")


def _explain_layer(found, x, k) -> str:
    p = found.params
    n = len(p["stride"])
    c_in, c_out = p["channels"]
    shown = {key: p[key] for key in ("stride", "padding", "output_padding", "dilation", "groups") if key in p}
    geometry = ", ".join(f"{key}={value}" for key, value in shown.items())
    if p.get("transposed"):
        return (f"This is a transposed convolution layer (PyTorch's conv_transpose{n}d; {geometry}) from {c_in} to "
                f"{c_out} channels: each entry of {x} adds a copy of its kernel from {k}, scaled by the entry, to the "
                f"output at stride {p['stride']} -- the same as convolving {x} spread out by zeros with {k}.")
    flip = (" with the kernel flipped along " + _axes(p["flipped"], every=True) + ", i.e. true convolutions"
            if p.get("flipped") else ", i.e. cross-correlations (no kernel flip)")
    groups = f" in {p['groups']} groups" if "groups" in p else ""
    return (f"This is a convolution layer as PyTorch's conv{n}d computes it ({geometry}){flip}, from {c_in} to "
            f"{c_out} channels{groups}: each output channel sums, over its input channels, the element-wise products "
            f"of its kernel in {k} with each window of {x}" + (", plus its bias." if p.get("bias") else "."))


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
        except TraceError as traced:
            try:
                arr = probe(obj, *[getattr(s, "shape", s) for s in shapes_or_tensors])
            except TraceError:  # it fails on numbers too: the traced failure says more (e.g. a slice's length)
                raise traced from None
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
    if all(len(blk.shape) == 2 for blk in blocks):
        for p, q, (n1, n2) in ((a, b, names), (b, a, names[::-1])):
            if p.shape[1] == q.shape[0] and _same(t, matmul(p, q).terms):
                return Identification("matrix-product", input=n1, kernel=n2)
        found = _window_matmul(t, blocks)
        if found is not None:
            return found
    readings = [r for r in (_windowed(t, blocks[0], blocks[1]), _windowed(t, blocks[1], blocks[0])) if r is not None]
    if not readings:
        return Identification("unknown", detail="no correlation, convolution, Hadamard sum or matrix product matches")
    sizes = {blk.label.name: blk.size for blk in blocks}
    # prefer a match, then a standard mode, then the roles a reader expects (the larger, or the input-named, is the input)
    return min(readings, key=lambda r: (r.kind == "unknown", "mode" not in r.params,
                                        not input_first(r.input, r.kernel, sizes[r.input], sizes[r.kernel])))


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
    for xn in (0, 1):
        xb, kb = blocks[xn], blocks[1 - xn]
        k = SymArray(canonical.identity(kb.label, kb.shape))
        shapes = set()
        for p in np.ndindex(outer) if outer else [()]:
            sub = SymArray(t)[p].terms if p else t
            if sub.n_terms == 0:
                return None
            lo, hi = _used_box(sub, blocks, xn)
            window = SymArray(canonical.identity(xb.label, xb.shape))[tuple(slice(a, b) for a, b in zip(lo, hi))]
            if window.shape[1] != kb.shape[0] or not _same(sub, matmul(window, k).terms):
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


#: how the three tables line up with PyTorch's (N, C_out, *out), (N, C_in, *in), (C_out, C_in/g, *kernel):
#: the number of leading axes of size 1 to add to (output, x, w) -- batched, unbatched, one output channel
LAYOUTS = {"batched": (0, 0, 0), "unbatched": (1, 1, 0), "one output channel": (2, 1, 0),
           "one output channel, no channel axis in w": (2, 1, 1)}


def _layer_reading(t: Terms):
    """A PyTorch-style layer reading: ``y[n, f, o] = sum_c sum_m x[n, g(f)*C_in/g + c, ...] w[f, c, m] + b[f]``,
    batched or not, grouped or not, or its transposed form (``conv_transpose``); None when nothing fits.
    """
    tensors = [b for b in t.space.blocks if isinstance(b, TensorBlock)]
    if len(t.shape) < 1 or not 2 <= len(t.space.blocks) <= 3 or len(tensors) < 2:
        return None
    for xb in tensors:
        for wb in tensors:
            if wb is xb:
                continue
            rest = [b for b in t.space.blocks if b is not xb and b is not wb]
            bias = rest[0] if rest else None
            if isinstance(bias, TensorBlock) and len(bias.shape) != 1:
                continue
            for layout in LAYOUTS.values():
                for fit in (_layer_fit, _transposed_fit):
                    found = fit(t, xb, wb, bias, layout)
                    if found is not None:
                        return found
    return None


def _layer_terms(t: Terms, xb, wb, layout):
    """``(o, i, m, views)``: the product terms' indices in the PyTorch layout, or None when shapes do not fit."""
    lt, lx, lw = layout
    views = ((1,) * lt + t.shape, (1,) * lx + xb.shape, (1,) * lw + wb.shape)
    if not len(views[0]) == len(views[1]) == len(views[2]) >= 3 or views[0][0] != views[1][0]:
        return None
    out, mono = t.decode()
    if mono.shape[1] < 2 or not np.any(mono[:, -2] > 0):
        return None
    rows = mono[:, -2] > 0
    x_off = t.space.offsets[t.space.blocks.index(xb)]
    w_off = t.space.offsets[t.space.blocks.index(wb)]
    a, b = mono[rows, -2], mono[rows, -1]
    xs, ws = (a, b) if x_off < w_off else (b, a)
    try:
        o = np.unravel_index(out[rows], t.shape)
        i = np.unravel_index(xs - 1 - x_off, xb.shape)
        m = np.unravel_index(ws - 1 - w_off, wb.shape)
    except ValueError:
        return None
    zeros = np.zeros(len(xs), dtype=np.int64)
    return ((zeros,) * lt + o, (zeros,) * lx + i, (zeros,) * lw + m, views)


def _layer_fit(t: Terms, xb, wb, bias, layout):
    """``conv``: w is ``(C_out, C_in/g, *kernel)``."""
    found = _layer_terms(t, xb, wb, layout)
    if found is None:
        return None
    o, i, m, (t_view, x_view, w_view) = found
    c_in, c_out, c_in_g = x_view[1], t_view[1], w_view[1]
    if w_view[0] != c_out or c_in % c_in_g or c_out % (c_in // c_in_g):
        return None
    groups = c_in // c_in_g
    c_out_g = c_out // groups
    if not (np.array_equal(o[0], i[0]) and np.array_equal(o[1], m[0])
            and np.array_equal(i[1], (o[1] // c_out_g) * c_in_g + m[1])):
        return None
    fits = [_fit_axis(o[s], i[s], m[s]) for s in range(2, len(t_view))]
    if any(f is None for f in fits):
        return None
    axes = _decide_flips([Axis(x_view[s], t_view[s], w_view[s], *f) for s, f in zip(range(2, len(t_view)), fits)])
    flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
    if flipped and len(flipped) != len(axes):
        return None
    pads = _symmetric(axes, _padding(axes))
    if pads is None and all(ax.step_out == 1 for ax in axes):
        pads = "same"  # PyTorch's padding='same' pads an even extent asymmetrically (the extra on the right)
    if pads is None:
        return None
    stride = tuple(ax.step_out for ax in axes)
    dilation = tuple(abs(ax.step_k) for ax in axes)
    from .ops import conv

    def build(x, w, b):
        return conv(x, w, b, stride=stride, padding=pads, dilation=dilation, groups=groups)

    if not _layer_matches(t, xb, wb, bias, (t_view, x_view, w_view), build, flipped):
        return None
    params = {"stride": stride, "padding": pads, "dilation": dilation}
    if pads != "same" and not any(pads):
        del params["padding"]
    return _layer_identification(params, flipped, groups, (c_in, c_out), layout, x_view, bias, xb, wb)


def _transposed_fit(t: Terms, xb, wb, bias, layout):
    """``conv_transpose``: w is ``(C_in, C_out/g, *kernel)`` and output ``o = i*stride - padding + m*dilation``."""
    found = _layer_terms(t, xb, wb, layout)
    if found is None:
        return None
    o, i, m, (t_view, x_view, w_view) = found
    c_in, c_out, c_out_g = x_view[1], t_view[1], w_view[1]
    if w_view[0] != c_in or c_out % c_out_g or c_in % (c_out // c_out_g):
        return None
    groups = c_out // c_out_g
    c_in_g = c_in // groups
    if not (np.array_equal(o[0], i[0]) and np.array_equal(i[1], m[0])
            and np.array_equal(o[1], (m[0] // c_in_g) * c_out_g + m[1])):
        return None
    fits = [_fit_axis(i[s], o[s], m[s]) for s in range(2, len(t_view))]  # o as an affine map of (i, m)
    if any(f is None for f in fits) or any(f[2] is not None and f[2] < 0 for f in fits):
        return None
    stride = tuple(f[1] for f in fits)
    padding = tuple(-f[0] for f in fits)
    dilation = tuple(f[2] or 1 for f in fits)
    if min(padding) < 0:
        return None
    extra = tuple(n - transposed_len(xn, k, s, p, d, 0)
                  for n, xn, k, s, p, d in zip(t_view[2:], x_view[2:], w_view[2:], stride, padding, dilation))
    from .ops import conv_transpose

    def build(x, w, b):
        return conv_transpose(x, w, b, stride=stride, padding=padding, output_padding=extra, dilation=dilation,
                              groups=groups)

    if any(e < 0 for e in extra) or not _layer_matches(t, xb, wb, bias, (t_view, x_view, w_view), build, ()):
        return None
    params = {"transposed": True, "stride": stride, "padding": padding, "dilation": dilation}
    if any(extra):
        params["output_padding"] = extra
    if not any(padding):
        del params["padding"]
    return _layer_identification(params, tuple(range(len(stride))), groups, (c_in, c_out), layout, x_view, bias,
                                 xb, wb, transposed=True)


def _layer_matches(t, xb, wb, bias, views, build, flipped) -> bool:
    """Build the layer from its own definition (PyTorch's layout) and compare exactly with `t`."""
    from .tensors import flip

    t_view, x_view, w_view = views
    x = SymArray(canonical.identity(xb.label, xb.shape)).reshape(x_view)
    w = SymArray(canonical.identity(wb.label, wb.shape)).reshape(w_view)
    if flipped:
        w = flip(w, tuple(a + 2 for a in flipped))
    bias_arr = SymArray(canonical.identity(bias.label, bias.shape)) if isinstance(bias, TensorBlock) else None
    try:
        candidate = build(x, w, bias_arr)
    except Exception:  # a geometry the layer refuses is not this reading
        return False
    if bias is not None and not isinstance(bias, TensorBlock):
        candidate = candidate + bias.expr
    return candidate.shape == t_view and canonical.equal(t, candidate.reshape(t.shape).terms)


def _layer_identification(params, flipped, groups, channels, layout, x_view, bias, xb, wb, transposed=False):
    if flipped and not transposed:
        params["flipped"] = flipped
    if groups > 1:
        params["groups"] = groups
    params["channels"] = channels
    if layout == LAYOUTS["batched"]:
        params["batch"] = x_view[0]
    params["bias"] = bias is not None
    kind = "convolution" if flipped else "correlation"
    what = "a transposed convolution layer" if transposed else "a layer"
    return Identification(kind, params, xb.label.name, wb.label.name,
                          detail=f"{what}: channels summed, one kernel per output channel")


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
