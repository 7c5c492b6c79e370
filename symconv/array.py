"""`SymArray`: a lazy, SymPy-compatible array backed by the exact compact form.

It indexes, iterates, converts (``sympy.Array(a)``, ``sympy.Matrix(a)``,
``np.asarray(a)``, ``a.tolist()``), prints and renders in Jupyter like a SymPy
array, but builds SymPy expressions only for the entries that are asked for.
"""

from __future__ import annotations

import numbers

import numpy as np
import sympy
from sympy.tensor.array.ndim_array import NDimArray

from . import canonical
from .canonical import Terms
from .errors import InvalidTypeError, ShapeError, SymconvIndexError, describe
from .geometry import is_int
from .limits import check_sympy_terms

#: arrays with more entries than this print as a summary
PRINT_ENTRIES = 400


class SymArray(NDimArray):
    """An exact, lazy array of expanded polynomials, held as a :class:`~symconv.canonical.Terms` table.

    What :func:`symconv.tensor` and every symconv operation return.  It is a SymPy ``NDimArray`` (a
    subclass, so SymPy's functions accept it) whose entries are built only when asked for: indexing,
    iterating, printing or converting (``sympy.Array(a)``, ``sympy.Matrix(a)``, ``np.asarray(a)``,
    ``a.tolist()``) makes SymPy expressions, while ``==``, ``+``, ``-``, scaling, ``subs`` with numbers,
    ``diff`` by a tensor entry, reshaping and slicing stay in the compact form.  Immutable.

    ``==`` compares exactly, as polynomials, and returns a bool (never an array), whichever side the
    symconv array is on: ``y == other``, ``sympy.Array(y) == y`` and ``numpy_array == y`` all ask the
    same question (NumPy's element-wise comparison is switched off with ``__array_ufunc__ = None``).
    Something that is not an array of that shape (or a scalar) is simply not equal.

    Parameters
    ----------
    terms : Terms
        The exact compact form: each entry's monomials and coefficients over the tensors' entries.
        Arrays are made by :func:`symconv.tensor` and the operations rather than from a table by hand;
        ``SymArray(a.terms) == a``.

    Attributes
    ----------
    terms : Terms
        The exact compact form.
    shape : tuple of int
        The shape; also ``ndim`` (the number of axes), ``size`` (the number of entries) and ``n_terms``
        (the number of monomials in the whole array).

    See Also
    --------
    SymMatrix : the 2-D array with the matrix vocabulary.
    symconv.tensor : a symbolic tensor.
    symconv.equivalent : ``==`` with a counterexample when it is False.

    Examples
    --------
    >>> import symconv as sc
    >>> x = sc.tensor("x", (2, 2))
    >>> x[1, 0]
    x[1, 0]
    >>> x.shape, len(x), x.tolist()
    ((2, 2), 2, [[x[0, 0], x[0, 1]], [x[1, 0], x[1, 1]]])
    >>> import sympy
    >>> sympy.Array(x) == sympy.Array(x.tolist())
    True
    >>> isinstance(x, sympy.NDimArray)
    True

    Indexing gives an entry (a SymPy expression) or, with slices, a symconv array:

    >>> x[0, :], x[:, 1], x[-1, -1]
    ([x[0, 0], x[0, 1]], [x[0, 1], x[1, 1]], x[1, 1])

    ``==`` is one exact answer, with any array on either side:

    >>> a, k = sc.tensor("a", (4,)), sc.tensor("k", (2,))
    >>> y = sc.correlate(a, k)
    >>> y
    [a[0]*k[0] + a[1]*k[1], a[1]*k[0] + a[2]*k[1], a[2]*k[0] + a[3]*k[1]]
    >>> y == sc.convolve(a, sc.flip(k)), y == sc.convolve(a, k)
    (True, False)
    >>> import numpy as np
    >>> np.asarray(y) == y, y.tolist() == y, y == "y"
    (True, True, False)

    Numbers put in for entries, and derivatives, stay exact and compact:

    >>> y.subs({k[0]: 1, k[1]: -1})
    [a[0] - a[1], a[1] - a[2], a[2] - a[3]]
    >>> sympy.diff(y, k[0])
    [a[0], a[1], a[2]]
    >>> y.n_terms, sc.SymArray(y.terms) == y
    (6, True)

    Large arrays print as a summary:

    >>> sc.correlate(sc.tensor("x", (100, 100)), sc.tensor("k", (5, 5)))
    <SymArray shape=(96, 96), 230,400 terms>
    """

    __slots__ = ("_terms", "_entries")
    _array_priority = 20  # win SymPy's binary-operator dispatch
    __array_ufunc__ = None  # NumPy defers ``ndarray == y`` (and +, -, *) to our reflected methods

    def __new__(cls, terms: Terms):
        self = object.__new__(cls)
        self._terms = terms
        self._entries = {}
        return self

    def __init__(self, terms: Terms):
        pass

    # -- facts ----------------------------------------------------------------
    @property
    def terms(self) -> Terms:
        """The exact compact form."""
        return self._terms

    @property
    def shape(self) -> tuple[int, ...]:
        return self._terms.shape

    def rank(self) -> int:
        return len(self.shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def n_terms(self) -> int:
        """How many monomials the whole array holds."""
        return self._terms.n_terms

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-dimensional SymArray")
        return self.shape[0]

    # -- entries --------------------------------------------------------------
    def _entry(self, flat: int) -> sympy.Expr:
        if flat not in self._entries:
            self._entries[flat] = self._terms.entry(flat)
        return self._entries[flat]

    def __getitem__(self, index):
        whole = index if isinstance(index, tuple) else (index,)
        if len(whole) == len(self.shape) and all(is_int(i) for i in whole):  # one entry: no index grid
            if all(-n <= i < n for i, n in zip(whole, self.shape)):
                return self._entry(int(np.ravel_multi_index(tuple(i % n for i, n in zip(whole, self.shape)), self.shape)))
        grid = np.arange(self._terms.size, dtype=np.int64).reshape(self.shape)
        try:
            picked = grid[index]
        except (IndexError, TypeError, ValueError) as err:
            raise SymconvIndexError(f"index {describe(index)} does not fit an array of shape {self.shape}: {err}") from None
        if np.ndim(picked) == 0:
            return self._entry(int(picked))
        return SymArray(_gather(self._terms, picked))

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-dimensional SymArray")
        check_sympy_terms(self.n_terms, f"iterating over an array of shape {self.shape}")
        for i in range(self.shape[0]):
            yield self[i]

    def tolist(self):
        """Nested lists of SymPy expressions (a 0-d array gives its expression)."""
        check_sympy_terms(self.n_terms, f"tolist() of an array of shape {self.shape}")
        flat = [self._entry(i) for i in range(self._terms.size)]
        return np.array(flat + [None], dtype=object)[:-1].reshape(self.shape).tolist()

    def as_sympy(self):
        """The SymPy ``ImmutableDenseNDimArray`` (a 0-d array gives its expression)."""
        check_sympy_terms(self.n_terms, f"converting an array of shape {self.shape} to SymPy")
        if not self.shape:
            return self._entry(0)
        return sympy.ImmutableDenseNDimArray([self._entry(i) for i in range(self._terms.size)], self.shape)

    def _sympy_(self):
        return self.as_sympy()

    def tomatrix(self) -> sympy.ImmutableMatrix:
        """The 2-D array as a SymPy ``ImmutableMatrix`` (a 1-D array as a column)."""
        if self.ndim not in (1, 2):
            raise InvalidTypeError(f"tomatrix() needs a 1-D or 2-D array; this one has shape {self.shape}")
        rows, cols = (self.shape[0], 1) if self.ndim == 1 else self.shape
        check_sympy_terms(self.n_terms, f"tomatrix() of shape {self.shape}")
        return sympy.ImmutableMatrix(rows, cols, [self._entry(i) for i in range(self._terms.size)])

    def __array__(self, dtype=None, copy=None):
        check_sympy_terms(self.n_terms, f"np.asarray() of an array of shape {self.shape}")
        out = np.empty(self._terms.size, dtype=object)
        for i in range(self._terms.size):
            out[i] = self._entry(i)
        out = out.reshape(self.shape)
        return out if dtype is None else out.astype(dtype)

    def reshape(self, *shape) -> SymArray:
        """The same entries (row-major) in a new shape (one axis may be ``-1``, as in NumPy)."""
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        size = self._terms.size
        if not all(is_int(s) and s >= -1 for s in shape) or list(shape).count(-1) > 1:
            raise ShapeError(f"shape={describe(shape)} is not a valid shape for reshape; expected non-negative integers "
                             f"and at most one -1")
        shape = tuple(int(s) for s in shape)
        known = int(np.prod([s for s in shape if s != -1]))
        if -1 in shape and known and size % known == 0:
            shape = tuple(size // known if s == -1 else s for s in shape)
        if int(np.prod(shape)) != size:
            raise ShapeError(f"cannot reshape an array of shape {self.shape} ({size} entries) into "
                             f"shape={describe(shape)}; expected a shape with {size} entries")
        return SymArray(canonical.reshape(self._terms, shape))

    def flatten(self) -> SymArray:
        return self.reshape(self._terms.size)

    @property
    def free_symbols(self) -> set:
        return {self._terms.space.element(int(m) - 1) for m in np.unique(self._terms.decode()[1]) if m}

    def expand(self, *args, **kwargs) -> SymArray:
        """Entries are expanded already: returns the array itself (SymPy habit)."""
        return self

    # -- what a SymPy array answers (compact where it can be) --------------------------------
    @property
    def size(self) -> int:
        """The number of entries."""
        return self._terms.size

    @property
    def _loop_size(self) -> int:  # SymPy's NDimArray protocol
        return self._terms.size

    @property
    def _shape(self):
        return self.shape

    @property
    def _rank(self) -> int:
        return len(self.shape)

    def copy(self) -> SymArray:
        """The array itself (it is immutable)."""
        return self

    def subs(self, *args, **kwargs) -> SymArray:
        """SymPy's ``subs``: numbers for tensor entries or symbols stay compact; anything else goes through SymPy.

        >>> import symconv as sc
        >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
        >>> sc.correlate(x, k).subs({k[0]: 1, k[1]: -1}).tolist()
        [x[0] - x[1], x[1] - x[2]]
        """
        rule = dict(args[0]) if len(args) == 1 and hasattr(args[0], "items") else (
            dict(args[0]) if len(args) == 1 else ({args[0]: args[1]} if len(args) == 2 else {}))
        return self._replace(rule, lambda e: e.subs(*args, **kwargs))

    def xreplace(self, rule) -> SymArray:
        """SymPy's ``xreplace`` (compact for numbers put in for entries or symbols)."""
        return self._replace(dict(rule), lambda e: e.xreplace(rule))

    def _replace(self, rule: dict, by_sympy) -> SymArray:
        space = self._terms.space
        ids = {space.var_id(sympy.sympify(old)): new for old, new in rule.items()}
        if None not in ids and all(_is_number(v) for v in ids.values()):
            return type(self)(canonical.substitute(self._terms, ids))
        return self.applyfunc(by_sympy)

    def diff(self, *symbols, **kwargs) -> SymArray:
        """The derivative of every entry (also ``sympy.diff(y, k[0, 0])``); compact for tensor entries.

        >>> import symconv as sc
        >>> x, k = sc.tensor("x", (3,)), sc.tensor("k", (2,))
        >>> sc.correlate(x, k).diff(k[1]).tolist()
        [x[1], x[2]]
        """
        result = self
        for symbol in symbols:
            var = result._terms.space.var_id(sympy.sympify(symbol))
            if var is None:
                if any(symbol == s for s in result.free_symbols):
                    return self.applyfunc(lambda e: e.diff(*symbols, **kwargs))
                result = type(self)(canonical.zeros(result.shape, result._terms.space))
            else:
                result = type(self)(canonical.derivative(result._terms, var))
        return result

    def applyfunc(self, f) -> SymArray:
        """``f`` applied to every entry (SymPy expressions are built, within the SymPy limit)."""
        check_sympy_terms(self.n_terms, f"applyfunc on an array of shape {self.shape}")
        from .tensors import as_terms

        entries = [sympy.sympify(f(self._entry(i))) for i in range(self._terms.size)]
        return type(self)(as_terms(np.array(entries + [None], dtype=object)[:-1].reshape(self.shape), "applyfunc"))

    def atoms(self, *types) -> set:
        """The atoms of the entries, as SymPy's ``atoms`` (tensor entries and symbols found without SymPy)."""
        if types and all(t in (sympy.Indexed, sympy.Symbol) for t in types):
            return {e for e in self.free_symbols if isinstance(e, types)}
        check_sympy_terms(self.n_terms, f"atoms() of an array of shape {self.shape}")
        return set().union(*(self._entry(i).atoms(*types) for i in range(self._terms.size)))

    def has(self, *patterns) -> bool:
        """Whether some entry contains one of `patterns` (entries and symbols looked up without SymPy)."""
        if all(isinstance(p, (sympy.Indexed, sympy.Symbol, sympy.IndexedBase)) for p in patterns):
            names = {str(v) for v in self.free_symbols}  # tensors are known by name (IndexedBase('k') is k)
            names |= {str(v.base.label) for v in self.free_symbols if isinstance(v, sympy.Indexed)}
            return any(str(p.label if isinstance(p, sympy.IndexedBase) else p) in names for p in patterns)
        check_sympy_terms(self.n_terms, f"has() on an array of shape {self.shape}")
        return any(self._entry(i).has(*patterns) for i in range(self._terms.size))

    def evalf(self, n: int = 15, **options) -> SymArray:
        """The coefficients as floats rounded to `n` significant digits (SymPy's ``evalf``/``n``)."""
        def rounded(e):
            e = sympy.sympify(e).evalf(n, **options)
            return e.xreplace({f: sympy.Float(float(f"{float(f):.{n}g}")) for f in e.atoms(sympy.Float)})

        return self.applyfunc(rounded)

    n = evalf

    @property
    def T(self) -> SymArray:
        """The transpose of a 2-D array (all axes reversed otherwise, as NumPy's ``.T``)."""
        grid = np.arange(self._terms.size, dtype=np.int64).reshape(self.shape).T
        return (SymMatrix if self.ndim == 2 else SymArray)(_gather(self._terms, grid))

    def transpose(self, *axes) -> SymArray:
        """The array with its axes permuted, as NumPy's ``transpose``: reversed by default.

        Parameters
        ----------
        *axes : int, or one sequence of int
            A permutation of ``0 .. ndim-1`` (negative axes count from the end); none reverses the axes.

        Examples
        --------
        >>> import symconv as sc
        >>> x = sc.tensor("x", (2, 3, 4))
        >>> x.transpose(0, 2, 1).shape, x.transpose((2, 0, 1))[1, 0, 0]
        ((2, 4, 3), x[0, 0, 1])
        """
        if not axes or axes == (None,):
            return self.T
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = tuple(axes[0])
        from .tensors import check_axes

        perm = check_axes(axes, self.ndim)
        if sorted(perm) != list(range(self.ndim)):
            from .errors import InvalidArgumentError

            raise InvalidArgumentError(f"axes={tuple(axes)} is not a permutation of the {self.ndim} axes of an array of "
                                       f"shape {self.shape}; expected each of 0..{self.ndim - 1} once")
        grid = np.arange(self._terms.size, dtype=np.int64).reshape(self.shape).transpose(perm)
        return (SymMatrix if self.ndim == 2 else SymArray)(_gather(self._terms, grid))

    doit = expand

    # -- comparison and arithmetic ------------------------------------------------
    def __eq__(self, other) -> bool:
        other_terms = _other_terms(other, self.shape)
        return other_terms is not None and canonical.equal(self._terms, other_terms)

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.shape, self.n_terms, self._terms.degree))

    def __add__(self, other):
        other_terms = _other_terms(other, self.shape, strict=True)
        if other_terms is None:
            return NotImplemented
        return SymArray(canonical.add(self._terms, other_terms))

    __radd__ = __add__

    def __neg__(self):
        return SymArray(canonical.scale(self._terms, -1))

    def __sub__(self, other):
        other_terms = _other_terms(other, self.shape, strict=True)
        if other_terms is None:
            return NotImplemented
        return SymArray(canonical.add(self._terms, canonical.scale(other_terms, -1)))

    def __rsub__(self, other):
        return (-self).__add__(other)

    def __mul__(self, other):
        if _is_number(other):
            return SymArray(canonical.scale(self._terms, other))
        if isinstance(other, sympy.Expr) and not isinstance(other, NDimArray):  # a scalar polynomial: s * y
            from .tensors import as_terms

            return SymArray(canonical.outer(self._terms, as_terms(other, "the factor")))
        if isinstance(other, SymArray) and self.shape and other.shape:
            from .errors import InvalidTypeError

            raise InvalidTypeError(f"* between two arrays (shapes {self.shape} and {other.shape}) is not defined, as in "
                                   f"SymPy; expected sympy.tensorproduct(sympy.Array(a), sympy.Array(b)) for the "
                                   f"tensor product, symconv.hadamard_sum or symconv.matmul")
        if not self.shape:
            return self.as_sympy() * other
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other):
        if _is_number(other):
            if other == 0:
                raise ZeroDivisionError("division of a symconv array by zero")
            return SymArray(canonical.scale(self._terms, 1 / sympy.nsimplify(other) if isinstance(other, float)
                                            else sympy.Rational(1) / sympy.sympify(other)))
        from .errors import NotPolynomialError

        raise NotPolynomialError(f"dividing by {other} gives rational functions; symconv keeps polynomials, so "
                                 f"expected a number (or substitute a value for {other} first)")

    def __matmul__(self, other):
        from .forms import matmul

        return matmul(self, other)

    def __rmatmul__(self, other):
        from .forms import matmul

        return matmul(other, self)

    def __int__(self) -> int:
        return int(self._scalar())

    def __float__(self) -> float:
        return float(self._scalar())

    def _scalar(self):
        if self.shape:
            raise TypeError(f"only a 0-dimensional SymArray converts to a number; this one has shape {self.shape}")
        return self._entry(0)

    # -- printing ----------------------------------------------------------------
    def _small(self) -> bool:
        return self._terms.size <= PRINT_ENTRIES and self.n_terms <= 20 * PRINT_ENTRIES

    def __repr__(self) -> str:
        if not self.shape:
            return repr(self._entry(0))
        if self._small():
            return str(self.tolist())
        return f"<SymArray shape={self.shape}, {self.n_terms:,} terms>"

    __str__ = __repr__

    def _latex(self, printer) -> str:  # one route: symconv's printer if it is the one asking, else the default
        if hasattr(printer, "_print_SymArray"):
            return printer._print_SymArray(self)
        from .latex.printing import array_latex

        return array_latex(self, printer)

    def _repr_latex_(self) -> str:
        from .latex.printing import array_latex

        return "$\\displaystyle " + array_latex(self) + "$"


