"""The headquarters summary read at a glance: its first table (a row per mission, worst first, change in words,
DRAFT), the policy recommendation x mission matrix, DRAFT on the cover and in the header, summary.csv as a
spreadsheet reads it, and trend axes on the whole scale. Built from answers files, so no report is rendered."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pgserver import BACKENDS, new_address

from assess.answers import dumps, load_answers
from assess.cli import main
from assess.collect.chart import DPI, readable, trend_axis
from assess.collect.collect import collect
from assess.collect.compare import BOM, CSV_COLUMNS, as_text, compare, to_csv
from assess.collect.glance import change_words
from assess.collect.store import Store
from assess.collect.summary import render_summary
from assess.colour import BLACK, contrast
from assess.loader import load_framework
from assess.model import Answer
from assess.pipeline import score_file
from assess.plan import plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "frameworks" / "examples"
DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?")


def _write(folder: Path, stem: str, name: str, values: dict | None = None, **metadata) -> None:
    answers, _ = load_answers(EXAMPLES / f"{name}.answers.yaml")
    answers.metadata.update(metadata)
    for qid, v in (values or {}).items():
        answers.answers[qid] = Answer(value=v)
    if metadata.get("period"):  # another period of the same assessment: its own id
        answers.id = answers.id[:-12] + f"{abs(hash(stem)) % 10**12:012d}"
    (folder / f"{stem}.answers.yaml").write_text(dumps(answers), encoding="utf-8")


@pytest.fixture(scope="module", params=BACKENDS)
def hq(request, tmp_path_factory) -> Path | str:
    """The six examples (mission-readiness with its two open required questions answered: complete), an earlier
    UNIMVA period with more criminality, and an earlier UNISMAR period written '2026-03'; in a SQLite store and
    in a PostgreSQL one (the summary is the same whichever it is read from)."""
    root = tmp_path_factory.mktemp("summary")
    inbox = root / "inbox"
    inbox.mkdir()
    for path in sorted(EXAMPLES.glob("*.answers.yaml")):
        if not path.name.startswith("mission-readiness"):
            (inbox / path.name).write_bytes(path.read_bytes())
    _write(inbox, "readiness", "mission-readiness", {"strategic_comms": "partial", "root_cause_programming": "partial"})
    _write(
        inbox,
        "unimva-2026-H1",
        "goci-profile",
        {"human_smuggling": 10, "human_trafficking": 10},
        period="2026-H1",
        updated="2026-06-30T12:00:00Z",
    )
    _write(inbox, "unismar-2026-03", "sanctions-coherence", period="2026-03", updated="2026-03-31T12:00:00Z")
    path = new_address(request, request.param, root)
    with Store(path) as store:
        result = collect([inbox], store, jobs=1)
        assert not result.rejected, result.summary()
    return path


@pytest.fixture(scope="module")
def summary(hq, tmp_path_factory) -> tuple[Path, object]:
    with Store(hq) as store:
        c = compare(store)
    out = tmp_path_factory.mktemp("docx") / "summary.docx"
    render_summary(c, out)
    return out, c


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _first_table_after_title(doc):
    body = list(doc.element.body)
    title = next(
        i for i, el in enumerate(body) if el.tag == qn("w:p") and "headquarters summary" in "".join(el.itertext())
    )
    table = next(el for el in body[title:] if el.tag == qn("w:tbl"))
    return next(t for t in doc.tables if t._tbl is table)


def test_the_summary_opens_with_one_table_a_row_per_mission_worst_first(summary):
    out, c = summary
    doc = Document(out)
    table = _first_table_after_title(doc)
    rows = _rows(table)
    assert rows[0] == [
        "Mission, period", "Framework: headline", "Headline score", "Change", "Critical", "High", "Answered",
        "Required open", "Draft",
    ]  # fmt: skip
    missions = [r[0].split(",")[0] for r in rows[1:]]
    assert sorted(missions) == ["MINUSKES", "MINUVEL", "UNIMVA", "UNISMAR", "UNISMIN", "UNMIRT"]
    # worst first: the headline rating's band, then its place on the scale, direction applied
    grave = [g.severity for g in c.glance]
    assert grave == sorted(grave, reverse=True)
    assert missions[:2] == ["MINUSKES", "MINUVEL"]  # 'Very high' and 'Severe': the top band of their scales
    by = {r[0].split(",")[0]: r for r in rows[1:]}
    assert by["MINUSKES"][1:4] == [
        "Organized-crime threat assessment (SOCTA style): Armed groups and criminal networks",
        "22.50 Very high",  # oc-threat 2.0.0: the gravest group's risk (threat x harm), 1-25
        "first period",
    ]
    # two axes for the index profile; criminality was higher in 2026-H1: better now, in words
    unimva = by["UNIMVA"]
    assert unimva[0] == "UNIMVA, 2026-H2" and unimva[1] == "Organized crime index profile: Criminality · Resilience"
    assert re.fullmatch(r"Criminality \d\.\d\d High; Resilience \d\.\d\d Low", unimva[2])
    assert re.fullmatch(r"Criminality: ▼ \d\.\d\d better; Resilience: no change", unimva[3])
    assert by["UNISMAR"][3].startswith(("▲", "▼", "no change"))  # since '2026-03', its previous period
    # DRAFT where a required question is open; the completed readiness assessment is no draft
    assert by["UNISMIN"][8] == "" and by["UNISMIN"][7] == "0"
    assert all(r[8] == "DRAFT" and int(r[7]) > 0 for m, r in by.items() if m != "UNISMIN")
    assert all(re.fullmatch(r"\d{1,3}%", r[6]) for r in rows[1:])
    assert by["UNMIRT"][4:6] == ["4", "13"]  # critical and high actions, one per rule as the plan counts them
    # the headline cell shaded with its band's colour, lightened until black text reads at WCAG AA
    for row in table.rows[1:]:
        shd = row.cells[2]._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        assert shd is not None and contrast("#" + shd.get(qn("w:fill")), BLACK) >= 4.5
    # the header row repeats on every page
    assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_readable_fills_keep_light_colours_and_lighten_dark_ones():
    assert readable("#FDAE61") == "FDAE61"
    dark = readable("#1F3A5F")
    assert dark != "1F3A5F" and contrast("#" + dark, BLACK) >= 4.5
    assert readable("") == "FFFFFF" and readable("red") == "FFFFFF"


def test_change_is_in_words_with_the_direction_of_the_score():
    assert change_words(2.0, 2.42, "threat") == "▲ 0.42 worse"
    assert change_words(2.42, 2.0, "threat") == "▼ 0.42 better"
    assert change_words(2.0, 2.42, "resilience") == "▲ 0.42 better"
    assert change_words(2.42, 2.0, "resilience") == "▼ 0.42 worse"
    assert change_words(2.0, 2.001, "threat") == "no change"
    assert change_words(None, 2.0, "threat") == ""


def test_recommendations_are_counted_by_policy_recommendation_across_frameworks(summary):
    out, _ = summary
    doc = Document(out)
    matrix = next(_rows(t) for t in doc.tables if _rows(t)[0][:2] == ["Policy", "Missions"])
    missions = ["MINUSKES", "MINUVEL", "UNIMVA", "UNISMAR", "UNISMIN", "UNMIRT"]
    assert matrix[0][2:] == missions
    labels = [r[0] for r in matrix[1:]]
    everywhere = {"UNU-CPR 1"}
    # counted by the rules' primary links (issue 16): UNU-CPR 1 is called for in all six missions, and comes first
    assert set(labels[:1]) == everywhere
    for row in matrix[1:2]:
        assert row[1] == "6 of 6" and all(re.fullmatch(r"[1-9]\d*", x) for x in row[2:]), row
    assert all(r[1] != "6 of 6" for r in matrix[2:])
    spread = [int(r[1].split(" of ")[0]) for r in matrix[1:]]
    assert spread == sorted(spread, reverse=True)  # most widespread first
    # what each asks, below the matrix
    legend = {
        r[0]: r[1:] for r in next(_rows(t) for t in doc.tables if _rows(t)[0] == ["Policy", "What it asks", "Missions"])
    }
    assert legend["UNU-CPR 1"] == ["Reconceptualize peace operations tools (1a, 1b, 1c, 1d, 1e, 1f)", "6 of 6"]
    assert legend["NUPI 1"] == ["Achieve greater coherence between sanctions and peace operations", "3 of 6"]
    assert legend["UNU-CPR 3"][0].startswith("Protect and reinforce monitoring and enforcement tools (3")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "In every mission: " in text and all(x in text.split("In every mission: ")[1] for x in everywhere)
    # the per-rule detail follows, each rule with its policy rows
    detail = next(_rows(t) for t in doc.tables if _rows(t)[0][:2] == ["#", "Missions"])
    assert detail[0][5] == "Policy" and any("NUPI" in r[5] or "UNU-CPR" in r[5] for r in detail[1:])
    body = [el for el in doc.element.body if el.tag == qn("w:tbl")]
    tables = {id(t._tbl): n for n, t in enumerate(doc.tables)}
    order = [tables[id(el)] for el in body if id(el) in tables]
    first_matrix = next(n for n, t in enumerate(doc.tables) if _rows(t)[0][:2] == ["Policy", "Missions"])
    first_detail = next(n for n, t in enumerate(doc.tables) if _rows(t)[0][:2] == ["#", "Missions"])
    assert order.index(first_matrix) < order.index(first_detail)


def test_draft_is_on_the_cover_and_in_the_header_when_any_input_is_a_draft(summary, hq, tmp_path):
    out, _ = summary
    doc = Document(out)
    assert "DRAFT — 5 of the 6 latest assessments are drafts (required questions open)" in [
        p.text for p in doc.paragraphs
    ]
    assert [p.text for p in doc.sections[0].header.paragraphs] == ["UN RESTRICTED — DRAFT"]
    with Store(hq) as store:
        c = compare(store, framework="mission-readiness")  # the one complete assessment
    render_summary(c, tmp_path / "final.docx")
    doc = Document(tmp_path / "final.docx")
    assert not any(p.text.startswith("DRAFT") for p in doc.paragraphs)
    assert [p.text for p in doc.sections[0].header.paragraphs] == ["UN RESTRICTED"]
    assert _rows(_first_table_after_title(doc))[1][8] == ""


def test_summary_csv_has_a_bom_and_nothing_a_spreadsheet_turns_into_a_date(hq, tmp_path, capsys):
    out, out_csv = tmp_path / "s.docx", tmp_path / "summary.csv"
    assert main(["compare", "--store", str(hq), "-o", str(out), "--csv", str(out_csv)]) == 0
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    numbers = {CSV_COLUMNS.index("value"), CSV_COLUMNS.index("display")}  # meant as numbers: '2.60' stays one
    cells = [cell for row in rows[1:] for n, cell in enumerate(row) if n not in numbers]
    assert not [x for x in cells if DATE_LIKE.fullmatch(x)]  # '5/2', '2026-03', '1-2': none left bare
    exact = [r[CSV_COLUMNS.index("exact")] for r in rows[1:]]
    assert any(x.startswith("'") and "/" in x for x in exact)  # exact fractions stay fractions, as text
    assert all(Fraction(x.lstrip("'")) is not None for x in exact if x)
    periods = {r[CSV_COLUMNS.index("period")] for r in rows[1:]}
    assert {"'2026-03", "2026-H1", "2026-H2"} <= periods  # a month would be a date; halves stay as written
    assert not [x for x in cells if x.startswith(("=", "+", "@"))]
    capsys.readouterr()
    assert main(["compare", "--store", str(hq), "-o", str(tmp_path / "t.docx"), "--csv", "-"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(",".join(CSV_COLUMNS))  # no byte-order mark on a terminal


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("5/2", "'5/2"),
        ("1-2", "'1-2"),
        ("2024-03", "'2024-03"),
        ("3.10", "'3.10"),
        ("March 2026", "'March 2026"),
        ("2024-Q3", "2024-Q3"),
        ("2026-H2", "2026-H2"),
        ("Very high", "Very high"),
        ("UNIMVA", "UNIMVA"),
    ],
)
def test_text_cells_that_would_become_dates_or_numbers_stay_text(cell, written):
    assert as_text(cell) == written
    rows = list(csv.reader(io.StringIO(to_csv_cell(cell))))
    assert rows[1][0] == written


def to_csv_cell(cell: str) -> str:
    """A one-cell CSV as compare's CSV writes a text cell (csv_text after as_text)."""
    from assess.output import csv_text

    return csv_text(["cell"], [[as_text(cell)]])


