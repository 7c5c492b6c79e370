"""The exceptions symconv raises.

Every error is a :class:`SymconvError`; each subclass also derives from the
built-in exception a Python user would expect (``ValueError``, ``TypeError``,
``IndexError``, ``MemoryError``), so ``except ValueError`` keeps working.
Messages name the argument, the value received and what was expected.
"""

from __future__ import annotations


class SymconvError(Exception):
    """Base class of every error symconv raises on purpose.

    Catch it to handle any refusal of symconv; each subclass is also the built-in exception it stands
    for, so ``except ValueError`` (or ``TypeError``, ``IndexError``, ...) catches it too.

    Examples
    --------
    >>> import symconv as sc
    >>> try:
    ...     sc.tensor("x", -1)
    ... except sc.SymconvError as err:
    ...     print(type(err).__name__, isinstance(err, ValueError))
    ...     print(err)
    InvalidArgumentError True
    shape=(-1,) is not a valid shape; expected integers >= 0
    """


class InvalidArgumentError(SymconvError, ValueError):
    """An argument has the right type but an unusable value (``stride=0``, a negative size).

    Raised when a value is checked: a shape, stride, dilation, padding or limit out of range.
    """


class InvalidTypeError(SymconvError, TypeError):
    """An argument has a type symconv cannot work with.

    Raised when an array argument is not array-like, an integer option is not an integer, or a
    function gets arguments it cannot take (``identify(fn)`` without the shapes of ``fn``'s arguments).
    """


class ShapeError(SymconvError, ValueError):
    """Shapes do not fit together (channel mismatch, kernel larger than input, ...).

    Raised by the operations and forms when the shapes of their arguments are incompatible, and for
    ragged nested lists or a ``reshape`` to a different number of entries.
    """


class UnknownOptionError(InvalidArgumentError):
    """A string option (``mode``, ``boundary``, ...) is not one of the choices.

    Raised as soon as the option is read; the message lists the choices.
    """


class MissingValueError(SymconvError, KeyError):
    """`evaluate` was not given a value for a symbol the expression uses.

    Raised by :func:`symconv.evaluate` with the entry (or symbol) missing and what it expected.
    """

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class AxisError(InvalidArgumentError, IndexError):
    """An axis number is out of range (like NumPy's ``AxisError``, both a ValueError and an IndexError).

    Raised for ``axes`` arguments (:func:`symconv.flip`, ``SymArray.transpose``) outside the array's axes.
    """


class SymconvIndexError(SymconvError, IndexError):
    """An index into a symconv array is out of range.

    Raised by indexing a :class:`~symconv.array.SymArray` (``x[5]`` of a 3-entry array), as ``IndexError``.
    """


class TooLargeError(SymconvError, MemoryError):
    """A request would need more terms or memory than allowed; refused up front.

    Raised before the work starts, when its size exceeds a limit of :func:`symconv.set_limits` (terms,
    SymPy entries, probe calls, the products of a formula at its sizes).
    """


class NotPolynomialError(SymconvError, ValueError):
    """An expression cannot be brought into the exact polynomial form.

    Raised for entries that are not polynomials in tensor entries and symbols (``sin(a)``, ``1/x[0]``) and
    for dividing an array by anything but a number.
    """


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

    Raised by :func:`symconv.parse_latex` (and :func:`symconv.identify` of a LaTeX string) for a formula
    that is not a string, is empty, is malformed, or is over the reading budget.

    Attributes
    ----------
    message : str
        What is wrong, without the position.
    source : str
        The formula.
    position : int or None
        Where in `source` the problem is (``None`` when no one place is).

    Examples
    --------
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
    """The LaTeX backend (latex2sympy2_extended) cannot be imported; the message says how to install it.

    Raised by :func:`symconv.parse_latex` (and :func:`symconv.identify` of a LaTeX string) on first use.
    """
