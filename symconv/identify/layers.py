"""Readings of a table as a PyTorch layer: ``conv`` (batched or not, grouped) or ``conv_transpose``."""

from __future__ import annotations

import numpy as np

from .. import canonical
from ..array import SymArray
from ..canonical import Terms
from ..geometry import Axis, channels_last_perms, decide_flips, fit_axis, layer_padding_of, symmetric_padding, transposed_len
from ..ops import conv, conv_transpose
from ..space import TensorBlock
from ..tensors import flip
from .result import Identification
from .roles import input_first


#: how the three tables line up with PyTorch's (N, C_out, *out), (N, C_in, *in), (C_out, C_in/g, *kernel):
#: the number of leading axes of size 1 to add to (output, x, w) -- batched, unbatched, one output channel
LAYOUTS = {"batched": (0, 0, 0), "unbatched": (1, 1, 0), "one output channel": (2, 1, 0),
           "one output channel, no channel axis in w": (2, 1, 1)}
#: the layouts a channels-last layer (TensorFlow/Keras: x (N, *spatial, C_in), w (*kernel, C_in, C_out)) is read in
CHANNELS_LAST_LAYOUTS = ("batched", "unbatched")



def _layer_reading(t: Terms):
    """A PyTorch-style layer reading: ``y[n, f, o] = sum_c sum_m x[n, g(f)*C_in/g + c, ...] w[f, c, m] + b[f]``,
    batched or not, grouped or not, or its transposed form (``conv_transpose``); None when nothing fits.
    """
    tensors = [b for b in t.space.blocks if isinstance(b, TensorBlock)]
    if len(t.shape) < 1 or not 2 <= len(t.space.blocks) <= 3 or len(tensors) < 2:
        return None
    # the roles a reader expects first (the larger or input-named tensor as the input): a conv_transpose with
    # stride 2 is also a dilated conv of the kernel over the input, but nobody wrote that
    pairs = sorted(((xb, wb) for xb in tensors for wb in tensors if wb is not xb),
                   key=lambda p: not input_first(p[0].label.name, p[1].label.name, p[0].size, p[1].size))
    for xb, wb in pairs:
        rest = [b for b in t.space.blocks if b is not xb and b is not wb]
        bias = rest[0] if rest else None
        if isinstance(bias, TensorBlock) and len(bias.shape) != 1:
            continue
        for layout in LAYOUTS.values():
            for fit in (_layer_fit, _transposed_fit):
                found = fit(t, xb, wb, bias, layout)
                if found is not None:
                    return found
        for name in CHANNELS_LAST_LAYOUTS:
            found = _layer_fit(t, xb, wb, bias, LAYOUTS[name], channels_last=True)
            if found is not None:
                return found
    return None


def _layer_terms(t: Terms, xb, wb, layout, channels_last: bool = False):
    """``(o, i, m, views)``: the product terms' indices in the PyTorch layout, or None when shapes do not fit.

    With `channels_last`, the tables are read as TensorFlow's (``(N, *s, C)`` and ``(*k, C_in, C_out)``) and
    their indices and views permuted into PyTorch's order."""
    lt, lx, lw = layout
    views = ((1,) * lt + t.shape, (1,) * lx + xb.shape, (1,) * lw + wb.shape)
    if not len(views[0]) == len(views[1]) == len(views[2]) >= 3 or views[0][0] != views[1][0]:
        return None
    perms = channels_last_perms(len(views[0])) if channels_last else None
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
    found = ((zeros,) * lt + o, (zeros,) * lx + i, (zeros,) * lw + m)
    if perms is not None:
        found = tuple(tuple(idx[a] for a in perm) for idx, perm in zip(found, perms))
        views = tuple(tuple(v[a] for a in perm) for v, perm in zip(views, perms))
    return found + (views,)


def _layer_fit(t: Terms, xb, wb, bias, layout, channels_last: bool = False):
    """``conv``: w is ``(C_out, C_in/g, *kernel)`` (or, `channels_last`, ``(*kernel, C_in/g, C_out)``)."""
    found = _layer_terms(t, xb, wb, layout, channels_last)
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
    fits = [fit_axis(o[s], i[s], m[s]) for s in range(2, len(t_view))]
    if any(f is None for f in fits):
        return None
    axes = decide_flips([Axis(x_view[s], t_view[s], w_view[s], *f) for s, f in zip(range(2, len(t_view)), fits)])
    flipped = tuple(a for a, ax in enumerate(axes) if ax.step_k < 0)
    if flipped and len(flipped) != len(axes):
        return None
    pads = symmetric_padding(axes, layer_padding_of(axes))
    if pads is None and all(ax.step_out == 1 for ax in axes):
        pads = "same"  # PyTorch's padding='same' pads an even extent asymmetrically (the extra on the right)
    if pads is None:
        return None
    stride = tuple(ax.step_out for ax in axes)
    dilation = tuple(abs(ax.step_k) for ax in axes)

    def build(x, w, b):
        return conv(x, w, b, stride=stride, padding=pads, dilation=dilation, groups=groups)

    perms = channels_last_perms(len(t_view)) if channels_last else None
    if not _layer_matches(t, xb, wb, bias, (t_view, x_view, w_view), build, flipped, perms):
        return None
    params = {"stride": stride, "padding": pads, "dilation": dilation}
    if pads != "same" and not any(pads):
        del params["padding"]
    if channels_last:
        params["layout"] = "channels_last"
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
    fits = [fit_axis(i[s], o[s], m[s]) for s in range(2, len(t_view))]  # o as an affine map of (i, m)
    if any(f is None for f in fits) or any(f[2] is not None and f[2] < 0 for f in fits):
        return None
    stride = tuple(f[1] for f in fits)
    padding = tuple(-f[0] for f in fits)
    dilation = tuple(f[2] or 1 for f in fits)
    if min(padding) < 0:
        return None
    extra = tuple(n - transposed_len(xn, k, s, p, d, 0)
                  for n, xn, k, s, p, d in zip(t_view[2:], x_view[2:], w_view[2:], stride, padding, dilation))
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


def _layer_matches(t, xb, wb, bias, views, build, flipped, perms=None) -> bool:
    """Build the layer from its own definition (PyTorch's layout) and compare exactly with `t`; with `perms`
    (:func:`channels_last_perms`) the tables are channels-last and are permuted into and out of it."""
    t_view, x_view, w_view = views
    x = SymArray(canonical.identity(xb.label, xb.shape))
    w = SymArray(canonical.identity(wb.label, wb.shape))
    if perms is None:
        x, w = x.reshape(x_view), w.reshape(w_view)
    else:
        inverse = [tuple(np.argsort(p)) for p in perms]
        x = x.reshape(tuple(x_view[a] for a in inverse[1])).transpose(perms[1])
        w = w.reshape(tuple(w_view[a] for a in inverse[2])).transpose(perms[2])
    if flipped:
        w = flip(w, tuple(a + 2 for a in flipped))
    bias_arr = SymArray(canonical.identity(bias.label, bias.shape)) if isinstance(bias, TensorBlock) else None
    try:
        candidate = build(x, w, bias_arr)
    except Exception:  # a geometry the layer refuses is not this reading
        return False
    if bias is not None and not isinstance(bias, TensorBlock):
        candidate = candidate + bias.expr
    if candidate.shape != t_view:
        return False
    if perms is not None:
        candidate = candidate.transpose(tuple(int(a) for a in np.argsort(perms[0])))
    return canonical.equal(t, candidate.reshape(t.shape).terms)


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
