"""The one place symconv calls latex2sympy2 (1.9.1): arithmetic of already-tokenized LaTeX.

:mod:`symconv.latex.reader` hands this module only text it wrote itself: every
name of the user's formula replaced by a placeholder ``\\mathit{zN}``, sums
given explicit bounds, no ``=``, no top-level commas.  latex2sympy2 then only
supplies operator precedence, fractions, implicit products, powers and
``\\sum``.  Its gaps (opaque subscripted symbols, ``I``/``E``/``i`` as
constants, the global variable table that ``=`` writes to) never reach it.

To swap the backend (e.g. for ``latex2sympy2_extended``, called with
``lowercase_symbols=False``), replace :func:`arithmetic`; nothing else imports
latex2sympy2.
"""

from __future__ import annotations

import re
import threading
import warnings

import sympy

_LOCK = threading.Lock()
_MODULE = None


class BackendError(Exception):
    """latex2sympy2 refused `text`; `column` is where, when it said so."""

    def __init__(self, message: str, column: int | None):
        super().__init__(message)
        self.column = column


def _module():
    global _MODULE
    if _MODULE is None:
        with warnings.catch_warnings():  # the ANTLR 4.7.2 runtime imports typing.io
            warnings.simplefilter("ignore", DeprecationWarning)
            import latex2sympy2  # noqa: PLC0415 -- 0.4 s import, only when a formula is read

        _MODULE = latex2sympy2
    return _MODULE


def _clear(mod) -> None:
    """Empty latex2sympy2's global tables (it stores ``i = I``, ``j = I`` and every ``a = b`` it reads)."""
    mod.variances.clear()
    mod.var.clear()
    mod.VARIABLE_VALUES = {}
    mod.is_real = None


def arithmetic(text: str) -> sympy.Basic:
    """The SymPy expression of `text`, read by latex2sympy2 with its global state emptied before and after.

    >>> arithmetic(r"2\\mathit{za} + \\frac{1}{2}")
    2*\\mathit{za} + 1/2
    """
    mod = _module()
    with _LOCK:
        _clear(mod)
        try:
            return mod.latex2sympy(text)
        except RecursionError:
            raise BackendError("the formula is nested too deeply", None) from None
        except Exception as err:  # latex2sympy2 raises bare Exception with a caret drawing
            raise BackendError(*_message(str(err))) from None
        finally:
            _clear(mod)


def _message(text: str):
    """latex2sympy2's ``"msg\\nsource\\n~~~^"`` as ``(msg, column)``."""
    lines = text.splitlines()
    marker = next((line for line in lines if re.fullmatch(r"~*\^", line)), None)
    column = len(marker) - 1 if marker else None
    return (lines[0] if lines else "latex2sympy2 could not read it"), column
