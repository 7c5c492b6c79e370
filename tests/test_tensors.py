"""tensor(), flip(), coercion of inputs and evaluate()."""

from fractions import Fraction

import numpy as np
import pytest
import sympy

import symconv as sc


def test_tensor_entries_and_assumptions():
    t = sc.tensor("W1", (2, 2, 3))
    assert t.shape == (2, 2, 3)
    assert t[1, 0, 2] == sympy.IndexedBase("W1", real=True)[1, 0, 2]
    assert sc.tensor("z", (2,), real=False)[0].is_real is None
    assert sc.tensor("b", ()) == sympy.Symbol("b", real=True)


def test_flip_matches_numpy():
    arr = np.arange(24).reshape(2, 3, 4)
    for axes in (None, 0, (1,), (0, 2), (-1,)):
        assert sc.evaluate(sc.flip(arr, axes)).tolist() == np.flip(arr, axis=axes).tolist()


def test_flip_is_the_180_degree_rotation_in_2d():
    k = sc.tensor("k", (3, 3))
    assert sc.flip(k) == np.rot90(np.array(k.tolist(), dtype=object), 2).tolist()


@pytest.mark.parametrize("make", [
    lambda a: a.tolist(),
    lambda a: np.array(a, dtype=object),
    lambda a: sympy.Array(a.tolist()),
    lambda a: sympy.Matrix(a.tolist()),
    lambda a: a,
])
def test_every_input_kind_is_accepted(make):
    a = np.array([[1, -2], [3, 4]])
    k = sc.tensor("k", (2, 2))
    y = sc.correlate(make(a), k)
    K = sympy.IndexedBase("k", real=True)
    assert y[0, 0] == K[0, 0] - 2 * K[0, 1] + 3 * K[1, 0] + 4 * K[1, 1]


def test_evaluate_by_name_tensor_indexedbase_and_element():
    x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    y = sc.correlate(x, k)
    X, K = np.array([1, 2, 3]), np.array([10, 1])
    expected = [12, 23]  # hand-worked: 1*10 + 2*1, 2*10 + 3*1
    assert sc.evaluate(y, x=X, k=K).tolist() == expected
    assert sc.evaluate(y, {x: X, sympy.IndexedBase("k", real=True): K}).tolist() == expected
    elements = {x[i]: X[i] for i in range(3)} | {k[i]: K[i] for i in range(2)}
    assert sc.evaluate(y, elements).tolist() == expected


def test_evaluate_keeps_integers_exact_and_floats_float():
    x = sc.tensor("x", (2,))
    ints = sc.evaluate(x * 3, x=np.array([2**40, 5]))
    assert ints.dtype == np.int64 and ints.tolist() == [3 * 2**40, 15]
    huge = sc.evaluate(sc.hadamard_sum(x, x), x=[2**40, 2**40])
    assert int(huge) == 2 * 2**80  # beyond int64: exact Python ints
    assert sc.evaluate(x, x=np.array([0.5, 1.5])).dtype == np.float64
    half = sc.correlate([sympy.Rational(1, 2)], sc.tensor("k", (1,)))
    assert sc.evaluate(half, k=[3]).tolist() == [Fraction(3, 2)]


def test_evaluate_sympy_expressions_and_scalars():
    X = sympy.IndexedBase("x")
    b = sympy.Symbol("b")
    assert sc.evaluate(X[0] * X[1] + b, x=[2, 3], b=4) == 10
    assert sc.evaluate(sympy.sin(X[0]) + 1, x=[0]) == 1


def test_evaluate_a_larger_array_for_an_inferred_tensor():
    X = sympy.IndexedBase("x")
    assert sc.evaluate(sympy.Array([X[0, 1]]), x=np.arange(9).reshape(3, 3)).tolist() == [1]


def test_evaluate_is_fast_on_a_100k_entry_result():
    x, w = sc.tensor("x", (4, 160, 160)), sc.tensor("w", (4, 4, 3, 3))
    y = sc.conv(x, w, padding=1)
    assert y.shape == (4, 160, 160) and y.shape[0] * 160 * 160 > 10**5
    rng = np.random.default_rng(0)
    X, W = rng.integers(-3, 4, (4, 160, 160)), rng.integers(-3, 4, (4, 4, 3, 3))
    got = sc.evaluate(y, x=X, w=W)
    # independent reference: the layer by NumPy slicing on a zero-padded input
    P = np.pad(X, ((0, 0), (1, 1), (1, 1)))
    ref = np.zeros((4, 160, 160), dtype=np.int64)
    for u in range(3):
        for v in range(3):
            ref += np.einsum("oc,chw->ohw", W[:, :, u, v], P[:, u:u + 160, v:v + 160])
    assert np.array_equal(got, ref)
