"""Reading a formula as people write it: ``C[m,n] = \\sum_u \\sum_v A[m+u,n+v] \\cdot B[u,v]``.

The pipeline fits on a screen:

1. :func:`~symconv.parse.tokens.tokenize` and :func:`~symconv.parse.tokens.group` (positions kept);
2. the chain ``first = ... = last`` is cut at its top-level ``=``: the first side names the result,
   the last defines it, operator notation anywhere (``(I * K)(i,j)``, ``K * I``) is kept as a claim;
3. every name is found here and replaced by a placeholder: a name with a subscript, brackets or
   parentheses is a tensor element (its index expressions read one by one), any other is a symbol;
   sums get explicit bounds (``\\sum_u`` runs from -oo to oo, to be read as the kernel's support);
4. :func:`~symconv.parse.backend.arithmetic` (latex2sympy2) reads the remaining arithmetic;
5. placeholders become ``Indexed`` elements and Symbols, and the result is checked to contain only
   sums, products, powers, numbers, symbols and tensor elements -- anything else is an error.

Nothing is ever passed to ``eval``/``sympify``.  What reading costs is bounded by a :class:`Budget`
that does not depend on the numbers written: tokens, the length and nesting of every backend text
(checked before latex2sympy2 parses it), digits, and the bits, terms and degree of what SymPy would
compute (checked on the unevaluated result, before anything evaluates it).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from ..errors import LatexParseError
from ..formula import Claim, Formula
from . import backend
from .tokens import Group, Tok, group, separators, split, tokenize

#: commands whose braced argument is a name: \mathrm{out}, \mathbf{x}, \operatorname{conv}
NAME_STYLES = {r"\mathrm", r"\text", r"\textrm", r"\textit", r"\mathit", r"\mathbf", r"\boldsymbol", r"\bm",
               r"\mathcal", r"\mathsf", r"\mathtt", r"\operatorname", r"\mathbb", r"\mathfrak", r"\vec"}
#: accents: \tilde{k} is the name ``ktilde`` (SymPy prints it back as \tilde{k})
ACCENTS = {r"\tilde": "tilde", r"\widetilde": "tilde", r"\hat": "hat", r"\widehat": "hat", r"\bar": "bar",
           r"\overline": "bar", r"\check": "check", r"\breve": "breve", r"\dot": "dot", r"\ddot": "ddot"}
GREEK = set("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi omicron
    pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
    Upsilon Phi Psi Omega""".split())
PRODUCT = {r"\cdot", r"\times"}
HADAMARD = {r"\odot", r"\circ"}
#: operator notation between two tensor names: what the formula claims the operation is
OPERATORS = {"*": "convolution", r"\ast": "convolution", r"\star": "correlation", r"\odot": "hadamard",
             r"\circ": "hadamard", r"\otimes": "convolution", r"\circledast": "convolution"}
EQUALS = {"=", r"\coloneqq", r"\eqqcolon", r"\equiv", r"\triangleq", r"\doteq"}
#: the largest exponent read (x^{999999} is not a formula anyone means)
MAX_POWER = 16
LESS = {r"\le": False, r"\leq": False, r"\leqslant": False, "<": True, r"\lt": True}


@dataclass
class Budget:
    """The work reading one formula may cost: limits, and what was spent (``read_latex(s, budget=b)``).

    None of the limits depends on the numbers written in the formula, and each is checked *before* the
    work it bounds: the tokens before anything is read; the size and nesting of a backend text before
    latex2sympy2 parses it (its ANTLR parser costs more than linearly in both); the digits of a
    number as it is read; the bits, terms and degree that SymPy's arithmetic and ``expand`` would
    produce, computed on the unevaluated backend result before anything evaluates it (a power tower
    ``2^{16^{16}}`` or ``((a+b+c)^{16})^{16}`` is refused, never computed).  A formula over budget is a
    :class:`~symconv.errors.LatexParseError` at the position where the budget ran out.

    >>> b = Budget()
    >>> read_latex(r"y_n = \\sum_{m=0}^{2} x_{n+m} w_m", budget=b).name
    y[n]
    >>> b.calls, b.units <= b.max_units
    (4, True)
    """

    max_tokens: int = 1000       # tokens of the formula (names, numbers, operators, brackets)
    max_calls: int = 150         # latex2sympy2 calls (one per side, index, exponent)
    max_call_units: int = 300    # backend tokens in one call
    max_units: int = 2000        # backend tokens in all calls together
    max_nesting: int = 12        # brackets, fractions, powers and sum bodies open at once in one call
    max_digits: int = 40         # digits of a number written in the formula
    max_bits: int = 256          # bits of any number (or coefficient) the arithmetic can produce
    max_terms: int = 256         # terms of any part of the formula once expanded
    max_degree: int = 64         # degree of any part of the formula
    tokens: int = 0
    calls: int = 0
    units: int = 0
    deepest: int = 0
    spent: list = field(default_factory=list, repr=False)  # units of each call, in order


