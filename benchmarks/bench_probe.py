"""Benchmark (issue 16, row "probe"): black-box calls and time to probe torch's conv2d, in one run.

The current probe (every one-hot input in one batched call per kernel entry) against the earlier batch of
256 one-hot inputs per call; both must recover the same exact table.

    python benchmarks/bench_probe.py                 # C=3, 10x10, 4 filters, 3x3 (needs torch)
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

import importlib

import symconv as sc

trace = importlib.import_module("symconv.trace")  # the module (sc.trace is the function)


def run(batch=None):
    calls = []

    def layer(x, w):
        calls.append(1)
        return F.conv2d(x, w)

    size = trace._batch_size
    if batch is not None:
        trace._batch_size = lambda *a, **k: size(*a, size=batch)
    try:
        t0 = time.perf_counter()
        y = sc.probe(layer, (1, 3, 10, 10), (4, 3, 3, 3))
        return y, len(calls), time.perf_counter() - t0
    finally:
        trace._batch_size = size


def main() -> None:
    torch.set_num_threads(1)
    run()  # warm up torch
    y, n, t = run()
    y_old, n_old, t_old = run(batch=256)
    assert sc.equivalent(y, y_old), "the two probes disagree"
    print(f"probe conv2d C=3 10x10, 4 filters: {n} calls in {t:.2f} s; batch of 256: {n_old} calls in {t_old:.2f} s "
          f"(ratio {t_old / t:.1f}x in time, {n_old / n:.1f}x in calls); kernel entries: {4 * 3 * 3 * 3}")


if __name__ == "__main__":
    main()
