"""Issue 13, item 7: every LaTeX string symconv hands a user renders in KaTeX and MathJax 3.

People paste ``_repr_latex_``, ``.latex()`` and ``sc.latex(obj)`` into notebook Markdown cells, blogs
and slides, so each is rendered by the real renderers (node with the npm packages ``katex`` and
``mathjax-full``; ``.ci/run`` installs them into ``.ci-node/``).  Documents (``.document()``) are
LaTeX for pdflatex and are checked by compiling them instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy

import symconv as sc

HERE = Path(__file__).parent
NODE_DIR = Path(os.environ.get("SYMCONV_NODE_MODULES", HERE.parent / ".ci-node" / "node_modules"))


def render(strings):
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "katex").is_dir() or not (NODE_DIR / "mathjax-full").is_dir():
        pytest.fail(f"node with katex and mathjax-full is needed (npm install --prefix .ci-node katex mathjax-full); "
                    f"looked in {NODE_DIR}")
    env = {**os.environ, "NODE_PATH": str(NODE_DIR)}
    done = subprocess.run([node, str(HERE / "render_math.js")], input=json.dumps(strings), capture_output=True,
                          text=True, env=env, timeout=600, check=True)
    return json.loads(done.stdout)


def strip_display(text: str) -> str:
    """``_repr_latex_`` wraps its math in ``$\\displaystyle ...$``: the renderers get what is inside."""
    return text[len("$\\displaystyle "):-1] if text.startswith("$\\displaystyle ") else text.strip("$")


def samples():
    x, k = sc.tensor("x", (5, 5)), sc.tensor("k", (3, 3))
    y = sc.correlate(x, k)
    out = {"array": sc.latex(y), "array-repr": strip_display(y._repr_latex_()), "rank3": sc.latex(sc.tensor("t", (2, 3, 3))),
           "big-array": strip_display(sc.correlate(sc.tensor("x", (40, 40)), k)._repr_latex_()),
           "verdict-equal": sc.equivalent(y, sc.im2col_matmul(x, k)).latex(),
           "verdict-differ": sc.equivalent(y, sc.convolve(x, k)).latex(),
           "identification": sc.identify(sc.convolve(x, k)).latex(),
           "identification-repr": strip_display(sc.identify(sc.convolve(x, k))._repr_latex_()),
           "identification-layer": sc.identify(sc.conv(sc.tensor("x", (3, 6, 6)), sc.tensor("w", (2, 3, 3, 3)))).latex(),
           "sympy-matrix": sc.latex(sympy.Matrix([[1, 2], [3, 4]]))}
    for name in sc.derive():
        d = sc.derive(name)
        out[f"derivation:{name}"] = d.latex()
        out[f"derivation-aligned:{name}"] = strip_display(d._repr_latex_())
        out[f"step:{name}"] = sc.latex(d.steps[-1].expr, names=d.ctx.names)
        out[f"step-repr:{name}"] = strip_display(d.steps[1]._repr_latex_())
    return out


def test_every_latex_string_renders_in_katex_and_mathjax():
    cases = samples()
    names, strings = list(cases), list(cases.values())
    failures = render(strings)
    shown = [f"{names[f['index']]} ({f['renderer']}): {f['error'][:200]}" for f in failures]
    assert not failures, "\n".join(shown)


def test_the_renderers_reject_what_they_should():
    # the check itself can fail: \parbox (what Derivation.latex() used to hold) is refused by both
    failures = render([r"\begin{aligned} a &= b && \parbox[t]{5cm}{why} \end{aligned}"])
    assert {f["renderer"] for f in failures} == {"katex", "mathjax"}
