"""equivalent(), Verdict and conditions(): exact verdicts with witnesses, against hand-worked expectations."""

import pytest
import sympy

import symconv as sc

K = sympy.IndexedBase("k", real=True)


@pytest.fixture
def xk():
    return sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))


def test_equal_forms_give_a_true_verdict(xk):
    x, k = xk
    v = sc.equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k))
    assert bool(v) and v.mismatches == [] and v.counterexample is None
    assert "True" in repr(v) and r"\equiv" in v.latex()


def test_convolution_is_not_correlation_with_a_verified_witness(xk):
    x, k = xk
    v = sc.equivalent(sc.convolve(x, k), sc.correlate(x, k))
    assert not v
    assert len(v.mismatches) == 9
    index, diff = v.mismatches[0]
    assert index == (0, 0)
    c = v.counterexample
    # substitute the witness ourselves into both sides, through SymPy
    a_val = sympy.sympify(sc.convolve(x, k)[c.index]).xreplace(dict(c))
    b_val = sympy.sympify(sc.correlate(x, k)[c.index]).xreplace(dict(c))
    assert a_val == c.a_value and b_val == c.b_value and a_val != b_val
    assert all(isinstance(val, int) and abs(val) <= 3 for val in c.values())
    assert r"\not\equiv" in v.latex() and "{k}_{0,0}" in v.latex()


def test_convolution_is_correlation_with_the_flipped_kernel(xk):
    x, k = xk
    for mode in ("valid", "same", "full"):
        assert sc.equivalent(sc.convolve(x, k, mode), sc.correlate(x, sc.flip(k), mode))


def test_shape_mismatch_is_a_false_verdict_not_an_exception(xk):
    x, k = xk
    v = sc.equivalent(sc.matmul(x[:3, :3], k), sc.hadamard_sum(x[:3, :3], k))
    assert not v and not v.shapes_match and "shapes differ" in repr(v)
    assert v.counterexample is None and v.mismatches == []


def test_non_bilinear_expressions_are_compared_too():
    X = sympy.IndexedBase("x", real=True)
    a = sympy.Array([(X[0] + X[1]) ** 2])
    b = sympy.Array([X[0] ** 2 + 2 * X[0] * X[1] + X[1] ** 2])
    assert sc.equivalent(a, b)
    v = sc.equivalent(a, sympy.Array([X[0] ** 2 + X[1] ** 2]))
    assert not v and v.mismatches[0][1] == 2 * X[0] * X[1]
    assert v.counterexample.a_value != v.counterexample.b_value


def test_witness_for_a_polynomial_that_vanishes_at_ones():
    X = sympy.IndexedBase("x", real=True)
    v = sc.equivalent(sympy.Array([X[0] ** 2]), sympy.Array([X[0]]))  # differ by x^2 - x, zero at x = 1
    c = v.counterexample
    assert c[X[0]] not in (0, 1) and c.a_value != c.b_value


def test_centrosymmetry_conditions_for_a_3x3_kernel(xk):
    x, k = xk
    eqs = sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=k)
    expected = [sympy.Eq(K[0, 0], K[2, 2]), sympy.Eq(K[0, 1], K[2, 1]), sympy.Eq(K[0, 2], K[2, 0]), sympy.Eq(K[1, 0], K[1, 2])]
    assert eqs == expected
    # the conditions really make them equal: substitute and compare exactly
    sym = {e.lhs: e.rhs for e in eqs}
    ks = sympy.Array([[K[i, j].xreplace(sym) for j in range(3)] for i in range(3)])
    assert sc.equivalent(sc.convolve(x, ks), sc.correlate(x, ks))


def test_conditions_for_even_and_1d_kernels():
    x, k = sc.tensor("x", (6,)), sc.tensor("k", (4,))
    assert sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=k) == [sympy.Eq(K[0], K[3]), sympy.Eq(K[1], K[2])]


def test_conditions_empty_when_equal_and_false_when_impossible(xk):
    x, k = xk
    assert sc.conditions(sc.correlate(x, k), sc.im2col_matmul(x, k), over=k) == []
    assert sc.conditions(sc.correlate(x, k), sc.correlate(x, k) + 1, over=k) is False


def test_large_layer_check_uses_the_compact_form():
    x, w = sc.tensor("x", (16, 30, 30)), sc.tensor("w", (16, 16, 3, 3))
    assert sc.equivalent(sc.conv(x, w, padding=1), sc.im2col_matmul(x, w, padding=1))


def test_seed_claims_through_equivalent():
    a, b = sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3))
    assert sc.equivalent(sc.hadamard_sum(a, b), sc.dot_flat(a, b))
    not_matmul = sc.equivalent(sc.matmul(a, b), sc.hadamard_sum(a, b))
    assert not not_matmul and "shapes differ" in not_matmul.reason
    # depth is a dot product: a 1x1 layer is the channel-mixing matrix times the pixels
    x, w = sc.tensor("x", (4, 3, 3)), sc.tensor("w", (2, 4, 1, 1))
    mixed = sc.matmul(w.reshape(2, 4), x.reshape(4, 9)).reshape(2, 3, 3)
    assert sc.equivalent(sc.conv(x, w), mixed)
    # a fully connected layer is a conv whose kernel covers the whole input
    fc = sc.tensor("f", (5, 4, 3, 3))
    assert sc.equivalent(sc.conv(x, fc).reshape(5), sc.matmul(fc.reshape(5, 36), x.reshape(36)))
    # and the kernel flip is where convolution and correlation part
    k = sc.tensor("k", (3, 3))
    v = sc.equivalent(sc.convolve(x[0], k), sc.correlate(x[0], k))
    assert not v and v.counterexample.a_value != v.counterexample.b_value


@pytest.mark.parametrize("n", [25, 100])  # 625 and 10,000 unknowns (issue 16, item 3)
def test_conditions_at_scale_are_exactly_centro_symmetry(n):
    x, k = sc.tensor("x", (n + 2, n + 2)), sc.tensor("k", (n, n))
    got = sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=k)
    K = sympy.IndexedBase(sympy.Symbol("k", real=True))
    # by hand: k[a, b] = k[n-1-a, n-1-b], one equation per pair, the lower entry (row-major) as the pivot
    want = [sympy.Eq(K[a, b], K[n - 1 - a, n - 1 - b]) for a in range(n) for b in range(n)
            if (a, b) < (n - 1 - a, n - 1 - b)]
    assert got == want


def test_conditions_with_complex_coefficients_use_the_exact_dense_path():
    x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    # x0 k0 + x1 k1 = i (x0 k1 + x1 k0) for all x: k0 = i k1 and k1 = i k0, so k0 = k1 = 0
    a = sc.correlate(x, k)
    b = sympy.I * sc.convolve(x, k)
    assert sc.conditions(a, b, over=k) == [sympy.Eq(sympy.IndexedBase(sympy.Symbol("k", real=True))[0], 0),
                                           sympy.Eq(sympy.IndexedBase(sympy.Symbol("k", real=True))[1], 0)]
