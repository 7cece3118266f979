"""Tests the last period in the Word report (issue 17): an assessment started with `assess new --from`, a few of its
actions followed up, reported; the report read with python-docx (and through LibreOffice) as a reader reads it: the
follow-up table and its tally, page one's sentences, the annex's marks, the collection plan's 'Open since'."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest

from assess.answers import dumps, load_answers
from assess.files import write_atomic
from assess.loader import load_framework
from assess.model import CARRIED_LABEL, Answer, Answers, FollowUp, KeptAside, Pin, Predecessor
from assess.report.followup import KEPT_TITLE, follow_up, follow_up_text, kept_aside, tally

from conftest import ROOT, need, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "Follow-up of the last period's actions"
NOTE = "<b>Vetted</b> {{ 7*7 }} & filed"
"""A mission's note that looks like markup and a template tag: the report prints it as written."""


def body(document) -> list:
    """The body's paragraphs and tables in order: a paragraph as its text, a table as its rows of cell texts."""
    out: list = []
    for el in document.element.body.iterchildren():
        if el.tag == f"{W}p":
            out.append("".join(t.text or "" for t in el.iter(f"{W}t")))
        elif el.tag == f"{W}tbl":
            rows = []
            for tr in el.iter(f"{W}tr"):
                cells = [
                    "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
                    for tc in tr.iter(f"{W}tc")
                ]
                rows.append(cells)
            out.append(rows)
    return out


