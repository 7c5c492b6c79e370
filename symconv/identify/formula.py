"""`identify` of a formula: read it, instantiate it at two sets of sizes, compare exactly, explain.

The kind and the geometry come from :func:`symconv.identify.classify` on the exact tables of
the formula at concrete sizes (each candidate operation built from its own definition); the
index expressions only supply the symbolic names of stride, dilation and offset, which must
agree with the numbers found at both sets of sizes.
"""

from __future__ import annotations

import contextvars
import dataclasses

import sympy

from .. import canonical
from ..formula import FormulaError, as_formula, instantiate, structure, zero_extended
from .classify import classify
from .explain import _axes
from .result import Identification
from .roles import input_first

#: parameters that describe where the windows of an array start; a formula fixes no output range
_RANGE_KEYS = ("mode", "padding", "offset", "shape", "boundary", "window")

NAMES = {"correlation": "cross-correlation", "convolution": "convolution", "hadamard-sum": "Hadamard sum",
         "matrix-product": "matrix product", "unknown": "unknown", "hadamard": "Hadamard product"}


def identify_formula(obj) -> Identification:
    """What the formula `obj` (LaTeX, ``Eq`` or expression) computes.

    >>> import symconv as sc
    >>> found = sc.identify(r"S(i,j) = (I*K)(i,j) = \\sum_m \\sum_n I(i+m, j+n) K(m,n)")
    >>> found.kind, found.params, found.input, found.kernel
    ('correlation', {'stride': (1, 1), 'dilation': (1, 1)}, 'I', 'K')
    >>> print(found.explain().splitlines()[0])
    The formula calls this a convolution, but it is a cross-correlation: the input index is (i + m, j + n), not (i - m, j - n).
    """
    if isinstance(obj, str):
        from ..parse.reader import read_latex

        f = read_latex(obj)
    else:
        f = as_formula(obj)
    try:
        s = structure(f)
        first = instantiate(f, kernel=3, outputs=3)
        second = instantiate(f, kernel=4, outputs=4, values={p: v + 1 for p, v in first.values.items()})
    except FormulaError as err:
        return Identification("unknown", detail=str(err), formula=f, reading={"claims": f.claims}, explainer=explain_formula)
    found = [classify(i.table) for i in (first, second)]
    reading = {"claims": f.claims, "sizes": [i.shapes for i in (first, second)], "values": [i.values for i in (first, second)],
               "ranges": [i.ranges for i in (first, second)], "outputs": s.outputs, "instances": (first, second)}
    a, b = found
    if a.kind != b.kind or (a.input, a.kernel) != (b.input, b.kernel):
        return Identification("unknown", detail=f"it reads as a {NAMES[a.kind]} at one set of sizes and as a "
                              f"{NAMES[b.kind]} at another", formula=f, reading=reading, explainer=explain_formula)
    if a.kind == "unknown":
        return Identification("unknown", detail=a.detail, formula=f, reading=reading, explainer=explain_formula)
    if a.kind == "convolution" and "channels" not in a.params and all(
            v == 1 for key in ("stride", "dilation") for v in a.params.get(key, ())) and input_first(
            a.kernel, a.input, 1, 1):
        # convolution commutes: with unit stride and dilation the names decide the roles (x * h, I * K)
        a = dataclasses.replace(a, input=a.kernel, kernel=a.input)
    params = {k: v for k, v in a.params.items() if k not in _RANGE_KEYS}
    layer = "channels" in a.params
    if layer:
        params.pop("channels")
    evidence = _evidence(s, a, layer)
    reading.update(evidence)
    for key in ("stride", "dilation"):
        if key in params:
            params[key] = _symbolic(key, params[key], b.params.get(key), evidence.get(key), first.values,
                                    second.values)
            if params[key] is None:
                return Identification("unknown", detail=f"its {key} changes with the sizes in a way symconv cannot name",
                                      formula=f, reading=reading, explainer=explain_formula)
    if evidence.get("offset") and any(o != 0 for o in evidence["offset"]):
        params["offset"] = evidence["offset"]
    if _full_convolution(f, s, a, first.values, layer):
        params = {"mode": "full", **params}
        reading["full"] = True
    return Identification(a.kind, params, a.input, a.kernel, detail=a.detail, formula=f, reading=reading,
                          explainer=explain_formula)


#: sizes at which a textbook full convolution is checked: input, kernel (per axis)
FULL_SIZES = (4, 3)


