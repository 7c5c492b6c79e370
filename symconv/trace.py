"""What does user code compute?  `trace` runs it on symbols; `probe` recovers a numeric bilinear function exactly."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from math import prod
from typing import Any, Literal

import numpy as np
import sympy

from . import canonical, tracer
from .array import SymArray
from .errors import InvalidTypeError, SymconvError, TooLargeError, describe
from .geometry import check_choice, check_shape, is_int
from .space import VarSpace, union
from .tensors import as_array, as_terms, tensor

#: An array argument: a :class:`~symconv.array.SymArray` (what :func:`symconv.tensor` and every operation return),
#: a SymPy ``Array``/``Matrix``, a NumPy array (numeric or ``dtype=object``) or nested lists.
ArrayLike = Any
#: names given to arguments passed as shapes, in order
DEFAULT_NAMES = ("x", "k", "w", "b")
#: a probed coefficient smaller than this times the largest one is the function's rounding noise (an FFT's)
NOISE = 1e-12
#: most one-hot calls `probe` makes
MAX_PROBE_CALLS = 2_000_000


class TraceError(SymconvError, RuntimeError):
    """The traced or probed function failed or returned something unusable.

    Raised by :func:`symconv.trace`, :func:`symconv.probe` and :func:`symconv.identify` of a function when
    the function raises on its arguments, or returns something that is not an array of polynomials
    (``None``, a string, ``sin(x[0])``); the message names the function and what went wrong.
    """


class NotBilinearError(SymconvError, ValueError):
    """`probe` found that the function is not bilinear in its two array arguments.

    Raised by :func:`symconv.probe` (and :func:`symconv.identify` of a function that needs numbers) when
    random integer inputs show that the function is not linear in each argument; only bilinear functions
    are recovered exactly.
    """


class InexactWarning(UserWarning):
    """`probe` kept a coefficient as a float because it is not provably an integer or a small fraction."""


def _operands(args):
    operands = []
    for n, arg in enumerate(args):
        name = DEFAULT_NAMES[n] if n < len(DEFAULT_NAMES) else f"t{n}"
        if isinstance(arg, tuple) or is_int(arg) or (isinstance(arg, list) and arg and all(is_int(s) for s in arg)):
            # a tuple (of any numbers) or an int is a shape, as np.zeros reads it; data comes as arrays or lists
            operands.append(tensor(name, check_shape(arg, f"shape of argument {n + 1}")))
        else:
            operands.append(as_array(arg, f"argument {n + 1}"))
    return operands


def _object_array(arr: SymArray):
    if not arr.shape:
        return arr.as_sympy()
    out = np.empty(arr.shape, dtype=object)
    for index in np.ndindex(arr.shape):
        out[index] = arr[index]
    return out


def trace(fn: Callable[..., Any], *shapes_or_tensors: int | Sequence[int] | ArrayLike,
          engine: Literal["auto", "compact", "sympy"] = "auto") -> SymArray:
    """Run NumPy-style `fn` on symbolic arrays and return exactly what it computed.

    A shape given instead of a tensor becomes ``tensor("x", shape)`` for the
    first argument and ``tensor("k", shape)`` for the second.  Symbols are
    real, so ``np.vdot`` does not conjugate.

    Further shapes become ``w``, then ``b``, then ``t4``, ``t5``, ...  By
    default each argument reaches `fn` as a
    :class:`~symconv.tracer.TracedArray`: an array of exact polynomials held
    as one term table, on which NumPy's slicing, element-wise arithmetic,
    ``np.sum``, ``np.dot``, ``@``, ``np.einsum``, ``np.tensordot``,
    ``np.vdot``, reshapes, flips, ``np.pad`` and ``np.concatenate`` work on
    whole tables at once; reading one entry gives a light exact polynomial
    (:class:`~symconv.tracer.TracedScalar`), and lists or ``dtype=object``
    arrays of those become one table again.  Code the compact tracer does
    not carry (SymPy calls on entries, a NumPy function outside its list) is
    run again on NumPy ``dtype=object`` arrays of SymPy entries, as symconv
    always did; functions that need numbers (``np.sin``, FFTs, compiled
    code) fail both ways -- use :func:`probe` for those.  The result keeps
    the tensors' own shapes, even where `fn` never reads an entry.

    Coefficients stay exact where the code's numbers are: ``x / 3`` is
    ``x/3``, as on SymPy objects.  One difference from the SymPy path: an
    exact rational combined with a float in one coefficient (``x / 3 +
    0.5 * x``) stays the exact rational of the two (``5*x/6``), where SymPy
    would round it to a float (``0.833333333333333*x``).

    Parameters
    ----------
    fn : callable
        The function, called as ``fn(*arrays)``.
    *shapes_or_tensors : int, tuple of int, list of int or ArrayLike
        One per argument of `fn`.  An int, a tuple or a list of ints is a
        shape (positive integers) and becomes a symbolic tensor; anything
        else (a symconv tensor, a SymPy or NumPy array, nested lists holding
        something other than plain ints) is passed as it is.  So integer
        data must come as a NumPy array: ``[2]`` is the shape ``(2,)``.
    engine : {"auto", "compact", "sympy"}, default "auto"
        ``"compact"`` runs `fn` on term tables only; ``"sympy"`` on NumPy
        ``dtype=object`` arrays of SymPy expressions only (slower by two
        orders of magnitude at layer sizes, see ``benchmarks/bench_trace.py``);
        ``"auto"`` tries the tables first and the SymPy objects when the
        tables fail.  Both give the same exact result.

    Returns
    -------
    SymArray
        What `fn` returned, as an exact symconv array (a SymPy ``NDimArray``).

    Raises
    ------
    TraceError
        `fn` raised an exception on the symbolic arrays, or returned
        something that is not an array of polynomial expressions (``None``,
        a string, ``sin(x[0])``); a NumPy function that is not a polynomial
        operation (``np.sin``, ``np.fft.rfft``, ``np.maximum``) is named.
    InvalidTypeError
        `fn` is not callable, or an argument is neither a shape nor an array.
    InvalidArgumentError
        A shape has an entry smaller than 1, or `engine` is not one of the
        three.
    ShapeError
        Two arguments are tensors of one name but different shapes (a shape
        given second becomes ``k``: next to a tensor named ``k`` of the
        same shape it *is* that tensor).

    See Also
    --------
    probe : the same for functions that only take numbers.
    identify : what the traced function computes, in words.

    Examples
    --------
    >>> import numpy as np, symconv as sc
    >>> def window_dot(a, c):   # the seed's loop: Z[i, j] = sum of A[i+k, j+l] * C[k, l]
    ...     return np.array([[np.sum(a[i:i+2, j:j+2] * c) for j in range(2)] for i in range(2)])
    >>> sc.trace(window_dot, (3, 3), (2, 2)) == sc.correlate(sc.tensor("x", (3, 3)), sc.tensor("k", (2, 2)))
    True
    >>> sc.trace(np.vdot, (2,), (2,))
    k[0]*x[0] + k[1]*x[1]
    >>> sc.trace(np.dot, (2, 2), np.array([1, 2])).tolist()
    [x[0, 0] + 2*x[0, 1], x[1, 0] + 2*x[1, 1]]
    >>> a, b = sc.tensor("a", (4,)), sc.tensor("b", (2,))
    >>> sc.trace(lambda u, v: np.correlate(u, v, "valid"), a, b) == sc.correlate(a, b)
    True
    >>> sc.trace(lambda a, c: np.einsum("ijk,ijk->", a, c), (2, 3, 3), (2, 3, 3)).n_terms
    18
    >>> sc.trace(lambda u: np.sin(u), (2,))
    Traceback (most recent call last):
    ...
    symconv.trace.TraceError: <lambda> raised UnsupportedError: np.sin is not a polynomial operation; ... when run on
    symbolic arrays of shapes [(2,)]; expected NumPy-style code (use sc.probe for functions that need numbers)
    """
    if not callable(fn):
        raise InvalidTypeError(f"fn={describe(fn)} is not callable; expected a function of arrays")
    engine = check_choice(engine, "engine", ENGINES)
    operands = _operands(shapes_or_tensors)
    if engine == "sympy":
        return _trace_objects(fn, operands)
    try:
        return _trace_compact(fn, operands)
    except TraceError as err:
        if engine == "compact":
            raise
        failed = err
    try:  # code the compact tracer does not carry (SymPy calls on entries, a NumPy function it lacks)
        return _trace_objects(fn, operands)
    except TraceError:
        raise failed from None


#: how :func:`trace` runs the code: on compact tables first ("auto"), only on them, or on SymPy objects
ENGINES = ("auto", "compact", "sympy")


def _failure(fn, err, operands, what):
    hint = ""
    if isinstance(err, ValueError) and ("align" in str(err) or "broadcast" in str(err)):
        hint = (" -- the shapes of a window and the kernel differ: a slice a[i:i+n] takes n entries, so compare "
                "each slice's length with the kernel's shape (an off-by-one in the slice?)")
    return TraceError(
        f"{_name(fn)} raised {type(err).__name__}: {err} when run on {what} of shapes "
        f"{[t.shape for t in operands]}{hint}; expected NumPy-style code (use sc.probe for functions that need "
        f"numbers)")


def _with_operand_shapes(terms, operands) -> SymArray:
    # keep the operands' own shapes (an entry the code never reads must not shrink its tensor)
    return SymArray(terms.to_space(union(terms.space, *(t.terms.space for t in operands))))


def _trace_compact(fn, operands) -> SymArray:
    """`fn` run on :class:`~symconv.tracer.TracedArray` (term tables through NumPy's dispatch protocols)."""
    space = union(*(t.terms.space for t in operands))
    inputs = [tracer.wrap(t.terms.to_space(space)) for t in operands]
    try:
        result = fn(*inputs)
    except Exception as err:
        raise _failure(fn, err, operands, "symbolic arrays") from err
    if result is None or isinstance(result, (str, bytes, dict, set)):
        raise TraceError(f"{_name(fn)} returned {describe(result)}, which is not an array of expressions")
    try:
        terms = tracer.lift(result)
    except (tracer.UnsupportedError, ValueError) as err:
        raise TraceError(f"{_name(fn)} returned {describe(result)}, which is not an array of expressions: {err}") from None
    return _with_operand_shapes(terms, operands)


def _trace_objects(fn, operands) -> SymArray:
    """`fn` run on NumPy ``dtype=object`` arrays of SymPy expressions."""
    try:
        result = fn(*[_object_array(t) for t in operands])
    except Exception as err:
        raise _failure(fn, err, operands, "symbolic object arrays") from err
    try:
        terms = as_terms(_to_numpy(result), "the traced result")
    except SymconvError as err:
        raise TraceError(f"{_name(fn)} returned {describe(result)}, which is not an array of expressions: {err}") from None
    return _with_operand_shapes(terms, operands)


def _name(fn) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


def _to_numpy(value):
    """Plain NumPy for torch tensors and the like (anything with ``numpy()``/``__array__``)."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().cpu().numpy()
    return value


# -- probe ------------------------------------------------------------------------------------
class _Caller:
    """Calls `fn` with NumPy arrays, or with torch tensors when it wants those."""

    def __init__(self, fn, x_shape, k_shape):
        self.fn, self.torch = fn, None
        probe_x, probe_k = np.ones(x_shape), np.ones(k_shape)
        try:
            self.first = self._call(probe_x, probe_k)
        except TraceError:  # it ran, and returned something unusable: that is the message
            raise
        except Exception as first:
            try:
                import torch
            except ImportError:
                torch = None
            if torch is None:
                raise self._failed(first, x_shape, k_shape) from first
            self.torch = torch
            try:
                self.first = self._call(probe_x, probe_k)
            except Exception:
                raise self._failed(first, x_shape, k_shape) from first

    def _failed(self, err, x_shape, k_shape):
        return TraceError(f"{_name(self.fn)} raised {type(err).__name__}: {err} when called with float arrays of shapes "
                          f"{x_shape} and {k_shape}; expected a function of two numeric arrays")

    def _call(self, x, k):
        x, k = np.array(x, dtype=np.float64), np.array(k, dtype=np.float64)  # copies: fn may write into them
        if self.torch is not None:
            x, k = self.torch.from_numpy(x), self.torch.from_numpy(k)
        return self._checked(self.fn(x, k), x, k)

    def vmapped(self, xs, k):
        """`fn` on every input of the stack `xs` at once, through ``torch.func.vmap`` (one call of `fn`)."""
        xs_t = self.torch.from_numpy(np.array(xs, dtype=np.float64))
        k_t = self.torch.from_numpy(np.array(k, dtype=np.float64))
        return self._checked(self.torch.func.vmap(self.fn, in_dims=(0, None))(xs_t, k_t), xs_t, k_t)

    @property
    def rtol(self) -> float:
        """How close to an integer or small fraction a coefficient is read as it: 1e-12 for float64 results,
        1024 units in the last place for less precise ones (float32: 1.2e-4)."""
        return max(1e-12, self._ulps(1024))

    @property
    def check_tol(self) -> float:
        """How close (relative to the output's scale) two results count as equal in a check: 1e-9 for float64."""
        return max(1e-9, self._ulps(1024))

    def _ulps(self, n):
        return n * float(np.finfo(self.dtype).eps) if self.dtype.kind in "fc" else 0.0

    def _checked(self, out, x, k):
        out = _to_numpy(out)
        if out is None:
            raise TraceError(f"{_name(self.fn)} returned None; expected a numeric array (did it forget to return?)")
        try:
            arr = np.asarray(out)
            if not hasattr(self, "dtype"):
                self.dtype = arr.dtype if arr.dtype.kind in "fc" else np.dtype(np.float64)
            arr = arr.astype(np.complex128 if arr.dtype.kind == "c" else np.float64)
        except (TypeError, ValueError) as err:
            raise TraceError(f"{_name(self.fn)} returned {describe(out)}; expected a numeric array") from err
        if not np.all(np.isfinite(arr)):
            raise TraceError(f"{_name(self.fn)} returned NaN or infinity for finite inputs of shapes {x.shape} and "
                             f"{k.shape}; expected finite numbers")
        return arr

    __call__ = _call


def probe(fn: Callable[[Any, Any], Any], x_shape: int | Sequence[int], k_shape: int | Sequence[int], *,
          seed: int = 0) -> SymArray:
    """Recover exactly what a numeric function bilinear in its two arguments computes.

    `fn` only takes numbers (``scipy.signal``, ``torch.nn.functional``
    wrapped in a lambda, compiled kernels).  symconv sets one argument to
    one-hot inputs and the other to all ones (which gives each coefficient)
    and to ``1, 2, 3, ...`` (which says, by the ratio, which entry the
    coefficient belongs to): two calls per one-hot of the smaller argument,
    or two calls in all when `fn` computes over a batch axis -- its own
    leading axis when ``x_shape[0] == 1``, or, for a function of torch
    tensors, one that ``torch.func.vmap`` adds (every one-hot input in one
    call; more only when the outputs of one call would exceed
    :data:`MAX_BATCH_VALUES`).  Either batch axis is checked against a
    single call before it is used.  That reading assumes
    each output meets each one-hot entry through one entry of the other
    argument, as convolutions, layers and matrix products do; it is then
    verified on random integer inputs (:data:`VERIFY_SAMPLES` samples in
    ``-VERIFY_RANGE..VERIFY_RANGE``: a wrong table passes with probability
    below ``1e-14`` when `fn` is bilinear, Schwartz-Zippel).  The
    verification calls are plain (no batch axis), and two of them are
    repeated with one argument negated, which a sign-dependent function
    (``relu``, ``max``) fails.  When the reading does not hold or does not
    verify, `fn` is checked for bilinearity on random integer inputs
    (refused when it is not bilinear) and called on every pair of one-hot
    inputs, ``prod(x_shape) * prod(k_shape)`` calls (at most 2,000,000; by
    kernel entry when `fn` batches); that table is verified the same way,
    and a function that fails it is refused as not bilinear.

    A coefficient is taken as an integer or a fraction (denominator <= 1000)
    only when the float lies within 1e-12 (relative) of it -- within 1024
    units in the last place for a function that returns float32 or less;
    otherwise it is kept as a float with an `InexactWarning` (never rounded
    to 0).  Coefficients below ``1e-12`` times the largest (that same
    precision for float32) are the function's rounding noise (an FFT's) and
    dropped.  `fn` gets fresh copies of its inputs on every call, so code that
    writes into them is read as it computes.  Complex results are read part
    by part.  The result is in terms of ``tensor("x", x_shape)`` and
    ``tensor("k", k_shape)``.

    `fn` is called with ``float64`` NumPy arrays; if that fails and PyTorch
    is installed, with torch tensors (so ``torch.nn.functional`` functions
    can be probed directly).

    Parameters
    ----------
    fn : callable
        ``fn(x, k)`` returning a numeric array (or something with
        ``__array__``, ``numpy()``), bilinear in ``x`` and ``k``.
    x_shape, k_shape : int or sequence of int
        The shapes of the two arguments (positive integers, at least one
        axis each).
    seed : int, default 0
        Seed (non-negative) of the random integer inputs of the checks.

    Returns
    -------
    SymArray
        The result's exact polynomials in ``x[...]`` and ``k[...]``, of the
        shape `fn` returns.

    Raises
    ------
    NotBilinearError
        `fn` is not additive or homogeneous in one of its arguments (or its
        output shape changes with the values).
    TraceError
        `fn` fails on float arrays (and torch tensors), or returns ``None``,
        something non-numeric, NaN or infinity.
    TooLargeError
        More than 2,000,000 calls would be needed.
    InvalidTypeError
        `fn` is not callable, a shape is not an int or a tuple of ints, or
        `seed` is not a non-negative integer.
    InvalidArgumentError
        A shape is empty (``()``) or has an entry smaller than 1.

    Warns
    -----
    InexactWarning
        A coefficient is neither an integer nor a small fraction; it is kept
        as the float `fn` returned.

    See Also
    --------
    trace : exact, for functions that accept object arrays.
    identify : what the probed function computes, in words.

    Examples
    --------
    >>> import scipy.signal, symconv as sc
    >>> x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
    >>> sc.probe(scipy.signal.convolve2d, (4, 4), (2, 2)) == sc.convolve(x, k, "full")
    True

    An FFT's rounding noise is dropped; fractions are read exactly.

    >>> import numpy as np
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> sc.probe(scipy.signal.fftconvolve, (3,), (2,)) == sc.convolve(x, k, "full")
    True
    >>> sc.probe(lambda a, c: np.convolve(a, c, "valid") / 2, (3,), (2,)).tolist()
    [k[0]*x[1]/2 + k[1]*x[0]/2, k[0]*x[2]/2 + k[1]*x[1]/2]
    >>> sc.probe(lambda a, c: np.convolve(a, c) ** 2, (3,), (2,))
    Traceback (most recent call last):
    ...
    symconv.trace.NotBilinearError: <lambda> is not bilinear: it is not additive in the first argument ...
    """
    if not callable(fn):
        raise InvalidTypeError(f"fn={describe(fn)} is not callable; expected a function of two arrays")
    x_shape = check_shape(x_shape, "x_shape", allow_empty=False)
    k_shape = check_shape(k_shape, "k_shape", allow_empty=False)
    if not is_int(seed) or seed < 0:
        raise InvalidTypeError(f"seed={describe(seed)} is not valid; expected a non-negative integer")
    nx, nk = prod(x_shape), prod(k_shape)
    if 2 * min(nx, nk) > MAX_PROBE_CALLS:
        raise TooLargeError(f"probing needs at least {2 * min(nx, nk):,} calls of {_name(fn)} for x_shape={x_shape} and "
                            f"k_shape={k_shape}; the limit is {MAX_PROBE_CALLS:,}: expected smaller shapes")
    rng = np.random.default_rng(seed)
    call = _Caller(fn, x_shape, k_shape)
    out_shape = call.first.shape
    batched = _batches(call, x_shape, k_shape, out_shape, rng)
    if batched is not None and nx * batched.row_out > MAX_SPARSE_VALUES and 2 * nk <= MAX_PROBE_CALLS:
        batched = None  # every input one-hot would hold nx * outputs values: one-hot kernels instead
    try:
        found = _sparse(call, x_shape, k_shape, out_shape, batched)
    except ValueError as err:  # the outputs of two calls do not stack: their shape follows the values
        raise NotBilinearError(f"{_name(fn)} is not bilinear: its output shape changes with the values ({err})") from None
    if found is not None and _verified(call, found, x_shape, k_shape, out_shape, rng):
        return SymArray(_table(*found, out_shape, x_shape, k_shape, _name(fn), call.rtol))
    # some output meets one input entry through several kernel entries (or fn is not bilinear): every pair
    if nx * nk > MAX_PROBE_CALLS:
        raise TooLargeError(f"probing {_name(fn)} needs {nx * nk:,} one-hot calls for x_shape={x_shape} and "
                            f"k_shape={k_shape} (an output meets one input entry through several kernel entries); the "
                            f"limit is {MAX_PROBE_CALLS:,}: expected smaller shapes")
    out_shape = _check_bilinear(call, x_shape, k_shape, rng)
    for way in ([batched, None] if batched is not None else [None]):  # a batch axis that misled: without it
        found = _sweep(call, x_shape, k_shape, out_shape, way)
        if _verified(call, found, x_shape, k_shape, out_shape, rng):
            return SymArray(_table(*found, out_shape, x_shape, k_shape, _name(fn), call.rtol))
    raise NotBilinearError(f"{_name(fn)} is not bilinear: on random integer inputs it differs from the bilinear table "
                           f"read from its one-hot inputs; probe() recovers only bilinear functions -- use sc.trace "
                           f"for NumPy code")


#: the most values (inputs times outputs) the batched reading holds at once before one-hot kernels are used
MAX_SPARSE_VALUES = 2**24


#: the most output values one batched call of a probed function may produce (2**22 float64: 32 MiB)
MAX_BATCH_VALUES = 2**22
#: random inputs of the calls that verify a recovery lie in -VERIFY_RANGE..VERIFY_RANGE
VERIFY_RANGE = 2**12
#: random samples (calls, or rows of a batched call) that verify a recovery
VERIFY_SAMPLES = 4


class _Batch:
    """How many inputs one call of `fn` takes: its own leading axis of 1 used as a batch axis (``lead``), or a
    batch axis added by ``torch.func.vmap``."""

    def __init__(self, call, x_shape, out_shape, lead: bool):
        self.call, self.lead = call, lead
        self.row_shape = x_shape[1:] if lead else x_shape
        self.row_out = prod(out_shape[1:]) if lead else prod(out_shape)

    def __call__(self, xs, k):
        """`fn` on the inputs ``xs`` (one per row, each of ``prod(row_shape)`` entries): ``(rows, outputs)``."""
        xs = xs.reshape((-1,) + self.row_shape)
        out = self.call(xs, k) if self.lead else self.call.vmapped(xs, k)
        return out.reshape(len(xs), -1)

    def size(self, n):
        """How many of `n` one-hot inputs one call carries (its outputs within :data:`MAX_BATCH_VALUES`)."""
        return max(1, min(n, MAX_BATCH_VALUES // max(1, self.row_out)))


def _batches(call, x_shape, k_shape, out_shape, rng) -> _Batch | None:
    """A batch axis `fn` computes over, checked: two inputs in one call give two outputs, the first of them what
    `fn` gave for that input alone (the ones of the first call).  Its own leading axis of 1 first, else (torch
    functions) ``torch.func.vmap``; None when neither works."""
    ways = []
    if x_shape[0] == 1 and out_shape and out_shape[0] == 1:
        ways.append(True)
    if call.torch is not None and hasattr(call.torch, "func"):
        ways.append(False)
    for lead in ways:
        batch = _Batch(call, x_shape, out_shape, lead)
        row = batch.row_shape
        xs = np.concatenate([np.ones((1,) + row), rng.integers(-3, 4, (1,) + row).astype(float)])
        try:
            both = batch(xs, np.ones(k_shape))
        except Exception:
            continue
        if both.shape == (2, batch.row_out) and np.array_equal(both[0], call.first.reshape(-1)):
            return batch
    return None


def _one_hots(lo, hi, n):
    eye = np.zeros((hi - lo, n))
    eye[np.arange(hi - lo), np.arange(lo, hi)] = 1
    return eye


def _sparse(call, x_shape, k_shape, out_shape, batched):
    """Recover the table assuming each output meets each entry of one side through at most one entry of the other.

    One side is set to one-hots, the other to all ones (``y1``: the coefficient) and to ``1, 2, 3, ...``
    (``y2 / y1 - 1``: the entry met).  Two calls per one-hot, or two per batch of one-hot inputs when
    `fn` batches; ``(out, i, j, coef)`` arrays, or None when a pair meets several entries.
    """
    nx, nk = prod(x_shape), prod(k_shape)
    nout = prod(out_shape)
    if batched is not None:  # one-hot inputs stacked on the batch axis, the kernel all ones / 1..nk
        size = batched.size(nx)
        parts = ([], [])
        for lo in range(0, nx, size):
            xs = _one_hots(lo, min(nx, lo + size), nx)
            for part, k in zip(parts, (np.ones(nk), np.arange(1, nk + 1, dtype=float))):
                part.append(batched(xs, k.reshape(k_shape)))
        y1, y2 = np.concatenate(parts[0]), np.concatenate(parts[1])
        onehot_x = True
    else:
        onehot_x = nx < nk
        n_hot, n_other = (nx, nk) if onehot_x else (nk, nx)
        y1, y2 = np.empty((n_hot, nout), dtype=call.first.dtype), np.empty((n_hot, nout), dtype=call.first.dtype)
        flat, counting = np.ones(n_other), np.arange(1, n_other + 1, dtype=float)
        for h in range(n_hot):
            hot = _one_hots(h, h + 1, n_hot)[0]
            for y, other in ((y1, flat), (y2, counting)):
                x, k = (hot, other) if onehot_x else (other, hot)
                y[h] = call(x.reshape(x_shape), k.reshape(k_shape)).reshape(-1)
    decoded = _decode(y1, y2, nk if onehot_x else nx, call.rtol)
    if decoded is None:
        return None
    hot, out, other, coef = decoded
    return (out, hot, other, coef) if onehot_x else (out, other, hot, coef)


def _decode(y1, y2, n_other, rtol):
    """``(hot, out, other, coef)`` from ``y1 = coef`` and ``y2 = coef * (other + 1)``, or None when a pair is not
    one coefficient (the ratio is not one of ``1..n_other``, or ``y2`` is nonzero where ``y1`` is zero)."""
    scale1 = float(np.max(np.abs(y1), initial=0))
    scale2 = float(np.max(np.abs(y2), initial=0))
    noise = max(NOISE, rtol)
    nz = np.abs(y1) > noise * scale1
    if np.any(np.abs(y2[~nz]) > noise * max(scale2, 1e-300)):
        return None
    hot, out = np.nonzero(nz)
    c1, c2 = y1[hot, out], y2[hot, out]
    ratio = c2 / c1
    met = np.rint(ratio.real)
    if np.any(np.abs(ratio - met) > 1e3 * rtol * np.maximum(met, 1)) or np.any(met < 1) or np.any(met > n_other):
        return None
    return hot, out, met.astype(np.int64) - 1, c1


def _verified(call, found, x_shape, k_shape, out_shape, rng) -> bool:
    """Whether `fn` equals the recovered table on random integer inputs (:data:`VERIFY_SAMPLES` plain calls, and
    two of them again with one argument negated).

    Where the table is wrong at some output, their difference there is a nonzero polynomial of degree 2 (when
    `fn` is bilinear) and vanishes on one sample with probability at most ``2 / (2 * VERIFY_RANGE + 1)``
    (Schwartz-Zippel): all samples miss it with probability below ``1e-14``.  The calls are plain (no batch
    axis), so a table read through a batch axis that mixes its rows, or a function that computes otherwise
    for a batch, fails here.
    """
    out, i, j, coef = found
    nout = prod(out_shape)
    samples = []
    for n in range(VERIFY_SAMPLES):
        k = rng.integers(-VERIFY_RANGE, VERIFY_RANGE + 1, k_shape).astype(float)
        x = rng.integers(-VERIFY_RANGE, VERIFY_RANGE + 1, x_shape).astype(float)
        samples.append((x, k))
        if n < 2:  # and the same negated in one argument: a bilinear fn changes sign, a sign-dependent one not
            samples.append((-x, k) if n == 0 else (x, -k))
    for x, k in samples:
        got = call(x, k).reshape(-1)
        if got.shape != (nout,):
            return False
        weights = coef * k.reshape(-1)[j] * x.reshape(-1)[i]
        want = np.bincount(out, weights.real, minlength=nout).astype(got.dtype)
        if np.iscomplexobj(weights):
            want = want + 1j * np.bincount(out, weights.imag, minlength=nout)
        scale = max(1.0, float(np.max(np.abs(want), initial=0)), float(np.max(np.abs(got), initial=0)))
        if np.max(np.abs(got - want), initial=0) > call.check_tol * scale:
            return False
    return True


def _sweep(call, x_shape, k_shape, out_shape, batched):
    """Every (input entry, kernel entry) pair: one-hot kernels, one-hot inputs batched when `fn` batches."""
    nx, nk = prod(x_shape), prod(k_shape)
    batch = batched.size(nx) if batched is not None else 1
    cols = ([], [], [], [])
    eye_k = np.zeros(nk)
    for j in range(nk):
        eye_k[j] = 1
        for lo in range(0, nx, batch):
            hi = min(nx, lo + batch)
            ones = _one_hots(lo, hi, nx)
            ys = batched(ones, eye_k.reshape(k_shape)) if batched is not None else \
                call(ones.reshape(x_shape), eye_k.reshape(k_shape)).reshape(1, -1)
            n, o = np.nonzero(ys)
            for col, values in zip(cols, (o, lo + n, np.full(len(n), j), ys[n, o])):
                col.append(values)
        eye_k[j] = 0
    return tuple(np.concatenate(c) if c else np.empty(0) for c in cols)


def _check_bilinear(call, x_shape, k_shape, rng):
    x1, x2 = rng.integers(-3, 4, x_shape).astype(float), rng.integers(-3, 4, x_shape).astype(float)
    k1, k2 = rng.integers(-3, 4, k_shape).astype(float), rng.integers(-3, 4, k_shape).astype(float)
    base = call(x1, k1)
    checks = [
        ("additive in the first argument", call(x1 + x2, k1), base + call(x2, k1)),
        ("additive in the second argument", call(x1, k1 + k2), base + call(x1, k2)),
        ("homogeneous in the first argument", call(-3 * x1, k1), -3 * base),
        ("homogeneous in the second argument", call(x1, -2 * k1), -2 * base),
    ]
    for what, got, want in checks:
        scale = max(1.0, float(np.max(np.abs(want), initial=0)))
        tol = call.check_tol
        if got.shape != want.shape or not np.allclose(got, want, rtol=tol, atol=tol * scale):
            gap = float(np.max(np.abs(got - want), initial=0)) if got.shape == want.shape else "a shape change"
            raise NotBilinearError(f"{_name(call.fn)} is not bilinear: it is not {what} (deviation {gap} on random "
                                   f"integer inputs); probe() recovers only bilinear functions -- use sc.trace for NumPy code")
    return base.shape


def _exact(value, name: str, rtol: float = 1e-12):
    """A probed coefficient: an integer or a small fraction when the float lies within 1e-9 *relative* of it.

    The bound is relative to the value itself, so a small nonzero coefficient (``1e-9``) is never
    rounded to 0; it is kept as the float the function returned, with an :class:`InexactWarning`.
    Complex coefficients are read part by part.
    """
    if value == 0:
        return 0
    if isinstance(value, complex):
        re, im = _exact(value.real, name, rtol), _exact(value.imag, name, rtol)
        return sympy.sympify(re) + sympy.I * sympy.sympify(im) if im else re
    r = round(value)
    if r != 0 and abs(value - r) <= rtol * abs(value):
        return int(r)
    f = Fraction(value).limit_denominator(1000)
    if f != 0 and abs(value - float(f)) <= rtol * abs(value):
        return f
    warnings.warn(f"{name}: coefficient {value!r} is not provably an integer or a small fraction; kept as a float",
                  InexactWarning, stacklevel=3)
    return value


def _table(o, i, j, c, out_shape, x_shape, k_shape, name, rtol=1e-12):
    x_t, k_t = as_terms(tensor("x", x_shape)), as_terms(tensor("k", k_shape))
    space = VarSpace.of(x_t.space.blocks + k_t.space.blocks)
    x_off = space.offsets[[b.label.name for b in space.blocks].index("x")]
    k_off = space.offsets[[b.label.name for b in space.blocks].index("k")]
    if not len(c):
        return canonical.zeros(out_shape, space)
    o, i, j, c = (np.asarray(col) for col in (o, i, j, c))
    keep = np.abs(c) > max(NOISE, rtol) * np.max(np.abs(c))  # the function's rounding noise (an FFT's), by its scale
    o, i, j, c = o[keep], i[keep], j[keep], c[keep]
    mono = np.stack([i + x_off + 1, j + k_off + 1], axis=1)
    coef = np.array([_exact(complex(v) if np.iscomplexobj(v) else float(v), name, rtol) for v in c], dtype=object)
    return canonical.build(out_shape, space, o.astype(np.int64), mono.astype(np.int64), coef)
