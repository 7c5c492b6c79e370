"""Every error path of the public API.

The contract (shared/API.md, "Conventions"): bad input raises a ``symconv.SymconvError``
subclass that is also the built-in exception a Python user would catch (``ValueError``,
``TypeError``, ``IndexError``, ``KeyError``, ``MemoryError``), and whose message names the
argument, the value received and what was expected -- never a bare traceback from NumPy or
SymPy, never a silently wrong result.

Each case below checks the symconv class, the built-in class, and (with
``pytest.raises(..., match=...)``) the parts the message must name.  Messages follow the
package's own convention (``errors.py``): ``name=value ...; expected ...``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy

import symconv as sc

from .conftest import before_any_table

# -------------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------------


class R(str):
    """A message part given as a regular expression (plain ``str`` parts are literal)."""


def all_of(*parts) -> str:
    """A regex (for ``match=``) that requires every part somewhere in the message, in any order."""
    return "(?s)" + "".join(f"(?=.*(?:{p if isinstance(p, R) else re.escape(p)}))" for p in parts)


def check_error(call, cls, builtin, *parts):
    """`call()` raises `cls` (a SymconvError) that is also a `builtin`, with every part in its message."""
    assert issubclass(cls, sc.SymconvError) and issubclass(cls, builtin)
    with pytest.raises(builtin, match=all_of(*parts)) as info:
        call()
    err = info.value
    assert isinstance(err, sc.SymconvError), f"{type(err).__module__}.{type(err).__name__} is not a SymconvError: {err}"
    assert isinstance(err, cls), f"{type(err).__name__} is not a {cls.__name__}: {err}"
    return err


def case(id_, call, cls, builtin, *parts):
    return pytest.param(call, cls, builtin, parts, id=id_)


IAE, ITE, SE, UOE = sc.InvalidArgumentError, sc.InvalidTypeError, sc.ShapeError, sc.UnknownOptionError
MVE, SIE, TLE = sc.MissingValueError, sc.SymconvIndexError, sc.TooLargeError

X55, K33 = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
X1 = sc.tensor("x", (7,))
XC, WC = sc.tensor("x", (3, 6, 6)), sc.tensor("w", (4, 3, 3, 3))  # a 2-D layer: 3 -> 4 channels
XB = sc.tensor("x", (2, 3, 6, 6))                                 # the same, batched
XT, WT = sc.tensor("x", (2, 4)), sc.tensor("w", (2, 3, 3))         # a 1-D transposed layer: 2 -> 3 channels

# the public functions that take the sliding-window options, each called on a valid problem
WINDOWED = {
    "correlate": lambda **kw: sc.correlate(X55, K33, **kw),
    "convolve": lambda **kw: sc.convolve(X55, K33, **kw),
    "conv": lambda **kw: sc.conv(XC, WC, **kw),
    "conv_transpose": lambda **kw: sc.conv_transpose(XT, WT, **kw),
    "output_shape": lambda **kw: sc.output_shape((6, 6), (3, 3), **kw),
    "windows": lambda **kw: sc.windows(XC, (3, 3), **kw),
    "im2col": lambda **kw: sc.im2col(XC, (3, 3), **kw),
    "im2col_matmul": lambda **kw: sc.im2col_matmul(XC, WC, **kw),
    "toeplitz": lambda **kw: sc.toeplitz(K33, (5, 5), **kw),
}
RANK = {"conv_transpose": 1}  # spatial axes of each problem above (2 unless listed)
PADDED = ["conv", "conv_transpose", "output_shape", "windows", "im2col", "im2col_matmul", "toeplitz"]
SAME_PADDED = ["conv", "output_shape", "windows", "im2col", "im2col_matmul"]


# -------------------------------------------------------------------------------------------------
# tensor(): shapes and names
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,cls,builtin,parts", [
    case("shape-negative", lambda: sc.tensor("x", (-1,)), IAE, ValueError, "shape=(-1,)", "expected", ">= 0"),
    case("shape-negative-int", lambda: sc.tensor("x", -3), IAE, ValueError, "shape=", "-3", "expected", ">= 0"),
    case("shape-float", lambda: sc.tensor("x", (2.5, 3)), ITE, TypeError, "shape=(2.5, 3)", "expected", "integers"),
    case("shape-integral-float", lambda: sc.tensor("x", (2.0, 3)), ITE, TypeError, "shape=(2.0, 3)", "expected", "integers"),
    case("shape-bool", lambda: sc.tensor("x", (True, 3)), ITE, TypeError, "shape=(True, 3)", "expected", "integers"),
    case("shape-string", lambda: sc.tensor("x", "33"), ITE, TypeError, "shape='33'", "expected"),
    case("shape-none", lambda: sc.tensor("x", None), ITE, TypeError, "shape=None", "expected"),
    case("name-empty", lambda: sc.tensor("", (3,)), IAE, ValueError, "name=''", "expected", "identifier"),
    case("name-digit", lambda: sc.tensor("2x", (3,)), IAE, ValueError, "name='2x'", "expected", "identifier"),
    case("name-space", lambda: sc.tensor("a b", (3,)), IAE, ValueError, "name='a b'", "expected", "identifier"),
    case("name-bracket", lambda: sc.tensor("x[0]", (3,)), IAE, ValueError, "name='x[0]'", "expected", "identifier"),
    case("name-keyword", lambda: sc.tensor("lambda", (3,)), IAE, ValueError, "name='lambda'", "expected"),
    case("name-int", lambda: sc.tensor(3, (3,)), ITE, TypeError, "name=3", "string", "expected"),
    case("name-none", lambda: sc.tensor(None, (3,)), ITE, TypeError, "name=None", "expected"),
    case("name-symbol", lambda: sc.tensor(sympy.Symbol("x"), (3,)), ITE, TypeError, "name=x", "string", "expected"),
    case("real-not-bool", lambda: sc.tensor("x", (3,), real="yes"), ITE, TypeError, "real='yes'", "expected"),
])
def test_tensor_errors(call, cls, builtin, parts):
    check_error(call, cls, builtin, *parts)


# -------------------------------------------------------------------------------------------------
# shapes given to the other functions
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,cls,builtin,parts", [
    case("output_shape-input-zero", lambda: sc.output_shape((0, 5), (3, 3)), IAE, ValueError, "input_shape=(0, 5)", "expected"),
    case("output_shape-kernel-negative", lambda: sc.output_shape((5, 5), (-3, 3)), IAE, ValueError, "kernel_shape=(-3, 3)", "expected"),
    case("output_shape-input-float", lambda: sc.output_shape((5.0, 5), (3, 3)), ITE, TypeError, "input_shape=(5.0, 5)", "expected"),
    case("output_shape-kernel-float", lambda: sc.output_shape((5, 5), (3, 1.5)), ITE, TypeError, "kernel_shape=(3, 1.5)", "expected"),
    case("output_shape-empty", lambda: sc.output_shape((), ()), IAE, ValueError, "input_shape=()", "expected"),
    case("windows-kernel-zero", lambda: sc.windows(X55, (0, 3)), IAE, ValueError, "kernel_shape=(0, 3)", "expected"),
    case("windows-kernel-float", lambda: sc.windows(X55, (2.5, 3)), ITE, TypeError, "kernel_shape=(2.5, 3)", "expected"),
    case("im2col-kernel-zero", lambda: sc.im2col(X55, (3, 0)), IAE, ValueError, "kernel_shape=(3, 0)", "expected"),
    case("im2col-kernel-float", lambda: sc.im2col(X55, (3.0, 3)), ITE, TypeError, "kernel_shape=(3.0, 3)", "expected"),
    case("toeplitz-input-zero", lambda: sc.toeplitz(K33, (5, 0)), IAE, ValueError, "input_shape=(5, 0)", "expected"),
    case("toeplitz-input-float", lambda: sc.toeplitz(K33, (5.5, 5)), ITE, TypeError, "input_shape=(5.5, 5)", "expected"),
])
def test_shape_argument_errors(call, cls, builtin, parts):
    check_error(call, cls, builtin, *parts)


# -------------------------------------------------------------------------------------------------
# kernel larger than the input (valid mode / no padding), also through dilation; empty outputs
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,cls,builtin,parts", [
    # 'valid' refuses only when neither input is at least as large on every axis (scipy.signal's rule, gh-5897);
    # a larger second input is swapped in, see test_ops_parity.py::test_issue_10_1_larger_input_second_in_valid_mode
    case("correlate-neither-dominates", lambda: sc.correlate(sc.tensor("x", (5, 2)), K33), SE, ValueError,
         "mode='valid'", "(5, 2)", "(3, 3)", "at least as large", "expected"),
    case("convolve-neither-dominates", lambda: sc.convolve(sc.tensor("x", (2, 5)), K33, "valid"), SE, ValueError,
         "mode='valid'", "(2, 5)", "(3, 3)", "expected"),
    case("correlate-dilated-neither-dominates", lambda: sc.correlate(X55, K33, dilation=(3, 1)), SE, ValueError,
         "mode='valid'", "dilated extent (7, 3)", "(5, 5)", "expected"),
    case("convolve-3d-neither-dominates", lambda: sc.convolve(sc.tensor("x", (4, 4, 2)), sc.tensor("k", (3, 3, 3))),
         SE, ValueError, "mode='valid'", "(4, 4, 2)", "(3, 3, 3)", "expected"),
    case("toeplitz-neither-dominates", lambda: sc.toeplitz(K33, (2, 5)), SE, ValueError,
         "mode='valid'", "(3, 3)", "input_shape=(2, 5)", "expected"),
    case("toeplitz-dilated-neither-dominates", lambda: sc.toeplitz(K33, (5, 5), dilation=(3, 1)), SE, ValueError,
         "mode='valid'", "dilated extent (7, 3)", "(3, 3)", "(5, 5)", "expected"),
    case("windows-kernel-larger", lambda: sc.windows(sc.tensor("x", (3, 3)), (4, 4)), SE, ValueError,
         "(3, 3)", "kernel_shape=(4, 4)", "expected"),
    case("im2col-dilated-kernel-larger", lambda: sc.im2col(X55, (3, 3), dilation=3), SE, ValueError,
         "(5, 5)", "kernel_shape=(3, 3)", "dilation=(3, 3)", "expected"),
    case("im2col_matmul-kernel-larger", lambda: sc.im2col_matmul(sc.tensor("x", (3, 3)), sc.tensor("w", (5, 5))), SE,
         ValueError, "(3, 3)", "(5, 5)", "expected"),
    case("conv-kernel-larger", lambda: sc.conv(sc.tensor("x", (1, 2, 2)), sc.tensor("w", (1, 1, 3, 3))), SE, ValueError,
         "empty", "x.shape=(1, 2, 2)", "w.shape=(1, 1, 3, 3)", "expected"),
    case("conv-dilated-kernel-larger", lambda: sc.conv(XC, WC, dilation=3), SE, ValueError,
         "empty", "dilation=(3, 3)", "expected"),
    case("conv_transpose-empty", lambda: sc.conv_transpose(sc.tensor("x", (1, 1)), sc.tensor("w", (1, 1, 1)), padding=1),
         SE, ValueError, "empty", "padding=1", "expected"),
    case("output_shape-empty", lambda: sc.output_shape((2, 2), (3, 3)), SE, ValueError,
         "empty", "input_shape=(2, 2)", "kernel_shape=(3, 3)", "expected"),
    case("output_shape-dilated-empty", lambda: sc.output_shape((5,), (3,), dilation=3), SE, ValueError,
         "empty", "dilation=(3,)", "expected"),
    case("output_shape-transposed-empty", lambda: sc.output_shape((1,), (1,), transposed=True, padding=1), SE,
         ValueError, "empty", "padding=1", "expected"),
])
def test_kernel_larger_than_input(call, cls, builtin, parts):
    check_error(call, cls, builtin, *parts)


# -------------------------------------------------------------------------------------------------
# unknown string options: the message lists the choices
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,arg,value,choices", [
    pytest.param(lambda: sc.correlate(X55, K33, "smae"), "mode", "'smae'", ("valid", "same", "full"), id="correlate-mode"),
    pytest.param(lambda: sc.convolve(X55, K33, mode="VALID"), "mode", "'VALID'", ("valid", "same", "full"), id="convolve-mode"),
    pytest.param(lambda: sc.correlate(X55, K33, mode=None), "mode", "None", ("valid", "same", "full"), id="correlate-mode-none"),
    pytest.param(lambda: sc.toeplitz(K33, (5, 5), mode="circular"), "mode", "'circular'",
                 ("valid", "same", "full", "wrap"), id="toeplitz-mode"),
    pytest.param(lambda: sc.correlate(X55, K33, "same", boundary="circ"), "boundary", "'circ'", ("fill", "wrap", "symm"),
                 id="correlate-boundary"),
    pytest.param(lambda: sc.convolve(X55, K33, "same", boundary="reflect"), "boundary", "'reflect'",
                 ("fill", "wrap", "symm"), id="convolve-boundary"),
    pytest.param(lambda: sc.conv(XC, WC, padding=1, padding_mode="zero"), "padding_mode", "'zero'",
                 ("zeros", "reflect", "replicate", "circular"), id="conv-padding_mode"),
    pytest.param(lambda: sc.conv(XC, WC, padding_mode=None), "padding_mode", "None",
                 ("zeros", "reflect", "replicate", "circular"), id="conv-padding_mode-none"),
    pytest.param(lambda: sc.conv(XC, WC, padding="full"), "padding", "'full'", ("valid", "same"), id="conv-padding-string"),
    pytest.param(lambda: sc.windows(XC, (3, 3), padding="SAME"), "padding", "'SAME'", ("valid", "same"),
                 id="windows-padding-string"),
    pytest.param(lambda: sc.output_shape((5, 5), (3, 3), padding="full"), "padding", "'full'", ("valid", "same"),
                 id="output_shape-padding-string"),
])
def test_unknown_option_lists_the_choices(call, arg, value, choices):
    check_error(call, UOE, ValueError, f"{arg}={value}", "expected", *(f"'{c}'" for c in choices))


# -------------------------------------------------------------------------------------------------
# stride / dilation / padding / output_padding: range, type, length
# -------------------------------------------------------------------------------------------------
STRIDE_LIKE = [(name, arg) for name in WINDOWED for arg in ("stride", "dilation")]


@pytest.mark.parametrize("value", [0, -1])
@pytest.mark.parametrize("name,arg", STRIDE_LIKE, ids=[f"{n}-{a}" for n, a in STRIDE_LIKE])
def test_stride_and_dilation_below_one(name, arg, value):
    check_error(lambda: WINDOWED[name](**{arg: value}), IAE, ValueError, f"{arg}={value}", "expected", ">= 1")


@pytest.mark.parametrize("value", [1.5, 2.0, "2", True, None], ids=["1.5", "2.0", "str", "bool", "none"])
@pytest.mark.parametrize("name,arg", STRIDE_LIKE, ids=[f"{n}-{a}" for n, a in STRIDE_LIKE])
def test_stride_and_dilation_not_integers(name, arg, value):
    check_error(lambda: WINDOWED[name](**{arg: value}), ITE, TypeError, f"{arg}={value!r}", "expected", "integer")


@pytest.mark.parametrize("name,arg", STRIDE_LIKE, ids=[f"{n}-{a}" for n, a in STRIDE_LIKE])
def test_stride_and_dilation_tuple_with_a_non_integer(name, arg):
    value = (1.5,) if RANK.get(name, 2) == 1 else (1, 1.5)
    check_error(lambda: WINDOWED[name](**{arg: value}), ITE, TypeError, f"{arg}={value!r}", "expected")


PER_AXIS = ([(name, arg) for name in WINDOWED for arg in ("stride", "dilation")]
            + [(name, "padding") for name in PADDED]
            + [("conv_transpose", "output_padding"), ("output_shape", "output_padding")])


@pytest.mark.parametrize("name,arg", PER_AXIS, ids=[f"{n}-{a}" for n, a in PER_AXIS])
def test_wrong_length_per_axis_tuples(name, arg):
    rank = RANK.get(name, 2)
    extra = {"transposed": True} if name == "output_shape" and arg == "output_padding" else {}
    for value in [(1,) * (rank + 1), () if rank == 1 else (1,)]:
        n = len(value)
        check_error(lambda: WINDOWED[name](**{arg: value}, **extra), IAE, ValueError,
                    f"{arg}={value!r}", f"{n} entr", "expected", f"{rank} integers")


@pytest.mark.parametrize("value", [-1, (1, -1)], ids=["int", "tuple"])
@pytest.mark.parametrize("name", PADDED)
def test_negative_padding(name, value):
    shown = f"padding={value!r}"
    if RANK.get(name, 2) == 1 and isinstance(value, tuple):
        value, shown = (-1,), R(r"padding=\(?-1")
    check_error(lambda: WINDOWED[name](padding=value), IAE, ValueError, shown, "expected", ">= 0")


@pytest.mark.parametrize("name", PADDED)
def test_padding_not_an_integer(name):
    check_error(lambda: WINDOWED[name](padding=1.0), ITE, TypeError, "padding=1.0", "expected")


@pytest.mark.parametrize("stride", [2, (1, 2)])
@pytest.mark.parametrize("name", SAME_PADDED)
def test_same_padding_needs_stride_one(name, stride):
    st = (stride, stride) if isinstance(stride, int) else stride
    check_error(lambda: WINDOWED[name](padding="same", stride=stride), IAE, ValueError,
                "padding='same'", f"stride={st!r}", "stride=1")


@pytest.mark.parametrize("call,parts", [
    pytest.param(lambda: sc.conv_transpose(XT, WT, stride=2, output_padding=2), ("output_padding=2", "stride", "expected"),
                 id="conv_transpose-equal-to-stride"),
    pytest.param(lambda: sc.conv_transpose(XT, WT, stride=2, output_padding=3), ("output_padding=3", "stride", "expected"),
                 id="conv_transpose-above-stride"),
    pytest.param(lambda: sc.conv_transpose(XT, WT, dilation=2, output_padding=2), ("output_padding=2", "dilation", "expected"),
                 id="conv_transpose-equal-to-dilation"),
    pytest.param(lambda: sc.conv_transpose(XT, WT, output_padding=1), ("output_padding=1", "stride", "expected"),
                 id="conv_transpose-stride-one"),
    pytest.param(lambda: sc.output_shape((3, 3), (3, 3), stride=2, transposed=True, output_padding=2),
                 ("output_padding=2", "stride", "expected"), id="output_shape-equal-to-stride"),
    pytest.param(lambda: sc.output_shape((3, 3), (3, 3), stride=(2, 3), dilation=(3, 1), transposed=True,
                                         output_padding=(1, 3)),
                 ("output_padding=(1, 3)", "stride", "expected"), id="output_shape-per-axis"),
])
def test_output_padding_not_below_stride_or_dilation(call, parts):
    check_error(call, IAE, ValueError, *parts)


@pytest.mark.parametrize("call,cls,builtin,parts", [
    case("conv_transpose-output_padding-negative", lambda: sc.conv_transpose(XT, WT, output_padding=-1), IAE, ValueError,
         "output_padding=-1", "expected"),
    case("conv_transpose-output_padding-float", lambda: sc.conv_transpose(XT, WT, stride=2, output_padding=0.5), ITE,
         TypeError, "output_padding=0.5", "expected"),
    case("output_shape-output_padding-not-transposed", lambda: sc.output_shape((5,), (3,), stride=2, output_padding=1),
         IAE, ValueError, "output_padding=1", "transposed"),
    case("conv_transpose-padding-same", lambda: sc.conv_transpose(XT, WT, padding="same"), ITE, TypeError,
         "padding='same'", "expected"),
    case("output_shape-transposed-not-bool", lambda: sc.output_shape((5,), (3,), transposed="yes"), ITE, TypeError,
         "transposed='yes'", "expected", R("True or False|bool")),
])
def test_other_layer_argument_errors(call, cls, builtin, parts):
    check_error(call, cls, builtin, *parts)


# -------------------------------------------------------------------------------------------------
# channels, groups, bias, ranks, mismatched operands
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,cls,builtin,parts", [
    # groups
    case("conv-groups-not-dividing-c_in", lambda: sc.conv(XC, sc.tensor("w", (4, 1, 3, 3)), groups=2), SE, ValueError,
         "groups=2", "C_in=3", "expected"),
    case("conv-groups-not-dividing-c_out", lambda: sc.conv(sc.tensor("x", (4, 5, 5)), sc.tensor("w", (3, 2, 3, 3)), groups=2),
         SE, ValueError, "groups=2", "C_out=3", "expected"),
    case("conv_transpose-groups-not-dividing", lambda: sc.conv_transpose(sc.tensor("x", (3, 4)), sc.tensor("w", (3, 1, 2)),
                                                                          groups=2), SE, ValueError, "groups=2", "C_in=3",
         "expected"),
    case("conv-groups-zero", lambda: sc.conv(XC, WC, groups=0), IAE, ValueError, "groups=0", "expected", "positive"),
    case("conv-groups-float", lambda: sc.conv(XC, WC, groups=1.0), ITE, TypeError, "groups=1.0", "expected", "integer"),
    case("conv_transpose-groups-zero", lambda: sc.conv_transpose(XT, WT, groups=0), IAE, ValueError, "groups=0", "expected"),
    # channel mismatch between x and w
    case("conv-channel-mismatch", lambda: sc.conv(XC, sc.tensor("w", (4, 2, 3, 3))), SE, ValueError,
         "C_in=3", "w.shape[1]", "expected"),
    case("conv-batched-channel-mismatch", lambda: sc.conv(XB, sc.tensor("w", (4, 5, 3, 3))), SE, ValueError,
         "C_in=3", "expected"),
    case("conv-grouped-channel-mismatch", lambda: sc.conv(sc.tensor("x", (4, 5, 5)), sc.tensor("w", (2, 1, 3, 3)), groups=2),
         SE, ValueError, "C_in=4", "groups=2", "expected"),
    case("conv_transpose-channel-mismatch", lambda: sc.conv_transpose(sc.tensor("x", (3, 4)), WT), SE, ValueError,
         "(2, 3, 3)", "3 input channels", "expected"),
    case("im2col_matmul-channel-mismatch", lambda: sc.im2col_matmul(XC, sc.tensor("w", (4, 2, 3, 3))), SE, ValueError,
         "(4, 2, 3, 3)", "3 channels", "expected"),
    # bias
    case("conv-bias-too-short", lambda: sc.conv(XC, WC, sc.tensor("b", (3,))), SE, ValueError,
         "bias", "(3,)", "expected", "(4,)"),
    case("conv-bias-2d", lambda: sc.conv(XC, WC, sc.tensor("b", (4, 1))), SE, ValueError, "bias", "(4, 1)", "expected", "(4,)"),
    case("conv-bias-scalar", lambda: sc.conv(XC, WC, 1), SE, ValueError, "bias", "()", "expected", "(4,)"),
    case("conv_transpose-bias-wrong", lambda: sc.conv_transpose(XT, WT, [1, 2]), SE, ValueError,
         "bias", "(2,)", "expected", "(3,)"),
    # rank mismatches
    case("correlate-rank", lambda: sc.correlate(X55, sc.tensor("k", (3,))), SE, ValueError, "(3,)", "(5, 5)", "expected"),
    case("convolve-rank", lambda: sc.convolve(X1, K33), SE, ValueError, "(3, 3)", "(7,)", "expected"),
    # two scalars correlate to their product, as scipy.signal (test_ops_parity.py); a scalar and an array do not fit
    case("correlate-scalar-and-array", lambda: sc.correlate(3, [4, 5]), SE, ValueError, "k", "(2,)", "()", "expected"),
    case("toeplitz-rank", lambda: sc.toeplitz(K33, (5,)), SE, ValueError, "(3, 3)", "input_shape=(5,)", "expected"),
    case("output_shape-rank", lambda: sc.output_shape((5, 5), (3,)), SE, ValueError, "kernel_shape=(3,)", "(5, 5)", "expected"),
    case("conv-x-rank", lambda: sc.conv(sc.tensor("x", (6, 6)), WC), SE, ValueError, "(6, 6)", "(4, 3, 3, 3)", "expected"),
    case("conv-w-rank", lambda: sc.conv(XC, sc.tensor("w", (3, 3))), SE, ValueError, "w", "(3, 3)", "expected"),
    case("conv_transpose-x-rank", lambda: sc.conv_transpose(sc.tensor("x", (2, 2, 2, 4)), WT), SE, ValueError,
         "(2, 2, 2, 4)", "expected"),
    case("windows-rank", lambda: sc.windows(X55, (3, 3, 3, 3)), SE, ValueError, "(5, 5)", "kernel_shape=(3, 3, 3, 3)", "expected"),
    case("im2col_matmul-rank", lambda: sc.im2col_matmul(X55, sc.tensor("w", (3,))), SE, ValueError, "(5, 5)", "(3,)", "expected"),
    # the forms
    case("hadamard_sum-shapes", lambda: sc.hadamard_sum(X55, K33), SE, ValueError, "(5, 5)", "(3, 3)", "expected"),
    case("hadamard_sum-same-size-other-shape", lambda: sc.hadamard_sum(sc.tensor("a", (9,)), K33), SE, ValueError,
         "(9,)", "(3, 3)", "expected"),
    case("dot_flat-sizes", lambda: sc.dot_flat(X55, K33), SE, ValueError, "25", "9", "expected"),
    case("matmul-misaligned", lambda: sc.matmul(sc.tensor("a", (2, 3)), sc.tensor("b", (2, 3))), SE, ValueError,
         "(2, 3)", "aligned", "expected"),
    case("matmul-vectors", lambda: sc.matmul([1, 2, 3], [1, 2]), SE, ValueError, "(3,)", "(2,)", "expected"),
    case("matmul-3d", lambda: sc.matmul(sc.tensor("a", (2, 3, 3)), K33), SE, ValueError, "(2, 3, 3)", "2-D"),
    case("matmul-operator-misaligned", lambda: sc.im2col(X55, (3, 3)) @ sc.tensor("v", (8,)), SE, ValueError,
         "(9, 9)", "(8,)", "expected"),
    # padding mode limits, fillvalue
    case("conv-reflect-padding-too-large", lambda: sc.conv(XC, WC, padding=6, padding_mode="reflect"), IAE, ValueError,
         "padding=6", "reflect", "6", "expected"),
    case("conv-reflect-padding-too-large-one-axis", lambda: sc.conv(sc.tensor("x", (1, 8, 3)), sc.tensor("w", (1, 1, 3, 3)),
                                                                    padding=(1, 3), padding_mode="reflect"), IAE,
         ValueError, "padding=3", "reflect", "expected"),
    case("conv-circular-padding-too-large", lambda: sc.conv(XC, WC, padding=7, padding_mode="circular"), IAE, ValueError,
         "padding=7", "circular", "expected"),
    case("correlate-fillvalue-wrap", lambda: sc.correlate(X55, K33, "same", boundary="wrap", fillvalue=1), IAE, ValueError,
         "fillvalue=1", "boundary='wrap'", "fill"),
    case("convolve-fillvalue-symm", lambda: sc.convolve(X55, K33, "same", boundary="symm", fillvalue=2), IAE, ValueError,
         "fillvalue=2", "boundary='symm'", "fill"),
    case("correlate-fillvalue-string", lambda: sc.correlate(X55, K33, "same", boundary="fill", fillvalue="a"), ITE, TypeError,
         "fillvalue='a'", "expected", "number"),
    case("toeplitz-wrap-with-padding", lambda: sc.toeplitz(K33, (5, 5), mode="wrap", padding=1), SE, ValueError,
         "padding=1", "mode='wrap'", "expected"),
])
def test_operand_errors(call, cls, builtin, parts):
    check_error(call, cls, builtin, *parts)


# -------------------------------------------------------------------------------------------------
# input coercion: ragged lists, unsupported types, NaN
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,arg,value", [
    pytest.param(lambda: sc.correlate([[1, 2], [3]], [[1]]), "x", "[[1, 2], [3]]", id="correlate-x"),
    pytest.param(lambda: sc.convolve([1, 2, 3], [[1], [2, 3]]), "k", "[[1], [2, 3]]", id="convolve-k"),
    pytest.param(lambda: sc.hadamard_sum([[1, 2], [3]], [[1, 2], [3]]), "a", "[[1, 2], [3]]", id="hadamard_sum"),
    pytest.param(lambda: sc.dot_flat([1, 2], [[1, 2], [3, [4]]]), "b", "[[1, 2], [3, [4]]]", id="dot_flat-deep"),
    pytest.param(lambda: sc.matmul([[1, 2], [3]], [1, 2]), "a", "[[1, 2], [3]]", id="matmul"),
    pytest.param(lambda: sc.conv([[[1, 2], [3]]], [[[[1]]]]), "x", "[[[1, 2], [3]]]", id="conv"),
    pytest.param(lambda: sc.flip([[1], [2, 3]]), "k", "[[1], [2, 3]]", id="flip"),
    pytest.param(lambda: sc.evaluate([[1, 2], [3]]), "expr", "[[1, 2], [3]]", id="evaluate"),
])
def test_ragged_nested_lists(call, arg, value):
    check_error(call, SE, ValueError, f"{arg}={value}", "ragged", "expected")


def _unsupported_calls(bad):
    """Every public function with `bad` in each array argument: (id, call, argument name)."""
    x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    return [
        ("correlate-x", lambda: sc.correlate(bad, k), "x"),
        ("correlate-k", lambda: sc.correlate(x, bad), "k"),
        ("convolve-x", lambda: sc.convolve(bad, k), "x"),
        ("convolve-k", lambda: sc.convolve(x, bad), "k"),
        ("conv-x", lambda: sc.conv(bad, WC), "x"),
        ("conv-w", lambda: sc.conv(XC, bad), "w"),
        ("conv-bias", lambda: sc.conv(XC, WC, bad), "bias"),
        ("conv_transpose-x", lambda: sc.conv_transpose(bad, WT), "x"),
        ("conv_transpose-w", lambda: sc.conv_transpose(XT, bad), "w"),
        ("conv_transpose-bias", lambda: sc.conv_transpose(XT, WT, bad), "bias"),
        ("hadamard_sum-a", lambda: sc.hadamard_sum(bad, k), "a"),
        ("hadamard_sum-b", lambda: sc.hadamard_sum(k, bad), "b"),
        ("dot_flat-a", lambda: sc.dot_flat(bad, k), "a"),
        ("dot_flat-b", lambda: sc.dot_flat(k, bad), "b"),
        ("matmul-a", lambda: sc.matmul(bad, k), "a"),
        ("matmul-b", lambda: sc.matmul(k, bad), "b"),
        ("windows-x", lambda: sc.windows(bad, (3, 3)), "x"),
        ("im2col-x", lambda: sc.im2col(bad, (3, 3)), "x"),
        ("im2col_matmul-x", lambda: sc.im2col_matmul(bad, k), "x"),
        ("im2col_matmul-w", lambda: sc.im2col_matmul(x, bad), "w"),
        ("toeplitz-k", lambda: sc.toeplitz(bad, (5, 5)), "k"),
        ("flip-k", lambda: sc.flip(bad), "k"),
        ("evaluate-expr", lambda: sc.evaluate(bad), "expr"),
    ]


UNSUPPORTED = [(f"{cid}-{kind}", call, arg, shown)
               for kind, bad, shown in [("dict", {"a": 1}, "{'a': 1}"), ("str", "abc", "'abc'")]
               for cid, call, arg in _unsupported_calls(bad)]


@pytest.mark.parametrize("call,arg,shown", [pytest.param(c, a, s, id=i) for i, c, a, s in UNSUPPORTED])
def test_unsupported_input_types(call, arg, shown):
    check_error(call, ITE, TypeError, f"{arg}={shown}", "expected")


@pytest.mark.parametrize("call,arg", [
    pytest.param(lambda: sc.hadamard_sum([None, 1], [1, 2]), "a", id="none-in-list"),
    pytest.param(lambda: sc.hadamard_sum([1, 2], ["a", "b"]), "b", id="str-in-list"),
    pytest.param(lambda: sc.correlate(np.array(["a", "b"]), [1]), "x", id="str-ndarray"),
    pytest.param(lambda: sc.output_shape("abc", (3,)), "input_shape", id="output_shape-str"),
    pytest.param(lambda: sc.output_shape({"a": 1}, (3,)), "input_shape", id="output_shape-dict"),
    pytest.param(lambda: sc.toeplitz(K33, {"a": 1}), "input_shape", id="toeplitz-shape-dict"),
    pytest.param(lambda: sc.windows(X55, "33"), "kernel_shape", id="windows-kernel-str"),
])
def test_unsupported_entries_and_shape_types(call, arg):
    check_error(call, ITE, TypeError, arg, "expected")


NAN = R(r"(?i:\bnan\b|\binf|\boo\b|\bzoo\b)")


@pytest.mark.parametrize("call,arg", [
    pytest.param(lambda: sc.correlate(np.array([1.0, np.nan, 2.0]), [1.0]), "x", id="ndarray-nan"),
    pytest.param(lambda: sc.conv(XC, np.full((4, 3, 3, 3), np.inf)), "w", id="ndarray-inf"),
    pytest.param(lambda: sc.correlate([1.0, float("nan"), 2.0], [1.0]), "x", id="list-nan"),
    pytest.param(lambda: sc.hadamard_sum([float("inf"), 1.0], [1, 2]), "a", id="list-inf"),
    pytest.param(lambda: sc.convolve([1.0, 2.0, 3.0], [float("-inf")]), "k", id="list-minus-inf"),
    pytest.param(lambda: sc.hadamard_sum(np.array([float("nan"), 1], dtype=object), [1, 2]), "a", id="object-ndarray-nan"),
    pytest.param(lambda: sc.matmul(sympy.Matrix([[sympy.nan, 1]]), [[1], [2]]), "a", id="sympy-matrix-nan"),
    pytest.param(lambda: sc.correlate(sympy.Array([1, sympy.oo]), [1]), "x", id="sympy-array-oo"),
    pytest.param(lambda: sc.dot_flat([sympy.zoo, 1], [1, 2]), "a", id="sympy-zoo"),
    pytest.param(lambda: sc.correlate(np.array([1 + 0j, complex(np.nan, 0)]), [1]), "x", id="complex-nan"),
    pytest.param(lambda: sc.conv(XC, WC, [float("nan"), 1.0, 2.0, 3.0]), "bias", id="bias-nan"),
    pytest.param(lambda: sc.correlate(X55, K33, "same", boundary="fill", fillvalue=float("nan")), "fillvalue",
                 id="fillvalue-nan"),
    pytest.param(lambda: sc.correlate(X55, K33, "same", fillvalue=float("inf")), "fillvalue", id="fillvalue-inf"),
])
def test_nan_or_infinity_in_a_float_input(call, arg):
    check_error(call, IAE, ValueError, arg, NAN, "expected", "finite")


# -------------------------------------------------------------------------------------------------
# evaluate
# -------------------------------------------------------------------------------------------------
Y = sc.correlate(X55, K33)
ONES55, ONES33 = np.ones((5, 5), dtype=int), np.ones((3, 3), dtype=int)


@pytest.mark.parametrize("call,cls,builtin,parts", [
    case("missing-tensor", lambda: sc.evaluate(Y, x=ONES55), MVE, KeyError, "k[0, 0]", "'k'", "expected", "k=", "(3, 3)"),
    case("missing-both", lambda: sc.evaluate(Y), MVE, KeyError, "no value", "expected"),
    case("missing-element", lambda: sc.evaluate(sc.hadamard_sum(sc.tensor("a", (2,)), sc.tensor("b", (2,))),
                                                {sympy.IndexedBase(sympy.Symbol("a", real=True))[0]: 1}, b=[1, 1]),
         MVE, KeyError, "a[1]", "expected"),
    case("missing-scalar-tensor", lambda: sc.evaluate(sc.tensor("b", ())), MVE, KeyError, "b", "expected", "b="),
    case("missing-scalar-symbol", lambda: sc.evaluate(sc.correlate(X1, [sympy.Symbol("t"), 1]), x=np.arange(7)), MVE,
         KeyError, "t", "expected", "t="),
    case("missing-bias-symbol", lambda: sc.evaluate(sc.conv(XC, WC, [sympy.Symbol("beta")] * 4), x=np.ones((3, 6, 6)),
                                                    w=np.ones((4, 3, 3, 3))), MVE, KeyError, "beta", "expected"),
    case("value-too-small", lambda: sc.evaluate(Y, x=np.ones((4, 4)), k=ONES33), SE, ValueError,
         "x", "(4, 4)", "expected", "(5, 5)"),
    case("value-too-big", lambda: sc.evaluate(Y, x=np.ones((6, 6)), k=ONES33), SE, ValueError,
         "x", "(6, 6)", "expected", "(5, 5)"),
    case("value-wrong-rank", lambda: sc.evaluate(Y, x=np.ones(25), k=ONES33), SE, ValueError,
         "x", "(25,)", "expected", "(5, 5)"),
    case("value-extra-axis", lambda: sc.evaluate(Y, x=np.ones((5, 5, 1)), k=ONES33), SE, ValueError,
         "x", "(5, 5, 1)", "expected", "(5, 5)"),
    case("value-non-numbers", lambda: sc.evaluate(Y, x=np.full((5, 5), "a"), k=ONES33), ITE, TypeError,
         "x", "non-numbers", "expected"),
    case("value-symbolic", lambda: sc.evaluate(Y, x=np.full((5, 5), sympy.Symbol("t"), dtype=object), k=ONES33), ITE,
         TypeError, "x", "expected", "numbers"),
    case("value-a-string", lambda: sc.evaluate(Y, x="abc", k=ONES33), ITE, TypeError, "x", "'abc'", "expected"),
    case("value-a-dict", lambda: sc.evaluate(Y, x={"a": 1}, k=ONES33), ITE, TypeError, "x", "{'a': 1}", "expected"),
    case("values-not-a-mapping", lambda: sc.evaluate(Y, [ONES55, ONES33]), ITE, TypeError, "values", "list",
         "expected", R("dict|mapping")),
])
def test_evaluate_errors(call, cls, builtin, parts):
    check_error(call, cls, builtin, *parts)


def test_missing_value_error_message_is_not_a_repr():
    """KeyError normally repr()s its message; symconv's must read as plain text."""
    err = check_error(lambda: sc.evaluate(Y, x=ONES55), MVE, KeyError, "k[0, 0]")
    assert not str(err).startswith(("'", '"'))


