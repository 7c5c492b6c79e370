"""Every claim of the two seed discussions, checked through symconv.

Seed 000 (Data Science Stack Exchange, "In a CNN, when convolving the image, is the
operation used the dot product or the sum of element-wise multiplication?") and seed 001
(DeepLearning.AI forum, "dot product" in the DLS course 4 notes).  The numbers are the
ones people used there; expected values are worked by hand (and cross-checked with
NumPy / SciPy), never taken from symconv.  Symbolic claims use ``==`` on symconv arrays
(exact polynomial equality); numeric claims use ``sc.evaluate``.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as sps
import sympy

import symconv as sc

# -- the numbers of the discussions -------------------------------------------------------------
A5 = np.array([[1, 1, 1, 0, 0],
               [0, 1, 1, 1, 0],
               [0, 0, 1, 1, 1],
               [0, 0, 1, 1, 0],
               [0, 1, 1, 0, 0]])
B = np.array([[1, 0, 1],
              [0, 1, 0],
              [1, 0, 1]])
A3 = np.array([[1, 1, 1],
               [0, 1, 1],
               [0, 0, 1]])  # the top-left 3x3 window of A5
B2 = np.array([[1, 0, 0],
               [0, 1, 0],
               [1, 0, 1]])

# worked by hand: each output is the sum of the element-wise products of B (symmetric) with a window
C_VALID = [[4, 3, 4],
           [2, 4, 3],
           [2, 3, 4]]
NP_DOT_A3_B = [[2, 1, 2],  # row i of A3 times column j of B
               [1, 1, 1],
               [1, 0, 1]]


def entries(name, shape):
    """Object ndarray of the IndexedBase elements symconv's tensor(name, shape) has."""
    base = sympy.IndexedBase(sympy.Symbol(name, real=True))
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = base[idx]
    return out


def as_int_list(a):
    return np.asarray(a, dtype=object).astype(np.int64).tolist()


# -- the hand-worked numbers agree with NumPy / SciPy (so the expectations below are sound) -----
def test_hand_worked_numbers_agree_with_numpy_and_scipy():
    assert sps.convolve2d(A5, B, "valid").tolist() == C_VALID
    assert sps.correlate2d(A5, B, "valid").tolist() == C_VALID
    assert np.dot(A3, B).tolist() == NP_DOT_A3_B
    assert np.sum(np.multiply(A3, B)) == 4
    assert np.sum(np.multiply(A3, B2)) == 3
    assert sps.convolve2d(A3, B2, "valid").tolist() == [[4]]
    # (1*1)+(1*0)+(1*1)+(0*0)+(1*1)+(1*0)+(0*1)+(0*0)+(1*1) = 4, the deeplearning.ai arithmetic
    assert (1 * 1) + (1 * 0) + (1 * 1) + (0 * 0) + (1 * 1) + (1 * 0) + (0 * 1) + (0 * 0) + (1 * 1) == 4


# =================================================================================================
# Seed 000, answer 1: convolve2d(A, B, 'valid') on the 5x5 A and the 3x3 B
# =================================================================================================
@pytest.mark.parametrize("form", ["convolve", "correlate", "im2col_matmul"])
def test_valid_convolution_of_the_5x5_example(form):
    fn = getattr(sc, form)
    result = fn(A5, B) if form == "im2col_matmul" else fn(A5, B, "valid")
    assert result.shape == (3, 3)
    assert result == C_VALID
    assert as_int_list(result.tolist()) == C_VALID


@pytest.mark.parametrize("form", ["convolve", "correlate", "im2col_matmul"])
def test_valid_convolution_of_the_5x5_example_symbolically_then_evaluated(form):
    fn = getattr(sc, form)
    x, k = sc.tensor("A", (5, 5)), sc.tensor("B", (3, 3))
    value = sc.evaluate(fn(x, k), A=A5, B=B)
    assert isinstance(value, np.ndarray) and value.dtype.kind == "i"
    assert value.tolist() == C_VALID


def test_symmetric_kernel_makes_convolution_equal_correlation():
    """B is centro-symmetric, so flipping it changes nothing: convolve == correlate for every input."""
    x = sc.tensor("x", (5, 5))
    assert sc.flip(B) == B.tolist()
    assert sc.convolve(x, B) == sc.correlate(x, B)
    assert sc.convolve(x, B) == sc.im2col_matmul(x, B)


