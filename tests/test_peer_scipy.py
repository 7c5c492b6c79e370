"""SciPy's own tests of correlate / convolve / correlate2d / convolve2d, ported to symconv.

Source: ``scipy/signal/tests/test_signaltools.py`` as installed with SciPy (written against
SciPy 1.17.1).  Every case names the SciPy test it comes from (``Class.method``).  The numbers
SciPy writes by hand in those tests are facts about what the operations compute; each case here
restates them and checks

(a) that symconv's result, turned into numbers, equals SciPy's hand-written expected value, and,
    where cheap,
(b) that it equals what ``scipy.signal`` returns for the same input at runtime (the direct method,
    so that integer results are exact).

symconv's ``correlate``/``convolve`` follow ``scipy.signal.correlate``/``convolve`` (any rank) when
neither ``boundary`` nor a nonzero ``fillvalue`` is given, and ``scipy.signal.correlate2d``/
``convolve2d`` (2-D only) when one of them is.  SciPy's default mode is ``"full"`` and symconv's is
``"valid"``, so every call here passes the mode explicitly.

A few cases at the end are not in SciPy's suite: they pin down SciPy behaviour observed at runtime
that the ported cases rely on (complex ``fillvalue``; correlate2d's unconjugated swap in 'valid'
mode; the centring of even kernels in 'same' mode).  They are marked "not in SciPy's suite".
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss
from numpy.testing import assert_allclose

import symconv as sc
from symconv.errors import ShapeError, SymconvError

MODES = ("full", "same", "valid")
OPS = ("correlate", "convolve")
RTOL = 1e-12


# -------------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------------
def _is_2d_call(opts) -> bool:
    return opts.get("boundary") is not None or opts.get("fillvalue", 0) != 0


def scipy_result(op, x, k, mode, **opts):
    """What SciPy returns for the same call: correlate2d/convolve2d when a boundary or a nonzero
    fillvalue is given, else correlate/convolve with the direct method (exact for integers)."""
    if _is_2d_call(opts):
        fn = ss.correlate2d if op == "correlate" else ss.convolve2d
        return np.asarray(fn(x, k, mode, opts.get("boundary") or "fill", opts.get("fillvalue", 0)))
    return np.asarray(getattr(ss, op)(x, k, mode, method="direct"))


def symconv_numbers(op, x, k, mode, **opts) -> np.ndarray:
    """symconv's result for numeric inputs, as a NumPy array (via ``sc.evaluate`` with no values)."""
    return np.asarray(sc.evaluate(getattr(sc, op)(x, k, mode, **opts)))


