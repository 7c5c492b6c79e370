"""General-size derivations with checked steps (see :mod:`symconv.proofs.derivation`).

>>> import symconv as sc
>>> d = sc.derive("convolution-is-flipped-correlation")
>>> d.verified, len(d.steps)
(True, 5)
>>> sc.derive("hadamard-sum-is-flattened-dot", m=2, n=2).sizes
{'m': 2, 'n': 2}
"""

from __future__ import annotations

import sympy

from ..errors import InvalidArgumentError, InvalidTypeError, describe, unknown_option
from .catalogue import CATALOGUE, CORE
from .concrete import ProofError
from .derivation import Derivation, Fact, Step

__all__ = ["derive", "catalogue", "Derivation", "Step", "Fact", "ProofError", "CATALOGUE", "CORE"]

#: short spellings accepted for sizes (``kh=3`` for ``k_h=3``)
ALIASES = {"kh": "k_h", "kw": "k_w"}


def catalogue() -> list[str]:
    """The names of the derivations, the ten of API.md first."""
    return list(CORE) + sorted(set(CATALOGUE) - set(CORE))


def derive(name: str | None = None, **sizes):
    """The derivation `name`, verified; with `sizes`, also expanded and re-checked at those sizes.

    With no name, the list of names in the catalogue.

    >>> import symconv as sc
    >>> "correlation-is-im2col-matmul" in sc.derive()
    True
    >>> sc.derive("correlation-is-im2col-matmul", H=5, W=5, kh=3, kw=3)
    <Derivation 'correlation-is-im2col-matmul': 5 steps, H=5, W=5, k_h=3, k_w=3, verified>
    >>> sc.derive("correlation-is-im2col-matmul", H=2, W=5, kh=3, kw=3)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: sizes H=2, W=5, k_h=3, k_w=3 are not valid for 'correlation-is-im2col-matmul'; expected H - k_h >= 0 and W - k_w >= 0
    """
    if name is None:
        if sizes:
            raise InvalidArgumentError(f"sizes {sizes} were given without a derivation name; expected derive(name, **sizes)")
        return catalogue()
    if not isinstance(name, str):
        raise InvalidTypeError(f"name={describe(name)} is not a string; expected one of {catalogue()}")
    if name not in CATALOGUE:
        raise unknown_option("name", name, catalogue())
    general = CATALOGUE[name]().verify()
    if not sizes:
        return general
    return general.at(**check_sizes(general, sizes))


def check_sizes(d: Derivation, sizes: dict) -> dict:
    """`sizes` by canonical name, validated against the derivation's sizes and constraints."""
    wanted = d.size_names()
    out = {}
    for key, value in sizes.items():
        canon = ALIASES.get(key, key)
        if canon in out:
            raise InvalidArgumentError(f"size {key}={describe(value)} repeats {canon}={out[canon]}; expected each size once")
        if canon not in wanted:
            raise InvalidArgumentError(f"size {key}={describe(value)} is not a size of {d.name!r}; expected sizes {', '.join(wanted)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidArgumentError(f"size {key}={describe(value)} is not valid; expected a positive integer")
        out[canon] = int(value)
    missing = [w for w in wanted if w not in out]
    if missing:
        raise InvalidArgumentError(f"sizes of {d.name!r} missing: {', '.join(missing)}; expected all of {', '.join(wanted)}")
    out = {w: out[w] for w in wanted}
    values = {s: out[s.name] for s in d.ctx.sizes}
    bad = [c for c in d.ctx.constraints if c.xreplace(values) < 0]
    if bad or not d._admissible(values):
        shown = ", ".join(f"{k}={v}" for k, v in out.items())
        rules = " and ".join(f"{sympy.sstr(c)} >= 0" for c in d.ctx.constraints) or "a non-empty output"
        raise InvalidArgumentError(f"sizes {shown} are not valid for {d.name!r}; expected {rules}")
    limit = 16
    if any(v > limit for v in out.values()):
        raise InvalidArgumentError(f"sizes {out} are too large to expand in a readable proof; expected each size <= {limit}")
    return out
