"""Index formulas (``Sum`` of products of ``Indexed``), and their exact tables at concrete sizes.

A formula such as ``C[m, n] = Sum(A[m + u, n + v]*B[u, v], (u, -oo, oo), (v, -oo, oo))`` fixes
how each output entry is computed but leaves the sizes open.  :func:`instantiate` picks sizes,
reads the unbounded sums over the support of the tensor they index on their own (the kernel),
takes the outputs for which every read falls inside its tensor (SciPy's ``'valid'``), and builds
the exact table that :mod:`symconv.identify` compares with each candidate operation.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy

from . import canonical
from .errors import InvalidArgumentError
from .space import AtomBlock, TensorBlock, VarSpace, union


class FormulaError(InvalidArgumentError):
    """A formula that reads fine but cannot be evaluated (a sum whose range nothing fixes, ...).

    Raised when a formula is taken apart or instantiated at concrete sizes (an output index no tensor
    reads, a sum range that depends on another index, ...); :func:`symconv.identify` reports it as
    ``kind='unknown'`` with the message as ``detail`` instead of raising it.
    """


@dataclass(frozen=True)
class Claim:
    """Operator notation found in a formula: ``(I * K)(i,j)`` claims that the result is a convolution."""

    kind: str   # "convolution", "correlation" or "hadamard"
    a: str
    b: str
    pos: int = 0


@dataclass(frozen=True)
class Formula:
    r"""A parsed formula: the result's `name` (or None), its `definition`, operator `claims`, the `source`.

    What :func:`symconv.latex.read_latex` returns and what :func:`symconv.identify` reads a formula into
    (kept as :attr:`Identification.formula <symconv.identify.Identification>`).  Immutable and hashable;
    a SymPy ``Eq(name, definition)`` or a bare definition given to :func:`~symconv.identify` is read as
    one.

    Parameters
    ----------
    name : sympy.Expr or None
        The result with its output indices, ``y[n]`` or ``C[m, n]`` (an ``Indexed``); ``None`` when the
        formula is a bare definition (the output indices are then its free indices).
    definition : sympy.Expr
        The right side: a ``Sum`` (or sum of ``Sum``) of products of ``Indexed``, index symbols integers;
        an unbounded sum runs over ``(-oo, oo)``.
    claims : tuple of Claim, default ()
        The operator notation found in the source, such as ``(I * K)(i, j)``: what the formula *says* it
        computes (``Claim(kind, a, b, pos)``), which :func:`~symconv.identify` checks against what it does.
    source : str, default ""
        The LaTeX it was read from.

    Attributes
    ----------
    expr : sympy.Expr or sympy.Equality
        ``Eq(name, definition)`` when the formula names its result, else the definition.

    Examples
    --------
    >>> import sympy, symconv as sc
    >>> x, w, y = sympy.IndexedBase("x"), sympy.IndexedBase("w"), sympy.IndexedBase("y")
    >>> n, m = sympy.symbols("n m", integer=True)
    >>> f = sc.Formula(y[n], sympy.Sum(x[n + m] * w[m], (m, 0, 2)))
    >>> f.expr
    Eq(y[n], Sum(w[m]*x[m + n], (m, 0, 2)))
    >>> sc.identify(f)
    Identification(kind='correlation', params={'stride': (1,), 'dilation': (1,)}, input='x', kernel='w')
    >>> sc.Formula(None, f.definition).expr
    Sum(w[m]*x[m + n], (m, 0, 2))

    Read from LaTeX, with the claim its operator notation makes:

    >>> from symconv.latex import read_latex
    >>> g = read_latex(r"y_n = (x * w)_n = \sum_m x_{n-m} w_m")
    >>> g.name, g.definition
    (y[n], Sum(w[m]*x[-m + n], (m, -oo, oo)))
    >>> g.claims
    (Claim(kind='convolution', a='x', b='w', pos=9),)
    >>> sc.identify(g.source).formula == g, g in {g}
    (True, True)
    """

    name: sympy.Expr | None
    definition: sympy.Expr
    claims: tuple[Claim, ...] = ()
    source: str = ""

    @property
    def expr(self):
        """``Eq(name, definition)`` when the formula names its result, else the definition."""
        if self.name is None:
            return self.definition
        return sympy.Eq(self.name, self.definition, evaluate=False)


def as_formula(obj) -> Formula:
    """A :class:`Formula` of a ``Formula``, an ``Eq(name, definition)`` or a bare expression."""
    if isinstance(obj, Formula):
        return obj
    if isinstance(obj, sympy.Equality):
        return Formula(obj.lhs, obj.rhs)
    return Formula(None, sympy.sympify(obj))


# -- terms ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """``coef * prod(reads)`` summed over `sums`; a read is ``(label, index expressions)``."""

    coef: sympy.Expr
    reads: tuple
    sums: tuple


@dataclass
class Structure:
    """A formula taken apart: its terms, the sums' ranges, output indices and parameters."""

    terms: list
    ranges: dict                # sum variable -> (lo, hi), oo for unbounded
    outputs: tuple              # output index symbols, in order
    params: tuple               # other symbols (sizes, stride, dilation)
    labels: dict = field(default_factory=dict)   # tensor label -> ndim


