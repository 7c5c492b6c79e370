"""Benchmark (issue 16, row "symconv --help, symconv list"): start-up time of the command line, in one run.

``symconv list`` reads the catalogue's table of contents (plain data) against building every derivation
(what it did before); ``--help`` and ``import symconv`` against ``import sympy`` for scale.

    python benchmarks/bench_cli.py
"""

from __future__ import annotations

import subprocess
import sys
import time


def timed(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    listing = timed("from symconv.cli import main; main(['list'])")
    building = timed("from symconv.proofs.catalogue import CATALOGUE\nfor f in CATALOGUE.values(): f()")
    helping = timed("from symconv.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    sympy_import = timed("import sympy")
    print(f"symconv list {listing:.2f} s (building every derivation instead: {building:.2f} s, "
          f"ratio {building / listing:.0f}x); symconv --help {helping:.2f} s; import sympy alone {sympy_import:.2f} s")


if __name__ == "__main__":
    main()
