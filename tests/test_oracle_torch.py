"""symconv's layer operations, evaluated numerically, against PyTorch (float64, CPU) as an oracle.

Every test builds the symbolic layer with tensors ``x``, ``w`` (and ``b``), substitutes random
numbers with ``symconv.evaluate`` and compares with ``torch.nn.functional`` on the same numbers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import symconv as sc

torch = pytest.importorskip("torch")
F = torch.nn.functional

SETTINGS = settings(max_examples=75, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
TOL = {"rtol": 1e-10, "atol": 1e-10}
CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
MODULE = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}
SEED = st.integers(0, 2**32 - 1)


def _values(seed, shape, kind="float"):
    rng = np.random.default_rng(seed)
    return rng.integers(-9, 10, size=shape) if kind == "int" else rng.standard_normal(shape)


def _t(a):
    return None if a is None else torch.from_numpy(np.asarray(a, dtype=np.float64))


def _evaluate(result, X, W, B):
    return sc.evaluate(result, x=X, w=W, **({} if B is None else {"b": B}))


def _per_axis(draw, nd, values):
    """An int or a per-axis tuple, as the layer arguments accept."""
    if draw(st.booleans()):
        return draw(values)
    return tuple(draw(st.lists(values, min_size=nd, max_size=nd)))


def _tuple(v, nd):
    return (v,) * nd if isinstance(v, int) else tuple(v)


@st.composite
def channels(draw, depthwise_ok=True):
    """(groups, C_in, C_out): groups divides both; depthwise (groups == C_in) included."""
    groups = draw(st.sampled_from((1, 1, 2, 3)))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    if depthwise_ok and draw(st.integers(0, 4)) == 0:
        c_in = groups = draw(st.integers(1, 3))
        c_out = c_in * draw(st.integers(1, 2))
    return groups, c_in, c_out


@st.composite
def conv_case(draw, nd, padding_modes=("zeros",)):
    groups, c_in, c_out = draw(channels())
    kernel = tuple(draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    dilation = _per_axis(draw, nd, st.integers(1, 2))
    padding_mode = draw(st.sampled_from(padding_modes))
    kind = draw(st.sampled_from(("int", "tuple", "valid", "same")))
    stride = 1 if kind == "same" else _per_axis(draw, nd, st.integers(1, 3))
    padding = kind if kind in ("valid", "same") else _per_axis(draw, nd, st.integers(0, 2))
    dil = _tuple(dilation, nd)
    extent = [d * (k - 1) + 1 for k, d in zip(kernel, dil)]
    if kind == "same":
        pads = [(e - 1) - (e - 1) // 2 for e in extent]  # the larger (right) side
    elif kind == "valid":
        pads = [0] * nd
    else:
        pads = list(_tuple(padding, nd))
    spatial = []
    for e, p in zip(extent, pads):
        low = max(1, e - 2 * p) if kind != "same" else 1
        if padding_mode == "reflect":
            low = max(low, p + 1)  # PyTorch: reflect padding < input size
        elif padding_mode == "circular":
            low = max(low, p)  # PyTorch: circular padding <= input size
        spatial.append(draw(st.integers(low, low + 3)))
    batch = draw(st.sampled_from((None, 1, 2)))
    bias = draw(st.booleans())
    x_shape = ((batch,) if batch else ()) + (c_in,) + tuple(spatial)
    w_shape = (c_out, c_in // groups) + kernel
    return dict(x_shape=x_shape, w_shape=w_shape, bias=bias, stride=stride, padding=padding,
                dilation=dilation, groups=groups, padding_mode=padding_mode)


def _sc_conv(case, X, W, B):
    x, w = sc.tensor("x", case["x_shape"]), sc.tensor("w", case["w_shape"])
    b = sc.tensor("b", (case["w_shape"][0],)) if B is not None else None
    result = sc.conv(x, w, b, stride=case["stride"], padding=case["padding"], dilation=case["dilation"],
                     groups=case["groups"], padding_mode=case["padding_mode"])
    return _evaluate(result, X, W, B)


def _torch_conv(case, X, W, B):
    nd = len(case["w_shape"]) - 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # 'same' with even kernels: PyTorch pads a copy
        if case["padding_mode"] == "zeros":
            return CONV[nd](_t(X), _t(W), _t(B), stride=case["stride"], padding=case["padding"],
                            dilation=case["dilation"], groups=case["groups"]).numpy()
        c_out, c_in_g, *kernel = case["w_shape"]
        layer = MODULE[nd](c_in_g * case["groups"], c_out, tuple(kernel), stride=case["stride"],
                           padding=case["padding"], dilation=case["dilation"], groups=case["groups"],
                           bias=B is not None, padding_mode=case["padding_mode"], dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(_t(W))
            if B is not None:
                layer.bias.copy_(_t(B))
            return layer(_t(X)).numpy()


def _check_conv(case, seed, kind="float"):
    X = _values(seed, case["x_shape"], kind)
    W = _values(seed + 1, case["w_shape"], kind)
    B = _values(seed + 2, (case["w_shape"][0],), kind) if case["bias"] else None
    got, ref = _sc_conv(case, X, W, B), _torch_conv(case, X, W, B)
    assert got.shape == ref.shape, (got.shape, ref.shape, case)
    if kind == "int":
        assert got.dtype.kind in "iu", f"integer inputs gave dtype {got.dtype}; expected exact integers"
        assert_array_equal(got, ref)
    else:
        assert_allclose(got, ref, **TOL)


# -- conv ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("nd", [1, 2, 3])
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_conv_matches_torch(nd, data, seed):
    _check_conv(data.draw(conv_case(nd)), seed)


@pytest.mark.parametrize("nd", [1, 2])
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_conv_integer_values_are_exact(nd, data, seed):
    """Small integers: float64 PyTorch is exact, and symconv must return exact integers."""
    _check_conv(data.draw(conv_case(nd)), seed, kind="int")


@pytest.mark.parametrize("nd", [1, 2, 3])
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_conv_padding_modes_match_torch_module(nd, data, seed):
    _check_conv(data.draw(conv_case(nd, ("reflect", "replicate", "circular"))), seed)


@pytest.mark.parametrize("padding_mode", ["reflect", "replicate", "circular"])
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_conv_padding_modes_match_f_pad(padding_mode, data, seed):
    """The same through F.pad + F.conv2d (unpadded), an independent route through PyTorch."""
    case = data.draw(conv_case(2, (padding_mode,)))
    assume(not isinstance(case["padding"], str))
    X = _values(seed, case["x_shape"], "float")
    W = _values(seed + 1, case["w_shape"], "float")
    B = _values(seed + 2, (case["w_shape"][0],), "float") if case["bias"] else None
    ph, pw = _tuple(case["padding"], 2)
    xt = _t(X) if len(case["x_shape"]) == 4 else _t(X)[None]
    padded = F.pad(xt, (pw, pw, ph, ph), mode=padding_mode)
    ref = F.conv2d(padded, _t(W), _t(B), stride=case["stride"], dilation=case["dilation"], groups=case["groups"])
    ref = (ref if len(case["x_shape"]) == 4 else ref[0]).numpy()
    got = _sc_conv(case, X, W, B)
    assert got.shape == ref.shape
    assert_allclose(got, ref, **TOL)


@SETTINGS
@given(data=st.data(), seed=SEED)
def test_conv_refuses_exactly_when_torch_refuses(data, seed):
    """Padding too large for reflect/circular, or an empty output: PyTorch raises, so must symconv;
    otherwise the values agree."""
    nd = data.draw(st.sampled_from((1, 2)))
    spatial = tuple(data.draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    kernel = tuple(data.draw(st.lists(st.integers(1, 3), min_size=nd, max_size=nd)))
    case = dict(x_shape=(1,) + spatial, w_shape=(1, 1) + kernel, bias=False,
                stride=_per_axis(data.draw, nd, st.integers(1, 2)), padding=_per_axis(data.draw, nd, st.integers(0, 5)),
                dilation=_per_axis(data.draw, nd, st.integers(1, 2)), groups=1,
                padding_mode=data.draw(st.sampled_from(("zeros", "reflect", "replicate", "circular"))))
    X, W = _values(seed, case["x_shape"]), _values(seed + 1, case["w_shape"])
    try:
        ref = _torch_conv(case, X, W, None)
    except (RuntimeError, ValueError, NotImplementedError):
        ref = None
    if ref is None:
        with pytest.raises(sc.SymconvError):
            _sc_conv(case, X, W, None)
    else:
        assert_allclose(_sc_conv(case, X, W, None), ref, **TOL)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kernel", [2, 4])
@pytest.mark.parametrize("dilation", [1, 2, 3])
def test_conv_same_padding_even_kernels(nd, kernel, dilation):
    case = dict(x_shape=(2,) + (5,) * nd, w_shape=(3, 2) + (kernel,) * nd, bias=True, stride=1, padding="same",
                dilation=dilation, groups=1, padding_mode="zeros")
    _check_conv(case, seed=nd * 100 + kernel * 10 + dilation)


# -- conv_transpose ------------------------------------------------------------------------------
@st.composite
def conv_transpose_case(draw, nd):
    groups, c_in, c_out = draw(channels())
    kernel = tuple(draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    stride = _per_axis(draw, nd, st.integers(1, 3))
    dilation = _per_axis(draw, nd, st.integers(1, 3))
    padding = _per_axis(draw, nd, st.integers(0, 3))
    s, d, p = _tuple(stride, nd), _tuple(dilation, nd), _tuple(padding, nd)
    output_padding = tuple(draw(st.integers(0, max(a, b) - 1)) for a, b in zip(s, d))
    if draw(st.booleans()) and len(set(output_padding)) == 1:
        output_padding = output_padding[0]
    spatial = tuple(draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    op = _tuple(output_padding, nd)
    # PyTorch's output length (n-1)*s - 2p + d*(k-1) + op + 1 must be positive
    assume(all((n - 1) * a - 2 * c + b * (k - 1) + e + 1 >= 1
               for n, a, b, c, k, e in zip(spatial, s, d, p, kernel, op)))
    batch = draw(st.sampled_from((None, 1, 2)))
    return dict(x_shape=((batch,) if batch else ()) + (c_in,) + spatial, w_shape=(c_in, c_out // groups) + kernel,
                bias=draw(st.booleans()), stride=stride, padding=padding, output_padding=output_padding,
                dilation=dilation, groups=groups)


@pytest.mark.parametrize("nd", [1, 2, 3])
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_conv_transpose_matches_torch(nd, data, seed):
    case = data.draw(conv_transpose_case(nd))
    X, W = _values(seed, case["x_shape"]), _values(seed + 1, case["w_shape"])
    c_out = case["w_shape"][1] * case["groups"]
    B = _values(seed + 2, (c_out,)) if case["bias"] else None
    x, w = sc.tensor("x", case["x_shape"]), sc.tensor("w", case["w_shape"])
    b = sc.tensor("b", (c_out,)) if B is not None else None
    opts = {key: case[key] for key in ("stride", "padding", "output_padding", "dilation", "groups")}
    got = _evaluate(sc.conv_transpose(x, w, b, **opts), X, W, B)
    ref = CONV_T[nd](_t(X), _t(W), _t(B), **opts).numpy()
    assert got.shape == ref.shape, (got.shape, ref.shape, case)
    assert_allclose(got, ref, **TOL)


# -- im2col and im2col_matmul --------------------------------------------------------------------
@st.composite
def window_case(draw, nd=2):
    c = draw(st.integers(1, 3))
    kernel = tuple(draw(st.lists(st.integers(1, 3), min_size=nd, max_size=nd)))
    stride = _per_axis(draw, nd, st.integers(1, 3))
    dilation = _per_axis(draw, nd, st.integers(1, 2))
    padding = _per_axis(draw, nd, st.integers(0, 2))
    d, p = _tuple(dilation, nd), _tuple(padding, nd)
    spatial = tuple(draw(st.integers(max(1, b * (k - 1) + 1 - 2 * q), 6)) for k, b, q in zip(kernel, d, p))
    return c, spatial, kernel, dict(stride=stride, padding=padding, dilation=dilation)


@SETTINGS
@given(case=window_case(), seed=SEED)
def test_im2col_is_unfold_transposed(case, seed):
    c, spatial, kernel, opts = case
    X = _values(seed, (c,) + spatial)
    got = np.asarray(sc.evaluate(sc.im2col(sc.tensor("x", (c,) + spatial), kernel, **opts), x=X))
    ref = F.unfold(_t(X)[None], kernel, **opts)[0].T.numpy()
    assert got.shape == ref.shape
    assert_allclose(got, ref, **TOL)


@pytest.mark.parametrize("nd", [1, 2, 3])
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_im2col_matmul_is_conv(nd, data, seed):
    c, spatial, kernel, opts = data.draw(window_case(nd))
    c_out = data.draw(st.integers(1, 3))
    X, W = _values(seed, (c,) + spatial), _values(seed + 1, (c_out, c) + kernel)
    result = sc.im2col_matmul(sc.tensor("x", (c,) + spatial), sc.tensor("w", (c_out, c) + kernel), **opts)
    got = sc.evaluate(result, x=X, w=W)
    ref = CONV[nd](_t(X)[None], _t(W), **opts)[0].numpy()
    assert got.shape == ref.shape
    assert_allclose(got, ref, **TOL)


@SETTINGS
@given(case=window_case(), seed=SEED)
def test_im2col_matmul_single_channel_2d_is_conv(case, seed):
    """The (*spatial) input with a (*kernel) filter: one channel in, one out."""
    _, spatial, kernel, opts = case
    X, W = _values(seed, spatial), _values(seed + 1, kernel)
    got = sc.evaluate(sc.im2col_matmul(sc.tensor("x", spatial), sc.tensor("w", kernel), **opts), x=X, w=W)
    ref = F.conv2d(_t(X)[None, None], _t(W)[None, None], **opts)[0, 0].numpy()
    assert got.shape == ref.shape
    assert_allclose(got, ref, **TOL)


# -- output_shape --------------------------------------------------------------------------------
def _torch_shape(fn, nd, spatial, kernel, **opts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            x = torch.zeros((1, 1) + spatial, dtype=torch.float64)
            return tuple(fn(x, torch.zeros((1, 1) + kernel, dtype=torch.float64), **opts).shape[2:])
        except (RuntimeError, ValueError):
            return None


def _sc_shape(spatial, kernel, **opts):
    try:
        return sc.output_shape(spatial, kernel, **opts)
    except sc.SymconvError:
        return None


@SETTINGS
@given(data=st.data())
def test_output_shape_is_torch_shape(data):
    nd = data.draw(st.sampled_from((1, 2, 3)))
    spatial = tuple(data.draw(st.lists(st.integers(1, 8), min_size=nd, max_size=nd)))
    kernel = tuple(data.draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    stride = _per_axis(data.draw, nd, st.integers(1, 3))
    dilation = _per_axis(data.draw, nd, st.integers(1, 3))
    padding = data.draw(st.one_of(st.sampled_from(("valid", "same")), st.integers(0, 3),
                                  st.lists(st.integers(0, 3), min_size=nd, max_size=nd).map(tuple)))
    if padding == "same" and data.draw(st.booleans()):
        stride = 1
    opts = dict(stride=stride, padding=padding, dilation=dilation)
    ref = _torch_shape(CONV[nd], nd, spatial, kernel, **opts)
    assert _sc_shape(spatial, kernel, **opts) == ref  # None: both refuse (empty output, 'same' with stride)


@SETTINGS
@given(data=st.data())
def test_output_shape_transposed_is_torch_shape(data):
    nd = data.draw(st.sampled_from((1, 2, 3)))
    spatial = tuple(data.draw(st.lists(st.integers(1, 6), min_size=nd, max_size=nd)))
    kernel = tuple(data.draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    stride = _per_axis(data.draw, nd, st.integers(1, 3))
    dilation = _per_axis(data.draw, nd, st.integers(1, 3))
    padding = _per_axis(data.draw, nd, st.integers(0, 3))
    output_padding = _per_axis(data.draw, nd, st.integers(0, 3))  # also too large: both must refuse
    opts = dict(stride=stride, padding=padding, dilation=dilation, output_padding=output_padding)
    ref = _torch_shape(CONV_T[nd], nd, spatial, kernel, **opts)
    assert _sc_shape(spatial, kernel, transposed=True, **opts) == ref
