"""Benchmark (issue 16, row "identify"): identify of a 3-channel layer formula with bias, in one run.

The first call (it imports the LaTeX backend, and SymPy unless the session has it), a second call of the same
formula, and a different formula, each timed in a child process: a fresh one, and one that imported SymPy.

    python benchmarks/bench_identify.py
"""

from __future__ import annotations

import subprocess
import sys
import time

FORMULA = r"y_{f,i,j} = b_f + \sum_{c=0}^{2} \sum_{u=0}^{2} \sum_{v=0}^{2} w_{f,c,u,v} \, x_{c,i+u,j+v}"
OTHER = r"z_{f,i,j} = b_f + \sum_{c=0}^{2} \sum_{m=0}^{2} \sum_{n=0}^{2} k_{f,c,m,n} \, a_{c,i+m,j+n}"


def main() -> None:
    if "--child" in sys.argv:
        if "--sympy" in sys.argv:
            import sympy  # noqa: F401 -- a SymPy or Jupyter session has it already
        t0 = time.perf_counter()
        import symconv as sc

        t1 = time.perf_counter()
        found = sc.identify(FORMULA)
        t2 = time.perf_counter()
        sc.identify(FORMULA)
        t3 = time.perf_counter()
        again = sc.identify(OTHER)
        t4 = time.perf_counter()
        assert found.kind == again.kind == "correlation", (found.kind, again.kind)
        print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f} {t4 - t3:.3f} {found.kind}")
        return
    print("identify of a 3-channel layer formula with bias:")
    for where, extra in (("fresh process", []), ("SymPy already imported", ["--sympy"])):
        out = subprocess.run([sys.executable, __file__, "--child", *extra], capture_output=True, text=True, check=True)
        imp, first, second, other, kind = out.stdout.split()
        print(f"  {where}: import symconv {imp} s; first call {first} s (it imports SymPy and the LaTeX backend "
              f"when needed); same formula again {second} s; another formula {other} s; {kind}")


if __name__ == "__main__":
    main()
