"""The operations, each from its own definition: SciPy's `correlate`/`convolve`,
PyTorch's `conv`/`conv_transpose`.

Each builds the index triples ``(output, input, kernel)`` of its defining sum
with :mod:`symconv.geometry` and multiplies the exact tables of its operands
(:class:`symconv.canonical.Bilinear`); no operation calls another.
"""

from __future__ import annotations

import numbers
from math import prod

import numpy as np
import sympy

from . import canonical
from .array import SymArray
from .errors import InvalidArgumentError, InvalidTypeError, ShapeError, describe
from .geometry import (
    _RULE,
    PADDING_MODES,
    SIGNAL_BOUNDARIES,
    SIGNAL_MODES,
    axis_table,
    channel_flat,
    check_choice,
    check_nonempty,
    check_valid_overlap,
    effective,
    is_int,
    layer_axis,
    layer_padding,
    per_axis,
    signal_axis,
    spatial_relation,
    transposed_len,
    transposed_table,
)
from .limits import check_terms
from .tensors import as_terms, conjugate


# -- SciPy: correlate / convolve ----------------------------------------------------------
def correlate(x, k, mode="valid", *, stride=1, dilation=1, boundary=None, fillvalue=0) -> SymArray:
    """Cross-correlation ``y[n] = sum_m x[n + m] * k[m]`` -- what ``scipy.signal.correlate`` computes.

    Any rank (``x`` and ``k`` have the same number of axes).  ``mode`` is
    ``"valid"``, ``"same"`` or ``"full"``; ``stride=s`` keeps ``y[s*n]``;
    ``dilation=d`` spaces the kernel taps ``d`` apart.  Giving ``boundary``
    (``"fill"``, ``"wrap"``, ``"symm"``) and ``fillvalue`` switches to
    ``scipy.signal.correlate2d``'s semantics, including its centring of even
    kernels in ``"same"`` mode.

    The seed's 3x3 window: one output, the sum of the element-wise products.

    >>> import symconv as sc
    >>> A = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    >>> B = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> sc.correlate(A, B).tolist()
    [[4]]
    >>> x, k = sc.tensor("x", (4,)), sc.tensor("k", (2,))
    >>> sc.correlate(x, k, stride=2).tolist()
    [k[0]*x[0] + k[1]*x[1], k[0]*x[2] + k[1]*x[3]]
    """
    return _signal_op(x, k, mode, stride, dilation, boundary, fillvalue, flip=False)


def convolve(x, k, mode="valid", *, stride=1, dilation=1, boundary=None, fillvalue=0) -> SymArray:
    """Convolution ``y[n] = sum_m x[n - m] * k[m]`` -- what ``scipy.signal.convolve`` computes.

    Options as :func:`correlate` (``boundary``/``fillvalue`` as
    ``scipy.signal.convolve2d``).  The seed's example:

    >>> import symconv as sc
    >>> A = [[1,1,1,0,0],[0,1,1,1,0],[0,0,1,1,1],[0,0,1,1,0],[0,1,1,0,0]]
    >>> B = [[1,0,1],[0,1,0],[1,0,1]]
    >>> sc.convolve(A, B, "valid").tolist()
    [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> sc.convolve(x, k).tolist()
    [k[0]*x[1] + k[1]*x[0], k[0]*x[2] + k[1]*x[1]]
    """
    return _signal_op(x, k, mode, stride, dilation, boundary, fillvalue, flip=True)


