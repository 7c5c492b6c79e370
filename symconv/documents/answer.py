"""The seed-answer document: what a CNN layer computes, end to end, from the checked derivations.

Every equation chain in it is the ``aligned`` view of a verified catalogue
derivation, and every number is computed by symconv when the document is built.
"""

from __future__ import annotations

import sympy

from .document import PREAMBLE, fit
from .figures import im2col_figure, toeplitz_figure, window_figure
from ..latex.printer import latex

#: the deeplearning.ai window and kernel of the first seed, and np.dot of them
SEED_WINDOW = ((1, 1, 1), (0, 1, 1), (0, 0, 1))
SEED_KERNEL = ((1, 0, 1), (0, 1, 0), (1, 0, 1))
ASYMMETRIC_KERNEL = ((1, 2, 0), (0, 1, 0), (0, 0, 0))

NAME = "what-does-a-cnn-layer-compute"
TITLE = "What does a convolution layer compute: a dot product or a sum of element-wise products?"


def _chain(name: str) -> str:
    from ..proofs import derive
    from .document import derivation_latex

    return derivation_latex(derive(name), boxed=True)  # a document: the justifications in a column that fits


def _m(rows) -> str:
    return latex(sympy.Matrix(rows))


def _numbers() -> dict:
    import symconv as sc

    A, B, K = (sympy.Array(m) for m in (SEED_WINDOW, SEED_KERNEL, ASYMMETRIC_KERNEL))
    return {
        "had": sc.hadamard_sum(A, B)[()],
        "dot": sc.dot_flat(A, B)[()],
        "np_dot": sc.matmul(A, B).tolist(),
        "np_dot_sum": sum(sum(r) for r in sc.matmul(A, B).tolist()),
        "conv_sym": sc.convolve(A, B)[0, 0],
        "corr_sym": sc.correlate(A, B)[0, 0],
        "conv_asym": sc.convolve(A, K)[0, 0],
        "corr_asym": sc.correlate(A, K)[0, 0],
    }


