"""Symbolic tensors, coercion of user input to the exact form, numeric evaluation and `flip`."""

from __future__ import annotations

import keyword
import numbers
from collections.abc import Mapping, Sequence
from math import prod
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from . import canonical
from .array import SymArray, _gather
from .canonical import Terms
from .errors import AxisError, InvalidArgumentError, InvalidTypeError, MissingValueError, ShapeError, describe
from .geometry import check_shape, is_int
from .limits import check_terms
from .space import AtomBlock, TensorBlock, realness

#: An array argument: a :class:`~symconv.array.SymArray` (what :func:`tensor` and every operation return),
#: a SymPy ``Array``/``Matrix``, a NumPy array (numeric or ``dtype=object``) or nested lists; numbers and SymPy
#: expressions stand for 0-d arrays.
ArrayLike = Any

def tensor(name: str, shape: int | Sequence[int], *, real: bool = True) -> SymArray:
    """A symbolic tensor of `shape` whose entries are ``name[i, j, ...]``.

    Entries are elements of a SymPy ``IndexedBase`` (real by default, so
    ``np.vdot`` and friends do not conjugate).  ``shape=()`` gives a scalar
    symbol.

    The tensor is lazy: it holds an exact compact form and builds SymPy
    objects only for the entries that are looked at.  A plain
    ``sympy.IndexedBase(name)`` in an expression means the same tensor.

    Parameters
    ----------
    name : str
        The tensor's name, a Python identifier that is not a keyword
        (``"x"``, ``"W1"``).
    shape : int or sequence of int
        Non-negative integers (an axis of size 0 gives an empty tensor, e.g.
        an empty batch); an int is a 1-D shape; ``()`` is a scalar.
    real : bool, default True
        Whether the entries are real symbols; ``False`` makes them complex.

    Returns
    -------
    SymArray
        The tensor, entries ``name[i, j, ...]`` (for ``shape=()`` the symbol
        ``name``).

    Raises
    ------
    InvalidTypeError
        `name` is not a string, `shape` is not an int or a tuple/list of
        ints, or `real` is not a bool.
    InvalidArgumentError
        `name` is not a valid identifier, or `shape` has a negative entry.
    TooLargeError
        The tensor would need more terms or memory than the limits allow
        (see :func:`symconv.set_limits`).

    See Also
    --------
    evaluate : substitute numbers for the entries.

    Examples
    --------
    >>> import symconv as sc
    >>> x = sc.tensor("x", (2, 3))
    >>> x[1, 2], x[1, 2].is_real
    (x[1, 2], True)
    >>> x.shape, sc.tensor("v", 3).tolist()
    ((2, 3), [v[0], v[1], v[2]])
    >>> sc.tensor("b", ())
    b
    >>> sc.tensor("z", (2,), real=False)[0].is_real is None
    True
    >>> sc.tensor("2x", (3,))
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: name='2x' is not a valid tensor name;
    expected a Python identifier such as 'x' or 'W1'
    """
    check_name(name)
    shape = check_shape(shape, "shape", minimum=0)  # an empty batch is a tensor too
    if not isinstance(real, bool):
        raise InvalidTypeError(f"real={describe(real)} is not valid; expected True or False")
    check_terms(prod(shape), f"tensor {name!r} of shape {shape}")
    label = sympy.Symbol(name, real=True) if real else sympy.Symbol(name, complex=True)
    return SymArray(canonical.identity(label, shape))


def check_name(name) -> str:
    if not isinstance(name, str):
        raise InvalidTypeError(f"name={describe(name)} is not a string; expected a tensor name such as 'x'")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise InvalidArgumentError(f"name={describe(name)} is not a valid tensor name; expected a Python identifier such as 'x' or 'W1'")
    return name