def _signal_op(x, k, mode, stride, dilation, boundary, fillvalue, *, flip) -> SymArray:
    xt, kt = as_terms(x, "x"), as_terms(k, "k")
    what = "convolve" if flip else "correlate"
    n = len(xt.shape)
    if len(kt.shape) != n:
        raise ShapeError(f"k has shape {kt.shape} but x has shape {xt.shape}; expected the same number of axes")
    check_nonempty(xt.shape, "x", what)
    check_nonempty(kt.shape, "k", what)
    check_choice(mode, "mode", SIGNAL_MODES)
    stride = per_axis(stride, n, "stride", minimum=1)
    dilation = per_axis(dilation, n, "dilation", minimum=1)
    if boundary is not None:
        check_choice(boundary, "boundary", SIGNAL_BOUNDARIES)
    fill = _check_fillvalue(fillvalue, boundary)
    if fill != 0 and boundary is None:  # fillvalue is correlate2d's option: its default boundary is "fill"
        boundary = "fill"
    if boundary is not None:
        _check_2d_options(xt, kt, mode, boundary, fill, flip)
    if mode == "valid":
        check_valid_overlap(xt.shape, [effective(nk, d) for nk, d in zip(kt.shape, dilation)], kt.shape, dilation)
    if not flip:
        kt = conjugate(kt, "k", "correlate conjugates its second input, as scipy.signal.correlate does")
    axes = [signal_axis(nx, nk, mode=mode, stride=s, dilation=d, flip=flip,
                        centre_up=boundary is not None and not flip, rule=_RULE[boundary or "fill"])
            for nx, nk, s, d in zip(xt.shape, kt.shape, stride, dilation)]
    out_shape = tuple(a.out_len for a in axes)
    _check_size(prod(out_shape) * prod(kt.shape), xt, kt, what, prod(out_shape))
    # 'valid' reads no boundary value: the taps outside a smaller x (SciPy's swap) are absent, not fillvalue
    return SymArray(windowed_sum(xt, kt, axes, 0 if mode == "valid" else fill))


