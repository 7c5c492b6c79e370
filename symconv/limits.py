"""Size limits: huge requests are refused up front with an estimate, not by running out of memory."""

from __future__ import annotations

from dataclasses import dataclass

import numbers
from typing import Any

from .errors import InvalidArgumentError, InvalidTypeError, TooLargeError, describe

#: bytes one term of a finished table holds while it is built and canonicalized (key, its sorted copy, coefficient)
BYTES_PER_TERM = 24
#: the same when the packed keys do not fit int64 and are Python integers (a pointer and an int object each, twice)
BYTES_PER_OBJECT_TERM = 150
#: bytes of temporaries per term of one chunk in flight (index triples, monomials, keys of the chunk);
#: chunks hold at most ``symconv.canonical.CHUNK_TERMS`` terms
BYTES_PER_CHUNK_TERM = 160
#: the same with Python-integer keys
BYTES_PER_OBJECT_CHUNK_TERM = 200
CHUNK_TERMS = 1 << 22
#: rough bytes of one SymPy term object (a Mul of two Indexed plus its Add slot)
SYMPY_BYTES_PER_TERM = 1500


def _available_bytes() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 2**30


@dataclass
class Limits:
    """The limits in force; change them with :func:`set_limits`.

    Attributes
    ----------
    max_terms : int
        Most terms (monomials) one exact table may hold; default 10**9.
    max_bytes : int
        Most memory (bytes, estimated up front) building one table may need;
        default 60% of the memory available when this module is first imported (of
        8 GiB when that is unknown).
    max_sympy_terms : int
        Most SymPy terms built at once when an array is converted
        (``tolist()``, iteration, ``sympy.Array(a)``, ``np.asarray(a)``);
        default 2,000,000.
    """

    max_terms: int = 1_000_000_000
    max_bytes: int = int(0.6 * _available_bytes())
    max_sympy_terms: int = 2_000_000


LIMITS = Limits()


def set_limits(*args: Any, **changes: int) -> Limits:
    """Change the limits (``max_terms``, ``max_bytes``, ``max_sympy_terms``, positive integers); returns the old ones.

    Requests beyond the limits are refused up front with
    :class:`~symconv.errors.TooLargeError` and an estimate, rather than by
    running out of memory.  All changes are checked before any is made; a
    limit not named keeps its value.

    Parameters
    ----------
    *args
        Not accepted: the limits are keyword arguments only.
    **changes : int
        New values, positive integers: ``max_terms`` (terms of one exact
        table), ``max_bytes`` (estimated peak memory of building one table)
        and ``max_sympy_terms`` (SymPy terms built by one conversion); see
        :class:`Limits`.

    Returns
    -------
    Limits
        A copy of the limits as they were, so ``set_limits(**vars(old))``
        restores them.

    Raises
    ------
    InvalidTypeError
        A positional argument is given, a name is not one of the limits, or
        a value is not an integer (``bool`` included).
    InvalidArgumentError
        A value is smaller than 1.

    Examples
    --------
    >>> old = set_limits(max_terms=10)
    >>> LIMITS.max_terms
    10
    >>> _ = set_limits(**vars(old))
    >>> set_limits(max_terms=1.7)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidTypeError: max_terms=1.7 is not an integer; expected a positive integer
    >>> set_limits(max_terms=0)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: max_terms=0 is too small; expected a positive integer

    What a limit refuses:

    >>> import symconv as sc
    >>> old = sc.set_limits(max_terms=100)
    >>> sc.tensor("x", (20, 20))
    Traceback (most recent call last):
    ...
    symconv.errors.TooLargeError: tensor 'x' of shape (20, 20) would need about 400 terms (~...); the limits are 100
    terms and ... (symconv.set_limits changes them); expected a smaller request
    >>> _ = sc.set_limits(**vars(old))
    >>> LIMITS.max_terms == old.max_terms
    True
    """
    names = sorted(vars(LIMITS))
    if args:
        raise InvalidTypeError(f"set_limits() takes keyword arguments only, got {describe(args)}; expected e.g. "
                               f"set_limits(max_terms=10**8), with limits {', '.join(names)}")
    for name, value in changes.items():
        if name not in names:
            raise InvalidTypeError(f"set_limits() got an unknown limit {name!r}; expected one of {', '.join(names)}")
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise InvalidTypeError(f"{name}={describe(value)} is not an integer; expected a positive integer")
        if value < 1:
            raise InvalidArgumentError(f"{name}={value} is too small; expected a positive integer")
    old = Limits(**vars(LIMITS))
    for name, value in changes.items():
        setattr(LIMITS, name, int(value))
    return old


def _gb(n: float) -> str:
    if n >= 2**60:
        return f"{n / 2**30:.1e} GiB"
    return f"{n / 2**30:.1f} GiB" if n >= 2**28 else f"{n / 2**20:.1f} MiB"


def peak_bytes(n_terms: int, *, int64_keys: bool = True) -> int:
    """An upper bound of the memory a table of `n_terms` terms needs at its peak while it is built.

    Measured with tracemalloc (tests/test_resources.py checks it is an upper bound on both sides of the
    int64-key boundary): the finished table's bytes per term plus the temporaries of one chunk in flight.
    """
    per_term = BYTES_PER_TERM if int64_keys else BYTES_PER_OBJECT_TERM
    per_chunk_term = BYTES_PER_CHUNK_TERM if int64_keys else BYTES_PER_OBJECT_CHUNK_TERM
    return n_terms * per_term + min(n_terms, CHUNK_TERMS) * per_chunk_term


def check_terms(n_terms: int, what: str, *, int64_keys: bool = True) -> None:
    """Refuse to build a table of about `n_terms` terms when it would not fit (estimate: :func:`peak_bytes`)."""
    need = peak_bytes(n_terms, int64_keys=int64_keys)
    if n_terms > LIMITS.max_terms or need > LIMITS.max_bytes:
        count = f"{n_terms:,}" if n_terms < 10**15 else f"{n_terms:.1e}"
        raise TooLargeError(
            f"{what} would need about {count} terms (~{_gb(need)}); the limits are {LIMITS.max_terms:,} terms "
            f"and {_gb(LIMITS.max_bytes)} (symconv.set_limits changes them); expected a smaller request")


def check_sympy_terms(n_terms: int, what: str) -> None:
    """Refuse to build more SymPy objects than a machine holds comfortably."""
    if n_terms > LIMITS.max_sympy_terms:
        raise TooLargeError(
            f"{what} would build {n_terms:,} SymPy terms (~{_gb(n_terms * SYMPY_BYTES_PER_TERM)}); the limit is "
            f"{LIMITS.max_sympy_terms:,} (symconv.set_limits(max_sympy_terms=...)); index single entries instead, "
            f"or compare with symconv.equivalent, which never builds them")
