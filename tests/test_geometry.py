"""Index geometry against independent references (NumPy's padding modes, the arithmetic of Dumoulin & Visin)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.geometry import resolve

NP_MODE = {"symm": "symmetric", "reflect": "reflect", "replicate": "edge", "wrap": "wrap"}


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6), st.integers(0, 12), st.sampled_from(sorted(NP_MODE)))
def test_boundary_rules_match_numpy_pad(n, pad, rule):
    if rule == "reflect" and n == 1 and pad:
        pad = 0  # NumPy cannot reflect a single entry
    arr = np.arange(n)
    padded = np.pad(arr, pad, mode=NP_MODE[rule])
    assert resolve(np.arange(-pad, n + pad), n, rule).tolist() == padded.tolist()


def test_fill_rule_marks_padding():
    assert resolve(np.arange(-1, 3), 2, "fill").tolist() == [-1, 0, 1, -1]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30), st.integers(1, 5), st.integers(1, 3), st.integers(0, 3), st.integers(1, 3))
def test_output_shape_is_the_convolution_arithmetic(n, k, s, p, d):
    expected = (n + 2 * p - d * (k - 1) - 1) // s + 1  # Dumoulin & Visin, relationship 15
    if expected < 1:
        with pytest.raises(sc.ShapeError, match="empty"):
            sc.output_shape((n,), (k,), stride=s, padding=p, dilation=d)
    else:
        assert sc.output_shape((n,), (k,), stride=s, padding=p, dilation=d) == (expected,)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 3), st.integers(0, 2))
def test_transposed_output_shape(n, k, s, p, d, op):
    expected = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if op >= max(s, d):
        with pytest.raises(sc.InvalidArgumentError, match="output_padding"):
            sc.output_shape((n,), (k,), stride=s, padding=p, dilation=d, transposed=True, output_padding=op)
    elif expected < 1:
        with pytest.raises(sc.ShapeError):
            sc.output_shape((n,), (k,), stride=s, padding=p, dilation=d, transposed=True, output_padding=op)
    else:
        assert sc.output_shape((n,), (k,), stride=s, padding=p, dilation=d, transposed=True, output_padding=op) == (expected,)


def test_same_padding_keeps_the_shape_with_even_kernels():
    assert sc.output_shape((7, 8), (4, 2), padding="same", dilation=(1, 3)) == (7, 8)
