"""Traced scalars: one exact polynomial as a dict of monomials, and the base class of every traced value."""

from __future__ import annotations

import numbers
from fractions import Fraction
from math import prod

import numpy as np

from .. import canonical
from ..canonical import Terms
from ..space import EMPTY, TensorBlock, union
from .dispatch import UnsupportedError, apply_function, apply_ufunc


def _number(v):
    """A Python number for NumPy and Python scalars (exact for integers)."""
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, np.generic):
        return v.item()
    return v

def _is_number(v) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, Traced)

def _check_finite(v):
    if isinstance(v, (float, complex)) and not np.isfinite(v):
        raise UnsupportedError(f"the traced code used {v} (NaN or infinity); expected finite numbers")
    return v

class Traced:
    """What a traced array and a traced scalar share: NumPy's dispatch protocols and the arithmetic operators."""

    __array_priority__ = 1000
    __hash__ = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return apply_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return apply_function(func, args, kwargs)

    def __add__(self, other):
        return apply_ufunc(np.add, "__call__", (self, other), {})

    def __radd__(self, other):
        return apply_ufunc(np.add, "__call__", (other, self), {})

    def __sub__(self, other):
        return apply_ufunc(np.subtract, "__call__", (self, other), {})

    def __rsub__(self, other):
        return apply_ufunc(np.subtract, "__call__", (other, self), {})

    def __mul__(self, other):
        return apply_ufunc(np.multiply, "__call__", (self, other), {})

    def __rmul__(self, other):
        return apply_ufunc(np.multiply, "__call__", (other, self), {})

    def __truediv__(self, other):
        return apply_ufunc(np.true_divide, "__call__", (self, other), {})

    def __rtruediv__(self, other):
        return apply_ufunc(np.true_divide, "__call__", (other, self), {})

    def __matmul__(self, other):
        return apply_ufunc(np.matmul, "__call__", (self, other), {})

    def __rmatmul__(self, other):
        return apply_ufunc(np.matmul, "__call__", (other, self), {})

    def __pow__(self, other):
        return apply_ufunc(np.power, "__call__", (self, other), {})

    def __neg__(self):
        return apply_ufunc(np.negative, "__call__", (self,), {})

    def __pos__(self):
        return self

    def _refuse(self, what):
        raise UnsupportedError(f"the traced code {what} of a symbolic value; its value depends on the inputs "
                               f"(use sc.probe for code that needs numbers)")

    def __bool__(self):
        self._refuse("asks for the truth value")

    def __float__(self):
        self._refuse("converts to float one")

    def __int__(self):
        self._refuse("converts to int one")

    def __complex__(self):
        self._refuse("converts to complex one")

    def __index__(self):
        self._refuse("uses as an index one")

    def __eq__(self, other):
        self._refuse("compares (==) one")

    def __ne__(self, other):
        self._refuse("compares (!=) one")

    def __lt__(self, other):
        self._refuse("compares (<) one")

    def __le__(self, other):
        self._refuse("compares (<=) one")

    def __gt__(self, other):
        self._refuse("compares (>) one")

    def __ge__(self, other):
        self._refuse("compares (>=) one")

    def __floordiv__(self, other):
        self._refuse("floor-divides one")

    __rfloordiv__ = __mod__ = __rmod__ = __floordiv__

    def __abs__(self):
        self._refuse("takes the absolute value")

    def __round__(self, n=None):
        self._refuse("rounds one")

    @property
    def dtype(self):
        return np.dtype(object)

    def conjugate(self):
        return apply_ufunc(np.conjugate, "__call__", (self,), {})

    conj = conjugate

