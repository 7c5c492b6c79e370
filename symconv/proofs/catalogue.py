"""The catalogue of named derivations (API.md), general-size, each checked when built.

Each entry is a function building a :class:`Derivation` from definitions and
rewrite steps.  The sizes are symbols; ``derive(name, H=5, ...)`` fixes them.

>>> all(name in CATALOGUE for name in CORE)
True
"""

from __future__ import annotations

from typing import Callable

import sympy
from sympy import Mod, floor

from .. import entries as _entries
from ..entries import ENTRIES
from .concrete import ProofError
from .derivation import Chain, Derivation, Fact
from .kernel import coefficients_vanish
from .rules import same
from .vocab import Context, Iverson, Symmetry, index, sums

CATALOGUE: dict[str, Callable[[], Derivation]] = {}
CORE = _entries.CORE  # the entries API.md fixes, in reading order


#: the sizes of each entry's worked example (its ``-example`` document), declared in :mod:`symconv.entries`
EXAMPLES: dict[str, dict] = {name: dict(e.example) for name, e in ENTRIES.items() if e.example}


def entry(name: str):
    """Register a function returning a :class:`Derivation` as the catalogue entry `name` (declared, with its title,
    sizes and example sizes, in :mod:`symconv.entries`)."""
    if name not in ENTRIES:
        raise KeyError(f"catalogue entry {name!r} is not declared in symconv.entries")

    def register(fn):
        CATALOGUE[name] = fn
        fn.entry_name = name
        return fn

    return register


u, v, c, t, s = (index(n) for n in "uvcts")
p_, q_ = index("p"), index("q")


def _image(ctx, with_channels=False):
    """Sizes ``H, W, k_h, k_w`` (and ``C``), input ``x``, kernel ``k`` and the free output indices."""
    H, W = ctx.size("H", 6), ctx.size("W", 6)
    kh, kw = ctx.size("k_h", 3), ctx.size("k_w", 3)
    ctx.require(H - kh, W - kw)
    i = ctx.free_index("i", 0, H - kh)
    j = ctx.free_index("j", 0, W - kw)
    return H, W, kh, kw, i, j


def _corr(ctx, x, k, kh, kw, i, j, name="corr", latex_name=None):
    return ctx.define(name, (i, j), ((0, x_h(ctx, x) - kh), (0, x_w(ctx, x) - kw)),
                      sums(x[i + u, j + v] * k[u, v], (u, 0, kh - 1), (v, 0, kw - 1)),
                      "definition of cross-correlation (valid part)",
                      latex_name or (lambda a, b: rf"(x \star k)_{{{a},{b}}}"))


def x_h(ctx, x):
    return ctx.tensors[x][-2]


def x_w(ctx, x):
    return ctx.tensors[x][-1]


# -- 1 -----------------------------------------------------------------------------------------
@entry("convolution-is-flipped-correlation")
def convolution_is_flipped_correlation() -> Derivation:
    ctx = Context("convolution-is-flipped-correlation")
    H, W, kh, kw, i, j = _image(ctx)
    x, k = ctx.tensor("x", (H, W)), ctx.tensor("k", (kh, kw), kernel=True)
    conv = ctx.define("conv", (i, j), ((0, H - kh), (0, W - kw)),
                      sums(x[i + kh - 1 - u, j + kw - 1 - v] * k[u, v], (u, 0, kh - 1), (v, 0, kw - 1)),
                      r"definition of convolution, $y_n = \sum_m x_{n-m} k_m$, valid part ($n = (i + k_h - 1, j + k_w - 1)$)",
                      lambda a, b: rf"(x * k)_{{{a},{b}}}")
    kf = ctx.define("kflip", (u, v), ((0, kh - 1), (0, kw - 1)), k[kh - 1 - u, kw - 1 - v],
                    "definition of the flipped kernel (rotated by 180 degrees)",
                    lambda a, b: rf"\tilde{{k}}_{{{a},{b}}}", kernel=True)
    corr = ctx.define("corrflip", (i, j), ((0, H - kh), (0, W - kw)),
                      sums(x[i + u, j + v] * kf[u, v], (u, 0, kh - 1), (v, 0, kw - 1)),
                      r"definition of cross-correlation with $\tilde{k}$",
                      lambda a, b: rf"(x \star \tilde{{k}})_{{{a},{b}}}")
    ch = (Chain(ctx, conv[i, j]).unfold(conv)
          .reindex(u, kh - 1 - u).reindex(v, kw - 1 - v)
          .fold(sums(x[i + u, j + v] * kf[u, v], (u, 0, kh - 1), (v, 0, kw - 1)), kf)
          .fold(corr[i, j], corr))
    return Derivation(
        ch.ctx.name, ENTRIES[ch.ctx.name].title,
        r"Convolving $x$ with $k$ gives the same array as cross-correlating $x$ with the kernel rotated by "
        r"$180^\circ$, $\tilde k_{u,v} = k_{k_h-1-u,\,k_w-1-v}$: $x * k = x \star \tilde k$.", ch,
        library=(lambda H, W, k_h, k_w: _ops().convolve(_t("x", H, W), _t("k", k_h, k_w)),
                 lambda H, W, k_h, k_w: _ops().correlate(_t("x", H, W), _ops().flip(_t("k", k_h, k_w)))),
        conclusion=r"So a CNN library that ``convolves'' by cross-correlating computes a true convolution with the "
                   r"flipped kernel; since the kernel is learned, the flip is absorbed into the weights.")


def _ops():
    import symconv

    return symconv


def _t(name, *shape):
    return _ops().tensor(name, tuple(shape))


