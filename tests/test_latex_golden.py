"""Golden LaTeX, each string read and checked by hand once (the mathematics and the notation), and printer rules."""

import pytest
import sympy

import symconv as sc
from symconv.latex.printer import SymconvLatexPrinter

# Checked by hand: sum over u < m, v < n of a_{u,v} b_{u,v}; t = n u + v runs over 0..mn-1 with
# u = floor(t/n), v = t mod n (t: the flattened index, as in depth-is-a-dot-product); the last two lines are the
# definitions of vec and of the dot product.
HADAMARD_DOT = r"""\begin{aligned}
\operatorname{sum}(a \odot b) &= \sum_{u=0}^{m - 1} \sum_{v=0}^{n - 1} a_{u,v} b_{u,v} && \text{definition of the sum of element-wise products} \\
 &= \sum_{t=0}^{m n - 1} a_{\left\lfloor{\frac{t}{n}}\right\rfloor,t \bmod n} b_{\left\lfloor{\frac{t}{n}}\right\rfloor,t \bmod n} && \text{flatten $(u, v)$ row-major into $t$} \\
 &= \sum_{t=0}^{m n - 1} \operatorname{vec}(a)_{t} \operatorname{vec}(b)_{t} && \text{definition of $\operatorname{vec}$ (row-major flattening)} \\
 &= \operatorname{vec}(a) \cdot \operatorname{vec}(b) && \text{definition of the dot product}
\end{aligned}"""

# Checked by hand at N=5, K=3, S=2: output i of the stride-2 correlation reads x_{2i}, x_{2i+1}, x_{2i+2},
# which is output 2i of the unit-stride correlation.
STRIDED_5_3_2 = r"""\begin{aligned}
(x \star_S k)_{i} &= \sum_{u=0}^{2} x_{2 i + u} k_{u} && \text{definition of correlation with stride $S$} \\
 &= (x \star k)_{2 i} && \text{definition of (unit-stride) correlation}
\end{aligned}"""


@pytest.mark.parametrize("name,sizes,golden", [
    ("hadamard-sum-is-flattened-dot", {}, HADAMARD_DOT),
    ("strided-correlation-is-decimated", {"N": 5, "K": 3, "S": 2}, STRIDED_5_3_2),
])
def test_golden_derivation_latex(name, sizes, golden):
    assert sc.derive(name, **sizes).latex(environment="aligned") == golden


def test_documents_put_each_justification_on_its_own_line_and_fit_each_formula():
    d = sc.derive("hadamard-sum-is-flattened-dot")
    proof = d.document().split(r"\section*{Proof}")[1].split(r"\section*")[0]
    # a full-width line (\intertext wraps) before each step, every formula shrunk to its column if too wide
    assert proof.count(r"\intertext{\small ") == 4 and proof.count(r"&= \fitmath[0.62\linewidth]{") == 4
    assert r"\parbox" not in proof
    # what a user pastes into a notebook (KaTeX, MathJax) has no \parbox: plain \text (issue 13, item 7)
    text = d.latex()
    assert text.startswith(r"\begin{align*}") and text.endswith(r"\end{align*}")
    assert r"\parbox" not in text and text.count(r"\text{") >= 4 and text.count("&=") == 4


def test_terms_keep_the_written_order_so_x_0_10_follows_x_0_2():
    x = sympy.IndexedBase("x")
    terms = sympy.Add(x[0, 2], x[0, 10], evaluate=False)
    assert sc.latex(terms) == "x_{0,2} + x_{0,10}"


def test_negative_substituted_numbers_are_parenthesized():
    assert sc.latex(sympy.Mul(2, -3, evaluate=False)) == r"2 \cdot \left(-3\right)"
    assert sc.latex(sympy.Mul(-2, 3, evaluate=False)) == r"\left(-2\right) \cdot 3"


def test_index_arithmetic_reads_naturally():
    i = sympy.Symbol("i", integer=True)
    x = sympy.IndexedBase("x")
    assert sc.latex(x[i + 1, 2]) == "x_{i + 1,2}"


def test_user_chosen_names_and_templates():
    x = sympy.IndexedBase(sympy.Symbol("x"))
    i = sympy.Symbol("i", integer=True)
    assert sc.latex(x[i], names={sympy.Symbol("x"): r"\mathbf{x}"}) == r"\mathbf{x}_{i}"
    assert sc.latex(x[i], names={sympy.Symbol("x"): lambda a: rf"X({a})"}) == "X(i)"


def test_large_matrices_are_elided_past_max_entries():
    big = sc.tensor("x", (12, 12))
    text = sc.latex(big, max_entries=4)
    assert r"\cdots" in text and r"\vdots" in text and r"\ddots" in text
    assert "x_{11,11}" in text and "x_{5,5}" not in text
    assert r"\cdots" not in sc.latex(sc.tensor("x", (3, 3)), max_entries=4)
    with pytest.raises(sc.InvalidArgumentError, match="max_entries"):
        sc.latex(big, max_entries=1)


def test_printer_is_a_latex_printer_subclass_and_sympy_printing_is_untouched():
    from sympy.printing.latex import LatexPrinter

    assert issubclass(SymconvLatexPrinter, LatexPrinter)
    x = sympy.IndexedBase("x")
    assert sympy.latex(x[0, 1]) == "{x}_{0,1}"  # importing symconv changed nothing else's printing


def test_verdict_and_derivation_display_in_jupyter():
    d = sc.derive("strided-correlation-is-decimated")
    assert d._repr_latex_().startswith(r"$\displaystyle \begin{aligned}")
    x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
    assert sc.equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k))._repr_latex_().startswith("$")


@pytest.mark.parametrize("expr,want", [
    # checked by hand: the positive terms, then the constant, then the negative ones (issue 15, item 4)
    (lambda u, v, j, q, kh: sympy.IndexedBase("k")[2 - u, v], r"k_{2 - u,v}"),
    (lambda u, v, j, q, kh: sympy.IndexedBase("k")[kh - 1 - u, v], r"k_{k_{h} - 1 - u,v}"),
    (lambda u, v, j, q, kh: q - j, r"q - j"),
    (lambda u, v, j, q, kh: 2 * u + 1, r"2 u + 1"),
])
def test_index_arithmetic_reads_as_a_person_writes_it(expr, want):
    syms = sympy.symbols("u v j q k_h", integer=True)
    assert sc.latex(expr(*syms)) == want


def test_bmod_is_unambiguous():
    t, kh, kw, n = sympy.symbols("t k_h k_w n", integer=True)
    x = sympy.IndexedBase("x")
    # checked by hand: t mod (k_h k_w), and (t mod n) + 1 -- never "t mod k_h k_w" or "t mod n + 1"
    assert sc.latex(x[sympy.Mod(t, kh * kw), sympy.Mod(t, n) + 1]) == \
        r"x_{t \bmod \left(k_{h} k_{w}\right),\left(t \bmod n\right) + 1}"


def test_justifications_are_instantiated_at_concrete_sizes():
    # issue 15, item 4: with sizes the re-indexing says u -> 2 - u, as its formulas do (k_h = 3: k_h - 1 - u = 2 - u)
    general = sc.derive("convolution-is-flipped-correlation")
    at = sc.derive("convolution-is-flipped-correlation", H=5, W=5, kh=3, kw=3)
    assert general.steps[1].why == r"re-index $u \mapsto k_{h} - u - 1$ (a bijection of the range, its own inverse)"
    assert at.steps[1].why == r"re-index $u \mapsto 2 - u$ (a bijection of the range, its own inverse)"
    assert at.steps[0].why == general.steps[0].why  # a justification in words is kept
