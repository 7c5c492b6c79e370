"""A curated table of what ``sc.identify`` must answer, worked out by hand from the definitions.

Each case gives the expected ``.kind``, the exact ``.params`` and a prefix of ``.explain()`` (its
first sentence, or a distinctive part of it); near misses also give the true reason (``says``, a
regular expression the explanation must match), and some cases name a false claim the explanation
must not make (``denies``).  The expectations are what is CORRECT, not what identify answers today:
where the two differ the case fails, on purpose (no xfail).

The definitions used (checked numerically against SciPy 1.17 and PyTorch 2.13 while writing this):

* correlate: ``y[n] = sum_m x[n + m] k[m]``; convolve: ``y[n] = sum_m x[n - m] k[m]`` (the kernel flipped
  along every axis).  ``scipy.signal.correlate2d`` does not flip, ``convolve2d`` flips both axes.
* 'same' centres an even kernel differently: ``scipy.signal.correlate(x, k4, 'same')`` reads ``x`` padded
  (2 left, 1 right); ``correlate2d(x, k2x2, 'same')`` pads (0, 1) per axis (symconv: ``boundary='fill'``);
  ``convolve2d`` centres as ``convolve``.  PyTorch's ``padding='same'`` with an even kernel pads (0, 1).
* a layer (``conv``, PyTorch): ``y[f, o] = sum_c sum_m x[c, o*s - p + m*d] w[f, c, m] (+ b[f])``;
  ``conv_transpose``: ``y[f, i*s - p + m*d] += x[c, i] w[c, f, m]``.
* ``params`` follows the project's conventions: ``mode`` for a SciPy geometry, ``padding`` when a PyTorch
  zero padding gives the same windows (one number per axis when symmetric, else (left, right) pairs),
  ``stride``/``dilation`` per axis, ``flipped`` for the kernel axes reversed; layers give ``channels``
  (in, out), ``bias``, and ``batch``/``groups``/``transposed`` when they apply; a formula gives no range keys.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
import scipy.signal as ss
import sympy

import symconv as sc

T = sc.tensor
X5, K3, K2 = T("x", (5, 5)), T("k", (3, 3)), T("k", (2, 2))
X7 = T("x", (7, 7))
B2 = T("b", (2,))  # a bias that a traced layer loop adds (a third tensor, by name)

NO_MATCH = "symconv cannot match this to a correlation, convolution, Hadamard sum or matrix product"
NO_MATCH_FORMULA = "symconv cannot match this formula to a correlation, convolution, Hadamard sum or matrix product"
CORR_VALID_2D = "This is a cross-correlation (mode=valid, stride=(1, 1), dilation=(1, 1)): y[n] = sum_m x[n+m] k[m]"
CORR_VALID_1D = "This is a cross-correlation (mode=valid, stride=(1,), dilation=(1,)): y[n] = sum_m x[n+m] k[m]"
LAYER_2D = "This is a convolution layer as PyTorch's conv2d computes it"
LAYER_1D = "This is a convolution layer as PyTorch's conv1d computes it"
VALID2 = {"mode": "valid", "stride": (1, 1), "dilation": (1, 1)}


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], tuple]  # () -> (obj, *shapes): the arguments of sc.identify
    kind: str
    params: dict
    explains: str               # prefix of .explain() (its first sentence or a distinctive part)
    says: str | None = None     # regex (case-insensitive) the explanation must match: the true reason
    denies: tuple = ()          # text the explanation must not contain: a false claim
    ref: Callable | None = None  # () -> the reading rebuilt by hand from symconv's operations (checked exactly)


def _identify(case: Case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about padding='same' with an even kernel
        return sc.identify(*case.build())


def _plain(value):
    """Parameters as plain Python: SymPy integers as int, symbols (a stride ``s``) by name."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, sympy.Basic):
        return int(value) if value.is_Integer else str(value)
    return value


def _check(case: Case):
    found = _identify(case)
    text = found.explain()
    assert found.kind == case.kind, f"kind {found.kind!r}, expected {case.kind!r}: {text}"
    assert _plain(dict(found.params)) == _plain(case.params), f"params {dict(found.params)}"
    assert text.startswith(case.explains), f"explain() starts {text[:len(case.explains) + 40]!r}"
    if case.says:
        assert re.search(case.says, text, re.IGNORECASE), f"the reason /{case.says}/ is not given: {text!r}"
    for claim in case.denies:
        assert claim not in text, f"false claim {claim!r} in: {text!r}"


# ------------------------------------------------------------------------------------------------
# 1. code as people write it, traced on symbols (x and k are the names of the two arguments)
# ------------------------------------------------------------------------------------------------
def np_sum_window(a, c):  # the forum's loop: Z[i, j] = sum(A[i:i+3, j:j+3] * C)
    return np.array([[np.sum(a[i:i + 3, j:j + 3] * c) for j in range(3)] for i in range(3)])


def flipped_indices(a, c):  # x[i - u + 2] k[u]: the kernel runs backwards over each window
    return np.array([[sum(a[i - u + 2, j - v + 2] * c[u, v] for u in range(3) for v in range(3))
                      for j in range(3)] for i in range(3)])


def strided_indices(a, c):  # x[2i + u]: windows start at 0 and 2 of a 5x5 input
    return np.array([[sum(a[2 * i + u, 2 * j + v] * c[u, v] for u in range(3) for v in range(3))
                      for j in range(2)] for i in range(2)])


def dilated_indices(a, c):  # x[i + 2u]: taps 2 apart, extent 5, so 3 windows of a 7x7 input
    return np.array([[sum(a[i + 2 * u, j + 2 * v] * c[u, v] for u in range(3) for v in range(3))
                      for j in range(3)] for i in range(3)])


def einsum_windows(a, c):
    return np.array([[np.einsum("ij,ij->", a[i:i + 3, j:j + 3], c) for j in range(3)] for i in range(3)])


def tensordot_windows(a, c):  # tensordot's default axes=2 contracts both axes: a Frobenius product
    return np.array([[np.tensordot(a[i:i + 3, j:j + 3], c) for j in range(3)] for i in range(3)])


def vdot_windows_1d(a, c):  # real symbols: vdot does not conjugate
    return np.array([np.vdot(a[i:i + 3], c) for i in range(4)])


def sum_windows_3d(a, c):
    return np.array([[[np.sum(a[i:i + 2, j:j + 2, l:l + 2] * c) for l in range(3)] for j in range(3)]
                     for i in range(3)])


