"""Side conditions of proof steps, decided for every size by an SMT solver (z3).

A :class:`Condition` is a formula of integer arithmetic over the sizes and the indices in scope
(``0 <= i + u <= H - 1`` for every ``i`` in ``0..H-k_h`` and ``u`` in ``0..k_h-1``, given
``H - k_h >= 0``).  :func:`decide` proves it for *all* integer values satisfying the hypotheses
(every size ``>= 1``, the derivation's constraints, the ranges of the indices in scope) by asking
z3 whether the hypotheses and the negated goal have no solution.  ``unsat`` proves the
condition; ``sat`` refutes it (with a counterexample); ``unknown`` (non-linear arithmetic beyond
the solver, resource limit) refuses the step with that reason -- it is never accepted because a
sample passed.  :func:`smtlib` writes a condition as an SMT-LIB 2 benchmark any solver re-checks.

>>> import sympy
>>> H, k = sympy.symbols("H k_h", integer=True, positive=True)
>>> i, u = sympy.symbols("i u", integer=True)
>>> c = Condition("x[i + u] lies inside x", sympy.And(i + u >= 0, i + u <= H - 1),
...               ((i, 0, H - k), (u, 0, k - 1)))
>>> decide(c, sizes=(H, k), constraints=(H - k,)).proved
True
>>> refuted = decide(c, sizes=(H, k), constraints=())   # without H >= k_h the window leaves x
>>> refuted.status, refuted.counterexample["H"] < refuted.counterexample["k_h"]
('sat', True)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import sympy

#: z3's deterministic resource limit per condition (machine-independent, unlike a timeout)
RLIMIT = 20_000_000
#: a wall-clock backstop per condition, in ms (only reached on a machine far slower than this one)
TIMEOUT_MS = 60_000


class Undecidable(Exception):
    """An expression outside the integer arithmetic the solver is given (a real power, a tensor element)."""


@dataclass(frozen=True)
class Condition:
    """``goal`` for every value of the indices in `scope` (``(var, lo, hi)``, outermost first) and under
    `assumptions` (relations, e.g. an Iverson bracket guarding a read); `what` says it in words."""

    what: str
    goal: sympy.Basic
    scope: tuple = ()
    assumptions: tuple = ()


@dataclass(frozen=True)
class Decision:
    """The solver's answer for one condition."""

    condition: Condition
    proved: bool
    status: str                       # "unsat" (proved), "sat" (refuted) or "unknown"
    reason: str = ""
    counterexample: dict | None = None
    smtlib: str = field(default="", repr=False)


_lock = threading.Lock()
_cache: dict = {}    # SMT-LIB text -> (status, model)
_decided: dict = {}  # (goal, scope, assumptions, sizes, constraints) -> the decision's fields


def _z3():
    try:
        import z3
    except ImportError as err:  # pragma: no cover - a dependency of the package
        from ..errors import SymconvError

        raise SymconvError("the proof kernel needs the SMT solver z3 (pip install z3-solver)") from err
    return z3


def to_z3(e, env: dict, defined: list):
    """`e` (an integer expression or a relation) as a z3 term; `defined` collects divisors that must be >= 1."""
    z3 = _z3()
    e = sympy.sympify(e)
    if e is sympy.true or e == sympy.true:
        return z3.BoolVal(True)
    if e is sympy.false or e == sympy.false:
        return z3.BoolVal(False)
    if isinstance(e, sympy.Integer):
        return z3.IntVal(int(e))
    if isinstance(e, sympy.Symbol):
        if e.name not in env:
            env[e.name] = z3.Int(e.name)
        return env[e.name]
    if isinstance(e, sympy.And):
        return z3.And(*[to_z3(a, env, defined) for a in e.args])
    if isinstance(e, sympy.Or):
        return z3.Or(*[to_z3(a, env, defined) for a in e.args])
    if isinstance(e, sympy.Not):
        return z3.Not(to_z3(e.args[0], env, defined))
    if isinstance(e, sympy.Implies):
        return z3.Implies(to_z3(e.args[0], env, defined), to_z3(e.args[1], env, defined))
    if isinstance(e, sympy.core.relational.Relational):
        a, b = to_z3(e.lhs, env, defined), to_z3(e.rhs, env, defined)
        ops = {"==": lambda: a == b, "!=": lambda: a != b, ">=": lambda: a >= b, "<=": lambda: a <= b,
               ">": lambda: a > b, "<": lambda: a < b}
        return ops[e.rel_op]()
    if e.is_Add:
        return z3.Sum(*[to_z3(a, env, defined) for a in e.args])
    if isinstance(e, (sympy.floor, sympy.Mod)) or (e.is_Mul and any(_is_reciprocal(a) for a in e.args)):
        num, den = _fraction(e.args[0] if isinstance(e, sympy.floor) else e)
        if isinstance(e, sympy.Mod):
            num, den = e.args
            nz, dz = to_z3(num, env, defined), to_z3(den, env, defined)
            defined.append(dz)
            return nz % dz
        if isinstance(e, sympy.floor):
            nz, dz = to_z3(num, env, defined), to_z3(den, env, defined)
            defined.append(dz)
            return nz / dz
        raise Undecidable(f"{e} is not an integer expression (a fraction outside a floor)")
    if e.is_Mul:
        terms = [to_z3(a, env, defined) for a in e.args]
        out = terms[0]
        for t in terms[1:]:
            out = out * t
        return out
    if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
        base = to_z3(e.base, env, defined)
        out = z3.IntVal(1)
        for _ in range(int(e.exp)):
            out = out * base
        return out
    if isinstance(e, sympy.Piecewise):
        out = to_z3(e.args[-1][0], env, defined)
        for value, cond in reversed(e.args[:-1]):
            out = z3.If(to_z3(cond, env, defined), to_z3(value, env, defined), out)
        return out
    from .vocab import Iverson

    if isinstance(e, Iverson):
        lo, x, hi = (to_z3(a, env, defined) for a in e.args)
        return z3.If(z3.And(lo <= x, x <= hi), z3.IntVal(1), z3.IntVal(0))
    raise Undecidable(f"{e} is outside the integer arithmetic the solver decides")


