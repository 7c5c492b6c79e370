"""The trusted kernel: the only place a step of a derivation is accepted.

A step ``prev = new`` by a rule is accepted when

1. the rule is one of the kernel's own (:data:`RULES`; a subclass a user wrote is refused),
2. the rule re-derives `new` from `prev` (up to alpha-equivalence, :mod:`symconv.proofs.binders`) and its
   identities hold symbolically,
3. each of its side conditions (:meth:`Rule.conditions`) is decided for every size by the solver, under
   the derivation's constraints (:mod:`symconv.proofs.smt`), and
4. every tensor element `new` reads lies inside its tensor (a defined tensor: inside its definition's
   range) for every value of the indices in scope.

Anything the solver cannot decide refuses the step with that reason.  Sampling at concrete sizes
(:mod:`symconv.proofs.concrete`) is a second, independent check made by the derivation, never the
reason a step is accepted.
"""

from __future__ import annotations

import sympy

from .binders import distinct_binders
from .concrete import ProofError
from .rules import (Algebra, ExchangeRange, ExtendByZero, Flatten, Fold, MergeSums, PullIn, Reindex, Sift,
                    SingleTerm, Substitute, Swap, Unfold, ZeroSum)
from .smt import Condition, Decision, decide
from .vocab import Iverson

#: the kernel's rules: only these (exactly these classes) are trusted
RULES = (Unfold, Fold, Reindex, Flatten, Swap, SingleTerm, ExtendByZero, ExchangeRange, Sift, MergeSums, PullIn,
         Algebra, ZeroSum, Substitute)


def trusted(rule) -> None:
    """Refuse a rule that is not one of the kernel's (a subclass, an object with a ``check`` method)."""
    if type(rule) not in RULES:
        raise ProofError(f"{type(rule).__name__} is not one of the kernel's rules "
                         f"({', '.join(r.__name__ for r in RULES)}); a step is accepted only by those")


def read_conditions(expr, ctx, where: str = "") -> list[Condition]:
    """One condition per tensor element `expr` reads: it lies inside the tensor's shape (or the definition's range)
    for every value of the free indices and the sums around it, unless an Iverson bracket in the same product
    makes the term zero there."""
    free = tuple((i, lo, hi) for i, lo, hi in ctx.free)
    # every bound index its own name: a scope never merges two indices of one name
    expr = distinct_binders(expr, [i for i, _, _ in free] + list(ctx.sizes))
    found: list[Condition] = []

    def walk(e, scope, guards):
        if isinstance(e, sympy.Sum):
            limits = tuple((v, lo, hi) for v, lo, hi in reversed(e.limits))  # outermost first
            walk(e.function, scope + limits, guards)
            return
        if isinstance(e, sympy.Indexed):
            found.append(_inside(e, ctx, scope, guards, where))
            return
        if e.is_Mul:
            brackets = tuple(sympy.And(sympy.Le(a.args[0], a.args[1], evaluate=False),
                                       sympy.Le(a.args[1], a.args[2], evaluate=False))
                             for a in e.args if isinstance(a, Iverson))
            for a in e.args:
                walk(a, scope, guards + brackets)
            return
        for a in e.args:
            walk(a, scope, guards)

    walk(expr, free, ())
    return found


def _inside(e, ctx, scope, guards, where) -> Condition:
    base = e.base
    le = lambda p, q: sympy.Le(p, q, evaluate=False)  # noqa: E731
    if base in ctx.tensors:
        shape = ctx.tensors[base]
        goal = sympy.And(*[sympy.And(le(0, i), le(i, n - 1)) for i, n in zip(e.indices, shape)])
        if len(shape) != len(e.indices):
            goal = sympy.false
        what = f"{e} is read inside {base}'s shape {tuple(shape)}"
    elif base in ctx.definitions:
        d = ctx.definitions[base]
        goal = sympy.And(*[sympy.And(le(lo, i), le(i, hi)) for i, (lo, hi) in zip(e.indices, d.ranges)])
        if len(d.ranges) != len(e.indices):
            goal = sympy.false
        what = f"{e} is read inside the range its definition covers"
    else:
        goal = sympy.false
        what = f"{base} is a tensor or definition of this derivation"
    return Condition(what + (f" ({where})" if where else ""), goal, scope, guards)