def test_each_output_is_the_sum_of_element_wise_products_of_a_window():
    """C[m, n] = sum_u sum_v A[m+u, n+v] * B[u, v]: element-wise products of a window, summed."""
    for m in range(3):
        for n in range(3):
            window = A5[m:m + 3, n:n + 3]
            assert sc.hadamard_sum(window, B) == C_VALID[m][n]
            assert sc.evaluate(sc.hadamard_sum(window, B)) == C_VALID[m][n]


def test_the_seed_formula_C_mn_is_correlation():
    """The formula the answer calls convolution, C[m,n] = sum_u sum_v A[m+u, n+v] B[u,v], built by hand."""
    A, Bk = entries("A", (5, 5)), entries("B", (3, 3))
    C = np.empty((3, 3), dtype=object)
    for m in range(3):
        for n in range(3):
            C[m, n] = sympy.Add(*[A[m + u, n + v] * Bk[u, v] for u in range(3) for v in range(3)])
    x, k = sc.tensor("A", (5, 5)), sc.tensor("B", (3, 3))
    assert sc.correlate(x, k) == sympy.Array(C.tolist())
    assert (sc.convolve(x, k) == sympy.Array(C.tolist())) is False  # for a general (non-symmetric) B


def test_true_convolution_formula_flips_the_signal_or_the_kernel():
    """J(x, y) = sum_{n,m} K(n, m) I(x - n, y - m): the input axes are flipped -- or the kernel is."""
    I, K = entries("I", (4, 4)), entries("K", (2, 3))
    J = np.empty((5, 6), dtype=object)  # the full result
    for x in range(5):
        for y in range(6):
            J[x, y] = sympy.Add(*[K[n, m] * I[x - n, y - m] for n in range(2) for m in range(3)
                                  if 0 <= x - n < 4 and 0 <= y - m < 4])
    i, k = sc.tensor("I", (4, 4)), sc.tensor("K", (2, 3))
    assert sc.convolve(i, k, "full") == sympy.Array(J.tolist())
    assert sc.correlate(i, sc.flip(k), "full") == sympy.Array(J.tolist())  # "the kernel could be flipped instead"
    assert (sc.correlate(i, k, "full") == sympy.Array(J.tolist())) is False


# =================================================================================================
# Seed 000, answer 4: element-wise sum (4) vs np.dot (a matrix); the asymmetric B2
# =================================================================================================
def test_element_wise_sum_is_4():
    assert sc.hadamard_sum(A3, B) == 4
    assert sc.evaluate(sc.hadamard_sum(A3, B)) == 4
    x, k = sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3))
    assert sc.evaluate(sc.hadamard_sum(x, k), a=A3, b=B) == 4


def test_np_dot_of_the_window_is_a_matrix():
    product = sc.matmul(A3, B)
    assert product.shape == (3, 3)
    assert product == NP_DOT_A3_B
    assert product == np.dot(A3, B)
    x, k = sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3))
    assert sc.evaluate(sc.matmul(x, k), a=A3, b=B).tolist() == NP_DOT_A3_B


def test_np_dot_is_not_the_element_wise_sum():
    x, k = sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3))
    assert sc.hadamard_sum(x, k).shape == ()
    assert sc.matmul(x, k).shape == (3, 3)
    assert (sc.matmul(x, k) == sc.hadamard_sum(x, k)) is False
    # not even the sum of the matrix product's entries: sum_{i,j,t} a[i,t] b[t,j] != sum_{i,j} a[i,j] b[i,j]
    total = sympy.Add(*[sc.matmul(x, k)[i, j] for i in range(3) for j in range(3)])
    assert (sc.hadamard_sum(x, k) == total) is False
    # numerically: the sum of the np.dot matrix is 10, the element-wise sum is 4
    assert int(np.sum(np.dot(A3, B))) == 10
    assert int(np.sum(sc.evaluate(sc.matmul(x, k), a=A3, b=B))) == 10


def test_convolution_of_the_3x3_window_is_the_element_wise_sum():
    """convolve2d(A, B, 'valid') on the 3x3 window: one output, equal to the element-wise sum (B symmetric)."""
    assert sc.convolve(A3, B).shape == (1, 1)
    assert sc.convolve(A3, B) == [[4]]
    assert sc.hadamard_sum(A3, B) == sc.convolve(A3, B)[0, 0]


