"""The Word report in French (issue 18): every heading, label, table header and sentence from the `report`
catalogue, the framework's own texts in French, numbers with a decimal comma and dates written out (python-docx,
and LibreOffice's PDF text); the language recorded in the document and its payload; the English report as before."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from assess.i18n import catalogue, set_language
from assess.locales import po_path, read
from assess.pipeline import score_file
from assess.report import render_report
from assess.report.payload import read_payload
from assess.report.render import text_of

from conftest import ROOT, need, run_cli

FIXTURE = (
    ROOT / "tests" / "fixtures" / "languages" / "quayside.answers.yaml"
)  # language: fr, a framework in English and French
FRENCH_EXAMPLE = ROOT / "frameworks" / "examples" / "fr" / "crime-politics-nexus.answers.yaml"
HEADINGS_FR = ("Résumé analytique", "L'essentiel", "Évaluation", "Plan d'action", "Plan de collecte")
NBSP = "\u00a0"


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def broken_headers(report: Path) -> list[str]:
    """The table header words of a report that LibreOffice's PDF (beside it) splits across lines: 'Responsa|ble'."""
    heads = {w for t in docx.Document(report).tables for c in t.rows[0].cells for w in re.findall(r"\w[\w'-]+", c.text)}
    pdf = subprocess.run(["pdftotext", str(report.with_suffix(".pdf")), "-"], capture_output=True, text=True).stdout
    return [
        f"{w[:k]}|{w[k:]}"
        for w in sorted(heads)
        for k in range(2, len(w))
        if re.search(rf"(?<!\w){re.escape(w[:k])}\n+{re.escape(w[k:])}(?!\w)", pdf)
    ]


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading") and p.text.strip()]


def report_of(answers: Path, out: Path, lang: str | None = None) -> Path:
    """The report of an answers file as `assess report` makes it: in the assessment's language unless lang says."""
    scored = score_file(answers, lang=lang)
    set_language(scored.language)
    render_report(scored.result, out, answers_file=scored.name, lang=scored.language)
    return out


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    out = report_of(FIXTURE, tmp_path_factory.mktemp("fr") / "rapport.docx")
    set_language("en")
    return out


def test_the_french_report_has_french_headings_labels_and_framework_texts(french):
    d = docx.Document(french)
    text = all_text(d)
    found = headings(d)
    for heading in HEADINGS_FR + (f"Annexe{NBSP}: réponses question par question", "Méthode", "Appréciations"):
        assert heading in found, (heading, found)
    for english in (
        "Executive summary",
        "Bottom line",
        "Plan of action",
        "Annex:",
        "Headline rating",
        "Information cut-off",
    ):
        assert english not in text
    # the cover's facts and the tables' headers
    assert "Date d'arrêt de l'information" in text and "Rapport établi le" in text and "Mention de diffusion" in text
    score_table = next(t for t in d.tables if t.rows[0].cells[0].text == "Score")
    assert [c.text for c in score_table.rows[0].cells] == ["Score", "Valeur", "Échelle", "Appréciation"]
    # the framework's texts as its French gives them: section titles, questions, options, rating words, actions
    assert "Marchés illicites" in found and "Illicit markets" not in text
    assert "Quelle est l'ampleur du marché des armes ?" in text
    assert f"Réponse{NBSP}: Élevé" in text
    assert "Cartographier les routes des armes sur les quais." in text
    row = next(r for r in score_table.rows if r.cells[0].text == "Marchés illicites")
    assert [c.text for c in row.cells] == ["Marchés illicites", "3,00", "1–4, plus élevé est plus grave", "Élevée"]


def test_numbers_have_a_decimal_comma_and_dates_are_written_out(french):
    d = docx.Document(french)
    text = all_text(d)
    # the headline: its score with a comma, its scale, its French rating; French typography before the colon
    assert f"Marchés illicites{NBSP}: 3,00 sur 1–4, plus élevé est plus grave — Élevée." in text
    assert "3.00" not in text and "0,00–2,00" in text  # the ratings' ranges too
    # the information cut-off (a date question), the file's last update and the date answered, written out
    assert f"Date d'arrêt de l'information{NBSP}: 1er décembre 2026" in text
    assert "dernière mise à jour" in text and "20 novembre 2026" in text
    assert f"Réponse{NBSP}: 1er décembre 2026" in text
    assert "2026-12-01" not in text and "2026-11-20" not in text
    # the ids, the answers' values and the hash do not change with the language
    assert "quayside-check" in text and "IR-1" in text