def parse_latex(source: str):
    r"""A SymPy expression of the LaTeX formula `source` (a left side is kept: ``Eq(C[m, n], ...)``).

    Tensor elements written ``A_{m+u,n+v}``, ``A_{mn}``, ``A[m+u, n+v]``, ``A\left[m+u, n+v\right]`` or
    ``A(m+u, n+v)`` become ``Indexed``; ``\sum_u``, ``\sum_{m,n}``, ``\sum_{u=0}^{k-1}`` and
    ``\sum_{m=-\infty}^{\infty}`` are sums (without bounds over -oo..oo); ``\cdot``, ``\times``,
    juxtaposition, ``\odot``/``\circ`` multiply; ``(x * w)[n]``, ``(x \star w)[n]`` and
    ``(A \odot B)_{ij}`` are convolution, correlation and Hadamard product by their textbook
    definitions.  Single capitals (``I``, ``E``, ``S``, ``N``, ``O``, ``Q``) are names, never constants.

    The work is bounded before anything is computed (see :class:`Budget`): a formula too long, too deep
    or whose arithmetic would be too large is refused, never evaluated.

    Parameters
    ----------
    source : str
        The formula, without ``$`` delimiters: an expression, or ``name = definition`` (a chain
        ``S(i,j) = (I*K)(i,j) = \sum ...`` keeps the first name and the last definition).

    Returns
    -------
    sympy.Expr or sympy.Equality
        The definition, as ``Sum`` of products of ``Indexed`` (index symbols are integers); with a left
        side, ``Eq(name, definition)``.  Pass it (or `source` itself) to :func:`symconv.identify`.

    Raises
    ------
    LatexParseError
        `source` is not a string, is empty, or cannot be read (an unbalanced brace, a division by a
        tensor, a fractional power, a formula over budget, ...); the message shows the formula with a
        caret at the position.
    BackendUnavailable
        The LaTeX backend (``latex2sympy2_extended``) is not installed.

    See Also
    --------
    latex : LaTeX out.
    identify : what the formula computes.

    Examples
    --------
    >>> e = parse_latex(r"C \left[ m, n \right] = \sum_u \sum_v "
    ...                 r"A \left[ m + u, n + v\right] \cdot B \left[ u, v \right]")
    >>> e.lhs, e.rhs
    (C[m, n], Sum(A[m + u, n + v]*B[u, v], (v, -oo, oo), (u, -oo, oo)))
    >>> parse_latex(r"\sum_{i=0}^{1} x_{i}").doit()
    x[0] + x[1]
    >>> parse_latex(r"(A \odot B)_{ij}")
    A[i, j]*B[i, j]
    >>> parse_latex(r"I_{i,j} E_{i}").free_symbols >= {sympy.Symbol("i", integer=True)}
    True
    >>> parse_latex(r"\sum_{u x_u")
    Traceback (most recent call last):
    ...
    symconv.errors.LatexParseError: '{' is never closed at position 5:
      \sum_{u x_u
           ^
    """
    return read_latex(source).expr


def read_latex(source: str, *, budget: Budget | None = None) -> Formula:
    """The :class:`~symconv.formula.Formula` of `source`: its name, definition and operator claims.

    `budget` (default: a fresh :class:`Budget`) bounds the work; it is filled in with what was spent.
    """
    return _Reader(source, budget if budget is not None else Budget()).read()


@dataclass
class _Read:
    """A tensor element found in the formula, waiting to become ``Indexed``."""

    name: str
    indices: tuple
    pos: int


