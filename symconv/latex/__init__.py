"""LaTeX views of symconv objects (printing never changes a result)."""

from .printer import SymconvLatexPrinter, latex
from .printing import array_latex

__all__ = ["array_latex", "latex", "SymconvLatexPrinter"]
