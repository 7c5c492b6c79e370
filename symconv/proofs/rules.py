"""Rewrite rules of a derivation, each with its own symbolic side condition.

A rule turns the previous expression of a chain into the next one.  Its
``check(prev, new, ctx)`` re-derives ``new`` from ``prev`` and proves the
rule's side condition symbolically (a re-indexing is a bijection of the
ranges, shown by its inverse; a flattening enumerates the pairs row-major
without gaps; an extended range contains the old one, ...).  Steps are also
checked at concrete sizes by :mod:`symconv.proofs.concrete`; that is the
derivation's job, not the rule's.

>>> from symconv.proofs.vocab import index, sums
>>> u, n = index("u"), sympy.Symbol("n", integer=True, positive=True)
>>> x = sympy.IndexedBase("x")
>>> s = sums(x[u], (u, 0, n - 1))
>>> Reindex(u, n - 1 - u).apply(s, None)
Sum(x[n - u - 1], (u, 0, n - 1))
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from .binders import alpha_equal, bound_symbols, canonical, substitute
from .concrete import ProofError
from .smt import Condition
from .vocab import Iverson, Symmetry


def same(a, b) -> bool:
    """Equality up to the names of bound indices (alpha-equivalence, never capturing a free index), expansion of
    products, and linearity (a factor free of a sum's indices may stand inside or outside it)."""
    if alpha_equal(a, b):
        return True
    ca, cb = canonical(a), canonical(b)  # every bound index its own fresh name: moving factors captures nothing
    if sympy.expand(ca - cb) == 0:
        return True
    return sympy.expand(_factors_inside(ca) - _factors_inside(cb)) == 0


def _factors_inside(e):
    """`e` with every factor of a product moved into the innermost ``Sum`` of that product (linearity), sums
    with expanded summands.  Only for expressions whose bound indices all have distinct fresh names
    (:func:`canonical`), so no factor meets an index of its own name."""
    if isinstance(e, sympy.Sum):
        body = _factors_inside(e.function)
        if isinstance(body, sympy.Sum):  # nested sums as one Sum (inner limits first)
            return sympy.Sum(body.function, *(body.limits + e.limits))
        return sympy.Sum(body, *e.limits)
    if not e.args or isinstance(e, (sympy.Indexed, sympy.Symbol)):
        return e
    args = [_factors_inside(a) for a in e.args]
    if e.is_Mul:
        sums_ = [a for a in args if isinstance(a, sympy.Sum)]
        if sums_:
            rest = [a for a in args if not isinstance(a, sympy.Sum)]
            inner = sums_[0]
            for other in sums_[1:]:  # a product of sums is a sum over both index sets
                inner = sympy.Sum(inner.function * other.function, *(inner.limits + other.limits))
            body = sympy.expand(sympy.Mul(*rest) * inner.function)
            return sympy.Sum(_factors_inside(body) if body.is_Mul else body, *inner.limits)
    if e.is_Mul or e.is_Add:
        return e.func(*args)
    return e.func(*args) if any(n is not a for n, a in zip(args, e.args)) else e


def _scope(rng: dict, s=None, var=None) -> tuple:
    """The indices bound outside an edited sum, as a solver scope (outermost first); with the ``Sum`` `s` and its
    variable `var`, also the limits of `s` outside `var` (SymPy keeps nested sums in one ``Sum``)."""
    scope = tuple((v, lo, hi) for v, (lo, hi) in rng.items())
    if s is not None:
        limits = list(s.limits)
        pos = [lim[0] for lim in limits].index(var)
        scope += tuple(reversed(limits[pos + 1:]))
    return scope


def _limit_vars(s):
    return [lim[0] for lim in s.limits]


def edit(expr, var, fn, which=0, ranges=None):
    """Replace the `which`-th (outermost first) ``Sum`` over `var` by ``fn(sum, ranges)``.

    `which` may also be an expression: then the first sum over `var` containing it.
    `ranges` maps the indices bound outside that sum to their ``(lo, hi)``.
    """
    seen = [0]

    def walk(e, rng):
        if isinstance(e, sympy.Sum) and var in _limit_vars(e):
            if (seen[0] == which) if isinstance(which, int) else (seen[0] == 0 and e.has(which)):
                seen[0] += 1
                return fn(e, rng)
            if isinstance(which, int):
                seen[0] += 1
        if not e.args or isinstance(e, (sympy.Indexed, sympy.Symbol)):
            return e
        inner = dict(rng)
        if isinstance(e, sympy.Sum):
            inner.update({v: (lo, hi) for v, lo, hi in e.limits})
        args = [walk(a, inner) for a in e.args]
        return e.func(*args) if any(n is not a for n, a in zip(args, e.args)) else e

    out = walk(expr, dict(ranges or {}))
    if seen[0] <= (which if isinstance(which, int) else 0):
        raise ProofError(f"there is no sum number {which} over {var} in {expr}")
    return out


def _replace_limit(s, var, new_limits, body):
    """`s` with the limit of `var` replaced by `new_limits` (0, 1 or 2 limits) and a new body."""
    limits = []
    for lim in s.limits:
        limits.extend(new_limits if lim[0] == var else [lim])
    return sympy.Sum(body, *limits) if limits else body


def _position(s, var) -> int:
    return _limit_vars(s).index(var)


def _affine(expr, var):
    """``(a, b)`` with ``expr == a*var + b``, ``a = ±1``, else a ProofError."""
    a = sympy.expand(sympy.diff(expr, var))
    b = sympy.expand(expr - a * var)
    if a not in (1, -1) or var in b.free_symbols:
        raise ProofError(f"{var} -> {expr} is not of the form ±{var} + c, so it is not a re-indexing this rule can prove")
    return a, b


@dataclass(frozen=True)
class Rule:
    """A named rewrite; subclasses define :meth:`apply` and may add a side condition."""

    def apply(self, expr, ctx):
        raise NotImplementedError

    def side(self, prev, ctx) -> None:
        """Raise :class:`ProofError` when a side condition that is an identity (decided by expansion) fails."""

    def conditions(self, prev, ctx) -> list:
        """The side conditions to decide for every size (:class:`symconv.proofs.smt.Condition`)."""
        return []

    def check(self, prev, new, ctx) -> None:
        self.side(prev, ctx)
        if not same(self.apply(prev, ctx), new):
            raise ProofError("the expression is not what the rule gives")


@dataclass(frozen=True)
class Unfold(Rule):
    """Replace every element of the defined tensors `bases` by its definition."""

    bases: tuple

    def apply(self, expr, ctx):
        defs = [ctx.definitions[b] for b in self.bases]
        expr = expr.xreplace({b: d.body for b, d in zip(self.bases, defs) if not d.params})
        def element(e):  # the body at the indices, its own sums renamed where an index would be captured
            d = defs[self.bases.index(e.base)]
            return substitute(d.body, dict(zip(d.params, e.indices)))

        return expr.replace(lambda e: isinstance(e, sympy.Indexed) and e.base in self.bases, element)


@dataclass(frozen=True)
class Fold(Rule):
    """The reverse of :class:`Unfold`: the new expression unfolds to the previous one."""

    bases: tuple

    def check(self, prev, new, ctx) -> None:
        if not same(Unfold(self.bases).apply(new, ctx), prev):
            raise ProofError("unfolding the definition does not give back the previous expression")


@dataclass(frozen=True)
class Reindex(Rule):
    """Substitute ``var = expr(new)`` (``expr = ±new + c``) in the sum over `var`, via ``change_index``."""

    var: sympy.Symbol
    expr: sympy.Expr
    new: sympy.Symbol | None = None
    which: object = 0

    def _new(self):
        return self.new if self.new is not None else self.var

    def apply(self, expr, ctx):
        new = self._new()
        a, b = _affine(self.expr, new)

        def go(s, rng):
            if new != self.var and (new in s.free_symbols or new in bound_symbols(s)):
                raise ProofError(f"the new index {new} already occurs in {s}")
            pos = _position(s, self.var)
            _, lo, hi = s.limits[pos]
            ends = (a * (lo - b), a * (hi - b))  # new = a*(old - b)
            n_lo, n_hi = (ends if a == 1 else ends[::-1])
            to_new = {self.var: self.expr}
            limits = []
            for p, (v, l, h) in enumerate(s.limits):
                if p < pos:  # an inner limit: its bounds may use the re-indexed variable
                    limits.append((v, substitute(l, to_new), substitute(h, to_new)))
                elif p == pos:
                    limits.append((new, sympy.expand(n_lo), sympy.expand(n_hi)))
                else:
                    limits.append((v, l, h))
            return sympy.Sum(substitute(s.function, to_new), *limits)

        return edit(expr, self.var, go, self.which)

    def side(self, prev, ctx) -> None:
        new = self._new()
        a, b = _affine(self.expr, new)
        inverse = a * (self.var - b)
        if sympy.expand(inverse.xreplace({self.var: self.expr}) - new) != 0:
            raise ProofError(f"{self.var} = {self.expr} has no inverse")

        def bounds(s, rng):
            lo, hi = next((lo, hi) for v, lo, hi in s.limits if v == self.var)
            n_lo, n_hi = (inverse.xreplace({self.var: lo}), inverse.xreplace({self.var: hi}))[::a]
            ends = {sympy.expand(self.expr.xreplace({new: n_lo})), sympy.expand(self.expr.xreplace({new: n_hi}))}
            if ends != {sympy.expand(lo), sympy.expand(hi)}:
                raise ProofError(f"{self.var} = {self.expr} does not map the new range onto {lo}..{hi}")
            return s

        edit(prev, self.var, bounds, self.which)

    def conditions(self, prev, ctx) -> list:
        """Both directions of the bijection for every size: the substitution maps the new range into the old one
        and its inverse maps the old range into the new one (ranges in SymPy's convention, reversed ones too)."""
        from .smt import in_range

        new = self._new()
        a, b = _affine(self.expr, new)
        inverse = a * (self.var - b)
        found = []

        def collect(s, rng):
            _, lo, hi = next(lim for lim in s.limits if lim[0] == self.var)
            ends = (sympy.expand(inverse.xreplace({self.var: lo})), sympy.expand(inverse.xreplace({self.var: hi})))
            n_lo, n_hi = ends if a == 1 else ends[::-1]
            scope = _scope(rng, s, self.var)
            probe = sympy.Symbol(f"{new.name}'", integer=True)
            found.append(Condition(f"{self.var} = {self.expr} maps the new range {n_lo}..{n_hi} into {lo}..{hi}",
                                   in_range(self.expr.xreplace({new: probe}), lo, hi),
                                   scope + ((probe, n_lo, n_hi),)))
            back = sympy.Symbol(f"{self.var.name}'", integer=True)
            found.append(Condition(f"its inverse {new} = {inverse} maps {lo}..{hi} into {n_lo}..{n_hi}",
                                   in_range(inverse.xreplace({self.var: back}), n_lo, n_hi),
                                   scope + ((back, lo, hi),)))
            return s

        edit(prev, self.var, collect, self.which, ctx.ranges())
        return found

    def why(self) -> str:
        new = self._new()
        a, b = _affine(self.expr, new)
        s = sympy.latex
        if new == self.var:
            return rf"re-index ${s(self.var)} \mapsto {s(self.expr)}$ (a bijection of the range, its own inverse)" if a == -1 \
                else rf"re-index ${s(self.var)} \mapsto {s(self.expr)}$ (a bijection, inverse ${s(self.var)} \mapsto {s(a * (self.var - b))}$)"
        return rf"substitute ${s(self.var)} = {s(self.expr)}$ (a bijection, inverse ${s(new)} = {s(a * (self.var - b))}$)"


@dataclass(frozen=True)
class Flatten(Rule):
    """``Σ_{o=0}^{A-1} Σ_{i=0}^{B-1} f(o, i) = Σ_{c=0}^{AB-1} f(⌊c/B⌋, c mod B)`` (row-major)."""

    outer: sympy.Symbol
    inner: sympy.Symbol
    new: sympy.Symbol
    which: int = 0

    def _limits(self, s):
        vars_ = _limit_vars(s)
        if self.inner not in vars_ or vars_.index(self.inner) + 1 >= len(vars_) or vars_[vars_.index(self.inner) + 1] != self.outer:
            raise ProofError(f"the sum over {self.inner} is not directly inside the sum over {self.outer}")
        p = vars_.index(self.inner)
        (_, lo_i, hi_i), (_, lo_o, hi_o) = s.limits[p], s.limits[p + 1]
        if lo_i != 0 or lo_o != 0 or self.outer in hi_i.free_symbols:
            raise ProofError("flattening needs both ranges to start at 0 and the inner one not to depend on the outer index")
        return p, hi_o + 1, hi_i + 1

    def apply(self, expr, ctx):
        def go(s, rng):
            p, A, B = self._limits(s)
            if self.new in s.free_symbols or self.new in bound_symbols(s) - {self.outer, self.inner}:
                raise ProofError(f"the new index {self.new} already occurs in {s}")
            body = substitute(s.function, {self.outer: sympy.floor(self.new / B), self.inner: sympy.Mod(self.new, B)})
            limits = list(s.limits)
            limits[p:p + 2] = [(self.new, 0, sympy.expand(A * B - 1))]
            return sympy.Sum(body, *limits)

        return edit(expr, self.outer, go, self.which)

    def side(self, prev, ctx) -> None:
        def enum(s, rng):
            _, A, B = self._limits(s)
            o = sympy.Dummy("o", integer=True)
            c = lambda oo, ii: B * oo + ii  # noqa: E731 - the enumeration c = B*o + i
            facts = [c(0, 0), c(A - 1, B - 1) - (A * B - 1), c(o, B - 1) + 1 - c(o + 1, 0)]
            if any(sympy.expand(f) != 0 for f in facts):
                raise ProofError("c = B*o + i does not enumerate the pairs without gaps")
            return s

        edit(prev, self.outer, enum, self.which)

    def conditions(self, prev, ctx) -> list:
        found = []

        def collect(s, rng):
            _, A, B = self._limits(s)
            scope = _scope(rng, s, self.outer)
            found.append(Condition(f"the inner range of {self.inner} is not empty (B = {B} >= 1: the division "
                                   f"lemma needs a positive divisor)", sympy.Ge(B, 1, evaluate=False), scope))
            found.append(Condition(f"the outer range of {self.outer} is not reversed (A = {A} >= 0)",
                                   sympy.Ge(A, 0, evaluate=False), scope))
            return s

        edit(prev, self.outer, collect, self.which, ctx.ranges())
        return found


@dataclass(frozen=True)
class Swap(Rule):
    """Exchange two directly nested sums whose ranges do not depend on each other."""

    outer: sympy.Symbol
    inner: sympy.Symbol
    which: int = 0

    def apply(self, expr, ctx):
        def go(s, rng):
            vars_ = _limit_vars(s)
            p = vars_.index(self.inner) if self.inner in vars_ else len(vars_)
            if p + 1 >= len(vars_) or vars_[p + 1] != self.outer:
                raise ProofError(f"the sum over {self.inner} is not directly inside the sum over {self.outer}")
            lims = list(s.limits)
            if self.outer in lims[p][1].free_symbols | lims[p][2].free_symbols:
                raise ProofError(f"the range of {self.inner} depends on {self.outer}: the sums cannot be swapped")
            lims[p], lims[p + 1] = lims[p + 1], lims[p]
            return sympy.Sum(s.function, *lims)

        return edit(expr, self.outer, go, self.which)


@dataclass(frozen=True)
class SingleTerm(Rule):
    """A sum over one value ``Σ_{u=a}^{a} f(u) = f(a)``."""

    var: sympy.Symbol
    which: int = 0

    def apply(self, expr, ctx):
        def go(s, rng):
            _, lo, hi = next(lim for lim in s.limits if lim[0] == self.var)
            if sympy.expand(hi - lo) != 0:
                raise ProofError(f"the sum over {self.var} runs over {lo}..{hi}, not one value")
            return _replace_limit(s, self.var, [], substitute(s.function, {self.var: lo}))

        return edit(expr, self.var, go, self.which)


@dataclass(frozen=True)
class ExtendByZero(Rule):
    """``Σ_{v=a}^{b} f = Σ_{v=lo}^{hi} [a-s <= v-s <= b-s] f`` when ``lo <= a`` and ``b <= hi``."""

    var: sympy.Symbol
    lo: sympy.Expr
    hi: sympy.Expr
    shift: sympy.Expr = sympy.S.Zero
    which: int = 0

    def apply(self, expr, ctx):
        def go(s, rng):
            _, a, b = next(lim for lim in s.limits if lim[0] == self.var)
            bracket = Iverson(sympy.expand(a - self.shift), self.var - self.shift, sympy.expand(b - self.shift))
            return _replace_limit(s, self.var, [(self.var, self.lo, self.hi)], bracket * s.function)

        return edit(expr, self.var, go, self.which)

    def conditions(self, prev, ctx) -> list:
        found = []

        def contains(s, rng):
            _, a, b = next(lim for lim in s.limits if lim[0] == self.var)
            scope = _scope(rng, s, self.var)
            ge = lambda p, q: sympy.Ge(p, q, evaluate=False)  # noqa: E731
            found.append(Condition(f"the old range {a}..{b} is inside {self.lo}..{self.hi}",
                                   sympy.And(ge(a, self.lo), ge(self.hi, b)), scope))
            found.append(Condition(f"the old range {a}..{b} is not reversed (Karr's convention would negate it)",
                                   ge(b, a - 1), scope))
            found.append(Condition(f"the new range {self.lo}..{self.hi} is not reversed", ge(self.hi, self.lo - 1),
                                   scope))
            return s

        edit(prev, self.var, contains, self.which, ctx.ranges())
        return found


@dataclass(frozen=True)
class MergeSums(Rule):
    """Linearity: sums (and their negatives) with the same limits become one sum."""

    def apply(self, expr, ctx):
        return _merge(expr)


def _merge(e):
    if isinstance(e, sympy.Sum):
        return sympy.Sum(_merge(e.function), *e.limits)
    if not e.is_Add:
        return e
    groups: dict = {}
    rest = []
    for term in e.args:
        coeff, s = term.as_independent(sympy.Sum, as_Add=False)
        if isinstance(s, sympy.Sum):
            clash = coeff.free_symbols & {lim[0] for lim in s.limits}
            if clash:  # the factor's free index shares a name with the sum's: it must not be captured
                rest.append(term)
                continue
            groups.setdefault(s.limits, []).append(coeff * s.function)
        else:
            rest.append(term)
    merged = [_merge(sympy.Sum(sympy.Add(*bodies), *lims)) for lims, bodies in groups.items()]
    return sympy.Add(*merged, *rest)


@dataclass(frozen=True)
class PullIn(Rule):
    """Linearity: a factor free of the summation index moves inside the sum."""

    var: sympy.Symbol

    def apply(self, expr, ctx):
        def go(e):
            coeff, s = e.as_independent(sympy.Sum, as_Add=False)
            if not isinstance(s, sympy.Sum) or self.var not in _limit_vars(s) or coeff == 1:
                return e
            if set(_limit_vars(s)) & coeff.free_symbols:
                raise ProofError(f"{coeff} depends on an index of the sum, it cannot move inside")
            return sympy.Sum(coeff * s.function, *s.limits)

        return expr.replace(lambda e: e.is_Mul and e.has(sympy.Sum), go)


@dataclass(frozen=True)
class Algebra(Rule):
    """Rewrite summands: the two sides agree after expanding every summand (a polynomial identity)."""

    def check(self, prev, new, ctx) -> None:
        if sympy.expand(_expand_bodies(prev) - _expand_bodies(new)) != 0:
            raise ProofError("the summands are not equal as polynomials")


def _expand_bodies(e):
    return e.replace(lambda s: isinstance(s, sympy.Sum), lambda s: sympy.Sum(sympy.expand(s.function), *s.limits))


@dataclass(frozen=True)
class ZeroSum(Rule):
    """A sum of zeros is zero."""

    def apply(self, expr, ctx):
        return expr.replace(lambda e: isinstance(e, sympy.Sum) and e.function == 0, lambda e: sympy.S.Zero)


@dataclass(frozen=True)
class Substitute(Rule):
    """Use a :class:`Symmetry` hypothesis: ``old`` (an element) is replaced by ``new``."""

    hypothesis: Symmetry
    old: sympy.Indexed
    new: sympy.Indexed

    def apply(self, expr, ctx):
        return expr.xreplace({self.old: self.new})

    def side(self, prev, ctx) -> None:
        h = self.hypothesis
        if self.old.base != h.base or self.new.base != h.base:
            raise ProofError(f"{self.old} = {self.new} is not about the tensor of the hypothesis")
        image = h.apply(self.new.indices)
        if any(sympy.expand(p - q) != 0 for p, q in zip(image, self.old.indices)):
            raise ProofError(f"{self.old} = {self.new} is not an instance of {h.statement}")
        twice = h.apply(h.apply(h.params))
        if any(sympy.expand(p - q) != 0 for p, q in zip(twice, h.params)):
            raise ProofError(f"the symmetry of {h.name} is not an involution")


@dataclass(frozen=True)
class ExchangeRange(Rule):
    """``Σ_{v=a}^{b} [c <= g(v) <= d] f = Σ_{v∈g⁻¹(c..d)} [a' <= e(v) <= b'] f``: a range and a bracket trade places.

    The bracket of the summand over `var` (``g = ±var + s``) becomes the new range, and the old range
    ``a..b`` becomes a bracket on `image` (``e = ±var + t``, default `var`), written ``[e(a)..e(b)]``.
    Both sides are the sum over the intersection when neither range is reversed (the side conditions).
    """

    var: sympy.Symbol
    image: sympy.Expr | None = None
    which: int = 0

    def _parts(self, s):
        _, a, b = next(lim for lim in s.limits if lim[0] == self.var)
        factors = list(sympy.Mul.make_args(s.function))
        brackets = [f for f in factors if isinstance(f, Iverson) and self.var in f.args[1].free_symbols]
        if len(brackets) != 1:
            raise ProofError(f"the summand over {self.var} has no single bracket on {self.var} to exchange with its range")
        bracket = brackets[0]
        c, g, d = bracket.args
        alpha, shift = _affine(g, self.var)
        lo, hi = (c - shift, d - shift) if alpha == 1 else (shift - d, shift - c)
        rest = sympy.Mul(*[f for f in factors if f is not bracket])
        return a, b, sympy.expand(lo), sympy.expand(hi), rest

    def apply(self, expr, ctx):
        image = self.var if self.image is None else self.image
        beta, t_ = _affine(image, self.var)

        def go(s, rng):
            a, b, lo, hi, rest = self._parts(s)
            ends = (sympy.expand(beta * a + t_), sympy.expand(beta * b + t_))
            e_lo, e_hi = ends if beta == 1 else ends[::-1]
            return _replace_limit(s, self.var, [(self.var, lo, hi)], Iverson(e_lo, image, e_hi) * rest)

        return edit(expr, self.var, go, self.which)

    def conditions(self, prev, ctx) -> list:
        found = []

        def collect(s, rng):
            a, b, lo, hi, _ = self._parts(s)
            scope = _scope(rng, s, self.var)
            found.append(Condition(f"the range {a}..{b} of {self.var} is not reversed", sympy.Ge(b, a - 1, evaluate=False),
                                   scope))
            found.append(Condition(f"the bracket's range {lo}..{hi} of {self.var} is not reversed",
                                   sympy.Ge(hi, lo - 1, evaluate=False), scope))
            return s

        edit(prev, self.var, collect, self.which, ctx.ranges())
        return found


@dataclass(frozen=True)
class Sift(Rule):
    """The sifting rule: ``Σ_{v=lo}^{hi} [e <= v <= e] f(v) = f(e)`` when ``lo <= e <= hi`` (a side condition)."""

    var: sympy.Symbol
    which: int = 0

    def _parts(self, s):
        factors = list(sympy.Mul.make_args(s.function))
        picks = [f for f in factors if isinstance(f, Iverson) and f.args[1] == self.var
                 and sympy.expand(f.args[0] - f.args[2]) == 0 and self.var not in f.args[0].free_symbols]
        if len(picks) != 1:
            raise ProofError(f"the summand over {self.var} has no single bracket [{self.var} = e] to sift with")
        _, lo, hi = next(lim for lim in s.limits if lim[0] == self.var)
        rest = sympy.Mul(*[f for f in factors if f is not picks[0]])
        return picks[0].args[0], lo, hi, rest

    def apply(self, expr, ctx):
        def go(s, rng):
            e, _, _, rest = self._parts(s)
            return _replace_limit(s, self.var, [], substitute(rest, {self.var: e}))

        return edit(expr, self.var, go, self.which)

    def conditions(self, prev, ctx) -> list:
        found = []

        def collect(s, rng):
            e, lo, hi, _ = self._parts(s)
            found.append(Condition(f"the sifted value {e} lies in the range {lo}..{hi} of {self.var}",
                                   sympy.And(sympy.Le(lo, e, evaluate=False), sympy.Le(e, hi, evaluate=False)),
                                   _scope(rng, s, self.var)))
            return s

        edit(prev, self.var, collect, self.which, ctx.ranges())
        return found
