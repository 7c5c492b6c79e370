"""The compact tracer (symconv/tracer/): NumPy code run on term tables gives exactly the tables the SymPy path gives.

Every case is checked three ways: the compact trace equals the trace on SymPy object arrays table for
table (same space, keys and coefficients); both equal what NumPy itself computes on random integer
inputs (an independent reference: the code run on numbers); and, where a case names one, the operation
symconv builds from its definition.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest

import symconv as sc
from symconv import tracer
from symconv.trace import TraceError

from . import test_identify_table as table
from .test_trace_probe import hand_im2col, loops_flip, loops_no_flip, off_by_one, strided

T = sc.tensor


def _same_tables(a: sc.SymArray, b: sc.SymArray):
    ta, tb = a.terms, b.terms
    assert ta.shape == tb.shape and ta.space == tb.space and ta.degree == tb.degree
    assert np.array_equal(ta.key, tb.key)
    assert np.array_equal(ta.coefs(), tb.coefs())


def _numeric(fn, shapes, rng):
    """`fn` on random integer arrays (Python integers: exact), and the inputs by tensor name (as trace names them)."""
    args = [rng.integers(-9, 10, s).astype(object) for s in shapes]
    names = ["x", "k", "w", "b"][:len(shapes)]
    return np.asarray(fn(*[a.copy() for a in args]), dtype=object), dict(zip(names, args))  # fn may write into them


def _check(fn, *shapes, ref=None, numeric=True):
    compact = sc.trace(fn, *shapes, engine="compact")
    objects = sc.trace(fn, *shapes, engine="sympy")
    _same_tables(compact, objects)
    if numeric and _names(compact) <= set(["x", "k", "w", "b"][:len(shapes)]):  # no tensor from inside fn
        rng = np.random.default_rng(7)
        for _ in range(2):
            want, values = _numeric(fn, shapes, rng)
            got = sc.evaluate(compact, **{n: v for n, v in values.items() if n in _names(compact)})
            assert np.array_equal(np.asarray(got, dtype=object), want)
    if ref is not None:
        assert compact == ref
    return compact


def _names(arr):
    return {b.label.name for b in arr.terms.space.blocks}


X5, K3 = T("x", (5, 5)), T("k", (3, 3))


# -- the traced-code cases of the suite -----------------------------------------------------------------------
SUITE = [("loops_no_flip", loops_no_flip, ((5, 5), (3, 3)), sc.correlate(X5, K3)),
         ("loops_flip", loops_flip, ((5, 5), (3, 3)), sc.convolve(X5, K3)),
         ("strided", strided, ((5, 5), (3, 3)), sc.correlate(X5, K3, stride=2)),
         ("hand_im2col", hand_im2col, ((5, 5), (3, 3)), sc.correlate(X5, K3)),
         ("off_by_one", off_by_one, ((5, 5), (3, 3)), None),
         ("vdot", np.vdot, ((3, 3), (3, 3)), sc.hadamard_sum(T("x", (3, 3)), T("k", (3, 3)))),
         ("einsum", lambda p, q: np.einsum("ij,ij->", p, q), ((3, 3), (3, 3)), sc.dot_flat(T("x", (3, 3)), T("k", (3, 3)))),
         ("tensordot", np.tensordot, ((3, 3), (3, 3)), sc.hadamard_sum(T("x", (3, 3)), T("k", (3, 3)))),
         ("dot", np.dot, ((3, 3), (3, 3)), sc.matmul(T("x", (3, 3)), T("k", (3, 3)))),
         ("np.convolve", np.convolve, ((6,), (3,)), sc.convolve(T("x", (6,)), T("k", (3,)), "full")),
         ("np.correlate", np.correlate, ((6,), (3,)), sc.correlate(T("x", (6,)), T("k", (3,))))]


def _table_code_cases():
    out = []
    for case in table.CODE + table.NEAR:
        obj, *shapes = case.build()
        if callable(obj) and all(isinstance(s, tuple) for s in shapes):
            try:
                sc.trace(obj, *shapes, engine="sympy")
            except sc.SymconvError:
                continue  # code that needs numbers: probed, not traced
            out.append(pytest.param(obj, tuple(shapes), id=case.id))
    return out


@pytest.mark.parametrize("name, fn, shapes, ref", SUITE, ids=[c[0] for c in SUITE])
def test_suite_cases_give_the_sympy_tables(name, fn, shapes, ref):
    _check(fn, *shapes, ref=ref)


@pytest.mark.parametrize("fn, shapes", _table_code_cases())
def test_identify_table_code_gives_the_sympy_tables(fn, shapes):
    _check(fn, *shapes)


def test_the_identify_table_has_traced_code():
    assert len(_table_code_cases()) >= 20


# -- NumPy as people use it in convolution code -------------------------------------------------------------------
def layer_loop(x, w):  # the benchmark's loop: a channel-summed window per filter and position
    c, h, wd = x.shape
    return np.array([[[np.sum(x[:, i:i + 3, j:j + 3] * w[o]) for j in range(wd - 2)] for i in range(h - 2)]
                     for o in range(w.shape[0])])


def filled_loop(x, w):  # an output array filled entry by entry, with += on entries
    out = np.zeros((w.shape[0], x.shape[1] - 1, x.shape[2] - 1), dtype=object)
    for o in range(w.shape[0]):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                for c in range(x.shape[0]):
                    out[o, i, j] += np.sum(x[c, i:i + 2, j:j + 2] * w[o, c])
    return out


def zeros_like_loop(a, k):  # np.zeros_like of a traced array, then item assignment into it
    out = np.zeros_like(a)[:-1, :-1]
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = a[i, j] * k[0, 0] + a[i + 1, j + 1] * k[1, 1]
    return out


def padded_same(a, k):  # 'same' by hand: np.pad with zeros, then windows
    p = np.pad(a, 1)
    return np.array([[np.sum(p[i:i + 3, j:j + 3] * k) for j in range(a.shape[1])] for i in range(a.shape[0])])


def flipped_kernel(a, k):
    kf = np.flip(k)
    return np.array([[np.sum(a[i:i + 3, j:j + 3] * kf) for j in range(3)] for i in range(3)])


def rot90_kernel(a, k):
    kf = np.rot90(k, 2)
    return np.array([[np.sum(a[i:i + 3, j:j + 3] * kf) for j in range(3)] for i in range(3)])


def sliding_einsum(a, k):
    win = np.lib.stride_tricks.sliding_window_view(a, k.shape)
    return np.einsum("ijuv,uv->ij", win, k)


def im2col_matmul(a, k):
    cols = np.stack([a[i:i + 3, j:j + 3].ravel() for i in range(3) for j in range(3)])
    return (cols @ k.ravel()).reshape(3, 3)


def tensordot_axes(x, w):  # a layer as a tensordot over (channel, tap, tap) per window
    c, h, wd = x.shape
    return np.array([[np.tensordot(w, x[:, i:i + 2, j:j + 2], axes=([1, 2, 3], [0, 1, 2])) for j in range(wd - 1)]
                     for i in range(h - 1)])


def matmul_batched(a, b):
    return np.matmul(a, b)


NUMPY = [
    ("layer_loop", layer_loop, ((2, 5, 5), (2, 2, 3, 3))),
    ("filled_loop", filled_loop, ((2, 4, 4), (3, 2, 2, 2))),
    ("zeros_like_loop", zeros_like_loop, ((3, 3), (2, 2))),
    ("padded_same", padded_same, ((4, 4), (3, 3))),
    ("flipped_kernel", flipped_kernel, ((5, 5), (3, 3))),
    ("rot90_kernel", rot90_kernel, ((5, 5), (3, 3))),
    ("sliding_einsum", sliding_einsum, ((5, 5), (3, 3))),
    ("im2col_matmul", im2col_matmul, ((5, 5), (3, 3))),
    ("tensordot_axes", tensordot_axes, ((2, 4, 4), (3, 2, 2, 2))),
    ("matmul_batched", matmul_batched, ((2, 3, 4), (4, 2))),
    ("matmul_vector", lambda a, b: a @ b, ((4,), (4, 3))),
    ("matmul_broadcast", lambda a, b: a @ b, ((2, 1, 2, 3), (4, 3, 2))),
    ("einsum_ellipsis", lambda a, b: np.einsum("...ij,jk->...ik", a, b), ((2, 2, 3), (3, 2))),
    ("einsum_implicit", lambda a, b: np.einsum("ij,jk", a, b), ((2, 3), (3, 2))),
    ("einsum_diagonal", lambda a, b: np.einsum("ii,i->i", a, b), ((3, 3), (3,))),
    ("einsum_three", lambda a, b: np.einsum("i,ij,j->", b, a, b), ((3, 3), (3,))),
    ("inner", np.inner, ((2, 3), (4, 3))),
    ("outer", np.outer, ((2, 2), (3,))),
    ("np.trace", lambda a, b: np.trace(a @ b.T), ((3, 3), (3, 3))),
    ("sum_axes", lambda a, b: np.sum(a * b, axis=(0, 2), keepdims=True), ((2, 3, 4), (3, 4))),
    ("method_sum", lambda a, b: (a * b).sum(axis=1), ((2, 3), (3,))),
    ("mean", lambda a, b: np.mean(a * b, axis=0), ((3, 2), (2,))),
    ("prod", lambda a, b: np.prod(a + b, axis=1), ((2, 3), (3,))),
    ("power", lambda a, b: a ** 2 * b + np.square(b), ((3,), (3,))),
    ("divide", lambda a, b: (a * b) / 4, ((3,), (3,))),
    ("scalar_loop_power", lambda a, b: sum(a[i] ** 2 * b[i] for i in range(3)), ((3,), (3,))),
    ("subtract_negate", lambda a, b: -(a - b) - 1, ((3,), (3,))),
    ("constant_array", lambda a, b: a * np.array([1, -2, 3]) + b, ((3,), (3,))),
    ("big_integers", lambda a, b: a * np.int64(2**62) * 4 + b, ((2,), (2,))),
    ("transpose_reshape", lambda a, b: (a.T.reshape(-1) * b.ravel()).reshape(2, 3), ((3, 2), (2, 3))),
    ("concatenate", lambda a, b: np.concatenate([a, b, np.array([5])]) * 2, ((2,), (3,))),
    ("stack_vstack", lambda a, b: np.vstack([a, b]) + np.stack([b, a], axis=0), ((3,), (3,))),
    ("pad_modes", lambda a, b: np.pad(a, 1, mode="reflect") + np.pad(b, (1, 2), "edge")[:4, :4]
     + np.pad(a, 1, constant_values=3), ((2, 2), (1, 1))),
    ("roll_swap", lambda a, b: np.roll(a, 1, axis=0) * np.swapaxes(b, 0, 1), ((2, 3), (3, 2))),
    ("tril_diag", lambda a, b: np.tril(a) + np.diag(b), ((3, 3), (3,))),
    ("iterate_rows", lambda a, b: [row @ b for row in a], ((3, 2), (2,))),
    ("asarray_objects", lambda a, b: np.sum(np.asarray(a) * b), ((2, 2), (2, 2))),
    ("object_matrix", lambda a, b: np.array([[a[0, 0], b[1]], [a[1, 1], 2]]) @ b, ((2, 2), (2,))),
    ("setitem_slice", lambda a, b: _set_slice(a, b), ((3, 3), (3,))),
    ("kron_cumsum_diff", lambda a, b: np.sum(np.kron(a, b)) + np.cumsum(b)[-1] + np.diff(b)[0], ((2, 2), (3,))),
    ("fraction_scale", lambda a, b: a * Fraction(1, 3) + b / 6, ((2,), (2,))),
]


def _set_slice(a, b):
    a = a.copy()
    a[1, :] = b
    a[:, 0] = 7
    return a * 2


@pytest.mark.parametrize("name, fn, shapes", NUMPY, ids=[c[0] for c in NUMPY])
def test_numpy_code_gives_the_sympy_tables(name, fn, shapes):
    _check(fn, *shapes, numeric=name not in ("fraction_scale", "divide", "mean"))


def test_the_benchmark_loop_is_the_layer():
    x, w = T("x", (1, 2, 6, 6)), T("k", (3, 2, 3, 3))
    got = sc.trace(lambda a, b: layer_loop(a[0], b)[None], x, w, engine="compact")
    assert got == sc.conv(x, w)


def test_floats_and_complex_constants_match_the_sympy_path():
    _check(lambda a, b: a * 0.5 + b * (1 + 2j), (2,), (2,), numeric=False)
    _check(lambda a, b: a * np.float32(0.1) * b, (2,), (2,), numeric=False)


# -- what the compact tracer refuses, and what trace then does ----------------------------------------------
@pytest.mark.parametrize("code, named", [
    (lambda a, b: np.sin(a), "np.sin"),
    (lambda a, b: np.fft.rfft(a), "np.fft.rfft"),
    (lambda a, b: np.maximum(a, b), "np.maximum"),
    (lambda a, b: np.where(a > 0, a, b), "compares"),
    (lambda a, b: np.greater(a, b), "np.greater is not a polynomial operation"),
    (lambda a, b: a / b, "divides by a symbolic value"),
    (lambda a, b: a.astype(float), "converts to float64"),
    (lambda a, b: np.pad(a, 1, mode="mean"), "mode='mean'"),
    (lambda a, b: a ** b[0], "to a symbolic or array power"),
    (lambda a, b: a[int(b[0])], "converts to int"),
])
def test_unsupported_functions_are_named(code, named):
    with pytest.raises(TraceError, match=named.replace("(", r"\(").replace(".", r"\.").replace("*", r"\*")):
        sc.trace(code, (3,), (3,), engine="compact")


def test_float_output_arrays_are_refused_as_needing_numbers():
    def into_floats(a, k):
        out = np.zeros(2)
        out[0] = a[0] * k[0]
        return out

    with pytest.raises(TraceError, match="converts to float"):
        sc.trace(into_floats, (2,), (2,), engine="compact")


def test_auto_falls_back_to_sympy_objects_for_sympy_calls_on_entries():
    import sympy

    def with_sympy(a, b):
        return np.array([sympy.expand((a[0] + b[0]) ** 2), a[1] * b[1]], dtype=object)

    got = sc.trace(with_sympy, (2,), (2,))
    x, k = T("x", (2,)), T("k", (2,))
    assert got.tolist() == [sympy.expand((x[0] + k[0]) ** 2), x[1] * k[1]]
    with pytest.raises(TraceError):
        sc.trace(with_sympy, (2,), (2,), engine="compact")


def test_auto_keeps_the_compact_message_when_both_fail():
    with pytest.raises(TraceError, match=r"np\.sin is not a polynomial operation"):
        sc.trace(lambda a, b: np.sin(a), (2,), (2,))


def test_engine_is_checked_before_the_code_runs():
    calls = []
    with pytest.raises(sc.SymconvError, match="engine"):
        sc.trace(lambda a, b: calls.append(1), (2,), (2,), engine="numba")
    assert calls == []


def test_scalars_are_light_polynomials_not_sympy():
    seen = []

    def grab(a, b):
        seen.append(a[0, 1] * b[1] + 3)
        return a

    sc.trace(grab, (2, 2), (2,), engine="compact")
    s = seen[0]
    # variables are numbered k[0], k[1], x[0, 0], x[0, 1], ... (tensors in name order): k[1] is 1, x[0, 1] is 3
    assert isinstance(s, tracer.TracedScalar) and s.poly == {(): 3, (1, 3): 1}
    assert repr(s) == "3 + k[1]*x[0, 1]"
    with pytest.raises(tracer.UnsupportedError, match="truth value"):
        bool(s)


def test_identify_reads_the_traced_layer_loop():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = sc.identify(layer_loop, (2, 5, 5), (2, 2, 3, 3))
    # a window of every channel times filter o, no flip, no padding: PyTorch's conv2d, unbatched, 2 -> 2 channels
    assert found.kind == "correlation"
    assert found.params == {"stride": (1, 1), "dilation": (1, 1), "channels": (2, 2), "bias": False}


# -- views: assignments through them change what they view, exactly where NumPy's do ------------------------------
def _row_assign(a, k):
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        row = out[i]  # a view: writing into it writes into out
        for j in range(a.shape[1]):
            row[j] = a[i, j] * k[j]
    return out


def _mutate_input(a, k):
    a.T[0, 1] = k[0]  # a[1, 0] through the transpose
    np.flip(a)[0, 0] = k[1]  # a[-1, -1] through the flip
    return a


def _view_sees_later_writes(a, k):
    v = a[0]
    a[0, 0] = k[0] * 5
    return v * 1


def _reshape_view_and_copy(a, k):
    a.reshape(-1)[0] = k[0]  # contiguous: a view, a[0, 0] changes
    a.T.reshape(-1)[1] = k[1]  # not contiguous: NumPy copies, a is unchanged
    a[[0, 1]][0, 1] = k[1]  # advanced indexing: a copy
    a.ravel()[3] = -a[0, 1]  # a view again
    return a


def _in_place_into_objects(a, k):
    out = np.zeros(a.shape, dtype=object)
    out += a * k[0]
    out[0] += k[1]
    return out


def _in_place_into_traced(a, k):
    out = np.zeros_like(a)
    out += a
    out *= k[0]
    return out


VIEWS = [("row_assign", _row_assign), ("mutate_input", _mutate_input), ("view_sees_later_writes", _view_sees_later_writes),
         ("reshape_view_and_copy", _reshape_view_and_copy), ("in_place_into_objects", _in_place_into_objects),
         ("in_place_into_traced", _in_place_into_traced)]


@pytest.mark.parametrize("name, fn", VIEWS, ids=[v[0] for v in VIEWS])
def test_views_behave_as_numpy_views(name, fn):
    _check(fn, (2, 2), (2,))


def test_read_only_views_refuse_assignment_as_numpy_does():
    def write_broadcast(a, k):
        np.broadcast_to(a, (2, 2))[0, 0] = k[0]
        return a

    with pytest.raises(TraceError, match="read-only"):
        sc.trace(write_broadcast, (2,), (2,), engine="compact")


# -- an independent review's reproducers (each once gave a different table from the SymPy path) ----------------
def _iadd_view(x, k):
    v = x[1:]
    v += k
    return x


def _iadd_alias(x, k):
    y = x
    x += k
    return y


def _imul_row(x, k):
    r = x[0]
    r *= k[0]
    return x


def _full_like_int(x, k):
    return np.full_like(x, 3, dtype=int) * x + k[0]


def _item_flat(x, k):
    return x.item(1) * k + x.item((2, 0))


def _diag_view(x, k):
    d = np.diag(x)
    x[0, 0] = k[0]
    return d * 1


def _einsum_view(x, k):
    t = np.einsum("ij->ji", x)
    t[0, 1] = k[0]
    d = np.einsum("ii->i", x)
    x[1, 1] = k[1]
    return np.concatenate([x.reshape(-1), d])


def _zero_d_view(x, k):
    v = x[0, ...]
    x[0] = k[0]
    return v * 1


def _lower_degree_after_write(x, k):
    a = x * x
    a[:] = k
    return a


def _empty_and_zeroed(x, k):
    return np.concatenate([np.triu(x, 10).reshape(-1), x[[]].reshape(-1), np.diag(x, 5), k])


REVIEW = [("iadd_view", _iadd_view, ((3, 3), (3,))), ("iadd_alias", _iadd_alias, ((3, 3), (3,))),
          ("imul_row", _imul_row, ((3, 3), (3,))), ("full_like_int", _full_like_int, ((3,), (3,))),
          ("item_flat", _item_flat, ((3, 3), (3,))), ("diag_view", _diag_view, ((3, 3), (3,))),
          ("einsum_view", _einsum_view, ((3, 3), (3,))), ("zero_d_view", _zero_d_view, ((3,), (3,))),
          ("lower_degree_after_write", _lower_degree_after_write, ((3, 3), (3, 3))),
          ("empty_and_zeroed", _empty_and_zeroed, ((3, 3), (3,)))]


@pytest.mark.parametrize("name, fn, shapes", REVIEW, ids=[r[0] for r in REVIEW])
def test_review_reproducers_give_the_sympy_tables(name, fn, shapes):
    got = _check(fn, *shapes)
    t = got.terms
    if t.n_terms:  # the stated degree is the true one (equality compares it)
        assert t.degree == int(np.max(np.count_nonzero(t.decode()[1], axis=1)))
    else:
        assert t.degree == 0


def test_lower_degree_tables_compare_equal():
    got = sc.trace(_lower_degree_after_write, (3, 3), (3, 3), engine="compact")
    assert got == T("k", (3, 3)) and sc.equivalent(got, T("k", (3, 3)))


@pytest.mark.parametrize("code", [
    lambda a, b: np.einsum("i->ii", a),  # an output letter twice
    lambda a, b: np.einsum("...i->i", a.reshape(1, 3)) * 0 + np.einsum("...i->i", np.stack([a, b])),  # dropped ellipsis
    lambda a, b: np.einsum("ii->i", a.reshape(1, 3)),  # a diagonal of unequal axes
    lambda a, b: np.tensordot(np.outer(a, b), b, axes=([0, 0], [0, 0])),  # a repeated axis
    lambda a, b: np.mean(a[:0]),  # the mean of nothing
    lambda a, b: abs(a),
])
def test_what_numpy_refuses_is_refused(code):
    with pytest.raises(TraceError):
        sc.trace(code, (3,), (3,), engine="compact")


def test_np_asarray_shares_nothing_silently():
    def write_after_asarray(x, k):
        a = np.asarray(x)
        x[0] = k[0]  # NumPy: a sees it; the compact tracer cannot, so it refuses (auto: SymPy objects)
        return a

    def write_into_asarray(x, k):
        a = np.asarray(x)
        a[0] = k[0]
        return x

    for fn in (write_after_asarray, write_into_asarray):
        with pytest.raises(TraceError):
            sc.trace(fn, (3,), (3,), engine="compact")
        assert sc.trace(fn, (3,), (3,)) == sc.trace(fn, (3,), (3,), engine="sympy")


def test_contractions_over_an_empty_axis_are_zero():
    got = sc.trace(lambda a, b: a[:, :0] @ b[:0], (2, 3), (3, 2), engine="compact")
    assert got.shape == (2, 2) and got.n_terms == 0


# -- memory layout: results laid out as NumPy lays them out, so later views and order='K' agree -----------------------
def _transposed_product_reshaped(x, k):
    a = x.T * 1  # NumPy keeps the transposed layout: a is column-major, so its reshape is a copy
    v = a.reshape(-1)
    v[0] = k[0]
    return a


def _copy_keeps_layout(x, k):
    c = np.copy(x.T)  # order 'K'
    r = c.reshape(-1)
    r[1] = k[1]
    return np.concatenate([c.reshape(-1), c.ravel(order="K"), x.copy(order="F").ravel("K"), (x.T * 2).ravel("K")])


def _zeros_like_transposed(x, k):
    z = np.zeros_like(x.T)  # column-major like x.T
    z[...] = x.T * k[0]
    return z.ravel(order="K")


LAYOUT = [("transposed_product_reshaped", _transposed_product_reshaped), ("copy_keeps_layout", _copy_keeps_layout),
          ("zeros_like_transposed", _zeros_like_transposed)]


@pytest.mark.parametrize("name, fn", LAYOUT, ids=[c[0] for c in LAYOUT])
def test_results_are_laid_out_as_numpy_lays_them_out(name, fn):
    _check(fn, (3, 3), (3,))
