"""A derivation: a chain ``lhs = e_1 = ... = rhs`` of checked rewrite steps.

Every step is accepted only by the kernel (:mod:`symconv.proofs.kernel`): its rule
re-derives it from the previous expression, and every side condition (bijective
re-indexings, non-empty ranges, reads inside the tensors) is decided for every size
by the SMT solver.  As a second, independent check, both sides are expanded at
several concrete sizes and compared in the exact compact form.  The two ends are also compared with symconv's own operations
(``correlate``, ``im2col_matmul``, ...), which are built independently of
the proof.  A derivation whose steps changed since they were checked is
checked again before it is printed; a false step is never printed as a proof.
"""

from __future__ import annotations

import dataclasses
import numbers
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy

from .. import canonical
from ..errors import InvalidArgumentError, describe
from .concrete import Evaluator, ProofError
from .kernel import accept, accept_start, trusted
from .smt import smtlib
from .rules import Algebra, ExchangeRange, Sift, ExtendByZero, Flatten, Fold, MergeSums, PullIn, Reindex, SingleTerm, Substitute, Swap, Unfold, ZeroSum
from .vocab import Context, Symmetry

#: size assignments each step is expanded at: the largest tried sizes, then random ones
SAMPLES = 4


@dataclass(frozen=True)
class Step:
    """One link of the chain: the expression after the step and why it equals the previous one.

    Steps are made by :class:`Chain` (each accepted by the kernel) and read from ``Derivation.steps``.

    Attributes
    ----------
    expr : sympy.Expr
        The expression after the step.
    why : str
        The justification, as LaTeX text (``$...$`` for mathematics).
    verified : bool
        Whether the derivation's last :meth:`Derivation.verify` accepted it.
    rule : Rule
        The kernel's rule that accepted it (not compared).
    assumes : tuple of Symmetry
        The hypotheses in force (not compared).

    Examples
    --------
    >>> import symconv as sc
    >>> step = sc.derive("convolution-is-flipped-correlation").steps[1]
    >>> step.verified, type(step.rule).__name__
    (True, 'Reindex')
    >>> step.why
    're-index $u \\\\mapsto k_{h} - u - 1$ (a bijection of the range, its own inverse)'
    """

    expr: sympy.Expr
    why: str
    verified: bool = False
    rule: object = field(default=None, compare=False, repr=False)
    assumes: tuple = field(default=(), compare=False, repr=False)  # Symmetry hypotheses in force

    def _repr_latex_(self) -> str:
        """Jupyter: ``= expr`` with its justification (KaTeX/MathJax-safe: ``\\text``, no ``\\parbox``)."""
        from ..latex.printer import latex

        return f"$\\displaystyle = {latex(self.expr)} \\quad \\text{{{self.why}}}$"


@dataclass(frozen=True)
class Fact:
    """A statement outside the chain (a converse, a witness), checked at each sampled size by `check`; with
    `proof` (``proof(derivation) -> decisions``, through the kernel) it is also decided for every size."""

    statement: str  # LaTeX
    why: str
    check: Callable = field(compare=False, repr=False)  # check(sizes: dict name->int) raises ProofError
    verified: bool = False
    proof: Callable | None = field(default=None, compare=False, repr=False)
    fixed: bool = False  # a statement about fixed numbers (the seed's matrices): computed exactly, no sizes

    @property
    def general(self) -> bool:
        """Whether the fact holds as stated without sampling: decided for every size by the kernel, or a
        statement about fixed numbers that was computed exactly."""
        return self.proof is not None or self.fixed