# -------------------------------------------------------------------------------------------------
# flip
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("axes", [2, -3, (0, 2), (5,)], ids=str)
def test_flip_axes_out_of_range(axes):
    # NumPy (AxisError) and PyTorch raise an IndexError-compatible error for an out-of-range axis
    err = check_error(lambda: sc.flip(K33, axes=axes), IAE, ValueError, f"axes={axes!r}", "2 axes", "expected")
    assert isinstance(err, IndexError), f"{type(err).__name__} is not an IndexError (np.flip raises AxisError)"


@pytest.mark.parametrize("axes", [(0, 0), (1, -1), (0, -2, 1)], ids=str)
def test_flip_duplicate_axes(axes):
    check_error(lambda: sc.flip(K33, axes=axes), IAE, ValueError, f"axes={axes!r}", "distinct", "expected")


@pytest.mark.parametrize("axes", [1.0, "0", [0, 1.0]], ids=str)
def test_flip_axes_not_integers(axes):
    check_error(lambda: sc.flip(K33, axes=axes), ITE, TypeError, f"axes={axes!r}", "expected", "integer")


def test_flip_axis_of_a_scalar():
    check_error(lambda: sc.flip(sc.tensor("b", ()), axes=0), IAE, ValueError, "axes=0", "0 axes", "expected")