def structure(f: Formula) -> Structure:
    """The terms, sum ranges, outputs and parameters of `f`.

    >>> from symconv.latex import parse_latex
    >>> s = structure(as_formula(parse_latex(r"y_n = \\sum_{m=0}^{k-1} x_{s n + m} w_m + b")))
    >>> s.outputs, s.params, s.ranges
    ((n,), (k, s), {m: (0, k - 1)})
    """
    ranges: dict = {}
    terms = _flatten(sympy.expand(f.definition) if not f.definition.has(sympy.Sum) else f.definition, ranges)
    labels: dict = {}
    for t in terms:
        for label, idx in t.reads:
            if labels.setdefault(label, len(idx)) != len(idx):
                raise FormulaError(f"tensor {label} is read with {labels[label]} and with {len(idx)} indices")
    index_syms = set()
    for t in terms:
        for _, idx in t.reads:
            for e in idx:
                index_syms |= e.free_symbols
    bound_syms = set().union(*[sympy.sympify(lo).free_symbols | sympy.sympify(hi).free_symbols
                               for lo, hi in ranges.values()]) if ranges else set()
    if f.name is not None and isinstance(f.name, sympy.Indexed):
        outputs = tuple(f.name.indices)
        for o in outputs:
            if not isinstance(o, sympy.Symbol):
                raise FormulaError(f"the result's index {o} should be an index name")
        if set(outputs) & set(ranges):
            raise FormulaError(f"{sorted(set(outputs) & set(ranges), key=str)[0]} is both an output index and summed over")
    else:
        outputs = tuple(sorted(_linear_indices(terms, index_syms - set(ranges) - bound_syms), key=_first_seen(terms)))
    unused = [o for o in outputs if o not in index_syms]
    if unused:
        raise FormulaError(f"the output index {unused[0]} is not used by any tensor read")
    for var, (lo, hi) in ranges.items():
        if (sympy.sympify(lo).free_symbols | sympy.sympify(hi).free_symbols) & (set(outputs) | set(ranges)):
            raise FormulaError(f"the range of {var} depends on another index; symconv reads sums over fixed ranges")
    everything = set(index_syms) | bound_syms
    for t in terms:
        everything |= {s for s in t.coef.free_symbols if s.is_integer}
    params = tuple(sorted(everything - set(outputs) - set(ranges), key=str))
    for t in terms:
        used = set().union(*[e.free_symbols for _, idx in t.reads for e in idx]) | t.coef.free_symbols
        stray = (used & set(ranges)) - set(t.sums)
        if stray:
            raise FormulaError(f"{sorted(stray, key=str)[0]} is used outside the sum over it")
    return Structure(terms, ranges, outputs, params, labels)


