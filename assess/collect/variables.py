"""Provides the list of the summary template's variables, generated from a real comparison so it cannot go stale."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..answers import dumps, load_answers
from ..paths import FRAMEWORKS
from ..report.variables import render
from .collect import collect
from .compare import compare
from .store import Store
from .summary import build_context

DESCRIPTIONS = {
    "title": "the summary's title",
    "subtitle": "how many assessments, missions and frameworks it covers",
    "marking": "the handling markings of the assessments compared, joined",
    "draft": "true when any assessment compared is a draft (a required question open): DRAFT on the cover and header",
    "draft_text": "how many of the assessments are drafts, in words ('' when none)",
    "date": "the date the summary was made: YYYY-MM-DD in English, written out in another language (22 novembre 2026)",
    "store": "the store it was made from",
    "selection": "the filters used (framework, missions, periods), in words",
    "facts": "the cover table: label and value of missions, frameworks, periods, date, handling",
    "status_text": "one sentence on what was compared",
    "notes": "what the reader must know: framework versions compared on their common questions, and the like",
    "glance_note": "how to read the at-a-glance table",
    "glance": (
        "the at-a-glance table, gravest headline rating first: per mission and framework its latest period, "
        "headline score and rating (`colour`: a fill black text reads on), change since the previous period, "
        "critical and high actions, answered %, required questions open, DRAFT"
    ),
    "policy_note": "how the recommendation x mission matrix counts, and the policy recommendations every mission needs",
    "policy_tables": (
        "the recommendation x mission matrix, in tables of up to 8 missions: `columns` (missions) and `rows` "
        "(label, text, spread, and per mission the number of actions leading to it, shaded)"
    ),
    "policy": "the matrix's rows in full: each recommendation as readers write it, what it asks, in how many missions",
    "scores_note": "how to read the score tables",
    "frameworks": "one per framework: missions x section and derived scores, each cell shaded by its rating",
    "chart": "the trend chart: every mission's headline score across periods, a picture put in when rendering",
    "trends_note": "how to read the trends",
    "trends": "one per framework: each mission's headline score period by period (`path`) and its change",
    "recurring_note": "how the recurring recommendations are counted",
    "recurring": (
        "the recommended actions rule by rule, by priority then missions: action worded as the plan words it, "
        "for_whom (the blocks by mission), policy rows, framework (its short title)"
    ),
    "follow_up_note": "how to read the follow-up table ('' when no mission follows up actions)",
    "follow_up": (
        "per mission whose latest assessment follows up the last period's actions: how many are done of how many "
        "(`text`: '4 of 9 done (2 in progress, 1 dropped)'), in progress, dropped, not started"
    ),
    "versions_note": "how the questions compared across framework versions were mapped ('' when none were)",
    "versions": (
        "per framework whose older answers were migrated to its newest version: the questions a declared "
        "migration maps, how, and each mission's answer side by side, in tables of up to 5 missions"
    ),
    "coverage_note": "how to read the coverage table",
    "coverage": "per mission: answered, unknown (intelligence gaps), required open, low confidence, unsourced",
    "gaps": "per mission: its intelligence gaps ('unknown' answers), the first few and how many more",
    "assessments_note": "what the annex lists",
    "assessments": "the annex: every assessment compared, with its framework version and source file",
    "heatmaps": "always empty: the summary has no heat maps",
    "words": (
        "the template's own words in the summary's language (--lang): headings and column headers, by key "
        "(`words.glance` is 'At a glance', 'En bref' in French)"
    ),
    "generated": "the closing line: when and from which store the summary was made, in the summary's language",
    "language": "the summary's language code (en, fr): its words, numbers, dates and framework texts",
}


def example_context() -> dict:
    """The context of a comparison of the bundled examples, one of them over two periods."""
    examples = FRAMEWORKS / "examples"
    with tempfile.TemporaryDirectory(prefix="assess-variables-") as tmp:
        folder = Path(tmp) / "inbox"
        folder.mkdir()
        for path in sorted(examples.glob("*.answers.yaml")):
            (folder / path.name).write_bytes(path.read_bytes())
        earlier, _ = load_answers(examples / "goci-profile.answers.yaml")
        earlier.metadata.update(period="2026-H1", updated="2026-06-30T12:00:00Z")
        earlier.answers["human_smuggling"].value = 5
        (folder / "goci-profile-2026-H1.answers.yaml").write_text(dumps(earlier), encoding="utf-8")
        with Store(Path(tmp) / "hq.sqlite") as store:
            result = collect([folder], store, jobs=1)
            assert not result.rejected, result.summary()
            return build_context(compare(store), today="2026-11-22")


if __name__ == "__main__":
    sys.stdout.write(render(example_context(), DESCRIPTIONS))
