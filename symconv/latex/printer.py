"""symconv's one LaTeX printer: a SymPy ``LatexPrinter`` with the conventions of the field.

- tensors print as ``x_{i,j}``; a name map gives tensors (and defined
  tensors, through templates) the LaTeX names a reader expects;
- nested sums print one ``\\sum`` per index, outermost first, with natural bounds;
- terms of polynomials keep the order they were written in (``order='none'``);
  index arithmetic reads naturally (``i + 1``);
- negative numbers that stand as factors are parenthesized: ``2 \\cdot (-3)``.

The math modules never import this one; objects reach it through ``_latex``
hooks or :func:`latex`.

>>> import sympy
>>> x = sympy.IndexedBase("x")
>>> i, j = sympy.symbols("i j", integer=True)
>>> latex(x[i + 1, j])
'x_{i + 1,j}'
>>> latex(sympy.Mul(2, -3, evaluate=False))
'2 \\\\cdot \\\\left(-3\\\\right)'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter

from .printing import MAX_COLS, array_latex


class SymconvLatexPrinter(LatexPrinter):
    """``LatexPrinter`` with symconv's settings: ``names`` (label -> name or template) and ``max_entries``."""

    _default_settings = {**LatexPrinter._default_settings, "names": None, "order_of": None, "max_entries": MAX_COLS, "order": "none"}

    def _name_of(self, label):
        names = self._settings["names"] or {}
        return names.get(label) if label in names else names.get(getattr(label, "name", None))

    def _print_Symbol(self, expr, style="plain"):
        name = self._name_of(expr)
        return name if isinstance(name, str) else super()._print_Symbol(expr, style=style)

    def _print_IndexedBase(self, expr):
        name = self._name_of(expr.label)
        return name if isinstance(name, str) else self._print(expr.label)

    def _print_Indexed(self, expr):
        name = self._name_of(expr.base.label)
        indices = [self._print(i) for i in expr.indices]
        if callable(name):
            return name(*indices)
        base = name if isinstance(name, str) else self._print(expr.base.label)
        if "_" in base or "^" in base:  # a base with its own subscript (corr_{1}): braces, never a double subscript
            base = "{" + base + "}"
        return f"{base}_{{{','.join(indices)}}}"

    def _print_Add(self, expr, order=None):
        if order is None and not expr.has(sympy.Indexed, sympy.Sum):
            # index arithmetic as a person writes it: the positive terms (i + u, k_h), then the constant, then the
            # negative ones -- k_h - 1 - u, 2 - u, q - j -- never SymPy's -u + 2
            terms = sympy.Add.make_args(expr)
            plus = sorted((t for t in terms if not t.is_number and not t.could_extract_minus_sign()),
                          key=sympy.default_sort_key)
            minus = sorted((t for t in terms if not t.is_number and t.could_extract_minus_sign()),
                           key=sympy.default_sort_key)
            const = [t for t in terms if t.is_number]
            ordered = plus + const + minus
            if len(ordered) > 1:
                def term(t):
                    text = self._print(t)
                    return rf"\left({text}\right)" if isinstance(t, sympy.Mod) else text
                out = term(ordered[0])
                for t in ordered[1:]:
                    out += " - " + term(-t) if t.could_extract_minus_sign() else " + " + term(t)
                return out
        if order is None and (self._settings["order"] == "none") and len(expr.args) > 1:
            args = sorted(expr.args, key=lambda a: bool(a.could_extract_minus_sign()))  # a - b, not -b + a
            if list(args) != list(expr.args):
                return super()._print_Add(sympy.Add(*args, evaluate=False), order="none")
        return super()._print_Add(expr, order=order)

    def _print_Mod(self, expr, exp=None):
        """``a \\bmod b`` with a compound divisor in parentheses (``t \\bmod (k_h k_w)``, never ``t \\bmod k_h k_w``),
        and the whole in parentheses inside a sum (``(t \\bmod n) + 1``)."""
        a, b = expr.args
        left = self.parenthesize(a, 45) if (a.is_Add or a.is_Mul) else self._print(a)
        right = self._print(b) if (b.is_Symbol or b.is_Integer) else rf"\left({self._print(b)}\right)"
        text = rf"{left} \bmod {right}"
        return rf"\left({text}\right)^{{{exp}}}" if exp is not None else text

    def _print_Sum(self, expr):
        heads = []
        for var, lo, hi in reversed(expr.limits):
            heads.append(rf"\sum_{{{self._print(var)}={self._print(lo)}}}^{{{self._print(hi)}}}")
        body = self._print(expr.function)
        if expr.function.is_Add:
            body = rf"\left({body}\right)"
        return " ".join(heads) + " " + body

    def _rank(self, f):
        order = self._settings["order_of"] or {}
        base = f.base if isinstance(f, sympy.Indexed) else (f.base.base if f.is_Pow and isinstance(f.base, sympy.Indexed) else f)
        if not isinstance(base, (sympy.IndexedBase, sympy.Symbol)):  # a bracket: ranked by what it contains
            return max((self._rank(a) for a in base.atoms(sympy.Indexed)), default=(0, 0))
        label = getattr(base, "label", base)
        return (1, order.get(label, len(order))) if label in order else (0, 0)

    def _print_Mul(self, expr):
        if expr.has(sympy.Indexed, sympy.Sum) and expr.is_commutative:
            return self._print_product(expr)
        return self._print_numbers(expr)

    def _print_product(self, expr):
        """Factors in reading order (inputs before kernels), brackets only around sums."""
        coeff, factors = expr.as_coeff_mul()
        factors = sorted(factors, key=self._rank)
        parts = []
        for n, f in enumerate(factors):
            text = self._print(f)
            if f.is_Add or (isinstance(f, sympy.Sum) and n < len(factors) - 1):
                text = rf"\left({text}\right)"
            parts.append(text)
        text = " ".join(parts)
        if coeff == 1:
            return text
        if coeff == -1:
            return "- " + text
        return self._print(coeff) + " " + text

    def _print_numbers(self, expr):
        factors = expr.args
        if any(f.is_Number and f.is_negative for f in factors[1:]) or (
                len(factors) > 1 and all(f.is_Number for f in factors)):
            parts = []
            for n, f in enumerate(factors):
                text = self._print(f)
                if (f.is_Number and f.is_negative and len(factors) > 1) or f.is_Add:
                    text = rf"\left({text}\right)"
                parts.append(text)
            return r" \cdot ".join(parts)
        return super()._print_Mul(expr)

    def _print_SymArray(self, expr):
        limit = self._settings["max_entries"]
        return array_latex(expr, self, max_rows=limit, max_cols=limit)

    _print_SymMatrix = _print_SymArray


