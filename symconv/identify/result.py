"""The answer of `identify`: an :class:`Identification` (kind, parameters, roles)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..formula import Formula
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
    r"""What an object computes: ``kind``, its ``params``, and which tensor plays which role.

    The answer of :func:`symconv.identify`.  Immutable and hashable (``params`` is a :class:`Params`), so
    identifications can be cached and collected in sets; two are equal when their ``kind``, ``params``,
    ``input``, ``kernel`` and ``detail`` are (``formula``, ``reading`` and ``explainer`` are not compared).

    Attributes
    ----------
    kind : {"correlation", "convolution", "hadamard-sum", "matrix-product", "unknown"}
        What is computed (one of :data:`~symconv.identify.KINDS`): a cross-correlation (what a CNN layer
        computes), a true (flipped) convolution, a sum of element-wise products, a matrix product, or
        ``"unknown"`` when no reading matches exactly.
    params : Params
        The parameters of the reading, an immutable mapping that compares equal to the dict it prints as:
        ``mode``, ``stride``, ``dilation`` and ``flipped`` (the flipped axes) for a windowed sum, the layer
        geometry (``channels``, ``batch``, ``bias``, ``groups``, ``layout``, ...) for a layer, the
        ``window`` of a windowed matrix product; empty for a plain matrix product, a Hadamard sum and
        ``"unknown"``.  A formula's stride and dilation may be symbols.
    input : str or None
        The name of the tensor that is the input (the data slid over), ``None`` for ``"unknown"``.
    kernel : str or None
        The name of the tensor that is the kernel (the weights), ``None`` for ``"unknown"``.
    detail : str
        More about the reading in words: for ``"unknown"`` why no reading matches, for a layer what it
        sums (``"a layer: channels summed, ..."``); ``''`` when there is nothing to add.
    formula : Formula or None
        The :class:`~symconv.formula.Formula` read, when a formula (LaTeX, ``Eq`` or ``Sum``) was
        identified; ``None`` for arrays and functions.
    reading : dict
        The evidence of a formula's reading, for explanations and documents: its operator ``claims``, the
        ``sizes``, parameter ``values`` and sum ``ranges`` of the two instances compared, the ``outputs``
        indices, the ``input_index`` and ``kernel_index`` expressions, ...; empty for arrays and functions.
    explainer : callable or None
        Set by the formula reading to phrase :meth:`explain`; ``None`` uses the kind's own sentence.

    Raises
    ------
    ValueError
        On construction, when `kind` is not one of :data:`~symconv.identify.KINDS`.

    Examples
    --------
    >>> import symconv as sc
    >>> found = sc.identify(sc.correlate(sc.tensor("x", (4,)), sc.tensor("k", (2,))))
    >>> found.kind, found.params["mode"], found in {found}
    ('correlation', 'valid', True)
    >>> found.input, found.kernel, found.detail
    ('x', 'k', '')

    ``params`` reads like a dict (and is not one: it cannot be changed):

    >>> found.params
    {'mode': 'valid', 'stride': (1,), 'dilation': (1,)}
    >>> found.params == {"mode": "valid", "stride": (1,), "dilation": (1,)}, list(found.params)
    (True, ['mode', 'stride', 'dilation'])
    >>> found.params.get("padding") is None
    True

    In words and in LaTeX:

    >>> print(found.explain())  # doctest: +NORMALIZE_WHITESPACE
    This is a cross-correlation (mode=valid, stride=(1,), dilation=(1,)): y[n] = sum_m x[n+m] k[m], the sum of
    element-wise products of k with each window of x (a dot product of the flattened window and kernel). It
    equals a convolution only for centro-symmetric kernels, and it is not a matrix product.
    >>> print(found.latex())
    \text{cross-correlation}\quad(\text{mode}=\text{valid}, \text{stride}=(1,), \text{dilation}=(1,))

    Equal readings are equal, and hash alike:

    >>> again = sc.identify(sc.correlate(sc.tensor("x", (4,)), sc.tensor("k", (2,))))
    >>> found == again, len({found, again})
    (True, 1)

    A formula keeps what was read:

    >>> read = sc.identify(r"y_n = \sum_{m=0}^{1} x_{n+m} w_m")
    >>> read.formula.expr
    Eq(y[n], Sum(w[m]*x[m + n], (m, 0, 1)))
    >>> read.reading["outputs"], read.reading["sizes"][0]
    ((n,), {w: (2,), x: (4,)})

    What matches nothing says why:

    >>> sc.identify(sc.tensor("x", (3,)))
    Identification(kind='unknown', params={}, input=None, kernel=None)
    >>> sc.identify(sc.tensor("x", (3,))).detail
    'it involves 1 tensor or symbol, expected two'
    """

    kind: Literal["correlation", "convolution", "hadamard-sum", "matrix-product", "unknown"]
    params: Mapping[str, Any] = field(default_factory=dict)
    input: str | None = None
    kernel: str | None = None
    detail: str = ""
    formula: Formula | None = field(default=None, compare=False)   # the Formula read, for LaTeX input
    reading: dict[str, Any] = field(default_factory=dict, compare=False)
    # set by the formula reading
    explainer: Callable[[Identification], str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} is not one of {KINDS}")
        if not isinstance(self.params, Params):
            object.__setattr__(self, "params", Params(self.params))

    def explain(self, style: str = "plain") -> str:
        """One or two sentences: what it computes, and why the other readings fail.

        Parameters
        ----------
        style : {"plain", "math"}, default "plain"
            For a formula, ``"math"`` gives the index expressions as LaTeX between the markers
            ``symconv.identify.formula.MATH_OPEN``/``MATH_CLOSE`` (documents set them as mathematics).

        Returns
        -------
        str
            Plain text; for a formula also what the formula claims and how the reading was checked.
        """
        if self.explainer is not None:
            return self.explainer(self, style) if style != "plain" else self.explainer(self)
        return TABLE[self.kind].explain(self, self.input or "x", self.kernel or "k")

    def latex(self) -> str:
        r"""The kind and its parameters in LaTeX (what Jupyter shows).

        Returns
        -------
        str
            The kind's name, then ``\quad(`` the parameters ``)`` when there are any.

        Examples
        --------
        >>> import symconv as sc
        >>> sc.identify(sc.matmul(sc.tensor("a", (2, 2)), sc.tensor("b", (2, 2)))).latex()
        'x\\,k'
        """
        name = TABLE[self.kind].latex
        params = ", ".join(f"\\text{{{key.replace('_', ' ')}}}={latex_value(value)}" for key, value in self.params.items())
        return name + (r"\quad(" + params + ")" if params else "")

    def _repr_latex_(self) -> str:
        return "$\\displaystyle " + self.latex() + "$"

    def __repr__(self) -> str:
        return f"Identification(kind={self.kind!r}, params={self.params}, input={self.input!r}, kernel={self.kernel!r})"