def test_asymmetric_kernel_tells_convolution_from_element_wise_sum():
    assert sc.hadamard_sum(A3, B2) == 3
    assert sc.convolve(A3, B2) == [[4]]
    assert as_int_list(sc.convolve(A3, B2).tolist()) == [[4]]
    # convolution is the element-wise sum with the flipped kernel; correlation is the plain one
    assert sc.hadamard_sum(A3, sc.flip(B2)) == 4
    assert sc.correlate(A3, B2) == [[3]]
    x, k = sc.tensor("a", (3, 3)), sc.tensor("b", (3, 3))
    assert sc.evaluate(sc.convolve(x, k), a=A3, b=B2).tolist() == [[4]]
    assert sc.evaluate(sc.correlate(x, k), a=A3, b=B2).tolist() == [[3]]


def test_asymmetric_kernel_makes_convolution_differ_from_correlation_symbolically():
    x = sc.tensor("x", (5, 5))
    assert (sc.convolve(x, B2) == sc.correlate(x, B2)) is False
    assert sc.convolve(x, B2) == sc.correlate(x, np.flip(B2))
    assert sc.convolve(A5, B2) == sps.convolve2d(A5, B2, "valid")


# =================================================================================================
# Seed 000: "np.dot(W_row, X_col)" -- the cs231n claim that the layer is one matrix multiply
# =================================================================================================
# the cs231n demo: a 5x5x3 input, zero padding 1, two 3x3x3 filters, stride 2
CS231N = dict(stride=2, padding=1)


def test_cs231n_layer_is_one_matrix_multiply():
    x, w = sc.tensor("x", (3, 5, 5)), sc.tensor("w", (2, 3, 3, 3))
    assert sc.im2col_matmul(x, w, **CS231N) == sc.conv(x, w, **CS231N)
    assert sc.conv(x, w, **CS231N).shape == (2, 3, 3)


def test_cs231n_np_dot_W_row_X_col_built_by_hand():
    """W_row: one flattened filter per row (2 x 27); X_col: one receptive field per column (27 x 9)."""
    x, w = sc.tensor("x", (3, 5, 5)), sc.tensor("w", (2, 3, 3, 3))
    W_row = sympy.Array(entries("w", (2, 3, 3, 3)).reshape(2, 27).tolist())
    X_col = sc.im2col(x, (3, 3), **CS231N).T  # (27, 9)
    assert X_col.shape == (27, 9)
    out = sc.matmul(W_row, X_col)  # (2, 9)
    assert out.reshape(2, 3, 3) == sc.conv(x, w, **CS231N)


def test_cs231n_each_output_is_a_dot_product_of_filter_and_receptive_field():
    """'slide the 5x5x3 filter ... take the dot product ...; for every dot product the result is a scalar'."""
    x, w = sc.tensor("x", (3, 7, 7)), sc.tensor("w", (2, 3, 5, 5))
    y = sc.conv(x, w)
    xe = entries("x", (3, 7, 7))
    for co in range(2):
        for i in range(3):
            for j in range(3):
                field = sympy.Array(xe[:, i:i + 5, j:j + 5].tolist())  # 3 x 5 x 5 receptive field
                d = sc.dot_flat(field, w[co])
                assert d.shape == ()
                assert d == y[co, i, j]
                assert sc.hadamard_sum(field, w[co]) == y[co, i, j]