class _Reader:
    def __init__(self, source: str, budget: Budget):
        self.source = source
        self.budget = budget
        self.divisions: list = []            # (position of \frac or /, its denominator, context)
        self.symbols: dict[str, str] = {}    # user name -> placeholder
        self.reads: dict[str, _Read] = {}    # placeholder -> tensor element
        self.integer: set[str] = set()       # names used as indices, bounds or sum variables
        self.sum_vars: set[str] = set()
        self.claims: list[Claim] = []
        self.fresh = 0

    # -- errors ------------------------------------------------------------------------
    def fail(self, message: str, at) -> LatexParseError:
        pos = at if isinstance(at, int) else at.pos
        return LatexParseError(message, self.source, pos)

    # -- the chain ---------------------------------------------------------------------
    def read(self) -> Formula:
        tokens = tokenize(self.source)
        items = group(_colon_equals(tokens), self.source)  # linear; unbalanced or too deep: refused first
        self.budget.tokens = len(tokens)
        if len(tokens) > self.budget.max_tokens:
            raise self.fail(f"the formula has {len(tokens)} tokens (names, numbers, operators, brackets); symconv "
                            f"reads at most {self.budget.max_tokens}", tokens[self.budget.max_tokens])
        items = _strip_punctuation(items)
        if not items:
            raise self.fail("the formula is empty", len(self.source))
        sides = split(items, *EQUALS)
        seps = separators(items, *EQUALS)
        for n, side in enumerate(sides):
            if not side:
                raise self.fail("an '=' with nothing on one side", seps[min(n, len(seps) - 1)])
        last = sides[-1]
        name = self.left(sides[0]) if len(sides) > 1 else None
        for side in sides[1:-1]:
            self.middle(side)
        expr = self.side(last, name)
        lhs = None if name is None else self.finish(name)
        expr = self.finish(expr)
        if lhs is not None:
            _check_result(lhs, self, sides[0][0])
        _check_result(expr, self, last[0])
        return Formula(lhs if lhs is None else _evaluate(lhs), _evaluate(expr), tuple(self.claims), self.source)

    def left(self, side):
        """The first side: a name, with or without indices, or operator notation ``(x * w)[n]``."""
        claim = self.claim(side, 0, whole=True)
        if claim is not None:
            return claim[0]
        head = side[0]
        if not (isinstance(head, Tok) and (head.kind == "letter" or head.kind == "cmd")):
            raise self.fail("the left side should name the result, e.g. y[n] or C_{m,n}", head)
        pieces, k = self.name(side, 0, "left")
        if k != len(side):
            raise self.fail("the left side should be just the result's name and indices", side[k])
        return pieces

    def middle(self, side) -> None:
        """A side between the first and the last: its operator claims are kept, the rest read and checked."""
        if self.claim(side, 0, whole=True) is not None:
            return
        self.finish(self.side(side, None))

    def side(self, side, name):
        """The backend text of the last side (a bare claim ``I * K`` takes the left side's indices)."""
        bare = self.bare_claim(side)
        if bare is not None:
            if not isinstance(name, str) or name not in self.reads:
                raise self.fail("an operator between tensor names needs the output's indices, e.g. (x * w)[n]", side[0])
            op, a, b, at = bare
            return self.expand(op, a, b, self.reads[name].indices, at)
        return self.backend(self.seq(side, "top"), side[0].pos)

    # -- sequences -----------------------------------------------------------------------
    def seq(self, items, ctx: str) -> list:
        """Backend pieces ``(text, source position)`` of `items` read in `ctx` ("top", "index", "bound")."""
        out: list = []
        k = 0
        while k < len(items):
            it = items[k]
            if isinstance(it, Group):
                claim = self.claim(items, k) if ctx == "top" else None
                if claim is not None:
                    pieces, k = claim
                    out += [(pieces, it.pos)]
                    continue
                inner = it
                while len(inner.items) == 1 and isinstance(inner.items[0], Group):  # {{x}}, ((x)): one group
                    inner = inner.items[0]
                if inner.open.text != "{" and not inner.items:  # ( ) and [ ] without a name before them group
                    raise self.fail("empty parentheses", inner)
                out += [("(", it.pos)] + self.seq(inner.items, ctx) + [(")", it.end - 1)]
                k += 1
                continue
            t = it
            if t.kind == "letter" or (t.kind == "cmd" and (t.text[1:] in GREEK or t.text in NAME_STYLES
                                                           or t.text in ACCENTS)):
                pieces, k = self.name(items, k, ctx)
                out += pieces
            elif t.kind == "num":
                self.number(t)
                out.append((t.text, t.pos))
                k += 1
            elif t.text in ("+", "-"):
                out.append((t.text, t.pos))
                k += 1
            elif t.text in PRODUCT or t.text in HADAMARD or t.text == "*":
                if ctx == "top" and self.bare_operands(items, k):
                    raise self.fail(f"{t.text} between two tensor names needs indices: write ({items[k - 1].text} "
                                    f"{t.text} {items[k + 1].text})[n] or the sum itself", t)
                out.append((r"\cdot", t.pos))
                k += 1
            elif t.text in OPERATORS:
                raise self.fail(f"{t.text} is read only between two tensor names, as in (x {t.text} w)[n]", t)
            elif t.text == "/":
                out.append(("/", t.pos))
                if k + 1 < len(items) and (isinstance(items[k + 1], Group) or items[k + 1].kind == "num"):
                    self.divisions.append((t.pos, items[k + 1:k + 2], ctx))
                k += 1
            elif t.text in (r"\frac", r"\dfrac", r"\tfrac"):
                args = items[k + 1:k + 3]
                if len(args) < 2 or not all(isinstance(a, Group) and a.open.text == "{" for a in args):
                    raise self.fail(r"\frac needs two braced arguments, \frac{a}{b}", t)
                out += [(r"\frac{", t.pos)] + self.seq(args[0].items, ctx) + [("}{", args[1].pos)]
                out += self.seq(args[1].items, ctx) + [("}", args[1].end - 1)]
                self.divisions.append((t.pos, args[1].items, ctx))
                k += 3
            elif t.text == "^":
                arg, k = self.argument(items, k + 1, t)
                power = "^{" + str(self.exponent(arg, t)) + "}"
                if out and isinstance(out[-1][0], str) and out[-1][0].startswith("\\mathit{"):
                    out[-1] = ("(" + out[-1][0] + ")", out[-1][1])  # a name's power: ANTLR's fast (SLL) stage
                out.append((power, t.pos))                            # reads (x)^{2}, not x^{2}
            elif t.text == r"\sum":
                pieces, k = self.sum(items, k, ctx)
                out += pieces
            elif t.text == r"\infty" and ctx == "bound":
                out.append((r"\infty", t.pos))
                k += 1
            elif t.text == "_":
                raise self.fail("a subscript with no name before it", t)
            elif t.text == ",":
                raise self.fail("a comma outside an index list", t)
            elif t.text in EQUALS:
                raise self.fail("'=' inside a group", t)
            elif t.kind == "cmd":
                raise self.fail(f"symconv does not read {t.text} in a formula", t)
            else:
                raise self.fail(f"unexpected {t.text!r}", t)
        return out

    def number(self, t: Tok) -> None:
        digits = sum(c.isdigit() for c in t.text)
        if digits > self.budget.max_digits:
            raise self.fail(f"the number {t.text[:10]}... has {digits} digits; symconv reads numbers of at most "
                            f"{self.budget.max_digits} digits", t)

    def exponent(self, arg, caret: Tok) -> int:
        """The whole number written as the exponent `arg` (read and checked on its own, before the power is
        built: ``2^{10^{10}}`` is refused as the power 10000000000, never computed)."""
        if len(arg) == 1 and isinstance(arg[0], Tok) and arg[0].kind == "num" and arg[0].text.isdigit():
            self.number(arg[0])
            value = int(arg[0].text)
        else:
            pos = arg[0].pos
            expr = self.backend(self.seq(arg, "index"), pos)
            value = _value(expr, self.budget)
            if value is None or value.denominator != 1:
                raise self.fail(f"symconv reads only whole-number powers, not ^{{{_text(arg)}}}", caret)
            value = int(value)
        if abs(value) > MAX_POWER:
            shown = str(value) if abs(value) < 10**12 else f"{str(value)[:6]}... ({len(str(abs(value)))} digits)"
            raise self.fail(f"the power {shown} is larger than symconv reads (at most {MAX_POWER})", caret)
        return value

    def argument(self, items, k, after):
        """The group or single token at `k` (the argument of ``^``, ``_``, ``\\sum_``), and the next index."""
        if k >= len(items):
            raise self.fail(f"{after.text!r} at the end of a group has nothing to apply to", after)
        it = items[k]
        if isinstance(it, Group):
            if it.open.text != "{":
                raise self.fail(f"{after.text!r} expects {{...}} or one character", it)
            if not it.items:
                raise self.fail(f"empty {after.text!r} argument", it)
            return it.items, k + 1
        if it.kind in ("letter", "num") or (it.kind == "cmd" and it.text[1:] in GREEK):
            if it.kind == "num" and len(it.text) > 1:  # x_12 is x_{1}2 in LaTeX
                raise self.fail(f"write {after.text}{{{it.text}}}: LaTeX reads only its first digit", it)
            return [it], k + 1
        raise self.fail(f"{after.text!r} expects {{...}} or one character", it)

    # -- names -------------------------------------------------------------------------
    def name(self, items, k, ctx):
        """A name (and its indices): backend pieces for a tensor element or a symbol, and the next index."""
        start = items[k]
        letters, k = self.base_name(items, k)
        label = None
        if k + 1 < len(items) and _is(items[k], "^") and _label(items[k + 1]):
            label, k = _text(items[k + 1].items), k + 2
        indices, k = self.index_groups(items, k, ctx)
        if k + 1 < len(items) and label is None and _is(items[k], "^") and _label(items[k + 1]):
            label, k = _text(items[k + 1].items), k + 2
        if ctx in ("index", "bound"):
            if indices and indices[0][0] != "_":
                raise self.fail("a tensor element cannot be an index here", start)
            # in an index, letters multiply (sn + m is s*n + m) and a subscript names a size (k_h)
            names = list(letters)
            if indices:
                sub = _text(indices[0][1])
                names[-1] += "_" + sub if len(sub) == 1 else "_{" + sub + "}"
            return [(self.symbol(n, integer=True), start.pos + i) for i, n in enumerate(names)], k
        whole = "".join(letters) + (f"^{{{label}}}" if label else "")
        if ctx == "left":
            if not indices:
                return self.symbol(whole), k
            parts = self.index_parts(indices, start)
            for part in parts:
                if not (len(part) == 1 and isinstance(part[0], Tok)
                        and (part[0].kind == "letter" or part[0].text[1:] in GREEK)):
                    raise self.fail("the left side's indices should be index names, e.g. y[n] or C_{m,n}",
                                    part[0] if part else start)
            return self.tensor(whole, parts, start.pos), k
        if not indices:
            if len(letters) > 1 and all(len(s) == 1 for s in letters):  # ab is a*b, as in LaTeX
                return [(self.symbol(s), start.pos + n) for n, s in enumerate(letters)], k
            return [(self.symbol(whole), start.pos)], k
        return [(self.tensor(whole, self.index_parts(indices, start), start.pos), start.pos)], k

    def base_name(self, items, k):
        """The letters of the name at `k` (a run ``out``, ``\\alpha``, ``\\mathrm{out}``, ``\\tilde{k}``)."""
        t = items[k]
        if t.kind == "letter":
            run = [t.text]
            k += 1
            while k < len(items) and isinstance(items[k], Tok) and items[k].kind == "letter" and not items[k].spaced \
                    and items[k].pos == items[k - 1].end:
                run.append(items[k].text)
                k += 1
            out = run
        elif t.text[1:] in GREEK:
            out, k = [t.text[1:]], k + 1
        else:
            if k + 1 >= len(items) or not isinstance(items[k + 1], Group) or items[k + 1].open.text != "{":
                raise self.fail(f"{t.text} needs a braced name, e.g. {t.text}{{x}}", t)
            inner = items[k + 1].items
            text = "".join(i.text for i in inner if isinstance(i, Tok))
            if not inner or not all(isinstance(i, Tok) and (i.kind in ("letter", "num") or i.text[1:] in GREEK)
                                    for i in inner) or inner[0].kind == "num":
                raise self.fail(f"{t.text}{{...}} should hold a name made of letters and digits", items[k + 1])
            text = "".join(i.text.lstrip("\\") for i in inner)
            out, k = [text + ACCENTS.get(t.text, "")], k + 2
        while k < len(items) and _is(items[k], "'"):
            out[-1] += "prime"
            k += 1
        return out, k

    def index_groups(self, items, k, ctx):
        """The index groups after a name: ``_x``, ``_{...}``, then optionally ``[...]`` or ``(...)``."""
        groups = []
        if k < len(items) and _is(items[k], "_"):
            arg, k = self.argument(items, k + 1, items[k])
            groups.append(("_", arg))
        if k < len(items) and isinstance(items[k], Group) and items[k].open.text in "[(" and ctx != "index" \
                and ctx != "bound":
            g = items[k]
            if not g.items:
                raise self.fail("empty index brackets", g)
            groups.append((g.open.text, g.items))
            k += 1
        return groups, k

    def index_parts(self, groups, at):
        """Index expressions (token lists) of the index groups: split at commas; ``_{ij}`` is two indices."""
        parts = []
        for kind, toks in groups:
            if kind == "_" and not separators(toks, ",") and len(toks) > 1 and all(
                    isinstance(t, Tok) and (t.kind == "letter" or t.text[1:] in GREEK) for t in toks):
                parts += [[t] for t in toks]
                continue
            for part, sep in zip(split(toks, ","), [None] + separators(toks, ",")):
                if not part:
                    raise self.fail("an empty index", sep if sep is not None else (toks[0] if toks else at))
                parts.append(part)
        return parts

    def symbol(self, name: str, integer: bool = False) -> str:
        if integer:
            self.integer.add(name)
        if name not in self.symbols:
            self.symbols[name] = f"\\mathit{{z{len(self.symbols)}}}"
        return self.symbols[name]

    def tensor(self, name: str, parts, pos: int) -> str:
        """A placeholder for ``name[parts...]``; each index is read on its own."""
        indices = tuple(self.index(part) for part in parts)
        holder = f"\\mathit{{t{len(self.reads)}}}"
        self.reads[holder] = _Read(name, indices, pos)
        return holder

    def index(self, part):
        expr = self.backend(self.seq(part, "index"), part[0].pos)
        return expr

    # -- sums --------------------------------------------------------------------------
    def sum(self, items, k, ctx):
        r"""``\sum`` with its sub- and superscript: one ``\sum_{v=lo}^{hi}`` per variable."""
        t = items[k]
        k += 1
        sub = sup = None
        for _ in range(2):
            if k < len(items) and _is(items[k], "_") and sub is None:
                sub, k = self.argument(items, k + 1, items[k])
            elif k < len(items) and _is(items[k], "^") and sup is None:
                sup, k = self.argument(items, k + 1, items[k])
        if sub is None:
            raise self.fail(r"\sum without its index: write \sum_{m} or \sum_{m=0}^{k-1}", t)
        if k >= len(items) or (isinstance(items[k], Tok) and items[k].text in {"+", "-"} | EQUALS):
            raise self.fail(r"\sum has nothing to sum", t)
        variables, lo, hi = self.sum_range(sub, sup, t)
        pieces = []
        for v in variables:
            self.sum_vars.add(v)
            low = self.seq(lo, "bound") if lo is not None else [(r"-\infty", t.pos)]
            high = self.seq(hi, "bound") if hi is not None else [(r"\infty", t.pos)]
            pieces += [(r"\sum_{" + self.symbol(v, integer=True) + "=", t.pos)] + low + [("}^{", t.pos)] + high \
                + [("}", t.pos)]
        return pieces, k

    def sum_range(self, sub, sup, at):
        """``(variables, lower, upper)`` token lists of a sum's sub/superscript (None: unbounded)."""
        eq = separators(sub, "=")
        rel = separators(sub, *LESS)
        if rel:
            if len(rel) != 2 or eq or sup is not None:
                raise self.fail(r"write a bounded sum as \sum_{0 \le u \le k-1} or \sum_{u=0}^{k-1}", rel[0])
            lo, var, hi = split(sub, *LESS)
            if not lo or not hi:
                raise self.fail("a bound of the sum is missing", rel[0] if not lo else rel[1])
            variables = self.sum_variables(var, rel[0])
            lo = lo + [Tok("sym", "+", rel[0].pos, rel[0].pos), Tok("num", "1", rel[0].pos, rel[0].pos)] \
                if LESS[rel[0].text] else lo
            hi = hi + [Tok("sym", "-", rel[1].pos, rel[1].pos), Tok("num", "1", rel[1].pos, rel[1].pos)] \
                if LESS[rel[1].text] else hi
            if not lo or not hi:
                raise self.fail("a bound of the sum is missing", rel[0])
            return variables, lo, hi
        if len(eq) > 1:
            raise self.fail("one '=' per sum", eq[1])
        if not eq:
            if sup is not None:
                raise self.fail(r"an upper bound needs a lower one: \sum_{u=0}^{k-1}", sub[0])
            return self.sum_variables(sub, at), None, None
        var, lo = split(sub, "=")
        if not lo:
            raise self.fail("the sum's lower bound is missing", eq[0])
        if sup is None:
            raise self.fail(r"the sum has a lower bound but no upper one: \sum_{u=0}^{k-1}", eq[0])
        return self.sum_variables(var, eq[0]), lo, sup

    def sum_variables(self, toks, at):
        names = []
        for part in split(toks, ","):
            if len(part) != 1 or not isinstance(part[0], Tok) or not (part[0].kind == "letter"
                                                                       or part[0].text[1:] in GREEK):
                raise self.fail("a sum runs over index names, e.g. \\sum_{m,n}", part[0] if part else at)
            names.append(part[0].text.lstrip("\\"))
        return names

    # -- operator notation ---------------------------------------------------------------
    def bare_claim(self, side):
        """``K * I`` (two tensor names around an operator, nothing else): ``(op, a, b, tok)`` or None."""
        parts = [it for it in side]
        if len(parts) == 3 and isinstance(parts[1], Tok) and parts[1].text in OPERATORS:
            a, b = _bare_name(parts[0]), _bare_name(parts[2])
            if a and b:
                op = OPERATORS[parts[1].text]
                self.claims.append(Claim(op, a, b, parts[1].pos))
                return op, a, b, parts[1]
        if len(parts) == 1 and isinstance(parts[0], Group) and parts[0].open.text == "(":
            return self.bare_claim(parts[0].items)
        return None

    def bare_operands(self, items, k) -> bool:
        return 0 < k < len(items) - 1 and _bare_name(items[k - 1]) is not None and \
            _bare_name(items[k + 1]) is not None and not (k + 2 < len(items) and _index_follows(items, k + 2))

    def claim(self, items, k, whole=False):
        """Operator notation at `k`: ``(x * w)[n]``, ``(I * K)(i,j)``, ``(A \\odot B)_{ij}`` or, for a whole
        middle side, ``K * I``.  Returns ``(placeholder text, next index)`` or None."""
        if whole and self.bare_claim(items) is not None:
            return "", len(items)
        g = items[k]
        if not (isinstance(g, Group) and g.open.text == "(" and len(g.items) == 3):
            return None
        a, op, b = g.items
        if not (isinstance(op, Tok) and op.text in OPERATORS and _bare_name(a) and _bare_name(b)):
            return None
        groups, nxt = self.index_groups(items, k + 1, "top")
        if not groups:
            return None
        if whole and nxt != len(items):
            raise self.fail("the left side should be just the result's name and indices", items[nxt])
        kind = OPERATORS[op.text]
        self.claims.append(Claim(kind, _bare_name(a), _bare_name(b), op.pos))
        parts = self.index_parts(groups, g)
        if whole:  # a left side: the result's name
            return self.tensor(f"({_bare_name(a)}{op.text}{_bare_name(b)})", parts, g.pos), nxt
        indices = tuple(self.index(part) for part in parts)
        return self.expand(kind, _bare_name(a), _bare_name(b), indices, op), nxt

    def expand(self, kind, a, b, indices, at):
        """Backend text of the textbook definition of ``(a op b)[indices]``."""
        if kind == "hadamard":
            x = self.element(a, indices, at.pos)
            k = self.element(b, indices, at.pos)
            return f"({x} \\cdot {k})"
        sums, taps = [], []
        for _ in indices:
            name = self.new_variable()
            sums.append(r"\sum_{" + self.symbol(name, integer=True) + r"=-\infty}^{\infty}")
            taps.append(sympy.Symbol(self.symbols[name]))
        sign = -1 if kind == "convolution" else 1
        x = self.element(a, tuple(i + sign * t for i, t in zip(indices, taps)), at.pos)
        k = self.element(b, tuple(taps), at.pos)
        return "(" + " ".join(sums) + f" {x} \\cdot {k})"

    def element(self, name, indices, pos) -> str:
        holder = f"\\mathit{{t{len(self.reads)}}}"
        self.reads[holder] = _Read(name, tuple(indices), pos)
        return holder

    def new_variable(self) -> str:
        while True:
            self.fresh += 1
            name = f"tau{self.fresh}"
            if name not in self.symbols:
                self.sum_vars.add(name)
                return name

    # -- backend and the way back --------------------------------------------------------
    def backend(self, pieces, pos: int):
        """latex2sympy2's reading of `pieces`, charged to the budget before the call and measured after it."""
        text, starts = "", []
        for piece, where in _flatten(pieces):
            starts.append((len(text), where))
            text += piece + " "

        def at(column):
            return max((w for c, w in starts if c <= column), default=pos)

        self.charge(text, at, pos)
        try:
            expr = backend.arithmetic(text)
        except backend.BackendError as err:
            raise self.fail(f"cannot read this ({err})", pos if err.column is None else at(err.column)) from None
        try:
            _measure(expr, self.budget)
        except _ZeroDivision:
            raise self.fail("division by zero", self.zero_division({w for _, w in starts}, pos)) from None
        except _TooLarge as err:
            raise self.fail(str(err), pos) from None
        return expr

    def charge(self, text: str, at, pos: int) -> None:
        """Count one backend call of `text`: its tokens and nesting, against the budget (before the call)."""
        b = self.budget
        if b.calls >= b.max_calls:
            raise self.fail(f"the formula needs more than {b.max_calls} expressions read (sides, indices, "
                            f"exponents); symconv reads at most {b.max_calls}", pos)
        levels = [0]   # sums whose body is open, per open bracket
        units = 0
        for m in _UNIT.finditer(text):
            unit = m.group()
            units += 1
            if unit in "})" and len(levels) > 1:
                levels.pop()
            elif unit == r"\sum":
                levels[-1] += 1
            elif unit in "{(":
                levels.append(0)
            nesting = len(levels) - 1 + sum(levels)
            if nesting > b.max_nesting:
                raise self.fail(f"the formula nests brackets, fractions and sums more than {b.max_nesting} deep",
                                at(m.start()))
            b.deepest = max(b.deepest, nesting)
            if units > b.max_call_units:
                raise self.fail(f"this expression is too long: symconv reads at most {b.max_call_units} names, "
                                f"numbers and operators in one expression", at(m.start()))
            if b.units + units > b.max_units:
                raise self.fail(f"the formula is too long: symconv reads at most {b.max_units} names, numbers "
                                f"and operators in all", at(m.start()))
        b.calls += 1
        b.units += units
        b.spent.append(units)

    def zero_division(self, positions, pos: int) -> int:
        """The position of the ``\\frac`` or ``/`` whose denominator is zero, among `positions` (one call)."""
        for where, den, ctx in self.divisions:
            if where in positions:
                try:
                    value = _value(self.backend(self.seq(den, ctx), den[0].pos), self.budget)
                except LatexParseError as err:
                    if err.message == "division by zero":
                        return err.position
                    continue
                if value == 0:
                    return where
        return pos

    def finish(self, expr):
        """Placeholders -> Symbols and ``Indexed``; `expr` may be backend text still (a left side)."""
        if isinstance(expr, str):
            expr = sympy.Symbol(expr)
        names = {sympy.Symbol(h): self.final_symbol(n) for n, h in self.symbols.items()}
        elements = {}
        for holder, read in self.reads.items():
            base = sympy.IndexedBase(sympy.Symbol(read.name, real=True))
            indices = []
            for i in read.indices:
                _check_result(sympy.sympify(i), self, read.pos)
                indices.append(sympy.expand(_evaluate(sympy.sympify(i).xreplace(names))))
                _check_index(indices[-1], self, read.pos)
            elements[sympy.Symbol(holder)] = base[tuple(indices)]
        return expr.xreplace(names).xreplace(elements)

    def final_symbol(self, name: str) -> sympy.Symbol:
        if name in self.integer or name in self.sum_vars:
            return sympy.Symbol(name, integer=True)
        return sympy.Symbol(name, real=True)


