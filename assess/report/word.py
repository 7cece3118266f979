"""Provides the Word-native finish of a rendered document: its properties, proofing language, table rows that
behave across pages and alt text on its pictures; applied after rendering, so it holds for any template."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field

from ..i18n import domain, primary
from ..i18n import language as interface_language
from ..model import Result
from .localize import english, listing, numbers, pair

_, ngettext, pgettext = domain("report")

LANGUAGE = "en-GB"
"""The proofing language set on the document defaults."""
WORD_LANGUAGES = {"en": LANGUAGE, "fr": "fr-FR", "ar": "ar-SA", "es": "es-ES", "pt": "pt-PT", "ru": "ru-RU"}
"""The language tag Word is given for a language without a region (its usual one; any other is given as it is)."""
APPLICATION = "assess"
"""The author when none is named, and the last to modify every document assess writes."""
PROPERTY_LIMIT = 255
"""Characters Word keeps in a document property (python-docx refuses more)."""
ALT_LIMIT = 4000
"""Characters kept of a picture's description."""

# characters XML 1.0 forbids: C0 controls but tab, newline and carriage return; surrogates; U+FFFE/U+FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# elements that follow w:lang in a run's properties (ECMA-376 CT_RPr)
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")


def plain(value, limit: int = PROPERTY_LIMIT) -> str:
    """Text as data for a property or an attribute: forbidden characters removed, spaces collapsed, shortened."""
    text = " ".join(_FORBIDDEN.sub("", "" if value is None else str(value)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Finish:
    """What a rendered document is finished with: its properties and the alt text of each picture."""

    title: str = ""
    subject: str = ""
    author: str = APPLICATION
    keywords: str = ""
    category: str = ""
    alt: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Picture key ('chart', 'heatmap:<id>') -> (title, description) of its alt text."""
    language: str = ""
    """The document's language (en, fr, ar, pt-BR): its proofing language and docProps' dc:language; '' for
    LANGUAGE and no dc:language (as before issue 18)."""
    description: str = ""
    """docProps' dc:description (Word's Comments): who signed a signed report; '' otherwise."""


def report_finish(result: Result, context: dict) -> Finish:
    """The finish of an assessment report, from its scored result and its (cleaned) context."""
    meta = context["metadata"]
    fw = result.framework
    signed = context.get("signed")
    keywords = [meta.get("mission"), meta.get("period"), context["marking"]]
    alt = {"chart": (_("Scores on their scales"), scores_description(result))}
    if quadrant := quadrant_description(result):
        alt["quadrant"] = (_("Quadrant of the threat and resilience scores"), quadrant)
    for hid, h in result.heatmaps.items():
        alt[f"heatmap:{hid}"] = (_("Heat map: {title}").format(title=h.heatmap.title), heatmap_description(result, hid))
    return Finish(
        title=plain(context["title"]),
        subject=plain(f"{fw.title} {fw.version}"),
        author=plain(meta.get("analyst")) or APPLICATION,
        keywords=plain("; ".join(plain(k) for k in keywords if plain(k))),
        category=plain(context["marking"]),
        alt={key: (plain(title), plain(descr, ALT_LIMIT)) for key, (title, descr) in alt.items()},
        # the words' language: a language the interface does not speak leaves the words, and the proofing, English
        language="" if english() and primary(interface_language()) != "en" else interface_language(),
        description=plain(_("Signed by {mission} · key {fingerprint}").format(**signed)) if signed else "",
    )


def scores_description(result: Result) -> str:
    """The scores chart in words: each score on its scale, with its rating, threat and resilience apart."""
    from .charts import direction_words, groups, score_bars

    parts = []
    shown = score_bars(result)
    for direction, bars in groups(shown):
        items = listing(
            _("{title} {score} on a scale from {low} to {high}").format(
                title=plain(b.title, ALT_LIMIT), score=numbers(b.display), low=_number(b.low), high=_number(b.high)
            )
            + (f", {plain(b.rating)}" if b.rating else "")
            for b in bars
        )
        parts.append(pair(direction_words(direction), items))
    left = len(score_bars(result, None)) - len(shown)
    return (
        _(
            "Chart of the scores, each on its own scale from the lowest to the highest possible score, with the "
            "rating bands shaded behind it."
        )
        + " "
        + ". ".join(parts)
        + "."
        + (" " + _("{n} more scores, of subsections, are in the score table.").format(n=left) if left else "")
    )


def quadrant_description(result: Result) -> str:
    """The quadrant in words: the two scores, their scales and the quadrant the assessment falls in."""
    from .quadrant import mid_scale, quadrant_axes, quadrant_words

    axes = quadrant_axes(result)
    if axes is None:
        return ""
    threat, resilience = axes
    above = (threat.value > mid_scale(threat), resilience.value > mid_scale(resilience))
    where = quadrant_words(threat, resilience)[above]

    def told(b) -> str:
        return _("{title} {score} on a scale from {low} to {high}").format(
            title=plain(b.title), score=numbers(b.display), low=_number(b.low), high=_number(b.high)
        ) + (f" ({plain(b.rating)})" if b.rating else "")

    return _(
        "Quadrant chart of {threat} (across, higher is worse) against {resilience} (up, higher is better), split at "
        "the middle of each scale. This assessment: {threat_score}, {resilience_score}: in the quadrant {where}."
    ).format(
        threat=plain(threat.title),
        resilience=plain(resilience.title),
        threat_score=told(threat),
        resilience_score=told(resilience),
        where=where.lower(),
    )


def _number(x) -> str:
    return numbers(str(int(x)) if x.denominator == 1 else f"{float(x):g}")


def heatmap_description(result: Result, hid: str) -> str:
    """A heat map in words: its axes, then each occupied cell with its rating and the names placed in it."""
    from .heatmaps import heatmap_bands

    h = result.heatmaps[hid]
    fw = result.framework
    bands = heatmap_bands(result, hid)
    x_title = plain(fw.axis_title(h.heatmap.x), ALT_LIMIT)
    y_title = plain(fw.axis_title(h.heatmap.y), ALT_LIMIT)
    cells = []
    for (i, j), names in sorted(h.cells.items(), key=lambda kv: (-kv[0][1], -kv[0][0])):
        if names and i < len(h.x_labels) and j < len(h.y_labels):
            rating = f" ({plain(bands[(i, j)].label)})" if (i, j) in bands else ""
            placed_here = ", ".join(plain(n) for n in names)
            cells.append(pair(f"{plain(h.y_labels[j])} × {plain(h.x_labels[i])}{rating}", placed_here))
    placed = listing(cells) if cells else _("nothing is placed yet")
    return (
        _("Heat map {title} of {rows} (rows) by {columns} (columns)").format(
            title=plain(h.heatmap.title), rows=y_title, columns=x_title
        )
        + (_(", each cell shaded and named by its rating") if bands else "")
        + f": {placed}."
    )


def trends_description(trends: list[dict]) -> str:
    """The summary's trend chart in words, from the summary's trends: each mission's path across periods."""
    parts = []
    for t in trends:
        if t["rows"]:
            paths = listing(
                f"{r['label']} {r['path']}" + (f" ({r['change']})" if r["change"] else "") for r in t["rows"]
            )
            scale = " " + _("(axis {scale}, the whole scale)").format(scale=t["scale"]) if t.get("scale") else ""
            parts.append(pair(f"{t['title']}, {t['headline']}{scale}", paths))
    return _("Line chart of headline scores by period: {parts}.").format(parts=" | ".join(parts))


def finish(document, f: Finish, now: _dt.datetime | None = None) -> None:
    """Set the properties, the proofing language and the table rows of a rendered python-docx document."""
    set_properties(document, f, now)
    set_language(document, word_language(f.language) if f.language else LANGUAGE)
    keep_rows(document)
    if fill_contents(document):
        update_fields_on_open(document)
    right_to_left(document)


def word_language(lang: str) -> str:
    """The tag Word knows a language by: fr → fr-FR, en → en-GB, pt-BR as it is."""
    return WORD_LANGUAGES.get(lang, lang)


def set_properties(document, f: Finish, now: _dt.datetime | None = None) -> None:
    """Write the document's core properties (docProps/core.xml), created and modified now (UTC).

    By namespace, not through python-docx's core_properties: docxtpl's docxcompose rebinds the prefix 'cp' that
    python-docx looks them up by, so keywords, category and last-modified-by would land in the wrong namespace."""
    from docx.opc.constants import CONTENT_TYPE  # python-docx is heavy: loaded with the rendering

    document.core_properties  # noqa: B018 -- makes the part where the template has none
    part = next(p for p in document.part.package.iter_parts() if p.content_type == CONTENT_TYPE.OPC_CORE_PROPERTIES)
    stamp = (now or _dt.datetime.now(_dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    values = {
        (_DC, "title"): plain(f.title),
        (_DC, "subject"): plain(f.subject),
        (_DC, "creator"): plain(f.author) or APPLICATION,
        (_CP, "keywords"): plain(f.keywords),
        (_CP, "category"): plain(f.category),
        (_DC, "description"): plain(f.description),
        (_CP, "lastModifiedBy"): APPLICATION,
        (_CP, "revision"): "1",
        (_DCTERMS, "created"): stamp,
        (_DCTERMS, "modified"): stamp,
    }
    if f.language:
        values[(_DC, "language")] = word_language(f.language)
    root = part.element
    for (ns, name), value in values.items():
        tag = f"{{{ns}}}{name}"
        found = root.findall(tag)
        for extra in found[1:]:
            root.remove(extra)
        element = found[0] if found else root.makeelement(tag, {})
        if not found:
            root.append(element)
        element.text = value
        if ns == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")


def set_language(document, language: str = LANGUAGE) -> None:
    """Make language the proofing language of the document defaults (styles.xml w:docDefaults)."""
    from docx.oxml.ns import qn  # python-docx is heavy: loaded with the rendering

    defaults = _child(document.styles.element, "w:docDefaults")
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr", at_end=True)
    _child(rpr, "w:lang", before=_AFTER_LANG).set(qn("w:val"), language)


def _child(parent, tag: str, at_end: bool = False, before: tuple[str, ...] = ()):
    """parent's child element tag (e.g. 'w:pPr'), made when it has none: placed before the first child whose tag
    is in before (the schema's order) or, without one, first or at_end."""
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = parent.makeelement(qn(tag), {})
    following = [c for c in parent if c.tag in {qn(t) for t in before}]
    if following:
        following[0].addprevious(found)
    elif at_end or before:
        parent.append(found)
    else:
        parent.insert(0, found)
    return found


def keep_rows(document) -> None:
    """In every table of the body: the first row repeats as a header on each page, and no row splits."""
    from docx.oxml.ns import qn  # python-docx is heavy: loaded with the rendering

    for tbl in document.element.body.iter(qn("w:tbl")):
        for n, tr in enumerate(tbl.findall(qn("w:tr"))):
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = tr.makeelement(qn("w:trPr"), {})
                before = tr.find(qn("w:tblPrEx"))
                if before is not None:
                    before.addnext(trpr)
                else:
                    tr.insert(0, trpr)
            # w:trPr's properties are a choice in any order, before its change-tracking elements
            wanted = ("w:cantSplit", "w:tblHeader") if n == 0 else ("w:cantSplit",)
            for tag in reversed(wanted):
                found = trpr.find(qn(tag))
                if found is None:
                    trpr.insert(0, trpr.makeelement(qn(tag), {}))
                else:  # a template's w:val="0" would turn it off
                    found.attrib.pop(qn("w:val"), None)


def describe(doc_pr, title: str, description: str) -> None:
    """Give a placed picture its alt text, on its wp:docPr element."""
    doc_pr.set("title", plain(title))
    doc_pr.set("descr", plain(description, ALT_LIMIT))


# elements that follow w:updateFields in settings.xml (ECMA-376 CT_Settings)
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
_TOC_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')


def update_fields_on_open(document) -> None:
    """Ask Word to update the document's fields (its table of contents, page numbers) when it opens it."""
    from docx.oxml.ns import qn  # python-docx is heavy: loaded with the rendering

    _child(document.settings.element, "w:updateFields", before=_AFTER_UPDATE_FIELDS).set(qn("w:val"), "true")


def fill_contents(document) -> bool:
    """Fill the table of contents field with the document's headings, each a link to its heading, so a reader that
    does not update fields (LibreOffice converting to PDF) shows the contents too; Word rebuilds it with page
    numbers when it opens the document. False when the document has no such field."""
    from docx.oxml.ns import qn  # python-docx is heavy: loaded with the rendering

    body = document.element.body
    instr = next((t for t in body.iter(qn("w:instrText")) if (t.text or "").strip().startswith("TOC")), None)
    if instr is None:
        return False
    levels = _TOC_LEVELS.search(instr.text or "")
    low, high = (int(levels.group(1)), int(levels.group(2))) if levels else (1, 9)
    first = instr.getparent().getparent()
    if first.tag != qn("w:p"):
        return True
    outline = _outline_levels(document)
    entries = []
    for n, p in enumerate(body.iter(qn("w:p"))):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = outline.get(style.get(qn("w:val"))) if style is not None else None
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if level is None or not (low <= level <= high) or not text:
            continue
        name = f"_Toc{n:08d}"
        start = p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): str(9000 + n), qn("w:name"): name})
        end = p.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): str(9000 + n)})
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)
        entries.append((level, name, text))
    if not entries:
        return True
    # the placeholder between 'separate' and 'end' goes; the entries take its place, the last one closes the field
    runs = list(first.iter(qn("w:r")))
    chars = [(r, r.find(qn("w:fldChar"))) for r in runs]
    separate = next(
        (i for i, (_, c) in enumerate(chars) if c is not None and c.get(qn("w:fldCharType")) == "separate"), None
    )
    closing = next((i for i, (_, c) in enumerate(chars) if c is not None and c.get(qn("w:fldCharType")) == "end"), None)
    if separate is None or closing is None:
        return True
    end_run = runs[closing]
    for r in runs[separate + 1 : closing + 1]:
        r.getparent().remove(r)
    paragraph = first
    for i, (level, name, text) in enumerate(entries):
        if i:
            new = first.makeelement(qn("w:p"), {})
            paragraph.addnext(new)
            paragraph = new
        _child(_child(paragraph, "w:pPr"), "w:pStyle").set(qn("w:val"), f"TOC{level}")
        link = paragraph.makeelement(qn("w:hyperlink"), {qn("w:anchor"): name, qn("w:history"): "1"})
        run = link.makeelement(qn("w:r"), {})
        t = run.makeelement(qn("w:t"), {})
        t.text = text
        run.append(t)
        link.append(run)
        paragraph.append(link)
    paragraph.append(end_run)
    return True


