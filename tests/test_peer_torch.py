"""PyTorch's own convolution test cases, ported to symconv.

Every configuration below comes from PyTorch's test suite and is restated here (the tests are
written for symconv, not copied).  Each case carries a comment naming its source:

* ``common_nn``   -- torch/testing/_internal/common_nn.py (PyTorch 2.13.0, as installed),
                     the Conv*/ConvTranspose* entries of ``new_module_tests`` (PyTorch runs each
                     as ``test_<fullname>`` or ``test_<module_name>_<desc>``);
* ``cmi``         -- torch/testing/_internal/common_methods_invocations.py (2.13.0):
                     ``sample_inputs_conv{1,2,3}d``, ``sample_inputs_conv_transpose{1,2,3}d``
                     (each case is yielded batched and unbatched) and ``error_inputs_conv{1,2,3}d``;
* ``test_conv``   -- test/nn/test_convolution.py of pytorch/pytorch (read at commit 00131b6b),
                     classes TestConvolutionNN / TestConvolutionNNDeviceType, named by test method;
* ``test_cpu_repro`` -- test/inductor/test_cpu_repro.py of pytorch/pytorch (commit 000b3bd8);
* ``runtime``     -- not a case of the suite but PyTorch 2.13's behaviour around one; every such
                     test asserts that behaviour of torch at runtime before checking symconv.

Each numeric test draws integer-valued float64 operands from a seeded generator (small
integers, so float64 arithmetic is exact), runs PyTorch (CPU, float64) and symconv
(symbolic tensors ``x``, ``w``, ``b`` substituted with ``symconv.evaluate``; numeric operands
where an operand has a zero-size axis) and compares shapes and values exactly.  Every error
test asserts first that PyTorch raises, then that symconv raises a ``SymconvError``.
CUDA-only tests of PyTorch are ported for their configurations (forward results on CPU).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import warnings
import zlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import symconv as sc  # noqa: E402
from symconv.errors import InvalidArgumentError, ShapeError, SymconvError  # noqa: E402

F = torch.nn.functional
nn = torch.nn

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
CONV_MOD = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONV_T_MOD = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}
LOW, HIGH = -3, 3  # operand entries are integers in [LOW, HIGH]


# -------------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """Single-threaded torch: these operands are tiny, and on a busy machine PyTorch's thread pool costs
    tens of milliseconds per call.  The previous setting is restored after the module."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _rng(*key):
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _ints(rng, shape, low=LOW, high=HIGH):
    return rng.integers(low, high + 1, size=tuple(shape)).astype(np.float64)


def _t(a):
    return None if a is None else torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64))


@contextlib.contextmanager
def _quiet():
    """PyTorch warns for padding='same' with even kernels and for zero-element parameters."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def _symconv(transposed, X, W, B, kw):
    """(result, evaluated result) of symconv's layer on these operands."""
    op = sc.conv_transpose if transposed else sc.conv
    if 0 in X.shape or 0 in W.shape:  # sc.tensor takes positive sizes only: pass the numbers
        result = op(X, W, B, **kw)
        return result, sc.evaluate(result)
    x, w = sc.tensor("x", X.shape), sc.tensor("w", W.shape)
    b = None if B is None else sc.tensor("b", B.shape)
    result = op(x, w, b, **kw)
    values = {"x": X, "w": W} if B is None else {"x": X, "w": W, "b": B}
    return result, sc.evaluate(result, **values)


def _numeric(transposed, X, W, B=None, **kw):
    """symconv's layer on numeric operands, evaluated."""
    op = sc.conv_transpose if transposed else sc.conv
    return np.asarray(sc.evaluate(op(X, W, B, **kw)), dtype=np.float64)


def _assert_same(value, expected, what=""):
    value = np.asarray(value, dtype=np.float64)
    assert value.shape == expected.shape, f"{what}: symconv shape {value.shape}, torch shape {expected.shape}"
    if not np.array_equal(value, expected):
        bad = np.argwhere(value != expected)
        i = tuple(int(v) for v in bad[0])
        raise AssertionError(f"{what}: {len(bad)} of {value.size} entries differ; first at {i}: "
                             f"symconv {value[i]}, torch {expected[i]}")


def _assert_matches(transposed, X, W, B, kw, expected):
    """symconv's layer equals PyTorch's `expected` (a tensor): shape, values and `output_shape`."""
    expected = expected.detach().numpy()
    result, value = _symconv(transposed, X, W, B, kw)
    assert tuple(result.shape) == expected.shape, (
        f"symconv result shape {tuple(result.shape)}, torch {expected.shape} (kw={kw})")
    _assert_same(value, expected, f"kw={kw}")
    nd = W.ndim - 2
    if 0 not in X.shape[-nd:]:
        shape_kw = {k: v for k, v in kw.items() if k in ("stride", "padding", "dilation")}
        if transposed:
            shape_kw["output_padding"] = kw.get("output_padding", 0)
        assert sc.output_shape(X.shape[-nd:], W.shape[2:], transposed=transposed, **shape_kw) == expected.shape[-nd:]
    return value


def _functional(transposed, x_shape, w_shape, b_shape, key, **kw):
    """Compare symconv with ``torch.nn.functional.conv[_transpose]{1,2,3}d`` on random integers."""
    rng = _rng(key, x_shape, w_shape, b_shape, kw)
    X, W = _ints(rng, x_shape), _ints(rng, w_shape)
    B = None if b_shape is None else _ints(rng, b_shape)
    nd = len(w_shape) - 2
    fn = (CONV_T if transposed else CONV)[nd]
    with _quiet():
        expected = fn(_t(X), _t(W), _t(B), **kw)
    return X, W, B, _assert_matches(transposed, X, W, B, kw, expected)


def _module_kwargs(m):
    """The symconv keyword arguments of a torch conv module."""
    kw = {"stride": tuple(m.stride), "dilation": tuple(m.dilation), "groups": m.groups,
          "padding": m.padding if isinstance(m.padding, str) else tuple(m.padding)}
    if m.transposed:
        kw["output_padding"] = tuple(m.output_padding)
    else:
        kw["padding_mode"] = m.padding_mode
    return kw


def _set_params(m, rng, low=LOW, high=HIGH):
    m.double()
    W = _ints(rng, m.weight.shape, low, high)
    B = None if m.bias is None else _ints(rng, m.bias.shape, low, high)
    with torch.no_grad():
        m.weight.copy_(_t(W))
        if B is not None:
            m.bias.copy_(_t(B))
    return W, B


def _module(m, input_shape, key, low=LOW, high=HIGH, **forward_kw):
    """Compare symconv with the torch module `m` (weights set to random integers) on one input."""
    rng = _rng(key, input_shape)
    with _quiet():
        W, B = _set_params(m, rng, low, high)
        X = _ints(rng, input_shape, low, high)
        with torch.no_grad():
            expected = m(_t(X), **forward_kw)
    kw = _module_kwargs(m)
    return X, W, B, kw, _assert_matches(m.transposed, X, W, B, kw, expected)


def _module_raises(m, input_shape, expected_error=SymconvError, torch_error=RuntimeError):
    """PyTorch's module raises on this input, and symconv raises `expected_error` on the same call."""
    with _quiet():
        m.double()
        X = np.zeros(input_shape)
        with pytest.raises(torch_error):
            m(_t(X))
    W = np.ones(tuple(m.weight.shape))
    B = None if m.bias is None else np.ones(tuple(m.bias.shape))
    with pytest.raises(expected_error):
        (sc.conv_transpose if m.transposed else sc.conv)(X, W, B, **_module_kwargs(m))


def _functional_raises(transposed, x_shape, w_shape, b_shape, expected_error, match=None, torch_nd=None, **kw):
    nd = torch_nd or min(max(len(w_shape) - 2, 1), 3)
    fn = (CONV_T if transposed else CONV)[nd]
    X, W = np.ones(x_shape), np.ones(w_shape)
    B = None if b_shape is None else np.ones(b_shape)
    with _quiet():
        with pytest.raises((RuntimeError, ValueError)):
            fn(_t(X), _t(W), _t(B), **kw)
    with pytest.raises(expected_error, match=match):
        (sc.conv_transpose if transposed else sc.conv)(X, W, B, **kw)


