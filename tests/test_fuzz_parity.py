"""Random configurations of every operation against SciPy and PyTorch, integer data compared exactly.

CI runs a small profile; the thorough run of the issue (at least 10,000 configurations) is::

    SYMCONV_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz_parity.py -q

(each test draws that many examples; seeds are fixed by ``derandomize``).  Integer data keep
SciPy's direct method and PyTorch's float64 exact, so every comparison is ``array_equal``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import scipy.signal as ss
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import symconv as sc

EXAMPLES = int(os.environ.get("SYMCONV_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SEED = st.integers(0, 2**32 - 1)


def ints(seed, shape, low=-9, high=10):
    return np.random.default_rng(seed).integers(low, high, size=shape)


def per_axis(draw, nd, values):
    return draw(values) if draw(st.booleans()) else tuple(draw(st.lists(values, min_size=nd, max_size=nd)))


def as_tuple(v, nd):
    return (v,) * nd if isinstance(v, int) else tuple(v)


def dilate(k, dilation):
    out = np.zeros(tuple(d * (n - 1) + 1 for n, d in zip(k.shape, dilation)), dtype=k.dtype)
    out[tuple(slice(None, None, d) for d in dilation)] = k
    return out


# -- scipy.signal ------------------------------------------------------------------------------------
@st.composite
def signal_configs(draw):
    nd = draw(st.integers(1, 3))
    op = draw(st.sampled_from(["correlate", "convolve"]))
    mode = draw(st.sampled_from(["valid", "same", "full"]))
    xs = tuple(draw(st.lists(st.integers(1, 5), min_size=nd, max_size=nd)))
    boundary = draw(st.sampled_from([None, None, "fill", "wrap", "symm"])) if nd == 2 else None
    fill = draw(st.integers(-3, 3)) if boundary == "fill" else 0
    dilation = as_tuple(per_axis(draw, nd, st.integers(1, 3)), nd)
    stride = per_axis(draw, nd, st.integers(1, 3))
    if boundary is not None:
        dilation, stride = (1, 1), 1  # correlate2d has neither
    if mode == "valid":
        larger = draw(st.booleans())
        ks = tuple(draw(st.integers(1, 5)) for _ in xs)
        extent = [d * (k - 1) + 1 for k, d in zip(ks, dilation)]
        assume(all(e <= n for e, n in zip(extent, xs)) or all(e >= n for e, n in zip(extent, xs)))
        assume(larger == all(e >= n for e, n in zip(extent, xs)) or not larger)
    else:
        ks = tuple(draw(st.lists(st.integers(1, 5), min_size=nd, max_size=nd)))
    return op, mode, xs, ks, dilation, stride, boundary, fill


@SETTINGS
@given(config=signal_configs(), seed=SEED, symbolic=st.booleans())
def test_signal_ops_against_scipy(config, seed, symbolic):
    op, mode, xs, ks, dilation, stride, boundary, fill = config
    X, K = ints(seed, xs), ints(seed + 1, ks)
    if boundary is None:
        want = getattr(ss, op)(X, dilate(K, dilation), mode, method="direct")
    else:
        fn = ss.correlate2d if op == "correlate" else ss.convolve2d
        want = fn(X, K, mode, boundary, fill)
    want = want[tuple(slice(None, None, s) for s in as_tuple(stride, len(xs)))]
    kw = {"stride": stride, "dilation": dilation}
    if boundary is not None:
        kw.update(boundary=boundary, fillvalue=fill)
    if symbolic:
        got = sc.evaluate(getattr(sc, op)(sc.tensor("x", xs), sc.tensor("k", ks), mode, **kw), x=X, k=K)
    else:
        got = sc.evaluate(getattr(sc, op)(X, K, mode, **kw))
    assert np.asarray(got).shape == want.shape and np.array_equal(got, want)


# -- torch.nn.functional -------------------------------------------------------------------------------
@st.composite
def layer_configs(draw, transposed=False):
    nd = draw(st.integers(1, 3))
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.lists(st.integers(1, 3), min_size=nd, max_size=nd)))
    spatial = tuple(draw(st.lists(st.integers(1, 6), min_size=nd, max_size=nd)))
    batch = draw(st.sampled_from([None, 0, 1, 2]))
    dilation = per_axis(draw, nd, st.integers(1, 2))
    bias = draw(st.booleans())
    if transposed:
        stride = per_axis(draw, nd, st.integers(1, 3))
        padding = per_axis(draw, nd, st.integers(0, 2))
        st_, di = as_tuple(stride, nd), as_tuple(dilation, nd)
        extra = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(st_, di))
        return nd, groups, c_in, c_out, kernel, spatial, batch, stride, padding, dilation, bias, extra, "zeros"
    kind = draw(st.sampled_from(["int", "tuple", "valid", "same"]))
    stride = 1 if kind == "same" else per_axis(draw, nd, st.integers(1, 3))
    padding = kind if kind in ("valid", "same") else per_axis(draw, nd, st.integers(0, 2))
    mode = draw(st.sampled_from(["zeros", "zeros", "reflect", "replicate", "circular"]))
    return nd, groups, c_in, c_out, kernel, spatial, batch, stride, padding, dilation, bias, None, mode


def _torch_conv(torch, nd, X, W, B, stride, padding, dilation, groups, mode):
    F = torch.nn.functional
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[nd]
    if mode == "zeros":
        return conv(X, W, B, stride=stride, padding=padding, dilation=dilation, groups=groups)
    module = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}[nd](
        W.shape[1] * groups, W.shape[0], W.shape[2:], stride=stride, padding=padding, dilation=dilation,
        groups=groups, bias=B is not None, padding_mode=mode).double()
    with torch.no_grad():
        module.weight.copy_(W)
        if B is not None:
            module.bias.copy_(B)
        return module(X)


@SETTINGS
@given(config=layer_configs(), seed=SEED)
def test_conv_against_torch(config, seed):
    torch = pytest.importorskip("torch")
    nd, groups, c_in, c_out, kernel, spatial, batch, stride, padding, dilation, bias, _, mode = config
    xs = ((batch,) if batch is not None else ()) + (c_in,) + spatial
    ws = (c_out, c_in // groups) + kernel
    X, W, B = ints(seed, xs), ints(seed + 1, ws), (ints(seed + 2, (c_out,)) if bias else None)
    tx = torch.from_numpy(X.astype(np.float64))
    tx = tx if batch is not None else tx[None]
    try:
        ref = _torch_conv(torch, nd, tx, torch.from_numpy(W.astype(np.float64)),
                          None if B is None else torch.from_numpy(B.astype(np.float64)),
                          stride, padding, dilation, groups, mode)
    except (RuntimeError, ValueError, NotImplementedError):
        with pytest.raises(sc.SymconvError):
            sc.conv(X, W, B, stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=mode)
        return
    want = ref.numpy() if batch is not None else ref.numpy()[0]
    values = {"x": X, "w": W, **({"b": B} if bias else {})}
    y = sc.conv(sc.tensor("x", xs), sc.tensor("w", ws), None if B is None else sc.tensor("b", (c_out,)),
                stride=stride, padding=padding, dilation=dilation, groups=groups, padding_mode=mode)
    got = sc.evaluate(y, **values)
    assert np.asarray(got).shape == want.shape and np.array_equal(got, want.astype(np.int64))


@SETTINGS
@given(config=layer_configs(transposed=True), seed=SEED)
def test_conv_transpose_against_torch(config, seed):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    nd, groups, c_in, c_out, kernel, spatial, batch, stride, padding, dilation, bias, extra, _ = config
    xs = ((batch,) if batch is not None else ()) + (c_in,) + spatial
    ws = (c_in, c_out // groups) + kernel
    X, W, B = ints(seed, xs), ints(seed + 1, ws), (ints(seed + 2, (c_out,)) if bias else None)
    tx = torch.from_numpy(X.astype(np.float64))
    fn = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[nd]
    try:
        ref = fn(tx if batch is not None else tx[None], torch.from_numpy(W.astype(np.float64)),
                 None if B is None else torch.from_numpy(B.astype(np.float64)), stride=stride, padding=padding,
                 output_padding=extra, groups=groups, dilation=dilation)
    except (RuntimeError, ValueError):
        with pytest.raises(sc.SymconvError):
            sc.conv_transpose(X, W, B, stride=stride, padding=padding, output_padding=extra, groups=groups,
                              dilation=dilation)
        return
    if 0 in ref.shape[2:]:  # PyTorch skips its size check for a zero batch; symconv refuses an empty output always
        with pytest.raises(sc.ShapeError, match="empty"):
            sc.conv_transpose(X, W, B, stride=stride, padding=padding, output_padding=extra, groups=groups,
                              dilation=dilation)
        return
    want = ref.numpy() if batch is not None else ref.numpy()[0]
    got = sc.evaluate(sc.conv_transpose(X, W, B, stride=stride, padding=padding, output_padding=extra,
                                        groups=groups, dilation=dilation))
    assert np.asarray(got).shape == want.shape and np.array_equal(got, want.astype(np.int64))


# -- the equivalent forms, each against NumPy / SciPy / PyTorch ------------------------------------------
@st.composite
def form_configs(draw):
    nd = draw(st.integers(1, 3))
    xs = tuple(draw(st.lists(st.integers(1, 6), min_size=nd, max_size=nd)))
    ks = tuple(draw(st.integers(1, n)) for n in xs)
    stride = per_axis(draw, nd, st.integers(1, 3))
    dilation = as_tuple(per_axis(draw, nd, st.integers(1, 2)), nd)
    assume(all(d * (k - 1) + 1 <= n for d, k, n in zip(dilation, ks, xs)))
    return xs, ks, stride, dilation


@SETTINGS
@given(config=form_configs(), seed=SEED)
def test_forms_against_numpy_and_scipy(config, seed):
    xs, ks, stride, dilation = config
    X, K = ints(seed, xs), ints(seed + 1, ks)
    want = ss.correlate(X, dilate(K, dilation), "valid", method="direct")
    want = want[tuple(slice(None, None, s) for s in as_tuple(stride, len(xs)))]
    got = sc.evaluate(sc.im2col_matmul(X, K, stride=stride, dilation=dilation, channels=False))
    assert np.array_equal(got, want)
    T = sc.evaluate(sc.toeplitz(K, xs, stride=stride, dilation=dilation))
    assert np.array_equal(T @ X.reshape(-1), want.reshape(-1))
    fields = sc.evaluate(sc.windows(X, ks, stride=stride, dilation=dilation))
    assert np.array_equal(np.tensordot(fields, K, axes=len(xs)), want)
    first = tuple(slice(0, d * (k - 1) + 1, d) for k, d in zip(ks, dilation))
    assert sc.hadamard_sum(X[first], K) == int(np.sum(X[first] * K)) == sc.dot_flat(X[first], K)


@SETTINGS
@given(config=form_configs(), seed=SEED, channels=st.integers(1, 3))
def test_im2col_against_torch_unfold(config, seed, channels):
    torch = pytest.importorskip("torch")
    xs, ks, stride, dilation = config
    assume(len(xs) == 2)
    X = ints(seed, (channels,) + xs)
    cols = torch.nn.functional.unfold(torch.from_numpy(X[None].astype(np.float64)), ks, dilation=dilation,
                                      stride=stride)[0].numpy().T
    got = sc.evaluate(sc.im2col(X, ks, stride=stride, dilation=dilation))
    assert np.array_equal(got, cols.astype(np.int64))
