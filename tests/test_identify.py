"""identify(): user code, numeric functions and arrays are named with the right parameters."""

import numpy as np
import pytest
import scipy.signal as ss

import symconv as sc

from .test_trace_probe import hand_im2col, loops_flip, loops_no_flip, off_by_one, strided


@pytest.mark.parametrize("fn, kind, params", [
    (loops_no_flip, "correlation", {"mode": "valid", "stride": (1, 1), "dilation": (1, 1)}),
    (loops_flip, "convolution", {"mode": "valid", "stride": (1, 1), "dilation": (1, 1), "flipped": (0, 1)}),
    (strided, "correlation", {"mode": "valid", "stride": (2, 2), "dilation": (1, 1)}),
    (hand_im2col, "correlation", {"mode": "valid", "stride": (1, 1), "dilation": (1, 1)}),
])
def test_user_loops(fn, kind, params):
    found = sc.identify(fn, (5, 5), (3, 3))
    assert (found.kind, found.params, found.input, found.kernel) == (kind, params, "x", "k")


def test_off_by_one_is_not_called_valid():
    found = sc.identify(off_by_one, (5, 5), (3, 3))
    assert found.kind == "correlation"
    assert found.params["offset"] == (1, 0) and "mode" not in found.params
    assert "off-by-one" in found.explain()


@pytest.mark.parametrize("fn, kind", [
    (np.vdot, "hadamard-sum"),
    (lambda a, b: np.einsum("ij,ij->", a, b), "hadamard-sum"),
    (np.tensordot, "hadamard-sum"),
    (np.dot, "matrix-product"),
    (lambda a, b: (a * b).sum(), "hadamard-sum"),
])
def test_numpy_products(fn, kind):
    assert sc.identify(fn, (3, 3), (3, 3)).kind == kind


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_scipy_functions_are_probed_and_named(mode):
    corr = sc.identify(lambda a, b: ss.correlate2d(a, b, mode), (6, 5), (2, 3))
    assert corr.kind == "correlation" and corr.params["mode"] == mode
    conv = sc.identify(lambda a, b: ss.convolve2d(a, b, mode), (6, 5), (2, 3))
    assert conv.kind == "convolution" and conv.params["mode"] == mode and conv.params["flipped"] == (0, 1)
    assert (conv.input, conv.kernel) == ("x", "k")


def test_torch_conv2d_parameters():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    found = sc.identify(lambda a, b: F.conv2d(a[None, None], b[None, None], stride=2, padding=1, dilation=2)[0, 0],
                        (7, 7), (2, 2))
    assert found.kind == "correlation"
    # PyTorch's padding=1 here is SciPy's "same" geometry (dilated extent 3): both are reported
    assert found.params == {"mode": "same", "padding": (1, 1), "stride": (2, 2), "dilation": (2, 2)}
    padded = sc.identify(lambda a, b: F.conv2d(a[None, None], b[None, None], padding=(2, 0))[0, 0], (5, 5), (2, 2))
    assert padded.params == {"padding": (2, 0), "stride": (1, 1), "dilation": (1, 1)}
    plain = sc.identify(lambda a, b: F.conv2d(a[None, None], b[None, None])[0, 0], (5, 5), (3, 3))
    assert plain.kind == "correlation" and plain.params["mode"] == "valid"


def test_arrays_and_expressions():
    x, k = sc.tensor("x", (6, 6)), sc.tensor("k", (3, 2))
    assert sc.identify(sc.correlate(x, k, "full", dilation=(2, 1))).params == {
        "mode": "full", "padding": (4, 1), "stride": (1, 1), "dilation": (2, 1)}
    assert sc.identify(sc.correlate(x, sc.flip(k, 0))).params["flipped"] == (0,)
    window = sc.identify(sc.hadamard_sum(x[1:4, 2:4], k))
    assert window.kind == "hadamard-sum" and window.params == {"window": ((1, 4), (2, 4))}
    assert sc.identify(sc.correlate(x, k).as_sympy()).kind == "correlation"


def test_unknown_with_a_reason():
    x = sc.tensor("x", (4,))
    found = sc.identify(sc.hadamard_sum(x, x))
    assert found.kind == "unknown" and "two" in found.explain()


def test_explanations_say_why_other_readings_fail():
    x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    text = sc.identify(sc.correlate(x, k)).explain()
    assert "cross-correlation" in text and "centro-symmetric" in text
    assert "not the matrix product" in sc.identify(sc.hadamard_sum(x[:3, :3], k)).explain()
    assert "flipped" in sc.identify(sc.convolve(x, k)).explain()
