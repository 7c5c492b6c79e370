"""General-size derivations with checked steps (see :mod:`symconv.proofs.derivation`).

>>> import symconv as sc
>>> d = sc.derive("convolution-is-flipped-correlation")
>>> d.verified, len(d.steps)
(True, 5)
>>> sc.derive("hadamard-sum-is-flattened-dot", m=2, n=2).sizes
{'m': 2, 'n': 2}
"""

from __future__ import annotations


from ..errors import InvalidArgumentError, InvalidTypeError, describe, unknown_option
from .catalogue import CATALOGUE, CORE
from .concrete import ProofError
from .derivation import Chain, Derivation, Fact, Step
from .kernel import RULES
from .rules import (Algebra, ExchangeRange, Sift, ExtendByZero, Flatten, Fold, MergeSums, PullIn, Reindex, SingleTerm, Substitute, Swap,
                    Unfold, ZeroSum)
from .vocab import Context, Iverson, Symmetry, index, sums

__all__ = ["derive", "catalogue", "Context", "Chain", "Derivation", "Step", "Fact", "ProofError", "index", "sums",
           "Iverson", "Symmetry", "RULES", "Unfold", "Fold", "Reindex", "Flatten", "Swap", "SingleTerm",
           "ExtendByZero", "ExchangeRange", "Sift", "MergeSums", "PullIn", "Algebra", "ZeroSum", "Substitute", "CATALOGUE", "CORE"]



def catalogue() -> list[str]:
    """The names of the derivations, the ten of API.md first."""
    from ..entries import names

    return names()


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
    return general.at(**sizes)
