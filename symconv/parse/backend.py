"""The one place symconv calls its LaTeX backend: arithmetic of already-tokenized LaTeX.

The backend is ``latex2sympy2_extended``, the maintained continuation of latex2sympy2: it runs on
every current Python (3.10-3.13) with the ANTLR 4.11 runtime, the same runtime SymPy's own
``parse_latex`` needs, so both work in one environment (latex2sympy2 1.9.1 pinned ANTLR 4.7.2, which
imports the ``typing.io`` that Python 3.13 removed, and installed foreign top-level packages).

:mod:`symconv.parse.reader` hands this module only text it wrote itself: every
name of the user's formula replaced by a placeholder ``\\mathit{zN}``, sums
given explicit bounds, no ``=``, no top-level commas.  latex2sympy2 then only
supplies operator precedence, fractions, implicit products, powers and
``\\sum``.  Its gaps (opaque subscripted symbols, ``I``/``E``/``i`` as
constants, the global variable table that ``=`` writes to) never reach it.

What a call costs: latex2sympy2's ANTLR grammar is ambiguous (implicit products,
``\\sum`` bodies), and ANTLR's default prediction falls back to *full-context* (LL)
lookahead at almost every decision; that lookahead is not cached and runs over
the rest of the input, so one call costs about 5-10 ms per token and grows
faster than linearly with its length and nesting (400 juxtaposed names: 2.4 s,
12 nested powers: 2.5 s).  :func:`arithmetic` therefore parses in two stages, as
the ANTLR documentation recommends: first with SLL prediction (cached, about ten
times faster), which either returns the tree that LL would return or fails; only
when it fails is the text parsed again with full LL prediction, which gives the
same result and latex2sympy2's error message.  The length and nesting of what is
sent here is bounded by the reader's :class:`~symconv.parse.reader.Budget`.

It is called with ``lowercase_symbols=False`` and no mixed fractions, on text that skips its
normalization (the reader wrote the text); it reads ``\\mathit{zN}`` as the symbol ``zN``, which
:func:`arithmetic` renames back to the reader's placeholder.  Any import failure of the backend is one
:class:`~symconv.errors.LatexParseError`-compatible :class:`BackendUnavailable` with the fix in its
message.  Nothing else imports the backend.
"""

from __future__ import annotations

import functools
import re
import threading
import warnings

import sympy

_LOCK = threading.Lock()
_MODULE = None
#: calls of :func:`arithmetic` that reached latex2sympy2 (not answered from the cache), and of those the
#: ones that needed the slow full-context stage; counters for tests and benchmarks
STATS = {"parses": 0, "full_context": 0}


class BackendError(Exception):
    """latex2sympy2 refused `text`; `column` is where, when it said so."""

    def __init__(self, message: str, column: int | None):
        super().__init__(message)
        self.column = column


FIX = ('pip install "latex2sympy2_extended[antlr4-11-0]>=1.11,<2" (symconv\'s LaTeX backend; its ANTLR 4.11 '
       'runtime is also the one SymPy\'s parse_latex needs)')


def _module():
    global _MODULE
    if _MODULE is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                from latex2sympy2_extended import latex2sympy2  # noqa: PLC0415 -- only when a formula is read
        except Exception as err:  # ImportError, or an ANTLR runtime of another version failing inside
            from ..errors import BackendUnavailable

            raise BackendUnavailable(f"the LaTeX backend could not be imported ({type(err).__name__}: {err}); "
                                     f"expected {FIX}") from None
        _MODULE = latex2sympy2
    return _MODULE


def _converter(mod):
    """A fresh converter per call: it keeps tables of the variables it reads (``a = b``), never shared."""
    config = mod.ConversionConfig(lowercase_symbols=False, interpret_as_mixed_fractions=False,
                                  interpret_simple_eq_as_assignment=False, interpret_contains_as_eq=False)
    return mod._Latex2Sympy(config=config)




def arithmetic(text: str) -> sympy.Basic:
    """The SymPy expression of `text`, read by latex2sympy2 with its global state emptied before and after.

    >>> arithmetic(r"2\\mathit{z0} + \\frac{1}{2}")
    2*\\mathit{z0} + 1/2

    Results are cached by text (SymPy expressions are immutable; the reader numbers its placeholders
    from 0 in every formula, so index texts such as ``\\mathit{z0} + \\mathit{z1}`` recur).
    """
    result = _affine(text)
    if result is not None:
        return result
    result = _cached(text)
    if isinstance(result, BackendError):
        raise BackendError(str(result), result.column)
    return result


_AFFINE_TOKEN = re.compile(r"\\mathit\{[a-z]+\d*\}|\d+|[+-]|\s+")