def _is_reciprocal(a) -> bool:
    return a.is_Pow and a.exp.is_Integer and a.exp < 0


def _fraction(e):
    """``(numerator, denominator)`` of `e` as SymPy expressions (``c/B`` -> ``(c, B)``)."""
    num, den = sympy.fraction(sympy.together(e))
    return num, den


def in_range(var, lo, hi):
    """`var` among the values a ``Sum`` over ``lo..hi`` takes, in SymPy's (Karr's) convention: ``lo..hi``, or
    ``hi+1..lo-1`` when the range is reversed by more than one (that sum is the negated one over those)."""
    return sympy.Or(sympy.And(var >= lo, var <= hi), sympy.And(var >= hi + 1, var <= lo - 1))


def _hypotheses(cond: Condition, sizes, constraints):
    hyps = [sympy.Ge(s, 1, evaluate=False) for s in sizes]
    hyps += [sympy.Ge(sympy.sympify(c), 0, evaluate=False) for c in constraints]
    hyps += [in_range(v, lo, hi) for v, lo, hi in cond.scope]
    hyps += list(cond.assumptions)
    return hyps


def decide(cond: Condition, *, sizes=(), constraints=()) -> Decision:
    """Whether `cond` holds for every integer assignment satisfying its hypotheses (see the module doc)."""
    key = (cond.goal, cond.scope, cond.assumptions, tuple(sizes), tuple(constraints))
    with _lock:
        known = _decided.get(key)
    if known is not None:
        return Decision(cond, *known[1:])
    decision = _decide(cond, sizes, constraints)
    with _lock:
        _decided[key] = (None, decision.proved, decision.status, decision.reason, decision.counterexample,
                         decision.smtlib)
    return decision


def _decide(cond: Condition, sizes, constraints) -> Decision:
    z3 = _z3()
    env: dict = {}
    defined: list = []
    try:
        relations = _hypotheses(cond, sizes, constraints)
        hyps = [to_z3(h, env, defined) for h in relations]
        goal = to_z3(cond.goal, env, defined)
    except Undecidable as err:
        return Decision(cond, False, "unknown", str(err))
    # what SymPy assumes of a symbol (a size is a positive integer) is assumed by the solver too
    symbols = set().union(*[sympy.sympify(e).free_symbols for e in [cond.goal, *relations]])
    for sym in sorted(symbols, key=str):
        if sym.name in env and sym.is_positive:
            hyps.append(env[sym.name] >= 1)
        elif sym.name in env and sym.is_nonnegative:
            hyps.append(env[sym.name] >= 0)
    # a divisor in the goal or the hypotheses must be >= 1: part of what is proved
    if defined:
        goal = z3.And(goal, *[d >= 1 for d in defined])
    solver = z3.Solver()
    solver.set("rlimit", RLIMIT)
    solver.set("timeout", TIMEOUT_MS)
    solver.add(*hyps)
    solver.add(z3.Not(goal))
    text = solver.to_smt2()
    with _lock:
        if text in _cache:
            status, model = _cache[text]
        else:
            result = solver.check()
            status = str(result)
            model = None
            if result == z3.sat:
                m = solver.model()
                model = {name: (m.eval(var, model_completion=True).as_long()) for name, var in env.items()}
            _cache[text] = (status, model)
    if status == "unsat":
        return Decision(cond, True, status, smtlib=text)
    if status == "sat":
        return Decision(cond, False, status, "false for " + ", ".join(f"{k}={v}" for k, v in model.items()),
                        model, smtlib=text)
    return Decision(cond, False, "unknown", "the solver could not decide it (non-linear arithmetic or its resource "
                    "limit)", smtlib=text)


def smtlib(decision: Decision) -> str:
    """The condition as an SMT-LIB 2 benchmark: ``unsat`` means it holds."""
    return f"; {decision.condition.what}\n; expected: unsat (the condition holds)\n{decision.smtlib}"
