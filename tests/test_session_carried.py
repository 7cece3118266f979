"""The next period in an editing session (issue 17): answers carried forward lose their mark when changed in any way
or confirmed as they are, the last period's actions get a status and a note; each is saved at once and undone like
any other change, the file then holding again what it held before."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from test_tui import FRAMEWORK

from assess import answers as answers_module
from assess import session as session_module
from assess.errors import AssessError
from assess.model import Source
from assess.session import Session, Slot

CARRIED = """\
format: assess-answers/1
id: 7a2d0c55-2027-4h1a-9000-000000000001
framework:
  id: walk
  version: "1.0.0"
  path: walk.yaml
metadata:
  title: Walk 2027-H1
  period: 2027-H1
  marking: UN RESTRICTED
  created: "2027-01-05T09:00:00Z"
  updated: "2027-01-05T09:00:00Z"
predecessor: {id: 5e0b0000-2026-4h2a-9000-000000000000, period: 2026-H2, file: walk.2026-H2.answers.yaml}
history:
- {at: "2027-01-05T09:00:00Z", event: carried forward, summary: "From 2026-H2: 4 answers carried forward"}
answers:
  present: {value: "yes", carried: true, at: "2026-11-01T10:00:00Z"}
  gold: {value: high, confidence: medium, note: Port records, carried: true, at: "2026-11-01T10:00:00Z"}
  seizures: {value: 12, confidence: high, carried: true, at: "2026-11-01T10:00:00Z"}
  cutoff: {value: "2026-10-31", at: "2026-11-01T10:00:00Z"}
entities:
  groups:
  - id: g1
    name: FPNK
    answers:
      violence: {value: high, sources: [{ref: Panel report, reliability: B, credibility: 2}], carried: true}
follow_up:
- rule: gold_routes
  action: Brief the mission leadership on the gold routes
  for_whom: Markets
  priority: high
  addressee: JMAC
  period: 2026-H2
  status: not_started