def _full_convolution(f, s, found, values, layer: bool) -> bool:
    """Whether `f` is the textbook full convolution ``y[n] = \\sum_k x[k] h[n-k]``.

    That is its reading when every sum is unbounded and the input is indexed by the sums alone (the
    output runs along the kernel's index only): the sum then runs over all of the input, the kernel is
    zero outside its support, and every output with a term is kept.  Checked, not assumed: the formula
    read that way at input and kernel sizes :data:`FULL_SIZES` must equal ``convolve(x, h, 'full')``
    exactly (each built from its own definition).
    """
    if found.kind != "convolution" or layer or any(sympy.sympify(lo).is_finite for lo, _ in s.ranges.values()):
        return False
    outputs = set(s.outputs)
    reads = [(label.name, idx) for t in s.terms for label, idx in t.reads]
    if not reads or any(name == found.input and any(e.free_symbols & outputs for e in idx) for name, idx in reads):
        return False
    rank = next(len(idx) for name, idx in reads if name == found.input)
    if len(s.outputs) != rank or any(len(idx) != rank for _, idx in reads):
        return False
    n, k = FULL_SIZES
    shapes = {found.input: (n,) * rank, found.kernel: (k,) * rank}
    try:
        table = zero_extended(f, shapes, [(0, n + k - 2)] * rank, values)
    except FormulaError:
        return False
    from .. import ops
    from ..tensors import tensor

    reference = ops.convolve(tensor(found.input, shapes[found.input]), tensor(found.kernel, shapes[found.kernel]),
                             "full").terms
    return canonical.equal(table, reference)


def _backwards(reading, input_sign: str = "+") -> bool:
    """Whether the kernel is read backwards (``k[2 - m]``) while the input index runs forwards (``x[n + m]``),
    or (`input_sign` ``"-"``) backwards too (``x[n - m] k[K - 1 - m]``: the two reversals cancel)."""
    for ex, ek in zip(reading.get("input_index", ()), reading.get("kernel_index", ())):
        for m in (ek.free_symbols & ex.free_symbols) - set(reading.get("outputs", ())):
            d = sympy.diff(ex, m)
            if (d.is_positive if input_sign == "+" else d.is_negative) and sympy.diff(ek, m).is_negative:
                return True
    return False


def _evidence(s, found, layer: bool) -> dict:
    """The input's index expressions, as written, and the stride/dilation/offset they imply per axis."""
    if found.kind not in ("correlation", "convolution"):
        return {}
    x_read = k_read = None
    for t in s.terms:
        names = {label.name: idx for label, idx in t.reads}
        if found.input in names and found.kernel in names:
            x_read, k_read = names[found.input], names[found.kernel]
            break
    if x_read is None:
        return {}
    shift = 1 if layer else 0
    out = {"input_index": tuple(x_read[shift:]), "kernel_index": tuple(k_read), "stride": [], "dilation": [],
           "offset": []}
    sums = set(s.ranges)
    for a, ex in enumerate(x_read[shift:]):
        ek = k_read[a + len(k_read) - len(x_read) + shift]
        outs = ex.free_symbols & set(s.outputs)
        taps = ek.free_symbols & sums
        if len(outs) != 1 or len(taps) != 1:
            return {"input_index": (), "kernel_index": tuple(k_read)}  # what was read, no geometry from it
        o, m = outs.pop(), taps.pop()
        dk = sympy.diff(ek, m)
        out["stride"].append(sympy.diff(ex, o))
        out["dilation"].append(sympy.simplify(sympy.diff(ex, m) / dk))
        # the offset is measured from kernel index 0, or, when the kernel's range starts above 0 (a 1-based formula,
        # m = 1..k with x_{i+m-1} w_m), from its first tap: a 1-based formula is not shifted
        lo, hi = s.ranges.get(m, (-sympy.oo, sympy.oo))
        end = lo if dk.is_positive else (hi if dk.is_negative else None)  # where the kernel index is smallest
        first_tap = sympy.sympify(ek.xreplace({m: end}) if end is not None and sympy.sympify(end).is_finite else 0)
        if not (first_tap.is_number and first_tap > 0):
            first_tap = 0  # index 0 is in the kernel's range (a centred kernel w[-1..1]): offsets count from it
        m0 = sympy.solve(sympy.Eq(ek, first_tap), m)
        zero = {v: 0 for v in ex.free_symbols & (sums | set(s.outputs))}
        out["offset"].append(sympy.expand(ex.xreplace({m: m0[0]} if m0 else {}).xreplace(zero)) if m0 else 0)
    out["offset"] = tuple(out["offset"])
    return out


