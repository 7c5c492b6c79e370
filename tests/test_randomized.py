"""Randomized exact identity testing (symconv/randomized.py, assert_equivalent(fn, reference, shapes)).

References are independent: symconv's exact operations, SciPy, and a NumPy einsum layer written here.
Bugs are planted by hand, and the entries they change are worked out by hand from the bug.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.signal as ss

import symconv as sc
from symconv.randomized import TARGET_BOUND, random_check
from symconv.testing import assert_equivalent

T = sc.tensor


def einsum_layer(x, w):
    """conv2d (cross-correlation, no padding) from its definition, independently of symconv and torch."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))  # (N, C, H', W', kh, kw)
    return np.einsum("nchwuv,fcuv->nfhw", win, w)


class Counted:
    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args):
        self.calls += 1
        return self.fn(*args)


def test_scipy_agrees_with_the_exact_correlation_and_the_bound_is_stated():
    fn = Counted(ss.correlate2d)
    ref = sc.correlate(T("x", (7, 7)), T("k", (3, 3)), "full")
    verdict = random_check(fn, ref, [(7, 7), (3, 3)])
    assert verdict.equal and verdict.degree == 2
    assert verdict.error_bound == (2 / verdict.values) ** verdict.trials <= TARGET_BOUND
    assert fn.calls == verdict.trials + 1  # one call to learn the output type, then one per trial
    assert "Schwartz-Zippel" in verdict.report()


def test_a_flipped_kernel_is_caught_and_named():
    verdict = random_check(ss.convolve2d, sc.correlate(T("x", (6, 6)), T("k", (3, 3)), "full"), [(6, 6), (3, 3)])
    assert not verdict
    # convolve2d flips the kernel: each of the 8 x 8 full-mode entries reads the taps in reverse order, a different
    # polynomial everywhere (even a corner: x[0, 0] k[0, 0] against x[0, 0] k[2, 2])
    assert len(verdict.differing) == 64
    assert "convolution" in verdict.witness["reading"]


def test_one_wrong_entry_is_localized_exactly():
    def almost(x, k):  # correct except at output (1, 2), which reads x[1, 3] instead of x[1, 2] for tap (0, 0)
        y = ss.correlate2d(x, k, "valid")
        y[1, 2] += (x[1, 3] - x[1, 2]) * k[0, 0]
        return y

    ref = sc.correlate(T("x", (5, 5)), T("k", (3, 3)))
    verdict = random_check(almost, ref, [(5, 5), (3, 3)])
    assert not verdict and verdict.differing == [(1, 2)]
    probed_entry = verdict.probed[1, 2]
    assert sc.equivalent(probed_entry - ref[1, 2], (T("x", (5, 5))[1, 3] - T("x", (5, 5))[1, 2]) * T("k", (3, 3))[0, 0])
    text = verdict.report()
    assert "differ in 1 of 9 entries" in text and "at (1, 2)" in text


def test_assert_equivalent_with_a_function_raises_with_the_report():
    ref = sc.correlate(T("x", (8,)), T("w", (3,)))
    with pytest.raises(AssertionError, match=r"differ in 6 of 6 entries"):
        assert_equivalent(lambda x, w: np.convolve(x, w, "valid"), ref, [(8,), (3,)])
    found = assert_equivalent(lambda x, w: np.correlate(x, w, "valid"), ref, [(8,), (3,)])
    assert found.equal and found.trials == 3


def test_two_callables_and_real_layer_sizes_are_cheap():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    fn = Counted(lambda x, w: F.conv2d(x, w))
    shapes = [(1, 64, 56, 56), (64, 64, 3, 3)]  # the 10^8-term layer: far beyond tracing or probing
    verdict = random_check(fn, einsum_layer, shapes)
    assert verdict.equal and verdict.error_bound <= TARGET_BOUND
    # unit-coefficient multilinear worst case: R**2 * |x| * |w| <= 2**40 (float64 integers, FFT noise far below 1/4)
    assert verdict.values == 2 * int((2**40 / (64 * 56 * 56 * 64 * 64 * 9)) ** 0.5) + 1
    assert fn.calls == verdict.trials + 2  # NumPy arrays tried first (conv2d refuses them), then torch tensors
    assert torch.get_default_dtype() == torch.float32  # the tensors are float64 all the same


def test_a_padding_bug_at_real_size_is_localized_without_probing():
    pytest.importorskip("torch")
    import torch.nn.functional as F

    def shifted(x, w):  # padding=1 then cropping the wrong side: every output shifted by one row
        return F.conv2d(x, w, padding=1)[:, :, :-2, 1:-1]

    shapes = [(1, 8, 20, 20), (8, 8, 3, 3)]
    verdict = random_check(shifted, einsum_layer, shapes, probe_calls=10)
    assert not verdict
    assert len(verdict.differing) == 8 * 18 * 18  # every output reads the window one row up
    assert "not probed" in verdict.note


def test_float32_code_gets_values_exact_in_float32():
    ref = sc.correlate(T("x", (6,)), T("k", (3,)))
    verdict = random_check(lambda x, k: np.correlate(x.astype(np.float32), k.astype(np.float32)), ref, [(6,), (3,)])
    assert verdict.equal
    r = verdict.values // 2
    assert 3 * r * r <= 2**12 < 3 * (r + 1) * (r + 1)  # |y| <= 3 R^2 stays exact (with room for rounding) in float32
    assert "float32" in verdict.note


