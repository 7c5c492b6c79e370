"""The exact compact form: a sparse polynomial per array entry, as integer tables.

A :class:`Terms` holds an array of polynomials as one sorted NumPy vector of
packed integer keys plus a coefficient vector.  Each term is ``coef *
v_1 * ... * v_d`` sitting in output entry ``out`` (row-major flat index); the
variable ids ``v`` number the elements of a :class:`~symconv.space.VarSpace`.
With ``B = space.size + 1`` and ``m_t = v_t + 1`` (0 meaning "no variable",
so lower-degree terms fit) sorted ascending, the key is::

    key = out * B**d + m_1 * B**(d-1) + ... + m_d

Keys are strictly increasing (terms merged, zero coefficients dropped) and
``d`` is the true maximal degree, so two arrays over the same space are equal
as polynomials exactly when their keys and coefficients are equal: equality is
a linear-time array comparison.  Keys are ``int64`` when they fit, Python
integers (``dtype=object``) when they do not.  ``coef is None`` means "all
ones"; otherwise it is an ``int64``, ``float64``, ``complex128`` or ``object``
(``Fraction`` / SymPy number) array.

This module never builds SymPy objects except in :meth:`Terms.entry` and
:func:`from_entries`, the two bridges to SymPy.
"""

from __future__ import annotations

from fractions import Fraction
from math import prod

import numpy as np
import sympy

from . import limits
from .errors import NotPolynomialError
from .space import EMPTY, AtomBlock, TensorBlock, VarSpace, grow, union

INT64_MAX = 2**63 - 1
_SAFE_INT = 2**62