def _symbolic(key, first, second, symbolic, v1, v2):
    """The per-axis `key` as numbers, or as the formula's symbols when they match both instances."""
    if first is None or second is None:
        return first
    if symbolic is None:
        return first if first == second else None
    result = []
    for a, (n1, n2) in enumerate(zip(first, second)):
        sym = symbolic[a] if a < len(symbolic) else None
        if sym is not None and sym.free_symbols:
            for cand in (sym, -sym):
                if cand.xreplace(v1) == n1 and cand.xreplace(v2) == n2:
                    result.append(cand)
                    break
            else:
                return None
        elif n1 == n2:
            result.append(n1)
        else:
            return None
    return tuple(result)


def _written(e, outputs=()) -> str:
    """An index as a person writes it: output index first, then the kernel's, then the constant (``x - n``)."""
    terms = sorted(sympy.Add.make_args(sympy.expand(e)),
                   key=lambda t: (not (t.free_symbols & set(outputs)), t.is_number, str(t)))
    out = ""
    for t in terms:
        s = str(t)
        if out and s.startswith("-"):
            out += " - " + s[1:]
        elif out:
            out += " + " + s
        else:
            out = s
    return out or "0"


#: how index expressions are written in an explanation: "plain" text, or "math" (LaTeX between MATH_OPEN/CLOSE
#: markers, for a document to set as mathematics)
_STYLE = contextvars.ContextVar("symconv_explain_style", default="plain")
MATH_OPEN, MATH_CLOSE = "\x02", "\x03"


def _indices(exprs, outputs=()) -> str:
    if _STYLE.get() == "math":
        inner = ", ".join(_latex_index(e, outputs) for e in exprs)
        return MATH_OPEN + (f"({inner})" if len(exprs) > 1 else inner) + MATH_CLOSE
    text = ", ".join(_written(e, outputs) for e in exprs)
    return f"({text})" if len(exprs) > 1 else text


def _latex_index(e, outputs=()) -> str:
    """An index in LaTeX, written as :func:`_written` orders it (output index first, the constant last)."""
    terms = sorted(sympy.Add.make_args(sympy.expand(e)),
                   key=lambda t: (not (t.free_symbols & set(outputs)), t.is_number, str(t)))
    out = ""
    for t in terms:
        neg = t.could_extract_minus_sign()
        body = sympy.latex(-t if neg else t)
        out = (f"{out} - {body}" if neg else f"{out} + {body}") if out else (f"-{body}" if neg else body)
    return out or "0"


def explain_formula(ident: Identification, style: str = "plain") -> str:
    """Plain words: what the formula computes, what it calls itself, and the index that decides it.

    With ``style="math"`` the index expressions are LaTeX between :data:`MATH_OPEN` and :data:`MATH_CLOSE`
    (a document sets them as mathematics); the words are the same.
    """
    token = _STYLE.set(style)
    try:
        return _explain_formula(ident)
    finally:
        _STYLE.reset(token)


