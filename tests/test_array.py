"""SymArray behaves like a SymPy array: indexing, iteration, conversion, printing, arithmetic."""

import numpy as np
import pytest
import sympy

import symconv as sc

X = sympy.IndexedBase("x", real=True)


@pytest.fixture
def x():
    return sc.tensor("x", (2, 3))


def test_entries_are_sympy_indexed(x):
    assert x[1, 2] == X[1, 2]
    assert x[1, 2].is_real
    assert sympy.latex(x[1, 2]) == "{x}_{1,2}"


def test_indexing_like_numpy(x):
    assert x[-1, -1] == X[1, 2]
    assert x[1].tolist() == [X[1, 0], X[1, 1], X[1, 2]]
    assert x[:, 1].tolist() == [X[0, 1], X[1, 1]]
    assert x[:, ::2].shape == (2, 2)


def test_out_of_range_index_is_a_clear_error(x):
    with pytest.raises(sc.SymconvIndexError, match=r"index \(2, 0\).*shape \(2, 3\)"):
        x[2, 0]
    with pytest.raises(IndexError):
        x[0, 3]


def test_iteration_and_conversions(x):
    expected = [[X[i, j] for j in range(3)] for i in range(2)]
    assert [row.tolist() for row in x] == expected
    assert sympy.Array(x) == sympy.Array(expected)
    assert sympy.Matrix(x) == sympy.Matrix(expected)
    assert np.asarray(x).tolist() == expected
    assert sympy.sympify(x) == sympy.Array(expected)
    assert x.tomatrix() == sympy.ImmutableMatrix(expected)
    assert len(x) == 2 and x.rank() == 2 and x.ndim == 2


def test_equality_with_sympy_and_lists(x):
    assert x == sympy.Array([[X[i, j] for j in range(3)] for i in range(2)])
    assert x == [[X[i, j] for j in range(3)] for i in range(2)]
    assert x != sc.tensor("x", (3, 2))
    assert x != sc.tensor("y", (2, 3))


def test_arithmetic(x):
    assert (x + x) == 2 * x
    assert (x - x) == np.zeros((2, 3), dtype=int)
    assert (-x)[0, 0] == -X[0, 0]
    assert (x + 1)[0, 0] == X[0, 0] + 1


def test_scalar_results_behave_like_expressions(x):
    h = sc.hadamard_sum(x, x)
    expected = sympy.Add(*[X[i, j] ** 2 for i in range(2) for j in range(3)])
    assert h == expected
    assert sympy.expand(h - expected) == 0
    assert h.shape == ()
    assert int(sc.hadamard_sum([[1, 2]], [[3, 4]])) == 11


def test_printing(x):
    assert repr(x) == str([[X[i, j] for j in range(3)] for i in range(2)])
    assert x._repr_latex_().startswith("$\\displaystyle \\left[\\begin{matrix}{x}_{0,0}")
    assert sympy.latex(x) == sympy.latex(sympy.Matrix(2, 3, [X[i, j] for i in range(2) for j in range(3)]))


def test_large_arrays_print_a_summary_and_elide_latex():
    big = sc.conv(sc.tensor("x", (8, 30, 30)), sc.tensor("w", (8, 8, 3, 3)))
    assert repr(big) == f"<SymArray shape=(8, 28, 28), {8 * 28 * 28 * 8 * 9:,} terms>"
    wide = sc.tensor("y", (3, 40))
    text = sympy.latex(wide)
    assert "\\cdots" in text and "{y}_{0,39}" in text and "{y}_{0,20}" not in text


def test_sympy_conversion_of_a_huge_array_is_refused():
    big = sc.conv(sc.tensor("x", (32, 40, 40)), sc.tensor("w", (32, 32, 3, 3)))
    with pytest.raises(sc.TooLargeError, match="SymPy terms"):
        big.tolist()
    assert big[0, 0, 0] == sympy.Add(*[sympy.IndexedBase("w", real=True)[0, c, u, v] * sympy.IndexedBase("x", real=True)[c, u, v]
                                       for c in range(32) for u in range(3) for v in range(3)])


def test_matrix_results(x):
    m = sc.im2col(sc.tensor("y", (3, 3)), (2, 2))
    assert (m.rows, m.cols) == (4, 4)
    assert m.T[1, 0] == m[0, 1]
    y = sympy.Matrix(m)
    assert sympy.Matrix(m.T * m) == y.T * y
    assert sympy.Matrix(m @ m) == y * y


def test_reshape_and_flatten_row_major(x):
    assert x.flatten().tolist() == [X[i, j] for i in range(2) for j in range(3)]
    assert x.reshape(3, 2)[2, 0] == X[1, 1]


def test_free_symbols(x):
    assert x.free_symbols == {X[i, j] for i in range(2) for j in range(3)}


@pytest.mark.parametrize("axes", [(), ((2, 0, 1),), (1, 0, 2), (-1, 0, 1), (None,)])
def test_transpose_with_axes_matches_numpy(axes):
    x = sc.tensor("x", (2, 3, 4))
    ref = np.array(x.tolist(), dtype=object).transpose(*axes)
    got = x.transpose(*axes)
    assert got.shape == ref.shape and got.tolist() == ref.tolist()


@pytest.mark.parametrize("axes", [(0, 0, 1), (0, 1), (0, 1, 3)])
def test_transpose_refuses_what_is_not_a_permutation(axes):
    with pytest.raises(sc.SymconvError, match="axes"):
        sc.tensor("x", (2, 3, 4)).transpose(*axes)
