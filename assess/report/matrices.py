"""Provides the tables of the report's body: each section a framework tabulates, as plain data, then built in Word."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction
from xml.sax.saxutils import escape

from .. import prose
from ..i18n import N_, domain
from ..model import Framework, Option, Question, QuestionResult, Result, Score, Section, TableEntry
from ..numbers import decimal, shown
from .colours import text_on
from .localize import english, listing, number

_, ngettext, pgettext = domain("report")

WIDTH_CM = 16.6
"""The text width of an A4 portrait page with the template's margins: every table fits it."""
STYLE = "Assessment matrix"
"""The table style HQ restyles; a template without it gets FALLBACK_STYLE."""
FALLBACK_STYLE = "Table Grid"
"""The style used where the template has no STYLE: plain borders, no banding under the shading."""
HEADER_FILL = "#1F3A5F"
"""The header row's fill (the headings' navy), white text on it."""
PLAIN_FILL = "#FFFFFF"
"""An answered cell with stated or good confidence."""
UNKNOWN_FILL = "#BFBFBF"
"""An unknown answer: an intelligence gap (with '?' in the cell, so the fill is never the only sign)."""
LOW_FILL = "#EDEDED"
"""An answer given with low confidence (with '*' after it)."""
ROTATE_AFTER = 8
"""Columns beyond which the header cells are turned to read bottom to top, so narrow columns keep whole words."""
LOW_MARK = "*"
"""What follows an answer given with low confidence."""
CELL_LIMIT = 160
"""Characters of a written answer a cell shows (the annex has it whole): a row never splits, so it must fit a page."""
NAME_LIMIT = 160
"""Characters of a block's name its row shows, for the same reason."""

Clean = Callable[[object, str], str]
"""The report's cleaner: text with the characters XML forbids removed, warning where."""


def _header(fw: Framework, entry: TableEntry) -> tuple[str, str]:
    """(header, full text) of a table entry: its declared header, or the section title, or the question's text up
    to its first ':' or '?'."""
    if entry.id in fw.questions:
        full = prose.unwrap(fw.questions[entry.id].text).replace("\n\n", " ")
        short = full
        for stop in (":", "?"):
            short = short.split(stop, 1)[0]
        return entry.header or short.strip(), full
    title = fw.all_sections[entry.id].title
    return entry.header or title, title


def _options(fw: Framework, q: Question) -> tuple[Option, ...]:
    return fw.scales[q.scale].options if q.scale and q.scale in fw.scales and not q.options else q.options


def _short(opt: Option) -> str:
    if opt.short:
        return opt.short
    if opt.score is not None and isinstance(opt.value, (int, Fraction)):  # a range step: its number
        return number(decimal(opt.value))
    return opt.label


def _answer(fw: Framework, q: Question, qr: QuestionResult | None) -> tuple[str, bool]:
    """(text, right-aligned) of an answer in a cell: the option short, the number, the text as written."""
    if qr is None or qr.status == "hidden":
        return "", False
    if qr.status == "unanswered":
        return "–", False
    if qr.status == "not_applicable":
        return _(NOT_APPLICABLE), False
    opts: dict[object, Option] = {o.value: o for o in _options(fw, q)}
    if qr.status == "unknown":
        opt = opts.get(qr.value) if not isinstance(qr.value, list) else None
        return (opt.short if opt and opt.short else "?"), False
    if isinstance(qr.value, list):
        return ", ".join(_short(opts[v]) if v in opts else str(v) for v in qr.value), False
    if qr.value in opts:
        opt = opts[qr.value]
        return _short(opt), isinstance(opt.value, (int, Fraction)) and _short(opt) == number(decimal(opt.value))
    if isinstance(qr.value, (int, Fraction)) and not isinstance(qr.value, bool):
        return number(decimal(qr.value)), True  # the unit is the header's to say
    text = " ".join(prose.unwrap(qr.label or str(qr.value)).split())
    return (text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1].rstrip() + "…"), False


def _cell(text: str, fill: str = PLAIN_FILL, right: bool = False, bold: bool = False, centre: bool = False) -> dict:
    """A cell as data: its text, fill, the text colour that reads on the fill, and how it sits (numbers to the right,
    short answers such as H, M, L, Nil, ? centred)."""
    return {"text": text, "fill": fill, "colour": text_on(fill), "right": right, "centre": centre, "bold": bold}


