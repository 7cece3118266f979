"""Right-to-left text in the Word report (issue 18): a paragraph whose first strong character is Arabic (a note, a
source, a block's name) gets <w:bidi/> and its runs <w:rtl/>, in the body and in table cells; left-to-right
paragraphs are left as they were; the Arabic comes through intact, in the XML, the payload and LibreOffice's PDF."""

from __future__ import annotations

import re
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from assess.pipeline import score_file
from assess.report import render_report
from assess.report.payload import read_payload
from assess.report.word import right_to_left

from conftest import ROOT, need, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "languages" / "quayside.answers.yaml"
NOTE = "يُهرَّب الوقود عبر الميناء الشمالي ليلاً."  # the fuel answer's note, as the fixture writes it
SOURCE = "تقرير فريق الخبراء، المرفق 4"
GROUP = "جماعة الميناء"
_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # bidi marks a PDF's text may carry


def paragraphs(path) -> list:
    """Every w:p of the document's body (table cells included)."""
    with zipfile.ZipFile(path) as z:
        from lxml import etree

        body = etree.fromstring(z.read("word/document.xml"))
    return list(body.iter(qn("w:p")))


def text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def bidi(p) -> bool:
    return p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None


def runs_rtl(p) -> bool:
    runs = [r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    return bool(runs) and all(r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None for r in runs)


@pytest.fixture(scope="module", params=["fr", "en"])
def report(request, tmp_path_factory):
    """The fixture's report, in French (its own language) and in English: right to left is the text's, not the
    report's language."""
    out = tmp_path_factory.mktemp("rtl") / f"report-{request.param}.docx"
    scored = score_file(FIXTURE, lang=request.param)
    render_report(scored.result, out, answers_file=scored.name, lang=scored.language)
    return out


def test_an_arabic_note_is_a_right_to_left_paragraph_in_the_xml(report):
    ps = paragraphs(report)
    note = [p for p in ps if text(p) == NOTE]
    assert len(note) == 1, "the note is one paragraph, its Arabic intact (diacritics too)"
    assert bidi(note[0]) and runs_rtl(note[0])
    # w:bidi sits in the paragraph's properties where the schema puts it: after the style, before the spacing
    ppr = [c.tag for c in note[0].find(qn("w:pPr"))]
    assert ppr.index(qn("w:bidi")) > ppr.index(qn("w:pStyle"))


def test_an_arabic_block_name_is_right_to_left_in_its_table_cell(report):
    cells = [p for p in paragraphs(report) if text(p) == GROUP and p.getparent().tag == qn("w:tc")]
    assert cells and all(bidi(p) and runs_rtl(p) for p in cells)


def test_left_to_right_paragraphs_are_left_as_they_were(report):
    ps = paragraphs(report)
    # a paragraph that starts in a left-to-right language keeps its direction, its Arabic intact
    sources = next(p for p in ps if SOURCE in text(p))
    assert text(sources).startswith("Sources") and not bidi(sources)
    assert not any(bidi(p) for p in ps if "Routes through the north quay" in text(p))
    # only paragraphs whose first strong character is right to left are marked
    from assess.l10n import is_rtl

    marked = [text(p) for p in ps if bidi(p)]
    assert marked and all(is_rtl(t) for t in marked)
    assert len(marked) == sum(1 for p in ps if text(p).strip() and is_rtl(text(p)))


def test_a_mixed_paragraph_follows_its_first_strong_character():
    document = docx.Document()
    rtl_first = document.add_paragraph(f"{GROUP} — UNPOL")
    ltr_first = document.add_paragraph(f"UNPOL — {GROUP}")
    neutral_first = document.add_paragraph(f"« 12 » {GROUP} UNPOL")
    plain = document.add_paragraph("6,40")
    assert right_to_left(document) == 2
    assert bidi(rtl_first._p) and runs_rtl(rtl_first._p)
    assert bidi(neutral_first._p)
    assert not bidi(ltr_first._p) and not bidi(plain._p)
    assert ltr_first._p.find(f".//{qn('w:rtl')}") is None


def test_the_payload_keeps_the_arabic_exactly(report):
    answers = read_payload(report)["answers"]
    assert answers["answers"]["fuel"]["note"] == NOTE
    assert answers["answers"]["fuel"]["sources"][0]["ref"] == SOURCE
    assert answers["entities"]["groups"][0]["name"] == GROUP


def test_libreoffice_keeps_the_arabic_intact_in_the_pdf(tmp_path):
    need("soffice", "pdftotext")
    out = tmp_path / "rapport.docx"
    r = run_cli("report", str(FIXTURE), "-o", str(out), "--pdf", timeout=300)
    assert r.returncode == 0, r.stderr
    pdf = subprocess.run(["pdftotext", str(out.with_suffix(".pdf")), "-"], capture_output=True, text=True)
    assert pdf.returncode == 0
    words = _CONTROLS.sub("", pdf.stdout)
    # each Arabic word in its reading order (pdftotext sets the vowel marks apart, so the words are checked bare)
    assert GROUP in words
    assert "الوقود عبر الميناء الشمالي" in words
    assert "فريق الخبراء" in words
    assert "Résumé analytique" in words  # and the French around it