def _flatten(expr, ranges) -> list:
    if isinstance(expr, sympy.Add):
        return [t for a in expr.args for t in _flatten(a, ranges)]
    if isinstance(expr, sympy.Sum):
        body = expr.function
        names = []
        for var, lo, hi in expr.limits:
            if var in ranges:  # the same letter summed twice: rename this one
                new = sympy.Dummy(var.name, integer=True)
                body = body.xreplace({var: new})
                var = new
            ranges[var] = (lo, hi)
            names.append(var)
        return [Term(t.coef, t.reads, tuple(names) + t.sums) for t in _flatten(body, ranges)]
    if isinstance(expr, sympy.Mul):
        out = [Term(sympy.Integer(1), (), ())]
        for a in expr.args:
            out = [Term(p.coef * q.coef, p.reads + q.reads, p.sums + q.sums) for p in out for q in _flatten(a, ranges)]
        return out
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 0:
        if expr.base.has(sympy.Sum):
            raise FormulaError("a power of a sum is not a bilinear formula")
        base = _flatten(expr.base, ranges)
        out = [Term(sympy.Integer(1), (), ())]
        for _ in range(int(expr.exp)):  # like terms merged at each step: (a+b+c)^3 has 10 terms, not 27
            out = _merge([Term(p.coef * q.coef, p.reads + q.reads, p.sums + q.sums) for p in out for q in base])
        return out
    if isinstance(expr, sympy.Indexed):
        return [Term(sympy.Integer(1), ((expr.base.label, tuple(sympy.sympify(i) for i in expr.indices)),), ())]
    return [Term(expr, (), ())]


def _merge(terms) -> list:
    """`terms` with those of the same reads, sums and symbols merged (their numbers added), in first-seen order."""
    merged: dict = {}
    for t in terms:
        number, rest = t.coef.as_coeff_Mul()
        key = (tuple(sorted(map(str, t.reads))), t.sums, rest)
        if key in merged:
            first, total = merged[key]
            merged[key] = (first, total + number)
        else:
            merged[key] = (t, number)
    out = []
    for (_, _, rest), (first, number) in merged.items():
        if number != 0:
            out.append(Term(number * rest, first.reads, first.sums))
    return out


def _linear_indices(terms, candidates) -> set:
    """Symbols that appear on their own (coefficient 1) in some index: the output indices."""
    found = set()
    for t in terms:
        for _, idx in t.reads:
            for e in idx:
                for s in candidates & e.free_symbols:
                    if sympy.Poly(e, *sorted(e.free_symbols, key=str)).coeff_monomial(s) != 0 and \
                            sympy.diff(e, s).is_Integer:
                        found.add(s)
    return found


def _first_seen(terms):
    order = {}
    for t in terms:
        for _, idx in t.reads:
            for e in idx:
                for s in sorted(e.free_symbols, key=str):
                    order.setdefault(s, len(order))
    return lambda s: order.get(s, len(order))


# -- concrete sizes -----------------------------------------------------------------------
@dataclass
class Instance:
    """A formula at concrete sizes: its exact table and the geometry it was read with."""

    table: canonical.Terms
    shapes: dict        # label -> shape
    shifts: dict        # label -> per-axis offset subtracted from the written index
    values: dict        # parameter -> value
    ranges: dict        # sum variable -> (lo, hi) as integers
    out_start: tuple    # the written output index of entry 0
    structure: Structure


def instantiate(f: Formula, *, kernel: int = 3, outputs: int = 4, values: dict | None = None) -> Instance:
    """The exact table of `f` with parameters `values` (default 2, 3, ... in order; sizes in sum bounds 3),
    kernels of `kernel` taps where a sum is unbounded, and `outputs` valid outputs per axis."""
    s = structure(f)
    values = dict(values or {})
    bound_params = set()
    for lo, hi in s.ranges.values():
        bound_params |= sympy.sympify(lo).free_symbols | sympy.sympify(hi).free_symbols
    default = itertools.count(2)
    for p in s.params:
        if p not in values:
            values[p] = kernel if p in bound_params else next(default)
    values = {p: sympy.Integer(v) for p, v in values.items()}
    ranges = _ranges(s, values, kernel)
    _check_work(s, ranges, outputs)
    reads = _reads(s, values)
    shapes, shifts, out_ranges = _geometry(s, reads, ranges, outputs)
    _check_elements(shapes)
    table = _table(s, values, ranges, reads, shapes, shifts, out_ranges)
    return Instance(table, shapes, shifts, values, ranges, tuple(lo for lo, _ in out_ranges), s)