def _score_cell(score: Score | None, places: int) -> tuple[dict, bool]:
    """A score's cell: value and rating on the rating's fill; (cell, whether it has a rating)."""
    if score is None or score.value is None:
        return _cell("–"), False
    text = number(shown(score.value, places)) + (f"\n{score.rating}" if score.rating else "")
    return _cell(text, score.colour or PLAIN_FILL, right=True), bool(score.rating)


def _question_cell(
    fw: Framework, q: Question, qr: QuestionResult | None, low: bool, number: str | None = None
) -> tuple[dict, set[str]]:
    """An answer's cell (its text `number` when given, a score as the list shows it), shaded when unknown or of low
    confidence; the legend entries it needs."""
    text, right = _answer(fw, q, qr)
    if number is not None and qr is not None and qr.status == "answered":
        text, right = number, True
    used = {text} & {"–"} | ({"n/a"} if qr is not None and qr.status == "not_applicable" else set())
    centre = not right and 0 < len(text) <= 4
    if qr is not None and qr.status == "unknown":
        return _cell(text, UNKNOWN_FILL, right, centre=centre), used | {"unknown"}
    if low and qr is not None and qr.status == "answered":
        return _cell(text + LOW_MARK, LOW_FILL, right, centre=centre), used | {"low"}
    if qr is not None and qr.status == "hidden":
        used.add("hidden")
    return _cell(text, right=right, centre=centre), used


NOT_APPLICABLE = N_("n/a")
"""A not-applicable answer in a cell."""
LEGEND = {
    "unknown": N_("? (grey): unknown, an intelligence gap"),
    "low": N_("* (light grey): answered with low confidence"),
    "–": N_("–: not answered"),
    "n/a": N_("n/a: not applicable"),
    "hidden": N_("blank: not asked, its condition was not met"),
}
"""What each mark of a table means, for its caption."""


def _note(used: set[str], order: str, rated: bool) -> str:
    parts = [order] if order else []
    if rated:
        parts.append(_("Scores show their value and rating on the rating's colour."))
    marks = [_(text) for key, text in LEGEND.items() if key in used]
    if marks:
        parts.append(listing(marks) + ".")
    return " ".join(parts)


def _block_table(result: Result, sec: Section, clean: Clean) -> dict:
    """A repeatable section's table: one row per block (ranked when the section ranks them), its columns."""
    fw = result.framework
    assert sec.table is not None
    entries = sec.table.columns
    by_key = {(q.id, q.entity): q for q in result.questions}
    low = {(g.id, g.entity) for g in result.gaps if g.kind == "low_confidence"}
    blocks = result.answers.entities.get(sec.id, [])
    order = [e for _, e, _, _ in result.rankings.get(sec.id, ())] if sec.repeat and sec.repeat.rank_by else []
    ranked = sorted(blocks, key=lambda b: order.index(b.id) if b.id in order else len(order))
    label = sec.repeat.label if sec.repeat else _("Block")
    headers = [_header(fw, e) for e in entries]
    kinds = ["question" if e.id in fw.questions else "score" for e in entries]
    rows, used, rated = [], set(), False
    for b in ranked:
        name = " ".join(clean(b.name, f"{sec.id} block {b.id}").split()) or b.id
        name = name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"
        row = [_cell(name, bold=True)]
        for e, kind in zip(entries, kinds, strict=True):
            if kind == "score":
                score = result.entity_scores.get(sec.id, {}).get(b.id, {}).get(e.id)
                cell, has = _score_cell(score, fw.precision)
                rated = rated or has
            else:
                q = fw.questions[e.id]
                cell, marks = _question_cell(fw, q, by_key.get((e.id, b.id)), (e.id, b.id) in low)
                cell["text"] = clean(cell["text"], f"{e.id} ({name})")
                used |= marks
            row.append(cell)
        rows.append(row)
    rank_title = ""
    if sec.repeat and sec.repeat.rank_by and order:
        by = _("score") if sec.repeat.rank_by == sec.id else _header(fw, TableEntry(sec.repeat.rank_by))[1]
        rank_title = _("Rows ranked by {by}, gravest first.").format(by=by)
    widths = [4.0] + [_weight(fw, e.id, k) for e, k in zip(entries, kinds, strict=True)]
    return {
        "header": [label[:1].upper() + label[1:]] + [h for h, _ in headers],
        "rows": rows,
        "key": [full if full.startswith(h) else f"{h} — {full}" for h, full in headers if h != full],
        "widths": _fit(widths),
        "rotate": len(entries) > ROTATE_AFTER,
        "note": _note(used, rank_title, rated),
        "empty": _("No {label} recorded.").format(label=label) if not rows else "",
    }


