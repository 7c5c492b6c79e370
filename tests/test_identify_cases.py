"""Issue 12 (in part): identify never mislabels singleton axes or one-axis flips, and prefers the
parameters and roles a person would write.

Expected kinds and parameters below were worked out by hand from the definitions (SciPy's
convolve2d flips both axes; a kernel axis of size 1 reads the same flipped or not; PyTorch's
``padding=1`` with stride 2 on 6x6 never reads the right pad).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as ss

import symconv as sc

X, K = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))


# 1. axes of size 1 do not make a convolution look like a broken correlation
@pytest.mark.parametrize("xs,ks", [((3, 6), (1, 3)), ((6, 3), (3, 1)), ((4, 4, 5), (1, 1, 2)), ((2, 5), (1, 1))])
def test_issue_12_1_singleton_kernel_axes(xs, ks):
    x, k = sc.tensor("x", xs), sc.tensor("k", ks)
    found = sc.identify(sc.convolve(x, k))
    if all(n == 1 for n in ks):  # a one-tap kernel: convolution and correlation coincide
        assert found.kind in ("correlation", "hadamard-sum") or found.params.get("mode") == "valid"
        return
    assert found.kind == "convolution"
    assert found.params["mode"] == "valid" and found.params["flipped"] == tuple(range(len(xs)))
    assert "offset" not in found.params and "off-by-one" not in found.explain()


@pytest.mark.parametrize("xs,ks", [((4, 6), (1, 3)), ((4, 4), (3, 1))])
def test_issue_12_1_singleton_axes_of_a_probed_convolve2d(xs, ks):
    found = sc.identify(ss.convolve2d, xs, ks)
    assert found.kind == "convolution" and found.params["mode"] == "full"
    assert found.params["flipped"] == (0, 1)


def test_issue_12_1_conv_transpose_with_raw_shapes():
    found = sc.identify(sc.conv_transpose(sc.tensor("x", (1, 5)), sc.tensor("w", (1, 1, 3))))
    assert found.kind == "convolution" and found.params["flipped"] == (0,)
    assert "off-by-one" not in found.explain()


# 2. a kernel flipped along some axes only: said plainly
def test_issue_12_2_one_axis_flip():
    found = sc.identify(sc.correlate(X, sc.flip(K, axes=(1,))))
    assert found.kind == "correlation"
    assert found.params["flipped"] == (1,) and found.params["mode"] == "valid"
    first = found.explain().split(":")[0]
    assert first.startswith("This is a cross-correlation along axis 0 and a convolution along axis 1")
    assert "off-by-one" not in found.explain()


def test_issue_12_2_one_axis_flip_in_3d():
    x, k = sc.tensor("x", (4, 4, 4)), sc.tensor("k", (2, 2, 2))
    found = sc.identify(sc.correlate(x, sc.flip(k, axes=(0, 2))))
    assert found.params["flipped"] == (0, 2)
    assert "along axis 1 and a convolution along axes 0 and 2" in found.explain()


# 5. the parameters a user writes: symmetric PyTorch padding when it reproduces the result
def test_issue_12_5_symmetric_padding_is_reported():
    found = sc.identify(sc.conv(sc.tensor("x", (1, 6, 6)), sc.tensor("w", (1, 1, 3, 3)), stride=2, padding=1))
    assert found.params["padding"] == (1, 1) and found.params["stride"] == (2, 2)


def test_issue_12_5_probed_torch_layer_padding():
    torch = pytest.importorskip("torch")
    found = sc.identify(lambda a, b: torch.nn.functional.conv2d(a, b, stride=2, padding=1), (1, 1, 6, 6),
                        (1, 1, 3, 3))
    assert found.kind == "correlation"
    assert found.params["padding"][-2:] == (1, 1)  # not ((1, 0), (1, 0)): the right pad is never read


def test_issue_12_5_asymmetric_padding_only_when_needed():
    # PyTorch's padding='same' with an even kernel pads (0, 1): nothing symmetric reproduces it
    found = sc.identify(sc.conv(sc.tensor("x", (1, 6)), sc.tensor("w", (1, 1, 2)), padding="same"))
    assert found.kind == "correlation" and found.params["padding"] == "same"
    found = sc.identify(sc.conv(sc.tensor("x", (1, 6)), sc.tensor("w", (1, 1, 3)), padding="same"))
    assert found.params["padding"] == (1,)


# 6. roles: the input is the larger tensor, else the one named like an input
@pytest.mark.parametrize("a,b", [("k", "x"), ("x", "k"), ("w", "a")])
def test_issue_12_6_roles_by_name_when_sizes_tie(a, b):
    p, q = sc.tensor(a, (3, 3)), sc.tensor(b, (3, 3))
    found = sc.identify(sc.hadamard_sum(p, q))
    assert found.kind == "hadamard-sum"
    assert (found.input, found.kernel) == (("x", "k") if {a, b} == {"x", "k"} else ("a", "w"))


def test_issue_12_6_larger_tensor_is_the_input():
    found = sc.identify(sc.correlate(sc.tensor("k", (6, 6)), sc.tensor("x", (2, 2))))
    assert (found.input, found.kernel) == ("k", "x")


# 8. wording: axes named in words, never as a Python tuple
def test_issue_12_8_axes_in_words():
    text = sc.identify(sc.convolve(X, K)).explain()
    assert "flipped along every axis" in text and "(0, 1)" not in text.split("flipped along")[1][:20]
    one = sc.identify(sc.convolve(sc.tensor("x", (6,)), sc.tensor("k", (3,)))).explain()
    assert "flipped along axis 0" in one and "axes (0,)" not in one


def test_issue_12_numbers_agree_with_scipy_for_each_reading():
    # the readings are exact: rebuild each from its params and compare with SciPy on numbers
    rng = np.random.default_rng(3)
    A, B = rng.integers(-5, 6, (5, 5)), rng.integers(-5, 6, (3, 3))
    found = sc.identify(sc.correlate(X, sc.flip(K, axes=(1,))))
    got = sc.evaluate(sc.correlate(X, sc.flip(K, axes=found.params["flipped"])), x=A, k=B)
    assert np.array_equal(got, ss.correlate(A, B[:, ::-1], "valid"))


# 4. the seed's own confusion: np.dot of a window with the kernel
def test_issue_12_4_matmul_of_a_window():
    found = sc.identify(sc.matmul(X[0:3, 0:3], K))
    assert found.kind == "matrix-product" and found.params == {"window": (3, 3)}
    assert "a matrix per window, not the number a CNN layer computes" in found.explain()


def test_issue_12_4_np_dot_loop_over_windows():
    def loop(a, c):  # the forum's loop, with np.dot instead of the sum of element-wise products
        return np.array([[np.dot(a[i:i + 3, j:j + 3], c) for j in range(3)] for i in range(3)])

    found = sc.identify(loop, (5, 5), (3, 3))
    assert found.kind == "matrix-product" and found.params == {"window": (3, 3), "windows": (3, 3)}


def test_issue_12_4_off_by_one_slice_is_explained():
    def off_by_one(a, c):  # the forum's dot(A[i:i+2, j:j+2], C)
        return np.array([[np.dot(a[i:i + 2, j:j + 2], c) for j in range(3)] for i in range(3)])

    with pytest.raises(sc.SymconvError, match=r"a slice a\[i:i\+n\] takes n entries"):
        sc.identify(off_by_one, (5, 5), (3, 3))


# 7. layers beyond the simplest case
T = sc.tensor


@pytest.mark.parametrize("name,layer,want", [
    ("depthwise", lambda: sc.conv(T("x", (3, 6, 6)), T("w", (3, 1, 3, 3)), groups=3),
     {"groups": 3, "channels": (3, 3)}),
    ("grouped-1d", lambda: sc.conv(T("x", (4, 6)), T("w", (6, 2, 3)), groups=2), {"groups": 2, "channels": (4, 6)}),
    ("batched", lambda: sc.conv(T("x", (2, 3, 6, 6)), T("w", (4, 3, 3, 3))), {"batch": 2, "channels": (3, 4)}),
    ("one-output-channel", lambda: sc.conv(T("x", (3, 6, 6)), T("w", (1, 3, 3, 3)))[0], {"channels": (3, 1)}),
    ("strided-padded-bias", lambda: sc.conv(T("x", (3, 6, 6)), T("w", (4, 3, 3, 3)), T("b", (4,)), stride=2,
                                            padding=1), {"stride": (2, 2), "padding": (1, 1), "bias": True}),
])
def test_issue_12_7_layers(name, layer, want):
    found = sc.identify(layer())
    assert found.kind == "correlation" and (found.input, found.kernel) == ("x", "w")
    assert {key: found.params.get(key) for key in want} == want
    assert found.explain().startswith("This is a convolution layer as PyTorch's conv")


@pytest.mark.parametrize("layer,want", [
    (lambda: sc.conv_transpose(T("x", (2, 5)), T("w", (2, 3, 3)), stride=2), {"stride": (2,), "channels": (2, 3)}),
    (lambda: sc.conv_transpose(T("x", (2, 5, 5)), T("w", (2, 1, 3, 3)), stride=2, padding=1, output_padding=1),
     {"stride": (2, 2), "padding": (1, 1), "output_padding": (1, 1)}),
    (lambda: sc.conv_transpose(T("x", (4, 5)), T("w", (4, 1, 3)), stride=2, groups=2), {"groups": 2}),
])
def test_issue_12_7_strided_conv_transpose(layer, want):
    found = sc.identify(layer())
    assert found.kind == "convolution" and found.params["transposed"] is True
    assert {key: found.params.get(key) for key in want} == want
    assert found.explain().startswith("This is a transposed convolution layer")


# 8. wording
def test_issue_12_8_latex_values_upright_and_counts():
    found = sc.identify(sc.correlate(X, K))
    assert r"\text{mode}=\text{valid}" in found.latex()
    assert "1 tensor or symbol" in sc.identify(sc.tensor("x", (3,))).explain()


# kinds as data: each reading rebuilds, from its own definition, what was identified
@pytest.mark.parametrize("build", [
    lambda: sc.correlate(X, K, "same", stride=2),
    lambda: sc.convolve(X, K, "full"),
    lambda: sc.correlate(X, K, dilation=2),
    lambda: sc.correlate(X, sc.flip(K, axes=(1,))),
    lambda: sc.conv(T("x", (3, 6, 6)), T("w", (4, 3, 3, 3)), stride=2, padding=1),
    lambda: sc.conv(T("x", (3, 6, 6)), T("w", (3, 1, 3, 3)), groups=3),
    lambda: sc.conv_transpose(T("x", (2, 5)), T("w", (2, 3, 3)), stride=2),
    lambda: sc.hadamard_sum(T("x", (3, 3)), T("k", (3, 3))),
    lambda: sc.matmul(T("x", (3, 4)), T("k", (4, 2))),
])
def test_issue_12_kind_table_rebuilds_the_reading(build):
    from symconv.identify import TABLE

    y = build()
    found = sc.identify(y)
    x_block, k_block = (b for b in y.terms.space.blocks if b.label.name in (found.input, found.kernel))
    tensors = {b.label.name: sc.tensor(b.label.name, b.shape) for b in (x_block, k_block)}
    again = TABLE[found.kind].reference(tensors[found.input], tensors[found.kernel], found.params)
    assert sc.equivalent(again, y)


# 5. a fully 1-based formula is not shifted; a centred kernel counts from its index 0
@pytest.mark.parametrize("formula,offset", [
    (r"y_i = \sum_{m=1}^{k} x_{i+m-1} w_m", None),        # w_1 meets x_i: no shift
    (r"y_i = \sum_{m=1}^{3} x_{i+m} w_m", (1,)),          # w_1 meets x_{i+1}: shifted by one
    (r"y[n] = \sum_{k=-1}^{1} x[n+k] w[k]", None),        # w[0] meets x[n]
    (r"y[n] = \sum_{k=-1}^{1} x[n+k] w[k+1]", (-1,)),     # w[0] (k = -1) meets x[n-1]
])
def test_issue_12_5_one_based_formulas_are_not_shifted(formula, offset):
    found = sc.identify(formula)
    assert found.kind == "correlation" and found.params.get("offset") == offset


# 3. explanations come from the same facts as the kind
def test_issue_12_3_explanations_never_contradict_the_kind():
    conv = sc.identify(r"y_i = \sum_{m} x_{i+m} w_{K-1-m}")
    assert conv.kind == "convolution"
    text = conv.explain()
    assert "read backwards" in text and "what a CNN reads" not in text and "reading x at i + m" not in text
    corr = sc.identify(r"y_i = \sum_{m} x_{i-m} w_{K-1-m}")
    assert corr.kind == "correlation"
    text = corr.explain()
    assert "both run backwards" in text and "would read x at i - m" not in text


# 5. the DSP textbook's full convolution: the sum runs over all of x, every output with a term is kept
@pytest.mark.parametrize("formula,shapes", [
    (r"y[n] = \sum_k x[k] h[n-k]", {"x": (5,), "h": (3,)}),
    (r"S(i,j) = (I*K)(i,j) = \sum_m \sum_n I(m,n) K(i-m, j-n)", {"I": (4, 5), "K": (2, 3)}),
])
def test_issue_12_5_textbook_full_convolution(formula, shapes):
    from symconv.identify import TABLE

    found = sc.identify(formula)
    assert found.kind == "convolution" and found.params["mode"] == "full"
    assert "mode='full'" in found.explain()
    # the reading rebuilt at other sizes gives NumPy's/SciPy's full convolution (np.convolve's default mode)
    x, k = (sc.tensor(name, shapes[name]) for name in (found.input, found.kernel))
    y = TABLE[found.kind].reference(x, k, found.params)
    rng = np.random.default_rng(5)
    xv, kv = rng.integers(-9, 9, shapes[found.input]), rng.integers(-9, 9, shapes[found.kernel])
    got = sc.evaluate(y, {found.input: xv, found.kernel: kv})
    np.testing.assert_array_equal(np.asarray(got, dtype=np.int64), ss.convolve(xv, kv, "full"))


@pytest.mark.parametrize("formula", [
    r"y[n] = \sum_{k=0}^{3} x[k] h[n-k]",   # a bounded sum fixes no output range
    r"y[n] = \sum_k h[k] x[n-k]",           # the sum runs over the kernel: the outputs are not fixed
    r"y[n] = \sum_k x[k] h[n+k]",           # not a convolution
])
def test_issue_12_5_full_only_when_the_sum_covers_the_input(formula):
    assert "mode" not in sc.identify(formula).params


# 7. channels-last layers (TensorFlow/Keras: x (N, H, W, C_in), w (KH, KW, C_in, C_out))
def _nhwc_loop(x, w):
    """A channels-last layer as a TensorFlow user writes it by hand (unbatched, valid, stride 1)."""
    H, W, C = x.shape
    KH, KW, _, O = w.shape
    out = np.empty((H - KH + 1, W - KW + 1, O), dtype=object)
    for i in range(H - KH + 1):
        for j in range(W - KW + 1):
            for o in range(O):
                out[i, j, o] = np.sum(x[i:i + KH, j:j + KW, :] * w[:, :, :, o])
    return out


def test_issue_12_7_channels_last_loop():
    from symconv.identify import TABLE

    found = sc.identify(_nhwc_loop, (5, 6, 2), (3, 3, 2, 4))
    assert (found.kind, found.input, found.kernel) == ("correlation", "x", "k")
    assert found.params == {"stride": (1, 1), "dilation": (1, 1), "layout": "channels_last", "channels": (2, 4),
                            "bias": False}
    assert found.explain().startswith("This is a channels-last convolution layer, as TensorFlow's conv2d computes it")
    assert r"\text{channels\_last}" in found.latex()
    # the reading, rebuilt from its parameters, gives the numbers of an independent NumPy reference
    rng = np.random.default_rng(7)
    xv, wv = rng.integers(-9, 9, (5, 6, 2)), rng.integers(-9, 9, (3, 3, 2, 4))
    y = TABLE[found.kind].reference(sc.tensor("x", (5, 6, 2)), sc.tensor("k", (3, 3, 2, 4)), found.params)
    windows = np.lib.stride_tricks.sliding_window_view(xv, (3, 3), axis=(0, 1))  # (3, 4, C, KH, KW)
    want = np.einsum("ijcab,abco->ijo", windows, wv)
    np.testing.assert_array_equal(np.asarray(sc.evaluate(y, x=xv, k=wv), dtype=np.int64), want)


def test_issue_12_7_channels_last_torch_probe():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional

    def nhwc(x, w):  # channels-last through PyTorch, stride 2 and padding 1, batched
        return F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), stride=2, padding=1).permute(0, 2, 3, 1)

    found = sc.identify(nhwc, (2, 6, 6, 3), (3, 3, 3, 4))
    assert found.kind == "correlation"
    assert found.params == {"stride": (2, 2), "padding": (1, 1), "dilation": (1, 1), "layout": "channels_last",
                            "channels": (3, 4), "batch": 2, "bias": False}


def test_issue_12_7_channels_first_is_not_read_as_channels_last():
    found = sc.identify(sc.conv(T("x", (2, 6, 6)), T("w", (4, 2, 3, 3))))
    assert "layout" not in found.params and found.params["channels"] == (2, 4)


# issue 15, item 4: an identification document sets index expressions as mathematics
def test_identification_document_prints_indices_as_mathematics():
    from symconv.documents.formula_doc import identification_document

    found = sc.identify(r"C[m,n] = \sum_u \sum_\upsilon A[m + u, n + \upsilon] B[u, \upsilon]")
    plain = found.explain()
    assert "(m + u, n + upsilon)" in plain and "$" not in plain  # the terminal text is unchanged
    doc = identification_document(found)
    assert r"the input index is $(m + u, n + \upsilon)$" in doc and " upsilon)" not in doc