# -------------------------------------------------------------------------------------------------
# indexing and reshaping results
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make,index,shape", [
    pytest.param(lambda: sc.correlate(X55, K33), (3, 0), (3, 3), id="row-past-end"),
    pytest.param(lambda: sc.correlate(X55, K33), (0, 3), (3, 3), id="column-past-end"),
    pytest.param(lambda: sc.correlate(X55, K33), (-4, 0), (3, 3), id="negative-past-start"),
    pytest.param(lambda: sc.correlate(X55, K33), (0, 0, 0), (3, 3), id="too-many-indices"),
    pytest.param(lambda: sc.correlate(X55, K33), 5, (3, 3), id="int-past-end"),
    pytest.param(lambda: sc.hadamard_sum(K33, K33), 0, (), id="index-a-scalar"),
    pytest.param(lambda: sc.im2col(X55, (3, 3)), (9, 0), (9, 9), id="matrix-row"),
    pytest.param(lambda: sc.conv(XB, WC), (2, 0, 0, 0), (2, 4, 4, 4), id="batch"),
    pytest.param(lambda: sc.tensor("x", (4,)), 4, (4,), id="tensor"),
    pytest.param(lambda: sc.correlate(X55, K33), (0.5, 0), (3, 3), id="float-index"),
])
def test_out_of_range_indexing(make, index, shape):
    result = make()
    check_error(lambda: result[index], SIE, IndexError, repr(index), repr(shape))


