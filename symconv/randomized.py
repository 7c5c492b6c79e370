"""Randomized exact identity testing of code that only takes numbers (Schwartz-Zippel).

:func:`random_check` calls the function under test and a reference on the same random integer inputs
and compares their outputs exactly.  If the two are polynomials of total degree at most ``d`` in the
inputs and differ in some output entry, that entry's difference is a nonzero polynomial of degree at
most ``d``; with every input drawn uniformly from a set ``S`` of ``|S|`` integers it vanishes with
probability at most ``d / |S|`` (Schwartz-Zippel lemma), so ``t`` independent trials all miss it with
probability at most ``(d / |S|)**t``.  That bound is stated in the verdict.

The values are small enough for the result to be exact in the function's own arithmetic, with room for
a floating-point algorithm's rounding (outputs below ``2**40`` for ``float64``, ``2**12`` for ``float32``);
a float within 1/4 of an integer is read as that integer.  When the reference has fractional coefficients,
the inputs are multiples of their common denominator, so exact outputs are integers; a reference with
float coefficients, or a function as reference, is compared within ``1e-9`` of the output's scale (the
report says so).  Code that returns float64 but computes in float32 inside is compared again where float32
is exact, and the report says so.  Both sides get fresh copies of the inputs.  When outputs differ, the
differing entries are listed and, where the function is cheap enough to probe, it is probed so the report
names what it computes there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import InvalidArgumentError, InvalidTypeError, ShapeError, describe
from .geometry import check_shape, is_int

#: the error bound the number of trials aims at: a false "equal" at most this likely
TARGET_BOUND = 1e-12
#: largest |value| an output may reach, by the function's output dtype: exact integers in that type with room for
#: the rounding noise of a floating-point algorithm (an FFT's) to stay far below 1/4
EXACT_LIMIT = {"f8": 2**40, "f4": 2**12, "f2": 2**5, "c16": 2**40, "c8": 2**12, "i8": 2**62, "i4": 2**30}
#: the range tried again, when values in fn's own range differ, for code that computes in float32 inside
LOW_PRECISION_LIMIT = 2**12
#: largest common denominator of the reference's coefficients that inputs are scaled by (to keep outputs integers)
MAX_DENOMINATOR = 2**20
#: largest magnitude drawn for an input (also bounded by what keeps the outputs exact)
MAX_VALUE = 2**15
#: at most this many differing entries are listed in a report
LISTED = 5


@dataclass
class RandomVerdict:
    """What :func:`random_check` found.

    Attributes
    ----------
    equal : bool
        No trial showed a difference.
    trials : int
        Independent trials run (calls of each side).
    values : int
        ``|S|``: inputs were drawn from the integers ``-R .. R``, ``|S| = 2R + 1``.
    degree : int
        ``d``, the total degree the bound assumes for both sides.
    error_bound : float
        ``(d / |S|) ** trials``: the probability that two different polynomials of degree at most ``d``
        agree on every trial.  It bounds a false "equal"; a "not equal" is certain (a witness is given).
    differing : list of tuple
        Output indices where a trial differed (all of them, in row-major order).
    witness : dict
        For the first differing entry: its index, the two values and the trial's inputs (by argument).
    probed : object
        What the function computes, recovered exactly by :func:`symconv.probe` when that was affordable
        (a :class:`~symconv.array.SymArray`), else None.
    note : str
        How the values were chosen, and anything that limits the verdict.
    """

    equal: bool
    trials: int
    values: int
    degree: int
    error_bound: float
    differing: list = field(default_factory=list)
    witness: dict = field(default_factory=dict)
    probed: Any = None
    note: str = ""
    shape: tuple = ()
    names: tuple = ("fn", "reference")

    def __bool__(self) -> bool:
        return self.equal

    def report(self) -> str:
        """A few readable lines: the verdict, its bound, and where and how the two differ."""
        a, b = self.names
        bound = (f"{self.trials} random exact trials with inputs in -{self.values // 2}..{self.values // 2}; a false "
                 f"'equal' has probability at most ({self.degree}/{self.values})^{self.trials} = {self.error_bound:.1e} "
                 f"(Schwartz-Zippel, for polynomials of degree <= {self.degree})")
        if self.equal:
            return f"{a} and {b} agree: {bound}" + (f"\n  {self.note}" if "differed" in self.note or "within" in self.note
                                                     else "")
        n = max(1, math.prod(self.shape))
        shown = ", ".join(str(i) for i in self.differing[:LISTED]) + (", ..." if len(self.differing) > LISTED else "")
        lines = [f"{a} and {b} differ in {len(self.differing)} of {n} entries (shape {self.shape}): {shown}"]
        w = self.witness
        if w:
            lines.append(f"  at {w['index']}: {a} = {w['got']}, {b} = {w['want']} on trial {w['trial']} "
                         f"(seed {w['seed']})")
        if self.probed is not None and w:
            lines.append(f"  {a}[{', '.join(map(str, w['index']))}] computes {_short(self.probed[w['index']])}")
            if w.get("reference_entry") is not None:
                lines.append(f"  {b}[{', '.join(map(str, w['index']))}] is {_short(w['reference_entry'])}")
            if w.get("reading"):
                lines.append(f"  {a} as a whole: {w['reading']}")
        if self.note:
            lines.append(f"  {self.note}")
        return "\n".join(lines)

    __str__ = report


def _short(expr, limit=160) -> str:
    text = str(expr)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _caller(fn, name):
    """Call `fn` with float64 NumPy arrays, or with torch tensors when NumPy arrays fail."""
    from .trace import TraceError, _to_numpy

    state = {"torch": None}

    def call(args):
        if state["torch"] is not None:
            args = [state["torch"].from_numpy(a) for a in args]
        out = _to_numpy(fn(*args))
        if out is None:
            raise TraceError(f"{name} returned None; expected a numeric array")
        return np.asarray(out)

    def first(args):
        try:
            return call(args)
        except TraceError:
            raise
        except Exception as err:
            try:
                import torch
            except ImportError:
                raise TraceError(f"{name} raised {type(err).__name__}: {err} on float arrays of shapes "
                                 f"{[a.shape for a in args]}") from err
            state["torch"] = torch
            try:
                return call(args)
            except Exception:
                raise TraceError(f"{name} raised {type(err).__name__}: {err} on float arrays (and torch tensors) of "
                                 f"shapes {[a.shape for a in args]}") from err

    return first, call


def _exact_outputs(values: np.ndarray, name: str) -> np.ndarray:
    """Outputs as exact numbers (objects): a float within 1/4 of an integer is that integer (the value range keeps
    a float algorithm's rounding noise far below that), any other float the exact binary fraction it is."""
    if values.dtype.kind in "iub":
        return values.astype(object)
    if values.dtype.kind == "c":
        if np.any(values.imag != 0):
            raise InvalidArgumentError(f"{name} returned complex values for real integer inputs; expected real outputs")
        values = values.real
    if values.dtype.kind != "f":
        if values.dtype == object:
            return np.vectorize(lambda v: v if isinstance(v, (int, Fraction)) else Fraction(v), otypes=[object])(values)
        raise InvalidTypeError(f"{name} returned {values.dtype} values; expected numbers")
    if not np.all(np.isfinite(values)):
        raise InvalidArgumentError(f"{name} returned NaN or infinity for integer inputs")
    rounded = np.rint(values)
    off = (np.abs(values - rounded) > 0.25).reshape(-1)
    out = np.empty(values.size, dtype=object)
    out[:] = [int(v) for v in rounded.reshape(-1)]
    if off.any():  # not integers: kept as the exact binary fractions the floats are
        out[off] = [Fraction(float(v)) for v in values.reshape(-1)[off]]
    return out.reshape(values.shape)


def _limit(dtype) -> int:
    return EXACT_LIMIT.get(f"{dtype.kind}{dtype.itemsize}", 2**40) if dtype.kind != "O" else 2**200


def _reference_side(reference, shapes, names):
    """A callable of integer arrays giving exact outputs, its degree, and a bound of |output| per unit input."""
    from .array import SymArray
    from .tensors import as_array, evaluate

    if callable(reference) and not isinstance(reference, SymArray):
        return None, None, None
    ref = as_array(reference, "reference")
    blocks = [b for b in ref.terms.space.blocks if hasattr(b, "shape")]
    if names is None:
        names = _match(blocks, shapes)
    coef = ref.terms.coefs().tolist()
    biggest = max((abs(c) for c in coef), default=0)
    per_entry = int(ref.terms.max_count()) * biggest
    denominator = 1
    for c in coef:  # inputs are multiples of the common denominator, so exact outputs are integers
        if isinstance(c, Fraction):
            denominator = math.lcm(denominator, c.denominator)
        elif not isinstance(c, int):
            denominator = None  # float coefficients: compared within a tolerance
            break
    if denominator is not None and denominator > MAX_DENOMINATOR:
        denominator = None

    def evaluate_at(args):
        return np.asarray(evaluate(ref, **dict(zip(names, args))), dtype=object)

    return evaluate_at, max(1, ref.terms.degree), (per_entry, ref, denominator, tuple(names))


def _match(blocks, shapes):
    """The reference's tensor for each argument: the one of its shape; when shapes repeat, in the order x, k, w, b
    if all of them bear those names (as trace names its arguments), else alphabetically."""
    order = ("x", "k", "w", "b")
    out, free = [], list(blocks)
    for n, shape in enumerate(shapes):
        fits = [b for b in free if tuple(b.shape) == tuple(shape)]
        if not fits:
            raise ShapeError(f"the reference has no tensor of shape {tuple(shape)} for argument {n + 1}; it has "
                             f"{', '.join(f'{b.label.name} {b.shape}' for b in blocks)} (pass names=... to say which "
                             f"is which)")
        if all(b.label.name in order for b in fits):
            fits.sort(key=lambda b: order.index(b.label.name))
        else:
            fits.sort(key=lambda b: b.label.name)
        out.append(fits[0].label.name)
        free.remove(fits[0])
    return tuple(out)


def random_check(fn: Callable[..., Any], reference: Any, shapes: Sequence[Sequence[int]], *, trials: int | None = None,
                 seed: int = 0, names: Sequence[str] | None = None, degree: int | None = None,
                 probe_calls: int = 20_000) -> RandomVerdict:
    """Compare `fn` with `reference` on random integer inputs, exactly, with a stated error bound.

    Parameters
    ----------
    fn : callable
        The code under test, ``fn(*arrays)``; it may take NumPy arrays or torch tensors (tried in that
        order, with ``float64`` values).
    reference : callable or ArrayLike
        A trusted function of the same arguments, or an exact symconv array (``sc.conv(x, w)``) whose
        tensors stand for the arguments: matched by shape, or by the names x, k, w, b in that order
        when shapes repeat, or as `names` says.
    shapes : sequence of shapes
        The shape of each argument.
    trials : int, optional
        Independent trials; by default as many as bring the error bound below ``1e-12``.
    seed : int, default 0
        Seed of the random inputs.
    names : sequence of str, optional
        The reference's tensor name for each argument.
    degree : int, optional
        The total degree the bound assumes; by default the reference's degree (an exact array) or the
        number of arguments (multilinear code, as convolution layers are).
    probe_calls : int, default 20000
        When outputs differ and `fn` has two arguments, it is probed (:func:`symconv.probe`) to say what
        it computes, if that needs at most this many calls.

    Returns
    -------
    RandomVerdict
        Truthy when every trial agreed; its ``report()`` states the bound and, otherwise, where and how
        the two differ.

    Raises
    ------
    InvalidTypeError
        `fn` is not callable, `shapes` is not a sequence of shapes, or `trials`/`seed` are not integers.
    ShapeError
        The reference's tensors do not fit the shapes, or the outputs' shapes differ.
    TraceError
        `fn` (or a callable reference) fails on numeric inputs.

    Examples
    --------
    >>> import numpy as np, symconv as sc
    >>> from symconv.randomized import random_check
    >>> def mine(x, w):           # a 1-D layer written by hand
    ...     return np.array([np.dot(x[i:i + 3], w) for i in range(len(x) - 2)])
    >>> ref = sc.correlate(sc.tensor("x", (8,)), sc.tensor("w", (3,)))
    >>> verdict = random_check(mine, ref, [(8,), (3,)])
    >>> bool(verdict), verdict.trials, f"{verdict.error_bound:.0e}"
    (True, 3, '3e-14')
    >>> def flipped(x, w):
    ...     return np.array([np.dot(x[i:i + 3], w[::-1]) for i in range(len(x) - 2)])
    >>> print(random_check(flipped, ref, [(8,), (3,)]).report())  # doctest: +ELLIPSIS
    fn and reference differ in 6 of 6 entries (shape (6,)): (0,), (1,), (2,), (3,), (4,), ...
      at (0,): fn = ..., reference = ... on trial 0 (seed 0)
      fn[0] computes w[0]*x[2] + w[1]*x[1] + w[2]*x[0]
      reference[0] is w[0]*x[0] + w[1]*x[1] + w[2]*x[2]
      fn as a whole: This is a convolution (mode=valid, stride=(1,), dilation=(1,)): y[n] = sum_m x[n-m] w[m], ...
      inputs in -32768..32768 keep the reference's outputs below 1.1e+12, exact in float64
    """
    if not callable(fn):
        raise InvalidTypeError(f"fn={describe(fn)} is not callable; expected the function under test")
    if not isinstance(shapes, (list, tuple)) or not shapes:
        raise InvalidTypeError(f"shapes={describe(shapes)} is not valid; expected a sequence of shapes, one per argument")
    shapes = [check_shape(s, f"shapes[{n}]", allow_empty=False) for n, s in enumerate(shapes)]
    for what, v in (("trials", trials), ("seed", seed), ("degree", degree)):
        if v is not None and (not is_int(v) or v < (0 if what == "seed" else 1)):
            raise InvalidTypeError(f"{what}={describe(v)} is not valid; expected a positive integer")
    ref_eval, ref_degree, ref_info = _reference_side(reference, shapes, names)
    d = degree or ref_degree or len(shapes)
    first_fn, call_fn = _caller(fn, getattr(fn, "__name__", "fn"))
    rng = np.random.default_rng(seed)
    call_ref = None
    if ref_eval is None:
        first_ref, call_ref = _caller(reference, getattr(reference, "__name__", "reference"))
        first_ref([np.ones(s) for s in shapes])
    dtype = first_fn([np.ones(s) for s in shapes]).dtype
    limit = _limit(dtype)
    scale = ref_info[2] if ref_info is not None else 1
    tolerance = ref_info is not None and scale is None or call_ref is not None
    scale = scale or 1

    def value_range(limit):
        if ref_info is not None:  # the reference's own bound: sum |c| * (scale * r)**d per entry
            return int((limit / (max(1, ref_info[0]) * scale**d)) ** (1 / d))
        return int((limit / math.prod(math.prod(s) for s in shapes)) ** (1 / len(shapes)))  # unit coefficients

    r = value_range(limit)
    if r < 1:
        raise InvalidArgumentError(f"no integer inputs keep the outputs exact in {dtype}: the reference reaches "
                                   f"{ref_info[0] if ref_info else 'its bound'} per unit input (limit {limit:.1e}); "
                                   f"expected smaller coefficients, or code computing in a wider type")
    runs = [(r, limit)]
    if dtype.kind in "fc" and limit > LOW_PRECISION_LIMIT and value_range(LOW_PRECISION_LIMIT) >= 1:
        runs.append((value_range(LOW_PRECISION_LIMIT), LOW_PRECISION_LIMIT))
    first = None
    for attempt, (r_try, limit_try) in enumerate(runs):
        r_try = min(MAX_VALUE, r_try)
        ratio_try = d / (2 * r_try + 1)
        n_try = trials or (max(1, math.ceil(math.log(TARGET_BOUND) / math.log(ratio_try))) if ratio_try < 1 else 50)
        found = _trials(call_fn, ref_eval, call_ref, shapes, r_try, scale, n_try, rng, seed, limit_try, tolerance)
        if attempt == 0:
            first = (found, r_try, limit_try, n_try)
            if not found[0]:
                break
        elif found[0]:  # it differs in the low-precision range too: the first run's differences stand
            found, r_try, limit_try, n_try = first
            attempt = 0
    r, limit, n_trials = r_try, limit_try, n_try
    values = 2 * r + 1
    ratio = d / values
    differing, witness, shape, overflow = found
    note = f"inputs in -{r}..{r}" + (f" times {scale}" if scale != 1 else "") + \
        f" keep the reference's outputs below {limit:.1e}, exact in {dtype}"
    if attempt:
        note += (f"; in -{min(MAX_VALUE, runs[0][0])}..{min(MAX_VALUE, runs[0][0])} they differed: fn computes in "
                 f"less precision than it returns, so it was compared where that precision is exact")
    if tolerance:
        note += "; compared within 1e-9 of the output's scale (a reference in floating point)"
    if overflow:
        note += f"; {overflow}: not exact, so no verdict of agreement is given"
    verdict = RandomVerdict(not differing and not overflow, n_trials, values, d, ratio**n_trials, sorted(differing),
                            witness, None, note, tuple(shape or ()))
    if differing and len(shapes) == 2:
        _explain(verdict, fn, shapes, ref_info, probe_calls)
    return verdict


def _trials(call_fn, ref_eval, call_ref, shapes, r, scale, trials, rng, seed, limit, tolerance):
    """Run the trials: ``(differing indices, witness, output shape, overflow note or "")``."""
    differing, witness, shape, overflow = set(), {}, None, ""
    for t in range(trials):
        args = [(rng.integers(-r, r + 1, s) * scale).astype(np.float64) for s in shapes]
        got_raw = call_fn([a.copy() for a in args])  # fresh copies: fn may write into its inputs
        if ref_eval is not None:
            want = ref_eval([a.astype(np.int64) for a in args])
        else:
            want_raw = call_ref([a.copy() for a in args])
            want = _exact_outputs(want_raw, "reference")
        got = _exact_outputs(got_raw, "fn")
        if got.shape != want.shape:
            raise ShapeError(f"fn returns shape {got.shape} and the reference {want.shape}; expected equal shapes")
        shape = got.shape
        peak = max(float(np.max(np.abs(got_raw), initial=0)),
                   float(np.max(np.abs(want_raw), initial=0)) if ref_eval is None else 0.0)
        if peak > limit and not overflow:
            overflow = f"trial {t} reached {peak:.1e}, beyond exactness"
        flat_got, flat_want = got.reshape(-1), want.reshape(-1)
        if tolerance:
            fscale = max(1.0, max((abs(float(v)) for v in flat_want), default=0.0))
            diff = np.flatnonzero([abs(float(p) - float(q)) > 1e-9 * fscale for p, q in zip(flat_got, flat_want)])
        else:
            diff = np.flatnonzero(np.not_equal(flat_got, flat_want).astype(bool))
        for flat in diff:
            index = tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()
            if not witness:
                witness = {"index": index, "got": flat_got[flat], "want": flat_want[flat], "trial": t, "seed": seed,
                           "inputs": args}
            differing.add(index)
    return differing, witness, shape, overflow


def _explain(verdict: RandomVerdict, fn, shapes, ref_info, probe_calls) -> None:
    """Probe `fn` (when affordable) and say what it computes where it differs."""
    from .identify import classify
    from .trace import SymconvError, probe

    calls = math.prod(shapes[1]) if shapes[0][0] == 1 else math.prod(shapes[0]) * math.prod(shapes[1])
    if calls > probe_calls:
        verdict.note += f"; not probed: that would take about {calls:,} calls (probe_calls={probe_calls:,})"
        return
    try:
        probed = probe(fn, shapes[0], shapes[1])
    except SymconvError as err:
        verdict.note += f"; not probed: {err}"
        return
    if probed.shape != verdict.shape:
        return
    verdict.probed = _renamed(probed, ref_info)
    w = verdict.witness
    if ref_info is not None:
        w["reference_entry"] = ref_info[1][w["index"]]
    try:
        w["reading"] = classify(verdict.probed.terms).explain().split("\n")[0]
    except SymconvError:
        pass


def _renamed(probed, ref_info):
    """The probed table in the reference's tensor names (probe names its arguments x and k)."""
    if ref_info is None:
        return probed
    ref_blocks = [b for b in ref_info[1].terms.space.blocks if hasattr(b, "shape")]
    mine = {b.label.name: b for b in probed.terms.space.blocks}
    names = ref_info[3]  # the reference's tensor for argument 1 (probe's x) and argument 2 (probe's k)
    labels = {b.label.name: b.label for b in ref_blocks}
    rule = {mine[old].label: labels[new] for old, new in zip(("x", "k"), names) if old != new}
    return probed.xreplace(rule) if rule else probed
