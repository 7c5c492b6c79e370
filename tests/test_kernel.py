"""The proof kernel (issue 14): false chains an adversary builds through ``symconv.proofs`` are refused,
with the failing side condition named; true steps that the old engine garbled or refused are accepted.

Every construction goes through the public door of API.md ("Your own derivations"): ``Context``,
``Chain``, ``Derivation`` and the kernel's rules.  Each false claim is also shown false by hand (or by
expanding it at the size where it fails), so the test knows the refusal is right.
"""

from __future__ import annotations

import pytest
import sympy

import symconv as sc
from symconv.proofs import (Chain, Context, Derivation, ExtendByZero, Flatten, Fold, MergeSums, Reindex, Swap,
                            Unfold, index, sums)
from symconv.proofs.concrete import Evaluator

u, v, w, i, c = (index(s) for s in "uvwic")


def value_at(ctx, expr, **sizes):
    """`expr` expanded at concrete sizes (the kernel's second, sampling check), as a polynomial dict."""
    values = {s: sizes[s.name] for s in ctx.sizes}
    return Evaluator(ctx, values).poly(expr, {})


# -- captured indices ----------------------------------------------------------------------------
def test_issue_14_nested_sums_are_not_identified_by_dummy_eq():
    ctx = Context("capture")
    n, m = ctx.size("n", 4), ctx.size("m", 4)
    ctx.require(n - m)
    x, k = ctx.tensor("x", (n,)), ctx.tensor("k", (m,))
    true = sums(x[u] * sums(k[v] * x[u], (v, 0, m - 1)), (u, 0, n - 1))
    false = sums(x[u] * sums(k[v] * x[v], (v, 0, m - 1)), (u, 0, n - 1))
    assert value_at(ctx, true, n=2, m=2) != value_at(ctx, false, n=2, m=2)  # by hand: x0^2 k0 + ... vs x0 k0 x0 + ...
    for rule in (Swap(u, v), MergeSums()):
        with pytest.raises(sc.ProofError, match="not what the rule gives|not directly inside"):
            Chain(ctx, true).push(rule, "adversary", false)


def test_issue_14_fold_matches_definitions_up_to_alpha_equivalence_only():
    ctx = Context("fold")
    n = ctx.size("n", 4)
    x = ctx.tensor("x", (n,))
    s = ctx.define("s", (i,), ((0, n - 1),), x[i] * sums(x[u], (u, 0, n - 1)), "definition of s")
    # s[u] unfolds to x[u] * sum_u' x[u']; "x[u] * sum_u x[u]" written with the same letter is the same claim,
    # but sum_u x[u] * x[u] (the free u captured) is not
    ok = Chain(ctx, sums(s[w], (w, 0, n - 1))).unfold(s)
    assert value_at(ctx, ok.current, n=2) == value_at(ctx, sums(s[w], (w, 0, n - 1)), n=2)
    captured = sums(sums(x[w] * x[w], (w, 0, n - 1)), (u, 0, n - 1))
    with pytest.raises(sc.ProofError, match="unfolding the definition does not give back"):
        Chain(ctx, ok.current).push(Fold((s,)), "adversary", captured)


def test_issue_14_unfold_renames_instead_of_capturing():
    # y[i] := sum_u x[i + u]; inside sum_u, y[u] is sum_u' x[u + u'], not x[2u]
    ctx = Context("unfold")
    n, k = ctx.size("n", 5), ctx.size("k", 3)
    x = ctx.tensor("x", (2 * n,))
    y = ctx.define("y", (i,), ((0, n - 1),), sums(x[i + u], (u, 0, n - 1)), "definition of y")
    ch = Chain(ctx, sums(y[u], (u, 0, n - 1))).unfold(y)
    assert not ch.current.has(x[2 * u])
    assert value_at(ctx, ch.current, n=2, k=1) == value_at(ctx, sums(y[u], (u, 0, n - 1)), n=2, k=1)