# -- 2 -----------------------------------------------------------------------------------------
@entry("correlation-is-windowed-hadamard-sum")
def correlation_is_windowed_hadamard_sum() -> Derivation:
    ctx = Context("correlation-is-windowed-hadamard-sum")
    H, W, kh, kw, i, j = _image(ctx)
    x, k = ctx.tensor("x", (H, W)), ctx.tensor("k", (kh, kw), kernel=True)
    corr = _corr(ctx, x, k, kh, kw, i, j)
    win = ctx.define("win", (i, j, u, v), ((0, H - kh), (0, W - kw), (0, kh - 1), (0, kw - 1)), x[i + u, j + v],
                     r"definition of the window $X^{(i,j)}$ (receptive field) at output $(i,j)$",
                     lambda a, b, cc, d: rf"X^{{({a},{b})}}_{{{cc},{d}}}")
    had = ctx.define("had", (i, j, u, v), ((0, H - kh), (0, W - kw), (0, kh - 1), (0, kw - 1)), win[i, j, u, v] * k[u, v],
                     r"definition of the element-wise (Hadamard) product $\odot$",
                     lambda a, b, cc, d: rf"(X^{{({a},{b})}} \odot k)_{{{cc},{d}}}")
    fro = ctx.define("frob", (i, j), ((0, H - kh), (0, W - kw)), sums(had[i, j, u, v], (u, 0, kh - 1), (v, 0, kw - 1)),
                     "definition of the sum of all entries of the element-wise product",
                     lambda a, b: rf"\operatorname{{sum}}(X^{{({a},{b})}} \odot k)")
    ch = (Chain(ctx, corr[i, j]).unfold(corr)
          .fold(sums(win[i, j, u, v] * k[u, v], (u, 0, kh - 1), (v, 0, kw - 1)), win)
          .fold(sums(had[i, j, u, v], (u, 0, kh - 1), (v, 0, kw - 1)), had)
          .fold(fro[i, j], fro))
    return Derivation(
        ch.ctx.name, ENTRIES[ch.ctx.name].title,
        r"Each entry of $x \star k$ is the sum of the entries of the element-wise product of the kernel with the "
        r"window of $x$ under it: $(x \star k)_{i,j} = \operatorname{sum}(X^{(i,j)} \odot k)$.", ch,
        library=(lambda H, W, k_h, k_w: _ops().correlate(_t("x", H, W), _t("k", k_h, k_w)),
                 lambda H, W, k_h, k_w: _window_sums(_t("x", H, W), _t("k", k_h, k_w), _ops().hadamard_sum)),
        conclusion=r"This is the computation of the deeplearning.ai example ($1 \cdot 1 + 1 \cdot 0 + \dots = 4$).")


def _window_sums(x, k, form):
    """``form(window, k)`` at every output position, as one array (built from ``symconv.windows``)."""
    sc = _ops()
    wins = sc.windows(x, k.shape[-2:])
    rows = [[form(wins[a, b], k)[()] for b in range(wins.shape[1])] for a in range(wins.shape[0])]
    return sympy.Array(rows)


# -- 3 -----------------------------------------------------------------------------------------
@entry("hadamard-sum-is-flattened-dot")
def hadamard_sum_is_flattened_dot() -> Derivation:
    ctx = Context("hadamard-sum-is-flattened-dot")
    m, n = ctx.size("m", 4), ctx.size("n", 4)
    a, b = ctx.tensor("a", (m, n)), ctx.tensor("b", (m, n))
    fro = ctx.define("frob", (), (), sums(a[u, v] * b[u, v], (u, 0, m - 1), (v, 0, n - 1)),
                     "definition of the sum of element-wise products", r"\operatorname{sum}(a \odot b)")
    va = ctx.define("veca", (t,), ((0, m * n - 1),), a[floor(t / n), Mod(t, n)],
                    r"definition of $\operatorname{vec}$ (row-major flattening)", lambda e: rf"\operatorname{{vec}}(a)_{{{e}}}")
    vb = ctx.define("vecb", (t,), ((0, m * n - 1),), b[floor(t / n), Mod(t, n)],
                    r"definition of $\operatorname{vec}$ (row-major flattening)", lambda e: rf"\operatorname{{vec}}(b)_{{{e}}}")
    dot = ctx.define("dot", (), (), sums(va[t] * vb[t], (t, 0, m * n - 1)), "definition of the dot product",
                     r"\operatorname{vec}(a) \cdot \operatorname{vec}(b)")
    ch = Chain(ctx, fro).unfold(fro)
    return _scalar_chain(ctx, ch, fro, dot, va, vb, m, n)


def _scalar_chain(ctx, ch, fro, dot, va, vb, m, n) -> Derivation:
    ch = (ch.flatten(u, v, t)
          .fold(sums(va[t] * vb[t], (t, 0, m * n - 1)), va, vb)
          .fold(dot, dot))
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For $a, b$ of the same shape $m \times n$, $\operatorname{sum}(a \odot b) = "
        r"\operatorname{vec}(a) \cdot \operatorname{vec}(b)$: the ``sum of element-wise products'' and the "
        r"``dot product'' of the textbooks are the same number.", ch,
        library=(lambda m, n: _ops().hadamard_sum(_t("a", m, n), _t("b", m, n)),
                 lambda m, n: _ops().dot_flat(_t("a", m, n), _t("b", m, n))),
        conclusion=r"The dot product is taken between the \emph{flattened} arrays; \texttt{np.dot} of the two "
                   r"matrices is something else (see \texttt{matrix-product-is-not-hadamard-sum}).")


# -- 4 -----------------------------------------------------------------------------------------
@entry("correlation-is-im2col-matmul")
def correlation_is_im2col_matmul() -> Derivation:
    ctx = Context("correlation-is-im2col-matmul")
    H, W, kh, kw, i, j = _image(ctx)
    x, k = ctx.tensor("x", (H, W)), ctx.tensor("k", (kh, kw), kernel=True)
    corr = _corr(ctx, x, k, kh, kw, i, j)
    n = kh * kw
    X = ctx.define("im2col", (i, j, c), ((0, H - kh), (0, W - kw), (0, n - 1)), x[i + floor(c / kw), j + Mod(c, kw)],
                   r"definition of im2col: row $(i,j)$ is the window at $(i,j)$, flattened row-major",
                   lambda a, b, e: rf"X_{{({a},{b}),\,{e}}}")
    kv = ctx.define("veck", (c,), ((0, n - 1),), k[floor(c / kw), Mod(c, kw)],
                    r"definition of $\operatorname{vec}$ (row-major flattening)",
                    lambda e: rf"\operatorname{{vec}}(k)_{{{e}}}", kernel=True)
    mv = ctx.define("matvec", (i, j), ((0, H - kh), (0, W - kw)), sums(X[i, j, c] * kv[c], (c, 0, n - 1)),
                    "definition of the matrix-vector product (rows numbered $(i,j)$ row-major)",
                    lambda a, b: rf"(X \operatorname{{vec}}(k))_{{({a},{b})}}")
    ch = (Chain(ctx, corr[i, j]).unfold(corr).flatten(u, v, c)
          .fold(sums(X[i, j, c] * k[floor(c / kw), Mod(c, kw)], (c, 0, n - 1)), X)
          .fold(sums(X[i, j, c] * kv[c], (c, 0, n - 1)), kv)
          .fold(mv[i, j], mv))
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"Stack the windows of $x$ as the rows of a matrix $X$ (im2col, one row per output position, row-major); then "
        r"$(x \star k)_{i,j} = (X \operatorname{vec}(k))_{(i,j)}$: the whole correlation is one matrix-vector product, "
        r"and with several filters as columns, one matrix-matrix product.", ch,
        library=(lambda H, W, k_h, k_w: _ops().correlate(_t("x", H, W), _t("k", k_h, k_w)),
                 lambda H, W, k_h, k_w: _ops().im2col_matmul(_t("x", H, W), _t("k", k_h, k_w))),
        conclusion=r"This is the \texttt{np.dot(W\_row, X\_col)} of the cs231n notes: every entry of the product "
                   r"is the dot product of one flattened filter with one flattened receptive field.")