def table(parts: list, first: str) -> list[list[str]]:
    """The rows of the table whose first header cell is first."""
    return next(t for t in parts if isinstance(t, list) and t[0][0] == first)


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """The SOCTA example's next period: four actions followed up (done with a note, in progress, dropped, done), one
    answer reviewed, the first requirement not open at the last period's end; its report and the last one's."""
    folder = tmp_path_factory.mktemp("followup")
    last = folder / "kessaria-2026-H2.answers.yaml"
    shutil.copy(ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml", last)
    nxt = folder / "kessaria-2027-H1.answers.yaml"
    r = run_cli("new", "oc-threat", "--from", str(last), "--period", "2027-H1", "-o", str(nxt), "--no-open")
    assert r.returncode == 0, r.stderr
    answers, _ = load_answers(nxt)
    statuses = (("done", NOTE), ("in_progress", ""), ("dropped", "Superseded by the new mandate."), ("done", ""))
    for f, (status, note) in zip(answers.follow_up[:4], statuses, strict=True):
        f.status, f.note = status, note
    answers.answers["info_cutoff"].carried = False  # reviewed and confirmed
    assert answers.predecessor is not None
    answers.predecessor.requirements = answers.predecessor.requirements[1:]
    write_atomic(nxt, dumps(answers))
    out = {}
    for name, path in (("next", nxt), ("last", last)):
        out[name] = folder / f"{name}.docx"
        r = run_cli("report", str(path), "-o", str(out[name]))
        assert r.returncode == 0, r.stderr
    return answers, body(docx.Document(out["next"])), body(docx.Document(out["last"])), out["next"]


def test_the_follow_up_table_lists_each_action_with_its_status_and_note_under_its_tally(followed):
    answers, parts, _, _ = followed
    rows = table(parts, "Action")
    assert rows[0] == ["Action", "Period", "For", "Addressee", "Status", "Note"]
    n = len(answers.follow_up)
    assert len(rows) == n + 1 and n > 4
    assert [r[4] for r in rows[1:]] == ["Done", "In progress", "Dropped", "Done"] + ["Not started"] * (n - 4)
    first = answers.follow_up[0]
    assert rows[1] == [f"1. {first.action}", "2026-H2", first.for_whom, first.addressee, "Done", NOTE]
    assert rows[3][5] == "Superseded by the new mandate." and {r[1] for r in rows[1:]} == {"2026-H2"}
    at = parts.index(rows)
    tally = f"2 of {n} done, 1 in progress, 1 dropped, {n - 4} not started."
    assert tally in parts[at - 3 : at] and TITLE in parts[at - 4 : at]


def test_page_one_says_how_many_carried_answers_are_still_to_review_and_gives_the_tally(followed):
    answers, parts, _, _ = followed
    carried = sum(a.carried for a in answers.answers.values()) + sum(
        a.carried for group in answers.entities.values() for e in group for a in e.answers.values()
    )
    n = len(answers.follow_up)
    summary = parts[parts.index("Executive summary") : parts.index("Scores")]
    assert (
        f"{carried} answers carried forward from 2026-H2 are still to review. Actions of 2026-H2 followed up: "
        f"2 of {n} done, 1 in progress, 1 dropped, {n - 4} not started."
    ) in summary


def test_the_annex_marks_each_carried_answer_and_not_the_one_reviewed(followed):
    _, parts, _, _ = followed
    answered = [p for p in parts if isinstance(p, str) and p.startswith("Answer: ")]
    marked = [p for p in answered if f"({CARRIED_LABEL})" in p]
    assert "Answer: 2026-09-30" in answered  # the information cut-off, reviewed
    assert len(marked) > 150 and "Answer: Likely (55–80%) (carried forward — review)" in marked


def test_the_collection_plan_says_which_requirements_were_open_at_the_last_periods_end(followed):
    _, parts, _, _ = followed
    rows = table(parts, "IR")[1:]
    assert "Open since" not in rows[0][2]
    assert all(r[2].endswith("\nOpen since 2026-H2.") for r in rows[1:]) and len(rows) > 5


def test_a_first_period_has_no_follow_up_and_nothing_to_review(followed):
    _, _, parts, _ = followed
    assert TITLE not in parts and not any(isinstance(p, str) and CARRIED_LABEL in p for p in parts)
    assert KEPT_TITLE not in parts and not any(isinstance(p, str) and "kept aside" in p for p in parts)
    assert not any(isinstance(p, str) and ("still to review" in p or "Open since" in p) for p in parts)
    assert not any(isinstance(p, list) and p[0][0] == "Action" for p in parts)


def test_libreoffice_shows_the_follow_up_and_page_ones_sentence(followed, tmp_path):
    need("soffice", "pdftotext")
    answers, _, _, report = followed
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(report)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "next.pdf"
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "3", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    flat = " ".join(first.stdout.split())
    assert "answers carried forward from 2026-H2 are still to review" in flat
    whole = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    n = len(answers.follow_up)
    assert TITLE in whole and f"2 of {n} done, 1 in progress, 1 dropped" in whole and "Not started" in whole


def test_the_tally_names_the_statuses_some_action_has_and_an_older_action_says_when_it_was_recommended():
    answers = Answers(Pin("x", "1.0.0"), {"period": "2027-H1"}, predecessor=Predecessor("p", "2026-H2"))
    answers.follow_up = [FollowUp("r1", "Vet.", period="2026-H2"), FollowUp("r0", "Hire.", period="2026-H1")]
    assert tally(answers) == "0 of 2 done, 2 not started"
    answers.follow_up[1].status = "done"
    assert tally(answers) == "1 of 2 done, 1 not started"
    result = type("R", (), {"answers": answers})()
    rows = follow_up(result, lambda text, where: str(text))["rows"]
    assert [(r["status"], r["since"]) for r in rows] == [("Not started", ""), ("Done", "Recommended in 2026-H1.")]


def test_a_period_following_up_actions_of_several_periods_says_earlier_periods_and_each_ones_period(followed, tmp_path):
    _, _, _, report = followed
    last = report.parent / "kessaria-2027-H1.answers.yaml"
    nxt = tmp_path / "kessaria-2027-H2.answers.yaml"
    r = run_cli("new", "oc-threat", "--from", str(last), "--period", "2027-H2", "-o", str(nxt), "--no-open")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "h2.docx"
    r = run_cli("report", str(nxt), "-o", str(out))
    assert r.returncode == 0, r.stderr
    parts = body(docx.Document(out))
    later, _ = load_answers(nxt)
    periods = [f.period for f in later.follow_up]
    assert set(periods) == {"2026-H2", "2027-H1"}  # the open ones of 2026-H2 and the 2027-H1 plan's
    assert [r[1] for r in table(parts, "Action")[1:]] == periods
    summary = parts[parts.index("Executive summary") : parts.index("Scores")]
    line = next(p for p in summary if isinstance(p, str) and "followed up:" in p)
    assert (
        f"Actions of earlier periods followed up: 0 of {len(periods)} done" in line and "2027-H1 followed" not in line
    )


def test_page_one_names_the_period_when_every_action_followed_up_was_recommended_in_one():
    answers = Answers(Pin("x", "1.0.0"), {"period": "2027-H1"}, predecessor=Predecessor("p", "2026-H2"))
    answers.follow_up = [FollowUp("r0", "Hire.", period="2026-H1")]
    assert follow_up_text(answers) == "Actions of 2026-H1 followed up: 0 of 1 done, 1 not started."
    answers.follow_up[0].period = ""  # a period not written: the last one's
    assert follow_up_text(answers) == "Actions of 2026-H2 followed up: 0 of 1 done, 1 not started."


CURRENT = load_framework(ROOT / "frameworks" / "mission-risk.yaml")[0].version
"""mission-risk's version now (2.0.1 since its French: the migration of 1.1.0 answers ends there)."""


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """The mission-risk example of 2026-H1 migrated to the current version (2.0.0's migration keeps one answer
    aside), its score text and report."""
    folder = tmp_path_factory.mktemp("kept")
    old = folder / "risk-2026-H1.answers.yaml"
    shutil.copy(ROOT / "frameworks" / "examples" / "previous-period" / "mission-risk.2026-H1.answers.yaml", old)
    r = run_cli("migrate", str(old))
    assert r.returncode == 0, r.stderr
    moved = folder / f"risk-2026-H1-{CURRENT}.answers.yaml"
    answers, _ = load_answers(moved)
    assert [k.id for k in answers.kept_aside] == ["open_investigations"]
    scored = run_cli("score", str(moved))
    assert scored.returncode == 0, scored.stderr
    out = folder / "risk.docx"
    r = run_cli("report", str(moved), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return answers.kept_aside[0], " ".join(scored.stdout.split()), body(docx.Document(out))


def test_score_says_how_many_answers_were_kept_aside_and_where(kept):
    _, text, _ = kept
    assert (
        f"1 answer of mission-risk 1.1.0 was kept aside by the migration to {CURRENT} (not scored): listed under "
        "kept_aside in the answers file and in the report's annex."
    ) in text


def test_the_report_says_on_page_one_and_shows_in_its_annex_the_answer_kept_aside(kept):
    k, _, parts = kept
    summary = parts[parts.index("Executive summary") : parts.index("Scores")]
    assert f"1 answer of mission-risk 1.1.0 was kept aside by the migration to {CURRENT}: see the annex." in summary
    at = len(parts) - 1 - parts[::-1].index(KEPT_TITLE)  # the heading, after the table of contents' entry
    assert parts[at + 2 : at + 7] == [
        "open_investigations (version 1.1.0)",
        "Answer: yes · Confidence: High",
        "Sources: OIOS case list for UNMIRT, April 2026 (fictional) (A1)",
        k.answer.note,
        f"Kept aside: {k.reason}",
    ]
    assert "Three open cases" in k.answer.note and "conduct_discipline" in k.reason
    assert parts.index("Contents") < parts.index(KEPT_TITLE) < at  # listed in the table of contents
    annexes = [i for i, p in enumerate(parts) if isinstance(p, str) and p.startswith("Annex: answers question")]
    assert annexes[-1] < at < len(parts) - 1 - parts[::-1].index("Annex: about this assessment")


def test_an_answer_kept_aside_from_a_block_names_it_and_is_shown_as_written():
    answers = Answers(Pin("x", "2.0.0"), {"period": "2027-H1"})
    answers.kept_aside = [
        KeptAside("old_q", Answer(["a", "b"], note=NOTE), "split in 2.0.0", "1.0.0", "risks", "r2", "Fuel theft"),
        KeptAside("older_q", Answer(True, confidence="medium"), "removed in 1.5.0", "0.9.0"),
    ]
    fw = type("F", (), {"id": "x", "version": "2.0.0", "confidence_scale": None})()
    result = type("R", (), {"answers": answers, "framework": fw})()
    rows = kept_aside(result, lambda text, where: str(text))["rows"]
    assert [(r["id"], r["version"], r["block"], r["answer"], r["note"], r["confidence"]) for r in rows] == [
        ("old_q", "1.0.0", "Fuel theft", "a, b", NOTE, ""),
        ("older_q", "0.9.0", "", "yes", "", "medium"),
    ]
