"""Issue 11: silent wrong answers, foreign exceptions and messages that miss the argument.

One regression test per item of the issue, named after it (the resource items are in
tests/test_resources.py, the LaTeX bombs in tests/test_latex_bounds.py).
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
import scipy.signal as ss
import sympy

import symconv as sc
from symconv.errors import InvalidArgumentError, InvalidTypeError, ShapeError
from symconv.trace import InexactWarning, TraceError


# 1. probe never rounds a coefficient to 0
def test_issue_11_1_probe_keeps_small_coefficients():
    x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    with pytest.warns(InexactWarning):
        got = sc.probe(lambda a, b: 1e-9 * np.convolve(a, b), (3,), (2,))
    assert got == sc.convolve(x, k, "full") * sympy.Float(1e-9)
    assert all(e != 0 for e in got.tolist())


def test_issue_11_1_probe_reads_complex_coefficients_exactly():
    x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning, no InexactWarning: 2 + i is exact
        got = sc.probe(lambda a, b: (2 + 1j) * np.convolve(a, b), (3,), (2,))
    assert got == sc.convolve(x, k, "full") * (2 + sympy.I)


def test_issue_11_1_probe_drops_only_relative_noise():
    x, k = sc.tensor("x", (5,)), sc.tensor("k", (3,))
    assert sc.probe(ss.fftconvolve, (5,), (3,)) == sc.convolve(x, k, "full")


# 2. every integer dtype, every width and sign
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int64])
def test_issue_11_2_unsigned_integers(dtype):
    big = np.iinfo(dtype).max
    a = sc.tensor("a", (1,))
    assert sc.evaluate(a, a=np.array([big], dtype=dtype)).tolist() == [int(big)]
    assert sc.hadamard_sum(np.array([big], dtype=dtype), np.array([2], dtype=dtype)) == 2 * int(big)
    assert sc.evaluate(sc.hadamard_sum(np.array([2**63], dtype=np.uint64), [2])) == 2**64


# 3. one name, two tensors: refused, never merged
def test_issue_11_3_one_name_two_tensors():
    x55, x33 = sc.tensor("x", (5, 5)), sc.tensor("x", (3, 3))
    with pytest.raises(ShapeError, match="two different tensors are both named 'x'"):
        sc.correlate(x55, x33)
    with pytest.raises(ShapeError, match="both named 'x'"):
        sc.equivalent(x55[:3, :3], x33)
    with pytest.raises(ShapeError, match="real and for a complex"):
        sc.equivalent(sc.tensor("z", (2,)), sc.tensor("z", (2,), real=False))
    X = sympy.IndexedBase("x")
    with pytest.raises(ShapeError, match="outside the tensor 'x' of shape"):
        sc.equivalent(sympy.Array([X[3, 0]]), x33[0, :1])


# 4. masked arrays: SciPy's reading (np.asarray keeps the masked values)
def test_issue_11_4_masked_arrays_follow_scipy():
    m = np.ma.array([1, 2, 3], mask=[1, 0, 0])
    assert sc.correlate(m, [1]).tolist() == ss.correlate(m, [1]).tolist() == [1, 2, 3]


# 5. trace reads a tuple as a shape (NumPy integers included), never as data
def test_issue_11_5_trace_shapes_of_numpy_integers():
    assert sc.trace(lambda a, b: a, (np.int64(3), 3), (2,)).shape == (3, 3)
    assert sc.trace(lambda a, b: a, np.int32(4), (2,)).shape == (4,)
    with pytest.raises(InvalidTypeError, match=r"\(3.0,\)"):
        sc.trace(lambda a, b: a, (3.0,), (2,))


# 6. conditions accepts the IndexedBase (or name) the user has
@pytest.mark.parametrize("over", [sympy.IndexedBase("k"), "k", sympy.Symbol("k")])
def test_issue_11_6_conditions_over_an_indexedbase(over):
    x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (3, 3))
    want = sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=k)
    assert len(want) == 4
    assert sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=over) == want
    with pytest.raises(InvalidArgumentError, match="names no single tensor"):
        sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over="q")


# 7. the small ones
def test_issue_11_7_limits_samples_and_sizes():
    with pytest.raises(InvalidTypeError):
        sc.set_limits(max_terms=1.7)
    with pytest.raises(InvalidArgumentError):
        sc.set_limits(max_terms=-1)
    with pytest.raises(InvalidArgumentError, match="samples"):
        sc.derive("hadamard-sum-is-flattened-dot").verify(samples=-1)
    from symconv.cli import parse_sizes

    with pytest.raises(InvalidArgumentError, match="twice"):
        parse_sizes("H=5,H=6")


# 12. foreign exceptions
def test_issue_11_12_latex_settings():
    with pytest.raises(InvalidTypeError, match="foo"):
        sc.latex(sc.tensor("x", (2,)), foo=1)


# 13. messages that name the argument
@pytest.mark.parametrize("fn,what", [(lambda a, b: None, "returned None"),
                                     (lambda a, b: np.full(4, np.nan), "NaN or infinity")])
def test_issue_11_13_probe_says_what_came_back(fn, what):
    with pytest.raises(TraceError, match=what):
        sc.probe(fn, (3,), (2,))


def test_issue_11_13_messages_name_the_argument():
    with pytest.raises(ShapeError, match=r"^w has shape \(0, 3\)"):
        sc.im2col_matmul(sc.tensor("x", (3, 3)), np.zeros((0, 3)))
    with pytest.raises(ShapeError, match=r"^a has shape \(2, 2, 2\).*expected a 1-D or 2-D"):
        sc.matmul(np.ones((2, 2, 2)), np.ones((2, 2)))
    with pytest.raises(ShapeError, match=r"^b has shape \(\).*expected a 1-D or 2-D"):
        sc.matmul(np.ones((2, 2)), 3)


def test_issue_11_13_no_pdf_message(tmp_path, capsys):
    from symconv.cli import main

    assert main(["-o", str(tmp_path / "out"), "--no-pdf"]) == 0
    err = capsys.readouterr().err
    assert "--no-pdf" in err and "no pdflatex" not in err


# 14. files appear whole or not at all
def test_issue_11_14_atomic_writes(tmp_path, monkeypatch):
    from symconv.documents import pdf

    target = tmp_path / "doc.tex"
    target.write_text("old")

    def interrupted(fd, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf.os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pdf.write_text(target, "new")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["doc.tex"]