# -- dependent limits ----------------------------------------------------------------------------
def test_issue_14_reindex_carries_dependent_inner_limits():
    ctx = Context("triangle")
    n = ctx.size("n", 4)
    a, b = ctx.tensor("a", (n,)), ctx.tensor("b", (n,))
    tri = sums(a[u] * b[v], (u, 0, n - 1), (v, 0, u))
    ch = Chain(ctx, tri).reindex(u, n - 1 - u)
    # the inner limit follows the re-indexed variable: v runs over 0 .. n-1-u
    assert ch.current == sums(a[n - 1 - u] * b[v], (u, 0, n - 1), (v, 0, n - 1 - u))
    assert value_at(ctx, ch.current, n=3) == value_at(ctx, tri, n=3)
    # what SymPy's change_index gives (the inner limit left at u) is false, and refused
    wrong = sums(a[n - 1 - u] * b[v], (u, 0, n - 1), (v, 0, u))
    assert value_at(ctx, wrong, n=3) != value_at(ctx, tri, n=3)
    with pytest.raises(sc.ProofError, match="not what the rule gives"):
        Chain(ctx, tri).push(Reindex(u, n - 1 - u), "adversary", wrong)
    Derivation("triangle", "A triangular sum reversed", "reversal", ch).verify()


# -- flattening ----------------------------------------------------------------------------------
def test_issue_14_flatten_needs_a_non_reversed_outer_range():
    ctx = Context("flatten-short")
    m, n = ctx.size("m", 5), ctx.size("n", 3)
    x = ctx.tensor("x", (m, n))
    s = sums(x[u + 1, v], (u, 0, m - 3), (v, 0, n - 1))  # at m = 1 the outer range is 0..-2: Karr negates it
    flat = Flatten(u, v, c).apply(s, ctx)
    with pytest.raises(sc.ProofError, match=r"outer range of u is not reversed .* false for .*m=1"):
        Chain(ctx, s).push(Flatten(u, v, c), "flatten")
    assert flat.has(sympy.floor(c / n))
    ctx.require(m - 2)
    Chain(ctx, s).flatten(u, v, c)  # with m >= 2 it holds


def test_issue_14_flatten_refuses_a_new_index_that_is_already_used():
    ctx = Context("flatten-fresh")
    m, n = ctx.size("m", 4), ctx.size("n", 4)
    x = ctx.tensor("x", (m, n))
    j = ctx.free_index("j", 0, n - 1)
    s = sums(x[u, v] * x[0, j], (u, 0, m - 1), (v, 0, n - 1))
    with pytest.raises(sc.ProofError, match="the new index j already occurs"):
        Chain(ctx, s).flatten(u, v, j)


# -- extending ranges ----------------------------------------------------------------------------
def test_issue_14_extending_a_reversed_range_is_refused():
    ctx = Context("extend-reversed")
    n = ctx.size("n", 4)
    y = ctx.tensor("y", (n + 4,))
    s = sums(y[u + 2], (u, 2, n - 1))  # at n = 1 the range 2..0 is reversed: Karr's sum is -y[3]... not 0
    with pytest.raises(sc.ProofError, match=r"old range 2..n - 1 is not reversed .* false for n=1"):
        Chain(ctx, s).extend(u, -2, n + 1)


# -- reads outside a tensor, widened and narrowed definitions -------------------------------------
def test_issue_14_widened_definition_range_is_caught():
    ctx = Context("widened")
    H, k = ctx.size("H", 6), ctx.size("k", 3)
    ctx.require(H - k)
    x, w_ = ctx.tensor("x", (H,)), ctx.tensor("w", (k,))
    corr = ctx.define("corr", (i,), ((0, H - k + 1),), sums(x[i + u] * w_[u], (u, 0, k - 1)), "widened by one")
    with pytest.raises(sc.ProofError, match=r"x\[i \+ u\] is read inside x's shape .*definition of corr"):
        Chain(ctx, corr[0]).unfold(corr)


