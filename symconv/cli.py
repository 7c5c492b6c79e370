"""The ``symconv`` command.

Until the derivation engine lands, the main job checks the seed questions
exactly and prints what it proved; it writes no LaTeX yet and says so.
"""

from __future__ import annotations

import argparse
import sys
import time

from .errors import SymconvError


def _claims():
    """(statement, thunk returning bool) pairs, each decided exactly."""
    from . import conv, convolve, correlate, dot_flat, flip, hadamard_sum, im2col_matmul, matmul, tensor, toeplitz

    x, k = tensor("x", (5, 5)), tensor("k", (3, 3))
    a, b = tensor("a", (3, 3)), tensor("b", (3, 3))
    xc, w = tensor("x", (3, 6, 6)), tensor("w", (4, 3, 3, 3))
    return [
        ("correlation (5x5 input, 3x3 kernel) = im2col matrix product", lambda: correlate(x, k) == im2col_matmul(x, k)),
        ("convolution = correlation with the kernel flipped", lambda: convolve(x, k) == correlate(x, flip(k))),
        ("convolution = correlation for a general kernel", lambda: convolve(x, k) == correlate(x, k)),
        ("sum of element-wise products = dot product of the flattened arrays", lambda: hadamard_sum(a, b) == dot_flat(a, b)),
        ("np.dot of the two 3x3 matrices = sum of element-wise products", lambda: matmul(a, b) == hadamard_sum(a, b)),
        ("correlation = Toeplitz matrix times vec(x)",
         lambda: correlate(x, k).flatten() == matmul(toeplitz(k, (5, 5)), x.flatten())),
        ("conv layer (3 channels, 4 filters, 6x6, 3x3) = im2col matrix product", lambda: conv(xc, w) == im2col_matmul(xc, w)),
    ]


def main_job(args) -> int:
    print("symconv: checking the seed questions exactly (polynomial identities, no sampling)")
    for statement, check in _claims():
        t = time.perf_counter()
        verdict = check()
        print(f"  [{'true ' if verdict else 'false'}] {statement}  ({time.perf_counter() - t:.2f} s)")
    print("LaTeX derivations are not implemented yet: nothing was written.")
    return 0


def _not_yet(name):
    def run(args) -> int:
        print(f"symconv {name}: not implemented yet", file=sys.stderr)
        return 2

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="symconv", description="What a CNN convolution computes, decided exactly.")
    parser.set_defaults(run=main_job)
    sub = parser.add_subparsers(dest="command")
    for name in ("list", "derive", "identify", "build"):
        p = sub.add_parser(name, help=f"{name} (not implemented yet)")
        p.add_argument("rest", nargs="*")
        p.set_defaults(run=_not_yet(name))
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SymconvError as err:
        print(f"symconv: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symconv: interrupted", file=sys.stderr)
        return 130