def _weight(fw: Framework, qid: str, kind: str) -> float:
    """How wide a column is, relative to others: a score 2, a short answer 1, long answers 3."""
    if kind == "score":
        return 2.0
    q = fw.questions[qid]
    if q.type in ("text", "multiple"):
        return 3.0
    longest = max((len(_short(o)) for o in _options(fw, q)), default=6)
    return 1.0 if longest <= 4 else 2.0 if longest <= 10 else 3.0


def _fit(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [math.floor(WIDTH_CM * w / total * 100) / 100 for w in weights]  # down: the sum never passes the width


def _list_table(result: Result, sec: Section, clean: Clean) -> dict:
    """Any other section's table, an indicator list: one row per question or score, with answer and rating."""
    fw = result.framework
    assert sec.table is not None
    by_key = {(q.id, q.entity): q for q in result.questions if q.entity is None}
    low = {g.id for g in result.gaps if g.kind == "low_confidence" and g.entity is None}
    rows, used, rated, banded = [], set(), False, False
    for e in sec.table.rows:
        header = _header(fw, e)[0]
        if e.id in fw.questions:
            q = fw.questions[e.id]
            qr = by_key.get((e.id, None))
            # an indicator's score to the framework's precision, as its section's: 7.00 beside 6.40
            score = number(shown(qr.score, fw.precision)) if qr is not None and qr.score is not None else None
            cell, marks = _question_cell(fw, q, qr, e.id in low, score)
            cell = dict(cell, right=True, centre=False)
            used |= marks
            band = _band(fw, q, qr)
            if band is not None:
                rating = _cell(band[0], band[1])
                banded = True
            else:
                rating = _cell("")
            cell["text"] = clean(cell["text"], e.id)
        else:
            cell, has = _score_cell(result.sections.get(e.id), fw.precision)
            rated = rated or has
            text = cell["text"].split("\n")
            rating = _cell(text[1] if len(text) > 1 else "", cell["fill"])
            cell = _cell(text[0], right=True)
        rows.append([_cell(header, bold=e.id not in fw.questions), cell, rating])
    note = _note(used, "", False)
    if rated or banded:
        rule = (
            _("Ratings are on their band's colour, an indicator's by its section's bands.")
            if banded
            else _("Ratings are on their band's colour.")
        )
        note = f"{rule} {note}".strip()
    return {
        "header": [_("Indicator"), _("Score"), _("Rating")],
        "rows": rows,
        "key": [],
        "widths": _fit([9.0, 1.6, 2.6]),
        "rotate": False,
        "note": note,
        "empty": "",
    }


def _band(fw: Framework, q: Question, qr: QuestionResult | None) -> tuple[str, str] | None:
    """The rating band of an answered question's score, by its section's rating scheme, when the scheme rates the
    question's whole scale: (label, colour)."""
    if qr is None or qr.status != "answered" or qr.score is None or q.score_range is None:
        return None
    sec = fw.all_sections[q.section]
    scheme = fw.rating_for(sec.rating)
    if scheme is None or not scheme.bands:
        return None
    lo, hi = q.score_range
    if lo < scheme.bands[0].min or hi > scheme.bands[-1].max:
        return None
    band = scheme.band(qr.score)
    return (band.label, band.colour or PLAIN_FILL) if band else None


def matrices(result: Result, clean: Clean) -> list[dict]:
    """The tables of the report's body, in the order of the framework's sections: id, title, note, table (text the
    renderer replaces with the table), and the table's header, rows of cells, key, widths (cm) as plain data."""
    fw = result.framework
    out = []
    for sec in fw.all_sections.values():
        if sec.table is None:
            continue
        data = _block_table(result, sec, clean) if sec.repeat else _list_table(result, sec, clean)
        out.append(
            {
                "id": sec.id,
                "title": clean(sec.table.title or sec.title, sec.id),
                "note": data.pop("note"),
                "table": "",
                **data,
            }
        )
    return out


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TWIPS_PER_CM = 1440 / 2.54
"""Word's unit of table widths (a twentieth of a point)."""
SIZE = 16
"""Cell text size in half-points: 8 pt."""


def _text(text: str) -> str:
    """Text as the runs of a cell: escaped as XML data, forbidden characters dropped, a line break where it has one."""
    lines = escape(_FORBIDDEN.sub("", text).replace("\t", " ")).split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)


