"""The question pane's keys (issue 15, item 1): a key per action, the same on every question and from any field,
a fixed focus order; the whole bundled mission-risk framework filled keyboard only, every key counted; and date
entry (item 7): an impossible date refused as typed, the text kept with what the file keeps."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from assess.session import Session
from assess.tui.app import AssessApp
from assess.tui.screens.blocks import here
from assess.tui.widgets.dates import parse_date, typing_error
from assess.tui.widgets.question import QuestionPane

from conftest import run_cli


async def wait_for(pilot, check, tries: int = 100) -> None:
    """Wait until check() holds (the app moves the focus and redraws between keys)."""
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


# ------------------------------------------------------------------ the whole mission-risk framework, keyboard only
CHOICES = ("single", "scale", "yesno")
# the option each question is given (its index in the list), and the confidence level typed (1 low … 3 high)
PLAN: dict[str, tuple[int, int]] = {
    "risk_unit": (1, 3),  # yes: its follow-up question appears
    "risk_unit_covers_oc": (0, 2),
    "dd_expertise": (2, 2),
    "stability_dividend": (1, 2),
    "vendor_screening": (1, 3),  # with the source
    "beneficial_ownership": (2, 2),
    "ownership_disclosure": (0, 3),  # mission-risk 2.0.0
    "subcontract_visibility": (3, 1),
    "vendor_links": (1, 2),
    "leases_exposure": (0, 3),
    "fuel_transport_exposure": (2, 2),
    "procurement_concentration": (1, 1),
    "vendor_match": (1, 3),  # yes: the action taken appears
    "vendor_match_action": (2, 2),
    "hrddp_applied": (1, 2),  # with the note
    "unit_vetting": (2, 2),
    "units_trafficking": (1, 1),
    "justice_chain_support": (3, 2),
    "hrddp_suspension": (0, 3),
    "disruption_planned": (1, 3),
    "pre_op_threat_assessment": (1, 2),
    "retaliation_level": (2, 2),
    "checkpoint_exposure": (4, 1),  # unknown, by its key
    "national_staff_protection": (0, 3),
    "source_protection": (1, 2),
    "staff_trafficking": (0, 2),
    "sea_criminal_networks": (1, 1),
    "fuel_ration_theft": (2, 2),
    "reporting_channels": (1, 3),  # whistleblower_channels before 2.0.0
    "conduct_discipline": (2, 2),
    "risk_category": (0, 0),
    "likelihood": (2, 2),
    "impact": (3, 2),
    "risk_trajectory": (2, 2),  # rising
    "risk_status": (1, 0),
    "kj_likelihood": (4, 0),  # likely: the key judgement's two scales ask no confidence of their own
    "kj_confidence": (1, 0),  # moderate
}
TEXTS = {
    "scope_summary": "All mission components, 2025-07 to 2026-06.",
    "threat_assessment_ref": "JMAC TA 2026/04",
    "kj_judgement": "Fuel keeps reaching the armed group through the Orin carrier.",
    "kj_basis": "OIOS audit; two reconciliations short",
    "kj_indicators": "Checkpoint payments reported by drivers",
    "kj_horizon": "By the 2027 review",
    "risk_description": "Fuel diverted to an armed group",
    "risk_owner": "Chief of Staff",
    "risk_mitigation": "Monthly fuel reconciliation",
}
DATES = {"info_cutoff": "2026-06-30", "vendor_review_date": "2026-05-12", "risk_review_date": "2026-07-15"}
NUMBERS = {"retaliation_incidents": ("3", 1)}
RISKS = ["Fuel theft", "Vendor fronts", "Unit vetting gap"]
JUDGEMENT = "Fuel diversion"
NOTE = "Seen in 3 of 4 sectors"
SOURCE = "OIOS audit 2025/112"
NA = "equipment_diversion"
SOURCED = "vendor_screening"
NOTED = "hrddp_applied"
UNKNOWN = "checkpoint_exposure"


class Keys:
    """Presses keys as a planner would, counting each against the question (or stop) it was pressed on: the keys
    that give the answer itself, the other command keys, and the characters typed."""

    def __init__(self, app, pilot):
        self.app, self.pilot = app, pilot
        self.counts: dict[str, Counter] = {}
        self.kind: dict[str, str] = {}

    def place(self) -> str:
        screen = self.app.screen_stack[1] if len(self.app.screen_stack) > 1 else self.app.screen
        at = here(screen)
        return at.key if at is not None else "none"  # a question's key, or a stop's ('first:risk_register')

    async def press(self, what: str, *keys: str) -> None:
        self.counts.setdefault(self.place(), Counter())[what] += len(keys)
        if what == "typed":  # characters land in the field focused: typed at once, as a planner types
            await self.pilot.press(*keys)
            await self.pilot.pause()
            return
        for key in keys:  # a command may move the focus: the next key waits until it is done
            await self.pilot.press(key)
            await self.pilot.pause()

    async def answer(self, *keys: str) -> None:
        await self.press("answer", *keys)

    async def command(self, *keys: str) -> None:
        await self.press("command", *keys)

    async def type(self, text: str) -> None:
        await self.press("typed", *text)


async def choose(keys: Keys, option_list, index: int, what: str = "answer") -> None:
    """Arrow to an option, reading the list as the planner reads the screen, then Enter."""
    for _ in range(12):
        if option_list.highlighted == index:
            break
        await keys.press(what, "down" if (option_list.highlighted or -1) < index else "up")
    assert option_list.highlighted == index
    await keys.press(what, "enter")


async def add_source(keys: Keys, app) -> None:
    """ctrl+r, the reference, then a grade from each list; Enter moves on and adds on the last field."""
    await keys.command("ctrl+r")
    dialog = app.screen
    assert type(dialog).__name__ == "SourceDialog"
    await keys.type(SOURCE)
    grades = {"reliability": 1, "credibility": 1}  # B2 in the 4x4 grading
    for _ in range(20):
        if app.screen is not dialog:
            return
        focused = dialog.focused
        if type(focused).__name__ == "SelectOverlay":
            await choose(keys, focused, grades[focused.parent.id] + 1, "command")  # +1: the blank prompt row
        else:
            await keys.command("enter")
    raise AssertionError("the source dialog never closed")


async def fill(app, pilot) -> Keys:
    """Fill every question of the mission-risk framework, three risks, one key judgement, one source, one note, one
    not applicable."""
    keys = Keys(app, pilot)
    screen = app.screen
    seen: list[str] = []
    for _ in range(100):
        pane = screen.query(QuestionPane)
        if not pane:  # a section's stop: add a block (F3, its name, Enter), go on, or the walk is over
            stop = here(screen)
            names = RISKS if stop.section == "risk_register" else [JUDGEMENT]
            blocks = screen.session.entities(stop.section)
            if len(blocks) == len(names):
                if stop.section == "key_judgements":
                    return keys
                await keys.command("ctrl+n")  # on from the risk register to the key judgements
                await wait_for(pilot, lambda stop=stop: here(screen) != stop)
                continue
            await keys.command("f3")
            await keys.type(names[len(blocks)])
            await keys.command("enter")
            await wait_for(pilot, lambda: screen.query(QuestionPane))
            continue
        pane = pane.first()
        q, slot = pane.q, pane.slot
        assert slot.key not in seen, f"{slot.key} shown twice"
        seen.append(slot.key)
        keys.kind[slot.key] = q.type + (" confidence" if pane.confidence_levels() else "")
        answer = pane.query_one("#answer")
        assert screen.focused is answer, f"{slot.key}: the answer is not focused"
        if q.id == NA:
            await keys.command("alt+a")
            await wait_for(pilot, lambda slot=slot: screen.session.answer(slot) and screen.session.answer(slot).na)
        elif q.id == UNKNOWN:
            await keys.answer("alt+u")
        elif q.type in CHOICES:
            await choose(keys, answer, PLAN[q.id][0])
        elif q.type == "text":
            await keys.type(TEXTS[q.id])
        elif q.type == "date":
            await keys.type(DATES[q.id])
        else:
            await keys.type(NUMBERS[q.id][0])
        level = PLAN.get(q.id, NUMBERS.get(q.id, (0, 0)))[1]
        if level and q.id != NA:
            await keys.command("alt+c", str(level))
        if q.id == SOURCED:
            await add_source(keys, app)
        if q.id == NOTED:
            await keys.command("alt+n")
            await keys.type(NOTE)
        before = screen.current
        await keys.command("ctrl+n")
        await wait_for(pilot, lambda before=before: screen.current != before)
    raise AssertionError("the walk never ended")


@pytest.fixture
def mission(tmp_path: Path) -> Path:
    out = tmp_path / "mission.yaml"
    r = run_cli("new", "mission-risk", "-o", str(out), "--no-open", "--title", "Keys")
    assert r.returncode == 0, r.stderr
    return out


async def test_the_whole_mission_risk_framework_by_keyboard_in_three_command_keys_a_question(mission, capsys):
    app = AssessApp(mission)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = await fill(app, pilot)
        session = app.screen.session
        assert (
            session.result.coverage["answered"]
            + session.result.coverage["not_applicable"]
            + session.result.coverage["unknown"]
            == session.result.coverage["questions"]
        )
    data = yaml.safe_load(mission.read_text(encoding="utf-8"))
    top = data["answers"]
    # every answer as given, in the file
    for qid, (index, level) in PLAN.items():
        if qid in top:
            assert top[qid]["value"] == app.session.fw.questions[qid].options[index].value, qid
            if level:
                assert top[qid]["confidence"] == ["low", "medium", "high"][level - 1], qid
    assert top[NA]["na"] is True and "value" not in top[NA]
    assert top[UNKNOWN]["value"] == "unknown"
    assert top[NOTED]["note"] == NOTE
    assert top[SOURCED]["sources"] == [{"ref": SOURCE, "reliability": "B", "credibility": 2}]
    assert top["info_cutoff"]["value"] == "2026-06-30"
    assert top["retaliation_incidents"] == {"value": 3, "confidence": "low", "at": top["retaliation_incidents"]["at"]}
    assert top["scope_summary"]["value"] == TEXTS["scope_summary"]
    risks = data["entities"]["risk_register"]
    assert [r["name"] for r in risks] == RISKS
    for risk in risks:
        a = risk["answers"]
        assert a["risk_category"]["value"] == "contracting"
        assert (a["likelihood"]["value"], a["likelihood"]["confidence"]) == ("possible", "medium")
        assert (a["impact"]["value"], a["impact"]["confidence"]) == ("major", "medium")
        assert a["risk_review_date"]["value"] == "2026-07-15"
        assert a["risk_owner"]["value"] == "Chief of Staff"
        assert (a["risk_trajectory"]["value"], a["risk_trajectory"]["confidence"]) == ("rising", "medium")
    [judgement] = data["entities"]["key_judgements"]
    assert judgement["name"] == JUDGEMENT
    kj = judgement["answers"]
    assert {q: kj[q]["value"] for q in TEXTS if q.startswith("kj_")} == {q: t for q, t in TEXTS.items() if q in kj}
    assert (kj["kj_likelihood"]["value"], kj["kj_confidence"]["value"]) == ("likely", "moderate")
    assert "confidence" not in kj["kj_likelihood"] and "confidence" not in kj["kj_confidence"]
    assert [keys.kind[f"{judgement['id']}/{q}"] for q in ("kj_likelihood", "kj_confidence")] == ["scale", "scale"]
    # the keys: a choice question with confidence takes its answer, then at most 3 command keys (alt+c, a digit,
    # ctrl+n), the same on every question; a text, date or number question ctrl+n (and alt+c, a digit where it asks
    # a confidence); not applicable, a note and a source each cost their own keys on top
    counts, kind = keys.counts, keys.kind
    plain = {p: c for p, c in counts.items() if p in kind and not any(p.endswith(s) for s in (NA, SOURCED, NOTED))}
    choice = {p: c for p, c in plain.items() if kind[p] in [f"{t} confidence" for t in CHOICES]}
    assert len(choice) == 37  # 28 at the top (without the three above), 3 in each of the three risks
    assert {c["command"] for c in choice.values()} == {3}
    for p, c in plain.items():
        assert c["command"] == (3 if kind[p].endswith("confidence") else 1), (p, c)
    assert counts[NA] == Counter(command=2)  # alt+a, ctrl+n
    assert counts[NOTED]["command"] == 4  # alt+c, a digit, alt+n, ctrl+n
    register = counts["first:risk_register"] + counts["another:risk_register"]
    assert register == Counter(command=7, typed=sum(map(len, RISKS)))  # f3, the name, enter: three times; ctrl+n on
    assert counts["first:key_judgements"] == Counter(command=2, typed=len(JUDGEMENT))  # f3, the name, enter
    total = sum(counts.values(), Counter())
    with capsys.disabled():
        print(
            f"\nAFTER: {len(kind)} questions, {total['answer']} answer keys, {total['command']} command keys, "
            f"{total['typed']} typed; plain choice+confidence: {len(choice)} q, 3 command keys beyond the answer each; "
            f"source {dict(counts[SOURCED])}, note {dict(counts[NOTED])}, not applicable {dict(counts[NA])}"
        )


# ------------------------------------------------------------------ each key, from any field, remapped
SMALL = """\
id: keys
version: 1.0.0
title: Keys check
grading: 4x4
defaults: {confidence: true}
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
      - {value: unknown, label: Unknown, unknown: true}
