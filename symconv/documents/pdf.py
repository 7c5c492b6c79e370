"""Compiling a LaTeX document with ``pdflatex`` when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SymconvError


class LatexCompileError(SymconvError, RuntimeError):
    """``pdflatex`` is missing or failed on a document."""


def have_pdflatex() -> bool:
    return shutil.which("pdflatex") is not None


def write_text(path, text: str) -> Path:
    """Write `text` to `path` atomically: a temporary file in the same folder, then a rename.

    An interrupted run leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def compile_pdf(tex: Path, timeout: float = 120) -> Path:
    """Run ``pdflatex`` on `tex`; the PDF's path, or a one-line error with the first LaTeX error.

    pdflatex runs in a temporary folder, so its ``.aux``/``.log`` never land
    beside the document, and the PDF is moved into place only when complete.
    """
    tex = Path(tex)
    if not have_pdflatex():
        raise LatexCompileError("pdflatex is not installed; expected it on PATH (Debian: texlive-latex-base texlive-latex-recommended)")
    with tempfile.TemporaryDirectory(prefix="symconv-pdflatex-") as work:
        shutil.copyfile(tex, Path(work) / tex.name)
        cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name]
        # a table of contents (the combined book) is filled in by a second run
        for _ in range(2 if r"\tableofcontents" in tex.read_text(encoding="utf-8", errors="replace") else 1):
            try:
                run = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                raise LatexCompileError(f"pdflatex did not finish {tex} within {timeout:.0f} s") from None
            if run.returncode != 0:
                first = next((line for line in run.stdout.splitlines() if line.startswith("!")),
                             "no error line in the log")
                raise LatexCompileError(f"pdflatex failed on {tex}: {first}")
        target = tex.with_suffix(".pdf")
        staged = Path(work) / target.name
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(staged, tmp)
        os.replace(tmp, target)
        log = (Path(work) / tex.name).with_suffix(".log")
        _LAST_LOG[str(target)] = log.read_text(encoding="latin-1") if log.exists() else ""
    return target


#: the pdflatex log of each PDF compiled in this process (for checks of the layout, e.g. overfull boxes)
_LAST_LOG: dict = {}


def last_log(pdf) -> str:
    """The pdflatex log of the last compilation of `pdf` in this process ("" if none)."""
    return _LAST_LOG.get(str(Path(pdf)), "")


#: a box more than this many points too wide (or too loose) is a layout defect a reader sees
BOX_TOLERANCE_PT = 1.0


def bad_boxes(log: str, tolerance: float = BOX_TOLERANCE_PT) -> list[str]:
    """The ``Overfull``/``Underfull \\hbox`` lines of a pdflatex `log` beyond `tolerance` points
    (an underfull box reports badness, not points: every one is listed).

    >>> bad_boxes("Overfull \\\\hbox (0.5pt too wide) in paragraph\\nOverfull \\\\hbox (12.3pt too wide) detected at line 9")
    ['Overfull \\\\hbox (12.3pt too wide) detected at line 9']
    """
    import re

    found = []
    for line in log.splitlines():
        over = re.match(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", line)
        if over and float(over.group(1)) > tolerance:
            found.append(line.strip())
        elif line.startswith("Underfull \\hbox"):
            found.append(line.strip())
    return found
