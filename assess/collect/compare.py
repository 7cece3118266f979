"""Provides the comparison of collected assessments: missions by scores, trends across periods, recurring
recommendations, coverage and gaps, and assessments on different framework versions compared only on
the questions that did not change. Pure over the store's queries; CSV for spreadsheets."""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import groupby, pairwise
from operator import itemgetter

from .. import i18n
from ..errors import AssessError, problem
from ..i18n import domain
from ..model import PRIORITIES, Framework
from ..plan import merged
from ..prose import unwrap
from .compare_csv import BOM, CSV_COLUMNS, as_text, to_csv
from .comparison import (
    Assessment,
    Cell,
    Comparison,
    Coverage,
    FrameworkView,
    Recurring,
    ScoreLine,
    Trend,
    comparable_run,
    same_missions,
    short_mission,
    shorten,
)
from .followup import follow_up
from .glance import bands, change_words, glance, headline, known_frameworks, policy, scales
from .languages import Languages, distinct, translate
from .periods import parse_period
from .store import Filters, Store
from .versions import Across, across, shared
from .versions_text import note as version_note
from .words import colon, semicolon

_, ngettext, _pgettext = domain("hq")

# the CSV's names (compare_csv) stay importable from here, where they were before it was split out
__all__ = [
    "BOM", "CSV_COLUMNS", "Comparison", "as_text", "compare", "describe", "for_whom", "short_mission", "short_title",
    "shorten", "to_csv",
]  # fmt: skip


