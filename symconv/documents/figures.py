"""Pictures a reader would rather look at than read, drawn as shaded cells of an ``array`` (colortbl, xcolor).

The colours ``window`` and ``kernel`` are defined in the documents' preamble
(:data:`symconv.documents.document.PREAMBLE`).  Each figure is computed from the sizes it is drawn at, with symconv's own index arithmetic
(:mod:`symconv.geometry` for windows, :func:`symconv.forms.im2col` and :func:`symconv.forms.toeplitz` for
the matrices), and handed to the printer as plain cells: a pure view.

>>> text = window_figure(4, 4, 2, 2, (1, 2))
>>> text.count(r"\\cellcolor{window}"), text.count(r"\\cellcolor{kernel}")
(4, 4)
"""

from __future__ import annotations

def grid(cells, shaded: dict | None = None) -> str:
    """An ``array`` of the LaTeX `cells` (a list of rows); ``shaded[(r, c)]`` names the colour of a cell."""
    shaded = shaded or {}
    rows = []
    for r, row in enumerate(cells):
        rows.append(" & ".join(rf"\cellcolor{{{shaded[(r, c)]}}}{cell}" if (r, c) in shaded else cell
                               for c, cell in enumerate(row)))
    cols = "c" * (max((len(row) for row in cells), default=1))
    return r"\left[\begin{array}{" + cols + "}" + r" \\ ".join(rows) + r"\end{array}\right]"


def _sub(name: str, *idx) -> str:
    return name + "_{" + ",".join(str(i) for i in idx) + "}"


def window_figure(H: int, W: int, kh: int, kw: int, at=(0, 0), x: str = "x", k: str = "k") -> str:
    """The input with the window of output `at` shaded, and the kernel beside it in the other colour."""
    i, j = at
    shaded = {(i + u, j + v): "window" for u in range(kh) for v in range(kw)}
    xs = [[_sub(x, r, c) for c in range(W)] for r in range(H)]
    ks = [[_sub(k, u, v) for v in range(kw)] for u in range(kh)]
    kernel = grid(ks, {(u, v): "kernel" for u in range(kh) for v in range(kw)})
    return rf"{x} = {grid(xs, shaded)} \qquad {k} = {kernel} \qquad (x \star k)_{{{i},{j}}} = " + \
        r" + ".join(rf"{_sub(x, i + u, j + v)} {_sub(k, u, v)}" for u in range(kh) for v in range(kw))


def im2col_figure(H: int, W: int, kh: int, kw: int, row: int = 0, x: str = "x", k: str = "k") -> str:
    """The im2col matrix (one row per output, row-major) with row `row` shaded, times the kernel as a vector."""
    from ..forms import im2col
    from ..tensors import tensor

    m = im2col(tensor(x, (H, W)), (kh, kw))
    cells = [[_cell(m[r, c]) for c in range(m.shape[1])] for r in range(m.shape[0])]
    shaded = {(row, c): "window" for c in range(m.shape[1])}
    vec = grid([[_sub(k, u, v)] for u in range(kh) for v in range(kw)],
               {(t, 0): "kernel" for t in range(kh * kw)})
    return rf"X = {grid(cells, shaded)} \qquad \operatorname{{vec}}({k}) = {vec}"


def toeplitz_figure(H: int, W: int, kh: int, kw: int, x: str = "x", k: str = "k") -> str:
    """The (doubly block) Toeplitz matrix: its band of kernel entries shaded, zeros as dots."""
    from ..forms import toeplitz
    from ..tensors import tensor

    t = toeplitz(tensor(k, (kh, kw)), (H, W))
    cells, shaded = [], {}
    for r in range(t.shape[0]):
        row = []
        for c in range(t.shape[1]):
            e = t[r, c]
            row.append(r"\cdot" if e == 0 else _cell(e))
            if e != 0:
                shaded[(r, c)] = "kernel"
        cells.append(row)
    return rf"T = {grid(cells, shaded)}"


def flip_figure(kh: int, kw: int, k: str = "k") -> str:
    """The kernel and its 180-degree rotation, the first entry shaded in both."""
    ks = [[_sub(k, u, v) for v in range(kw)] for u in range(kh)]
    flipped = [[_sub(k, kh - 1 - u, kw - 1 - v) for v in range(kw)] for u in range(kh)]
    return (rf"{k} = {grid(ks, {(0, 0): 'kernel'})} \qquad \tilde{{{k}}} = "
            rf"{grid(flipped, {(kh - 1, kw - 1): 'kernel'})}")


def _cell(e) -> str:
    """One entry (``x[1, 2]`` -> ``x_{1,2}``) as printed in a figure."""
    from ..latex.printer import latex

    return latex(e)


#: the figure each catalogue entry is illustrated by: (caption, builder at the entry's sizes)
FIGURES = {
    "correlation-is-windowed-hadamard-sum": (
        "the window of output $(0, 1)$ on the input, and the kernel it is multiplied with entry by entry",
        lambda s: window_figure(s["H"], s["W"], s["k_h"], s["k_w"], (0, 1))),
    "correlation-is-im2col-matmul": (
        "the im2col matrix: row $1$ (shaded) is the window of output $(0, 1)$; it meets the kernel as a vector",
        lambda s: im2col_figure(s["H"], s["W"], s["k_h"], s["k_w"], 1)),
    "correlation-is-toeplitz-matvec": (
        "the Toeplitz matrix $T$: each row holds the kernel at its window's positions (the shaded band), zeros "
        "elsewhere", lambda s: toeplitz_figure(s["H"], s["W"], s["k_h"], s["k_w"])),
    "convolution-is-flipped-correlation": (
        r"the kernel and its $180^\circ$ rotation $\tilde k$: the shaded entry $k_{0,0}$ moves to the last corner",
        lambda s: flip_figure(s["k_h"], s["k_w"])),
}