def _cell_xml(data: dict, width: int, header_height: bool = False, turned: bool = False) -> str:
    align = "right" if data.get("right") else "center" if data.get("centre") else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{data["fill"].lstrip("#").upper()}"/>'
        + ('<w:textDirection w:val="btLr"/>' if turned else "")
        + '</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/>'
        + (f'<w:jc w:val="{align}"/>' if align else "")
        + "</w:pPr><w:r><w:rPr>"
        + ("<w:b/>" if data.get("bold") else "")
        + f'<w:color w:val="{data["colour"].lstrip("#").upper()}"/><w:sz w:val="{SIZE}"/><w:szCs w:val="{SIZE}"/>'
        + f"</w:rPr>{_text(data['text'])}</w:r></w:p></w:tc>"
    )


def table_xml(matrix: dict, style_id: str | None) -> str:
    """A matrix as a Word table (w:tbl): the style named, or plain borders where the template has none; the header
    row repeated on each page and turned past ROTATE_AFTER columns, rows that never split, the widths fixed."""
    widths = [int(w * TWIPS_PER_CM) for w in matrix["widths"]]
    header, rows = matrix["header"], matrix["rows"]
    turned = bool(matrix.get("rotate"))
    borders = (
        ""
        if style_id
        else (
            "<w:tblBorders>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
    )
    out = [
        f"<w:tbl {_W}><w:tblPr>"
        + (f'<w:tblStyle w:val="{escape(style_id, {chr(34): "&quot;"})}"/>' if style_id else "")
        + f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>{borders}<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="28" w:type="dxa"/><w:right w:w="28" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" '
        'w:noVBand="1"/></w:tblPr><w:tblGrid>' + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"
    ]
    height = ""
    if turned:  # the longest header, turned: about 0.15 cm a character at 8 pt, plus the cell's margins
        cm = min(4.0, 0.4 + 0.15 * max(len(h) for h in header[1:]))
        height = f'<w:trHeight w:val="{int(cm * TWIPS_PER_CM)}" w:hRule="atLeast"/>'
    out.append(f"<w:tr><w:trPr><w:cantSplit/>{height}<w:tblHeader/></w:trPr>")
    for i, text in enumerate(header):
        numbers = bool(rows) and i > 0 and all(r[i].get("right") for r in rows)
        data = {"text": text, "fill": HEADER_FILL, "colour": "#FFFFFF", "bold": True, "right": numbers and not turned}
        out.append(_cell_xml(data, widths[i], turned=turned and i > 0))
    out.append("</w:tr>")
    for row in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out += [_cell_xml(data, widths[i]) for i, data in enumerate(row)]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _paragraph_xml(text: str, style_id: str | None) -> str:
    style = f'<w:pPr><w:pStyle w:val="{escape(style_id, {chr(34): "&quot;"})}"/></w:pPr>' if style_id else ""
    return (
        f'<w:p {_W}>{style}<w:r><w:rPr><w:sz w:val="{SIZE}"/><w:szCs w:val="{SIZE}"/></w:rPr>{_text(text)}</w:r></w:p>'
    )


def place_tables(document, tables: dict[str, dict]) -> None:
    """Put each table where the rendering left its marker, in the body (with its key under it); elsewhere
    (headers, footers, notes) a table has no place and its marker is removed."""
    if not tables:
        return
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    ids = {(s.type, s.name): s.style_id for s in document.styles}
    table_style = ids.get((WD_STYLE_TYPE.TABLE, STYLE)) or ids.get((WD_STYLE_TYPE.TABLE, FALLBACK_STYLE))
    caption = ids.get((WD_STYLE_TYPE.PARAGRAPH, "Caption"))
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for t in list(element.iter(qn("w:t"))):
            found = [m for m in tables if t.text and m in t.text]
            for m in found:
                t.text = t.text.replace(m, "")
                if part is not document.part:
                    continue
                para = next(a for a in t.iterancestors() if a.tag == qn("w:p"))
                matrix = tables[m]
                if matrix["rows"]:
                    para.addprevious(parse_xml(table_xml(matrix, table_style)))
                    if matrix.get("key"):
                        key = _("Key: {items}.").format(items=listing(matrix["key"]))
                        key = key if english() else re.sub(r"([?!…])\.$", r"\1", key)  # not '?.' (not in English yet)
                        para.addprevious(parse_xml(_paragraph_xml(key, caption)))
                else:
                    t.text = matrix.get("empty", "")
                empty = not "".join(x.text or "" for x in para.iter(qn("w:t"))).strip()
                if empty and para.getparent().tag == qn("w:body"):
                    para.getparent().remove(para)
