"""Issue 11, resources: every size estimate is an upper bound of the real peak, and huge requests are
refused before they can exhaust memory or time.

Peaks are measured with ``tracemalloc`` (NumPy reports its buffers to it) and compared with the
estimate that the size check computed for the same call -- on shapes on both sides of the boundary
where packed keys stop fitting int64 and become Python integers.  Refusals of absurd requests run in
a child process under ``resource.setrlimit`` CPU and memory limits: a bound on the behaviour, not a
timing assertion (the limits are generous; the old behaviour exceeded them by far).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tracemalloc
from unittest import mock

import numpy as np
import pytest

import symconv as sc
from symconv import canonical, limits


def measured(call):
    """(peak traced bytes of `call`, the estimates its size checks made, its result)."""
    estimates = []
    real = limits.check_terms

    def spy(n_terms, what, **kw):
        estimates.append(limits.peak_bytes(n_terms, **kw))
        return real(n_terms, what, **kw)

    with mock.patch.object(limits, "check_terms", spy):
        for module in ("ops", "forms", "tensors"):
            mock.patch(f"symconv.{module}.check_terms", spy).start()
        try:
            tracemalloc.start()
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            result = call()
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
            mock.patch.stopall()
    return peak, estimates, result


X1 = lambda n: sc.tensor("x", (n,))  # noqa: E731


@pytest.mark.parametrize("name,call,object_keys", [
    ("correlate-1d-int64-keys", lambda: sc.correlate(X1(400_000), sc.tensor("k", (3,))), False),
    ("correlate-1d-object-keys", lambda: sc.correlate(X1(2_200_000), sc.tensor("k", (1,))), True),
    ("correlate-2d", lambda: sc.correlate(sc.tensor("x", (300, 300)), sc.tensor("k", (3, 3))), False),
    ("convolve-full", lambda: sc.convolve(sc.tensor("x", (200, 200)), sc.tensor("k", (5, 5)), "full"), False),
    ("conv", lambda: sc.conv(sc.tensor("x", (8, 40, 40)), sc.tensor("w", (8, 8, 3, 3)), padding=1), False),
    ("conv_transpose", lambda: sc.conv_transpose(sc.tensor("x", (4, 30, 30)), sc.tensor("w", (4, 4, 3, 3)), stride=2),
     False),
    ("toeplitz", lambda: sc.toeplitz(sc.tensor("k", (3, 3)), (250, 250)), False),
    ("windows", lambda: sc.windows(sc.tensor("x", (3, 120, 120)), (3, 3)), False),
    ("im2col", lambda: sc.im2col(sc.tensor("x", (3, 120, 120)), (3, 3)), False),
    ("im2col_matmul", lambda: sc.im2col_matmul(sc.tensor("x", (3, 60, 60)), sc.tensor("w", (4, 3, 3, 3))), False),
    ("matmul", lambda: sc.matmul(sc.tensor("a", (120, 120)), sc.tensor("b", (120, 120))), False),
    ("hadamard_sum", lambda: sc.hadamard_sum(sc.tensor("a", (500, 500)), sc.tensor("b", (500, 500))), False),
])
def test_issue_11_8_estimate_is_an_upper_bound_of_the_peak(name, call, object_keys):
    peak, estimates, result = measured(call)
    assert estimates, f"{name} made no size check"
    assert (result.terms.key.dtype == object) == object_keys, "the case is on the wrong side of the int64 boundary"
    assert peak <= max(estimates), (f"{name}: peak {peak / 2**20:.0f} MiB exceeds the estimate "
                                    f"{max(estimates) / 2**20:.0f} MiB ({result.n_terms:,} terms)")


def test_issue_11_8_object_keys_only_when_needed():
    # keys are int64 whenever out_size * radix**degree fits; Python integers only beyond
    assert canonical.fits_int64(2_200_000, 2_200_004, 2) is False and canonical.fits_int64(2_000_000, 2_000_004, 2)
    assert sc.correlate(X1(1000), sc.tensor("k", (3,))).terms.key.dtype == np.int64


# -------------------------------------------------------------------------------------------------
# refused in bounded CPU time and memory, in a child process under setrlimit
# -------------------------------------------------------------------------------------------------
CHILD = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    import symconv as sc
    calls = {
        "conv-padding-2**28": lambda: sc.conv(sc.tensor("x", (1, 5)), sc.tensor("w", (1, 1, 3)), padding=2**28),
        "conv-padding-2**40": lambda: sc.conv(sc.tensor("x", (1, 5)), sc.tensor("w", (1, 1, 3)), padding=2**40),
        "conv_transpose-stride-2**28": lambda: sc.conv_transpose(sc.tensor("x", (1, 5)), sc.tensor("w", (1, 1, 3)),
                                                                 stride=2**28),
        "conv_transpose-stride-2**40": lambda: sc.conv_transpose(sc.tensor("x", (1, 5)), sc.tensor("w", (1, 1, 3)),
                                                                 stride=2**40),
        "correlate-2000x2000": lambda: sc.correlate(sc.tensor("x", (2000, 2000)), sc.tensor("k", (3, 3))),
        "toeplitz-3000x3000": lambda: sc.toeplitz(sc.tensor("k", (3, 3)), (3000, 3000)),
        "derivation-at-10**6": lambda: sc.derive("correlation-is-im2col-matmul").at(H=10**6, W=5, k_h=3, k_w=3),
        "derivation-at-100": lambda: sc.derive("correlation-is-im2col-matmul").at(H=100, W=100, k_h=3, k_w=3),
    }
    name = sys.argv[1]
    try:
        calls[name]()
    except sc.SymconvError as err:
        print("REFUSED", type(err).__name__, str(err)[:200])
    except MemoryError:
        print("MEMORY-ERROR")
    else:
        print("RAN")
""")


def run_child(name, max_bytes):
    env = {"SYMCONV_TEST_MAX_BYTES": str(max_bytes)}
    code = CHILD.replace("import symconv as sc", f"import symconv as sc\nsc.set_limits(max_bytes={max_bytes})")
    done = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, **env})
    return done.returncode, done.stdout.strip(), done.stderr[-500:]


@pytest.mark.parametrize("name", ["conv-padding-2**28", "conv-padding-2**40", "conv_transpose-stride-2**28",
                                  "conv_transpose-stride-2**40", "correlate-2000x2000", "toeplitz-3000x3000",
                                  "derivation-at-10**6", "derivation-at-100"])
def test_issue_11_9_and_11_refused_within_cpu_and_memory_limits(name):
    # a 2 GiB budget inside a 3 GiB address space: the estimate must refuse what would not fit
    code, out, err = run_child(name, 2 * 2**30)
    assert code == 0, f"the child died (signal or limit): rc={code} {err}"
    assert out.startswith("REFUSED"), f"{name}: {out} {err}"
    assert "TooLargeError" in out or "InvalidArgumentError" in out
