"""Shared test helpers: bounds on behaviour instead of wall-clock time.

CI machines are shared and loaded, so no test asserts seconds.  A refusal
"up front" is checked as what it is: the refusal comes before symconv builds
any term table, and the call allocates little memory on the way.
"""

from __future__ import annotations

import tracemalloc
from contextlib import contextmanager
from unittest import mock

#: the builders every table goes through (canonical form, term by term)
TABLE_BUILDERS = ("encode", "from_keys", "linear", "from_entries")


class WorkBeforeRefusal(AssertionError):
    """A table was built before the request was refused."""


@contextmanager
def before_any_table(max_bytes: int = 64 * 2**20):
    """Fail if the block builds a term table or allocates more than `max_bytes` (traced) at its peak."""
    from symconv import canonical

    def forbid(name):
        def call(*args, **kwargs):
            raise WorkBeforeRefusal(f"symconv.canonical.{name} ran before the refusal: the request was not refused up front")
        return call

    patches = [mock.patch.object(canonical, name, forbid(name)) for name in TABLE_BUILDERS]
    patches.append(mock.patch.object(canonical.Bilinear, "add", forbid("Bilinear.add")))
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        for p in patches:
            p.start()
        yield
    finally:
        for p in patches:
            p.stop()
        peak = tracemalloc.get_traced_memory()[1] - base
        if not tracing:
            tracemalloc.stop()
    assert peak <= max_bytes, f"the refusal allocated {peak / 2**20:.1f} MiB first (allowed {max_bytes / 2**20:.0f} MiB)"
