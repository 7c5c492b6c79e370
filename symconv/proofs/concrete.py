"""Exact expansion of a proof's expressions at concrete sizes.

An expression of a derivation (``Sum``s over tensors with symbolic shapes,
defined tensors, floors, remainders, Iverson brackets) is expanded at given
sizes into exact polynomials in the tensor elements, one per value of the free
indices, and packed into the compact form of :mod:`symconv.canonical`, where
two expressions are compared exactly.

``Sum`` keeps SymPy's meaning (Karr's convention): an upper bound one below
the lower bound is the empty sum, and a lower one reverses the sum and its
sign.  Reading a tensor outside its shape is an error, never a silent zero.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import sympy

from .. import canonical
from ..errors import SymconvError
from ..space import TensorBlock, VarSpace
from .vocab import Iverson


class ProofError(SymconvError, AssertionError):
    """A step of a derivation is false, or its side condition does not hold."""


class Evaluator:
    """Expands expressions of `ctx` at the integer `sizes`, under optional symmetry hypotheses."""

    def __init__(self, ctx, sizes: dict, hypotheses=()):
        self.ctx = ctx
        self.sizes = dict(sizes)
        self.shapes = {b: tuple(self.int(s, {}) for s in shape) for b, shape in ctx.tensors.items()}
        self.hyp = {h.base: h for h in hypotheses}

    # -- numbers -------------------------------------------------------------------
    def num(self, e, env):
        """The exact value (int or Fraction) of an index expression."""
        if e.is_Integer:
            return int(e)
        if e.is_Rational:
            return Fraction(int(e.p), int(e.q))
        if e.is_Symbol:
            if e in env:
                return env[e]
            if e in self.sizes:
                return self.sizes[e]
            raise ProofError(f"the symbol {e} has no value here (not a size, not a bound index)")
        args = [self.num(a, env) for a in e.args]
        if e.is_Add:
            return sum(args)
        if e.is_Mul:
            return math.prod(args)
        if e.is_Pow and isinstance(args[1], int):
            return Fraction(args[0]) ** args[1]
        if isinstance(e, sympy.floor):
            return math.floor(args[0])
        if isinstance(e, sympy.ceiling):
            return math.ceil(args[0])
        if isinstance(e, sympy.Mod):
            return args[0] % args[1]
        if isinstance(e, Iverson):
            return int(args[0] <= args[1] <= args[2])
        raise ProofError(f"cannot evaluate {e} at concrete sizes")

    def int(self, e, env) -> int:
        value = self.num(sympy.sympify(e), env)
        if isinstance(value, Fraction):
            if value.denominator != 1:
                raise ProofError(f"{e} is not an integer here (it is {value})")
            value = value.numerator
        return int(value)

    # -- polynomials: {monomial: coefficient}, a monomial a sorted tuple of (base, index) --
    def poly(self, e, env) -> dict:
        if isinstance(e, sympy.Indexed):
            return self._element(e, env)
        if isinstance(e, sympy.Sum):
            return self._sum(e.function, list(reversed(e.limits)), env)
        if e in self.ctx.definitions:  # a defined scalar
            return self.poly(self.ctx.definitions[e].body, env)
        if e.is_Add:
            out: dict = {}
            for a in e.args:
                _accumulate(out, self.poly(a, env))
            return out
        if e.is_Mul:
            return self._product(e.args, env)
        if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
            return self._product([e.base] * int(e.exp), env)
        return _const(self.num(e, env))

    def _symbolic(self, f) -> bool:
        """Whether `f` holds tensor elements (directly, in a sum, or as a defined scalar)."""
        return f.has(sympy.Indexed, sympy.Sum) or any(s in self.ctx.definitions for s in f.free_symbols)

    def _product(self, factors, env) -> dict:
        plain = [f for f in factors if not self._symbolic(f)]
        out = _const(math.prod(self.num(f, env) for f in plain))  # zero brackets first: no reads outside
        for f in factors:
            if not out:
                return out
            if self._symbolic(f):
                out = _multiply(out, self.poly(f, env))
        return out

    def _sum(self, body, limits, env) -> dict:
        if not limits:
            return self.poly(body, env)
        (var, lo, hi), rest = limits[0], limits[1:]
        a, b = self.int(lo, env), self.int(hi, env)
        sign, values = 1, range(a, b + 1)
        if b < a - 1:  # Karr: sum_{a}^{b} = -sum_{b+1}^{a-1}
            sign, values = -1, range(b + 1, a)
        out: dict = {}
        for n in values:
            _accumulate(out, self._sum(body, rest, {**env, var: n}), sign)
        return out

    def _element(self, e, env) -> dict:
        idx = tuple(self.int(i, env) for i in e.indices)
        base = e.base
        if base in self.ctx.definitions:
            d = self.ctx.definitions[base]
            self._check_range(e, idx, [(self.int(lo, env), self.int(hi, env)) for lo, hi in d.ranges])
            return self.poly(d.body, {**env, **dict(zip(d.params, idx))})
        shape = self.shapes.get(base)
        if shape is None:
            raise ProofError(f"{base} is neither a tensor nor a defined tensor of this derivation")
        self._check_range(e, idx, [(0, n - 1) for n in shape])
        if base in self.hyp:
            idx = min(idx, tuple(self.int(i, {}) for i in self.hyp[base].apply(idx)))
        return {((base.label.name, idx),): 1}

    def _check_range(self, e, idx, bounds) -> None:
        if len(idx) != len(bounds) or any(not lo <= i <= hi for i, (lo, hi) in zip(idx, bounds)):
            where = ", ".join(f"{lo}..{hi}" for lo, hi in bounds)
            raise ProofError(f"{e} reads index {idx}, outside the range ({where}) at sizes {self._sizes()}")

    def _sizes(self) -> str:
        return ", ".join(f"{s}={v}" for s, v in self.sizes.items())

    # -- whole statements -----------------------------------------------------------
    def grid(self):
        """The free indices, their shape and every assignment of them (row-major)."""
        free = self.ctx.free
        ranges = [range(self.int(lo, {}), self.int(hi, {}) + 1) for _, lo, hi in free]
        shape = tuple(len(r) for r in ranges)
        points = [dict(zip((f[0] for f in free), p)) for p in itertools.product(*ranges)]
        return shape, points

    def table(self, expr) -> canonical.Terms:
        """`expr` at every point of the grid, as an exact compact table."""
        shape, points = self.grid()
        return to_terms(shape, [self.poly(expr, p) for p in points], self.shapes)


def _const(c) -> dict:
    return {(): c} if c else {}


def _accumulate(out: dict, p: dict, sign=1) -> None:
    for mono, c in p.items():
        total = out.get(mono, 0) + sign * c
        if total:
            out[mono] = total
        else:
            out.pop(mono, None)


def _multiply(p: dict, q: dict) -> dict:
    out: dict = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            _accumulate(out, {tuple(sorted(m1 + m2)): c1 * c2})
    return out


def to_terms(shape, polys, shapes) -> canonical.Terms:
    """Pack one polynomial per entry into the compact form over the tensors of `shapes`."""
    blocks = [TensorBlock(b.label, s, True) for b, s in shapes.items()]
    space = VarSpace.of(blocks)
    offset = {blk.label.name: (off, blk.shape) for blk, off in zip(space.blocks, space.offsets)}
    rows = [(o, mono, c) for o, p in enumerate(polys) for mono, c in p.items()]
    degree = max((len(m) for _, m, _ in rows), default=0)
    out = np.array([o for o, _, _ in rows], dtype=np.int64)
    mono = np.zeros((len(rows), degree), dtype=np.int64)
    for r, (_, m, _) in enumerate(rows):
        for t, (name, idx) in enumerate(m):
            off, shp = offset[name]
            mono[r, t] = off + int(np.ravel_multi_index(idx, shp)) + 1
    coef = np.array([_exact(c) for _, _, c in rows], dtype=object)
    return canonical.build(shape, space, out, mono, coef if len(coef) else None)


def _exact(c):
    return int(c) if isinstance(c, int) or c.denominator == 1 else Fraction(c)
