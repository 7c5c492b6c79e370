"""symconv: what a convolution in a neural network really computes, settled by exact symbolic computation.

>>> import symconv as sc
>>> x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
>>> sc.correlate(x, k) == sc.im2col_matmul(x, k)
True
>>> sc.correlate(x, k) == sc.convolve(x, k)
False
>>> sc.convolve(x, k) == sc.correlate(x, sc.flip(k))
True
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

from .errors import (
    InvalidArgumentError,
    InvalidTypeError,
    LatexParseError,
    MissingValueError,
    NotPolynomialError,
    ShapeError,
    SymconvError,
    SymconvIndexError,
    TooLargeError,
    UnknownOptionError,
)

#: where each public name lives; a module is imported on first use (PEP 562), so ``import symconv``,
#: ``symconv --help`` and the pytest plugin import no SymPy until something symbolic is asked for
_LAZY = {
    "SymArray": "array", "SymMatrix": "array",
    "Counterexample": "equivalence", "Verdict": "equivalence", "conditions": "equivalence", "equivalent": "equivalence",
    "dot_flat": "forms", "hadamard_sum": "forms", "im2col": "forms", "im2col_matmul": "forms", "matmul": "forms",
    "toeplitz": "forms", "windows": "forms",
    "output_shape": "geometry",
    "Identification": "identify", "identify": "identify",
    "latex": "latex.printer", "parse_latex": "parse.reader",
    "Formula": "formula", "FormulaError": "formula",
    "set_limits": "limits",
    "conv": "ops", "conv_transpose": "ops", "convolve": "ops", "correlate": "ops",
    "Derivation": "proofs", "ProofError": "proofs", "Step": "proofs", "derive": "proofs",
    "evaluate": "tensors", "flip": "tensors", "tensor": "tensors",
    "InexactWarning": "trace", "NotBilinearError": "trace", "TraceError": "trace", "probe": "trace", "trace": "trace",
}


def __getattr__(name: str):
    if name == "testing":
        return importlib.import_module(".testing", __name__)
    if name not in _LAZY:
        raise AttributeError(f"module 'symconv' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


#: public functions named like a submodule (symconv.trace, symconv.identify, symconv.latex)
_SHADOWED = {name for name, module in _LAZY.items() if module.split(".")[0] == name}


class _Package(types.ModuleType):
    """The package module: importing a submodule never rebinds a public function of the same name.

    (The import system binds ``symconv.trace`` to the submodule when it is first loaded; the public
    name ``symconv.trace`` is the function.)
    """

    def __setattr__(self, name, value):
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from . import testing
    from .array import SymArray, SymMatrix
    from .equivalence import Counterexample, Verdict, conditions, equivalent
    from .forms import dot_flat, hadamard_sum, im2col, im2col_matmul, matmul, toeplitz, windows
    from .formula import Formula, FormulaError
    from .geometry import output_shape
    from .identify import Identification, identify
    from .latex.printer import latex
    from .parse.reader import parse_latex
    from .limits import set_limits
    from .ops import conv, conv_transpose, convolve, correlate
    from .proofs import Derivation, ProofError, Step, derive
    from .tensors import evaluate, flip, tensor
    from .trace import InexactWarning, NotBilinearError, TraceError, probe, trace

__version__ = "0.1.0"

__all__ = [
    "SymArray",
    "SymMatrix",
    "SymconvError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "MissingValueError",
    "NotPolynomialError",
    "ShapeError",
    "SymconvIndexError",
    "TooLargeError",
    "UnknownOptionError",
    "tensor",
    "evaluate",
    "flip",
    "correlate",
    "convolve",
    "conv",
    "conv_transpose",
    "output_shape",
    "hadamard_sum",
    "dot_flat",
    "matmul",
    "windows",
    "im2col",
    "im2col_matmul",
    "toeplitz",
    "set_limits",
    "equivalent",
    "conditions",
    "Verdict",
    "Counterexample",
    "trace",
    "probe",
    "TraceError",
    "NotBilinearError",
    "InexactWarning",
    "identify",
    "Identification",
    "derive",
    "Derivation",
    "Step",
    "ProofError",
    "latex",
    "parse_latex",
    "Formula",
    "FormulaError",
    "LatexParseError",
    "testing",
]