# -- coercion -------------------------------------------------------------------------
def as_terms(obj, name: str = "x", *, opaque: bool = False) -> Terms:
    """The exact table of anything an operation accepts; `name` is the argument's name for errors.

    Non-polynomial SymPy input (``sin(a)``) is refused with
    :class:`~symconv.errors.NotPolynomialError`, unless `opaque` (for
    :func:`evaluate`, which only substitutes numbers).
    """
    if isinstance(obj, SymArray):
        return obj.terms
    if isinstance(obj, Terms):
        return obj
    if isinstance(obj, sympy.NDimArray):
        shape = tuple(obj.shape)
        entries = [obj[i] for i in np.ndindex(shape)] if shape else [obj[()]]
        return canonical.from_entries(shape, [check_finite(e, name) for e in entries], name, opaque=opaque)
    if isinstance(obj, sympy.MatrixBase):
        return canonical.from_entries(obj.shape, [check_finite(e, name) for e in obj], name, opaque=opaque)
    if isinstance(obj, np.ndarray):
        return _from_numpy(np.asarray(obj), name, opaque)
    if isinstance(obj, (list, tuple)):
        return _from_numpy(_nested(obj, name), name, opaque)
    if isinstance(obj, (numbers.Number, sympy.Basic)) and not isinstance(obj, bool):
        return _from_numpy(np.array(obj, dtype=object), name, opaque)
    raise InvalidTypeError(
        f"{name}={describe(obj)} of type {type(obj).__name__} is not supported; expected a symconv or SymPy array, "
        f"a Matrix, a NumPy array or nested lists")


def _nested(obj, name) -> np.ndarray:
    try:
        arr = np.array(obj, dtype=object)
    except ValueError:
        arr = None
    if arr is None or any(isinstance(v, (list, tuple)) for v in arr.reshape(-1)):
        raise ShapeError(f"{name}={describe(obj)} is ragged; expected nested lists of equal lengths")
    return arr


def _from_numpy(arr: np.ndarray, name: str, opaque: bool = False) -> Terms:
    if arr.dtype.kind in "biuf":
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            raise InvalidArgumentError(f"{name} contains NaN or infinity; expected finite numbers")
        return canonical.constant(arr)
    if arr.dtype.kind == "c":
        if not np.all(np.isfinite(arr)):
            raise InvalidArgumentError(f"{name} contains NaN or infinity; expected finite numbers")
        return canonical.constant(arr)
    if arr.dtype != object:
        raise InvalidTypeError(f"{name} has dtype {arr.dtype}; expected numbers or SymPy expressions")
    flat = arr.reshape(-1)
    if all(isinstance(v, numbers.Integral) and not isinstance(v, (sympy.Basic, bool, np.bool_)) for v in flat):
        ints = np.array([int(v) for v in flat], dtype=object)
        return canonical.constant(ints.reshape(arr.shape))
    if all(isinstance(v, (float, complex, np.floating, np.complexfloating)) or
           (isinstance(v, numbers.Integral) and not isinstance(v, (sympy.Basic, bool, np.bool_))) for v in flat):
        return _from_numpy(_plain_numbers(flat).reshape(arr.shape), name)  # Python numbers: NumPy's own dtype
    for v in flat:
        if not isinstance(v, (numbers.Number, sympy.Basic)) or isinstance(v, (bool, np.bool_)):
            raise InvalidTypeError(f"{name} holds {describe(v)} of type {type(v).__name__}; expected numbers or SymPy expressions")
        check_finite(v, name)
    return canonical.from_entries(arr.shape, [sympy.sympify(v) for v in flat], name, opaque=opaque)


def _plain_numbers(flat) -> np.ndarray:
    """Python floats, complex numbers and integers as a float or complex array (big integers as exact Fractions)."""
    if any(isinstance(v, numbers.Integral) and abs(int(v)) > 2**53 for v in flat):
        from .canonical import _exact_number
        return np.array([_exact_number(v) if not isinstance(v, numbers.Integral) else int(v) for v in flat] + [None],
                        dtype=object)[:-1]
    return np.array([complex(v) if isinstance(v, (complex, np.complexfloating)) else v for v in flat])


_NON_FINITE = (sympy.S.NaN, sympy.S.Infinity, sympy.S.NegativeInfinity, sympy.S.ComplexInfinity)