class Chain:
    """Builds a derivation step by step, checking each rule as it is applied.

    >>> from symconv.proofs.vocab import Context, index, sums
    >>> ctx = Context("demo")
    >>> n = ctx.size("n", 4)
    >>> x = ctx.tensor("x", (n,))
    >>> u = index("u")
    >>> c = Chain(ctx, sums(x[u], (u, 0, n - 1))).reindex(u, n - 1 - u)
    >>> c.steps[-1].expr
    Sum(x[n - u - 1], (u, 0, n - 1))
    """

    def __init__(self, ctx: Context, lhs):
        self.ctx, self.lhs, self.steps = ctx, lhs, []
        self._assumes: tuple = ()
        self._start_checked = False

    @property
    def current(self):
        return self.steps[-1].expr if self.steps else self.lhs

    def push(self, rule, why: str, expr=None) -> Chain:
        """Append the step by `rule` (one of the kernel's) to `expr`, or to what the rule gives; the kernel
        accepts it or raises :class:`ProofError` naming the side condition that fails."""
        trusted(rule)
        if not self.steps and not self._start_checked:
            accept_start(self.lhs, self.ctx)
            self._start_checked = True
        expr = rule.apply(self.current, self.ctx) if expr is None else sympy.sympify(expr)
        accept(rule, self.current, expr, self.ctx, f"step {len(self.steps) + 1}")
        self.steps.append(Step(expr, why, False, rule, self._assumes))
        return self

    def unfold(self, *bases, why=None) -> Chain:
        return self.push(Unfold(bases), why or self.ctx.definitions[bases[0]].why)

    def fold(self, target, *bases, why=None) -> Chain:
        return self.push(Fold(bases), why or self.ctx.definitions[bases[0]].why, target)

    def reindex(self, var, expr, new=None, which=0, why=None) -> Chain:
        rule = Reindex(var, expr, new, which)
        return self.push(rule, why or rule.why())

    def flatten(self, outer, inner, new, which=0, why=None) -> Chain:
        rule = Flatten(outer, inner, new, which)
        s = lambda e: sympy.latex(e)  # noqa: E731
        return self.push(rule, why or rf"flatten $({s(outer)}, {s(inner)})$ row-major into ${s(new)}$")

    def swap(self, outer, inner, which=0) -> Chain:
        return self.push(Swap(outer, inner, which), "swap the order of summation (finite sums, independent ranges)")

    def single(self, var, which=0) -> Chain:
        return self.push(SingleTerm(var, which), rf"a sum over the single value of ${sympy.latex(var)}$")

    def extend(self, var, lo, hi, shift=0, which=0, why=None) -> Chain:
        rule = ExtendByZero(var, sympy.sympify(lo), sympy.sympify(hi), sympy.sympify(shift), which)
        return self.push(rule, why or rf"extend the range of ${sympy.latex(var)}$ by terms the bracket makes zero")

    def exchange(self, var, image=None, which=0, why=None) -> Chain:
        """The bracket on `var` becomes its range and the old range a bracket (on `image`, default `var`)."""
        rule = ExchangeRange(var, None if image is None else sympy.sympify(image), which)
        return self.push(rule, why or rf"exchange the range of ${sympy.latex(var)}$ and its bracket (both are the "
                                      rf"sum over their intersection)")

    def sift(self, var, which=0) -> Chain:
        """``Σ_v [v = e] f(v) = f(e)`` (the value `e` decided inside the range of `var`)."""
        return self.push(Sift(var, which), rf"sifting: only ${sympy.latex(var)}$ at the bracket's value contributes")

    def merge(self) -> Chain:
        return self.push(MergeSums(), "linearity: one sum over the same range")

    def pull_in(self, var) -> Chain:
        return self.push(PullIn(var), rf"linearity: the factor does not depend on ${sympy.latex(var)}$")

    def algebra(self, target, why="expand and collect each summand") -> Chain:
        return self.push(Algebra(), why, target)

    def zero(self) -> Chain:
        return self.push(ZeroSum(), "a sum of zeros")

    def assume(self, hypothesis: Symmetry) -> Chain:
        """From here on the steps hold under `hypothesis`."""
        self._assumes = self._assumes + (hypothesis,)
        return self

    def substitute(self, hypothesis: Symmetry, old, new) -> Chain:
        eq = sympy.latex(hypothesis.statement)
        return self.push(Substitute(hypothesis, old, new), rf"by the hypothesis ${eq}$")


def _subs(obj, values):
    """`obj` (expression, rule, hypothesis, tuple) with sizes replaced by numbers."""
    if isinstance(obj, sympy.Basic):
        return obj.xreplace(values)
    if isinstance(obj, tuple):
        return tuple(_subs(o, values) for o in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _subs(getattr(obj, f.name), values) for f in dataclasses.fields(obj)
                                           if f.init and not callable(getattr(obj, f.name))})
    return obj


