"""The answer of `identify`: an :class:`Identification` (kind, parameters, roles)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .explain import explain_array, latex_value

KINDS = ("correlation", "convolution", "hadamard-sum", "matrix-product", "unknown")


@dataclass(frozen=True)
class Identification:
    """What an object computes: ``kind``, its ``params``, and which tensor plays which role."""

    kind: str
    params: dict = field(default_factory=dict)
    input: str | None = None
    kernel: str | None = None
    detail: str = ""
    formula: object = field(default=None, compare=False)   # the Formula read, for LaTeX input
    reading: dict = field(default_factory=dict, compare=False)

    def explain(self) -> str:
        """One or two sentences: what it computes, and why the other readings fail."""
        if self.formula is not None:
            from ..identify_formula import explain_formula

            return explain_formula(self)
        return explain_array(self)

    def latex(self) -> str:
        name = {"correlation": r"\text{cross-correlation}", "convolution": r"\text{convolution}",
                "hadamard-sum": r"\textstyle\sum_i x_i k_i", "matrix-product": r"x\,k",
                "unknown": r"\text{unknown}"}[self.kind]
        params = ", ".join(f"\\text{{{key.replace('_', ' ')}}}={latex_value(value)}" for key, value in self.params.items())
        return name + (r"\quad(" + params + ")" if params else "")

    def __repr__(self) -> str:
        return f"Identification(kind={self.kind!r}, params={self.params}, input={self.input!r}, kernel={self.kernel!r})"