def check_finite(v, name: str):
    """Refuse NaN and infinities (NumPy floats, complex numbers and SymPy's nan, oo, zoo)."""
    if isinstance(v, sympy.Basic):
        bad = v in _NON_FINITE or v.has(*_NON_FINITE)
    elif isinstance(v, numbers.Complex):
        bad = not np.isfinite(complex(v))
    else:
        bad = False
    if bad:
        raise InvalidArgumentError(f"{name} contains {v} (NaN or infinity); expected finite numbers")
    return v


def conjugate(t: Terms, name: str, why: str) -> Terms:
    """The complex conjugate of `t` (argument `name`); refused for symbols declared complex.

    >>> import symconv as sc
    >>> sc.correlate([1, 1], [2j]).tolist()
    [-2.0*I, -2.0*I]
    >>> conjugate(as_terms(sc.tensor("k", (2,), real=False)), "k", "correlate conjugates k")
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: correlate conjugates k; k holds the complex symbol k, whose conjugate symconv does not represent; expected real symbols (symconv.tensor(..., real=True), the default) or numbers
    """
    bad = t.space.complex_symbol()
    if bad is not None:
        raise InvalidArgumentError(f"{why}; {name} holds the complex symbol {bad}, whose conjugate symconv does not "
                                   f"represent; expected real symbols (symconv.tensor(..., real=True), the default) or numbers")
    return canonical.conjugate(t)


def as_array(obj, name: str = "x") -> SymArray:
    """`obj` as a :class:`SymArray` (no copy for one already)."""
    return obj if isinstance(obj, SymArray) else SymArray(as_terms(obj, name))


# -- flip ---------------------------------------------------------------------------------
def flip(k: ArrayLike, axes: int | Sequence[int] | None = None) -> SymArray:
    """Reverse `k` along `axes` (all by default): the 180-degree rotation in 2-D.

    ``flip(k)[i, j] == k[h - 1 - i, w - 1 - j]`` for a kernel of shape
    ``(h, w)``, as ``numpy.flip``.

    Parameters
    ----------
    k : ArrayLike
        The array to reverse.
    axes : int, sequence of int or None, default None
        The axes to reverse, distinct, negative ones counted from the end;
        ``None`` reverses all, ``()`` none.

    Returns
    -------
    SymArray
        `k` reversed, of the same shape.

    Raises
    ------
    AxisError
        An axis is out of range or listed twice (an
        :class:`InvalidArgumentError` and an ``IndexError``).
    InvalidTypeError
        `axes` is not an int, a tuple/list of ints or None, or `k` is not an
        array.
    ShapeError
        `k` is given as ragged nested lists.
    NotPolynomialError
        An entry of `k` is not a polynomial.

    See Also
    --------
    convolve : ``convolve(x, k) == correlate(x, flip(k))``.

    Examples
    --------
    >>> import symconv as sc
    >>> sc.flip([[1, 2], [3, 4]]).tolist()
    [[4, 3], [2, 1]]
    >>> sc.flip([[1, 2], [3, 4]], axes=1).tolist()
    [[2, 1], [4, 3]]
    >>> sc.flip(sc.tensor("k", (3,))).tolist()
    [k[2], k[1], k[0]]
    >>> sc.flip([[1, 2], [3, 4]], axes=2)
    Traceback (most recent call last):
    ...
    symconv.errors.AxisError: axes=2 is not valid for an array with 2 axes; expected distinct axes in range(-2, 2)
    """
    terms = as_terms(k, "k")
    axes = check_axes(axes, len(terms.shape))
    grid = np.arange(terms.size, dtype=np.int64).reshape(terms.shape)
    if axes:
        grid = np.flip(grid, axis=axes)
    return SymArray(_gather(terms, grid))


def check_axes(axes, ndim: int, name: str = "axes") -> tuple[int, ...]:
    if axes is None:
        return tuple(range(ndim))
    items = (axes,) if is_int(axes) else axes
    if not isinstance(items, (tuple, list)) or not all(is_int(a) for a in items):
        raise InvalidTypeError(f"{name}={describe(axes)} is not valid; expected an integer or a tuple of integers")
    fixed = tuple(int(a) + ndim if a < 0 else int(a) for a in items)
    if any(not 0 <= a < ndim for a in fixed) or len(set(fixed)) != len(fixed):
        raise AxisError(f"{name}={describe(axes)} is not valid for an array with {ndim} axes; expected distinct axes in range({-ndim}, {ndim})")
    return fixed