#: a backend token, as latex2sympy2's lexer would cut it (a placeholder is one)
_UNIT = re.compile(r"\\mathit\{[^}]*\}|\\[A-Za-z]+|\d+(?:\.\d+)?|\S")


class _TooLarge(Exception):
    pass


class _ZeroDivision(Exception):
    pass


def _bits(n: int) -> int:
    return abs(n).bit_length()


def _measure(expr, budget: Budget):
    """Bound what SymPy will make of the unevaluated backend result `expr`, without evaluating it.

    Numbers are computed exactly from the leaves up, each step refused before it would exceed
    ``budget.max_bits``; for the rest, upper bounds are propagated: the bits of the coefficients (the
    sum of their absolute values, times the denominators), the number of terms once expanded and the
    degree.  Returns ``{node: (value or None, numerator bits, denominator bits, terms, degree)}``;
    raises :class:`_TooLarge` or :class:`_ZeroDivision`.
    """
    done: dict = {}
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in done:
            continue
        if not ready and node.args:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in done)
            continue
        done[node] = _measure_node(node, [done[a] for a in node.args], budget)
    return done


def _measure_node(node, args, b: Budget):
    if isinstance(node, sympy.Rational):  # Integer too
        value = Fraction(int(node.p), int(node.q))
        return _checked(value, _bits(node.p), _bits(node.q), 1, 0, b)
    if isinstance(node, sympy.Float):
        return None, 64, 64, 1, 0
    if not args or isinstance(node, sympy.Indexed):
        return None, 0, 0, 1, 0 if node.is_number else 1
    values = [a[0] for a in args]
    if isinstance(node, sympy.Add):
        if all(v is not None for v in values):
            total = Fraction(0)
            for v in values:
                total += v
                _checked(total, _bits(total.numerator), _bits(total.denominator), 1, 0, b)
            return total, _bits(total.numerator), _bits(total.denominator), 1, 0
        den = sum(a[2] for a in args)
        num = max(a[1] + den - a[2] for a in args) + math.ceil(math.log2(len(args)))
        return _checked(None, num, den, sum(a[3] for a in args), max(a[4] for a in args), b)
    if isinstance(node, sympy.Mul):
        if all(v is not None for v in values):
            total = Fraction(1)
            for v in values:
                _checked(None, _bits(total.numerator) + _bits(v.numerator),
                         _bits(total.denominator) + _bits(v.denominator), 1, 0, b)
                total *= v
            return total, _bits(total.numerator), _bits(total.denominator), 1, 0
        return _checked(None, sum(a[1] for a in args), sum(a[2] for a in args), math.prod(a[3] for a in args),
                        sum(a[4] for a in args), b)
    if isinstance(node, sympy.Pow):
        (value, num, den, terms, degree), exp = args[0], values[1]
        if exp is None or exp.denominator != 1:
            return _checked(None, num, den, terms, degree, b)  # refused as a power by the reader's checks
        e = int(exp)
        if e == 0:
            return Fraction(1), 1, 1, 1, 0
        if e < 0:
            if value == 0:
                raise _ZeroDivision()
            num, den = den, num
        e = abs(e)
        expanded = math.comb(terms + e - 1, e)
        _checked(None, num * e, den * e, expanded, degree * e, b)
        if value is not None:
            value = value ** int(exp)
        return value, num * e, den * e, (expanded if int(exp) > 0 else 1), degree * e
    # a Sum, a Tuple of limits, anything else: as large as its largest part (the reader refuses what it
    # does not read after this)
    return None, max(a[1] for a in args), max(a[2] for a in args), max(a[3] for a in args), \
        max(a[4] for a in args)