# -- 5 -----------------------------------------------------------------------------------------
def _layer_sizes(ctx):
    C = ctx.size("C", 3)
    H, W, kh, kw, i, j = _image(ctx)
    return C, H, W, kh, kw, i, j


@entry("depth-is-a-dot-product")
def depth_is_a_dot_product() -> Derivation:
    ctx = Context("depth-is-a-dot-product")
    C, H, W, kh, kw, i, j = _layer_sizes(ctx)
    ch_ = index("c")
    x, w = ctx.tensor("x", (C, H, W)), ctx.tensor("w", (C, kh, kw), kernel=True)
    y = ctx.define("layer", (i, j), ((0, H - kh), (0, W - kw)),
                   sums(x[ch_, i + u, j + v] * w[ch_, u, v], (ch_, 0, C - 1), (u, 0, kh - 1), (v, 0, kw - 1)),
                   "definition of a convolution layer (one filter, all channels)", lambda a, b: rf"y_{{{a},{b}}}")
    n = C * kh * kw
    body_x = x[floor(t / (kh * kw)), i + floor(Mod(t, kh * kw) / kw), j + Mod(Mod(t, kh * kw), kw)]
    r = ctx.define("field", (i, j, t), ((0, H - kh), (0, W - kw), (0, n - 1)), body_x,
                   r"definition of the flattened receptive field $r^{(i,j)}$ (channel, row, column)",
                   lambda a, b, e: rf"r^{{({a},{b})}}_{{{e}}}")
    wv = ctx.define("vecw", (t,), ((0, n - 1),), w[floor(t / (kh * kw)), floor(Mod(t, kh * kw) / kw), Mod(Mod(t, kh * kw), kw)],
                    r"definition of $\operatorname{vec}(w)$ (row-major)", lambda e: rf"\operatorname{{vec}}(w)_{{{e}}}", kernel=True)
    dot = ctx.define("dotr", (i, j), ((0, H - kh), (0, W - kw)), sums(r[i, j, t] * wv[t], (t, 0, n - 1)),
                     "definition of the dot product", lambda a, b: rf"r^{{({a},{b})}} \cdot \operatorname{{vec}}(w)")
    ch = (Chain(ctx, y[i, j]).unfold(y).flatten(u, v, s).flatten(ch_, s, t)
          .fold(sums(r[i, j, t] * wv[t], (t, 0, n - 1)), r, wv)
          .fold(dot[i, j], dot))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For an input with $C$ channels and a $C \times k_h \times k_w$ filter, each output is the dot product of the "
        r"flattened $C \times k_h \times k_w$ receptive field with the flattened filter: the channel sum is part of "
        r"the same dot product.", ch,
        library=(lambda C, H, W, k_h, k_w: sc().conv(_t("x", C, H, W), _t("w", C, k_h, k_w).reshape(1, C, k_h, k_w))[0],
                 lambda C, H, W, k_h, k_w: _window_sums(_t("x", C, H, W), _t("w", C, k_h, k_w), sc().dot_flat)),
        conclusion=r"So ``dot product'' (of flattened tensors) and ``sum of element-wise products'' (over the "
                   r"whole $C \times k_h \times k_w$ block) are two names for the same number.")


# -- 6 -----------------------------------------------------------------------------------------
@entry("one-by-one-conv-is-channel-matmul")
def one_by_one_conv_is_channel_matmul() -> Derivation:
    ctx = Context("one-by-one-conv-is-channel-matmul")
    C, O = ctx.size("C", 3), ctx.size("O", 3)
    H, W = ctx.size("H", 4), ctx.size("W", 4)
    o = ctx.free_index("o", 0, O - 1)
    i = ctx.free_index("i", 0, H - 1)
    j = ctx.free_index("j", 0, W - 1)
    ch_ = index("c")
    x, w = ctx.tensor("x", (C, H, W)), ctx.tensor("w", (O, C, 1, 1), kernel=True)
    y = ctx.define("layer", (o, i, j), ((0, O - 1), (0, H - 1), (0, W - 1)),
                   sums(x[ch_, i + u, j + v] * w[o, ch_, u, v], (ch_, 0, C - 1), (u, 0, 0), (v, 0, 0)),
                   r"definition of a convolution layer with $1 \times 1$ kernels", lambda a, b, e: rf"y_{{{a},{b},{e}}}")
    M = ctx.define("wmat", (o, ch_), ((0, O - 1), (0, C - 1)), w[o, ch_, 0, 0],
                   r"definition of the weight matrix $M$ ($O \times C$)", lambda a, b: rf"M_{{{a},{b}}}", kernel=True)
    Xr = ctx.define("xmat", (ch_, i, j), ((0, C - 1), (0, H - 1), (0, W - 1)), x[ch_, i, j],
                    r"definition of $\hat{X}$: $x$ reshaped to $C \times HW$, column $(i,j)$ row-major",
                    lambda a, b, e: rf"\hat{{X}}_{{{a},({b},{e})}}")
    mm = ctx.define("matmul", (o, i, j), ((0, O - 1), (0, H - 1), (0, W - 1)), sums(M[o, ch_] * Xr[ch_, i, j], (ch_, 0, C - 1)),
                    "definition of the matrix product", lambda a, b, e: rf"(M \hat{{X}})_{{{a},({b},{e})}}")
    ch = (Chain(ctx, y[o, i, j]).unfold(y).single(u).single(v)
          .fold(sums(x[ch_, i, j] * M[o, ch_], (ch_, 0, C - 1)), M)
          .fold(sums(Xr[ch_, i, j] * M[o, ch_], (ch_, 0, C - 1)), Xr)
          .fold(mm[o, i, j], mm))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"A layer with $1 \times 1$ kernels mixes channels only: with $M_{o,c} = w_{o,c,0,0}$ and $x$ reshaped to a "
        r"$C \times HW$ matrix $\hat X$, $y = M \hat X$ (reshaped to $O \times H \times W$).", ch,
        library=(lambda C, O, H, W: sc().conv(_t("x", C, H, W), _t("w", O, C, 1, 1)),
                 lambda C, O, H, W: sc().matmul(_t("w", O, C, 1, 1).reshape(O, C), _t("x", C, H, W).reshape(C, H * W)).reshape(O, H, W)),
        conclusion=r"At each pixel the output vector is $M$ times the vector of channel values: a dot product along the depth.")