def np_dot_windows(a, c):  # the seed's confusion: np.dot of each window with the kernel
    return np.array([[np.dot(a[i:i + 3, j:j + 3], c) for j in range(3)] for i in range(3)])


def np_dot_kernel_first(a, c):  # the same confusion written kernel-first: still a matrix per window
    return np.array([[np.dot(c, a[i:i + 3, j:j + 3]) for j in range(3)] for i in range(3)])


def channel_layer(a, w):  # a (C_in, H, W), w (C_out, C_in, 3, 3): channels summed inside each window
    _, h, wd = a.shape
    return np.array([[[np.sum(a[:, i:i + 3, j:j + 3] * w[f]) for j in range(wd - 2)] for i in range(h - 2)]
                     for f in range(w.shape[0])])


def channel_layer_bias(a, w):
    _, h, wd = a.shape
    return np.array([[[np.sum(a[:, i:i + 3, j:j + 3] * w[f]) + B2[f] for j in range(wd - 2)]
                      for i in range(h - 2)] for f in range(w.shape[0])])


def late_start(a, c):  # rows start at 1 instead of 0 (and one row fewer): a[i+1:i+4]
    return np.array([[np.sum(a[i + 1:i + 4, j:j + 3] * c) for j in range(3)] for i in range(2)])


def short_range(a, c):  # range(2) where range(3) was meant along the columns
    return np.array([[np.sum(a[i:i + 3, j:j + 3] * c) for j in range(2)] for i in range(3)])


def full_convolution_1d(a, c):  # the textbook y[n] = sum_m x[n - m] h[m] with bounds checks
    n, m = len(a), len(c)
    return np.array([sum(a[i - u] * c[u] for u in range(m) if 0 <= i - u < n) for i in range(n + m - 1)])


def hand_im2col(a, c):  # cs231n: one row per window, times the flattened kernel
    cols = np.array([a[i:i + 3, j:j + 3].ravel() for i in range(3) for j in range(3)])
    return (cols @ c.ravel()).reshape(3, 3)


def flat_dot_windows(a, c):  # np.dot of the FLATTENED window and kernel: the number a layer computes
    return np.array([[np.dot(a[i:i + 3, j:j + 3].ravel(), c.ravel()) for j in range(3)] for i in range(3)])


CODE = [
    # i+u, j+v, range(3) on 5x5 with 3x3: every valid window, kernel unflipped
    Case("np.sum-window-2d", lambda: (np_sum_window, (5, 5), (3, 3)), "correlation", VALID2, CORR_VALID_2D,
         ref=lambda: sc.correlate(X5, K3)),
    # i-u+2 = i+(2-u): kernel index reversed on both axes, windows at 0..2: valid convolution
    Case("flipped-loop", lambda: (flipped_indices, (5, 5), (3, 3)), "convolution",
         {"mode": "valid", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=valid, stride=(1, 1), dilation=(1, 1)): y[n] = sum_m x[n-m] k[m], i.e. a "
         "cross-correlation with the kernel flipped along every axis.", ref=lambda: sc.convolve(X5, K3)),
    # 2i+u: every 2nd valid window (valid has 3 per axis, kept 0 and 2); PyTorch padding 0: no padding key
    Case("strided-loop", lambda: (strided_indices, (5, 5), (3, 3)), "correlation",
         {"mode": "valid", "stride": (2, 2), "dilation": (1, 1)},
         "This is a cross-correlation (mode=valid, stride=(2, 2), dilation=(1, 1))",
         ref=lambda: sc.correlate(X5, K3, stride=2)),
    # i+2u on 7x7: extent 2*(3-1)+1 = 5, 3 valid windows; the explanation's formula must not be the
    # undilated x[n+m] (the taps are 2 apart: y[n] = sum_m x[n+2m] k[m])
    Case("dilated-loop", lambda: (dilated_indices, (7, 7), (3, 3)), "correlation",
         {"mode": "valid", "stride": (1, 1), "dilation": (2, 2)},
         "This is a cross-correlation (mode=valid, stride=(1, 1), dilation=(2, 2))", denies=("x[n+m]",),
         ref=lambda: sc.correlate(X7, K3, dilation=2)),
    # einsum "ij,ij->" of each window with the kernel: the Frobenius product per window
    Case("einsum-windows", lambda: (einsum_windows, (5, 5), (3, 3)), "correlation", VALID2, CORR_VALID_2D,
         ref=lambda: sc.correlate(X5, K3)),
    # tensordot(a, b) contracts the last 2 axes of a with the first 2 of b: the same Frobenius product
    Case("tensordot-windows", lambda: (tensordot_windows, (5, 5), (3, 3)), "correlation", VALID2, CORR_VALID_2D,
         ref=lambda: sc.correlate(X5, K3)),
    # 1-D: 6 - 3 + 1 = 4 windows, vdot of each with k
    Case("vdot-windows-1d", lambda: (vdot_windows_1d, (6,), (3,)), "correlation",
         {"mode": "valid", "stride": (1,), "dilation": (1,)}, CORR_VALID_1D,
         ref=lambda: sc.correlate(T("x", (6,)), T("k", (3,)))),
    # 3-D: 4 - 2 + 1 = 3 windows per axis
    Case("sum-windows-3d", lambda: (sum_windows_3d, (4, 4, 4), (2, 2, 2)), "correlation",
         {"mode": "valid", "stride": (1, 1, 1), "dilation": (1, 1, 1)},
         "This is a cross-correlation (mode=valid, stride=(1, 1, 1), dilation=(1, 1, 1))",
         ref=lambda: sc.correlate(T("x", (4, 4, 4)), T("k", (2, 2, 2)))),
    # the seed: np.dot(window, kernel) is a 3x3 matrix per window, for 3x3 windows
    Case("np.dot-window-kernel", lambda: (np_dot_windows, (5, 5), (3, 3)), "matrix-product",
         {"window": (3, 3), "windows": (3, 3)},
         "This is a matrix product of each 3x3 window of x with k (np.dot of the window and the kernel): a "
         "matrix per window, not the number a CNN layer computes"),
    # np.dot(kernel, window): k @ window is just as much a matrix per window (the other order)
    Case("np.dot-kernel-window", lambda: (np_dot_kernel_first, (5, 5), (3, 3)), "matrix-product",
         {"window": (3, 3), "windows": (3, 3)}, "This is a matrix product of each 3x3 window of x"),
    # channels summed inside each window, one kernel w[f] per output: conv2d from 3 to 2 channels
    Case("channel-layer-loop", lambda: (channel_layer, (3, 5, 5), (2, 3, 3, 3)), "correlation",
         {"stride": (1, 1), "dilation": (1, 1), "channels": (3, 2), "bias": False},
         LAYER_2D + " (stride=(1, 1), dilation=(1, 1)), i.e. cross-correlations (no kernel flip), from 3 to 2 "
         "channels", ref=lambda: sc.conv(T("x", (3, 5, 5)), T("k", (2, 3, 3, 3)))),
    # the same loop plus b[f] per output channel: a layer with a bias
    Case("channel-layer-loop-bias", lambda: (channel_layer_bias, (3, 5, 5), (2, 3, 3, 3)), "correlation",
         {"stride": (1, 1), "dilation": (1, 1), "channels": (3, 2), "bias": True},
         LAYER_2D + " (stride=(1, 1), dilation=(1, 1)), i.e. cross-correlations (no kernel flip), from 3 to 2 "
         "channels", says=r"plus its bias", ref=lambda: sc.conv(T("x", (3, 5, 5)), T("k", (2, 3, 3, 3)), B2)),
    # windows at rows 1..2 (not 0..2), all 3 columns: rows 1-2 of the valid correlation, no mode/padding fits
    Case("off-by-one-start", lambda: (late_start, (5, 5), (3, 3)), "correlation",
         {"offset": (1, 0), "shape": (2, 3), "stride": (1, 1), "dilation": (1, 1)},
         "This is a windowed sum of products of x and k (a correlation), but its windows start at offset (1, 0) "
         "with output shape (2, 3), which matches no SciPy mode and no zero padding",
         ref=lambda: sc.correlate(X5, K3)[1:3, :]),
    # columns 0..1 of the 3 valid ones: offset (0, 0), shape (3, 2), no mode, stride or padding gives that
    Case("off-by-one-range", lambda: (short_range, (5, 5), (3, 3)), "correlation",
         {"offset": (0, 0), "shape": (3, 2), "stride": (1, 1), "dilation": (1, 1)},
         "This is a windowed sum of products of x and k (a correlation), but its windows start at offset (0, 0) "
         "with output shape (3, 2)", ref=lambda: sc.correlate(X5, K3)[:, 0:2]),
    # n + m - 1 = 7 outputs, x[n-u] k[u] where in range: the full convolution
    Case("full-convolution-loop-1d", lambda: (full_convolution_1d, (5,), (3,)), "convolution",
         {"mode": "full", "stride": (1,), "dilation": (1,), "flipped": (0,)},
         "This is a convolution (mode=full, stride=(1,), dilation=(1,)): y[n] = sum_m x[n-m] k[m]",
         ref=lambda: sc.convolve(T("x", (5,)), T("k", (3,)), "full")),
    # im2col rows (row-major windows) times vec(k), reshaped: the valid correlation
    Case("hand-im2col", lambda: (hand_im2col, (5, 5), (3, 3)), "correlation", VALID2, CORR_VALID_2D,
         ref=lambda: sc.correlate(X5, K3)),
    # np.dot of the flattened window and kernel is one number per window: the layer's correlation
    Case("np.dot-flattened-window", lambda: (flat_dot_windows, (5, 5), (3, 3)), "correlation", VALID2,
         CORR_VALID_2D, ref=lambda: sc.correlate(X5, K3)),
    # np.convolve's default mode is 'full' (n + m - 1 = 8 outputs), and it flips
    Case("np.convolve", lambda: (np.convolve, (6,), (3,)), "convolution",
         {"mode": "full", "stride": (1,), "dilation": (1,), "flipped": (0,)},
         "This is a convolution (mode=full, stride=(1,), dilation=(1,))",
         ref=lambda: sc.convolve(T("x", (6,)), T("k", (3,)), "full")),
    # np.correlate's default mode is 'valid' (4 outputs) and it does not flip
    Case("np.correlate", lambda: (np.correlate, (6,), (3,)), "correlation",
         {"mode": "valid", "stride": (1,), "dilation": (1,)}, CORR_VALID_1D,
         ref=lambda: sc.correlate(T("x", (6,)), T("k", (3,)))),
    # a @ v with a (3, 4) and v (4,): the matrix product of a with v as a 4x1 column, what np.dot does
    Case("matrix-vector-product", lambda: (lambda a, b: a @ b, (3, 4), (4,)), "matrix-product", {},
         "This is the matrix product x.k"),
]