def test_trend_axes_are_the_whole_scale_and_the_alt_text_says_so(summary):
    out, c = summary
    goci = next(v for v in c.frameworks if v.id == "goci-profile")
    assert goci.scales["criminality"] == (1.0, 10.0) and goci.scales["resilience"] == (1.0, 10.0)
    assert trend_axis(goci, "criminality", [6.2, 6.4]) == (1.0, 10.0)
    bands = goci.bands["criminality"]
    assert bands[0][0] == 1.0 and bands[-1][1] == 10.0  # the bands drawn behind cover the scale
    unknown = next(v for v in c.frameworks if v.id == "oc-threat")
    assert trend_axis(unknown, "no-such-score", [2.0, 3.0]) == pytest.approx((1.9, 3.1))
    doc = Document(out)
    descr = [d.get("descr", "") for d in doc.element.body.iter(qn("wp:docPr"))]
    assert len(descr) == 1
    assert "Organized crime index profile, Criminality (axis 1 to 10, the whole scale): UNIMVA 2026-H1 " in descr[0]
    assert "Organized crime index profile, Resilience (axis 1 to 10, the whole scale): " in descr[0]
    assert "MINUVEL" not in descr[0] and "one period" not in descr[0]  # it describes the lines drawn, no others
    with zipfile.ZipFile(out) as z:
        png = next(z.read(n) for n in z.namelist() if n.startswith("word/media/"))
    from PIL import Image

    dpi = Image.open(io.BytesIO(png)).info["dpi"]
    assert round(dpi[0]) == DPI == 300