def test_cs231n_demo_numbers_sum_per_channel_plus_bias():
    """Ryan Chase's spreadsheet: per colour channel an element-wise sum, then the three add up with the bias."""
    rng = np.random.default_rng(231)
    xv = rng.integers(0, 3, (3, 5, 5))
    wv = rng.integers(-1, 2, (2, 3, 3, 3))
    bv = np.array([1, 0])
    x, w, b = sc.tensor("x", (3, 5, 5)), sc.tensor("w", (2, 3, 3, 3)), sc.tensor("b", (2,))
    got = sc.evaluate(sc.conv(x, w, b, **CS231N), x=xv, w=wv, b=bv)
    xp = np.pad(xv, ((0, 0), (1, 1), (1, 1)))
    expected = np.zeros((2, 3, 3), dtype=np.int64)
    for co in range(2):
        for i in range(3):
            for j in range(3):
                per_channel = [np.sum(xp[c, 2 * i:2 * i + 3, 2 * j:2 * j + 3] * wv[co, c]) for c in range(3)]
                expected[co, i, j] = sum(per_channel) + bv[co]
    assert got.tolist() == expected.tolist()
    # symbolically: output = sum over channels of the per-channel element-wise sums, plus the bias
    y = sc.conv(x, w, b, **CS231N)
    xpe = np.pad(entries("x", (3, 5, 5)), ((0, 0), (1, 1), (1, 1)), constant_values=sympy.S.Zero)
    we, be = entries("w", (2, 3, 3, 3)), entries("b", (2,))
    by_hand = np.empty((2, 3, 3), dtype=object)
    for co in range(2):
        for i in range(3):
            for j in range(3):
                per_channel = [sympy.Add(*[xpe[c, 2 * i + u, 2 * j + v] * we[co, c, u, v]
                                           for u in range(3) for v in range(3)]) for c in range(3)]
                by_hand[co, i, j] = sympy.Add(*per_channel) + be[co]
    assert y == sympy.Array(by_hand.tolist())


# =================================================================================================
# Seed 000, answer 1 and its comments: depth is a dot product; 1x1 convolutions
# =================================================================================================
@pytest.mark.parametrize("C,H,W,Co", [(3, 4, 5, 2), (4, 2, 2, 4), (1, 3, 3, 3)])
def test_one_by_one_conv_is_a_channel_mixing_matmul(C, H, W, Co):
    x, w = sc.tensor("x", (C, H, W)), sc.tensor("w", (Co, C, 1, 1))
    y = sc.conv(x, w)
    assert y.shape == (Co, H, W)  # the depth changes, height and width do not
    W_mat = sympy.Array(entries("w", (Co, C, 1, 1)).reshape(Co, C).tolist())
    X_mat = x.reshape(C, H * W)
    assert sc.matmul(W_mat, X_mat).reshape(Co, H, W) == y
    # at each pixel: the vector of channel values times the weights -- a dot product along depth
    for i in range(H):
        for j in range(W):
            assert y[:, i, j] == sc.matmul(W_mat, x[:, i, j])
            for co in range(Co):
                assert sc.dot_flat(x[:, i, j], W_mat[co, :]) == y[co, i, j]


def test_depth_is_a_dot_product_for_a_general_kernel():
    """'each element of the same height/width is multiplied with the same weight and they are summed':
    a k x k layer is, tap by tap, a dot product along depth -- sum over taps of 1x1 channel mixes."""
    C, Co = 3, 2
    x, w = sc.tensor("x", (C, 5, 5)), sc.tensor("w", (Co, C, 3, 3))
    y = sc.conv(x, w)
    we = entries("w", (Co, C, 3, 3))
    total = None
    for u in range(3):
        for v in range(3):
            tap = sc.matmul(sympy.Array(we[:, :, u, v].tolist()), x[:, u:u + 3, v:v + 3].reshape(C, 9))
            total = tap if total is None else total + tap
    assert total.reshape(Co, 3, 3) == y


def test_one_by_one_conv_numbers():
    rng = np.random.default_rng(11)
    xv, wv = rng.integers(-4, 5, (3, 4, 4)), rng.integers(-4, 5, (5, 3, 1, 1))
    x, w = sc.tensor("x", (3, 4, 4)), sc.tensor("w", (5, 3, 1, 1))
    got = sc.evaluate(sc.conv(x, w), x=xv, w=wv)
    expected = np.einsum("oc,chw->ohw", wv[:, :, 0, 0], xv)
    assert got.tolist() == expected.tolist()


# =================================================================================================
# Seed 000, note 2 and the last answer: a fully connected layer does perform the dot product
# =================================================================================================
@pytest.mark.parametrize("C,H,W,Co", [(3, 4, 4, 2), (2, 3, 5, 3), (1, 2, 2, 1)])
def test_fully_connected_layer_is_a_whole_input_conv(C, H, W, Co):
    x, w, b = sc.tensor("x", (C, H, W)), sc.tensor("w", (Co, C, H, W)), sc.tensor("b", (Co,))
    y = sc.conv(x, w, b)
    assert y.shape == (Co, 1, 1)
    W_fc = sympy.Array(entries("w", (Co, C, H, W)).reshape(Co, C * H * W).tolist())
    fc = sc.matmul(W_fc, x.flatten()) + b  # y = W x + b
    assert y.reshape(Co) == fc
    for co in range(Co):
        assert y[co:co + 1, 0, 0] == sc.dot_flat(x, w[co]).reshape(1) + sympy.Array([entries("b", (Co,))[co]])


