"""Explanations of identifications, generated from the same facts as the kind and the parameters."""

from __future__ import annotations


def latex_value(value) -> str:
    """A parameter value in LaTeX: words upright (``\\text{valid}``), numbers and tuples as they are."""
    if isinstance(value, str):
        return r"\text{" + value.replace("_", r"\_") + "}"
    if isinstance(value, bool):
        return r"\text{" + ("yes" if value else "no") + "}"
    return str(value).replace("'", "")


def _explain_layer(found, x, k) -> str:
    p = found.params
    n = len(p["stride"])
    c_in, c_out = p["channels"]
    shown = {key: p[key] for key in ("stride", "padding", "output_padding", "dilation", "groups") if key in p}
    geometry = ", ".join(f"{key}={value}" for key, value in shown.items())
    if p.get("transposed"):
        return (f"This is a transposed convolution layer (PyTorch's conv_transpose{n}d; {geometry}) from {c_in} to "
                f"{c_out} channels: each entry of {x} adds a copy of its kernel from {k}, scaled by the entry, to the "
                f"output at stride {p['stride']} -- the same as convolving {x} spread out by zeros with {k}.")
    flip = (" with the kernel flipped along " + _axes(p["flipped"], every=True) + ", i.e. true convolutions"
            if p.get("flipped") else ", i.e. cross-correlations (no kernel flip)")
    groups = f" in {p['groups']} groups" if "groups" in p else ""
    if p.get("layout") == "channels_last":
        spatial = ", ".join("HWD"[a] if n <= 3 else f"S{a}" for a in range(n))
        kernel = ", ".join("K" + ("HWD"[a] if n <= 3 else str(a)) for a in range(n))
        return (f"This is a channels-last convolution layer, as TensorFlow's conv{n}d computes it ({geometry}){flip}, "
                f"from {c_in} to {c_out} channels{groups}: {x} is ({'N, ' if 'batch' in p else ''}{spatial}, C_in) "
                f"and {k} is ({kernel}, C_in, C_out); with both permuted to PyTorch's layout it is PyTorch's "
                f"conv{n}d. Each output channel sums, over its input channels, the element-wise products of its "
                f"kernel in {k} with each window of {x}" + (", plus its bias." if p.get("bias") else "."))
    return (f"This is a convolution layer as PyTorch's conv{n}d computes it ({geometry}){flip}, from {c_in} to "
            f"{c_out} channels{groups}: each output channel sums, over its input channels, the element-wise products "
            f"of its kernel in {k} with each window of {x}" + (", plus its bias." if p.get("bias") else "."))


def _axes(axes, every=False) -> str:
    """``axis 1``, ``axes 0 and 2``, or ``every axis``."""
    axes = tuple(axes)
    if every and len(axes) > 1 and axes == tuple(range(len(axes))):
        return "every axis"
    if len(axes) == 1:
        return f"axis {axes[0]}"
    return "axes " + ", ".join(str(a) for a in axes[:-1]) + f" and {axes[-1]}"


def _geometry(params) -> str:
    shown = {k: v for k, v in params.items() if k != "flipped"}
    return " (" + ", ".join(f"{k}={v}" for k, v in shown.items()) + ")" if shown else ""


def _layer_or_offset(found, x, k) -> str | None:
    """The readings that a windowed-sum kind shares: a layer, or windows at an offset no mode explains."""
    if "channels" in found.params:
        return _explain_layer(found, x, k)
    if "offset" in found.params:
        return _explain_offset(found, x, k)
    return None


def explain_correlation(found, x, k) -> str:
    p = found.params
    special = _layer_or_offset(found, x, k)
    if special:
        return special
    if p.get("flipped"):
        flipped = p["flipped"]
        rest = tuple(a for a in range(len(p["stride"])) if a not in flipped)
        return (f"This is a cross-correlation along {_axes(rest)} and a convolution along {_axes(flipped)}"
                f"{_geometry(p)}: the kernel {k} is flipped along {_axes(flipped)} only, so it is neither "
                f"what a CNN layer computes (no flip) nor a true convolution (flipped along every axis).")
    return (f"This is a cross-correlation{_geometry(p)}: y[n] = sum_m {x}[{_index(p, '+')}] {k}[m], the sum of "
            f"element-wise products of {k} with each window of {x} (a dot product of the flattened window and "
            f"kernel). It equals a convolution only for centro-symmetric kernels, and it is not a matrix product.")


def explain_convolution(found, x, k) -> str:
    p = found.params
    special = _layer_or_offset(found, x, k)
    if special:
        return special
    return (f"This is a convolution{_geometry(p)}: y[n] = sum_m {x}[{_index(p, '-')}] {k}[m], i.e. a "
            f"cross-correlation with the kernel flipped along {_axes(p.get('flipped', ()), every=True)}. "
            f"It equals the correlation a CNN layer computes only for centro-symmetric kernels.")


def _explain_offset(found, x, k) -> str:
    return (f"This is a windowed sum of products of {x} and {k} (a {found.kind}), but its windows start at "
            f"offset {found.params['offset']} with output shape {found.params['shape']}, which matches no SciPy "
            f"mode and no zero padding: check the loop bounds (an off-by-one?).")


def _index(p, sign: str) -> str:
    """The input index of a windowed sum, in the variables n (output) and m (tap), from its parameters."""
    stride, dilation = tuple(p.get("stride", (1,))), tuple(p.get("dilation", (1,)))
    shift = ""  # n indexes the full result; the mode says which part of it is kept
    if len(set(stride)) == 1 and len(set(dilation)) == 1:
        s, d = stride[0], dilation[0]
        return f"{'' if s == 1 else s}n{sign}{'' if d == 1 else d}m{shift}"
    return f"s*n{sign}d*m{shift}, s={stride}, d={dilation} per axis"


def explain_hadamard_sum(found, x, k) -> str:
    window = found.params.get("window")
    if window:
        lo = tuple(a for a, _ in window)
        slices = ", ".join(f"{a}:{b}" for a, b in window)
        at = f"{x}[i]" if not any(lo) else f"{x}[i + {lo if len(lo) > 1 else lo[0]}]"
        return (f"This is the sum of the element-wise (Hadamard) products of {x} and {k} over the window "
                f"{x}[{slices}]: sum_i {at} {k}[i], which equals the dot product of the flattened window and kernel. "
                f"It is not the matrix product of the window with {k}.")
    return (f"This is the sum of the element-wise (Hadamard) products of {x} and {k}: sum_i {x}[i] {k}[i], "
            f"which equals the dot product of the flattened arrays. It is not the matrix product {x}.{k}.")


def explain_matrix_product(found, x, k) -> str:
    if "window" in found.params:
        h, w = found.params["window"]
        per = "each" if "windows" in found.params else "one"
        return (f"This is a matrix product of {per} {h}x{w} window of {x} with {k} (np.dot of the window and the "
                f"kernel): a matrix per window, not the number a CNN layer computes -- that is the sum of the "
                f"element-wise products (sc.hadamard_sum, or np.sum(window * kernel)).")
    return (f"This is the matrix product {x}.{k} (row times column), what np.dot computes on 2-D arrays. It is "
            f"not the sum of element-wise products, which would be one number.")


def explain_unknown(found, x, k) -> str:
    return "symconv cannot match this to a correlation, convolution, Hadamard sum or matrix product" + (
        f": {found.detail}" if found.detail else ".")