class Terms:
    """An array of sparse polynomials in canonical packed form (see module doc)."""

    __slots__ = ("shape", "space", "degree", "_key", "coef", "_starts", "_counts", "_lazy", "_max_count")

    def __init__(self, shape, space, degree, key, coef=None, *, lazy=None):
        self.shape = tuple(int(s) for s in shape)
        self.space = space
        self.degree = int(degree)
        self._key = key
        self.coef = coef
        self._starts = None
        self._counts = None
        self._lazy = lazy  # (builder of the key, number of terms, most terms in one entry) for tensors
        self._max_count = None

    @property
    def key(self) -> np.ndarray:
        """The packed, strictly increasing keys (built on first use for a tensor's own table)."""
        if self._key is None:
            self._key = self._lazy[0]()
        return self._key

    def max_count(self) -> int:
        """Most terms in one entry (cheap for a tensor: no table is built)."""
        if self._max_count is None:
            self._max_count = self._lazy[2] if self._lazy is not None else int(self.counts().max(initial=0))
        return self._max_count

    # -- basic facts -------------------------------------------------------
    @property
    def size(self) -> int:
        return prod(self.shape)

    @property
    def radix(self) -> int:
        return self.space.size + 1

    @property
    def n_terms(self) -> int:
        return self._lazy[1] if self._key is None else len(self._key)

    def coefs(self) -> np.ndarray:
        """The coefficient vector, with the implicit ones made explicit."""
        return np.ones(len(self.key), dtype=np.int64) if self.coef is None else self.coef

    def decode(self):
        """``(out, mono)``: flat output index per term and the ``(n, degree)`` shifted ids."""
        return decode(self.key, self.radix, self.degree)

    def starts(self) -> np.ndarray:
        """CSR offsets: the terms of entry ``e`` are ``starts[e]:starts[e + 1]``."""
        if self._starts is None and self._key is None:  # a tensor's own table: entry e is term e
            self._starts = np.arange(self.size + 1, dtype=np.int64)
        if self._starts is None:
            step = self.radix**self.degree
            bounds = np.arange(self.size + 1, dtype=np.int64)
            if self.key.dtype == object:
                bounds = bounds.astype(object) * step
            else:
                bounds = bounds * step if self.size * step <= INT64_MAX else bounds.astype(object) * step
            self._starts = np.searchsorted(self.key, bounds).astype(np.int64)
        return self._starts

    def counts(self) -> np.ndarray:
        """Number of terms in each entry."""
        if self._counts is None:
            self._counts = np.diff(self.starts())
        return self._counts

    def single(self) -> bool:
        """Whether every entry is exactly one term (a tensor's own table, a gather of one)."""
        return self.n_terms == self.size and self.max_count() == 1

    # -- conversions -------------------------------------------------------
    def to_space(self, space: VarSpace) -> Terms:
        """The same polynomials numbered in the larger `space`."""
        if space == self.space:
            return self
        if self._key is None:  # a tensor's own table stays lazy: entry e is its variable, renumbered
            ids = self.space.remap_to(space)
            n, radix = self.size, space.size + 1

            def build_key():
                return np.arange(n, dtype=np.int64) * radix + ids + 1

            return Terms(self.shape, space, 1, None, lazy=(build_key, n, 1))
        table = np.concatenate(([0], self.space.remap_to(space) + 1))
        radix = space.size + 1
        if self.degree == 1 and self.key.dtype != object and fits_int64(self.size, radix, 1):
            out, mono = np.divmod(self.key, self.radix)
            key = out * radix + table[mono]  # one variable per term: nothing to re-sort
        else:
            out, mono = self.decode()
            key = encode(out, np.sort(table[mono], axis=1), radix, self.size)
        moved = Terms(self.shape, space, self.degree, key, self.coef)
        moved._starts, moved._counts, moved._max_count = self._starts, self._counts, self._max_count
        return moved

    def entry(self, flat: int, max_terms: int | None = None) -> sympy.Expr:
        """The SymPy polynomial of entry `flat` (row-major); only its first `max_terms` terms when given."""
        if self._key is None and len(self.space.blocks) == 1:  # a tensor's own table: entry e is element e
            return self.space.blocks[0].element(flat)
        lo, hi = self.starts()[flat], self.starts()[flat + 1]
        if max_terms is not None:
            hi = min(hi, lo + max_terms)
        if lo == hi:
            return sympy.S.Zero
        _, mono = decode(self.key[lo:hi], self.radix, self.degree)
        coefs = self.coefs()[lo:hi]
        cache: dict = {}
        terms = []
        for row, c in zip(mono, coefs):
            factors = []
            for m in row:
                if m:
                    if m not in cache:
                        cache[m] = self.space.element(int(m) - 1)
                    factors.append(cache[m])
            terms.append(sympy.Mul(to_sympy_number(c), *factors))
        return sympy.Add(*terms)

    def __eq__(self, other) -> bool:
        return isinstance(other, Terms) and equal(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Terms(shape={self.shape}, degree={self.degree}, n_terms={self.n_terms})"


# -- packing -----------------------------------------------------------------
def fits_int64(size: int, radix: int, degree: int) -> bool:
    return max(size, 1) * radix**degree <= INT64_MAX


def encode(out, mono, radix: int, size: int) -> np.ndarray:
    """Pack flat output indices and shifted, row-sorted monomials into keys."""
    degree = mono.shape[1]
    if fits_int64(size, radix, degree):
        key = out.astype(np.int64, copy=True)
        for t in range(degree):
            key *= radix
            key += mono[:, t]
        return key
    key = out.astype(object)
    for t in range(degree):
        key = key * radix + mono[:, t].astype(object)
    return key


def decode(key, radix: int, degree: int):
    """Inverse of :func:`encode`: ``(out, mono)`` as ``int64`` arrays."""
    mono = np.empty((len(key), degree), dtype=np.int64)
    rest = key
    for t in range(degree - 1, -1, -1):
        if rest.dtype == object:  # divmod has no object loop
            rest, digit = rest // radix, rest % radix
        else:
            rest, digit = np.divmod(rest, radix)
        mono[:, t] = digit
    return np.asarray(rest, dtype=np.int64), mono


# -- coefficients --------------------------------------------------------------
def to_sympy_number(c) -> sympy.Expr:
    if isinstance(c, (int, np.integer)):
        return sympy.Integer(int(c))
    if isinstance(c, Fraction):
        return sympy.Rational(c.numerator, c.denominator)
    if isinstance(c, (float, np.floating)):
        return sympy.Float(float(c))
    return sympy.sympify(c)


def max_abs(a) -> int:
    """The largest ``|a_i|`` as a Python int (exact for ``-2**63`` and for unsigned and object arrays)."""
    if a is None or not len(a):
        return 0
    if a.dtype.kind in "biu":
        return max(int(a.max()), -int(a.min()))
    if a.dtype == object:
        return max(abs(v) for v in a)
    return int(np.max(np.abs(a)))


def exact_ints(values: np.ndarray) -> np.ndarray:
    """Integers of any width and sign (or Python ints) as ``int64`` when every value is small, else Python ints.

    >>> exact_ints(np.array([2**63], dtype=np.uint64)).tolist()
    [9223372036854775808]
    >>> exact_ints(np.array([-2**63, 1])).dtype, exact_ints(np.array([3, 1], dtype=np.uint8)).dtype
    (dtype('O'), dtype('int64'))
    """
    if values.dtype.kind not in "biu":
        values = _object_ints(values)
    if max_abs(values) < _SAFE_INT:
        return values.astype(np.int64, copy=False)
    return values if values.dtype == object else _object_ints(values)


def _object_ints(values: np.ndarray) -> np.ndarray:
    out = np.empty(values.size, dtype=object)
    out[:] = [int(v) for v in values.reshape(-1)]
    return out.reshape(values.shape)


def mul_coef(a, b):
    """Product of two coefficient vectors (``None`` = ones), exact for integers."""
    if a is None:
        return b
    if b is None:
        return a
    if a.dtype == np.int64 and b.dtype == np.int64 and max_abs(a) * max_abs(b) >= _SAFE_INT:
        return a.astype(object) * b.astype(object)
    a, b = exact_mix(a, b)
    return a * b


def exact_mix(*coefs):
    """The coefficient vectors, with floats made exact rationals when exact numbers (object) are among them.

    Python turns ``Fraction(1, 3) - 0.333...`` into the float ``0.0``; a float
    is an exact binary rational, so mixed arithmetic is done on that rational
    instead, and a difference that is not zero never rounds to zero.

    >>> a, b = exact_mix(np.array([Fraction(1, 3)], dtype=object), np.array([1 / 3]))
    >>> (a - b)[0] != 0
    True
    """
    if not any(c.dtype == object for c in coefs) or all(c.dtype == object and not _has_inexact(c) for c in coefs):
        return coefs
    return tuple(_exact_object(c) for c in coefs)


def _has_inexact(c) -> bool:
    return any(isinstance(v, (float, complex, np.floating, np.complexfloating)) for v in c)


def _exact_number(v):
    if isinstance(v, (float, np.floating)):
        return Fraction(float(v))
    if isinstance(v, (complex, np.complexfloating)):
        return sympy.Rational(Fraction(v.real)) + sympy.I * sympy.Rational(Fraction(v.imag))
    return v


def _exact_object(c) -> np.ndarray:
    out = np.empty(len(c), dtype=object)
    out[:] = [_exact_number(v) for v in (c.tolist() if c.dtype != object else c)]
    return out


def normalize_coef(coef):
    """Canonical storage: ``None`` for all ones, ``int64`` for small integers, ``float64``/``complex128`` for
    floats (with integers they hold exactly), objects for exact rationals, big integers and the rest."""
    if coef is None or len(coef) == 0:
        return None
    if coef.dtype == object:
        coef = np.array([_plain_number(c) for c in coef], dtype=object)
        if all(isinstance(c, int) and abs(c) < _SAFE_INT for c in coef):
            coef = coef.astype(np.int64)
        else:
            coef = _as_floats(coef)
    if coef.dtype == np.int64 and bool(np.all(coef == 1)):
        return None
    return coef


_FLOAT_EXACT_INT = 2**53


def _as_floats(coef: np.ndarray) -> np.ndarray:
    """Object coefficients that are all floats (and integers a float holds exactly) as a float array."""
    kinds = set()
    for c in coef:
        if isinstance(c, float):
            kinds.add("f")
        elif isinstance(c, complex):
            kinds.add("c")
        elif not (isinstance(c, int) and abs(c) <= _FLOAT_EXACT_INT):
            return coef
    if not kinds:
        return coef
    return coef.astype(np.complex128 if "c" in kinds else np.float64)


def _plain_number(c):
    """Python ``int``/``Fraction`` for rationals, otherwise the number itself."""
    if isinstance(c, (bool, np.bool_)):
        return int(c)
    if isinstance(c, (int, np.integer)):
        return int(c)
    if isinstance(c, Fraction):
        return int(c) if c.denominator == 1 else c
    if isinstance(c, sympy.Integer):
        return int(c)
    if isinstance(c, sympy.Rational):
        return Fraction(int(c.p), int(c.q))
    if isinstance(c, sympy.Float):
        return float(c)
    if isinstance(c, (np.floating, np.complexfloating)):
        return c.item() if c.dtype.itemsize <= 16 and c.dtype != np.longdouble else c
    if isinstance(c, sympy.Basic) and c.is_number and c.is_real is False and any(
            isinstance(p, sympy.Float) for p in c.as_real_imag()) and all(
            isinstance(p, (sympy.Float, sympy.Integer)) for p in c.as_real_imag()):
        re, im = c.as_real_imag()
        return complex(float(re), float(im))
    return c


# -- building canonical tables -------------------------------------------------
def from_keys(shape, space, degree, key, coef=None, *, any_top=True) -> Terms:
    """Canonicalize unsorted keys (duplicates summed, zeros dropped, degree trimmed)."""
    key, coef = _sort(key, coef)
    if len(key) > 1:
        fresh = np.empty(len(key), dtype=bool)
        fresh[0] = True
        np.not_equal(key[1:], key[:-1], out=fresh[1:])
        if not fresh.all():
            starts = np.flatnonzero(fresh)
            coef = _ones_like(key) if coef is None else coef
            if coef.dtype == np.int64:
                longest = int(np.diff(np.append(starts, len(key))).max())
                if max_abs(coef) * longest >= _SAFE_INT:  # sums would leave int64: exact Python ints
                    coef = coef.astype(object)
            coef = np.add.reduceat(coef, starts)
            key = key[starts]
    if coef is not None and len(coef):
        keep = np.asarray(coef != 0, dtype=bool)
        if not keep.all():
            key, coef = key[keep], coef[keep]
    terms = Terms(shape, space, degree, key, normalize_coef(coef))
    return _trim(terms) if degree and not any_top else terms


def build(shape, space, out, mono, coef=None) -> Terms:
    """Canonical table from raw columns: `mono` holds shifted ids (0 = none)."""
    mono = np.sort(mono, axis=1) if mono.shape[1] > 1 else mono
    top = bool(mono.shape[1] == 0 or np.any(mono[:, 0]))
    key = encode(out, mono, space.size + 1, prod(shape))
    return from_keys(shape, space, mono.shape[1], key, coef, any_top=top)


def _ones_like(key):
    return np.ones(len(key), dtype=np.int64)


def _sort(key, coef):
    if len(key) < 2:
        return key, coef
    if key.dtype != object and bool(np.all(key[1:] > key[:-1])):
        return key, coef
    if coef is None:
        return np.sort(key), None
    order = np.argsort(key, kind="stable")
    return key[order], coef[order]


def _trim(terms: Terms) -> Terms:
    """Drop leading monomial columns that are zero in every term."""
    out, mono = terms.decode()
    used = np.flatnonzero(np.any(mono != 0, axis=0)) if len(mono) else np.array([], dtype=int)
    first = int(used[0]) if len(used) else mono.shape[1]
    if first == 0:
        return terms
    mono = mono[:, first:]
    key = encode(out, mono, terms.radix, terms.size)
    return Terms(terms.shape, terms.space, mono.shape[1], key, terms.coef)


def reshape(t: Terms, shape) -> Terms:
    """The same entries in row-major order under a new shape of the same size: the keys are shared as they are
    (an entry's key holds its row-major index, which a reshape keeps)."""
    out = Terms(shape, t.space, t.degree, t._key, t.coef, lazy=t._lazy)
    out._starts, out._counts, out._max_count = t._starts, t._counts, t._max_count
    return out


def zeros(shape, space=EMPTY) -> Terms:
    return Terms(shape, space, 0, np.empty(0, dtype=np.int64), None)


def identity(label: sympy.Symbol, shape) -> Terms:
    """The table of a symbolic tensor: entry ``e`` is its own element ``label[e]``."""
    if not shape:
        space = VarSpace((AtomBlock(label),))
        return Terms((), space, 1, np.array([1], dtype=np.int64))
    space = VarSpace((TensorBlock(label, tuple(shape), True),))
    n = prod(shape)

    def build_key():
        flat = np.arange(n, dtype=np.int64)
        return flat * (n + 1) + flat + 1

    return Terms(shape, space, 1, None, lazy=(build_key, n, 1))


def constant(values: np.ndarray) -> Terms:
    """The table of a numeric NumPy array (degree 0).

    Integers of any width are read exactly; floats and complex numbers of
    fewer bits are widened to ``float64``/``complex128`` (exactly), so that
    products of ``float32`` data are not rounded to 24 bits.
    """
    flat = values.reshape(-1)
    out = np.flatnonzero(flat)
    coef = flat[out]
    if coef.dtype.kind in "biu":
        coef = exact_ints(coef)
    elif coef.dtype.kind in "fc":
        coef = _widen(coef)
    return from_keys(values.shape, EMPTY, 0, out.astype(np.int64), coef)


def _widen(coef: np.ndarray) -> np.ndarray:
    if coef.dtype in (np.float64, np.complex128):
        return coef
    if coef.dtype.itemsize < 8 or (coef.dtype.kind == "c" and coef.dtype.itemsize < 16):
        return coef.astype(np.complex128 if coef.dtype.kind == "c" else np.float64)
    # long double: exact rationals, as a float64 would round them
    out = np.empty(len(coef), dtype=object)
    out[:] = [Fraction(*c.as_integer_ratio()) if coef.dtype.kind == "f" else
              sympy.Rational(*c.real.as_integer_ratio()) + sympy.I * sympy.Rational(*c.imag.as_integer_ratio())
              for c in coef]
    return out


# -- SymPy -> table ---------------------------------------------------------------
def _factor_list(term: sympy.Expr, name: str, opaque: bool = False):
    """``(number, [factor, ...])`` of one expanded term, powers repeated.

    A factor that is not a symbol or tensor entry to a positive integer power
    (``sin(a)``, ``1/x``) is refused, unless `opaque`: then it is kept as an
    opaque variable of its own, which is right for substituting numbers and
    wrong for deciding identities (``sin(a)**2 + cos(a)**2`` is 1).
    """
    coef, rest = term.as_coeff_Mul()
    factors = []
    number = coef
    for f in sympy.Mul.make_args(rest):
        base, exp = f.as_base_exp()
        if f.is_number:
            number = number * f
        elif exp.is_Integer and exp > 0 and isinstance(base, (sympy.Symbol, sympy.Indexed)):
            factors.extend([base] * int(exp))
        elif opaque:
            factors.extend([base] * int(exp) if exp.is_Integer and exp > 0 else [f])
        else:
            culprit = base if exp.is_Integer and exp > 0 else f
            raise NotPolynomialError(
                f"{name} holds {_short(culprit)}, which is not a polynomial in tensor entries and symbols; symconv decides "
                f"polynomial identities only, so expected sums of products of entries, symbols and numbers")
    return number, factors


def _short(expr) -> str:
    text = str(expr)
    return text if len(text) <= 60 else text[:57] + "..."


def _factor_block(f):
    """The block of one factor: a tensor element with non-negative integer indices, or an opaque symbol."""
    if isinstance(f, sympy.Indexed) and all(i.is_Integer and i >= 0 for i in f.indices):
        return TensorBlock(f.base.label, tuple(int(i) + 1 for i in f.indices))
    return AtomBlock(f)


def from_entries(shape, exprs, name: str = "the expression", *, opaque: bool = False) -> Terms:
    """Table of SymPy expressions given in row-major order (each is expanded).

    Raises :class:`~symconv.errors.NotPolynomialError` naming the first
    factor that is not a tensor entry or a symbol (``sin(a)``, ``1/x``),
    unless `opaque` (see :func:`_factor_list`).
    """
    rows = []
    blocks: dict = {}
    for flat, expr in enumerate(exprs):
        expr = sympy.expand(sympy.sympify(expr))
        for term in sympy.Add.make_args(expr):
            if term == 0:
                continue
            number, factors = _factor_list(term, name, opaque)
            rows.append((flat, number, factors))
            for f in factors:
                block = _factor_block(f)
                old = blocks.get(block.ident)
                blocks[block.ident] = block if old is None or old == block else grow(old, block)
    space = VarSpace.of(blocks.values())
    where = {b.ident: (b, off) for b, off in zip(space.blocks, space.offsets)}
    degree = max((len(r[2]) for r in rows), default=0)
    out = np.array([r[0] for r in rows], dtype=np.int64)
    mono = np.zeros((len(rows), degree), dtype=np.int64)
    for n, (_, _, factors) in enumerate(rows):
        for t, f in enumerate(factors):
            block, off = where[_factor_block(f).ident]
            local = np.ravel_multi_index(tuple(int(i) for i in f.indices), block.shape) if isinstance(block, TensorBlock) else 0
            mono[n, degree - 1 - t] = off + local + 1
    coef = np.array([_plain_number(r[1]) for r in rows], dtype=object)
    return build(shape, space, out, mono, coef)


# -- algebra on tables ----------------------------------------------------------------
def unify(*tables: Terms):
    """The tables renumbered in one common space."""
    space = union(*(t.space for t in tables))
    return [t.to_space(space) for t in tables]


def equal(a: Terms, b: Terms) -> bool:
    """Exact equality of two arrays of polynomials (same shape, same polynomials)."""
    if a.shape != b.shape:
        return False
    a, b = unify(a, b)
    if a.degree != b.degree or len(a.key) != len(b.key):
        return False
    if not np.array_equal(a.key, b.key):
        return False
    return _coef_equal(a.coef, b.coef, len(a.key))


def _coef_equal(p, q, n) -> bool:
    if p is None and q is None:
        return True
    p = np.ones(n, dtype=np.int64) if p is None else p
    q = np.ones(n, dtype=np.int64) if q is None else q
    return bool(np.all(p == q))


def add(*tables: Terms) -> Terms:
    """Entry-wise sum of tables of one shape."""
    tables = unify(*tables)
    degree = max(t.degree for t in tables)
    keys, coefs = [], []
    for t in tables:
        out, mono = t.decode()
        pad = np.zeros((len(mono), degree - t.degree), dtype=np.int64)
        keys.append(encode(out, np.hstack([pad, mono]), t.radix, t.size))
        coefs.append(t.coefs())
    coef = _concat_coefs(coefs)
    key = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
    return from_keys(tables[0].shape, tables[0].space, degree, key, coef, any_top=False)


def _concat_coefs(coefs):
    if any(c.dtype == object for c in coefs):
        return np.concatenate([c.astype(object) for c in exact_mix(*coefs)])
    return np.concatenate(coefs)


def conjugate(t: Terms) -> Terms:
    """The complex conjugate of a table over real variables: its coefficients conjugated."""
    if t.coef is None or t.coef.dtype.kind in "biuf":
        return t
    if t.coef.dtype.kind == "c":
        coef = np.conj(t.coef)
    else:
        coef = np.empty(len(t.coef), dtype=object)
        coef[:] = [c.conjugate() for c in t.coef]
    return Terms(t.shape, t.space, t.degree, t.key, coef)


def scale(t: Terms, factor) -> Terms:
    """`t` times a number."""
    c = np.array([_plain_number(factor)], dtype=object)
    c = normalize_coef(c)
    c = np.ones(1, dtype=np.int64) if c is None else c
    coef = mul_coef(t.coefs(), np.broadcast_to(c, (len(t.key),)) if len(t.key) else c[:0])
    return from_keys(t.shape, t.space, t.degree, t.key.copy(), np.array(coef), any_top=False)


def substitute(t: Terms, values: dict) -> Terms:
    """`t` with numbers put in for some variables (``{variable id: number}``), still compact."""
    if not values or t.n_terms == 0:
        return t
    out, mono = t.decode()
    coef = t.coefs().astype(object)
    for var, value in values.items():
        hit = mono == var + 1
        power = hit.sum(axis=1)
        if power.any():
            rows = np.flatnonzero(power)
            coef[rows] = [c * _plain_number(value) ** int(p) for c, p in zip(coef[rows], power[rows])]
            mono[hit] = 0
    return build(t.shape, t.space, out, mono, coef)


def derivative(t: Terms, var: int) -> Terms:
    """The partial derivative of every entry by variable `var` (an id of ``t.space``), still compact."""
    out, mono = t.decode()
    hit = mono == var + 1
    power = hit.sum(axis=1)
    rows = np.flatnonzero(power)
    if not len(rows):
        return zeros(t.shape, t.space)
    mono, out = mono[rows], out[rows]
    first = np.argmax(hit[rows], axis=1)  # drop one occurrence
    mono[np.arange(len(rows)), first] = 0
    coef = t.coefs()[rows].astype(object) * power[rows].astype(object)
    return build(t.shape, t.space, out, mono, coef)


def outer(t: Terms, u: Terms) -> Terms:
    """The tensor (outer) product: entry ``(a, b)`` is ``t[a] * u[b]``, of shape ``t.shape + u.shape``."""
    nt, nu = prod(t.shape), prod(u.shape)
    acc = Bilinear(t.shape + u.shape, t, u)
    acc.add(np.arange(nt * nu, dtype=np.int64), np.repeat(np.arange(nt, dtype=np.int64), nu),
            np.tile(np.arange(nu, dtype=np.int64), nt))
    return acc.result()


def _expand_pairs(counts_a, counts_b):
    """For pair ``p`` with ``counts_a[p] * counts_b[p]`` products: (pair, offset_a, offset_b)."""
    n = counts_a * counts_b
    pair = np.repeat(np.arange(len(n)), n)
    first = np.cumsum(n) - n
    r = np.arange(len(pair)) - first[pair]
    cb = counts_b[pair]
    return pair, r // cb, r % cb


#: terms handled per vectorized step of the streaming loops (bounds temporary memory)
CHUNK_TERMS = limits.CHUNK_TERMS


def linear(t: Terms, shape, dst, src, weight=None) -> Terms:
    """The linear map ``new[dst[q]] += weight[q] * t[src[q]]`` (``src < 0`` skipped).

    Monomials are carried over unchanged (only their output index moves), so
    when `dst` is increasing the result comes out sorted and is not re-sorted.
    """
    keep = src >= 0
    if not keep.all():
        dst, src = dst[keep], src[keep]
        weight = None if weight is None else weight[keep]
    size = prod(shape)
    step = t.radix**t.degree
    if weight is None and t.degree and t.single() and t.key.dtype != object and fits_int64(size, t.radix, t.degree) \
            and (len(dst) < 2 or bool(np.all(dst[1:] > dst[:-1]))):
        # one term per entry moved to distinct, increasing places: the keys come out canonical as they are
        rest = t.key[src] - src * step
        coef = None if t.coef is None else t.coef[src]
        if not len(rest):
            return zeros(shape, t.space)
        out = Terms(shape, t.space, t.degree, dst * step + rest, coef)
        if not bool(np.any(rest >= t.radix ** (t.degree - 1))):  # none of the moved terms has the top degree
            return _trim(out)
        out._max_count = 1
        if len(dst) == size:  # every entry filled, in order: entry e is term e
            out._starts = np.arange(size + 1, dtype=np.int64)
        return out
    top_level = t.radix ** (t.degree - 1) if t.degree else None
    starts, counts = t.starts(), t.counts()
    c = counts[src]
    total = int(c.sum())
    dtype = np.int64 if t.key.dtype != object and fits_int64(size, t.radix, t.degree) else object
    key = np.empty(total, dtype=dtype)
    coef = None
    if t.coef is not None or weight is not None:
        coef = np.empty(total, dtype=_coef_dtype(t.coef, weight))
    per_q = max(1, CHUNK_TERMS // max(1, total // max(1, len(src))))
    pos, top = 0, False
    for lo in range(0, len(src), per_q):
        cc, s_, d_ = c[lo : lo + per_q], src[lo : lo + per_q], dst[lo : lo + per_q]
        n = int(cc.sum())
        if n == len(cc) and (n == 0 or cc.max() == 1):
            rows, pair = starts[s_], None
        else:
            before = np.cumsum(cc) - cc
            rows = np.repeat(starts[s_] - before, cc) + np.arange(n)
            pair = np.repeat(np.arange(len(cc)), cc)
        rest = t.key[rows] % step
        if top_level is not None and not top:
            top = bool(np.any(rest >= top_level))
        out = d_ if pair is None else d_[pair]
        key[pos : pos + n] = out.astype(dtype) * step + rest
        if coef is not None:
            w = None if weight is None else (weight[lo : lo + per_q] if pair is None else weight[lo : lo + per_q][pair])
            coef[pos : pos + n] = _ones_or(mul_coef(_take(t.coef, rows), w), n)
        pos += n
    return from_keys(shape, t.space, t.degree, key, coef, any_top=top or not t.degree)


def _coef_dtype(*arrays):
    arrays = [a for a in arrays if a is not None]
    if any(a.dtype == object for a in arrays):
        return object
    return np.result_type(*arrays) if arrays else np.int64


def _ones_or(coef, n):
    return np.ones(n, dtype=np.int64) if coef is None else coef


class Bilinear:
    """Accumulates the products ``x[i] * k[j]`` into output entries ``o``.

    Feed it chunks of index triples with :meth:`add`; :meth:`result` gives the
    canonical table.  ``i = -1`` stands for the constant `fill` (dropped when 0).
    """

    def __init__(self, shape, x: Terms, k: Terms, fill=0):
        self.shape = tuple(shape)
        self.x, self.k = unify(x, k)
        self.space = self.x.space
        self.fill = fill
        self.degree = self.x.degree + self.k.degree
        self.keys, self.coefs = [], []
        self.top = False
        self._xs, self._xc = self.x.starts(), self.x.counts()
        self._ks, self._kc = self.k.starts(), self.k.counts()
        self._monos = None
        # one variable per entry on both sides (tensors, gathers of them): keys straight from the two ids
        self._ids = None
        self._buffer, self._filled = None, 0
        if self.x.degree == self.k.degree == 1 and self.x.single() and self.k.single() and \
                fits_int64(prod(self.shape), self.space.size + 1, 2) and self.x.key.dtype != object and \
                self.k.key.dtype != object:
            xm, km = self.x.key % self.x.radix, self.k.key % self.k.radix
            order = 1 if not len(xm) or not len(km) or xm.max() < km.min() else \
                (-1 if km.max() < xm.min() else 0)
            self._ids = (xm, km, order)

    @property
    def _xmono(self):
        return self._both_monos()[0]

    @property
    def _kmono(self):
        return self._both_monos()[1]

    def _both_monos(self):
        if self._monos is None:
            self._monos = (self.x.decode()[1], self.k.decode()[1])
        return self._monos

    def reserve(self, n: int) -> None:
        """Room for `n` terms, so that keys are written in place instead of gathered from chunks at the end."""
        if self._ids is not None and self.x.coef is None and self.k.coef is None and not self.keys:
            self._buffer, self._filled = np.empty(n, dtype=np.int64), 0

    def add(self, o, i, j) -> None:
        if self._ids is not None and (self.fill == 0 or bool(np.all(i >= 0))):
            ok = (i >= 0) & (j >= 0)
            if not ok.all():
                o, i, j = o[ok], i[ok], j[ok]
            self._add_ids(o, i, j)
            return
        if self.fill != 0:
            pad = (i < 0) & (j >= 0)
            if pad.any():
                self._fill_terms(o[pad], j[pad])
        ok = (i >= 0) & (j >= 0)
        if not ok.all():
            o, i, j = o[ok], i[ok], j[ok]
        cx, ck = self._xc[i], self._kc[j]
        if len(cx) and cx.min() == 1 and cx.max() == 1 and ck.min() == 1 and ck.max() == 1:
            xr, kr, pair = self._xs[i], self._ks[j], None
        else:
            pair, ox, ok_ = _expand_pairs(cx, ck)
            xr, kr = self._xs[i][pair] + ox, self._ks[j][pair] + ok_
            o = o[pair]
        mono = np.hstack([self._xmono[xr], self._kmono[kr]])
        self._push(o, mono, mul_coef(_take(self.x.coef, xr), _take(self.k.coef, kr)))

    def _add_ids(self, o, i, j) -> None:
        self._store(self._id_keys(o, i, j), mul_coef(_take(self.x.coef, i), _take(self.k.coef, j)))

    def _id_keys(self, o, i, j) -> np.ndarray:
        xm, km, order = self._ids
        a, b = xm[i], km[j]
        if order == -1:
            a, b = b, a
        elif order == 0:
            a, b = np.minimum(a, b), np.maximum(a, b)
        radix = self.space.size + 1
        key = np.multiply(o, radix, dtype=np.int64)
        key += a
        key *= radix
        key += b
        if len(key):
            self.top = True
        return key

    def _store(self, key, coef) -> None:
        buf = self._buffer
        if buf is not None and coef is None and self._filled + len(key) <= len(buf):
            buf[self._filled:self._filled + len(key)] = key
            self._filled += len(key)
            return
        self._flush()
        self.keys.append(key)
        self.coefs.append(coef)

    def _flush(self) -> None:
        if self._buffer is not None:
            if self._filled:
                self.keys.insert(0, self._buffer[:self._filled])
                self.coefs.insert(0, None)
            self._buffer, self._filled = None, 0

    def add_translated(self, o, i, j, shifts) -> None:
        """The triples ``(o + do, i + di, j + dj)`` for every ``(do, di, dj)`` of `shifts` (a layer's output
        channels, a matrix product's rows).

        When the side that moves is a tensor's own table (entry ``e`` is variable ``e`` plus a constant) and the
        ids of `x` and `k` do not interleave, a translated triple's key is the first key plus a constant: one
        pass per shift, written in place when :meth:`reserve` made room.
        """
        moves_x = any(di for _, di, _ in shifts)
        moves_k = any(dj for _, _, dj in shifts)
        fast = self._ids is not None and self._ids[2] != 0 and not (self.fill != 0 and bool(np.any(i < 0))) and \
            not (moves_x and (self.x.coef is not None or not _consecutive(self._ids[0]))) and \
            not (moves_k and (self.k.coef is not None or not _consecutive(self._ids[1])))
        if not fast:  # the translated triples themselves, as many shifts at a time as a chunk holds
            moves = np.asarray(shifts, dtype=np.int64).reshape(-1, 3)
            per = max(1, CHUNK_TERMS // max(1, len(o)))
            for lo in range(0, len(moves), per):
                m = moves[lo:lo + per]
                self.add((o[None, :] + m[:, :1]).reshape(-1), np.where(i < 0, -1, i[None, :] + m[:, 1:2]).reshape(-1),
                         np.where(j < 0, -1, j[None, :] + m[:, 2:3]).reshape(-1))
            return
        ok = (i >= 0) & (j >= 0)
        if not ok.all():
            o, i, j = o[ok], i[ok], j[ok]
        first = self._id_keys(o, i, j)
        coef = mul_coef(_take(self.x.coef, i), _take(self.k.coef, j))
        radix = self.space.size + 1
        x_digit, k_digit = (1, radix) if self._ids[2] == -1 else (radix, 1)  # where each id sits in the key
        for do, di, dj in shifts:
            shift = int(do) * radix * radix + int(di) * x_digit + int(dj) * k_digit
            buf = self._buffer
            if buf is not None and coef is None and self._filled + len(first) <= len(buf):
                np.add(first, shift, out=buf[self._filled:self._filled + len(first)])
                self._filled += len(first)
            else:
                self._store(first + shift, coef)

    def _fill_terms(self, o, j) -> None:
        ck = self._kc[j]
        pair, _, ok_ = _expand_pairs(np.ones_like(ck), ck)
        kr = self._ks[j][pair] + ok_
        mono = np.hstack([np.zeros((len(kr), self.x.degree), dtype=np.int64), self._kmono[kr]])
        fill = normalize_coef(np.full(len(kr), self.fill, dtype=object))
        self._push(o[pair], mono, mul_coef(fill, _take(self.k.coef, kr)))

    def _push(self, o, mono, coef) -> None:
        if mono.shape[1] == 2:
            lo, hi = np.minimum(mono[:, 0], mono[:, 1]), np.maximum(mono[:, 0], mono[:, 1])
            mono[:, 0], mono[:, 1] = lo, hi
        elif mono.shape[1] > 2:
            mono.sort(axis=1)
        if len(mono) and mono.shape[1] and not self.top:
            self.top = bool(np.any(mono[:, 0]))
        self._flush()
        self.keys.append(encode(o, mono, self.space.size + 1, prod(self.shape)))
        self.coefs.append(coef)

    def result(self) -> Terms:
        """The canonical table of everything added so far."""
        self._flush()
        if not self.keys:
            return zeros(self.shape, self.space)
        if all(c is None for c in self.coefs):
            coef = None
        else:
            coef = _concat_coefs([_ones_like(k) if c is None else c for k, c in zip(self.keys, self.coefs)])
        key = np.concatenate(self.keys) if len(self.keys) > 1 else self.keys[0]
        self.keys, self.coefs = [], []
        return from_keys(self.shape, self.space, self.degree, key, coef, any_top=self.top or self.degree == 0)


def _take(coef, rows):
    return None if coef is None else coef[rows]


def _consecutive(ids) -> bool:
    """Whether ``ids[e] == ids[0] + e`` (a tensor's own numbering)."""
    return not len(ids) or bool(ids[-1] - ids[0] == len(ids) - 1 and np.all(np.diff(ids) == 1))
