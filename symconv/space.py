"""The variables an exact polynomial table speaks about.

A :class:`VarSpace` is an ordered tuple of blocks.  A :class:`TensorBlock`
stands for all elements ``name[i, j, ...]`` of one SymPy ``IndexedBase`` of a
given shape, numbered in row-major order; an :class:`AtomBlock` stands for one
other SymPy expression (a ``Symbol``, ``sin(x[0])``, ...).  Variable number
``v`` of the space is element ``v - offset`` of the block that holds it.

Blocks are kept in a canonical order, so two tables over the same variables
always use the same numbering, and :func:`union` merges two spaces.  A tensor
is known by its name and rank: ``sympy.IndexedBase("x")`` and
``symconv.tensor("x", ...)`` are the same ``x`` (scalars are real unless the
user says otherwise).  A tensor seen only through some of its elements grows
to the largest index seen, but two tensors of one name with different shapes
of their own, or one real and one complex, are refused: they would print alike
and be merged silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import prod

import numpy as np
import sympy

from .errors import ShapeError


@dataclass(frozen=True)
class TensorBlock:
    """All elements of one ``IndexedBase`` (identified by its label Symbol)."""

    label: sympy.Symbol
    shape: tuple[int, ...]
    exact: bool = False  # True when the shape is the tensor's own, not inferred from the indices seen

    @property
    def size(self) -> int:
        return prod(self.shape)

    @property
    def ident(self):
        return ("tensor", self.label.name, len(self.shape))

    @property
    def sort_key(self):
        return (0, self.label.name, len(self.shape), "")

    @cached_property
    def base(self) -> sympy.IndexedBase:
        return sympy.IndexedBase(self.label)

    def element(self, flat: int) -> sympy.Expr:
        return self.base[tuple(int(i) for i in np.unravel_index(flat, self.shape))]


@dataclass(frozen=True)
class AtomBlock:
    """One SymPy expression treated as an opaque variable."""

    expr: sympy.Expr

    size = 1

    @property
    def ident(self):
        return ("atom", str(self.expr)) if isinstance(self.expr, (sympy.Symbol, sympy.Indexed)) else ("atom", self.expr)

    @property
    def sort_key(self):
        return (1, str(self.expr) if self.ident[1] == str(self.expr) else sympy.srepr(self.expr), 0, "")

    def element(self, flat: int) -> sympy.Expr:
        return self.expr


@dataclass(frozen=True)
class VarSpace:
    """Canonically ordered blocks; variable ids are offsets into them."""

    blocks: tuple = ()

    @staticmethod
    def of(blocks) -> VarSpace:
        """A space of `blocks`, merged by identity and put in canonical order."""
        merged: dict = {}
        for block in blocks:
            old = merged.get(block.ident)
            merged[block.ident] = block if old is None else grow(old, block)
        return VarSpace(tuple(sorted(merged.values(), key=lambda b: b.sort_key)))

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        out, total = [], 0
        for block in self.blocks:
            out.append(total)
            total += block.size
        return tuple(out)

    @cached_property
    def size(self) -> int:
        return sum(b.size for b in self.blocks)

    def block_of(self, ident):
        """The block with identity `ident` and its offset, or ``(None, None)``."""
        for block, offset in zip(self.blocks, self.offsets):
            if block.ident == ident:
                return block, offset
        return None, None

    def complex_symbol(self):
        """The first symbol declared complex (not real), or ``None`` when every variable is real."""
        for block in self.blocks:
            symbol = block.label if isinstance(block, TensorBlock) else block.expr
            if isinstance(symbol, (sympy.Symbol, sympy.Indexed)) and realness(symbol) is False:
                return symbol
        return None

    def var_id(self, expr) -> int | None:
        """The variable number of a tensor element or symbol `expr` in this space, or None."""
        if isinstance(expr, sympy.Indexed) and all(i.is_Integer for i in expr.indices):
            block, offset = self.block_of(("tensor", expr.base.label.name, len(expr.indices)))
            idx = tuple(int(i) for i in expr.indices)
            if block is None or any(not 0 <= i < n for i, n in zip(idx, block.shape)):
                return None
            return offset + int(np.ravel_multi_index(idx, block.shape))
        block, offset = self.block_of(AtomBlock(expr).ident)
        return offset if block is not None else None

    def element(self, var: int) -> sympy.Expr:
        """The SymPy expression of variable number `var`."""
        i = int(np.searchsorted(np.asarray(self.offsets), var, side="right")) - 1
        return self.blocks[i].element(var - self.offsets[i])

    def remap_to(self, other: VarSpace) -> np.ndarray:
        """Array ``m`` with ``m[v]`` = the id in `other` of variable `v` of this space."""
        result = np.empty(self.size, dtype=np.int64)
        for block, offset in zip(self.blocks, self.offsets):
            target, target_offset = other.block_of(block.ident)
            if target is None:
                raise KeyError(block.ident)
            local = np.arange(block.size, dtype=np.int64)
            if isinstance(block, TensorBlock) and target.shape != block.shape:
                local = np.ravel_multi_index(np.unravel_index(local, block.shape), target.shape)
            result[offset : offset + block.size] = local + target_offset
        return result


def realness(symbol) -> bool | None:
    """True for a real symbol, False for one declared complex (not real), None when nothing is said."""
    if symbol.is_real is not None:
        return bool(symbol.is_real)
    return False if symbol.is_complex else None


def _common_label(a, b, what: str):
    if a == b:
        return a
    ra, rb = realness(a), realness(b)
    if ra is not None and rb is not None and ra != rb:
        raise ShapeError(f"the name {a.name!r} is used for a real and for a complex {what}; expected one name per "
                         f"{what} (give them different names)")
    return a if rb is None or ra is not None else b


def grow(a, b):
    """The block that holds both `a` and `b` (same identity); two different tensors of one name are refused."""
    if isinstance(a, TensorBlock):
        label = _common_label(a.label, b.label, "tensor")
        if a.exact and b.exact and a.shape != b.shape:
            raise ShapeError(f"two different tensors are both named {a.label.name!r}, of shapes {a.shape} and "
                             f"{b.shape}; expected one name per tensor (give them different names)")
        if a.exact or b.exact:
            own, seen = (a, b) if a.exact else (b, a)
            if any(p > q for p, q in zip(seen.shape, own.shape)):
                last = tuple(p - 1 for p in seen.shape)
                raise ShapeError(f"an expression reads {own.label.name} at indices up to {last}, outside the tensor "
                                 f"{own.label.name!r} of shape {own.shape}; expected indices inside its shape")
            return TensorBlock(label, own.shape, True)
        return TensorBlock(label, tuple(max(p, q) for p, q in zip(a.shape, b.shape)), False)
    if isinstance(a.expr, sympy.Symbol) and isinstance(b.expr, sympy.Symbol):
        return AtomBlock(_common_label(a.expr, b.expr, "symbol"))
    return a


def union(*spaces: VarSpace) -> VarSpace:
    """The smallest space holding every variable of `spaces`."""
    if all(s == spaces[0] for s in spaces[1:]):
        return spaces[0]
    return VarSpace.of(b for s in spaces for b in s.blocks)


EMPTY = VarSpace()
