"""Which tensor is the input and which the kernel: the larger extent, else the name people give it."""

from __future__ import annotations


#: names people give kernels and inputs (lower case), the tie-breaker of the roles after the sizes
KERNEL_NAMES = {"k", "w", "h", "g", "b", "c", "kernel", "filter", "filters", "weight", "weights", "mask"}
INPUT_NAMES = {"x", "i", "a", "f", "s", "u", "v", "input", "image", "img", "signal", "data", "inp"}


def input_first(a: str, b: str, size_a: int, size_b: int) -> bool:
    """Whether `a` (not `b`) reads as the input: the larger extent, else the name people give an input.

    >>> input_first("k", "x", 1, 1), input_first("x", "k", 1, 1), input_first("h", "x", 9, 3)
    (False, True, True)
    """
    if size_a != size_b:
        return size_a > size_b
    kernel_a, kernel_b = a.lower() in KERNEL_NAMES, b.lower() in KERNEL_NAMES
    input_a, input_b = a.lower() in INPUT_NAMES, b.lower() in INPUT_NAMES
    if (input_a and not input_b) or (kernel_b and not kernel_a):
        return True
    if (input_b and not input_a) or (kernel_a and not kernel_b):
        return False
    return a <= b
