"""A document for a formula a user passes: what it computes, and whether it is the convolution.

Everything shown was computed before this module is called (LaTeX is a view): the reading of
the formula, its exact table at two sets of sizes, and the verdicts of :func:`symconv.equivalent`
against correlation, convolution (and the layer, the matrix product or the Hadamard sum),
each built by symconv from its own definition.
"""

from __future__ import annotations

import re

import sympy

from .document import PREAMBLE, broken_lines
from ..latex.printer import SymconvLatexPrinter

_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "^": r"\^{}", "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%",
            "&": r"\&", "$": r"\$", "~": r"\~{}", "*": r"$\ast$", "<": r"$<$", ">": r"$>$"}


def text(s: str) -> str:
    """Plain text safe inside a LaTeX paragraph (ASCII only; other characters become ``?``).

    >>> text("x_{i} * 50% & W^{(1)}")
    'x\\\\_\\\\{i\\\\} $\\\\ast$ 50\\\\% \\\\& W\\\\^{}\\\\{(1)\\\\}'
    """
    out = "".join(_SPECIAL.get(ch, ch if ch.isascii() and ch.isprintable() else "?") for ch in s)
    return out


def reference_operations(ident, inst) -> list:
    """``(name, array)`` for the operations the formula is compared with, at the sizes of `inst`."""
    from .. import canonical, ops
    from ..array import SymArray
    from ..forms import hadamard_sum, matmul
    from ..tensors import flip

    def t(name):
        label = next(lbl for lbl in inst.shapes if lbl.name == name)
        return SymArray(canonical.identity(label, inst.shapes[label]))

    x, k = t(ident.input), t(ident.kernel)
    values = inst.values
    per_axis = {key: tuple(int(sympy.sympify(v).xreplace(values)) for v in ident.params.get(key, ()))
                for key in ("stride", "dilation")}
    if ident.kind in ("correlation", "convolution") and "bias" in ident.params:
        bias = [lbl for lbl in inst.shapes if lbl.name not in (ident.input, ident.kernel)]
        b = t(bias[0].name) if bias else None
        w = k if len(k.shape) == len(x.shape) + 1 else k.reshape((1,) + k.shape)
        spatial = tuple(range(2, len(w.shape)))
        geo = dict(stride=per_axis["stride"], dilation=per_axis["dilation"])
        out = [("the layer conv(x, w, b) (PyTorch's conv2d)", ops.conv(x, w, b, **geo)),
               ("the layer with the kernel flipped (a true convolution)", ops.conv(x, flip(w, spatial), b, **geo))]
        if len(k.shape) == len(x.shape):
            out = [(name, arr.reshape(arr.shape[1:])) for name, arr in out]
        if b is None and ident.params.get("bias"):
            atom = next(s for s in inst.table.space.blocks if not hasattr(s, "shape"))
            out = [(name, arr + atom.expr) for name, arr in out]
        return out
    if ident.kind in ("correlation", "convolution"):
        return [("the cross-correlation (scipy.signal.correlate, 'valid')",
                 ops.correlate(x, k, "valid", **per_axis)),
                ("the convolution (scipy.signal.convolve, 'valid')", ops.convolve(x, k, "valid", **per_axis))]
    if ident.kind == "hadamard-sum":
        out = [("the sum of element-wise products", hadamard_sum(x, k))]
        if len(x.shape) == 2 and x.shape[1] == k.shape[0]:
            out.append(("the matrix product", matmul(x, k)))
        return out
    if ident.kind == "matrix-product":
        out = [("the matrix product", matmul(x, k))]
        if x.shape == k.shape:
            out.append(("the sum of element-wise products", hadamard_sum(x, k)))
        return out
    return []


