"""Writing a folder of derivation documents (the repository's ``derivations/``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

#: concrete sizes of each catalogue entry's worked example
EXAMPLE_SIZES = {
    "convolution-is-flipped-correlation": dict(H=5, W=5, k_h=3, k_w=3),
    "correlation-is-windowed-hadamard-sum": dict(H=5, W=5, k_h=3, k_w=3),
    "hadamard-sum-is-flattened-dot": dict(m=3, n=3),
    "correlation-is-im2col-matmul": dict(H=5, W=5, k_h=3, k_w=3),
    "depth-is-a-dot-product": dict(C=3, H=4, W=4, k_h=3, k_w=3),
    "one-by-one-conv-is-channel-matmul": dict(C=3, O=2, H=3, W=3),
    "fully-connected-is-whole-input-conv": dict(C=2, O=3, H=2, W=2),
    "correlation-is-toeplitz-matvec": dict(H=4, W=4, k_h=2, k_w=2),
    "convolution-equals-correlation-iff-centrosymmetric": dict(H=5, W=5, k_h=3, k_w=3),
    "matrix-product-is-not-hadamard-sum": dict(n=3),
    "strided-correlation-is-decimated": dict(N=9, K=3, S=2),
    "convolution-is-commutative": dict(N=4, K=3),
    "correlation-is-not-commutative": dict(N=4, K=3),
    "correlation-is-linear-in-the-input": dict(N=5, K=3),
    "dilated-kernel-is-kernel-with-zeros": dict(N=7, K=3, d=2),
}


#: formulas from the seed discussions and a textbook, identified in a document each
FORMULAS = {
    "identify-forum-answer-formula":
        r"C \left[ m, n \right] = \sum_u \sum_\upsilon A \left[ m + u, n + \upsilon\right] \cdot B \left[ u, \upsilon \right]",
    "identify-forum-convolution-formula": r"J(x,y) = K * I = \sum_{n,m}K(n,m)I(x-n,y-m)",
    "identify-textbook-cnn-formula": r"S(i,j) = (K*I)(i,j) = \sum_m \sum_n I(i+m, j+n) K(m,n)",
}


@dataclass(frozen=True)
class Written:
    """One document written: its file, what it proves, how many steps, how long it took."""

    path: Path
    title: str
    steps: int
    seconds: float
    pdf: Path | None = None


def plan() -> list[tuple[str, dict | None]]:
    """(name, sizes) of every document: the seed answer, each entry at general sizes, then its example."""
    from ..proofs import catalogue

    out: list[tuple[str, dict | None]] = [("answer", None)]
    for name in catalogue():
        out.append((name, None))
        if name in EXAMPLE_SIZES:
            out.append((name, EXAMPLE_SIZES[name]))
    out += [(name, None) for name in FORMULAS]
    return out


def write_one(folder: Path, name: str, sizes: dict | None, pdf: bool = False) -> Written:
    from ..proofs import derive
    from .answer import NAME, TITLE, answer_document
    from .pdf import compile_pdf, write_text

    start = time.perf_counter()
    if name == "answer":
        text, title, steps, stem = answer_document(), TITLE, 0, "00-" + NAME
    elif name in FORMULAS:
        from ..identify import identify
        from .formula_doc import identification_document

        found = identify(FORMULAS[name])
        text, steps, stem = identification_document(found), 0, name
        title = f"What a formula computes: a {found.kind}"
    else:
        d = derive(name, **(sizes or {}))
        text, title, steps = d.document(), d.title, len(d.steps)
        stem = name + ("-example" if sizes else "")
    path = Path(folder) / f"{stem}.tex"
    write_text(path, text)
    made = compile_pdf(path) if pdf else None
    return Written(path, title, steps, time.perf_counter() - start, made)


def write_folder(folder, *, pdf: bool = False, progress=None) -> list[Written]:
    """Write every document of :func:`plan` into `folder` (created if needed); `progress(k, n, written)` after each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = plan()
    done = []
    for k, (name, sizes) in enumerate(jobs, 1):
        done.append(write_one(folder, name, sizes, pdf))
        if progress is not None:
            progress(k, len(jobs), done[-1])
    return done