def test_issue_14_statement_outside_its_definition_is_caught():
    ctx = Context("narrowed")
    H, k = ctx.size("H", 6), ctx.size("k", 3)
    ctx.require(H - k)
    x, w_ = ctx.tensor("x", (H,)), ctx.tensor("w", (k,))
    corr = ctx.define("corr", (i,), ((0, H - k - 1),), sums(x[i + u] * w_[u], (u, 0, k - 1)), "narrowed by one")
    j = ctx.free_index("j", 0, H - k)
    with pytest.raises(sc.ProofError, match=r"corr\[j\] is read inside the range its definition covers"):
        Chain(ctx, corr[j]).unfold(corr)


# -- only the kernel's rules ---------------------------------------------------------------------
def test_issue_14_a_rule_subclass_is_not_trusted():
    class Anything(Swap):
        def check(self, prev, new, ctx):
            return None

    ctx = Context("subclass")
    n = ctx.size("n", 3)
    x = ctx.tensor("x", (n,))
    with pytest.raises(sc.ProofError, match="Anything is not one of the kernel's rules"):
        Chain(ctx, sums(x[u], (u, 0, n - 1))).push(Anything(u, v), "trust me", sympy.Integer(0))


def test_issue_14_verify_rechecks_a_step_whose_rule_was_swapped():
    ctx = Context("swapped-rule")
    n = ctx.size("n", 3)
    x = ctx.tensor("x", (n,))
    ch = Chain(ctx, sums(x[u], (u, 0, n - 1))).reindex(u, n - 1 - u)
    d = Derivation("swapped-rule", "t", "s", ch).verify()

    class Lenient(Reindex):
        def check(self, prev, new, ctx):
            return None

    d.steps[0] = type(d.steps[0])(sympy.Integer(0), "anything", False, Lenient(u, u))
    assert not d.verified
    with pytest.raises(sc.ProofError, match="Lenient is not one of the kernel's rules"):
        d.verify()


# -- the fingerprint covers what the claim depends on --------------------------------------------
@pytest.mark.parametrize("change", ["constraint", "free-range", "definition-range", "tensor-shape"])
def test_issue_14_fingerprint_covers_the_context(change):
    d = sc.derive("correlation-is-windowed-hadamard-sum")
    assert d.verified
    ctx = d.ctx
    if change == "constraint":
        ctx.constraints.append(sympy.Integer(0))
    elif change == "free-range":
        idx, lo, hi = ctx.free[0]
        ctx.free[0] = (idx, lo, hi + 1)
    elif change == "definition-range":
        base, dfn = next(iter(ctx.definitions.items()))
        ctx.definitions[base] = type(dfn)(dfn.base, dfn.params, ((0, 0),) * len(dfn.params), dfn.body, dfn.why)
    else:
        base = next(iter(ctx.tensors))
        ctx.tensors[base] = tuple(s + 1 for s in ctx.tensors[base])
    assert not d.verified


# -- certificates --------------------------------------------------------------------------------
def test_issue_14_certificate_is_smtlib_a_solver_rechecks():
    z3 = pytest.importorskip("z3")
    d = sc.derive("correlation-is-im2col-matmul")
    text = d.certificate()
    benchmarks = [b for b in text.split("; expected: unsat (the condition holds)\n")[1:]]
    assert len(benchmarks) == len(d.decisions) >= 10
    for bench in benchmarks:
        solver = z3.Solver()
        solver.from_string(bench)
        assert solver.check() == z3.unsat


