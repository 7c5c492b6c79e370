"""Compiling a LaTeX document with ``pdflatex`` when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..errors import SymconvError


class LatexCompileError(SymconvError, RuntimeError):
    """``pdflatex`` is missing or failed on a document."""


def have_pdflatex() -> bool:
    return shutil.which("pdflatex") is not None


def compile_pdf(tex: Path, timeout: float = 120) -> Path:
    """Run ``pdflatex`` on `tex` in its own folder; the PDF's path, or a one-line error with the first LaTeX error."""
    tex = Path(tex)
    if not have_pdflatex():
        raise LatexCompileError("pdflatex is not installed; expected it on PATH (Debian: texlive-latex-base texlive-latex-recommended)")
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name]
    try:
        run = subprocess.run(cmd, cwd=tex.parent, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise LatexCompileError(f"pdflatex did not finish {tex} within {timeout:.0f} s") from None
    if run.returncode == 0:
        for aux in (".aux", ".log"):
            tex.with_suffix(aux).unlink(missing_ok=True)
    else:
        first = next((line for line in run.stdout.splitlines() if line.startswith("!")), "no error line in the log")
        raise LatexCompileError(f"pdflatex failed on {tex}: {first}")
    return tex.with_suffix(".pdf")