def test_fully_connected_numbers():
    rng = np.random.default_rng(5)
    xv, wv, bv = rng.integers(-3, 4, (2, 3, 3)), rng.integers(-3, 4, (4, 2, 3, 3)), rng.integers(-3, 4, 4)
    x, w, b = sc.tensor("x", (2, 3, 3)), sc.tensor("w", (4, 2, 3, 3)), sc.tensor("b", (4,))
    got = sc.evaluate(sc.conv(x, w, b), x=xv, w=wv, b=bv).reshape(4)
    assert got.tolist() == (wv.reshape(4, -1) @ xv.reshape(-1) + bv).tolist()


# =================================================================================================
# Seed 000, answer 2: the loop pseudo-code, and dot() on windows
# =================================================================================================
def seed_loop(A, C):
    """The pseudo-code of the answer, verbatim apart from Python syntax (A 5x5, C 3x3, Z 3x3)."""
    Z = np.empty((3, 3), dtype=object)
    for i in range(0, 3):
        for j in range(0, 3):
            s = 0
            for k in range(0, 3):
                for l in range(0, 3):  # noqa: E741 -- the seed's name
                    s += A[i + k, j + l] * C[k, l]
            Z[i, j] = s
    return Z


def test_seed_loop_on_symbolic_arrays_is_correlation():
    A = np.array(sc.tensor("A", (5, 5)).tolist(), dtype=object)
    C = np.array(sc.tensor("C", (3, 3)).tolist(), dtype=object)
    Z = seed_loop(A, C)
    x, k = sc.tensor("A", (5, 5)), sc.tensor("C", (3, 3))
    assert sc.correlate(x, k) == sympy.Array(Z.tolist())
    assert (sc.convolve(x, k) == sympy.Array(Z.tolist())) is False  # it is correlation, not convolution


def test_seed_loop_on_the_numbers():
    assert seed_loop(A5, B).tolist() == C_VALID
    assert sc.correlate(A5, B) == seed_loop(A5, B).tolist()
    x, k = sc.tensor("A", (5, 5)), sc.tensor("C", (3, 3))
    assert sc.evaluate(sc.correlate(x, k), A=A5, C=B2).tolist() == seed_loop(A5, B2).tolist()


def test_np_dot_on_3x3_windows_is_not_the_correlation():
    """Z[i,j] = dot(A[i:i+3, j:j+3], C): each 'entry' is a 3x3 matrix, so Z is 3x3x3x3, not 3x3."""
    A = np.array(sc.tensor("A", (5, 5)).tolist(), dtype=object)
    C = np.array(sc.tensor("C", (3, 3)).tolist(), dtype=object)
    Z = np.empty((3, 3, 3, 3), dtype=object)
    for i in range(3):
        for j in range(3):
            Z[i, j] = np.dot(A[i:i + 3, j:j + 3], C)
    x, k = sc.tensor("A", (5, 5)), sc.tensor("C", (3, 3))
    y = sc.correlate(x, k)
    assert y.shape == (3, 3)
    assert Z.shape == (3, 3, 3, 3)
    assert (y == sympy.Array(Z.tolist())) is False
    for i in range(3):
        for j in range(3):
            window_product = sc.matmul(x[i:i + 3, j:j + 3], k)
            assert window_product.shape == (3, 3)
            assert window_product == sympy.Array(Z[i, j].tolist())  # sc.matmul is np.dot
            assert (window_product == y[i, j]) is False
            assert sc.hadamard_sum(x[i:i + 3, j:j + 3], k) == y[i, j]
    # numerically: np.dot of the first window is the matrix [[2,1,2],[1,1,1],[1,0,1]], not 4
    first = sc.evaluate(sc.matmul(x[0:3, 0:3], k), A=A5, C=B)
    assert first.tolist() == NP_DOT_A3_B
    assert sc.evaluate(y, A=A5, C=B)[0, 0] == 4


