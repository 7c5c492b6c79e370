"""Exact verdicts: `equivalent`, its `Verdict`, and the `conditions` under which two forms agree.

Equality is decided on the compact form (:mod:`symconv.canonical`): two arrays
are equivalent exactly when their canonical term tables are identical, which
is a polynomial identity, never a numeric guess.  Mismatches, their
difference polynomials and a counterexample are worked out only when asked for.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from math import prod
from typing import Any, Literal

import numpy as np
import sympy

from . import canonical
from .canonical import Terms
from .errors import InvalidArgumentError, TooLargeError
from .errors import describe
from .space import TensorBlock, union
from .tensors import as_terms

#: An array argument: a :class:`~symconv.array.SymArray` (what :func:`symconv.tensor` and every operation return),
#: a SymPy ``Array``/``Matrix``, a NumPy array (numeric or ``dtype=object``) or nested lists; numbers and SymPy
#: expressions stand for 0-d arrays.  Every entry must be a polynomial in tensor entries and symbols.
ArrayLike = Any

# -- verdicts ---------------------------------------------------------------------------
class Counterexample(dict):
    """Integer values for the symbols (``{element: int}``) under which two forms differ.

    ``index`` is the entry that differs, ``a_value`` and ``b_value`` the two
    values there (checked by substitution, so they really differ).

    A ``dict`` from the symbols (tensor elements such as ``x[0, 1]``, or plain
    symbols) of the differing entry of ``a`` and ``b`` to small integers:
    most are 0, a few are between 1 and the degree plus one.  Made by
    :attr:`Verdict.counterexample`, the first mismatching entry in row-major
    order; ``a[index].xreplace(c)`` and ``b[index].xreplace(c)`` give
    ``a_value`` and ``b_value``.

    Parameters
    ----------
    values : mapping
        The value of each symbol.
    index : tuple of int
        The index of the entry where the two differ (``()`` for 0-d arrays).
    a_value, b_value : sympy.Expr
        The two entries' values under `values`.

    Attributes
    ----------
    index : tuple of int
        As given.
    a_value, b_value : sympy.Expr
        As given; never equal.

    See Also
    --------
    Verdict.counterexample, equivalent

    Examples
    --------
    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> c = sc.equivalent(sc.convolve(x, k), sc.correlate(x, k)).counterexample
    >>> c
    Counterexample({k[0]: 1, k[1]: 0, x[0]: 1, x[1]: 0}, index=(0,), a=0, b=1)
    >>> c[k[0]], c.index, c.a_value, c.b_value
    (1, (0,), 0, 1)
    >>> sc.convolve(x, k)[c.index].xreplace(c), sc.correlate(x, k)[c.index].xreplace(c)
    (0, 1)
    """

    def __init__(self, values: Mapping[sympy.Expr, int], index: tuple[int, ...], a_value: sympy.Expr,
                 b_value: sympy.Expr):
        super().__init__(values)
        self.index, self.a_value, self.b_value = index, a_value, b_value

    def __repr__(self) -> str:
        return f"Counterexample({dict.__repr__(self)}, index={self.index}, a={self.a_value}, b={self.b_value})"


class Mismatches:
    """The ``(index, difference)`` pairs where ``a - b != 0``, built lazily, in row-major order."""

    def __init__(self, diff: Terms):
        self._diff = diff
        counts = diff.counts()
        self._flat = np.flatnonzero(counts)

    def __len__(self) -> int:
        return len(self._flat)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        flat = int(self._flat[i])
        index = tuple(int(v) for v in np.unravel_index(flat, self._diff.shape)) if self._diff.shape else ()
        return index, self._diff.entry(flat)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self) -> str:
        shown = ", ".join(repr(m) for m in self[:3])
        more = f", ... ({len(self)} in all)" if len(self) > 3 else ""
        return f"[{shown}{more}]"


@dataclass(frozen=True, eq=False)
class Verdict:
    r"""Whether two arrays are equal as polynomials for every value of every symbol.

    ``bool(verdict)`` is the answer.  When it is False, ``mismatches`` lists
    where and by how much they differ and ``counterexample`` gives small
    integers that tell them apart.

    Made by :func:`equivalent` (not meant to be built by hand).  The answer
    is exact: it compares the canonical tables of the two arrays.
    Mismatches, differences and the counterexample are worked out lazily,
    when first asked for.  It renders as LaTeX in Jupyter.

    Parameters
    ----------
    equal : bool
        The answer: same shape and equal as polynomials.
    a, b : Terms
        The exact compact forms of the two arrays compared.

    Attributes
    ----------
    equal : bool
        The answer (also ``bool(verdict)``).
    shapes_match : bool
        Whether the two shapes are equal; when not, the verdict is False.
    difference : Terms or None
        The table of ``a - b`` (``None`` when the shapes differ).
    mismatches : Mismatches or list
        ``(index, a[index] - b[index])`` for each differing entry.
    counterexample : Counterexample or None
        Small integers under which ``a`` and ``b`` differ.
    reason : str
        One line: why the verdict is what it is.

    See Also
    --------
    equivalent : makes verdicts.
    Counterexample : the witness of a false verdict.
    symconv.testing.assert_equivalent : a verdict as a test assertion.

    Examples
    --------
    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> v = sc.equivalent(sc.convolve(x, k), sc.correlate(x, k))
    >>> bool(v), v.reason
    (False, '2 of 2 entries differ')
    >>> v
    Verdict(False: 2 of 2 entries differ; first at (0,): a - b = -k[0]*x[0] + k[0]*x[1] + k[1]*x[0] - k[1]*x[1])
    >>> v.mismatches[1]
    ((1,), -k[0]*x[1] + k[0]*x[2] + k[1]*x[1] - k[1]*x[2])
    >>> v.counterexample
    Counterexample({k[0]: 1, k[1]: 0, x[0]: 1, x[1]: 0}, index=(0,), a=0, b=1)
    >>> print(v.latex())
    a \not\equiv b:\quad (a - b)_{0} = - {k}_{0} {x}_{0} + {k}_{0} {x}_{1} + {k}_{1} {x}_{0} - {k}_{1} {x}_{1},\quad
    \text{e.g. } {k}_{0} = 1, {x}_{0} = 1 \text{ gives } 0 \ne 1

    A true verdict, and one for different shapes:

    >>> w = sc.equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k))
    >>> w, w.mismatches, w.counterexample
    (Verdict(True: equivalent, shape (2,), 4 terms), [], None)
    >>> sc.equivalent(x, k)
    Verdict(False: shapes differ: (3,) vs (2,))
    """

    equal: bool
    a: Terms = field(repr=False)
    b: Terms = field(repr=False)

    def __bool__(self) -> bool:
        return self.equal

    @property
    def shapes_match(self) -> bool:
        return self.a.shape == self.b.shape

    @cached_property
    def difference(self) -> Terms | None:
        """The table of ``a - b`` (``None`` when the shapes differ)."""
        if not self.shapes_match:
            return None
        return canonical.add(self.a, canonical.scale(self.b, -1))

    @cached_property
    def mismatches(self) -> Mismatches | list:
        """``(index, a[index] - b[index])`` for every entry that differs (empty when equal).

        Returns
        -------
        Mismatches or list
            A lazy sequence in row-major order (``len``, indexing, slicing,
            iteration; each difference is built as a SymPy expression only
            when that item is asked for); ``[]`` when the arrays are equal or
            their shapes differ.

        Examples
        --------
        >>> import symconv as sc
        >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
        >>> m = sc.equivalent(sc.convolve(x, k), sc.correlate(x, k)).mismatches
        >>> len(m), m[0]
        (2, ((0,), -k[0]*x[0] + k[0]*x[1] + k[1]*x[0] - k[1]*x[1]))
        """
        if self.equal or self.difference is None:
            return []
        return Mismatches(self.difference)

    @cached_property
    def counterexample(self) -> Counterexample | None:
        """Small integers for the symbols under which ``a`` and ``b`` differ (``None`` when equal).

        Returns
        -------
        Counterexample or None
            Values for the symbols of the first mismatching entry, verified by
            substitution; ``None`` when the arrays are equal or their shapes
            differ.

        Examples
        --------
        >>> import symconv as sc
        >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
        >>> c = sc.equivalent(sc.convolve(x, k), sc.correlate(x, k)).counterexample
        >>> c.index, c.a_value != c.b_value
        ((0,), True)
        >>> print(sc.equivalent(x, x).counterexample)
        None
        """
        if self.equal or not self.shapes_match:
            return None
        return find_counterexample(self.a, self.b, self.difference)

    @property
    def reason(self) -> str:
        if self.equal:
            return "equal as polynomials"
        if not self.shapes_match:
            return f"shapes differ: {self.a.shape} vs {self.b.shape}"
        return f"{len(self.mismatches)} of {max(1, prod(self.a.shape))} entries differ"

    def __repr__(self) -> str:
        if self.equal:
            return f"Verdict(True: equivalent, shape {self.a.shape}, {self.a.n_terms:,} terms)"
        if not self.shapes_match:
            return f"Verdict(False: {self.reason})"
        index, diff = self.mismatches[0]
        text = str(diff)
        text = text if len(text) <= 120 else text[:117] + "..."
        return f"Verdict(False: {self.reason}; first at {index}: a - b = {text})"

    def latex(self) -> str:
        r"""The verdict as LaTeX: the statement and, if it fails, the first mismatch.

        Returns
        -------
        str
            LaTeX math (no ``$`` delimiters): ``a \equiv b`` with the shape,
            or ``a \not\equiv b`` with the first mismatch and the
            counterexample (or the two shapes).

        Examples
        --------
        >>> import symconv as sc
        >>> x = sc.tensor("x", (2, 2))
        >>> print(sc.equivalent(x, x).latex())
        a \equiv b \quad \text{(equal as polynomials, shape } 2\times2)
        >>> print(sc.equivalent(x, sc.tensor("y", (2, 3))).latex())
        a \not\equiv b \quad \text{(shapes } 2\times2 \text{ and } 2\times3)
        """
        from .latex.printing import verdict_latex

        return verdict_latex(self)

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.latex() + "$"


def equivalent(a: ArrayLike, b: ArrayLike) -> Verdict:
    """Decide exactly whether `a` and `b` are equal as polynomials for every value of every symbol.

    Accepts symconv arrays, SymPy expressions and arrays, nested lists and
    NumPy arrays.  Different shapes give a false verdict that says so.

    The decision compares the exact canonical forms (expanded, every
    coefficient exact), never samples; ``a == b`` on symconv arrays asks
    the same question.  A plain ``sympy.IndexedBase("x")`` means the same
    tensor as ``symconv.tensor("x", ...)``.

    Parameters
    ----------
    a, b : ArrayLike
        The two arrays (or scalar expressions) to compare.

    Returns
    -------
    Verdict
        True exactly when the shapes match and every entry of ``a - b`` is
        the zero polynomial.

    Raises
    ------
    NotPolynomialError
        An entry is not a polynomial (``sin(a)**2 + cos(a)**2`` is refused,
        not decided).
    ShapeError
        Two different tensors are given the same name, or nested lists are
        ragged.
    InvalidArgumentError
        An input holds NaN or infinity.
    InvalidTypeError
        An input is not an array or expression.

    See Also
    --------
    conditions : when two forms are equal only for some kernels.
    symconv.testing.assert_equivalent : the same as a test assertion.

    Examples
    --------
    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
    >>> bool(sc.equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k)))
    True
    >>> v = sc.equivalent(sc.convolve(x, k), sc.correlate(x, k))
    >>> bool(v), v.mismatches[0][0]
    (False, (0, 0))
    >>> c = v.counterexample
    >>> c.a_value != c.b_value
    True
    >>> import sympy
    >>> a = sympy.Symbol("a")
    >>> bool(sc.equivalent((a + 1)**2, a**2 + 2*a + 1))
    True
    >>> sc.equivalent(sympy.sin(a)**2 + sympy.cos(a)**2, 1)
    Traceback (most recent call last):
    ...
    symconv.errors.NotPolynomialError: a holds cos(a), which is not a polynomial in tensor entries and symbols; ...
    """
    ta, tb = as_terms(a, "a"), as_terms(b, "b")
    return Verdict(ta.shape == tb.shape and canonical.equal(ta, tb), ta, tb)


# -- counterexamples ----------------------------------------------------------------------------
def find_counterexample(a: Terms, b: Terms, diff: Terms) -> Counterexample:
    """Small integers making ``a != b`` at the first mismatching entry, verified by substitution."""
    flat = int(np.flatnonzero(diff.counts())[0])
    lo, hi = diff.starts()[flat], diff.starts()[flat + 1]
    _, mono = canonical.decode(diff.key[lo:hi], diff.radix, diff.degree)
    coefs = diff.coefs()[lo:hi]
    support = [set(int(m) for m in row if m) for row in mono]
    smallest = min(range(len(support)), key=lambda r: (len(support[r]), sorted(support[r])))
    chosen = sorted(support[smallest])
    degree = diff.degree
    for values in itertools.product(range(1, degree + 2), repeat=len(chosen)):
        assign = dict(zip(chosen, values))
        if _value(mono, coefs, assign) != 0:
            break
    else:  # unreachable for a nonzero polynomial (Schwartz-Zippel on the grid 1..degree+1)
        raise AssertionError("no counterexample found for a nonzero difference")
    index = tuple(int(v) for v in np.unravel_index(flat, diff.shape)) if diff.shape else ()
    a, b = canonical.unify(a, b)
    values = {s: 0 for s in sorted(_entry_vars(a, flat) | _entry_vars(b, flat), key=sympy.default_sort_key)}
    values.update({diff.space.element(v - 1): int(val) for v, val in assign.items()})
    a_val, b_val = (t.entry(flat).xreplace(values) for t in (a, b))
    if a_val == b_val:
        raise AssertionError(f"counterexample {values} failed verification: both sides are {a_val}")
    return Counterexample(values, index, a_val, b_val)


def _value(mono, coefs, assign):
    total = sympy.S.Zero
    for row, c in zip(mono, coefs):
        term = canonical.to_sympy_number(c)
        for m in row:
            if m:
                term *= assign.get(int(m), 0)
        total += term
    return total


def _entry_vars(t: Terms, flat: int) -> set:
    """The variables (SymPy elements) entry `flat` of `t` uses."""
    lo, hi = t.starts()[flat], t.starts()[flat + 1]
    _, mono = canonical.decode(t.key[lo:hi], t.radix, t.degree)
    return {t.space.element(int(m) - 1) for m in np.unique(mono) if m}


# -- conditions ------------------------------------------------------------------------------
#: most unknowns `conditions` solves for (exact elimination is cubic in them)
MAX_UNKNOWNS = 20_000
#: unknowns the dense fallback (complex or symbolic coefficients) solves for
MAX_DENSE_UNKNOWNS = 4096


def conditions(a: ArrayLike, b: ArrayLike, over: ArrayLike | str | sympy.IndexedBase | sympy.Symbol
               ) -> list[sympy.Equality] | Literal[False]:
    """The equations on the entries of `over` under which ``a == b`` for all values of the other symbols.

    ``a - b`` is collected by the monomials in the other symbols; every
    coefficient (linear in the entries of `over`) must vanish.  The system is
    solved exactly and returned reduced: a list of ``sympy.Eq(pivot, rest)``
    with each pivot the lowest-indexed entry it determines.  Empty when
    ``a == b`` already; ``False`` when no values of `over` work.

    Parameters
    ----------
    a, b : ArrayLike
        The two arrays, of equal shape.
    over : ArrayLike, str, sympy.IndexedBase or sympy.Symbol
        The unknowns: a tensor of symbols (``over=k`` for
        ``k = symconv.tensor("k", shape)``), or the name of a tensor that
        `a` or `b` uses (``"k"``, ``sympy.IndexedBase("k")``).  At most
        20,000 entries (4,096 when a coefficient is not a rational number).

    Returns
    -------
    list of sympy.Eq, or False
        The reduced equations (``[]`` when ``a == b`` for every value of
        `over`), or ``False`` when no values of `over` make them equal.

    Raises
    ------
    InvalidArgumentError
        The shapes of `a` and `b` differ; `over` names no single tensor of
        `a` or `b`, or is not a tensor of symbols; ``a - b`` is not linear
        in the entries of `over`; an input holds NaN or infinity.
    TooLargeError
        `over` has more than 4096 entries.
    NotPolynomialError
        An entry of `a` or `b` is not a polynomial.
    ShapeError
        Two different tensors are given the same name, or nested lists are
        ragged.
    InvalidTypeError
        An input is not an array or expression.

    See Also
    --------
    equivalent : whether ``a == b`` for every value of every symbol.

    Examples
    --------
    Convolution and correlation agree exactly for centro-symmetric kernels:

    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (3, 3))
    >>> sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=k)
    [Eq(k[0, 0], k[2, 2]), Eq(k[0, 1], k[2, 1]), Eq(k[0, 2], k[2, 0]), Eq(k[1, 0], k[1, 2])]
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> sc.conditions(sc.correlate(x, k), sc.convolve(x, k), over="k")
    [Eq(k[0], k[1])]
    >>> sc.conditions(sc.correlate(x, k), sc.im2col_matmul(x, k), over=k)
    []
    >>> sc.conditions(sc.correlate(x, k) + 1, sc.convolve(x, k), over=k)
    False
    """
    ta, tb = as_terms(a, "a"), as_terms(b, "b")
    if ta.shape != tb.shape:
        raise InvalidArgumentError(f"a has shape {ta.shape} and b has shape {tb.shape}; expected equal shapes "
                                   f"(no values of the symbols make arrays of different shapes equal)")
    diff = canonical.add(ta, canonical.scale(tb, -1))
    over_terms = _over_variables(over, diff.space)
    space = union(diff.space, over_terms.space)
    diff = diff.to_space(space)
    unknowns = np.unique(over_terms.to_space(space).decode()[1][:, -1] - 1)
    if len(unknowns) > MAX_UNKNOWNS:
        raise TooLargeError(f"over has {len(unknowns):,} entries; conditions() solves for at most {MAX_UNKNOWNS:,}")
    rows = _coefficient_rows(diff, unknowns)
    return _solve(rows, [space.element(int(v)) for v in unknowns])


def _over_variables(over, space):
    """The unknowns: a tensor of symbols, or the name of one (``IndexedBase('k')``, ``'k'``) that a or b uses."""
    if isinstance(over, (sympy.IndexedBase, str, sympy.Symbol)):
        name = over if isinstance(over, str) else (over.label.name if isinstance(over, sympy.IndexedBase) else over.name)
        blocks = [b for b in space.blocks if isinstance(b, TensorBlock) and b.label.name == name]
        if len(blocks) != 1:
            used = ", ".join(sorted({b.label.name for b in space.blocks if isinstance(b, TensorBlock)})) or "none"
            raise InvalidArgumentError(f"over={describe(over)} names no single tensor of a or b (their tensors: {used}); "
                                       f"expected over=k with k = sc.tensor('k', shape), or the name of a tensor they use")
        return canonical.identity(blocks[0].label, blocks[0].shape)
    t = as_terms(over, "over")
    _, mono = t.decode()
    if t.degree != 1 or mono.size == 0 or np.any(mono == 0) or np.any(t.counts() != 1) or t.coef is not None:
        raise InvalidArgumentError(f"over={over!r} is not a tensor of symbols; expected e.g. over=k with k = sc.tensor('k', (3, 3))")
    return t


def _coefficient_rows(diff: Terms, unknowns: np.ndarray):
    """One equation per (entry, monomial in the other symbols): coefficients on the unknowns plus a constant."""
    if diff.n_terms == 0:
        return []
    out, mono = diff.decode()
    is_unknown = np.isin(mono - 1, unknowns) & (mono > 0)
    if np.any(is_unknown.sum(axis=1) > 1):
        raise InvalidArgumentError("a - b is not linear in the entries of over; conditions() solves linear systems only")
    column = np.where(is_unknown.any(axis=1), np.searchsorted(unknowns, np.where(is_unknown, mono - 1, -1).max(axis=1, initial=-1)), len(unknowns))
    rest = np.where(is_unknown, 0, mono)
    rest.sort(axis=1)
    groups: dict = {}
    for o, r, col, c in zip(out, map(tuple, rest), column, diff.coefs()):
        groups.setdefault((int(o), r), {})[int(col)] = canonical.to_sympy_number(c)
    unique_rows = {tuple(sorted(row.items())) for row in groups.values()}
    # a deterministic order that never compares two coefficients as numbers (complex ones have no order)
    return [dict(r) for r in sorted(unique_rows, key=lambda r: [(col, sympy.default_sort_key(c)) for col, c in r])]


def _solve(rows, unknowns):
    """The reduced row echelon form of the system, as ``Eq(pivot, rest)``; ``False`` when it is inconsistent.

    Exact rational systems are solved sparsely (SymPy's ``DomainMatrix`` over QQ, a few ms for hundreds of
    unknowns); anything else (complex, symbolic coefficients) by the dense ``Matrix.rref``.
    """
    if not rows:
        return []
    if all(isinstance(c, sympy.Rational) for row in rows for c in row.values()):
        return _solve_sparse(rows, unknowns)
    return _solve_dense(rows, unknowns)


def _solve_sparse(rows, unknowns):
    from sympy.polys.domains import QQ
    from sympy.polys.matrices import DomainMatrix

    n = len(unknowns)
    entries = {r: {col: QQ(int(c.p), int(c.q)) for col, c in row.items() if c != 0} for r, row in enumerate(rows)}
    reduced, pivots = DomainMatrix(entries, (len(rows), n + 1), QQ).rref()
    if n in pivots:
        return False
    sparse = reduced.to_dod()
    equations = []
    for r, p in enumerate(pivots):
        row = sparse.get(r, {})
        rest = sympy.Add(*[-QQ.to_sympy(v) * unknowns[c] for c, v in sorted(row.items()) if p < c < n])
        const = QQ.to_sympy(row.get(n, QQ(0)))
        equations.append(sympy.Eq(unknowns[p], rest - const, evaluate=False))
    return equations


def _solve_dense(rows, unknowns):
    n = len(unknowns)
    if n > MAX_DENSE_UNKNOWNS:
        raise TooLargeError(f"the system has {n:,} unknowns and coefficients that are not rational numbers; "
                            f"conditions() solves such systems for at most {MAX_DENSE_UNKNOWNS:,} unknowns")
    matrix = sympy.zeros(len(rows), n + 1)
    for r, row in enumerate(rows):
        for col, c in row.items():
            matrix[r, col] = c
    reduced, pivots = matrix.rref()
    if n in pivots:
        return False
    equations = []
    for r, p in enumerate(pivots):
        rest = sympy.Add(*[-reduced[r, c] * unknowns[c] for c in range(p + 1, n) if reduced[r, c] != 0])
        equations.append(sympy.Eq(unknowns[p], rest - reduced[r, n], evaluate=False))
    return equations
