"""The answers file's continuity keys: predecessor, history, follow-up, answers kept aside, carried marks."""

from pathlib import Path

import pytest

from assess.answers import answers_from_text, dumps, load_answers
from assess.errors import AssessError
from assess.model import Answer, Event, FollowUp, KeptAside, Predecessor

EXAMPLE = Path(__file__).parent.parent / "frameworks" / "examples" / "mission-risk.answers.yaml"

HEAD = """format: assess-answers/1
id: a2
framework: {id: mission-risk, version: 1.1.0}
metadata: {title: Next, period: 2027-H1}
"""


def test_every_continuity_key_round_trips_through_the_file_byte_for_byte():
    answers, _ = load_answers(EXAMPLE)
    first = next(iter(answers.answers))
    answers.answers[first].carried = True
    answers.predecessor = Predecessor("a1", "2026-H2", "Review 2026-H2", "last.answers.yaml", ["risks/r1/likelihood"])
    answers.history = [Event("2027-01-05T09:00:00Z", "carried forward", "from a1 (2026-H2)", ["12 answers to review"])]
    answers.follow_up = [
        FollowUp("vendor_gap", "Screen the vendors", "Fuel", "high", "Mission support", "2026-H2", "done", "All 14."),
        FollowUp("lease_risk", "Review the leases"),
    ]
    answers.kept_aside = [KeptAside("old_q", Answer(value="yes", note="kept"), "no longer in 2.0.0", "1.1.0")]
    text = dumps(answers)
    again, _ = answers_from_text(text)
    assert dumps(again) == text
    assert again.answers[first].carried is True
    assert again.follow_up[1].status == "not_started"
    assert again.kept_aside[0].answer.note == "kept"
    assert text.index("predecessor:") < text.index("history:") < text.index("answers:") < text.index("follow_up:")
    assert text.index("follow_up:") < text.index("kept_aside:")
    assert f"  {first}:\n" in text and "    carried: true\n" in text


def test_a_file_without_them_writes_none_of_them():
    answers, _ = load_answers(EXAMPLE.parent / "previous-period" / "mission-risk.2026-H1.answers.yaml")  # pre-17
    text = dumps(answers)
    for key in ("predecessor:", "history:", "follow_up:", "kept_aside:", "carried:"):
        assert key not in text


@pytest.mark.parametrize(
    "tail, where",
    [
        ("follow_up:\n- {rule: r1, action: a, status: finished}\n", "follow_up"),
        ("history:\n- {at: x, event: renamed, summary: s}\n", "history"),
        ("kept_aside:\n- {id: q, version: 1.0.0, reason: r}\n", "kept_aside"),
        ("predecessor: {period: 2026-H2}\n", "predecessor"),
    ],
)
def test_a_malformed_continuity_key_is_refused_with_its_place(tail, where):
    with pytest.raises(AssessError) as err:
        answers_from_text(HEAD + tail, "x.yaml")
    message = str(err.value)
    assert "x.yaml:" in message and where in message


def test_a_follow_up_note_over_the_limit_is_warned_about_at_its_place(tmp_path):
    from assess.cli import main

    head = HEAD.replace("version: 1.1.0", "version: 2.0.0").replace("period: 2027-H1}", "period: 2027-H1, marking: X}")
    text = head + "answers: {}\nfollow_up:\n- rule: r1\n  action: a\n"
    path = tmp_path / "long.answers.yaml"
    path.write_text(text + '  note: "' + "x" * 100_001 + '"\n', encoding="utf-8")
    answers, located = load_answers(path)
    from assess.answers import check
    from assess.loader import load_framework

    fw, _ = load_framework(Path(__file__).parent.parent / "frameworks" / "mission-risk.yaml")
    found = [p for p in check(fw, answers, located) if p.code == "W008"]
    assert len(found) == 1 and "follow_up[0].note" in found[0].message and found[0].line == 9
    assert main(["score", str(path)]) == 0


def test_a_file_started_before_ids_saves_without_one_and_opens_again(tmp_path):
    from assess.answers import Store

    path = tmp_path / "old.answers.yaml"
    path.write_text(
        "format: assess-answers/1\nframework: {id: oc-threat, version: 2.0.0}\n"
        "metadata: {title: Before ids, marking: UN RESTRICTED}\nanswers: {}\n",
        encoding="utf-8",
    )
    answers, _ = load_answers(path)
    with Store(path) as store:
        store.save(answers)
    assert "\nid:" not in path.read_text(encoding="utf-8")  # not id: "", which the reader refuses
    again, _ = load_answers(path)
    assert again.id == "" and again.metadata["title"] == "Before ids"


def test_a_report_that_headquarters_would_refuse_is_not_written(tmp_path, capsys):
    """A follow-up note over the limit: score warns (W008); report refuses (E423) and writes nothing, since the
    payload would carry it and collect refuse the report (E516) — the first review's fault 9."""
    from assess.cli import main

    head = HEAD.replace("version: 1.1.0", "version: 2.0.0").replace("period: 2027-H1}", "period: 2027-H1, marking: X}")
    path = tmp_path / "long.answers.yaml"
    path.write_text(head + 'answers: {}\nfollow_up:\n- rule: r1\n  action: a\n  note: "' + "x" * 100_001 + '"\n')
    out = tmp_path / "long.docx"
    assert main(["report", str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "follow_up[0].note: text is too long (100001 characters, at most 100000)" in err and "[E423]" in err
    assert not out.exists() and not list(tmp_path.glob("*.docx*"))
