"""The variables an exact polynomial table speaks about.

A :class:`VarSpace` is an ordered tuple of blocks.  A :class:`TensorBlock`
stands for all elements ``name[i, j, ...]`` of one SymPy ``IndexedBase`` of a
given shape, numbered in row-major order; an :class:`AtomBlock` stands for one
other SymPy expression (a ``Symbol``, ``sin(x[0])``, ...).  Variable number
``v`` of the space is element ``v - offset`` of the block that holds it.

Blocks are kept in a canonical order, so two tables over the same variables
always use the same numbering, and :func:`union` merges two spaces (a tensor
seen with a larger shape in one of them grows to the larger shape).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import prod

import numpy as np
import sympy


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
        return ("tensor", self.label, len(self.shape))

    @property
    def sort_key(self):
        return (0, self.label.name, len(self.shape), str(sorted(self.label.assumptions0.items())))

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
        return ("atom", self.expr)

    @property
    def sort_key(self):
        return (1, sympy.srepr(self.expr), 0, "")

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
            merged[block.ident] = block if old is None else _grow(old, block)
        return VarSpace(tuple(sorted(merged.values(), key=lambda b: b.sort_key)))

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        out, total = [], 0
        for block in self.blocks:
            out.append(total)
            total += block.size
        return tuple(out)

    @property
    def size(self) -> int:
        return sum(b.size for b in self.blocks)

    def block_of(self, ident):
        """The block with identity `ident` and its offset, or ``(None, None)``."""
        for block, offset in zip(self.blocks, self.offsets):
            if block.ident == ident:
                return block, offset
        return None, None

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


def _grow(a, b):
    """The block that holds both `a` and `b` (same identity)."""
    if isinstance(a, TensorBlock):
        shape = tuple(max(p, q) for p, q in zip(a.shape, b.shape))
        exact = (a.exact and a.shape == shape) or (b.exact and b.shape == shape)
        return TensorBlock(a.label, shape, exact)
    return a


def union(*spaces: VarSpace) -> VarSpace:
    """The smallest space holding every variable of `spaces`."""
    if all(s == spaces[0] for s in spaces[1:]):
        return spaces[0]
    return VarSpace.of(b for s in spaces for b in s.blocks)


EMPTY = VarSpace()