#: products evaluated when a formula is instantiated (as integer arrays: 200,000 take about 0.1 s)
MAX_PRODUCTS = 200_000
#: products built one by one in SymPy, when a coefficient is not a number times symbols (about 1 ms each)
MAX_SYMPY_PRODUCTS = 10_000


def _check_work(s: Structure, ranges, n_out) -> None:
    """Refuse, with an estimate, a formula whose sums are too long to expand."""
    entries = 1
    for k in range(len(s.outputs)):
        entries *= n_out + k
    work = 0
    for t in s.terms:
        n = 1
        for v in t.sums:
            n *= max(0, ranges[v][1] - ranges[v][0] + 1)
        work += n
    if work * entries > MAX_PRODUCTS:
        from .errors import TooLargeError

        longest = max(ranges, key=lambda v: ranges[v][1] - ranges[v][0]) if ranges else None
        raise TooLargeError(f"the formula would expand to about {work * entries:,} products at the sizes tried "
                            f"(the sum over {longest} alone has {ranges[longest][1] - ranges[longest][0] + 1:,} terms); "
                            f"symconv expands at most {MAX_PRODUCTS:,}")


def _ranges(s: Structure, values, kernel) -> dict:
    """Integer ranges of the sums; an unbounded one runs over the support of a tensor it indexes alone."""
    out = {}
    for var, (lo, hi) in s.ranges.items():
        lo, hi = sympy.expand(sympy.sympify(lo).xreplace(values)), sympy.expand(sympy.sympify(hi).xreplace(values))
        if lo.is_finite and hi.is_finite:
            if not (lo.is_Integer and hi.is_Integer):
                raise FormulaError(f"the bounds of {var}, {lo}..{hi}, are not whole numbers")
            if hi < lo:
                raise FormulaError(f"the sum over {var} is empty ({lo}..{hi})")
            out[var] = (int(lo), int(hi))
            continue
        if lo.is_finite or hi.is_finite:
            raise FormulaError(f"the sum over {var} is bounded on one side only")
        for t in s.terms:
            for _, idx in t.reads:
                for e in idx:
                    e = e.xreplace(values)
                    if e.free_symbols == {var} and sympy.diff(e, var) in (1, -1):
                        c = int(e.xreplace({var: 0}))
                        a = int(sympy.diff(e, var))
                        out[var] = (-c, kernel - 1 - c) if a == 1 else (c - kernel + 1, c)
                        break
                if var in out:
                    break
            if var in out:
                break
        else:
            raise FormulaError(f"nothing fixes the range of the sum over {var}: no tensor is indexed by {var} alone; "
                               f"give its bounds, e.g. \\sum_{{{var}=0}}^{{k-1}}")
    return out


def _reads(s: Structure, values) -> dict:
    """label -> list of (index polynomials with parameters substituted)."""
    out: dict = {}
    for t in s.terms:
        for label, idx in t.reads:
            out.setdefault(label, []).append(tuple(sympy.expand(e.xreplace(values)) for e in idx))
    return out


#: integers up to this size are computed in int64; larger ones (an index 2^63, an offset 10^30) in Python ints
_SMALL = 2**62


def _axis(lo: int, hi: int) -> np.ndarray:
    """``lo .. hi`` as an integer array (Python ints when the ends do not fit in int64)."""
    if max(abs(lo), abs(hi)) < _SMALL:
        return np.arange(lo, hi + 1, dtype=np.int64)
    return np.array(range(lo, hi + 1), dtype=object)


def _largest(grids) -> int:
    return max([1] + [max(abs(int(g.min())), abs(int(g.max()))) for g in grids if g.size])