class Derivation:
    """A checked chain ``lhs = ... = rhs`` (see the module doc), with its statement and facts.

    Parameters
    ----------
    name : str
        A short identifier (``"reverse"``); documents are named after it.
    title, statement : str
        The title and the theorem, as LaTeX text.
    chain : Chain
        The steps, each already accepted by the kernel; :meth:`verify` checks them all again.
    kind : {"identity", "condition", "disproof"}, default "identity"
    facts : sequence of Fact
        Statements outside the chain, checked only at the sampled sizes (documents say so).
    library : (callable, callable) or None
        symconv's own operations for the two ends, ``f(**sizes) -> array``, compared at the sampled sizes.

    Attributes
    ----------
    steps : list of Step
    lhs, rhs : sympy.Expr
        The two ends.
    ctx : Context
        Sizes, constraints, tensors, definitions and free indices.
    sizes : dict or None
        ``None`` for general sizes, else the concrete sizes by name (:meth:`at`).
    decisions : list of Decision
        The side conditions the solver decided in the last :meth:`verify` (see :meth:`certificate`).
    checked_at : list of dict
        The sizes every step was also expanded at.

    Examples
    --------
    >>> from symconv.proofs import Chain, Context, Derivation, index, sums
    >>> ctx = Context("reverse")
    >>> n, u = ctx.size("n", 4), index("u")
    >>> x = ctx.tensor("x", (n,))
    >>> chain = Chain(ctx, sums(x[u], (u, 0, n - 1))).reindex(u, n - 1 - u)
    >>> d = Derivation("reverse", "Reversal", "sum backwards", chain)
    >>> d.verify().verified, d.rhs
    (True, Sum(x[n - u - 1], (u, 0, n - 1)))
    >>> d.at(n=2).rhs
    Sum(x[1 - u], (u, 0, 1))
    """

    def __init__(self, name, title, statement, chain: Chain, *, kind="identity", facts=(), library=None,
                 conclusion=None, notes=(), hypotheses=()):
        self.name, self.title, self.statement, self.kind = name, title, statement, kind
        self.ctx, self.lhs, self.steps = chain.ctx, chain.lhs, list(chain.steps)
        self.facts = list(facts)
        self.library = library  # (lhs_fn, rhs_fn): sizes by name -> SymArray, built by symconv's operations
        self.conclusion = conclusion or statement
        self.notes = list(notes)
        self.hypotheses = tuple(hypotheses)
        self.sizes: dict | None = None
        self.checked_at: list[dict] = []
        self.decisions: list = []  # the side conditions the solver decided, in the order checked
        self._checked = None

    # -- facts about the chain -----------------------------------------------------------
    @property
    def rhs(self):
        return self.steps[-1].expr if self.steps else self.lhs

    def size_names(self) -> list[str]:
        return [s.name for s in self.ctx.sizes]

    def __repr__(self) -> str:
        where = "general sizes" if self.sizes is None else ", ".join(f"{k}={v}" for k, v in self.sizes.items())
        state = "verified" if self.verified else "not verified"
        return f"<Derivation {self.name!r}: {len(self.steps)} steps, {where}, {state}>"

    @property
    def verified(self) -> bool:
        return self._checked == self._fingerprint() and all(s.verified for s in self.steps)

    def _fingerprint(self):
        """Everything the claim depends on: ends and steps (with their rules and hypotheses), definitions with
        their ranges, tensors and shapes, sizes, constraints, free indices and their ranges, facts."""
        ctx = self.ctx
        defs = tuple((b, d.params, d.ranges, d.body) for b, d in ctx.definitions.items())
        steps = tuple((s.expr, s.why, repr(s.rule), s.assumes) for s in self.steps)
        return (self.lhs, steps, defs, tuple(ctx.tensors.items()), tuple(ctx.sizes), tuple(ctx.constraints),
                tuple(ctx.free), self.hypotheses, tuple(f.statement for f in self.facts), self.sizes)

    # -- checking ------------------------------------------------------------------------
    def sample_sizes(self, n: int = SAMPLES) -> list[dict]:
        """`n` distinct random size assignments that satisfy the constraints (seeded by the name)."""
        if self.sizes is not None:
            return [dict(self.sizes)]
        rng = np.random.default_rng(zlib.crc32(self.name.encode()))
        largest = dict(self.ctx.sizes)  # every size at its largest tried value first, then random ones
        found: list[dict] = [largest] if self._admissible(largest) else []
        for _ in range(2000):
            values = {s: int(rng.integers(1, top + 1)) for s, top in self.ctx.sizes.items()}
            if len(found) >= n:
                break
            if self._admissible(values) and values not in found:
                found.append(values)
                if len(found) == n:
                    break
        return [{s.name: v for s, v in values.items()} for values in found]

    def _admissible(self, values) -> bool:
        if any(sympy.sympify(c).xreplace(values) < 0 for c in self.ctx.constraints):
            return False
        return all(sympy.sympify(hi).xreplace(values) >= sympy.sympify(lo).xreplace(values) for _, lo, hi in self.ctx.free)

    def verify(self, samples: int = SAMPLES) -> Derivation:
        """Re-check every step symbolically and at `samples` random sizes; raise on the first false one."""
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise InvalidArgumentError(f"samples={describe(samples)} is not valid; expected a positive integer "
                                       f"(the number of concrete sizes to expand every step at)")
        prev = self.lhs
        try:
            decisions = accept_start(self.lhs, self.ctx)
        except ProofError as err:
            raise ProofError(f"{self.name}: {err}") from None
        for n, step in enumerate(self.steps, 1):
            try:
                decisions += accept(step.rule, prev, step.expr, self.ctx, f"step {n}")
            except ProofError as err:
                raise ProofError(f"{self.name}: step {n} ({_plain(step.why)}) fails its symbolic check: {err}") from None
            prev = step.expr
        for fact in self.facts:
            if fact.proof is not None:
                try:
                    decisions += fact.proof(self)
                except ProofError as err:
                    raise ProofError(f"{self.name}: the fact '{_plain(fact.statement)}' is not proved: {err}") from None
        self.decisions = decisions
        self.checked_at = self.sample_sizes(samples)
        if not self.checked_at:
            raise ProofError(f"{self.name}: no admissible sizes to check the steps at")
        for sizes in self.checked_at:
            self._check_at(sizes)
        for k, fact in enumerate(self.facts):
            for sizes in self.checked_at:
                fact.check(**sizes)
            self.facts[k] = dataclasses.replace(fact, verified=True)
        self.steps = [dataclasses.replace(s, verified=True) for s in self.steps]
        self._checked = self._fingerprint()
        return self

    def _check_at(self, sizes: dict) -> None:
        values = {s: sizes[s.name] for s in self.ctx.sizes}
        plain = Evaluator(self.ctx, values)
        where = ", ".join(f"{k}={v}" for k, v in sizes.items())

        def table(ev, expr, label):
            try:
                return ev.table(expr)
            except ProofError as err:
                raise ProofError(f"{self.name}: {label} cannot be expanded at {where}: {err}") from None

        prev = table(plain, self.lhs, "the left-hand side")
        self._against_library(0, prev, sizes, where)
        prev_expr = self.lhs
        for n, step in enumerate(self.steps, 1):
            ev = Evaluator(self.ctx, values, step.assumes) if step.assumes else plain
            before = table(ev, prev_expr, f"step {n - 1}") if step.assumes else prev
            cur = table(ev, step.expr, f"step {n} ({_plain(step.why)})")
            if not canonical.equal(before, cur):
                raise ProofError(f"{self.name}: step {n} ({_plain(step.why)}) is false at {where}: "
                                 f"{_first_difference(before, cur, self.ctx)}")
            prev, prev_expr = cur, step.expr
        if not (self.steps and self.steps[-1].assumes):
            self._against_library(1, prev, sizes, where)

    def _against_library(self, end: int, table, sizes, where) -> None:
        if self.library is None or self.library[end] is None:
            return
        from ..tensors import as_terms

        ref = as_terms(self.library[end](**sizes))
        if not canonical.equal(ref, table):
            side = ("left", "right")[end]
            raise ProofError(f"{self.name}: the {side}-hand side at {where} differs from symconv's own operation "
                             f"({_first_difference(ref, table, self.ctx)})")

    def certificate(self) -> str:
        """Every side condition of the derivation as SMT-LIB 2 text, one benchmark per condition.

        Each benchmark asserts the hypotheses (sizes >= 1, the constraints, the ranges in scope) and the
        negated condition; a solver that answers ``unsat`` to each re-checks the proof's side conditions.

        Examples
        --------
        >>> import symconv as sc
        >>> text = sc.derive("convolution-is-flipped-correlation").certificate()
        >>> text.count("(check-sat)") >= 1, "expected: unsat" in text
        (True, True)
        """
        self._ensure_verified()
        head = (f"; symconv certificate for {self.name!r}: {len(self.decisions)} side conditions, each decided unsat "
                f"by z3\n")
        return head + "\n".join(smtlib(d) for d in self.decisions)

    def _ensure_verified(self) -> None:
        if not self.verified:
            self.verify()

    # -- concrete sizes ------------------------------------------------------------------
    def at(self, **sizes) -> Derivation:
        """The same derivation with the sizes fixed: every step re-checked at those sizes.

        The sizes are validated first (positive integers satisfying the
        derivation's constraints, each at most :data:`MAX_CONCRETE_SIZE`).
        """
        sizes = check_sizes(self, sizes)
        values = {s: sizes[s.name] for s in self.ctx.sizes}
        new = Derivation.__new__(Derivation)
        new.__dict__.update(self.__dict__)
        new.ctx = _subs_context(self.ctx, values)
        new.lhs = _subs(self.lhs, values)
        new.steps = [dataclasses.replace(s, expr=_subs(s.expr, values), rule=_subs(s.rule, values),
                                         why=_why_at(s, values), assumes=_subs(s.assumes, values), verified=False)
                     for s in self.steps]
        new.facts = [dataclasses.replace(f, verified=False) for f in self.facts]
        new.sizes = dict(sizes)
        new._checked = None
        return new.verify()

    # -- views ---------------------------------------------------------------------------
    def latex(self, *, environment: str = "align*", max_entries: int | None = None) -> str:
        """The chain as an ``align*`` block (``aligned`` for math mode), each step justified on the right."""
        self._ensure_verified()
        from ..documents.document import derivation_latex

        return derivation_latex(self, environment=environment, max_entries=max_entries)

    def document(self, *, max_entries: int | None = None) -> str:
        """A standalone LaTeX document (amsmath): title, statement, definitions, proof, and for concrete sizes a worked example."""
        self._ensure_verified()
        from ..documents.document import derivation_document

        return derivation_document(self, max_entries=max_entries)

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.latex(environment="aligned") + "$"


