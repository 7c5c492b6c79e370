"""Issue 10: exact parity and no silent wrong answer, outside the ranges the other tests draw from.

One regression test per item of the issue (named after it), then hypothesis classes that cover the
whole class of each defect: kernels larger than the input on every axis, size-0 and size-1 axes,
integers at and beyond +-2**63 in every NumPy integer dtype, complex data, floats of every width
and exact rationals.  The oracles are independent of symconv: SciPy (its direct method also runs on
``dtype=object`` arrays, so Python integers and Fractions are compared exactly), PyTorch for layers,
and values worked out by hand.
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import scipy.signal as ss
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.errors import InvalidArgumentError, NotPolynomialError, ShapeError, SymconvError

from .conftest import WorkBeforeRefusal, before_any_table

OPS = ("correlate", "convolve")
MODES = ("valid", "same", "full")
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def numbers(y) -> np.ndarray:
    return np.asarray(sc.evaluate(y))


def _digits(a: np.ndarray, base: int, count: int):
    """Integers `a` (object array) as ``sum_i digit_i * base**i`` with ``0 <= digit_i < base`` but the last."""
    rest, out = a.copy(), []
    for _ in range(count - 1):
        out.append(np.vectorize(lambda v: v % base, otypes=[object])(rest).astype(np.int64))
        rest = np.vectorize(lambda v: v // base, otypes=[object])(rest)
    out.append(rest.astype(np.int64))
    return out


def exact_scipy(op, x, k, mode):
    """SciPy's direct method made exact for any Python integers and Fractions (independent of symconv).

    Correlation is bilinear, so with x = sum_i x_i B^i and k = sum_j k_j B^j (digits x_i, k_j < B = 2^20)
    the result is sum_ij B^(i+j) op(x_i, k_j), each op computed by SciPy in int64 without overflow.
    Fractions are first scaled to integers by the common denominator.
    """
    x, k = np.asarray(x, dtype=object), np.asarray(k, dtype=object)
    scale_x = int(np.lcm.reduce([Fraction(v).denominator for v in x.reshape(-1)]))
    scale_k = int(np.lcm.reduce([Fraction(v).denominator for v in k.reshape(-1)]))
    xi = np.vectorize(lambda v: int(Fraction(v) * scale_x), otypes=[object])(x)
    ki = np.vectorize(lambda v: int(Fraction(v) * scale_k), otypes=[object])(k)
    base, count = 2**20, 5  # |values| < 2**99
    total = None
    for i, xd in enumerate(_digits(xi, base, count)):
        for j, kd in enumerate(_digits(ki, base, count)):
            part = getattr(ss, op)(xd, kd, mode, method="direct").astype(object) * base ** (i + j)
            total = part if total is None else total + part
    if scale_x * scale_k == 1:
        return total
    return np.vectorize(lambda v: Fraction(v, scale_x * scale_k), otypes=[object])(total)


# -------------------------------------------------------------------------------------------------
# 1. the larger input second in 'valid' mode: swapped as SciPy does (gh-5897)
# -------------------------------------------------------------------------------------------------
def test_issue_10_1_larger_input_second_in_valid_mode():
    # the issue's numbers, checked by hand: [1,2] against the windows of [0,1,2,3] read backwards
    assert sc.correlate([1, 2], [0, 1, 2, 3], "valid").tolist() == [8, 5, 2]
    assert sc.convolve([1, 2, 3, 6, 5, 3], [2, 3, 4, 5, 3, 4, 2, 2, 1], "valid").tolist() == [70, 78, 73, 65]
    assert ss.correlate([1, 2], [0, 1, 2, 3], "valid").tolist() == [8, 5, 2]


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("xs,ks", [((2,), (5,)), ((3,), (3,)), ((2, 3), (4, 3)), ((1, 2), (3, 5)),
                                   ((2, 1, 2), (3, 2, 2)), ((1,), (4,))])
def test_issue_10_1_symbolic_swap_matches_scipy(op, xs, ks):
    rng = np.random.default_rng(sum(xs) + 7 * sum(ks))
    X, K = rng.integers(-9, 10, xs), rng.integers(-9, 10, ks)
    y = getattr(sc, op)(sc.tensor("x", xs), sc.tensor("k", ks), "valid")
    assert np.array_equal(sc.evaluate(y, x=X, k=K), getattr(ss, op)(X, K, "valid", method="direct"))


@pytest.mark.parametrize("op", OPS)
def test_issue_10_1_swap_with_stride_and_dilation(op):
    # dilation is zero insertion, stride keeps y[s*n]: both commute with SciPy's swap
    x, k = np.array([3, -1, 4]), np.array([1, 5, -9, 2])
    dilated = np.zeros(7, dtype=int)
    dilated[::2] = k
    want = getattr(ss, op)(x, dilated, "valid", method="direct")[::2]
    assert np.array_equal(numbers(getattr(sc, op)(x, k, "valid", dilation=2, stride=2)), want)


@pytest.mark.parametrize("op", OPS)
def test_issue_10_1_neither_dominates_is_refused(op):
    with pytest.raises(ShapeError, match="at least as large"):
        getattr(sc, op)(np.ones((2, 5)), np.ones((3, 3)), "valid")
    with pytest.raises(ValueError):
        getattr(ss, op)(np.ones((2, 5)), np.ones((3, 3)), "valid")


def test_issue_10_1_toeplitz_follows_the_swap():
    x, k = sc.tensor("x", (2, 2)), sc.tensor("k", (3, 3))
    T = sc.toeplitz(k, (2, 2))
    assert T.shape == (4, 4)
    assert sc.equivalent(sc.matmul(T, x.reshape(4)), sc.correlate(x, k).reshape(4))


# -------------------------------------------------------------------------------------------------
# 2. size-0 axes: refused for the signal operations, a zero batch kept for layers (PyTorch)
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("x,k,culprit", [([5, 6], [], "k"), ([], [], "x"), ([], [7], "x"),
                                         (np.zeros((2, 0)), np.ones((1, 1)), "x"), (np.ones((2, 2)), np.zeros((0, 2)), "k")])
def test_issue_10_2_empty_inputs_are_refused(op, mode, x, k, culprit):
    with pytest.raises(ShapeError, match=rf"^{culprit} has shape"):
        getattr(sc, op)(np.asarray(x), np.asarray(k), mode)


@pytest.mark.parametrize("x_shape,w_shape,groups,want", [
    ((0, 4, 10), (5, 4, 3), 1, (0, 5, 8)),          # the issue's example; PyTorch gives (0, 5, 8)
    ((0, 4, 10), (6, 2, 3), 2, (0, 6, 8)),          # grouped
    ((0, 2, 5, 5), (3, 2, 3, 3), 1, (0, 3, 3, 3)),  # 2-D
])
def test_issue_10_2_zero_batch_conv(x_shape, w_shape, groups, want):
    y = sc.conv(np.zeros(x_shape), np.ones(w_shape), groups=groups, bias=np.ones(w_shape[0]))
    assert y.shape == want and y.tolist() == [] and sc.evaluate(y).shape == want


def test_issue_10_2_zero_batch_conv_transpose():
    y = sc.conv_transpose(np.zeros((0, 4, 10)), np.ones((4, 5, 3)))
    assert y.shape == (0, 5, 12)
    assert sc.conv_transpose(np.zeros((0, 4, 6)), np.ones((4, 1, 3)), groups=2, stride=2).shape == (0, 2, 13)


def test_issue_10_2_zero_batch_matches_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    got = sc.conv(np.zeros((0, 4, 10)), np.ones((5, 4, 3)), stride=2, padding=1).shape
    assert got == tuple(F.conv1d(torch.zeros(0, 4, 10), torch.ones(5, 4, 3), stride=2, padding=1).shape)
    got = sc.conv_transpose(np.zeros((0, 4, 6)), np.ones((4, 1, 3)), groups=2, stride=2).shape
    assert got == tuple(F.conv_transpose1d(torch.zeros(0, 4, 6), torch.ones(4, 1, 3), groups=2, stride=2).shape)


@pytest.mark.parametrize("call,culprit", [
    (lambda: sc.conv(np.zeros((2, 0, 10)), np.ones((5, 0, 3))), "[xw]"),
    (lambda: sc.conv(np.zeros((2, 4, 10)), np.ones((0, 4, 3))), "w"),
    (lambda: sc.conv(np.zeros((2, 4, 0)), np.ones((5, 4, 3))), "x"),
    (lambda: sc.conv(np.zeros((4, 10)), np.ones((5, 4, 0))), "w"),
    (lambda: sc.conv_transpose(np.zeros((2, 4, 10)), np.ones((4, 0, 3))), "w"),
])
def test_issue_10_2_empty_channels_and_kernels_are_refused(call, culprit):
    with pytest.raises(ShapeError, match=rf"^{culprit} has shape"):
        call()


# -------------------------------------------------------------------------------------------------
# 3. INT64_MIN and beyond: exact for every Python integer
# -------------------------------------------------------------------------------------------------
def test_issue_10_3_int64_min():
    assert sc.correlate([-2**63], [2]).tolist() == [-2**64]
    assert sc.correlate([-2**63], [-1]).tolist() == [2**63]
    x = sc.tensor("x", (1,))
    assert sc.evaluate(3 * x[0], x=[-2**63]) == -3 * 2**63
    assert sc.evaluate(sc.correlate(x, [3]), x=np.array([-2**63]))[0] == -3 * 2**63


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64])
def test_issue_10_3_every_integer_dtype_is_read_exactly(dtype):
    info = np.iinfo(dtype)
    x = np.array([info.min, info.max, 1], dtype=dtype)
    k = np.array([info.max, info.min or 2], dtype=dtype)
    want = exact_scipy("correlate", [int(v) for v in x], [int(v) for v in k], "full")
    assert sc.correlate(x, k, "full").tolist() == want.tolist()
    t = sc.tensor("t", (3,))
    assert sc.evaluate(sc.hadamard_sum(t, t), t=x) == sum(int(v) ** 2 for v in x)


# -------------------------------------------------------------------------------------------------
# 4. complex data: SciPy's semantics (correlate conjugates its second input) or a clear refusal
# -------------------------------------------------------------------------------------------------
def test_issue_10_4_correlate_conjugates_the_kernel():
    assert complex(sc.correlate([[1]], [[2j]], "full")[0, 0]) == -2j
    assert np.allclose(numbers(sc.correlate([[1]], [[2j]], "full")), ss.correlate([[1]], [[2j]], "full"))
    assert np.allclose(numbers(sc.convolve([[1]], [[2j]], "full")), ss.convolve([[1]], [[2j]], "full"))
    x = np.array([1 + 2j, 3 - 1j, -2j]), np.array([2 - 1j, 1j])
    for op in OPS:
        for mode in MODES:
            assert np.allclose(numbers(getattr(sc, op)(*x, mode)), getattr(ss, op)(*x, mode))


def test_issue_10_4_symbolic_input_with_a_complex_kernel():
    x = sc.tensor("x", (3,))
    y = sc.correlate(x, [2j, 1])
    assert np.allclose(sc.evaluate(y, x=[1, 2, 3]), ss.correlate([1, 2, 3], [2j, 1], "valid"))


def test_issue_10_4_a_complex_symbolic_kernel_is_refused():
    with pytest.raises(InvalidArgumentError, match="conjugat"):
        sc.correlate(sc.tensor("x", (3,)), sc.tensor("k", (2,), real=False))
    sc.convolve(sc.tensor("x", (3,)), sc.tensor("k", (2,), real=False))  # no conjugate needed


def test_issue_10_4_complex_values_for_real_symbols_are_refused():
    x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    with pytest.raises(InvalidArgumentError, match="real"):
        sc.evaluate(sc.correlate(x, k), x=[1, 2, 3], k=[1j, 1])
    z = sc.tensor("z", (2,), real=False)
    assert np.allclose(sc.evaluate(sc.convolve(x, z), x=[1, 2, 3], z=[1j, 1]), ss.convolve([1, 2, 3], [1j, 1], "valid"))


def test_issue_10_4_complex_fillvalue():
    with pytest.raises(InvalidArgumentError, match="fillvalue"):
        sc.correlate([[1, 2]], [[1, 2]], "full", fillvalue=1j)
    with pytest.raises(ValueError):
        ss.correlate2d([[1, 2]], [[1, 2]], "full", fillvalue=1j)
    got = numbers(sc.correlate(np.array([[1 + 0j, 2]]), [[1, 2]], "full", boundary="fill", fillvalue=1 + 2j))
    assert np.allclose(got, ss.correlate2d(np.array([[1 + 0j, 2]]), [[1, 2]], "full", "fill", 1 + 2j))


# -------------------------------------------------------------------------------------------------
# 5. non-polynomial input to equivalent: refused, naming the subexpression
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("expr,culprit", [
    (sympy.sin(sympy.Symbol("a")) ** 2 + sympy.cos(sympy.Symbol("a")) ** 2, r"(sin|cos)\(a\),"),
    (sympy.IndexedBase("x")[0] / (sympy.IndexedBase("x")[0] + sympy.IndexedBase("x")[1]), r"1/\(x\[0\] \+ x\[1\]\)"),
    (sympy.sqrt(sympy.Symbol("a")), r"sqrt\(a\)"),
    (sympy.Symbol("a") ** -2, r"a\*\*\(-2\)"),
])
def test_issue_10_5_non_polynomial_input_is_refused(expr, culprit):
    with pytest.raises(NotPolynomialError, match=culprit):
        sc.equivalent(expr, 1)


def test_issue_10_5_evaluate_still_substitutes_into_any_expression():
    X = sympy.IndexedBase("x")
    assert sc.evaluate(sympy.sin(X[0]) + 1, x=[0]) == 1


# -------------------------------------------------------------------------------------------------
# 6. verdicts are always explainable
# -------------------------------------------------------------------------------------------------
def test_issue_10_6_rational_and_float_differ_with_a_witness():
    v = sc.equivalent(sympy.Rational(1, 3), sympy.Float(1 / 3))
    assert not v
    (index, diff), = v.mismatches
    assert index == () and diff == sympy.Rational(1, 3) - sympy.Rational(Fraction(1 / 3))
    assert "differ" in repr(v) and v.counterexample.a_value != v.counterexample.b_value


def test_issue_10_6_a_plain_indexedbase_is_the_same_tensor():
    X = sympy.IndexedBase("x")
    mine = sympy.Array([[X[i, j] for j in range(3)] for i in range(3)])
    x = sc.tensor("x", (3, 3))
    assert sc.equivalent(mine, x)
    k = sc.tensor("k", (2, 2))
    loops = sympy.Array([[sum(X[i + u, j + v] * k[u, v] for u in range(2) for v in range(2)) for j in range(2)]
                         for i in range(2)])
    assert sc.equivalent(loops, sc.correlate(x, k))


def test_issue_10_6_a_verdict_never_shows_two_equal_looking_keys():
    X = sympy.IndexedBase("x")
    v = sc.equivalent(sympy.Array([X[0, 0] + X[0, 1]]), sc.tensor("x", (1, 2)).reshape(2)[:1] * 2)
    keys = [str(s) for s in v.counterexample]
    assert len(keys) == len(set(keys))


# -------------------------------------------------------------------------------------------------
# 7. comparisons from the other side
# -------------------------------------------------------------------------------------------------
def test_issue_10_7_comparisons_from_either_side():
    x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
    y = sc.correlate(x, k)
    assert sympy.Array(y) == y and y == sympy.Array(y)
    assert (np.array(y.tolist(), dtype=object) == y) is True
    assert (sympy.Array(y) != sc.convolve(x, k)) and not (np.array(y.tolist(), dtype=object) == sc.convolve(x, k))


def test_issue_10_7_plugin_never_contradicts_the_failed_assertion():
    from symconv.pytest_plugin import pytest_assertrepr_compare

    y = sc.correlate(sc.tensor("x", (3,)), sc.tensor("k", (2,)))
    lines = pytest_assertrepr_compare(None, "==", sympy.Array(y.tolist()), y)
    assert not any("are equivalent" in line for line in lines) and "not by symconv" in " ".join(lines)
    lines = pytest_assertrepr_compare(None, "==", y, sc.convolve(sc.tensor("x", (3,)), sc.tensor("k", (2,))))
    assert lines[0] == "symconv arrays differ"


# -------------------------------------------------------------------------------------------------
# 8. every form takes every rank the operations take
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("xs,ks", [((5,), (2,)), ((4, 4, 4), (2, 2, 2)), ((3, 4, 3, 3), (2, 1, 2, 2))])
def test_issue_10_8_forms_of_every_rank(xs, ks):
    x, k = sc.tensor("x", xs), sc.tensor("k", ks)
    y = sc.correlate(x, k)
    assert sc.equivalent(sc.im2col_matmul(x, k), y)
    T = sc.toeplitz(k, xs)
    assert sc.equivalent(sc.matmul(T, x.reshape(-1)), y.reshape(-1))
    fields = sc.windows(x, ks)
    first = fields[(0,) * len(xs)]
    assert sc.equivalent(sc.hadamard_sum(first, k), y[(0,) * len(xs)])


# -------------------------------------------------------------------------------------------------
# 9. evaluate refuses names the expression does not have
# -------------------------------------------------------------------------------------------------
def test_issue_10_9_evaluate_unknown_name():
    y = sc.correlate(sc.tensor("x", (3,)), sc.tensor("k", (2,)))
    with pytest.raises(InvalidArgumentError, match=r"'q'.*k, x"):
        sc.evaluate(y, q=[1], x=[1, 2, 3], k=[1, 1])


# -------------------------------------------------------------------------------------------------
# 10. refusals are asserted as behaviour (before any table), never as seconds
# -------------------------------------------------------------------------------------------------
def test_issue_10_10_the_up_front_check_can_fail():
    x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    with pytest.raises(WorkBeforeRefusal), before_any_table():
        sc.correlate(x, k)
    with before_any_table(), pytest.raises(sc.TooLargeError):
        sc.correlate(sc.tensor("x", (10**5,)), sc.tensor("k", (10**5,)), "full")


# -------------------------------------------------------------------------------------------------
# 11. the command line: a closed pipe is not an error; -o FILE.pdf writes a PDF or is refused
# -------------------------------------------------------------------------------------------------
def test_issue_10_11_broken_pipe_is_quiet():
    p = subprocess.Popen([sys.executable, "-m", "symconv", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # the reader is gone before symconv writes
    err = p.stderr.read()
    p.stderr.close()
    assert p.wait() == 0 and err == b""


def test_issue_10_11_output_suffix(tmp_path):
    from symconv.cli import main

    assert main(["derive", "hadamard-sum-is-flattened-dot", "-o", str(tmp_path / "notes.txt")]) == 2
    assert not (tmp_path / "notes.txt").exists()
    if not __import__("shutil").which("pdflatex"):
        pytest.fail("pdflatex is needed for this test (.ci/run installs texlive)")
    assert main(["derive", "hadamard-sum-is-flattened-dot", "-o", str(tmp_path / "notes.pdf")]) == 0
    assert (tmp_path / "notes.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "notes.tex").read_text().startswith("\\documentclass")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.pdf", "notes.tex"]  # no .aux/.log left


# -------------------------------------------------------------------------------------------------
# 12. bad input never escapes as a foreign exception
# -------------------------------------------------------------------------------------------------
M = np.matrix([[1, 2, 0], [3, 4, 1], [0, 1, 2]])
I2 = np.matrix([[1, 0], [0, 1]])
CALLS = {
    "correlate": lambda m, i: sc.correlate(m, i),
    "convolve": lambda m, i: sc.convolve(m, i, "full"),
    "hadamard_sum": lambda m, i: sc.hadamard_sum(m, m),
    "dot_flat": lambda m, i: sc.dot_flat(m, m),
    "matmul": lambda m, i: sc.matmul(m, m),
    "windows": lambda m, i: sc.windows(m, (2, 2)),
    "im2col": lambda m, i: sc.im2col(m, (2, 2)),
    "im2col_matmul": lambda m, i: sc.im2col_matmul(m, i),
    "toeplitz": lambda m, i: sc.toeplitz(i, (3, 3)),
    "flip": lambda m, i: sc.flip(m),
    "equivalent": lambda m, i: sc.equivalent(m, m),
}


@pytest.mark.parametrize("name", CALLS)
def test_issue_10_12_np_matrix_is_a_2d_array(name):
    got = CALLS[name](M, I2)
    want = CALLS[name](np.asarray(M), np.asarray(I2))
    assert bool(got) if name == "equivalent" else got == want


@pytest.mark.parametrize("option", ["stride", "dilation", "padding"])
@pytest.mark.parametrize("value", [2**40, 2**63, 10**30])
def test_issue_10_12_huge_options(option, value):
    x = sc.tensor("x", (1, 5))
    w = sc.tensor("w", (1, 1, 3))
    try:
        y = sc.conv(x, w, **{option: value})
    except SymconvError:
        return  # refused: an empty output or too many terms
    if option == "stride":  # a stride beyond the input keeps only the first output
        assert y == sc.conv(x, w)[:, :1]
    else:
        pytest.fail(f"{option}={value} should be refused")


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", [{"stride": 10**30}, {"dilation": 10**30}, {"stride": 2**63, "dilation": 2**63}])
def test_issue_10_12_huge_stride_and_dilation_in_signal_ops(op, mode, kw):
    x, k = sc.tensor("x", (5,)), sc.tensor("k", (3,))
    try:
        y = getattr(sc, op)(x, k, mode, **kw)
    except SymconvError:
        return
    assert "dilation" in kw or y.shape == (1,)
    if "dilation" in kw and mode == "same":  # every tap but the centre falls outside: x[n] * k[centre]
        assert y.shape == (5,) if "stride" not in kw else (1,)


def test_issue_10_12_forms_with_huge_stride():
    x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    assert sc.windows(x, (3, 3), stride=2**64).shape == (1, 1, 3, 3)
    assert sc.toeplitz(k, (5, 5), stride=2**64).shape == (1, 25)
    with pytest.raises(ShapeError):
        sc.im2col(x, (3, 3), dilation=2**64)


@pytest.mark.parametrize("call,cls", [
    (lambda: sc.evaluate(sc.tensor("x", (2,)), x=[[1, 2], [3]]), ShapeError),
    (lambda: sc.set_limits(max_terms="abc"), TypeError),
    (lambda: sc.set_limits(max_terms=1.7), TypeError),
    (lambda: sc.set_limits(max_terms=-1), ValueError),
    (lambda: sc.set_limits(None), TypeError),
    (lambda: sc.set_limits(foo=1), TypeError),
    (lambda: sc.probe(np.convolve, (3,), (2,), seed="a"), TypeError),
    (lambda: sc.derive("correlation-is-im2col-matmul").at(H="a", W=5, k_h=3, k_w=3), ValueError),
    (lambda: sc.derive("correlation-is-im2col-matmul").at(H=10**6, W=5, k_h=3, k_w=3), ValueError),
    (lambda: sc.derive("correlation-is-im2col-matmul").at(H=-1, W=5, k_h=3, k_w=3), ValueError),
    (lambda: sc.derive("correlation-is-im2col-matmul").verify(samples=-1), ValueError),
])
def test_issue_10_12_foreign_exceptions(call, cls):
    with pytest.raises(SymconvError) as info:
        call()
    assert isinstance(info.value, cls)


# -------------------------------------------------------------------------------------------------
# the classes, by hypothesis: exact against SciPy on Python integers and Fractions
# -------------------------------------------------------------------------------------------------
EXTREME = st.sampled_from([0, 1, -1, 2**62, -2**62, 2**63 - 1, -2**63, 2**63, 2**64 + 1, -2**70, 3**50])
WIDE_INTS = st.one_of(st.integers(-9, 9), EXTREME)


@st.composite
def shapes(draw):
    """(x_shape, k_shape, mode): size-1 axes, kernels larger than the input on every axis ('valid' too)."""
    nd = draw(st.integers(1, 3))
    mode = draw(st.sampled_from(MODES))
    xs = tuple(draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd)))
    relation = draw(st.sampled_from(["smaller", "larger", "any"]))
    if mode == "valid" and relation == "any":
        relation = "smaller"
    if relation == "smaller":
        ks = tuple(draw(st.integers(1, n)) for n in xs)
    elif relation == "larger":
        ks = tuple(draw(st.integers(n, n + 2)) for n in xs)
    else:
        ks = tuple(draw(st.lists(st.integers(1, 5), min_size=nd, max_size=nd)))
    return xs, ks, mode


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=shapes(), data=st.data())
def test_class_extreme_integers_exact(op, case, data):
    xs, ks, mode = case
    x = np.array(data.draw(st.lists(WIDE_INTS, min_size=int(np.prod(xs)), max_size=int(np.prod(xs)))),
                 dtype=object).reshape(xs)
    k = np.array(data.draw(st.lists(WIDE_INTS, min_size=int(np.prod(ks)), max_size=int(np.prod(ks)))),
                 dtype=object).reshape(ks)
    want = exact_scipy(op, x, k, mode)
    assert np.asarray(getattr(sc, op)(x, k, mode).tolist(), dtype=object).tolist() == want.tolist()
    got = sc.evaluate(getattr(sc, op)(sc.tensor("x", xs), sc.tensor("k", ks), mode), x=x, k=k)
    assert [int(v) for v in np.asarray(got).reshape(-1)] == [int(v) for v in want.reshape(-1)]


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=shapes(), data=st.data())
def test_class_rationals_exact(op, case, data):
    xs, ks, mode = case
    fractions = st.builds(Fraction, st.integers(-20, 20), st.integers(1, 12))
    x = np.array(data.draw(st.lists(fractions, min_size=int(np.prod(xs)), max_size=int(np.prod(xs)))),
                 dtype=object).reshape(xs)
    k = np.array(data.draw(st.lists(fractions, min_size=int(np.prod(ks)), max_size=int(np.prod(ks)))),
                 dtype=object).reshape(ks)
    want = exact_scipy(op, x, k, mode)
    got = getattr(sc, op)(sympy.Array(x.tolist()) if xs else x, k, mode).tolist()
    assert np.asarray(got, dtype=object).reshape(-1).tolist() == [sympy.Rational(v) for v in want.reshape(-1)]


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64, np.complex128])
@SETTINGS
@given(case=shapes(), seed=st.integers(0, 2**32 - 1))
def test_class_floats_and_complex_of_every_width(op, dtype, case, seed):
    xs, ks, mode = case
    rng = np.random.default_rng(seed)
    x, k = rng.standard_normal(xs).astype(dtype), rng.standard_normal(ks).astype(dtype)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(xs).astype(dtype)
        k = k + 1j * rng.standard_normal(ks).astype(dtype)
    # the reference: SciPy on the same values widened to 128-bit complex / float64 (exact widening)
    wide = np.complex128 if np.dtype(dtype).kind == "c" else np.float64
    want = getattr(ss, op)(x.astype(wide), k.astype(wide), mode, method="direct")
    assert np.allclose(numbers(getattr(sc, op)(x, k, mode)), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op", OPS)
@SETTINGS
@given(case=shapes(), seed=st.integers(0, 2**32 - 1))
def test_class_size_one_axes_and_larger_kernels_symbolic(op, case, seed):
    xs, ks, mode = case
    rng = np.random.default_rng(seed)
    X, K = rng.integers(-9, 10, xs), rng.integers(-9, 10, ks)
    got = sc.evaluate(getattr(sc, op)(sc.tensor("x", xs), sc.tensor("k", ks), mode), x=X, k=K)
    assert np.array_equal(got, getattr(ss, op)(X, K, mode, method="direct"))


@pytest.mark.parametrize("op", OPS)
def test_issue_10_1_swapped_valid_reads_no_fillvalue(op):
    # found by tests/test_fuzz_parity.py: 'valid' with the larger input second is SciPy's swap, which pads
    # nothing, so a fillvalue must not enter (it did: [[-1, -7]] for SciPy's [[0, -7]])
    x, k = np.array([[3]]), np.array([[2, 5]])
    fn = ss.correlate2d if op == "correlate" else ss.convolve2d
    for fill in (1, -4):
        got = numbers(getattr(sc, op)(x, k, "valid", boundary="fill", fillvalue=fill))
        assert np.array_equal(got, fn(x, k, "valid", "fill", fill))


def test_issue_10_8_a_batch_is_never_read_as_a_4d_correlation():
    # found while documenting: (N, C, H, W) with (C_out, C, kh, kw) silently gave a 4-D correlation
    x, w = sc.tensor("x", (2, 3, 4, 4)), sc.tensor("w", (2, 3, 2, 2))
    with pytest.raises(ShapeError, match="one sample"):
        sc.im2col_matmul(x, w)
    assert sc.equivalent(sc.im2col_matmul(x, w, channels=False), sc.correlate(x, w))
    assert sc.equivalent(sc.im2col_matmul(x[0], w), sc.conv(x, w)[0])
