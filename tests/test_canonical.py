"""The exact compact form: round trips with SymPy, canonical order, equality, big keys."""

from fractions import Fraction

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv import canonical
from symconv.canonical import Terms, from_entries

x = sympy.IndexedBase("x", real=True)
k = sympy.IndexedBase("k", real=True)
b = sympy.Symbol("b")


def expressions():
    """Random small polynomials in x[0..2], k[0..1], b with integer coefficients."""
    atoms = st.sampled_from([x[0], x[1], x[2], k[0], k[1], b, sympy.Integer(1)])
    monomial = st.tuples(st.integers(-3, 3), st.lists(atoms, max_size=3)).map(lambda t: t[0] * sympy.Mul(*t[1]))
    return st.lists(monomial, max_size=5).map(lambda ms: sympy.Add(*ms))


@settings(max_examples=60, deadline=None)
@given(st.lists(expressions(), min_size=1, max_size=4))
def test_round_trip_with_sympy(exprs):
    t = from_entries((len(exprs),), exprs)
    for i, e in enumerate(exprs):
        assert sympy.expand(t.entry(i) - e) == 0


@settings(max_examples=60, deadline=None)
@given(expressions(), expressions())
def test_equality_is_polynomial_identity(p, q):
    same = sympy.expand(p - q) == 0
    assert canonical.equal(from_entries((1,), [p]), from_entries((1,), [q])) == same


def test_keys_are_strictly_increasing_and_zero_terms_dropped():
    t = from_entries((2,), [x[1] * k[0] + x[0] - x[0], 3 * k[1] + k[1] * 2])
    assert np.all(np.diff(t.key.astype(object)) > 0)
    assert t.n_terms == 2
    assert t.entry(1) == 5 * k[1]


def test_order_of_construction_does_not_matter():
    a = from_entries((1,), [x[0] * k[1] + b])
    c = from_entries((1,), [b + k[1] * x[0]])
    assert a.space == c.space and np.array_equal(a.key, c.key)


def test_different_shapes_are_not_equal():
    assert not canonical.equal(from_entries((1,), [x[0]]), from_entries((1, 1), [x[0]]))


def test_spaces_of_different_extent_are_unified():
    small = from_entries((1,), [x[1]])  # x inferred as length 2
    big = from_entries((1,), [x[1] + x[5] - x[5]])  # x inferred as length 2 too, after cancelling
    wide = from_entries((2,), [x[1], x[7]])
    assert canonical.equal(small, big)
    assert canonical.equal(canonical.linear(wide, (1,), np.array([0]), np.array([0])), small)


def test_rational_and_float_coefficients_are_kept_exactly():
    t = from_entries((1,), [sympy.Rational(1, 3) * x[0] + 0.25 * k[0]])
    assert sorted(map(str, t.coefs())) == sorted(["0.25", "1/3"])
    assert Fraction(1, 3) in list(t.coefs())


def test_degree_is_trimmed_after_cancellation():
    t = canonical.add(from_entries((1,), [x[0] * k[0] + x[1]]), from_entries((1,), [-x[0] * k[0]]))
    assert t.degree == 1
    assert t.entry(0) == x[1]


def test_keys_that_overflow_int64_fall_back_to_python_ints():
    n = 3000  # 3000-entry space, degree 6: 3001**6 > 2**63
    exprs = [x[i] ** 3 * x[(i + 1) % n] ** 3 for i in range(4)] + [x[n - 1]]
    t = from_entries((len(exprs),), exprs)
    assert t.key.dtype == object
    assert [t.entry(i) for i in range(len(exprs))] == exprs


def test_terms_equality_operator_and_repr():
    a = from_entries((1,), [x[0]])
    assert a == from_entries((1,), [x[0]])
    assert a != from_entries((1,), [x[1]])
    assert "n_terms=1" in repr(a)
    assert isinstance(a, Terms)
