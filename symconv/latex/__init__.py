"""LaTeX out (views of symconv objects; printing never changes a result) and LaTeX in (:func:`parse_latex`)."""

from .printer import SymconvLatexPrinter, latex
from .printing import array_latex
from .reader import parse_latex, read_latex

__all__ = ["array_latex", "latex", "parse_latex", "read_latex", "SymconvLatexPrinter"]
