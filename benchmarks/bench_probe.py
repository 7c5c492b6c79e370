"""Benchmark (issue 16, row "probe"): black-box calls and time to probe torch's conv2d, in one run.

The current probe (the ones / 1, 2, 3, ... reading with every one-hot input in one batched call, then a
random verification) against the one-hot sweep it falls back to (one batched call per kernel entry, the
previous probe); both must recover the same exact table.

    python benchmarks/bench_probe.py                 # C=3, 10x10, 4 filters, 3x3 (needs torch)
"""

from __future__ import annotations

import importlib
import time

import torch
import torch.nn.functional as F

import symconv as sc

trace = importlib.import_module("symconv.trace")  # the module (sc.trace is the function)


def run(sweep=False):
    calls = []

    def layer(x, w):
        calls.append(1)
        return F.conv2d(x, w)

    sparse = trace._sparse
    if sweep:
        trace._sparse = lambda *a, **k: None
    try:
        t0 = time.perf_counter()
        y = sc.probe(layer, (1, 3, 10, 10), (4, 3, 3, 3))
        return y, len(calls), time.perf_counter() - t0
    finally:
        trace._sparse = sparse


def main() -> None:
    torch.set_num_threads(1)
    run()  # warm up torch
    y, n, t = run()
    y_old, n_old, t_old = run(sweep=True)
    assert sc.equivalent(y, y_old), "the two probes disagree"
    print(f"probe conv2d C=3 10x10, 4 filters: {n} calls in {t:.3f} s; one-hot sweep: {n_old} calls in {t_old:.3f} s "
          f"(ratio {t_old / t:.1f}x in time, {n_old / n:.1f}x in calls); kernel entries: {4 * 3 * 3 * 3}")


if __name__ == "__main__":
    main()