def test_the_seed_slice_i_to_i_plus_2_does_not_even_fit():
    """The answer wrote dot(A[i:i+2, j:j+2], C): a 2x2 slice against a 3x3 filter is misaligned."""
    x, k = sc.tensor("A", (5, 5)), sc.tensor("C", (3, 3))
    with pytest.raises(ValueError):
        np.dot(A5[0:2, 0:2], B)
    with pytest.raises(sc.ShapeError, match=r"\(2, 2\).*\(3, 3\)"):
        sc.matmul(x[0:2, 0:2], k)
    with pytest.raises(sc.ShapeError, match=r"\(2, 2\).*\(3, 3\)"):
        sc.hadamard_sum(x[0:2, 0:2], k)


# =================================================================================================
# Seed 000, answer 3: flatten, then dot -- the same as the element-wise sum; "X and Y transpose"
# =================================================================================================
@pytest.mark.parametrize("shape", [(3, 3), (3, 3, 3), (2, 4, 3)])
def test_flattened_dot_is_the_element_wise_sum(shape):
    x, k = sc.tensor("x", shape), sc.tensor("k", shape)
    assert sc.dot_flat(x, k) == sc.hadamard_sum(x, k)
    xe, ke = entries("x", shape).reshape(-1), entries("k", shape).reshape(-1)
    assert sc.dot_flat(x, k) == sympy.Add(*[xe[i] * ke[i] for i in range(len(xe))])
    # "the same as a dot product on multidimensional matrices": the full tensor contraction
    assert sc.hadamard_sum(x, k) == np.tensordot(entries("x", shape), entries("k", shape), axes=len(shape))


def test_flattened_dot_numbers():
    assert sc.dot_flat(A3, B) == 4
    assert int(np.dot(A3.reshape(-1), B.reshape(-1))) == 4
    assert sc.dot_flat(A3, B2) == 3


def test_dot_of_x_and_y_transpose_is_a_matrix_only_its_trace_is_the_sum():
    """'It is the same as the dot product of X and Y transpose': np.dot(X, Y.T) is a matrix;
    only its trace equals the sum of the element-wise products."""
    x, y = sc.tensor("X", (3, 3)), sc.tensor("Y", (3, 3))
    Yt = sympy.Array(entries("Y", (3, 3)).T.tolist())
    xyt = sc.matmul(x, Yt)
    assert xyt.shape == (3, 3)
    assert (xyt == sc.hadamard_sum(x, y)) is False
    assert sc.hadamard_sum(x, y) == sympy.Add(*[xyt[i, i] for i in range(3)])
    assert int(np.trace(np.dot(A3, B.T))) == 4
    assert int(np.trace(sc.evaluate(xyt, X=A3, Y=B))) == 4


def test_np_dot_on_3d_tensors_is_not_a_scalar():
    """Paul's question -- np.dot with more than two dimensions: a[i,j,:] . b[k,:,m], a 4-D array."""
    a, b = entries("a", (3, 3, 3)), entries("b", (3, 3, 3))
    d = np.dot(a, b)
    assert d.shape == (3, 3, 3, 3)
    assert sc.hadamard_sum(sc.tensor("a", (3, 3, 3)), sc.tensor("b", (3, 3, 3))).shape == ()
    assert (sc.hadamard_sum(sc.tensor("a", (3, 3, 3)), sc.tensor("b", (3, 3, 3))) == sympy.Array(d.tolist())) is False


# =================================================================================================
# Seed 000: "a new (or same) height, width and depth"
# =================================================================================================
def test_a_layer_produces_a_new_or_same_height_width_and_depth():
    x, w = sc.tensor("x", (3, 5, 5)), sc.tensor("w", (2, 3, 3, 3))
    assert sc.conv(x, w).shape == (2, 3, 3)
    assert sc.conv(x, w, padding="same").shape == (2, 5, 5)
    assert sc.conv(x, w, **CS231N).shape == (2, 3, 3)
    assert sc.output_shape((5, 5), (3, 3)) == (3, 3)
    assert sc.output_shape((5, 5), (3, 3), padding=1) == (5, 5)
    assert sc.output_shape((5, 5), (1, 1)) == (5, 5)