def _checked(value, num: int, den: int, terms: int, degree: int, b: Budget):
    if max(num, den) > b.max_bits:
        raise _TooLarge(f"a number in the formula would have more than {b.max_bits} bits "
                        f"({int(b.max_bits * math.log10(2))} digits); symconv reads smaller ones")
    if terms > b.max_terms:
        raise _TooLarge(f"part of the formula would expand to more than {b.max_terms:,} terms; symconv reads "
                        f"at most {b.max_terms:,}")
    if degree > b.max_degree:
        raise _TooLarge(f"part of the formula has degree more than {b.max_degree}; symconv reads at most "
                        f"{b.max_degree}")
    return value, num, den, terms, degree


def _value(expr, budget: Budget):
    """The exact value (a Fraction) of the number `expr`, or None when it is not a number."""
    return _measure(expr, budget)[expr][0]


def _flatten(pieces):
    for piece, where in pieces:
        if isinstance(piece, list):
            yield from _flatten(piece)
        else:
            yield piece, where


def _is(it, text: str) -> bool:
    return isinstance(it, Tok) and it.text == text


def _text(items) -> str:
    out = []
    for it in items:
        out.append(it.open.text + _text(it.items) + (it.close.text if it.close else "") if isinstance(it, Group)
                   else it.text)
    return "".join(out)