class SymMatrix(SymArray):
    """A 2-D :class:`SymArray` with the matrix vocabulary (``rows``, ``cols``, ``T``, ``*``).

    What the matrix forms return (:func:`symconv.matmul` of two matrices, :func:`symconv.im2col`,
    :func:`symconv.toeplitz`) and what ``.T`` of a 2-D array gives.  Like a SymPy ``Matrix``, ``*`` of two
    matrices is the matrix product (as ``@``) and a number scales; everything else, exact ``==`` included,
    is as :class:`SymArray`.

    Parameters
    ----------
    terms : Terms
        The exact compact form, of a 2-D shape.

    Attributes
    ----------
    rows, cols : int
        The number of rows and of columns.
    T : SymMatrix
        The transpose.

    Examples
    --------
    >>> import symconv as sc
    >>> k, x = sc.tensor("k", (2,)), sc.tensor("x", (3,))
    >>> m = sc.toeplitz(k, (3,))
    >>> m
    [[k[0], k[1], 0], [0, k[0], k[1]]]
    >>> type(m).__name__, m.rows, m.cols, m.T.shape
    ('SymMatrix', 2, 3, (3, 2))
    >>> m * x == m @ x == sc.correlate(x, k)
    True
    >>> a = sc.SymMatrix(sc.tensor("a", (2, 3)).terms)
    >>> (a * m.T).shape, 2 * a == a + a
    ((2, 2), True)
    """

    __slots__ = ()

    @property
    def rows(self) -> int:
        return self.shape[0]

    @property
    def cols(self) -> int:
        return self.shape[1]

    @property
    def T(self) -> SymMatrix:
        r, c = self.shape
        return SymMatrix(_gather(self._terms, np.arange(r * c).reshape(r, c).T))

    def __mul__(self, other):
        if _is_number(other):
            return SymMatrix(canonical.scale(self._terms, other))
        return self.__matmul__(other)

    def __rmul__(self, other):
        if _is_number(other):
            return SymMatrix(canonical.scale(self._terms, other))
        return self.__rmatmul__(other)


def _gather(terms: Terms, picked: np.ndarray) -> Terms:
    """The entries ``picked`` (an array of flat indices) as a new array of ``picked.shape``."""
    picked = np.asarray(picked)
    dst = np.arange(picked.size, dtype=np.int64)
    return canonical.linear(terms, picked.shape, dst, picked.reshape(-1).astype(np.int64))


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) or (isinstance(value, sympy.Basic) and value.is_number)


def _other_terms(other, shape, strict=False):
    """`other` as a table of `shape` (scalars broadcast), or ``None`` when it cannot be."""
    from .tensors import as_terms

    if isinstance(other, SymArray):
        terms = other.terms
    else:
        try:
            terms = as_terms(other, "other")
        except Exception:
            return None
    if terms.shape == shape:
        return terms
    if terms.shape == ():
        n = int(np.prod(shape))
        return canonical.linear(terms, shape, np.arange(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
    if strict:
        raise ShapeError(f"operands have shapes {shape} and {terms.shape}; expected equal shapes (or a scalar)")
    return None
