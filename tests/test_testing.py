"""assert_equivalent and the pytest plugin: short, readable failure reports."""

import pytest

import symconv as sc
from symconv.testing import assert_equivalent

pytest_plugins = ["pytester"]


def test_assert_equivalent_passes_and_fails_readably():
    x, k = sc.tensor("x", (20, 20)), sc.tensor("k", (3, 3))
    assert_equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k))
    with pytest.raises(AssertionError) as info:
        assert_equivalent(sc.convolve(x, k), sc.correlate(x, k))
    text = str(info.value)
    assert "324 of 324 entries differ (shape (18, 18))" in text
    assert "first mismatch at (0, 0)" in text and "counterexample:" in text
    assert len(text) < 500


def test_shape_mismatch_report():
    with pytest.raises(AssertionError, match=r"shapes differ, a has shape \(2,\) and b has \(3,\)"):
        assert_equivalent(sc.tensor("x", (2,)), sc.tensor("x", (3,)))


def test_plugin_explains_failed_array_comparisons(pytester):
    pytester.makepyfile("""
        import symconv as sc
        def test_it():
            x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
            assert sc.convolve(x, k) == sc.correlate(x, k)
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*symconv arrays differ*", "*first mismatch at (0, 0)*", "*counterexample*"])