# =================================================================================================
# Seed 001: the DeepLearning.AI forum -- correlate2d reproduces the window-by-window sums, np.dot does not
# =================================================================================================
FOO = np.array([[3, 0, 1, 2, 7, 4],
                [1, 5, 8, 9, 3, 1],
                [2, 7, 2, 5, 1, 3],
                [0, 1, 3, 1, 7, 8],
                [4, 2, 1, 6, 2, 8],
                [2, 4, 5, 2, 3, 9]])  # the 6x6 image of the DLS course-4 vertical-edge example
BAR = np.array([[1, 0, -1],
                [1, 0, -1],
                [1, 0, -1]])         # its vertical-edge filter (asymmetric)


def _window_sums(foo, bar):
    """One window at a time: element-wise multiplication followed by summing."""
    h, w = foo.shape[0] - bar.shape[0] + 1, foo.shape[1] - bar.shape[1] + 1
    return [[int(np.sum(np.multiply(foo[i:i + bar.shape[0], j:j + bar.shape[1]], bar))) for j in range(w)]
            for i in range(h)]


def test_dls_course_example_window_sums():
    # worked by hand in the course: the first row of the 4x4 output is -5, -4, 0, 8
    assert _window_sums(FOO, BAR)[0] == [-5, -4, 0, 8]
    assert _window_sums(FOO, BAR) == sps.correlate2d(FOO, BAR, mode="valid").tolist()


def test_correlate_valid_reproduces_the_window_sums():
    x, k = sc.tensor("foo", (6, 6)), sc.tensor("bar", (3, 3))
    assert sc.evaluate(sc.correlate(x, k, "valid"), foo=FOO, bar=BAR).tolist() == _window_sums(FOO, BAR)
    assert sc.correlate(FOO, BAR, "valid") == _window_sums(FOO, BAR)
    # the course's "convolution" is correlation: the true convolution flips the filter and differs
    assert (sc.convolve(FOO, BAR, "valid") == _window_sums(FOO, BAR)) is False
    assert sc.convolve(FOO, BAR, "valid") == [[-v for v in row] for row in _window_sums(FOO, BAR)]


@pytest.mark.parametrize("boundary", [None, "fill"])
def test_correlate_same_reproduces_the_zero_padded_window_sums(boundary):
    """sps.correlate2d(foo, bar, mode='same'): padding keeps the original size."""
    expected = _window_sums(np.pad(FOO, 1), BAR)
    assert sps.correlate2d(FOO, BAR, mode="same").tolist() == expected
    x, k = sc.tensor("foo", (6, 6)), sc.tensor("bar", (3, 3))
    options = {} if boundary is None else {"boundary": boundary}
    y = sc.correlate(x, k, "same", **options)
    assert y.shape == (6, 6)
    assert sc.evaluate(y, foo=FOO, bar=BAR).tolist() == expected


def test_np_dot_does_not_reproduce_the_window_sums_even_with_equal_sizes():
    """'It did not work when using np.dot(foo, bar) even if they were the same size.'"""
    foo, bar = FOO[:3, :3], BAR
    assert np.dot(foo, bar).shape == (3, 3)
    x, k = sc.tensor("foo", (3, 3)), sc.tensor("bar", (3, 3))
    assert sc.evaluate(sc.matmul(x, k), foo=foo, bar=bar).tolist() == np.dot(foo, bar).tolist()
    assert sc.evaluate(sc.hadamard_sum(x, k), foo=foo, bar=bar) == _window_sums(foo, bar)[0][0] == -5
    assert (sc.matmul(x, k) == sc.hadamard_sum(x, k)) is False


def test_dls_filter_as_a_3d_array_of_weights():
    """'the dot product between the input data and a 3D array of weights (the filter)': over (C, kh, kw)
    it is the flattened dot product = the element-wise products summed, one scalar per position."""
    x, w = sc.tensor("x", (3, 6, 6)), sc.tensor("w", (1, 3, 3, 3))
    y = sc.conv(x, w)
    xe = entries("x", (3, 6, 6))
    for i in range(4):
        for j in range(4):
            field = sympy.Array(xe[:, i:i + 3, j:j + 3].tolist())
            assert sc.dot_flat(field, w[0]) == y[0, i, j]
            assert sc.hadamard_sum(field, w[0]) == y[0, i, j]
