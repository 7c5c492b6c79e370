"""Benchmark (issue 16, row "trace"): a NumPy layer loop traced on term tables and on SymPy objects, in one run.

The loop as people write it, ``np.sum(x[:, i:i+3, j:j+3] * w[o])`` per filter and position, traced with
``engine="compact"`` (TracedArray: term tables through NumPy's dispatch protocols) and with
``engine="sympy"`` (NumPy ``dtype=object`` arrays of SymPy expressions, the earlier path); both must give
the same exact table.  A scalar loop (``sum(a[c, i+u, j+v] * w[o, c, u, v] ...)``) is timed on the tables too.

    python benchmarks/bench_trace.py            # C=3, 16x16, 8 filters, 3x3: 42,336 terms
    python benchmarks/bench_trace.py --quick    # C=3, 12x12, 4 filters
"""

from __future__ import annotations

import sys
import time

import numpy as np

import symconv as sc


def layer_loop(x, w):
    c, h, wd = x.shape
    return np.array([[[np.sum(x[:, i:i + 3, j:j + 3] * w[o]) for j in range(wd - 2)] for i in range(h - 2)]
                     for o in range(w.shape[0])])


def scalar_loop(x, w):
    c, h, wd = x.shape
    return np.array([[[sum(x[ch, i + u, j + v] * w[o, ch, u, v] for ch in range(c) for u in range(3) for v in range(3))
                       for j in range(wd - 2)] for i in range(h - 2)] for o in range(w.shape[0])])


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    quick = "--quick" in sys.argv
    x_shape, w_shape = ((3, 12, 12), (4, 3, 3, 3)) if quick else ((3, 16, 16), (8, 3, 3, 3))
    sc.trace(layer_loop, (3, 5, 5), (2, 3, 3, 3), engine="compact")  # warm up imports
    fast, t_fast = timed(sc.trace, layer_loop, x_shape, w_shape, engine="compact")
    scalar, t_scalar = timed(sc.trace, scalar_loop, x_shape, w_shape, engine="compact")
    slow, t_slow = timed(sc.trace, layer_loop, x_shape, w_shape, engine="sympy")
    assert fast == slow == scalar, "the engines disagree"
    print(f"trace of the layer loop, x {x_shape}, w {w_shape}, {fast.n_terms:,} terms:")
    print(f"  compact tables     {t_fast:7.3f} s")
    print(f"  compact, scalar loop {t_scalar:5.3f} s")
    print(f"  SymPy object arrays {t_slow:6.2f} s   (ratio {t_slow / t_fast:.0f}x)")


if __name__ == "__main__":
    main()
