"""Worked arithmetic as a reader follows it: ``3 \\cdot (-2) + 1 \\cdot 0 + 2 \\cdot 3 = 4``.

Every product is written out factor by factor with ``\\cdot``, a negative factor in parentheses, zeros
kept, the terms in the order given (row-major over the input, by the caller) and joined by ``+``, so
the string reads left to right as the sum it is.  Only a pure view: the numbers are computed before.
"""

from __future__ import annotations

from collections.abc import Sequence

#: terms shown in full; a longer sum shows its first 6 and last 3 around ``\cdots``
MAX_SHOWN = 12


def number(v: int) -> str:
    """An integer factor: ``3``, ``0``, ``(-2)``."""
    return f"({v})" if v < 0 else str(v)


def product_sum(products: Sequence[Sequence[int]], total: int) -> str:
    """``a \\cdot b + c \\cdot d + ... = total`` for the integer factors of each term.

    >>> product_sum([(3, -2), (1, 0), (2, 3)], 0)
    '3 \\\\cdot (-2) + 1 \\\\cdot 0 + 2 \\\\cdot 3 = 0'
    """
    parts = [r" \cdot ".join(number(int(v)) for v in factors) for factors in products]
    if len(parts) > MAX_SHOWN:
        parts = parts[:6] + [r"\cdots"] + parts[-3:]
    return (" + ".join(parts) or "0") + f" = {int(total)}"
