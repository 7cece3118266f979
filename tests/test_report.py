"""Tests the Word report as headquarters meets it: opened with python-docx, converted by LibreOffice, its payload
read back and verified; bad templates and bad input fail cleanly and leave nothing behind."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from assess.answers import load_answers
from assess.errors import MESSAGES, AssessError, problem
from assess.loader import load_framework
from assess.output import to_json_data
from assess.plan import plan
from assess.prose import unwrap
from assess.report import DEFAULT_TEMPLATE, Limits, read_payload, render_report
from assess.report.render import text_of
from assess.report.template import build
from assess.scoring import score

from conftest import ROOT, need, run_cli

EXAMPLE = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"


def scored_example(path=EXAMPLE):
    answers, _ = load_answers(path)
    fw, _ = load_framework(ROOT / "frameworks" / f"{answers.framework.id}.yaml")
    return score(fw, answers)


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "kessaria.docx"
    result = scored_example()
    warnings = render_report(result, out)
    return out, result, warnings


def test_report_shows_every_visible_question_answer_score_action_and_source(report):
    out, result, warnings = report
    assert warnings == []
    d = docx.Document(out)
    text = all_text(d)
    fw = result.framework
    assert result.answers.metadata["title"] in text
    assert "Organized-crime threat assessment (SOCTA style), version 2.0.0" in text
    for q in result.questions:
        if q.status != "hidden":
            assert fw.questions[q.id].text in text, q.id
        if q.status == "answered" and q.label:
            assert f"Answer: {q.label}" in text, q.id
    for s in result.sections.values():
        if s.inputs:
            assert s.title in text and s.display in text
            if s.rating:
                assert s.rating in text
    for item in plan(result):
        assert item.finding in text and item.action in text and item.reference in text
    for blocks in result.answers.entities.values():
        for e in blocks:
            for a in e.answers.values():
                for src in a.sources:
                    assert src.ref in text
                if a.note:
                    assert a.note.strip() in text
    assert "Not applicable" in text and "Unknown" in text
    assert "Annex: about this assessment" in text and fw.hash in text


def test_marking_and_draft_on_every_page_and_page_numbers(report):
    out, _, _ = report
    d = docx.Document(out)
    header = " ".join(p.text for s in d.sections for p in s.header.paragraphs)
    footer_xml = d.sections[0].footer._element.xml
    assert "UN RESTRICTED — DRAFT — incomplete" in header
    assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml
    assert "UN RESTRICTED" in " ".join(p.text for p in d.sections[0].footer.paragraphs)


def test_score_table_is_shaded_by_rating_band(report):
    out, result, _ = report
    d = docx.Document(out)
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Score")
    groups = result.sections["groups"]
    row = next(r for r in table.rows if r.cells[0].text.strip() == groups.title)
    assert row.cells[1].text == groups.display and row.cells[3].text == groups.rating
    assert row.cells[2].text == "1–25, higher is worse"  # oc-threat 2.0.0: the gravest group's risk
    assert f'w:fill="{groups.colour.lstrip("#")}"' in row.cells[3]._tc.xml


def test_ranking_lists_every_group_by_rank(report):
    out, result, _ = report
    d = docx.Document(out)
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Rank")
    names = [r.cells[1].text for r in table.rows[1:]]
    assert names == [name for _, _, name, _ in result.rankings["groups"]]


def test_payload_round_trips_and_verifies(report):
    out, result, _ = report
    data = read_payload(out)
    assert data["framework"] == {"id": "oc-threat", "version": "2.0.0", "hash": result.framework.hash}
    assert data["answers"]["id"] == result.answers.id
    original = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert data["answers"]["answers"].keys() == original["answers"].keys()
    assert data["result"] == json.loads(json.dumps(to_json_data(result)))


def test_tampered_payload_fails_verification(report, tmp_path):
    out, _, _ = report
    tampered = tmp_path / "tampered.docx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("customXml/item") and b"urn:assess:payload" in data:
                data = data.replace(b"Front patriotique", b"Front patriotiqUE", 1)
            dst.writestr(item, data)
    with pytest.raises(AssessError) as info:
        read_payload(tampered)
    altered = "the payload was altered after the report was made: its SHA-256 does not match"
    assert str(info.value) == str(problem(str(tampered), None, "E406", reason=altered))


def test_payload_reader_refuses_what_is_not_a_report(tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    with pytest.raises(AssessError, match="no assess payload in this document"):
        read_payload(plain)
    text = tmp_path / "notes.docx"
    text.write_text("not a zip")
    with pytest.raises(AssessError, match=r"not a Word \.docx file"):
        read_payload(text)


def test_plan_of_action_csv(tmp_path):
    out, actions = tmp_path / "r.docx", tmp_path / "actions.csv"
    r = run_cli("report", str(EXAMPLE), "-o", str(out), "--actions", str(actions))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(actions.read_text(encoding="utf-8-sig"))))
    result = scored_example()
    assert len(rows) == len(plan(result))  # one row per item of the report's plan
    assert list(rows[0]) == [
        "assessment_id",
        "mission",
        "period",
        "number",
        "priority",
        "priority_rank",
        "finding",
        "action",
        "addressee",
        "for_whom",
        "recommendations",
        "reference",
        "section",
        "rule",
        "owner",
        "due_date",
        "status",
    ]
    assert rows[0]["priority"] == "critical" and rows[0]["owner"] == "" and rows[0]["status"] == ""
    assert [row["addressee"] for row in rows] == [item.addressee for item in plan(result)]  # who must act, each
    assert all(row["addressee"] for row in rows)
    assert r.stdout.splitlines()[-1].startswith(f"wrote {out}: Organized-crime threat assessment")


TEXT_FW = """\
id: text-check
version: 1.0.0
title: Text check
grading: admiralty
sections:
  - id: s
    title: Sources & notes
    questions:
      - {id: level, text: "Level of <extortion> & \\"protection\\" fees", type: scale, scale: five, required: true}
      - {id: where, text: Where?, type: text}
      - {id: ar, text: Arabic name, type: text}