def test_reshape_to_a_wrong_size():
    check_error(lambda: X55.reshape(7), SE, ValueError, "(7,)", R(r"25|\(5, 5\)"), "expected")


@pytest.mark.parametrize("shape", [-1, (-1,), (-1, 5), (5, -1), [25], (1, 25), np.int64(25),
                                   (np.int64(5), np.int64(5)), (np.int32(25), 1)], ids=repr)
def test_valid_reshapes_are_not_refused(shape):
    """The wrong-size check must not refuse what NumPy and SymPy accept: -1 and NumPy integers."""
    base = sympy.IndexedBase(sympy.Symbol("x", real=True))
    flat = [base[i, j] for i in range(5) for j in range(5)]
    expected = np.array(flat, dtype=object).reshape(shape)
    result = X55.reshape(shape)
    assert result.shape == expected.shape
    assert result == sympy.Array(expected.tolist())


@pytest.mark.parametrize("op", ["add", "sub"])
def test_arithmetic_between_different_shapes(op):
    """(5, 5) + (3, 3) must not silently add entries by their flat index."""
    a, b = sc.tensor("x", (5, 5)), sc.tensor("y", (3, 3))
    call = (lambda: a + b) if op == "add" else (lambda: a - b)
    check_error(call, SE, ValueError, "(5, 5)", "(3, 3)", "expected")


