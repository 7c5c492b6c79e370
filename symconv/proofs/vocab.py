"""The vocabulary of general-size proofs: sizes, indices, tensors and defined tensors.

A proof talks about tensors whose shapes are symbols (``H``, ``W``, ``k_h``,
...).  A :class:`Context` records them, the tensors *defined* from others
(``(x \\star k)_{i,j} := \\sum_u \\sum_v x_{i+u,j+v} k_{u,v}``), the free
indices of the statement with their ranges, and the constraints on the sizes
(``k_h \\le H``).  Nothing here evaluates or prints; it only describes.

>>> ctx = Context("example")
>>> H, kh = ctx.size("H", 6), ctx.size("k_h", 3)
>>> ctx.require(H - kh)
>>> x = ctx.tensor("x", (H,))
>>> i, u = index("i"), index("u")
>>> y = ctx.define("y", (i,), ((0, H - kh),), sums(x[i + u], (u, 0, kh - 1)), "definition of y")
>>> ctx.definitions[y].body
Sum(x[i + u], (u, 0, k_h - 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy

from ..errors import InvalidArgumentError


def index(name: str) -> sympy.Symbol:
    """An integer index symbol."""
    return sympy.Symbol(name, integer=True)


def sums(body, *limits) -> sympy.Expr:
    """``Σ_{limits[0]} Σ_{limits[1]} ... body`` with the first limit outermost.

    SymPy merges nested sums into one ``Sum`` whose limits run innermost first;
    this takes them in reading order.

    >>> u, v = index("u"), index("v")
    >>> sums(u * v, (u, 0, 1), (v, 0, 2)).limits
    ((v, 0, 2), (u, 0, 1))
    """
    return sympy.Sum(body, *reversed(limits)) if limits else body


class Iverson(sympy.Function):
    """``[lo <= e <= hi]``: 1 when the integer `e` lies in ``[lo, hi]``, else 0.

    >>> Iverson(0, 2, 3), Iverson(0, 4, 3)
    (1, 0)
    """

    nargs = 3
    is_integer = True
    is_nonnegative = True

    @classmethod
    def eval(cls, lo, e, hi):
        if lo.is_Integer and e.is_Integer and hi.is_Integer:
            return sympy.S.One if lo <= e <= hi else sympy.S.Zero
        return None

    def _latex(self, printer):
        lo, e, hi = (printer._print(a) for a in self.args)
        return rf"\left[{lo} \le {e} \le {hi}\right]"


@dataclass(frozen=True)
class Definition:
    """``base[params] := body`` for params within ``ranges``; `why` names it in a proof."""

    base: sympy.IndexedBase
    params: tuple
    ranges: tuple
    body: sympy.Expr
    why: str
    latex: Callable | None = None  # (printed indices) -> LaTeX of one element

    def element(self, *indices) -> sympy.Expr:
        """The body at `indices` (the definition unfolded)."""
        return self.body.xreplace(dict(zip(self.params, indices)))


@dataclass(frozen=True)
class Symmetry:
    """Hypothesis ``t[g(idx)] = t[idx]`` for every index in range, `g` an involution.

    `image` is ``g`` applied to `params`; `statement` is the equation as a reader sees it.
    """

    base: sympy.IndexedBase
    params: tuple
    image: tuple
    name: str

    @property
    def statement(self) -> sympy.Eq:
        return sympy.Eq(self.base[self.image], self.base[self.params], evaluate=False)

    def apply(self, idx: tuple) -> tuple:
        return tuple(e.xreplace(dict(zip(self.params, idx))) for e in self.image)


class Context:
    """Sizes, tensors, definitions and free indices of one derivation."""

    def __init__(self, name: str):
        self.name = name
        self.sizes: dict[sympy.Symbol, int] = {}  # size -> largest value tried at random
        self.constraints: list[sympy.Expr] = []  # expressions that are >= 0
        self.tensors: dict[sympy.IndexedBase, tuple] = {}
        self.definitions: dict[sympy.IndexedBase, Definition] = {}
        self.free: list[tuple] = []  # (index, lo, hi)
        self.names: dict[sympy.Symbol, object] = {}  # label -> LaTeX name or template
        self.kernels: set = set()  # labels printed after the inputs in products

    def size(self, name: str, largest: int) -> sympy.Symbol:
        """A positive integer size, tried up to `largest` when checked at random sizes."""
        s = sympy.Symbol(name, integer=True, positive=True)
        self.sizes[s] = largest
        return s

    def require(self, *nonneg) -> None:
        """Constrain the sizes: each expression is ``>= 0``."""
        self.constraints.extend(sympy.sympify(e) for e in nonneg)

    def tensor(self, name: str, shape, latex: str | None = None, kernel: bool = False) -> sympy.IndexedBase:
        """A real symbolic tensor of symbolic `shape` (the same label as ``symconv.tensor(name, ...)``)."""
        base = sympy.IndexedBase(sympy.Symbol(name, real=True))
        self.tensors[base] = tuple(sympy.sympify(s) for s in shape)
        if kernel:
            self.kernels.add(base.label)
        if latex is not None:
            self.names[base.label] = latex
        return base

    def define(self, name, params, ranges, body, why, latex=None, kernel=False) -> sympy.IndexedBase:
        """A tensor defined elementwise: ``name[params] := body``."""
        base = sympy.IndexedBase(sympy.Symbol(name)) if params else sympy.Symbol(name)  # a scalar is a Symbol
        if base in self.definitions or base in self.tensors:
            raise InvalidArgumentError(f"name={name!r} is already used in derivation {self.name!r}")
        self.definitions[base] = Definition(base, tuple(params), tuple(ranges), sympy.sympify(body), why, latex)
        if latex is not None:
            self.names[getattr(base, "label", base)] = latex
        if kernel:
            self.kernels.add(getattr(base, "label", base))
        return base

    def free_index(self, name: str, lo, hi) -> sympy.Symbol:
        """A free index of the statement, ranging over ``lo..hi`` (bounds in the sizes)."""
        i = index(name)
        self.free.append((i, sympy.sympify(lo), sympy.sympify(hi)))
        return i

    def order(self) -> dict:
        """Reading order of factors: inputs, then kernels (``kernel=True``), each in order of creation."""
        labels = [getattr(b, "label", b) for b in [*self.tensors, *self.definitions]]
        return {lab: n + (1000 if lab in self.kernels else 0) for n, lab in enumerate(labels)}

    def ranges(self) -> dict:
        return {i: (lo, hi) for i, lo, hi in self.free}