def _label(it) -> bool:
    """``^{(1)}`` or ``^{(l)}``: a layer label, part of the name, not a power."""
    return isinstance(it, Group) and it.open.text == "{" and len(it.items) == 1 and isinstance(it.items[0], Group) \
        and it.items[0].open.text == "(" and all(isinstance(t, Tok) and t.kind in ("letter", "num")
                                                 for t in it.items[0].items) and bool(it.items[0].items)


def _bare_name(it):
    if isinstance(it, Tok) and (it.kind == "letter" or it.text[1:] in GREEK):
        return it.text.lstrip("\\")
    return None


def _index_follows(items, k) -> bool:
    return k < len(items) and (_is(items[k], "_") or (isinstance(items[k], Group) and items[k].open.text in "[("))


def _colon_equals(tokens):
    """``:=`` is ``=``."""
    out = []
    for t in tokens:
        if t.text == "=" and out and out[-1].text == ":" and out[-1].end == t.pos:
            out[-1] = Tok("sym", "=", out[-1].pos, t.end, out[-1].spaced)
        else:
            out.append(t)
    return out


def _strip_punctuation(items):
    """A formula copied from a sentence may end in ``.`` or ``,``."""
    while items and isinstance(items[-1], Tok) and items[-1].text in (".", ",", ";"):
        items = items[:-1]
    return items


