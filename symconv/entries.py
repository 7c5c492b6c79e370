"""The catalogue's table of contents, as plain data: name, title, sizes and worked-example sizes of every entry.

Kept free of SymPy so that ``symconv list`` and ``--help`` answer at once; each entry's derivation
(:mod:`symconv.proofs.catalogue`) takes its title from here, and a test checks that its sizes are these.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One derivation of the catalogue."""

    name: str
    title: str  # LaTeX
    sizes: tuple  # the names of its sizes, in the order --size takes them
    example: dict | None = field(default=None, compare=False)  # the sizes of its worked example


#: the entries API.md fixes, in reading order
CORE = (
    "convolution-is-flipped-correlation",
    "correlation-is-windowed-hadamard-sum",
    "hadamard-sum-is-flattened-dot",
    "correlation-is-im2col-matmul",
    "depth-is-a-dot-product",
    "one-by-one-conv-is-channel-matmul",
    "fully-connected-is-whole-input-conv",
    "correlation-is-toeplitz-matvec",
    "convolution-equals-correlation-iff-centrosymmetric",
    "matrix-product-is-not-hadamard-sum",
)

ENTRIES = {e.name: e for e in (
    Entry("convolution-is-flipped-correlation", 
          'Convolution is cross-correlation with the flipped kernel',
          ('H', 'W', 'k_h', 'k_w'), example=dict(H=5, W=5, k_h=3, k_w=3)),
    Entry("correlation-is-windowed-hadamard-sum", 
          'Each output of a correlation is a sum of element-wise products',
          ('H', 'W', 'k_h', 'k_w'), example=dict(H=5, W=5, k_h=3, k_w=3)),
    Entry("hadamard-sum-is-flattened-dot", 
          'The sum of element-wise products is the dot product of the flattened arrays',
          ('m', 'n'), example=dict(m=3, n=3)),
    Entry("correlation-is-im2col-matmul", 
          'Correlation is one matrix product (im2col)',
          ('H', 'W', 'k_h', 'k_w'), example=dict(H=5, W=5, k_h=3, k_w=3)),
    Entry("depth-is-a-dot-product", 
          'Through the depth: each output of a layer is one dot product',
          ('C', 'H', 'W', 'k_h', 'k_w'), example=dict(C=3, H=4, W=4, k_h=3, k_w=3)),
    Entry("one-by-one-conv-is-channel-matmul", 
          r'A $1 \times 1$ convolution is a matrix product over the channels',
          ('C', 'O', 'H', 'W'), example=dict(C=3, O=2, H=3, W=3)),
    Entry("fully-connected-is-whole-input-conv", 
          'A fully connected layer is a convolution over the whole input',
          ('C', 'O', 'H', 'W'), example=dict(C=2, O=3, H=2, W=2)),
    Entry("correlation-is-toeplitz-matvec", 
          'Correlation is a matrix-vector product with a Toeplitz matrix',
          ('H', 'W', 'k_h', 'k_w'), example=dict(H=4, W=4, k_h=2, k_w=2)),
    Entry("convolution-equals-correlation-iff-centrosymmetric", 
          'Convolution equals correlation exactly for centro-symmetric kernels',
          ('H', 'W', 'k_h', 'k_w'), example=dict(H=5, W=5, k_h=3, k_w=3)),
    Entry("matrix-product-is-not-hadamard-sum", 
          r'\texttt{np.dot} of two matrices is not the sum of element-wise products',
          ('n',), example=dict(n=3)),
    Entry("convolution-is-commutative", 'Convolution is commutative', ('N', 'K'), example=dict(N=4, K=3)),
    Entry("correlation-is-linear-in-the-input", 
          'A correlation (a CNN layer without bias) is linear in its input',
          ('N', 'K'), example=dict(N=5, K=3)),
    Entry("correlation-is-not-commutative", 
          'Cross-correlation is not commutative: swapping its arguments reverses it',
          ('N', 'K'), example=dict(N=4, K=3)),
    Entry("correlation-of-correlations", 
          'Two correlations in a row are one correlation with the convolved kernels',
          ('N', 'A', 'B'), example=dict(N=6, A=2, B=3)),
    Entry("dilated-kernel-is-kernel-with-zeros", 
          'A dilated kernel is the kernel with zeros inserted',
          ('N', 'K', 'd'), example=dict(N=7, K=3, d=2)),
    Entry("strided-correlation-is-decimated", 
          'A strided correlation is a decimated unit-stride correlation',
          ('N', 'K', 'S'), example=dict(N=9, K=3, S=2)),
    Entry("strided-padded-correlation-is-im2col", 
          'A strided, padded layer is im2col and one matrix product',
          ('N', 'K', 's', 'p'), example=dict(N=5, K=3, s=2, p=1)),
)}


def names() -> list[str]:
    """The names of the derivations, the ones of API.md first."""
    return list(CORE) + sorted(set(ENTRIES) - set(CORE))
