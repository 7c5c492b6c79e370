"""symconv's exact results, evaluated numerically, against SciPy as an independent oracle.

Every test builds a symbolic (or numeric) symconv result, substitutes random numbers with
``symconv.evaluate`` and compares with what ``scipy.signal`` computes from the same numbers.
Nothing here compares symconv with itself.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as ss
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import symconv as sc

MODES = ("valid", "same", "full")
OPS = ("correlate", "convolve")
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
TOL = {"rtol": 1e-10, "atol": 1e-10}


# -- helpers -----------------------------------------------------------------------------------
def _values(seed: int, shape, kind: str) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "int":
        return rng.integers(-9, 10, size=shape)
    return rng.standard_normal(shape)


def _dilate(k: np.ndarray, dilation) -> np.ndarray:
    """`k` with d-1 zeros inserted between neighbouring taps on every axis (NumPy only)."""
    dilation = (dilation,) * k.ndim if isinstance(dilation, int) else tuple(dilation)
    out = np.zeros(tuple(d * (n - 1) + 1 for n, d in zip(k.shape, dilation)), dtype=k.dtype)
    out[tuple(slice(None, None, d) for d in dilation)] = k
    return out


def _strided(y: np.ndarray, stride) -> np.ndarray:
    stride = (stride,) * y.ndim if isinstance(stride, int) else tuple(stride)
    return y[tuple(slice(None, None, s) for s in stride)]


def _scipy(op: str, X, K, mode, kind):
    # integer data: the direct method keeps SciPy's result exact
    return getattr(ss, op)(X, K, mode, method="direct") if kind == "int" else getattr(ss, op)(X, K, mode)


def _check(got, ref, kind):
    got = np.asarray(got)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    if kind == "int":
        assert got.dtype.kind in "iu", f"integer inputs gave dtype {got.dtype}; expected exact integers"
        assert_array_equal(got, ref)
    else:
        assert_allclose(got.astype(float), ref, **TOL)


def _symbolic(op, xs, ks, mode, **kw):
    return getattr(sc, op)(sc.tensor("x", xs), sc.tensor("k", ks), mode, **kw)


@st.composite
def signal_case(draw, ndims=(1, 2, 3), max_x=6, max_k=5, min_k=1):
    """(x_shape, k_shape, mode) with the kernel fitting in mode 'valid'; even kernel sizes included."""
    nd = draw(st.sampled_from(ndims))
    mode = draw(st.sampled_from(MODES))
    xs = tuple(draw(st.lists(st.integers(1, max_x), min_size=nd, max_size=nd)))
    if mode == "valid":
        ks = tuple(draw(st.integers(min(min_k, n), min(n, max_k))) for n in xs)
    else:
        ks = tuple(draw(st.lists(st.integers(min_k, max_k), min_size=nd, max_size=nd)))
    return xs, ks, mode


per_axis = st.integers(1, 3)


def per_axis_option(nd, draw, values=per_axis):
    """An int or a per-axis tuple."""
    if draw(st.booleans()):
        return draw(values)
    return tuple(draw(st.lists(values, min_size=nd, max_size=nd)))


SEED = st.integers(0, 2**32 - 1)


# -- correlate / convolve, plain -----------------------------------------------------------------
@pytest.mark.parametrize("kind", ["float", "int"])
@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=signal_case(), seed=SEED)
def test_symbolic_op_matches_scipy(op, kind, case, seed):
    xs, ks, mode = case
    X, K = _values(seed, xs, kind), _values(seed + 1, ks, kind)
    got = sc.evaluate(_symbolic(op, xs, ks, mode), x=X, k=K)
    _check(got, _scipy(op, X, K, mode, kind), kind)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("xs,ks", [((5,), (2,)), ((4,), (4,)), ((6, 5), (2, 4)), ((3, 4, 5), (2, 3, 2)),
                                   ((3,), (6,)), ((2, 3), (4, 5))])
def test_even_and_large_kernels_match_scipy(op, mode, xs, ks):
    # a kernel larger on every axis in 'valid' mode: SciPy swaps the inputs (gh-5897), and so does symconv
    X, K = _values(7, xs, "int"), _values(8, ks, "int")
    got = sc.evaluate(_symbolic(op, xs, ks, mode), x=X, k=K)
    _check(got, _scipy(op, X, K, mode, "int"), "int")


# -- stride and dilation ------------------------------------------------------------------------
@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=signal_case(), seed=SEED, data=st.data())
def test_stride_is_scipy_sliced(op, case, seed, data):
    xs, ks, mode = case
    stride = per_axis_option(len(xs), data.draw)
    X, K = _values(seed, xs, "float"), _values(seed + 1, ks, "float")
    got = sc.evaluate(_symbolic(op, xs, ks, mode, stride=stride), x=X, k=K)
    _check(got, _strided(_scipy(op, X, K, mode, "float"), stride), "float")


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_dilation_is_scipy_with_dilated_kernel(op, data, seed):
    nd = data.draw(st.sampled_from((1, 2, 3)))
    mode = data.draw(st.sampled_from(MODES))
    dilation = per_axis_option(nd, data.draw)
    dil = (dilation,) * nd if isinstance(dilation, int) else dilation
    ks = tuple(data.draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    extent = [d * (k - 1) + 1 for k, d in zip(ks, dil)]
    xs = tuple(data.draw(st.integers(e if mode == "valid" else 1, max(e, 1) + 4)) for e in extent)
    X, K = _values(seed, xs, "int"), _values(seed + 1, ks, "int")
    got = sc.evaluate(_symbolic(op, xs, ks, mode, dilation=dilation), x=X, k=K)
    _check(got, _scipy(op, X, _dilate(K, dilation), mode, "int"), "int")


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_stride_and_dilation_together(op, data, seed):
    nd = data.draw(st.sampled_from((1, 2, 3)))
    mode = data.draw(st.sampled_from(MODES))
    dilation, stride = per_axis_option(nd, data.draw), per_axis_option(nd, data.draw)
    dil = (dilation,) * nd if isinstance(dilation, int) else dilation
    ks = tuple(data.draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    extent = [d * (k - 1) + 1 for k, d in zip(ks, dil)]
    xs = tuple(data.draw(st.integers(e if mode == "valid" else 1, e + 4)) for e in extent)
    X, K = _values(seed, xs, "float"), _values(seed + 1, ks, "float")
    got = sc.evaluate(_symbolic(op, xs, ks, mode, stride=stride, dilation=dilation), x=X, k=K)
    _check(got, _strided(_scipy(op, X, _dilate(K, dilation), mode, "float"), stride), "float")


# -- 2-D boundaries ------------------------------------------------------------------------------
BOUNDARIES = ("fill", "wrap", "symm")


@st.composite
def boundary_case(draw):
    """2-D shapes, a mode, a boundary and a fill value; kernels may exceed the input in same/full."""
    mode = draw(st.sampled_from(MODES))
    boundary = draw(st.sampled_from(BOUNDARIES))
    xs = (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    if mode == "valid":
        ks = tuple(draw(st.integers(1, n)) for n in xs)
    else:
        ks = (draw(st.integers(1, 8)), draw(st.integers(1, 8)))
    fill = draw(st.sampled_from((0, 0, -2, 3))) if boundary == "fill" else 0
    return xs, ks, mode, boundary, fill


@pytest.mark.parametrize("kind", ["float", "int"])
@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=boundary_case(), seed=SEED)
def test_boundary_matches_scipy_2d(op, kind, case, seed):
    xs, ks, mode, boundary, fill = case
    if kind == "float" and fill:
        fill = fill + 0.25  # a non-integer fill value for float data
    X, K = _values(seed, xs, kind), _values(seed + 1, ks, kind)
    got = sc.evaluate(_symbolic(op, xs, ks, mode, boundary=boundary, fillvalue=fill), x=X, k=K)
    ref = getattr(ss, op + "2d")(X, K, mode, boundary=boundary, fillvalue=fill)
    _check(got, ref, kind)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("mode", ["same", "full"])
@pytest.mark.parametrize("xs,ks", [((1, 1), (3, 3)), ((2, 3), (5, 4)), ((1, 2), (7, 6)), ((3, 2), (9, 10)),
                                   ((4, 4), (2, 2)), ((5, 4), (4, 3))])
def test_kernel_larger_than_input_and_even_kernels_2d(op, boundary, mode, xs, ks):
    """Kernels larger than the input (wrap/symm wrap or mirror more than once) and even kernels in 'same'."""
    X, K = _values(3, xs, "int"), _values(4, ks, "int")
    fill = 5 if boundary == "fill" else 0
    got = sc.evaluate(_symbolic(op, xs, ks, mode, boundary=boundary, fillvalue=fill), x=X, k=K)
    ref = getattr(ss, op + "2d")(X, K, mode, boundary=boundary, fillvalue=fill)
    _check(got, ref, "int")


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(data=st.data(), seed=SEED)
def test_boundary_with_stride_and_dilation_2d(op, data, seed):
    mode = data.draw(st.sampled_from(MODES))
    boundary = data.draw(st.sampled_from(BOUNDARIES))
    dilation, stride = per_axis_option(2, data.draw, st.integers(1, 2)), per_axis_option(2, data.draw)
    dil = (dilation,) * 2 if isinstance(dilation, int) else dilation
    ks = tuple(data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=2)))
    extent = [d * (k - 1) + 1 for k, d in zip(ks, dil)]
    xs = tuple(data.draw(st.integers(e if mode == "valid" else 1, e + 3)) for e in extent)
    fill = data.draw(st.sampled_from((0, 4))) if boundary == "fill" else 0
    X, K = _values(seed, xs, "int"), _values(seed + 1, ks, "int")
    got = sc.evaluate(_symbolic(op, xs, ks, mode, stride=stride, dilation=dilation, boundary=boundary,
                                fillvalue=fill), x=X, k=K)
    ref = getattr(ss, op + "2d")(X, _dilate(K, dilation), mode, boundary=boundary, fillvalue=fill)
    _check(got, _strided(ref, stride), "int")


# -- Toeplitz ------------------------------------------------------------------------------------
@SETTINGS
@given(case=signal_case(max_x=5, max_k=4), seed=SEED)
def test_toeplitz_times_vec_x_is_scipy_correlate(case, seed):
    xs, ks, mode = case
    X, K = _values(seed, xs, "int"), _values(seed + 1, ks, "int")
    T = np.asarray(sc.evaluate(sc.toeplitz(sc.tensor("k", ks), xs, mode=mode), k=K))
    ref = ss.correlate(X, K, mode, method="direct").ravel()
    assert T.shape == (ref.size, X.size)
    _check(T @ X.ravel(), ref, "int")


@SETTINGS
@given(data=st.data(), seed=SEED)
def test_toeplitz_with_stride_dilation_padding(data, seed):
    nd = data.draw(st.sampled_from((1, 2, 3)))
    mode = data.draw(st.sampled_from(MODES))
    stride, dilation = per_axis_option(nd, data.draw), per_axis_option(nd, data.draw, st.integers(1, 2))
    padding = per_axis_option(nd, data.draw, st.integers(0, 2))
    dil = (dilation,) * nd if isinstance(dilation, int) else dilation
    pad = (padding,) * nd if isinstance(padding, int) else padding
    ks = tuple(data.draw(st.lists(st.integers(1, 3), min_size=nd, max_size=nd)))
    xs = tuple(data.draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p) if mode == "valid" else 1, 5))
               for k, d, p in zip(ks, dil, pad))
    X, K = _values(seed, xs, "int"), _values(seed + 1, ks, "int")
    T = np.asarray(sc.evaluate(sc.toeplitz(sc.tensor("k", ks), xs, mode=mode, stride=stride, dilation=dilation,
                                           padding=padding), k=K))
    Xp = np.pad(X, [(p, p) for p in pad])
    ref = _strided(ss.correlate(Xp, _dilate(K, dilation), mode, method="direct"), stride).ravel()
    _check(T @ X.ravel(), ref, "int")


@SETTINGS
@given(xs=st.tuples(st.integers(1, 6), st.integers(1, 6)), ks=st.tuples(st.integers(1, 5), st.integers(1, 5)),
       seed=SEED)
def test_toeplitz_wrap_is_circular_correlate2d(xs, ks, seed):
    X, K = _values(seed, xs, "float"), _values(seed + 1, ks, "float")
    T = np.asarray(sc.evaluate(sc.toeplitz(sc.tensor("k", ks), xs, mode="wrap"), k=K))
    ref = ss.correlate2d(X, K, "same", boundary="wrap").ravel()
    assert T.shape == (X.size, X.size)
    assert_allclose(T @ X.ravel(), ref, **TOL)


# -- numeric (non-symbolic) inputs ---------------------------------------------------------------
@pytest.mark.parametrize("kind", ["int", "float"])
@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=signal_case(), seed=SEED)
def test_numeric_inputs_match_scipy(op, kind, case, seed):
    xs, ks, mode = case
    X, K = _values(seed, xs, kind), _values(seed + 1, ks, kind)
    got = sc.evaluate(getattr(sc, op)(X, K, mode))
    _check(got, _scipy(op, X, K, mode, kind), kind)


def test_numeric_inputs_nested_lists_match_scipy():
    A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    B = [[1, 0, 1], [0, 1, 0], [1, 0, 0]]
    for op in OPS:
        for mode in MODES:
            _check(sc.evaluate(getattr(sc, op)(A, B, mode)), _scipy(op, np.array(A), np.array(B), mode, "int"), "int")


# -- exact integers: large values ----------------------------------------------------------------
# SciPy's 1-D correlate/convolve (method="direct") accept dtype=object arrays of Python ints -- they
# hand them to numpy.correlate/convolve, exact and without overflow -- in modes 'valid' and 'full', and
# in 'same' when the kernel is not longer than the input (otherwise SciPy raises "Unsupported type"):
# the reference for "exact integers for integer inputs" beyond what int64 arithmetic holds.
@st.composite
def big_int_case(draw):
    mode = draw(st.sampled_from(MODES))
    nx = draw(st.integers(1, 10))
    nk = draw(st.integers(1, nx)) if mode in ("valid", "same") else draw(st.integers(1, 10))
    bits = draw(st.sampled_from((20, 30, 31, 31, 31, 40, 62)))
    positive = draw(st.booleans())  # all of one sign: the sums grow as large as the terms allow
    return nx, nk, mode, bits, positive


def _big_ints(seed, n, bits, positive):
    rng = np.random.default_rng(seed)
    values = rng.integers(2 ** (bits - 1), 2**bits, size=n, dtype=np.int64)
    return values if positive else values * rng.choice(np.array([-1, 1]), size=n)


#: limb width for the exact reference: limb products stay below 2**42, their sums far below int64
_LIMB = 21


def _exact_scipy(op, X, K, mode):
    """SciPy's own result on integers of any size, exactly: split each input into 21-bit limbs (floor division,
    so a negative value has limbs of mixed sign, each below 2**21 in size), run SciPy on every pair of limbs in
    int64 -- where nothing can overflow -- and recombine with Python ints.  (SciPy's object-dtype path, the
    obvious reference, is deprecated and goes away in a coming SciPy.)"""
    def limbs(a):
        vals, out = [int(v) for v in a], []
        for _ in range(64 // _LIMB + 2):
            out.append(np.array([v % 2**_LIMB for v in vals], dtype=np.int64))
            vals = [v // 2**_LIMB for v in vals]
        assert all(v in (0, -1) for v in vals)
        out.append(np.array(vals, dtype=np.int64))  # the sign limb (0 or -1)
        return out
    total = None
    for i, xi in enumerate(limbs(X)):
        for j, kj in enumerate(limbs(K)):
            part = [int(v) * 2 ** (_LIMB * (i + j)) for v in getattr(ss, op)(xi, kj, mode, method="direct")]
            total = part if total is None else [a + b for a, b in zip(total, part)]
    return total


def test_exact_scipy_reference_by_hand():
    # 2^62 * 3 + (-(2^62)) * 1, and a product beyond int64, worked out by hand
    X, K = np.array([2**62, -(2**62)]), np.array([3, 1])
    assert _exact_scipy("correlate", X, K, "valid") == [2**62 * 3 - 2**62]
    assert _exact_scipy("convolve", np.array([2**40]), np.array([-(2**40)]), "full") == [-(2**80)]


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=big_int_case(), seed=SEED)
def test_symbolic_evaluated_with_large_ints_is_exact(op, case, seed):
    nx, nk, mode, bits, positive = case
    X, K = _big_ints(seed, nx, bits, positive), _big_ints(seed + 1, nk, bits, positive)
    got = sc.evaluate(_symbolic(op, (nx,), (nk,), mode), x=X, k=K)
    ref = _exact_scipy(op, X, K, mode)
    assert [int(v) for v in got] == [int(v) for v in ref]


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=big_int_case(), seed=SEED)
def test_numeric_large_ints_are_exact(op, case, seed):
    """Numeric int64 inputs whose exact result exceeds int64 must not wrap around."""
    nx, nk, mode, bits, positive = case
    X, K = _big_ints(seed, nx, bits, positive), _big_ints(seed + 1, nk, bits, positive)
    got = sc.evaluate(getattr(sc, op)(X, K, mode))
    ref = _exact_scipy(op, X, K, mode)
    assert [int(v) for v in got] == [int(v) for v in ref]


def test_numeric_ints_sum_beyond_int64_regression():
    """Minimal case: each product fits in int64, their sum does not."""
    X, K = np.array([2**61, 2**61, 2**61, 2**61]), np.array([1, 1, 1, 1])
    assert _exact_scipy("correlate", X, K, "valid") == [2**63]
    assert [int(v) for v in sc.evaluate(sc.correlate(X, K))] == [2**63]


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("bits", [4, 20, 33])
@pytest.mark.parametrize("mode", ["same", "full"])
def test_int_values_with_float_fillvalue(op, bits, mode):
    """Integer data with a non-integer fill value: the float SciPy result (SciPy's int path would
    truncate the fill value to an int, so the data are given to SciPy as floats)."""
    rng = np.random.default_rng(bits)
    X, K = rng.integers(-(2**bits), 2**bits, (3, 4)), rng.integers(-(2**bits), 2**bits, (2, 3))
    got = sc.evaluate(_symbolic(op, X.shape, K.shape, mode, boundary="fill", fillvalue=0.5), x=X, k=K)
    ref = getattr(ss, op + "2d")(X.astype(float), K.astype(float), mode, boundary="fill", fillvalue=0.5)
    assert_allclose(np.asarray(got, dtype=float), ref, rtol=1e-10, atol=1e-10)
