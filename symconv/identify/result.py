"""The answer of `identify`: an :class:`Identification` (kind, parameters, roles)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .explain import latex_value
from .kinds import KINDS, TABLE


class Params(Mapping):
    """The parameters of an identification: an immutable, hashable mapping that reads like a dict.

    >>> p = Params({"mode": "valid", "stride": (1,)})
    >>> p == {"mode": "valid", "stride": (1,)}, p["mode"], hash(p) == hash(Params(p))
    (True, 'valid', True)
    >>> p
    {'mode': 'valid', 'stride': (1,)}
    """

    __slots__ = ("_items",)

    def __init__(self, items=()):
        self._items = tuple((dict(items) if not isinstance(items, dict) else items).items())

    def __getitem__(self, key):
        for k, v in self._items:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self):
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return repr(dict(self._items))


@dataclass(frozen=True)
class Identification:
    """What an object computes: ``kind``, its ``params``, and which tensor plays which role.

    Immutable and hashable (``params`` is a :class:`Params`), so identifications can be cached and
    collected in sets.

    >>> import symconv as sc
    >>> found = sc.identify(sc.correlate(sc.tensor("x", (4,)), sc.tensor("k", (2,))))
    >>> found.kind, found.params["mode"], found in {found}
    ('correlation', 'valid', True)
    """

    kind: str
    params: dict = field(default_factory=dict)
    input: str | None = None
    kernel: str | None = None
    detail: str = ""
    formula: object = field(default=None, compare=False)   # the Formula read, for LaTeX input
    reading: dict = field(default_factory=dict, compare=False)
    explainer: object = field(default=None, compare=False, repr=False)  # set by the formula reading

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} is not one of {KINDS}")
        if not isinstance(self.params, Params):
            object.__setattr__(self, "params", Params(self.params))

    def explain(self) -> str:
        """One or two sentences: what it computes, and why the other readings fail."""
        if self.explainer is not None:
            return self.explainer(self)
        return TABLE[self.kind].explain(self, self.input or "x", self.kernel or "k")

    def latex(self) -> str:
        name = TABLE[self.kind].latex
        params = ", ".join(f"\\text{{{key.replace('_', ' ')}}}={latex_value(value)}" for key, value in self.params.items())
        return name + (r"\quad(" + params + ")" if params else "")

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.latex() + "$"

    def __repr__(self) -> str:
        return f"Identification(kind={self.kind!r}, params={self.params}, input={self.input!r}, kernel={self.kernel!r})"