# -------------------------------------------------------------------------------------------------
# common_nn.py: new_module_tests, the Conv{1,2,3}d / ConvTranspose{1,2,3}d entries
# -------------------------------------------------------------------------------------------------
COMMON_NN = [
    # common_nn: module_name='Conv1d', constructor_args=(4, 5, 3), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 3), (2, 4, 10), id="Conv1d"),
    # common_nn: Conv1d desc='stride', constructor_args=(4, 5, 3, 2), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 3, 2), (2, 4, 10), id="Conv1d_stride"),
    # common_nn: Conv1d desc='pad1', constructor_args=(4, 5, 3, 1, 1), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 3, 1, 1), (2, 4, 10), id="Conv1d_pad1"),
    # common_nn: Conv1d desc='pad2', constructor_args=(4, 5, 5, 1, 2), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 5, 1, 2), (2, 4, 10), id="Conv1d_pad2"),
    # common_nn: Conv1d desc='pad1size1', constructor_args=(4, 4, 3, 1, 1), input_size=(1, 4, 1)
    pytest.param(lambda: nn.Conv1d(4, 4, 3, 1, 1), (1, 4, 1), id="Conv1d_pad1size1"),
    # common_nn: Conv1d desc='pad2size1', constructor_args=(4, 4, 5, 1, 2), input_size=(1, 4, 1)
    pytest.param(lambda: nn.Conv1d(4, 4, 5, 1, 2), (1, 4, 1), id="Conv1d_pad2size1"),
    # common_nn: Conv1d desc='zero_batch', constructor_args=(4, 5, 3), input_size=(0, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 3), (0, 4, 10), id="Conv1d_zero_batch"),
    # common_nn: fullname='Conv1d_dilated', nn.Conv1d(4, 5, kernel_size=3, dilation=2), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, kernel_size=3, dilation=2), (2, 4, 10), id="Conv1d_dilated"),
    # common_nn: fullname='Conv1d_groups', nn.Conv1d(4, 6, kernel_size=3, groups=2), input_size=(2, 4, 6)
    pytest.param(lambda: nn.Conv1d(4, 6, kernel_size=3, groups=2), (2, 4, 6), id="Conv1d_groups"),
    # common_nn: fullname='Conv1d_pad_valid', nn.Conv1d(4, 5, 3, padding="valid"), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 3, padding="valid"), (2, 4, 10), id="Conv1d_pad_valid"),
    # common_nn: fullname='Conv1d_pad_same', nn.Conv1d(4, 5, 3, padding="same"), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 3, padding="same"), (2, 4, 10), id="Conv1d_pad_same"),
    # common_nn: fullname='Conv1d_pad_same2', nn.Conv1d(4, 5, 4, padding="same") (even kernel), input_size=(2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 4, padding="same"), (2, 4, 10), id="Conv1d_pad_same2"),
    # common_nn: fullname='Conv1d_pad_same_dilated', nn.Conv1d(4, 5, 4, padding="same", dilation=2), (2, 4, 10)
    pytest.param(lambda: nn.Conv1d(4, 5, 4, padding="same", dilation=2), (2, 4, 10), id="Conv1d_pad_same_dilated"),
    # common_nn: fullname='ConvTranspose1d', nn.ConvTranspose1d(3, 4, kernel_size=3, stride=(3,), padding=1,
    #            output_padding=(1,)), input_size=(1, 3, 7)
    pytest.param(lambda: nn.ConvTranspose1d(3, 4, kernel_size=3, stride=(3,), padding=1, output_padding=(1,)),
                 (1, 3, 7), id="ConvTranspose1d"),
    # common_nn: ConvTranspose1d desc='no_bias', constructor_args=(3, 4, 3, 2, 1, 1, 1, False), input_size=(1, 3, 6)
    pytest.param(lambda: nn.ConvTranspose1d(3, 4, 3, 2, 1, 1, 1, False), (1, 3, 6), id="ConvTranspose1d_no_bias"),
    # common_nn: ConvTranspose1d desc='dilated', constructor_args=(3, 4, 3, 2, 1, 1, 1, True, 2), input_size=(1, 3, 6)
    pytest.param(lambda: nn.ConvTranspose1d(3, 4, 3, 2, 1, 1, 1, True, 2), (1, 3, 6), id="ConvTranspose1d_dilated"),
    # common_nn: fullname='ConvTranspose1d_groups', nn.ConvTranspose1d(4, 6, 3, stride=(3,), padding=1,
    #            output_padding=(1,), groups=2), input_size=(2, 4, 7)
    pytest.param(lambda: nn.ConvTranspose1d(4, 6, 3, stride=(3,), padding=1, output_padding=(1,), groups=2),
                 (2, 4, 7), id="ConvTranspose1d_groups"),
    # common_nn: module_name='Conv2d', constructor_args=(3, 4, (3, 2)), input_size=(2, 3, 7, 5)
    pytest.param(lambda: nn.Conv2d(3, 4, (3, 2)), (2, 3, 7, 5), id="Conv2d"),
    # common_nn: Conv2d desc='strided', constructor_args=(3, 4, (3, 3), (2, 2)), input_size=(2, 3, 6, 6)
    pytest.param(lambda: nn.Conv2d(3, 4, (3, 3), (2, 2)), (2, 3, 6, 6), id="Conv2d_strided"),
    # common_nn: Conv2d desc='padding', constructor_args=(3, 4, (3, 3), (2, 2), (1, 1)), input_size=(2, 3, 6, 6)
    pytest.param(lambda: nn.Conv2d(3, 4, (3, 3), (2, 2), (1, 1)), (2, 3, 6, 6), id="Conv2d_padding"),
    # common_nn: Conv2d desc='dilated', constructor_args=(3, 2, (3, 3), (2, 2), (1, 1), (2, 2)), input_size=(2, 3, 8, 8)
    pytest.param(lambda: nn.Conv2d(3, 2, (3, 3), (2, 2), (1, 1), (2, 2)), (2, 3, 8, 8), id="Conv2d_dilated"),
    # common_nn: Conv2d desc='no_bias', constructor_args=(3, 4, (3, 2), 1, 0, 1, 1, False), input_size=(2, 3, 6, 5)
    pytest.param(lambda: nn.Conv2d(3, 4, (3, 2), 1, 0, 1, 1, False), (2, 3, 6, 5), id="Conv2d_no_bias"),
    # common_nn: Conv2d desc='zero_batch', constructor_args=(3, 4, (3, 2)), input_size=(0, 3, 7, 5)
    pytest.param(lambda: nn.Conv2d(3, 4, (3, 2)), (0, 3, 7, 5), id="Conv2d_zero_batch"),
    # common_nn: fullname='Conv2d_groups' and fullname='Conv2d_groups_thnn' (the same configuration),
    #            nn.Conv2d(4, 6, (3, 2), groups=2), input_size=(2, 4, 6, 5)
    pytest.param(lambda: nn.Conv2d(4, 6, (3, 2), groups=2), (2, 4, 6, 5), id="Conv2d_groups"),
    # common_nn: fullname='Conv2d_pad_valid', nn.Conv2d(2, 4, (3, 4), padding="valid"), input_size=(2, 2, 6, 5)
    pytest.param(lambda: nn.Conv2d(2, 4, (3, 4), padding="valid"), (2, 2, 6, 5), id="Conv2d_pad_valid"),
    # common_nn: fullname='Conv2d_pad_same', nn.Conv2d(2, 4, (3, 4), padding="same"), input_size=(2, 2, 6, 5)
    pytest.param(lambda: nn.Conv2d(2, 4, (3, 4), padding="same"), (2, 2, 6, 5), id="Conv2d_pad_same"),
    # common_nn: fullname='Conv2d_pad_same_dilated', nn.Conv2d(2, 4, (3, 4), padding="same", dilation=2), (2, 2, 6, 5)
    pytest.param(lambda: nn.Conv2d(2, 4, (3, 4), padding="same", dilation=2), (2, 2, 6, 5),
                 id="Conv2d_pad_same_dilated"),
    # common_nn: module_name='ConvTranspose2d', constructor_args=(3, 4, 3, (3, 2), 1, (1, 1)), input_size=(1, 3, 7, 6)
    pytest.param(lambda: nn.ConvTranspose2d(3, 4, 3, (3, 2), 1, (1, 1)), (1, 3, 7, 6), id="ConvTranspose2d"),
    # common_nn: ConvTranspose2d desc='dilated', constructor_args=(3, 4, 3, (2, 3), 1, (1, 1), 1, False, (2, 2)),
    #            input_size=(1, 3, 6, 7)
    pytest.param(lambda: nn.ConvTranspose2d(3, 4, 3, (2, 3), 1, (1, 1), 1, False, (2, 2)), (1, 3, 6, 7),
                 id="ConvTranspose2d_dilated"),
    # common_nn: ConvTranspose2d desc='no_bias', constructor_args=(3, 4, 3, (2, 3), 1, (1, 1), 1, False),
    #            input_size=(1, 3, 6, 7)
    pytest.param(lambda: nn.ConvTranspose2d(3, 4, 3, (2, 3), 1, (1, 1), 1, False), (1, 3, 6, 7),
                 id="ConvTranspose2d_no_bias"),
    # common_nn: fullname='ConvTranspose2d_groups', nn.ConvTranspose2d(2, 4, (2, 3), groups=2), input_size=(1, 2, 4, 5)
    pytest.param(lambda: nn.ConvTranspose2d(2, 4, (2, 3), groups=2), (1, 2, 4, 5), id="ConvTranspose2d_groups"),
    # common_nn: fullname='Conv2d_depthwise', nn.Conv2d(4, 4, (3, 3), groups=4), input_size=(2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 4, (3, 3), groups=4), (2, 4, 6, 6), id="Conv2d_depthwise"),
    # common_nn: fullname='Conv2d_depthwise_with_multiplier', nn.Conv2d(4, 8, (3, 3), groups=4), input_size=(2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 8, (3, 3), groups=4), (2, 4, 6, 6), id="Conv2d_depthwise_with_multiplier"),
    # common_nn: fullname='Conv2d_depthwise_strided', nn.Conv2d(4, 4, (3, 3), stride=(2, 2), groups=4), (2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 4, (3, 3), stride=(2, 2), groups=4), (2, 4, 6, 6),
                 id="Conv2d_depthwise_strided"),
    # common_nn: fullname='Conv2d_depthwise_padded', nn.Conv2d(4, 4, (3, 3), padding=(1, 1), groups=4), (2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 4, (3, 3), padding=(1, 1), groups=4), (2, 4, 6, 6),
                 id="Conv2d_depthwise_padded"),
    # common_nn: fullname='Conv2d_depthwise_dilated', nn.Conv2d(4, 4, (2, 2), dilation=(2, 2), groups=4), (2, 4, 5, 5)
    pytest.param(lambda: nn.Conv2d(4, 4, (2, 2), dilation=(2, 2), groups=4), (2, 4, 5, 5),
                 id="Conv2d_depthwise_dilated"),
    # common_nn: module_name='Conv3d', constructor_args=(2, 3, (2, 3, 2)), input_size=(1, 2, 4, 5, 4)
    pytest.param(lambda: nn.Conv3d(2, 3, (2, 3, 2)), (1, 2, 4, 5, 4), id="Conv3d"),
    # common_nn: Conv3d desc='no_bias', constructor_args=(2, 3, (2, 3, 4), 1, 0, 1, 1, False),
    #            input_size=(1, 2, 3, 4, 5)
    pytest.param(lambda: nn.Conv3d(2, 3, (2, 3, 4), 1, 0, 1, 1, False), (1, 2, 3, 4, 5), id="Conv3d_no_bias"),
    # common_nn: Conv3d desc='1x1x1_no_bias', constructor_args=(2, 3, (1, 1, 1), 1, 0, 1, 1, False),
    #            input_size=(1, 2, 3, 4, 5)
    pytest.param(lambda: nn.Conv3d(2, 3, (1, 1, 1), 1, 0, 1, 1, False), (1, 2, 3, 4, 5), id="Conv3d_1x1x1_no_bias"),
    # common_nn: Conv3d desc='stride', constructor_args=(3, 4, 2, 2), input_size=(2, 3, 5, 5, 5)
    pytest.param(lambda: nn.Conv3d(3, 4, 2, 2), (2, 3, 5, 5, 5), id="Conv3d_stride"),
    # common_nn: Conv3d desc='stride_padding', constructor_args=(3, 4, 2, 2, 1), input_size=(2, 3, 5, 5, 5)
    pytest.param(lambda: nn.Conv3d(3, 4, 2, 2, 1), (2, 3, 5, 5, 5), id="Conv3d_stride_padding"),
    # common_nn: Conv3d desc='zero_batch', constructor_args=(3, 4, (2, 3, 4)), input_size=(0, 3, 3, 4, 5)
    pytest.param(lambda: nn.Conv3d(3, 4, (2, 3, 4)), (0, 3, 3, 4, 5), id="Conv3d_zero_batch"),
    # common_nn: fullname='Conv3d_groups', nn.Conv3d(2, 4, kernel_size=3, groups=2), input_size=(1, 2, 4, 5, 4)
    pytest.param(lambda: nn.Conv3d(2, 4, kernel_size=3, groups=2), (1, 2, 4, 5, 4), id="Conv3d_groups"),
    # common_nn: fullname='Conv3d_dilated', nn.Conv3d(3, 4, kernel_size=2, dilation=2), input_size=(2, 3, 5, 5, 5)
    pytest.param(lambda: nn.Conv3d(3, 4, kernel_size=2, dilation=2), (2, 3, 5, 5, 5), id="Conv3d_dilated"),
    # common_nn: fullname='Conv3d_dilated_strided', nn.Conv3d(3, 4, kernel_size=2, dilation=2, stride=2),
    #            input_size=(2, 3, 5, 5, 5)
    pytest.param(lambda: nn.Conv3d(3, 4, kernel_size=2, dilation=2, stride=2), (2, 3, 5, 5, 5),
                 id="Conv3d_dilated_strided"),
    # common_nn: fullname='Conv3d_pad_valid', nn.Conv3d(3, 4, (2, 3, 4), padding="valid"), input_size=(2, 3, 6, 5, 4)
    pytest.param(lambda: nn.Conv3d(3, 4, (2, 3, 4), padding="valid"), (2, 3, 6, 5, 4), id="Conv3d_pad_valid"),
    # common_nn: fullname='Conv3d_pad_same', nn.Conv3d(3, 4, (2, 3, 4), padding="same"), input_size=(2, 3, 6, 5, 4)
    pytest.param(lambda: nn.Conv3d(3, 4, (2, 3, 4), padding="same"), (2, 3, 6, 5, 4), id="Conv3d_pad_same"),
    # common_nn: fullname='Conv3d_pad_same_dilated', nn.Conv3d(3, 4, (2, 3, 4), padding="same", dilation=2),
    #            input_size=(2, 3, 6, 5, 4)
    pytest.param(lambda: nn.Conv3d(3, 4, (2, 3, 4), padding="same", dilation=2), (2, 3, 6, 5, 4),
                 id="Conv3d_pad_same_dilated"),
    # common_nn: module_name='ConvTranspose3d', constructor_args=(2, 3, (2, 3, 2)), input_size=(1, 2, 4, 5, 4)
    pytest.param(lambda: nn.ConvTranspose3d(2, 3, (2, 3, 2)), (1, 2, 4, 5, 4), id="ConvTranspose3d"),
    # common_nn: ConvTranspose3d desc='dilated', constructor_args=(2, 3, (2, 3, 2), 1, 0, 0, 1, True, (2, 2, 2)),
    #            input_size=(1, 2, 4, 5, 4)
    pytest.param(lambda: nn.ConvTranspose3d(2, 3, (2, 3, 2), 1, 0, 0, 1, True, (2, 2, 2)), (1, 2, 4, 5, 4),
                 id="ConvTranspose3d_dilated"),
]


@pytest.mark.parametrize("make, input_size", COMMON_NN)
def test_common_nn_module(make, input_size, request):
    _module(make(), input_size, request.node.callspec.id)


# common_nn: the padding-mode loop after new_module_tests ("add conv padding mode tests"): for padding_mode in
# reflect, circular, replicate, zeros and d in 1, 2, 3 (3-d reflect skipped there, FIXME #27655):
# Conv{d}d(2, 3, 3, 2, padding=tuple(range(1, d + 1)), 1, 1, True, padding_mode), input_size=(2, 2) + (4,) * d,
# output_size=(2, 3) + tuple(p + 1 for p in padding); PyTorch names them test_Conv{d}d_{mode}_stride2_pad2.
PADDING_MODE_CASES = [pytest.param(mode, d, id=f"Conv{d}d_{mode}_stride2_pad2")
                      for mode in ("reflect", "circular", "replicate", "zeros") for d in (1, 2, 3)
                      if not (d == 3 and mode == "reflect")]


@pytest.mark.parametrize("padding_mode, d", PADDING_MODE_CASES)
def test_common_nn_padding_modes(padding_mode, d):
    padding = tuple(range(1, d + 1))
    m = CONV_MOD[d](2, 3, 3, 2, padding, 1, 1, True, padding_mode)
    *_, value = _module(m, (2, 2) + (4,) * d, ("padding_mode", padding_mode, d))
    assert value.shape == (2, 3) + tuple(p + 1 for p in padding)


def test_runtime_reflect_padding_3d():
    # runtime: the 3-d reflect case that common_nn's padding-mode loop skips (FIXME, pytorch#27655) runs in
    # PyTorch 2.13: Conv3d(2, 3, 3, 2, (1, 2, 3), 1, 1, True, 'reflect') on (2, 2, 4, 4, 4)
    m = nn.Conv3d(2, 3, 3, 2, (1, 2, 3), 1, 1, True, "reflect")
    *_, value = _module(m, (2, 2, 4, 4, 4), "reflect3d")
    assert value.shape == (2, 3, 2, 3, 4)


