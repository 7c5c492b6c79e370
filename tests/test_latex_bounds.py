"""Reading a formula costs a bounded amount of work, whatever the numbers written in it.

Every input to ``sc.parse_latex`` and ``sc.identify`` gets an answer or a symconv error (a
``LatexParseError``, a ``TooLargeError``, ...) within a bound that does not depend on the numbers
in it.  What used to run for minutes or exhaust memory had one thing in common: work that grew with
something the reader never bounded -- latex2sympy2's ANTLR parser, whose full-context prediction
costs more than linearly in the length and nesting of the text it is given (``x`` * 1000, nested
powers, ``\\sum`` * 400), and SymPy evaluating numbers and expansions the formula only names
(``2^{10^{10}}``).  The reader now charges a :class:`~symconv.parse.reader.Budget` before each
piece of that work; these tests check the budget's counters, and run the reported inputs in a child
process under ``setrlimit`` CPU and memory limits (generous, so that a loaded CI machine cannot fail
them, while the old behaviour -- minutes, or a MemoryError -- exceeds them by far).  No test
asserts seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from unittest import mock

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symconv as sc
from symconv.parse import backend
from symconv.parse.reader import Budget, read_latex

from .conftest import before_any_table

#: per input, in the child process (the old behaviour: 30 s to minutes of CPU, or all memory)
CPU_SECONDS = 20
MEMORY_BYTES = 3 * 2**30

CHILD = textwrap.dedent(f"""
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_BYTES}, {MEMORY_BYTES}))
    import symconv as sc
    sc.parse_latex("x")  # imports the backend before the first budget

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    for mode, text in json.loads(sys.stdin.read()):
        # a fresh CPU allowance per input: SIGXCPU stops the child when one input overruns it
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu()) + {CPU_SECONDS} + 1, resource.RLIM_INFINITY))
        try:
            if mode == "parse":
                str(sc.parse_latex(text))  # printed too: a number of 30,000 digits cannot be
            else:
                found = sc.identify(text)
                found.explain()
            out = {{"outcome": "answer"}}
        except sc.SymconvError as err:
            out = {{"outcome": "refused", "error": type(err).__name__, "message": str(err).splitlines()[0],
                   "position": getattr(err, "position", None)}}
        except MemoryError:
            out = {{"outcome": "MemoryError"}}
        except Exception as err:
            out = {{"outcome": "crash", "error": type(err).__name__, "message": str(err)[:300]}}
        print(json.dumps(out), flush=True)
