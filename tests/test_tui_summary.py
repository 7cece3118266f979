"""Tests the summary at 80×24 (issue 15, items 3 and 9): value and rating beside each score with its scale, gaps
grouped by kind with counts, actions that jump to their question, and the report dialog (path, plan of action,
asking before replacing, the full path of what was written)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from textual.geometry import Region

from assess.output import actions_csv
from assess.pipeline import start_assessment
from assess.session import Session, Slot
from assess.tui.app import AssessApp

FIXTURE = Path(__file__).parent / "fixtures" / "lakeside.yaml"
LONG = {  # titles as long as the bundled frameworks' (the Rating column was pushed off an 80-column screen)
    'title: "Armed groups and networks"': 'title: "Armed groups and networks that tax, traffic or protect the trade"',
    'title: "Criminal markets"': 'title: "Criminal markets the mission meets in its area of operations"',
}


@pytest.fixture
def out(tmp_path) -> Path:
    """An assessment of the lakeside fixture with long section titles: gaps of several kinds, two actions."""
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in LONG.items():
        text = text.replace(old, new)
    fw = tmp_path / "lakeside.yaml"
    fw.write_text(text, encoding="utf-8")
    path = tmp_path / "lake.yaml"
    start_assessment(fw, path, {"title": "Lake check", "marking": "UN RESTRICTED"})
    s = Session.open(path)
    try:
        g1 = s.add_entity("groups", "Lake Front").id
        g2 = s.add_entity("groups", "Harbour network").id
        for slot, value in [
            (Slot("corruption", g1), "high"),
            (Slot("violence", g1), "high"),
            (Slot("finance", g1), "medium"),
            (Slot("corruption", g2), "low"),
            (Slot("mkt_gold"), 8),
            (Slot("mkt_arms"), 5.5),
            (Slot("mkt_fuel"), "unknown"),
        ]:
            s.update(slot, value=value, confidence="low" if value == "medium" else "high")
    finally:
        s.close()
    return path


async def wait_for(pilot, check, tries: int = 200) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def lines(widget) -> list[str]:
    """The text a widget draws, line by line (what a user reads in its region)."""
    return [strip.text for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))]


def options(app) -> list[str]:
    listed = app.screen.query_one("#gaps")
    return [str(getattr(o.prompt, "renderable", o.prompt)) for o in listed.options]


async def summary(pilot) -> None:
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "SummaryScreen")
    await pilot.pause()


async def test_value_rating_and_scale_stand_beside_each_score_at_80x24(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        table = app.screen.query_one("#scores")
        assert table.region.right <= 80 and table.region.y < 24
        shown = lines(table)
        assert shown[0].split() == ["Score", "Value", "Rating", "Scale"]
        markets = next(i for i, line in enumerate(shown) if line.lstrip().startswith("Criminal markets"))
        assert shown[markets].split()[-5:] == ["6.75", "Significant", "1–10", "▲", "worse"]
        assert shown[markets].split()[:7] == "Criminal markets the mission meets in 6.75".split()
        assert shown[markets + 1].strip() == "its area of operations"  # the title wraps in its column, whole
        groups = next(line for line in shown if line.lstrip().startswith("Armed groups"))
        assert groups.split()[-5:] == ["2.78", "High", "0–3", "▲", "worse"]
    async with AssessApp(out).run_test(size=(120, 40)) as pilot:  # where there is room, the scale in words
        await summary(pilot)
        assert any(
            line.rstrip().endswith("1–10, higher is worse") for line in lines(pilot.app.screen.query_one("#scores"))
        )


async def test_gaps_are_grouped_by_kind_with_counts_and_each_jumps_to_its_question(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        gaps = app.session.result.gaps
        assert len(gaps) > 10
        count = {k: sum(g.kind == k for g in gaps) for k in {g.kind for g in gaps}}
        assert options(app)[:4] == [
            f"▾ Required, not answered ({count['required_missing']})",
            "Required question not answered: Information cut-off date",
            "Required question not answered: How much violence does the group use? (Harbour network)",
            "Required question not answered: How strong are the group's finances? (Harbour network)",
        ]
        assert f"▸ Intelligence gap ({count['unknown']})" in options(app)
        assert f"▸ No sources ({count['no_sources']})" in options(app)
        assert len(options(app)) == len(count) + count["required_missing"]  # the other kinds show their count
        await pilot.press("tab")  # to the gaps: the first gap is highlighted
        await pilot.press("down", "down", "down", "enter")  # the next kind opens
        await pilot.pause()
        assert options(app)[4:6] == ["▾ Intelligence gap (1)", "Answered 'unknown' (intelligence gap): Fuel smuggling"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.screen.current == Slot("mkt_fuel")
        await summary(pilot)
        await pilot.press("tab", "down", "enter")  # the second required gap: the question in its block
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        harbour = app.session.entities("groups")[1]
        assert app.screen.current == Slot("violence", harbour.id)


async def test_enter_on_an_action_goes_to_the_question_it_concerns(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        listed = app.screen.query_one("#actions")
        prompts = ["\n".join(lines_of(o.prompt)) for o in listed.options]
        assert prompts[0].startswith("1. HIGH Lake Front rates High on the threat score.")
        assert prompts[1].startswith("2. HIGH Gold smuggling is pervasive.\n   → Check supply chains")
        await pilot.press("tab", "tab", "down", "enter")  # the gold action: its rule names mkt_gold
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.screen.current == Slot("mkt_gold")
        await summary(pilot)
        await pilot.press("tab", "tab", "enter")  # the group's: its rule names a score, so its block's first question
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        front = app.session.entities("groups")[0]
        assert app.screen.current == Slot("corruption", front.id)


def lines_of(renderable) -> list[str]:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=76, record=True)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


async def render_from_dialog(pilot, report: str | None, actions: str) -> None:
    """ctrl+r on the summary, the report's path typed over the default (None: kept), the plan's, then Render."""
    app = pilot.app
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ReportDialog")
    if report is not None:
        app.screen.query_one("#report-path").value = report
    await pilot.press("enter", *actions, "enter")


async def test_the_report_goes_where_the_planner_says_with_its_plan_and_the_notice_shows_the_full_paths(out):
    from docx import Document

    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReportDialog")
        assert app.screen.query_one("#report-path").value == str(out.with_suffix(".docx"))  # beside it, in full
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
        await render_from_dialog(pilot, "custom.docx", "plan.csv")
        await wait_for(
            pilot, lambda: type(app.screen).__name__ == "WrittenDialog" and app.screen.query("#close"), tries=2400
        )
        report, plan = out.parent / "custom.docx", out.parent / "plan.csv"
        assert str(app.screen.query_one("#written-files").content) == f"Report: {report}\nPlan of action: {plan}"
        assert app.screen.query_one("#folder").value == str(out.parent)
        assert not out.with_suffix(".docx").exists()
        text = "\n".join(p.text for p in Document(str(report)).paragraphs)
        assert "Lake check" in text and "Gold smuggling is pervasive." in text
        assert plan.read_bytes() == actions_csv(Session.open(out, read_only=True).result).encode("utf-8")
        assert plan.read_bytes().startswith(b"\xef\xbb\xbf")  # as 'assess report --actions' writes a file
        await pilot.press("enter")  # Close
        await pilot.pause()
        before = report.read_bytes()
        await render_from_dialog(pilot, str(report), "")  # again, to the same file: asked first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        assert str(app.screen.query_one("Static").content) == f"Replace what is there?\n{report}"
        await pilot.press("enter")  # the focus starts on Cancel
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReportDialog")  # back at the paths
        await pilot.pause(0.5)
        assert report.read_bytes() == before


async def test_a_report_named_without_docx_gets_it_and_another_suffix_is_refused_at_the_field(out):
    from docx import Document

    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReportDialog")
        dialog = app.screen
        said = dialog.query_one("#report-target")
        assert str(said.render()) == f"Will be written: {out.with_suffix('.docx')}"
        for typed, shown in (
            ("kess.pdf", "A report is a .docx file: kess.pdf ends .pdf; name it kess.docx"),
            ("kess", f"Will be written: {out.parent / 'kess.docx'}"),  # the full path, before anything is written
        ):
            dialog.query_one("#report-path").value = typed
            await pilot.pause()
            assert str(said.render()) == shown and said.has_class("error") == typed.endswith(".pdf")
        for typed, shown in (
            ("plan", "Say which: plan.csv (a CSV file) or plan.xlsx (a workbook)"),
            ("plan.txt", "A plan of action is a .csv file, or .xlsx for a workbook: plan.txt ends .txt"),
            ("", "No plan of action."),
        ):
            dialog.query_one("#actions-path").value = typed
            await pilot.pause()
            assert str(dialog.query_one("#actions-target").render()) == shown
        dialog.query_one("#actions-path").value = "plan"
        await pilot.press("enter", "enter")  # Render, refused at the plan's field: nothing written
        await pilot.pause(0.3)
        assert app.screen is dialog and app.focused.id == "actions-path"
        dialog.query_one("#report-path").value = "kess.pdf"
        dialog.query_one("#actions-path").value = ""
        dialog.query_one("#render").press()
        await pilot.pause(0.3)
        assert app.screen is dialog and app.focused.id == "report-path"
        assert sorted(p.name for p in out.parent.iterdir() if not p.name.startswith(".")) == [
            "lake.yaml",
            "lakeside.yaml",
        ]
        dialog.query_one("#report-path").value = "kess"
        dialog.query_one("#render").press()
        await wait_for(
            pilot, lambda: type(app.screen).__name__ == "WrittenDialog" and app.screen.query("#close"), tries=2400
        )
        assert str(app.screen.query_one("#written-files").content) == f"Report: {out.parent / 'kess.docx'}"
    assert "Lake check" in "\n".join(p.text for p in Document(str(out.parent / "kess.docx")).paragraphs)
    assert not (out.parent / "kess").exists()


async def test_the_status_line_and_the_summary_count_alike(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        status = str(app.screen.query_one("#status").content)
        await summary(pilot)
        said = str(app.screen.query_one("#coverage").render()).splitlines()
    cov = Session.open(out, read_only=True).result.coverage
    done = cov["answered"] + cov["not_applicable"] + cov["unknown"]
    assert cov["unknown"] == 1 and done == cov["answered"] + 1
    assert status.startswith(f"{done}/{cov['questions']} done · ")
    assert said[0] == (
        f"{done} of {cov['questions']} questions done: {cov['answered']} answered, 0 not applicable, 1 unknown"
    )
    assert said[1].startswith(f"{cov['required_missing']} required open — incomplete")


async def test_a_path_the_command_line_refuses_is_refused_with_its_message(out):
    from assess.report import DEFAULT_TEMPLATE

    template = Path(DEFAULT_TEMPLATE)
    before = template.read_bytes()
    mine = out.parent / "notes.csv"
    mine.write_bytes(b"the planner's own notes, not a plan")
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        await render_from_dialog(pilot, str(template), "notes.csv")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorDialog")
        shown = str(app.screen.query_one("#error-message").content).splitlines()
    assert shown[0] == (  # in the app's words: no '-o', no 'the command'
        f"The report ({template}) is the same file as the template ({template}), so writing it would replace a file "
        "the report is made from; nothing was written: give the report a file of its own [E412]"
    )
    assert shown[1].startswith(f"{mine} ") and shown[1].endswith(
        "; it was left as it is: give another file name, or move it away"
    )
    assert template.read_bytes() == before and mine.read_bytes() == b"the planner's own notes, not a plan"


async def test_key_judgements_are_not_a_row_of_the_scores_table(tmp_path):
    """Issue 16: the key judgements block is stated, not scored: the summary lists the scores without it (as `assess
    score` does), not as a score of '-' with a direction."""
    path = tmp_path / "mission-risk.answers.yaml"
    example = Path(__file__).parent.parent / "frameworks" / "examples" / "mission-risk.answers.yaml"
    path.write_bytes(example.read_bytes())
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        assert app.session.entities("key_judgements")  # the example states its key judgements
        shown = lines(app.screen.query_one("#scores"))
        assert any(line.lstrip().startswith("Risk register") for line in shown)
        assert not any("Key judgements" in line for line in shown), shown


async def test_each_action_says_who_must_act_and_which_actions_it_pulls_against(tmp_path):
    """Issue 16: the summary's actions read as the report's plan does: '→ JMAC: …', and an action that conflicts with
    another says so (mission-readiness's example: listing the group's leaders against their negotiated exit)."""
    from rich.console import Console

    path = tmp_path / "mission-readiness.answers.yaml"
    example = Path(__file__).parent.parent / "frameworks" / "examples" / "mission-readiness.answers.yaml"
    path.write_bytes(example.read_bytes())
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await summary(pilot)
        listed = app.screen.query_one("#actions")
        texts = []
        for option in listed.options:
            console = Console(width=76, record=True, file=io.StringIO())
            console.print(option.prompt)
            texts.append(console.export_text())
        items = app.screen.items
        assert len(texts) == len(items) and items
        for item, text in zip(items, texts, strict=True):
            assert f"→ {item.addressee}: " in text.replace("\n   ", " ")
        conflicting = [(item, text) for item, text in zip(items, texts, strict=True) if item.conflicts]
        assert conflicting, "the example's plan has actions that pull against each other"
        for item, text in conflicting:
            assert f"Conflicts with action {item.conflicts[0]}" in text or "Conflicts with actions" in text