def _eval_grid(e, names, grids):
    """`e` (an integer polynomial) evaluated on broadcast NumPy integer grids.

    In int64 when every term is bounded by ``2**62`` (the bound is computed first, from the
    coefficients and the largest grid value), else exactly in Python ints.
    """
    shape = np.broadcast_shapes(*[g.shape for g in grids]) if grids else ()
    poly = sympy.Poly(e, *names) if names else None
    if poly is None:
        value = int(e)
        return np.full(shape, value, dtype=np.int64 if abs(value) < _SMALL else object)
    terms = poly.terms()
    for _, coef in terms:
        if not coef.is_Integer:
            raise FormulaError(f"the index {e} is not a whole number for all indices")
    big = _largest(grids)
    small = sum(abs(int(c)) * big ** sum(m) for m, c in terms) < _SMALL
    if not small:
        grids = [g.astype(object) for g in grids]
    total = 0
    for monom, coef in terms:
        term = int(coef)
        for g, p in zip(grids, monom):
            if p:
                term = term * g ** p
        total = total + term
    return np.broadcast_to(np.asarray(total, dtype=np.int64 if small else object), shape)


def _geometry(s: Structure, reads, ranges, n_out):
    """Shapes and index shifts of the tensors, and each output index's range.

    Output index number ``k`` runs over ``0 .. n_out + k - 1``; every tensor axis is then sized and
    shifted to hold exactly the entries read, so each output reads only inside the tensors ('valid').
    Each index is evaluated over the sums it uses only (a grid over all the formula's sums at once
    would grow with their product, not their sum).
    """
    lengths = {o: n_out + k for k, o in enumerate(s.outputs)}
    shapes, shifts = {}, {}
    for label, rows in reads.items():
        shape, shift = [], []
        for a in range(len(rows[0])):
            exprs = list(dict.fromkeys(r[a] for r in rows))
            outs = set().union(*[e.free_symbols for e in exprs]) & set(s.outputs)
            if len(outs) > 1:
                raise FormulaError(f"an index of {label} mixes the outputs {', '.join(sorted(map(str, outs)))}")
            step, length = 0, 1
            if outs:
                o = outs.pop()
                slopes = {sympy.diff(e, o) for e in exprs}
                slope = next(iter(slopes))
                if len(slopes) != 1 or not slope.is_Integer or slope < 1:
                    raise FormulaError(f"the index of {label} along axis {a} does not step forward with {o}")
                step, length = int(slope), lengths[o]
                exprs = list(dict.fromkeys(e.xreplace({o: sympy.Integer(0)}) for e in exprs))
            lo = hi = None
            for e in exprs:
                names = [v for v in ranges if v in e.free_symbols]
                grids = [g.reshape(-1) for g in np.meshgrid(*[_axis(*ranges[v]) for v in names], indexing="ij")]
                vals = _eval_grid(e, names, grids)
                lo = int(vals.min()) if lo is None else min(lo, int(vals.min()))
                hi = int(vals.max()) if hi is None else max(hi, int(vals.max()))
            shape.append(hi - lo + 1 + step * (length - 1))
            shift.append(lo)
        shapes[label], shifts[label] = tuple(shape), tuple(shift)
    return shapes, shifts, [(0, lengths[o] - 1) for o in s.outputs]



#: entries of all tensors together at the sizes tried (a dilation of 10^9 would need 2·10^9 of them)
MAX_ELEMENTS = 4_000_000


def _check_elements(shapes) -> None:
    """Refuse, before any table, tensors too large to compare (their size comes from the numbers written)."""
    sizes = {label: math.prod(shape) for label, shape in shapes.items()}
    if sum(sizes.values()) > MAX_ELEMENTS:
        from .errors import TooLargeError

        label = max(sizes, key=sizes.get)
        raise TooLargeError(f"at the sizes tried, {label} would have shape {shapes[label]} ({sizes[label]:,} entries; "
                            f"the stride, dilation or offsets written make it that large); symconv compares tensors of "
                            f"at most {MAX_ELEMENTS:,} entries in all")


