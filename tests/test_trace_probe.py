"""trace() and probe(): user code and numeric functions, read back exactly."""

from fractions import Fraction

import numpy as np
import pytest
import scipy.signal as ss

import symconv as sc

x5, k3 = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))


def loops_no_flip(a, c):  # the seed's pseudo-code
    z = np.empty((3, 3), dtype=object)
    for i in range(3):
        for j in range(3):
            s = 0
            for u in range(3):
                for v in range(3):
                    s += a[i + u, j + v] * c[u, v]
            z[i, j] = s
    return z


def loops_flip(a, c):
    z = np.empty((3, 3), dtype=object)
    for i in range(3):
        for j in range(3):
            z[i, j] = sum(a[i + 2 - u, j + 2 - v] * c[u, v] for u in range(3) for v in range(3))
    return z


def strided(a, c):
    return np.array([[np.sum(a[2 * i:2 * i + 3, 2 * j:2 * j + 3] * c) for j in range(2)] for i in range(2)])


def hand_im2col(a, c):
    cols = np.array([a[i:i + 3, j:j + 3].reshape(-1) for i in range(3) for j in range(3)])
    return cols.dot(c.reshape(-1)).reshape(3, 3)


def off_by_one(a, c):
    return np.array([[np.sum(a[i + 1:i + 4, j:j + 3] * c) for j in range(3)] for i in range(2)])


def test_trace_loops_without_flip_is_correlation():
    assert sc.trace(loops_no_flip, (5, 5), (3, 3)) == sc.correlate(x5, k3)


def test_trace_loops_with_flip_is_convolution():
    assert sc.trace(loops_flip, (5, 5), (3, 3)) == sc.convolve(x5, k3)


def test_trace_strided_and_hand_im2col():
    assert sc.trace(strided, (5, 5), (3, 3)) == sc.correlate(x5, k3, stride=2)
    assert sc.trace(hand_im2col, (5, 5), (3, 3)) == sc.correlate(x5, k3)


def test_trace_numpy_products():
    a, b = sc.tensor("x", (3, 3)), sc.tensor("k", (3, 3))
    assert sc.trace(np.vdot, (3, 3), (3, 3)) == sc.hadamard_sum(a, b)  # real symbols: no conjugation
    assert sc.trace(lambda p, q: np.einsum("ij,ij->", p, q), (3, 3), (3, 3)) == sc.dot_flat(a, b)
    assert sc.trace(np.tensordot, (3, 3), (3, 3)) == sc.hadamard_sum(a, b)  # axes=2: the full contraction
    assert sc.trace(np.dot, (3, 3), (3, 3)) == sc.matmul(a, b)


def test_trace_accepts_tensors_and_reports_failures():
    y = sc.tensor("y", (4,))
    assert sc.trace(lambda p: p * 2, y) == 2 * y
    with pytest.raises(sc.TraceError, match="raised ZeroDivisionError"):
        sc.trace(lambda p, q: 1 / 0, (2,), (2,))


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_probe_scipy(mode):
    x, k = sc.tensor("x", (5, 4)), sc.tensor("k", (2, 3))
    assert sc.probe(lambda a, b: ss.correlate2d(a, b, mode), (5, 4), (2, 3)) == sc.correlate(x, k, mode, boundary="fill")
    assert sc.probe(lambda a, b: ss.convolve2d(a, b, mode), (5, 4), (2, 3)) == sc.convolve(x, k, mode)
    assert sc.probe(lambda a, b: ss.correlate(a, b, mode, method="fft"), (5, 4), (2, 3)) == sc.correlate(x, k, mode)


def test_probe_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x, w = sc.tensor("x", (1, 2, 6, 6)), sc.tensor("k", (3, 2, 3, 3))
    got = sc.probe(lambda a, b: F.conv2d(a, b, stride=2, padding=1, dilation=1), (1, 2, 6, 6), (3, 2, 3, 3))
    assert got == sc.conv(x, w, stride=2, padding=1)
    got = sc.probe(lambda a, b: F.conv2d(a, b, dilation=2), (1, 1, 6, 6), (1, 1, 2, 2))
    assert got == sc.conv(sc.tensor("x", (1, 1, 6, 6)), sc.tensor("k", (1, 1, 2, 2)), dilation=2)