def _outline_levels(document) -> dict[str, int]:
    """Style id -> heading level (1 for Heading 1), from the styles' names and outline levels."""
    from docx.oxml.ns import qn  # python-docx is heavy: loaded with the rendering

    out = {}
    for style in document.styles.element.findall(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        name = style.find(qn("w:name"))
        m = re.fullmatch(r"heading ([1-9])", (name.get(qn("w:val")) if name is not None else "").lower())
        lvl = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if m:
            out[sid] = int(m.group(1))
        elif lvl is not None and lvl.get(qn("w:val")).isdigit() and int(lvl.get(qn("w:val"))) < 9:
            out[sid] = int(lvl.get(qn("w:val"))) + 1
    return out


# elements that follow w:bidi in a paragraph's properties, and w:rtl in a run's (ECMA-376 CT_PPrBase, CT_RPr)
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")


def right_to_left(document) -> int:
    """Lay out right-to-left text for Word, in the body and table cells: a paragraph that is mostly Arabic or Hebrew
    (assess.l10n.is_rtl) gets <w:bidi/>, and in every paragraph the runs are split by direction so that only the
    right-to-left stretches get <w:rtl/> (an Arabic name in a French sentence; not the French quoted in an Arabic
    note). Paragraphs with no right-to-left letter are left as they are. Returns how many paragraphs read right to
    left."""
    from docx.oxml.ns import qn  # python-docx is heavy: loaded with the rendering

    from ..l10n import is_rtl

    marked = 0
    for p in document.element.body.iter(qn("w:p")):
        runs = [r for r in p.iter(qn("w:r")) if next(r.iterancestors(qn("w:p")), None) is p]
        text = "".join(t.text or "" for r in runs for t in r.iter(qn("w:t")))
        if not any(_direction(ch) == "r" for ch in text):
            continue
        rtl = is_rtl(text)
        if rtl:
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                ppr = p.makeelement(qn("w:pPr"), {})
                p.insert(0, ppr)
            _child(ppr, "w:bidi", before=_AFTER_BIDI).attrib.pop(qn("w:val"), None)
            marked += 1
        where = directions(text, rtl)
        at = 0
        for r in runs:
            texts = list(r.iter(qn("w:t")))
            length = sum(len(t.text or "") for t in texts)
            own = where[at : at + length]
            at += length
            if len(texts) == 1 and len(set(own)) > 1:
                _split(r, texts[0], own)
            elif own.count("r") * 2 > len(own) or (not own and rtl):
                _mark_rtl(r)
    return marked


def _direction(ch: str) -> str:
    """'r' for a right-to-left letter or Arabic digit, 'l' for a left-to-right letter, '' for anything else."""
    kind = unicodedata.bidirectional(ch)
    return "r" if kind in ("R", "AL", "AN") else "l" if kind == "L" else ""


def directions(text: str, rtl: bool) -> str:
    """The direction of each character of a paragraph's text ('r' or 'l'): a letter its own, a digit that of the
    letter before it; a stretch of spaces and punctuation that of the characters either side when they agree, else
    the paragraph's (rtl)."""
    base = "r" if rtl else "l"
    own, last = [], base
    for ch in text:  # European digits take the direction of the letter before them (Unicode's rule W7)
        own.append(_direction(ch) or (last if unicodedata.bidirectional(ch) == "EN" else ""))
        last = own[-1] if own[-1] and unicodedata.bidirectional(ch) != "EN" else last
    out = list(own)
    i = 0
    while i < len(own):
        if own[i]:
            i += 1
            continue
        j = i
        while j < len(own) and not own[j]:
            j += 1
        before = own[i - 1] if i else base
        after = own[j] if j < len(own) else base
        out[i:j] = [before if before == after else base] * (j - i)
        i = j
    return "".join(out)


def _split(run, t, where: str) -> None:
    """Split a run of one w:t into runs of one direction each, its properties copied; the right-to-left ones get
    <w:rtl/>."""
    import copy

    text, pristine, at = t.text or "", copy.deepcopy(run), 0
    for n, piece in enumerate(m.group() for m in re.finditer(r"r+|l+", where)):
        new = run if n == 0 else copy.deepcopy(pristine)
        new_t = t if n == 0 else next(new.iter(t.tag))
        new_t.text, at = text[at : at + len(piece)], at + len(piece)
        new_t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if piece[0] == "r":
            _mark_rtl(new)
        if n:
            run.addnext(new)
            run = new


def _mark_rtl(run) -> None:
    """Give a run <w:rtl/> in its properties (made when it has none)."""
    from docx.oxml.ns import qn

    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = run.makeelement(qn("w:rPr"), {})
        run.insert(0, rpr)
    _child(rpr, "w:rtl", before=_AFTER_RTL).attrib.pop(qn("w:val"), None)
