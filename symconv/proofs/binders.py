"""Bound indices of a proof's expressions: alpha-equivalence and substitution without capture.

A ``Sum`` binds its limit variables in its body and in the limits *inside* them (SymPy stores
nested sums as one ``Sum`` whose limits run innermost first: a later limit may use an earlier
limit's variable in its bounds, never the other way round).  Two expressions are
alpha-equivalent when they are equal after every bound variable is renamed, by its binding
position, to a canonical fresh symbol (:func:`canonical`); this never identifies an index with
one bound elsewhere, which ``dummy_eq`` on nested sums can.

>>> import sympy
>>> from symconv.proofs.vocab import index, sums
>>> u, v = index("u"), index("v")
>>> x, k = sympy.IndexedBase("x"), sympy.IndexedBase("k")
>>> alpha_equal(sums(x[u], (u, 0, 3)), sums(x[v], (v, 0, 3)))
True
>>> inner_u = sums(x[u] * sums(k[v] * x[u], (v, 0, 2)), (u, 0, 3))
>>> inner_v = sums(x[u] * sums(k[v] * x[v], (v, 0, 2)), (u, 0, 3))
>>> alpha_equal(inner_u, inner_v)
False
"""

from __future__ import annotations

import itertools

import sympy


def _bound_symbol(n: int) -> sympy.Symbol:
    return sympy.Symbol(f"_bound{n}", integer=True)


def _rebind(expr, start: dict, choose):
    """`expr` with its free symbols replaced by `start` and each ``Sum`` variable renamed to ``choose(var)``
    (`var` itself keeps it): outermost limit first, each limit's bounds seeing only the variables bound
    outside it, the body seeing them all.  The one walker behind :func:`canonical`,
    :func:`distinct_binders` and :func:`substitute`."""

    def walk(e, env):
        if isinstance(e, sympy.Symbol):
            return env.get(e, e)
        if isinstance(e, sympy.Sum):
            scope = dict(env)
            limits = [None] * len(e.limits)
            for pos in range(len(e.limits) - 1, -1, -1):  # SymPy lists the innermost limit first
                var, lo, hi = e.limits[pos]
                lo, hi = walk(lo, scope), walk(hi, scope)
                new = choose(var)
                scope = {**scope, var: new}  # a bound variable shadows a free one of the same name
                limits[pos] = (new, lo, hi)
            return sympy.Sum(walk(e.function, scope), *limits)
        if not e.args:
            return e
        args = [walk(a, env) for a in e.args]
        return e.func(*args) if any(n is not a for n, a in zip(args, e.args)) else e

    return walk(sympy.sympify(expr), dict(start))


def canonical(expr):
    """`expr` with the variables of every ``Sum`` renamed by binding position (``_bound0``, ``_bound1``, ...).

    Free symbols are kept; the names used are fresh (they do not occur in `expr`), so no free
    symbol is captured.
    """
    expr = sympy.sympify(expr)
    taken = {s.name for s in expr.atoms(sympy.Symbol)}
    counter = itertools.count()

    def fresh(var):
        while True:
            s = _bound_symbol(next(counter))
            if s.name not in taken:
                return s

    return _rebind(expr, {}, fresh)


def distinct_binders(expr, avoid=()):
    """`expr` with every ``Sum`` variable that repeats a name already in use (a free symbol, a name in `avoid`, or
    a variable bound elsewhere in `expr`) renamed to a fresh one (``u_1``): each bound index then has its own
    name, and messages still use the names a reader wrote."""
    expr = sympy.sympify(expr)
    used = set(expr.free_symbols) | set(avoid)
    taken = used | set(expr.atoms(sympy.Symbol))

    def choose(var):
        new = var
        if var in used:
            new = fresh_like(var, taken)
            taken.add(new)
        used.add(new)
        return new

    return _rebind(expr, {}, choose)


def alpha_equal(a, b) -> bool:
    """Whether `a` and `b` are equal up to the names of bound indices (never capturing a free one)."""
    if a == b:
        return True
    ca, cb = canonical(a), canonical(b)
    return ca == cb


def bound_symbols(expr) -> set:
    """Every variable bound by a ``Sum`` in `expr`."""
    out = set()
    for s in sympy.sympify(expr).atoms(sympy.Sum):
        out |= {lim[0] for lim in s.limits}
    return out


def fresh_like(var: sympy.Symbol, avoid) -> sympy.Symbol:
    """A symbol named after `var` (``u``, ``u_1``, ``u_2``, ...), integer, not among the names in `avoid`."""
    names = {getattr(s, "name", str(s)) for s in avoid}
    if var.name not in names:
        return var
    for n in itertools.count(1):
        name = f"{var.name}_{n}"
        if name not in names:
            return sympy.Symbol(name, **var.assumptions0)


def substitute(expr, mapping: dict):
    """`expr` with the free symbols of `mapping` replaced, renaming bound indices that would capture.

    ``xreplace`` would replace a bound ``u`` too, and a replacement containing ``u`` would be
    captured by a ``Sum`` over ``u``; here every ``Sum`` whose variable occurs in a replacement
    is renamed first.
    """
    expr = sympy.sympify(expr)
    mapping = {k: sympy.sympify(v) for k, v in mapping.items()}
    incoming = set().union(*[v.free_symbols for v in mapping.values()]) if mapping else set()
    avoid = incoming | expr.free_symbols | bound_symbols(expr) | set(mapping)

    def choose(var):
        if var not in incoming:
            return var
        new = fresh_like(var, avoid)
        avoid.add(new)
        return new

    return _rebind(expr, mapping, choose)