# ------------------------------------------------------------------------------------------------
# 2. SciPy, probed on numbers (identify(fn, x_shape, k_shape))
# ------------------------------------------------------------------------------------------------
def _scipy(fn, mode, **kw):
    return lambda a, b: fn(a, b, mode, **kw)


SCIPY = [
    # correlate, valid: 6 - 3 + 1 = 4 windows, no flip
    Case("scipy.correlate-valid-1d", lambda: (_scipy(ss.correlate, "valid"), (6,), (3,)), "correlation",
         {"mode": "valid", "stride": (1,), "dilation": (1,)}, CORR_VALID_1D,
         ref=lambda: sc.correlate(T("x", (6,)), T("k", (3,)))),
    # correlate, same, even kernel of 4: full has 9, centre starts at (9-6)//2 = 1, i.e. x padded (2 left, 1 right)
    Case("scipy.correlate-same-even", lambda: (_scipy(ss.correlate, "same"), (6,), (4,)), "correlation",
         {"mode": "same", "padding": ((2, 1),), "stride": (1,), "dilation": (1,)},
         "This is a cross-correlation (mode=same, padding=((2, 1),), stride=(1,), dilation=(1,))",
         ref=lambda: sc.correlate(T("x", (6,)), T("k", (4,)), "same")),
    # convolve, same, even kernel: flipped; a convolution has no PyTorch padding reading
    Case("scipy.convolve-same-even", lambda: (_scipy(ss.convolve, "same"), (6,), (4,)), "convolution",
         {"mode": "same", "stride": (1,), "dilation": (1,), "flipped": (0,)},
         "This is a convolution (mode=same, stride=(1,), dilation=(1,))",
         ref=lambda: sc.convolve(T("x", (6,)), T("k", (4,)), "same")),
    # correlate2d, same, 2x2: correlate2d centres at K//2, i.e. pads (0, 1) per axis (not correlate's (1, 0))
    Case("scipy.correlate2d-same-even", lambda: (_scipy(ss.correlate2d, "same"), (5, 5), (2, 2)), "correlation",
         {"mode": "same", "boundary": "fill", "padding": ((0, 1), (0, 1)), "stride": (1, 1), "dilation": (1, 1)},
         "This is a cross-correlation (mode=same, boundary=fill, padding=((0, 1), (0, 1))",
         ref=lambda: sc.correlate(X5, K2, "same", boundary="fill")),
    # convolve2d, same, 2x2: flips both axes and centres as convolve does
    Case("scipy.convolve2d-same-even", lambda: (_scipy(ss.convolve2d, "same"), (5, 5), (2, 2)), "convolution",
         {"mode": "same", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=same, stride=(1, 1), dilation=(1, 1)): y[n] = sum_m x[n-m] k[m]",
         ref=lambda: sc.convolve(X5, K2, "same")),
    # convolve2d's default mode is 'full' (the README's example)
    Case("scipy.convolve2d-default-full", lambda: (ss.convolve2d, (5, 5), (3, 3)), "convolution",
         {"mode": "full", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=full, stride=(1, 1), dilation=(1, 1))",
         ref=lambda: sc.convolve(X5, K3, "full")),
    # correlate2d, full, 2x2: every overlap, the same as a layer with padding 1 (= K - 1)
    Case("scipy.correlate2d-full", lambda: (_scipy(ss.correlate2d, "full"), (5, 5), (2, 2)), "correlation",
         {"mode": "full", "padding": (1, 1), "stride": (1, 1), "dilation": (1, 1)},
         "This is a cross-correlation (mode=full, padding=(1, 1), stride=(1, 1), dilation=(1, 1))",
         ref=lambda: sc.correlate(X5, K2, "full")),
    # fftconvolve computes the same convolution (its rounding noise is dropped by the probe)
    Case("scipy.fftconvolve-valid", lambda: (_scipy(ss.fftconvolve, "valid"), (5, 5), (3, 3)), "convolution",
         {"mode": "valid", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=valid, stride=(1, 1), dilation=(1, 1))", ref=lambda: sc.convolve(X5, K3)),
    Case("scipy.fftconvolve-same", lambda: (_scipy(ss.fftconvolve, "same"), (5, 5), (3, 3)), "convolution",
         {"mode": "same", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=same, stride=(1, 1), dilation=(1, 1))",
         ref=lambda: sc.convolve(X5, K3, "same")),
    # a kernel axis of size 1 reads the same flipped or not: it takes the flip of the deciding axis (both)
    Case("scipy.convolve2d-size-1-axis", lambda: (ss.convolve2d, (4, 6), (1, 3)), "convolution",
         {"mode": "full", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=full, stride=(1, 1), dilation=(1, 1))",
         ref=lambda: sc.convolve(T("x", (4, 6)), T("k", (1, 3)), "full")),
    # correlate2d same with (1, 3): odd extents, so no centring question; pads 0 on axis 0, 1 on axis 1
    Case("scipy.correlate2d-same-size-1-axis", lambda: (_scipy(ss.correlate2d, "same"), (4, 6), (1, 3)),
         "correlation", {"mode": "same", "padding": (0, 1), "stride": (1, 1), "dilation": (1, 1)},
         "This is a cross-correlation (mode=same, padding=(0, 1), stride=(1, 1), dilation=(1, 1))",
         ref=lambda: sc.correlate(T("x", (4, 6)), T("k", (1, 3)), "same")),
    # 3-D correlate, valid: 3 windows per axis
    Case("scipy.correlate-valid-3d", lambda: (_scipy(ss.correlate, "valid"), (4, 4, 4), (2, 2, 2)), "correlation",
         {"mode": "valid", "stride": (1, 1, 1), "dilation": (1, 1, 1)},
         "This is a cross-correlation (mode=valid, stride=(1, 1, 1), dilation=(1, 1, 1))",
         ref=lambda: sc.correlate(T("x", (4, 4, 4)), T("k", (2, 2, 2)))),
    # valid with the LARGER input second (SciPy swaps, gh-5897): y[o] = sum_m x[o + m - 2] k[m], 3 outputs,
    # i.e. x zero-padded by 2 on each side as a layer reads it; x stays the input (k cannot be: its index
    # would run backwards with o)
    Case("scipy.correlate-valid-kernel-larger", lambda: (_scipy(ss.correlate, "valid"), (3,), (5,)), "correlation",
         {"mode": "valid", "padding": (2,), "stride": (1,), "dilation": (1,)},
         "This is a cross-correlation (mode=valid, padding=(2,), stride=(1,), dilation=(1,))",
         ref=lambda: sc.correlate(T("x", (3,)), T("k", (5,)), "valid")),
]


# ------------------------------------------------------------------------------------------------
# 3. PyTorch, probed on numbers (skipped without torch)
# ------------------------------------------------------------------------------------------------
def _F():
    import torch.nn.functional as F

    return F


TORCH = [
    # 6x6, pad 1 -> 8, stride 2: (8 - 3)//2 + 1 = 3 windows at -1, 1, 3; the right pad is never read
    Case("torch.conv2d-stride2-pad1", lambda: (lambda a, b: _F().conv2d(a, b, stride=2, padding=1), (1, 1, 6, 6),
                                               (1, 1, 3, 3)), "correlation",
         {"stride": (2, 2), "padding": (1, 1), "dilation": (1, 1), "channels": (1, 1), "batch": 1, "bias": False},
         LAYER_2D + " (stride=(2, 2), padding=(1, 1), dilation=(1, 1)), i.e. cross-correlations (no kernel flip)",
         ref=lambda: sc.conv(T("x", (1, 1, 6, 6)), T("k", (1, 1, 3, 3)), stride=2, padding=1)),
    # dilation 2 on 7x7: extent 5, 3 windows
    Case("torch.conv2d-dilation2", lambda: (lambda a, b: _F().conv2d(a, b, dilation=2), (1, 1, 7, 7), (1, 1, 3, 3)),
         "correlation", {"stride": (1, 1), "dilation": (2, 2), "channels": (1, 1), "batch": 1, "bias": False},
         LAYER_2D + " (stride=(1, 1), dilation=(2, 2))",
         ref=lambda: sc.conv(T("x", (1, 1, 7, 7)), T("k", (1, 1, 3, 3)), dilation=2)),
    # padding='same' with a 2x2 kernel pads (0, 1): no symmetric padding gives it, so 'same' as written
    Case("torch.conv2d-same-even", lambda: (lambda a, b: _F().conv2d(a, b, padding="same"), (1, 1, 5, 5),
                                            (1, 1, 2, 2)), "correlation",
         {"stride": (1, 1), "padding": "same", "dilation": (1, 1), "channels": (1, 1), "batch": 1, "bias": False},
         LAYER_2D + " (stride=(1, 1), padding=same, dilation=(1, 1))",
         ref=lambda: sc.conv(T("x", (1, 1, 5, 5)), T("k", (1, 1, 2, 2)), padding="same")),
    # 1-D, stride 2 on 7: (7 - 3)//2 + 1 = 3 windows
    Case("torch.conv1d-stride2", lambda: (lambda a, b: _F().conv1d(a, b, stride=2), (1, 1, 7), (1, 1, 3)),
         "correlation", {"stride": (2,), "dilation": (1,), "channels": (1, 1), "batch": 1, "bias": False},
         LAYER_1D + " (stride=(2,), dilation=(1,))",
         ref=lambda: sc.conv(T("x", (1, 1, 7)), T("k", (1, 1, 3)), stride=2)),
    # 1-D, padding 2, dilation 2: 6 + 4 - 5 + 1 = 6 outputs
    Case("torch.conv1d-pad2-dil2", lambda: (lambda a, b: _F().conv1d(a, b, padding=2, dilation=2), (1, 1, 6),
                                            (1, 1, 3)), "correlation",
         {"stride": (1,), "padding": (2,), "dilation": (2,), "channels": (1, 1), "batch": 1, "bias": False},
         LAYER_1D + " (stride=(1,), padding=(2,), dilation=(2,))",
         ref=lambda: sc.conv(T("x", (1, 1, 6)), T("k", (1, 1, 3)), padding=2, dilation=2)),
    # 2 input channels to 3 output channels, summed over the input channels
    Case("torch.conv1d-channels", lambda: (lambda a, b: _F().conv1d(a, b), (1, 2, 6), (3, 2, 3)), "correlation",
         {"stride": (1,), "dilation": (1,), "channels": (2, 3), "batch": 1, "bias": False},
         LAYER_1D + " (stride=(1,), dilation=(1,)), i.e. cross-correlations (no kernel flip), from 2 to 3 channels",
         ref=lambda: sc.conv(T("x", (1, 2, 6)), T("k", (3, 2, 3)))),
    # groups=2 with 2 channels: each output channel sees one input channel
    Case("torch.conv2d-groups", lambda: (lambda a, b: _F().conv2d(a, b, groups=2), (1, 2, 5, 5), (2, 1, 3, 3)),
         "correlation",
         {"stride": (1, 1), "dilation": (1, 1), "groups": 2, "channels": (2, 2), "batch": 1, "bias": False},
         LAYER_2D + " (stride=(1, 1), dilation=(1, 1), groups=2)",
         ref=lambda: sc.conv(T("x", (1, 2, 5, 5)), T("k", (2, 1, 3, 3)), groups=2)),
    # per-axis stride (2, 1) and padding (0, 1)
    Case("torch.conv2d-per-axis", lambda: (lambda a, b: _F().conv2d(a, b, stride=(2, 1), padding=(0, 1)),
                                           (1, 1, 5, 5), (1, 1, 3, 3)), "correlation",
         {"stride": (2, 1), "padding": (0, 1), "dilation": (1, 1), "channels": (1, 1), "batch": 1, "bias": False},
         LAYER_2D + " (stride=(2, 1), padding=(0, 1), dilation=(1, 1))",
         ref=lambda: sc.conv(T("x", (1, 1, 5, 5)), T("k", (1, 1, 3, 3)), stride=(2, 1), padding=(0, 1))),
    # conv_transpose1d, stride 2: y[2i + m] += x[i] k[m], (4-1)*2 + 3 = 9 outputs.  The same polynomial is
    # also "k padded by 6, convolved with x dilated by 2", but x is the input (the larger, named x) and the
    # layer is the transposed one that was called
    Case("torch.conv_transpose1d-stride2", lambda: (lambda a, b: _F().conv_transpose1d(a, b, stride=2),
                                                    (1, 1, 4), (1, 1, 3)), "convolution",
         {"transposed": True, "stride": (2,), "dilation": (1,), "channels": (1, 1), "batch": 1, "bias": False},
         "This is a transposed convolution layer (PyTorch's conv_transpose1d; stride=(2,), dilation=(1,)) from 1 "
         "to 1 channels", ref=lambda: sc.conv_transpose(T("x", (1, 1, 4)), T("k", (1, 1, 3)), stride=2)),
    # conv_transpose2d, stride 2, padding 1: (3-1)*2 - 2 + 3 = 5 per axis, no output_padding
    Case("torch.conv_transpose2d-stride2-pad1", lambda: (lambda a, b: _F().conv_transpose2d(a, b, stride=2,
                                                                                          padding=1),
                                                         (1, 1, 3, 3), (1, 1, 3, 3)), "convolution",
         {"transposed": True, "stride": (2, 2), "padding": (1, 1), "dilation": (1, 1), "channels": (1, 1),
          "batch": 1, "bias": False},
         "This is a transposed convolution layer (PyTorch's conv_transpose2d; stride=(2, 2), padding=(1, 1)",
         ref=lambda: sc.conv_transpose(T("x", (1, 1, 3, 3)), T("k", (1, 1, 3, 3)), stride=2, padding=1)),
]


# ------------------------------------------------------------------------------------------------
# 4. symconv's own arrays
# ------------------------------------------------------------------------------------------------
ARRAYS = [
    # same on 5x5 with 3x3 pads 1 per side; stride 2 keeps outputs 0, 2, 4 -- also a layer with padding 1
    Case("sc.correlate-same-stride2", lambda: (sc.correlate(X5, K3, "same", stride=2),), "correlation",
         {"mode": "same", "padding": (1, 1), "stride": (2, 2), "dilation": (1, 1)},
         "This is a cross-correlation (mode=same, padding=(1, 1), stride=(2, 2), dilation=(1, 1))"),
    Case("sc.convolve-full", lambda: (sc.convolve(X5, K3, "full"),), "convolution",
         {"mode": "full", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "This is a convolution (mode=full, stride=(1, 1), dilation=(1, 1))"),
    Case("sc.correlate-dilation2", lambda: (sc.correlate(X7, K3, dilation=2),), "correlation",
         {"mode": "valid", "stride": (1, 1), "dilation": (2, 2)},
         "This is a cross-correlation (mode=valid, stride=(1, 1), dilation=(2, 2))"),
    # SciPy's correlate 'same' with a 2x2 kernel starts (K-1)//2 = 0 into full: x padded (1 left, 0 right)
    Case("sc.correlate-same-even", lambda: (sc.correlate(X5, K2, "same"),), "correlation",
         {"mode": "same", "padding": ((1, 0), (1, 0)), "stride": (1, 1), "dilation": (1, 1)},
         "This is a cross-correlation (mode=same, padding=((1, 0), (1, 0))"),
    # flipped along axis 0 only: a correlation along axis 1, a convolution along axis 0
    Case("sc.flip-one-axis", lambda: (sc.correlate(X5, sc.flip(K3, axes=(0,))),), "correlation",
         {"mode": "valid", "stride": (1, 1), "dilation": (1, 1), "flipped": (0,)},
         "This is a cross-correlation along axis 1 and a convolution along axis 0"),
    # convolving with a kernel flipped on every axis flips it back: the plain correlation
    Case("sc.convolve-flipped-kernel", lambda: (sc.convolve(X5, sc.flip(K3)),), "correlation", VALID2,
         CORR_VALID_2D),
    Case("sc.conv-grouped", lambda: (sc.conv(T("x", (4, 6, 6)), T("w", (4, 2, 3, 3)), groups=2),), "correlation",
         {"stride": (1, 1), "dilation": (1, 1), "groups": 2, "channels": (4, 4), "bias": False},
         LAYER_2D + " (stride=(1, 1), dilation=(1, 1), groups=2)"),
    Case("sc.conv-depthwise", lambda: (sc.conv(T("x", (3, 6, 6)), T("w", (3, 1, 3, 3)), groups=3),), "correlation",
         {"stride": (1, 1), "dilation": (1, 1), "groups": 3, "channels": (3, 3), "bias": False},
         LAYER_2D + " (stride=(1, 1), dilation=(1, 1), groups=3)"),
    Case("sc.conv-batched-grouped-bias", lambda: (sc.conv(T("x", (2, 4, 5, 5)), T("w", (6, 2, 3, 3)), T("b", (6,)),
                                                          groups=2, padding=1),), "correlation",
         {"stride": (1, 1), "padding": (1, 1), "dilation": (1, 1), "groups": 2, "channels": (4, 6), "batch": 2,
          "bias": True}, LAYER_2D + " (stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=2)",
         says=r"plus its bias"),
    # a 1x1 convolution is a per-pixel channel mix, still a conv2d layer
    Case("sc.conv-1x1", lambda: (sc.conv(T("x", (3, 4, 4)), T("w", (2, 3, 1, 1))),), "correlation",
         {"stride": (1, 1), "dilation": (1, 1), "channels": (3, 2), "bias": False},
         LAYER_2D + " (stride=(1, 1), dilation=(1, 1))"),
    Case("sc.conv_transpose-stride2", lambda: (sc.conv_transpose(T("x", (2, 5)), T("w", (2, 3, 3)), stride=2),),
         "convolution", {"transposed": True, "stride": (2,), "dilation": (1,), "channels": (2, 3), "bias": False},
         "This is a transposed convolution layer (PyTorch's conv_transpose1d; stride=(2,), dilation=(1,)) from 2 "
         "to 3 channels"),
    # the same operation, batched, one channel: the roles and the layer must not change with the layout
    Case("sc.conv_transpose-batched-one-channel",
         lambda: (sc.conv_transpose(T("x", (1, 1, 5)), T("w", (1, 1, 3)), stride=2),), "convolution",
         {"transposed": True, "stride": (2,), "dilation": (1,), "channels": (1, 1), "batch": 1, "bias": False},
         "This is a transposed convolution layer (PyTorch's conv_transpose1d; stride=(2,), dilation=(1,))"),
    Case("sc.hadamard_sum", lambda: (sc.hadamard_sum(T("x", (3, 3)), T("k", (3, 3))),), "hadamard-sum", {},
         "This is the sum of the element-wise (Hadamard) products of x and k"),
    # the window x[1:4, 2:5] of a 5x5 x: the explanation must not claim sum_i x[i] k[i] (x[0, 0] is not in it)
    Case("sc.hadamard_sum-window", lambda: (sc.hadamard_sum(X5[1:4, 2:5], K3),), "hadamard-sum",
         {"window": ((1, 4), (2, 5))}, "This is the sum of the element-wise (Hadamard) products of",
         denies=("sum_i x[i] k[i]",)),
    # vec(window) . vec(k) is the same number: a Hadamard sum over the window at the origin
    Case("sc.dot_flat-window", lambda: (sc.dot_flat(X5[0:3, 0:3], K3),), "hadamard-sum",
         {"window": ((0, 3), (0, 3))}, "This is the sum of the element-wise (Hadamard) products of x and k"),
    Case("sc.matmul", lambda: (sc.matmul(T("x", (3, 4)), T("k", (4, 2))),), "matrix-product", {},
         "This is the matrix product x.k (row times column)"),
    Case("sc.matmul-window-kernel", lambda: (sc.matmul(X5[0:3, 0:3], K3),), "matrix-product", {"window": (3, 3)},
         "This is a matrix product of one 3x3 window of x with k"),
    # k . window, the other order: still the matrix product of one 3x3 window with the kernel
    Case("sc.matmul-kernel-window", lambda: (sc.matmul(K3, X5[0:3, 0:3]),), "matrix-product", {"window": (3, 3)},
         "This is a matrix product of one 3x3 window of x"),
    Case("sc.im2col_matmul", lambda: (sc.im2col_matmul(X5, K3),), "correlation", VALID2, CORR_VALID_2D),
]


# ------------------------------------------------------------------------------------------------
# 5. near misses: "unknown", with the true reason
# ------------------------------------------------------------------------------------------------
def _entries(arr):
    return np.array(arr.tolist(), dtype=object)


def _missing_one_product():  # y[1, 1] without x[2, 2] k[1, 1]
    y = _entries(sc.correlate(X5, K3))
    y[1, 1] -= X5[2, 2] * K3[1, 1]
    return (sympy.Array(y.tolist()),)


def _tiny_extra_term():  # y[0, 0] plus x[4, 4] k[0, 0]
    y = _entries(sc.correlate(X5, K3))
    y[0, 0] += X5[4, 4] * K3[0, 0]
    return (sympy.Array(y.tolist()),)


def skip_last_tap(a, c):  # every window without its (2, 2) tap
    return np.array([[sum(a[i + u, j + v] * c[u, v] for u in range(3) for v in range(3) if (u, v) != (2, 2))
                      for j in range(3)] for i in range(3)])


def circular_1d(a, c):  # indices wrap around modulo 6
    return np.array([sum(a[(i + u) % 6] * c[u] for u in range(3)) for i in range(6)])


def rotating_kernel(a, c):  # output i meets tap (u + i) % 3: a different kernel at every position
    return np.array([sum(a[i + u] * c[(u + i) % 3] for u in range(3)) for i in range(4)])


def squared_input(a, c):
    return np.array([sum(a[i + u] ** 2 * c[u] for u in range(3)) for i in range(4)])


def plus_one(a, c):
    return np.array([np.sum(a[i:i + 3] * c) + 1 for i in range(4)])


NEAR = [
    # one product missing from one window: the index pattern is a correlation's, a term is missing (true)
    Case("missing-one-product", _missing_one_product, "unknown", {}, NO_MATCH, says=r"missing"),
    # tap (2, 2) missing from every window: k[2, 2] never appears; terms missing (true)
    Case("missing-tap-every-window", lambda: (skip_last_tap, (5, 5), (3, 3)), "unknown", {}, NO_MATCH,
         says=r"missing"),
    # one extra product x[4, 4] k[0, 0] in y[0, 0]: the true reason is an extra term, not "nothing matches"
    Case("tiny-extra-term", _tiny_extra_term, "unknown", {}, NO_MATCH, says=r"extra"),
    # 2*correlate(x, k) = correlate(x, 2k): a correlation of x with ANOTHER kernel, but as a function of
    # (x, k) it is twice the correlation and no kind carries a scale, so "unknown" -- and the reason is the
    # factor 2; "terms are missing or extra" is false (every term is there, each with coefficient 2)
    Case("scaled-by-2", lambda: (2 * sc.correlate(X5, K3),), "unknown", {}, NO_MATCH,
         says=r"scal|twice|factor|times 2|2 times", denies=("missing or extra",)),
    # -scipy.signal.correlate: the same with the factor -1
    Case("negated-scipy-correlate", lambda: (lambda a, b: -ss.correlate(a, b, "valid"), (6,), (3,)), "unknown",
         {}, NO_MATCH, says=r"scal|negat|sign|factor|-1|minus", denies=("missing or extra",)),
    # np.sum(window * c.T): y[i, j] = sum x[i+u, j+v] k[v, u], the kernel's axes swapped
    Case("kernel-transposed", lambda: (lambda a, c: np_sum_window(a, c.T), (5, 5), (3, 3)), "unknown", {},
         NO_MATCH, says=r"transpos|axes (are )?swapped"),
    # x[(i + u) % 6]: a circular (wrap-around) correlation, not a zero-padded one; the reason is the wrap
    Case("circular-wrap-loop", lambda: (circular_1d, (6,), (3,)), "unknown", {}, NO_MATCH,
         says=r"wrap|circular|periodic|modulo"),
    # convolve2d(boundary='wrap'): SciPy's circular convolution (identify's readings are zero-padded)
    Case("scipy.convolve2d-wrap", lambda: (lambda a, b: ss.convolve2d(a, b, "same", boundary="wrap"), (5, 5),
                                           (3, 3)), "unknown", {}, NO_MATCH, says=r"wrap|circular|periodic"),
    # not shift-invariant: position i uses tap (u + i) % 3 with x[i + u]
    Case("not-shift-invariant", lambda: (rotating_kernel, (6,), (3,)), "unknown", {}, NO_MATCH,
         says=r"shift|position|varies|invarian"),
    # x[i+u]^2 k[u]: degree 3, not bilinear (true)
    Case("x-squared-times-k", lambda: (squared_input, (6,), (3,)), "unknown", {}, NO_MATCH, says=r"not bilinear"),
    # + 1: a constant term, not bilinear (true)
    Case("constant-added", lambda: (plus_one, (6,), (3,)), "unknown", {}, NO_MATCH,
         says=r"not bilinear|constant"),
    # correlate(x, k) + correlate(x, w): three tensors (true)
    Case("three-tensors", lambda: (sc.correlate(X5, K3) + sc.correlate(X5, T("w", (3, 3))),), "unknown", {},
         NO_MATCH, says=r"3 tensors"),
    # x * k without the sum: each output is ONE product; the reason is the missing sum
    Case("elementwise-product-no-sum", lambda: (np.multiply, (3, 3), (3, 3)), "unknown", {}, NO_MATCH,
         says=r"element-wise product|not summed|no sum|without (a |the )?sum"),
    # sum x[i] x[i]: one tensor (true)
    Case("one-tensor-twice", lambda: (sc.hadamard_sum(T("x", (4,)), T("x", (4,))),), "unknown", {}, NO_MATCH,
         says=r"1 tensor"),
]


# ------------------------------------------------------------------------------------------------
# 6. formulas in textbook notation (no range keys: a formula fixes no output range, except a sum over all of the
#    input -- y[n] = sum_k x[k] h[n-k], the DSP textbook's definition -- which keeps every output: mode 'full')
# ------------------------------------------------------------------------------------------------
FORMULAS = [
    # A read at (m+u, n+v), B at (u, v): cross-correlation of A with kernel B
    Case("latex-A[m+u,n+v]B[u,v]", lambda: (r"C[m,n] = \sum_u \sum_v A[m+u, n+v] \cdot B[u,v]",), "correlation",
         {"stride": (1, 1), "dilation": (1, 1)},
         "This is a cross-correlation of A with the kernel B: the input index is (m + u, n + v), so the kernel is "
         "not flipped"),
    # Goodfellow (9.4): I the image, K the kernel, written with the sum over the image; convolution is
    # commutative, so the roles come from the names (sizes are not fixed by a formula): I is the input
    Case("latex-goodfellow-9.4", lambda: (r"S(i,j) = (I*K)(i,j) = \sum_m \sum_n I(m,n) K(i-m, j-n)",), "convolution",
         {"mode": "full", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)},
         "As its notation I * K says, this is a true convolution of I with K"),
    # Goodfellow (9.6): called convolution, computes a cross-correlation (README)
    Case("latex-goodfellow-9.6", lambda: (r"S(i,j) = (K*I)(i,j) = \sum_m \sum_n I(i+m, j+n) K(m,n)",), "correlation",
         {"stride": (1, 1), "dilation": (1, 1)},
         "The formula calls this a convolution, but it is a cross-correlation: the input index is (i + m, j + n), "
         "not (i - m, j - n)."),
    # DSP: x the signal, h the impulse response, sum over the signal: a convolution of x with h
    Case("latex-dsp-x[k]h[n-k]", lambda: (r"y[n] = \sum_k x[k] h[n-k]",), "convolution",
         {"mode": "full", "stride": (1,), "dilation": (1,), "flipped": (0,)}, "This is a true convolution of x with h"),
    # the commuted form: x read at n - k, so flipped along its only axis, said in words (axis 0, not "(0,)")
    Case("latex-dsp-h[k]x[n-k]", lambda: (r"y[n] = \sum_k h[k] x[n-k]",), "convolution",
         {"stride": (1,), "dilation": (1,), "flipped": (0,)},
         "This is a true convolution of x with h: the input index is n - k, so the kernel is flipped along axis 0."),
    # x_{s n + m}: stride s (a symbol), dilation 1; 1-D, so not "PyTorch's conv2d"
    Case("latex-strided-s", lambda: (r"y_n = \sum_{m=0}^{k-1} x_{s n + m} w_m",), "correlation",
         {"stride": (sympy.Symbol("s"),), "dilation": (1,)},
         "This is a cross-correlation of x with the kernel w: the input index is n*s + m, so the kernel is not "
         "flipped", denies=("conv2d",)),
    # x_{n + d m}: dilation d
    Case("latex-dilated-d", lambda: (r"y_n = \sum_{m} x_{n + d m} w_m",), "correlation",
         {"stride": (1,), "dilation": (sympy.Symbol("d"),)},
         "This is a cross-correlation of x with the kernel w: the input index is n + d*m"),
    # x[i+u-1]: a 'same'-style offset of -1 (x[-1] meets k[0] at i = 0)
    Case("latex-offset", lambda: (r"y[i] = \sum_{u=0}^{2} x[i+u-1] k[u]",), "correlation",
         {"stride": (1,), "dilation": (1,), "offset": (-1,)},
         "This is a cross-correlation of x with the kernel k: the input index is i + u - 1"),
    # k[2 - m] with x[n + m]: with j = 2 - m this is sum_j x[n + 2 - j] k[j], a convolution (offset 2); the
    # flip is in the KERNEL index, so "the input index is n + m, so the kernel is flipped" is no reason
    Case("latex-kernel-index-reversed", lambda: (r"y[n] = \sum_m x[n + m] k[2 - m]",), "convolution",
         {"stride": (1,), "dilation": (1,), "flipped": (0,), "offset": (2,)},
         "This is a true convolution of x with k", denies=("the input index is n + m, so the kernel is flipped",)),
    # written out, no sum: x[n+m] k[m] for m = 0, 1, 2; the explanation must name an index (not an empty one)
    Case("latex-written-out", lambda: (r"y[n] = x[n] k[0] + x[n+1] k[1] + x[n+2] k[2]",), "correlation",
         {"stride": (1,), "dilation": (1,)}, "This is a cross-correlation of x with the kernel k",
         denies=("index is ,", "read x at )")),
    # 3-D
    Case("latex-3d", lambda: (r"Y_{i,j,l} = \sum_{a}\sum_{b}\sum_{c} X_{i+a,j+b,l+c} W_{a,b,c}",), "correlation",
         {"stride": (1, 1, 1), "dilation": (1, 1, 1)},
         "This is a cross-correlation of X with the kernel W: the input index is (i + a, j + b, l + c)"),
    # a layer with channels and a bias (channels are a range key of the formula, bias is kept)
    Case("latex-layer-bias", lambda: (r"Y[f,i,j] = \sum_c \sum_u \sum_v X[c, i+u, j+v] W[f,c,u,v] + b[f]",),
         "correlation", {"stride": (1, 1), "dilation": (1, 1), "bias": True},
         "This is a cross-correlation of X with the kernel W: the input index is (i + u, j + v)"),
    # the star notation agrees: g read at m + n, f the kernel
    Case("latex-star-correlation", lambda: (r"(f \star g)[n] = \sum_m f[m] g[m+n]",), "correlation",
         {"stride": (1,), "dilation": (1,)}, "As its notation f \u22c6 g says, this is a cross-correlation of g with "
                                             "the kernel f"),
    Case("latex-hadamard", lambda: (r"s = \sum_i \sum_j A_{i,j} B_{i,j}",), "hadamard-sum", {},
         "This is the sum of the element-wise (Hadamard) products of A and B, one number"),
    Case("latex-matrix-product", lambda: (r"C_{i,j} = \sum_k A_{i,k} B_{k,j}",), "matrix-product", {},
         "This is the matrix product AB (row times column"),
    # W x: the matrix product of W with the column x (a fully connected layer)
    Case("latex-matrix-vector", lambda: (r"y_{i} = \sum_{j} W_{i,j} x_{j}",), "matrix-product", {},
         "This is the matrix product W"),
    # 2 x[i+u] k[u]: twice a correlation; no term is missing or extra
    Case("latex-scaled-by-2", lambda: (r"y[i] = \sum_u 2 x[i+u] k[u]",), "unknown", {}, NO_MATCH_FORMULA,
         says=r"scal|twice|factor|times 2|2 times", denies=("missing or extra",)),
    # k[v, u]: the kernel transposed
    Case("latex-kernel-transposed", lambda: (r"y[i,j] = \sum_u \sum_v x[i+u, j+v] k[v,u]",), "unknown", {},
         NO_MATCH_FORMULA, says=r"transpos|axes (are )?swapped"),
]

CASES = CODE + SCIPY + ARRAYS + NEAR + FORMULAS


def _ids(cases):
    return [c.id for c in cases]


def test_the_table_is_curated():
    ids = _ids(CASES + TORCH)
    assert len(ids) == len(set(ids)) and len(ids) >= 60
    assert {c.kind for c in CASES + TORCH} == {"correlation", "convolution", "hadamard-sum", "matrix-product",
                                                "unknown"}


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_identify_table(case):
    _check(case)


@pytest.mark.parametrize("case", TORCH, ids=_ids(TORCH))
def test_identify_table_torch(case):
    pytest.importorskip("torch")
    _check(case)


def _computed(case: Case):
    """What the case's object computes, independently of identify: traced, else probed."""
    obj, *shapes = case.build()
    if not callable(obj):
        return obj
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return sc.trace(obj, *shapes)
        except sc.SymconvError:
            return sc.probe(obj, *shapes)


WITH_REF = [c for c in CASES + TORCH if c.ref is not None]


@pytest.mark.parametrize("case", WITH_REF, ids=_ids(WITH_REF))
def test_hand_reading_is_exact(case):
    """The reading worked out by hand, rebuilt from symconv's operations, equals the object exactly
    (so a failure of the table above is identify's, not the expectation's)."""
    if case in TORCH:
        pytest.importorskip("torch")
    assert sc.equivalent(_computed(case), case.ref())