def definition_conditions(ctx) -> list[Condition]:
    """Each definition's body reads inside its tensors for every parameter value in its ranges."""
    found = []
    for base, d in ctx.definitions.items():
        scope = tuple((i, lo, hi) for i, lo, hi in ctx.free if i not in d.params)
        scope += tuple((p, lo, hi) for p, (lo, hi) in zip(d.params, d.ranges))
        body = d.body
        sub = _Scoped(ctx, scope)
        found += [Condition(c.what + f" (definition of {base})", c.goal, c.scope, c.assumptions)
                  for c in read_conditions(body, sub)]
    return found


class _Scoped:
    """`ctx` seen with other free indices (a definition's parameters and their ranges)."""

    def __init__(self, ctx, scope):
        self.tensors, self.definitions, self.free = ctx.tensors, ctx.definitions, list(scope)
        self.sizes, self.constraints = ctx.sizes, ctx.constraints


def decide_all(conditions, ctx) -> list[Decision]:
    """Decide every condition under `ctx`'s sizes and constraints; raise on the first that is not proved."""
    out = []
    for cond in conditions:
        d = decide(cond, sizes=tuple(ctx.sizes), constraints=tuple(ctx.constraints))
        if not d.proved:
            why = d.reason if d.status != "unknown" else f"{d.reason}; symconv does not accept a step it cannot decide"
            raise ProofError(f"the side condition '{cond.what}' is not proved for every size: {why}")
        out.append(d)
    return out


def accept(rule, prev, new, ctx, where: str = "") -> list[Decision]:
    """Accept the step ``prev = new`` by `rule` (see the module doc), returning the decided conditions."""
    trusted(rule)
    rule.check(prev, new, ctx)
    conditions = list(rule.conditions(prev, ctx)) + read_conditions(new, ctx, where)
    return decide_all(conditions, ctx)


def accept_start(lhs, ctx) -> list[Decision]:
    """The definitions and the left-hand side read inside their tensors for every size."""
    return decide_all(definition_conditions(ctx) + read_conditions(lhs, ctx, "the left-hand side"), ctx)


def coefficients_vanish(expr, base, ctx) -> tuple:
    """The coefficient-comparison lemma: ``Σ_{t} base[φ(t)] c(t)`` vanishes for every `base` only if ``c(t) = 0``
    for every `t` in the ranges -- accepted when φ is injective on the ranges (decided for every size) and no
    ``c(t)`` reads `base`.

    Returns ``(c, limits, decisions)``: the coefficient, the limits ``(var, lo, hi)`` (outermost first) over
    which it must vanish, and the decided injectivity condition.
    """
    expr = distinct_binders(expr, [i for i, _, _ in ctx.free] + list(ctx.sizes))
    if not isinstance(expr, sympy.Sum):
        raise ProofError(f"{expr} is not a sum of {base}'s elements times coefficients")
    limits = tuple((v, lo, hi) for v, lo, hi in reversed(expr.limits))
    body = expr.function
    reads = {e for e in body.atoms(sympy.Indexed) if e.base == base}
    read = next(iter(reads)) if len(reads) == 1 else None
    coef = sympy.expand(body).coeff(read) if read is not None else None
    if read is None or body.has(sympy.Sum) or coef.has(base) or sympy.expand(body - coef * read) != 0:
        raise ProofError(f"the summand {body} is not one element of {base} times a coefficient free of {base}")
    variables = [v for v, _, _ in limits]
    twins = {v: sympy.Symbol(v.name + "'", integer=True) for v in variables}
    other = read.xreplace(twins)
    same_read = tuple(sympy.Eq(a, b, evaluate=False) for a, b in zip(read.indices, other.indices))
    goal = sympy.And(*[sympy.Eq(v, twins[v], evaluate=False) for v in variables])
    scope = tuple((i, lo, hi) for i, lo, hi in ctx.free) + limits + tuple(
        (twins[v], lo.xreplace(twins), hi.xreplace(twins)) for v, lo, hi in limits)
    cond = Condition(f"distinct values of ({', '.join(map(str, variables))}) read distinct elements {read} (the "
                     f"coefficients of distinct variables)", goal, scope, same_read)
    return coef, limits, decide_all([cond], ctx)
