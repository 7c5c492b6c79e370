"""Writing a folder of derivation documents (the repository's ``derivations/``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path



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
    from ..proofs.catalogue import EXAMPLES

    out: list[tuple[str, dict | None]] = [("answer", None)]
    for name in catalogue():
        out.append((name, None))
        example = EXAMPLES.get(name)
        if example is not None:
            out.append((name, example))
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
    done.append(write_book(folder, done, pdf))
    return done


def write_book(folder, written: list[Written], pdf: bool = False) -> Written:
    """The combined book of the documents `written` (:mod:`symconv.documents.book`), in their order."""
    from .book import NAME, TITLE, notes
    from .pdf import compile_pdf, write_text

    start = time.perf_counter()
    path = Path(folder) / f"{NAME}.tex"
    write_text(path, notes([(w.title, w.path.read_text()) for w in written]))
    made = compile_pdf(path) if pdf else None
    return Written(path, TITLE, sum(w.steps for w in written), time.perf_counter() - start, made)