# -- evaluate --------------------------------------------------------------------------------
def evaluate(expr: ArrayLike, values: Mapping[Any, Any] | None = None,
             **by_name: Any) -> np.ndarray | np.generic | numbers.Number:
    """The numeric value of `expr` with numbers substituted for its symbols.

    Values are keyed by tensor name (``x=np_array``), by tensor (``{x: array}``
    for ``x = tensor("x", ...)`` or an ``IndexedBase``), or by element
    (``{x[0, 1]: 2}``).  Returns a NumPy array of the result's shape
    (a NumPy scalar for a 0-d result): exact ``int64`` (or Python ``int``
    objects when they would overflow) for integer inputs, ``float64`` when a
    float is involved.

    Rational inputs (``fractions.Fraction``, ``sympy.Rational``) give exact
    ``Fraction`` objects, complex ones ``complex128``.  Evaluation works on
    the compact form without building SymPy expressions, so it is fast on
    large results; `expr` need not be a polynomial (``sin(a)`` is evaluated
    too).

    Parameters
    ----------
    expr : ArrayLike
        A symconv array, a SymPy expression or array, or anything else an
        operation accepts.
    values : mapping or None, default None
        Values keyed by tensor name (``"x"``), tensor (``x`` or
        ``sympy.IndexedBase("x")``), element (``x[0, 1]`` or ``"x[0, 1]"``)
        or symbol (``a`` or ``"a"``).  A tensor's value is an array of its
        shape (or, for a plain ``IndexedBase``, at least the shape the
        expression reads).
    **by_name
        More values, keyed by name (``x=np_array``, ``a=2``).

    Returns
    -------
    numpy.ndarray or scalar
        The values, of `expr`'s shape; a NumPy scalar (or a Python ``int``
        or ``Fraction``) for a 0-d `expr`.

    Raises
    ------
    MissingValueError
        A symbol of `expr` has no value (also a ``KeyError``).
    InvalidArgumentError
        A value is given for a name `expr` does not have, a tensor of real
        symbols gets complex values, a key is a symconv array that is not a
        single tensor, or `expr` holds NaN or infinity.
    InvalidTypeError
        `values` is not a mapping, a value is not numeric (a string, a
        dict, symbols), or `expr` is not an array or expression.
    ShapeError
        A tensor's value has the wrong shape.

    See Also
    --------
    tensor : the symbols values are given for.

    Examples
    --------
    >>> import numpy as np, symconv as sc
    >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
    >>> sc.evaluate(sc.correlate(x, k), x=np.array([1, 2, 3]), k=np.array([1, -1]))
    array([-1, -1])
    >>> y = sc.correlate(x, k)
    >>> sc.evaluate(y, {x: [1, 2, 3], k[0]: 1, k[1]: 2})
    array([5, 8])
    >>> sc.evaluate(y, x=[1, 2, 3], k=[0.5, 1])
    array([2.5, 4. ])
    >>> print(sc.evaluate(y[0], x=[1, 2, 3], k=[1, 2]))
    5
    >>> sc.evaluate(y, x=[1, 2, 3])
    Traceback (most recent call last):
    ...
    symconv.errors.MissingValueError: no value for k[0] (tensor 'k'); expected k=<array of shape (2,)> or a value per
    element
    """
    terms = as_terms(expr, "expr", opaque=True)
    lookup = _value_lookup(values, by_name)
    _check_known(lookup, terms.space)
    table = _value_table(terms.space, lookup)
    return _polyval(terms, table)


def _names_of(space) -> set:
    """Every name a value may be given under: tensor names, symbol names and the elements' own text."""
    names = set()
    for block in space.blocks:
        if isinstance(block, TensorBlock):
            names.add(block.label.name)
        else:
            names.add(str(block.expr))
            names.update(str(s) for s in block.expr.free_symbols)
            names.update(i.base.label.name for i in block.expr.atoms(sympy.Indexed))
    return names