def assert_numbers(got, expected, what="symconv"):
    """`got` equals `expected`: exactly for integer expectations, to rtol=1e-12 otherwise; and `got`
    is a numeric array (exact integers for integer expectations).  Values are checked first, so that
    a wrong number is reported before a wrong dtype."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"{what}: shape {got.shape}, expected {expected.shape}"
    if expected.dtype.kind in "iub":
        assert np.array_equal(got, expected), f"{what}: got\n{got!r}\nexpected\n{expected!r}"
        assert got.dtype.kind in "iu", f"{what}: integer inputs gave dtype {got.dtype}; expected exact integers"
    else:
        try:
            values = got.astype(expected.dtype)
        except (TypeError, ValueError) as err:
            raise AssertionError(f"{what}: {got!r} does not convert to {expected.dtype}: {err}") from None
        scale = float(np.max(np.abs(expected), initial=1.0))
        assert_allclose(values, expected, rtol=RTOL, atol=RTOL * scale, err_msg=what)
        assert got.dtype.kind in "iufc", f"{what}: values right, but dtype {got.dtype}; expected a numeric array"


def _names(message: str, arg: str) -> bool:
    return re.search(rf"(?<![A-Za-z_]){arg}(?![A-Za-z_])", message) is not None


def raises_value_error(call):
    """`call()` raises a SymconvError that is also a ValueError (what SciPy raises); returns it."""
    with pytest.raises(ValueError) as info:
        call()
    assert isinstance(info.value, SymconvError), (
        f"{type(info.value).__module__}.{type(info.value).__name__} is not a SymconvError: {info.value}")
    return info.value


# -------------------------------------------------------------------------------------------------
# the hand-written cases
# -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    source: str          # the SciPy test (Class.method) the numbers come from
    op: str              # "correlate" or "convolve"
    x: object
    k: object
    mode: str
    expected: object     # SciPy's hand-written expected value
    opts: dict = field(default_factory=dict)
    tag: str = ""

    @property
    def id(self):
        parts = [self.source, self.op, self.mode] + [f"{k}={v}" for k, v in self.opts.items()]
        return "-".join(parts + ([self.tag] if self.tag else []))


def _a(values, dtype=None):
    return np.array(values, dtype=dtype)


# TestConvolve.test_2d_arrays / TestConvolve2d.test_2d_arrays share these two inputs and the
# result; TestConvolve2d.test_fillvalue / test_wrap_boundary / test_sym_boundary use the inputs.
A23 = _a([[1, 2, 3], [3, 4, 5]])
B23 = _a([[2, 3, 4], [4, 5, 6]])
A23_CONV_B23 = _a([[2, 7, 16, 17, 12], [10, 30, 62, 58, 38], [12, 31, 58, 49, 30]])

# TestConvolve2d.test_valid_mode / test_valid_mode_complx / test_same_mode / test_valid_mode2
E27 = _a([[2, 3, 4, 5, 6, 7, 8], [4, 5, 6, 7, 8, 9, 10]])
F23 = _a([[1, 2, 3], [3, 4, 5]])
E27_CONV_F23_VALID = _a([[62, 80, 98, 116, 134]])

# TestConvolve2d.test_valid_mode2, the complex half
EC = _a([[1 + 1j, 2 - 3j], [3 + 1j, 4 + 0j]])
FC = _a([[2 - 1j, 3 + 2j, 4 + 0j], [4 - 0j, 5 + 1j, 6 - 3j]])

# TestConvolve.test_input_swapping: a real (2,2,2) and a complex (3,3,3) input, and their full
# convolution (4,4,4), written here as its real and imaginary parts.
SMALL = np.arange(8).reshape(2, 2, 2)
BIG = np.arange(27, dtype=complex)[::-1].reshape(3, 3, 3) + 1j * np.arange(27, dtype=complex).reshape(3, 3, 3)
_SWAP_RE = [
    [[0, 26, 25, 24], [52, 151, 145, 93], [46, 133, 127, 81], [40, 98, 93, 54]],
    [[104, 247, 237, 135], [282, 632, 604, 330], [246, 548, 520, 282], [142, 307, 289, 153]],
    [[68, 157, 147, 81], [174, 380, 352, 186], [138, 296, 268, 138], [70, 145, 127, 63]],
    [[32, 68, 59, 30], [68, 139, 117, 57], [38, 73, 51, 21], [12, 20, 7, 0]],
]
_SWAP_IM = [
    [[0, 0, 1, 2], [0, 5, 11, 11], [6, 23, 29, 23], [12, 32, 37, 24]],
    [[0, 13, 23, 21], [30, 96, 124, 86], [66, 180, 208, 134], [66, 161, 179, 107]],
    [[36, 103, 113, 75], [138, 348, 376, 230], [174, 432, 460, 278], [138, 323, 341, 197]],
    [[72, 166, 175, 100], [192, 433, 455, 255], [222, 499, 521, 291], [144, 318, 331, 182]],
]
SWAP_FULL = np.array(_SWAP_RE, dtype=float) + 1j * np.array(_SWAP_IM, dtype=float)

# TestConvolve2d.test_same_with_boundary: a 1x4 image and a 1x21 kernel of ones (the image has to
# be extended more than once; gh-8684, gh-8814).
IMAGE14 = _a([[2.0, -1.0, 3.0, 4.0]])
ONES21 = np.ones((1, 21))

# TestFFTConvolve.test_real_same_mode ([1, 2, 3]) / test_valid_mode_real ([3, 2, 1]), both with B9
A123 = _a([1, 2, 3])
A321 = _a([3, 2, 1])
B9 = _a([3, 3, 5, 6, 8, 7, 9, 0, 1])

CASES = [
    # TestConvolve.test_basic
    Case("TestConvolve.test_basic", "convolve", _a([3, 4, 5, 6, 5, 4]), _a([1, 2, 3]), "full",
         _a([3, 10, 22, 28, 32, 32, 23, 12])),
    # TestConvolve.test_same (kernel longer than the input, 'same' keeps the first input's size)
    Case("TestConvolve.test_same", "convolve", _a([3, 4, 5]), _a([1, 2, 3, 4]), "same", _a([10, 22, 34])),
    # TestConvolve.test_same_eq
    Case("TestConvolve.test_same_eq", "convolve", _a([3, 4, 5]), _a([1, 2, 3]), "same", _a([10, 22, 22])),
    # TestConvolve.test_complex
    Case("TestConvolve.test_complex", "convolve", _a([1 + 1j, 2 + 1j, 3 + 1j]), _a([1 + 1j, 2 + 1j]), "full",
         _a([2j, 2 + 6j, 5 + 8j, 5 + 5j])),
    # TestConvolve.test_single_element (also TestFFTConvolve/TestOAConvolve.test_single_element)
    Case("TestConvolve.test_single_element", "convolve", _a([4967]), _a([3920]), "full", _a([4967 * 3920])),
    # TestConvolve.test_2d_arrays: scipy.signal.convolve on 2-D input
    Case("TestConvolve.test_2d_arrays", "convolve", A23, B23, "full", A23_CONV_B23),
    # TestConvolve.test_valid_mode2 (gh-5897): the second input is the larger one
    Case("TestConvolve.test_valid_mode2", "convolve", _a([1, 2, 3, 6, 5, 3]), _a([2, 3, 4, 5, 3, 4, 2, 2, 1]),
         "valid", _a([70, 78, 73, 65])),
    Case("TestConvolve.test_valid_mode2", "convolve", _a([2, 3, 4, 5, 3, 4, 2, 2, 1]), _a([1, 2, 3, 6, 5, 3]),
         "valid", _a([70, 78, 73, 65]), tag="swapped"),
    Case("TestConvolve.test_valid_mode2", "convolve", _a([1 + 5j, 2 - 1j, 3 + 0j]), _a([2 - 3j, 1 + 0j]),
         "valid", _a([2 - 3j, 8 - 10j]), tag="complex"),
    Case("TestConvolve.test_valid_mode2", "convolve", _a([2 - 3j, 1 + 0j]), _a([1 + 5j, 2 - 1j, 3 + 0j]),
         "valid", _a([2 - 3j, 8 - 10j]), tag="complex-swapped"),
    # TestConvolve.test_same_mode: a 13-tap kernel on a 6-sample input
    Case("TestConvolve.test_same_mode", "convolve", _a([1, 2, 3, 3, 1, 2]),
         _a([1, 4, 3, 4, 5, 6, 7, 4, 3, 2, 1, 1, 3]), "same", _a([57, 61, 63, 57, 45, 36])),
    # TestConvolve.test_input_swapping: rank 3, complex, both orders, every mode
    Case("TestConvolve.test_input_swapping", "convolve", SMALL, BIG, "full", SWAP_FULL, tag="small-big"),
    Case("TestConvolve.test_input_swapping", "convolve", BIG, SMALL, "full", SWAP_FULL, tag="big-small"),
    Case("TestConvolve.test_input_swapping", "convolve", SMALL, BIG, "same", SWAP_FULL[1:3, 1:3, 1:3],
         tag="small-big"),
    Case("TestConvolve.test_input_swapping", "convolve", BIG, SMALL, "same", SWAP_FULL[0:3, 0:3, 0:3],
         tag="big-small"),
    Case("TestConvolve.test_input_swapping", "convolve", SMALL, BIG, "valid", SWAP_FULL[1:3, 1:3, 1:3],
         tag="small-big"),
    Case("TestConvolve.test_input_swapping", "convolve", BIG, SMALL, "valid", SWAP_FULL[1:3, 1:3, 1:3],
         tag="big-small"),

    # TestConvolve2d.test_2d_arrays: convolve2d's default boundary is 'fill'
    Case("TestConvolve2d.test_2d_arrays", "convolve", A23, B23, "full", A23_CONV_B23, {"boundary": "fill"}),
    # TestConvolve2d.test_valid_mode / test_valid_mode2 (gh-5897): both orders
    Case("TestConvolve2d.test_valid_mode", "convolve", E27, F23, "valid", E27_CONV_F23_VALID,
         {"boundary": "fill"}),
    Case("TestConvolve2d.test_valid_mode", "convolve", F23, E27, "valid", E27_CONV_F23_VALID,
         {"boundary": "fill"}, tag="swapped"),
    # TestConvolve2d.test_valid_mode_complx: the smaller input made complex (f + 1j)
    Case("TestConvolve2d.test_valid_mode_complx", "convolve", E27, F23 + 1j, "valid",
         _a([[62 + 24j, 80 + 30j, 98 + 36j, 116 + 42j, 134 + 48j]]), {"boundary": "fill"}),
    Case("TestConvolve2d.test_valid_mode_complx", "convolve", F23 + 1j, E27, "valid",
         _a([[62 + 24j, 80 + 30j, 98 + 36j, 116 + 42j, 134 + 48j]]), {"boundary": "fill"}, tag="swapped"),
    # TestConvolve2d.test_fillvalue: pad with ones (with the boundary spelled out, and left to default)
    Case("TestConvolve2d.test_fillvalue", "convolve", A23, B23, "full",
         _a([[24, 26, 31, 34, 32], [28, 40, 62, 64, 52], [32, 46, 67, 62, 48]]),
         {"boundary": "fill", "fillvalue": 1}),
    Case("TestConvolve2d.test_fillvalue", "convolve", A23, B23, "full",
         _a([[24, 26, 31, 34, 32], [28, 40, 62, 64, 52], [32, 46, 67, 62, 48]]), {"fillvalue": 1}),
    # TestConvolve2d.test_wrap_boundary: the 2x3 kernel is as large as the input
    Case("TestConvolve2d.test_wrap_boundary", "convolve", A23, B23, "full",
         _a([[80, 80, 74, 80, 80], [68, 68, 62, 68, 68], [80, 80, 74, 80, 80]]), {"boundary": "wrap"}),
    # TestConvolve2d.test_sym_boundary
    Case("TestConvolve2d.test_sym_boundary", "convolve", A23, B23, "full",
         _a([[34, 30, 44, 62, 66], [52, 48, 62, 80, 84], [82, 78, 92, 110, 114]]), {"boundary": "symm"}),
    # TestConvolve2d.test_same_with_boundary (gh-8684, gh-8814): a kernel 5x longer than the image;
    # the kernel is all ones, so convolve2d and correlate2d give the same numbers
    *[Case("TestConvolve2d.test_same_with_boundary", op, IMAGE14, ONES21, "same", _a(expected),
           {"boundary": boundary})
      for op in OPS
      for boundary, expected in (("symm", [[37.0, 42.0, 44.0, 45.0]]), ("wrap", [[43.0, 44.0, 42.0, 39.0]]))],
    # TestConvolve2d.test_same_mode: 'same' with the second input wider than the first
    Case("TestConvolve2d.test_same_mode", "convolve", F23, E27, "same", _a([[22, 28, 34], [80, 98, 116]]),
         {"boundary": "fill"}),
    # TestConvolve2d.test_valid_mode2 (gh-5897), the complex half: both orders
    Case("TestConvolve2d.test_valid_mode2", "convolve", EC, FC, "valid", _a([[27 - 1j, 46 + 2j]]),
         {"boundary": "fill"}, tag="complex"),
    Case("TestConvolve2d.test_valid_mode2", "convolve", FC, EC, "valid", _a([[27 - 1j, 46 + 2j]]),
         {"boundary": "fill"}, tag="complex-swapped"),

    # TestCorrelate.test_numpy_fastpath
    Case("TestCorrelate.test_numpy_fastpath", "correlate", _a([1, 2, 3]), _a([4, 5]), "same", _a([5, 14, 23]),
         tag="even-kernel"),
    Case("TestCorrelate.test_numpy_fastpath", "correlate", _a([1, 2, 3]), _a([4, 5, 6]), "same",
         _a([17, 32, 23])),
    Case("TestCorrelate.test_numpy_fastpath", "correlate", _a([1, 2, 3]), _a([4, 5, 6]), "full",
         _a([6, 17, 32, 23, 12])),
    Case("TestCorrelate.test_numpy_fastpath", "correlate", _a([1, 2, 3]), _a([4, 5, 6]), "valid", _a([32])),

    # TestCorrelateComplex.test_swap_full: the second input is longer; correlate conjugates it
    Case("TestCorrelateComplex.test_swap_full", "correlate", _a([0j, 1 + 1j, 2 + 2j]),
         _a([1 + 3j, 2 + 4j, 3 + 5j, 4 + 6j]), "full", _a([0j, 10 - 2j, 28 - 6j, 22 - 6j, 16 - 6j, 8 - 4j])),
    # TestCorrelateComplex.test_swap_same
    Case("TestCorrelateComplex.test_swap_same", "correlate", _a([0j, 1 + 1j, 2 + 2j]),
         _a([1 + 3j, 2 + 4j, 3 + 5j, 4 + 6j]), "same", _a([10 - 2j, 28 - 6j, 22 - 6j])),
    # TestCorrelateComplex.test_rank0, its one-element halves: correlate([1], [2j]) and so on
    # (nested lists of Python numbers, as SciPy passes them)
    Case("TestCorrelateComplex.test_rank0", "correlate", [1], [2j], "full", _a([-2j]), tag="1-2j"),
    Case("TestCorrelateComplex.test_rank0", "correlate", [2j], [3j], "full", _a([6 + 0j]), tag="2j-3j"),
    Case("TestCorrelateComplex.test_rank0", "correlate", [3j], [4], "full", _a([12j]), tag="3j-4"),

    # TestCorrelate2d.test_complex_input: correlate2d conjugates the second input (nested lists,
    # with boundary='fill' as correlate2d, and without as scipy.signal.correlate)
    *[Case("TestCorrelate2d.test_complex_input", "correlate", x, k, "full", _a(expected), opts, tag=tag)
      for x, k, expected, tag in (([[1]], [[2j]], [[-2j]], "1-2j"), ([[2j]], [[3j]], [[6 + 0j]], "2j-3j"),
                                  ([[3j]], [[4]], [[12j]], "3j-4"))
      for opts in ({"boundary": "fill"}, {})],

    # TestFFTConvolve.test_real (fftconvolve computes scipy.signal.convolve)
    Case("TestFFTConvolve.test_real", "convolve", _a([1, 2, 3]), _a([1, 2, 3]), "full", _a([1, 4, 10, 12, 9])),
    # TestFFTConvolve.test_complex
    Case("TestFFTConvolve.test_complex", "convolve", _a([1 + 1j, 2 + 2j, 3 + 3j]), _a([1 + 1j, 2 + 2j, 3 + 3j]),
         "full", _a([2j, 8j, 20j, 24j, 18j])),
    # TestFFTConvolve.test_2d_real_same (despite its name, a full convolution of a with itself)
    Case("TestFFTConvolve.test_2d_real_same", "convolve", _a([[1.0, 2, 3], [4, 5, 6]]),
         _a([[1.0, 2, 3], [4, 5, 6]]), "full", _a([[1.0, 4, 10, 12, 9], [8, 26, 56, 54, 36], [16, 40, 73, 60, 36]])),
    # TestFFTConvolve.test_2d_complex_same (likewise full)
    Case("TestFFTConvolve.test_2d_complex_same", "convolve", _a([[1 + 2j, 3 + 4j, 5 + 6j], [2 + 1j, 4 + 3j, 6 + 5j]]),
         _a([[1 + 2j, 3 + 4j, 5 + 6j], [2 + 1j, 4 + 3j, 6 + 5j]]), "full",
         _a([[-3 + 4j, -10 + 20j, -21 + 56j, -18 + 76j, -11 + 60j], [10j, 44j, 118j, 156j, 122j],
             [3 + 4j, 10 + 20j, 21 + 56j, 18 + 76j, 11 + 60j]])),
    # TestFFTConvolve.test_real_same_mode: 'same' keeps the size of the first input, whichever is longer
    Case("TestFFTConvolve.test_real_same_mode", "convolve", A123, B9, "same", _a([35, 41, 47])),
    Case("TestFFTConvolve.test_real_same_mode", "convolve", B9, A123, "same",
         _a([9, 20, 25, 35, 41, 47, 39, 28, 2]), tag="swapped"),
    # TestFFTConvolve.test_valid_mode_real (gh-5897): both orders
    Case("TestFFTConvolve.test_valid_mode_real", "convolve", A321, B9, "valid", _a([24, 31, 41, 43, 49, 25, 12])),
    Case("TestFFTConvolve.test_valid_mode_real", "convolve", B9, A321, "valid", _a([24, 31, 41, 43, 49, 25, 12]),
         tag="swapped"),
    # TestFFTConvolve.test_valid_mode_complex: both orders
    Case("TestFFTConvolve.test_valid_mode_complex", "convolve", _a([3 - 1j, 2 + 7j, 1 + 0j]),
         _a([3 + 2j, 3 - 3j, 5 + 0j, 6 - 1j, 8 + 0j]), "valid", _a([45 + 12j, 30 + 23j, 48 + 32j])),
    Case("TestFFTConvolve.test_valid_mode_complex", "convolve", _a([3 + 2j, 3 - 3j, 5 + 0j, 6 - 1j, 8 + 0j]),
         _a([3 - 1j, 2 + 7j, 1 + 0j]), "valid", _a([45 + 12j, 30 + 23j, 48 + 32j]), tag="swapped"),
]


def _params(cases):
    return [pytest.param(c, id=c.id) for c in cases]


@pytest.mark.parametrize("case", _params(CASES))
def test_hand_written_case(case):
    got = symconv_numbers(case.op, case.x, case.k, case.mode, **case.opts)
    assert_numbers(got, case.expected, f"symconv vs SciPy's {case.source}")
    assert_numbers(got, scipy_result(case.op, case.x, case.k, case.mode, **case.opts), "symconv vs scipy.signal")


def _real(v) -> bool:
    return np.asarray(v).dtype.kind in "iuf"


@pytest.mark.parametrize("case", _params([c for c in CASES if _real(c.x) and _real(c.k)]))
def test_hand_written_case_symbolic(case):
    """The same real cases through symbolic tensors: ``evaluate(op(tensor x, tensor k), x=X, k=K)``."""
    X, K = np.asarray(case.x), np.asarray(case.k)
    x, k = sc.tensor("x", X.shape), sc.tensor("k", K.shape)
    got = np.asarray(sc.evaluate(getattr(sc, case.op)(x, k, case.mode, **case.opts), x=X, k=K))
    assert_numbers(got, case.expected, f"symbolic symconv vs SciPy's {case.source}")


# -------------------------------------------------------------------------------------------------
# TestCorrelateReal: every real dtype SciPy tries, rank 1 and rank 3, every mode, gh-5897 swap
# -------------------------------------------------------------------------------------------------
REAL_DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64")

# TestCorrelateReal._setup_rank1: linspace(0, 3, 4) correlated with linspace(1, 2, 2)
R1_A, R1_B = [0, 1, 2, 3], [1, 2]
R1_FULL = np.array([0, 2, 5, 8, 3])

# TestCorrelateReal._setup_rank3: 0..39 and 0..23 laid out in Fortran order, and their full correlation
R3_A = np.arange(40).reshape((2, 4, 5), order="F")
R3_B = np.arange(24).reshape((2, 3, 4), order="F")
R3_FULL = np.array([
    [[0, 184, 504, 912, 1360, 888, 472, 160],
     [46, 432, 1062, 1840, 2672, 1698, 864, 266],
     [134, 736, 1662, 2768, 3920, 2418, 1168, 314],
     [260, 952, 1932, 3056, 4208, 2580, 1240, 332],
     [202, 664, 1290, 1984, 2688, 1590, 712, 150],
     [114, 344, 642, 960, 1280, 726, 296, 38]],
    [[23, 400, 1035, 1832, 2696, 1737, 904, 293],
     [134, 920, 2166, 3680, 5280, 3306, 1640, 474],
     [325, 1544, 3369, 5512, 7720, 4683, 2192, 535],
     [571, 1964, 3891, 6064, 8272, 4989, 2324, 565],
     [434, 1360, 2586, 3920, 5264, 3054, 1312, 230],
     [241, 700, 1281, 1888, 2496, 1383, 532, 39]],
    [[22, 214, 528, 916, 1332, 846, 430, 132],
     [86, 484, 1098, 1832, 2600, 1602, 772, 206],
     [188, 802, 1698, 2732, 3788, 2256, 1018, 218],
     [308, 1006, 1950, 2996, 4052, 2400, 1078, 230],
     [230, 692, 1290, 1928, 2568, 1458, 596, 78],
     [126, 354, 636, 924, 1212, 654, 234, 0]],
])

# (variant, first, second, mode, expected): the slices SciPy's tests take of the full result
CORRELATE_REAL = [
    # TestCorrelateReal.test_rank1_valid / test_rank1_same / test_rank1_full
    ("rank1_valid", R1_A, R1_B, "valid", R1_FULL[1:4]),
    ("rank1_valid-swapped", R1_B, R1_A, "valid", R1_FULL[1:4][::-1]),   # gh-5897: [8, 5, 2]
    ("rank1_same", R1_A, R1_B, "same", R1_FULL[:-1]),
    ("rank1_full", R1_A, R1_B, "full", R1_FULL),
    # TestCorrelateReal.test_rank3_valid / test_rank3_same / test_rank3_all (and test_method's data)
    ("rank3_valid", R3_A, R3_B, "valid", R3_FULL[1:2, 2:4, 3:5]),
    ("rank3_valid-swapped", R3_B, R3_A, "valid", R3_FULL[1:2, 2:4, 3:5][::-1, ::-1, ::-1]),  # gh-5897
    ("rank3_same", R3_A, R3_B, "same", R3_FULL[0:-1, 1:-1, 1:-2]),
    ("rank3_all", R3_A, R3_B, "full", R3_FULL),
]


@pytest.mark.parametrize("dt", REAL_DTYPES)
@pytest.mark.parametrize("variant, first, second, mode, expected", CORRELATE_REAL,
                         ids=[c[0] for c in CORRELATE_REAL])
def test_correlate_real(variant, first, second, mode, expected, dt):
    # TestCorrelateReal.test_<variant> for dtype dt.  SciPy compares in dt itself (its y_r is cast to
    # dt, so for uint8 both sides wrap around); symconv is exact, so it is compared with the true
    # values, and with SciPy run on the same numbers in 64 bits.
    a, b = np.asarray(first).astype(dt), np.asarray(second).astype(dt)
    want = np.asarray(expected).astype(np.float64 if dt.startswith("float") else np.int64)
    got = symconv_numbers("correlate", a, b, mode)
    assert_numbers(got, want, f"symconv vs SciPy's TestCorrelateReal.test_{variant}[{dt}]")
    wide = np.float64 if dt.startswith("float") else np.int64
    assert_numbers(got, scipy_result("correlate", a.astype(wide), b.astype(wide), mode), "symconv vs scipy.signal")


@pytest.mark.parametrize("variant, first, second, mode, expected", CORRELATE_REAL,
                         ids=[c[0] for c in CORRELATE_REAL])
def test_correlate_real_symbolic(variant, first, second, mode, expected):
    # TestCorrelateReal.test_<variant> through symbolic tensors, evaluated at SciPy's int64 data
    a, b = np.asarray(first), np.asarray(second)
    x, k = sc.tensor("x", a.shape), sc.tensor("k", b.shape)
    got = np.asarray(sc.evaluate(sc.correlate(x, k, mode), x=a, k=b))
    assert_numbers(got, np.asarray(expected), f"symbolic symconv vs SciPy's TestCorrelateReal.test_{variant}")


# -------------------------------------------------------------------------------------------------
# TestCorrelateComplex: random complex data, the expectation built from real correlations
# -------------------------------------------------------------------------------------------------
# SciPy computes (and compares, to 4 decimals for complex64) in the input dtype.  symconv computes
# exactly, so here the expectation is SciPy's construction evaluated on the same binary values in
# 64 bits (exact products; only the final sums are rounded), compared at rtol=1e-12 for both dtypes.
def _complex_data(dt, shape, rng):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)


def _by_real_parts(a, b, mode):
    """SciPy's y_r: correlate(a, b) assembled from correlations of real and imaginary parts,
    corr(ar, br) + corr(ai, bi) + 1j*(corr(ai, br) - corr(ar, bi)), in float64."""
    def corr(u, v):
        return ss.correlate(u.astype(np.float64), v.astype(np.float64), mode, method="direct")
    return corr(a.real, b.real) + corr(a.imag, b.imag) + 1j * (corr(a.imag, b.real) - corr(a.real, b.imag))


@pytest.mark.parametrize("dt", ("complex64", "complex128"))
@pytest.mark.parametrize("mode", MODES)
def test_correlate_complex_rank1(mode, dt):
    # TestCorrelateComplex.test_rank1_valid / test_rank1_same / test_rank1_full: a of 10, b of 8
    rng = np.random.default_rng(9)
    a, b = _complex_data(dt, 10, rng), _complex_data(dt, 8, rng)
    want = _by_real_parts(a, b, mode)
    got = symconv_numbers("correlate", a, b, mode)
    assert_numbers(got, want, f"symconv vs SciPy's TestCorrelateComplex.test_rank1_{mode}[{dt}]")
    wide = a.astype(np.complex128), b.astype(np.complex128)
    assert_numbers(got, scipy_result("correlate", *wide, mode), "symconv vs scipy.signal")


@pytest.mark.parametrize("dt", ("complex64", "complex128"))
def test_correlate_complex_rank1_valid_swapped(dt):
    # TestCorrelateComplex.test_rank1_valid, second half (gh-5897): correlate(b, a, 'valid') is
    # conj(flip(correlate(a, b, 'valid')))
    rng = np.random.default_rng(9)
    a, b = _complex_data(dt, 10, rng), _complex_data(dt, 8, rng)
    want = np.conj(_by_real_parts(a, b, "valid")[::-1])
    got = symconv_numbers("correlate", b, a, "valid")
    assert_numbers(got, want, f"symconv vs SciPy's TestCorrelateComplex.test_rank1_valid (swapped)[{dt}]")
    wide = b.astype(np.complex128), a.astype(np.complex128)
    assert_numbers(got, scipy_result("correlate", *wide, "valid"), "symconv vs scipy.signal")


@pytest.mark.parametrize("dt", ("complex64", "complex128"))
def test_correlate_complex_rank3(dt):
    # TestCorrelateComplex.test_rank3: (10, 8, 6) with (8, 6, 4), full
    rng = np.random.default_rng(3)
    a, b = _complex_data(dt, (10, 8, 6), rng), _complex_data(dt, (8, 6, 4), rng)
    got = symconv_numbers("correlate", a, b, "full")
    assert_numbers(got, _by_real_parts(a, b, "full"), f"symconv vs SciPy's TestCorrelateComplex.test_rank3[{dt}]")
    wide = a.astype(np.complex128), b.astype(np.complex128)
    assert_numbers(got, scipy_result("correlate", *wide, "full"), "symconv vs scipy.signal")


# -------------------------------------------------------------------------------------------------
# rank 0: both inputs scalars -> the product (correlate conjugates the second)
# -------------------------------------------------------------------------------------------------
RANK0 = [
    # TestConvolve.test_zero_rank (0-d arrays) and test_zero_rank_python_scalars (Python ints)
    ("TestConvolve.test_zero_rank", "convolve", np.array(1289), np.array(4567), np.int64(1289 * 4567)),
    ("TestConvolve.test_zero_rank_python_scalars", "convolve", 1289, 4567, np.int64(1289 * 4567)),
    # TestFFTConvolve.test_zero_rank / TestOAConvolve.test_zero_rank
    ("TestFFTConvolve.test_zero_rank", "convolve", np.array(4967), np.array(3920), np.int64(4967 * 3920)),
    # TestCorrelateComplex.test_rank0: correlate(1, 2j), correlate(2j, 3j), correlate(3j, 4) equal
    # their one-element versions: a * conj(b)
    ("TestCorrelateComplex.test_rank0", "correlate", 1, 2j, np.complex128(-2j)),
    ("TestCorrelateComplex.test_rank0", "correlate", 2j, 3j, np.complex128(6)),
    ("TestCorrelateComplex.test_rank0", "correlate", 3j, 4, np.complex128(12j)),
    # not in SciPy's suite: convolve of the same scalars does not conjugate (SciPy at runtime: 2j, -6, 12j)
    ("TestCorrelateComplex.test_rank0", "convolve", 1, 2j, np.complex128(2j)),
    ("TestCorrelateComplex.test_rank0", "convolve", 2j, 3j, np.complex128(-6)),
    ("TestCorrelateComplex.test_rank0", "convolve", 3j, 4, np.complex128(12j)),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("source, op, a, b, expected", RANK0,
                         ids=[f"{r[0]}-{r[1]}-{r[2]!r}-{r[3]!r}" for r in RANK0])
def test_rank0(source, op, a, b, expected, mode):
    # SciPy returns the product for 0-d inputs whatever the mode
    got = symconv_numbers(op, a, b, mode)
    assert_numbers(got, np.asarray(expected), f"symconv vs SciPy's {source}")
    assert_numbers(got, scipy_result(op, a, b, mode), "symconv vs scipy.signal")


@pytest.mark.parametrize("dt", ("complex64", "complex128"))
def test_correlate_complex_rank0_random(dt):
    # TestCorrelateComplex.test_rank0, first half: random complex scalars, y_r from real parts
    rng = np.random.default_rng(0)
    a, b = np.array(_complex_data(dt, (), rng)), np.array(_complex_data(dt, (), rng))
    a64, b64 = complex(a), complex(b)
    want = np.asarray((a64.real * b64.real + a64.imag * b64.imag) + 1j * (a64.imag * b64.real - a64.real * b64.imag))
    assert_numbers(symconv_numbers("correlate", a, b, "full"), want, f"TestCorrelateComplex.test_rank0[{dt}]")


# -------------------------------------------------------------------------------------------------
# expectations SciPy computes at runtime (no hand-written numbers in these tests)
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [0, 1, 2])
def test_convolve_broadcastable(axis):
    # TestConvolve.test_broadcastable: a (3,3,3) array with a length-3 kernel along one axis;
    # SciPy checks its direct method against its FFT method
    a = np.arange(27).reshape(3, 3, 3)
    shape = [1, 1, 1]
    shape[axis] = 3
    b = np.arange(3).reshape(shape)
    got = symconv_numbers("convolve", a, b, "full")
    assert_numbers(got, ss.convolve(a, b, "full", method="direct"), "symconv vs scipy.signal (direct)")
    assert_allclose(got, ss.convolve(a, b, "full", method="fft"), atol=1e-12)


# TestConvolve.test_convolve_method: random length-100 arrays of many dtype pairs in every mode; SciPy
# checks its FFT method against its direct method.  Here symconv is checked against the direct method
# run on the same numbers in 64 bits.  (bool is left out: SciPy's direct method on two bool arrays
# returns a bool array -- a logical OR of ANDs -- which is not a sum of products.)
METHOD_DTYPES = [("int64", "int64"), ("uint8", "int16"), ("int32", "float64"), ("float64", "float64"),
                 ("float32", "float64"), ("float32", "float32"), ("complex128", "float64"), ("complex64", "int8")]


def _method_data(dt, rng, n=100):
    kind = np.dtype(dt).kind
    if kind in "iu":
        return rng.choice([0, 1], size=n).astype(dt)
    base = rng.standard_normal(n)
    return (base + 0.5j * base).astype(dt) if kind == "c" else base.astype(dt)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("t1, t2", METHOD_DTYPES, ids=[f"{a}-{b}" for a, b in METHOD_DTYPES])
def test_convolve_method(t1, t2, mode):
    rng = np.random.default_rng(42)
    x1, x2 = _method_data(t1, rng), _method_data(t2, rng)
    wide = {"i": np.int64, "u": np.int64, "f": np.float64, "c": np.complex128}
    w1, w2 = x1.astype(wide[x1.dtype.kind]), x2.astype(wide[x2.dtype.kind])
    got = symconv_numbers("convolve", x1, x2, mode)
    assert_numbers(got, ss.convolve(w1, w2, mode, method="direct"), "symconv vs scipy.signal (direct, 64-bit)")


@pytest.mark.parametrize("n", [10, 20])
def test_convolve_large_integers(n):
    # TestConvolve.test_convolve_method_large_input: [2**n] * [2**n] == [2**(2n)] (SciPy asserts
    # this for n < 50, where its FFT method is still exact)
    z = np.array([2 ** n], dtype=np.int64)
    got = symconv_numbers("convolve", z, z, "full")
    assert_numbers(got, np.array([2 ** (2 * n)]), "symconv vs SciPy's TestConvolve.test_convolve_method_large_input")
    assert_numbers(got, scipy_result("convolve", z, z, "full"), "symconv vs scipy.signal")


def test_boundary_extension_same():
    # TestConvolve2d.test_boundary_extension_same (gh-12686): a 10x3 image, a 10x10 kernel, 'same'
    # with boundary='wrap'; SciPy's expectation is ndimage.convolve(mode='wrap', origin=(-1, -1))
    a = np.arange(1, 31, dtype=np.float64).reshape(10, 3)
    b = np.arange(1, 101, dtype=np.float64).reshape(10, 10)
    got = symconv_numbers("convolve", a, b, "same", boundary="wrap")
    assert_numbers(got, ndi.convolve(a, b, mode="wrap", origin=(-1, -1)), "symconv vs ndimage.convolve")
    assert_numbers(got, scipy_result("convolve", a, b, "same", boundary="wrap"), "symconv vs scipy.signal")


def test_boundary_extension_full():
    # TestConvolve2d.test_boundary_extension_full (gh-12686): a 3x3 image, a 6x6 kernel, 'full'
    # with boundary='wrap'; SciPy's expectation is ndimage.convolve of the image wrap-padded by 3
    a = np.arange(1, 10, dtype=np.float64).reshape(3, 3)
    b = np.arange(1, 37, dtype=np.float64).reshape(6, 6)
    want = ndi.convolve(np.pad(a, ((3, 3), (3, 3)), "wrap"), b, mode="wrap")[:-1, :-1]
    got = symconv_numbers("convolve", a, b, "full", boundary="wrap")
    assert_numbers(got, want, "symconv vs ndimage.convolve")
    assert_numbers(got, scipy_result("convolve", a, b, "full", boundary="wrap"), "symconv vs scipy.signal")


CONSISTENCY_A, CONSISTENCY_B = np.arange(5), np.array([3.2, 1.4, 3])


@pytest.mark.parametrize("mode", MODES)
def test_consistency_convolve_funcs(mode):
    # TestConvolve2d.test_consistency_convolve_funcs: np.convolve == signal.convolve ==
    # signal.convolve2d on one-row inputs
    a, b = CONSISTENCY_A, CONSISTENCY_B
    want = np.convolve(a, b, mode=mode)
    assert_numbers(symconv_numbers("convolve", a, b, mode), want, "symconv vs np.convolve")
    got2d = symconv_numbers("convolve", a[None, :], b[None, :], mode, boundary="fill")
    assert got2d.shape[0] == 1
    assert_numbers(got2d[0], want, "symconv (convolve2d semantics) vs np.convolve")


@pytest.mark.parametrize("mode", MODES)
def test_consistency_correlate_funcs(mode):
    # TestCorrelate2d.test_consistency_correlate_funcs: np.correlate == signal.correlate, and in
    # 'valid' mode with the inputs swapped as well (gh-5897)
    a, b = CONSISTENCY_A, CONSISTENCY_B
    assert_numbers(symconv_numbers("correlate", a, b, mode), np.correlate(a, b, mode=mode), "symconv vs np.correlate")
    if mode == "valid":
        assert_numbers(symconv_numbers("correlate", b, a, mode), np.correlate(b, a, mode=mode),
                       "symconv (swapped) vs np.correlate")


@pytest.mark.parametrize("mode", MODES)
def test_consistency_correlate_funcs_2(mode):
    # TestCorrelate2d.test_consistency_correlate_funcs_2: correlate2d of one-row inputs, squeezed,
    # equals signal.correlate -- in 'valid' mode with the inputs swapped as well (gh-5897)
    a, b = CONSISTENCY_A, CONSISTENCY_B
    got = symconv_numbers("correlate", [a], [b], mode, boundary="fill")
    assert got.shape[0] == 1
    assert_numbers(got[0], ss.correlate(a, b, mode=mode), "symconv (correlate2d semantics) vs signal.correlate")
    if mode == "valid":
        got = symconv_numbers("correlate", [b], [a], mode, boundary="fill")
        assert got.shape[0] == 1
        assert_numbers(got[0], ss.correlate(b, a, mode=mode), "symconv (swapped) vs signal.correlate")


# -------------------------------------------------------------------------------------------------
# errors SciPy raises, and symconv must raise too (a SymconvError that is also a ValueError)
# -------------------------------------------------------------------------------------------------
NEITHER_DOMINATES = (np.arange(1, 7).reshape(2, 3), np.arange(-6, 0).reshape(3, 2))


@pytest.mark.parametrize("opts", [{}, {"boundary": "fill"}], ids=["nd", "2d"])
@pytest.mark.parametrize("swap", [False, True], ids=["a-b", "b-a"])
@pytest.mark.parametrize("op", OPS)
def test_invalid_shapes(op, swap, opts):
    # TestConvolve.test_invalid_shapes, TestConvolve2d.test_invalid_shapes,
    # TestCorrelate.test_invalid_shapes, TestCorrelate2d.test_invalid_shapes,
    # TestAllFreqConvolves.test_invalid_shapes: in 'valid' mode a (2,3) and a (3,2) input -- neither
    # at least as large as the other on every axis -- is a ValueError, in either order
    a, b = NEITHER_DOMINATES[::-1] if swap else NEITHER_DOMINATES
    with pytest.raises(ValueError):
        scipy_result(op, a, b, "valid", **opts)
    with pytest.raises(ShapeError):
        getattr(sc, op)(a, b, "valid", **opts)


@pytest.mark.parametrize("mode", ["spam", "eggs", "ham", "chips"])
@pytest.mark.parametrize("op", OPS)
def test_invalid_mode(op, mode):
    # TestConvolve.test_invalid_params, TestCorrelate.test_invalid_params (mode='spam'/'eggs'/'ham'),
    # TestAllFreqConvolves.test_invalid_flags (mode='chips')
    err = raises_value_error(lambda: getattr(sc, op)([3, 4, 5], [1, 2, 3], mode))
    assert "mode" in str(err)


MISMATCHED = [([1], 2), (1, [2]), ([1], [[2]]), ([3], 2), ([3], [[2]])]


@pytest.mark.parametrize("a, b", MISMATCHED, ids=[f"{a!r}-{b!r}" for a, b in MISMATCHED])
@pytest.mark.parametrize("op", OPS)
def test_mismatched_dims(op, a, b):
    # TestConvolve.test_mismatched_dims, TestCorrelate.test_mismatched_dims,
    # TestAllFreqConvolves.test_mismatched_dims: inputs of different ranks are a ValueError
    with pytest.raises(ValueError):
        getattr(ss, op)(a, b)
    assert isinstance(raises_value_error(lambda: getattr(sc, op)(a, b, "full")), ShapeError)


def test_valid_swap_complex_with_boundary_is_refused():
    # Observed on SciPy 1.17.1: for complex data in 'valid' mode with the larger input second,
    # correlate2d only reverses the swapped result, while correlate reverses and conjugates, so the two
    # disagree by a conjugate.  symconv refuses boundary= there rather than pick one silently; without
    # boundary= (which 'valid' never reads) it gives correlate's definition.
    assert np.allclose(ss.correlate2d(EC, FC, "valid"), [[53 - 3j, 33 + 10j]])
    assert np.allclose(ss.correlate(EC, FC, "valid"), [[53 + 3j, 33 - 10j]])
    err = raises_value_error(lambda: sc.correlate(EC, FC, "valid", boundary="fill"))
    assert "conjugate" in str(err) and "boundary" in str(err)
    assert np.allclose(sc.evaluate(sc.correlate(EC, FC, "valid")), [[53 + 3j, 33 - 10j]])


@pytest.mark.parametrize("opts", [{"boundary": "fill"}, {"boundary": "wrap"}, {"fillvalue": 1}],
                         ids=["fill", "wrap", "fillvalue=1"])
@pytest.mark.parametrize("op", OPS)
def test_invalid_dims_2d_scalars(op, opts):
    # TestConvolve2d.test_invalid_dims: convolve2d (and correlate2d) refuse scalars; with a boundary or a
    # fillvalue so does symconv (a scalar has no boundary)
    with pytest.raises(ValueError):
        scipy_result(op, 3, 4, "full", **opts)
    raises_value_error(lambda: getattr(sc, op)(3, 4, "full", **opts))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("opts", [{"boundary": "fill", "fillvalue": 2}, {"boundary": "wrap"}, {"boundary": "symm"}],
                         ids=["fill", "wrap", "symm"])
@pytest.mark.parametrize("op", OPS)
def test_boundary_on_other_ranks_is_correlate2d_per_axis(op, opts, mode):
    # TestConvolve2d.test_invalid_dims: SciPy's 2-D functions refuse rank 1 and rank 3.  symconv takes
    # boundary= on any rank >= 1, axis by axis (documented extension): a rank-1 input is the 1 x n case of
    # correlate2d/convolve2d, a rank-3 input with a leading axis of 1 the 2-D case.
    x, k = np.array([3, 1, 4, 1, 5, 9]), np.array([2, 7, 1])
    want = scipy_result(op, x[None, :], k[None, :], mode, **opts)[0]
    assert np.array_equal(sc.evaluate(getattr(sc, op)(x, k, mode, **opts)), want)
    x2, k2 = np.arange(12).reshape(3, 4) % 5, np.array([[1, 2], [0, 3]])
    want = scipy_result(op, x2, k2, mode, **opts)
    got = sc.evaluate(getattr(sc, op)(x2[None], k2[None], mode, **opts))
    assert np.array_equal(got[0], want)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fillvalue", [1j, 1 + 2j])
@pytest.mark.parametrize("x, k", [([[1]], [[1, 2]]), ([[1.0]], [[1.0, 2.0]])], ids=["int", "float"])
@pytest.mark.parametrize("op", OPS)
def test_complex_fillvalue_on_real_data(op, x, k, fillvalue, mode):
    # TestConvolve2d.test_fillvalue_errors, first half: convolve2d([[1]], [[1, 2]], fillvalue=1j) is
    # a ValueError ("could not cast `fillvalue` directly to the output type"), after a ComplexWarning.
    # SciPy 1.17.1 at runtime: the same for correlate2d, for float data, for 1+2j, and in every mode
    # (also 'valid', where no padding is used).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        with pytest.raises(ValueError, match="fillvalue"):
            scipy_result(op, x, k, mode, fillvalue=fillvalue)
    err = raises_value_error(lambda: getattr(sc, op)(x, k, mode, fillvalue=fillvalue))
    assert "fillvalue" in str(err)


@pytest.mark.parametrize("fillvalue", [[1, 2], []], ids=["two-elements", "empty"])
@pytest.mark.parametrize("op", OPS)
def test_fillvalue_not_a_scalar(op, fillvalue):
    # TestConvolve2d.test_fillvalue_errors, second half (fillvalue=[1, 2]: "`fillvalue` must be scalar
    # or an array with one element") and TestConvolve2d.test_fillvalue_empty (fillvalue=[]): ValueError
    with pytest.raises(ValueError):
        scipy_result(op, [[1]], [[1, 2]], "full", boundary="fill", fillvalue=fillvalue)
    err = raises_value_error(lambda: getattr(sc, op)([[1]], [[1, 2]], "full", boundary="fill", fillvalue=fillvalue))
    assert "fillvalue" in str(err)


# -------------------------------------------------------------------------------------------------
# empty inputs: symconv refuses them (ShapeError naming the argument)
# -------------------------------------------------------------------------------------------------
# TestFFTConvolve.test_empty / TestOAConvolve.test_empty (regression test for SciPy #1745): SciPy's
# FFT convolutions return [] for ([], []), ([5, 6], []) and ([], [7]).  scipy.signal.correlate and
# convolve are inconsistent on the same inputs (SciPy 1.17.1 at runtime): method='auto' raises
# ValueError ("a cannot be empty" / "zero-size array to reduction operation maximum ..."),
# method='fft' raises IndexError, method='direct' raises ValueError except for ([], [7]) in 'same'
# mode, which returns [].  correlate2d/convolve2d return zero-filled arrays of the formula's shape
# (e.g. (2,2) with (0,2) in 'valid' mode gives a (3,1) array of zeros; (0,0) with (0,0) gives
# [[0.]] in 'valid' mode and "negative dimensions are not allowed" in 'full').  An empty sum has no
# meaningful value here, so symconv refuses every empty input.
EMPTY_1D = [([], [], "x"), ([5, 6], [], "k"), ([], [7], "x")]
EMPTY_2D = [(np.zeros((0, 0)), np.zeros((0, 0)), "x"), (np.ones((2, 2)), np.zeros((0, 2)), "k"),
            (np.zeros((0, 3)), np.ones((1, 1)), "x"), (np.ones((2, 2)), np.zeros((2, 0)), "k")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("x, k, culprit", EMPTY_1D, ids=["both", "k", "x"])
@pytest.mark.parametrize("op", OPS)
def test_empty_1d(op, x, k, culprit, mode):
    # TestFFTConvolve.test_empty, TestOAConvolve.test_empty
    with pytest.raises(ShapeError) as info:
        getattr(sc, op)(np.array(x), np.array(k), mode)
    assert _names(str(info.value), culprit), f"the message does not name {culprit}: {info.value}"


@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("x, k, culprit", EMPTY_2D, ids=["0x0-0x0", "2x2-0x2", "0x3-1x1", "2x2-2x0"])
@pytest.mark.parametrize("op", OPS)
def test_empty_2d(op, x, k, culprit, mode, boundary):
    # TestFFTConvolve.test_empty, TestOAConvolve.test_empty, carried over to correlate2d/convolve2d
    with pytest.raises(ShapeError) as info:
        getattr(sc, op)(x, k, mode, boundary=boundary)
    assert _names(str(info.value), culprit), f"the message does not name {culprit}: {info.value}"


# -------------------------------------------------------------------------------------------------
# not in SciPy's suite: SciPy behaviour observed at runtime (SciPy 1.17.1) that the above relies on
# -------------------------------------------------------------------------------------------------
OBSERVED = [
    # A complex fillvalue with complex data is used as it is (not conjugated, also by correlate2d,
    # which conjugates only the kernel): convolve2d([[1+0j]], [[1, 2]], fillvalue=1j) -> [[1+2j, 2+1j]]
    Case("observed.complex_fillvalue", "convolve", _a([[1 + 0j]]), [[1, 2]], "full", _a([[1 + 2j, 2 + 1j]]),
         {"fillvalue": 1j}),
    Case("observed.complex_fillvalue", "correlate", _a([[1 + 0j]]), [[1, 2]], "full", _a([[2 + 1j, 1 + 2j]]),
         {"fillvalue": 1j}),
    Case("observed.complex_fillvalue", "convolve", [[1]], _a([[1 + 1j, 2]]), "full", _a([[1 + 3j, 1 + 1j]]),
         {"fillvalue": 1j}, tag="complex-kernel"),
    Case("observed.complex_fillvalue", "correlate", [[1]], _a([[1 + 1j, 2]]), "full", _a([[3 + 1j, 1 + 1j]]),
         {"fillvalue": 1j}, tag="complex-kernel"),
    Case("observed.complex_fillvalue", "correlate", _a([[1 + 0j, 2]]), [[1, 2]], "full",
         _a([[3 + 2j, 5 + 0j, 4 + 4j]]), {"boundary": "fill", "fillvalue": 1 + 2j}),
    # 'valid' with the second input larger and complex data (the inputs of TestConvolve2d.test_valid_mode2):
    # scipy.signal.correlate undoes the swap by reversing AND conjugating; correlate2d only reverses.
    Case("observed.valid_swap_complex", "correlate", FC, EC, "valid", _a([[33 + 10j, 53 - 3j]])),
    Case("observed.valid_swap_complex", "correlate", EC, FC, "valid", _a([[53 + 3j, 33 - 10j]]), tag="swapped"),
    Case("observed.valid_swap_complex", "correlate", FC, EC, "valid", _a([[33 + 10j, 53 - 3j]]),
         {"boundary": "fill"}),
    # The 'same' centring of an even kernel (the Notes of correlate2d's docstring: "a 1-index offset"):
    # correlate([1,2,3], [4,5], 'same') is [5, 14, 23] (TestCorrelate.test_numpy_fastpath), correlate2d's
    # is [[14, 23, 12]]; convolve and convolve2d agree ([4, 13, 22]).
    Case("observed.same_even_kernel", "correlate", [[1, 2, 3]], [[4, 5]], "same", _a([[5, 14, 23]])),
    Case("observed.same_even_kernel", "correlate", [[1, 2, 3]], [[4, 5]], "same", _a([[14, 23, 12]]),
         {"boundary": "fill"}),
    Case("observed.same_even_kernel", "convolve", [[1, 2, 3]], [[4, 5]], "same", _a([[4, 13, 22]])),
    Case("observed.same_even_kernel", "convolve", [[1, 2, 3]], [[4, 5]], "same", _a([[4, 13, 22]]),
         {"boundary": "fill"}),
]


@pytest.mark.parametrize("case", _params(OBSERVED))
def test_observed_scipy_behaviour(case):
    got = symconv_numbers(case.op, case.x, case.k, case.mode, **case.opts)
    assert_numbers(got, case.expected, f"symconv vs SciPy (observed) {case.source}")
    assert_numbers(got, scipy_result(case.op, case.x, case.k, case.mode, **case.opts), "symconv vs scipy.signal")