def _why_at(step: Step, values) -> str:
    """The justification at concrete sizes: a rule that writes its own (a re-indexing, ``u -> 2 - u``) writes it
    again with the sizes substituted; a justification given in words is kept."""
    rule = step.rule
    if hasattr(rule, "why") and callable(rule.why):
        try:
            if rule.why() == step.why:
                return _subs(rule, values).why()
        except ProofError:
            return step.why
    return step.why


def _subs_context(ctx: Context, values) -> Context:
    new = Context(ctx.name)
    new.sizes = dict(ctx.sizes)
    new.constraints = [c.xreplace(values) for c in ctx.constraints]
    new.tensors = {b: tuple(s.xreplace(values) for s in shp) for b, shp in ctx.tensors.items()}
    new.definitions = {b: _subs(d, values) for b, d in ctx.definitions.items()}
    new.free = [(i, lo.xreplace(values), hi.xreplace(values)) for i, lo, hi in ctx.free]
    new.names = dict(ctx.names)
    new.kernels = set(ctx.kernels)
    return new


def _plain(why: str) -> str:
    return why.replace("$", "")


def _first_difference(a, b, ctx) -> str:
    if a.shape != b.shape:
        return f"the shapes differ: {a.shape} and {b.shape}"
    for flat in range(max(a.size, 1)):
        ea, eb = a.entry(flat), b.entry(flat)
        if sympy.expand(ea - eb) != 0:
            names = [str(i) for i, _, _ in ctx.free]
            at = tuple(int(t) for t in np.unravel_index(flat, a.shape)) if a.shape else ()
            return f"at ({', '.join(names)}) = {at}: {ea} != {eb}"
    return "the tables differ"