def _check_known(lookup: dict, space) -> None:
    names = _names_of(space)
    for key in lookup:
        if isinstance(key, sympy.Basic):
            known = key in lookup and (str(key) in names or (isinstance(key, sympy.Indexed) and key.base.label.name in names))
        else:
            known = key in names or (isinstance(key, str) and key.split("[")[0] in names)
        if not known:
            listed = ", ".join(sorted(names)) or "none (it is a number)"
            raise InvalidArgumentError(f"evaluate() got a value for {describe(key)}, which the expression does not "
                                       f"have; expected values for its names: {listed}")


def _value_lookup(values, by_name) -> dict:
    if values is not None and not hasattr(values, "items"):
        raise InvalidTypeError(f"values={describe(values)} of type {type(values).__name__} is not valid; expected a dict "
                               f"(a mapping) from tensor names, tensors or elements to values")
    for key, val in list((values or {}).items()) + list(by_name.items()):
        if isinstance(val, (str, bytes, dict)):
            raise InvalidTypeError(f"the value of {key}={describe(val)} is not numeric; expected a number or an array of numbers")
    lookup: dict = {}
    for key, val in list((values or {}).items()) + list(by_name.items()):
        if isinstance(key, SymArray):
            key = _tensor_name(key)
        elif isinstance(key, sympy.IndexedBase):
            key = key.label.name
        elif isinstance(key, sympy.Symbol):
            key = key.name
        lookup[key] = val
    return lookup


def _tensor_name(arr: SymArray) -> str:
    blocks = arr.terms.space.blocks
    if len(blocks) == 1 and isinstance(blocks[0], (TensorBlock, AtomBlock)):
        b = blocks[0]
        return b.label.name if isinstance(b, TensorBlock) else str(b.expr)
    raise InvalidArgumentError(f"a values key {describe(arr)} is not a single tensor; expected a tensor made by symconv.tensor")


def _value_table(space, lookup) -> np.ndarray:
    parts = [np.ones(1, dtype=np.int64)]  # id 0: "no variable"
    for block in space.blocks:
        parts.append(_block_values(block, lookup))
    kinds = {p.dtype.kind for p in parts}
    if "O" in kinds:
        return np.concatenate([p.astype(object) for p in parts])
    return np.concatenate(parts)


def _block_values(block, lookup) -> np.ndarray:
    if isinstance(block, AtomBlock):
        return np.array([_atom_value(block.expr, lookup)]).reshape(1)
    name = block.label.name
    if name in lookup:
        arr = lookup[name]
        arr = arr.tolist() if isinstance(arr, SymArray) else arr
        arr = _nested(arr, f"the value of {name}") if isinstance(arr, (list, tuple)) else np.asarray(arr)
        if arr.ndim != len(block.shape) or any(a < b for a, b in zip(arr.shape, block.shape)) or (block.exact and arr.shape != block.shape):
            want = f"shape {block.shape}" if block.exact else f"{len(block.shape)} axes, at least {block.shape}"
            raise ShapeError(f"the value of {name} has shape {arr.shape}; expected {want}")
        arr = arr[tuple(slice(0, s) for s in block.shape)]
        return _real_if_declared(_numeric(arr.reshape(-1), name), block.label)
    # element-wise values: every element used must be given
    vals = np.empty(block.size, dtype=object)
    for flat in range(block.size):
        elem = block.element(flat)
        if elem not in lookup and str(elem) not in lookup:
            raise MissingValueError(f"no value for {elem} (tensor {name!r}); expected {name}=<array of shape {block.shape}> or a value per element")
        vals[flat] = lookup.get(elem, lookup.get(str(elem)))
    return _real_if_declared(_numeric(vals, name), block.label)


def _real_if_declared(values: np.ndarray, label) -> np.ndarray:
    """Refuse complex values for a tensor whose entries are real symbols (the default)."""
    complex_values = values.dtype.kind == "c" or (values.dtype == object and any(
        isinstance(v, complex) or (isinstance(v, sympy.Basic) and v.is_real is False) for v in values))
    if complex_values and realness(label) is not False:
        if values.dtype.kind == "c" and not np.any(values.imag):
            return values.real.copy()
        raise InvalidArgumentError(
            f"the value of {label.name} is complex, but {label.name} is a tensor of real symbols (symconv.tensor's "
            f"default; a correlation built from it has not conjugated it); expected real numbers, or a tensor made "
            f"with symconv.tensor({label.name!r}, shape, real=False)")
    return values