def test_a_framework_without_a_declared_headline_falls_back_to_its_scores(store_address, tmp_path):
    """A framework assess does not ship (or one made before `headline`): its derived scores, then sections; its
    rules' policy recommendations are unknown, and the summary says so."""
    text = (ROOT / "frameworks" / "goci-profile.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: goci-profile$", "id: goci-local", text, count=1, flags=re.M)
    text = re.sub(r"^headline: .*\n", "", text, count=1, flags=re.M)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "goci-local.yaml").write_text(text, encoding="utf-8")
    fw, _ = load_framework(inbox / "goci-local.yaml")
    assert not getattr(fw, "headline", ())
    answers, _ = load_answers(EXAMPLES / "goci-profile.answers.yaml")
    answers.framework.id, answers.framework.hash, answers.framework.path = fw.id, fw.hash, "goci-local.yaml"
    (inbox / "local.answers.yaml").write_text(dumps(answers), encoding="utf-8")
    with Store(store_address) as store:
        result = collect([inbox], store, jobs=1)
        assert not result.rejected, result.summary()
        c = compare(store)
    (view,) = c.frameworks
    assert not view.declared and view.headline[0] == ("criminality_resilience_gap", "Criminality–resilience gap")
    assert view.scales == {} and view.bands == {}  # no framework file assess knows: no scale either
    (row,) = c.glance
    assert row.severity is None and row.headline[0][0] == "Criminality–resilience gap"
    assert c.policy == [] and c.policy_unmapped and {f for f, _ in c.policy_unmapped} == {"goci-local"}
    render_summary(c, tmp_path / "local.docx")
    text = "\n".join(p.text for p in Document(tmp_path / "local.docx").paragraphs)
    assert "Actions of goci-local are not counted here: assess does not ship that framework" in text


