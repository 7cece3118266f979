"""Tests the tables of the report's body: each section a framework tabulates, opened in the rendered Word file."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import docx.table
import docx.text.paragraph
import pytest
import yaml
from docx.oxml.ns import qn

from assess.errors import MESSAGES
from assess.pipeline import score_files
from assess.report import render_report

from conftest import ROOT, problems

EXAMPLES = sorted((ROOT / "frameworks" / "examples").glob("*.answers.yaml"))
RISK = ["Risk", "Threat level", "Harm", "Trend", "Sleipnir"]  # oc-threat 2.0.0: the SOCTA risk first
SLEIPNIR = ["Corruption", "Violence", "Legal economy", "State infiltration", "Expertise", "Sophistication"]
SLEIPNIR += ["Subversion", "Alliances", "Criminal links", "Armed links", "Monopoly"]  # the ten highest weighted


def framework_of(example: Path) -> Path:
    return ROOT / "frameworks" / example.name.replace(".answers.yaml", ".yaml")


def declared(framework: Path) -> list[dict]:
    """The sections of a framework file that declare a table, read from the YAML itself, in document order."""

    def walk(sections):
        for s in sections:
            if "table" in s:
                yield s
            yield from walk(s.get("sections", []))

    return list(walk(yaml.safe_load(framework.read_text(encoding="utf-8"))["sections"]))


def body_template(folder: Path) -> Path:
    """A template whose body is the loop the default template has for its tables (a heading with the title, the
    table's marker in a paragraph of its own, the note as a caption), so these tests hold whatever else the
    default template shows."""
    path = folder / "matrices.docx"
    if not path.exists():
        d = docx.Document()
        d.add_paragraph("{{ title }}", style="Title")
        d.add_paragraph("{%p for m in matrices %}")
        d.add_paragraph("{{ m.title }}", style="Heading 2")
        d.add_paragraph("{{ m.table }}")
        d.add_paragraph("{{ m.note }}", style="Caption")
        d.add_paragraph("{%p endfor %}")
        d.save(path)
    return path


def rendered(example: Path, tmp_path: Path, template: Path | None = None) -> docx.document.Document:
    out = tmp_path / (example.stem + ".docx")
    render_report(score_files(example, framework_of(example)), out, template or body_template(tmp_path))
    return docx.Document(out)


def header(table) -> list[str]:
    return [c.text for c in table.rows[0].cells]


def fill(cell) -> str | None:
    shd = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
    return shd.get(qn("w:fill")) if shd is not None else None


def text_colours(cell) -> set[str]:
    return {c.get(qn("w:val")) for c in cell._tc.iter(qn("w:color"))}


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance, written out here rather than taken from the code under test."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def matrices_of(document, framework: Path) -> list:
    """The tables of the document that are the framework's declared tables: their first header cell is the block
    label (a repeatable section) or 'Indicator' (a list)."""
    firsts = set()
    for s in declared(framework):
        label = s.get("repeat", {}).get("label", "")
        firsts.add(label[:1].upper() + label[1:] if "repeat" in s else "Indicator")
    return [t for t in document.tables if t.rows and t.rows[0].cells[0].text in firsts]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_one_matrix_per_declared_section_with_its_columns(example, tmp_path):
    framework = framework_of(example)
    sections = declared(framework)
    document = rendered(example, tmp_path)
    tables = matrices_of(document, framework)
    assert len(tables) == len(sections)
    body = [p.text for p in document.paragraphs]
    for section, table in zip(sections, tables, strict=True):
        spec = section["table"]
        assert spec.get("title", section["title"]) in body  # the heading the template gives each table
        entries = spec.get("columns") or spec.get("rows")
        headers = [e["header"] if isinstance(e, dict) and "header" in e else None for e in entries]
        if "columns" in spec:  # one column per entry, after the block's name; declared headers as written
            assert len(table.columns) == 1 + len(entries)
            for wanted, got in zip(headers, header(table)[1:], strict=True):
                assert wanted is None or got == wanted
        else:  # one row per entry, named as declared
            assert header(table) == ["Indicator", "Score", "Rating"]
            assert [r.cells[0].text for r in table.rows[1:]] == [h for h in headers if h]
        first = table.rows[0]._tr.find(qn("w:trPr"))
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        assert all(r._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in table.rows)
        grid = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol")))
        assert grid <= 16.6 / 2.54 * 1440 + 5  # twips: fits the A4 portrait text width
        assert table.style.name in ("Assessment matrix", "Table Grid")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_every_cell_text_reads_on_its_fill(example, tmp_path):
    document = rendered(example, tmp_path)
    checked = 0
    for table in matrices_of(document, framework_of(example)):
        for row in table.rows:
            for cell in row.cells:
                background = fill(cell)
                colours = text_colours(cell)
                assert background and colours, cell.text  # every fill and text colour stated, none left to a style
                for colour in colours:
                    assert contrast(background, colour) >= 4.5, (cell.text, background, colour)
                    checked += 1
    assert checked or not declared(framework_of(example))


def test_threat_matrix_one_row_per_group_risk_first_then_short_sleipnir_ratings(tmp_path):
    example = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"
    result = score_files(example, framework_of(example))
    document = rendered(example, tmp_path)
    table, markets = matrices_of(document, framework_of(example))
    assert header(table) == ["Group or network", *RISK, *SLEIPNIR]
    assert header(markets) == ["Market", "Kind", "Scale", "Harm", "Trend", "Scale × harm"]
    names = [e.name for e in result.answers.entities["groups"]]
    rows = table.rows[1:]
    assert sorted(r.cells[0].text for r in rows) == sorted(names)
    ranked = [name for _, _, name, _ in result.rankings["groups"]]
    assert [r.cells[0].text for r in rows] == ranked  # gravest risk first
    bands = ("Negligible", "Low", "Minor", "Moderate", "Major", "High", "Very high", "Severe")
    for row in rows:
        cells = row.cells[1 + len(RISK) :]
        assert len(cells) == len(SLEIPNIR)
        assert all(re.fullmatch(r"(H|M|L|Nil)\*?|\?|–", c.text) for c in cells), [c.text for c in cells]
        for c in (row.cells[1], row.cells[2], row.cells[3], row.cells[5]):  # risk, threat level, harm, Sleipnir
            value, band = c.text.split("\n")
            assert re.fullmatch(r"\d+\.\d\d", value) and band in bands
            assert c.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    unknown = [c for r in rows for c in r.cells if c.text == "?"]
    low = [c for r in rows for c in r.cells if c.text.endswith("*")]
    plain = [c for r in rows for c in r.cells[1 + len(RISK) :] if c.text in ("H", "M", "L", "Nil")]
    assert unknown and low and plain  # the example has all three
    assert {fill(c) for c in unknown} == {"BFBFBF"}
    assert {fill(c) for c in low} == {"EDEDED"}
    assert [c.text for c in table.rows[1].cells[:5]] == [
        "Front patriotique du Nord-Kessaria (FPNK) (fictional)",
        "22.50\nVery high",
        "4.50\nVery high",
        "5.00\nSevere",
        "Rising",
    ]


def test_hostile_block_names_are_text(tmp_path):
    example = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    hostile = [
        "<w:p>{{ title }}</w:p> {% if 1 %}<b>bold</b>{% endif %}",
        '=HYPERLINK("http://example.invalid","x")',
        "L" + "ong name " * 55,
        "Tab\there, bell\x07, escape\x1b and form feed\x0c removed",
    ]
    for block, name in zip(data["entities"]["groups"], hostile, strict=True):
        block["name"] = name[:500]
    answers = tmp_path / "hostile.answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "hostile.docx"
    warnings = render_report(score_files(answers, framework_of(example)), out, body_template(tmp_path))
    assert any(w.code == "W007" for w in warnings)  # the forbidden characters, named
    table, _markets = matrices_of(docx.Document(out), framework_of(example))
    names = {r.cells[0].text for r in table.rows[1:]}
    assert hostile[0] in names and hostile[1] in names
    long = " ".join(hostile[2].split())
    assert long[:159].rstrip() + "…" in names  # a row never splits, so a name is cut to fit a page; the annex has it
    assert "Tab here, bell, escape and form feed removed" in names


def test_a_section_without_blocks_says_so_where_its_table_would_be(tmp_path):
    example = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["entities"]["groups"] = []
    answers = tmp_path / "none.answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "none.docx"
    render_report(score_files(answers, framework_of(example)), out, body_template(tmp_path))
    document = docx.Document(out)
    (markets,) = matrices_of(document, framework_of(example))  # the markets' table only
    assert header(markets)[0] == "Market"
    assert "No group or network recorded." in [p.text for p in document.paragraphs]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_the_default_template_shows_each_table_in_its_section(example, tmp_path):
    from assess.report import DEFAULT_TEMPLATE

    framework = framework_of(example)
    document = rendered(example, tmp_path, DEFAULT_TEMPLATE)
    tables = matrices_of(document, framework)
    assert len(tables) == len(declared(framework))
    for table in tables:
        assert table._tbl.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(contrast(fill(c), colour) >= 4.5 for r in table.rows for c in r.cells for colour in text_colours(c))


def test_a_column_that_is_not_in_the_section_is_located_and_coded():
    out = problems("""\
        id: t
        version: 1.0.0
        title: T
        sections:
          - id: groups
            title: Groups
            repeat: {label: group}
            table:
              columns: [level, {id: levle, header: Lv}, other]
            questions:
              - {id: level, text: Level?, type: scale, scale: yesno}
          - id: other
            title: Other
            table:
              columns: [o]
            questions:
              - {id: o, text: O?, type: yesno}
        """)
    assert out == [
        "fw.yaml:9:29: "
        + MESSAGES["E241"].format(
            where="sections[0].table.columns[1]", name="levle", section="groups", hint="; did you mean 'level'?"
        )
        + " [E241]",
        "fw.yaml:9:49: "
        + MESSAGES["E241"].format(where="sections[0].table.columns[2]", name="other", section="groups", hint="")
        + " [E241]",
        "fw.yaml:15:7: "
        + MESSAGES["E242"].format(
            where="sections[1].table",
            kind="non-repeatable",
            right="rows",
            wrong="columns",
            why="one row per question or score",
        )
        + " [E242]",
    ]


def test_a_template_with_an_assessment_matrix_style_restyles_every_table(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    template = body_template(tmp_path)
    d = docx.Document(template)
    d.styles.add_style("Assessment matrix", WD_STYLE_TYPE.TABLE)
    d.save(template)
    example = ROOT / "frameworks" / "examples" / "crime-politics-nexus.answers.yaml"
    (table,) = matrices_of(rendered(example, tmp_path, template), framework_of(example))
    assert table.style.name == "Assessment matrix"