# -- 7 -----------------------------------------------------------------------------------------
@entry("fully-connected-is-whole-input-conv")
def fully_connected_is_whole_input_conv() -> Derivation:
    ctx = Context("fully-connected-is-whole-input-conv")
    C, O = ctx.size("C", 3), ctx.size("O", 3)
    H, W = ctx.size("H", 3), ctx.size("W", 3)
    o = ctx.free_index("o", 0, O - 1)
    ch_ = index("c")
    x, w = ctx.tensor("x", (C, H, W)), ctx.tensor("w", (O, C, H, W), kernel=True)
    y = ctx.define("layer", (o,), ((0, O - 1),),
                   sums(x[ch_, u, v] * w[o, ch_, u, v], (ch_, 0, C - 1), (u, 0, H - 1), (v, 0, W - 1)),
                   r"definition of a convolution layer whose kernel covers the whole input (output $1 \times 1$)",
                   lambda a: rf"y_{{{a},0,0}}")
    n = C * H * W
    xv = ctx.define("vecx", (t,), ((0, n - 1),), x[floor(t / (H * W)), floor(Mod(t, H * W) / W), Mod(Mod(t, H * W), W)],
                    r"definition of $\operatorname{vec}(x)$ (row-major)", lambda e: rf"\operatorname{{vec}}(x)_{{{e}}}")
    M = ctx.define("fc", (o, t), ((0, O - 1), (0, n - 1)), w[o, floor(t / (H * W)), floor(Mod(t, H * W) / W), Mod(Mod(t, H * W), W)],
                   r"definition of the fully connected weight matrix: row $o$ is filter $o$ flattened",
                   lambda a, e: rf"M_{{{a},{e}}}", kernel=True)
    mv = ctx.define("fcout", (o,), ((0, O - 1),), sums(M[o, t] * xv[t], (t, 0, n - 1)),
                    r"definition of the matrix-vector product (a fully connected layer)",
                    lambda a: rf"(M \operatorname{{vec}}(x))_{{{a}}}")
    ch = (Chain(ctx, y[o]).unfold(y).flatten(u, v, s).flatten(ch_, s, t)
          .fold(sums(xv[t] * M[o, t], (t, 0, n - 1)), xv, M)
          .fold(mv[o], mv))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"A convolution layer whose kernels are as large as the input ($k_h = H$, $k_w = W$) has a $1 \times 1$ "
        r"output, and output $o$ is row $o$ of $M \operatorname{vec}(x)$ where row $o$ of $M$ is filter $o$ flattened: "
        r"a fully connected layer.", ch,
        library=(lambda C, O, H, W: sc().conv(_t("x", C, H, W), _t("w", O, C, H, W)).reshape(O),
                 lambda C, O, H, W: sc().matmul(_t("w", O, C, H, W).reshape(O, C * H * W), _t("x", C, H, W).reshape(C * H * W, 1)).reshape(O)),
        conclusion=r"This is the ``dot product of the input and weight vectors'' of the textbooks: it describes a "
                   r"fully connected layer, and a convolution is the same operation applied to each window.")


# -- 8 -----------------------------------------------------------------------------------------
@entry("correlation-is-toeplitz-matvec")
def correlation_is_toeplitz_matvec() -> Derivation:
    ctx = Context("correlation-is-toeplitz-matvec")
    H, W, kh, kw, i, j = _image(ctx)
    x, k = ctx.tensor("x", (H, W)), ctx.tensor("k", (kh, kw), kernel=True)
    corr = _corr(ctx, x, k, kh, kw, i, j)
    pp, qq = floor(s / W), Mod(s, W)
    T = ctx.define("toeplitz", (i, j, s), ((0, H - kh), (0, W - kw), (0, H * W - 1)),
                   Iverson(0, pp - i, kh - 1) * Iverson(0, qq - j, kw - 1) * k[pp - i, qq - j],
                   r"definition of the (doubly block) Toeplitz matrix $T$: $k$ placed at the window of row $(i,j)$",
                   lambda a, b, e: rf"T_{{({a},{b}),\,{e}}}", kernel=True)
    xv = ctx.define("vecx", (s,), ((0, H * W - 1),), x[pp, qq], r"definition of $\operatorname{vec}(x)$ (row-major)",
                    lambda e: rf"\operatorname{{vec}}(x)_{{{e}}}")
    mv = ctx.define("tmv", (i, j), ((0, H - kh), (0, W - kw)), sums(T[i, j, s] * xv[s], (s, 0, H * W - 1)),
                    "definition of the matrix-vector product", lambda a, b: rf"(T \operatorname{{vec}}(x))_{{({a},{b})}}")
    ch = (Chain(ctx, corr[i, j]).unfold(corr)
          .reindex(v, q_ - j, q_).reindex(u, p_ - i, p_)
          .extend(q_, 0, W - 1, shift=j).extend(p_, 0, H - 1, shift=i)
          .flatten(p_, q_, s)
          .fold(sums(T[i, j, s] * x[pp, qq], (s, 0, H * W - 1)), T)
          .fold(sums(T[i, j, s] * xv[s], (s, 0, H * W - 1)), xv)
          .fold(mv[i, j], mv))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"$\operatorname{vec}(x \star k) = T \operatorname{vec}(x)$, where row $(i,j)$ of $T$ holds the kernel at the "
        r"positions of the window at $(i,j)$ and zeros elsewhere (a doubly block Toeplitz matrix).", ch,
        library=(lambda H, W, k_h, k_w: sc().correlate(_t("x", H, W), _t("k", k_h, k_w)),
                 lambda H, W, k_h, k_w: sc().matmul(sc().toeplitz(_t("k", k_h, k_w), (H, W)), _t("x", H, W).reshape(H * W, 1))
                 .reshape(H - k_h + 1, W - k_w + 1)),
        conclusion=r"So a convolution layer is a linear map of its input, with a sparse, structured matrix.")