def _atom_value(expr, lookup):
    if isinstance(expr, sympy.Symbol):
        if expr.name not in lookup:
            raise MissingValueError(f"no value for the symbol {expr.name}; expected {expr.name}=<number>")
        return _numeric(np.array([lookup[expr.name]]), expr.name)[0]
    subs = {}
    for sym in expr.free_symbols | expr.atoms(sympy.Indexed):
        if isinstance(sym, sympy.Indexed):
            name = sym.base.label.name
            if name in lookup:
                subs[sym] = np.asarray(lookup[name])[tuple(int(i) for i in sym.indices)]
            elif sym in lookup:
                subs[sym] = lookup[sym]
        elif sym.name in lookup:
            subs[sym] = lookup[sym.name]
    value = expr.xreplace({k: sympy.sympify(v) for k, v in subs.items()})
    if not value.is_number:
        raise MissingValueError(f"no value for every symbol of {expr}; missing {sorted(map(str, value.free_symbols))}")
    return float(value) if not value.is_Integer else int(value)


def _numeric(arr: np.ndarray, name: str) -> np.ndarray:
    if arr.dtype.kind in "biu":
        return canonical.exact_ints(arr)
    if arr.dtype.kind in "fc":
        return arr
    if arr.dtype == object:
        if all(isinstance(v, (numbers.Integral, sympy.Integer)) and not isinstance(v, bool) for v in arr):
            return canonical.exact_ints(arr)
        if all(isinstance(v, (numbers.Rational, sympy.Rational)) for v in arr):
            return np.array([Fraction(int(sympy.Rational(v).p), int(sympy.Rational(v).q)) for v in arr], dtype=object)
        if all(isinstance(v, numbers.Number) or (isinstance(v, sympy.Basic) and v.is_number) for v in arr):
            return np.array([complex(v) if isinstance(v, complex) else float(v) for v in arr])
    raise InvalidTypeError(f"the value of {name} holds non-numbers ({describe(arr.tolist())}); expected numbers")


def _polyval(terms: Terms, table: np.ndarray):
    out, mono = terms.decode()
    coef = terms.coef
    if table.dtype == np.int64:
        products = _magnitude(table) ** max(terms.degree, 1)
        bound = products * (_magnitude(coef) if coef is not None and coef.dtype == np.int64 else 1)
        if products >= 2**62 or (coef is None or coef.dtype == np.int64) and bound * int(terms.counts().max(initial=1)) >= 2**62:
            table = table.astype(object)  # exact Python integers rather than a silent int64 overflow
    vals = np.ones(len(out), dtype=table.dtype)
    for t in range(mono.shape[1]):
        vals = vals * table[mono[:, t]]
    if coef is not None:
        vals = vals * coef
    result = _segment_sums(vals, terms.starts()).reshape(terms.shape)
    result = _tidy(result)
    return result[()] if not terms.shape else result


def _tidy(result: np.ndarray) -> np.ndarray:
    """Object results of plain floats become ``float64``; of small ints ``int64``."""
    if result.dtype != object or result.size == 0:
        return result
    flat = result.reshape(-1)
    if any(isinstance(v, float) for v in flat) and all(isinstance(v, (int, float, Fraction)) for v in flat):
        return result.astype(np.float64)
    if all(isinstance(v, int) and abs(v) < 2**62 for v in flat):
        return result.astype(np.int64)
    return result


def _magnitude(arr) -> int:
    if arr is None or arr.dtype.kind not in "iu":
        return 1
    return max(1, canonical.max_abs(arr))


def _segment_sums(vals, starts):
    """Sums of ``vals[starts[e]:starts[e + 1]]`` for every entry ``e`` (0 for empty ones)."""
    counts = np.diff(starts)
    out = np.zeros(len(counts), dtype=vals.dtype)
    nonempty = counts > 0
    if nonempty.any():
        out[nonempty] = np.add.reduceat(vals, starts[:-1][nonempty])
    return out
