"""Provides the summary screen: scores with rating and direction, coverage, gaps by kind and actions that jump to
their question, and the report."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, domain
from ...model import GAP_KINDS, Gap, Recommendation, Result, Score
from ...plan import PlanItem, plan
from ...session import Session, Slot
from ..language import priority, shown
from ..widgets.footer import KeyFooter
from ..widgets.status import done_count
from . import report

_, ngettext, pgettext = domain("app")

WIDE = 100
"""From this width on, the scale column says 'higher is worse' in words; below, '▲ worse'."""


def scale_cell(result, s: Score, wide: bool) -> str:
    """What a score's scale column says: its range and which way is worse ('1–4, higher is worse', '1–4 ▲ worse')."""
    from ...report.bottomline import scale_text  # the report's own wording of a scale (one source)

    words = scale_text(result, s)
    threat = s.direction == "threat"
    worse = _("worse") if threat else _("better")
    if wide:
        return words or (_("higher is worse") if threat else _("higher is better"))
    span = words.rpartition(", ")[0]  # the scale of '1-4, higher is worse' (no space after a decimal comma)
    return f"{span} ▲ {worse}" if span else f"▲ {worse}"


def gap_labels() -> dict[str, str]:
    """Each kind of gap as the report names it (Required, not answered; Intelligence gap; No sources...), in the
    interface's language (the report's catalogue)."""
    from ...report.context import GAP_LABELS  # the report's table of gaps uses the same words

    report_words = domain("report")[0]
    return {kind: report_words(label) for kind, label in GAP_LABELS.items()}


def action_target(session: Session, rec: Recommendation) -> Slot | None:
    """The question a recommended action concerns: the first visible question its rule's condition names (in its
    block for a block's rule), else the first visible question of its section (in that block), or None."""
    fw = session.fw
    names = {n for n, _ in rec.because}
    visible = [s for s in session.visible_slots() if s.entity in (rec.entity, None)]
    named = [s for s in visible if s.qid in names]
    named.sort(key=lambda s: s.entity != rec.entity)  # the block's own question before an overall one
    if named:
        return named[0]
    if rec.section:
        inside = {rec.section}
        for sid, sec in fw.all_sections.items():  # document order: a parent comes before its subsections
            if sec.parent in inside:
                inside.add(sid)
        found = [s for s in visible if fw.questions[s.qid].section in inside and s.entity == rec.entity]
        if found:
            return found[0]
    return next((s for s in visible if rec.entity and s.entity == rec.entity), None)


def coverage_text(result: Result) -> str:
    """The summary's first two lines, counting as the status line does: '9 of 58 questions done: 8 answered, 0 not
    applicable, 1 unknown', then '2 required open — incomplete (the report will be a DRAFT)'."""
    cov = result.coverage
    first = _("{done} of {total} questions done: {answered} answered, {na} not applicable, {unknown} unknown").format(
        done=done_count(cov),
        total=cov["questions"],
        answered=cov["answered"],
        na=cov["not_applicable"],
        unknown=cov["unknown"],
    )
    state = _("complete") if result.complete else _("incomplete (the report will be a DRAFT)")
    n = cov["required_missing"]
    second = ngettext("{n} required open — {state}", "{n} required open — {state}", n).format(n=n, state=state)
    return f"{first}\n{second}"