# -------------------------------------------------------------------------------------------------
# common_methods_invocations.py: sample_inputs_conv{1,2,3}d and sample_inputs_conv_transpose{1,2,3}d
# (input shape, weight shape, bias shape, kwargs); each sample is yielded batched and unbatched
# -------------------------------------------------------------------------------------------------
SAMPLES_CONV = [
    # cmi sample_inputs_conv1d
    pytest.param((1, 3, 4), (3, 3, 3), (3,), {"stride": (2,), "padding": 2, "groups": 1}, id="conv1d-0"),
    # cmi sample_inputs_conv1d
    pytest.param((2, 4, 8), (2, 2, 3), (2,), {"stride": 3, "padding": 1, "groups": 2, "dilation": 2}, id="conv1d-1"),
    # cmi sample_inputs_conv1d
    pytest.param((1, 4, 5), (1, 4, 3), None, {"stride": (2,), "padding": "valid"}, id="conv1d-2"),
    # cmi sample_inputs_conv1d
    pytest.param((2, 2, 4), (2, 1, 4), (2,), {"stride": (1,), "padding": "same", "groups": 2, "dilation": (2,)},
                 id="conv1d-3"),
    # cmi sample_inputs_conv1d ("With defaults")
    pytest.param((1, 4, 5), (3, 4, 3), None, {}, id="conv1d-4"),
    # cmi sample_inputs_conv2d
    pytest.param((1, 3, 4, 4), (3, 3, 3, 3), (3,), {"stride": (2, 2), "padding": 2, "groups": 1}, id="conv2d-0"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 8, 8), (2, 2, 3, 3), (2,),
                 {"stride": (3, 2), "padding": (2, 1), "groups": 2, "dilation": (4, 4)}, id="conv2d-1"),
    # cmi sample_inputs_conv2d (listed twice there)
    pytest.param((1, 4, 5, 5), (1, 4, 2, 3), (1,), {"stride": 2, "padding": 1, "groups": 1, "dilation": (2, 3)},
                 id="conv2d-2"),
    # cmi sample_inputs_conv2d
    pytest.param((1, 2, 4, 3), (4, 2, 3, 4), None, {"stride": 2, "padding": 1, "groups": 1}, id="conv2d-4"),
    # cmi sample_inputs_conv2d
    pytest.param((1, 4, 5, 5), (1, 4, 2, 3), (1,), {"stride": 2, "padding": "valid"}, id="conv2d-5"),
    # cmi sample_inputs_conv2d
    pytest.param((1, 4, 5, 5), (1, 4, 2, 3), (1,), {"stride": 1, "padding": "same", "dilation": 3}, id="conv2d-6"),
    # cmi sample_inputs_conv2d ("group related samples from common_nn.py")
    pytest.param((2, 4, 6, 6), (4, 1, 3, 3), (4,), {"groups": 4}, id="conv2d-7"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 6, 6), (8, 1, 3, 3), (8,), {"groups": 4}, id="conv2d-8"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 6, 6), (8, 1, 3, 3), None, {"groups": 4}, id="conv2d-9"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 6, 6), (4, 1, 3, 3), (4,), {"groups": 4, "stride": (3, 2)}, id="conv2d-10"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 6, 6), (4, 1, 3, 3), (4,), {"groups": 4, "padding": (1, 1)}, id="conv2d-11"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 5, 5), (4, 1, 2, 2), (4,), {"groups": 4, "dilation": (2, 2)}, id="conv2d-12"),
    # cmi sample_inputs_conv2d
    pytest.param((2, 4, 6, 5), (6, 2, 3, 2), (6,), {"groups": 2}, id="conv2d-13"),
    # cmi sample_inputs_conv2d ("With defaults")
    pytest.param((1, 4, 5, 5), (3, 4, 3, 3), None, {}, id="conv2d-14"),
    # cmi sample_inputs_conv3d
    pytest.param((1, 1, 4, 4, 4), (1, 1, 1, 1, 1), (1,), {"padding": "same"}, id="conv3d-0"),
    # cmi sample_inputs_conv3d
    pytest.param((1, 1, 4, 4, 4), (1, 1, 4, 4, 4), (1,), {"stride": (2, 2, 2)}, id="conv3d-1"),
    # cmi sample_inputs_conv3d
    pytest.param((1, 1, 5, 5, 5), (1, 1, 3, 3, 3), (1,), {"dilation": 2}, id="conv3d-2"),
    # cmi sample_inputs_conv3d (listed twice there)
    pytest.param((1, 1, 1, 1, 10), (1, 1, 1, 1, 4), None, {"padding": "valid"}, id="conv3d-3"),
    # cmi sample_inputs_conv3d
    pytest.param((1, 1, 10, 11, 12), (1, 1, 1, 2, 5), None, {"padding": "same"}, id="conv3d-4"),
    # cmi sample_inputs_conv3d
    pytest.param((1, 1, 10, 11, 12), (1, 1, 1, 2, 5), None, {"padding": "same", "dilation": 2}, id="conv3d-5"),
    # cmi sample_inputs_conv3d
    pytest.param((1, 1, 10, 11, 12), (1, 1, 4, 4, 4), None, {"padding": "same", "dilation": 3}, id="conv3d-6"),
    # cmi sample_inputs_conv3d
    pytest.param((3, 9, 3, 1, 9), (3, 3, 3, 1, 9), (3,), {"groups": 3}, id="conv3d-8"),
    # cmi sample_inputs_conv3d
    pytest.param((3, 9, 3, 1, 9), (3, 3, 3, 1, 9), (3,), {"stride": (2, 2, 2), "dilation": 1, "groups": 3},
                 id="conv3d-9"),
]

SAMPLES_CONV_T = [
    # cmi sample_inputs_conv_transpose1d
    pytest.param((1, 3, 4), (3, 3, 3), (3,), {"stride": (2,), "padding": 2, "output_padding": (1,), "groups": 1},
                 id="conv_transpose1d-0"),
    # cmi sample_inputs_conv_transpose1d
    pytest.param((2, 2, 4), (2, 2, 4), (4,),
                 {"stride": (3,), "padding": (1,), "output_padding": (2,), "groups": 2, "dilation": (4,)},
                 id="conv_transpose1d-1"),
    # cmi sample_inputs_conv_transpose1d
    pytest.param((1, 1, 4), (1, 1, 4), (1,),
                 {"stride": 2, "padding": 1, "output_padding": 1, "groups": 1, "dilation": (2,)},
                 id="conv_transpose1d-2"),
    # cmi sample_inputs_conv_transpose1d
    pytest.param((1, 1, 4), (1, 2, 3), None, {"stride": 2, "padding": 1, "output_padding": 1, "groups": 1},
                 id="conv_transpose1d-3"),
    # cmi sample_inputs_conv_transpose1d
    pytest.param((1, 4, 5), (4, 8, 3), None, {}, id="conv_transpose1d-4"),
    # cmi sample_inputs_conv_transpose2d
    pytest.param((1, 3, 4, 4), (3, 3, 3, 3), (3,),
                 {"stride": (2, 2), "padding": 2, "output_padding": (1, 1), "groups": 1}, id="conv_transpose2d-0"),
    # cmi sample_inputs_conv_transpose2d (output_padding 3 >= stride 2 on the last axis, but < dilation 4: allowed)
    pytest.param((2, 2, 4, 4), (2, 2, 4, 5), (4,),
                 {"stride": (3, 2), "padding": (1, 2), "output_padding": (2, 3), "groups": 2, "dilation": (4, 4)},
                 id="conv_transpose2d-1"),
    # cmi sample_inputs_conv_transpose2d
    pytest.param((1, 1, 4, 5), (1, 1, 4, 3), (1,),
                 {"stride": 2, "padding": 1, "output_padding": 1, "groups": 1, "dilation": (2, 3)},
                 id="conv_transpose2d-2"),
    # cmi sample_inputs_conv_transpose2d
    pytest.param((1, 1, 4, 3), (1, 2, 3, 4), None, {"stride": 2, "padding": 1, "output_padding": 1, "groups": 1},
                 id="conv_transpose2d-3"),
    # cmi sample_inputs_conv_transpose2d (depthwise)
    pytest.param((2, 4, 4, 4), (4, 1, 3, 3), None, {"groups": 4}, id="conv_transpose2d-4"),
    # cmi sample_inputs_conv_transpose2d
    pytest.param((1, 2, 5, 5), (2, 4, 3, 3), None, {}, id="conv_transpose2d-5"),
    # cmi sample_inputs_conv_transpose3d
    pytest.param((1, 3, 4, 4, 4), (3, 3, 3, 3, 3), (3,),
                 {"stride": (2, 2, 2), "padding": 2, "output_padding": (1, 1, 1), "groups": 1},
                 id="conv_transpose3d-0"),
    # cmi sample_inputs_conv_transpose3d (output_padding (2, 3, 1) >= stride (3, 2, 1) on two axes, < dilation 4)
    pytest.param((2, 2, 4, 4, 4), (2, 2, 4, 5, 6), (4,),
                 {"stride": (3, 2, 1), "padding": (1, 2, 3), "output_padding": (2, 3, 1), "groups": 2,
                  "dilation": (4, 4, 4)}, id="conv_transpose3d-1"),
    # cmi sample_inputs_conv_transpose3d
    pytest.param((1, 1, 4, 5, 2), (1, 1, 4, 3, 1), (1,),
                 {"stride": 2, "padding": 1, "output_padding": 1, "groups": 1, "dilation": (2, 3, 2)},
                 id="conv_transpose3d-2"),
    # cmi sample_inputs_conv_transpose3d
    pytest.param((1, 1, 4, 3, 4), (1, 2, 3, 4, 5), None, {"stride": 2, "padding": 1, "output_padding": 1, "groups": 1},
                 id="conv_transpose3d-3"),
    # cmi sample_inputs_conv_transpose3d
    pytest.param((1, 4, 5, 5, 5), (4, 8, 3, 3, 3), None, {}, id="conv_transpose3d-4"),
]


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("x_shape, w_shape, b_shape, kwargs", SAMPLES_CONV)
def test_cmi_sample_inputs_conv(x_shape, w_shape, b_shape, kwargs, batched):
    _functional(False, x_shape if batched else x_shape[1:], w_shape, b_shape, "cmi", **kwargs)


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("x_shape, w_shape, b_shape, kwargs", SAMPLES_CONV_T)
def test_cmi_sample_inputs_conv_transpose(x_shape, w_shape, b_shape, kwargs, batched):
    _functional(True, x_shape if batched else x_shape[1:], w_shape, b_shape, "cmi", **kwargs)


# -------------------------------------------------------------------------------------------------
# common_methods_invocations.py: error_inputs_conv{1,2,3}d (the dtype-mismatch inputs do not apply)
# A case with one fault expects its specific class; where PyTorch's input has several faults
# (e.g. a negative stride *and* a channel mismatch) any SymconvError will do, as the order of checks
# is symconv's own.
# -------------------------------------------------------------------------------------------------
ERROR_INPUTS = [
    # cmi error_inputs_conv1d "negative strides" (the weight also has 2 input channels for x's 1)
    pytest.param((1, 1, 4), (1, 2, 2), (1,), {"stride": (-1,)}, SymconvError, None, id="conv1d-stride-1"),
    # cmi error_inputs_conv1d "negative padding" (also a channel mismatch)
    pytest.param((1, 1, 4), (1, 2, 2), (1,), {"padding": (-1,)}, SymconvError, None, id="conv1d-padding-1"),
    # cmi error_inputs_conv1d "negative dilation"
    pytest.param((1, 1, 4), (1, 1, 2), (1,), {"dilation": (-1,)}, InvalidArgumentError, "dilation",
                 id="conv1d-dilation-1"),
    # cmi error_inputs_conv1d "input.ndim != weight.ndim": weight of 2 dims
    pytest.param((1, 1, 4), (1, 2), (1,), {}, ShapeError, None, id="conv1d-weight2d"),
    # cmi error_inputs_conv1d "weight[0] less than the number of groups" with padding='same'
    pytest.param((2, 2, 4), (2, 2, 2), (2,), {"padding": "same", "groups": 3}, ShapeError, None,
                 id="conv1d-groups3-same"),
    # cmi error_inputs_conv1d "weight[0] less than the number of groups"
    pytest.param((2, 2, 4), (2, 2, 2), (2,), {"groups": 3}, ShapeError, None, id="conv1d-groups3"),
    # cmi error_inputs_conv1d "invalid groups" -1
    pytest.param((2, 2, 4), (2, 2, 2), (2,), {"padding": "same", "groups": -1}, InvalidArgumentError, "groups",
                 id="conv1d-groups-1"),
    # cmi error_inputs_conv1d "invalid groups" 0
    pytest.param((2, 2, 4), (2, 2, 2), (2,), {"padding": "same", "groups": 0}, InvalidArgumentError, "groups",
                 id="conv1d-groups0"),
    # cmi error_inputs_conv2d "negative strides" (stride given for one axis; channel mismatch too)
    pytest.param((1, 1, 4, 4), (1, 2, 2, 3), (1,), {"stride": (-1,)}, SymconvError, None, id="conv2d-stride-1"),
    # cmi error_inputs_conv2d "negative padding" (channel mismatch too)
    pytest.param((1, 1, 4, 3), (1, 2, 2, 4), (1,), {"padding": (-1,)}, SymconvError, None, id="conv2d-padding-1"),
    # cmi error_inputs_conv2d "negative dilation" (kernel width 5 > input width 2 too)
    pytest.param((1, 1, 4, 2), (1, 1, 2, 5), (1,), {"dilation": (-1,)}, SymconvError, None, id="conv2d-dilation-1"),
    # cmi error_inputs_conv2d "input.ndim != weight.ndim": 4-d input, 3-d weight
    pytest.param((1, 1, 4, 3), (1, 2, 2), (1,), {"padding": "same"}, ShapeError, None, id="conv2d-ndim"),
    # cmi error_inputs_conv2d "weight[0] less than the number of groups"
    pytest.param((2, 2, 4, 3), (2, 2, 1, 3), (2,), {"groups": 3}, ShapeError, None, id="conv2d-groups3"),
    # cmi error_inputs_conv2d "weight[0] less than the number of groups" with padding='same'
    pytest.param((2, 2, 4, 3), (2, 2, 1, 3), (2,), {"padding": "same", "groups": 3}, ShapeError, None,
                 id="conv2d-groups3-same"),
    # cmi error_inputs_conv2d "invalid groups" -1
    pytest.param((2, 2, 4, 5), (2, 2, 1, 4), (2,), {"padding": "same", "groups": -1}, InvalidArgumentError, "groups",
                 id="conv2d-groups-1"),
    # cmi error_inputs_conv2d "invalid groups" 0
    pytest.param((2, 2, 4, 3), (2, 2, 4, 3), (2,), {"padding": "same", "groups": 0}, InvalidArgumentError, "groups",
                 id="conv2d-groups0"),
    # cmi error_inputs_conv3d "negative strides" (given for one axis)
    pytest.param((1, 1, 4, 4, 4), (1, 1, 2, 2, 2), (1,), {"stride": (-1,)}, InvalidArgumentError, "stride",
                 id="conv3d-stride-1"),
    # cmi error_inputs_conv3d "negative padding"
    pytest.param((1, 1, 4, 4, 4), (1, 1, 2, 2, 2), (1,), {"padding": (-1,)}, InvalidArgumentError, "padding",
                 id="conv3d-padding-1"),
    # cmi error_inputs_conv3d "negative dilation"
    pytest.param((1, 1, 4, 4, 4), (1, 1, 2, 2, 2), (1,), {"dilation": (-1,)}, InvalidArgumentError, "dilation",
                 id="conv3d-dilation-1"),
    # cmi error_inputs_conv3d "input.ndim != weight.ndim": 5-d input, 4-d weight
    pytest.param((1, 1, 3, 4, 5), (1, 1, 4, 3), (1,), {"padding": "same"}, ShapeError, None, id="conv3d-ndim"),
    # cmi error_inputs_conv3d "weight[0] less than the number of groups" (kernel depth 4 > 3 too)
    pytest.param((2, 2, 3, 4, 5), (2, 2, 4, 3, 3), (2,), {"groups": 3}, ShapeError, None, id="conv3d-groups3"),
    # cmi error_inputs_conv3d "weight[0] less than the number of groups" with padding='same'
    pytest.param((2, 2, 3, 4, 5), (2, 2, 4, 3, 3), (2,), {"padding": "same", "groups": 3}, ShapeError, None,
                 id="conv3d-groups3-same"),
    # cmi error_inputs_conv3d "invalid groups" 0
    pytest.param((2, 2, 3, 4, 5), (2, 2, 4, 3, 3), (2,), {"padding": "same", "groups": 0}, InvalidArgumentError,
                 "groups", id="conv3d-groups0"),
    # cmi error_inputs_conv3d "padding='same' not supported by strided convolutions"
    pytest.param((18, 27, 9, 1, 9), (9, 9, 9, 1, 9), (9,), {"stride": 2, "padding": "same", "groups": 3},
                 InvalidArgumentError, "same", id="conv3d-same-strided"),
]


