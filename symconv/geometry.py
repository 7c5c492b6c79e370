"""Index geometry: the one place where output shapes, padding, stride, dilation
and window offsets are computed.

Every sliding-window operation is described per spatial axis by an
:class:`Axis` -- for output position ``o`` and kernel tap ``m`` the input
position is ``start + o * step_out + m * step_k`` -- and a boundary rule that
says what an input position outside ``[0, n)`` means.  :func:`axis_table`
turns one axis into a dense ``(out_len, k_len)`` table of input indices
(``-1`` where the position is padding); :func:`spatial_relation` combines the
axes into flat ``(output, input, kernel)`` index triples in row-major order.
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from math import prod

import numpy as np

from .errors import InvalidArgumentError, InvalidTypeError, ShapeError, describe, unknown_option

SIGNAL_MODES = ("valid", "same", "full")
SIGNAL_BOUNDARIES = ("fill", "wrap", "symm")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
# boundary rule of each option name
_RULE = {"fill": "fill", "zeros": "fill", "wrap": "wrap", "circular": "wrap",
         "symm": "symm", "reflect": "reflect", "replicate": "replicate"}


# -- validation of the common arguments -------------------------------------------
def is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_shape(shape, name: str = "shape", *, allow_empty: bool = True, minimum: int = 1) -> tuple[int, ...]:
    """A shape as a tuple of ints >= `minimum` (positive by default; 0 allows empty arrays).

    >>> check_shape((3, 3))
    (3, 3)
    >>> check_shape(4)
    (4,)
    >>> check_shape((3, 0))
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: shape=(3, 0) is not a valid shape; expected positive integers
    """
    if is_int(shape):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not all(is_int(s) for s in shape):
        raise InvalidTypeError(f"{name}={describe(shape)} is not a valid shape; expected a tuple of positive integers")
    if any(s < minimum for s in shape):
        what = "positive integers" if minimum == 1 else f"integers >= {minimum}"
        raise InvalidArgumentError(f"{name}={describe(tuple(shape))} is not a valid shape; expected {what}")
    if not shape and not allow_empty:
        raise InvalidArgumentError(f"{name}=() is not allowed here; expected at least one axis")
    return tuple(int(s) for s in shape)


def per_axis(value, n: int, name: str, *, minimum: int) -> tuple[int, ...]:
    """`value` (an int or a tuple of `n` ints, each >= `minimum`) as an `n`-tuple.

    >>> per_axis(2, 3, "stride", minimum=1)
    (2, 2, 2)
    >>> per_axis((1, 2), 3, "stride", minimum=1)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: stride=(1, 2) has 2 entries; expected an integer or a tuple of 3 integers >= 1
    """
    what = f"an integer or a tuple of {n} integers >= {minimum}"
    if is_int(value):
        value = (value,) * n
    elif isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        if len(value) != n:
            raise InvalidArgumentError(f"{name}={describe(tuple(value))} has {len(value)} entries; expected {what}")
    else:
        raise InvalidTypeError(f"{name}={describe(value)} is not valid; expected {what}")
    if any(v < minimum for v in value):
        raise InvalidArgumentError(f"{name}={describe(value if len(set(value)) > 1 else value[0])} is too small; expected {what}")
    return tuple(int(v) for v in value)


def check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise unknown_option(name, value, choices)
    return value


def effective(k: int, d: int) -> int:
    """Extent of a kernel of `k` taps spaced `d` apart."""
    return d * (k - 1) + 1


def strided_len(n: int, s: int) -> int:
    """Entries kept by ``y[::s]`` from `n`."""
    return -(-n // s)


# -- one axis ------------------------------------------------------------------------
@dataclass(frozen=True)
class Axis:
    """Input position ``start + o * step_out + m * step_k`` on an axis of length `n`."""

    n: int
    out_len: int
    k_len: int
    start: int
    step_out: int
    step_k: int
    rule: str = "fill"


def resolve(pos: np.ndarray, n: int, rule: str) -> np.ndarray:
    """Map raw positions to indices in ``[0, n)``, ``-1`` for padding.

    >>> resolve(np.arange(-3, 6), 4, "symm").tolist()
    [2, 1, 0, 0, 1, 2, 3, 3, 2]
    >>> resolve(np.arange(-3, 6), 4, "reflect").tolist()
    [3, 2, 1, 0, 1, 2, 3, 2, 1]
    >>> resolve(np.arange(-2, 6), 4, "fill").tolist()
    [-1, -1, 0, 1, 2, 3, -1, -1]
    """
    if rule == "fill":
        return np.where((pos >= 0) & (pos < n), pos, -1)
    if rule == "wrap":
        return np.mod(pos, n)
    if rule == "replicate":
        return np.clip(pos, 0, n - 1)
    if rule == "symm":
        p = np.mod(pos, 2 * n)
        return np.where(p < n, p, 2 * n - 1 - p)
    if rule == "reflect":
        if n == 1:
            return np.zeros_like(pos)
        p = np.mod(pos, 2 * n - 2)
        return np.where(p < n, p, 2 * n - 2 - p)
    raise ValueError(rule)


def axis_table(axis: Axis) -> np.ndarray:
    """Dense ``(out_len, k_len)`` table of input indices of one axis (``-1``: padding).

    Positions are computed with Python integers when they could leave int64
    (a padding or dilation of ``10**30``), then resolved into ``[0, n)``.
    """
    reach = abs(axis.start) + abs(axis.step_out) * axis.out_len + abs(axis.step_k) * axis.k_len
    dtype = np.int64 if reach < 2**62 else object
    o = np.arange(axis.out_len, dtype=np.int64).astype(dtype)[:, None]
    m = np.arange(axis.k_len, dtype=np.int64).astype(dtype)[None, :]
    return resolve(axis.start + o * axis.step_out + m * axis.step_k, axis.n, axis.rule).astype(np.int64)


def signal_axis(n, k, *, mode, stride, dilation, flip, centre_up=False, rule="fill", pad=(0, 0)) -> Axis:
    """SciPy's ``correlate`` (``flip=False``) or ``convolve`` (``flip=True``) on one axis.

    Correlation is ``y[o] = sum_m x[o + m*d + start] k[m]`` and convolution
    ``y[o] = sum_m x[o - m*d + start] k[m]``; ``start`` places the output in
    the full result: the entries where one input lies wholly inside the other
    (valid: ``|N - K| + 1`` of them, whichever is larger, as ``scipy.signal``
    does by swapping its inputs), the whole overlap (full) or its centre (same:
    ``(K-1)//2`` into the full result as ``scipy.signal`` does, ``K//2`` with
    `centre_up`, as ``scipy.signal.correlate2d`` does).  With stride ``s`` the
    output keeps every s-th entry: ``y_s[o] = y[s*o]``.  ``pad = (left, right)``
    zero-pads the input first, as a layer's ``padding`` does.  'valid' reads
    no boundary value, so its rule is always ``"fill"``.

    >>> signal_axis(5, 3, mode="same", stride=1, dilation=1, flip=False)
    Axis(n=5, out_len=5, k_len=3, start=-1, step_out=1, step_k=1, rule='fill')
    >>> signal_axis(2, 4, mode="valid", stride=1, dilation=1, flip=False)  # the kernel is the larger input
    Axis(n=2, out_len=3, k_len=4, start=-2, step_out=1, step_k=1, rule='fill')
    """
    n_in, n = n, n + pad[0] + pad[1]
    ke = effective(k, dilation)
    full = n + ke - 1
    length = {"valid": abs(n - ke) + 1, "same": n, "full": full}[mode]
    shift = {"valid": min(n, ke) - 1, "same": (ke // 2 if centre_up else (ke - 1) // 2), "full": 0}[mode]
    # shift = first output's position in the full result
    start = (shift if flip else shift - (ke - 1)) - pad[0]
    out_len = strided_len(length, stride)
    return Axis(n_in, out_len, k, start, _kept_step(stride, out_len), _kept_step(-dilation if flip else dilation, k),
                "fill" if mode == "valid" else rule)


def _kept_step(step: int, count: int) -> int:
    """`step` when more than one position uses it; else 1, so huge unused steps never reach int64 arithmetic."""
    return step if count > 1 else (1 if step > 0 else -1)


def check_valid_overlap(x_shape, k_extent, k_shape, dilation, x_name: str = "x has shape ") -> None:
    """'valid' mode needs one input at least as large as the other on every axis (``scipy.signal``'s rule).

    >>> check_valid_overlap((5, 2), (3, 3), (3, 3), (1, 1))
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: in mode='valid' one input must be at least as large as the other on every axis: x has shape (5, 2) and k has shape (3, 3); expected x >= k on every axis or k >= x on every axis (or mode='same'/'full')
    """
    if all(n >= e for n, e in zip(x_shape, k_extent)) or all(e >= n for n, e in zip(x_shape, k_extent)):
        return
    dilated = "" if all(d == 1 for d in dilation) else f" (dilated extent {tuple(k_extent)})"
    raise ShapeError(f"in mode='valid' one input must be at least as large as the other on every axis: {x_name}"
                     f"{tuple(x_shape)} and k has shape {tuple(k_shape)}{dilated}; expected x >= k on every axis or "
                     f"k >= x on every axis (or mode='same'/'full')")


def check_nonempty(shape, name: str, what: str, *, skip: int = 0) -> None:
    """Refuse an axis of size 0 (from axis `skip` on: a batch axis before it may be empty).

    >>> check_nonempty((2, 0), "k", "correlate")
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: k has shape (2, 0), with an axis of size 0; expected no empty axis for correlate
    """
    if any(s == 0 for s in shape[skip:]):
        where = "" if not skip else " after the batch axis"
        raise ShapeError(f"{name} has shape {tuple(shape)}, with an axis of size 0{where}; expected no empty axis "
                         f"for {what}")


def layer_axis(n, k, *, stride, pad, dilation, rule="fill") -> Axis:
    """PyTorch's ``conv``: input padded by ``pad = (left, right)``, then a strided, dilated window."""
    length = (n + pad[0] + pad[1] - effective(k, dilation)) // stride + 1
    return Axis(n, length, k, -pad[0], _kept_step(stride, length), _kept_step(dilation, k), rule)


def transposed_table(n, k, *, stride, padding, dilation, output_padding) -> np.ndarray:
    """Dense ``(out_len, k)`` table of ``conv_transpose``: the ``i`` with ``o = i*s - p + m*d``."""
    out_len = transposed_len(n, k, stride, padding, dilation, output_padding)
    o = np.arange(out_len, dtype=np.int64)[:, None]
    m = np.arange(k, dtype=np.int64)[None, :]
    num = o + padding - m * dilation
    i = num // stride
    return np.where((num % stride == 0) & (i >= 0) & (i < n), i, -1)


def transposed_len(n, k, stride, padding, dilation, output_padding) -> int:
    return (n - 1) * stride - 2 * padding + effective(k, dilation) + output_padding


# -- many axes -------------------------------------------------------------------------
def spatial_relation(tables, in_shape):
    """Flat ``(out, in, tap)`` triples of the axes' tables, in row-major ``(out..., tap...)`` order.

    ``in`` is ``-1`` where any axis is padding.

    >>> o, i, m = spatial_relation([np.array([[0, 1], [1, 2]])], (3,))
    >>> o.tolist(), i.tolist(), m.tolist()
    ([0, 0, 1, 1], [0, 1, 1, 2], [0, 1, 0, 1])
    """
    rank = len(tables)
    out_shape = tuple(t.shape[0] for t in tables)
    k_shape = tuple(t.shape[1] for t in tables)
    full = out_shape + k_shape
    flat_in = np.zeros(full, dtype=np.int64)
    pad = np.zeros(full, dtype=bool)
    for a, table in enumerate(tables):
        view = [1] * (2 * rank)
        view[a], view[rank + a] = table.shape
        t = table.reshape(view)
        flat_in = flat_in * in_shape[a] + t
        pad = pad | (t < 0)
    flat_in = np.where(pad, -1, flat_in).reshape(-1)
    n_out, n_k = prod(out_shape), prod(k_shape)
    o = np.repeat(np.arange(n_out, dtype=np.int64), n_k)
    m = np.tile(np.arange(n_k, dtype=np.int64), n_out)
    return o, flat_in, m


def channel_flat(i_sp, channel, n_sp):
    """Flat index of spatial position `i_sp` in channel `channel` (``-1``, padding, stays ``-1``).

    >>> channel_flat(np.array([0, -1, 3]), 2, 4).tolist()
    [8, -1, 11]
    """
    return np.where(i_sp < 0, -1, channel * n_sp + i_sp)


# -- PyTorch layer arguments ---------------------------------------------------------------
def layer_padding(padding, kernel, dilation, stride, name="padding"):
    """PyTorch's ``padding`` (int, tuple, ``"valid"``, ``"same"``) as ``(left, right)`` per axis.

    ``"same"`` pads ``d*(k-1)`` in total, the odd one on the right, as PyTorch does.

    >>> layer_padding("same", (4, 3), (1, 1), (1, 1))
    ((1, 2), (1, 1))
    """
    n = len(kernel)
    if isinstance(padding, str):
        check_choice(padding, name, ("valid", "same"))
        if padding == "valid":
            return ((0, 0),) * n
        if any(s != 1 for s in stride):
            raise InvalidArgumentError(f"{name}='same' needs stride=1 (as in PyTorch); got stride={describe(stride)}")
        total = [effective(k, d) - 1 for k, d in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in total)
    return tuple((p, p) for p in per_axis(padding, n, name, minimum=0))


def output_shape(input_shape: int | tuple[int, ...] | list[int], kernel_shape: int | tuple[int, ...] | list[int], *,
                 stride: int | tuple[int, ...] | list[int] = 1, padding: int | tuple[int, ...] | list[int] | str = 0,
                 dilation: int | tuple[int, ...] | list[int] = 1, transposed: bool = False,
                 output_padding: int | tuple[int, ...] | list[int] = 0) -> tuple[int, ...]:
    """Spatial output shape of a convolution layer (Dumoulin & Visin's arithmetic).

    ``input_shape`` and ``kernel_shape`` are spatial only.  With
    ``transposed=True`` the arguments mean what they mean for
    ``conv_transpose``.

    Per axis, with ``n`` the input length, ``k`` the kernel length, ``s``
    the stride, ``d`` the dilation and ``p`` the padding on each side:
    ``(n + 2*p - d*(k - 1) - 1) // s + 1`` for :func:`~symconv.conv` (with
    the left and right padding of ``"same"``), and
    ``(n - 1)*s - 2*p + d*(k - 1) + 1 + output_padding`` for
    :func:`~symconv.conv_transpose`.

    Parameters
    ----------
    input_shape : int or sequence of int
        The input's spatial shape (positive integers, at least one axis).
    kernel_shape : int or sequence of int
        The kernel's spatial shape, with as many axes.
    stride : int or sequence of int, default 1
        Per axis, at least 1.
    padding : int, sequence of int, "valid" or "same", default 0
        Per axis, at least 0.  The strings only without `transposed`:
        ``"valid"`` is 0, ``"same"`` (stride 1 only) pads ``d*(k - 1)`` in
        total, the odd one on the right, as PyTorch.
    dilation : int or sequence of int, default 1
        Per axis, at least 1.
    transposed : bool, default False
        Whether the layer is :func:`~symconv.conv_transpose`.
    output_padding : int or sequence of int, default 0
        Only with ``transposed=True``: per axis, at least 0 and smaller than
        the stride or the dilation, as in PyTorch.

    Returns
    -------
    tuple of int
        The output's spatial shape.

    Raises
    ------
    ShapeError
        `kernel_shape` has not as many axes as `input_shape`, or the output
        would be empty.
    InvalidArgumentError
        A shape is empty or has an entry smaller than 1; `stride` or
        `dilation` is smaller than 1; `padding` is negative; a per-axis
        tuple has the wrong length; `output_padding` is not smaller than
        the stride or the dilation, or is nonzero without `transposed`;
        ``padding="same"`` comes with a stride other than 1.
    UnknownOptionError
        `padding` is a string other than ``"valid"`` or ``"same"``.
    InvalidTypeError
        `transposed` is not a bool, or a shape, `stride`, `padding` (a string
        with `transposed`), `dilation` or `output_padding` is not an integer
        (or tuple of integers).

    See Also
    --------
    symconv.conv, symconv.conv_transpose : the layers whose shapes these are.

    Examples
    --------
    >>> output_shape((5, 5), (3, 3))
    (3, 3)
    >>> output_shape((56, 56), (3, 3), padding=1, stride=2)
    (28, 28)
    >>> output_shape((3, 3), (3, 3), stride=2, transposed=True, output_padding=1)
    (8, 8)
    >>> output_shape((5, 6), (2, 3), padding="same"), output_shape(7, 3, dilation=2)
    ((5, 6), (3,))
    >>> output_shape((2, 2), (3, 3))
    Traceback (most recent call last):
    ...
    symconv.errors.ShapeError: the output would be empty: input_shape=(2, 2), kernel_shape=(3, 3), stride=(1, 1),
    padding=0, dilation=(1, 1) give (0, 0); expected every axis >= 1
    >>> output_shape((3,), (3,), stride=2, transposed=True, output_padding=2)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: output_padding=2 is too large; expected it smaller than stride or dilation
    (stride=(2,), dilation=(1,)), as in PyTorch
    """
    if not isinstance(transposed, bool):
        raise InvalidTypeError(f"transposed={describe(transposed)} is not valid; expected True or False")
    input_shape = check_shape(input_shape, "input_shape", allow_empty=False)
    kernel_shape = check_shape(kernel_shape, "kernel_shape", allow_empty=False)
    n = len(input_shape)
    if len(kernel_shape) != n:
        raise ShapeError(f"kernel_shape={kernel_shape} has {len(kernel_shape)} axes; expected {n}, as input_shape={input_shape}")
    stride = per_axis(stride, n, "stride", minimum=1)
    dilation = per_axis(dilation, n, "dilation", minimum=1)
    if transposed:
        pads = per_axis(padding, n, "padding", minimum=0)
        extra = per_axis(output_padding, n, "output_padding", minimum=0)
        for e, s, d in zip(extra, stride, dilation):
            if e >= max(s, d):
                raise InvalidArgumentError(
                    f"output_padding={describe(output_padding)} is too large; expected it smaller than stride or dilation "
                    f"(stride={stride}, dilation={dilation}), as in PyTorch")
        shape = tuple(transposed_len(*args) for args in zip(input_shape, kernel_shape, stride, pads, dilation, extra))
    else:
        if output_padding not in (0, (0,) * n):
            raise InvalidArgumentError(f"output_padding={describe(output_padding)} applies only with transposed=True")
        pads = layer_padding(padding, kernel_shape, dilation, stride)
        shape = tuple(layer_axis(*a[:2], stride=a[2], pad=a[3], dilation=a[4]).out_len
                      for a in zip(input_shape, kernel_shape, stride, pads, dilation))
    if any(s < 1 for s in shape):
        raise ShapeError(
            f"the output would be empty: input_shape={input_shape}, kernel_shape={kernel_shape}, stride={stride}, "
            f"padding={describe(padding)}, dilation={dilation} give {shape}; expected every axis >= 1")
    return shape


# -- the inverse direction: index tables -> geometry (what identify fits) ---------------------


def decide_flips(axes):
    """Axes whose kernel index never varies (a kernel axis of size 1) are flipped and unflipped at once:
    they take the reading of the axes that decide it (flipped when every deciding axis is)."""
    deciding = [ax for ax in axes if ax.step_k is not None]
    flip = bool(deciding) and all(ax.step_k < 0 for ax in deciding)
    return [ax if ax.step_k is not None else dataclasses.replace(ax, step_k=-1 if flip else 1) for ax in axes]


def fit_axis(o, i, m):
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


def layer_padding_of(axes):
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


def symmetric_padding(axes, pads):
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


def channels_last_perms(rank: int):
    """``(perm_y, perm_x, perm_w)``: the axis orders taking channels-last tables of `rank` (batch included) to
    PyTorch's: ``(N, *s, C) -> (N, C, *s)`` for the output and input, ``(*k, C_in, C_out) -> (C_out, C_in, *k)``."""
    data = (0, rank - 1) + tuple(range(1, rank - 1))
    return data, data, (rank - 1, rank - 2) + tuple(range(rank - 2))