def test_the_csv_is_written_with_its_bom_by_to_csv():
    from assess.collect.comparison import Comparison
    from assess.collect.store import Filters

    empty = Comparison("s", Filters(), "all", [], [], [], [])
    assert to_csv(empty) == BOM + ",".join(CSV_COLUMNS) + "\n"
    assert to_csv(empty, bom=False) == ",".join(CSV_COLUMNS) + "\n"


def test_the_chart_drawn_in_another_process_is_the_chart(summary):
    _, c = summary
    from assess.collect.chart import trend_chart
    from assess.collect.summary import drawn_apart

    png = drawn_apart(c)()
    assert png is not None and png.startswith(b"\x89PNG") and png == trend_chart(c)


def _fill(cell) -> str:
    shd = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    return "" if shd is None else shd.get(qn("w:fill")).upper()


def test_the_actions_rule_by_rule_read_as_each_reports_plan_by_priority_with_none_dropped(summary):
    out, c = summary
    doc = Document(out)
    detail = next(_rows(t) for t in doc.tables if _rows(t)[0][:2] == ["#", "Missions"])
    assert detail[0] == ["#", "Missions", "Priority", "Recommended action", "For whom", "Policy", "Framework"]
    # one row per framework rule, worded as the report's plan words it, every block it fired for listed
    item = next(i for i in plan(score_file(str(EXAMPLES / "crime-politics-nexus.answers.yaml")).result)
                if i.rule == "priority_actor")  # fmt: skip
    assert len(item.blocks) == 3 and "each actor listed" in item.action.lower()
    rows = [r for r in detail[1:] if r[3] == item.action]
    assert len(rows) == 1 and rows[0][4] == "; ".join(item.blocks) and rows[0][1] == "1: MINUVEL"
    assert not any(b in item.action for b in item.blocks)
    # no raw ids in reader-facing cells: the framework's short title, no rule id
    assert rows[0][6] == "Crime–politics nexus"
    rule_ids = {r.rule for r in c.recurring} | {r.framework_id for r in c.recurring}
    assert not any(cell in rule_ids or "_" in cell for r in detail[1:] for cell in r[4:])
    # gravest priority first, then the most missions
    rank = {"Critical": 0, "High": 1, "Medium": 2, "Low": 3}
    keys = [(rank[r[2]], -int(r[1].split(":")[0])) for r in detail[1:]]
    assert keys == sorted(keys) and keys[0][0] == 0
    # none dropped silently: the rows shown and the ones the note counts make every rule that fired
    shown = len(detail) - 1
    note = next(p.text for p in doc.paragraphs if p.text.startswith(f"The {len(c.recurring)} recommended action"))
    assert shown < len(c.recurring)
    assert f"The first {shown} are listed; {len(c.recurring) - shown} more are in each mission's report" in note