_ALLOWED = (sympy.Add, sympy.Mul, sympy.Symbol, sympy.Indexed, sympy.IndexedBase, sympy.Integer, sympy.Rational,
            sympy.Sum, sympy.Tuple)


def _check_result(expr, reader: _Reader, at) -> None:
    """Only arithmetic of numbers, symbols, tensor elements and sums may come back from the backend."""
    pos = at.pos if hasattr(at, "pos") else 0
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow):
            if not (node.exp.is_Integer and (node.exp > 0 or node.base.is_number)):
                raise reader.fail(f"symconv reads only whole positive powers, not {node}", pos)
            if abs(node.exp) > MAX_POWER:
                raise reader.fail(f"the power {node.exp} is larger than symconv reads (at most {MAX_POWER})", pos)
        elif node is sympy.zoo or node is sympy.nan:  # the backend evaluated a division by zero: find which
            raise reader.fail("division by zero", reader.zero_division({w for w, _, _ in reader.divisions}, pos))
        elif isinstance(node, (sympy.core.numbers.Infinity, sympy.core.numbers.NegativeInfinity)):
            continue  # checked on the sums below
        elif isinstance(node, sympy.Float):
            continue
        elif not isinstance(node, _ALLOWED):
            raise reader.fail(f"symconv cannot read part of this formula (it came out as {node})", pos)
    for s in expr.atoms(sympy.Sum):
        for var, lo, hi in s.limits:
            if not isinstance(var, sympy.Symbol) or lo == sympy.oo or hi == -sympy.oo:
                raise reader.fail(f"a sum with limits {lo}..{hi} cannot be read", pos)
    if expr.has(sympy.oo) or expr.has(-sympy.oo):
        body = expr.replace(lambda e: isinstance(e, sympy.Sum), lambda e: sympy.Integer(0))
        if body.has(sympy.oo):
            raise reader.fail(r"\infty outside a sum's bounds", pos)


def _evaluate(expr):
    """latex2sympy2 builds ``Add``/``Mul``/``Pow`` unevaluated (``3 - 1`` stays ``-1 + 3``): evaluate them."""
    if expr.is_Atom or isinstance(expr, (sympy.IndexedBase,)):
        return expr
    if isinstance(expr, sympy.Sum):
        limits = [(v, _evaluate(lo), _evaluate(hi)) for v, lo, hi in expr.limits]
        return sympy.Sum(_evaluate(expr.function), *limits)
    return expr.func(*[_evaluate(a) for a in expr.args])


def _check_index(index, reader: _Reader, pos: int) -> None:
    if not index.is_polynomial() or index.has(sympy.Sum) or index.has(sympy.oo):
        raise reader.fail(f"the index {index} is not a polynomial in integers", pos)
    poly = sympy.Poly(index, *sorted(index.free_symbols, key=str)) if index.free_symbols else None
    coeffs = poly.coeffs() if poly is not None else [index]
    if not all(sympy.sympify(c).is_Integer for c in coeffs):
        raise reader.fail(f"the index {index} has a fractional coefficient", pos)