def identification_document(ident) -> str:
    """A standalone document (``pdflatex`` compiles it) about the formula of `ident`."""
    from ..array import SymArray
    from ..equivalence import equivalent

    f = ident.formula
    p = SymconvLatexPrinter({})
    shown = p.doprint(f.name) + " = " + p.doprint(f.definition) if f.name is not None else p.doprint(f.definition)
    parts = [PREAMBLE, r"\title{What does this formula compute?}", r"\author{symconv}", r"\date{}",
             r"\begin{document}", r"\maketitle", r"\section*{The formula}"]
    if f.source.isascii() and "\\end{verbatim}" not in f.source:
        parts += ["As given:", "\\begin{verbatim}\n" + _wrap(f.source) + "\n\\end{verbatim}", "As read by symconv:"]
    parts.append(r"\begin{equation*}" + "\n" + _fit(shown) + "\n" + r"\end{equation*}")
    outputs = ident.reading.get("outputs", ())
    if outputs:
        parts.append("Output indices: " + ", ".join(f"${p.doprint(o)}$" for o in outputs) + r". A sum written without "
                     r"bounds runs over the support of the tensor it indexes on its own (the kernel).")
    parts += [r"\section*{Verdict}", _paragraphs(ident.explain(style="math"))]
    instances = ident.reading.get("instances", ())
    if instances and ident.kind != "unknown":
        parts.append(r"\section*{The exact comparison}")
        for n, inst in enumerate(instances, 1):
            sizes = ", ".join(f"${p.doprint(lbl)}$ of shape ${_shape(s)}$" for lbl, s in inst.shapes.items())
            values = ", ".join(f"${p.doprint(k)} = {v}$" for k, v in inst.values.items())
            parts.append(rf"\subsection*{{Sizes {n}}}" + f"With {sizes}" + (f" and {values}" if values else "")
                         + ", the formula is an array of shape " + f"${_shape(inst.table.shape)}$.")
            mine = SymArray(inst.table)
            first = tuple(0 for _ in mine.shape)
            parts.append(r"Its first entry, expanded: \begin{multline*}" + "\n" + _fit(p.doprint(mine[first]))
                         + "\n" + r"\end{multline*}")
            items = []
            for name, arr in reference_operations(ident, inst):
                items.append(rf"\item {text(name)}: " + _verdict(equivalent(mine, arr), p))
            if items:
                parts.append("Compared exactly, as polynomials in the tensor entries, with operations symconv builds "
                             "from their own definitions:\n\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}")
    parts.append(r"\section*{How this was decided}")
    parts.append("symconv read the formula with latex2sympy2 underneath its own reader of names, indices and sums, "
                 "instantiated it at two sets of sizes (the unbounded sums over the kernel's support, the outputs "
                 "where every read falls inside the input), and compared the resulting arrays with each candidate "
                 "operation exactly, as polynomials in the tensor entries. Stride, dilation and offsets were read "
                 "from the index expressions and had to agree with the numbers found at both sizes.")
    parts.append(r"\end{document}")
    return "\n\n".join(parts) + "\n"


def _shape(shape) -> str:
    return r" \times ".join(str(s) for s in shape) if shape else "1"


def _wrap(source: str, width: int = 80) -> str:
    return "\n".join(source[i:i + width] for i in range(0, len(source), width)) or " "


def _fit(math: str) -> str:
    """Long expressions are broken after ``+`` signs so they stay on the page (multline/equation)."""
    lines = broken_lines(math)
    return " \\\\\n+ ".join(lines) if len(lines) > 1 else math


def _paragraphs(explanation: str) -> str:
    """The explanation's lines as paragraphs: words escaped, index expressions (between the explainer's math
    markers) set as mathematics."""
    from ..identify.formula import MATH_CLOSE, MATH_OPEN

    def line(s):
        out = []
        for n, part in enumerate(s.replace(MATH_CLOSE, MATH_OPEN).split(MATH_OPEN)):
            out.append(f"${part}$" if n % 2 else text(part))
        return "".join(out)

    return "\n\n".join(line(one) for one in explanation.splitlines())


def _verdict(verdict, p) -> str:
    """``equal`` or the first differing entry with a numeric witness, short enough for a page."""
    from ..latex.printing import verdict_latex

    return verdict_latex(verdict, p, prose=True)