def test_the_document_and_its_payload_record_the_language(french):
    with zipfile.ZipFile(french) as z:
        styles = z.read("word/styles.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="fr-FR"', styles, re.S)
    assert "<dc:language>fr-FR</dc:language>" in core
    payload = read_payload(french)
    assert payload["language"] == "fr" and payload["answers"]["language"] == "fr"
    markets = next(s for s in payload["result"]["sections"] if s["id"] == "markets")
    assert markets["score"] == 3 and markets["display"] == "3.00"  # the payload's numbers never change language


def test_lang_en_gives_the_english_report_of_a_french_assessment(tmp_path):
    d = docx.Document(report_of(FIXTURE, tmp_path / "report.docx", lang="en"))
    text = all_text(d)
    assert "Executive summary" in headings(d) and "Illicit markets" in headings(d)
    assert "Illicit markets: 3.00 on 1–4, higher is worse — High." in text
    assert "Information cut-off: 2026-12-01" in text  # English reports keep their ISO dates, as before
    assert "décembre" not in text and "Résumé" not in text
    assert read_payload(tmp_path / "report.docx")["language"] == "en"


def test_the_templates_words_all_come_from_the_french_catalogue():
    words = [m for t in text_of(ROOT / "templates" / "assessment.docx") for m in re.findall(r'_\("([^"]+)"', t)]
    assert len(words) > 60
    po = read(po_path("report", "fr"))
    untranslated = [w for w in words if w not in po or not po[w].string or po[w].fuzzy]
    assert untranslated == []
    assert catalogue("report", "fr").gettext("Executive summary") == "Résumé analytique"


def test_a_template_cannot_reach_past_the_sandbox_through_its_words(tmp_path):
    from docx import Document

    template = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph('{{ _("{x.__class__}|{y}|{title}", x=title, y=marking) }}')
    doc.save(template)
    out = tmp_path / "r.docx"
    scored = score_file(FIXTURE)
    render_report(scored.result, out, template, lang="en")
    text = all_text(docx.Document(out))
    # only plain {name} fields are filled: '{x.__class__}' is left as it is, never evaluated
    assert "{x.__class__}|UN RESTRICTED|{title}" in text


def test_the_french_example_gives_a_french_report_and_pdf(tmp_path):
    need("soffice", "pdftotext")
    out = tmp_path / "rapport.docx"
    r = run_cli("report", str(FRENCH_EXAMPLE), "-o", str(out), "--pdf", timeout=300)
    assert r.returncode == 0, r.stderr
    d = docx.Document(out)
    text = all_text(d)
    for heading in HEADINGS_FR:
        assert heading in headings(d)
    assert re.search(r"Indice des liens entre criminalité et politique\xa0: 2,26 sur 0–3", text)
    assert "Très grave" in text  # the framework's French rating word
    assert re.search(r"\b\d{1,2} (novembre|décembre|octobre) 2026\b", text)
    assert read_payload(out)["language"] == "fr"
    pdf = subprocess.run(["pdftotext", "-layout", str(out.with_suffix(".pdf")), "-"], capture_output=True, text=True)
    words = " ".join(pdf.stdout.split())
    assert "Résumé analytique" in words and "L'essentiel" in words and "Plan d'action" in words
    assert "2,26 sur 0–3" in words
    assert re.search(r"rapport établi le \d{1,2} \w+ 20\d\d", words)
    assert "Executive summary" not in words
    # every table header word whole on its line (Responsable, Échéance, Nombre, Réponses once broke)
    assert {"Responsable", "Échéance", "Nombre"} <= set(words.split())
    assert broken_headers(out) == []


def test_the_english_reports_table_headers_fit_too(tmp_path):
    need("soffice", "pdftotext")
    out = tmp_path / "report.docx"
    r = run_cli("report", str(FRENCH_EXAMPLE), "-o", str(out), "--pdf", "--lang", "en", timeout=300)
    assert r.returncode == 0, r.stderr
    assert {"Owner", "Due", "Count"} <= set(all_text(docx.Document(out)).split())
    assert broken_headers(out) == []


def test_the_cores_fixed_wordings_are_in_the_report_catalogue(french):
    from assess.model import ADDRESSEE_LABELS, COLLECTOR_LABELS, GRADE_OFFICIAL
    from assess.report.words import ADDRESSEES, COLLECTORS, GRADE_MEANINGS

    known = set(ADDRESSEES + COLLECTORS + GRADE_MEANINGS)
    meanings = {m for system in GRADE_OFFICIAL.values() for grades in system for m in grades.values()}
    assert set(ADDRESSEE_LABELS.values()) | set(COLLECTOR_LABELS.values()) | meanings <= known
    text = all_text(docx.Document(french))
    assert "Appui à la mission (achats, contrats, logistique)" in text  # the plan's addressee
    assert "Source dont les informations se sont, dans la plupart des cas, révélées fiables" in text  # 4x4's B
    assert "Mission support" not in text and "No doubt of the authenticity" not in text


def test_a_template_with_words_of_its_own_is_said_to_keep_them_w060(tmp_path):
    from docx import Document

    from assess.errors import problem

    template = tmp_path / "hq.docx"
    doc = Document()
    doc.add_paragraph("Headquarters' own heading")
    doc.add_paragraph("{{ title }}")
    doc.save(template)
    scored = score_file(FIXTURE)  # in French, the assessment's language
    set_language(scored.language)
    warnings = render_report(scored.result, tmp_path / "r.docx", template, lang="fr")
    expected = problem(str(template), None, "W060", language="français", template="hq.docx")
    assert [w.message for w in warnings if w.code == "W060"] == [expected.message]
    assert "Headquarters' own heading" in all_text(docx.Document(tmp_path / "r.docx"))
    # the default template, and any template in an English report, say nothing
    assert not [w for w in render_report(scored.result, tmp_path / "d.docx", lang="fr") if w.code == "W060"]
    assert not [w for w in render_report(scored.result, tmp_path / "e.docx", template, lang="en") if w.code == "W060"]


def test_a_language_the_report_does_not_speak_gives_the_english_report(tmp_path):
    scored = score_file(FIXTURE, lang="de")  # the fixture's framework has no German: its default texts, English
    out = tmp_path / "bericht.docx"
    render_report(scored.result, out, lang="de")
    text = all_text(docx.Document(out))
    assert "Executive summary" in text and "Illicit markets: 3.00 on 1–4" in text
    assert "Information cut-off: 2026-12-01" in text and "Dezember" not in text  # no German date in English words
    assert read_payload(out)["language"] == "en"  # the language its words are in: the interface has no German


def test_french_counts_agree_in_number_and_lists_take_french_spacing(tmp_path):
    out = report_of(FRENCH_EXAMPLE, tmp_path / "rapport.docx")
    set_language("en")
    text = all_text(docx.Document(out))
    assert "(s)" not in text
    assert "PROJET — 2 questions obligatoires ouvertes" in text
    assert re.search(r"\b\d+ blocs «\xa0acteur\xa0» évalués", text)
    assert re.search(r"\b\d+ autres actions dans le plan d'action\.", text)
    # lists and labels the report joins: U+202F before ';', U+00A0 before ':'
    assert "Produits de la JMAC\u202f; Analyse criminelle" in text  # a multiple choice answer
    assert "région militaire (fictif)\xa0: Quelle part" in text  # the collection plan's block and question
    assert re.search(r"\bA\xa0: \d+", text)  # sources by grade
    assert "Numéros, constatations et actions correspondent au tableur du plan d'action" in text
    assert "Mention de diffusion" in text
    # an 'unknown' option that says so is not said twice; a horizon's own brackets nest as square ones; no '?.'
    assert "Inconnu — Inconnu" not in text and "Réponse\xa0: Inconnu (lacune de renseignement)" in text
    assert "(d'ici 30 juin 2027 [fin de la période" in text
    assert "?." not in text


def test_a_count_picks_its_plural_form_in_french_and_english_reads_as_before():
    from assess.report.followup import tally_word
    from assess.report.localize import say

    more = "{n} more action(s) in the plan of action."
    set_language("fr")
    try:
        assert [tally_word("dropped", n) for n in (1, 2)] == ["1 abandonnée", "2 abandonnées"]
        assert [say(more, n=n) for n in (1, 3)] == [
            "1 autre action dans le plan d'action.",
            "3 autres actions dans le plan d'action.",
        ]
    finally:
        set_language("en")
    assert [tally_word("dropped", n) for n in (1, 2)] == ["1 dropped", "2 dropped"]
    assert say(more, n=1) == "1 more action(s) in the plan of action."


def test_strict_refuses_a_french_draft_counting_in_french(tmp_path):
    r = run_cli("report", str(FRENCH_EXAMPLE), "-o", str(tmp_path / "r.docx"), "--strict", "--lang", "fr")
    assert r.returncode != 0
    assert "2 éléments manquants" in r.stderr and "item(s)" not in r.stderr