""")

POWER_TOWERS = [
    ("parse", r"\frac{1}{2^{10^{10}}} x_{0}"),           # (a) minutes, then a MemoryError
    ("parse", r"x_0 / 2^{10^{10}}"),                     # (a) 17 characters: all memory
    ("parse", r"2^{10^{10}}"),
    ("parse", r"2^{2^{2^{2^{2}}}}"),                      # 2^65536
    ("identify", r"y_n = \sum_{m=0}^{2} x_{n + 2^{10^{10}} m} w_m"),
]
SLOW_MUTATIONS = [
    ("parse", r"Y_{i,j} = \s\um_{m=0}^{2}\sum_{n=0}^{2} X_{2i+m, 2j+n} K_{m,n}"),   # (b) unknown command
    ("identify", r"Y_{i,j} = \s\um_{m=0}^{2}\sum_{n=0}^{2} X_{2i+m, 2j+n} K_{m,n}"),
    ("parse", r"y[n] =V \sum_{m=0}^{k-1} x[s n + m] \cdot w[m]"),                  # (b) juxtaposed letters
    ("identify", r"y[n] =V \sum_{m=0}^{k-1} x[s n + m] \cdot w[m]"),
    ("identify", r"Y_{i,j,l} = \sum_{a=0}^{2}\sum_{b=0}^{2}\sum_{c=0}^{2} X_{s i+a, s j+b, s l+c} K_{a,b,c}"),
]
REPETITIONS = [
    ("parse", "x" * 3999),                               # (c) 58 s before "nested too deeply"
    ("parse", "x" * 1000),                               # (c) 14.7 s
    ("parse", r"\sum_{u}" * 400),                        # (c) 22 s
    ("parse", r"\sum_{u}" * 400 + " x_u"),
    ("identify", "x" * 1000),
    ("parse", "y = x_{" + "+".join("i" * 400) + "}"),
    ("parse", " ".join(["x^{2}"] * 200)),
    ("parse", "x^{" * 30 + "2" + "}" * 30),              # nested powers: exponential in ANTLR
]
#: eight separate sums of 10 terms: the geometry once meshed all sums together (10^8 points, a MemoryError)
EIGHT_SUMS = "y_n = " + " + ".join(rf"\sum_{{{c}=0}}^{{9}} x_{{n+{c}}} w_{{{c}}}" for c in "abcdefgh")
HUGE_NUMBERS = [
    ("parse", r"\frac{1}{2^{10^{5}}} x_{0}"),            # (f) printing raised "integer too long"
    ("parse", r"(((((2^{16})^{16})^{16})^{16})^{16})"),  # 2^1048576, every power at most 16
    ("parse", "x_{" + "9" * 60 + "}"),
    ("parse", r"x_{((a+b+c+d+e)^{16})^{16}}"),           # an expansion of 10^8 terms
    ("identify", r"y = ((a+b+c+d+e)^{16})^{16} x_0"),
    ("identify", r"x_{9223372036854775808}"),            # (e) OverflowError
    ("identify", r"y_n = \sum_{m=0}^{2} x_{n+1000000000 m} w_m"),      # a tensor of 2*10^9 entries
    ("identify", EIGHT_SUMS),
    ("identify", r"y_n = \sum_{m=0}^{49999} x_{n+m} w_m"),             # 200,000 products: 170 s before
    ("parse", r"\frac{1}{0}"),                           # (d)
]
ALL = POWER_TOWERS + SLOW_MUTATIONS + REPETITIONS + HUGE_NUMBERS


@pytest.fixture(scope="module")
def bounded():
    """``{(mode, text): outcome}`` of every input of this module, read in one child process (SymPy's
    import costs seconds) under the CPU and memory limits."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # the timeout only keeps a broken child from hanging the run; the bound checked is the CPU limit
    done = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(ALL), capture_output=True, text=True,
                          env=env, timeout=300 + 60 * len(ALL), check=False)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0:
        culprit = ALL[len(lines)] if len(lines) < len(ALL) else None
        pytest.fail(f"the child stopped with status {done.returncode} (a negative status is the signal: -24 is "
                    f"SIGXCPU, over {CPU_SECONDS} CPU-seconds) while reading {culprit!r}; stderr: {done.stderr[-800:]}")
    assert len(lines) == len(ALL)
    return dict(zip(ALL, lines))


def _answered_or_refused(outcomes, cases):
    for case in cases:
        out = outcomes[case]
        assert out["outcome"] in ("answer", "refused"), (case, out)
        if out["outcome"] == "refused" and out["error"] == "LatexParseError":
            assert 0 <= out["position"] <= len(case[1]), (case, out)


def _refused(outcomes, cases, error="LatexParseError"):
    for case in cases:
        out = outcomes[case]
        assert out["outcome"] == "refused" and out["error"] == error, (case, out)


# -- (a) power towers: the exponent is read and checked before any power is built --------------------------------
def test_power_tower_refused(bounded):
    _refused(bounded, POWER_TOWERS[:4])
    _answered_or_refused(bounded, POWER_TOWERS)
    assert "10000000000" in bounded[POWER_TOWERS[1]]["message"]
    assert bounded[POWER_TOWERS[1]]["position"] == r"x_0 / 2^{10^{10}}".index("^")


def test_power_tower_never_evaluated():
    real = sympy.Integer._eval_power

    def guarded(self, expt):  # a regression fails here at once instead of computing 2^(10^10)
        if isinstance(expt, sympy.Integer) and abs(int(expt)) > 4096:
            raise AssertionError(f"SymPy evaluated a power {expt} before the refusal")
        return real(self, expt)

    with mock.patch.object(sympy.Integer, "_eval_power", guarded):
        for text in (r"x_0 / 2^{10^{10}}", r"\frac{1}{2^{10^{10}}} x_{0}", r"(((((2^{16})^{16})^{16})^{16})^{16})"):
            with pytest.raises(sc.LatexParseError):
                sc.parse_latex(text)


# -- (b) unknown commands, juxtaposed letters, several strided axes ------------------------------------------------
def test_unknown_command_bounded(bounded):
    _refused(bounded, SLOW_MUTATIONS[:2])
    _answered_or_refused(bounded, SLOW_MUTATIONS)
    assert r"\s" in bounded[SLOW_MUTATIONS[0]]["message"]


def test_strided_formulas_bounded(bounded):
    assert bounded[SLOW_MUTATIONS[2]]["outcome"] == "answer"
    assert bounded[SLOW_MUTATIONS[4]]["outcome"] == "answer"
    found = sc.identify(SLOW_MUTATIONS[4][1])
    s = sympy.Symbol("s", integer=True)
    assert found.kind == "correlation" and found.params["stride"] == (s, s, s)