sections:
  - id: markets
    title: Markets
    questions:
      - {id: gold, text: How large is gold smuggling?, type: scale, scale: lvl, allow_na: true, guidance: "Look at **panel of experts** reports."}
      - {id: seizures, text: Seizures last year, type: number, min: 0, max: 500, integer: true}
      - {id: cutoff, text: Information cut-off, type: date, confidence: false}
      - {id: summary, text: Summary, type: text, confidence: false}
      - id: routes
        text: Which routes are used?
        type: multiple
        scored: false
        confidence: false
        options: [{value: road}, {value: river}, {value: unknown, label: Unknown, unknown: true}]
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    fw = tmp_path / "keys.yaml"
    fw.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(out), "--no-open", "--title", "Keys")
    assert r.returncode == 0, r.stderr
    return out


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("answers") or {}


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def go_to(pilot, app, qid: str, key: str = "ctrl+n") -> None:
    for _ in range(6):
        if app.screen.current.qid == qid:
            return
        before = app.screen.current
        await pilot.press(key)
        await wait_for(pilot, lambda before=before: app.screen.current != before)
    raise AssertionError(qid)


async def focus_in(pilot, app, where: str) -> None:
    """Put the focus where a key is to be pressed from: the answer, or the note (Tab to the end, as a planner)."""
    screen = app.screen
    if where == "note":
        for _ in range(5):
            if screen.focused.id == "note":
                break
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press(*"seen")  # typing there first: the keys still work from inside the text
    assert screen.focused.id == where.replace("answer", "answer")