def test_probe_refuses_non_bilinear_functions():
    with pytest.raises(sc.NotBilinearError, match="not bilinear"):
        sc.probe(lambda a, b: ss.correlate2d(a * a, b, "valid"), (4, 4), (2, 2))
    with pytest.raises(sc.NotBilinearError):
        sc.probe(lambda a, b: ss.correlate2d(a, b, "valid") + 1, (4, 4), (2, 2))


def test_probe_keeps_fractions_exact():
    got = sc.probe(lambda a, b: ss.correlate(a, b, "valid") / 3, (4,), (2,))
    assert got == sc.correlate(sc.tensor("x", (4,)), sc.tensor("k", (2,))) * Fraction(1, 3)


def test_probe_warns_on_coefficients_that_are_not_small_fractions():
    with pytest.warns(sc.InexactWarning):
        sc.probe(lambda a, b: ss.correlate(a, b, "valid") * np.pi, (3,), (2,))


def test_issue_16_probe_calls_a_batching_function_fewer_times_than_the_kernel_has_entries():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    calls = []

    def layer(x, w):
        calls.append(tuple(x.shape))
        return F.conv2d(x, w)

    y = sc.probe(layer, (1, 3, 10, 10), (4, 3, 3, 3))
    assert sc.equivalent(y, sc.conv(sc.tensor("x", (1, 3, 10, 10)), sc.tensor("k", (4, 3, 3, 3))))
    assert len(calls) <= 4 * 3 * 3 * 3  # at most one call per kernel entry, all checks included
    # NumPy arrays (refused by conv2d), the same as torch tensors, the batch-axis check, the two recovery calls
    # with all 300 one-hot inputs, and six verification calls of one random input each (plain calls, no batch:
    # four independent samples, two of them again with one argument negated)
    assert calls == [(1, 3, 10, 10)] * 2 + [(2, 3, 10, 10), (300, 3, 10, 10), (300, 3, 10, 10)] + [(1, 3, 10, 10)] * 6


def test_probe_without_a_batch_axis_makes_two_calls_per_kernel_entry():
    calls = []

    def corr(a, b):
        calls.append(1)
        return ss.correlate2d(a, b, "valid")

    assert sc.probe(corr, (6, 6), (3, 3)) == sc.correlate(sc.tensor("x", (6, 6)), sc.tensor("k", (3, 3)))
    assert len(calls) == 1 + 2 * 9 + 6  # the first call, two per one-hot kernel, six verification calls


def test_probe_falls_back_to_every_pair_when_an_output_meets_an_input_twice():
    x, k = sc.tensor("x", (5,)), sc.tensor("k", (3,))
    both = sc.probe(lambda a, b: np.convolve(a, b) + np.convolve(a, b[::-1]), (5,), (3,))
    assert both == sc.convolve(x, k, "full") + sc.convolve(x, sc.flip(k), "full")


def test_probe_verification_catches_coefficients_that_cancel_in_the_reading():
    # x[0] meets k[0], k[1], k[2] with 1, -2, 1: the all-ones kernel gives 0 and 1, 2, 3 gives 1 - 4 + 3 = 0, so
    # the reading sees no term at all; the random verification sees it, and the pairs are read one by one
    x, k = sc.tensor("x", (2,)), sc.tensor("k", (3,))
    got = sc.probe(lambda a, b: np.array([a[0] * (b[0] - 2 * b[1] + b[2]), a[1] * b[1]]), (2,), (3,))
    assert got.tolist() == [x[0] * k[0] - 2 * x[0] * k[1] + x[0] * k[2], x[1] * k[1]]


def test_probe_batches_a_torch_function_through_vmap():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    calls = []

    def layer(x, w):  # unbatched input (C, H, W): no batch axis of its own
        calls.append(1)
        return F.conv2d(x, w)

    y = sc.probe(layer, (3, 10, 10), (4, 3, 3, 3))
    assert y == sc.conv(sc.tensor("x", (3, 10, 10)), sc.tensor("k", (4, 3, 3, 3)))
    # NumPy arrays, torch tensors, the vmap check, two recovery calls, six verification calls
    assert len(calls) == 11 <= 4 * 3 * 3 * 3