# -- tampering with what is not an expression: definition ranges, rule parameters, constraints -----
def _tampers(name):
    """``(class, description, mutate)`` for derivation `name`; `mutate(d)` changes d in place."""
    import dataclasses

    d = sc.derive(name)
    out = []
    for base, dfn in d.ctx.definitions.items():
        for a, (lo, hi) in enumerate(dfn.ranges):
            for cls, new in (("definition widened", (lo, hi + 1)), ("definition widened", (lo - 1, hi)),
                             ("definition narrowed", (lo, hi - 1))):
                def mutate(d, base=base, a=a, new=new):
                    f = d.ctx.definitions[base]
                    ranges = list(f.ranges)
                    ranges[a] = new
                    d.ctx.definitions[base] = dataclasses.replace(f, ranges=tuple(ranges))
                out.append((cls, f"{base} axis {a} -> {new}", mutate))
    for n, step in enumerate(d.steps):
        rule = step.rule
        for field in dataclasses.fields(rule):
            value = getattr(rule, field.name)
            if isinstance(value, sympy.Expr) and not isinstance(value, sympy.Symbol) and value.free_symbols:
                def mutate(d, n=n, field=field.name, value=value):
                    s = d.steps[n]
                    d.steps[n] = dataclasses.replace(s, rule=dataclasses.replace(s.rule, **{field: value + 1}))
                out.append(("rule parameter", f"step {n + 1} {field} + 1", mutate))
    for n, _ in enumerate(d.ctx.constraints):
        def mutate(d, n=n):
            del d.ctx.constraints[n]
        out.append(("constraint dropped", f"constraint {n}", mutate))
    return out


TAMPER_CASES = [(name, cls, what, mutate) for name in ("convolution-is-flipped-correlation",
                                                        "correlation-is-im2col-matmul",
                                                        "strided-correlation-is-decimated")
                for cls, what, mutate in _tampers(name)]


@pytest.mark.parametrize("name,cls,what,mutate", TAMPER_CASES, ids=[f"{n}-{w}" for n, _, w, _ in TAMPER_CASES])
def test_issue_14_tampered_context_is_caught(name, cls, what, mutate):
    d = sc.derive(name)
    mutate(d)
    assert not d.verified
    with pytest.raises(sc.ProofError):
        d.verify(samples=1)


def test_issue_14_tamper_classes_are_all_exercised():
    classes = {cls for _, cls, _, _ in TAMPER_CASES}
    assert classes == {"definition widened", "definition narrowed", "rule parameter", "constraint dropped"}


# -- "if and only if" as checked steps: the coefficient-comparison lemma ---------------------------
def test_issue_14_necessity_of_centro_symmetry_is_decided_for_every_size():
    d = sc.derive("convolution-equals-correlation-iff-centrosymmetric")
    assert all(f.general for f in d.facts)
    assert any("read distinct elements" in dec.condition.what and dec.proved for dec in d.decisions)
    text = d.document()
    assert "(Checked for every size.)" in text and "sampled sizes only" not in text


def test_issue_14_coefficient_lemma_refuses_reads_that_are_not_distinct():
    from symconv.proofs.kernel import coefficients_vanish

    ctx = Context("coefficients")
    n, m = ctx.size("n", 4), ctx.size("m", 3)
    ctx.require(n - m)
    x, k = ctx.tensor("x", (n,)), ctx.tensor("k", (m,))
    j = ctx.free_index("j", 0, n - m)
    # sum_u x[j + u] (k[u] - k[m-1-u]): distinct reads, so each coefficient must vanish
    coef, limits, _ = coefficients_vanish(sums(x[j + u] * (k[u] - k[m - 1 - u]), (u, 0, m - 1)), x, ctx)
    assert sympy.expand(coef - (k[u] - k[m - 1 - u])) == 0 and limits == ((u, 0, m - 1),)
    # sum_u x[j] k[u]: one element read m times -- only the sum of the coefficients must vanish
    with pytest.raises(sc.ProofError, match=r"read distinct elements x\[j\].*false for"):
        coefficients_vanish(sums(x[j] * k[u], (u, 0, m - 1)), x, ctx)
    # x[j + u] x[u]: not linear in x
    with pytest.raises(sc.ProofError, match="not one element of x"):
        coefficients_vanish(sums(x[j + u] * x[u], (u, 0, m - 1)), x, ctx)