class TracedScalar(Traced):
    """One exact polynomial: ``{monomial: coefficient}``, a monomial being the sorted tuple of its variable ids.

    The ids number the variables of `space` (a :class:`~symconv.space.VarSpace`); coefficients are Python
    numbers (``int``, ``Fraction``, ``float``, ``complex``).  Arithmetic with numbers and other scalars is
    plain Python on the dict; with arrays it goes through the tables.  A scalar read from a table keeps
    that table and builds its dict only when scalar arithmetic needs it.
    """

    __slots__ = ("_poly", "_table", "space")
    shape = ()
    ndim = 0
    size = 1

    def __init__(self, poly: dict | None, space, table: Terms | None = None):
        self._poly = poly
        self._table = table
        self.space = space

    # -- conversions ---------------------------------------------------------------------------
    @staticmethod
    def of(t: Terms) -> TracedScalar:
        """The scalar of a shape-``()`` table."""
        return TracedScalar(None, t.space, t)

    @property
    def poly(self) -> dict:
        if self._poly is None:
            t = self._table
            if t.n_terms == 0:
                self._poly = {}
            else:
                _, mono = t.decode()
                coefs = t.coefs().tolist()
                self._poly = {tuple(m - 1 for m in row if m): _number(c) for row, c in zip(mono.tolist(), coefs)}
        return self._poly

    def terms(self) -> Terms:
        if self._table is None:
            self._table = pack([self], ())
        return self._table

    def _sympy_(self):
        return _sympy_entry(self)

    def __repr__(self) -> str:
        return _format(self)

    # -- arithmetic on the dict --------------------------------------------------------------------
    def _with(self, other):
        """`other` as a scalar over the same space, or None when it is an array (the array path takes it)."""
        if isinstance(other, TracedScalar):
            if other.space is self.space or other.space == self.space or _constant(other):
                return self, other
            if _constant(self):
                return TracedScalar(self.poly, other.space), other
            space = union(self.space, other.space)
            return _respace(self, space), _respace(other, space)
        if _is_number(other) or isinstance(other, np.generic) and other.ndim == 0:
            value = _check_finite(_number(other))
            return self, TracedScalar({(): value} if value != 0 else {}, self.space)
        return None

    def __add__(self, other):
        pair = self._with(other)
        if pair is None:
            return super().__add__(other)
        a, b = pair
        out = dict(a.poly)
        for m, c in b.poly.items():
            s = out.get(m, 0) + c
            if s == 0:
                out.pop(m, None)
            else:
                out[m] = s
        return TracedScalar(out, a.space)

    def __radd__(self, other):
        return self.__add__(other) if self._with(other) is not None else super().__radd__(other)

    def __neg__(self):
        return TracedScalar({m: -c for m, c in self.poly.items()}, self.space)

    def __sub__(self, other):
        pair = self._with(other)
        return self + (-pair[1]) if pair is not None else super().__sub__(other)

    def __rsub__(self, other):
        return (-self).__add__(other) if self._with(other) is not None else super().__rsub__(other)

    def __mul__(self, other):
        pair = self._with(other)
        if pair is None:
            return super().__mul__(other)
        a, b = pair
        out: dict = {}
        for ma, ca in a.poly.items():
            for mb, cb in b.poly.items():
                m = tuple(sorted(ma + mb)) if ma and mb else ma or mb
                s = out.get(m, 0) + ca * cb
                if s == 0:
                    out.pop(m, None)
                else:
                    out[m] = s
        return TracedScalar(out, a.space)

    def __rmul__(self, other):
        return self.__mul__(other) if self._with(other) is not None else super().__rmul__(other)

    def __truediv__(self, other):
        if isinstance(other, Traced) or not _is_number(other) and not isinstance(other, np.generic):
            return super().__truediv__(other)
        return self * _reciprocal(_number(other))

    def __pow__(self, other):
        n = _exponent(other)
        result, base = TracedScalar({(): 1}, self.space), self
        while n:
            if n & 1:
                result = result * base
            base, n = base * base, n >> 1
        return result

def _constant(s: TracedScalar) -> bool:
    return not s.poly or len(s.poly) == 1 and () in s.poly

def _respace(s: TracedScalar, space) -> TracedScalar:
    if s._table is not None:
        return TracedScalar(None, space, s._table.to_space(space))
    table = s.space.remap_to(space)
    return TracedScalar({tuple(sorted(int(table[v]) for v in m)): c for m, c in s.poly.items()}, space)

def _reciprocal(d):
    if isinstance(d, Traced):
        raise UnsupportedError("the traced code divides by a symbolic value; symconv keeps polynomials, so expected "
                               "a division by a number")
    if d == 0:
        raise ZeroDivisionError("division of a traced value by zero")
    if isinstance(d, int):
        return Fraction(1, d)
    if isinstance(d, Fraction):
        return 1 / d
    return _check_finite(1 / d)

def _exponent(e) -> int:
    e = _number(e)
    if isinstance(e, float) and e.is_integer():
        e = int(e)
    if not isinstance(e, int) or isinstance(e, Traced) or e < 0:
        raise UnsupportedError(f"the traced code raises a symbolic value to the power {e!r}; expected a non-negative "
                               f"integer (polynomials only)")
    return e