def test_probe_falls_back_when_vmap_cannot_run_the_function():
    torch = pytest.importorskip("torch")
    calls = []

    def via_numpy(x, w):  # leaves torch inside: vmap refuses it, one call per one-hot kernel pair it is
        calls.append(1)
        return torch.from_numpy(ss.correlate(x.numpy(), w.numpy(), "valid"))

    y = sc.probe(via_numpy, (6,), (3,))
    assert y == sc.correlate(sc.tensor("x", (6,)), sc.tensor("k", (3,)))
    assert len(calls) == 2 + 1 + 2 * 3 + 6  # NumPy, torch, the failed vmap check, two per kernel entry, verification


# -- an independent review's reproducers: each once gave a wrong table or a wrong refusal --------------------------
def _ground(table, fn, x_shape, k_shape, seed=5):
    """The probed table against fn itself on random integers (an independent check of what probe returned)."""
    rng = np.random.default_rng(seed)
    for _ in range(3):
        x, k = rng.integers(-9, 10, x_shape).astype(float), rng.integers(-9, 10, k_shape).astype(float)
        assert np.allclose(np.asarray(sc.evaluate(table, x=x, k=k), dtype=float), np.asarray(fn(x, k), dtype=float))


def test_a_leading_axis_that_mixes_rows_is_not_a_batch():
    import scipy.signal

    causal = lambda x, k: scipy.signal.lfilter(k, [1.0], x, axis=0)  # noqa: E731 -- runs down the leading axis
    flat = lambda x, k: np.convolve(x.reshape(-1), k)[:x.size].reshape(x.shape)  # noqa: E731
    for fn, shapes in ((causal, ((1, 4), (2,))), (flat, ((1, 5), (3,)))):
        _ground(sc.probe(fn, *shapes), fn, *shapes)


def test_a_function_that_computes_otherwise_for_a_batch_is_read_by_plain_calls():
    def f(x, k):
        kk = k if x.shape[0] == 1 else k[::-1]
        return np.stack([np.convolve(r, kk, "valid") for r in x])

    got = sc.probe(f, (1, 5), (3,))
    assert got == sc.trace(f, (1, 5), (3,))  # its plain calls: the convolution of the row
    _ground(got, f, (1, 5), (3,))


@pytest.mark.parametrize("seed", range(12))
def test_functions_that_are_not_bilinear_are_refused(seed):
    for fn, shapes in ((lambda x, k: np.maximum(x, 0) * k, ((4,), (4,))),
                       (lambda x, k: np.array([max(x[0], x[1]) * k[0] + max(x[2], x[3]) * k[1]]), ((4,), (2,))),
                       (lambda x, k: np.sign(x.sum()) * np.convolve(x, k), ((4,), (2,)))):
        with pytest.raises(sc.NotBilinearError):
            sc.probe(fn, *shapes, seed=seed)


def test_functions_that_write_into_their_inputs_are_read_as_they_compute():
    def halves(x, k):
        k *= 0.5  # in place, on the array it was given
        return np.convolve(x, k, "valid")

    assert sc.probe(halves, (6,), (3,)) == sc.convolve(sc.tensor("x", (6,)), sc.tensor("k", (3,))) * Fraction(1, 2)


def test_float32_code_is_read_with_float32_precision():
    fn = lambda x, k: ss.fftconvolve(x.astype(np.float32), k.astype(np.float32))  # noqa: E731
    assert sc.probe(fn, (8,), (3,)) == sc.convolve(sc.tensor("x", (8,)), sc.tensor("k", (3,)), "full")


def test_a_coefficient_off_an_integer_is_not_rounded_to_it():
    with pytest.warns(sc.InexactWarning):
        got = sc.probe(lambda x, k: (1e6 + 0.0005) * np.convolve(x, k, "valid"), (4,), (2,))
    assert got != sc.convolve(sc.tensor("x", (4,)), sc.tensor("k", (2,))) * 10**6


def test_an_output_shape_that_follows_the_values_is_not_bilinear():
    with pytest.raises(sc.NotBilinearError, match="output shape"):
        sc.probe(lambda x, k: np.trim_zeros(np.convolve(x, k)), (4,), (2,))
