"""Where traced values meet NumPy: the tables of the NumPy functions and ufuncs the tracer carries.

The modules above register their implementations here (:data:`UFUNCS`, :data:`FUNCTIONS`, :data:`HOOKS`);
:func:`apply_ufunc` and :func:`apply_function` are what ``__array_ufunc__`` and ``__array_function__`` call.
"""

from __future__ import annotations

from ..errors import SymconvError


class UnsupportedError(SymconvError, TypeError):
    """The traced code used a NumPy function or an operation the compact tracer does not carry."""


#: ufunc -> implementation of its plain call (registered by the element-wise and product modules)
UFUNCS: dict = {}
#: NumPy function -> implementation, called with the function's own arguments
FUNCTIONS: dict = {}
#: "out": writes a ufunc's result into its out= array; "reduce": ufunc.reduce (np.add.reduce, ...)
HOOKS: dict = {}


def apply_ufunc(ufunc, method, inputs, kwargs):
    """A ufunc called on traced values: its plain call, ``reduce``, or a call with ``out=``."""
    out = kwargs.pop("out", None)
    if out is not None:  # a += b on an array: the result written into it, as NumPy does
        return HOOKS["out"](ufunc, method, inputs, kwargs, out)
    if method == "reduce":
        return HOOKS["reduce"](ufunc, inputs[0], kwargs)
    if method != "__call__":
        raise UnsupportedError(f"np.{ufunc.__name__}.{method} is not traced; expected plain calls of polynomial operations")
    where = kwargs.pop("where", True)
    if where is not True:
        raise UnsupportedError(f"np.{ufunc.__name__}(..., where=...) is not traced")
    impl = UFUNCS.get(ufunc)
    if impl is None:
        raise UnsupportedError(f"np.{ufunc.__name__} is not a polynomial operation; the compact tracer carries "
                               f"{', '.join(sorted('np.' + u.__name__ for u in UFUNCS))}")
    return impl(*inputs)


def apply_function(func, args, kwargs):
    """A NumPy function called on traced values, or a clear refusal naming it."""
    impl = FUNCTIONS.get(func)
    if impl is not None:
        return impl(*args, **kwargs)
    name = getattr(func, "__module__", "numpy") or "numpy"
    name = name.replace("numpy.", "np.").replace("numpy", "np") + "." + getattr(func, "__name__", str(func))
    raise UnsupportedError(f"{name} is not traced by the compact tracer (it is not a polynomial operation symconv "
                           f"carries)")
