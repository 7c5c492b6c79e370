"""Derivations as LaTeX: an ``align*``/``aligned`` chain and a standalone document.

This module only prints; every number and expression it shows was computed
(and every step checked) before it is called.
"""

from __future__ import annotations

import numpy as np
import sympy

from ..latex.printer import SymconvLatexPrinter
from ..latex.printing import MAX_COLS, array_latex

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,graphicx}
\allowdisplaybreaks
\emergencystretch=3em
% \fitmath[width]{math}: the formula at its natural size, or shrunk to `width` when it is wider (never off the page)
\newsavebox{\symconvfit}
\newcommand{\fitmath}[2][\linewidth]{\sbox{\symconvfit}{$\displaystyle #2$}%
  \ifdim\wd\symconvfit>#1\relax\resizebox{#1}{!}{\usebox{\symconvfit}}\else\usebox{\symconvfit}\fi}
% figures: shaded cells of arrays (colortbl through xcolor's table option)
\usepackage[table]{xcolor}
\definecolor{window}{RGB}{255,224,130}
\definecolor{kernel}{RGB}{170,210,255}
"""

#: in a document's chains, the widths the left side and each right side may take (they are shrunk beyond)
LEFT_WIDTH, RIGHT_WIDTH = r"0.3\linewidth", r"0.62\linewidth"


#: source characters of printed mathematics per line of a broken sum (about 2.6 pt each at 11 pt: a line of the page)
LINE_CHARS = 140


def broken_lines(math: str, chars: int = LINE_CHARS) -> list[str]:
    """A printed sum split after its top-level ``+`` signs into lines of at most `chars` source characters
    (a term longer than that is a line of its own); the ``+`` joining two lines is left for the caller."""
    if len(math) <= chars:
        return [math]
    pieces, depth, start = [], 0, 0
    for pos, ch in enumerate(math):  # top-level " + " only: never inside braces or brackets
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif depth == 0 and math.startswith(" + ", pos):
            pieces.append(math[start:pos])
            start = pos + 3
    pieces.append(math[start:])
    lines, line = [], ""
    for piece in pieces:
        if line and len(line) + 3 + len(piece) > chars:
            lines.append(line)
            line = piece
        else:
            line = piece if not line else line + " + " + piece
    lines.append(line)
    return lines


def fit(math: str, width: str = r"\linewidth") -> str:
    """`math` shrunk to `width` in a document when it would be wider (the page layout's ``\\fitmath``)."""
    return rf"\fitmath[{width}]{{{math}}}"


def _printer(d, max_entries=None):
    return SymconvLatexPrinter({"names": d.ctx.names, "order_of": d.ctx.order(), "max_entries": max_entries or MAX_COLS})


def _why(text: str, boxed: bool) -> str:
    """A justification: a narrow ragged box in documents (page layout), ``\\text`` everywhere else.

    KaTeX and MathJax have no ``\\parbox``, so what a user pastes into a notebook or a page never has one.
    """
    if not boxed:
        return rf"\text{{{text}}}"
    return rf"\parbox[t]{{5.2cm}}{{\raggedright\small {text}}}"


def derivation_latex(d, *, environment: str = "align*", max_entries=None, boxed: bool = False) -> str:
    """The chain ``lhs &= e_1 && \\text{why} \\\\ &= e_2 ...`` in `environment` (``align*`` or ``aligned``).

    `boxed` (documents only) sets the justifications in a ragged column that fits the page.
    """
    from ..errors import unknown_option

    if environment not in ("align*", "aligned"):
        raise unknown_option("environment", environment, ("align*", "aligned"))
    p = _printer(d, max_entries)
    if boxed:  # a document: each justification a full-width line before its step, each formula fitted to the page
        rows = [fit(p.doprint(d.lhs), LEFT_WIDTH) + " &"]
        rows += [rf"\intertext{{\small {step.why}:}}" + "\n" + rf"&= {fit(p.doprint(step.expr), RIGHT_WIDTH)}"
                 for step in d.steps]
        body = " \\\\\n".join(rows)
        return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"
    lines = []
    for n, step in enumerate(d.steps):
        left = p.doprint(d.lhs) if n == 0 else ""
        lines.append(rf"{left} &= {p.doprint(step.expr)} && {_why(step.why, boxed)}")
    body = " \\\\\n".join(lines) if lines else p.doprint(d.lhs)
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


def definitions_latex(d, max_entries=None) -> str:
    """Every defined tensor of the derivation: ``element := body`` with its range."""
    p = _printer(d, max_entries)
    lines = []
    for base, defn in d.ctx.definitions.items():
        left = p.doprint(base[defn.params]) if defn.params else p.doprint(base)
        ranges = ", ".join(rf"{p.doprint(lo)} \le {p.doprint(v)} \le {p.doprint(hi)}"
                           for v, (lo, hi) in zip(defn.params, defn.ranges))
        where = rf" for ${ranges}$" if ranges else ""
        lines.append(rf"\intertext{{\small {defn.why}{where}:}}" + "\n"
                     + rf"{fit(left, LEFT_WIDTH)} &:= {fit(p.doprint(defn.body), RIGHT_WIDTH)}")
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}" if lines else ""


def _free_latex(d, p) -> str:
    if not d.ctx.free:
        return ""
    return ", ".join(rf"${p.doprint(lo)} \le {p.doprint(i)} \le {p.doprint(hi)}$" for i, lo, hi in d.ctx.free)


def derivation_document(d, *, max_entries=None) -> str:
    """A complete document a reader can compile with ``pdflatex``."""
    p = _printer(d, max_entries)
    if d.sizes is None:
        # the chain's side conditions are decided for every size; facts outside the chain only at sampled sizes
        sampled = [f for f in d.facts if not f.general]
        sizes = "for every size" + ("; the facts after the proof marked so only at the sizes listed at the end"
                                    if sampled else "")
    else:
        sizes = "at " + ", ".join(f"${sympy.latex(sympy.Symbol(k))} = {v}$" for k, v in d.sizes.items())
    constraints = _constraints_latex(d)
    parts = [PREAMBLE, rf"\title{{{d.title}}}", r"\author{symconv}", r"\date{}", r"\begin{document}", r"\maketitle"]
    parts += [r"\section*{Statement}", d.statement + (f" It holds whenever {constraints}." if constraints else "")
              + f" (Checked {sizes}.)"]
    free = _free_latex(d, p)
    if free:
        parts.append(f"Here {free}.")
    defs = definitions_latex(d, max_entries)
    if defs:
        parts += [r"\section*{Definitions}", defs]
    picture = figure_latex(d)
    if picture:
        parts += [r"\section*{In a picture}", picture]
    parts += [r"\section*{Proof}", derivation_latex(d, max_entries=max_entries, boxed=True), d.conclusion]
    for note in d.notes:
        parts.append(note)
    if d.facts:
        parts += [r"\begin{itemize}"] + [rf"\item {f.statement} --- {f.why}" + (
            "" if f.general else " (checked at the sampled sizes only)") for f in d.facts] + [r"\end{itemize}"]
    parts += [r"\section*{How this was checked}", _checks_text(d)]
    if d.sizes is not None and d.library is not None:
        parts += [r"\section*{At these sizes}", _expanded(d, p), r"\section*{A worked example}", _worked(d, p)]
    parts.append(r"\end{document}")
    return "\n\n".join(parts) + "\n"


def figure_latex(d) -> str:
    """The entry's picture (:data:`symconv.documents.figures.FIGURES`) at its sizes -- the example's for a general
    derivation -- with its caption; ``""`` for an entry without one."""
    from ..proofs.catalogue import EXAMPLES
    from .figures import FIGURES

    if d.name not in FIGURES:
        return ""
    caption, build = FIGURES[d.name]
    sizes = d.sizes or EXAMPLES.get(d.name)
    if not sizes:
        return ""
    at = ", ".join(f"${sympy.latex(sympy.Symbol(k))} = {v}$" for k, v in sizes.items())
    return rf"At {at}: {caption}." + "\n\\[ " + fit(build(sizes)) + " \\]"


def _constraints_latex(d) -> str:
    """The size constraints of the theorem, e.g. ``$H \\ge k_h$``."""
    shown = []
    for c in d.ctx.constraints:
        c = sympy.sympify(c)
        if c.is_number:  # at concrete sizes a constraint is a number (checked when the sizes were taken)
            continue
        pos = sympy.Add(*[t for t in sympy.Add.make_args(c) if not t.could_extract_minus_sign()])
        neg = -sympy.Add(*[t for t in sympy.Add.make_args(c) if t.could_extract_minus_sign()])
        shown.append(rf"${sympy.latex(pos)} \ge {sympy.latex(neg)}$")
    return " and ".join(shown)


def _checks_text(d) -> str:
    where = "; ".join(", ".join(f"${sympy.latex(sympy.Symbol(k))}={v}$" for k, v in s.items()) for s in d.checked_at)
    n = len(d.decisions)
    text = (f"Each of the {len(d.steps)} steps was checked twice by symconv. First, by its kernel: the rewrite rule "
            "was re-applied (bound indices compared up to renaming, never captured), and its side conditions "
            "(a re-indexing is a bijection of the range, every dependent inner limit included; a flattening has a "
            "positive divisor and a range that is not reversed; an extended range contains the old one; every "
            f"tensor element read lies inside its tensor) were decided for every size by the SMT solver z3: "
            f"{n} conditions in all, each given as SMT-LIB by \\texttt{{Derivation.certificate()}}. Second, both "
            f"sides were expanded exactly, as polynomials, at the sizes {where}.")
    if any(not f.general for f in d.facts):
        text += (" The facts after the proof marked so are not steps of the chain: they were checked only at those "
                 "sizes.")
    if any(f.proof is not None for f in d.facts):
        text += (" The facts about every size were decided by the kernel, their conditions included in the count "
                 "above.")
    if any(f.fixed for f in d.facts):
        text += " The facts about the seed's numbers were computed exactly."
    if d.library is not None:
        text += (" At those sizes the two ends of the chain were also compared with symconv's own operations, "
                 "which are built from their definitions independently of this proof.")
    return text


def _tensors(d):
    return {b.label.name: tuple(int(s) for s in shape) for b, shape in d.ctx.tensors.items()}


def _expanded(d, p, shown: int = 2) -> str:
    """The first entries of both sides, expanded (each side computed by symconv's own operation)."""
    out = []
    for label, f in zip(("left", "right"), d.library):
        if f is None:
            continue
        arr = f(**d.sizes)
        size = int(np.prod(arr.shape)) if arr.shape else 1
        lines = []
        for flat in range(min(shown, size)):
            at = tuple(int(t) for t in np.unravel_index(flat, arr.shape)) if arr.shape else ()
            rows = broken_lines(p.doprint(arr[at]))
            lines.append(rf"[{','.join(map(str, at))}] &= {fit(rows[0], RIGHT_WIDTH)}"
                         + "".join(rf" \\ &\quad + {fit(r, RIGHT_WIDTH)}" for r in rows[1:]))
        shape = r" \times ".join(map(str, arr.shape)) or "1"
        out.append(rf"The {label}-hand side is an array of shape ${shape}$; expanded, its first entries are"
                   + "\n\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}")
    out.append("All entries of the two sides are equal as polynomials.")
    return "\n".join(out)


#: the most channels a worked example shows as a row of matrices (a rank-4 weight: a column of such rows)
MAX_CHANNELS = 4


def _array(arr, p) -> str:
    """A small array as a reader wants to see it: a matrix; rank 3 as a row of matrices (one per channel);
    rank 4 (weights) as a column of such rows; larger ones by their shape."""
    limit = p._settings["max_entries"]
    shape = tuple(arr.shape)
    if len(shape) <= 2:
        return array_latex(arr, p, max_rows=limit, max_cols=limit)
    if len(shape) in (3, 4) and all(n <= MAX_CHANNELS for n in shape[:-2]):
        def row(a):
            return (r"\left(" + r",\ ".join(array_latex(a[c], p, max_rows=limit, max_cols=limit)
                                             for c in range(a.shape[0])) + r"\right)")
        if len(shape) == 3:
            return row(arr)
        return r"\begin{matrix}" + r" \\[2pt] ".join(row(arr[o]) for o in range(shape[0])) + r"\end{matrix}"
    return r"\text{an array of shape } " + r" \times ".join(map(str, shape))


def _worked(d, p) -> str:
    from ..tensors import evaluate

    rng = np.random.default_rng(7)
    values = {name: rng.integers(-3, 4, shape) for name, shape in _tensors(d).items()}
    lhs = d.library[0](**d.sizes)
    text = ["With the integer values"]
    for name, v in values.items():
        text.append(r"\[ " + fit(rf"{p.doprint(sympy.Symbol(name))} = " + _array(sympy.Array(v.tolist()), p)) + r" \]")
    first = tuple(0 for _ in lhs.shape)
    text.append(r"the first entry is \[ " + fit(_entry_with_numbers(lhs[first], values, p)) + r" \]")
    for f, label in zip(d.library, ("left", "right")):
        if f is not None:
            num = evaluate(f(**d.sizes), **values)
            text.append(rf"and the whole {label}-hand side is \[ "
                        + fit(_array(sympy.Array(np.asarray(num).tolist()), p)) + r" \]")
    return "\n".join(text)


def _entry_with_numbers(expr, values, p) -> str:
    """``3 \\cdot (-2) + 1 \\cdot 0 + ... = value`` for one entry: its terms in row-major order of their factors
    (input first), each product written out with its numbers (:func:`symconv.documents.arithmetic.product_sum`)."""
    from .arithmetic import product_sum

    rows = []
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coef, rest = term.as_coeff_Mul()
        keys, numbers = [], []
        for f in sorted(sympy.Mul.make_args(rest), key=p._rank):
            base, exp = (f.base, int(f.exp)) if f.is_Pow else (f, 1)
            if not isinstance(base, sympy.Indexed):
                raise ValueError(f"a worked example needs products of tensor entries, not {f}")
            at = tuple(int(i) for i in base.indices)
            keys += [(p._rank(base), at)] * exp
            numbers += [int(values[base.base.label.name][at])] * exp
        if coef != 1:
            numbers = [int(coef)] + numbers
        rows.append((keys, numbers))
    rows.sort(key=lambda r: r[0])  # row-major: by the first factor's indices, then the next
    products = [numbers for _, numbers in rows]
    total = sum(int(np.prod(numbers, dtype=object)) for numbers in products)
    return product_sum(products, total)