def test_a_two_axis_headline_is_shaded_by_its_graver_rating(summary):
    out, c = summary
    doc = Document(out)
    table = _first_table_after_title(doc)
    unimva = next(row for row in table.rows if row.cells[0].text.startswith("UNIMVA"))
    g = next(g for g in c.glance if g.label == "UNIMVA")
    (_, criminality), (_, resilience) = g.headline
    assert (criminality.rating, resilience.rating) == ("High", "Low")
    # 'Low' resilience is the graver (the bottom band of a score better when higher): its colour, not criminality's
    assert readable(resilience.colour) != readable(criminality.colour)
    assert _fill(unimva.cells[2]) == readable(resilience.colour)
    assert "shaded by the graver of its two ratings" in "\n".join(p.text for p in doc.paragraphs)
    # a one-axis headline keeps its own rating's colour
    minuskes = next(row for row in table.rows if row.cells[0].text.startswith("MINUSKES"))
    one = next(g for g in c.glance if g.label == "MINUSKES").headline[0][1]
    assert _fill(minuskes.cells[2]) == readable(one.colour)


def test_the_policy_matrix_is_kept_with_its_heading_and_note(summary):
    out, _ = summary
    doc = Document(out)
    note = next(p for p in doc.paragraphs if p.text.startswith("The policy recommendations (NUPI 2020"))
    assert note.paragraph_format.keep_with_next
    matrix = next(t for t in doc.tables if _rows(t)[0][:2] == ["Policy", "Missions"])
    for row in matrix.rows[:-1]:
        assert all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
        assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