# -- 9 -----------------------------------------------------------------------------------------
@entry("convolution-equals-correlation-iff-centrosymmetric")
def convolution_equals_correlation_iff_centrosymmetric() -> Derivation:
    ctx = Context("convolution-equals-correlation-iff-centrosymmetric")
    H, W, kh, kw, i, j = _image(ctx)
    x, k = ctx.tensor("x", (H, W)), ctx.tensor("k", (kh, kw), kernel=True)
    conv = ctx.define("conv", (i, j), ((0, H - kh), (0, W - kw)),
                      sums(x[i + kh - 1 - u, j + kw - 1 - v] * k[u, v], (u, 0, kh - 1), (v, 0, kw - 1)),
                      r"definitions of convolution and cross-correlation (valid part)", lambda a, b: rf"(x * k)_{{{a},{b}}}")
    corr = _corr(ctx, x, k, kh, kw, i, j)
    hyp = Symmetry(k, (u, v), (kh - 1 - u, kw - 1 - v), "k")
    diff = sums(x[i + u, j + v] * (k[kh - 1 - u, kw - 1 - v] - k[u, v]), (u, 0, kh - 1), (v, 0, kw - 1))
    ch = (Chain(ctx, conv[i, j] - corr[i, j]).unfold(conv, corr)
          .reindex(u, kh - 1 - u, which=k[u, v] * x[i + kh - 1 - u, j + kw - 1 - v])
          .reindex(v, kw - 1 - v, which=k[kh - 1 - u, v] * x[i + u, j + kw - 1 - v]).merge()
          .algebra(diff, "collect the two terms of each summand")
          .assume(hyp).substitute(hyp, k[kh - 1 - u, kw - 1 - v], k[u, v]).zero())
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"$x * k = x \star k$ for every input $x$ if and only if the kernel is centro-symmetric: "
        r"$k_{k_h-1-u,\,k_w-1-v} = k_{u,v}$ for all $u, v$.", ch, kind="condition", hypotheses=(hyp,),
        library=(lambda H, W, k_h, k_w: _ops().convolve(_t("x", H, W), _t("k", k_h, k_w))
                 - _ops().correlate(_t("x", H, W), _t("k", k_h, k_w)), None),
        facts=[Fact(r"($\Leftarrow$) the chain above: under the hypothesis the difference is $0$.",
                    "each step accepted by the kernel under the hypothesis", lambda **sz: None,
                    proof=lambda d: []),
               Fact(r"($\Rightarrow$) before the hypothesis is used, the difference is "
                    r"$\sum_{u,v} x_{i+u,j+v}\,(k_{k_h-1-u,k_w-1-v} - k_{u,v})$; for fixed $(i,j)$ the "
                    r"$x_{i+u,j+v}$ are distinct variables ($(u,v) \mapsto (i+u, j+v)$ is injective), so the "
                    r"difference vanishes for every $x$ only if every coefficient does: the hypothesis is necessary.",
                    r"the coefficient-comparison lemma, its injectivity decided for every size by the kernel; also "
                    r"checked by solving $x * k \equiv x \star k$ for $k$ exactly (\texttt{symconv.conditions}) at "
                    r"the sampled sizes", _check_centrosymmetric, proof=_necessary(diff, x, k, kh, kw))],
        conclusion=r"Hence the difference vanishes for all $x$ exactly when $k$ equals its $180^\circ$ rotation; "
                   r"for any other kernel the two operations are different functions.")


def _necessary(diff, x, k, kh, kw):
    """The => half for every size: the chain shows conv - corr = `diff` without the hypothesis; the kernel's
    coefficient lemma turns "diff = 0 for every x" into "each coefficient is 0", which must be the hypothesis."""
    def proof(d):
        values = {s: d.sizes[s.name] for s in d.ctx.sizes} if d.sizes else {}  # at concrete sizes, those
        target = diff.xreplace(values)
        before = next((s.expr for s in d.steps if not s.assumes and same(s.expr, target)), None)
        if before is None:
            raise ProofError("no step before the hypothesis gives the difference as a sum of coefficients")
        coef, limits, decisions = coefficients_vanish(before, x, d.ctx)
        (u_, _, _), (v_, _, _) = limits
        wanted = (k[kh - 1 - u_, kw - 1 - v_] - k[u_, v_]).xreplace(values)
        if sympy.expand(coef - wanted) != 0:
            raise ProofError(f"the coefficient {coef} is not the centro-symmetry equation")
        return decisions
    return proof


def _check_centrosymmetric(**sizes) -> None:
    sc = _ops()
    H, W, kh, kw = sizes["H"], sizes["W"], sizes["k_h"], sizes["k_w"]
    x, k = _t("x", H, W), _t("k", kh, kw)
    got = sc.conditions(sc.convolve(x, k), sc.correlate(x, k), over=k)
    K = sympy.IndexedBase(sympy.Symbol("k", real=True))
    wanted = {frozenset({K[a, b], K[kh - 1 - a, kw - 1 - b]}) for a in range(kh) for b in range(kw)
              if (a, b) != (kh - 1 - a, kw - 1 - b)}
    solution = {eq.lhs: eq.rhs for eq in got} if got is not False else None
    if solution is None:
        raise ProofError(f"conditions() found no kernel at sizes {sizes}")
    for pair in wanted:  # each centro-symmetry equation follows from the solved conditions ...
        a, b = tuple(pair)
        if sympy.expand(a.xreplace(solution) - b.xreplace(solution)) != 0:
            raise ProofError(f"{a} = {b} does not follow from conditions() at {sizes}")
    rep = {K[a, b]: K[min((a, b), (kh - 1 - a, kw - 1 - b))] for a in range(kh) for b in range(kw)}
    for eq in got:  # ... and each solved condition follows from centro-symmetry
        if sympy.expand(eq.lhs.xreplace(rep) - eq.rhs.xreplace(rep)) != 0:
            raise ProofError(f"{eq} is not implied by centro-symmetry at {sizes}")


# -- 10 ----------------------------------------------------------------------------------------
SEED_A = ((1, 1, 1), (0, 1, 1), (0, 0, 1))
SEED_B = ((1, 0, 1), (0, 1, 0), (1, 0, 1))


