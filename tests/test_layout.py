"""Documents a teacher prints (issue 15): no line off the page, no loose line, in any generated document.

Every committed document in ``derivations/`` (which CI checks is exactly what ``symconv build`` writes) is
compiled with pdflatex here, and its log must have no ``Overfull \\hbox`` beyond 1 pt and no
``Underfull \\hbox``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from symconv.documents.pdf import BOX_TOLERANCE_PT, bad_boxes, compile_pdf, last_log

DOCUMENTS = sorted((Path(__file__).resolve().parent.parent / "derivations").glob("*.tex"))


def test_the_check_can_fail():
    log = "Overfull \\hbox (384.26898pt too wide) detected at line 31\nUnderfull \\hbox (badness 10000) in paragraph"
    assert len(bad_boxes(log)) == 2
    assert bad_boxes("Overfull \\hbox (0.9pt too wide) in paragraph") == []


def test_there_are_documents():
    assert len(DOCUMENTS) >= 30


@pytest.mark.parametrize("tex", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_document_has_no_box_off_the_page(tex, tmp_path):
    copy = tmp_path / tex.name
    copy.write_text(tex.read_text())
    pdf = compile_pdf(copy)
    boxes = bad_boxes(last_log(pdf))
    assert boxes == [], f"{tex.name}: {len(boxes)} boxes beyond {BOX_TOLERANCE_PT} pt, first: {boxes[0]}"


def test_figures_are_present_and_shade_what_they_say():
    from symconv.documents.figures import im2col_figure, toeplitz_figure, window_figure

    root = Path(__file__).resolve().parent.parent / "derivations"
    for stem in ("00-what-does-a-cnn-layer-compute", "correlation-is-windowed-hadamard-sum",
                 "correlation-is-im2col-matmul-example", "correlation-is-toeplitz-matvec",
                 "convolution-is-flipped-correlation-example"):
        assert r"\cellcolor{" in (root / f"{stem}.tex").read_text(), stem
    # the window of output (0, 1) of a 5x5 input and a 3x3 kernel: x_{0..2, 1..3}, 9 cells; the kernel's 9
    w = window_figure(5, 5, 3, 3, (0, 1))
    assert w.count(r"\cellcolor{window}") == 9 and w.count(r"\cellcolor{kernel}") == 9
    assert r"\cellcolor{window}x_{0,1}" in w and r"\cellcolor{window}x_{2,3}" in w and r"\cellcolor{window}x_{0,0}" not in w
    # im2col row 1 (4x4 input, 2x2 kernel) is the window at (0, 1): x_{0,1} x_{0,2} x_{1,1} x_{1,2}
    m = im2col_figure(4, 4, 2, 2, 1)
    assert m.count(r"\cellcolor{window}") == 4
    assert all(rf"\cellcolor{{window}}x_{{{a},{b}}}" in m for a, b in ((0, 1), (0, 2), (1, 1), (1, 2)))
    # the Toeplitz band: 9 outputs, each with the 4 kernel entries, 16 - 4 zeros per row
    t = toeplitz_figure(4, 4, 2, 2)
    assert t.count(r"\cellcolor{kernel}") == 9 * 4 and t.count(r"\cdot") == 9 * 12
