"""Benchmark (issue 16, row "display"): repr and _repr_latex_ of a 6x6 slice of a 64-channel layer, in one run.

symconv's printing (entries built once, cached, capped by terms) against SymPy printing the same entries
(``sympy.latex`` / ``str`` of a ``Matrix`` of the SymPy expressions).

    python benchmarks/bench_display.py
"""

from __future__ import annotations

import time

import sympy

import symconv as sc


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    x, w = sc.tensor("x", (1, 64, 8, 8)), sc.tensor("w", (64, 64, 3, 3))
    y = sc.conv(x, w)
    part = y[0, 0]  # a fresh 6x6 slice: nothing printed or cached yet
    text, t_repr = timed(lambda: repr(part))
    tex, t_latex = timed(lambda: part._repr_latex_())
    fresh = y[0, 1]
    both, t_first = timed(lambda: (fresh._repr_latex_(), repr(fresh)))
    matrix, t_build = timed(lambda: sympy.Matrix(y[0, 0].tolist()))
    _, t_sympy_latex = timed(lambda: sympy.latex(matrix))
    _, t_sympy_str = timed(lambda: str(matrix))
    print(f"6x6 slice of a 64-channel layer ({part.n_terms:,} terms, {part.n_terms // 36} per entry):")
    print(f"  symconv repr          {t_repr:.3f} s  ({len(text):,} characters)")
    print(f"  symconv _repr_latex_  {t_latex:.3f} s  ({len(tex):,} characters)")
    print(f"  both, another slice   {t_first:.3f} s")
    print(f"  SymPy: entries {t_build:.3f} s, latex {t_sympy_latex:.3f} s, str {t_sympy_str:.3f} s "
          f"(ratio {(t_build + t_sympy_latex) / max(t_latex, 1e-9):.0f}x for LaTeX)")


if __name__ == "__main__":
    main()