def _table(s: Structure, values, ranges, reads, shapes, shifts, out_ranges) -> canonical.Terms:
    """The exact table: entry ``o`` is the formula at output ``out_start + o``."""
    out_shape = tuple(hi - lo + 1 for lo, hi in out_ranges)
    n_entries = int(np.prod(out_shape)) if out_shape else 1
    if n_entries > 4096:
        raise FormulaError(f"the formula has {n_entries} outputs at the sizes tried; expected at most 4096")
    fast = _table_arrays(s, values, ranges, shapes, shifts, out_ranges, out_shape)
    if fast is not None:
        return fast
    return _table_sympy(s, values, ranges, shapes, shifts, out_ranges, out_shape)


def _table_arrays(s: Structure, values, ranges, shapes, shifts, out_ranges, out_shape):
    """The table built from integer arrays (every product of a term at once, no SymPy object per product).

    A term's coefficient is a number times a polynomial in the indices times symbols that are not
    indices (``V``, ``b``; variables of the table, as :func:`canonical.from_entries` makes them).
    Returns None for anything else, which :func:`_table_sympy` then builds; both give the same table.
    """
    plans = []
    atoms: dict = {}
    for t in s.terms:
        names = list(s.outputs) + list(t.sums)
        plan = _term_plan(t, names, values)
        if plan is None:
            return None
        plans.append((t, names) + plan)
        for a in plan[2]:
            atoms.setdefault(AtomBlock(a).ident, AtomBlock(a))
    space = VarSpace.of([TensorBlock(label, shapes[label], True) for label in shapes] + list(atoms.values()))
    offset = {block.ident: off for block, off in zip(space.blocks, space.offsets)}
    degree = max((len(t.reads) + len(plan_atoms) for t, _, _, _, plan_atoms, _ in plans), default=0)
    outs, monos, coefs = [], [], []
    grids_of: dict = {}   # the terms of a formula share their sums and index expressions: each is built once
    flats: dict = {}
    for t, names, number, dep, plan_atoms, indices in plans:
        key = tuple(names)
        if key not in grids_of:
            axes = [_axis(lo, hi) for lo, hi in out_ranges] + [_axis(*ranges[v]) for v in t.sums]
            grids = [g.reshape(-1) for g in np.meshgrid(*axes, indexing="ij")] if axes else []
            n = math.prod(len(a) for a in axes)
            out = np.zeros(n, dtype=np.int64)
            for (lo, _), length, g in zip(out_ranges, out_shape, grids):
                out = out * length + (g - lo).astype(np.int64)
            grids_of[key] = grids, n, out
        grids, n, out = grids_of[key]
        if n == 0 or number == 0:
            continue
        mono = np.zeros((n, degree), dtype=np.int64)
        column = degree - 1
        for (label, _), idx in zip(t.reads, indices):
            if (label, tuple(idx), key) not in flats:
                flat = np.zeros(n, dtype=np.int64)
                for a, e in enumerate(idx):
                    v = np.broadcast_to(_eval_grid(e, names, grids), (n,)) - shifts[label][a]
                    if int(v.min()) < 0 or int(v.max()) >= shapes[label][a]:
                        raise FormulaError(f"{label} is read outside its shape {shapes[label]} at the sizes tried")
                    flat = flat * shapes[label][a] + v.astype(np.int64)
                flats[(label, tuple(idx), key)] = offset[("tensor", label.name, len(idx))] + flat + 1
            mono[:, column] = flats[(label, tuple(idx), key)]
            column -= 1
        for a in plan_atoms:
            mono[:, column] = offset[AtomBlock(a).ident] + 1
            column -= 1
        outs.append(out)
        monos.append(mono)
        coefs.append(_coef_grid(number, dep, names, grids, n))
    if not outs:
        return canonical.zeros(out_shape, space)
    out = np.concatenate(outs)
    mono = np.sort(np.concatenate(monos), axis=1) if degree > 1 else np.concatenate(monos)
    coef = np.concatenate(coefs)
    key = canonical.encode(out, mono, space.size + 1, math.prod(out_shape))
    return canonical.from_keys(out_shape, space, degree, key, coef, any_top=False)


