"""Right-to-left text in the Word report (issue 18): a paragraph that is mostly Arabic (a note, a source, a block's
name) gets <w:bidi/>, in the body and in table cells; in any paragraph only the Arabic stretches are runs with
<w:rtl/> (an Arabic name in a French sentence; not the French quoted in an Arabic note); a French sentence that
starts with an Arabic name stays left to right; the Arabic comes through intact, in the XML, the payload and
LibreOffice's PDF, and the French around it in its order."""

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
    return bool(runs) and all(rtl(r) for r in runs)


def rtl(r) -> bool:
    return r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None


def runs(p) -> list[tuple[str, bool]]:
    """Each run's text and whether it is right to left."""
    return [(text(r), rtl(r)) for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]


ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LATIN_LETTER = re.compile("[A-Za-zÀ-ÿ]")


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


def test_a_sentence_that_starts_with_an_arabic_name_stays_left_to_right(report):
    # the collection plan's 'جماعة الميناء: Jusqu'où le groupe étend-il son emprise ?' (English: 'How far …')
    question = next(p for p in paragraphs(report) if text(p).startswith(GROUP) and text(p).endswith("?"))
    assert not bidi(question), text(question)
    assert runs(question)[0] == (GROUP, True)  # the name alone is right to left
    assert not any(flag for _, flag in runs(question)[1:]), runs(question)
    # a paragraph that starts in French with an Arabic stretch: only that stretch is a right-to-left run
    low = next(p for p in paragraphs(report) if GROUP in text(p) and not text(p).startswith(GROUP) and not bidi(p))
    assert (GROUP, True) in runs(low)
    assert not any(flag for t, flag in runs(low) if t != GROUP)


def test_only_right_to_left_stretches_are_right_to_left_runs(report):
    ps = paragraphs(report)
    from assess.l10n import is_rtl

    marked = [text(p) for p in ps if bidi(p)]
    assert marked and all(is_rtl(t) for t in marked)
    assert len(marked) == sum(1 for p in ps if text(p).strip() and is_rtl(text(p)))
    assert not any(bidi(p) for p in ps if "Routes through the north quay" in text(p))
    for p in ps:
        for t, flag in runs(p):
            # a right-to-left run holds no Latin letter; a left-to-right one no Arabic letter
            assert not (LATIN_LETTER.search(t) if flag else ARABIC_LETTER.search(t)), (text(p), runs(p))
    sources = next(p for p in ps if SOURCE in text(p))  # 'Sources : <Arabic> (B2)', mostly Arabic
    assert bidi(sources) and ("Sources", False) in runs(sources) and ("B2", False) in runs(sources)


def test_a_paragraph_takes_the_direction_of_most_of_its_letters():
    document = docx.Document()
    rtl_first = document.add_paragraph(f"{GROUP} — UNPOL")
    french = document.add_paragraph(f"{GROUP}: Jusqu'où le groupe étend-il son emprise ?")
    note = document.add_paragraph("ملاحظة المحلل: مصدر واحد — l'analyste dit « oui »")
    source = document.add_paragraph("Sources : تقرير الشرطة — rapport « PNUD »")
    neutral_first = document.add_paragraph(f"« 12 » {GROUP} UNPOL")
    plain = document.add_paragraph("6,40")
    bold = document.add_paragraph("Selon la police : ")
    bold.add_run(GROUP).bold = True
    assert right_to_left(document) == 3
    assert bidi(rtl_first._p) and bidi(note._p) and bidi(neutral_first._p)
    assert not bidi(french._p) and not bidi(source._p) and not bidi(plain._p) and not bidi(bold._p)
    assert runs(rtl_first._p) == [(GROUP + " — ", True), ("UNPOL", False)]
    assert runs(french._p) == [(GROUP, True), (": Jusqu'où le groupe étend-il son emprise ?", False)]
    assert runs(note._p) == [("ملاحظة المحلل: مصدر واحد — ", True), ("l'analyste dit « oui", False), (" »", True)]
    assert runs(source._p) == [("Sources : ", False), ("تقرير الشرطة", True), (" — rapport « PNUD »", False)]
    assert runs(bold._p) == [("Selon la police : ", False), (GROUP, True)]
    assert bold.runs[1].bold  # a split or marked run keeps its formatting
    assert plain._p.find(f".//{qn('w:rtl')}") is None
    # the pieces keep their spaces (xml:space="preserve")
    assert [r.text for r in note.runs] == ["ملاحظة المحلل: مصدر واحد — ", "l'analyste dit « oui", " »"]


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
    # a French question after an Arabic name reads in its order, its question mark at its end
    flat = " ".join(words.split())
    assert "Jusqu'où le groupe étend-il son emprise ?" in flat
    assert "? Jusqu'où" not in flat


def test_arabic_text_takes_the_size_of_its_style_in_the_template():
    from assess.report.template import DEFAULT

    with zipfile.ZipFile(DEFAULT) as z:
        from lxml import etree

        styles = etree.fromstring(z.read("word/styles.xml"))
    sized = [r for r in styles.iter(qn("w:rPr")) if r.find(qn("w:sz")) is not None]
    assert sized
    for rpr in sized:  # complex-script (Arabic) size as the Latin size: 'Table text' Arabic is not 11 pt
        assert rpr.find(qn("w:szCs")).get(qn("w:val")) == rpr.find(qn("w:sz")).get(qn("w:val"))