# -------------------------------------------------------------------------------------------------
# requests too big for memory: refused up front, fast, with an estimate
# -------------------------------------------------------------------------------------------------
TERMS = R(r"\d[\d,]*\s*(?:\w+\s+)?terms")
BYTES = R(r"\d\s*(?:[KMGTP]i?B|bytes)")


def refuse_quickly(call, *parts):
    """`call` raises TooLargeError with an estimate, up front: before any term table is built (no timing)."""
    with before_any_table():
        err = check_error(call, TLE, MemoryError, TERMS, BYTES, *parts)
    return err


def test_seed_sized_layer_is_refused_quickly():
    """The brief's example: 512 channels of 512x512 with 512 9x9 filters (~5e12 terms), refused before any work."""
    with before_any_table(), pytest.raises(sc.TooLargeError, match=all_of(TERMS, BYTES)) as info:
        x = sc.tensor("x", (512, 512, 512))
        w = sc.tensor("w", (512, 512, 9, 9))
        sc.conv(x, w)
    assert isinstance(info.value, MemoryError) and isinstance(info.value, sc.SymconvError)
    assert "conv" in str(info.value)


def _pair(sx, sy, nx="x", ny="k"):
    return lambda: (sc.tensor(nx, sx), sc.tensor(ny, sy))