def latex(obj: Any, *, max_entries: int | None = None,
          names: Mapping[str | sympy.Basic, str | Callable[..., str]] | None = None, **settings: Any) -> str:
    r"""LaTeX for any symconv or SymPy object; matrices are elided past `max_entries` rows/columns.

    Tensors print as ``x_{i,j}``, sums one ``\sum`` per index with their bounds, terms in the order they
    were written; arrays print as bracketed matrices.  An object with its own ``latex()`` method (an
    :class:`~symconv.identify.Identification`, a :class:`~symconv.equivalence.Verdict`, ...) prints
    through it.  The result has no ``$`` around it.

    Parameters
    ----------
    obj : object
        What to print: a :class:`~symconv.array.SymArray`, a SymPy expression, ``Eq``, ``Array`` or
        ``Matrix``, a NumPy array, or an object with a ``latex()`` method.
    max_entries : int or None, default None
        At least 2: arrays with more rows (or columns) than this show their first and last ones around
        ``\cdots``/``\vdots``.  ``None`` is 8.
    names : mapping or None, default None
        The LaTeX name of each tensor or symbol, keyed by its name (or label symbol): a string
        (``{"x": "I"}``), or a callable that gets the printed indices and returns the whole entry
        (``{"y": lambda n: rf"(x \star k)_{{{n}}}"}``), for defined tensors.
    **settings
        Further settings of SymPy's ``LatexPrinter`` (``mul_symbol="dot"``, ...).

    Returns
    -------
    str
        The LaTeX, without math delimiters.

    Raises
    ------
    InvalidArgumentError
        `max_entries` is not an integer >= 2.
    InvalidTypeError
        SymPy's printer refuses one of the `settings`.

    See Also
    --------
    parse_latex : LaTeX in.

    Examples
    --------
    >>> import symconv as sc
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> print(latex(sc.correlate(x, k)))
    \left[\begin{matrix}k_{0} x_{0} + k_{1} x_{1} & k_{0} x_{1} + k_{1} x_{2}\end{matrix}\right]
    >>> print(latex(x[0] * k[1], names={"x": "I", "k": "K"}))
    K_{1} I_{0}
    >>> r"\cdots" in latex(sc.tensor("x", (12, 12)), max_entries=4)
    True
    >>> latex(sc.tensor("x", (2, 2)))
    '\\left[\\begin{matrix}x_{0,0} & x_{0,1}\\\\x_{1,0} & x_{1,1}\\end{matrix}\\right]'
    >>> print(latex(sc.parse_latex(r"y_n = \sum_{m=0}^{1} x_{n+m} w_m")))
    y_{n} = \sum_{m=0}^{1} w_{m} x_{m + n}
    >>> print(latex(sc.identify(sc.correlate(x, k))))
    \text{cross-correlation}\quad(\text{mode}=\text{valid}, \text{stride}=(1,), \text{dilation}=(1,))
    >>> latex(x, max_entries=1)
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: max_entries=1 is not valid; expected an integer >= 2
    """
    from ..array import SymArray

    if max_entries is not None and (not isinstance(max_entries, int) or max_entries < 2):
        from ..errors import InvalidArgumentError, describe

        raise InvalidArgumentError(f"max_entries={describe(max_entries)} is not valid; expected an integer >= 2")
    if hasattr(obj, "latex") and not isinstance(obj, (sympy.Basic, SymArray)):
        try:
            return obj.latex(max_entries=max_entries)
        except TypeError:
            return obj.latex()
    try:
        printer = SymconvLatexPrinter({"names": names, "max_entries": max_entries or MAX_COLS, **settings})
    except (TypeError, ValueError) as err:
        from ..errors import InvalidTypeError

        raise InvalidTypeError(f"latex() got the settings {sorted(settings)}, which SymPy's LaTeX printer refuses "
                               f"({err}); expected SymPy printer settings such as mul_symbol='dot'") from None
    if isinstance(obj, SymArray) or (not isinstance(obj, sympy.Basic) and hasattr(obj, "shape") and hasattr(obj, "tolist")):
        from ..tensors import as_array

        arr = obj if isinstance(obj, SymArray) else as_array(obj)
        limit = max_entries or MAX_COLS
        return array_latex(arr, printer, max_rows=limit, max_cols=limit)
    if isinstance(obj, (sympy.MatrixBase, sympy.NDimArray)):
        from ..tensors import as_array

        limit = max_entries or MAX_COLS
        return array_latex(as_array(obj), printer, max_rows=limit, max_cols=limit)
    return printer.doprint(obj)
