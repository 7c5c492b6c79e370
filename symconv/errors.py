"""The exceptions symconv raises.

Every error is a :class:`SymconvError`; each subclass also derives from the
built-in exception a Python user would expect (``ValueError``, ``TypeError``,
``IndexError``, ``MemoryError``), so ``except ValueError`` keeps working.
Messages name the argument, the value received and what was expected.
"""

from __future__ import annotations


class SymconvError(Exception):
    """Base class of every error symconv raises on purpose."""


class InvalidArgumentError(SymconvError, ValueError):
    """An argument has the right type but an unusable value (``stride=0``)."""


class InvalidTypeError(SymconvError, TypeError):
    """An argument has a type symconv cannot work with."""


class ShapeError(SymconvError, ValueError):
    """Shapes do not fit together (channel mismatch, kernel larger than input, ...)."""


class UnknownOptionError(InvalidArgumentError):
    """A string option (``mode``, ``boundary``, ...) is not one of the choices."""


class MissingValueError(SymconvError, KeyError):
    """`evaluate` was not given a value for a symbol the expression uses."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class AxisError(InvalidArgumentError, IndexError):
    """An axis number is out of range (like NumPy's ``AxisError``, both a ValueError and an IndexError)."""


class SymconvIndexError(SymconvError, IndexError):
    """An index into a symconv array is out of range."""


class TooLargeError(SymconvError, MemoryError):
    """A request would need more terms or memory than allowed; refused up front."""


class NotPolynomialError(SymconvError, ValueError):
    """An expression cannot be brought into the exact polynomial form."""


def describe(value: object, limit: int = 60) -> str:
    """A short ``repr`` of `value` for error messages.

    >>> describe("same")
    "'same'"
    >>> len(describe(list(range(1000)))) <= 60
    True
    """
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def unknown_option(name: str, value: object, choices) -> UnknownOptionError:
    """The error for a string option outside `choices`.

    >>> str(unknown_option("mode", "smae", ("valid", "same", "full")))
    "mode='smae' is not supported; expected one of 'valid', 'same', 'full'"
    """
    listed = ", ".join(repr(c) for c in choices)
    return UnknownOptionError(f"{name}={describe(value)} is not supported; expected one of {listed}")


class LatexParseError(SymconvError, ValueError):
    """A LaTeX formula symconv cannot read; the message shows the formula with a caret at `position`.

    >>> err = LatexParseError("unbalanced brace", r"\\sum_{u x_u", 5)
    >>> print(err)
    unbalanced brace at position 5:
      \\sum_{u x_u
           ^
    >>> err.position, isinstance(err, ValueError)
    (5, True)
    """

    def __init__(self, message: str, source: str = "", position: int | None = None):
        self.message, self.source, self.position = message, source, position
        super().__init__(self._render())

    def _render(self) -> str:
        if self.position is None or not self.source:
            return self.message
        line, col = _window(self.source, self.position)
        return f"{self.message} at position {self.position}:\n  {line}\n  {' ' * col}^"


def _window(source: str, position: int, width: int = 70):
    """The part of `source` shown around `position` (long formulas are cut) and the caret's column in it."""
    text = source.replace("\n", " ").replace("\t", " ")
    position = max(0, min(position, len(text)))
    start = max(0, min(position - width // 2, len(text) - width))
    shown = text[start:start + width]
    col = position - start
    if start > 0:
        shown, col = "..." + shown, col + 3
    if start + width < len(text):
        shown += "..."
    return shown, col


class BackendUnavailable(SymconvError, ImportError):
    """The LaTeX backend (latex2sympy2_extended) cannot be imported; the message says how to install it."""
