"""Benchmark: symconv's exact compact-form check against plain SymPy, in one run.

Plain SymPy builds the direct layer and the im2col product with ``sympy.Matrix``
and expands every difference; symconv builds ``conv`` and ``im2col_matmul`` as
exact term tables and compares them.  Both decide the same polynomial identity.
A second part times symconv alone on a large layer (about 10^8 terms) in a
child process, so its peak memory is its own.

    python benchmarks/bench_compact.py                 # C=3, 24x24, 4 filters, 3x3 and the 10^8 layer
    python benchmarks/bench_compact.py --small-only
    python benchmarks/bench_compact.py --large 64 56 64 3
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import sympy

import symconv as sc


def plain_sympy(c, h, f, k) -> tuple[bool, float]:
    """Direct layer vs im2col product with SymPy objects only; True iff every difference expands to 0."""
    t0 = time.perf_counter()
    x, w = sympy.IndexedBase("x", real=True), sympy.IndexedBase("w", real=True)
    o = h - k + 1
    direct = [[sympy.Add(*[w[co, ci, u, v] * x[ci, i + u, j + v] for ci in range(c) for u in range(k) for v in range(k)])
               for i in range(o) for j in range(o)] for co in range(f)]
    cols = sympy.Matrix([[x[ci, i + u, j + v] for ci in range(c) for u in range(k) for v in range(k)]
                         for i in range(o) for j in range(o)])
    w_row = sympy.Matrix([[w[co, ci, u, v] for ci in range(c) for u in range(k) for v in range(k)] for co in range(f)])
    product = cols * w_row.T
    same = all(sympy.expand(direct[co][p] - product[p, co]) == 0 for co in range(f) for p in range(o * o))
    return same, time.perf_counter() - t0


def plain_symengine(c, h, f, k) -> tuple[bool, float] | None:
    """The same question with SymEngine (the C++ symbolic core on PyPI), or None when it is not installed."""
    try:
        import symengine as se
    except ImportError:
        return None
    t0 = time.perf_counter()
    o = h - k + 1
    x = {(ci, i, j): se.Symbol(f"x_{ci}_{i}_{j}") for ci in range(c) for i in range(h) for j in range(h)}
    w = {(co, ci, u, v): se.Symbol(f"w_{co}_{ci}_{u}_{v}") for co in range(f) for ci in range(c) for u in range(k)
         for v in range(k)}
    direct = [[se.Add(*[w[co, ci, u, v] * x[ci, i + u, j + v] for ci in range(c) for u in range(k) for v in range(k)])
               for i in range(o) for j in range(o)] for co in range(f)]
    cols = se.DenseMatrix([[x[ci, i + u, j + v] for ci in range(c) for u in range(k) for v in range(k)]
                           for i in range(o) for j in range(o)])
    w_row = se.DenseMatrix([[w[co, ci, u, v] for ci in range(c) for u in range(k) for v in range(k)] for co in range(f)])
    product = cols * w_row.T
    same = all(se.expand(direct[co][p] - product[p, co]) == 0 for co in range(f) for p in range(o * o))
    return same, time.perf_counter() - t0


def compact(c, h, f, k) -> tuple[bool, float, int]:
    t0 = time.perf_counter()
    x, w = sc.tensor("x", (c, h, h)), sc.tensor("w", (f, c, k, k))
    direct = sc.conv(x, w)
    same = bool(sc.equivalent(direct, sc.im2col_matmul(x, w)))
    return same, time.perf_counter() - t0, direct.n_terms


def fill_once(n: int) -> float:
    """The reference: writing n int64 values once (NumPy, a fresh array), as the table's keys are written."""
    t0 = time.perf_counter()
    a = np.empty(n, dtype=np.int64)
    a[:] = 1
    t = time.perf_counter() - t0
    del a
    return t


def large(c, h, f, k) -> dict:
    o = h - k + 1
    fill = fill_once(f * o * o * c * k * k)
    t0 = time.perf_counter()
    x, w = sc.tensor("x", (c, h, h)), sc.tensor("w", (f, c, k, k))
    direct = sc.conv(x, w)
    t1 = time.perf_counter()
    other = sc.im2col_matmul(x, w)
    t2 = time.perf_counter()
    same = bool(sc.equivalent(direct, other))
    t3 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"terms": direct.n_terms, "conv_s": t1 - t0, "im2col_matmul_s": t2 - t1, "compare_s": t3 - t2,
            "total_s": t3 - t0, "equal": same, "peak_bytes": peak, "fill_s": fill}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", nargs=4, type=int, default=[3, 24, 4, 3], metavar=("C", "H", "FILTERS", "K"))
    parser.add_argument("--large", nargs=4, type=int, default=[64, 56, 64, 3], metavar=("C", "H", "FILTERS", "K"))
    parser.add_argument("--small-only", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(large(*args.large)))
        return

    c, h, f, k = args.small
    print(f"layer C={c}, {h}x{h}, {f} filters, {k}x{k}: direct conv vs im2col matrix product")
    same_s, t_sympy = plain_sympy(c, h, f, k)
    plain_symengine(1, 4, 1, 2), compact(1, 4, 1, 2)  # warm both up (imports, first calls)
    engines = [plain_symengine(c, h, f, k) for _ in range(3)]
    engine = None if engines[0] is None else min(engines, key=lambda r: r[1])
    runs = [compact(c, h, f, k) for _ in range(3)]
    same_c, t_compact, n = min(runs, key=lambda r: r[1])
    assert same_s and same_c and (engine is None or engine[0]), "the two forms must agree"
    print(f"  plain SymPy (Matrix, expand each difference): {t_sympy:9.3f} s")
    if engine is not None:
        print(f"  SymEngine (DenseMatrix, expand each difference, best of 3): {engine[1]:6.4f} s")
    print(f"  symconv (build both, sc.equivalent, best of 3):  {t_compact:9.4f} s   ({n:,} terms)")
    print(f"  ratio: symconv is {t_sympy / t_compact:,.0f}x faster than SymPy" +
          (f", {engine[1] / t_compact:,.0f}x faster than SymEngine" if engine is not None else
           " (pip install symengine for the SymEngine row)"))
    if args.small_only:
        return

    c, h, f, k = args.large
    print(f"\nlarge layer C={c}, {h}x{h}, {f} filters, {k}x{k} (symconv alone, child process)")
    out = subprocess.run([sys.executable, __file__, "--child", "--large", *map(str, args.large)],
                         capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  terms:             {r['terms']:,}")
    print(f"  conv:              {r['conv_s']:.1f} s   ({r['terms'] / r['conv_s']:,.0f} terms/s)")
    print(f"  im2col_matmul:     {r['im2col_matmul_s']:.1f} s   ({r['terms'] / r['im2col_matmul_s']:,.0f} terms/s)")
    print(f"  sc.equivalent:     {r['compare_s']:.2f} s")
    print(f"  total:             {r['total_s']:.1f} s, equal={r['equal']}")
    print(f"  NumPy fill of as many int64 values, same process: {r['fill_s']:.2f} s; conv is {r['conv_s'] / r['fill_s']:.1f}x, "
          f"im2col_matmul {r['im2col_matmul_s'] / r['fill_s']:.1f}x, the whole check {r['total_s'] / r['fill_s']:.1f}x")
    print(f"  peak memory:       {r['peak_bytes'] / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