# -- exchanging a range and a bracket ------------------------------------------------------------
def test_issue_14_exchange_range_needs_ranges_that_are_not_reversed():
    from symconv.proofs import Iverson

    ctx = Context("exchange")
    N, K = ctx.size("N", 5), ctx.size("K", 4)
    x = ctx.tensor("x", (N + K,))
    m = index("m")
    ok = sums(Iverson(0, m, K - 1) * x[m], (m, 0, N - 1))
    done = Chain(ctx, ok).exchange(m)
    assert done.current == sums(Iverson(0, m, N - 1) * x[m], (m, 0, K - 1))
    assert value_at(ctx, done.current, N=2, K=3) == value_at(ctx, ok, N=2, K=3)
    # [2 <= m <= K-1] is an empty bracket at K = 1 (the sum is 0), but the range 2..0 is reversed (Karr: -x[1])
    bad = sums(Iverson(2, m, K - 1) * x[m], (m, 0, N - 1))
    swapped = sympy.Sum(Iverson(0, m, N - 1) * x[m], (m, 2, K - 1))
    assert value_at(ctx, bad, N=3, K=1) != value_at(ctx, swapped, N=3, K=1)
    with pytest.raises(sc.ProofError, match=r"bracket's range 2..K - 1 of m is not reversed.*false for .*K=1"):
        Chain(ctx, bad).exchange(m)


# -- sifting -------------------------------------------------------------------------------------
def test_issue_14_sifting_needs_the_value_inside_the_range():
    from symconv.proofs import Iverson

    ctx = Context("sift")
    N, K = ctx.size("N", 5), ctx.size("K", 3)
    x = ctx.tensor("x", (N + K,))
    t = index("t")
    ok = sums(Iverson(K - 1, t, K - 1) * x[t], (t, 0, N + K - 1))
    assert Chain(ctx, ok).sift(t).current == x[K - 1]
    # t = K + N is outside 0..N+K-1: the bracket is never 1 there, so the sum is 0, not x[K + N]
    outside = sums(Iverson(K + N, t, K + N) * x[t - 1], (t, 0, N + K))
    with pytest.raises(sc.ProofError, match=r"sifted value K \+ N lies in the range 0..K \+ N - 1 of t"):
        Chain(ctx, sympy.Sum(Iverson(K + N, t, K + N) * x[t], (t, 0, N + K - 1))).sift(t)
    assert Chain(ctx, outside).sift(t).current == x[K + N - 1]  # inside 0..N+K: accepted


# -- linearity inside `same`: a factor moves into a sum only when no index of the sum is its own ------
def test_issue_14_fold_up_to_linearity_never_captures():
    ctx = Context("linearity")
    n = ctx.size("n", 4)
    x, k = ctx.tensor("x", (n,)), ctx.tensor("k", (n,))
    j = ctx.free_index("j", 0, n - 1)
    s = ctx.define("s", (i,), ((0, n - 1),), sums(x[u] * k[u], (u, 0, n - 1)) * x[i], "definition of s")
    # s[j] = x[j] * sum_u x[u] k[u]: the factor may move inside the sum ...
    Chain(ctx, s[j]).unfold(s).push(Fold((s,)), "fold", s[j])
    inside = sums(x[u] * k[u] * x[j], (u, 0, n - 1))
    Chain(ctx, inside).push(Fold((s,)), "fold", s[j])
    # ... but x[u] * sum_u k[u] x[u] is not sum_u x[u] k[u] x[u]: the free u is not the bound one
    u_free = ctx.free_index("u", 0, n - 1)
    with pytest.raises(sc.ProofError, match="not what the rule gives|does not give back"):
        Chain(ctx, x[u_free] * sums(k[u] * x[u], (u, 0, n - 1))).push(
            MergeSums(), "adversary", sums(x[u] * k[u] * x[u], (u, 0, n - 1)))