@pytest.mark.parametrize("x_shape, w_shape, b_shape, kwargs, error, match", ERROR_INPUTS)
def test_cmi_error_inputs(x_shape, w_shape, b_shape, kwargs, error, match, request):
    torch_nd = int(request.node.callspec.id[4])  # the op of error_inputs_conv{n}d
    _functional_raises(False, x_shape, w_shape, b_shape, error, match, torch_nd=torch_nd, **kwargs)


# -------------------------------------------------------------------------------------------------
# test/nn/test_convolution.py: TestConvolutionNN
# -------------------------------------------------------------------------------------------------
def test_invalid_conv1d():
    # test_conv: test_invalid_conv1d -- Conv1d(3, 33, kernel_size=10) on (1, 3, 4): kernel larger than the input
    _module_raises(nn.Conv1d(in_channels=3, out_channels=33, kernel_size=10, stride=1, bias=True), (1, 3, 4),
                   ShapeError)
    # test_conv: test_invalid_conv1d -- negative stride: Conv1d(3, 6, kernel_size=3, stride=-1) on (1, 3, 4)
    _module_raises(nn.Conv1d(in_channels=3, out_channels=6, kernel_size=3, stride=-1, bias=True), (1, 3, 4),
                   InvalidArgumentError)


def test_mismatch_shape_conv2d():
    # test_conv: test_mismatch_shape_conv2d -- a 5-d input (1, 10, 1, 28, 28) to the conv2d weight (6, 1, 5, 5)
    _functional_raises(False, (1, 10, 1, 28, 28), (6, 1, 5, 5), None, ShapeError)


def test_invalid_conv2d():
    # test_conv: test_invalid_conv2d -- Conv2d(1, 1, 3, dilation=2, stride=2) on (1, 1, 4, 4): dilated extent 5 > 4
    _module_raises(nn.Conv2d(1, 1, kernel_size=3, dilation=2, stride=2), (1, 1, 4, 4), ShapeError)
    # test_conv: test_invalid_conv2d -- Conv2d(3, 33, kernel_size=10) on (1, 3, 1, 1): kernel larger than the input
    _module_raises(nn.Conv2d(in_channels=3, out_channels=33, kernel_size=10, stride=1, bias=True), (1, 3, 1, 1),
                   ShapeError)
    # test_conv: test_invalid_conv2d -- negative stride: Conv2d(3, 6, kernel_size=4, stride=-1) on (1, 3, 4, 4)
    _module_raises(nn.Conv2d(in_channels=3, out_channels=6, kernel_size=4, stride=-1, bias=True), (1, 3, 4, 4),
                   InvalidArgumentError)
    # test_conv: test_invalid_conv2d -- zero stride: Conv2d(3, 6, kernel_size=4, stride=0) on (1, 3, 4, 4)
    _module_raises(nn.Conv2d(in_channels=3, out_channels=6, kernel_size=4, stride=0, bias=True), (1, 3, 4, 4),
                   InvalidArgumentError)


def test_invalid_conv3d():
    # test_conv: test_invalid_conv3d -- Conv3d(1, 1, 3, dilation=2, stride=2) on (1, 1, 4, 4, 4): extent 5 > 4
    _module_raises(nn.Conv3d(1, 1, kernel_size=3, dilation=2, stride=2), (1, 1, 4, 4, 4), ShapeError)
    # test_conv: test_invalid_conv3d -- negative stride: Conv3d(1, 1, kernel_size=3, stride=-2) on (1, 1, 4, 4, 4)
    _module_raises(nn.Conv3d(1, 1, kernel_size=3, stride=-2), (1, 1, 4, 4, 4), InvalidArgumentError)


@pytest.mark.parametrize("nd, groups", [(1, 0), (2, -1), (3, -2)])
def test_conv_invalid_groups(nd, groups):
    # test_conv: test_conv_invalid_groups -- Conv{1,2,3}d(1, 1, kernel_size=3, dilation=2, stride=2, groups=0/-1/-2)
    # raise ValueError at construction; symconv takes groups per call
    with pytest.raises(ValueError, match="groups must be a positive integer"):
        CONV_MOD[nd](1, 1, kernel_size=3, dilation=2, stride=2, groups=groups)
    _functional_raises(False, (1, 1) + (6,) * nd, (1, 1) + (3,) * nd, None, InvalidArgumentError, "groups",
                       dilation=2, stride=2, groups=groups)


SAME_PADDING_MODULES = [
    # test_conv: test_Conv1d_module_same_padding -- x (1, 1, 20), kernel 10, padding='same' (asymmetric padding)
    pytest.param(lambda: nn.Conv1d(1, 1, kernel_size=10, padding="same"), (1, 1, 20), id="1d-same"),
    # test_conv: test_Conv1d_module_same_padding -- dilation=2, symmetric padding
    pytest.param(lambda: nn.Conv1d(1, 1, kernel_size=10, padding="same", dilation=2), (1, 1, 20), id="1d-dilated"),
    # test_conv: test_Conv1d_module_same_padding -- padding_mode='replicate' (= F.pad(x, [4, 5], 'replicate'), valid)
    pytest.param(lambda: nn.Conv1d(1, 1, kernel_size=10, padding="same", padding_mode="replicate"), (1, 1, 20),
                 id="1d-replicate"),
    # test_conv: test_Conv2d_module_same_padding -- x (1, 1, 9, 20), kernel (5, 10), 'same'
    pytest.param(lambda: nn.Conv2d(1, 1, kernel_size=(5, 10), padding="same"), (1, 1, 9, 20), id="2d-same"),
    # test_conv: test_Conv2d_module_same_padding -- kernel (3, 4), 'same', dilation (1, 2)
    pytest.param(lambda: nn.Conv2d(1, 1, kernel_size=(3, 4), padding="same", dilation=(1, 2)), (1, 1, 9, 20),
                 id="2d-dilated"),
    # test_conv: test_Conv2d_module_same_padding -- kernel (3, 4), 'same', padding_mode='reflect'
    #            (= F.pad(x, [1, 2, 1, 1], 'reflect'), valid)
    pytest.param(lambda: nn.Conv2d(1, 1, kernel_size=(3, 4), padding="same", padding_mode="reflect"), (1, 1, 9, 20),
                 id="2d-reflect"),
    # test_conv: test_Conv3d_module_same_padding -- x (1, 1, 4, 4, 4), kernel (2, 3, 4), 'same'
    pytest.param(lambda: nn.Conv3d(1, 1, kernel_size=(2, 3, 4), padding="same"), (1, 1, 4, 4, 4), id="3d-same"),
    # test_conv: test_Conv3d_module_same_padding -- kernel (2, 3, 4), 'same', dilation (3, 2, 1)
    pytest.param(lambda: nn.Conv3d(1, 1, kernel_size=(2, 3, 4), padding="same", dilation=(3, 2, 1)), (1, 1, 4, 4, 4),
                 id="3d-dilated"),
    # test_conv: test_Conv3d_module_same_padding -- kernel (2, 3, 4), 'same', padding_mode='circular'
    #            (= F.pad(x, [1, 2, 1, 1, 0, 1], 'circular'), valid)
    pytest.param(lambda: nn.Conv3d(1, 1, kernel_size=(2, 3, 4), padding="same", padding_mode="circular"),
                 (1, 1, 4, 4, 4), id="3d-circular"),
]


@pytest.mark.parametrize("make, input_size", SAME_PADDING_MODULES)
def test_Conv_module_same_padding(make, input_size, request):
    m = make()
    X, W, B, kw, value = _module(m, input_size, request.node.callspec.id)
    assert value.shape == X.shape  # 'same' keeps the size
    pads = EXPLICIT_PADS.get(request.node.callspec.id)
    if pads is not None:  # the test's own expectation: explicit F.pad, then a valid convolution
        padded = F.pad(_t(X), pads, mode=m.padding_mode)
        _assert_same(value, CONV[X.ndim - 2](padded, _t(W), _t(B), padding="valid").numpy(), "F.pad + valid")


# the F.pad arguments test_Conv{1,2,3}d_module_same_padding give for the non-zero padding modes
EXPLICIT_PADS = {"1d-replicate": [4, 5], "2d-reflect": [1, 2, 1, 1], "3d-circular": [1, 2, 1, 1, 0, 1]}


@pytest.mark.parametrize("nd, stride", [(1, 2), (2, 2), (2, (1, 3)), (2, (4, 1)), (3, 2), (3, (1, 1, 3)),
                                        (3, (1, 4, 1)), (3, (5, 1, 1))])
def test_Conv_module_same_padding_strided(nd, stride):
    # test_conv: test_Conv{1,2,3}d_module_same_padding -- "construction with same padding and strides raises":
    # Conv{n}d(3, 33, kernel_size=10, padding='same', stride=...) -> ValueError
    with pytest.raises(ValueError, match="padding='same'"):
        CONV_MOD[nd](in_channels=3, out_channels=33, kernel_size=10, padding="same", stride=stride)
    _functional_raises(False, (1, 3) + (12,) * nd, (33, 3) + (10,) * nd, None, InvalidArgumentError, "same",
                       padding="same", stride=stride)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_Conv_module_invalid_padding_string(nd):
    # test_conv: test_Conv{1,2,3}d_module_same_padding -- "construction with invalid padding string raises":
    # Conv{n}d(3, 33, kernel_size=10, padding='foo') -> ValueError
    with pytest.raises(ValueError, match="Invalid padding string"):
        CONV_MOD[nd](in_channels=3, out_channels=33, kernel_size=10, padding="foo")
    _functional_raises(False, (1, 3) + (12,) * nd, (33, 3) + (10,) * nd, None, InvalidArgumentError, "padding",
                       padding="foo")


THNN_STRIDED = [
    # test_conv: test_thnn_conv_strided_padded_dilated (CUDA-only there) -- conv2d, conv_transpose2d, conv3d,
    # conv_transpose3d; (stride, padding, dilation) in (2, 0, 1), (1, 1, 1), (2, 1, 1), (1, 0, 2); input (1, 2) +
    # (4,) * dims, weight (2, 2) + (1,) * dims, bias (2,)
    pytest.param(dims, transposed, spd,
                 id=f"{'conv_transpose' if transposed else 'conv'}{dims}d-s{spd[0]}p{spd[1]}d{spd[2]}")
    for dims, transposed in ((2, False), (2, True), (3, False), (3, True))
    for spd in ((2, 0, 1), (1, 1, 1), (2, 1, 1), (1, 0, 2))
]


@pytest.mark.parametrize("dims, transposed, spd", THNN_STRIDED)
def test_thnn_conv_strided_padded_dilated(dims, transposed, spd):
    stride, padding, dilation = spd
    _functional(transposed, (1, 2) + dims * (4,), (2, 2) + dims * (1,), (2,), "thnn",
                stride=stride, padding=padding, dilation=dilation)


def test_Conv2d_1x1():
    # test_conv: test_Conv2d_1x1 -- Conv2d(2, 2, 1, bias=False) on (1, 2, 5, 5), called as F.conv2d(input, weight)
    _functional(False, (1, 2, 5, 5), (2, 2, 1, 1), None, "1x1")


@pytest.mark.parametrize("group_val", [24, 48, 23, 25])
@pytest.mark.parametrize("dilation", [1, 2])
def test_Conv2d_OneDNN(group_val, dilation):
    # test_conv: test_Conv2d_OneDNN -- Conv2d(g, g, [3, 3], stride=[2, 2], padding=[1, 1], dilation=[d, d],
    # groups=g, bias=False, padding_mode='zeros') on (1, g, 6, 6), g in 24, 48, 23, 25, d in 1, 2
    # (there with all-ones data; here random integers)
    m = nn.Conv2d(group_val, group_val, kernel_size=[3, 3], stride=[2, 2], padding=[1, 1],
                  dilation=[dilation, dilation], groups=group_val, bias=False, padding_mode="zeros")
    _module(m, (1, group_val, 6, 6), ("onednn", group_val, dilation))


@pytest.mark.parametrize("nd, transposed, dims", [
    (nd, transposed, dims)
    for nd, invalid in ((1, (1, 4)), (2, (2, 5)), (3, (3, 6)))
    for transposed in (False, True) for dims in invalid])
def test_conv_modules_raise_error_on_incorrect_input_size(nd, transposed, dims):
    # test_conv: test_conv_modules_raise_error_on_incorrect_input_size -- Conv{n}d(3, 8, 3) and
    # ConvTranspose{n}d(3, 8, 3) on torch.empty((3,) * dims) for dims in (1, 4) / (2, 5) / (3, 6)
    m = (CONV_T_MOD if transposed else CONV_MOD)[nd](3, 8, 3)
    _module_raises(m, (3,) * dims, ShapeError)