def chain(app) -> list[str]:
    pane = app.screen.query_one(QuestionPane)
    return [w.id or type(w).__name__ for w in app.screen.focus_chain if pane in w.ancestors_with_self]


async def test_the_focus_order_is_the_same_on_every_question_and_has_no_invisible_stop(small):
    app = AssessApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert chain(app) == ["answer", "na", "confidence", "note"]  # the pane and the closed guidance are no stops
        for expected in ["na", "confidence", "note"]:
            await pilot.press("tab")
            await pilot.pause()
            assert screen.focused.id == expected
        screen.session.add_source(screen.current, "Panel report 2025", "B", "2")
        screen.show(screen.current)
        await pilot.pause()
        assert chain(app) == ["answer", "na", "confidence", "sources", "note"]  # the buttons are no stops: keys are
        await go_to(pilot, app, "seizures")
        assert chain(app) == ["answer", "confidence", "note"]
        await go_to(pilot, app, "summary")
        assert chain(app) == ["answer", "note"]


async def test_each_field_shows_its_key_and_a_remapped_key_shows_and_works(small):
    app = AssessApp(small, keymap={"question.note": "f9", "question.confidence": "f10", "question.confidence_2": "m"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        pane = screen.query_one(QuestionPane)
        labels = [str(w.render()) for w in pane.query("Label")]
        assert "Confidence (f10)" in labels and "Note (f9)" in labels and "Sources (0)" in labels
        assert str(pane.query_one("#na").label) == "Not applicable (alt+a)"
        assert str(pane.query_one("#guidance").title) == "Guidance (alt+g)"
        assert str(pane.query_one("#answer").get_option_at_index(3).prompt) == "  Unknown  (alt+u)"
        assert str(pane.query_one("#add-source").label) == "Add source (ctrl+r)"
        await pilot.press("f10", "m")  # the remapped keys, from the answer
        await wait_for(pilot, lambda: saved(small).get("gold", {}).get("confidence") == "medium")
        await pilot.press("f9", *"ok")
        await wait_for(pilot, lambda: saved(small).get("gold", {}).get("note") == "ok")
        await pilot.press("alt+n")  # the old key does nothing now: the focus stays in the note
        await pilot.pause()
        assert screen.focused.id == "note"


@pytest.mark.parametrize("where", ["answer", "note"])
async def test_confidence_not_applicable_unknown_note_and_guidance_keys_work_from_any_field(small, where):
    app = AssessApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await focus_in(pilot, app, where)
        await pilot.press("alt+c", "3")  # confidence: its key, then the level's digit
        await wait_for(pilot, lambda: saved(small).get("gold", {}).get("confidence") == "high")
        assert screen.focused.id == "confidence"
        await pilot.press("alt+u")  # unknown: the question's 'unknown' option, chosen and saved
        await wait_for(pilot, lambda: saved(small)["gold"].get("value") == "unknown")
        assert str(screen.query_one("#answer").get_option_at_index(3).prompt) == "● Unknown  (alt+u)"
        await pilot.press("alt+g")  # guidance: opens, with the focus on it, and closes back to the answer
        await wait_for(pilot, lambda: not screen.query_one("#guidance").collapsed)
        assert screen.focused is screen.query_one("#guidance").query_one("CollapsibleTitle")
        assert "panel of experts" in screen.query_one("#guidance").query_one("Markdown").source
        await pilot.press("alt+g")
        await wait_for(pilot, lambda: screen.query_one("#guidance").collapsed)
        assert screen.focused.id == "answer"
        await pilot.press("alt+n", *" more")
        await wait_for(pilot, lambda: saved(small)["gold"].get("note", "").endswith(" more"))
        await pilot.press("alt+a")  # not applicable, from the note: set, the answer put aside; again: unset
        await wait_for(pilot, lambda: saved(small)["gold"].get("na") is True)
        assert "value" not in saved(small)["gold"]
        assert screen.query_one("#na").value is True
        await pilot.press("alt+a")
        await wait_for(pilot, lambda: "na" not in saved(small)["gold"])


async def test_the_keys_work_from_a_number_field_and_say_why_where_they_do_not_apply(small):
    app = AssessApp(small)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, app, "seizures")
        await pilot.press(*"12", "alt+c", "1")  # from the input: the number typed is kept, the confidence set
        await wait_for(pilot, lambda: saved(small).get("seizures", {}).get("confidence") == "low")
        assert saved(small)["seizures"]["value"] == 12
        await pilot.press("alt+a", "alt+u", "alt+g", "alt+e")
        await pilot.pause(0.3)
        assert messages(app)[-4:] == [
            "This question cannot be marked not applicable.",
            "This question has no 'unknown' answer: leave it open (it stays listed as a gap) and say in the note "
            "(alt+n) what is missing.",
            "This question has no guidance.",
            "No source to edit yet: ctrl+r adds one.",
        ]
        await pilot.press("alt+c", "7")
        await pilot.pause(0.2)
        assert messages(app)[-1] == "The confidence scale has 3 levels: 1 to 3."
        assert saved(small)["seizures"]["confidence"] == "low"
        await pilot.press("shift+tab", "ctrl+u", *"14", "alt+n", *"from the log")  # from the input to the note
        await wait_for(pilot, lambda: saved(small)["seizures"].get("note") == "from the log")
        assert saved(small)["seizures"]["value"] == 14  # the number typed is saved on the way out of its field
        await go_to(pilot, app, "cutoff")
        await pilot.press("alt+c")
        await pilot.pause(0.2)
        assert messages(app)[-1] == "This question asks for no confidence."


async def close_dialog(pilot, app, screen) -> None:
    """Close the source dialog the main screen opens for an EditSource (escape: nothing was typed)."""
    await pilot.pause(0.2)
    if app.screen is not screen:
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_enter_or_the_edit_key_on_a_source_asks_to_edit_it_and_delete_removes_it(small, monkeypatch):
    asked: list[tuple[str, int]] = []
    post = QuestionPane.post_message

    def record(self, message):
        if isinstance(message, QuestionPane.EditSource):
            asked.append((message.slot.key, message.index))
        return post(self, message)

    monkeypatch.setattr(QuestionPane, "post_message", record)
    app = AssessApp(small)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        slot = screen.current
        screen.session.add_source(slot, "Panel report 2025", "B", "2")
        screen.session.add_source(slot, "Customs data", "A", "1")
        screen.show(slot)
        await pilot.pause()
        labels = [str(w.render()) for w in screen.query_one(QuestionPane).query("Label")]
        assert "Sources (2) — Enter or alt+e edits" in labels
        await pilot.press("alt+e")  # several, none chosen: the list takes the focus and says how
        await pilot.pause(0.2)
        assert screen.focused.id == "sources" and asked == []
        assert messages(app)[-1] == "Choose the source with ↑ ↓, then Enter edits it."
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: asked == [(slot.key, 1)])
        await close_dialog(pilot, app, screen)
        await pilot.press("alt+n", "alt+e")  # from the note: back to the list, on the source chosen before
        await pilot.pause(0.2)
        assert screen.focused.id == "sources" and screen.focused.highlighted == 1
        await pilot.press("alt+e")  # in the list: the highlighted source
        await wait_for(pilot, lambda: len(asked) == 2)
        assert asked[-1] == (slot.key, 1)
        await close_dialog(pilot, app, screen)
        screen.query_one("#sources").focus()
        await pilot.press("up", "delete")  # delete on the list removes the highlighted source
        await wait_for(pilot, lambda: [s["ref"] for s in saved(small)["gold"].get("sources", [])] == ["Customs data"])