def test_strided_formula_costs_few_backend_calls():
    b = Budget()
    read_latex(SLOW_MUTATIONS[4][1], budget=b)
    assert b.calls <= 16 and max(b.spent) <= 120  # one per index and per side, each short


# -- (c) repetitions: the backend text is bounded before latex2sympy2 sees it ---------------------------------------
def test_repeated_letters_bounded(bounded):
    _refused(bounded, REPETITIONS[:5])
    _answered_or_refused(bounded, REPETITIONS)


@pytest.mark.parametrize("text", ["x" * 3999, "x" * 1000, r"\sum_{u}" * 400, r"\sum_{u}" * 400 + " x_u",
                                  " ".join(["x^{2}"] * 200)])
def test_repetition_refused_before_the_backend_parses_it(text):
    seen = []
    real = backend.arithmetic

    def spy(source):
        seen.append(source)
        return real(source)

    b = Budget()
    with mock.patch.object(backend, "arithmetic", spy), pytest.raises(sc.LatexParseError) as info:
        read_latex(text, budget=b)
    assert 0 <= info.value.position <= len(text)
    assert not seen  # refused on the tokens or on the text it would have sent, not after a parse
    assert b.units <= b.max_units


def test_nested_powers_read_one_exponent_at_a_time():
    b = Budget()
    with pytest.raises(sc.LatexParseError, match="whole-number powers"):
        read_latex("x^{" * 30 + "2" + "}" * 30, budget=b)
    assert b.deepest <= b.max_nesting


def test_redundant_braces_do_not_count_as_nesting():
    assert sc.parse_latex("{" * 39 + "x" + "}" * 39) == sympy.Symbol("x", real=True)


# -- (d) division by zero ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, position", [(r"\frac{1}{0}", 0), (r"y = x + \frac{1}{1-1}", 8), (r"y = x / 0", 6),
                                            (r"y = x / (2-2) + 1", 6), (r"x_{n/0}", 4), (r"0^{-1}", 0),
                                            (r"\frac{1}{n-n}", 0)])
def test_division_by_zero_refused(text, position):
    with pytest.raises(sc.LatexParseError, match="division by zero") as info:
        sc.parse_latex(text)
    assert info.value.position == position


def test_division_by_zero_refused_in_the_child(bounded):
    _refused(bounded, [("parse", r"\frac{1}{0}")])


# -- (e) huge index numbers: exact Python integers where int64 would overflow ---------------------------------------
def test_huge_index_number_identified(bounded):
    assert bounded[("identify", r"x_{9223372036854775808}")]["outcome"] in ("answer", "refused")
    assert sc.identify(r"x_{9223372036854775808}").kind == "unknown"  # one tensor: nothing to compare
    found = sc.identify(r"y_n = \sum_{m} x_{n + 100000000000000000000 + m} w_m")
    assert found.kind == "correlation" and found.params["offset"] == (10**20,)


def test_huge_tensor_refused_before_any_table(bounded):
    _refused(bounded, [("identify", r"y_n = \sum_{m=0}^{2} x_{n+1000000000 m} w_m")], "TooLargeError")
    with before_any_table(), pytest.raises(sc.TooLargeError, match="2,000,000,003 entries"):
        sc.identify(r"y_n = \sum_{m=0}^{2} x_{n+1000000000 m} w_m")
    assert bounded[("identify", EIGHT_SUMS)]["outcome"] == "answer"  # its grid was 10^8 points, not 8 * 10


def test_product_limit_is_affordable(bounded):
    assert bounded[("identify", r"y_n = \sum_{m=0}^{49999} x_{n+m} w_m")]["outcome"] == "answer"


# -- (f) absurd numbers refused at parse time, by their digits and bits ----------------------------------------------
def test_absurd_number_refused_at_parse(bounded):
    _refused(bounded, HUGE_NUMBERS[:5])
    assert "100000" in bounded[HUGE_NUMBERS[0]]["message"]
    with pytest.raises(sc.LatexParseError, match="power 100000"):
        sc.parse_latex(r"\frac{1}{2^{10^{5}}}")
    with pytest.raises(sc.LatexParseError, match="60 digits") as info:
        sc.parse_latex("x_{" + "9" * 60 + "}")
    assert info.value.position == 3
    with pytest.raises(sc.LatexParseError, match="bits"):
        sc.parse_latex(r"(((((2^{16})^{16})^{16})^{16})^{16})")
    with pytest.raises(sc.LatexParseError, match="terms|bits"):  # its expansion: too many terms, too big coefficients
        sc.parse_latex(r"x_{((a+b+c+d+e)^{16})^{16}}")
    assert str(sc.parse_latex(r"\frac{1}{2^{16}}")) == "1/65536"  # small numbers are read as before