SHAPECHECK = [
    # test_conv: test_conv_shapecheck -- input torch.empty(3, *input_size); (should_raise, module, input_size)
    pytest.param(True, lambda: nn.Conv1d(1, 1, 3), (1, 2), id="Conv1d-k3-raise"),
    pytest.param(True, lambda: nn.Conv1d(1, 1, 3, stride=2), (1, 2), id="Conv1d-k3s2-raise"),
    pytest.param(False, lambda: nn.Conv1d(1, 1, 2), (1, 2), id="Conv1d-k2"),
    pytest.param(False, lambda: nn.Conv1d(1, 1, 2, stride=2), (1, 2), id="Conv1d-k2s2"),
    pytest.param(False, lambda: nn.Conv1d(1, 1, 3, stride=2, padding=1), (1, 2), id="Conv1d-k3s2p1"),
    pytest.param(True, lambda: nn.Conv2d(1, 1, (3, 3)), (1, 2, 2), id="Conv2d-k3-raise"),
    pytest.param(False, lambda: nn.Conv2d(1, 1, (3, 3)), (1, 3, 3), id="Conv2d-k3"),
    pytest.param(False, lambda: nn.Conv2d(1, 1, (3, 3), padding=1), (1, 2, 2), id="Conv2d-k3p1"),
    pytest.param(True, lambda: nn.Conv3d(1, 1, (3, 3, 3)), (1, 2, 2, 2), id="Conv3d-k3-raise"),
    pytest.param(False, lambda: nn.Conv3d(1, 1, (3, 3, 3)), (1, 3, 3, 3), id="Conv3d-k3"),
    pytest.param(False, lambda: nn.Conv3d(1, 1, (3, 3, 3), padding=1), (1, 2, 2, 2), id="Conv3d-k3p1"),
]


@pytest.mark.parametrize("should_raise, make, input_size", SHAPECHECK)
def test_conv_shapecheck(should_raise, make, input_size, request):
    if should_raise:
        _module_raises(make(), (3,) + input_size, ShapeError)
    else:
        _module(make(), (3,) + input_size, request.node.callspec.id)


@pytest.mark.parametrize("h", range(15, 22))
@pytest.mark.parametrize("w", range(15, 22))
def test_ConvTranspose2d_output_size(h, w):
    # test_conv: test_ConvTranspose2d_output_size -- m = ConvTranspose2d(3, 4, 3, 3, 0, 2) on (2, 3, 6, 6):
    # output_size (h, w) for h, w in 15..21 works iff 18 <= h, w <= 20, else ValueError.  symconv has no
    # output_size; the same output is conv_transpose with output_padding (h - 18, w - 18), which must be in [0, 3).
    m = nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)
    valid = 18 <= h <= 20 and 18 <= w <= 20
    rng = _rng("output_size", h, w)
    W, B = _set_params(m, rng)
    X = _ints(rng, (2, 3, 6, 6))
    kw = {"stride": 3, "padding": 0, "output_padding": (h - 18, w - 18)}
    if valid:
        with torch.no_grad():
            expected = m(_t(X), output_size=(h, w))
        assert tuple(expected.shape[2:]) == (h, w)
        _assert_matches(True, X, W, B, kw, expected)
    else:
        with pytest.raises(ValueError):
            m(_t(X), (h, w))
        with pytest.raises(InvalidArgumentError, match="output_padding"):
            sc.conv_transpose(X, W, B, **kw)
        with pytest.raises(InvalidArgumentError, match="output_padding"):
            sc.output_shape((6, 6), (3, 3), stride=3, transposed=True, output_padding=(h - 18, w - 18))


def test_ConvTranspose2d_output_size_downsample_upsample():
    # test_conv: test_ConvTranspose2d_output_size_downsample_upsample -- Conv2d(3, 2, k, s, p, d) then
    # ConvTranspose2d(2, 3, k, s, p, d)(..., output_size=i.shape) restores (h, w), for h in 13..23, w in 13..16,
    # k in 2..4, d in 1..4, s in 1..3, p in 0..2.  Shapes only (torch on the meta device): symconv's output_shape
    # gives the conv's shape, and the output_padding that restores (h, w) is accepted and gives back (h, w).
    b, c, hid_c = 2, 3, 2
    for h, w, k, d, s, p in itertools.product(range(13, 24), range(13, 17), range(2, 5), range(1, 5), range(1, 4),
                                              range(3)):
        i = torch.empty(b, c, h, w, device="meta")
        out = F.conv2d(i, torch.empty(hid_c, c, k, k, device="meta"), stride=s, padding=p, dilation=d)
        o = sc.output_shape((h, w), (k, k), stride=s, padding=p, dilation=d)
        assert o == tuple(out.shape[2:]), (h, w, k, d, s, p)
        op = tuple(n - ((m - 1) * s - 2 * p + d * (k - 1) + 1) for n, m in zip((h, w), o))
        back = F.conv_transpose2d(out, torch.empty(hid_c, c, k, k, device="meta"), stride=s, padding=p,
                                  output_padding=op, dilation=d)
        assert tuple(back.shape[2:]) == (h, w)
        assert sc.output_shape(o, (k, k), stride=s, padding=p, dilation=d, transposed=True,
                               output_padding=op) == (h, w), (h, w, k, d, s, p)


def test_ConvTranspose3d_correct_output_size():
    # test_conv: test_ConvTranspose3d_correct_output_size -- ConvTranspose3d(2, 2, 2) on (1, 2, 1, 1, 1),
    # output_size=(1, 2, 2, 2, 2)
    *_, value = _module(nn.ConvTranspose3d(2, 2, 2), (1, 2, 1, 1, 1), "ct3d", output_size=(1, 2, 2, 2, 2))
    assert value.shape == (1, 2, 2, 2, 2)


NAIVE_GROUPS = [
    # test_conv: test_Conv2d_groups_nobias -- Conv2d(4, 4, kernel_size=3, groups=2, bias=False) on (2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 4, kernel_size=3, groups=2, bias=False), (2, 4, 6, 6), id="Conv2d_groups_nobias"),
    # test_conv: test_Conv2d_groups_nobias_v2 -- Conv2d(4, 16, kernel_size=3, groups=2, bias=False) on (2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 16, kernel_size=3, groups=2, bias=False), (2, 4, 6, 6),
                 id="Conv2d_groups_nobias_v2"),
    # test_conv: test_Conv3d_groups_nobias -- Conv3d(4, 16, kernel_size=3, groups=2, bias=False) on (2, 4, 6, 6, 6)
    pytest.param(lambda: nn.Conv3d(4, 16, kernel_size=3, groups=2, bias=False), (2, 4, 6, 6, 6),
                 id="Conv3d_groups_nobias"),
    # test_conv: test_Conv3d_groups_wbias -- Conv3d(4, 16, kernel_size=3, groups=2, bias=True) on (2, 4, 6, 6, 6)
    pytest.param(lambda: nn.Conv3d(4, 16, kernel_size=3, groups=2, bias=True), (2, 4, 6, 6, 6),
                 id="Conv3d_groups_wbias"),
    # test_conv: TestConvolutionNNDeviceType.test_Conv2d_naive_groups -- Conv2d(4, 4, kernel_size=3, groups=2)
    # on (2, 4, 6, 6)
    pytest.param(lambda: nn.Conv2d(4, 4, kernel_size=3, groups=2), (2, 4, 6, 6), id="Conv2d_naive_groups"),
    # test_conv: test_Conv2d_depthwise_naive_groups (CUDA-only) -- Conv2d(2, 2 * m, kernel_size=3, groups=2)
    # on (2, 2, 6, 6), depth multiplier m in 1, 2
    pytest.param(lambda: nn.Conv2d(2, 2, kernel_size=3, groups=2), (2, 2, 6, 6), id="Conv2d_depthwise_naive_groups-1"),
    pytest.param(lambda: nn.Conv2d(2, 4, kernel_size=3, groups=2), (2, 2, 6, 6), id="Conv2d_depthwise_naive_groups-2"),
    # test_conv: test_Conv3d_depthwise_naive_groups (CUDA-only) -- Conv3d(2, 2 * m, kernel_size=3, groups=2)
    # on (2, 2, 6, 6, 6), m in 1, 2
    pytest.param(lambda: nn.Conv3d(2, 2, kernel_size=3, groups=2), (2, 2, 6, 6, 6),
                 id="Conv3d_depthwise_naive_groups-1"),
    pytest.param(lambda: nn.Conv3d(2, 4, kernel_size=3, groups=2), (2, 2, 6, 6, 6),
                 id="Conv3d_depthwise_naive_groups-2"),
]


@pytest.mark.parametrize("make, input_size", NAIVE_GROUPS)
def test_grouped_equals_its_halves(make, input_size, request):
    # the tests' check: the grouped layer equals the two half layers (input channels and weights split) concatenated
    X, W, B, kw, value = _module(make(), input_size, request.node.callspec.id)
    ci, co = X.shape[1] // 2, W.shape[0] // 2
    halves = [_numeric(False, X[:, g * ci:(g + 1) * ci], W[g * co:(g + 1) * co],
                       None if B is None else B[g * co:(g + 1) * co]) for g in range(2)]
    _assert_same(np.concatenate(halves, axis=1), value, "halves")


GRAD_INPUT = [
    pytest.param(dim, kern, inp_size, batch, stride, padding,
                 id=f"{dim}d-k{kern}-n{inp_size}-b{batch}-s{stride}-p{padding}")
    for dim in (1, 2, 3) for kern, inp_size in ((3, 6), (3, 7), (4, 9))
    for batch, stride, padding in itertools.product((1, 2), (1, 2), (0, 1, 2))
]


@pytest.mark.parametrize("dim, kern, inp_size, batch, stride, padding", GRAD_INPUT)
def test_grad_conv_input(dim, kern, inp_size, batch, stride, padding):
    # test_conv: run_grad_conv_test via test_grad_conv{1,2,3}d_input -- kern, inp_size in (3, 6), (3, 7), (4, 9);
    # batch 1, 2; stride 1, 2; padding 0, 1, 2; chan_in 2; chan_out 3; dilation 1; with and without bias.
    # The forward layer, and its input gradient F.grad.conv{n}d_input, which is conv_transpose of the output
    # gradient with the output_padding that restores the input size.
    x_shape, w_shape = (batch, 2) + (inp_size,) * dim, (3, 2) + (kern,) * dim
    for has_bias in (True, False):
        X, W, B, out = _functional(False, x_shape, w_shape, (3,) if has_bias else None, ("grad", has_bias),
                                   stride=stride, padding=padding, dilation=1)
    gO = _ints(_rng("gO", x_shape, stride, padding), out.shape)
    expected = getattr(torch.nn.grad, f"conv{dim}d_input")(x_shape, _t(W), _t(gO), stride=stride, padding=padding,
                                                           dilation=1)
    op = tuple(inp_size - ((o - 1) * stride - 2 * padding + kern) for o in out.shape[2:])
    _assert_matches(True, gO, W, None, {"stride": stride, "padding": padding, "output_padding": op}, expected)


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_functional_grad_conv(dim):
    # test_conv: test_functional_grad_conv -- input (1, 1) + (5,) * dim, weight (1, 1) + (3,) * dim, dilation=2;
    # the forward layer and F.grad.conv{n}d_input (= conv_transpose of the output gradient)
    X, W, _, out = _functional(False, (1, 1) + (5,) * dim, (1, 1) + (3,) * dim, None, "fgrad", dilation=2)
    gO = _ints(_rng("fgrad-gO", dim), out.shape)
    expected = getattr(torch.nn.grad, f"conv{dim}d_input")(X.shape, _t(W), _t(gO), dilation=2)
    _assert_matches(True, gO, W, None, {"dilation": 2}, expected)


@pytest.mark.parametrize("stride, kernel_size, groups, dilation",
                         list(itertools.product([1, 2], [1, 3, 5], [1, 2, 4], [1, 2])))
