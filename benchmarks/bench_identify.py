"""Benchmark (issue 16, row "identify"): identify of a 3-channel layer formula with bias, in one run.

The first call in a fresh process (it imports the LaTeX backend), a second call of the same formula, and a
different formula, each timed; a child process measures the first call alone.

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
    out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True, check=True)
    imp, first, second, other, kind = out.stdout.split()
    print(f"identify of a 3-channel layer formula with bias ({kind}):")
    print(f"  import symconv {imp} s; first call {first} s; same formula again {second} s; another formula {other} s")


if __name__ == "__main__":
    main()
