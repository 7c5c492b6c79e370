"""The equivalent forms, each built literally from its own definition.

None of these calls :mod:`symconv.ops`: ``hadamard_sum`` multiplies entry by
entry and adds everything up; ``dot_flat`` flattens and takes a vector dot
product; ``im2col`` gathers receptive fields into rows; ``im2col_matmul``
multiplies that matrix by the flattened filters; ``toeplitz`` places kernel
entries in a matrix.  That they agree with ``correlate``/``conv`` is then a
fact to check, not a tautology.
"""

from __future__ import annotations

from math import prod

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


def hadamard_sum(a, b) -> SymArray:
    """``sum_i a[i] * b[i]``: the element-wise (Hadamard) product, summed (Frobenius inner product).

    The seed's numbers: 4 for the deeplearning.ai window and kernel.

    >>> import symconv as sc
    >>> A = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    >>> B = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> sc.hadamard_sum(A, B)
    4
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


def dot_flat(a, b) -> SymArray:
    """``vec(a) . vec(b)``: flatten both (row-major), then the vector dot product.

    >>> import symconv as sc
    >>> a, b = sc.tensor("a", (2, 2)), sc.tensor("b", (2, 2))
    >>> sc.dot_flat(a, b)
    a[0, 0]*b[0, 0] + a[0, 1]*b[0, 1] + a[1, 0]*b[1, 0] + a[1, 1]*b[1, 1]
    """
    at, bt = as_terms(a, "a"), as_terms(b, "b")
    if at.size != bt.size:
        raise ShapeError(f"a has {at.size} entries (shape {at.shape}) and b has {bt.size} (shape {bt.shape}); "
                         f"expected the same number of entries to take vec(a) . vec(b)")
    check_terms(at.size * max(1, at.max_count() * bt.max_count()), "dot_flat")
    va, vb = _gather(at, np.arange(at.size)), _gather(bt, np.arange(bt.size))
    return _matmul_terms(va, vb)


def matmul(a, b) -> SymArray:
    """The matrix product, as ``np.dot`` computes it on 1-D and 2-D arrays.

    It is *not* the element-wise product summed -- the seed's counter-example:

    >>> import symconv as sc
    >>> A = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    >>> B = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> sc.matmul(A, B).tolist()
    [[2, 1, 2], [1, 1, 1], [1, 0, 1]]
    """
    return _matmul_terms(as_terms(a, "a"), as_terms(b, "b"))


def _matmul_terms(at, bt, names=("a", "b")) -> SymArray:
    for name, t in zip(names, (at, bt)):
        if not 1 <= len(t.shape) <= 2:
            raise ShapeError(f"{name} has shape {t.shape}; expected a 1-D or 2-D array (the matrix product, as np.dot "
                             f"computes it on 1-D and 2-D arrays)")
    rows, inner = (1, at.shape[0]) if len(at.shape) == 1 else at.shape
    inner_b, cols = (bt.shape[0], 1) if len(bt.shape) == 1 else bt.shape
    if inner != inner_b:
        raise ShapeError(f"shapes {at.shape} and {bt.shape} are not aligned: {inner} (last axis of a) != "
                         f"{inner_b} (first axis of b); expected equal inner dimensions")
    out_shape = at.shape[:-1] + bt.shape[1:]
    check_terms(rows * cols * inner * max(1, at.max_count() * bt.max_count()), "matmul")
    acc = canonical.Bilinear(out_shape, at, bt)
    t = np.arange(inner, dtype=np.int64)[None, None, :]
    c = np.arange(cols, dtype=np.int64)[None, :, None]
    step = max(1, canonical.CHUNK_TERMS // (cols * inner))
    for r0 in range(0, rows, step):  # Y[r, c] = sum_t A[r, t] * B[t, c], a block of rows at a time
        r = np.arange(r0, min(rows, r0 + step), dtype=np.int64)[:, None, None]
        shape = (len(r), cols, inner)
        o = np.broadcast_to(r * cols + c, shape).reshape(-1)
        i = np.broadcast_to(r * inner + t, shape).reshape(-1)
        j = np.broadcast_to(t * cols + c, shape).reshape(-1)
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


def windows(x, kernel_shape, *, stride=1, padding=0, dilation=1) -> SymArray:
    """The receptive fields: ``windows(x, K)[o]`` is the patch of `x` that output position `o` sees.

    `x` is ``(*spatial)``, ``(C, *spatial)`` or ``(N, C, *spatial)``; the
    result has shape ``(N?, *out, C?, *kernel_shape)``, zeros where the window
    covers padding.

    >>> import symconv as sc
    >>> w = sc.windows(sc.tensor("x", (3, 4)), (2, 2))
    >>> w.shape
    (2, 3, 2, 2)
    >>> w[1, 2].tolist()
    [[x[1, 2], x[1, 3]], [x[2, 2], x[2, 3]]]
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