scales:
  five: {range: {min: 1, max: 5, step: 1}}
"""


def test_text_arrives_intact_and_forbidden_characters_are_removed_with_a_warning(tmp_path):
    (tmp_path / "text-check.yaml").write_text(TEXT_FW, encoding="utf-8")
    sources = [
        {
            "ref": f"Interview {i} with a trader in Côte-Nord: 'fees rose' & <stopped>",
            "reliability": "F",
            "credibility": 6,
        }
        for i in range(40)
    ]
    long_note = "Des commerçants rapportent des paiements « informels » aux barrages. " * 200
    answers = {
        "format": "assess-answers/1",
        "framework": {"id": "text-check", "version": "1.0.0", "path": "text-check.yaml"},
        "metadata": {"title": "Évaluation — « Nord » & <Sud> " + "très long titre " * 8, "marking": "UN RESTRICTED"},
        "answers": {
            "level": {"value": 4, "sources": sources, "note": long_note},
            "where": {"value": "Checkpoint 4 & the \"river\" crossing <north> 'east'\x07\x0b end"},
            "ar": {"value": "جبهة التحرير الوطني — منطقة الشمال"},
        },
    }
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    r = run_cli("report", str(path), "-o", str(tmp_path / "t.docx"))
    assert r.returncode == 0, r.stderr
    assert f"{problem(str(path), None, 'W007', where='where', count=2)}\n" in r.stderr
    text = all_text(docx.Document(tmp_path / "t.docx"))
    assert "Checkpoint 4 & the \"river\" crossing <north> 'east' end" in text
    assert 'Level of <extortion> & "protection" fees' in text
    assert "جبهة التحرير الوطني — منطقة الشمال" in text
    assert "Évaluation — « Nord » & <Sud>" in text
    assert text.count("Interview") == 40 and "(F6)" in text
    assert long_note.strip() in text


def test_strict_refuses_an_incomplete_assessment_and_writes_nothing(tmp_path):
    out = tmp_path / "r.docx"
    r = run_cli("report", str(EXAMPLE), "-o", str(out), "--strict")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == str(problem(str(EXAMPLE), None, "E404", detail="1 item(s) missing"))
    # the item is the gap's own text, which the scoring writes (not the message table)
    assert lines[1].startswith(f"{EXAMPLE}: {MESSAGES['E409'].format(item='Required question not answered:')}")
    assert lines[1].endswith(" [E409]")
    assert list(tmp_path.iterdir()) == []


def bad_template(tmp_path, text: str) -> Path:
    d = docx.Document()
    d.add_paragraph("{{ title }}")
    d.add_paragraph(text)
    p = tmp_path / "team.docx"
    d.save(p)
    return p


def refusal(code: str, **fields) -> str:
    """The line a refused template team.docx gives, formatted from the message table."""
    return str(problem("team.docx", None, code, template="team.docx", **fields))


def refusal_up_to(code: str, field: str, template: str = "team.docx") -> str:
    """A refused template's line up to field, whose words come from Jinja or the system, not from assess."""
    return f"{template}: " + MESSAGES[code].split("{" + field + "}")[0].format(template=template)


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("{{ title ", refusal("E401", problem="'{{' is not closed", tag="{{ title")),
        ("{% for x in scores %}{{ x.title }}", refusal_up_to("E401", "problem")),
        ("{{ mission_name }}", refusal("E402", name="mission_name", tag="{{ mission_name }}")),
        ("{{ title.__class__.__mro__ }}", refusal("E407", problem="access to '__class__' is not allowed")),
        ("{% include '/etc/passwd' %}", refusal("E407", problem="including or importing other files is not allowed")),
        ("{{ range(10**9)|list }}", refusal_up_to("E403", "reason")),
    ],
)
def test_bad_or_hostile_templates_fail_cleanly_and_leave_nothing(tmp_path, tag, expected):
    template = bad_template(tmp_path, tag)
    out = tmp_path / "out" / "r.docx"
    out.parent.mkdir()
    with pytest.raises(AssessError) as info:
        render_report(scored_example(), out, template, limits=Limits(seconds=20))
    assert str(info.value).startswith(expected), str(info.value)
    assert list(out.parent.iterdir()) == []


