"""The equivalent forms, each built literally from its own definition.

None of these calls :mod:`symconv.ops`: ``hadamard_sum`` multiplies entry by
entry and adds everything up; ``dot_flat`` flattens and takes a vector dot
product; ``im2col`` gathers receptive fields into rows; ``im2col_matmul``
multiplies that matrix by the flattened filters; ``toeplitz`` places kernel
entries in a matrix.  That they agree with ``correlate``/``conv`` is then a
fact to check, not a tautology.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any, Literal

import numpy as np

from . import canonical
from .array import SymArray, SymMatrix, _gather
from .errors import ShapeError
from .geometry import (
    _RULE,
    axis_table,
    channel_flat,
    check_choice,
    check_nonempty,
    check_shape,
    check_valid_overlap,
    effective,
    layer_axis,
    layer_padding,
    per_axis,
    signal_axis,
    spatial_relation,
)
from .limits import check_terms
from .tensors import as_terms

#: An array argument: a :class:`~symconv.array.SymArray` (what :func:`symconv.tensor` and every operation return),
#: a SymPy ``Array``/``Matrix``, a NumPy array (numeric or ``dtype=object``) or nested lists; numbers and SymPy
#: expressions stand for 0-d arrays.  Every entry must be a polynomial in tensor entries and symbols.
ArrayLike = Any

def hadamard_sum(a: ArrayLike, b: ArrayLike) -> SymArray:
    """``sum_i a[i] * b[i]``: the element-wise (Hadamard) product, summed (Frobenius inner product).

    Built literally: every entry of `a` times the entry of `b` at the same
    index, all added up.  No entry is conjugated.

    Parameters
    ----------
    a, b : ArrayLike
        Arrays of equal shape (any rank).

    Returns
    -------
    SymArray
        A 0-d array: the sum (it prints as the polynomial itself).

    Raises
    ------
    ShapeError
        `a` and `b` have different shapes (or nested lists are ragged).
    InvalidArgumentError
        An input holds NaN or infinity.
    InvalidTypeError
        An input is not an array.
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow
        (see :func:`symconv.set_limits`).

    See Also
    --------
    dot_flat : the same number as ``vec(a) . vec(b)``.
    matmul : the matrix product, which is *not* this.
    correlate : each of its outputs is a windowed ``hadamard_sum``.

    Examples
    --------
    The seed's numbers: 4 for the deeplearning.ai window and kernel.

    >>> import symconv as sc
    >>> A = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    >>> B = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> sc.hadamard_sum(A, B)
    4
    >>> sc.hadamard_sum(sc.tensor("a", (2,)), sc.tensor("b", (2,)))
    a[0]*b[0] + a[1]*b[1]
    >>> sc.hadamard_sum(A, [1, 2, 3])
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: a has shape (3, 3) and b has shape (3,); expected equal shapes for an element-wise
    product
    """
    at, bt = as_terms(a, "a"), as_terms(b, "b")
    if at.shape != bt.shape:
        raise ShapeError(f"a has shape {at.shape} and b has shape {bt.shape}; expected equal shapes for an element-wise product")
    n = at.size
    check_terms(n * max(1, at.max_count() * bt.max_count()), "hadamard_sum")
    every = np.arange(n, dtype=np.int64)
    product = canonical.Bilinear(at.shape, at, bt)
    product.add(every, every, every)
    return SymArray(canonical.linear(product.result(), (), np.zeros(n, dtype=np.int64), every))


def dot_flat(a: ArrayLike, b: ArrayLike) -> SymArray:
    """``vec(a) . vec(b)``: flatten both (row-major), then the vector dot product.

    Only the numbers of entries must agree, not the shapes: a ``(2, 2)``
    array dots with a ``(4,)`` vector.  No entry is conjugated.

    Parameters
    ----------
    a, b : ArrayLike
        Arrays with the same number of entries (any shapes).

    Returns
    -------
    SymArray
        A 0-d array: ``sum_n vec(a)[n] * vec(b)[n]``.

    Raises
    ------
    ShapeError
        `a` and `b` have different numbers of entries (or nested lists are
        ragged).
    InvalidArgumentError
        An input holds NaN or infinity.
    InvalidTypeError
        An input is not an array.
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow
        (see :func:`symconv.set_limits`).

    See Also
    --------
    hadamard_sum : the same number without flattening.

    Examples
    --------
    >>> import symconv as sc
    >>> a, b = sc.tensor("a", (2, 2)), sc.tensor("b", (2, 2))
    >>> sc.dot_flat(a, b)
    a[0, 0]*b[0, 0] + a[0, 1]*b[0, 1] + a[1, 0]*b[1, 0] + a[1, 1]*b[1, 1]
    >>> sc.dot_flat(a, b) == sc.hadamard_sum(a, b)
    True
    >>> sc.dot_flat(a, sc.tensor("v", (4,)))
    a[0, 0]*v[0] + a[0, 1]*v[1] + a[1, 0]*v[2] + a[1, 1]*v[3]
    """
    at, bt = as_terms(a, "a"), as_terms(b, "b")
    if at.size != bt.size:
        raise ShapeError(f"a has {at.size} entries (shape {at.shape}) and b has {bt.size} (shape {bt.shape}); "
                         f"expected the same number of entries to take vec(a) . vec(b)")
    check_terms(at.size * max(1, at.max_count() * bt.max_count()), "dot_flat")
    va, vb = _gather(at, np.arange(at.size)), _gather(bt, np.arange(bt.size))
    return _matmul_terms(va, vb)


def matmul(a: ArrayLike, b: ArrayLike) -> SymArray:
    """The matrix product, as ``np.dot`` computes it on 1-D and 2-D arrays.

    ``y[r, c] = sum_t a[r, t] * b[t, c]``; a 1-D `a` is a row, a 1-D `b` a
    column, and that axis is dropped from the result (two vectors give
    their dot product).

    Parameters
    ----------
    a : ArrayLike
        A 1-D or 2-D array.
    b : ArrayLike
        A 1-D or 2-D array whose first axis has the length of `a`'s last.

    Returns
    -------
    SymArray
        A :class:`~symconv.array.SymMatrix` ``(rows, cols)`` when both are
        2-D, else a 1-D or 0-d :class:`~symconv.array.SymArray`.

    Raises
    ------
    ShapeError
        An input is not 1-D or 2-D, or the inner dimensions differ (or
        nested lists are ragged).
    InvalidArgumentError
        An input holds NaN or infinity.
    InvalidTypeError
        An input is not an array.
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow
        (see :func:`symconv.set_limits`).

    See Also
    --------
    hadamard_sum : the element-wise product summed, which this is not.
    im2col_matmul : a layer as one matrix product.

    Examples
    --------
    It is *not* the element-wise product summed -- the seed's counter-example:

    >>> import symconv as sc
    >>> A = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    >>> B = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> sc.matmul(A, B).tolist()
    [[2, 1, 2], [1, 1, 1], [1, 0, 1]]
    >>> sc.hadamard_sum(A, B)
    4
    >>> sc.matmul(sc.tensor("A", (2, 2)), [1, 2]).tolist()
    [A[0, 0] + 2*A[0, 1], A[1, 0] + 2*A[1, 1]]
    >>> sc.matmul([1, 2], [3, 4])
    11
    >>> sc.matmul(A, [1, 2])
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: shapes (3, 3) and (2,) are not aligned: 3 (last axis of a) != 2 (first axis of b);
    expected equal inner dimensions
    """
    return _matmul_terms(as_terms(a, "a"), as_terms(b, "b"))


def _matmul_terms(at, bt, names=("a", "b"), *, b_rows=False) -> SymArray:
    """``at @ bt``; with `b_rows` (2-D `bt` only), `bt` holds the columns of the right factor as its rows, so the
    product is ``at @ bt.T`` read straight from `bt` (im2col's windows are rows)."""
    for name, t in zip(names, (at, bt)):
        if not 1 <= len(t.shape) <= 2:
            raise ShapeError(f"{name} has shape {t.shape}; expected a 1-D or 2-D array (the matrix product, as np.dot "
                             f"computes it on 1-D and 2-D arrays)")
    rows, inner = (1, at.shape[0]) if len(at.shape) == 1 else at.shape
    inner_b, cols = (bt.shape[0], 1) if len(bt.shape) == 1 else bt.shape[::-1] if b_rows else bt.shape
    if inner != inner_b:
        raise ShapeError(f"shapes {at.shape} and {bt.shape} are not aligned: {inner} (last axis of a) != "
                         f"{inner_b} (first axis of b); expected equal inner dimensions")
    out_shape = at.shape[:-1] + ((cols,) if b_rows else bt.shape[1:])
    check_terms(rows * cols * inner * max(1, at.max_count() * bt.max_count()), "matmul")
    acc = canonical.Bilinear(out_shape, at, bt)
    t = np.arange(inner, dtype=np.int64)[None, None, :]
    c = np.arange(cols, dtype=np.int64)[None, :, None]
    if cols * inner <= canonical.CHUNK_TERMS:  # row r is row 0 moved by r * cols outputs and r * inner entries of a
        acc.reserve(rows * cols * inner)
        o = np.broadcast_to(c, (1, cols, inner)).reshape(-1)
        acc.add_translated(o, np.broadcast_to(t, (1, cols, inner)).reshape(-1),
                           np.broadcast_to(c * inner + t if b_rows else t * cols + c, (1, cols, inner)).reshape(-1),
                           [(r * cols, r * inner, 0) for r in range(rows)])
        return (SymMatrix if len(out_shape) == 2 else SymArray)(acc.result())
    step = max(1, canonical.CHUNK_TERMS // (cols * inner))
    for r0 in range(0, rows, step):  # Y[r, c] = sum_t A[r, t] * B[t, c], a block of rows at a time
        r = np.arange(r0, min(rows, r0 + step), dtype=np.int64)[:, None, None]
        shape = (len(r), cols, inner)
        o = np.broadcast_to(r * cols + c, shape).reshape(-1)
        i = np.broadcast_to(r * inner + t, shape).reshape(-1)
        j = np.broadcast_to(c * inner + t if b_rows else t * cols + c, shape).reshape(-1)
        acc.add(o, i, j)
    return (SymMatrix if len(out_shape) == 2 else SymArray)(acc.result())


# -- receptive fields ------------------------------------------------------------------------
def _window_axes(shape, kernel_shape, stride, padding, dilation):
    kernel_shape = check_shape(kernel_shape, "kernel_shape", allow_empty=False)
    n = len(kernel_shape)
    if len(shape) not in (n, n + 1, n + 2):
        raise ShapeError(f"x has shape {shape} and kernel_shape={kernel_shape}; expected x of shape (*spatial), "
                         f"(C, *spatial) or (N, C, *spatial) with {n} spatial axes")
    stride = per_axis(stride, n, "stride", minimum=1)
    dilation = per_axis(dilation, n, "dilation", minimum=1)
    pads = layer_padding(padding, kernel_shape, dilation, stride)
    spatial = shape[len(shape) - n:]
    axes = [layer_axis(s, k, stride=st, pad=p, dilation=d) for s, k, st, p, d in zip(spatial, kernel_shape, stride, pads, dilation)]
    if any(a.out_len < 1 for a in axes):
        raise ShapeError(f"no window fits: x has spatial shape {spatial}, kernel_shape={kernel_shape}, stride={stride}, "
                         f"padding={padding!r}, dilation={dilation}; expected a kernel that fits the (padded) input")
    return kernel_shape, axes


def windows(x: ArrayLike, kernel_shape: int | Sequence[int], *, stride: int | Sequence[int] = 1,
            padding: int | Sequence[int] | Literal["valid", "same"] = 0,
            dilation: int | Sequence[int] = 1) -> SymArray:
    """The receptive fields: ``windows(x, K)[o]`` is the patch of `x` that output position `o` sees.

    `x` is ``(*spatial)``, ``(C, *spatial)`` or ``(N, C, *spatial)``; the
    result has shape ``(N?, *out, C?, *kernel_shape)``, zeros where the window
    covers padding.

    The windows are those of :func:`conv` with the same `stride`, `padding`
    and `dilation`: window ``o`` starts at ``o*stride - pad_left`` and takes
    every ``dilation``-th entry.

    Parameters
    ----------
    x : ArrayLike
        ``(*spatial)``, ``(C, *spatial)`` or ``(N, C, *spatial)``; how many
        axes are spatial is ``len(kernel_shape)``.
    kernel_shape : int or sequence of int
        The window's spatial shape (positive integers, at least one axis).
    stride : int or sequence of int, default 1
        Per spatial axis, at least 1: the step between windows.
    padding : int, sequence of int, "valid" or "same", default 0
        Per spatial axis, at least 0: zeros added on both sides, as a
        layer's ``padding`` (``"same"``, only with stride 1, pads
        ``dilation*(k-1)`` in total, the odd one on the right).
    dilation : int or sequence of int, default 1
        Per spatial axis, at least 1: the spacing of the window's taps.

    Returns
    -------
    SymArray
        ``(N?, *out, C?, *kernel_shape)``, ``out`` as in
        :func:`output_shape`.

    Raises
    ------
    ShapeError
        `x` has neither ``len(kernel_shape)`` axes nor one or two more, or
        no window fits the (padded) input.
    InvalidArgumentError
        `kernel_shape` is empty or has a non-positive entry, `stride` or
        `dilation` is smaller than 1, `padding` is negative, a per-axis
        tuple has the wrong length, or ``padding="same"`` comes with a
        stride other than 1.
    UnknownOptionError
        `padding` is a string other than ``"valid"`` or ``"same"``.
    InvalidTypeError
        `x` is not an array, or `kernel_shape`, `stride`, `padding` or
        `dilation` is not an integer (or tuple of integers).
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow.

    See Also
    --------
    im2col : the windows as the rows of a matrix.

    Examples
    --------
    >>> import symconv as sc
    >>> w = sc.windows(sc.tensor("x", (3, 4)), (2, 2))
    >>> w.shape
    (2, 3, 2, 2)
    >>> w[1, 2].tolist()
    [[x[1, 2], x[1, 3]], [x[2, 2], x[2, 3]]]
    >>> sc.windows(sc.tensor("x", (3, 3)), (2, 2), padding=1)[0, 0].tolist()
    [[0, 0], [0, x[0, 0]]]
    >>> sc.windows(sc.tensor("x", (5,)), 2, stride=2, dilation=2).tolist()
    [[x[0], x[2]], [x[2], x[4]]]
    >>> sc.windows(sc.tensor("x", (2, 3, 3)), (2, 2)).shape          # (*out, C, *kernel)
    (2, 2, 2, 2, 2)
    """
    xt = as_terms(x, "x")
    kernel_shape, axes = _window_axes(xt.shape, kernel_shape, stride, padding, dilation)
    n = len(kernel_shape)
    lead = xt.shape[: len(xt.shape) - n]
    spatial = xt.shape[len(xt.shape) - n:]
    out_sp = tuple(a.out_len for a in axes)
    n_out, n_k, n_sp = prod(out_sp), prod(kernel_shape), prod(spatial)
    batch, channels = (lead[0], lead[1]) if len(lead) == 2 else (1, lead[0] if lead else 1)
    check_terms(batch * n_out * channels * n_k * max(1, xt.max_count()), "windows")
    _, i_sp, _ = spatial_relation([axis_table(a) for a in axes], spatial)
    i_sp = i_sp.reshape(n_out, 1, n_k)
    c = np.arange(channels, dtype=np.int64).reshape(1, channels, 1)
    src = np.concatenate([channel_flat(i_sp, b * channels + c, n_sp).reshape(-1) for b in range(batch)])
    shape = lead[:1] * (len(lead) == 2) + out_sp + lead[-1:] * bool(lead) + kernel_shape
    return SymArray(canonical.linear(xt, shape, np.arange(len(src), dtype=np.int64), src))


def im2col(x: ArrayLike, kernel_shape: int | Sequence[int], *, stride: int | Sequence[int] = 1,
           padding: int | Sequence[int] | Literal["valid", "same"] = 0,
           dilation: int | Sequence[int] = 1) -> SymMatrix | SymArray:
    """The im2col matrix: one row per output position (row-major), one column per window entry.

    Columns are the window in row-major order, channel first for ``(C, *spatial)``
    input -- the transpose of ``torch.nn.functional.unfold``.  For batched
    input ``(N, C, *spatial)`` the result has shape ``(N, rows, columns)``.

    `kernel_shape` is spatial only; the channels come from `x`.  Entries
    where a window covers padding are 0.

    Parameters
    ----------
    x : ArrayLike
        ``(*spatial)``, ``(C, *spatial)`` or ``(N, C, *spatial)``; how many
        axes are spatial is ``len(kernel_shape)``.
    kernel_shape : int or sequence of int
        The window's spatial shape (positive integers, at least one axis).
    stride : int or sequence of int, default 1
        Per spatial axis, at least 1: the step between windows.
    padding : int, sequence of int, "valid" or "same", default 0
        Per spatial axis, at least 0: zeros added on both sides, as a
        layer's ``padding`` (``"same"``, only with stride 1, pads
        ``dilation*(k-1)`` in total, the odd one on the right).
    dilation : int or sequence of int, default 1
        Per spatial axis, at least 1: the spacing of the window's taps.

    Returns
    -------
    SymMatrix or SymArray
        A :class:`~symconv.array.SymMatrix` of shape
        ``(prod(out), C * prod(kernel_shape))`` (``C = 1`` without a channel
        axis); for batched `x` a 3-D :class:`~symconv.array.SymArray`
        ``(N, prod(out), C * prod(kernel_shape))``.

    Raises
    ------
    ShapeError
        `x` has neither ``len(kernel_shape)`` axes nor one or two more, or
        no window fits the (padded) input.
    InvalidArgumentError
        `kernel_shape` is empty or has a non-positive entry, `stride` or
        `dilation` is smaller than 1, `padding` is negative, a per-axis
        tuple has the wrong length, or ``padding="same"`` comes with a
        stride other than 1.
    UnknownOptionError
        `padding` is a string other than ``"valid"`` or ``"same"``.
    InvalidTypeError
        `x` is not an array, or `kernel_shape`, `stride`, `padding` or
        `dilation` is not an integer (or tuple of integers).
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow.

    See Also
    --------
    windows : the same entries, one sub-tensor per output position.
    im2col_matmul : the layer as ``im2col(x) . W_row^T``.

    Examples
    --------
    >>> import symconv as sc
    >>> sc.im2col(sc.tensor("x", (2, 3)), (2, 2)).tolist()
    [[x[0, 0], x[0, 1], x[1, 0], x[1, 1]], [x[0, 1], x[0, 2], x[1, 1], x[1, 2]]]
    >>> cols = sc.im2col(sc.tensor("x", (2, 2, 3)), (2, 2))      # two channels, channel first
    >>> cols.shape
    (2, 8)
    >>> cols.tolist()[0]
    [x[0, 0, 0], x[0, 0, 1], x[0, 1, 0], x[0, 1, 1], x[1, 0, 0], x[1, 0, 1], x[1, 1, 0], x[1, 1, 1]]
    >>> sc.im2col(sc.tensor("x", (3, 3)), (2, 2), padding="same").shape
    (9, 4)
    """
    fields = windows(x, kernel_shape, stride=stride, padding=padding, dilation=dilation)
    n = len(check_shape(kernel_shape, "kernel_shape"))
    batched = fields.ndim == 2 * n + 2
    lead = fields.shape[:1] if batched else ()
    out_sp = fields.shape[len(lead): len(lead) + n]
    shape = lead + (prod(out_sp), prod(fields.shape[len(lead) + n:]))
    flat = fields.reshape(shape)
    return flat if batched else SymMatrix(flat.terms)


def im2col_matmul(x: ArrayLike, w: ArrayLike, *, stride: int | Sequence[int] = 1,
                  padding: int | Sequence[int] | Literal["valid", "same"] = 0,
                  dilation: int | Sequence[int] = 1, channels: bool | None = None) -> SymArray:
    """The layer as one matrix product: ``im2col(x) . W_row^T``, reshaped to the output shape.

    ``x`` is ``(C, *spatial)`` with ``w`` of shape ``(C_out, C, *kernel)``
    (result ``(C_out, *out)``), or ``x`` is ``(*spatial)`` with ``w`` of shape
    ``(*kernel)``, any number of spatial axes (result ``(*out)``).  ``W_row``
    holds one flattened filter per row, as in cs231n's ``np.dot(W_row, X_col)``.

    Built from :func:`im2col` and :func:`matmul`, never from
    :func:`correlate` or :func:`conv`; it equals ``conv(x, w, ...)`` (and,
    without channels, ``correlate(x, w)``) as a fact to check.  Which of the
    two forms is meant is read from the numbers of axes, and there is no
    batch axis: pass one sample at a time.  A call that could be either --
    ``x`` of shape ``(N, C, H, W)`` with ``w`` of shape ``(C_out, C, kh, kw)``,
    a batch with layer weights or one correlation over all four axes -- is
    refused unless ``channels=False`` says it is the correlation.

    Parameters
    ----------
    x : ArrayLike
        ``(C, *spatial)`` or ``(*spatial)``; no axis may be empty.
    w : ArrayLike
        ``(C_out, C, *kernel)`` for ``(C, *spatial)`` input, or ``(*kernel)``
        with as many axes as `x`; no axis may be empty.
    stride : int or sequence of int, default 1
        Per spatial axis, at least 1: the step between windows.
    padding : int, sequence of int, "valid" or "same", default 0
        Per spatial axis, at least 0: zeros added on both sides, as a
        layer's ``padding`` (``"same"``, only with stride 1, pads
        ``dilation*(k-1)`` in total, the odd one on the right).
    dilation : int or sequence of int, default 1
        Per spatial axis, at least 1: the spacing of the window's taps.
    channels : bool or None, default None
        ``False``: `x` and `w` of the same rank are one correlation over all
        axes; ``None``: read from the shapes, refusing the ambiguous case.

    Returns
    -------
    SymArray
        ``(C_out, *out)`` or ``(*out)``, ``out`` as in :func:`output_shape`.

    Raises
    ------
    ShapeError
        An axis is empty, `w` does not fit `x` (``w.shape[1]`` is not `x`'s
        channel count, or the numbers of axes fit neither form), or no
        window fits the (padded) input.
    InvalidArgumentError
        `stride` or `dilation` is smaller than 1, `padding` is negative, a
        per-axis tuple has the wrong length, ``padding="same"`` comes with a
        stride other than 1, or an input holds NaN or infinity.
    UnknownOptionError
        `padding` is a string other than ``"valid"`` or ``"same"``.
    InvalidTypeError
        An input is not an array.
    NotPolynomialError
        An entry is not a polynomial.
    TooLargeError
        The result would need more terms or memory than the limits allow
        (see :func:`symconv.set_limits`).

    See Also
    --------
    im2col, matmul : its two parts.
    conv, correlate : what it equals.

    Examples
    --------
    >>> import symconv as sc
    >>> A = [[1,1,1,0,0],[0,1,1,1,0],[0,0,1,1,1],[0,0,1,1,0],[0,1,1,0,0]]
    >>> B = [[1,0,1],[0,1,0],[1,0,1]]
    >>> sc.im2col_matmul(A, B).tolist()
    [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    >>> x, w = sc.tensor("x", (2, 4, 4)), sc.tensor("w", (3, 2, 2, 2))
    >>> sc.im2col_matmul(x, w, stride=2, padding=1) == sc.conv(x, w, stride=2, padding=1)
    True
    >>> sc.im2col_matmul(x, sc.tensor("w", (3, 3, 2, 2)))
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: w has shape (3, 3, 2, 2) (C_out, C_in, *kernel) but x has 2 channels (x.shape=(2, 4, 4));
    expected w.shape[1] == 2
    """
    xt, wt = as_terms(x, "x"), as_terms(w, "w")
    check_nonempty(wt.shape, "w", "im2col_matmul")
    check_nonempty(xt.shape, "x", "im2col_matmul")
    if len(wt.shape) == len(xt.shape) >= 1:
        if channels is None and len(xt.shape) >= 3 and xt.shape[1] == wt.shape[1]:
            raise ShapeError(f"x has shape {xt.shape} and w has shape {wt.shape}: a batch (N, C, *spatial) with layer "
                             f"weights (C_out, C, *kernel), or one correlation over all {len(xt.shape)} axes? expected "
                             f"channels=False for the correlation, or one sample x[n] of shape (C, *spatial) for the "
                             f"layer (im2col_matmul takes one sample at a time)")
        if channels:
            raise ShapeError(f"channels=True needs w with one axis more than x (C_out, C, *kernel for x (C, *spatial)); "
                             f"got x {xt.shape} and w {wt.shape}; for a batch, call im2col_matmul on each sample x[n]")
        kernel, c_out, out_channel_axis = wt.shape, 1, False
    elif len(wt.shape) == len(xt.shape) + 1 and len(wt.shape) >= 3:
        kernel, c_out, out_channel_axis = wt.shape[2:], wt.shape[0], True
        if wt.shape[1] != xt.shape[0]:
            raise ShapeError(f"w has shape {wt.shape} (C_out, C_in, *kernel) but x has {xt.shape[0]} channels "
                             f"(x.shape={xt.shape}); expected w.shape[1] == {xt.shape[0]}")
    else:
        raise ShapeError(f"x has shape {xt.shape} and w has shape {wt.shape}; expected x (C, *spatial) with w "
                         f"(C_out, C, *kernel), or x (*spatial) with w (*kernel)")
    cols = im2col(SymArray(xt), kernel, stride=stride, padding=padding, dilation=dilation)  # (P, K), a window a row
    w_row = canonical.reshape(wt, (c_out, cols.shape[1]))  # (C_out, K), one flattened filter a row
    # (C_out, P): cs231n's np.dot(W_row, X_col), X_col = cols.T (its columns read as the rows of cols)
    product = _matmul_terms(w_row, cols.terms, ("w", "the im2col matrix"), b_rows=True)
    out_sp = windows_shape(xt.shape, kernel, stride, padding, dilation)
    return SymArray(canonical.reshape(product.terms, ((c_out,) if out_channel_axis else ()) + out_sp))


def windows_shape(shape, kernel, stride, padding, dilation):
    """Spatial output shape of the windows of an input of `shape`."""
    _, axes = _window_axes(shape, kernel, stride, padding, dilation)
    return tuple(a.out_len for a in axes)


# -- Toeplitz -------------------------------------------------------------------------------
TOEPLITZ_MODES = ("valid", "same", "full", "wrap")


def toeplitz(k: ArrayLike, input_shape: int | Sequence[int], *,
             mode: Literal["valid", "same", "full", "wrap"] = "valid", stride: int | Sequence[int] = 1,
             padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1) -> SymMatrix:
    """The matrix ``T`` with ``vec(correlate(x, k, mode, ...)) = T . vec(x)`` for `x` of `input_shape`.

    Row ``o`` holds the kernel entries at the input positions output ``o``
    reads (doubly block Toeplitz in 2-D).  ``padding`` zero-pads the input
    first (as a layer does); ``mode="wrap"`` gives the (block-)circulant matrix
    of ``correlate(x, k, mode="same", boundary="wrap")``.

    Built by placing kernel entries, never by calling :func:`correlate`.
    Rows and columns are in row-major order; in ``"valid"`` mode the kernel
    may be the larger input, as in :func:`correlate`.

    Parameters
    ----------
    k : ArrayLike
        The kernel, with as many axes as `input_shape`.
    input_shape : int or sequence of int
        The shape of the `x` that ``T`` multiplies (positive integers, at
        least one axis).
    mode : {"valid", "same", "full", "wrap"}, default "valid"
        As :func:`correlate`'s `mode`; ``"wrap"`` is ``"same"`` with
        periodic boundary.
    stride : int or sequence of int, default 1
        Per axis, at least 1: keeps the outputs ``y[s*n]``, as in
        :func:`correlate`.
    padding : int or sequence of int, default 0
        Per axis, at least 0: zeros added on both sides of `x` first (not
        with ``mode="wrap"``).
    dilation : int or sequence of int, default 1
        Per axis, at least 1: the spacing of the kernel taps.

    Returns
    -------
    SymMatrix
        ``(prod(out), prod(input_shape))``, ``out`` the shape of the
        correlation.

    Raises
    ------
    ShapeError
        `k` has not as many axes as `input_shape`, `padding` is combined
        with ``mode="wrap"``, the kernel does not fit in `mode` (in
        ``"valid"``, neither is at least as large as the other on every
        axis), or nested lists are ragged.
    UnknownOptionError
        `mode` is not one of its choices.
    InvalidArgumentError
        `input_shape` is empty or has a non-positive entry, `stride` or
        `dilation` is smaller than 1, `padding` is negative, or a per-axis
        tuple has the wrong length.
    InvalidTypeError
        `k` is not an array, or `input_shape`, `stride`, `padding` or
        `dilation` is not an integer (or tuple of integers).
    NotPolynomialError
        An entry of `k` is not a polynomial.
    TooLargeError
        The matrix would need more terms or memory than the limits allow.

    See Also
    --------
    correlate : what ``T . vec(x)`` equals.

    Examples
    --------
    >>> import symconv as sc
    >>> sc.toeplitz(sc.tensor("k", (2,)), (3,)).tolist()
    [[k[0], k[1], 0], [0, k[0], k[1]]]
    >>> sc.toeplitz(sc.tensor("k", (2,)), (3,), mode="full").tolist()
    [[k[1], 0, 0], [k[0], k[1], 0], [0, k[0], k[1]], [0, 0, k[0]]]
    >>> sc.toeplitz(sc.tensor("k", (2,)), (3,), mode="wrap").tolist()
    [[k[0], k[1], 0], [0, k[0], k[1]], [k[1], 0, k[0]]]

    The defining identity, checked exactly on a 2-D input:

    >>> import sympy
    >>> x, k = sc.tensor("x", (3, 3)), sc.tensor("k", (2, 2))
    >>> T = sc.toeplitz(k, (3, 3))
    >>> T.shape
    (4, 9)
    >>> sympy.Matrix(T) * sympy.Matrix(x.reshape((9,))) == sympy.Matrix(sc.correlate(x, k).reshape((4,)))
    True
    """
    kt = as_terms(k, "k")
    input_shape = check_shape(input_shape, "input_shape", allow_empty=False)
    n = len(input_shape)
    if len(kt.shape) != n:
        raise ShapeError(f"k has shape {kt.shape} but input_shape={input_shape}; expected the same number of axes")
    check_choice(mode, "mode", TOEPLITZ_MODES)
    stride = per_axis(stride, n, "stride", minimum=1)
    dilation = per_axis(dilation, n, "dilation", minimum=1)
    pads = per_axis(padding, n, "padding", minimum=0)
    if mode == "wrap" and any(pads):
        raise ShapeError(f"padding={padding!r} does not combine with mode='wrap'; expected padding=0")
    if mode == "valid":
        padded = tuple(size + 2 * p for size, p in zip(input_shape, pads))
        check_valid_overlap(padded, [effective(nk, d) for nk, d in zip(kt.shape, dilation)], kt.shape, dilation,
                            "input_shape=" if not any(pads) else "the padded input_shape ")
    axes = []
    for size, nk, s, d, p in zip(input_shape, kt.shape, stride, dilation, pads):
        signal_mode = "same" if mode == "wrap" else mode
        axis = signal_axis(size, nk, mode=signal_mode, stride=s, dilation=d, flip=False, centre_up=mode == "wrap",
                           rule=_RULE["wrap" if mode == "wrap" else "fill"], pad=(p, p))
        if axis.out_len < 1:
            raise ShapeError(f"in mode={mode!r} the kernel (shape {kt.shape}, dilation {dilation}) does not fit "
                             f"input_shape={input_shape} with padding={padding!r}; expected a smaller kernel or another mode")
        axes.append(axis)
    out = prod(a.out_len for a in axes)
    cols = prod(input_shape)
    check_terms(out * kt.size, "toeplitz")
    o, i, m = spatial_relation([axis_table(a) for a in axes], input_shape)
    return SymMatrix(canonical.linear(kt, (out, cols), np.where(i < 0, -1, o * cols + i), np.where(i < 0, -1, m)))
