"""pytest plugin (entry point ``pytest11``): readable failures for symconv arrays.

``assert a == b`` on symconv arrays explains the first mismatch and gives a
counterexample instead of dumping both arrays.
"""

from __future__ import annotations


def _is_symconv(value) -> bool:
    return type(value).__module__.startswith("symconv.")


def pytest_assertrepr_compare(config, op, left, right):
    # nothing is imported until a symconv object is compared: the plugin costs other projects nothing
    if op != "==" or not (_is_symconv(left) or _is_symconv(right)):
        return None
    from .array import SymArray

    if not (isinstance(left, SymArray) or isinstance(right, SymArray)):
        return None
    from .equivalence import equivalent
    from .testing import report

    try:
        verdict = equivalent(left, right)
    except Exception:  # not comparable: let pytest print its default
        return None
    if verdict.equal:  # the failed == was not symconv's: never report "equivalent" as the reason for a failure
        return ["== was False, though left and right are equal as polynomials (symconv.equivalent): the comparison",
                f"was made by {type(left).__name__}.__eq__, not by symconv; compare with symconv.equivalent(left, right)"]
    return ["symconv arrays differ"] + report(verdict, names=("left", "right")).splitlines()
