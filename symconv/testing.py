"""Assertions for tests of convolution code: `assert_equivalent`.

>>> import symconv as sc
>>> from symconv.testing import assert_equivalent
>>> x, k = sc.tensor("x", (4, 4)), sc.tensor("k", (2, 2))
>>> assert_equivalent(sc.correlate(x, k), sc.im2col_matmul(x, k))
>>> assert_equivalent(sc.convolve(x, k), sc.correlate(x, k))
Traceback (most recent call last):
...
AssertionError: arrays are not equivalent: 9 of 9 entries differ (shape (3, 3))
  first mismatch at (0, 0): a - b = -k[0, 0]*x[0, 0] + k[0, 0]*x[1, 1] - k[0, 1]*x[0, 1] + k[0, 1]*x[1, 0] + k[1, 0]*x[0, 1] - ...
  counterexample: k[0, 0] = 1, x[0, 0] = 1 (all other symbols 0) gives a = 0, b = 1
"""

from __future__ import annotations

from .equivalence import Verdict, equivalent

#: longest difference polynomial shown in a report
SHOWN = 100


def report(verdict: Verdict, names=("a", "b")) -> str:
    """A few readable lines on why two arrays are not equivalent."""
    a, b = names
    if verdict.equal:
        return f"{a} and {b} are equivalent"
    if not verdict.shapes_match:
        return f"arrays are not equivalent: shapes differ, {a} has shape {verdict.a.shape} and {b} has {verdict.b.shape}"
    shape = verdict.a.shape
    lines = [f"arrays are not equivalent: {len(verdict.mismatches)} of {max(1, verdict.a.size)} entries differ (shape {shape})"]
    index, diff = verdict.mismatches[0]
    text = str(diff)
    if len(text) > SHOWN:
        text = text[:SHOWN].rsplit(" ", 1)[0] + " ..."
    lines.append(f"  first mismatch at {index}: {a} - {b} = {text}")
    witness = verdict.counterexample
    chosen = ", ".join(f"{s} = {v}" for s, v in witness.items() if v != 0) or "all symbols 0"
    lines.append(f"  counterexample: {chosen} (all other symbols 0) gives {a} = {witness.a_value}, {b} = {witness.b_value}")
    return "\n".join(lines)


def assert_equivalent(a, b) -> None:
    """Raise ``AssertionError`` with a short report unless `a` and `b` are equal as polynomials."""
    __tracebackhide__ = True
    verdict = equivalent(a, b)
    if not verdict:
        raise AssertionError(report(verdict))