def _term_plan(t: Term, names, values):
    """``(number, polynomial in the indices, other symbols repeated by power, index expressions)`` of the
    term `t` with the parameters `values` substituted, or None when it is not of that form."""
    index_names = set(names)
    indices = [[sympy.expand(e.xreplace(values)) for e in idx] for _, idx in t.reads]
    if any(not e.free_symbols <= index_names for idx in indices for e in idx):
        return None
    coef = sympy.expand(t.coef.xreplace(values))
    if coef.is_Add:
        return None
    number, rest = coef.as_coeff_Mul()
    if not (number.is_Rational or number.is_Float):
        return None
    dep, atoms = sympy.Integer(1), []
    for f in sympy.Mul.make_args(rest):
        base, exp = f.as_base_exp()
        if f.free_symbols <= index_names:
            dep = dep * f
        elif isinstance(base, sympy.Symbol) and exp.is_Integer and exp > 0:
            atoms += [base] * int(exp)
        else:
            return None
    try:
        poly = sympy.Poly(dep, *names) if names else None
    except sympy.PolynomialError:
        return None
    if poly is None:
        if not dep.is_Rational:
            return None
        number, dep = number * dep, sympy.Integer(1)
    elif not all(c.is_Rational for c in poly.coeffs()):
        return None
    return number, dep, atoms, indices


def _coef_grid(number, dep, names, grids, n) -> np.ndarray:
    """``number * dep`` at every grid point (`dep` a rational polynomial in the indices): int64 when whole
    and small, else exact objects (floats stay floats)."""
    if number.is_Float:
        number = float(number)
    elif number.is_Integer:
        number = int(number)
    else:
        number = Fraction(int(number.p), int(number.q))
    if dep == 1:
        if isinstance(number, int) and abs(number) < _SMALL:
            return np.full(n, number, dtype=np.int64)
        return np.full(n, number, dtype=object)
    poly = sympy.Poly(dep, *names)
    den = math.lcm(*[int(c.q) for c in poly.coeffs()])
    numer = sympy.Poly({m: c * den for m, c in poly.terms()}, *names).as_expr()
    values = np.broadcast_to(_eval_grid(numer, names, grids), (n,))
    if den == 1 and isinstance(number, int) and values.dtype == np.int64 and \
            abs(number) * int(np.abs(values).max(initial=0)) < _SMALL:
        return np.array(values) * number
    return np.array([number * Fraction(int(v), den) for v in values], dtype=object)


def _product_count(s: Structure, ranges, out_shape) -> int:
    """How many products the SymPy expansion of `s` builds at these ranges and outputs."""
    return math.prod(out_shape) * sum(math.prod(ranges[v][1] - ranges[v][0] + 1 for v in t.sums) for t in s.terms)


def _sympy_entries(s: Structure, values, ranges, out_ranges, element) -> list:
    """Each output entry of `s` built product by product in SymPy, at outputs ``out_ranges`` and sums over
    `ranges`; ``element(label, indices)`` is the tensor entry a read gives, or None where the read contributes
    nothing (the term is dropped)."""
    fixed = {p: sympy.Integer(v) for p, v in values.items()}
    entries = []
    for out in itertools.product(*[range(lo, hi + 1) for lo, hi in out_ranges]):
        env = {o: sympy.Integer(v) for o, v in zip(s.outputs, out)}
        env.update(fixed)
        total = []
        for t in s.terms:
            for combo in itertools.product(*[range(ranges[v][0], ranges[v][1] + 1) for v in t.sums]):
                local = dict(env)
                local.update({v: sympy.Integer(c) for v, c in zip(t.sums, combo)})
                factors = [t.coef.xreplace(local)]
                for label, idx in t.reads:
                    entry = element(label, tuple(int(e.xreplace(local)) for e in idx))
                    if entry is None:
                        break
                    factors.append(entry)
                else:
                    total.append(sympy.Mul(*factors))
        entries.append(sympy.Add(*total))
    return entries


