"""Documents a teacher prints (issue 15): no line off the page, no loose line, in any generated document.

Every committed document in ``derivations/`` (which CI checks is exactly what ``symconv build`` writes) is
compiled with pdflatex here, and its log must have no ``Overfull \\hbox`` beyond 1 pt and no
``Underfull \\hbox``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from symconv.latex.pdf import BOX_TOLERANCE_PT, bad_boxes, compile_pdf, last_log

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