def windowed_sum(xt, kt, axes, fill=0):
    """``y[o] = sum_m x[start + o*step_out + m*step_k] * k[m]`` over the axes' geometry, as a table.

    The index triples are made a slab of output rows at a time (bounded temporary memory).
    """
    out_shape = tuple(a.out_len for a in axes)
    acc = canonical.Bilinear(out_shape, xt, kt, fill=fill)
    tables = [axis_table(a) for a in axes]
    if not tables:  # two scalars
        acc.add(*spatial_relation(tables, xt.shape))
        return acc.result()
    row = prod(out_shape[1:]) * prod(t.shape[1] for t in tables)
    rows = max(1, canonical.CHUNK_TERMS // max(1, row))
    for r0 in range(0, out_shape[0], rows):
        o, i, m = spatial_relation([tables[0][r0:r0 + rows]] + tables[1:], xt.shape)
        acc.add(o + r0 * prod(out_shape[1:]), i, m)
    return acc.result()


def _check_fillvalue(fillvalue, boundary):
    if isinstance(fillvalue, (list, tuple, np.ndarray)):  # scipy.signal.correlate2d takes a one-element array
        if np.size(fillvalue) != 1:
            raise InvalidArgumentError(f"fillvalue={describe(fillvalue)} has {np.size(fillvalue)} elements; expected a "
                                       f"number (or an array with one element, as scipy.signal.correlate2d)")
        fillvalue = np.asarray(fillvalue, dtype=object).reshape(-1)[0]
    if isinstance(fillvalue, bool) or not (isinstance(fillvalue, numbers.Number) or
                                             (isinstance(fillvalue, sympy.Basic) and fillvalue.is_number)):
        raise InvalidTypeError(f"fillvalue={describe(fillvalue)} is not a number; expected a number such as 0")
    if not (isinstance(fillvalue, sympy.Basic) or np.isfinite(complex(fillvalue))) or (
            isinstance(fillvalue, sympy.Basic) and fillvalue.has(sympy.S.NaN, sympy.S.Infinity, sympy.S.NegativeInfinity, sympy.S.ComplexInfinity)):
        raise InvalidArgumentError(f"fillvalue={describe(fillvalue)} is not finite; expected a finite number such as 0")
    if fillvalue != 0 and boundary not in (None, "fill"):
        raise InvalidArgumentError(f"fillvalue={describe(fillvalue)} applies only with boundary='fill'; got boundary={boundary!r}")
    return fillvalue


def _is_complex_number(value) -> bool:
    if isinstance(value, sympy.Basic):
        return value.is_real is False
    return isinstance(value, (complex, np.complexfloating))


def _has_complex(t) -> bool:
    """Whether a table holds complex coefficients or symbols declared complex."""
    if t.space.complex_symbol() is not None:
        return True
    if t.coef is None or t.coef.dtype.kind in "biuf":
        return False
    return t.coef.dtype.kind == "c" or any(_is_complex_number(c) for c in t.coef)


def _check_2d_options(xt, kt, mode, boundary, fill, flip) -> None:
    """What correlate2d/convolve2d refuse, and the one case where their answer is not correlate's."""
    if not xt.shape:
        raise ShapeError(f"boundary={boundary!r} (with fillvalue={describe(fill)}) needs arrays with axes to pad; "
                         f"x and k are scalars; expected no boundary or fillvalue for scalars")
    if _is_complex_number(fill) and not (_has_complex(xt) or _has_complex(kt)):
        raise InvalidArgumentError(f"fillvalue={describe(fill)} is complex but x and k are real; expected a real "
                                   f"fillvalue (scipy.signal.correlate2d refuses it too)")
    swapped = mode == "valid" and any(nk > nx for nx, nk in zip(xt.shape, kt.shape))
    if swapped and not flip and (_has_complex(xt) or _has_complex(kt)):
        raise InvalidArgumentError(
            f"boundary={boundary!r} asks for scipy.signal.correlate2d, which in mode='valid' with the larger input second "
            f"returns the conjugate of the cross-correlation for complex data (scipy.signal.correlate does not); "
            f"expected no boundary (mode='valid' reads no boundary value), which gives correlate's definition")


def _check_size(n_products: int, xt, kt, what: str, out_size: int | None = None) -> None:
    worst = xt.max_count() * kt.max_count()
    space = xt.space.size + kt.space.size
    int64_keys = out_size is None or canonical.fits_int64(out_size, space + 1, xt.degree + kt.degree)
    check_terms(n_products * max(worst, 1), what, int64_keys=int64_keys)


# -- PyTorch: conv / conv_transpose -----------------------------------------------------------
def conv(x, w, bias=None, *, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros") -> SymArray:
    """What ``torch.nn.functional.conv{1,2,3}d`` computes (a cross-correlation layer).

    ``x`` is ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; ``w`` is
    ``(C_out, C_in/groups, *kernel)``; ``bias`` is ``(C_out,)``.  ``padding``
    is an int, a tuple, ``"valid"`` or ``"same"`` (the odd extra on the right,
    as PyTorch); ``padding_mode`` is ``"zeros"``, ``"reflect"``,
    ``"replicate"`` or ``"circular"`` as in ``torch.nn.Conv2d``.

    Depth is a dot product: a 1x1 layer mixes channels per pixel.

    >>> import symconv as sc
    >>> x, w = sc.tensor("x", (2, 1, 1)), sc.tensor("w", (1, 2, 1, 1))
    >>> sc.conv(x, w)[0, 0, 0]
    w[0, 0, 0, 0]*x[0, 0, 0] + w[0, 1, 0, 0]*x[1, 0, 0]
    """
    xt, wt = as_terms(x, "x"), as_terms(w, "w")
    spatial, batch, c_in = _layer_shapes(xt, wt, "conv")
    c_out, c_in_g, kernel = wt.shape[0], wt.shape[1], wt.shape[2:]
    groups = _check_groups(groups, c_in, c_out, c_in_g)
    stride = per_axis(stride, spatial, "stride", minimum=1)
    dilation = per_axis(dilation, spatial, "dilation", minimum=1)
    pads = layer_padding(padding, kernel, dilation, stride)
    check_choice(padding_mode, "padding_mode", PADDING_MODES)
    in_sp = xt.shape[-spatial:]
    _check_mode_pads(padding_mode, pads, in_sp)
    axes = [layer_axis(n, k, stride=s, pad=p, dilation=d, rule=_RULE[padding_mode])
            for n, k, s, p, d in zip(in_sp, kernel, stride, pads, dilation)]
    out_sp = _nonempty(tuple(a.out_len for a in axes), xt.shape, wt.shape, stride, padding, dilation)
    _check_size(_batches(batch) * c_out * prod(out_sp) * c_in_g * prod(kernel), xt, wt, "conv",
                _batches(batch) * c_out * prod(out_sp))
    tables = [axis_table(a) for a in axes]
    c_out_g = c_out // groups

    def w_base(co):  # flat offset of w[co, c, 0...] for c = 0..C_in/groups-1
        return (co * c_in_g + np.arange(c_in_g)) * prod(kernel)

    return _layer(xt, wt, bias, batch, c_in, c_out, c_in_g, c_out_g, out_sp, tables, w_base)


def conv_transpose(x, w, bias=None, *, stride=1, padding=0, output_padding=0, dilation=1, groups=1) -> SymArray:
    """What ``torch.nn.functional.conv_transpose{1,2,3}d`` computes.

    ``x`` is ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; ``w`` is
    ``(C_in, C_out/groups, *kernel)``.  Input position ``i`` and tap ``m``
    feed output position ``i*stride - padding + m*dilation``.

    >>> import symconv as sc
    >>> x, w = sc.tensor("x", (1, 2)), sc.tensor("w", (1, 1, 2))
    >>> sc.conv_transpose(x, w, stride=2).tolist()
    [[w[0, 0, 0]*x[0, 0], w[0, 0, 1]*x[0, 0], w[0, 0, 0]*x[0, 1], w[0, 0, 1]*x[0, 1]]]
    """
    xt, wt = as_terms(x, "x"), as_terms(w, "w")
    spatial, batch, c_in = _layer_shapes(xt, wt, "conv_transpose")
    if wt.shape[0] != c_in:
        raise ShapeError(f"w has shape {wt.shape} but x has {c_in} input channels (x.shape={xt.shape}); "
                         f"expected w.shape[0] == C_in == {c_in} for conv_transpose, w = (C_in, C_out/groups, *kernel)")
    groups = _as_int_groups(groups)
    c_out_g, kernel = wt.shape[1], wt.shape[2:]
    c_out = c_out_g * groups
    groups = _check_groups(groups, c_in, c_out, None)
    c_in_g = c_in // groups
    stride = per_axis(stride, spatial, "stride", minimum=1)
    dilation = per_axis(dilation, spatial, "dilation", minimum=1)
    pads = per_axis(padding, spatial, "padding", minimum=0)
    extra = per_axis(output_padding, spatial, "output_padding", minimum=0)
    for e, s, d in zip(extra, stride, dilation):
        if e >= max(s, d):
            raise InvalidArgumentError(f"output_padding={describe(output_padding)} is too large; expected it smaller than "
                                       f"stride or dilation (stride={stride}, dilation={dilation}), as in PyTorch")
    in_sp = xt.shape[-spatial:]
    out_sp = _nonempty(tuple(transposed_len(*a) for a in zip(in_sp, kernel, stride, pads, dilation, extra)),
                       xt.shape, wt.shape, stride, padding, dilation)
    _check_size(_batches(batch) * c_out * prod(out_sp) * c_in_g * prod(kernel), xt, wt, "conv_transpose",
                _batches(batch) * c_out * prod(out_sp))
    tables = [transposed_table(n, k, stride=s, padding=p, dilation=d, output_padding=e)
              for n, k, s, p, d, e in zip(in_sp, kernel, stride, pads, dilation, extra)]

    def w_base(co):  # flat offset of w[g*C_in_g + c, co - g*C_out_g, 0...]
        g, local = divmod(co, c_out_g)
        return ((g * c_in_g + np.arange(c_in_g)) * c_out_g + local) * prod(kernel)

    return _layer(xt, wt, bias, batch, c_in, c_out, c_in_g, c_out_g, out_sp, tables, w_base)


def _batches(batch) -> int:
    """How many samples: ``batch`` is ``None`` for input without a batch axis (one sample), else its size (maybe 0)."""
    return 1 if batch is None else batch


def _layer(xt, wt, bias, batch, c_in, c_out, c_in_g, c_out_g, out_sp, tables, w_base) -> SymArray:
    """Sum over the channels of a group and the kernel taps, output channel by output channel."""
    in_sp = xt.shape[-len(out_sp):]
    n_out, n_in, n_k = prod(out_sp), prod(in_sp), prod(t.shape[1] for t in tables)
    bias_t = _check_bias(bias, c_out)
    out_shape = (() if batch is None else (batch,)) + (c_out,) + out_sp
    o_sp, i_sp, m_sp = (a.reshape(n_out, 1, n_k) for a in spatial_relation(tables, in_sp))
    channel = np.arange(c_in_g).reshape(1, c_in_g, 1)
    acc = canonical.Bilinear(out_shape, xt, wt)
    for b in range(_batches(batch)):
        for co in range(c_out):
            g = co // c_out_g
            i = channel_flat(i_sp, b * c_in + g * c_in_g + channel, n_in)
            j = w_base(co).reshape(1, c_in_g, 1) + m_sp
            o = np.broadcast_to((b * c_out + co) * n_out + o_sp, i.shape)
            acc.add(o.reshape(-1), i.reshape(-1), np.broadcast_to(j, i.shape).reshape(-1))
    result = acc.result()
    if bias_t is not None:
        total = prod(out_shape)
        dst = np.arange(total, dtype=np.int64)
        result = canonical.add(result, canonical.linear(bias_t, out_shape, dst, (dst // n_out) % c_out))
    return SymArray(result)


def _layer_shapes(xt, wt, what):
    if len(wt.shape) < 3:
        raise ShapeError(f"w has shape {wt.shape}; expected at least 3 axes for {what}: "
                         f"(C_out, C_in/groups, *kernel) -- (C_in, C_out/groups, *kernel) for conv_transpose")
    spatial = len(wt.shape) - 2
    check_nonempty(wt.shape, "w", what)
    if len(xt.shape) == spatial + 1:
        check_nonempty(xt.shape, "x", what)
        return spatial, None, xt.shape[0]
    if len(xt.shape) == spatial + 2:
        check_nonempty(xt.shape, "x", what, skip=1)
        return spatial, xt.shape[0], xt.shape[1]
    raise ShapeError(f"x has shape {xt.shape} but w has shape {wt.shape} ({spatial} spatial axes); expected x of shape "
                     f"(C_in, *spatial) or (N, C_in, *spatial) with {spatial} spatial axes")


def _as_int_groups(groups) -> int:
    if not is_int(groups):
        raise InvalidTypeError(f"groups={describe(groups)} is not an integer; expected a positive integer")
    if groups < 1:
        raise InvalidArgumentError(f"groups={groups} is too small; expected a positive integer")
    return int(groups)


def _check_groups(groups, c_in, c_out, c_in_g):
    """`groups` checked against the channels; `c_in_g` is w's channels per group (``None``: not in w)."""
    groups = _as_int_groups(groups)
    if c_in % groups or c_out % groups:
        raise ShapeError(f"groups={groups} does not divide the channels (C_in={c_in}, C_out={c_out}); "
                         f"expected groups to divide both")
    if c_in_g is not None and c_in_g * groups != c_in:
        raise ShapeError(f"w has {c_in_g} input channels per group (w.shape[1]) and groups={groups}, i.e. it expects "
                         f"C_in={c_in_g * groups}, but x has C_in={c_in}; expected them to match")
    return groups


def _check_mode_pads(mode, pads, in_sp) -> None:
    for (left, right), n in zip(pads, in_sp):
        if mode == "reflect" and max(left, right) >= n:
            raise InvalidArgumentError(f"padding={max(left, right)} is too large for padding_mode='reflect' on an axis of "
                                       f"length {n}; expected padding < {n}, as in PyTorch")
        if mode == "circular" and max(left, right) > n:
            raise InvalidArgumentError(f"padding={max(left, right)} is too large for padding_mode='circular' on an axis of "
                                       f"length {n}; expected padding <= {n}, as in PyTorch")


def _nonempty(out_sp, x_shape, w_shape, stride, padding, dilation):
    if any(s < 1 for s in out_sp):
        raise ShapeError(f"the output would be empty: x.shape={x_shape}, w.shape={w_shape}, stride={stride}, "
                         f"padding={describe(padding)}, dilation={dilation} give spatial size {out_sp}; "
                         f"expected a kernel that fits the (padded) input")
    return out_sp


def _check_bias(bias, c_out):
    if bias is None:
        return None
    bt = as_terms(bias, "bias")
    if bt.shape != (c_out,):
        raise ShapeError(f"bias has shape {bt.shape}; expected ({c_out},), one entry per output channel")
    return bt