def test_fft_rounding_is_read_as_integers():
    ref = sc.convolve(T("x", (9,)), T("k", (4,)), "full")
    assert random_check(ss.fftconvolve, ref, [(9,), (4,)]).equal


def test_tensor_matching_by_shape_and_by_name():
    ref = sc.correlate(T("w", (8,)), T("a", (3,)))  # names nothing like x and k: matched by shape
    assert random_check(lambda u, v: np.correlate(u, v), ref, [(8,), (3,)]).equal
    same = sc.hadamard_sum(T("k", (3,)), T("x", (3,)))  # two tensors of one shape: x first, then k
    assert random_check(lambda u, v: np.dot(u, v), same, [(3,), (3,)]).equal
    with pytest.raises(sc.ShapeError, match="no tensor of shape"):
        random_check(np.correlate, ref, [(5,), (3,)])


@pytest.mark.parametrize("call, message", [
    (lambda: random_check(3, T("x", (2,)), [(2,)]), "not callable"),
    (lambda: random_check(np.sum, T("x", (2,)), (2,)), "shapes"),
    (lambda: random_check(np.sum, T("x", (2,)), [(2,)], trials=0), "trials"),
    (lambda: assert_equivalent(np.sum, T("x", (2,))), "needs the shapes"),
    (lambda: assert_equivalent(T("x", (2,)), T("x", (2,)), [(2,)]), "takes no shapes"),
])
def test_bad_input_is_refused(call, message):
    with pytest.raises(sc.SymconvError, match=message):
        call()


def test_the_error_bound_is_the_lemma():
    verdict = random_check(np.correlate, sc.correlate(T("x", (5,)), T("k", (2,))), [(5,), (2,)], trials=2)
    assert verdict.trials == 2 and math.isclose(verdict.error_bound, (2 / verdict.values) ** 2)


# -- an independent review's reproducers: each once gave a wrong verdict ---------------------------------------
def test_fractional_coefficients_are_compared_exactly():
    def pooled(x, k):  # average pooling of a correlation: coefficients 1/2
        y = np.convolve(x, k, "valid")
        return (y[0::2] + y[1::2]) / 2

    ref = sc.trace(pooled, (10,), (3,))
    verdict = random_check(pooled, ref, [(10,), (3,)])
    assert verdict.equal and "times 2" in verdict.note  # inputs are multiples of 2: exact outputs are integers
    from fractions import Fraction

    third = sc.convolve(T("x", (6,)), T("k", (3,))) * Fraction(1, 3)
    assert random_check(lambda x, k: np.convolve(x, k, "valid") / 3, third, [(6,), (3,)]).equal
    assert not random_check(lambda x, k: np.convolve(x, k, "valid") / 2, third, [(6,), (3,)]).equal


def test_fft_noise_on_entries_that_are_zero_is_read_as_zero():
    ref = sc.trace(lambda x, k: np.convolve(np.pad(x, (0, 4)), k), (16,), (5,))
    assert random_check(lambda x, k: ss.fftconvolve(np.pad(x, (0, 4)), k), ref, [(16,), (5,)]).equal


def test_code_that_writes_into_its_inputs_is_checked_as_it_computes():
    def doubled(x, k):
        x *= 2  # in place
        return np.convolve(x, k, "valid")

    conv = sc.convolve(T("x", (6,)), T("k", (3,)))
    assert not random_check(doubled, conv, [(6,), (3,)]).equal
    assert random_check(doubled, 2 * conv, [(6,), (3,)]).equal


def test_two_reference_tensors_of_one_shape_are_taken_in_name_order():
    a, b = T("a", (4,)), T("b", (4,))
    ref = sc.trace(lambda u, v: np.correlate(u, v, "full"), a, b)
    assert random_check(lambda u, v: np.correlate(u, v, "full"), ref, [(4,), (4,)]).equal
    assert random_check(lambda u, v: np.correlate(v, u, "full"), ref, [(4,), (4,)], names=("b", "a")).equal


def test_the_report_names_the_tensors_the_check_used():
    w, x = T("w", (4,)), T("x", (4,))
    verdict = random_check(lambda p, q: p * q[::-1], sc.trace(lambda p, q: p * q, w, x), [(4,), (4,)], names=("w", "x"))
    assert not verdict
    assert "computes w[0]*x[3]" in verdict.report()  # p is w, q is x


def test_outputs_beyond_exactness_give_no_agreement():
    huge = sc.correlate(T("x", (3,)), T("k", (2,))) * 2**60
    with pytest.raises(sc.InvalidArgumentError, match="no integer inputs keep the outputs exact"):
        random_check(lambda x, k: (2.0**60 + 1) * np.correlate(x, k), huge, [(3,), (2,)])


def test_code_computing_in_float32_inside_is_compared_where_float32_is_exact():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    fn = lambda x, w: F.conv2d(x.float(), w.float()).double()  # noqa: E731 -- returns float64, computes float32
    ref = sc.conv(T("x", (1, 2, 6, 6)), T("w", (3, 2, 3, 3)))
    verdict = random_check(fn, ref, [(1, 2, 6, 6), (3, 2, 3, 3)])
    assert verdict.equal and "less precision" in verdict.report()
    assert torch.float32 != torch.float64