@pytest.mark.parametrize("operands,op", [
    pytest.param(_pair((64, 64, 64), (512, 64, 9, 9), "x", "w"), sc.conv, id="conv"),
    pytest.param(_pair((512, 32, 32), (512, 64, 9, 9), "x", "w"), sc.conv_transpose, id="conv_transpose"),
    pytest.param(_pair((2000, 2000), (2000, 2000)), lambda x, k: sc.correlate(x, k, "full"), id="correlate"),
    pytest.param(_pair((2000, 2000), (2000, 2000)), lambda x, k: sc.convolve(x, k, "full"), id="convolve"),
    pytest.param(_pair((2000, 2000), (2000, 2000), "a", "b"), sc.matmul, id="matmul"),
    pytest.param(lambda: (sc.tensor("k", (100, 100)), (5000, 5000)), sc.toeplitz, id="toeplitz"),
])
def test_too_large_operations_are_refused(operands, op):
    args = operands()  # building the operands is not part of the refusal time
    refuse_quickly(lambda: op(*args))


def test_too_large_hadamard_sum_is_refused():
    a = sc.correlate(sc.tensor("a", (100, 100)), sc.tensor("b", (40, 40)))  # 3721 entries of 1600 terms
    refuse_quickly(lambda: sc.hadamard_sum(a, a))


