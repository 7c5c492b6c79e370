"""Tokens and brace/bracket groups of a LaTeX formula, each with its position in the source.

Nothing here knows what a tensor or a sum is; :mod:`symconv.parse.reader` does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import LatexParseError

#: the longest formula read (a person types formulas, not megabytes)
MAX_LENGTH = 4000
#: the deepest nesting of groups read
MAX_DEPTH = 40

_TOKEN = re.compile(r"""
    (?P<cmd>\\[A-Za-z]+) | (?P<esc>\\[^A-Za-z]?) | (?P<num>\d+(?:\.\d+)?) | (?P<letter>[A-Za-z])
  | (?P<space>\s+) | (?P<sym>[-+*/=^_,'<>:.;!|&~$]) | (?P<open>[({\[]) | (?P<close>[)}\]]) | (?P<other>.)
""", re.X | re.S)

#: unicode that people paste, as the LaTeX it stands for
UNICODE = {"\u2212": "-", "\u00b7": r"\cdot", "\u22c5": r"\cdot", "\u00d7": r"\times", "\u2211": r"\sum",
           "\u2299": r"\odot", "\u2218": r"\circ", "\u2217": r"\ast", "\u22c6": r"\star", "\u221e": r"\infty",
           "\u2264": r"\le", "\u2265": r"\ge", "\u2032": "'", "\u2254": ":="}

#: commands that only space, size or style the formula
IGNORED = {r"\left", r"\right", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\big", r"\Big",
           r"\bigg", r"\Bigg", r"\displaystyle", r"\textstyle", r"\limits", r"\nolimits", r"\quad", r"\qquad",
           r"\,", r"\;", r"\:", r"\!", "\\ ", r"\>"}

OPEN_OF = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Tok:
    kind: str   # cmd, num, letter, sym, open, close
    text: str
    pos: int
    end: int
    spaced: bool = False  # whitespace (or an ignored command) before it


@dataclass
class Group:
    open: Tok
    items: list = field(default_factory=list)
    close: Tok | None = None

    @property
    def pos(self) -> int:
        return self.open.pos

    @property
    def end(self) -> int:
        return self.close.end if self.close else self.open.end

    spaced = property(lambda self: self.open.spaced)


def tokenize(source: str) -> list[Tok]:
    """The tokens of `source`; spacing commands, ``\\left``/``\\right`` and ``$`` are dropped.

    >>> [t.text for t in tokenize(r"A \\left[ m+u \\right]\\,")]
    ['A', '[', 'm', '+', 'u', ']']
    >>> tokenize("x \\u2299 y")[1].text
    '\\\\odot'
    """
    if not isinstance(source, str):
        raise LatexParseError(f"expected a LaTeX string, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise LatexParseError(f"the formula is {len(source)} characters long; symconv reads formulas of at most "
                              f"{MAX_LENGTH}", source, MAX_LENGTH)
    out: list[Tok] = []
    spaced = False
    drop_next_dot = False
    for m in _TOKEN.finditer(source):
        kind, text, pos = m.lastgroup, m.group(), m.start()
        if kind == "other":
            kind, text = _unicode(text, source, pos)
        if kind == "space" or text in IGNORED or text in ("$", "&", "~"):
            spaced = True
            drop_next_dot = text in (r"\left", r"\right")
            continue
        if drop_next_dot and text == ".":  # \left. and \right.
            drop_next_dot = False
            continue
        drop_next_dot = False
        if kind == "esc":
            raise LatexParseError(f"symconv does not read {text!r} here", source, pos)
        out.append(Tok(kind, text, pos, m.end(), spaced))
        spaced = False
    return out


def _unicode(ch: str, source: str, pos: int):
    if ch in UNICODE:
        text = UNICODE[ch]
        return ("cmd" if text.startswith("\\") else "sym"), text
    if ch in "\u00a0\u2009\u200a\u2002\u2003\u202f":
        return "space", " "
    name = unicodedata.name(ch, "")
    m = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", name)
    if m:
        word = m.group(2).lower()
        return "cmd", "\\" + (word.capitalize() if m.group(1) == "CAPITAL" else word)
    raise LatexParseError(f"unexpected character {ch!r} ({name or 'unnamed'})", source, pos)


def group(tokens: list[Tok], source: str) -> list:
    """Nest `tokens` into :class:`Group` for ``{}``, ``()`` and ``[]``; unbalanced ones are errors."""
    root = Group(Tok("open", "", 0, 0))
    stack = [root]
    for t in tokens:
        if t.kind == "open":
            if len(stack) > MAX_DEPTH:
                raise LatexParseError(f"the formula nests more than {MAX_DEPTH} groups deep", source, t.pos)
            g = Group(t)
            stack[-1].items.append(g)
            stack.append(g)
        elif t.kind == "close":
            top = stack[-1]
            if top is root:
                raise LatexParseError(f"{t.text!r} closes nothing", source, t.pos)
            if top.open.text != OPEN_OF[t.text]:
                raise LatexParseError(f"{top.open.text!r} at position {top.pos} is closed by {t.text!r}", source, t.pos)
            top.close = t
            stack.pop()
        else:
            stack[-1].items.append(t)
    if len(stack) > 1:
        raise LatexParseError(f"{stack[-1].open.text!r} is never closed", source, stack[-1].pos)
    return root.items


def split(items: list, *texts: str) -> list[list]:
    """`items` cut at the top-level tokens whose text is in `texts`."""
    parts: list[list] = [[]]
    for it in items:
        if isinstance(it, Tok) and it.text in texts:
            parts.append([])
        else:
            parts[-1].append(it)
    return parts


def separators(items: list, *texts: str) -> list[Tok]:
    return [it for it in items if isinstance(it, Tok) and it.text in texts]