# ------------------------------------------------------------------ dates (item 7)
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2026-07-15", "2026-07-15"),
        ("2026/7/5", "2026-07-05"),
        ("2026.07.05", "2026-07-05"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_a_date_is_taken_as_people_write_it_and_kept_as_the_file_writes_it(typed, value):
    assert parse_date(typed) == (value, "")


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-02-30", "'2026-02-30' is not a date: February 2026 has 28 days."),
        ("2026-04-31", "'2026-04-31' is not a date: April 2026 has 30 days."),
        ("2026-13-01", "'2026-13-01' is not a date: there is no month 13; write YYYY-MM-DD, e.g. 2026-07-15."),
        ("15/07/2026", "'15/07/2026' is not a date; write YYYY-MM-DD, e.g. 2026-07-15."),
        ("20260715", "'20260715' is not a date; write YYYY-MM-DD, e.g. 2026-07-15."),
        ("yesterday", "'yesterday' is not a date; write YYYY-MM-DD, e.g. 2026-07-15."),
    ],
)
def test_an_impossible_or_unreadable_date_is_refused_saying_what_to_type(typed, error):
    assert parse_date(typed) == (None, error)
    assert typing_error(typed) == error


@pytest.mark.parametrize("typed", ["2", "2026", "2026-", "2026-0", "2026-07", "2026-07-", "2026-07-3"])
def test_a_date_on_its_way_is_not_refused_while_typed(typed):
    assert typing_error(typed) == ""