def test_functional_grad_conv2d(stride, kernel_size, groups, dilation):
    # test_conv: test_functional_grad_conv2d -- BATCH_SIZE 4, IN_CH 8, OUT_CH 16, padding kernel_size // 2,
    # strides (1, 2), kernel sizes (1, 3, 5), groups (1, 2, 4), dilations (1, 2).  SPATIAL reduced from 32 to 8.
    # Forward layer and the grouped input gradient (= grouped conv_transpose of the output gradient).
    spatial, padding = 8, kernel_size // 2
    x_shape, w_shape = (4, 8, spatial, spatial), (16, 8 // groups, kernel_size, kernel_size)
    X, W, _, out = _functional(False, x_shape, w_shape, None, "fgrad2d", stride=stride, padding=padding,
                               dilation=dilation, groups=groups)
    gO = _ints(_rng("fgrad2d-gO", stride, kernel_size, groups, dilation), out.shape)
    expected = torch.nn.grad.conv2d_input(x_shape, _t(W), _t(gO), stride=stride, padding=padding,
                                          dilation=dilation, groups=groups)
    op = tuple(spatial - ((o - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + 1) for o in out.shape[2:])
    # conv's weight (C_out, C_in/g, k, k) is conv_transpose's weight (C_in', C_out'/g, k, k) for C_in' = 16
    _assert_matches(True, gO, W, None, {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups,
                                        "output_padding": op}, expected)


def test_conv_padding_mode():
    # test_conv: test_conv_padding_mode -- padding_mode='xyz' and padding_mode=3 raise ValueError
    for mode in ("xyz", 3):
        with pytest.raises(ValueError, match="padding_mode must be one of"):
            nn.Conv2d(3, 3, 3, padding_mode=mode)
        with pytest.raises(SymconvError, match="padding_mode"):
            sc.conv(np.ones((1, 3, 5, 5)), np.ones((3, 3, 3, 3)), padding_mode=mode)
    # test_conv: test_conv_padding_mode -- ConvTranspose2d(3, 3, 3, padding_mode='reflect') raises ValueError
    # ('Only "zeros" padding mode is supported'); symconv's conv_transpose has no padding_mode other than zeros
    with pytest.raises(ValueError, match='Only "zeros" '):
        nn.ConvTranspose2d(3, 3, 3, padding_mode="reflect")
    with pytest.raises((TypeError, SymconvError)):
        sc.conv_transpose(np.ones((1, 3, 5, 5)), np.ones((3, 3, 3, 3)), padding_mode="reflect")


def test_Conv2d_missing_argument():
    # test_conv: test_Conv2d_missing_argument -- nn.Conv2d(3, 3, 3)(None) raises TypeError
    with pytest.raises(TypeError):
        nn.Conv2d(3, 3, 3)(None)
    with pytest.raises(SymconvError):
        sc.conv(None, np.ones((3, 3, 3, 3)), np.ones(3))


def test_conv2d_discontiguous_weight():
    # test_conv: test_conv2d_discontiguous_weight -- x = ones(64, 16, 16, 16), weight =
    # arange(0, 1.0, 1 / 2**10).reshape(32, 16, 1, 2)[:, :, :, ::2]; y.sum() == 4186112.0.  Here the weight is
    # scaled by 2**10 (integers 0, 2, ..., 1022) and the batch cut from 64 to 4 (the 64 samples are equal), so the
    # sum is 4186112 * 2**10 / 16.
    X = np.ones((4, 16, 16, 16))
    W = np.arange(0, 2 ** 10, dtype=np.float64).reshape(32, 16, 1, 2)[:, :, :, ::2]
    expected = F.conv2d(_t(X), _t(W), None)
    assert expected.sum().item() * 16 == 4186112.0 * 2 ** 10
    value = _numeric(False, X, W)
    _assert_same(value, expected.numpy(), "discontiguous weight")
    assert value.sum() * 16 == 4186112.0 * 2 ** 10


@pytest.mark.parametrize("radius", range(0, 128))
def test_permute_conv2d_issue_120211(radius):
    # test_conv: test_permute_conv2d_issue_120211 -- depthwise conv2d(image, kernel (3, 1, 1, 2 * r + 1),
    # groups=3) on a permuted (1, 3, 1024, 1024) image for r in 0..127; the image reduced to (1, 3, 2, 2 * r + 4)
    # (four outputs per row)
    _functional(False, (1, 3, 2, 2 * radius + 4), (3, 1, 1, radius * 2 + 1), None, ("120211", radius), groups=3)


def test_conv3d_issue_120406():
    # test_conv: test_conv3d_issue_120406 -- F.conv3d(ones(2, 3, 8, 9, 26), ones(3, 1, 1, 1, 17), groups=3)
    _functional(False, (2, 3, 8, 9, 26), (3, 1, 1, 1, 17), None, "120406", groups=3)


def test_conv1d_issue_120547():
    # test_conv: test_conv1d_issue_120547 -- weight (16, 1, 32), bias (16,), stride 1, padding 16, dilation 1,
    # groups 16; input rand(1, 1, 16).transpose(1, 2), i.e. shape (1, 16, 1)
    _functional(False, (1, 16, 1), (16, 1, 32), (16,), "120547", stride=1, padding=16, dilation=1, groups=16)


# -------------------------------------------------------------------------------------------------
# test/nn/test_convolution.py: TestConvolutionNNDeviceType
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("in_size", range(50, 55))
@pytest.mark.parametrize("k_size", [1, 2, 3, 8])
@pytest.mark.parametrize("dilation", range(1, 4))
def test_conv1d_same_padding_shape(in_size, k_size, dilation):
    # test_conv: test_conv1d_same_padding -- in_size 50..54, kernel 1, 2, 3, 8, dilation 1..3, stride 1:
    # padding='same' gives size ceil(in_size / stride)
    _, _, _, value = _functional(False, (1, 1, in_size), (1, 1, k_size), None, "same1d", padding="same",
                                 dilation=dilation, stride=1)
    assert value.shape[2] == int(math.ceil(in_size / 1))
    assert sc.output_shape((in_size,), (k_size,), padding="same", dilation=dilation) == (in_size,)


SAME_VS_MANUAL = [
    # (x shape, w shape, dilation, explicit padding, slice of the explicitly padded result that equals 'same')
    # test_conv: test_conv1d_same_padding -- without strides/dilation: x (1, 1, 12), y (1, 1, 3): padding 1
    pytest.param((1, 1, 12), (1, 1, 3), 1, 1, (), id="conv1d"),
    # test_conv: test_conv1d_same_padding -- with dilation: y (1, 1, 4), dilation 2 == padding 3
    pytest.param((1, 1, 12), (1, 1, 4), 2, 3, (), id="conv1d-dilation"),
    # test_conv: test_conv1d_same_padding -- dilation with asymmetric padding: dilation 3 == padding 5, [..., 1:]
    pytest.param((1, 1, 12), (1, 1, 4), 3, 5, (slice(1, None),), id="conv1d-asymmetric"),
    # test_conv: test_conv2d_same_padding -- x (1, 1, 10, 11), y (1, 1, 4, 5): padding (2, 2), [..., 1:, :]
    pytest.param((1, 1, 10, 11), (1, 1, 4, 5), 1, (2, 2), (slice(1, None), slice(None)), id="conv2d"),
    # test_conv: test_conv2d_same_padding -- y (1, 1, 3, 4), dilation 2 == padding (2, 3)
    pytest.param((1, 1, 10, 11), (1, 1, 3, 4), 2, (2, 3), (), id="conv2d-dilation"),
    # test_conv: test_conv2d_same_padding -- y (1, 1, 4, 4), dilation 3 == padding 5, [..., 1:, 1:]
    pytest.param((1, 1, 10, 11), (1, 1, 4, 4), 3, 5, (slice(1, None), slice(1, None)), id="conv2d-asymmetric"),
    # test_conv: test_conv3d_same_padding -- x (1, 1, 10, 11, 12), y (1, 1, 1, 2, 5): padding (0, 1, 2), [..., :, 1:, :]
    pytest.param((1, 1, 10, 11, 12), (1, 1, 1, 2, 5), 1, (0, 1, 2), (slice(None), slice(1, None), slice(None)),
                 id="conv3d"),
    # test_conv: test_conv3d_same_padding -- dilation 2 == padding (0, 1, 4)
    pytest.param((1, 1, 10, 11, 12), (1, 1, 1, 2, 5), 2, (0, 1, 4), (), id="conv3d-dilation"),
    # test_conv: test_conv3d_same_padding -- y (1, 1, 4, 4, 4), dilation 3 == padding 5, [..., 1:, 1:, 1:]
    pytest.param((1, 1, 10, 11, 12), (1, 1, 4, 4, 4), 3, 5, (slice(1, None),) * 3, id="conv3d-asymmetric"),
    # test_conv: test_conv1d_same_padding_backward -- x (1, 1, 12), y (1, 1, 4): dilation 2 == padding 3 (symmetric)
    #            and padding 2, [..., 1:] == 'same' (asymmetric)
    pytest.param((1, 1, 12), (1, 1, 4), 1, 2, (slice(1, None),), id="conv1d-backward-asymmetric"),
    # test_conv: test_conv2d_same_padding_backward -- x (1, 1, 10, 11), y (1, 1, 4, 5): dilation 2 == padding (3, 4)
    pytest.param((1, 1, 10, 11), (1, 1, 4, 5), 2, (3, 4), (), id="conv2d-backward-symmetric"),
    # test_conv: test_conv2d_same_padding_backward -- y (1, 1, 4, 4): 'same' == padding 2, [..., 1:, 1:]
    pytest.param((1, 1, 10, 11), (1, 1, 4, 4), 1, 2, (slice(1, None), slice(1, None)), id="conv2d-backward-asymmetric"),
    # test_conv: test_conv3d_same_padding_backward -- x (1, 1, 1, 11, 12), y (1, 1, 1, 2, 5): dilation 2 ==
    #            padding (0, 1, 4)
    pytest.param((1, 1, 1, 11, 12), (1, 1, 1, 2, 5), 2, (0, 1, 4), (), id="conv3d-backward-symmetric"),
]


@pytest.mark.parametrize("x_shape, w_shape, dilation, padding, crop", SAME_VS_MANUAL)
def test_same_padding_vs_manual(x_shape, w_shape, dilation, padding, crop, request):
    X, W, _, same = _functional(False, x_shape, w_shape, None, request.node.callspec.id, padding="same",
                                dilation=dilation)
    expected = CONV[len(w_shape) - 2](_t(X), _t(W), padding=padding, dilation=dilation)[(Ellipsis,) + crop].contiguous()
    _assert_same(same, expected.numpy(), "torch: explicit padding, cropped")
    mine = _numeric(False, X, W, padding=padding, dilation=dilation)[(Ellipsis,) + crop]
    _assert_same(mine, same, "symconv: explicit padding, cropped, vs 'same'")


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_valid_padding(nd):
    # test_conv: test_conv{1,2,3}d_valid_padding -- x (1, 1, [1, [1,]] 10), y (1, 1, [1, [1,]] 4):
    # padding='valid' is the same as no padding
    x_shape, w_shape = (1, 1) + (1,) * (nd - 1) + (10,), (1, 1) + (1,) * (nd - 1) + (4,)
    X, W, _, valid = _functional(False, x_shape, w_shape, None, ("valid", nd), padding="valid")
    _assert_same(valid, CONV[nd](_t(X), _t(W)).numpy(), "valid vs no padding")
    _assert_same(_numeric(False, X, W), valid, "symconv valid vs no padding")


VS_SCIPY = [
    # test_conv: test_conv{1,2,3}d_vs_scipy, mode valid/same -- conv of t with the flipped weight equals
    # scipy.signal.convolve(2d); for 'same' the input is padded by k // 2 on both sides and the result cropped.
    # t (1, 10), weights (1, 1, 4) and (1, 1, 5)
    pytest.param((1, 10), (1, 1, 4), id="1d-even"),
    pytest.param((1, 10), (1, 1, 5), id="1d-odd"),
    # t (1, 5, 10), weights (1, 1, 2, 4) and (1, 1, 3, 5)
    pytest.param((1, 5, 10), (1, 1, 2, 4), id="2d-even"),
    pytest.param((1, 5, 10), (1, 1, 3, 5), id="2d-odd"),
    # t (1, 5, 5, 10), weights (1, 1, 2, 2, 4) and (1, 1, 2, 3, 5)
    pytest.param((1, 5, 5, 10), (1, 1, 2, 2, 4), id="3d-even"),
    pytest.param((1, 5, 5, 10), (1, 1, 2, 3, 5), id="3d-odd"),
]


@pytest.mark.parametrize("mode", ["valid", "same"])
@pytest.mark.parametrize("t_shape, w_shape", VS_SCIPY)
def test_conv_vs_scipy(t_shape, w_shape, mode, request):
    scipy_signal = pytest.importorskip("scipy.signal")
    nd = len(w_shape) - 2
    rng = _rng("scipy", request.node.callspec.id)
    T, W = _ints(rng, t_shape), _ints(rng, w_shape)
    feat = t_shape[1:]
    if nd == 2:
        expected = scipy_signal.convolve2d(T[0], W[0, 0], mode=mode)
    else:
        expected = scipy_signal.convolve(T.reshape(-1) if nd == 1 else T[0], W.reshape(-1) if nd == 1 else W[0, 0],
                                         mode=mode)
    flipped = np.ascontiguousarray(np.flip(W, axis=tuple(range(2, 2 + nd))))
    if mode == "valid":
        actual_torch = CONV[nd](_t(T), _t(flipped), padding="valid").squeeze(0).numpy()
        actual = _numeric(False, T, flipped, padding="valid")[0]
    else:
        pads = [k // 2 for k in w_shape[2:]]
        torch_pad = [p for k in reversed(pads) for p in (k, k)]
        actual_torch = CONV[nd](F.pad(_t(T), torch_pad), _t(flipped)).squeeze(0).numpy()
        actual = _numeric(False, T, flipped, padding=tuple(pads))[0]
        crop = tuple(slice(0, n) for n in feat)
        actual_torch, actual = actual_torch[crop], actual[crop]
    _assert_same(actual_torch, np.asarray(expected), "torch vs scipy (the PyTorch test's own claim)")
    _assert_same(actual, actual_torch, "symconv vs torch")


def test_conv_transpose_with_output_size_and_no_batch_dim():
    # test_conv: test_conv_transpose_with_output_size_and_no_batch_dim -- ConvTranspose2d(1, 1, kernel_size=16,
    # stride=16, padding=7, bias=False) on the unbatched (1, 15, 13) with output_size (1, 240, 200); symconv's
    # equivalent is output_padding (240 - 226, 200 - 194) = (14, 6).  Shapes at full size (torch on the meta
    # device), values on the input reduced to (1, 3, 2) with the same output_padding (output_size (1, 48, 24)).
    m = nn.ConvTranspose2d(1, 1, kernel_size=16, stride=16, padding=7, bias=False, device="meta")
    assert tuple(m(torch.empty(1, 15, 13, device="meta"), output_size=(1, 240, 200)).shape) == (1, 240, 200)
    assert sc.output_shape((15, 13), (16, 16), stride=16, padding=7, transposed=True,
                           output_padding=(14, 6)) == (240, 200)
    m = nn.ConvTranspose2d(1, 1, kernel_size=16, stride=16, padding=7, bias=False)
    rng = _rng("ct-nobatch")
    W, _ = _set_params(m, rng)
    X = _ints(rng, (1, 3, 2))
    with torch.no_grad():
        expected = m(_t(X), output_size=(1, 48, 24))
    assert tuple(expected.shape) == (1, 48, 24)
    _assert_matches(True, X, W, None, {"stride": 16, "padding": 7, "output_padding": (14, 6)}, expected)
    # test_conv: the same test, ConvTranspose3d on (1, 15, 13, 13), output_size (1, 240, 200, 200) -- shape only
    m3 = nn.ConvTranspose3d(1, 1, kernel_size=16, stride=16, padding=7, bias=False, device="meta")
    out3 = m3(torch.empty(1, 15, 13, 13, device="meta"), output_size=(1, 240, 200, 200))
    assert tuple(out3.shape) == (1, 240, 200, 200)
    assert sc.output_shape((15, 13, 13), (16, 16, 16), stride=16, padding=7, transposed=True,
                           output_padding=(14, 6, 6)) == (240, 200, 200)


BACKEND_CONFIGS = [
    # test_conv: test_conv_backend subtests -- (input_shape, transposed, dilated, groups); C_out 12, kernel 3,
    # padding 0; each with has_bias False/True and strided False/True (stride 2, dilation 2 when dilated)
    pytest.param((2, 6, 7), False, False, 3, id="slow1d"),
    pytest.param((2, 6, 7), True, False, 3, id="slow1d_transposed"),
    pytest.param((2, 6, 7), False, True, 3, id="slow1d_dilated"),
    pytest.param((2, 6, 7), True, True, 3, id="slow1d_dilated_transposed"),
    pytest.param((2, 6, 7, 8), False, False, 3, id="slow2d"),
    pytest.param((2, 6, 7, 8), True, False, 3, id="slow2d_transposed"),
    pytest.param((2, 6, 7, 8), False, True, 3, id="slow2d_dilated"),
    pytest.param((2, 6, 7, 8), True, True, 3, id="slow2d_dilated_transposed"),
    pytest.param((2, 6, 7, 8, 9), False, False, 3, id="slow3d_cpu"),
    pytest.param((2, 6, 7, 8, 9), False, True, 3, id="slow3d_dilated"),
    pytest.param((2, 6, 7, 8, 9), True, False, 3, id="miopen3d_transposed"),
    pytest.param((2, 6, 7), False, False, 6, id="cuda_depthwise1d"),
    pytest.param((2, 6, 7, 8), False, False, 6, id="cuda_depthwise2d"),
    pytest.param((2, 6, 7, 8, 9), False, False, 6, id="cuda_depthwise3d"),
    # zero batch (the Empty backend)
    pytest.param((0, 6, 7), False, False, 3, id="empty_batch1d"),
    pytest.param((0, 6, 7, 8), False, False, 3, id="empty_batch2d"),
    pytest.param((0, 6, 7, 8, 9), False, False, 3, id="empty_batch3d"),
]


@pytest.mark.parametrize("strided", [False, True], ids=["unstrided", "strided"])
@pytest.mark.parametrize("has_bias", [False, True], ids=["nobias", "bias"])
@pytest.mark.parametrize("input_shape, transposed, dilated, groups", BACKEND_CONFIGS)
def test_conv_backend(input_shape, transposed, dilated, groups, has_bias, strided):
    c_in, c_out, dim, k = input_shape[1], 12, len(input_shape) - 2, 3
    w_shape = ((c_in, c_out // groups) if transposed else (c_out, c_in // groups)) + (k,) * dim
    kw = {"stride": (2,) * dim if strided else (1,) * dim, "padding": (0,) * dim,
          "dilation": (2,) * dim if dilated else (1,) * dim, "groups": groups}
    if transposed:
        kw["output_padding"] = (0,) * dim
    _functional(transposed, input_shape, w_shape, (c_out,) if has_bias else None, "backend", **kw)


@pytest.mark.parametrize("make, input_size, out_shape", [
    # test_conv: test_group_conv_empty -- Conv2d(4, 4, stride=2, kernel_size=3, padding=1, groups=4) on (0, 4, 4, 4)
    pytest.param(lambda: nn.Conv2d(4, 4, stride=2, kernel_size=3, padding=1, groups=4), (0, 4, 4, 4), (0, 4, 2, 2),
                 id="group_conv_empty"),
    # test_conv: test_group_convTranspose_empty -- ConvTranspose2d(4, 4, stride=2, kernel_size=3, padding=1,
    # groups=4) on (0, 4, 4, 4)
    pytest.param(lambda: nn.ConvTranspose2d(4, 4, stride=2, kernel_size=3, padding=1, groups=4), (0, 4, 4, 4),
                 (0, 4, 7, 7), id="group_convTranspose_empty"),
    # test_conv: test_convTranspose_empty -- ConvTranspose2d(4, 4, stride=2, kernel_size=3, padding=1) on (0, 4, 4, 4)
    pytest.param(lambda: nn.ConvTranspose2d(4, 4, stride=2, kernel_size=3, padding=1), (0, 4, 4, 4), (0, 4, 7, 7),
                 id="convTranspose_empty"),
])
def test_empty_batch_modules(make, input_size, out_shape, request):
    *_, value = _module(make(), input_size, request.node.callspec.id)
    assert value.shape == out_shape


@pytest.mark.parametrize("nd, c_out, input_shape", [
    # test_conv: test_conv_empty_channel -- Conv1d(0, 8, 2, stride=2) on (2, 1, 0) raises "Given groups=1, weight"
    (1, 8, (2, 1, 0)),
    # test_conv: test_conv_empty_channel -- Conv2d(0, 33, 3, stride=2) on (2, 1, 40, 0)
    (2, 33, (2, 1, 40, 0)),
    # test_conv: test_conv_empty_channel -- Conv3d(0, 33, 3, stride=2) on (2, 1, 50, 0, 40)
    (3, 33, (2, 1, 50, 0, 40)),
])
def test_conv_empty_channel_mismatch(nd, c_out, input_shape):
    with _quiet():
        m = CONV_MOD[nd](0, c_out, 2 if nd == 1 else 3, stride=2)
    with pytest.raises(RuntimeError, match="Given groups=1, weight"):
        m(torch.zeros(input_shape))
    _module_raises(m, input_shape, SymconvError)


@pytest.mark.parametrize("dim", [1, 2, 3])
@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("transposed", [False, True])
def test_conv_noncontig_weights(dim, grouped, transposed):
    # test_conv: test_conv_noncontig_weights -- nc = 3, groups 3 if grouped else 1; w = randn([3] * dim) expanded to
    # (nc, nc // groups, 3, ...): every (out, in) pair has the same kernel; x (1, nc) + (5,) * dim;
    # F.conv{n}d(x, w, groups) and F.conv_transpose{n}d(x, w, groups)
    nc, groups = 3, 3 if grouped else 1
    rng = _rng("noncontig", dim, grouped, transposed)
    W = np.broadcast_to(_ints(rng, (3,) * dim), (nc, nc // groups) + (3,) * dim).copy()
    X = _ints(rng, (1, nc) + (5,) * dim)
    expected = (CONV_T if transposed else CONV)[dim](_t(X), _t(W), groups=groups)
    _assert_matches(transposed, X, W, None, {"groups": groups}, expected)


THNN_NHWC = [
    # test_conv: test_conv_thnn_nhwc helper(mod, n, c, h, w, out_channels, kernel_size, dilation, groups):
    # mod(c, out_channels, kernel_size, dilation=dilation, groups=groups) on (n, c, h, w), data randint(-3, 3)
    pytest.param(nn.Conv2d, 2, 8, 4, 4, 4, 3, 1, 1, id="Conv2d-im2col"),
    pytest.param(nn.Conv2d, 2, 8, 4, 4, 8, 3, 1, 8, id="Conv2d-im2col-depthwise"),
    pytest.param(nn.Conv2d, 2, 1, 10, 10, 8, 3, 1, 1, id="Conv2d-ic1"),
    pytest.param(nn.Conv2d, 1, 16, 56, 56, 16, 1, 1, 1, id="Conv2d-1x1"),
    pytest.param(nn.Conv2d, 1, 16, 56, 56, 16, 1, 1, 16, id="Conv2d-1x1-depthwise"),
    pytest.param(nn.Conv2d, 2, 8, 11, 13, 16, 3, 2, 1, id="Conv2d-dilated"),
    pytest.param(nn.Conv2d, 2, 16, 11, 13, 32, 3, 2, 16, id="Conv2d-dilated-grouped"),
    pytest.param(nn.ConvTranspose2d, 2, 8, 4, 4, 4, 3, 1, 1, id="ConvTranspose2d"),
    pytest.param(nn.ConvTranspose2d, 2, 8, 4, 4, 8, 3, 1, 8, id="ConvTranspose2d-depthwise"),
    pytest.param(nn.ConvTranspose2d, 1, 16, 56, 56, 16, 1, 1, 1, id="ConvTranspose2d-1x1"),
    pytest.param(nn.ConvTranspose2d, 1, 16, 56, 56, 32, 1, 1, 16, id="ConvTranspose2d-1x1-grouped"),
]


@pytest.mark.parametrize("mod, n, c, h, w, out_channels, kernel_size, dilation, groups", THNN_NHWC)
def test_conv_thnn_nhwc(mod, n, c, h, w, out_channels, kernel_size, dilation, groups, request):
    m = mod(c, out_channels, kernel_size, dilation=dilation, groups=groups)
    _module(m, (n, c, h, w), request.node.callspec.id, low=-3, high=2)


@pytest.mark.parametrize("n, c, h, w, out_channels, kernel_size, groups", [
    # test_conv: test_conv_cudnn_nhwc (CUDA-only) helper(n, c, h, w, out_channels, kernel_size, groups):
    # Conv2d(c, out_channels, kernel_size, groups=groups), data randint(-3, 3); the two 56 x 56 inputs reduced
    # to 14 x 14
    (2, 8, 4, 4, 4, 3, 1),
    (2, 8, 4, 4, 8, 3, 8),
    (1, 16, 14, 14, 16, 3, 1),
    (1, 16, 14, 14, 16, 3, 16),
])
def test_conv_cudnn_nhwc(n, c, h, w, out_channels, kernel_size, groups):
    m = nn.Conv2d(c, out_channels, kernel_size, groups=groups)
    _module(m, (n, c, h, w), ("cudnn_nhwc", n, c, h, out_channels, groups), low=-3, high=2)


@pytest.mark.parametrize("n, c, d, h, w, out_channels, kernel_size, groups", [
    # test_conv: test_conv_cudnn_ndhwc (CUDA-only) helper(n, c, d, h, w, out_channels, kernel_size, groups):
    # Conv3d(c, out_channels, kernel_size, groups=groups), data randint(-2, 2); the two 18 x 18 x 18 inputs
    # reduced to 6 x 6 x 6
    (2, 8, 4, 4, 4, 4, 3, 1),
    (2, 8, 4, 4, 4, 8, 3, 8),
    (1, 16, 6, 6, 6, 16, 3, 1),
    (1, 16, 6, 6, 6, 16, 3, 16),
])
def test_conv_cudnn_ndhwc(n, c, d, h, w, out_channels, kernel_size, groups):
    m = nn.Conv3d(c, out_channels, kernel_size, groups=groups)
    _module(m, (n, c, d, h, w), ("cudnn_ndhwc", n, c, d, out_channels, groups), low=-2, high=1)


@pytest.mark.parametrize("layer", [nn.Conv2d, nn.ConvTranspose2d], ids=["Conv2d", "ConvTranspose2d"])
@pytest.mark.parametrize("n, c, h, w, k, filter_size", [
    # test_conv: test_conv_cudnn_mismatch_memory_format (CUDA-only) configs [n, c, h, w, k, filter_size]:
    # layer(c, k, filter_size) on randint(1, 10, (n, c, h, w))
    (4, 2, 8, 8, 4, 2), (4, 1, 8, 8, 4, 2), (1, 1, 8, 8, 4, 2), (4, 2, 2, 8, 4, 1), (4, 2, 1, 8, 4, 1),
    (4, 2, 8, 8, 4, 1), (4, 1, 8, 8, 4, 1),
])
def test_conv_cudnn_mismatch_memory_format(layer, n, c, h, w, k, filter_size):
    _module(layer(c, k, filter_size), (n, c, h, w), ("mismatch_memory_format", layer.__name__, n, c, h, w, k),
            low=1, high=9)


@pytest.mark.parametrize("batch", [1, 2, 3])
@pytest.mark.parametrize("groups", [1, 2, 4])
def test_conv2d_no_grad(batch, groups):
    # test_conv: test_conv2d_no_grad -- Conv2d(groups, 8, kernel_size=(3, 3), groups=groups) on (batch, groups, 8, 8)
    _module(nn.Conv2d(groups, 8, kernel_size=(3, 3), groups=groups), (batch, groups, 8, 8), ("no_grad", batch, groups))


DOUBLE_BACKWARD = [
    # test_conv: run_conv_double_back_test(kern, stride, padding, chan_in, chan_out, batch_size, inp_size, dilation,
    # no_weight, groups): F.conv2d(x (batch, chan_in, inp, inp), w (chan_out, chan_in // groups, kern, kern), bias)
    # test_conv: test_conv_double_backward_no_bias -- 3, 2, 1, 2, 4, 2, 5, 1 (bias used)
    pytest.param(3, 2, 1, 2, 4, 2, 5, 1, 1, id="no_bias"),
    # test_conv: test_conv_double_backward_groups -- kern 3, stride 1, padding 2, chan 2 * 2 -> 4 * 2, batch 2,
    # inp 6, groups 2
    pytest.param(3, 1, 2, 4, 8, 2, 6, 1, 2, id="groups"),
    # test_conv: test_conv_double_backward_stride -- (kern, inp, dilations) in (3, 5, [1, 2]), (3, 7, [1]);
    # stride 2; padding 0, 1; chan 1 -> 2; batch 2
    *[pytest.param(3, 2, p, 1, 2, 2, inp, d, 1, id=f"stride-k3-n{inp}-p{p}-d{d}")
      for inp, dils in ((5, (1, 2)), (7, (1,))) for p in (0, 1) for d in dils],
    # test_conv: test_conv_double_backward (CUDA-only) -- (kern, inp, dilations) in (3, 5, [1, 2]), (4, 9, [1]);
    # stride 1, padding 2, chan 2 -> 3, batch 1
    *[pytest.param(kern, 1, 2, 2, 3, 1, inp, d, 1, id=f"cuda-k{kern}-n{inp}-d{d}")
      for kern, inp, dils in ((3, 5, (1, 2)), (4, 9, (1,))) for d in dils],
]


@pytest.mark.parametrize("kern, stride, padding, chan_in, chan_out, batch, inp, dilation, groups", DOUBLE_BACKWARD)
def test_conv_double_backward_forward(kern, stride, padding, chan_in, chan_out, batch, inp, dilation, groups):
    _functional(False, (batch, chan_in, inp, inp), (chan_out, chan_in // groups, kern, kern), (chan_out,),
                ("double_back", kern, stride, padding, inp, dilation), stride=stride, padding=padding,
                dilation=dilation, groups=groups)


def test_conv_double_backward_strided_with_3D_input_and_weight():
    # test_conv: test_conv_double_backward_strided_with_3D_input_and_weight -- aten.convolution of input (2, 3, 6),
    # weight (3, 3, 3), bias (3,), stride (2,), padding (1,), dilation (1,), not transposed, groups 1
    _functional(False, (2, 3, 6), (3, 3, 3), (3,), "3d-input", stride=(2,), padding=(1,), dilation=(1,), groups=1)


def test_Conv2d_backward_depthwise():
    # test_conv: test_Conv2d_backward_depthwise -- x (2, 2, 4, 20), weight (2, 1, 3, 5), stride (1, 10), groups 2
    _functional(False, (2, 2, 4, 20), (2, 1, 3, 5), None, "bwd_depthwise", stride=(1, 10), groups=2)


@pytest.mark.parametrize("dilation", [1, 2, 3])
def test_Conv2d_deterministic_cudnn(dilation):
    # test_conv: test_Conv2d_deterministic_cudnn (CUDA-only) -- Conv2d(3, 3, 3, dilation=d) on (2, 3, 7, 7), d in 1..3
    _module(nn.Conv2d(3, 3, 3, dilation=dilation), (2, 3, 7, 7), ("deterministic", dilation))


@pytest.mark.parametrize("make, input_size", [
    # test_conv: test_Conv2d_size_1_kernel (CUDA-only) -- Conv2d(3, 3, kernel_size=1) on (2, 3, 5, 5)
    pytest.param(lambda: nn.Conv2d(3, 3, kernel_size=1), (2, 3, 5, 5), id="Conv2d"),
    # test_conv: test_ConvTranspose2d_size_1_kernel -- ConvTranspose2d(3, 3, kernel_size=1) on (2, 3, 5, 5)
    pytest.param(lambda: nn.ConvTranspose2d(3, 3, kernel_size=1), (2, 3, 5, 5), id="ConvTranspose2d"),
    # test_conv: test_ConvTranspose3d_size_1_kernel -- ConvTranspose3d(3, 3, kernel_size=1) on (2, 3, 3, 5, 5)
    pytest.param(lambda: nn.ConvTranspose3d(3, 3, kernel_size=1), (2, 3, 3, 5, 5), id="ConvTranspose3d"),
    # test_conv: test_noncontig_conv_grad (CUDA-only) -- Conv2d(3, 5, kernel_size=3, padding=1) on (2, 3, 10, 10)
    pytest.param(lambda: nn.Conv2d(3, 5, kernel_size=3, padding=1), (2, 3, 10, 10), id="noncontig_conv_grad"),
    # test_conv: test_conv_contiguous_for_oneDNN -- Conv2d(1, 128, kernel_size=(5, 2), stride=(2, 1), padding=(0, 1),
    # dilation=(1, 1), groups=1, bias=True, padding_mode='zeros') on (1, 1, 321, 201), reduced to (1, 1, 21, 11)
    pytest.param(lambda: nn.Conv2d(1, 128, kernel_size=(5, 2), stride=(2, 1), padding=(0, 1), dilation=(1, 1),
                                   groups=1, bias=True, padding_mode="zeros"), (1, 1, 21, 11), id="contiguous_oneDNN"),
    # test_conv: test_conv_ic1_channels_last_for_oneDNN -- Conv2d(1, 64, kernel_size=(3, 3), padding=(1, 1),
    # bias=False) on (2, 1, 100, 100), reduced to (2, 1, 10, 10)
    pytest.param(lambda: nn.Conv2d(1, 64, kernel_size=(3, 3), padding=(1, 1), bias=False), (2, 1, 10, 10),
                 id="ic1_oneDNN"),
])
def test_single_modules(make, input_size, request):
    _module(make(), input_size, request.node.callspec.id)


def test_ConvTranspose2d_large_output_padding():
    # test_conv: test_ConvTranspose2d_large_output_padding (CUDA-only) -- three ConvTranspose2d(kernel_size=3,
    # stride=2, padding=1, output_padding=1) in a row, 128 -> 64 -> 32 -> 3 channels, on (1, 128, 6, 6)
    rng = _rng("large_output_padding")
    X = _ints(rng, (1, 128, 6, 6), -1, 1)
    expected, value = _t(X), X
    for c_in, c_out in ((128, 64), (64, 32), (32, 3)):
        m = nn.ConvTranspose2d(c_in, c_out, kernel_size=3, stride=2, padding=1, output_padding=1)
        W, B = _set_params(m, rng, -1, 1)
        with torch.no_grad():
            expected = m(expected)
        value = _numeric(True, value, W, B, stride=2, padding=1, output_padding=1)
        _assert_same(value, expected.numpy(), f"layer {c_in} -> {c_out}")
    assert value.shape == (1, 3, 48, 48)


def test_contig_wrong_stride_cudnn():
    # test_conv: test_contig_wrong_stride_cudnn (CUDA-only) -- x (1, 16, 5, 5): F.conv_transpose2d(x, w (16, 1, 1, 1))
    # and F.conv2d(x, w (1, 16, 1, 1))
    _functional(True, (1, 16, 5, 5), (16, 1, 1, 1), None, "wrong_stride_t")
    _functional(False, (1, 16, 5, 5), (1, 16, 1, 1), None, "wrong_stride")


def test_cudnn_noncontiguous_weight():
    # test_conv: test_cudnn_noncontiguous_weight (CUDA-only) -- input [1, 1, 1] viewed (1, 1, 3), weight ones
    # expanded to (1, 1, 2), F.conv1d(input, weight, bias=None, stride=2, dilation=2): the very values of the test
    X, W = np.ones((1, 1, 3)), np.ones((1, 1, 2))
    expected = F.conv1d(_t(X), _t(W), bias=None, stride=2, dilation=2)
    value = _assert_matches(False, X, W, None, {"stride": 2, "dilation": 2}, expected)
    assert value.tolist() == [[[2.0]]]


# -------------------------------------------------------------------------------------------------
# test/inductor/test_cpu_repro.py, and PyTorch's behaviour around the suite's cases (runtime)
# -------------------------------------------------------------------------------------------------
def test_unsupported_conv_transpose_output_padding():
    # test_cpu_repro: test_unsupported_conv_transpose -- ConvTranspose2d(3, 6, 3, stride=1, padding=1,
    # output_padding=1) raises "output padding must be smaller than either stride or dilation" (input (1, 3, 28, 28),
    # here (1, 3, 5, 5))
    m = nn.ConvTranspose2d(3, 6, 3, stride=1, padding=1, output_padding=1)
    with pytest.raises(RuntimeError, match="output padding must be smaller than either stride or dilation"):
        m(torch.zeros(1, 3, 5, 5))
    _module_raises(m, (1, 3, 5, 5), InvalidArgumentError)
    with pytest.raises(InvalidArgumentError, match="output_padding"):
        sc.output_shape((5, 5), (3, 3), stride=1, padding=1, output_padding=1, transposed=True)


@pytest.mark.parametrize("x_shape, w_shape, kw", [
    # runtime: output_padding must be smaller than stride *or* dilation, per axis -- 3 = stride 3 with dilation 1
    pytest.param((2, 3, 6, 6), (3, 4, 3, 3), {"stride": 3, "output_padding": (3, 0)}, id="op-equals-stride"),
    # runtime: output_padding 2 >= stride 2 and >= dilation 2
    pytest.param((1, 2, 4), (2, 2, 3), {"stride": 2, "dilation": 2, "output_padding": 2}, id="op-equals-both"),
    # runtime: negative output_padding ("negative output_padding is not supported")
    pytest.param((2, 3, 6, 6), (3, 4, 3, 3), {"stride": 3, "output_padding": (-1, 0)}, id="op-negative"),
])
def test_runtime_output_padding_too_large(x_shape, w_shape, kw):
    _functional_raises(True, x_shape, w_shape, None, InvalidArgumentError, "output_padding", **kw)


@pytest.mark.parametrize("transposed, x_shape, w_shape, kw", [
    # runtime: conv with C_out not divisible by groups ("expected weight to be divisible by 2 at dimension 0"),
    # next to cmi error_inputs_conv1d's groups cases
    pytest.param(False, (1, 4, 5), (3, 2, 3), {"groups": 2}, id="conv-cout-groups"),
    # runtime: conv with C_in mismatch ("expected input[1, 4, 5] to have 2 channels")
    pytest.param(False, (1, 4, 5), (3, 2, 3), {}, id="conv-cin-mismatch"),
    # runtime: conv_transpose with groups not dividing C_in ("expected weight to be divisible by 3 at dimension 0")
    pytest.param(True, (1, 4, 5), (4, 2, 3), {"groups": 3}, id="conv_transpose-groups"),
    # runtime: conv_transpose with C_in mismatch ("weight of size [3, 2, 3], expected input[1, 4, 5] to have 3
    # channels")
    pytest.param(True, (1, 4, 5), (3, 2, 3), {}, id="conv_transpose-cin-mismatch"),
    # runtime: zero batch does not lift the size check -- (0, 4, 2) with a kernel of 3 ("Kernel size can't be
    # greater than actual input size")
    pytest.param(False, (0, 4, 2), (5, 4, 3), {}, id="zero-batch-kernel-too-large"),
])
def test_runtime_shape_errors(transposed, x_shape, w_shape, kw):
    _functional_raises(transposed, x_shape, w_shape, None, ShapeError, **kw)


@pytest.mark.parametrize("transposed, x_shape, w_shape, kw", [
    # runtime: C_out = 0 raises ("expected weight to be at least 1 at dimension 0")
    pytest.param(False, (2, 4, 10), (0, 4, 3), {}, id="conv-cout0"),
    pytest.param(False, (2, 4, 5, 5), (0, 2, 3, 3), {"groups": 2}, id="conv2d-cout0-groups"),
    # runtime: conv_transpose with C_out = 0 raises ("non-empty 2D or 4D weight tensor expected")
    pytest.param(True, (2, 4, 5), (4, 0, 3), {}, id="conv_transpose-cout0"),
    # runtime: a spatial size 0 raises, whatever the padding ("Kernel size can't be greater than actual input size",
    # "Only zero batch or zero channel inputs are supported")
    pytest.param(False, (2, 1, 0), (1, 1, 3), {}, id="conv-spatial0"),
    pytest.param(False, (2, 1, 0), (1, 1, 1), {"padding": 1}, id="conv-spatial0-padded"),
    pytest.param(False, (2, 1, 4, 0), (1, 1, 1, 1), {}, id="conv2d-spatial0"),
    pytest.param(True, (2, 1, 0), (1, 1, 3), {}, id="conv_transpose-spatial0"),
])
def test_runtime_zero_size_errors(transposed, x_shape, w_shape, kw):
    _functional_raises(transposed, x_shape, w_shape, None, SymconvError, **kw)


@pytest.mark.parametrize("make, input_size, ok", [
    # runtime: reflect padding must be smaller than the input (padding 3 on length 4 works, 4 raises)
    pytest.param(lambda: nn.Conv1d(1, 1, 3, padding=3, padding_mode="reflect"), (1, 1, 4), True, id="reflect-ok"),
    pytest.param(lambda: nn.Conv1d(1, 1, 3, padding=4, padding_mode="reflect"), (1, 1, 4), False, id="reflect-raise"),
    # runtime: circular padding may not exceed the input ("wrapping around more than once"): 4 on 4 works, 5 raises
    pytest.param(lambda: nn.Conv1d(1, 1, 3, padding=4, padding_mode="circular"), (1, 1, 4), True, id="circular-ok"),
    pytest.param(lambda: nn.Conv1d(1, 1, 3, padding=5, padding_mode="circular"), (1, 1, 4), False,
                 id="circular-raise"),
    # runtime: replicate has no limit
    pytest.param(lambda: nn.Conv1d(1, 1, 3, padding=6, padding_mode="replicate"), (1, 1, 4), True, id="replicate"),
    # runtime: the padding-mode cases of common_nn on unbatched input (2, 4)
    pytest.param(lambda: nn.Conv1d(2, 3, 3, 2, 1, padding_mode="reflect"), (2, 4), True, id="reflect-unbatched"),
    pytest.param(lambda: nn.Conv1d(2, 3, 3, 2, 1, padding_mode="circular"), (2, 4), True, id="circular-unbatched"),
])
def test_runtime_padding_mode_limits(make, input_size, ok, request):
    if ok:
        _module(make(), input_size, request.node.callspec.id)
    else:
        _module_raises(make(), input_size, InvalidArgumentError)


@pytest.mark.parametrize("transposed, x_shape, w_shape, kw, out_shape", [
    # runtime: the sentence of the brief -- conv of (0, 4, 10) with (5, 4, 3) has shape (0, 5, 8)
    pytest.param(False, (0, 4, 10), (5, 4, 3), {}, (0, 5, 8), id="conv"),
    # runtime: grouped, zero batch
    pytest.param(False, (0, 4, 10), (6, 2, 3), {"groups": 2}, (0, 6, 8), id="conv-groups"),
    # runtime: conv_transpose, zero batch, ConvTranspose1d configuration of common_nn
    pytest.param(True, (0, 4, 7), (4, 3, 3), {"stride": 3, "padding": 1, "output_padding": 1}, (0, 3, 20),
                 id="conv_transpose"),
    # runtime: conv_transpose, zero batch, grouped (ConvTranspose1d_groups of common_nn)
    pytest.param(True, (0, 4, 7), (4, 3, 3), {"stride": 3, "padding": 1, "output_padding": 1, "groups": 2},
                 (0, 6, 20), id="conv_transpose-groups"),
])
def test_runtime_zero_batch(transposed, x_shape, w_shape, kw, out_shape):
    X, W = np.zeros(x_shape), _ints(_rng("zb", x_shape, w_shape), w_shape)
    expected = (CONV_T if transposed else CONV)[len(w_shape) - 2](_t(X), _t(W), **kw)
    assert tuple(expected.shape) == out_shape
    result = (sc.conv_transpose if transposed else sc.conv)(X, W, **kw)
    assert tuple(result.shape) == out_shape
    _assert_same(sc.evaluate(result), expected.numpy(), "zero batch")