- {rule: fpnk, action: Engage FPNK commanders on the release of minors, for_whom: FPNK, period: 2026-H2, status: in_progress, note: Two meetings held, at: "2026-12-01T10:00:00Z"}
"""


def carried_file(tmp_path: Path) -> Path:
    """An answers file of the next period, written by hand as spec A writes one: four answers carried forward (one
    in a block), one not, and two actions of the last period to follow up."""
    (tmp_path / "walk.yaml").write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "walk.2027-H1.answers.yaml"
    path.write_text(CARRIED, encoding="utf-8")
    return path


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def clock(monkeypatch):
    now = ["2027-01-10T08:00:00Z"]
    monkeypatch.setattr(answers_module, "now", lambda: now[0])
    monkeypatch.setattr(session_module, "now", lambda: now[0])
    return now


@pytest.fixture
def path(tmp_path) -> Path:
    return carried_file(tmp_path)


@pytest.fixture
def session(path):
    s = Session.open(path)
    yield s
    s.close()


def test_the_file_written_by_hand_opens_with_its_carried_answers_and_follow_up(session):
    assert session.carried_count() == 4
    assert session.answer(Slot("gold")).carried and not session.answer(Slot("cutoff")).carried
    assert session.answer(Slot("violence", "g1")).carried
    assert [f.status for f in session.answers.follow_up] == ["not_started", "in_progress"]


@pytest.mark.parametrize(
    ("slot", "fields"),
    [
        (Slot("gold"), {"value": "medium"}),
        (Slot("present"), {"na": True}),
        (Slot("gold"), {"confidence": "high"}),
        (Slot("gold"), {"note": "Port and airport records"}),
        (Slot("seizures"), {"sources": [Source("Customs register", "A", "1")]}),
        (Slot("violence", "g1"), {"value": "medium"}),
    ],
    ids=["value", "not applicable", "confidence", "note", "sources", "in a block"],
)
def test_any_change_to_a_carried_answer_clears_its_mark_in_the_file(session, path, clock, slot, fields):
    session.update(slot, **fields)
    data = saved(path)
    held = data["answers"][slot.qid] if slot.entity is None else data["entities"]["groups"][0]["answers"][slot.qid]
    assert "carried" not in held and held["at"] == "2027-01-10T08:00:00Z"
    assert session.carried_count() == 3
    others = [k for k, a in data["answers"].items() if a.get("carried")]
    assert len(others) == (3 if slot.entity else 2)  # only the answer changed lost its mark


def test_a_change_that_changes_nothing_keeps_the_mark_and_the_file(session, path):
    before = path.read_bytes()
    session.update(Slot("gold"), value="high", note="Port records")
    assert session.answer(Slot("gold")).carried and path.read_bytes() == before


def test_confirm_clears_only_the_mark_saves_at_once_and_undo_puts_it_back(session, path, clock):
    before = saved(path)  # as written by hand: the writer's own layout differs, its data not
    assert session.confirm(None, "gold") is True
    gold = saved(path)["answers"]["gold"]
    # nothing else changes: the value, confidence, note and the answer's own time stamp are as they were
    assert gold == {"value": "high", "confidence": "medium", "note": "Port records", "at": "2026-11-01T10:00:00Z"}
    assert session.carried_count() == 3
    assert session.confirm(None, "gold") is False  # confirmed already: nothing saved
    assert session.confirm(None, "cutoff") is False and session.confirm(None, "routes") is False
    clock[0] = "2027-01-05T09:00:00Z"  # the file's 'updated' as it was, so the bytes compare whole
    change = session.undo()
    assert change is not None and change.slot == Slot("gold")
    assert saved(path) == before and session.answer(Slot("gold")).carried
    written = path.read_bytes()  # as the writer lays it out: redo and undo again give it back byte for byte
    session.redo()
    assert "carried" not in saved(path)["answers"]["gold"]
    session.undo()
    assert path.read_bytes() == written


def test_confirm_in_a_block_and_undo_of_a_change_brings_the_mark_back(session, path, clock):
    assert session.confirm("g1", "violence")
    assert "carried" not in saved(path)["entities"]["groups"][0]["answers"]["violence"]
    session.update(Slot("seizures"), value=Fraction(15))
    assert "carried" not in saved(path)["answers"]["seizures"]
    session.undo()
    assert saved(path)["answers"]["seizures"] == {
        "value": 12,
        "confidence": "high",
        "at": "2026-11-01T10:00:00Z",
        "carried": True,
    }
    assert session.carried_count() == 3  # violence stays confirmed


def test_set_follow_up_saves_status_and_note_stamped_and_undo_restores_the_bytes(session, path, clock):
    clock[0] = "2027-01-05T09:00:00Z"
    session.confirm(None, "gold")
    session.undo()  # the file as the writer lays it out, with the data written by hand
    before = path.read_bytes()
    clock[0] = "2027-01-10T08:00:00Z"
    assert session.set_follow_up(0, status="done", note="Briefed on 8 January") is True
    item = saved(path)["follow_up"][0]
    assert item["status"] == "done" and item["note"] == "Briefed on 8 January"
    assert item["at"] == "2027-01-10T08:00:00Z"
    assert saved(path)["answers"]["gold"]["carried"] is True  # the answers are as they were
    assert session.set_follow_up(0, status="done") is False  # as it is: nothing saved
    clock[0] = "2027-01-05T09:00:00Z"
    change = session.undo()
    assert change is not None and change.kind == "follow_up"
    assert path.read_bytes() == before
    session.redo()
    assert saved(path)["follow_up"][0]["status"] == "done"
    session.set_follow_up(1, note="Three meetings held")
    second = saved(path)["follow_up"][1]
    assert second["status"] == "in_progress" and second["note"] == "Three meetings held"


def test_set_follow_up_refuses_an_unknown_status_or_action_or_a_read_only_session(session, path):
    before = path.read_bytes()
    with pytest.raises(ValueError, match="not a follow-up status"):
        session.set_follow_up(0, status="finished")
    with pytest.raises(IndexError):
        session.set_follow_up(2, status="done")
    with pytest.raises(AssessError) as e:
        session.set_follow_up(0, note="x" * 100_001)
    assert e.value.problems[0].code == "E321"
    assert path.read_bytes() == before
    view = Session.open(path, read_only=True)
    with pytest.raises(AssessError) as e:
        view.set_follow_up(0, status="done")
    assert e.value.problems[0].code == "E319"
    with pytest.raises(AssessError):
        view.confirm(None, "gold")
    assert path.read_bytes() == before