@entry("matrix-product-is-not-hadamard-sum")
def matrix_product_is_not_hadamard_sum() -> Derivation:
    ctx = Context("matrix-product-is-not-hadamard-sum")
    n = ctx.size("n", 4)
    A, B = ctx.tensor("A", (n, n)), ctx.tensor("B", (n, n), kernel=True)
    fro = ctx.define("frob", (), (), sums(A[u, v] * B[u, v], (u, 0, n - 1), (v, 0, n - 1)),
                     "definition of the sum of element-wise products", r"\operatorname{sum}(A \odot B)")
    At = ctx.define("At", (v, u), ((0, n - 1), (0, n - 1)), A[u, v], "definition of the transpose",
                    lambda a, b: rf"(A^{{\mathsf{{T}}}})_{{{a},{b}}}")
    prod_ = ctx.define("AtB", (v, t), ((0, n - 1), (0, n - 1)), sums(At[v, u] * B[u, t], (u, 0, n - 1)),
                       "definition of the matrix product", lambda a, b: rf"(A^{{\mathsf{{T}}}} B)_{{{a},{b}}}")
    tr = ctx.define("trace", (), (), sums(prod_[v, v], (v, 0, n - 1)), "definition of the trace",
                    r"\operatorname{tr}(A^{\mathsf{T}} B)")
    ch = (Chain(ctx, fro).unfold(fro).swap(u, v)
          .fold(sums(At[v, u] * B[u, v], (v, 0, n - 1), (u, 0, n - 1)), At)
          .fold(sums(prod_[v, v], (v, 0, n - 1)), prod_)
          .fold(tr, tr))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For $n \times n$ matrices, the matrix product $AB$ (what \texttt{np.dot} computes) is an $n \times n$ "
        r"matrix with $(AB)_{i,j} = \sum_t A_{i,t} B_{t,j}$, while the sum of element-wise products is one number. "
        r"The chain shows what that number is: $\operatorname{sum}(A \odot B) = \operatorname{tr}(A^{\mathsf{T}} B)$, "
        r"the trace of a \emph{different} product.", ch, kind="disproof",
        facts=[Fact(r"With the seed's $A = \begin{bmatrix}1&1&1\\0&1&1\\0&0&1\end{bmatrix}$ and "
                    r"$B = \begin{bmatrix}1&0&1\\0&1&0\\1&0&1\end{bmatrix}$: "
                    r"$AB = \begin{bmatrix}2&1&2\\1&1&1\\1&0&1\end{bmatrix}$ but $\operatorname{sum}(A \odot B) = 4$.",
                    r"computed with \texttt{symconv.matmul} and \texttt{symconv.hadamard\_sum}", _check_seed_witness,
                    fixed=True),
               Fact(r"Not even a summary of $AB$ recovers it: the sum of the entries of $AB$ is $10 \ne 4$, "
                    r"and $\operatorname{tr}(AB) = 4$ here only by accident ($AB \ne A^{\mathsf{T}} B$ in general).",
                    r"decided exactly with \texttt{symconv.equivalent} on symbolic $A$, $B$ (a witness)", _check_not_equivalent,
                    fixed=True)],
        library=(lambda n: sc().hadamard_sum(_t("A", n, n), _t("B", n, n)),
                 lambda n: sc().hadamard_sum(sc().matmul(sympy.Matrix(_t("A", n, n).tolist()).T, _t("B", n, n)), _identity(n))),
        conclusion=r"So the sum of element-wise products is $\operatorname{tr}(A^{\mathsf{T}}B)$, never the matrix "
                   r"$AB$ itself: \texttt{np.dot(A, B)} answers a different question.")


def _identity(n):
    return sympy.Array([[1 if a == b else 0 for b in range(n)] for a in range(n)])


def _check_seed_witness(**sizes) -> None:
    sc = _ops()
    product, had = sc.matmul(sympy.Array(SEED_A), sympy.Array(SEED_B)), sc.hadamard_sum(sympy.Array(SEED_A), sympy.Array(SEED_B))
    if product.tolist() != [[2, 1, 2], [1, 1, 1], [1, 0, 1]] or had[()] != 4:
        raise ProofError(f"the seed's witness does not hold: AB = {product.tolist()}, sum(A*B) = {had[()]}")


def _check_not_equivalent(**sizes) -> None:
    sc = _ops()
    n = sizes["n"]
    a, b = _t("A", n, n), _t("B", n, n)
    if sc.equivalent(sc.matmul(a, b), sc.hadamard_sum(a, b)):
        raise ProofError(f"matmul and hadamard_sum agree at n={n}")
    total = sympy.Add(*[sc.matmul(a, b)[r, q] for r in range(n) for q in range(n)])
    trace = sympy.Add(*[sc.matmul(a, b)[r, r] for r in range(n)])
    if n > 1 and (sc.equivalent(sympy.Array(total), sc.hadamard_sum(a, b)) or sc.equivalent(sympy.Array(trace), sc.hadamard_sum(a, b))):
        raise ProofError(f"a summary of AB equals sum(A*B) at n={n}")


# -- beyond the API list: the algebra people get wrong ------------------------------------------
@entry("strided-correlation-is-decimated")
def strided_correlation_is_decimated() -> Derivation:
    ctx = Context("strided-correlation-is-decimated")
    N, K, S = ctx.size("N", 9), ctx.size("K", 3), ctx.size("S", 3)
    ctx.require(N - K)
    i = ctx.free_index("i", 0, floor((N - K) / S))
    n = index("n")
    x, k = ctx.tensor("x", (N,)), ctx.tensor("k", (K,), kernel=True)
    strided = ctx.define("strided", (i,), ((0, floor((N - K) / S)),), sums(x[S * i + u] * k[u], (u, 0, K - 1)),
                         r"definition of correlation with stride $S$", lambda a: rf"(x \star_S k)_{{{a}}}")
    corr = ctx.define("corr1", (n,), ((0, N - K),), sums(x[n + u] * k[u], (u, 0, K - 1)),
                      "definition of (unit-stride) correlation", lambda a: rf"(x \star k)_{{{a}}}")
    ch = Chain(ctx, strided[i]).unfold(strided).fold(corr[S * i], corr)
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"Output $i$ of a correlation with stride $S$ is output $S i$ of the unit-stride correlation: striding "
        r"computes the same sums and keeps every $S$-th, starting at the first.", ch,
        library=(lambda N, K, S: sc().correlate(_t("x", N), _t("k", K), stride=S),
                 lambda N, K, S: sc().correlate(_t("x", N), _t("k", K))[::S]),
        conclusion=r"So stride changes which outputs are kept, never what each output is.")


# -- full (zero-extended) convolution and correlation: commutativity, and its failure --------------
def _signal_pair(ctx, lo_name="N", hi_name="K"):
    N, K = ctx.size(lo_name, 5), ctx.size(hi_name, 3)
    return N, K


@entry("convolution-is-commutative")
def convolution_is_commutative() -> Derivation:
    ctx = Context("convolution-is-commutative")
    N, K = _signal_pair(ctx)
    n, m = index("n"), index("m")
    x, h = ctx.tensor("x", (N,)), ctx.tensor("h", (K,), kernel=True)
    xh = ctx.define("convxh", (n,), ((0, N + K - 2),), sums(Iverson(0, n - m, K - 1) * x[m] * h[n - m], (m, 0, N - 1)),
                    "definition of full convolution (each sequence zero outside its support)",
                    lambda a: rf"(x * h)_{{{a}}}")
    hx = ctx.define("convhx", (n,), ((0, N + K - 2),), sums(Iverson(0, n - m, N - 1) * h[m] * x[n - m], (m, 0, K - 1)),
                    "the same definition, the arguments swapped", lambda a: rf"(h * x)_{{{a}}}")
    n = ctx.free_index("n", 0, N + K - 2)
    ch = (Chain(ctx, xh[n]).unfold(xh).reindex(m, n - m)
          .exchange(m, n - m)
          .fold(hx[n], hx))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For sequences $x$ of length $N$ and $h$ of length $K$, each zero outside its support, the full "
        r"convolution does not depend on the order of its arguments: $x * h = h * x$ (all $N + K - 1$ outputs).", ch,
        library=(lambda N, K: sc().convolve(_t("x", N), _t("h", K), "full"),
                 lambda N, K: sc().convolve(_t("h", K), _t("x", N), "full")),
        conclusion=r"So in $x * h$ either argument may be called the kernel; a CNN layer's cross-correlation has "
                   r"no such symmetry (see \emph{correlation-is-not-commutative}).")