def im2col(x, kernel_shape, *, stride=1, padding=0, dilation=1) -> SymMatrix:
    """The im2col matrix: one row per output position (row-major), one column per window entry.

    Columns are the window in row-major order, channel first for ``(C, *spatial)``
    input -- the transpose of ``torch.nn.functional.unfold``.  For batched
    input ``(N, C, *spatial)`` the result has shape ``(N, rows, columns)``.

    >>> import symconv as sc
    >>> sc.im2col(sc.tensor("x", (2, 3)), (2, 2)).tolist()
    [[x[0, 0], x[0, 1], x[1, 0], x[1, 1]], [x[0, 1], x[0, 2], x[1, 1], x[1, 2]]]
    """
    fields = windows(x, kernel_shape, stride=stride, padding=padding, dilation=dilation)
    n = len(check_shape(kernel_shape, "kernel_shape"))
    batched = fields.ndim == 2 * n + 2
    lead = fields.shape[:1] if batched else ()
    out_sp = fields.shape[len(lead): len(lead) + n]
    shape = lead + (prod(out_sp), prod(fields.shape[len(lead) + n:]))
    flat = fields.reshape(shape)
    return flat if batched else SymMatrix(flat.terms)


def im2col_matmul(x, w, *, stride=1, padding=0, dilation=1) -> SymArray:
    """The layer as one matrix product: ``im2col(x) . W_row^T``, reshaped to the output shape.

    ``x`` is ``(C, *spatial)`` with ``w`` of shape ``(C_out, C, *kernel)``
    (result ``(C_out, *out)``), or ``x`` is ``(*spatial)`` with ``w`` of shape
    ``(*kernel)``, any number of spatial axes (result ``(*out)``).  ``W_row``
    holds one flattened filter per row, as in cs231n's ``np.dot(W_row, X_col)``.

    >>> import symconv as sc
    >>> A = [[1,1,1,0,0],[0,1,1,1,0],[0,0,1,1,1],[0,0,1,1,0],[0,1,1,0,0]]
    >>> B = [[1,0,1],[0,1,0],[1,0,1]]
    >>> sc.im2col_matmul(A, B).tolist()
    [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    """
    xt, wt = as_terms(x, "x"), as_terms(w, "w")
    check_nonempty(wt.shape, "w", "im2col_matmul")
    check_nonempty(xt.shape, "x", "im2col_matmul")
    if len(wt.shape) == len(xt.shape) >= 1:
        kernel, c_out, out_channel_axis = wt.shape, 1, False
    elif len(wt.shape) == len(xt.shape) + 1 and len(wt.shape) >= 3:
        kernel, c_out, out_channel_axis = wt.shape[2:], wt.shape[0], True
        if wt.shape[1] != xt.shape[0]:
            raise ShapeError(f"w has shape {wt.shape} (C_out, C_in, *kernel) but x has {xt.shape[0]} channels "
                             f"(x.shape={xt.shape}); expected w.shape[1] == {xt.shape[0]}")
    else:
        raise ShapeError(f"x has shape {xt.shape} and w has shape {wt.shape}; expected x (C, *spatial) with w "
                         f"(C_out, C, *kernel), or x (*spatial) with w (*kernel)")
    cols = im2col(SymArray(xt), kernel, stride=stride, padding=padding, dilation=dilation)
    w_row = _gather(wt, np.arange(wt.size).reshape(c_out, -1))
    product = matmul(cols, _gather(w_row, np.arange(w_row.size).reshape(w_row.shape).T))  # (P, C_out)
    out_sp = windows_shape(xt.shape, kernel, stride, padding, dilation)
    grid = np.arange(product.terms.size).reshape(product.shape).T.reshape((c_out,) + out_sp)
    return SymArray(_gather(product.terms, grid if out_channel_axis else grid[0]))


def windows_shape(shape, kernel, stride, padding, dilation):
    """Spatial output shape of the windows of an input of `shape`."""
    _, axes = _window_axes(shape, kernel, stride, padding, dilation)
    return tuple(a.out_len for a in axes)


# -- Toeplitz -------------------------------------------------------------------------------
TOEPLITZ_MODES = ("valid", "same", "full", "wrap")


def toeplitz(k, input_shape, *, mode="valid", stride=1, padding=0, dilation=1) -> SymMatrix:
    """The matrix ``T`` with ``vec(correlate(x, k, mode, ...)) = T . vec(x)`` for `x` of `input_shape`.

    Row ``o`` holds the kernel entries at the input positions output ``o``
    reads (doubly block Toeplitz in 2-D).  ``padding`` zero-pads the input
    first (as a layer does); ``mode="wrap"`` gives the (block-)circulant matrix
    of ``correlate(x, k, mode="same", boundary="wrap")``.

    >>> import symconv as sc
    >>> sc.toeplitz(sc.tensor("k", (2,)), (3,)).tolist()
    [[k[0], k[1], 0], [0, k[0], k[1]]]
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