def test_runaway_template_is_stopped_by_the_time_bound(tmp_path):
    template = bad_template(
        tmp_path, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    )
    out = tmp_path / "r.docx"
    with pytest.raises(AssessError) as info:
        render_report(scored_example(), out, template, limits=Limits(seconds=2))
    assert str(info.value) == refusal("E403", reason="it took longer than 2 s")
    assert [p.name for p in tmp_path.iterdir()] == ["team.docx"]


def test_memory_hungry_template_is_stopped_by_the_memory_bound(tmp_path):
    template = bad_template(
        tmp_path, "{% set x = [title] * 100000 %}{% for a in range(100000) %}{% set y = x ~ x %}{% endfor %}"
    )
    with pytest.raises(AssessError, match=re.escape(refusal_up_to("E403", "reason"))):
        render_report(scored_example(), tmp_path / "r.docx", template, limits=Limits(seconds=30, memory_mb=200))


def test_a_file_that_is_not_a_docx_template(tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("hello")
    with pytest.raises(AssessError, match=re.escape(refusal_up_to("E405", "reason", "fake.docx"))):
        render_report(scored_example(), tmp_path / "r.docx", fake)


def test_default_template_is_reproducible_from_the_builder(tmp_path):
    rebuilt = build(tmp_path / "assessment.docx")
    assert text_of(rebuilt) == text_of(DEFAULT_TEMPLATE)


def test_readme_lists_every_template_variable():
    from assess.report.variables import example_context, render

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- variables:start -->\n", 1)[1].split("<!-- variables:end -->", 1)[0]
    assert block == render(example_context()), "run: python -m assess.report.variables, paste into README.md"


def test_libreoffice_converts_the_report_and_keeps_the_payload(report, tmp_path):
    need("soffice", "pdfinfo", "pdftotext")
    out, result, _ = report
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "kessaria.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 15 <= pages <= 60
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Executive summary" in text and "UN RESTRICTED — DRAFT — incomplete" in text
    assert text.count("UN RESTRICTED — DRAFT — incomplete") >= pages  # the marking on every page
    assert f"page {pages} of {pages}" in " ".join(text.split())
    assert result.recommendations[0].finding.split()[0] in text
    # re-saved by LibreOffice as .docx, the payload still verifies
    resaved = tmp_path / "resaved"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(resaved), str(out)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert read_payload(resaved / "kessaria.docx")["answers"]["id"] == result.answers.id


def test_the_method_annex_lists_a_half_step_scale_once_per_option():
    from assess.report.context import build_context

    from conftest import scored

    result = scored(
        """\
id: t
version: 1.0.0
title: T
scales:
  half: {range: {min: 1, max: 2, step: 0.5}, labels: {"2": High}}
sections:
  - id: s
    title: S
    questions:
      - {id: q, text: Q, type: scale, scale: half}
""",
        """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
answers:
  q: {value: 1.5}
""",
    )
    context, _ = build_context(result)
    assert context["method"]["scales"] == [{"title": "half", "options": "1; 1.5; 2 – High"}]


def qn(tag: str) -> str:
    """A w: tag by its namespace."""
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag.split(":")[1]


def core_properties(path: Path) -> dict[str, str]:
    """docProps/core.xml by local name. Read by namespace, not with python-docx: once docxtpl is imported,
    docxcompose has rebound the prefix python-docx finds keywords, category and last-modified-by with."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("docProps/core.xml"))
    return {child.tag.rsplit("}", 1)[-1]: child.text or "" for child in root}


WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


@pytest.fixture(scope="module", params=["oc-threat", "mission-risk"])
def word_native(request, tmp_path_factory):
    """An example's report as rendered, with its scored result."""
    result = scored_example(ROOT / "frameworks" / "examples" / f"{request.param}.answers.yaml")
    out = tmp_path_factory.mktemp("word") / f"{request.param}.docx"
    render_report(result, out)
    return out, result


def test_the_report_carries_its_own_document_properties(word_native):
    import datetime as dt

    out, result = word_native
    meta, fw = result.answers.metadata, result.framework
    props = core_properties(out)
    assert props["title"] == meta["title"]
    assert props["subject"] == f"{fw.title} {fw.version}"
    assert props["creator"] == meta["analyst"]
    assert props["keywords"] == "; ".join([meta["mission"], meta["period"], meta["marking"]])
    assert props["category"] == meta["marking"]
    assert props["lastModifiedBy"] == "assess" and props["description"] == ""
    created = dt.datetime.strptime(props["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert props["modified"] == props["created"]
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                text = z.read(name).decode("utf-8")
                assert "python-docx" not in text and "2013-" not in text, name


def test_the_report_proofs_in_british_english(word_native):
    out, _ = word_native
    styles = docx.Document(out).styles.element
    assert styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["en-GB"]


def test_every_table_repeats_its_header_row_and_no_row_splits(word_native):
    out, _ = word_native
    tables = list(docx.Document(out).element.body.iter(qn("w:tbl")))
    assert tables
    for table in tables:
        rows = table.findall(qn("w:tr"))
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)


def test_every_picture_has_alt_text_naming_its_data(word_native):
    out, result = word_native
    doc_prs = list(docx.Document(out).element.body.iter(WP_DOCPR))
    assert len(doc_prs) == 1 + len(result.heatmaps)
    assert all(d.get("descr") and d.get("title") for d in doc_prs)
    chart = doc_prs[0].get("descr")
    assert chart.startswith("Chart of the scores, each on its own scale")
    for s in result.sections.values():
        if s.value is not None and result.framework.ranges.get(s.id):
            assert f"{s.title} {s.display}" in chart
    for d, (hid, h) in zip(doc_prs[1:], result.heatmaps.items(), strict=True):
        assert d.get("descr").startswith(f"Heat map {h.heatmap.title}")
        for names in h.cells.values():
            assert all(n in d.get("descr") for n in names), hid


def test_framework_text_reaches_the_report_and_the_plan_of_action_as_written(tmp_path):
    """Issue 14 item 4: a YAML | block's line breaks inside a paragraph are spaces in Word and in the CSV."""
    example = ROOT / "frameworks" / "examples" / "goci-profile.answers.yaml"
    out, actions = tmp_path / "goci.docx", tmp_path / "actions.csv"
    r = run_cli("report", str(example), "-o", str(out), "--actions", str(actions))
    assert r.returncode == 0, r.stderr
    single_break = re.compile(r"(?<!\n)\n(?!\n|[-*+•] |\d+[.)] )")  # a lone break that does not open a list item
    document = docx.Document(out)
    paragraphs = [p.text for p in document.paragraphs]
    paragraphs += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert [p for p in paragraphs if single_break.search(p)] == []
    result = scored_example(example)
    for x in result.recommendations:
        assert "\n" in x.finding.strip()  # written as a block: the test would see a break
        assert any(unwrap(x.finding) in p for p in paragraphs), x.rule
    rows = list(csv.DictReader(io.StringIO(actions.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(plan(result))
    assert [cell for row in rows for cell in row.values() if single_break.search(cell)] == []
    assert {x.action for x in plan(result)} == {row["action"] for row in rows}


# issue 14: the report as a decision product, checked on every worked example

EXAMPLES = sorted(
    p.name.removesuffix(".answers.yaml") for p in (ROOT / "frameworks" / "examples").glob("*.answers.yaml")
)
PLAN_HEADERS = ["No.", "Priority", "Finding", "Action", "Addressee", "For whom", "Owner", "Due"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """Every example's report, rendered once: name -> (path, scored result)."""
    folder = tmp_path_factory.mktemp("examples")
    out = {}
    for name in EXAMPLES:
        result = scored_example(ROOT / "frameworks" / "examples" / f"{name}.answers.yaml")
        render_report(result, folder / f"{name}.docx")
        out[name] = (folder / f"{name}.docx", result)
    return out


def body_text(document) -> str:
    """Every paragraph of the body, in tables too, one a line."""
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def test_page_one_of_the_summary_is_the_bottom_line(examples, tmp_path):
    """Converted by LibreOffice, page 1 or 2 of each example says 'Bottom line', the headline rating in words (the
    band's description) and the headline score on its scale."""
    need("soffice", "pdftotext")
    from assess.report.bottomline import band_description, headline_scores, scale_text

    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path)]
        + [str(path) for path, _ in examples.values()],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for name, (_, result) in examples.items():
        pdf = tmp_path / f"{name}.pdf"
        pages = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(pages.split())
        assert "Bottom line" in flat, name
        scores = headline_scores(result)
        assert scores, name
        for s in scores:
            assert " ".join(band_description(result, s).split()) in flat, (name, s.id)
            assert f"{s.display} on {scale_text(result, s)}" in flat, (name, s.id)
        assert "Information cut-off" in flat and ("DRAFT" in flat) == (not result.complete), name


def test_the_headline_of_a_two_axis_framework_is_the_combination():
    from assess.report.bottomline import headline

    result = scored_example(ROOT / "frameworks" / "examples" / "goci-profile.answers.yaml")
    crim, res = (result.derived.get(i) or result.sections[i] for i in result.framework.headline)
    line = headline(result, lambda text, where: text)["line"]
    assert line == f"{crim.rating} criminality, {res.rating.lower()} resilience"


def test_the_plan_of_action_is_one_table_numbered_as_the_plan(examples):
    for name, (path, result) in examples.items():
        document = docx.Document(path)
        tables = [t for t in document.tables if [c.text for c in t.rows[0].cells] == PLAN_HEADERS]
        items = plan(result)
        assert len(tables) == (1 if items else 0), name
        rows = tables[0].rows[1:]
        assert len(rows) == len(items), name
        for row, item in zip(rows, items, strict=True):
            cells = [c.paragraphs[0].text for c in row.cells]  # a second line may say what the finding rests on
            assert cells[:6] == [
                str(item.number),
                item.priority.capitalize(),
                item.finding,
                item.action,
                item.addressee,
                item.for_whom,
            ]
            assert cells[6:] == ["", ""]  # Owner and Due, for the mission to fill in
        # the references go to their annex, numbered to match
        text = body_text(document)
        assert "Annex: references for the actions" in text
        for item in items:
            assert f"{item.number}. {item.reference}" in text, (name, item.number)


def test_sections_are_headings_by_depth_and_the_questions_are_in_the_annex(examples):
    from assess.report.context import build_context

    for name, (path, result) in examples.items():
        document = docx.Document(path)
        fw = result.framework
        styles = {(p.style.name, p.text) for p in document.paragraphs}
        assert {"Heading 1", "Heading 2"} <= {s for s, _ in styles}, name
        for entry in build_context(result)[0]["body"]:
            depth, sid = 0, fw.all_sections[entry["id"]].parent
            while sid:
                depth, sid = depth + 1, fw.all_sections[sid].parent
            assert (f"Heading {min(2 + depth, 4)}", entry["heading"]) in styles, (name, entry["id"])
        titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert titles[:3] == ["Executive summary", "Assessment", "Plan of action"], name
        assert "Annex: answers question by question" in titles and "Annex: about this assessment" in titles
        # a question stays with its answer across a page break
        question = document.styles["Question"]
        assert question.paragraph_format.keep_with_next is True
    used = {p.style.name for path, _ in examples.values() for p in docx.Document(path).paragraphs}
    assert {f"Heading {n}" for n in range(1, 5)} <= used  # crime-politics-nexus goes four deep


def test_a_table_of_contents_that_word_fills_and_a_pdf_shows(examples):
    for name, (path, _) in examples.items():
        document = docx.Document(path)
        instr = [t.text for t in document.element.body.iter(f"{W}instrText")]
        assert any(t.strip().startswith("TOC \\o") for t in instr), name
        settings = document.settings.element
        assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"
        # filled with the headings, each a link to its bookmark, for readers that do not update fields
        anchors = [h.get(f"{W}anchor") for h in document.element.body.iter(f"{W}hyperlink")]
        marks = {b.get(f"{W}name") for b in document.element.body.iter(f"{W}bookmarkStart")}
        assert anchors and set(anchors) <= marks, name
        entries = [p.text for p in document.paragraphs if re.fullmatch(r"TOC \d", p.style.name)]
        assert entries[:2] == ["Executive summary", "Bottom line"], name


def test_every_table_and_picture_of_every_example_is_word_native(examples):
    for name, (path, result) in examples.items():
        document = docx.Document(path)
        body = document.element.body
        for table in body.iter(qn("w:tbl")):
            rows = table.findall(qn("w:tr"))
            assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None, name
        assert all(d.get("descr") for d in body.iter(WP_DOCPR)), name
        props = core_properties(path)
        meta = result.answers.metadata
        assert props["creator"] == meta["analyst"] and props["title"] == meta["title"], name
        assert meta["mission"] in props["keywords"] and meta["period"] in props["keywords"], name


def test_numbers_are_right_aligned_in_score_columns(examples):
    path, _ = examples["oc-threat"]
    table = next(t for t in docx.Document(path).tables if t.rows[0].cells[0].text == "Score")
    assert all(row.cells[1].paragraphs[0].alignment == 2 for row in table.rows)  # WD_ALIGN_PARAGRAPH.RIGHT
    assert [c.text for c in table.rows[0].cells] == ["Score", "Value", "Scale", "Rating"]


def test_no_raw_ids_reach_the_reader(examples):
    """Rule ids and recommendation ids (nupi_1, unu_3c) are for tracing, not for the reader."""
    for name, (path, result) in examples.items():
        text = body_text(docx.Document(path))
        ids = {r.id for r in result.framework.rules if "_" in r.id}
        ids |= {rec for r in result.framework.rules for rec in r.recommendations}
        found = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
        assert found == [], name


def test_named_styles_carry_the_looks_not_direct_formatting(examples):
    path, _ = examples["oc-threat"]
    document = docx.Document(path)
    paragraphs = list(document.paragraphs)
    paragraphs += [p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    used = {p.style.name for p in paragraphs}
    assert {"Question", "Answer", "Finding", "Bottom line", "Marking"} <= used
    for p in paragraphs:
        if p.style.name in {"Question", "Answer", "Finding", "Bottom line", "Marking", "Note"}:
            for r in p.runs:
                assert r._r.rPr is None or len(r._r.rPr) == 0, (p.style.name, p.text)
    header = document.sections[0].header.paragraphs[0]
    assert header.style.name == "Marking"
    # the font is set once, on the document defaults, and no style overrides it
    styles = document.styles.element
    fonts = styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    assert [f.get(qn("w:ascii")) for f in fonts] == ["Calibri"]
    assert all(f.get(qn(f"w:{k}")) == "Calibri" for f in fonts for k in ("hAnsi", "cs", "eastAsia"))
    assert styles.xpath("./w:style//w:rFonts") == []


def test_the_cover_gives_the_headline_and_the_dates_and_the_footer_the_mission_and_period(examples):
    path, result = examples["oc-threat"]
    document = docx.Document(path)
    cover = document.tables[0]
    facts = {row.cells[0].text: row.cells[1].text for row in cover.rows}
    # the cut-off is the answer to the framework's cutoff question, not the latest edit of an answer
    assert result.answers.answers["info_cutoff"].value == "2026-09-30"
    assert facts["Information cut-off"] == "2026-09-30" and facts["Last updated"] == "2026-10-09"
    assert facts["Report generated"] == __import__("datetime").date.today().isoformat()
    texts = [p.text for p in document.paragraphs]
    assert any("Information cut-off: 2026-09-30; last updated: 2026-10-09" in p for p in texts)
    # one line per headline score under the label, said once on the cover
    label = texts.index("Headline rating")
    assert texts[label + 1] == "Armed groups and criminal networks: 22.50 on 1–25, higher is worse — Very high."
    assert not any(p.startswith("Headline rating:") for p in texts)
    assert texts[: texts.index("Executive summary")].count(texts[label + 1]) == 1
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "MINUSKES · 2026-H2" in footer
    # the marking printed once in the body, on the cover; the header and footer carry it on every page
    assert sum(p.text == result.answers.metadata["marking"] for p in document.paragraphs) == 1


def test_gaps_are_a_table_by_kind_with_counts(examples):
    from assess.report.context import GAP_LABELS

    for name, (path, result) in examples.items():
        document = docx.Document(path)
        tables = [t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Kind", "Count", "Examples"]]
        if not result.gaps:
            assert tables == [], name
            continue
        counts = {row.cells[0].text: int(row.cells[1].text) for row in tables[0].rows[1:]}
        expected: dict[str, int] = {}
        for g in result.gaps:
            expected[GAP_LABELS[g.kind]] = expected.get(GAP_LABELS[g.kind], 0) + 1
        assert counts == expected, name


def test_the_bottom_line_of_a_framework_without_a_headline_names_what_is_missing():
    """No headline declared and no derived score: the first top-level score leads; the draft names the section of
    each open required question; without any date the cut-off says it was not recorded."""
    from assess.report.bottomline import bottom_line

    from conftest import scored

    result = scored(
        """\
id: t
version: 1.0.0
title: T
scales:
  lvl: {range: {min: 1, max: 4, step: 1}}
ratings:
  r:
    bands:
      - {min: 1, max: 2.5, label: Low, colour: "#4A90C8", description: Little to worry about.}
      - {min: 2.5, max: 4, label: High, colour: "#E8605A", description: A great deal to worry about.}
rating: r
sections:
  - id: threat
    title: Threat
    questions:
      - {id: a, text: A, type: scale, scale: lvl}
  - id: response
    title: Response
    questions:
      - {id: b, text: B, type: scale, scale: lvl, required: true}
""",
        """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
answers:
  a: {value: 3}
""",
    )
    bottom = bottom_line(result, lambda text, where: text)
    (h,) = bottom["headline"]["scores"]
    assert h["sentence"] == "Threat: 3.00 on 1–4, higher is worse — High."
    assert h["description"] == "A great deal to worry about."
    assert bottom["draft"] == "DRAFT — 1 required question(s) open, in: Response."
    assert (bottom["cutoff"], bottom["updated"]) == ("not recorded", "not recorded")
    assert bottom["findings"] == [] and bottom["actions"] == [] and bottom["more"] == 0


def test_the_cover_of_a_two_axis_framework_gives_the_combination_then_each_score(examples):
    path, result = examples["goci-profile"]
    texts = [p.text for p in docx.Document(path).paragraphs]
    crim, res = (result.derived.get(i) or result.sections[i] for i in result.framework.headline)
    label = texts.index("Headline rating")
    assert texts[label + 1] == f"{crim.rating} criminality, {res.rating.lower()} resilience"
    assert texts[label + 2].startswith(f"{crim.title}: {crim.display} on ")
    assert texts[label + 3].startswith(f"{res.title}: {res.display} on ")
    assert texts[label + 4] == ""


def test_a_blank_assessment_says_it_is_not_yet_rated_and_has_no_findings_yet(tmp_path):
    r = run_cli("new", "goci-profile", "-o", str(tmp_path / "b.yaml"), "--no-open")
    assert r.returncode == 0, r.stderr
    r = run_cli("report", str(tmp_path / "b.yaml"), "-o", str(tmp_path / "b.docx"))
    assert r.returncode == 0, r.stderr
    document = docx.Document(tmp_path / "b.docx")
    texts = [p.text for p in document.paragraphs]
    fw, _ = load_framework(ROOT / "frameworks" / "goci-profile.yaml")
    required = sum(q.required for q in fw.questions.values())
    assert required > 0
    summary = texts[texts.index("Bottom line") :]
    assert "Criminality — Not yet rated: no answers to its questions yet." in summary
    assert "Resilience — Not yet rated: no answers to its questions yet." in summary
    assert f"No findings yet: {required} of {required} required questions are open." in summary
    text = all_text(document)
    assert "No rule of the framework was triggered" not in text and "not rated" not in text.replace("Not yet", "")
    assert "- — not rated" not in text and "Information cut-off: not recorded;" in text
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Information cut-off"] == "not recorded"


def test_a_framework_without_a_cutoff_question_records_no_cutoff(examples):
    """goci-profile declares no cutoff: its example's answers carry edit times, yet no date is put in its place."""
    path, result = examples["goci-profile"]
    assert result.framework.cutoff is None and any(a.at for a in result.answers.answers.values())
    facts = {row.cells[0].text: row.cells[1].text for row in docx.Document(path).tables[0].rows}
    assert facts["Information cut-off"] == "not recorded"


def test_a_scale_with_a_negative_end_is_written_with_a_minus_and_to(tmp_path):
    from conftest import scored

    result = scored(
        """\
id: t
version: 1.0.0
title: T
scales:
  bal: {range: {min: -9, max: 9, step: 1}}
  pos: {range: {min: 1, max: 10, step: 1}}
ratings:
  r:
    bands:
      - {min: -9, max: 0, label: Low, colour: "#4A90C8", description: Little to worry about.}
      - {min: 0, max: 9, label: High, colour: "#E8605A", description: A great deal to worry about.}
  p:
    bands:
      - {min: 1, max: 10, label: Any, colour: "#4A90C8"}
rating: r
headline: [balance]
sections:
  - id: balance
    title: Balance
    questions:
      - {id: a, text: A, type: scale, scale: bal}
  - id: other
    title: Other
    rating: p
    questions:
      - {id: b, text: B, type: scale, scale: pos}
""",
        """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
answers:
  a: {value: -3}
  b: {value: 4}
""",
    )
    render_report(result, tmp_path / "t.docx")
    text = all_text(docx.Document(tmp_path / "t.docx"))
    assert "Balance: -3.00 on \u22129 to 9, higher is worse — Low." in text
    assert "\u22129 to 9, higher is worse" in text and "-9–9" not in text and "-9.00–" not in text
    assert "1–10, higher is worse" in text
    assert "\u22129.00 to 0.00" in text and "1.00–10.00" in text


# issue 16: the analysis a JMAC would sign, checked on every worked example


def test_every_example_prints_its_key_judgements_and_its_collection_plan(examples):
    """Each example's key judgements are on page one with an ICD 203 or PHIA term (band included) and a confidence
    apart; its collection plan has a row per requirement; its plan a row per item, each with its addressee."""
    from assess.report.outlook import judgements

    for name, (path, result) in examples.items():
        document = docx.Document(path)
        tables = {t.rows[0].cells[0].text: t for t in document.tables}
        written, _ = judgements(result, lambda text, where: text)
        fw = result.framework
        if written:
            rows = tables["Key judgement"].rows[1:]
            likelihoods = {o.label for o in fw.questions["kj_likelihood"].options}
            confidences = {o.label for o in fw.questions["kj_confidence"].options}
            assert len(rows) == len(written), name
            for row, j in zip(rows, written, strict=True):
                assert row.cells[0].text == f"{j['number']}. {j['text']}" and j["judgement"][:-1] in j["text"], name
                assert row.cells[1].text in likelihoods and "%)" in row.cells[1].text, name
                assert row.cells[2].text in confidences, name
        else:
            assert "Key judgement" not in tables, name
        if result.requirements:
            rows = tables["IR"].rows[1:]
            assert [r.cells[0].text for r in rows] == [f"IR-{x.number}" for x in result.requirements], name
        items = plan(result)
        if items:
            rows = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == PLAN_HEADERS).rows[1:]
            assert [r.cells[4].text for r in rows] == [i.addressee for i in items], name