@entry("correlation-is-not-commutative")
def correlation_is_not_commutative() -> Derivation:
    ctx = Context("correlation-is-not-commutative")
    N, K = _signal_pair(ctx)
    n, m = index("n"), index("m")
    x, k = ctx.tensor("x", (N,)), ctx.tensor("k", (K,), kernel=True)
    xk = ctx.define("corrxk", (n,), ((-(K - 1), N - 1),),
                    sums(Iverson(0, n + m, N - 1) * x[n + m] * k[m], (m, 0, K - 1)),
                    "definition of full cross-correlation (each sequence zero outside its support)",
                    lambda a: rf"(x \star k)_{{{a}}}")
    kx = ctx.define("corrkx", (n,), ((-(N - 1), K - 1),),
                    sums(Iverson(0, n + m, K - 1) * k[n + m] * x[m], (m, 0, N - 1)),
                    "the same definition, the arguments swapped", lambda a: rf"(k \star x)_{{{a}}}")
    n = ctx.free_index("n", -(N - 1), K - 1)
    ch = (Chain(ctx, kx[n]).unfold(kx).reindex(m, m - n)
          .exchange(m, m - n)
          .fold(xk[-n], xk))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For sequences $x$ of length $N$ and $k$ of length $K$, each zero outside its support, the full "
        r"cross-correlation with the arguments swapped is the original one reversed: $(k \star x)_n = "
        r"(x \star k)_{-n}$. So $k \star x \ne x \star k$ in general.", ch, kind="disproof",
        library=(lambda N, K: sc().correlate(_t("k", K), _t("x", N), "full"),
                 lambda N, K: sc().flip(sc().correlate(_t("x", N), _t("k", K), "full"))),
        facts=[Fact(r"With $x = (1, 2)$ and $k = (1, 0)$: $x \star k = (0, 1, 2)$ but $k \star x = (2, 1, 0)$.",
                    r"computed exactly with \texttt{symconv.correlate} (mode \texttt{'full'})", _check_corr_witness,
                    fixed=True)],
        conclusion=r"Which argument is the kernel matters for a correlation; for a convolution it does not.")


def _check_corr_witness(**sizes) -> None:
    sc = _ops()
    xk = [int(e) for e in sc.correlate(sympy.Array([1, 2]), sympy.Array([1, 0]), "full").tolist()]
    kx = [int(e) for e in sc.correlate(sympy.Array([1, 0]), sympy.Array([1, 2]), "full").tolist()]
    if xk != [0, 1, 2] or kx != [2, 1, 0]:
        raise ProofError(f"the witness does not hold: x*k = {xk}, k*x = {kx}")


@entry("correlation-is-linear-in-the-input")
def correlation_is_linear_in_the_input() -> Derivation:
    ctx = Context("correlation-is-linear-in-the-input")
    N, K = _signal_pair(ctx)
    ctx.require(N - K)
    n = index("n")
    x, z = ctx.tensor("x", (N,)), ctx.tensor("z", (N,))
    k = ctx.tensor("k", (K,), kernel=True)
    both = ctx.define("xz", (n,), ((0, N - 1),), x[n] + z[n], "definition of the sum of the inputs",
                      lambda a: rf"(x + z)_{{{a}}}")
    cx = ctx.define("corrx", (n,), ((0, N - K),), sums(x[n + u] * k[u], (u, 0, K - 1)),
                    "definition of cross-correlation (valid part)", lambda a: rf"(x \star k)_{{{a}}}")
    cz = ctx.define("corrz", (n,), ((0, N - K),), sums(z[n + u] * k[u], (u, 0, K - 1)),
                    "the same definition for $z$", lambda a: rf"(z \star k)_{{{a}}}")
    cb = ctx.define("corrxz", (n,), ((0, N - K),), sums(both[n + u] * k[u], (u, 0, K - 1)),
                    r"the same definition for $x + z$", lambda a: rf"((x + z) \star k)_{{{a}}}")
    n = ctx.free_index("n", 0, N - K)
    ch = (Chain(ctx, cx[n] + cz[n]).unfold(cx, cz).merge()
          .algebra(sums((x[n + u] + z[n + u]) * k[u], (u, 0, K - 1)), "factor out the kernel entry")
          .fold(sums(both[n + u] * k[u], (u, 0, K - 1)), both)
          .fold(cb[n], cb))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For inputs $x$, $z$ of length $N$ and a kernel $k$ of length $K \le N$: "
        r"$x \star k + z \star k = (x + z) \star k$.", ch,
        library=(lambda N, K: sc().correlate(_t("x", N), _t("k", K)) + sc().correlate(_t("z", N), _t("k", K)),
                 lambda N, K: sc().correlate(_t("x", N) + _t("z", N), _t("k", K))),
        conclusion=r"So a convolution layer is a linear map of its input (the bias makes it affine); this is why it "
                   r"can be written as one matrix, the Toeplitz matrix of \emph{correlation-is-toeplitz-matvec}.")


@entry("dilated-kernel-is-kernel-with-zeros")
def dilated_kernel_is_kernel_with_zeros() -> Derivation:
    ctx = Context("dilated-kernel-is-kernel-with-zeros")
    N, K, d = ctx.size("N", 9), ctx.size("K", 3), ctx.size("d", 3)
    ctx.require(N - 1 - d * (K - 1))
    n, tt = index("n"), index("t")
    x, k = ctx.tensor("x", (N,)), ctx.tensor("k", (K,), kernel=True)
    kd = ctx.define("kd", (tt,), ((0, d * (K - 1)),), sums(Iverson(d * u, tt, d * u) * k[u], (u, 0, K - 1)),
                    r"definition of the kernel with $d - 1$ zeros inserted between its entries",
                    lambda a: rf"\hat{{k}}_{{{a}}}", kernel=True)
    plain = ctx.define("corrkd", (n,), ((0, N - 1 - d * (K - 1)),), sums(x[n + tt] * kd[tt], (tt, 0, d * (K - 1))),
                       r"definition of (unit-dilation) cross-correlation with $\hat k$",
                       lambda a: rf"(x \star \hat{{k}})_{{{a}}}")
    dil = ctx.define("corrd", (n,), ((0, N - 1 - d * (K - 1)),), sums(x[n + d * u] * k[u], (u, 0, K - 1)),
                     r"definition of cross-correlation with dilation $d$", lambda a: rf"(x \star_d k)_{{{a}}}")
    n = ctx.free_index("n", 0, N - 1 - d * (K - 1))
    ch = (Chain(ctx, plain[n]).unfold(plain).unfold(kd).pull_in(u).swap(tt, u).sift(tt)
          .fold(dil[n], dil))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"Cross-correlating with dilation $d$ is cross-correlating (without dilation) with the kernel spread out by "
        r"$d - 1$ zeros between its entries, $\hat k_t = \sum_u [t = d u]\, k_u$: $x \star \hat k = x \star_d k$.", ch,
        library=(lambda N, K, d: sc().correlate(_t("x", N), _zeros_inserted(_t("k", K), d)),
                 lambda N, K, d: sc().correlate(_t("x", N), _t("k", K), dilation=d)),
        conclusion=r"So a dilated convolution layer costs the multiplications of the small kernel but covers the "
                   r"window of the spread one.")