def _table_sympy(s: Structure, values, ranges, shapes, shifts, out_ranges, out_shape) -> canonical.Terms:
    """The table built product by product in SymPy (a coefficient :func:`_table_arrays` does not take apart);
    about a millisecond per product, so at most :data:`MAX_SYMPY_PRODUCTS` of them."""
    products = _product_count(s, ranges, out_shape)
    if products > MAX_SYMPY_PRODUCTS:
        from .errors import TooLargeError

        raise TooLargeError(f"the formula would expand to {products:,} products at the sizes tried, each built in "
                            f"SymPy (its coefficients are not numbers or symbols); symconv builds at most "
                            f"{MAX_SYMPY_PRODUCTS:,} that way")
    bases = {label: sympy.IndexedBase(label) for label in shapes}

    def element(label, at):
        at = tuple(v - shift for v, shift in zip(at, shifts[label]))
        if not all(0 <= v < n for v, n in zip(at, shapes[label])):
            raise FormulaError(f"{label} is read outside its shape {shapes[label]} at the sizes tried")
        return bases[label][at]

    entries = _sympy_entries(s, values, ranges, out_ranges, element)
    table = canonical.from_entries(out_shape, entries)
    exact = VarSpace.of([TensorBlock(label, shapes[label], True) for label in shapes])
    return table.to_space(union(table.space, exact))


def zero_extended(f: Formula, shapes: dict, out_ranges, values: dict | None = None) -> canonical.Terms:
    """The table of `f` read as the textbook reads ``y[n] = \\sum_k x[k] h[n-k]``: every tensor zero outside `shapes`.

    `shapes` maps each tensor's name to its shape; an unbounded sum runs over the support of a tensor
    it indexes on its own (``k`` over ``x``); entry ``o`` of the table is the formula at the written
    output index ``out_ranges[a][0] + o[a]``; a read outside its tensor contributes nothing.
    Built product by product in SymPy, so meant for small sizes (at most :data:`MAX_SYMPY_PRODUCTS`).

    >>> from symconv.latex import parse_latex
    >>> t = zero_extended(as_formula(parse_latex(r"y[n] = \\sum_k x[k] h[n-k]")), {"x": (2,), "h": (2,)}, [(0, 2)])
    >>> [t.entry(i) for i in range(3)]
    [h[0]*x[0], h[0]*x[1] + h[1]*x[0], h[1]*x[1]]
    """
    s = structure(f)
    values = {p: sympy.Integer(v) for p, v in (values or {}).items()}
    names = {label.name if hasattr(label, "name") else str(label): label for label in s.labels}
    if set(names) != set(shapes):
        raise FormulaError(f"the formula reads {sorted(names)}, shapes were given for {sorted(shapes)}")
    ranges = {}
    for var, (lo, hi) in s.ranges.items():
        lo, hi = sympy.sympify(lo).xreplace(values), sympy.sympify(hi).xreplace(values)
        if lo.is_finite and hi.is_finite:
            ranges[var] = (int(lo), int(hi))
            continue
        for t in s.terms:
            for label, idx in t.reads:
                for a, e in enumerate(idx):
                    e = sympy.expand(e.xreplace(values))
                    if e.free_symbols == {var} and sympy.diff(e, var) in (1, -1):
                        ends = [int(sympy.solve(sympy.Eq(e, end), var)[0]) for end in (0, shapes[label.name][a] - 1)]
                        ranges.setdefault(var, (min(ends), max(ends)))
        if var not in ranges:
            raise FormulaError(f"nothing fixes the range of the sum over {var}: no tensor is indexed by {var} alone")
    out_shape = tuple(hi - lo + 1 for lo, hi in out_ranges)
    products = _product_count(s, ranges, out_shape)
    if products > MAX_SYMPY_PRODUCTS:
        from .errors import TooLargeError

        raise TooLargeError(f"the zero-extended formula would expand to {products:,} products; symconv builds at most "
                            f"{MAX_SYMPY_PRODUCTS:,} that way")
    bases = {name: sympy.IndexedBase(name) for name in shapes}

    def element(label, at):  # zero outside the tensor: the read contributes nothing
        return bases[label.name][at] if all(0 <= v < n for v, n in zip(at, shapes[label.name])) else None

    entries = _sympy_entries(s, values, ranges, out_ranges, element)
    table = canonical.from_entries(out_shape, entries)
    exact = VarSpace.of([TensorBlock(bases[name], tuple(shape), True) for name, shape in shapes.items()])
    return table.to_space(union(table.space, exact))