def _explain_formula(ident: Identification) -> str:
    reading = ident.reading
    claims = [c for c in reading.get("claims", ()) if c.kind != "hadamard" or ident.kind != "hadamard-sum"]
    lines = []
    said = claims[0].kind if claims else None
    x, k = ident.input, ident.kernel
    if ident.kind in ("correlation", "convolution"):
        idx = reading.get("input_index", ())
        outs = [next(iter(e.free_symbols & set(reading.get("outputs", ()))), None) for e in idx]
        corr = tuple(_flip(e, o, True) for e, o in zip(idx, outs))
        conv = tuple(_flip(e, o, False) for e, o in zip(idx, outs))
        written = _indices(idx, outs)
        n_axes = len(ident.params.get("stride", ())) or len(idx) or 1
        if ident.kind == "correlation":
            if said == "convolution":
                lines.append(f"The formula calls this a convolution, but it is a cross-correlation: the input index "
                             f"is {written}, not {_indices(conv, outs)}.")
            else:
                agree = f"As its notation {claims[0].a} \u22c6 {claims[0].b} says, this" if said == "correlation" \
                    else "This"
                if _backwards(reading, "-"):
                    why = (f": the input index {written} and the kernel index "
                           f"{_indices(reading['kernel_index'], reading.get('outputs', ()))} both run backwards over the "
                           f"sum, so the two reversals cancel and the kernel is not flipped")
                elif idx:
                    why = (f": the input index is {written}, so the kernel is not flipped (a true convolution would "
                           f"read {x} at {_indices(conv, outs)})")
                else:
                    why = ", the kernel not flipped"
                lines.append(f"{agree} is a cross-correlation of {x} with the kernel {k}{why}.")
            lines.append(f"It is what a CNN layer (PyTorch's conv{n_axes}d) computes: the sum of the element-wise products of "
                         f"{k} with each window of {x}, the same number as the dot product of the flattened window "
                         f"and kernel; it is not a matrix product.")
        else:
            if said == "correlation":
                lines.append(f"The formula calls this a correlation, but it is a convolution: the input index is "
                             f"{written}, not {_indices(corr, outs)}.")
            else:
                flipped = _axes(ident.params.get("flipped", ()), every=True)
                agree = f"As its notation {claims[0].a} * {claims[0].b} says, this" if said == "convolution" else "This"
                if _backwards(reading):
                    why = (f": the input index is {written} but the kernel is read backwards "
                           f"({k}[{_indices(reading['kernel_index'], reading.get('outputs', ()))}]), so it is flipped along {flipped}")
                elif idx and any(o is not None for o in outs):
                    why = f": the input index is {written}, so the kernel is flipped along {flipped}"
                elif reading.get("kernel_index"):  # the roles were taken by name: the output runs along the kernel's index
                    why = (f": the input index of {k} is {_indices(reading['kernel_index'], reading.get('outputs', ()))}, against the sum over "
                           f"{x}'s index, so one of the two is flipped along {flipped} (convolution commutes)")
                else:
                    why = f", the kernel flipped along {flipped}"
                lines.append(f"{agree} is a true convolution of {x} with {k}{why}.")
            if _backwards(reading):
                read = f" (reading {k} forwards, with the same index as {x})"
            elif idx and any(o is not None for o in outs):
                read = f" (reading {x} at {_indices(corr, outs)})"
            else:
                read = ""
            lines.append(f"A CNN layer computes the cross-correlation instead{read}; the two agree only for "
                         f"centro-symmetric kernels.")
        geometry = {key: v for key, v in ident.params.items() if key in ("stride", "dilation", "offset")
                    and any(e != 1 if key != "offset" else e != 0 for e in v)}
        if geometry:
            lines.append("Geometry read from the indices: " + ", ".join(f"{key}={v}" for key, v in geometry.items())
                         + ".")
        if ident.params.get("bias"):
            lines.append("It is a layer: the input channels are summed too, and a bias is added per output channel.")
        elif "bias" in ident.params:
            lines.append("It is a layer: the input channels are summed too.")
    elif ident.kind == "hadamard-sum":
        lines.append(f"This is the sum of the element-wise (Hadamard) products of {x} and {k}, one number; it equals "
                     f"the dot product of the flattened arrays, and it is not the matrix product.")
    elif ident.kind == "matrix-product":
        lines.append(f"This is the matrix product {x}{k} (row times column, what np.dot does on 2-D arrays), not the "
                     f"sum of element-wise products.")
    else:
        lines.append("symconv cannot match this formula to a correlation, convolution, Hadamard sum or matrix "
                     "product" + (f": {ident.detail}" if ident.detail else "."))
    sizes = reading.get("sizes")
    if sizes and ident.kind != "unknown":
        shown = "; ".join(", ".join(f"{name} {tuple(shape)}" for name, shape in s.items()) for s in sizes)
        if reading.get("full"):
            n, k = FULL_SIZES
            rank = len(ident.params.get("stride", ())) or 1
            lines.append(f"Checked exactly (as polynomials) at two sets of sizes: {shown}, over the outputs where every "
                         f"read falls inside the tensor the output runs along.")
            lines.append(f"The sum runs over all of {x} and {ident.kernel} is zero outside its support, so every output "
                         f"with a term is kept: mode='full' (checked exactly against convolve({x}, {ident.kernel}, 'full') "
                         f"at {x} {(n,) * rank}, {ident.kernel} {(k,) * rank}).")
        else:
            lines.append(f"Checked exactly (as polynomials) at two sets of sizes: {shown}, over the outputs where every "
                         f"read falls inside the input (the formula does not fix the output range).")
    return "\n".join(lines)


def _flip(e, o, correlation: bool):
    """The index `e` with its kernel part made positive (correlation) or negative (convolution)."""
    if o is None:
        return e
    base = e.xreplace({o: 0})
    rest = e - base
    taps = base - base.xreplace({s: 0 for s in base.free_symbols})
    const = base - taps
    sign = 1 if correlation else -1
    coeffs = sympy.Poly(taps, *sorted(taps.free_symbols, key=str)).terms() if taps.free_symbols else []
    fixed = sum((sign * abs(c) * sympy.Mul(*[g ** p for g, p in zip(sorted(taps.free_symbols, key=str), m)])
                 for m, c in coeffs), sympy.Integer(0))
    return rest + fixed + const
