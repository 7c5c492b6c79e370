"""The derivation catalogue (``symconv.derive``): checked proofs, tampering, errors, LaTeX, PDF.

What is tested here:

1. every catalogue entry verifies at general sizes and at one set of concrete sizes;
2. a tampered step (a factor 2, a shifted index, a moved summation bound) is never
   accepted: ``verify()`` names the step, ``verified`` drops to False and nothing is printed;
3. the errors of ``derive`` (unknown name, bad / missing / inconsistent sizes);
4. the LaTeX views (``latex``, ``_repr_latex_``, ``document``);
5. every document compiles with ``pdflatex`` (required: CI installs it);
6. the two ends of the chains, evaluated numerically, against SciPy / NumPy;
7. the concrete evaluator's conventions (empty sums, Karr's reversed sums, reads out of shape);
8. the side conditions of the rewrite rules.

Tests marked ``Regression, fixed`` were written failing against documented behaviour symconv lacked;
they pass since the fixes and guard them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
import shutil
import subprocess

import numpy as np
import pytest
import scipy.signal as ss
import sympy
from numpy.testing import assert_array_equal

import symconv as sc
from symconv.proofs.concrete import Evaluator
from symconv.proofs.derivation import Chain
from symconv.proofs.rules import ExtendByZero, Flatten, Reindex, Swap
from symconv.proofs.vocab import Context, Iverson, index, sums

NAMES = sc.derive()

#: one valid set of concrete sizes per entry (small: each is expanded exactly)
CONCRETE = {
    "convolution-is-flipped-correlation": dict(H=4, W=5, k_h=2, k_w=3),
    "correlation-is-windowed-hadamard-sum": dict(H=4, W=4, k_h=3, k_w=2),
    "hadamard-sum-is-flattened-dot": dict(m=2, n=3),
    "correlation-is-im2col-matmul": dict(H=5, W=5, k_h=3, k_w=3),
    "depth-is-a-dot-product": dict(C=2, H=3, W=4, k_h=2, k_w=2),
    "one-by-one-conv-is-channel-matmul": dict(C=2, O=3, H=2, W=3),
    "fully-connected-is-whole-input-conv": dict(C=2, O=3, H=2, W=2),
    "correlation-is-toeplitz-matvec": dict(H=4, W=5, k_h=2, k_w=3),
    "convolution-equals-correlation-iff-centrosymmetric": dict(H=4, W=4, k_h=2, k_w=3),
    "matrix-product-is-not-hadamard-sum": dict(n=3),
    "strided-correlation-is-decimated": dict(N=8, K=3, S=2),
    "convolution-is-commutative": dict(N=3, K=4),           # the kernel longer than the input: still commutes
    "correlation-is-not-commutative": dict(N=2, K=3),
    "correlation-is-linear-in-the-input": dict(N=4, K=2),
    "dilated-kernel-is-kernel-with-zeros": dict(N=8, K=3, d=2),
    "correlation-of-correlations": dict(N=7, A=3, B=2),
    "strided-padded-correlation-is-im2col": dict(N=6, K=3, s=2, p=1),
}
#: entries whose chain is legitimately shorter than unfold / rewrite / fold
MIN_STEPS = {"strided-correlation-is-decimated": 2}  # unfold, then fold into the unit-stride correlation
CONCRETE_NAMES = [n for n in NAMES if n in CONCRETE]


# -------------------------------------------------------------------------------------------------
# helpers
# -------------------------------------------------------------------------------------------------
@functools.cache
def general(name: str) -> sc.Derivation:
    """The general-size derivation, built once (tests that change it work on a copy)."""
    return sc.derive(name)


@functools.cache
def concrete(name: str) -> sc.Derivation:
    return sc.derive(name, **CONCRETE[name])


def fresh(d: sc.Derivation) -> sc.Derivation:
    """A copy whose steps and facts can be replaced without touching the cached derivation."""
    c = copy.copy(d)
    c.steps, c.facts, c.checked_at = list(d.steps), list(d.facts), list(d.checked_at)
    return c


def free_indices(d) -> list:
    return [f[0] for f in d.ctx.free]


# -- tampers: each returns the tampered expression, or None when it does not apply -------------
def tamper_scale(expr, d):
    """A factor 2 (a no-op on a sum of zeros, e.g. the last step under a hypothesis: 2 * 0 is still 0)."""
    if isinstance(expr, sympy.Sum) and expr.function == 0:
        return None
    return 2 * expr


def tamper_shift(expr, d):
    """The first free output index, ``i -> i + 1``, inside one tensor element only.

    The element is the first (by ``str``) ``Indexed`` whose indices use a free output index.
    """
    free = free_indices(d)
    for element in sorted(expr.atoms(sympy.Indexed), key=str):
        used = set().union(*(sympy.sympify(e).free_symbols for e in element.indices))
        hit = [f for f in free if f in used]
        if hit:
            f = hit[0]
            shifted = element.base[tuple(sympy.sympify(e).xreplace({f: f + 1}) for e in element.indices)]
            return expr.xreplace({element: shifted})
    return None


def tamper_bound(expr, d):
    """The upper limit of the first limit of the first ``Sum`` (pre-order), ``b -> b + 1``."""
    for s in sympy.preorder_traversal(expr):
        if isinstance(s, sympy.Sum):
            (var, lo, hi), rest = s.limits[0], s.limits[1:]
            return expr.xreplace({s: sympy.Sum(s.function, (var, lo, hi + 1), *rest)})
    return None


TAMPERS = {"scale": tamper_scale, "shift": tamper_shift, "bound": tamper_bound}


def tampered(d, n, tamper):
    """Step `n` (0-based) of `d` tampered by `tamper`, or None when the tamper is a no-op there."""
    expr = d.steps[n].expr
    bad = TAMPERS[tamper](expr, d)
    if bad is None or bad == expr or sympy.expand(bad - expr) == 0:
        return None
    return bad


def assert_tamper_caught(d, n, bad, label):
    """Step `n` of a copy of `d` replaced by `bad`: verify() blames step n+1 (or n+2), nothing prints."""
    c = fresh(d)
    original = c.steps[n]
    c.steps[n] = dataclasses.replace(original, expr=bad)
    assert not c.verified, f"{label}: `verified` still True after the step changed"
    # steps are numbered from 1 in messages; the next step's rule may be the first to object
    try:
        with pytest.raises(sc.ProofError, match=rf"\bstep ({n + 1}|{n + 2})\b"):
            c.verify()
    except (pytest.fail.Exception, AssertionError) as exc:  # name the case in the report
        pytest.fail(f"{label}, tampered to {bad}: {exc}")
    assert not c.verified, f"{label}: `verified` True after a failed verify()"
    with pytest.raises(sc.ProofError):
        c.latex()
    with pytest.raises(sc.ProofError):
        c.document()
    with pytest.raises(sc.ProofError):
        c._repr_latex_()
    # putting the checked step back restores the checked state
    c.steps[n] = original
    assert c.verified, f"{label}: restoring the original step did not restore `verified`"


# -------------------------------------------------------------------------------------------------
# 1. the catalogue verifies, at general and at concrete sizes
# -------------------------------------------------------------------------------------------------
def test_catalogue_names():
    assert len(NAMES) >= 10 and len(set(NAMES)) == len(NAMES)
    assert all(isinstance(n, str) for n in NAMES)
    assert "correlation-is-im2col-matmul" in NAMES
    # every entry has concrete sizes in this file (add a line to CONCRETE for a new entry)
    assert sorted(CONCRETE) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_general_derivation_verifies(name):
    d = general(name)
    assert isinstance(d, sc.Derivation)
    assert d.name == name
    assert d.sizes is None
    assert d.verified
    assert len(d.steps) >= MIN_STEPS.get(name, 3)  # unfold, rewrite, fold
    for step in d.steps:
        assert isinstance(step, sc.Step)
        assert step.verified
        assert step.why.strip()
        assert step.rule is not None
    assert all(f.verified for f in d.facts)
    assert d.rhs == d.steps[-1].expr and d.lhs != d.rhs
    names = d.size_names()
    assert names and len(set(names)) == len(names)
    # it was expanded at admissible sizes, by name
    assert d.checked_at
    for sizes in d.checked_at:
        assert sorted(sizes) == sorted(names) and all(v >= 1 for v in sizes.values())
    assert "verified" in repr(d) and "not verified" not in repr(d)


@pytest.mark.parametrize("name", CONCRETE_NAMES)
def test_concrete_derivation_verifies(name):
    g, sizes = general(name), CONCRETE[name]
    assert sorted(sizes) == sorted(g.size_names())
    d = concrete(name)
    assert d.sizes == sizes
    assert d.verified and all(s.verified for s in d.steps)
    assert all(f.verified for f in d.facts)
    assert len(d.steps) == len(g.steps)
    assert d.checked_at == [sizes]
    # the sizes are numbers everywhere in the chain
    size_symbols = set(g.ctx.sizes)
    for step in [*d.steps]:
        assert not (step.expr.free_symbols & size_symbols), step.expr
    assert not (d.lhs.free_symbols & size_symbols)
    for key, value in sizes.items():
        assert f"{key}={value}" in repr(d)
    # the general derivation is left as it was
    assert g.sizes is None and g.verified


def test_size_aliases():
    d = sc.derive("correlation-is-im2col-matmul", H=4, W=5, kh=2, kw=3)
    assert d.sizes == {"H": 4, "W": 5, "k_h": 2, "k_w": 3}
    assert d.verified


@pytest.mark.parametrize("name", ["correlation-is-im2col-matmul", "fully-connected-is-whole-input-conv"])
def test_smallest_sizes_verify(name):
    d = sc.derive(name, **{s: 1 for s in general(name).size_names()})
    assert d.verified and d.sizes == {s: 1 for s in general(name).size_names()}


# -------------------------------------------------------------------------------------------------
# 2. tampering is caught, at every step of every entry
# -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("tamper", list(TAMPERS))
@pytest.mark.parametrize("name", NAMES)
def test_tampered_step_is_rejected(name, tamper):
    d = general(name)
    cases = [(n, tampered(d, n, tamper)) for n in range(len(d.steps))]
    cases = [(n, bad) for n, bad in cases if bad is not None]
    if not cases:  # e.g. no free output index in a scalar identity; covered by test_every_step_is_tampered
        return
    for n, bad in cases:
        assert_tamper_caught(d, n, bad, f"{name}, step {n + 1} ({tamper})")


@pytest.mark.parametrize("name", NAMES)
def test_every_step_is_tampered(name):
    """The parametrization above exercises each entry, and each step with something to tamper."""
    d = general(name)
    exercised = {n: [t for t in TAMPERS if tampered(d, n, t) is not None] for n in range(len(d.steps))}
    assert any(exercised.values()), f"{name}: no tamper applies to any step"
    for n, kinds in exercised.items():
        zero = d.steps[n].expr == 0 or (isinstance(d.steps[n].expr, sympy.Sum) and d.steps[n].expr.function == 0)
        if not zero:  # 0, or a sum of zeros, has nothing a factor 2 could change
            assert "scale" in kinds, f"{name}: step {n + 1} was not tampered"


@pytest.mark.parametrize("name", CONCRETE_NAMES)
def test_tampered_step_is_rejected_at_concrete_sizes(name):
    """At concrete sizes (rules and expressions with numbers for the sizes): a factor 2 at every step."""
    d = concrete(name)
    count = 0
    for n in range(len(d.steps)):
        bad = tampered(d, n, "scale")
        if bad is not None:
            count += 1
            assert_tamper_caught(d, n, bad, f"{name} at {d.sizes}, step {n + 1} (scale)")
    # only a final 0, and the sum of zeros before it, cannot be scaled
    assert count >= len(d.steps) - (2 if d.steps[-1].expr == 0 else 1)


@pytest.mark.parametrize("name", ["convolution-is-flipped-correlation", "hadamard-sum-is-flattened-dot"])
def test_other_tampers_are_rejected(name):
    d = general(name)
    # a changed left-hand side
    c = fresh(d)
    c.lhs = 2 * c.lhs
    assert not c.verified
    with pytest.raises(sc.ProofError, match=r"\bstep 1\b"):
        c.verify()
    # a dropped middle step: the next rule no longer derives its expression
    c = fresh(d)
    del c.steps[1]
    assert not c.verified
    with pytest.raises(sc.ProofError, match=r"\bstep (2|3)\b"):
        c.verify()
    with pytest.raises(sc.ProofError):
        c.latex()


# -------------------------------------------------------------------------------------------------
# 3. errors
# -------------------------------------------------------------------------------------------------
def test_unknown_name_lists_the_names():
    with pytest.raises(sc.UnknownOptionError, match="nope") as err:
        sc.derive("nope")
    assert isinstance(err.value, sc.InvalidArgumentError) and isinstance(err.value, ValueError)
    for name in NAMES:
        assert name in str(err.value)


def test_name_of_wrong_type():
    with pytest.raises(sc.InvalidTypeError, match="name"):
        sc.derive(3)


def test_sizes_without_a_name():
    with pytest.raises(sc.InvalidArgumentError, match="H"):
        sc.derive(H=5)


IM2COL = "correlation-is-im2col-matmul"


def test_wrong_size_name():
    with pytest.raises(sc.InvalidArgumentError, match=r"\bZ=2\b") as err:
        sc.derive(IM2COL, H=5, W=5, kh=3, kw=3, Z=2)
    for s in ("H", "W", "k_h", "k_w"):  # the expected sizes are listed
        assert s in str(err.value)
    with pytest.raises(sc.InvalidArgumentError, match=r"\bm=2\b"):
        sc.derive(IM2COL, H=5, W=5, k_h=3, m=2, k_w=3)


HADAMARD = "hadamard-sum-is-flattened-dot"  # the cheapest entry to build


@pytest.mark.parametrize("name, sizes, size, value", [
    (HADAMARD, dict(n=2), "m", 0),
    (HADAMARD, dict(m=2), "n", -1),
    (HADAMARD, dict(m=2), "n", -5),
    (IM2COL, dict(H=5, W=5, kh=3), "kw", 0),  # named as given (the alias)
])
def test_non_positive_size(name, sizes, size, value):
    with pytest.raises(sc.InvalidArgumentError, match=rf"\b{size}={value}\b"):
        sc.derive(name, **sizes, **{size: value})


@pytest.mark.parametrize("value", [2.5, 3.0, "3", True, None])
def test_non_integer_size(value):
    with pytest.raises((sc.InvalidArgumentError, sc.InvalidTypeError), match=r"\bn="):
        sc.derive(HADAMARD, m=2, n=value)


@pytest.mark.parametrize("name, given, missing", [
    (IM2COL, dict(H=5), ["W", "k_h", "k_w"]),
    (IM2COL, dict(H=5, W=5, kh=3), ["k_w"]),
    (HADAMARD, dict(m=2), ["n"]),
    ("one-by-one-conv-is-channel-matmul", dict(C=2, H=3, W=3), ["O"]),
])
def test_missing_sizes(name, given, missing):
    with pytest.raises(sc.InvalidArgumentError, match="missing") as err:
        sc.derive(name, **given)
    for s in missing:
        assert re.search(rf"\b{s}\b", str(err.value)), (s, str(err.value))


@pytest.mark.parametrize("name, sizes, named", [
    (IM2COL, dict(H=2, W=5, kh=3, kw=3), ["H=2", "k_h=3"]),
    (IM2COL, dict(H=5, W=2, kh=3, kw=3), ["W=2", "k_w=3"]),
    ("convolution-is-flipped-correlation", dict(H=3, W=3, k_h=4, k_w=1), ["H=3", "k_h=4"]),
    ("correlation-is-windowed-hadamard-sum", dict(H=3, W=3, kh=3, kw=4), ["W=3", "k_w=4"]),
    ("strided-correlation-is-decimated", dict(N=2, K=3, S=1), ["N=2", "K=3"]),
])
def test_sizes_violating_constraints(name, sizes, named):
    with pytest.raises(sc.InvalidArgumentError, match="not valid") as err:
        sc.derive(name, **sizes)
    for part in named:
        assert re.search(rf"\b{part}\b", str(err.value)), (part, str(err.value))


def test_too_large_size():
    with pytest.raises(sc.InvalidArgumentError, match="17"):
        sc.derive(HADAMARD, m=17, n=2)


def test_conflicting_alias_is_an_error():
    # Regression, fixed: `kh` and `k_h` name the same size; given both with different values, derive()
    # silently keeps the last one (here k_h=2, dropping kh=3) instead of raising.
    # Reproducer: sc.derive("correlation-is-im2col-matmul", H=5, W=5, kh=3, k_h=2, kw=3).sizes
    #             -> {'H': 5, 'W': 5, 'k_h': 2, 'k_w': 3}
    with pytest.raises(sc.InvalidArgumentError, match=r"k_?h"):
        sc.derive(IM2COL, H=5, W=5, kh=3, k_h=2, kw=3)


# -------------------------------------------------------------------------------------------------
# 4. LaTeX
# -------------------------------------------------------------------------------------------------
def _check_views(d):
    text = d.latex()
    assert text.startswith(r"\begin{align*}") and text.rstrip().endswith(r"\end{align*}")
    assert text.count("&=") == len(d.steps)
    assert sc.latex(d) == text
    aligned = d.latex(environment="aligned")
    assert aligned.startswith(r"\begin{aligned}") and aligned.rstrip().endswith(r"\end{aligned}")
    assert aligned.count("&=") == len(d.steps)
    assert r"\parbox" not in aligned  # MathJax has no parbox
    rep = d._repr_latex_()
    assert rep.startswith("$") and rep.endswith("$") and r"\begin{aligned}" in rep
    doc = d.document()
    for part in (r"\documentclass", r"\begin{document}", r"\end{document}", r"\title{" + d.title + "}", d.statement):
        assert part in doc, part
    assert doc.index(r"\begin{document}") < doc.index(r"\end{document}")
    assert doc.rstrip().endswith(r"\end{document}")
    return doc


@pytest.mark.parametrize("name", NAMES)
def test_latex_general(name):
    doc = _check_views(general(name))
    assert "for every size" in doc
    assert "A worked example" not in doc


@pytest.mark.parametrize("name", CONCRETE_NAMES)
def test_latex_concrete(name):
    d = concrete(name)
    doc = _check_views(d)
    for key, value in d.sizes.items():
        assert f"= {value}$" in doc and sympy.latex(sympy.Symbol(key)) in doc


@pytest.mark.parametrize("name", CONCRETE_NAMES)
def test_concrete_document_has_worked_example(name):
    # Regression, fixed (failed for 'convolution-equals-correlation-iff-centrosymmetric'): Derivation.document()
    # promises "for concrete sizes a worked example" (and derivations/README.md says each
    # NAME-example.tex has "a worked numeric example"), but document.py only adds the sections
    # "At these sizes" / "A worked example" when d.library is not None, and that entry has none.
    # Reproducer: "A worked example" in sc.derive("convolution-equals-correlation-iff-centrosymmetric",
    #             H=4, W=4, kh=2, kw=3).document()  -> False
    assert "A worked example" in concrete(name).document()


def test_latex_options():
    d = general(IM2COL)
    with pytest.raises(sc.UnknownOptionError, match="environment"):
        d.latex(environment="equation")
    small = concrete(IM2COL)
    assert small.document(max_entries=2).count(r"\cdots") >= 1  # 9x9 im2col values elided
    assert sc.latex(small, max_entries=3).startswith(r"\begin{align*}")


# -------------------------------------------------------------------------------------------------
# 5. every document compiles
# -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdflatex():
    exe = shutil.which("pdflatex")
    if exe is None:
        pytest.fail("pdflatex is not on PATH: these tests need it (CI installs TeX Live; locally install "
                    "texlive-latex-base / texlive-latex-recommended)", pytrace=False)
    return exe


def _compile(exe, tex: str, tmp_path):
    src = tmp_path / "doc.tex"
    src.write_text(tex, encoding="utf-8")
    run = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", src.name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=600, check=False)
    log = tmp_path / "doc.log"
    tail = (log.read_text(errors="replace") if log.exists() else run.stdout)[-3000:]
    assert run.returncode == 0, f"pdflatex failed ({run.returncode}):\n{tail}"
    pdf = tmp_path / "doc.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, tail


@pytest.mark.parametrize("name", NAMES)
def test_pdflatex_general(name, pdflatex, tmp_path):
    _compile(pdflatex, general(name).document(), tmp_path)


#: concrete documents add expanded sides and a worked example; these cover the widest tables,
#: a condition (no library ends) and a 1-D entry
PDF_CONCRETE = ["correlation-is-im2col-matmul", "correlation-is-toeplitz-matvec", "depth-is-a-dot-product",
                "convolution-equals-correlation-iff-centrosymmetric", "strided-correlation-is-decimated"]


@pytest.mark.parametrize("name", [n for n in PDF_CONCRETE if n in CONCRETE])
def test_pdflatex_concrete(name, pdflatex, tmp_path):
    _compile(pdflatex, concrete(name).document(), tmp_path)


# -------------------------------------------------------------------------------------------------
# 6. the two ends of the chains, numerically, against SciPy / NumPy
# -------------------------------------------------------------------------------------------------
def _ref_depth(x, w):
    return sum(ss.correlate2d(x[c], w[c], mode="valid") for c in range(x.shape[0]))


def _ref_dilated(x, k, d):
    """Correlation with dilation d, by hand: output n is sum_u x[n + d u] k[u] (PyTorch's conv1d with dilation)."""
    span = d * (len(k) - 1)
    return np.array([sum(x[n + d * a] * k[a] for a in range(len(k))) for n in range(len(x) - span)])


REFERENCE = {  # from the integer values of the tensors, by name
    "convolution-is-flipped-correlation": lambda x, k: ss.convolve2d(x, k, mode="valid"),
    "correlation-is-windowed-hadamard-sum": lambda x, k: ss.correlate2d(x, k, mode="valid"),
    "hadamard-sum-is-flattened-dot": lambda a, b: np.sum(a * b),
    "correlation-is-im2col-matmul": lambda x, k: ss.correlate2d(x, k, mode="valid"),
    "depth-is-a-dot-product": _ref_depth,
    "one-by-one-conv-is-channel-matmul": lambda x, w: np.einsum("oc,chw->ohw", w[:, :, 0, 0], x),
    "fully-connected-is-whole-input-conv": lambda x, w: w.reshape(w.shape[0], -1) @ x.ravel(),
    "correlation-is-toeplitz-matvec": lambda x, k: ss.correlate2d(x, k, mode="valid"),
    "matrix-product-is-not-hadamard-sum": lambda A, B: np.trace(A.T @ B),
    "strided-correlation-is-decimated": lambda x, k: ss.correlate(x, k, mode="valid")[::2],  # S = 2 in CONCRETE
    "convolution-equals-correlation-iff-centrosymmetric":
        lambda x, k: ss.convolve2d(x, k, mode="valid") - ss.correlate2d(x, k, mode="valid"),
    "convolution-is-commutative": lambda x, h: np.convolve(x, h),            # NumPy's default mode is 'full'
    "correlation-is-not-commutative": lambda x, k: np.correlate(k, x, "full"),  # k first: the left-hand side
    "correlation-is-linear-in-the-input": lambda x, z, k: ss.correlate(x, k, "valid") + ss.correlate(z, k, "valid"),
    "dilated-kernel-is-kernel-with-zeros": lambda x, k: _ref_dilated(x, k, 2),  # d = 2 in CONCRETE
    "correlation-of-correlations": lambda x, a, b: ss.correlate(ss.correlate(x, a, "valid"), b, "valid"),
    # s = 2, p = 1 in CONCRETE: pad by one zero each side, correlate, keep every second output
    "strided-padded-correlation-is-im2col": lambda x, k: np.correlate(np.pad(x, 1), k, "valid")[::2],
}


def test_every_library_entry_has_a_reference():
    assert sorted(n for n in NAMES if general(n).library is not None) == sorted(REFERENCE)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_ends_against_numpy(name):
    d = concrete(name)
    shapes = {b.label.name: tuple(int(s) for s in shape) for b, shape in d.ctx.tensors.items()}
    ref = REFERENCE[name]
    for seed in range(3):
        rng = np.random.default_rng(seed)
        values = {t: rng.integers(-5, 6, size=shape) for t, shape in shapes.items()}
        want = np.asarray(ref(*values.values()))
        for end, f in enumerate(d.library):
            if f is None:  # a chain that ends under a hypothesis has no library right-hand side
                continue
            got = np.asarray(sc.evaluate(f(**d.sizes), **values))
            assert got.shape == want.shape, (end, got.shape, want.shape)
            assert_array_equal(got, want, err_msg=f"{name}: end {end}, seed {seed}")


@pytest.mark.parametrize("sizes", [dict(H=6, W=5, kh=3, kw=2), dict(H=3, W=4, kh=3, kw=1)])
def test_scipy_at_more_sizes(sizes):
    pairs = [("correlation-is-im2col-matmul", ss.correlate2d), ("convolution-is-flipped-correlation", ss.convolve2d)]
    for name, ref in pairs:
        d = sc.derive(name, **sizes)
        rng = np.random.default_rng(sizes["H"] * 100 + sizes["W"])
        x = rng.integers(-9, 10, size=(sizes["H"], sizes["W"]))
        k = rng.integers(-9, 10, size=(sizes["kh"], sizes["kw"]))
        want = ref(x, k, mode="valid")
        for f in d.library:
            assert_array_equal(np.asarray(sc.evaluate(f(**d.sizes), x=x, k=k)), want)


# -------------------------------------------------------------------------------------------------
# 7. the concrete evaluator: empty sums, Karr's convention, reads out of shape
# -------------------------------------------------------------------------------------------------
u_, v_ = index("u"), index("v")


@pytest.fixture
def vec():
    """A context with one vector ``x`` of size n = 8, and its evaluator."""
    ctx = Context("evaluator")
    n = ctx.size("n", 8)
    x = ctx.tensor("x", (n,))
    return ctx, n, x, Evaluator(ctx, {n: 8})


def as_expr(poly: dict, bases: dict):
    """The evaluator's {monomial: coefficient} as a SymPy expression over `bases` (name -> IndexedBase)."""
    return sympy.Add(*[sympy.Rational(c) * sympy.Mul(*[bases[name][idx] for name, idx in mono])
                       for mono, c in poly.items()])


def test_empty_sum_is_zero(vec):
    _, n, x, ev = vec
    for lo in range(8):
        assert ev.poly(sympy.Sum(x[u_], (u_, lo, lo - 1)), {}) == {}
        assert ev.poly(sympy.Sum(u_ * x[u_] + 7, (u_, lo, lo - 1)), {}) == {}
    assert ev.poly(sympy.Sum(x[u_], (u_, 0, n - 1 - 8)), {}) == {}  # upper bound with a size


def test_karr_convention_matches_sympy(vec):
    _, _, x, ev = vec
    bases = {"x": x}
    for body in (u_ * x[u_] + 1, (u_ - 3) * x[7 - u_]):
        for lo in range(0, 8, 2):
            for hi in range(8):
                s = sympy.Sum(body, (u_, lo, hi))
                got = as_expr(ev.poly(s, {}), bases)
                assert sympy.expand(got - s.doit()) == 0, (lo, hi, got, s.doit())
    # a reversed range is minus the sum over the gap
    assert as_expr(ev.poly(sympy.Sum(x[u_], (u_, 5, 1)), {}), bases) == -x[2] - x[3] - x[4]
    # numbers only
    for lo, hi in [(2, 6), (6, 2), (4, 3), (7, 0)]:
        s = sympy.Sum(u_ ** 2 - 1, (u_, lo, hi))
        assert ev.poly(s, {}) == ({(): int(s.doit())} if s.doit() != 0 else {})


def test_karr_convention_nested(vec):
    _, _, x, ev = vec
    # the inner range depends on the outer index and is reversed for some of its values
    s = sums(x[u_] * x[v_], (u_, 0, 4), (v_, u_ + 2, 3))
    got = as_expr(ev.poly(s, {}), {"x": x})
    want = sum(sympy.Sum(x[a] * x[v_], (v_, a + 2, 3)).doit() for a in range(5))
    assert sympy.expand(got - want) == 0


@pytest.mark.parametrize("at", [8, 9, -1, -8])
def test_read_out_of_shape_is_an_error(vec, at):
    _, _, x, ev = vec
    with pytest.raises(sc.ProofError, match="outside"):
        ev.poly(x[at], {})
    with pytest.raises(sc.ProofError, match="outside"):
        ev.poly(sympy.Sum(x[u_ + at], (u_, 0, 0)), {})


def test_read_out_of_shape_2d_and_defined():
    ctx = Context("evaluator-2d")
    m, n = ctx.size("m", 3), ctx.size("n", 4)
    a = ctx.tensor("a", (m, n))
    row = ctx.define("row", (u_,), ((0, m - 1),), sums(a[u_, v_], (v_, 0, n - 1)), "row sums")
    ev = Evaluator(ctx, {m: 3, n: 4})
    assert len(ev.poly(a[2, 3], {})) == 1
    for bad in (a[3, 0], a[0, 4], a[0, -1]):
        with pytest.raises(sc.ProofError, match="outside"):
            ev.poly(bad, {})
    # a sum that runs past the shape is an error, never a silent zero
    with pytest.raises(sc.ProofError, match="outside"):
        ev.poly(sums(a[0, v_], (v_, 0, n)), {})
    # a defined tensor read outside its range
    assert len(ev.poly(row[2], {})) == 4
    with pytest.raises(sc.ProofError, match="outside"):
        ev.poly(row[3], {})


def test_zero_bracket_does_not_read(vec):
    _, n, x, ev = vec
    s = sums(Iverson(0, u_, n - 1) * x[u_], (u_, -3, n + 2))
    assert as_expr(ev.poly(s, {}), {"x": x}) == sum(x[t] for t in range(8))


def test_defined_scalar_inside_a_product(vec):
    # Regression, fixed: Evaluator.poly expands a defined scalar on its own (and in a sum), but not as a factor of
    # a product: _product() sends every factor without Indexed/Sum to num(), which raises
    # "the symbol s has no value here". Reproducer:
    #   ctx = Context("t"); n = ctx.size("n", 8); x = ctx.tensor("x", (n,)); u = index("u")
    #   s = ctx.define("s", (), (), sums(x[u], (u, 0, n - 1)), "def")
    #   Evaluator(ctx, {n: 8}).poly(2 * s, {})   -> ProofError (expected 2*x[0] + ... + 2*x[7])
    ctx, n, x, ev = vec
    s = ctx.define("s", (), (), sums(x[u_], (u_, 0, n - 1)), "definition of s")
    total = sum(x[t] for t in range(8))
    assert as_expr(ev.poly(s, {}), {"x": x}) == total
    assert as_expr(ev.poly(s + x[0], {}), {"x": x}) == total + x[0]
    assert sympy.expand(as_expr(ev.poly(2 * s, {}), {"x": x}) - 2 * total) == 0


# -------------------------------------------------------------------------------------------------
# 8. side conditions of the rules
# -------------------------------------------------------------------------------------------------
@pytest.fixture
def grid():
    ctx = Context("rules")
    m, n = ctx.size("m", 4), ctx.size("n", 4)
    x, y = ctx.tensor("x", (m, n)), ctx.tensor("y", (n,))
    return ctx, m, n, x, y


def test_reindex(grid):
    ctx, _, n, _, y = grid
    s = sums(y[u_], (u_, 0, n - 1))
    # controls: bijections are accepted
    assert Chain(ctx, s).reindex(u_, n - 1 - u_).steps[-1].expr == sums(y[n - 1 - u_], (u_, 0, n - 1))
    assert Chain(ctx, s).reindex(u_, u_ + 1).steps[-1].expr == sums(y[u_ + 1], (u_, -1, n - 2))
    # a non-unit coefficient is not a re-indexing this rule can prove
    for expr in (2 * u_, -2 * u_ + 1, u_ ** 2, sympy.S(3)):
        rule = Reindex(u_, expr)
        with pytest.raises(sc.ProofError):
            rule.apply(s, ctx)
        with pytest.raises(sc.ProofError):
            rule.side(s, ctx)
        with pytest.raises(sc.ProofError):
            Chain(ctx, s).reindex(u_, expr)
    with pytest.raises(sc.ProofError, match="not of the form"):
        Reindex(u_, 2 * v_, v_).check(s, sums(y[2 * v_], (v_, 0, n - 1)), ctx)


def test_flatten(grid):
    ctx, m, n, x, _ = grid
    c = index("c")
    ok = Chain(ctx, sums(x[u_, v_], (u_, 0, m - 1), (v_, 0, n - 1))).flatten(u_, v_, c)
    assert ok.steps[-1].expr == sums(x[sympy.floor(c / n), sympy.Mod(c, n)], (c, 0, m * n - 1))
    bad = [
        sums(x[u_ - 1, v_], (u_, 1, m), (v_, 0, n - 1)),  # outer starts at 1
        sums(x[u_, v_ - 1], (u_, 0, m - 1), (v_, 1, n)),  # inner starts at 1
        sums(x[u_, v_], (u_, 0, m - 1), (v_, 0, u_)),  # inner range depends on the outer index
    ]
    for s in bad:
        with pytest.raises(sc.ProofError):
            Chain(ctx, s).flatten(u_, v_, c)
        with pytest.raises(sc.ProofError):
            Chain(ctx, s).push(Flatten(u_, v_, c), "flatten")


def test_swap(grid):
    ctx, m, n, x, _ = grid
    ctx.require(n - m)  # so that x[u, v] with v up to u <= m - 1 reads inside x
    ok = Chain(ctx, sums(x[u_, v_], (u_, 0, m - 1), (v_, 0, n - 1))).swap(u_, v_)
    assert ok.steps[-1].expr == sums(x[u_, v_], (v_, 0, n - 1), (u_, 0, m - 1))
    for s in (sums(x[u_, v_], (u_, 0, m - 1), (v_, 0, u_)),  # upper bound depends on u
              sums(x[u_, v_], (u_, 0, m - 1), (v_, u_, n - 1))):  # lower bound depends on u
        with pytest.raises(sc.ProofError, match="depends"):
            Chain(ctx, s).swap(u_, v_)
        with pytest.raises(sc.ProofError):
            Swap(u_, v_).apply(s, ctx)


def test_extend_by_zero(grid):
    ctx, m, n, _, y = grid
    s = sums(y[u_], (u_, 0, n - 1))
    # controls: wider ranges are accepted
    for lo, hi in [(0, n - 1), (0, n), (-2, n + 3)]:
        Chain(ctx, s).extend(u_, lo, hi)
    # ranges that do not contain 0..n-1 for every n >= 1
    for lo, hi in [(1, n - 1), (0, n - 2), (-1, n - 2), (1, n), (0, m - 1), (m - n, n - 1)]:
        rule = ExtendByZero(u_, sympy.sympify(lo), sympy.sympify(hi))
        with pytest.raises(sc.ProofError, match="is inside .* is not proved for every size"):
            Chain(ctx, s).push(rule, "extend")
        with pytest.raises(sc.ProofError):
            Chain(ctx, s).extend(u_, lo, hi)


def test_extend_by_zero_uses_only_the_constraints(grid):
    ctx, m, n, _, y = grid
    s = sums(y[u_], (u_, 0, n - 1))
    with pytest.raises(sc.ProofError):
        Chain(ctx, s).extend(u_, 0, m - 1)
    ctx.require(m - n)  # now m >= n and 0..m-1 contains 0..n-1
    Chain(ctx, s).extend(u_, 0, m - 1)


def test_extend_by_zero_at_the_smallest_size(grid):
    # Regression, fixed: the side condition is decided by rules._known_nonneg, which proves "e >= 0 for all
    # positive sizes" by substituting s -> s + 1 while s stays a *positive* symbol, i.e. it only
    # checks sizes >= 2. So `n - 2 >= 0` is "known" and the range 2-n..n-1, which does not contain
    # 0..n-1 when n = 1 (it is empty then), is accepted symbolically. Reproducer:
    #   from symconv.proofs.rules import _known_nonneg; _known_nonneg(n - 2)  -> True
    #   ExtendByZero(u, 2 - n, n - 1).side(Sum(y[u], (u, 0, n - 1)), ctx)     -> no error
    # Whole derivations inherit it: a Derivation named "extend" with this one step verifies
    # (random sizes n = 8, 6, 5, 7 never hit n = 1) although it is false at n = 1.
    ctx, m, n, _, y = grid
    s = sums(y[u_], (u_, 0, n - 1))
    # the identity really fails at n = 1: the extended sum is empty
    new = ExtendByZero(u_, 2 - n, n - 1).apply(s, ctx)
    ev = Evaluator(ctx, {m: 1, n: 1})
    assert ev.poly(s, {}) != ev.poly(new, {})
    with pytest.raises(sc.ProofError, match="is inside .* false for .*n=1"):
        Chain(ctx, s).push(ExtendByZero(u_, 2 - n, n - 1), "extend")