# -- the budget itself -----------------------------------------------------------------------------------------------
def test_budget_counts_what_a_formula_costs():
    b = Budget()
    before = dict(backend.STATS)
    read_latex(r"y_n = \sum_{m=0}^{k-1} x_{s n + m} w_m", budget=b)
    assert b.calls == 4  # the left side's index n, the indices of x and w, the right side
    assert len(b.spent) == b.calls and sum(b.spent) == b.units == 21
    assert b.tokens == 28 and b.deepest == 2  # the sum's body, and the braces of its upper bound
    assert backend.STATS["parses"] - before["parses"] <= b.calls  # cached texts are not parsed again


def test_a_smaller_budget_refuses_with_a_position():
    text = r"y_n = \sum_{m=0}^{2} x_{n+m} w_m + x_{n} + x_{n+1} + x_{n+2}"
    with pytest.raises(sc.LatexParseError, match="too long") as info:
        read_latex(text, budget=Budget(max_call_units=15))
    assert text.index("+ x_{n}") <= info.value.position < len(text)
    with pytest.raises(sc.LatexParseError, match="expressions read"):
        read_latex(text, budget=Budget(max_calls=3))


FORMULAS = [
    r"C[m,n] = \sum_u \sum_v A[m+u, n+v] \cdot B[u,v]",
    r"S(i,j) = (K*I)(i,j) = \sum_m \sum_n I(i+m, j+n) K(m,n)",
    r"y_n = \sum_{m=0}^{k-1} x_{s n + m} w_m",
    r"Y_{i,j} = \sum_{m=0}^{2}\sum_{n=0}^{2} X_{2i+m, 2j+n} K_{m,n}",
    r"Z_{f,i,j} = \sum_{c=1}^{C}\sum_{u=0}^{k_h-1}\sum_{v=0}^{k_w-1} W_{f,c,u,v} X_{c,i+u,j+v} + b_f",
    r"y[n] = (x * w)[n] + \frac{1}{2} x[n]^{2}",
]
WRAPS = [("{", "}"), ("(", ")"), (r"\frac{1}{", "}"), (r"\sum_{q=0}^{2} ", ""), ("", "^{2}"), ("2^{", "}"),
         ("x_{", "}"), (r"\left(", r"\right)")]


@st.composite
def repeated(draw):
    """A formula with pieces repeated, wrapped, nested, sides duplicated and numbers inflated."""
    text = draw(st.sampled_from(FORMULAS))
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(i, min(n, i + 30)))
        op = draw(st.sampled_from(["repeat", "wrap", "sides", "number", "insert"]))
        if op == "repeat":
            text = text[:i] + text[i:j] * draw(st.integers(2, 80)) + text[j:]
        elif op == "wrap":
            a, b = draw(st.sampled_from(WRAPS))
            k = draw(st.integers(1, 20))
            text = text[:i] + a * k + text[i:j] + b * k + text[j:]
        elif op == "sides":
            text += (" = " + text.split("=")[-1]) * draw(st.integers(1, 10))
        elif op == "number":
            text = text[:i] + draw(st.sampled_from(["9" * 50, "10^{16}", "2^{2^{2}}", r"\frac{1}{0}",
                                                    "(a+b+c)^{16}", "0.5"])) + text[i:]
        else:
            text = text[:i] + draw(st.sampled_from(["\\", "{", "}", "_", "^", "V", " ", r"\s", "x"])) + text[i:]
    return text[:4000]


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(repeated())
def test_random_repetitions_stay_within_the_budget(text):
    texts = []
    real = backend.arithmetic

    def spy(source):
        texts.append(source)
        return real(source)

    b = Budget()
    with mock.patch.object(backend, "arithmetic", spy):
        try:
            read_latex(text, budget=b)
        except sc.LatexParseError as err:
            assert isinstance(err.position, int) and 0 <= err.position <= len(text), (text, err)
    assert len(texts) == b.calls <= b.max_calls  # every call charged first, none over the budget
    assert not texts or b.tokens <= b.max_tokens
    assert b.units <= b.max_units and all(u <= b.max_call_units for u in b.spent)
    assert b.deepest <= b.max_nesting
    assert all(len(t) <= 40 * b.max_call_units for t in texts)  # never the raw formula: bounded texts
