"""Issue 13 (in part): importing symconv costs nothing until it is used, and its names stay its own."""

from __future__ import annotations

import subprocess
import sys


def _child(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          check=True).stdout.strip()


def test_import_symconv_imports_no_sympy():
    assert _child("import sys, symconv; print('sympy' in sys.modules, 'numpy' in sys.modules)") == "False False"


def test_the_pytest_plugin_imports_nothing_heavy():
    assert _child("import sys, symconv.pytest_plugin; print('sympy' in sys.modules)") == "False"


def test_cli_help_imports_no_sympy():
    code = ("import sys, contextlib, io\nfrom symconv.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "print('sympy' in sys.modules)")
    assert _child(code) == "False"


def test_public_functions_named_like_submodules_stay_functions():
    code = ("import symconv.identify, symconv.trace, symconv.latex.printer, symconv as sc\n"
            "print(callable(sc.identify), callable(sc.trace), callable(sc.latex), sc.identify.__module__)")
    assert _child(code) == "True True True symconv.identify"


def test_every_public_name_resolves():
    import symconv as sc

    for name in sc.__all__:
        assert getattr(sc, name) is not None, name


# -- issue 13, item 6: a symconv array answers what a SymPy array answers ------------------------------
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy  # noqa: E402

import symconv as sc  # noqa: E402


X, K = sc.tensor("x", (3, 3)), sc.tensor("k", (2, 2))


@pytest.fixture
def y():
    return sc.correlate(X, K)


def _sympy(y):
    return sympy.Array(y.tolist())


def test_subs_and_xreplace_of_numbers_stay_exact(y):
    k = K  # the tensor's own (real) elements, so that SymPy's structural subs matches them too
    want = _sympy(y).subs({k[0, 0]: 2, k[1, 1]: -1})
    assert y.subs({k[0, 0]: 2, k[1, 1]: -1}) == want and y.xreplace({k[0, 0]: 2, k[1, 1]: -1}) == want
    assert y.subs(k[0, 0], 2) == _sympy(y).subs(k[0, 0], 2)
    s = sympy.Symbol("s")
    assert y.subs(k[0, 0], s + 1) == _sympy(y).subs(k[0, 0], s + 1)


def test_diff(y):
    k = K
    want = _sympy(y).diff(k[0, 1])
    assert y.diff(k[0, 1]) == want and sympy.diff(y, k[0, 1]) == want
    assert y.diff(k[0, 1], k[0, 1]) == sc.correlate(sc.tensor("x", (3, 3)), np.zeros((2, 2), int))


def test_queries(y):
    k, x = K, X
    assert y.has(k[0, 0]) and y.has(sympy.IndexedBase("k")[0, 0]) and y.has(sympy.IndexedBase("k"))
    assert not y.has(sympy.Symbol("q")) and y.size == 4
    assert y.atoms(sympy.Indexed) == _sympy(y).atoms(sympy.Indexed)
    assert y.free_symbols >= {x[0, 0], k[1, 1]} and y.copy() == y


def test_applyfunc_evalf_and_transpose(y):
    assert y.applyfunc(lambda e: 2 * e) == 2 * y
    assert y.T == _sympy(y).transpose() and y.transpose() == y.T
    third = sc.correlate([1, 2], [sympy.Rational(1, 3)]).evalf(3)
    assert third.tolist() == [sympy.Float(0.333), sympy.Float(0.667)]


def test_scalar_arithmetic(y):
    s = sympy.Symbol("s")
    assert s * y == y * s == _sympy(y) * s
    assert y / 2 == _sympy(y) / 2 and -y == -_sympy(y)
    with pytest.raises(sc.NotPolynomialError, match="rational functions"):
        y / s
    with pytest.raises(sc.InvalidTypeError, match="tensorproduct"):
        y * y


def test_tensorproduct_of_vectors():
    a, b = sc.tensor("a", (2,)), sc.tensor("b", (3,))
    assert sympy.tensorproduct(a, b) == sympy.tensorproduct(_sympy(a), _sympy(b))


# -- issue 13, items 8 and 10: display costs a few KB and no time, whatever the size ---------------------
def test_latex_is_capped_by_terms_not_only_by_rows():
    y = sc.correlate(sc.tensor("x", (40, 40)), sc.tensor("k", (3, 3)))
    text = y._repr_latex_()
    assert len(text) < 4000 and r"\cdots" in text
    big = sc.correlate(sc.tensor("x", (300,)), sc.tensor("k", (200,)))  # 101 entries of 200 terms
    assert len(sc.latex(big)) < 6000 and r"+ \cdots" in sc.latex(big)


def test_latex_builds_only_the_terms_shown():
    from unittest import mock

    from symconv import canonical

    y = sc.correlate(sc.tensor("x", (300,)), sc.tensor("k", (200,)))
    with mock.patch.object(canonical, "to_sympy_number", wraps=canonical.to_sympy_number) as made:
        sc.latex(y)
    assert made.call_count <= 200  # 8 entries shown of 101, a few terms each -- not 20,200 terms


def test_rank3_arrays_nest_as_sympy_does():
    text = sc.latex(sc.tensor("x", (2, 2, 2)))
    assert text.count(r"\begin{matrix}") == 3 and "x_{1,1,1}" in text


def test_one_printing_route_respects_max_entries():
    from symconv.latex.printer import SymconvLatexPrinter

    text = SymconvLatexPrinter({"max_entries": 4}).doprint(sc.tensor("x", (12, 12)))
    rows = text.split(r"\begin{matrix}")[1].split(r"\end{matrix}")[0].split(r"\\")
    assert len(rows) == 5  # 4 rows and the \vdots row


def test_repr_of_a_large_array_is_a_summary():
    y = sc.correlate(sc.tensor("x", (100, 100)), sc.tensor("k", (3, 3)))
    assert repr(y) == "<SymArray shape=(98, 98), 86,436 terms>"


# -- issue 13, items 1-3: nothing foreign in site-packages; SymPy's parse_latex works beside symconv's -----------
def test_no_foreign_top_level_package_is_installed():
    """Every installed distribution symconv depends on brings only its own top-level names (latex2sympy2 1.9.1
    brought `tests`, `gen` and `asciimath_printer`, which broke other projects' test collection)."""
    from importlib.metadata import distribution, requires

    foreign = {"tests", "test", "gen", "asciimath_printer", "src", "docs", "examples", "scripts"}
    seen = {}
    todo, done = ["symconv"], set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        try:
            dist = distribution(name)
        except Exception:
            continue
        top = (dist.read_text("top_level.txt") or "").split()
        if not top and dist.files:
            top = sorted({str(f).split("/")[0].removesuffix(".py") for f in dist.files
                          if "/" in str(f) and not str(f).split("/")[0].endswith((".dist-info", ".data"))})
        seen[name] = top
        for req in requires(name) or []:
            if "extra ==" not in req or "antlr4-11-0" in req:
                todo.append(req.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("!")[0].strip())
    bad = {name: sorted(set(top) & foreign) for name, top in seen.items() if set(top) & foreign}
    assert not bad, f"foreign top-level packages installed: {bad}"
    assert "latex2sympy2_extended" in seen


def test_sympy_parse_latex_works_beside_symconv():
    import sympy
    from sympy.parsing.latex import parse_latex as sympy_parse_latex

    assert sympy.simplify(sympy_parse_latex(r"\frac{x}{2}") - sympy.Symbol("x") / 2) == 0
    assert sc.parse_latex(r"y_n = \sum_{m=0}^{2} x_{n+m} w_m") is not None


def test_a_missing_backend_is_one_clear_error(monkeypatch):
    import builtins

    from symconv.parse import backend

    real_import = builtins.__import__

    def no_backend(name, *args, **kwargs):
        if name.startswith("latex2sympy2_extended"):
            raise ImportError("No module named 'latex2sympy2_extended'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(backend, "_MODULE", None)
    monkeypatch.setattr(builtins, "__import__", no_backend)
    with pytest.raises(sc.SymconvError, match="pip install") as info:
        backend._module()
    assert isinstance(info.value, ImportError)
