"""The kinds `identify` names, as data: one frozen :class:`Kind` per answer.

Each kind carries its name, the noun a sentence uses, its LaTeX, how to explain a reading of it and
how to build its reference from the parameters of a reading (so documents and tests rebuild what was
identified from its own definition).  Adding a kind is adding a row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import ops
from ..forms import hadamard_sum, matmul
from ..geometry import channels_last_perms
from ..tensors import flip
from . import explain


@dataclass(frozen=True)
class Kind:
    name: str
    noun: str
    latex: str
    explain: Callable  # (identification, input name, kernel name) -> text
    reference: Callable | None = None  # (x, k, params) -> the array this reading stands for


def _signal(x, k, params):
    if "channels" in params:
        layer = ops.conv_transpose if params.get("transposed") else ops.conv
        keys = ("stride", "padding", "output_padding", "dilation", "groups") if params.get("transposed") else (
            "stride", "padding", "dilation", "groups")
        last = params.get("layout") == "channels_last"
        if last:  # TensorFlow's (N, *s, C) and (*k, C_in, C_out), permuted to PyTorch's and the result back
            rank = x.ndim + ("batch" not in params)
            perm_y, perm_x, perm_w = channels_last_perms(rank)
            if "batch" not in params:
                x = x.reshape((1,) + x.shape)
            x, k = x.transpose(perm_x), k.transpose(perm_w)
        w = flip(k, tuple(a + 2 for a in params["flipped"])) if params.get("flipped") else k
        y = layer(x[0] if last and "batch" not in params else x, w,
                  **{key: params[key] for key in keys if key in params})
        if last:
            y = (y.reshape((1,) + y.shape) if "batch" not in params else y).transpose(
                tuple(int(a) for a in np.argsort(perm_y)))
            y = y if "batch" in params else y[0]
        return y
    flipped = params.get("flipped", ())
    kernel = flip(k, flipped) if flipped else k
    return ops.correlate(x, kernel, params.get("mode", "valid"), stride=params.get("stride", 1),
                         dilation=params.get("dilation", 1))


def _hadamard(x, k, params):
    return hadamard_sum(x, k)


def _matmul(x, k, params):
    return matmul(x, k)


TABLE = {kind.name: kind for kind in (
    Kind("correlation", "cross-correlation", r"\text{cross-correlation}", explain.explain_correlation,
         _signal),
    Kind("convolution", "convolution", r"\text{convolution}", explain.explain_convolution,
         _signal),
    Kind("hadamard-sum", "sum of element-wise products", r"\textstyle\sum_i x_i k_i", explain.explain_hadamard_sum,
         _hadamard),
    Kind("matrix-product", "matrix product", r"x\,k", explain.explain_matrix_product, _matmul),
    Kind("unknown", "unknown computation", r"\text{unknown}", explain.explain_unknown),
)}
KINDS = tuple(TABLE)
