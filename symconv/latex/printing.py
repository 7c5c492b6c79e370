"""LaTeX for arrays, eliding the middle of large ones with ``\\cdots``/``\\vdots``/``\\ddots``."""

from __future__ import annotations

import numpy as np
import sympy

#: rows and columns shown before eliding
MAX_ROWS = 8
MAX_COLS = 8
#: terms shown in all the entries of one array together; beyond, each entry ends in ``+ \cdots``
MAX_TERMS = 96


def _keep(n: int, limit: int):
    """Indices shown of `n` (``None`` marks the elision)."""
    if n <= limit:
        return list(range(n))
    head = (limit + 1) // 2
    return list(range(head)) + [None] + list(range(n - (limit - head), n))


def array_latex(arr, printer=None, *, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS,
                max_terms: int = MAX_TERMS) -> str:
    """LaTeX of an array, elided past `max_rows` x `max_cols` and past `max_terms` terms in all.

    Only the entries shown are built, and of each only the terms shown, so the LaTeX of any
    result is a few KB, however many terms it holds.  Arrays of rank 3 and more nest, as SymPy's do.

    >>> import symconv as sc
    >>> print(array_latex(sc.tensor("x", (2,))))
    \\left[\\begin{matrix}{x}_{0} & {x}_{1}\\end{matrix}\\right]
    >>> "\\\\cdots" in array_latex(sc.tensor("x", (3, 20)))
    True
    >>> y = sc.correlate(sc.tensor("x", (40,)), sc.tensor("k", (30,)))
    >>> len(array_latex(y)) < 4000 and "+ \\\\cdots" in array_latex(y)
    True
    """
    show = (printer._print if printer is not None else sympy.latex)
    if not arr.shape:
        return show(arr[()])
    rank = len(arr.shape)
    # the last two axes as a matrix; leading axes of a rank-3+ array show their first and last blocks only
    shown = [_keep(n, 2 if a < rank - 2 else (max_rows if a == rank - 2 else max_cols)) for a, n in enumerate(arr.shape)]
    cells = max(1, _count(shown))
    per_entry = max(1, max_terms // cells)
    return _nested(arr, show, shown, (), per_entry)


def _count(shown) -> int:
    total = 1
    for keep in shown:
        total *= sum(i is not None for i in keep)
    return total


def _entry(arr, index, show, per_entry) -> str:
    terms = getattr(arr, "terms", None)
    if terms is None:
        return show(arr[index])
    flat = int(np.ravel_multi_index(index, arr.shape))
    head = terms.entry(flat, per_entry)
    text = show(head)
    if terms._key is not None and terms.counts()[flat] > per_entry:
        text += r" + \cdots"
    return text


def _nested(arr, show, shown, prefix, per_entry) -> str:
    """A matrix of the last two axes for each index of the leading ones, nested as SymPy prints arrays."""
    rank = len(arr.shape) - len(prefix)
    if rank <= 2:
        rows = [None] if rank == 1 else shown[len(prefix)]
        cols = shown[-1]
        lines = []
        for r in (rows if rank == 2 else [0]):
            cells = []
            for c in cols:
                if r is None and rank == 2:
                    cells.append(r"\ddots" if c is None else r"\vdots")
                elif c is None:
                    cells.append(r"\cdots")
                else:
                    cells.append(_entry(arr, prefix + ((r, c) if rank == 2 else (c,)), show, per_entry))
            lines.append(" & ".join(cells))
        return r"\left[\begin{matrix}" + r"\\".join(lines) + r"\end{matrix}\right]"
    parts = [r"\cdots" if i is None else _nested(arr, show, shown, prefix + (i,), per_entry)
             for i in shown[len(prefix)]]
    return r"\left[\begin{matrix}" + " & ".join(parts) + r"\end{matrix}\right]"


def verdict_latex(verdict, printer=None, *, prose: bool = False) -> str:
    """A verdict as LaTeX -- the one renderer of a :class:`~symconv.equivalence.Verdict`.

    By default math (no ``$``): ``a \\equiv b`` or ``a \\not\\equiv b`` with the first mismatch and a
    witness.  With `prose`, the sentence a document prints (``\\textbf{equal}, entry by entry.``, or the
    first differing entry, the size of the difference and the witness); `printer` prints the symbols.
    """
    show = printer.doprint if printer is not None else sympy.latex
    witness = verdict.counterexample
    chosen = [f"{show(s)} = {v}" for s, v in witness.items() if v != 0] if witness is not None else []
    if verdict.equal:
        return (r"\textbf{equal}, entry by entry." if prose
                else r"a \equiv b \quad \text{(equal as polynomials, shape } " + _shape(verdict.a.shape) + ")")
    if not verdict.shapes_match:
        if prose:
            return (f"\\textbf{{not equal}}: the shapes differ (${_shape(verdict.a.shape)}$ and "
                    f"${_shape(verdict.b.shape)}$).")
        return (r"a \not\equiv b \quad \text{(shapes } " + _shape(verdict.a.shape) + r" \text{ and } "
                + _shape(verdict.b.shape) + ")")
    index, diff = verdict.mismatches[0]
    at = ",".join(str(i) for i in index)
    if prose:
        n = len(sympy.Add.make_args(sympy.expand(diff)))
        out = f"\\textbf{{not equal}}: entry $[{at}]$ differs (the difference has {n} terms)"
        if witness is not None:
            out += (f"; with {', '.join(f'${c}$' for c in chosen)} and every other entry 0, the formula "
                    f"gives ${show(witness.a_value)}$ and this operation ${show(witness.b_value)}$")
        return out + "."
    text = r"a \not\equiv b:\quad (a - b)_{" + at + "} = " + show(diff)
    if witness is not None:
        text += r",\quad \text{e.g. } " + ", ".join(chosen) + r" \text{ gives } " + show(witness.a_value) + r" \ne " \
            + show(witness.b_value)
    return text


def _shape(shape) -> str:
    return r"\times".join(str(s) for s in shape) if shape else "()"