async def test_an_impossible_date_is_refused_as_typed_and_stays_visible_while_the_file_keeps_the_old_one(small):
    app = AssessApp(small)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        await go_to(pilot, app, "cutoff")
        await pilot.press(*"2026-06-30", "enter")
        await wait_for(pilot, lambda: saved(small).get("cutoff", {}).get("value") == "2026-06-30")
        await pilot.press("ctrl+u", *"2026-13")  # refused at once: no month 13
        await pilot.pause()
        error = screen.query_one("#answer-error")
        assert str(error.content) == (
            "'2026-13' is not a date: there is no month 13; write YYYY-MM-DD, e.g. 2026-07-15. "
            "Not saved: the file keeps 2026-06-30."
        )
        await pilot.press("ctrl+u", *"2026-02-30")
        await pilot.pause()
        assert str(error.content) == (
            "'2026-02-30' is not a date: February 2026 has 28 days. Not saved: the file keeps 2026-06-30."
        )
        await pilot.press("ctrl+n")  # not taken for saved: the planner stays, the text and its message stay
        await pilot.pause(0.3)
        assert screen.current.qid == "cutoff"
        assert screen.query_one("#answer").value == "2026-02-30"
        assert "February 2026 has 28 days" in str(screen.query_one("#answer-error").content)
        assert saved(small)["cutoff"]["value"] == "2026-06-30"
        await pilot.press("ctrl+u", *"2026/7/5", "enter")  # another way of writing a date: kept as YYYY-MM-DD
        await wait_for(pilot, lambda: saved(small)["cutoff"]["value"] == "2026-07-05")
        assert screen.query_one("#answer").value == "2026-07-05"
        assert str(screen.query_one("#answer-error").content) == ""


