"""The operations, each from its own definition: SciPy's `correlate`/`convolve`,
PyTorch's `conv`/`conv_transpose`.

Each builds the index triples ``(output, input, kernel)`` of its defining sum
with :mod:`symconv.geometry` and multiplies the exact tables of its operands
(:class:`symconv.canonical.Bilinear`); no operation calls another.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from math import prod
from typing import Any, Literal

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

#: An array argument: a :class:`~symconv.array.SymArray` (what :func:`symconv.tensor` and every operation return),
#: a SymPy ``Array``/``Matrix``, a NumPy array (numeric or ``dtype=object``) or nested lists; numbers and SymPy
#: expressions stand for 0-d arrays.  Every entry must be a polynomial in tensor entries and symbols.
ArrayLike = Any

# -- SciPy: correlate / convolve ----------------------------------------------------------
def correlate(x: ArrayLike, k: ArrayLike, mode: Literal["valid", "same", "full"] = "valid", *,
              stride: int | Sequence[int] = 1, dilation: int | Sequence[int] = 1,
              boundary: Literal["fill", "wrap", "symm"] | None = None, fillvalue: Any = 0) -> SymArray:
    """Cross-correlation ``y[n] = sum_m x[n + m] * k[m]`` -- what ``scipy.signal.correlate`` computes.

    Any rank (``x`` and ``k`` have the same number of axes; two scalars
    multiply).  ``mode`` is ``"valid"``, ``"same"`` or ``"full"``;
    ``stride=s`` keeps ``y[s*n]``; ``dilation=d`` spaces the kernel taps ``d``
    apart.  Giving ``boundary`` (``"fill"``, ``"wrap"``, ``"symm"``) and
    ``fillvalue`` switches to ``scipy.signal.correlate2d``'s semantics,
    including its centring of even kernels in ``"same"`` mode.

    As in ``scipy.signal.correlate``, the second input is conjugated for
    complex data, and in ``"valid"`` mode the larger input may come second
    (SciPy then swaps the two, gh-5897).  Built from its own definition; it
    never calls :func:`convolve`.

    Parameters
    ----------
    x : ArrayLike
        The input, of any rank; no axis may be empty.
    k : ArrayLike
        The kernel, with as many axes as `x`; no axis may be empty.  Its
        complex numbers are conjugated; complex *symbols*
        (``tensor(..., real=False)``) are refused, since their conjugate is
        not represented.
    mode : {"valid", "same", "full"}, default "valid"
        Which part of the full correlation is kept, per axis: ``"valid"``
        the ``|N - K| + 1`` entries where one input lies wholly inside the
        other (``K`` the dilated kernel extent ``d*(k-1) + 1``), ``"same"``
        the ``N`` entries centred on the full result, ``"full"`` all
        ``N + K - 1`` entries of the overlap.
    stride : int or sequence of int, default 1
        Per axis (one int for all axes), at least 1: ``stride=s`` keeps every
        s-th entry of the unit-stride result, starting at the first
        (``y_s[n] = y[s*n]``).
    dilation : int or sequence of int, default 1
        Per axis, at least 1: the spacing of the kernel taps.
    boundary : {"fill", "wrap", "symm"} or None, default None
        ``None`` is ``scipy.signal.correlate`` (zeros outside `x`).  Any
        other value gives ``scipy.signal.correlate2d``'s semantics (here on
        arrays of any rank >= 1): the input is extended by `fillvalue`
        (``"fill"``), periodically (``"wrap"``) or by mirroring with the edge
        repeated (``"symm"``), and even kernels are centred in ``"same"``
        mode as ``correlate2d`` centres them.  ``"valid"`` mode reads no
        boundary value.
    fillvalue : number, default 0
        The value outside `x` with ``boundary="fill"`` (a finite number, or
        an array holding one, as ``correlate2d`` takes it).  A nonzero
        `fillvalue` without `boundary` means ``boundary="fill"``.

    Returns
    -------
    SymArray
        The correlation, entries expanded polynomials; along each axis
        ``ceil(L / stride)`` entries, ``L`` the length `mode` gives.

    Raises
    ------
    ShapeError
        `x` and `k` have different numbers of axes, an axis is empty, in
        ``"valid"`` mode neither input is at least as large as the other on
        every axis, `boundary` (or a nonzero `fillvalue`) is given for two
        scalars, or nested lists are ragged.
    UnknownOptionError
        `mode` or `boundary` is not one of its choices (an
        :class:`InvalidArgumentError`).
    InvalidArgumentError
        `stride` or `dilation` is smaller than 1 or has the wrong number of
        entries; `fillvalue` is not finite, has more than one element, is
        nonzero with a `boundary` other than ``"fill"``, or is complex while
        `x` and `k` are real; `k` holds complex symbols; `boundary` is given
        in ``"valid"`` mode with the larger input second and complex data
        (where ``correlate2d`` differs from ``correlate``); an input holds
        NaN or infinity.
    InvalidTypeError
        An input is not an array, `stride`/`dilation` are not integers, or
        `fillvalue` is not a number.
    NotPolynomialError
        An entry is not a polynomial (``sin(a)``, ``1/x``).
    TooLargeError
        The result would need more terms or memory than the limits allow
        (see :func:`symconv.set_limits`).

    See Also
    --------
    convolve : the same with the kernel reversed.
    conv : the deep-learning layer (PyTorch semantics).
    im2col_matmul, toeplitz, hadamard_sum : the equivalent forms.

    Examples
    --------
    The seed's 3x3 window: one output, the sum of the element-wise products.

    >>> import symconv as sc
    >>> A = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    >>> B = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> sc.correlate(A, B).tolist()
    [[4]]
    >>> x, k = sc.tensor("x", (4,)), sc.tensor("k", (2,))
    >>> sc.correlate(x, k, stride=2).tolist()
    [k[0]*x[0] + k[1]*x[1], k[0]*x[2] + k[1]*x[3]]
    >>> sc.correlate(x, k, dilation=2).tolist()
    [k[0]*x[0] + k[1]*x[2], k[0]*x[1] + k[1]*x[3]]

    An even kernel in ``"same"`` mode: ``scipy.signal.correlate`` and
    ``correlate2d`` (any `boundary`) centre it differently.

    >>> sc.correlate(x, k, "same").tolist()
    [k[1]*x[0], k[0]*x[0] + k[1]*x[1], k[0]*x[1] + k[1]*x[2], k[0]*x[2] + k[1]*x[3]]
    >>> sc.correlate(x, k, "same", boundary="fill").tolist()
    [k[0]*x[0] + k[1]*x[1], k[0]*x[1] + k[1]*x[2], k[0]*x[2] + k[1]*x[3], k[0]*x[3]]
    >>> sc.correlate(x, k, "same", boundary="wrap").tolist()
    [k[0]*x[0] + k[1]*x[1], k[0]*x[1] + k[1]*x[2], k[0]*x[2] + k[1]*x[3], k[0]*x[3] + k[1]*x[0]]

    The larger input second, and the kernel conjugated, as SciPy:

    >>> sc.correlate([1, 2], [0, 1, 2, 3]).tolist()
    [8, 5, 2]
    >>> complex(sc.correlate([1], [2j])[0])
    -2j
    >>> sc.correlate([[1, 2, 3]], [[1], [1]])
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: in mode='valid' one input must be at least as large as the other on every axis: ...
    """
    return _signal_op(x, k, mode, stride, dilation, boundary, fillvalue, flip=False)


def convolve(x: ArrayLike, k: ArrayLike, mode: Literal["valid", "same", "full"] = "valid", *,
             stride: int | Sequence[int] = 1, dilation: int | Sequence[int] = 1,
             boundary: Literal["fill", "wrap", "symm"] | None = None, fillvalue: Any = 0) -> SymArray:
    """Convolution ``y[n] = sum_m x[n - m] * k[m]`` -- what ``scipy.signal.convolve`` computes.

    Options as :func:`correlate` (``boundary``/``fillvalue`` as
    ``scipy.signal.convolve2d``).  Unlike :func:`correlate`, the kernel is
    not conjugated (so complex symbols are accepted).  Built from its own
    definition: it never calls :func:`correlate` or :func:`flip`, and that
    ``convolve(x, k) == correlate(x, flip(k))`` is a fact to check.

    Parameters
    ----------
    x : ArrayLike
        The input, of any rank; no axis may be empty.
    k : ArrayLike
        The kernel, with as many axes as `x`; no axis may be empty.
    mode : {"valid", "same", "full"}, default "valid"
        Which part of the full convolution is kept, as in :func:`correlate`.
    stride : int or sequence of int, default 1
        Per axis, at least 1: keeps ``y[s*n]``.
    dilation : int or sequence of int, default 1
        Per axis, at least 1: the spacing of the kernel taps.
    boundary : {"fill", "wrap", "symm"} or None, default None
        ``None`` is ``scipy.signal.convolve``; any other value gives
        ``scipy.signal.convolve2d``'s boundary handling (on any rank >= 1).
    fillvalue : number, default 0
        The value outside `x` with ``boundary="fill"``; a nonzero
        `fillvalue` without `boundary` means ``boundary="fill"``.

    Returns
    -------
    SymArray
        The convolution, entries expanded polynomials, shaped as for
        :func:`correlate`.

    Raises
    ------
    ShapeError
        `x` and `k` have different numbers of axes, an axis is empty, in
        ``"valid"`` mode neither input is at least as large as the other on
        every axis, `boundary` is given for two scalars, or nested lists are
        ragged.
    UnknownOptionError
        `mode` or `boundary` is not one of its choices.
    InvalidArgumentError
        `stride` or `dilation` is smaller than 1 or has the wrong number of
        entries; `fillvalue` is not finite, has more than one element, is
        nonzero with a `boundary` other than ``"fill"``, or is complex while
        `x` and `k` are real; an input holds NaN or infinity.
    InvalidTypeError
        An input is not an array, `stride`/`dilation` are not integers, or
        `fillvalue` is not a number.
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow.

    See Also
    --------
    correlate : the same without reversing the kernel.
    flip : ``convolve(x, k) == correlate(x, flip(k))``.

    Examples
    --------
    The seed's example:

    >>> import symconv as sc
    >>> A = [[1,1,1,0,0],[0,1,1,1,0],[0,0,1,1,1],[0,0,1,1,0],[0,1,1,0,0]]
    >>> B = [[1,0,1],[0,1,0],[1,0,1]]
    >>> sc.convolve(A, B, "valid").tolist()
    [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> sc.convolve(x, k).tolist()
    [k[0]*x[1] + k[1]*x[0], k[0]*x[2] + k[1]*x[1]]
    >>> sc.convolve(x, k, "full").tolist()
    [k[0]*x[0], k[0]*x[1] + k[1]*x[0], k[0]*x[2] + k[1]*x[1], k[1]*x[2]]
    >>> sc.convolve(x, k) == sc.correlate(x, sc.flip(k))
    True
    >>> sc.convolve(x, k, mode="wrap")
    Traceback (most recent call last):
    ...
    symconv.errors.UnknownOptionError: mode='wrap' is not supported; expected one of 'valid', 'same', 'full'
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
def conv(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, *, stride: int | Sequence[int] = 1,
         padding: int | Sequence[int] | Literal["valid", "same"] = 0, dilation: int | Sequence[int] = 1,
         groups: int = 1, padding_mode: Literal["zeros", "reflect", "replicate", "circular"] = "zeros") -> SymArray:
    """What ``torch.nn.functional.conv{1,2,3}d`` computes (a cross-correlation layer).

    ``x`` is ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; ``w`` is
    ``(C_out, C_in/groups, *kernel)``; ``bias`` is ``(C_out,)``.  ``padding``
    is an int, a tuple, ``"valid"`` or ``"same"`` (the odd extra on the right,
    as PyTorch); ``padding_mode`` is ``"zeros"``, ``"reflect"``,
    ``"replicate"`` or ``"circular"`` as in ``torch.nn.Conv2d``.

    Output channel ``co`` at position ``o`` is ``bias[co]`` plus the sum, over
    the input channels of its group and the kernel taps ``m``, of
    ``w[co, c, m] * x_padded[c, o*stride + m*dilation]``.  Any number of
    spatial axes (1, 2, 3, ...), given by ``w``.  A zero batch (``N = 0``)
    gives an empty result, as in PyTorch.  Built from its own definition; it
    never calls :func:`correlate`.

    Parameters
    ----------
    x : ArrayLike
        The input, ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; only the
        batch axis may be empty.
    w : ArrayLike
        The filters, ``(C_out, C_in/groups, *kernel)``: at least 3 axes.
    bias : ArrayLike or None, default None
        ``(C_out,)``, added to every position of its output channel.
    stride : int or sequence of int, default 1
        Per spatial axis, at least 1.
    padding : int, sequence of int, "valid" or "same", default 0
        Per spatial axis, at least 0: the padding added on both sides.
        ``"valid"`` is 0; ``"same"`` (only with stride 1) pads
        ``dilation*(kernel-1)`` in total, the odd one on the right, as
        PyTorch.
    dilation : int or sequence of int, default 1
        Per spatial axis, at least 1: the spacing of the kernel taps.
    groups : int, default 1
        A positive integer dividing ``C_in`` and ``C_out``: channel group
        ``g`` of the output reads only channel group ``g`` of the input.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        What the padding holds, as in ``torch.nn.Conv2d``: zeros, the input
        mirrored without repeating the edge (padding < the axis' length),
        the edge repeated, or the input wrapped around (padding <= the
        axis' length).

    Returns
    -------
    SymArray
        ``(C_out, *out)``, or ``(N, C_out, *out)`` for batched `x`, with
        ``out = (n + pad_left + pad_right - dilation*(k - 1) - 1) // stride + 1``
        per axis (see :func:`output_shape`).

    Raises
    ------
    ShapeError
        `w` has fewer than 3 axes; `x` has neither ``1`` nor ``2`` more axes
        than `w` has spatial axes; an axis (other than the batch) is empty;
        `groups` does not divide the channels or ``w.shape[1] * groups`` is
        not ``C_in``; `bias` is not ``(C_out,)``; the output would be empty;
        nested lists are ragged.
    UnknownOptionError
        `padding_mode`, or `padding` given as a string, is not one of its
        choices.
    InvalidArgumentError
        `stride`, `dilation` or `groups` is smaller than 1, `padding` is
        negative, a per-axis tuple has the wrong length, ``padding="same"``
        comes with a stride other than 1, the padding is too large for
        ``"reflect"`` or ``"circular"``, or an input holds NaN or infinity.
    InvalidTypeError
        An input is not an array, or `stride`, `padding`, `dilation` or
        `groups` is not an integer (or tuple of integers).
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow.

    See Also
    --------
    conv_transpose : its transpose (the gradient with respect to `x`).
    im2col_matmul : the same layer as one matrix product.
    output_shape : the spatial output shape alone.

    Examples
    --------
    Depth is a dot product: a 1x1 layer mixes channels per pixel.

    >>> import symconv as sc
    >>> x, w = sc.tensor("x", (2, 1, 1)), sc.tensor("w", (1, 2, 1, 1))
    >>> sc.conv(x, w)[0, 0, 0]
    w[0, 0, 0, 0]*x[0, 0, 0] + w[0, 1, 0, 0]*x[1, 0, 0]

    Padding: ``"same"`` puts the odd extra on the right; ``"circular"`` wraps.

    >>> x, w = sc.tensor("x", (1, 4)), sc.tensor("w", (1, 1, 2))
    >>> sc.conv(x, w, padding="same")[0, 3]
    w[0, 0, 0]*x[0, 3]
    >>> sc.conv(x, w, padding=1, padding_mode="circular")[0, 0]
    w[0, 0, 0]*x[0, 3] + w[0, 0, 1]*x[0, 0]

    Groups keep channels apart; a zero batch is kept, as in PyTorch.

    >>> x, w = sc.tensor("x", (2, 3)), sc.tensor("w", (2, 1, 2))
    >>> sc.conv(x, w, groups=2).tolist()
    [[w[0, 0, 0]*x[0, 0] + w[0, 0, 1]*x[0, 1], w[0, 0, 0]*x[0, 1] + w[0, 0, 1]*x[0, 2]],
     [w[1, 0, 0]*x[1, 0] + w[1, 0, 1]*x[1, 1], w[1, 0, 0]*x[1, 1] + w[1, 0, 1]*x[1, 2]]]
    >>> import numpy as np
    >>> sc.conv(np.zeros((0, 4, 10)), np.ones((5, 4, 3))).shape
    (0, 5, 8)
    >>> sc.conv(x, w, groups=2, padding="same", stride=2)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: padding='same' needs stride=1 (as in PyTorch); got stride=(2,)
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


def conv_transpose(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, *, stride: int | Sequence[int] = 1,
                   padding: int | Sequence[int] = 0, output_padding: int | Sequence[int] = 0,
                   dilation: int | Sequence[int] = 1, groups: int = 1) -> SymArray:
    """What ``torch.nn.functional.conv_transpose{1,2,3}d`` computes.

    ``x`` is ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; ``w`` is
    ``(C_in, C_out/groups, *kernel)``.  Input position ``i`` and tap ``m``
    feed output position ``i*stride - padding + m*dilation``.

    Positions that fall outside ``[0, out)`` are dropped; ``bias[co]`` is
    added to output channel ``co``.  A zero batch gives an empty result, as
    in PyTorch.

    Parameters
    ----------
    x : ArrayLike
        The input, ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; only the
        batch axis may be empty.
    w : ArrayLike
        The filters, ``(C_in, C_out/groups, *kernel)``: at least 3 axes, and
        ``w.shape[0] == C_in``.
    bias : ArrayLike or None, default None
        ``(C_out,)`` with ``C_out = w.shape[1] * groups``.
    stride : int or sequence of int, default 1
        Per spatial axis, at least 1.
    padding : int or sequence of int, default 0
        Per spatial axis, at least 0: the number of entries trimmed from
        each end of the full transposed result (as in PyTorch; no strings).
    output_padding : int or sequence of int, default 0
        Per spatial axis, at least 0 and smaller than ``stride`` or
        ``dilation``: extra entries on one side of the output.
    dilation : int or sequence of int, default 1
        Per spatial axis, at least 1: the spacing of the kernel taps.
    groups : int, default 1
        A positive integer dividing ``C_in``.

    Returns
    -------
    SymArray
        ``(C_out, *out)``, or ``(N, C_out, *out)`` for batched `x`, with
        ``out = (n - 1)*stride - 2*padding + dilation*(k - 1) + 1 + output_padding``
        per axis (see :func:`output_shape` with ``transposed=True``).

    Raises
    ------
    ShapeError
        `w` has fewer than 3 axes or ``w.shape[0]`` is not ``C_in``; `x` has
        the wrong number of axes; an axis (other than the batch) is empty;
        `groups` does not divide the channels; `bias` is not ``(C_out,)``;
        the output would be empty; nested lists are ragged.
    InvalidArgumentError
        `stride`, `dilation` or `groups` is smaller than 1, `padding` or
        `output_padding` is negative, `output_padding` is not smaller than
        `stride` or `dilation`, a per-axis tuple has the wrong length, or an
        input holds NaN or infinity.
    InvalidTypeError
        An input is not an array, or `stride`, `padding`, `output_padding`,
        `dilation` or `groups` is not an integer (or tuple of integers).
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow.

    See Also
    --------
    conv : the layer it transposes.
    output_shape : the spatial output shape alone.

    Examples
    --------
    >>> import symconv as sc
    >>> x, w = sc.tensor("x", (1, 2)), sc.tensor("w", (1, 1, 2))
    >>> sc.conv_transpose(x, w, stride=2).tolist()
    [[w[0, 0, 0]*x[0, 0], w[0, 0, 1]*x[0, 0], w[0, 0, 0]*x[0, 1], w[0, 0, 1]*x[0, 1]]]
    >>> x, w = sc.tensor("x", (1, 3)), sc.tensor("w", (1, 1, 3))
    >>> sc.conv_transpose(x, w, padding=1)[0, 0]
    w[0, 0, 0]*x[0, 1] + w[0, 0, 1]*x[0, 0]
    >>> sc.conv_transpose(x, w, stride=2, output_padding=1).shape
    (1, 8)
    >>> sc.conv_transpose(x, w, output_padding=1)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: output_padding=1 is too large; expected it smaller than stride or dilation
    (stride=(1,), dilation=(1,)), as in PyTorch
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
    acc.reserve(_batches(batch) * c_out * n_out * c_in_g * n_k)
    for b in range(_batches(batch)):
        for g in range(c_out // c_out_g):
            # the channels of a group read the same inputs; output channel co is the first one's triples moved by
            # (co - first) * n_out outputs and w_base(co) - w_base(first) kernel entries
            first = g * c_out_g
            i = channel_flat(i_sp, b * c_in + g * c_in_g + channel, n_in)
            j = np.broadcast_to(w_base(first).reshape(1, c_in_g, 1) + m_sp, i.shape).reshape(-1)
            o = np.broadcast_to((b * c_out + first) * n_out + o_sp, i.shape).reshape(-1)
            moves = [w_base(co) - w_base(first) for co in range(first, first + c_out_g)]
            if all(np.all(m == m[0]) for m in moves):
                acc.add_translated(o, i.reshape(-1), j, [(n * n_out, 0, m[0]) for n, m in enumerate(moves)])
            else:
                for n, m in enumerate(moves):
                    acc.add(o + n * n_out, i.reshape(-1), j + np.broadcast_to(m.reshape(1, c_in_g, 1), i.shape).reshape(-1))
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