def compare(
    store: Store,
    framework: str | None = None,
    mission: str | list[str] | tuple[str, ...] | None = None,
    since: str | None = None,
    until: str | None = None,
    lang: str | None = None,
) -> Comparison:
    """Compare the current revisions the filters select, their framework texts in lang (default: the interface's
    language; assess.collect.languages); AssessError E511 on a bad period, E512 on none. Reads one consistent
    state of the store, whatever collects write meanwhile."""
    with store.snapshot(), _collector_paused():
        return _compare(store, framework, mission, since, until, lang)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the time of a with block, then as it was: a comparison of 100,000
    assessments makes millions of objects (rows, cells) and no cycle, and each full collection would walk them all
    (a third of compare's time at 100,000); reference counting still frees what is dropped."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _compare(store: Store, framework: str | None, mission, since: str | None, until: str | None, lang: str | None):
    missions = (mission,) if isinstance(mission, str) else tuple(mission or ())
    start = parse_period(since, "--since")[0] if since else None
    end = parse_period(until, "--until")[1] if until else None
    filters = Filters(framework=framework, missions=missions, since=start, until=end)
    selection = describe(framework, missions, since, until)
    rows = store.assessments(filters)
    if not rows:
        raise AssessError([problem(str(store.path), None, "E512", path=store.path, filters=selection)])
    lang = lang or i18n.language()
    rows.sort(key=_row_order)
    languages = {r["mission"]: r.get("language") or "" for r in rows}  # as each mission wrote last
    one = same_missions(languages, lang)  # one mission that wrote in two languages counts once
    parsed: dict[str, dict[str, int]] = {}  # confidence as stored -> as data: a store holds few distinct ones
    assessments = sorted(
        (_assessment(r, one[r["mission"]], parsed) for r in rows), key=lambda a: (a.framework_id, a.mission, a.area)
    )  # stable: in each assessment's order within its framework, mission and area
    tongues = translate(store, assessments, lang)
    assessments = [tongues.assessment(a) for a in assessments]
    notes = []
    if since or until:
        loose = [
            r for r in store.assessments(Filters(framework=framework, missions=missions)) if r["period_start"] is None
        ]
        if loose:
            notes.append(
                ngettext(
                    "{count} assessment(s) whose period does not read as a date range (for example '{period}') "
                    "were left out by --since/--until.",
                    "{count} assessment(s) whose period does not read as a date range (for example '{period}') "
                    "were left out by --since/--until.",
                    len(loose),
                ).format(count=len(loose), period=loose[0]["period"])
            )
    by_seq: dict[int, list[dict]] = {}
    for seq, same in groupby(tongues.scores(store.scores(filters)), key=itemgetter("seq")):  # the store orders by seq
        by_seq.setdefault(seq, []).extend(same)
    views, score_rows = [], []
    files = known_frameworks({a.framework_id for a in assessments}, tongues.lang)
    groups: dict[str, list[Assessment]] = {}
    for a in assessments:
        groups.setdefault(a.framework_id, []).append(a)
    for fid in sorted(groups):
        group = groups[fid]
        view, sh = _framework_view(store, group, by_seq, files.get(fid))
        views.append(view)
        if view.note:
            notes.append(view.note)
        top = max(group, key=lambda b: (_version_key(b.version), b.updated)).hash  # comparable: with the newest
        together: dict[tuple[str, str], bool] = {}  # (version's hash, score id) -> compares with the newest
        for a in group:
            if a.hash == top:  # the newest version's scores compare with themselves
                score_rows += [(a, s, True) for s in by_seq.get(a.seq, [])]
                continue
            for s in by_seq.get(a.seq, []):
                key = (a.hash, s["score_id"])
                if key not in together:
                    together[key] = sh.together({a.hash, top}, s["score_id"])
                score_rows.append((a, s, together[key]))
    coverage = _coverage(store, views, tongues)
    latest = [a for v in views for a in v.columns]
    fired: dict[int, list[dict]] = {}
    for r in tongues.fired(store.fired([a.seq for a in latest])):
        fired.setdefault(r["seq"], []).append(r)
    recurring = _recurring(latest, fired, _blocks(store, [a.seq for a in latest]), files)
    matrix, columns, unmapped = policy(latest, fired, files, short_mission)
    followed, follow_up_of = follow_up(store, assessments, views, short_title)
    return Comparison(
        str(store.path),
        filters,
        selection,
        assessments,
        views,
        recurring,
        coverage,
        notes,
        score_rows,
        glance(views, coverage, fired),
        matrix,
        columns,
        unmapped,
        followed,
        follow_up_of,
        [w for v in views for w in v.warnings] + tongues.warnings,
        tongues.lang,
        tongues.written,
        tongues.shown,
    )


def describe(framework, missions, since, until) -> str:
    """The selection of a compare or a list, in words ('framework oc-threat, periods from 2026')."""
    parts = []
    if framework:
        parts.append(_("framework {framework}").format(framework=framework))
    if missions:
        names = _(" or ").join(_("'{mission}'").format(mission=m) for m in missions)
        parts.append(_("mission {missions}").format(missions=names))
    if since:
        parts.append(_("periods from {period}").format(period=since))
    if until:
        parts.append(_("periods up to {period}").format(period=until))
    return ", ".join(parts) if parts else _("all assessments")


def _row_order(r: dict) -> tuple:
    """A store row's place among one mission's assessments: Assessment.order's, from the row."""
    return (r["period_start"] or "9999", r["period"], r["updated"], r["seq"])


def _assessment(r: dict, counted_as: str = "", parsed: dict[str, dict[str, int]] | None = None) -> Assessment:
    """The assessment a store row holds, counted under counted_as; its confidence parsed once per distinct text
    (parsed: a cache shared by the rows of one comparison, each assessment given its own copy)."""
    text = r["confidence"] or "{}"
    cache = {} if parsed is None else parsed
    if text not in cache:
        cache[text] = json.loads(text)
    return Assessment(
        seq=r["seq"],
        id=r["assessment_id"],
        revision=r["revision"],
        framework_id=r["framework_id"],
        version=r["framework_version"],
        hash=r["framework_hash"],
        framework_title=r["framework_title"],
        title=r["title"],
        mission=r["mission"],
        area=r["area"],
        period=r["period"],
        period_start=r["period_start"],
        analyst=r["analyst"],
        marking=r["marking"],
        updated=r["updated"],
        complete=bool(r["complete"]),
        source=r["source"],
        revisions=r.get("revisions") or 1,
        confidence=dict(cache[text]),
        questions=r.get("questions") or 0,
        answered=r.get("answered") or 0,
        required_missing=r.get("required_missing") or 0,
        language=r.get("language") or "",
        counted_as=counted_as,
    )


FOR_WHOM_CHARS = 240
"""The blocks an action concerns, shortened in a table cell to this many characters."""


def short_title(title: str) -> str:
    """A framework's title for a table cell: before its subtitle or bracket ('Mission risk management: do not
    become part of the problem' -> 'Mission risk management'), at most 40 characters."""
    return shorten(re.split(r"\s*[(:]", unwrap(title), maxsplit=1)[0].strip() or unwrap(title), 40)


def for_whom(blocks: dict[str, list[str]]) -> str:
    """The blocks a rule fired for, by mission when several ('UNMT: A; B · MINUSKES: C'); '—' for none."""
    if not blocks:
        return "—"
    if len(blocks) == 1:
        return shorten(semicolon().join(unwrap(n) for names in blocks.values() for n in names), FOR_WHOM_CHARS)
    text = " · ".join(
        short_mission(m) + colon() + semicolon().join(unwrap(n) for n in names) for m, names in blocks.items()
    )
    return shorten(text, FOR_WHOM_CHARS)


def _cell(s: dict, cells: dict[tuple, Cell] | None = None) -> Cell:
    """A score row's cell; with cells (a cache), one Cell per distinct content: a cell is frozen, so shared."""
    key = (s["display"], s["rating"] or "", s["colour"] or "", s["value"], s["exact"])
    if cells is None:
        return Cell(*key)
    hit = cells.get(key)
    if hit is None:
        hit = cells[key] = Cell(*key)
    return hit


def _labels(group: list[Assessment]) -> dict[tuple[str, str], str]:
    areas: dict[str, set[str]] = {}
    for a in group:
        areas.setdefault(a.mission, set()).add(a.area)
    labels = {
        (m, area): short_mission(m) + (f" · {shorten(area, 24)}" if len(areas[m]) > 1 else "")
        for m, area in dict.fromkeys((a.mission, a.area) for a in group)
    }
    return distinct(labels, group)


def _framework_view(store: Store, group: list[Assessment], by_seq: dict[int, list[dict]], fw=None):
    fid = group[0].framework_id
    latest_version = max(group, key=lambda a: (_version_key(a.version), a.updated))
    hashes = sorted({a.hash for a in group})
    versions_of = {a.hash: a.version for a in group}
    names = {}
    for h in hashes:
        v = versions_of[h]
        names[h] = v if sum(1 for x in hashes if versions_of[x] == v) == 1 else f"{v} ({h.split(':')[-1][:8]})"
    versions = sorted(names.values(), key=_version_key)
    order: dict[str, dict] = {}  # score id -> its row: the newest version's first, then in the assessments' order
    for s in by_seq.get(latest_version.seq, []):
        order.setdefault(s["score_id"], s)
    valued: set[str] = set()
    for a in group:
        for s in by_seq.get(a.seq, ()):
            if s["score_id"] not in order:
                order[s["score_id"]] = s
            if s["value"] is not None:
                valued.add(s["score_id"])
    all_ids = list(order)  # each score id once: the versions' comparable scores are sets of them
    sh = shared(store, group, all_ids, latest_version, fw)
    per, changed, common, options_compared = sh.per, set(sh.changed), sh.common, sh.options_compared
    labels_by = _labels(group)
    latest: dict[tuple[str, str], Assessment] = {}
    for a in group:
        key = (a.mission, a.area)
        if key not in latest or a.order > latest[key].order:
            latest[key] = a
    columns = sorted(latest.values(), key=lambda a: (labels_by[(a.mission, a.area)], a.mission, a.area))
    every, not_compared = [], []
    for sid, s in order.items():
        if sid not in valued:
            continue
        if not sh.together(set(hashes), sid):
            not_compared.append((sid, s["title"]))
        row: list[Cell | None] = []
        for a in columns:
            hit = next((x for x in by_seq.get(a.seq, []) if x["score_id"] == sid), None)
            row.append(_cell(hit) if hit else None)
        every.append(ScoreLine(sid, s["title"], s["kind"], s["depth"], s["direction"], row))
    # the table sets the latest assessments side by side: the scores that compare across their versions; the
    # headline is the framework's whatever the versions (each mission's own score, its trend where comparable)
    lines = [ln for ln in every if sh.together({a.hash for a in columns}, ln.id)]
    heads, declared = headline(fw, every)
    trends = []
    cells: dict[tuple, Cell] = {}
    by_key: dict[tuple[str, str], list[Assessment]] = {}
    for a in group:
        by_key.setdefault((a.mission, a.area), []).append(a)
    for key in sorted(by_key, key=lambda k: (labels_by[k], k)):
        points = sorted(by_key[key], key=lambda a: a.order)
        pts = [(a, {s["score_id"]: _cell(s, cells) for s in by_seq.get(a.seq, [])}) for a in points]
        breaks: dict[str, set[int]] = {}  # a score stops comparing where a version changed how it is computed
        for (b, before), (a, now) in pairwise(pts):
            if b.hash == a.hash:
                continue  # one version: every score compares (Shared.between)
            for sid in before.keys() & now.keys():
                if not sh.between(b.hash, a.hash, sid, all_ids):
                    breaks.setdefault(sid, set()).add(a.seq)
        trends.append(Trend(labels_by[key], pts, _change(pts, heads, every, breaks), breaks))
    labels = [labels_by[(a.mission, a.area)] for a in columns]
    x = Across() if len(hashes) == 1 else across(store, group, columns, labels, per, latest_version, fw, sh.frameworks)
    changed -= x.mapped_ids  # a question a declared migration maps is compared on the newest version
    common += len({q for q in x.carried if q in changed and all(q in per[h] for h in hashes)})
    changed -= x.carried  # its answers move as they are: compared (a rescored option changes scores, not answers)
    later = {q for q, v in sh.added.items() if v != latest_version.version and q not in x.unmapped_ids}
    note = (
        ""
        if len(hashes) == 1
        else version_note(
            group[0].framework_title, fid, versions, common, options_compared, sorted(changed),
            [t for _sid, t in not_compared], x, {q: v for q, v in sh.added.items() if q in changed | later},
        )
    )  # fmt: skip
    changed -= later  # added in an intermediate version: compared among the versions that have it
    view = FrameworkView(
        fid,
        group[0].framework_title,
        versions,
        columns,
        labels,
        lines,
        not_compared,
        heads,
        trends,
        sorted(changed),
        common,
        options_compared,
        note,
        declared,
        scales(fw, every),
        bands(fw, every),
        x.target,
        x.rows,
        x.labels,
        x.warnings,
    )
    view.directions = {ln.id: ln.direction for ln in every}
    return view, sh


@lru_cache(maxsize=4096)
def _version_key(v: str) -> tuple:
    """A version's sort key ('1.10.0' after '1.9.2'); computed once per version text."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-+ ]", v.split(" ")[0]))


def _change(points, headline, lines, breaks=None) -> str:
    if not headline or len(points) < 2:
        return _("one period") if len(points) < 2 else ""
    sid, title = headline[0]
    points = comparable_run(points, (breaks or {}).get(sid, set()))
    values = [(a.period, c[sid].value) for a, c in points if sid in c and c[sid].value is not None]
    if len(values) < 2:
        return ""
    line = next((ln for ln in lines if ln.id == sid), None)
    moved = change_words(values[0][1], values[-1][1], line.direction if line is not None else "threat")
    return _("{title}: {change} from {first} to {last}").format(
        title=title, change=moved, first=values[0][0], last=values[-1][0]
    )


def _coverage(store: Store, views: list[FrameworkView], tongues: Languages) -> list[Coverage]:
    latest = [(v, a, label) for v in views for a, label in zip(v.columns, v.labels, strict=True)]
    seqs = [a.seq for _view, a, _label in latest]
    states: dict[int, list[dict]] = {}
    for r in store.answer_states(seqs):
        states.setdefault(r["seq"], []).append(r)
    gaps: dict[int, list[dict]] = {}
    for r in tongues.gaps(store.gaps(seqs)):
        gaps.setdefault(r["seq"], []).append(r)
    out = []
    for v, a, label in latest:
        changed = set(v.changed)
        rows = [r for r in states.get(a.seq, []) if r["question_id"] not in changed and r["status"] != "hidden"]
        status = Counter(r["status"] for r in rows)
        g = [r for r in gaps.get(a.seq, []) if r["question_id"] not in changed]
        kinds = Counter(r["kind"] for r in g)
        out.append(
            Coverage(
                a,
                label,
                len(rows),
                status["answered"],
                status["unanswered"],
                status["not_applicable"],
                status["unknown"],
                kinds["required_missing"],
                kinds["low_confidence"],
                kinds["no_sources"],
                dict(a.confidence),
                [r["message"] for r in g if r["kind"] == "unknown"],
            )
        )
    return out


def _blocks(store: Store, seqs: list[int]) -> dict[tuple[int, str], list[str]]:
    """(assessment, rule) -> the names of the blocks the rule fired for, in the order they fired."""
    out: dict[tuple[int, str], list[str]] = {}
    for r in store.blocks(seqs):
        names = out.setdefault((r["seq"], r["rule"]), [])
        if r["entity_name"] not in names:
            names.append(r["entity_name"])
    return out


def _recurring(
    latest: list[Assessment],
    fired: dict[int, list[dict]],
    blocks: dict[tuple[int, str], list[str]] | None = None,
    files: dict[str, Framework] | None = None,
) -> list[Recurring]:
    """Each rule that fired in the latest assessments, with the missions and blocks it fired for, most widespread
    first; a rule that fired for several blocks worded as the plan of action words it ("each group listed")."""
    blocks, files = blocks or {}, files or {}
    found: dict[tuple[str, str], dict] = {}
    for a in sorted(latest, key=lambda a: a.mission != a.one_mission):  # its blocks as the mission's name is written
        for r in fired.get(a.seq, []):
            x = found.setdefault(
                (a.framework_id, r["rule"]),
                {
                    "priority": r["priority"],
                    "action": r["action"],
                    "reference": r["reference"] or "",
                    "missions": set(),
                    "title": a.framework_title,
                    "blocks": {},
                },
            )
            x["action"] = min(x["action"], r["action"])
            x["missions"].add(a.one_mission)
            x["assessments"] = x.get("assessments", 0) + 1
            names = blocks.get((a.seq, r["rule"]), [])
            if names and (a.mission == a.one_mission or a.one_mission not in x["blocks"]):
                mine = x["blocks"].setdefault(a.one_mission, [])
                mine += [n for n in names if n not in mine]
    out = []
    for (fid, rule), x in found.items():
        action = x["action"]
        if sum(len(names) for names in x["blocks"].values()) > 1 and fid in files:
            words = merged(files[fid], rule)
            action = words[1] if words else action
        out.append(
            Recurring(
                fid,
                rule,
                x["priority"],
                action,
                x["reference"],
                sorted(x["missions"]),
                x["assessments"],
                x["title"],
                {m: x["blocks"][m] for m in sorted(x["blocks"])},
            )
        )
    rank: dict[str, int] = {p: i for i, p in enumerate(PRIORITIES)}
    out.sort(key=lambda x: (-len(x.missions), -x.assessments, rank.get(x.priority, 9), x.framework_id, x.rule))
    return out