def _zeros_inserted(k, d):
    """The kernel `k` (1-D) with ``d - 1`` zeros between its entries, as symconv's own array."""
    entries = [0] * (d * (k.shape[0] - 1) + 1)
    for a in range(k.shape[0]):
        entries[d * a] = k[a]
    return sympy.Array(entries)


@entry("correlation-of-correlations")
def correlation_of_correlations() -> Derivation:
    ctx = Context("correlation-of-correlations")
    N, A, B = ctx.size("N", 8), ctx.size("A", 3), ctx.size("B", 3)
    ctx.require(N - A - B + 1)
    n, tt = index("n"), index("t")
    x = ctx.tensor("x", (N,))
    a, b = ctx.tensor("a", (A,), kernel=True), ctx.tensor("b", (B,), kernel=True)
    xa = ctx.define("corrxa", (n,), ((0, N - A),), sums(x[n + u] * a[u], (u, 0, A - 1)),
                    "definition of cross-correlation (valid part)", lambda q: rf"(x \star a)_{{{q}}}")
    xab = ctx.define("corrxab", (n,), ((0, N - A - B + 1),), sums(xa[n + v] * b[v], (v, 0, B - 1)),
                     r"the same definition, applied to $x \star a$ and $b$", lambda q: rf"((x \star a) \star b)_{{{q}}}")
    ab = ctx.define("convab", (tt,), ((0, A + B - 2),), sums(Iverson(0, tt - u, B - 1) * a[u] * b[tt - u], (u, 0, A - 1)),
                    "definition of full convolution (each kernel zero outside its support)",
                    lambda q: rf"(a * b)_{{{q}}}", kernel=True)
    x_ab = ctx.define("corrxconv", (n,), ((0, N - A - B + 1),), sums(x[n + tt] * ab[tt], (tt, 0, A + B - 2)),
                      r"the definition of cross-correlation, with the kernel $a * b$",
                      lambda q: rf"(x \star (a * b))_{{{q}}}")
    n = ctx.free_index("n", 0, N - A - B + 1)
    ch = (Chain(ctx, xab[n]).unfold(xab).unfold(xa).pull_in(u).swap(v, u)
          .reindex(v, tt - u, new=tt)
          .extend(tt, 0, A + B - 2, shift=u)
          .swap(u, tt)
          .fold(sums(x[n + tt] * ab[tt], (tt, 0, A + B - 2)), ab)
          .fold(x_ab[n], x_ab))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"Cross-correlating with $a$ and then with $b$ (two CNN layers without bias or nonlinearity) is one "
        r"cross-correlation with the full \emph{convolution} of the kernels: $(x \star a) \star b = x \star (a * b)$.",
        ch,
        library=(lambda N, A, B: sc().correlate(sc().correlate(_t("x", N), _t("a", A)), _t("b", B)),
                 lambda N, A, B: sc().correlate(_t("x", N), sc().convolve(_t("a", A), _t("b", B), "full"))),
        conclusion=r"So stacked linear layers collapse into one layer whose kernel is the convolution of theirs "
                   r"(and is longer: $A + B - 1$ taps); it is a convolution, not a correlation, of the kernels.")


@entry("strided-padded-correlation-is-im2col")
def strided_padded_correlation_is_im2col() -> Derivation:
    ctx = Context("strided-padded-correlation-is-im2col")
    N, K = ctx.size("N", 7), ctx.size("K", 3)
    S, P_ = ctx.size("s", 3), ctx.size("p", 2)  # sizes are >= 1: p = 0 is correlation-is-im2col-matmul
    ctx.require(N + 2 * P_ - K)
    n = index("n")
    top = floor((N + 2 * P_ - K) / S)
    x, k = ctx.tensor("x", (N,)), ctx.tensor("k", (K,), kernel=True)
    layer = ctx.define("layer", (n,), ((0, top),),
                       sums(Iverson(0, S * n + u - P_, N - 1) * x[S * n + u - P_] * k[u], (u, 0, K - 1)),
                       r"definition of a layer with stride $s$ and zero padding $p$ (PyTorch's \texttt{conv1d}): "
                       r"the input is read as $0$ outside $0..N-1$", lambda a: rf"(x \star_{{s,p}} k)_{{{a}}}")
    cols = ctx.define("im2col", (n, u), ((0, top), (0, K - 1)), Iverson(0, S * n + u - P_, N - 1) * x[S * n + u - P_],
                      r"definition of the im2col matrix: row $n$ is the padded window at $s n - p$",
                      lambda a, b: rf"X_{{{a},{b}}}")
    prod_ = ctx.define("matvec", (n,), ((0, top),), sums(cols[n, u] * k[u], (u, 0, K - 1)),
                       "definition of the matrix-vector product", lambda a: rf"(X k)_{{{a}}}")
    n = ctx.free_index("n", 0, top)
    ch = (Chain(ctx, layer[n]).unfold(layer)
          .fold(sums(cols[n, u] * k[u], (u, 0, K - 1)), cols)
          .fold(prod_[n], prod_))
    sc = _ops
    return Derivation(
        ctx.name, ENTRIES[ctx.name].title,
        r"For any stride $s \ge 1$ and zero padding $p \ge 1$, the layer's outputs are the product of the im2col matrix $X$ "
        r"(one row per output, the padded window at $s n - p$) with the kernel: $x \star_{s,p} k = X k$, with "
        r"$\lfloor (N + 2p - K)/s \rfloor + 1$ outputs.", ch,
        library=(lambda N, K, s, p: sc().conv(_t("x", N).reshape(1, N), _t("k", K).reshape(1, 1, K),
                                              stride=s, padding=p).reshape(-1),
                 lambda N, K, s, p: sc().im2col_matmul(_t("x", N), _t("k", K), stride=s, padding=p).reshape(-1)),
        conclusion=r"So stride and padding change only which windows become rows of $X$; each output is still one "
                   r"row of $X$ times the kernel.")