# ------------------------------------------------------------------ the pane as a planner sees it
SNAPSHOT_APP = Path(__file__).parent / "snapshot_app.py"


def test_each_field_of_the_pane_shows_its_key_at_80x24(snap_compare, lakeside):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("alt+c")  # the confidence focused: its digits are the keys of its levels
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(SNAPSHOT_APP, terminal_size=(80, 24), run_before=run_before)


async def test_unknown_in_a_list_of_several_stands_alone_and_a_read_only_view_changes_nothing(small):
    app = AssessApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to(pilot, app, "routes")
        await pilot.press("space", "down", "space")  # road and river
        await wait_for(pilot, lambda: saved(small).get("routes", {}).get("value") == ["road", "river"])
        await pilot.press("alt+u")  # unknown: the only option chosen now
        await wait_for(pilot, lambda: saved(small)["routes"]["value"] == ["unknown"])
        assert app.screen.query_one("#answer").selected == [2]
    before = small.read_bytes()
    app = AssessApp(small, session=Session.open(small, read_only=True))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await go_to(pilot, app, "gold", "ctrl+b")
        await pilot.press("alt+a", "alt+u")
        await pilot.pause(0.3)
        assert messages(app)[-2:] == ["Opened read-only: nothing can be changed here."] * 2
        assert app.screen.query_one("#na").value is False
    assert small.read_bytes() == before
