"""LaTeX out: views of symconv objects (printing never changes a result).

LaTeX *in* lives in :mod:`symconv.parse`; ``parse_latex`` and ``read_latex`` are also reachable from here,
as before.  The names are imported on first use (PEP 562), so importing this package costs nothing.
"""

from __future__ import annotations

import importlib

_LAZY = {"SymconvLatexPrinter": ".printer", "latex": ".printer", "array_latex": ".printing",
         "parse_latex": "symconv.parse.reader", "read_latex": "symconv.parse.reader"}

__all__ = ["array_latex", "latex", "parse_latex", "read_latex", "SymconvLatexPrinter"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'symconv.latex' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name], __name__), name)
