"""Size limits: huge requests are refused up front with an estimate, not by running out of memory."""

from __future__ import annotations

from dataclasses import dataclass

import numbers

from .errors import InvalidArgumentError, InvalidTypeError, TooLargeError, describe

#: bytes one term needs while a table is built and canonicalized (key, coefficient, sort scratch)
BYTES_PER_TERM = 24
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
    """The limits in force; change them with :func:`set_limits`."""

    max_terms: int = 1_000_000_000
    max_bytes: int = int(0.6 * _available_bytes())
    max_sympy_terms: int = 2_000_000


LIMITS = Limits()


def set_limits(*args, **changes) -> Limits:
    """Change the limits (``max_terms``, ``max_bytes``, ``max_sympy_terms``, positive integers); returns the old ones.

    >>> old = set_limits(max_terms=10)
    >>> LIMITS.max_terms
    10
    >>> _ = set_limits(**vars(old))
    >>> set_limits(max_terms=1.7)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidTypeError: max_terms=1.7 is not an integer; expected a positive integer
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


def check_terms(n_terms: int, what: str) -> None:
    """Refuse to build a table of about `n_terms` terms when it would not fit."""
    need = n_terms * BYTES_PER_TERM
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
