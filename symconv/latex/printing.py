"""LaTeX for arrays, eliding the middle of large ones with ``\\cdots``/``\\vdots``/``\\ddots``."""

from __future__ import annotations

import sympy

#: rows and columns shown before eliding
MAX_ROWS = 8
MAX_COLS = 8


def _keep(n: int, limit: int):
    """Indices shown of `n` (``None`` marks the elision)."""
    if n <= limit:
        return list(range(n))
    head = (limit + 1) // 2
    return list(range(head)) + [None] + list(range(n - (limit - head), n))


def array_latex(arr, printer=None, *, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """LaTeX of a 0-, 1- or 2-D array, elided past `max_rows` x `max_cols`.

    >>> import symconv as sc
    >>> print(array_latex(sc.tensor("x", (2,))))
    \\left[\\begin{matrix}{x}_{0} & {x}_{1}\\end{matrix}\\right]
    >>> "\\\\cdots" in array_latex(sc.tensor("x", (3, 20)))
    True
    """
    show = (printer._print if printer is not None else sympy.latex)
    if not arr.shape:
        return show(arr[()])
    ndim = len(arr.shape)
    if ndim > 2:
        dims = r" \times ".join(str(s) for s in arr.shape)
        return r"\text{array of shape } " + dims
    rows, cols = (1, arr.shape[0]) if ndim == 1 else arr.shape
    lines = []
    for r in _keep(rows, max_rows):
        cells = []
        for c in _keep(cols, max_cols):
            if r is None:
                cells.append(r"\ddots" if c is None else r"\vdots")
            elif c is None:
                cells.append(r"\cdots")
            else:
                cells.append(show(arr[c] if ndim == 1 else arr[r, c]))
        lines.append(" & ".join(cells))
    return r"\left[\begin{matrix}" + r"\\".join(lines) + r"\end{matrix}\right]"


def verdict_latex(verdict) -> str:
    """A verdict as LaTeX: ``a \\equiv b`` or ``a \\not\\equiv b`` with the first mismatch and a witness."""
    if verdict.equal:
        return r"a \equiv b \quad \text{(equal as polynomials, shape } " + _shape(verdict.a.shape) + ")"
    if not verdict.shapes_match:
        return (r"a \not\equiv b \quad \text{(shapes } " + _shape(verdict.a.shape) + r" \text{ and } "
                + _shape(verdict.b.shape) + ")")
    index, diff = verdict.mismatches[0]
    at = ",".join(str(i) for i in index)
    text = r"a \not\equiv b:\quad (a - b)_{" + at + "} = " + sympy.latex(diff)
    witness = verdict.counterexample
    if witness is not None:
        chosen = ", ".join(f"{sympy.latex(s)} = {v}" for s, v in witness.items() if v != 0)
        text += (r",\quad \text{e.g. } " + chosen + r" \text{ gives } " + sympy.latex(witness.a_value)
                 + r" \ne " + sympy.latex(witness.b_value))
    return text


def _shape(shape) -> str:
    return r"\times".join(str(s) for s in shape) if shape else "()"
