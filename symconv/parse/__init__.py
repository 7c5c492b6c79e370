"""LaTeX in: the tokenizer, the reader of sums and tensor indices, and the one adapter to the latex2sympy2 backend.

The names are imported on first use (PEP 562), so importing this package costs nothing.
"""

from __future__ import annotations

import importlib

_LAZY = {"parse_latex": "reader", "read_latex": "reader", "Budget": "reader"}

__all__ = ["parse_latex", "read_latex"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'symconv.parse' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
