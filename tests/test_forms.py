"""Every equivalent form against its definition, written out by hand.

In the style of opt_einsum's test suite: a table of forms and a table of cases
(shapes and options), crossed with stacked ``pytest.mark.parametrize``.  For each
case the expected result is built here, from SymPy directly, with explicit Python
loops over ``sympy.IndexedBase`` elements -- never from symconv's own code -- and
compared with ``symconv_result == expected_sympy_array``, which is exact
polynomial equality.

The hand-built references follow the published definitions:

* ``scipy.signal.correlate``/``convolve``: the "full" result
  ``z[f] = sum_j x[f + j - (K_e - 1)] k_d[j]`` (correlation) or
  ``z[f] = sum_j x[f - j] k_d[j]`` (convolution), where ``k_d`` is the kernel
  with ``d - 1`` zeros between taps (dilation) and ``K_e = d (K - 1) + 1``;
  "valid" starts at ``K_e - 1``, "same" at ``(K_e - 1) // 2`` (``K_e // 2`` for
  ``correlate2d`` with a ``boundary``); ``stride=s`` keeps ``y[s n]``.
* ``torch.nn.functional.conv{1,2,3}d``: pad, then
  ``y[b, co, o] = bias[co] + sum_{c, m} xp[b, g C_g + c, o s + m d] w[co, c, m]``.
* ``torch.nn.functional.conv_transpose``: input ``i`` and tap ``m`` feed output
  ``i s - p + m d``.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import symconv as sc


# ---------------------------------------------------------------------------------------------
# hand-written references (independent of symconv)
# ---------------------------------------------------------------------------------------------
def base(name):
    """The IndexedBase symconv's ``tensor(name, ...)`` uses: a real label."""
    return sympy.IndexedBase(sympy.Symbol(name, real=True))


def sym(name, shape):
    """Object ndarray whose entries are the IndexedBase elements ``name[i, j, ...]``."""
    b = base(name)
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = b[idx]
    return out


def as_sympy(a):
    """An object ndarray (or a scalar) as a SymPy Array (or expression)."""
    a = np.asarray(a, dtype=object)
    if a.ndim == 0:
        return sympy.sympify(a[()])
    return sympy.Array(a.tolist())