#: short spellings accepted for sizes (``kh=3`` for ``k_h=3``)
ALIASES = {"kh": "k_h", "kw": "k_w"}
#: the largest concrete size a derivation is expanded at (the expansion is printed)
MAX_CONCRETE_SIZE = 16


def check_sizes(d: Derivation, sizes: dict) -> dict:
    """`sizes` by canonical name, validated against the derivation's sizes and constraints."""
    wanted = d.size_names()
    out = {}
    for key, value in sizes.items():
        canon = ALIASES.get(key, key)
        if canon in out:
            raise InvalidArgumentError(f"size {key}={describe(value)} repeats {canon}={out[canon]}; expected each size once")
        if canon not in wanted:
            raise InvalidArgumentError(f"size {key}={describe(value)} is not a size of {d.name!r}; expected sizes {', '.join(wanted)}")
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise InvalidArgumentError(f"size {key}={describe(value)} is not valid; expected a positive integer")
        out[canon] = int(value)
    missing = [w for w in wanted if w not in out]
    if missing:
        raise InvalidArgumentError(f"sizes of {d.name!r} missing: {', '.join(missing)}; expected all of {', '.join(wanted)}")
    out = {w: out[w] for w in wanted}
    if any(v > MAX_CONCRETE_SIZE for v in out.values()):
        raise InvalidArgumentError(f"sizes {out} are too large to expand in a readable proof; expected each size <= "
                                   f"{MAX_CONCRETE_SIZE}")
    values = {s: out[s.name] for s in d.ctx.sizes}
    bad = [c for c in d.ctx.constraints if c.xreplace(values) < 0]
    if bad or not d._admissible(values):
        shown = ", ".join(f"{k}={v}" for k, v in out.items())
        rules = " and ".join(f"{sympy.sstr(c)} >= 0" for c in d.ctx.constraints) or "a non-empty output"
        raise InvalidArgumentError(f"sizes {shown} are not valid for {d.name!r}; expected {rules}")
    return out