def _affine(text: str):
    """The index arithmetic the reader sends most, read without the backend: one placeholder
    (``\\mathit{z0}``), or distinct placeholders added and subtracted, an added one possibly with an integer
    coefficient of 2 or more (``2 \\mathit{z0} + \\mathit{z1}``).  The result is the expression latex2sympy2
    gives for the same text (a test compares the two on such texts); None for anything else (numbers, a
    repeated name), which goes to the backend."""
    if len(text) > 400:
        return None
    tokens, pos = [], 0
    for match in _AFFINE_TOKEN.finditer(text):
        if match.start() != pos:
            return None
        pos = match.end()
        if not match.group().isspace():
            tokens.append(match.group())
    if pos != len(text) or not tokens:
        return None
    terms, names, n, sign = [], set(), 0, "+"
    while n < len(tokens):
        if n and tokens[n] in "+-" and n + 1 < len(tokens) and tokens[n + 1] not in "+-":
            sign, n = tokens[n], n + 1
        elif n:
            return None
        coef = None
        if tokens[n].isdigit():
            if sign == "-" or n + 1 >= len(tokens) or tokens[n + 1][0] != "\\" or int(tokens[n]) < 2 or \
                    tokens[n][0] == "0":
                return None
            coef, n = int(tokens[n]), n + 1
        name = tokens[n]
        if name[0] != "\\" or name in names:
            return None
        names.add(name)
        value = sympy.Symbol(name)
        terms.append(coef * value if coef else (-value if sign == "-" else value))
        n += 1
    return sympy.Add(*terms)


@functools.lru_cache(maxsize=512)
def _cached(text: str):
    mod = _module()
    with _LOCK:
        STATS["parses"] += 1
        try:
            return _parse(mod, text)
        except RecursionError:
            return BackendError("the formula is nested too deeply", None)
        except Exception as err:  # latex2sympy2 raises bare Exception with a caret drawing
            return BackendError(*_message(str(err)))


class _Bail(Exception):
    pass


def _parse(mod, text: str):
    """latex2sympy2's ``latex2sympy`` without its text rewriting (the reader writes none of what it rewrites),
    SLL first, then LL."""
    from antlr4 import CommonTokenStream, InputStream  # imported with latex2sympy2, when a formula is read
    from antlr4.atn.PredictionMode import PredictionMode
    from antlr4.error.ErrorListener import ErrorListener
    from antlr4.error.ErrorStrategy import BailErrorStrategy

    class Bail(ErrorListener):
        def syntaxError(self, recognizer, symbol, line, column, msg, e):
            raise _Bail()

    converter = _converter(mod)

    def tree(fast: bool):
        listener = Bail() if fast else converter.MathErrorListener(text)
        lexer = mod.PSLexer(InputStream(text))
        lexer.removeErrorListeners()
        lexer.addErrorListener(listener)
        parser = mod.PSParser(CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(listener)
        if fast:
            parser._interp.predictionMode = PredictionMode.SLL
            parser._errHandler = BailErrorStrategy()
        return parser.math()

    try:
        math = tree(True)
    except Exception:  # _Bail, the BailErrorStrategy's ParseCancellationException: try the full stage
        STATS["full_context"] += 1
        math = tree(False)
    if math.set_relation():
        result = converter.convert_set_relation(math.set_relation())
    elif math.set_elements():
        result = converter.convert_set_elements(math.set_elements())
    else:
        result = None
    if not isinstance(result, sympy.Expr) or isinstance(result, (sympy.Tuple, sympy.Set)):
        raise ValueError("only arithmetic is read here (not a list, a set or a relation)")
    return _placeholders(result)


#: how the backend may spell a placeholder back: ``z0``, ``math{z0}`` (ANTLR 4.11 grammar), ``mathit{z0}``
_PLACEHOLDER = re.compile(r"(?:\\?math(?:it)?\{)?([zt]\d+)\}?")


def _placeholders(expr):
    """The backend reads ``\\mathit{z0}`` as ``z0``: the reader's own names again (``\\mathit{z0}``)."""
    if not isinstance(expr, sympy.Basic):
        return expr
    renamed = {}
    for s in expr.atoms(sympy.Symbol):  # bound variables of sums too
        found = _PLACEHOLDER.fullmatch(s.name) if isinstance(s, sympy.Symbol) else None
        if found:
            renamed[s] = sympy.Symbol(f"\\mathit{{{found.group(1)}}}")
    return expr.xreplace(renamed) if renamed else expr


def _message(text: str):
    """latex2sympy2's ``"msg\\nsource\\n~~~^"`` as ``(msg, column)``."""
    lines = text.splitlines()
    marker = next((line for line in lines if re.fullmatch(r"~*\^", line)), None)
    column = len(marker) - 1 if marker else None
    return (lines[0] if lines else "latex2sympy2 could not read it"), column
