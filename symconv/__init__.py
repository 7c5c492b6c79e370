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

from .array import SymArray, SymMatrix
from .equivalence import Counterexample, Verdict, conditions, equivalent
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
from .forms import dot_flat, hadamard_sum, im2col, im2col_matmul, matmul, toeplitz, windows
from .geometry import output_shape
from .identify import Identification, identify
from .latex.printer import latex
from .latex.reader import parse_latex
from .formula import Formula, FormulaError
from .limits import set_limits
from .ops import conv, conv_transpose, convolve, correlate
from .proofs import Derivation, ProofError, Step, derive
from .tensors import evaluate, flip, tensor
from .trace import InexactWarning, NotBilinearError, TraceError, probe, trace
from . import testing

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