def _t(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def _read(x, pos, boundary, fillvalue):
    idx = []
    for p, n in zip(pos, x.shape):
        if boundary == "wrap":
            p %= n
        elif boundary == "symm":
            p %= 2 * n
            p = p if p < n else 2 * n - 1 - p
        elif not 0 <= p < n:
            return sympy.sympify(fillvalue)
        idx.append(p)
    return x[tuple(idx)]


def ref_signal(x, k, mode="valid", stride=1, dilation=1, flip=False, boundary=None, fillvalue=0):
    """scipy.signal.correlate (flip=False) / convolve (flip=True), from the definition, any rank."""
    x, k = np.asarray(x, dtype=object), np.asarray(k, dtype=object)
    n = x.ndim
    s, d = _t(stride, n), _t(dilation, n)
    ke = [dd * (kk - 1) + 1 for kk, dd in zip(k.shape, d)]
    length = {"valid": [nx - e + 1 for nx, e in zip(x.shape, ke)],
              "same": list(x.shape),
              "full": [nx + e - 1 for nx, e in zip(x.shape, ke)]}[mode]
    if mode == "valid":
        first = [e - 1 for e in ke]
    elif mode == "full":
        first = [0] * n
    elif boundary is not None and not flip:  # scipy.signal.correlate2d centres even kernels up
        first = [e // 2 for e in ke]
    else:
        first = [(e - 1) // 2 for e in ke]
    out_shape = tuple(-(-L // ss) for L, ss in zip(length, s))
    y = np.empty(out_shape, dtype=object)
    for o in np.ndindex(*out_shape):
        f = [first[a] + o[a] * s[a] for a in range(n)]  # position in the full result
        terms = []
        for m in np.ndindex(*k.shape):
            if flip:
                pos = [f[a] - m[a] * d[a] for a in range(n)]
            else:
                pos = [f[a] + m[a] * d[a] - (ke[a] - 1) for a in range(n)]
            terms.append(_read(x, pos, boundary, fillvalue) * k[m])
        y[o] = sympy.expand(sympy.Add(*terms))
    return y


def pad_layer(x, pads, mode="zeros"):
    """`x` padded on its last ``len(pads)`` axes as torch.nn.Conv*d's padding_mode does."""
    x = np.asarray(x, dtype=object)
    nsp = len(pads)
    lead, sp = x.shape[: x.ndim - nsp], x.shape[x.ndim - nsp:]
    new = tuple(n + left + right for n, (left, right) in zip(sp, pads))
    out = np.empty(lead + new, dtype=object)
    for L in np.ndindex(*lead):
        for q in np.ndindex(*new):
            src, inside = [], True
            for a, (p, (left, _)) in enumerate(zip(q, pads)):
                i, n = p - left, sp[a]
                if mode == "zeros":
                    inside = inside and 0 <= i < n
                elif mode == "reflect":
                    while not 0 <= i < n:
                        i = -i if i < 0 else 2 * (n - 1) - i
                elif mode == "replicate":
                    i = min(max(i, 0), n - 1)
                elif mode == "circular":
                    i %= n
                src.append(i)
            out[L + q] = x[L + tuple(src)] if inside else sympy.S.Zero
    return out


def layer_pads(padding, ksz, dilation):
    nsp = len(ksz)
    d = _t(dilation, nsp)
    if padding == "same":
        tot = [dd * (kk - 1) for kk, dd in zip(ksz, d)]
        return tuple((t // 2, t - t // 2) for t in tot)
    if padding == "valid":
        return ((0, 0),) * nsp
    return tuple((p, p) for p in _t(padding, nsp))


def ref_conv(x, w, bias=None, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """torch.nn.functional.conv{1,2,3}d from its definition; x is (C, *sp) or (N, C, *sp)."""
    x, w = np.asarray(x, dtype=object), np.asarray(w, dtype=object)
    nsp = w.ndim - 2
    batched = x.ndim == nsp + 2
    if not batched:
        x = x[None]
    n_batch = x.shape[0]
    c_out, c_g = w.shape[:2]
    ksz = w.shape[2:]
    s, d = _t(stride, nsp), _t(dilation, nsp)
    xp = pad_layer(x, layer_pads(padding, ksz, dilation), padding_mode)
    out_sp = tuple((n - dd * (kk - 1) - 1) // ss + 1 for n, kk, dd, ss in zip(xp.shape[2:], ksz, d, s))
    c_out_g = c_out // groups
    y = np.empty((n_batch, c_out) + out_sp, dtype=object)
    for b in range(n_batch):
        for co in range(c_out):
            g = co // c_out_g
            for o in np.ndindex(*out_sp):
                terms = [] if bias is None else [bias[co]]
                for c in range(c_g):
                    for m in np.ndindex(*ksz):
                        pos = tuple(o[a] * s[a] + m[a] * d[a] for a in range(nsp))
                        terms.append(xp[(b, g * c_g + c) + pos] * w[(co, c) + m])
                y[(b, co) + o] = sympy.Add(*terms)
    return y if batched else y[0]


def ref_conv_transpose(x, w, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    """torch.nn.functional.conv_transpose{1,2,3}d: input i and tap m feed output i*s - p + m*d."""
    x, w = np.asarray(x, dtype=object), np.asarray(w, dtype=object)
    nsp = w.ndim - 2
    batched = x.ndim == nsp + 2
    if not batched:
        x = x[None]
    c_in = x.shape[1]
    c_out_g, c_in_g, ksz = w.shape[1], c_in // groups, w.shape[2:]
    s, p, op, d = (_t(v, nsp) for v in (stride, padding, output_padding, dilation))
    out_sp = tuple((n - 1) * ss - 2 * pp + dd * (kk - 1) + oo + 1
                   for n, kk, ss, pp, oo, dd in zip(x.shape[2:], ksz, s, p, op, d))
    y = np.empty((x.shape[0], c_out_g * groups) + out_sp, dtype=object)
    for idx in np.ndindex(*y.shape):
        y[idx] = []
    for b in range(x.shape[0]):
        for ci in range(c_in):
            g = ci // c_in_g
            for i in np.ndindex(*x.shape[2:]):
                for m in np.ndindex(*ksz):
                    o = tuple(i[a] * s[a] - p[a] + m[a] * d[a] for a in range(nsp))
                    if all(0 <= o[a] < out_sp[a] for a in range(nsp)):
                        for cl in range(c_out_g):
                            y[(b, g * c_out_g + cl) + o].append(x[(b, ci) + i] * w[(ci, cl) + m])
    for idx in np.ndindex(*y.shape):
        y[idx] = sympy.Add(*y[idx])
    return y if batched else y[0]


def ref_windows(x, ksz, stride=1, padding=0, dilation=1):
    """Receptive fields, shape (N?, *out, C?, *ksz), zero where a window covers padding."""
    x = np.asarray(x, dtype=object)
    nsp = len(ksz)
    lead = x.shape[: x.ndim - nsp]
    s, d = _t(stride, nsp), _t(dilation, nsp)
    xp = pad_layer(x, layer_pads(padding, ksz, dilation))
    out_sp = tuple((n - dd * (kk - 1) - 1) // ss + 1 for n, kk, dd, ss in zip(xp.shape[x.ndim - nsp:], ksz, d, s))
    batch_shape = lead[:1] if len(lead) == 2 else ()
    chan_shape = lead[-1:]
    y = np.empty(batch_shape + out_sp + chan_shape + tuple(ksz), dtype=object)
    for B in np.ndindex(*batch_shape):
        for o in np.ndindex(*out_sp):
            for C in np.ndindex(*chan_shape):
                for m in np.ndindex(*ksz):
                    pos = tuple(o[a] * s[a] + m[a] * d[a] for a in range(nsp))
                    y[B + o + C + m] = xp[B + C + pos]
    return y


def ref_im2col(x, ksz, **options):
    """One row per output position (row-major), columns = window entries (channel first)."""
    x = np.asarray(x, dtype=object)
    nsp = len(ksz)
    fields = ref_windows(x, ksz, **options)
    batched = x.ndim == nsp + 2
    lead = fields.shape[:1] if batched else ()
    out_sp = fields.shape[len(lead): len(lead) + nsp]
    rows = int(np.prod(out_sp))
    rest = fields.shape[len(lead) + nsp:]
    cols = int(np.prod(rest))
    y = np.empty(lead + (rows, cols), dtype=object)
    for B in np.ndindex(*lead):
        for r, o in enumerate(np.ndindex(*out_sp)):
            for c, q in enumerate(np.ndindex(*rest)):
                y[B + (r, c)] = fields[B + o + q]
    return y


def ref_toeplitz(k, input_shape, mode="valid", stride=1, padding=0, dilation=1):
    """T[o, i] = the coefficient of x[i] in output o of the (padded) correlation."""
    x = sym("x", input_shape)
    n = len(input_shape)
    if mode == "wrap":
        y = ref_signal(x, k, "same", stride, dilation, boundary="wrap")
    else:
        xp = pad_layer(x, tuple((p, p) for p in _t(padding, n)))
        y = ref_signal(xp, k, mode, stride, dilation)
    yv, xb = y.reshape(-1), base("x")
    T = np.full((len(yv), int(np.prod(input_shape))), sympy.S.Zero, dtype=object)
    for r, expr in enumerate(yv):
        for term in sympy.Add.make_args(expr):
            if term == 0:
                continue
            (xi,) = [f for f in sympy.Mul.make_args(term) if isinstance(f, sympy.Indexed) and f.base == xb]
            c = int(np.ravel_multi_index(tuple(int(i) for i in xi.indices), input_shape))
            T[r, c] += term / xi
    return T


def ref_hadamard_sum(a, b):
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    total = sympy.S.Zero
    for idx in np.ndindex(*a.shape):
        total += a[idx] * b[idx]
    return sympy.expand(total)


def ref_dot_flat(a, b):
    va, vb = np.asarray(a, dtype=object).reshape(-1), np.asarray(b, dtype=object).reshape(-1)
    return sympy.expand(sum((va[i] * vb[i] for i in range(len(va))), sympy.S.Zero))


def ref_matmul(a, b):
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    a2 = a if a.ndim == 2 else a[None, :]
    b2 = b if b.ndim == 2 else b[:, None]
    y = np.empty((a2.shape[0], b2.shape[1]), dtype=object)
    for r in range(a2.shape[0]):
        for c in range(b2.shape[1]):
            y[r, c] = sympy.expand(sum((a2[r, t] * b2[t, c] for t in range(a2.shape[1])), sympy.S.Zero))
    out_shape = a.shape[:-1] + b.shape[1:]
    return y.reshape(out_shape)


def check(result, expected):
    """``result == expected`` (exact); on failure, name the first mismatching entry."""
    expected_sp = as_sympy(expected)
    exp_shape = tuple(np.shape(np.asarray(expected, dtype=object)))
    assert tuple(result.shape) == exp_shape, f"shape {result.shape} != expected {exp_shape}"
    ok = result == expected_sp
    if not ok:
        exp = np.asarray(expected, dtype=object)
        for idx in np.ndindex(*exp_shape):
            got = result[idx] if exp_shape else result[()]
            if sympy.expand(got - exp[idx]) != 0:
                pytest.fail(f"entry {idx}: symconv gives {got}, the definition gives {exp[idx]}")
        pytest.fail("== is False but no entry differs")
    assert ok is True


# ---------------------------------------------------------------------------------------------
# correlate / convolve (scipy.signal semantics, any rank)
# ---------------------------------------------------------------------------------------------
SIGNAL_FORMS = {
    "correlate": (sc.correlate, False),
    "convolve": (sc.convolve, True),
}
# every kernel fits every input in mode="valid" even with dilation 2
SIGNAL_SHAPES = [
    ((7,), (3,)),
    ((8,), (2,)),
    ((5, 5), (3, 3)),
    ((6, 5), (2, 3)),
    ((4, 7), (1, 4)),
    ((4, 5, 5), (2, 3, 2)),
]
SIGNAL_OPTIONS = [
    dict(),
    dict(stride=2),
    dict(dilation=2),
    dict(stride=3, dilation=2),
    dict(stride=(1, 2)),  # per-axis (2-D only)
]


def _fits(option, rank):
    return all(not isinstance(v, tuple) or len(v) == rank for v in option.values())


SIGNAL_CASES = [(xs, ks, opt) for xs, ks in SIGNAL_SHAPES for opt in SIGNAL_OPTIONS if _fits(opt, len(xs))]


@pytest.mark.parametrize("xs,ks,options", SIGNAL_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in SIGNAL_CASES])
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("form", sorted(SIGNAL_FORMS))
def test_signal_form_matches_definition(form, mode, xs, ks, options):
    fn, flip = SIGNAL_FORMS[form]
    result = fn(sc.tensor("x", xs), sc.tensor("k", ks), mode, **options)
    check(result, ref_signal(sym("x", xs), sym("k", ks), mode, flip=flip, **options))


# scipy.signal.correlate2d / convolve2d: boundary and fillvalue, even kernels in "same" mode
BOUNDARY_SHAPES = [((5, 5), (3, 3)), ((6, 5), (2, 3)), ((4, 4), (2, 2)), ((5, 6), (4, 2))]
BOUNDARIES = [("fill", 0), ("fill", 2), ("wrap", 0), ("symm", 0)]


@pytest.mark.parametrize("xs,ks", BOUNDARY_SHAPES)
@pytest.mark.parametrize("boundary,fillvalue", BOUNDARIES)
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("form", sorted(SIGNAL_FORMS))
def test_signal_boundary_matches_definition(form, mode, boundary, fillvalue, xs, ks):
    fn, flip = SIGNAL_FORMS[form]
    result = fn(sc.tensor("x", xs), sc.tensor("k", ks), mode, boundary=boundary, fillvalue=fillvalue)
    check(result, ref_signal(sym("x", xs), sym("k", ks), mode, flip=flip, boundary=boundary, fillvalue=fillvalue))


@pytest.mark.parametrize("xs,ks", BOUNDARY_SHAPES)
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("form", sorted(SIGNAL_FORMS))
def test_fillvalue_alone_is_correlate2d_default_fill_boundary(form, mode, xs, ks):
    """fillvalue is a correlate2d/convolve2d option whose default boundary is "fill": giving fillvalue alone must
    mean exactly correlate2d(..., boundary="fill", fillvalue=...) -- or be refused; never a hybrid of the two."""
    fn, flip = SIGNAL_FORMS[form]
    try:
        result = fn(sc.tensor("x", xs), sc.tensor("k", ks), mode, fillvalue=2)
    except sc.InvalidArgumentError as err:  # refusing (fillvalue without boundary) is acceptable too
        assert "fillvalue" in str(err) and "boundary" in str(err)
        return
    check(result, ref_signal(sym("x", xs), sym("k", ks), mode, flip=flip, boundary="fill", fillvalue=2))


# ---------------------------------------------------------------------------------------------
# conv / conv_transpose (PyTorch semantics)
# ---------------------------------------------------------------------------------------------
CONV_CASES = [
    # x shape, w shape, options
    ((1, 5, 5), (1, 1, 3, 3), dict()),
    ((3, 6, 6), (4, 3, 3, 3), dict()),
    ((2, 3, 5, 4), (2, 3, 2, 2), dict()),                               # batch
    ((3, 7, 6), (2, 3, 3, 3), dict(stride=2)),
    ((2, 6, 5), (2, 2, 3, 2), dict(stride=(2, 1), padding=(1, 2))),
    ((2, 5, 5), (3, 2, 3, 3), dict(padding=1)),
    ((2, 5, 6), (2, 2, 3, 3), dict(padding="same", dilation=(1, 2))),
    ((2, 5, 6), (3, 2, 2, 3), dict(padding="same")),                    # even kernel: extra pad on the right
    ((2, 5, 6), (3, 2, 3, 3), dict(padding="valid")),
    ((2, 7, 7), (2, 2, 3, 3), dict(dilation=2)),
    ((4, 5, 5), (6, 2, 3, 3), dict(groups=2)),
    ((4, 5, 5), (4, 1, 3, 3), dict(groups=4, padding=1)),               # depthwise
    ((4, 7), (6, 2, 3), dict(groups=2, dilation=2, padding=2)),         # 1-D
    ((2, 3, 4, 4), (2, 2, 2, 2, 3), dict(padding=1)),                   # 3-D
    ((2, 5, 6), (3, 2, 3, 3), dict(padding=2, padding_mode="reflect")),
    ((2, 5, 6), (3, 2, 3, 3), dict(padding=(1, 3), padding_mode="replicate")),
    ((2, 5, 6), (3, 2, 3, 3), dict(padding=(2, 4), padding_mode="circular", stride=(2, 1))),
    ((1, 2, 4, 5), (2, 2, 2, 3), dict(stride=2, padding=1, dilation=(2, 1))),
]


@pytest.mark.parametrize("bias", [False, True], ids=["nobias", "bias"])
@pytest.mark.parametrize("xs,ws,options", CONV_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in CONV_CASES])
def test_conv_matches_definition(xs, ws, options, bias):
    b = sc.tensor("b", (ws[0],)) if bias else None
    result = sc.conv(sc.tensor("x", xs), sc.tensor("w", ws), b, **options)
    check(result, ref_conv(sym("x", xs), sym("w", ws), sym("b", (ws[0],)) if bias else None, **options))


CONV_T_CASES = [
    ((2, 4), (2, 3, 3), dict(stride=2)),
    ((4, 3, 3), (4, 1, 2, 2), dict(groups=2, stride=2, padding=1, output_padding=1)),
    ((1, 2, 3), (2, 2, 3), dict(dilation=2, output_padding=1, padding=1)),
    ((2, 3, 3), (2, 3, 2, 2), dict()),
]


@pytest.mark.parametrize("xs,ws,options", CONV_T_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in CONV_T_CASES])
def test_conv_transpose_matches_definition(xs, ws, options):
    result = sc.conv_transpose(sc.tensor("x", xs), sc.tensor("w", ws), **options)
    check(result, ref_conv_transpose(sym("x", xs), sym("w", ws), **options))


# ---------------------------------------------------------------------------------------------
# the scalar / matrix forms
# ---------------------------------------------------------------------------------------------
PRODUCT_FORMS = {
    "hadamard_sum": (sc.hadamard_sum, ref_hadamard_sum),
    "dot_flat": (sc.dot_flat, ref_dot_flat),
}
SAME_SHAPES = [(4,), (3, 3), (2, 3), (2, 2, 3)]


@pytest.mark.parametrize("shape", SAME_SHAPES)
@pytest.mark.parametrize("form", sorted(PRODUCT_FORMS))
def test_product_form_matches_definition(form, shape):
    fn, ref = PRODUCT_FORMS[form]
    check(fn(sc.tensor("a", shape), sc.tensor("b", shape)), ref(sym("a", shape), sym("b", shape)))


@pytest.mark.parametrize("sa,sb", [((6,), (2, 3)), ((2, 3), (3, 2)), ((4,), (2, 2))])
def test_dot_flat_flattens_different_shapes(sa, sb):
    check(sc.dot_flat(sc.tensor("a", sa), sc.tensor("b", sb)), ref_dot_flat(sym("a", sa), sym("b", sb)))


MATMUL_SHAPES = [((3, 3), (3, 3)), ((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,)), ((4,), (4,)), ((1, 5), (5, 1))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_matches_definition(sa, sb):
    check(sc.matmul(sc.tensor("a", sa), sc.tensor("b", sb)), ref_matmul(sym("a", sa), sym("b", sb)))


# ---------------------------------------------------------------------------------------------
# windows / im2col / im2col_matmul
# ---------------------------------------------------------------------------------------------
WINDOW_CASES = [
    # x shape, kernel shape, options
    ((5,), (2,), dict()),
    ((3, 4), (2, 2), dict()),
    ((5, 5), (3, 3), dict(stride=2)),
    ((5, 6), (2, 3), dict(padding=1)),
    ((5, 6), (2, 3), dict(padding=(0, 2), stride=(1, 2))),
    ((6, 6), (2, 2), dict(dilation=2)),
    ((5, 5), (3, 2), dict(padding="same")),
    ((2, 4, 4), (2, 2), dict()),                  # channels
    ((3, 5, 5), (3, 3), dict(stride=2, padding=1)),
    ((2, 2, 4, 5), (2, 3), dict(dilation=(2, 1))),  # batch
    ((2, 3, 3, 4), (2, 2, 2), dict(padding=1)),   # 3 spatial axes with channels
]
WINDOW_FORMS = {
    "windows": (sc.windows, ref_windows),
    "im2col": (sc.im2col, ref_im2col),
}


@pytest.mark.parametrize("xs,ks,options", WINDOW_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in WINDOW_CASES])
@pytest.mark.parametrize("form", sorted(WINDOW_FORMS))
def test_window_form_matches_definition(form, xs, ks, options):
    fn, ref = WINDOW_FORMS[form]
    check(fn(sc.tensor("x", xs), ks, **options), ref(sym("x", xs), ks, **options))


IM2COL_MATMUL_CASES = [
    # x shape, w shape, options; single-channel cases use w = (*kernel) and x = (*spatial)
    ((5, 5), (3, 3), dict()),
    ((7,), (3,), dict(stride=2)),
    ((6, 5), (2, 3), dict(padding=1, dilation=(2, 1))),
    ((3, 6, 6), (4, 3, 3, 3), dict()),
    ((3, 6, 6), (4, 3, 3, 3), dict(stride=2, padding=1)),
    ((2, 5, 6), (3, 2, 2, 3), dict(padding="same")),
    ((2, 7, 7), (2, 2, 3, 3), dict(dilation=2, padding=(1, 0))),
    ((2, 6), (3, 2, 3), dict(stride=2)),
    ((2, 3, 4, 4), (2, 2, 2, 2, 2), dict()),
]


def _im2col_matmul_reference(xs, ws, options):
    x, w = sym("x", xs), sym("w", ws)
    if len(ws) == len(xs):  # single channel: the layer with one input and one output channel
        return ref_conv(x[None], w[None, None], **options)[0]
    return ref_conv(x, w, **options)


@pytest.mark.parametrize("xs,ws,options", IM2COL_MATMUL_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in IM2COL_MATMUL_CASES])
def test_im2col_matmul_matches_definition(xs, ws, options):
    result = sc.im2col_matmul(sc.tensor("x", xs), sc.tensor("w", ws), **options)
    check(result, _im2col_matmul_reference(xs, ws, options))


# ---------------------------------------------------------------------------------------------
# toeplitz
# ---------------------------------------------------------------------------------------------
TOEPLITZ_CASES = [
    # kernel shape, input shape, options
    ((2,), (4,), dict()),
    ((3,), (6,), dict(stride=2)),
    ((3,), (7,), dict(dilation=2)),
    ((2,), (5,), dict(padding=1)),
    ((3, 3), (4, 4), dict()),
    ((2, 3), (4, 5), dict(stride=(2, 1))),
    ((2, 2), (5, 5), dict(dilation=2, padding=(1, 0))),
]


@pytest.mark.parametrize("ks,ins,options", TOEPLITZ_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in TOEPLITZ_CASES])
@pytest.mark.parametrize("mode", ["valid", "same", "full", "wrap"])
def test_toeplitz_matches_definition(mode, ks, ins, options):
    if mode == "wrap":  # wrap admits no padding: drop it (the other options stay)
        options = {key: v for key, v in options.items() if key != "padding"}
    result = sc.toeplitz(sc.tensor("k", ks), ins, mode=mode, **options)
    check(result, ref_toeplitz(sym("k", ks), ins, mode, **options))


def test_toeplitz_is_a_symconv_matrix():
    T = sc.toeplitz(sc.tensor("k", (2,)), (3,))
    b = base("k")
    assert isinstance(T, sc.SymMatrix)
    assert T == sympy.Matrix([[b[0], b[1], 0], [0, b[0], b[1]]])


# ---------------------------------------------------------------------------------------------
# cross-form identities
# ---------------------------------------------------------------------------------------------
LAYER_OPTIONS = [
    dict(),
    dict(stride=2),
    dict(stride=(1, 3)),
    dict(padding=1),
    dict(padding=(2, 0)),
    dict(padding="same"),
    dict(padding="valid"),
    dict(dilation=2),
    dict(dilation=(1, 2), padding=2),
    dict(stride=2, padding=1, dilation=2),
]
LAYER_SHAPES = [((1, 5, 5), (1, 1, 3, 3)), ((3, 7, 6), (4, 3, 3, 3)), ((2, 6, 7), (3, 2, 2, 3)), ((2, 8, 8), (1, 2, 1, 1))]


@pytest.mark.parametrize("xs,ws", LAYER_SHAPES)
@pytest.mark.parametrize("options", LAYER_OPTIONS, ids=str)
def test_im2col_matmul_equals_conv(options, xs, ws):
    x, w = sc.tensor("x", xs), sc.tensor("w", ws)
    assert sc.im2col_matmul(x, w, **options) == sc.conv(x, w, **options)


@pytest.mark.parametrize("ks,ins,options", TOEPLITZ_CASES, ids=[f"{a}-{b}-{c}" for a, b, c in TOEPLITZ_CASES])
@pytest.mark.parametrize("mode", ["valid", "same", "full", "wrap"])
def test_toeplitz_matvec_equals_correlate(mode, ks, ins, options):
    x, k = sc.tensor("x", ins), sc.tensor("k", ks)
    options = dict(options)
    padding = options.pop("padding", 0)
    if mode == "wrap":
        y = sc.correlate(x, k, "same", boundary="wrap", **options)
        T = sc.toeplitz(k, ins, mode="wrap", **options)
    else:
        # padding zero-pads the input first: correlate the hand-padded input
        xp = pad_layer(sym("x", ins), tuple((p, p) for p in _t(padding, len(ins))))
        y = sc.correlate(xp, k, mode, **options)
        T = sc.toeplitz(k, ins, mode=mode, padding=padding, **options)
    assert T @ x.flatten() == y.flatten()
    assert sc.matmul(T, x.flatten()) == y.flatten()


@pytest.mark.parametrize("xs,ks", SIGNAL_SHAPES + [((5, 5), (2, 2))])
@pytest.mark.parametrize("mode", ["valid", "full"])
def test_convolve_is_correlate_with_flipped_kernel(mode, xs, ks):
    x, k = sc.tensor("x", xs), sc.tensor("k", ks)
    assert sc.convolve(x, k, mode) == sc.correlate(x, sc.flip(k), mode)


@pytest.mark.parametrize("xs,ks", [((7,), (3,)), ((5, 5), (3, 3)), ((4, 5, 5), (3, 1, 3))])
def test_convolve_is_correlate_with_flipped_kernel_same_odd(xs, ks):
    x, k = sc.tensor("x", xs), sc.tensor("k", ks)
    assert sc.convolve(x, k, "same") == sc.correlate(x, sc.flip(k), "same")


@pytest.mark.parametrize("shape", SAME_SHAPES)
def test_hadamard_sum_equals_dot_flat(shape):
    a, b = sc.tensor("a", shape), sc.tensor("b", shape)
    assert sc.hadamard_sum(a, b) == sc.dot_flat(a, b)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4)])
def test_hadamard_sum_is_trace_of_matmul_with_transpose(shape):
    a, b = sc.tensor("a", shape), sc.tensor("b", shape)
    abt = sc.matmul(a, sympy.Array(sym("b", shape)).transpose())  # (r, r)
    trace = sum((abt[i, i] for i in range(shape[0])), sympy.S.Zero)
    assert sc.hadamard_sum(a, b) == trace


def test_correlation_entry_is_windowed_hadamard_sum_and_flat_dot():
    x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    y = sc.correlate(x, k)
    for i in range(3):
        for j in range(3):
            window = x[i:i + 3, j:j + 3]
            assert sc.hadamard_sum(window, k) == y[i, j]
            assert sc.hadamard_sum(window, k) == sc.dot_flat(window, k)


# -- negative checks: each must be False -------------------------------------------------------
@pytest.mark.parametrize("xs,ks", [((7,), (3,)), ((5, 5), (3, 3)), ((5, 5), (2, 2)), ((4, 5, 5), (2, 3, 2))])
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_convolve_is_not_correlate_for_a_general_kernel(mode, xs, ks):
    x, k = sc.tensor("x", xs), sc.tensor("k", ks)
    assert (sc.convolve(x, k, mode) == sc.correlate(x, k, mode)) is False
    assert sc.convolve(x, k, mode) != sc.correlate(x, k, mode)


@pytest.mark.parametrize("shape", [(3, 3), (2, 2), (4, 4)])
def test_matmul_is_not_hadamard_sum(shape):
    a, b = sc.tensor("a", shape), sc.tensor("b", shape)
    prod_ = sc.matmul(a, b)
    had = sc.hadamard_sum(a, b)
    assert (prod_ == had) is False
    # and no entry of the matrix product is the element-wise sum
    for idx in np.ndindex(*prod_.shape):
        assert (sc.hadamard_sum(a, b) == prod_[idx]) is False
    # nor is their sum (sum of all entries of A B is sum_{i,j,t} a[i,t] b[t,j])
    assert (had == sum((prod_[idx] for idx in np.ndindex(*prod_.shape)), sympy.S.Zero)) is False


@pytest.mark.parametrize("shift", [(0, 1), (1, 0), (1, 1)])
def test_off_by_one_correlation_is_not_correlate(shift):
    x, k = sym("x", (6, 6)), sym("k", (3, 3))
    shifted = np.empty((3, 3), dtype=object)
    for i in range(3):
        for j in range(3):
            shifted[i, j] = sympy.expand(sum(x[i + u + shift[0], j + v + shift[1]] * k[u, v]
                                             for u in range(3) for v in range(3)))
    y = sc.correlate(sc.tensor("x", (6, 6)), sc.tensor("k", (3, 3)))[:3, :3]
    assert (y == as_sympy(shifted)) is False
    # while the unshifted hand sum is equal (so the comparison itself is not always False)
    check(y, ref_signal(x, k)[:3, :3])


def test_flipped_only_on_one_axis_is_not_convolution():
    x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    assert (sc.convolve(x, k) == sc.correlate(x, sc.flip(k, axes=0))) is False
    assert (sc.convolve(x, k) == sc.correlate(x, sc.flip(k, axes=1))) is False
