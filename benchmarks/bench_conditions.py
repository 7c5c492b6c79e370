"""Benchmark (issue 16, row "conditions"): the sparse exact solver against the dense one, in one run.

Both solve the same system -- the conditions under which convolution equals correlation, for an n x n
kernel, i.e. n^2 unknowns -- and must give the same equations; the ratio is printed.

    python benchmarks/bench_conditions.py            # n = 25 (625 unknowns), and n = 100 sparse only
"""

from __future__ import annotations

import time

import symconv as sc
from symconv import equivalence


def run(n: int, dense: bool):
    x, k = sc.tensor("x", (n + 2, n + 2)), sc.tensor("k", (n, n))
    a, b = sc.convolve(x, k), sc.correlate(x, k)
    solve = equivalence._solve
    if dense:
        equivalence._solve = lambda rows, unknowns: equivalence._solve_dense(rows, unknowns)
    try:
        t0 = time.perf_counter()
        got = sc.conditions(a, b, over=k)
        return got, time.perf_counter() - t0
    finally:
        equivalence._solve = solve


def main() -> None:
    sparse, ts = run(25, dense=False)
    dense, td = run(25, dense=True)
    assert sparse == dense, "the two solvers disagree"
    print(f"625 unknowns: sparse {ts:.2f} s, dense {td:.2f} s, ratio {td / ts:.1f}x, {len(sparse)} equations")
    big, tb = run(100, dense=False)
    print(f"10,000 unknowns: sparse {tb:.2f} s, {len(big)} equations")


if __name__ == "__main__":
    main()
