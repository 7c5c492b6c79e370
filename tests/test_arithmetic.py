"""Worked arithmetic in the documents reads right (issue 15, item 2): each printed ``a \\cdot b + ... = total``
is parsed back and must equal its printed total, and the total must be the first entry of the array the
same document prints as the left-hand side."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from symconv.documents.arithmetic import product_sum

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "derivations").glob("*-example.tex"))


def value(text: str) -> int:
    """The integer value of a printed sum of products (``\\cdot``, ``+``, parenthesized negatives) -- parsed,
    never eval'd: only integers, ``+``, ``*`` and unary ``-`` are accepted."""
    tree = ast.parse(text.replace(r"\cdot", "*"), mode="eval")

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
            a, b = walk(node.left), walk(node.right)
            return a + b if isinstance(node.op, ast.Add) else a * b
        raise ValueError(f"not worked arithmetic: {ast.dump(node)}")

    return walk(tree)


def test_printer_by_hand():
    # 3*(-2) + (-2)*1 + 1*0 = -8, worked by hand; a negative factor is parenthesized, a zero kept
    text = product_sum([(3, -2), (-2, 1), (1, 0)], -8)
    assert text == r"3 \cdot (-2) + (-2) \cdot 1 + 1 \cdot 0 = -8"
    assert value(text.split(" = ")[0]) == -8
    with pytest.raises(ValueError):
        value("__import__('os')")


@pytest.mark.parametrize("tex", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_worked_entry_round_trips(tex):
    doc = tex.read_text()
    found = re.search(r"the first entry is \\\[ \\fitmath\[\\linewidth\]\{(.*)\} \\\]", doc)
    assert found, f"{tex.name}: no worked entry"
    arithmetic, total = found.group(1).rsplit(" = ", 1)
    assert re.fullmatch(r"-?\d+", total)
    # no sign is glued to a product: every term is joined by " + ", negatives only inside parentheses
    assert " - " not in arithmetic and "--" not in arithmetic
    if r"\cdots" not in arithmetic:
        assert value(arithmetic) == int(total), f"{tex.name}: {arithmetic} != {total}"
    # the first number of the printed left-hand side (a scalar, a matrix, a row of channel matrices)
    whole = re.search(r"whole left-hand side is \\\[ \\fitmath\[\\linewidth\]\{(?:\\left[(\[]|\\begin\{matrix\})*(-?\d+)",
                      doc)
    assert whole and int(whole.group(1)) == int(total), f"{tex.name}: the first entry is not {total}"
