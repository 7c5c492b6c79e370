"""Randomized exact identity testing of code that only takes numbers (Schwartz-Zippel).

:func:`random_check` calls the function under test and a reference on the same random integer inputs
and compares their outputs exactly.  If the two are polynomials of total degree at most ``d`` in the
inputs and differ in some output entry, that entry's difference is a nonzero polynomial of degree at
most ``d``; with every input drawn uniformly from a set ``S`` of ``|S|`` integers it vanishes with
probability at most ``d / |S|`` (Schwartz-Zippel lemma), so ``t`` independent trials all miss it with
probability at most ``(d / |S|)**t``.  That bound is stated in the verdict.

The values are small enough for the result to be exact in the function's own arithmetic (below
``2**52`` for ``float64``, ``2**23`` for ``float32``), and every output must be an integer (a float
within ``1e-9`` relative of one).  When outputs differ, the differing entries are listed and, where the
function is cheap enough to probe, it is probed so the report names what it computes there.
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
#: largest |value| an output may reach, by the function's output dtype (exact integers in that type)
EXACT_LIMIT = {"f8": 2**52, "f4": 2**23, "f2": 2**10, "c16": 2**52, "c8": 2**23, "i8": 2**62, "i4": 2**30}
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
            return f"{a} and {b} agree: {bound}"
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
    """Float outputs as exact integers (objects): each must lie within 1e-9 relative of an integer."""
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
    off = (np.abs(values - rounded) > 1e-9 * np.maximum(np.abs(rounded), 1)).reshape(-1)
    out = np.empty(values.size, dtype=object)
    out[:] = [int(v) for v in rounded.reshape(-1)]
    if off.any():  # not integers: kept as the exact binary fractions the floats are (they will differ)
        out[off] = [Fraction(float(v)) for v in values.reshape(-1)[off]]
    return out.reshape(values.shape)


def _limit(dtype) -> int:
    return EXACT_LIMIT.get(f"{dtype.kind}{dtype.itemsize}", 2**52) if dtype.kind != "O" else 2**200


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
    coef = ref.terms.coefs()
    biggest = max((abs(c) for c in coef.tolist()), default=0)
    per_entry = int(ref.terms.max_count()) * biggest

    def evaluate_at(args):
        return np.asarray(evaluate(ref, **dict(zip(names, args))), dtype=object)

    return evaluate_at, max(1, ref.terms.degree), (per_entry, ref)


def _match(blocks, shapes):
    """The reference's tensor for each argument: the one of its shape, else by the names x, k, w, b in order."""
    out, free = [], list(blocks)
    for n, shape in enumerate(shapes):
        fits = [b for b in free if tuple(b.shape) == tuple(shape)]
        if len(fits) != 1:
            order = ("x", "k", "w", "b")
            fits = [b for b in fits if b.label.name in order]
            fits.sort(key=lambda b: order.index(b.label.name))
        if not fits:
            raise ShapeError(f"the reference has no tensor of shape {tuple(shape)} for argument {n + 1}; it has "
                             f"{', '.join(f'{b.label.name} {b.shape}' for b in blocks)} (pass names=... to say which "
                             f"is which)")
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
      inputs in -32768..32768 keep every output below 4.5e+15, exact in float64
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
    if ref_eval is None:
        first_ref, call_ref = _caller(reference, getattr(reference, "__name__", "reference"))
    rng = np.random.default_rng(seed)

    # the value range: outputs stay exact in fn's arithmetic (learned from one call) and in the reference's
    probe_out = first_fn([np.ones(s) for s in shapes])
    limit = _limit(probe_out.dtype)
    sizes = [math.prod(s) for s in shapes]
    if ref_info is not None:
        per = max(1, ref_info[0])
        r = int((limit / per) ** (1 / d))
    else:
        first_ref([np.ones(s) for s in shapes])
        r = int((limit / math.prod(sizes)) ** (1 / len(shapes)))  # multilinear, unit coefficients, worst case
    r = max(1, min(MAX_VALUE, r))
    values = 2 * r + 1
    ratio = d / values
    if trials is None:
        trials = max(1, math.ceil(math.log(TARGET_BOUND) / math.log(ratio))) if ratio < 1 else 50
    note = (f"inputs in -{r}..{r} keep every output below {limit:.1e}, exact in {probe_out.dtype}")

    differing, witness = set(), {}
    shape = None
    for t in range(trials):
        args = [rng.integers(-r, r + 1, s).astype(np.float64) for s in shapes]
        got_raw = call_fn(args)
        got = _exact_outputs(got_raw, "fn")
        want = ref_eval([a.astype(np.int64) for a in args]) if ref_eval is not None else \
            _exact_outputs(call_ref(args), "reference")
        if got.shape != want.shape:
            raise ShapeError(f"fn returns shape {got.shape} and the reference {want.shape}; expected equal shapes")
        shape = got.shape
        if np.max(np.abs(got_raw.real if got_raw.dtype.kind == "c" else got_raw), initial=0) > limit:
            note += f"; trial {t} reached {np.max(np.abs(got_raw)):.1e}, beyond exactness: pass degree= or smaller shapes"
        diff = np.flatnonzero(np.not_equal(got.reshape(-1), want.reshape(-1)).astype(bool))
        for flat in diff:
            index = tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()
            if index not in differing and not witness:
                witness = {"index": index, "got": got.reshape(-1)[flat], "want": want.reshape(-1)[flat], "trial": t,
                           "seed": seed, "inputs": args}
            differing.add(index)
    verdict = RandomVerdict(not differing, trials, values, d, ratio**trials, sorted(differing), witness, None, note,
                            tuple(shape or ()))
    if differing and len(shapes) == 2:
        _explain(verdict, fn, shapes, ref_info, probe_calls)
    return verdict


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
    names = _match(ref_blocks, [mine["x"].shape, mine["k"].shape])
    labels = {b.label.name: b.label for b in ref_blocks}
    rule = {mine[old].label: labels[new] for old, new in zip(("x", "k"), names) if old != new}
    return probed.xreplace(rule) if rule else probed