def _sympy_entry(s: TracedScalar):
    from ..canonical import to_sympy_number
    import sympy

    terms = []
    for m, c in s.poly.items():
        terms.append(sympy.Mul(to_sympy_number(c), *[s.space.element(v) for v in m]))
    return sympy.Add(*terms)

def _name_of(space, v: int) -> str:
    i = int(np.searchsorted(np.asarray(space.offsets), v, side="right")) - 1
    block = space.blocks[i]
    if isinstance(block, TensorBlock):
        idx = np.unravel_index(v - space.offsets[i], block.shape)
        return f"{block.label.name}[{', '.join(str(int(j)) for j in idx)}]"
    return str(block.expr)

def _format(s: TracedScalar) -> str:
    if not s.poly:
        return "0"
    parts = []
    for m, c in sorted(s.poly.items(), key=lambda mc: [_name_of(s.space, v) for v in mc[0]]):
        names = "*".join(_name_of(s.space, v) for v in m)
        if not names:
            parts.append(str(c))
        elif c == 1:
            parts.append(names)
        elif c == -1:
            parts.append("-" + names)
        else:
            parts.append(f"{c}*{names}")
    return " + ".join(parts).replace("+ -", "- ")

def pack(entries, shape) -> Terms:
    """One table of `shape` from its entries in row-major order: traced scalars or numbers."""
    space, tables, dicts, numbers_ = EMPTY, [], [], []
    for e, v in enumerate(entries):
        if isinstance(v, TracedScalar):
            if v._table is not None:
                tables.append((e, v._table))
                if v._table.degree:
                    space = union(space, v.space)
            else:
                dicts.append((e, v))
                if not _constant(v):
                    space = union(space, v.space)
        else:
            value = _check_finite(_number(v))
            if not _is_number(value):
                raise UnsupportedError(f"the traced code built an array holding {type(v).__name__}; expected numbers "
                                       f"and traced values")
            if value != 0:
                numbers_.append((e, value))
    parts = []
    if dicts or numbers_:
        parts.append(_pack_dicts(dicts, numbers_, shape, space))
    if tables:
        parts.append(_pack_tables(tables, shape, space))
    if not parts:
        return canonical.zeros(shape, space)
    return parts[0] if len(parts) == 1 else canonical.add(*parts)

def _pack_dicts(dicts, numbers_, shape, space) -> Terms:
    rows_out, rows_mono, coefs, degree = [], [], [], 0
    for e, value in numbers_:
        rows_out.append(e)
        rows_mono.append(())
        coefs.append(value)
    for e, s in dicts:
        if not _constant(s) and s.space is not space and s.space != space:
            s = _respace(s, space)
        for m, c in s.poly.items():
            rows_out.append(e)
            rows_mono.append(m)
            coefs.append(c)
            if len(m) > degree:
                degree = len(m)
    mono = np.zeros((len(rows_mono), degree), dtype=np.int64)
    for r, m in enumerate(rows_mono):
        if m:
            mono[r, degree - len(m):] = np.asarray(m) + 1
    coef = np.empty(len(coefs), dtype=object)
    coef[:] = coefs
    return canonical.build(shape, space, np.asarray(rows_out, dtype=np.int64), mono, coef)

def _pack_tables(tables, shape, space) -> Terms:
    """Shape-``()`` tables put at their entries: a key of a 0-d table is its monomial's digits, so entry ``e``
    of a table of degree ``D`` holds ``e * radix**D + key`` (lower degrees are leading zero digits)."""
    tables = [(e, t if not t.degree or t.space is space or t.space == space else t.to_space(space)) for e, t in tables]
    degree = max(t.degree for _, t in tables)
    radix = space.size + 1
    big = not canonical.fits_int64(prod(shape), radix, degree) or any(t.key.dtype == object for _, t in tables)
    keys = [t.key.astype(object) if big else t.key for _, t in tables]
    counts = np.array([len(k) for k in keys], dtype=np.int64)
    out = np.repeat(np.array([e for e, _ in tables], dtype=np.int64), counts)
    key = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
    key = (out.astype(object) if big else out) * radix**degree + key
    coefs = [t.coefs() for _, t in tables]
    coef = None if all(t.coef is None for _, t in tables) else canonical._concat_coefs(coefs)
    return canonical.from_keys(shape, space, degree, key, coef, any_top=False)
