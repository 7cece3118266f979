"""Provides the main screen's status line: progress, the headline score with its rating and direction, read-only,
and the handling marking, fitted to the width without cutting a word."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Static

from ...i18n import domain
from ...model import Result, Score
from ..language import shown
from .nav import count_of

if TYPE_CHECKING:
    from textual.screen import Screen

    from ...session import Session

BOTTOM_LINE = "assess.report.bottomline"
"""The report's bottom line, whose headline scores and wording the line reuses: imported after the first frame
(the report package costs about a tenth of the app's start), see StatusLine."""

_, ngettext, pgettext = domain("app")

SEPARATOR = " · "
GAP = 2
"""Spaces at least between the left of the line and the marking on its right."""
ELLIPSIS = "…"


def progress_texts(result: Result, review: int = 0) -> list[str]:
    """Progress, longest first: '12/35 done · 3 required open · 4 to review' (done: answered, not applicable or
    unknown, as the summary counts them; review: answers carried forward, not yet confirmed), then shorter ways: the
    ways that keep the count to review first (what a planner of the next period works through), then the rest."""
    cov = result.coverage
    done = f"{done_count(cov)}/{cov['questions']}"
    missing = cov["required_missing"]
    # a repeatable section short of the blocks its framework asks for (an empty risk register): never 'all answered'
    short = "".join(f"{SEPARATOR}{few}" for few in too_few(result))
    done_words = _("{done} done").format(done=done)
    required = ngettext("{n} required open", "{n} required open", missing).format(n=missing)
    req = ngettext("{n} req. open", "{n} req. open", missing).format(n=missing)
    first = f"{done_words}{SEPARATOR}{required}{short}" if missing else f"{done_words}{short}"
    # the answers carried forward still to confirm: the words around it shortened, the required open left out, before
    # it is (at 80 columns '108/117 · 2 req. open · 107 to review · 1.76 High ▲worse')
    tail = SEPARATOR + _("{n} to review").format(n=review)
    shorter = [f"{done_words}{SEPARATOR}{req}{short}", f"{done}{SEPARATOR}{req}{short}"]
    review_text = [f"{p}{tail}" for p in [first, *(shorter if missing else [f"{done}{short}"]), done]] if review else []
    if not missing:
        return [*review_text, first, f"{done}{short}", done]
    return [
        *review_text,
        first,
        *shorter,
        f"{done}{SEPARATOR}{req}",
        done,
    ]


def done_count(coverage: dict[str, int]) -> int:
    """The questions done: answered, not applicable or unknown (what the status line and the summary count)."""
    return coverage["answered"] + coverage["not_applicable"] + coverage["unknown"]


def too_few(result: Result) -> list[str]:
    """Each repeatable section holding fewer blocks than its framework's `min`, in words: 'no risks yet (1 needed)'."""
    fw, out = result.framework, []
    for gap in result.gaps:
        sec = fw.all_sections.get(gap.id) if gap.kind == "too_few_entities" else None
        if sec is not None and sec.repeat is not None:
            n = len(result.answers.entities.get(sec.id, []))
            out.append(_("{blocks} ({n} needed)").format(blocks=count_of(sec.repeat.label, n), n=sec.repeat.min))
    return out


def score_texts(result: Result, s: Score) -> list[str]:
    """A headline score, longest first: 'Risk 2.17 High (1–4, higher is worse)', 'Risk 2.17 High, higher is
    worse', 'Risk 2.17 High ▲worse', '2.17 High ▲worse'; 'Risk not yet rated' while it has no value."""
    if s.value is None:
        return [_("{title} not yet rated").format(title=s.title), _("not yet rated")]
    value = f"{shown(s.display)} {s.rating}" if s.rating else shown(s.display)
    bottom = importlib.import_module(BOTTOM_LINE)
    worse = _("worse") if s.direction == "threat" else _("better")
    scale = bottom.scale_text(result, s)
    out = [f"{s.title} {value} ({scale})"] if scale else []
    higher = _("{title} {value}, higher is {worse}").format(title=s.title, value=value, worse=worse)
    return [*out, higher, f"{s.title} {value} ▲{worse}", f"{value} ▲{worse}"]


def _candidates(result: Result, headline: bool, review: int = 0) -> Iterator[tuple[str, list[str]]]:
    """Progress and the headline scores' texts, richest first: the headline shortened first (all scores at the same
    level of detail), then progress, then the headline left out."""
    progress = progress_texts(result, review)
    scores = importlib.import_module(BOTTOM_LINE).headline_scores(result) if headline else []
    choices = [score_texts(result, s) for s in scores]
    levels = [[c[min(i, len(c) - 1)] for c in choices] for i in range(max(map(len, choices), default=0))]
    for heads in levels:
        yield progress[0], heads
    for done in progress[1:] if levels else []:
        yield done, levels[-1]
    for done in progress:
        yield done, []


def fit_marking(marking: str, width: int) -> str:
    """The marking as it is, or, when it is wider than the line, its first whole words and '…'."""
    if cell_len(marking) <= width:
        return marking
    words, out = marking.split(), ""
    for word in words:
        longer = f"{out} {word}" if out else word
        if cell_len(longer + ELLIPSIS) > width:
            break
        out = longer
    return out + ELLIPSIS if out else ELLIPSIS


def status_line(
    result: Result, width: int, marking: str = "", read_only: bool = False, headline: bool = True, review: int = 0
) -> Text:
    """The status line for a width in cells: READ-ONLY when so, progress (with the answers carried forward still to
    review), the headline score(s) with rating and direction (in words where room allows; not when headline is
    False), and the marking on the right; parts are shortened, then left out whole, so no word is cut and no
    separator dangles."""
    lead = [_("READ-ONLY")] if read_only else []
    least = cell_len(SEPARATOR.join([*lead, progress_texts(result)[-1]]))
    marking = " ".join(marking.split())
    mark = fit_marking(marking, max(width - least - GAP, 1)) if marking else ""  # a long one leaves progress room
    room = width - (cell_len(mark) + GAP if mark else 0)
    chosen = lead
    for done, heads in _candidates(result, headline, review):
        if cell_len(SEPARATOR.join([*lead, done, *heads])) <= room:
            chosen = [*lead, done, *heads]
            break
    line = Text(no_wrap=True, overflow="crop")
    for i, part in enumerate(chosen):
        if i:
            line.append(SEPARATOR, style="dim")
        line.append(part, style="bold reverse" if read_only and i == 0 else "")
    if mark:
        line.append(" " * max(width - line.cell_len - cell_len(mark), GAP if chosen else 0))
        line.append(mark, style="bold")
    return line


class StatusLine(Static):
    """The status line of a session, drawn again for its width whenever it is resized or shown again."""

    DEFAULT_CSS = "StatusLine { height: 1; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.session: Session | None = None

    def show(self, session: Session) -> None:
        """Draw the line for the session's current result."""
        self.session = session
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the line to the new width."""
        self._draw()

    def _draw(self) -> None:
        s = self.session
        if s is None:
            return
        ready = BOTTOM_LINE in sys.modules  # else: the first frame without the headline, which follows at once
        marking = str(s.answers.metadata.get("marking") or "")
        review = s.carried_count()
        line = status_line(s.result, self.content_size.width, marking, s.read_only, headline=ready, review=review)
        if line != self.content:  # as it was (most answers change no count): no layout pass of the screen
            self.update(line)

    def on_mount(self) -> None:
        """Fetch the headline once the screen is on the terminal (see _laid_out)."""
        if BOTTOM_LINE not in sys.modules:
            self.screen.screen_layout_refresh_signal.subscribe(self, self._laid_out)

    def _laid_out(self, screen: Screen) -> None:
        # Textual lays the first frames out in a batch and draws them only when the terminal's size comes (a refresh
        # after them would still come first): a layout outside a batch is drawn; only then is the import made
        if getattr(self.app, "_batch_count", 0):
            return
        screen.screen_layout_refresh_signal.unsubscribe(self)
        importlib.import_module(BOTTOM_LINE)
        self._draw()