def answer_document() -> str:
    """The complete LaTeX document (compiles with ``pdflatex``)."""
    n = _numbers()
    A, B, K = _m(SEED_WINDOW), _m(SEED_KERNEL), _m(ASYMMETRIC_KERNEL)
    parts = [PREAMBLE, rf"\title{{{TITLE}}}", r"\author{symconv}", r"\date{}", r"\begin{document}", r"\maketitle",
             r"""\noindent The question comes up again and again: the deeplearning.ai lectures compute a convolution
as a \emph{sum of element-wise products}, while books and the cs231n notes speak of a \emph{dot product}, and
\texttt{np.dot} of the two $3 \times 3$ arrays gives a matrix, not a number. This document settles it. Every chain of
equalities below was produced by symconv as a sequence of named rewrite steps; each step was accepted by symconv's
proof kernel, which re-applies the step's rule and decides its side conditions (e.g.\ that a re-indexing is a
bijection, that every element read lies inside its tensor) for every size with the SMT solver z3; each step was
also expanded exactly at several concrete sizes, and the two ends were compared with symconv's independently built
operations. Every number was computed exactly.""",
             r"\section{What one output of a CNN layer is}",
             r"""A CNN ``convolution'' layer computes a cross-correlation: the kernel slides over the input without being
flipped. One output is the sum, over the kernel's positions, of input times kernel:""",
             _chain("correlation-is-windowed-hadamard-sum"),
             r"In a picture, for a $5 \times 5$ input and a $3 \times 3$ kernel, the window of output $(0, 1)$:",
             r"\[ " + fit(window_figure(5, 5, 3, 3, (0, 1))) + r" \]",
             rf"""With the seed's window $X = {A}$ and kernel $k = {B}$ this is
$1\cdot 1 + 1\cdot 0 + 1\cdot 1 + 0\cdot 0 + 1\cdot 1 + 1\cdot 0 + 0\cdot 1 + 0\cdot 0 + 1\cdot 1 = {n['had']}$.""",
             r"\section{Why ``dot product'' and ``sum of element-wise products'' are the same number}",
             r"""Flatten both arrays row-major into vectors; the sum of element-wise products is the dot product of
the two vectors, for every shape:""",
             _chain("hadamard-sum-is-flattened-dot"),
             rf"""For the seed's arrays both give ${n['dot']}$. With several input channels the sum runs over the channel
too, and it is still one dot product, of the flattened $C \times k_h \times k_w$ receptive field with the
flattened filter:""",
             _chain("depth-is-a-dot-product"),
             r"\section{Why \texttt{np.dot} of the two matrices is not}",
             rf"""\texttt{{np.dot}} of two 2-D arrays is the matrix product, $(AB)_{{i,j}} = \sum_t A_{{i,t}} B_{{t,j}}$: a
matrix. For the seed's window and kernel, $A = X$ and $B = k$, $\texttt{{np.dot}}(A, B) = {_m(n['np_dot'])}$, not
${n['had']}$, and not even the sum of its entries (${n['np_dot_sum']}$) is ${n['had']}$. The sum of element-wise
products is a different quantity, the trace of $A^{{\mathsf T}} B$:""",
             _chain("matrix-product-is-not-hadamard-sum"),
             r"\section{Where the kernel flip of true convolution goes}",
             r"""The convolution of signal processing, $y_n = \sum_m x_{n-m} k_m$, runs over the input backwards.
Re-indexing shows that it is a cross-correlation with the kernel rotated by $180^\circ$:""",
             _chain("convolution-is-flipped-correlation"),
             r"""Because a network learns its kernels, it makes no difference which of the two a library computes:
the learned kernel of one is the flipped kernel of the other.""",
             r"\section{When convolution and correlation agree}",
             rf"""They agree for every input exactly when the kernel is centro-symmetric. The seed's kernel $k$ is, so
convolving and correlating its window give the same ${n['conv_sym']} = {n['corr_sym']}$; with the kernel ${K}$ they
give ${n['conv_asym']}$ (convolution) and ${n['corr_asym']}$ (correlation). In general:""",
             _chain("convolution-equals-correlation-iff-centrosymmetric"),
             r"""The last two steps use the hypothesis $k_{k_h-1-u,k_w-1-v} = k_{u,v}$; without it, the difference is a
polynomial in distinct input entries whose coefficients are $k_{k_h-1-u,k_w-1-v} - k_{u,v}$, so it vanishes for
every input only if they all do.""",
             r"\section{Depth and $1 \times 1$ convolutions}",
             r"""A $1 \times 1$ convolution mixes channels only: it is a matrix product of the $O \times C$ weight
matrix with the input reshaped to $C \times HW$, a dot product along the depth at every pixel:""",
             _chain("one-by-one-conv-is-channel-matmul"),
             r"""And the textbooks' ``dot product of the input and weight vectors'' is a fully connected layer, which is
a convolution whose kernel covers the whole input:""",
             _chain("fully-connected-is-whole-input-conv"),
             r"\section{The whole layer as one matrix product (im2col)}",
             r"""Stacking the windows as rows of a matrix (im2col) turns the whole correlation into one matrix product,
the \texttt{np.dot(W\_row, X\_col)} of the cs231n notes, each entry a dot product of a window with the kernel:""",
             _chain("correlation-is-im2col-matmul"),
             r"For a $4 \times 4$ input and a $2 \times 2$ kernel, row $1$ of the im2col matrix (shaded) is the window "
             r"of output $(0, 1)$, and it meets the kernel as a vector:",
             r"\[ " + fit(im2col_figure(4, 4, 2, 2, 1)) + r" \]",
             r"""Equivalently, the layer is a linear map of its input, with a sparse Toeplitz matrix:""",
             _chain("correlation-is-toeplitz-matvec"),
             r"At the same sizes, the band of $T$ (shaded) holds the kernel at each window's positions:",
             r"\[ " + fit(toeplitz_figure(4, 4, 2, 2)) + r" \]",
             r"\section{The answer}",
             r"""Both descriptions are right, about different objects. Each output of a convolution layer is the sum of
element-wise products of a window with the kernel, which is the same number as the dot product of the two
\emph{flattened} arrays (with all channels included). It is not \texttt{np.dot} of the two matrices, which is a matrix
product. What CNN libraries call convolution is cross-correlation; true convolution flips the kernel, and the two agree
only for centro-symmetric kernels.""",
             r"\end{document}"]
    return "\n\n".join(parts) + "\n"