def test_too_large_dot_flat_is_refused():
    a = sc.correlate(sc.tensor("a", (1000,)), sc.tensor("b", (1000,)), "full")  # up to 1000 terms per entry
    refuse_quickly(lambda: sc.dot_flat(a, a))


@pytest.mark.parametrize("form", ["windows", "im2col"])
def test_too_large_receptive_fields_are_refused(form):
    x = sc.tensor("x", (2000, 2000))
    refuse_quickly(lambda: getattr(sc, form)(x, (1000, 1000)))


def test_too_large_im2col_matmul_is_refused():
    x, w = sc.tensor("x", (2000, 2000)), sc.tensor("w", (1000, 1000))
    refuse_quickly(lambda: sc.im2col_matmul(x, w))


@pytest.mark.parametrize("form", ["windows", "im2col", "im2col_matmul"])
def test_too_large_receptive_fields_of_a_moderate_input_are_refused_up_front(form):
    x = sc.tensor("x", (16, 300, 300))  # 1.4e6 entries; 40x40 windows give ~1.7e9 terms
    args = (sc.tensor("w", (8, 16, 40, 40)),) if form == "im2col_matmul" else ((40, 40),)
    refuse_quickly(lambda: getattr(sc, form)(x, *args))


# far beyond any address space, so that no allocation can succeed even with memory overcommit
@pytest.mark.parametrize("shape", [(10**7, 10**7), (10**5, 10**5, 10**5), (10**10, 10**10)], ids=str)
def test_too_large_tensor_is_refused(shape):
    refuse_quickly(lambda: sc.tensor("x", shape))


def test_too_large_conversion_to_sympy_is_refused():
    x = sc.tensor("x", (3000, 3000))
    for convert in (lambda: x.tolist(), lambda: np.asarray(x), lambda: sympy.Matrix(x)):
        err = refuse_quickly(convert)
        assert "SymPy" in str(err)


def test_sympy_array_conversion_respects_the_sympy_limit():
    """sympy.Array(a) is a documented conversion: it must obey max_sympy_terms like tolist()/np.asarray()."""
    old = sc.set_limits(max_sympy_terms=1000)
    try:
        x = sc.tensor("x", (40, 40))  # 1600 SymPy terms > 1000
        refuse_quickly(lambda: x.tolist())
        refuse_quickly(lambda: sympy.Array(x))
    finally:
        sc.set_limits(**vars(old))


def test_an_empty_tensor_is_a_tensor():
    """A zero batch is legitimate (PyTorch): tensor() takes axes of size 0 (issue 10, item 2)."""
    x = sc.tensor("x", (0, 4, 10))
    assert x.shape == (0, 4, 10) and x.n_terms == 0 and x.tolist() == []
    assert sc.conv(x, sc.tensor("w", (5, 4, 3))).shape == (0, 5, 8)