class SummaryScreen(Screen[Slot | None]):
    """Dismissed with the question to jump to, or None."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="summary.back"),
        Binding("ctrl+r", "report", N_("Render report"), id="summary.report"),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.items: list[PlanItem] = plan(session.result)
        labels = gap_labels()
        self.groups: list[tuple[str, str, list[int]]] = [
            (kind, labels.get(kind, kind), [i for i, g in enumerate(session.result.gaps) if g.kind == kind])
            for kind in GAP_KINDS
        ]
        self.groups = [g for g in self.groups if g[2]]
        self.open_groups: set[str] = {self.groups[0][0]} if self.groups else set()
        """The kinds of gap whose gaps are listed (the first kind at first); the others show their count only."""
        self._width = 0

    def compose(self) -> ComposeResult:
        """Coverage, the scores table, the gaps by kind, the recommended actions and the report button."""
        r = self.session.result
        with VerticalScroll():
            yield Static(coverage_text(r), id="coverage", markup=False)
            yield DataTable(id="scores", cursor_type="row", zebra_stripes=True)
            gaps = _("Gaps ({n}) by kind — Enter opens a kind, or jumps to the question").format(n=len(r.gaps))
            yield Label(gaps, markup=False)
            yield OptionList(id="gaps")
            actions = _("Recommended actions ({n}) — Enter jumps to the question").format(n=len(self.items))
            yield Label(actions, markup=False)
            yield OptionList(
                *[Option(self._action_prompt(x), id=str(i)) for i, x in enumerate(self.items)]
                or [Option(_("No rule was triggered."), disabled=True)],
                id="actions",
            )
            yield Button(_("Render report (ctrl+r)"), id="report", variant="primary", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the scores table for the screen's width and the gaps by kind; focus the scores."""
        self.fill_scores()
        self.fill_gaps()
        self.query_one("#scores", DataTable).focus()

    def on_resize(self) -> None:
        """Lay the scores table out again for the new width."""
        if self.size.width != self._width:
            self.fill_scores()

    # ------------------------------------------------------------------ scores
    def fill_scores(self) -> None:
        """Every section and derived score with inputs but the key judgements (stated, not scored): its title
        (wrapped), value, rating and scale, the value and rating always in view (the title's column takes what the
        others leave)."""
        self._width = self.size.width or self.app.size.width
        r = self.session.result
        wide = self._width >= WIDE
        rows = [
            (s.title, shown(s.display), s.rating or "", scale_cell(r, s, wide))
            for s in list(r.sections.values()) + list(r.derived.values())
            if (s.inputs or s.kind == "derived") and s.id != self.session.fw.judgements
        ]
        heads = (_("Score"), _("Value"), _("Rating"), _("Scale"))
        widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(heads)]
        room = self._width - 4 - 2 * len(heads)  # the screen's scroll bar and each cell's padding
        widths[0] = max(12, min(widths[0], room - sum(widths[1:])))
        table = self.query_one("#scores", DataTable)
        table.clear(columns=True)
        for head, width in zip(heads, widths, strict=True):
            table.add_column(head, width=width)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row), height=None)  # a long title wraps in its column

    # ------------------------------------------------------------------ gaps
    def fill_gaps(self, highlight: str | None = None) -> None:
        """List each kind of gap with its count, and the gaps of the open kinds under it; highlight the option
        with id highlight (default: the first gap)."""
        gaps = self.session.result.gaps
        options: list[Option] = []
        for kind, label, members in self.groups:
            is_open = kind in self.open_groups
            head = Text.assemble("▾ " if is_open else "▸ ", (f"{label} ({len(members)})", "bold"))
            options.append(Option(head, id=f"kind:{kind}"))
            if is_open:
                options += [Option(self._gap_prompt(gaps[i]), id=str(i)) for i in members]
        listed = self.query_one("#gaps", OptionList)
        listed.clear_options()
        listed.add_options(options or [Option(_("No gaps."), disabled=True)])
        ids = [o.id for o in options]
        if highlight is None:
            highlight = next((i for i in ids if i is not None and not i.startswith("kind:")), None)
        if highlight in ids:
            listed.highlighted = ids.index(highlight)

    @staticmethod
    def _gap_prompt(gap: Gap) -> Padding:
        return Padding(Text(gap.message), (0, 0, 0, 2))

    @on(OptionList.OptionSelected, "#gaps")
    def jump(self, event: OptionList.OptionSelected) -> None:
        """Open or close a kind of gap; close the summary on the question of a gap (a gap of a whole section
        stays)."""
        oid = event.option.id
        assert oid is not None  # only kinds and gaps (each with its index as id) can be selected
        if oid.startswith("kind:"):
            self.open_groups ^= {oid[5:]}
            self.fill_gaps(highlight=oid)
            return
        gap = self.session.result.gaps[int(oid)]
        if gap.id in self.session.fw.questions:
            self.dismiss(Slot(gap.id, gap.entity))
        else:
            self.notify(_("{gap}: a whole section, not one question.").format(gap=gap.message), markup=False)

    # ------------------------------------------------------------------ actions
    @staticmethod
    def _action_prompt(item: PlanItem) -> Group:
        lines: list[RenderableType] = [
            Text.assemble((f"{item.number}. {priority(item.priority).upper()}", "bold"), " ", item.finding.strip()),
            Padding(Text(f"→ {item.addressee + ': ' if item.addressee else ''}{item.action.strip()}"), (0, 0, 0, 3)),
        ]
        if item.for_whom:
            lines.append(Padding(Text(_("For: {whom}").format(whom=item.for_whom), style="italic"), (0, 0, 0, 3)))
        if item.conflicts:
            others = _(" and ").join(str(n) for n in item.conflicts)
            said = ngettext(
                "Conflicts with action {others}: decide them together.",
                "Conflicts with actions {others}: decide them together.",
                len(item.conflicts),
            ).format(others=others)
            lines.append(Padding(Text(said, style="italic"), (0, 0, 0, 3)))
        return Group(*lines)

    @on(OptionList.OptionSelected, "#actions")
    def jump_to_action(self, event: OptionList.OptionSelected) -> None:
        """Close the summary on the question the chosen action concerns (its rule's first fired block's)."""
        assert event.option.id is not None  # only the actions (each with its index as id) can be selected
        item = self.items[int(event.option.id)]
        rec = next(x for x in self.session.result.recommendations if x.rule == item.rule)
        slot = action_target(self.session, rec)
        if slot is None:
            self.notify(_("This action concerns the whole assessment, not one question."))
            return
        self.dismiss(slot)

    # ------------------------------------------------------------------ closing, report
    def action_back(self) -> None:
        """Close the summary without jumping."""
        self.dismiss(None)

    @on(Button.Pressed, "#report")
    def action_report(self) -> None:
        """Ask where to write the report (and the plan of action), unless the session is read-only."""
        if self.session.read_only:  # the session that holds the file writes its report, from its answers
            self.notify(
                _("Opened read-only: render the report in the session that holds the file."), severity="warning"
            )
            return
        report.ask(self, self.session)
