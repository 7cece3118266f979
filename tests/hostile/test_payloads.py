"""Hostile reports at headquarters, built as an attacker would: payloads edited and re-hashed, zip parts doubled
or bombed, pipes and devices among the files, payloads of the wrong shape, another mission's assessment id.
Each is refused with its coded reason, nothing is stored for it, and nothing hangs, crashes or runs out of memory."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from types import SimpleNamespace
from xml.sax.saxutils import escape

import pytest

from assess import schema
from assess.answers import load_answers
from assess.collect.collect import collect
from assess.collect.rows import revision
from assess.collect.store import Store
from assess.errors import MESSAGES, problem
from assess.loader import load_framework
from assess.model import GAP_KINDS, PRIORITIES
from assess.report import read_payload, render_report
from assess.report.payload import MAX_PART_BYTES, MAX_PARTS, MAX_RATIO, embed, make_payload, strip
from assess.scoring import score

from conftest import PEAK_KIB, ROOT

EXAMPLES = ROOT / "frameworks" / "examples"
PART = re.compile(r"customXml/item\d+\.xml$")


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    """A genuine oc-threat report, its payload, and a copy stripped of it to embed forged payloads in."""
    d = tmp_path_factory.mktemp("genuine")
    answers, _ = load_answers(EXAMPLES / "oc-threat.answers.yaml")
    fw, _ = load_framework(ROOT / "frameworks" / "oc-threat.yaml")
    report = d / "oc-threat.docx"
    render_report(score(fw, answers), report)
    strip(report, d / "bare.docx")
    with zipfile.ZipFile(report) as z:
        part = next(n for n in z.namelist() if PART.match(n) and b"urn:assess:payload" in z.read(n))
    return SimpleNamespace(report=report, bare=d / "bare.docx", payload=read_payload(report), part=part, fw=fw)


def forge(genuine, folder: Path, name: str, payload) -> Path:
    """A report carrying payload, re-hashed as 'assess report' hashes a payload: its SHA-256 verifies."""
    out = folder / name
    shutil.copyfile(genuine.bare, out)
    embed(out, payload)
    return out


def part_xml(text: str) -> bytes:
    """A payload part holding text, with the SHA-256 of that text, as embed writes one."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<assess xmlns="urn:assess:payload:1" '
        f'format="assess-payload/1" sha256="{digest}">{escape(text)}</assess>'
    ).encode()


def rewrite(genuine, out: Path, parts: dict[str, bytes], extra: list[tuple[str, bytes]] = ()) -> Path:
    """The genuine report with some parts replaced, and extra parts appended (a name may repeat)."""
    with zipfile.ZipFile(genuine.report) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            w.writestr(info.filename, parts.get(info.filename, z.read(info)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: that is the attack
            for name, data in extra:
                w.writestr(name, data)
    return out


def refused(tmp_path: Path, path: Path):
    """Collect path alone into a new store: its one outcome, a rejection, and the store still empty."""
    with Store(tmp_path / "hq.sqlite") as store:
        result = collect([path], store, jobs=1)
        assert store.counts()["revisions"] == 0
        assert store.conn.execute("SELECT COUNT(*) FROM frameworks").fetchone() == (0,)
    (outcome,) = result.outcomes
    assert outcome.status == "rejected"
    return outcome


# ---------------------------------------------------------------------------- edited and re-hashed


def test_scores_zeroed_and_actions_removed_then_re_hashed_are_refused(genuine, tmp_path):
    zeroed = copy.deepcopy(genuine.payload)
    for s in zeroed["result"]["sections"] + zeroed["result"]["derived"]:
        if s["score"] is not None:
            s.update(score=0.0, exact="0", display="0.00", rating="Low")
    out = forge(genuine, tmp_path, "zeroed.docx", zeroed)
    o = refused(tmp_path, out)
    assert (o.reason, o.problem) == (
        "result-mismatch",
        problem(
            str(out),
            None,
            "E517",
            detail="score 'groups': the report says 0.00 (Low), its answers give 22.50 (Very high)",
        ),
    )
    no_actions = copy.deepcopy(genuine.payload)
    no_actions["result"]["recommendations"] = []
    out = forge(genuine, tmp_path, "no-actions.docx", no_actions)
    n = len(genuine.payload["result"]["recommendations"])
    assert refused(tmp_path, out).problem == problem(
        str(out), None, "E517", detail=f"the report lists 0 recommended actions, its answers give {n}"
    )


def test_a_result_that_contradicts_its_own_answers_is_refused(genuine, tmp_path):
    edited = copy.deepcopy(genuine.payload)
    edited["answers"]["answers"]["active_groups_estimate"]["value"] = 2  # the result still says 23
    out = forge(genuine, tmp_path, "contradicts.docx", edited)
    assert refused(tmp_path, out).problem == problem(
        str(out),
        None,
        "E517",
        detail="question 'active_groups_estimate': its value is '23' in the report, '2' from its answers",
    )
    # on purpose in words: the message must tell headquarters what to ask the mission for
    assert str(refused(tmp_path, out).problem).endswith(
        "the payload was edited after the report was made (its SHA-256 recomputed), or made by an assess that "
        "scores differently: ask the mission for the report exactly as 'assess report' wrote it, or for its "
        "answers .yaml [E517]"
    )


def test_answers_that_do_not_fit_their_framework_are_refused(genuine, tmp_path):
    edited = copy.deepcopy(genuine.payload)
    edited["answers"]["answers"]["active_groups_estimate"]["value"] = "many"
    out = forge(genuine, tmp_path, "many.docx", edited)
    o = refused(tmp_path, out)
    wrong = MESSAGES["E305"].format(qid="active_groups_estimate", expected="a number", found="the text 'many'")
    assert (o.reason, o.problem) == (
        "invalid-answers",
        problem(str(out), None, "E519", framework="oc-threat 2.0.0", detail=f"{wrong} [E305]"),
    )


def test_a_wording_only_difference_is_stored_as_recomputed_with_a_warning(genuine, tmp_path):
    edited = copy.deepcopy(genuine.payload)
    gap = edited["result"]["gaps"][0]
    gap["message"] = "Nothing to see here"
    out = forge(genuine, tmp_path, "reworded.docx", edited)
    with Store(tmp_path / "hq.sqlite") as store:
        result = collect([out], store, jobs=1)
        messages = [m for (m,) in store.conn.execute("SELECT message FROM gaps ORDER BY n")]
    assert result.collected == 1
    assert result.warnings == [problem(str(out), None, "W502", detail=f"the message of gap '{gap['id']}'")]
    assert messages == [g["message"] for g in genuine.payload["result"]["gaps"]]  # the recomputed words


def test_a_report_on_a_framework_not_at_hand_is_refused_and_collected_beside_it(genuine, tmp_path):
    text = (ROOT / "frameworks" / "oc-threat.yaml").read_text(encoding="utf-8")
    (tmp_path / "v21").mkdir()
    fw_path = tmp_path / "v21" / "oc-threat-2.1.0.yaml"
    assert "\nversion: 2.0.0\n" in text  # the top-level version line, not the changelog's
    fw_path.write_text(text.replace("\nversion: 2.0.0\n", "\nversion: 2.1.0\n", 1), encoding="utf-8")
    fw21, _ = load_framework(fw_path)
    assert fw21.version == "2.1.0"
    answers, _ = load_answers(EXAMPLES / "oc-threat.answers.yaml")
    payload = make_payload(score(fw21, answers))
    (tmp_path / "inbox").mkdir()
    out = forge(genuine, tmp_path / "inbox", "v11.docx", payload)
    o = refused(tmp_path, out)
    assert (o.reason, o.problem) == (
        "framework-not-at-hand",
        problem(
            str(out),
            None,
            "E518",
            framework="oc-threat 2.1.0",
            hash=fw21.hash,
            names="'oc-threat-2.1.0.yaml' or 'oc-threat.yaml'",
        ),
    )
    shutil.copyfile(fw_path, tmp_path / "inbox" / "oc-threat-2.1.0.yaml")  # beside the report: recomputed
    with Store(tmp_path / "other.sqlite") as store:
        assert collect([out], store, jobs=1).collected == 1


def test_another_missions_assessment_id_never_supersedes_it(genuine, tmp_path):
    answers, _ = load_answers(EXAMPLES / "oc-threat.answers.yaml")  # made as 'assess report' makes one
    answers.metadata.update(mission="UN Mission in Elsewhere (UNME)", updated="2030-01-01T00:00:00Z")
    forged = make_payload(score(genuine.fw, answers))
    assert forged["answers"]["id"] == genuine.payload["answers"]["id"]
    out = forge(genuine, tmp_path, "forged.docx", forged)
    held = genuine.payload["answers"]["metadata"]["mission"]
    with Store(tmp_path / "hq.sqlite") as store:
        assert collect([genuine.report], store, jobs=1).collected == 1
        result = collect([out], store, jobs=1)
        rows = store.conn.execute("SELECT mission, is_current FROM assessments").fetchall()
        (o,) = result.outcomes
        assert (o.status, o.reason, o.problem) == (
            "rejected",
            "other-mission",
            problem(str(out), None, "E523", id=answers.id, held=held, found="UN Mission in Elsewhere (UNME)"),
        )
        assert rows == [(held, 1)] and store.check() == []
        # the same mission, written in other case and spacing, is the same mission: its revision supersedes
        answers.metadata["mission"] = "  " + held.upper()
        out = forge(genuine, tmp_path, "revised.docx", make_payload(score(genuine.fw, answers)))
        assert collect([out], store, jobs=1).superseded == 1


# ---------------------------------------------------------------------------- the zip


def test_two_parts_of_one_name_or_two_payloads_are_refused(genuine, tmp_path):
    forged = copy.deepcopy(genuine.payload)
    for s in forged["result"]["sections"]:
        s.update(score=0.0, exact="0", display="0.00")
    text = json.dumps(forged, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    twice = rewrite(genuine, tmp_path / "twice.docx", {}, [(genuine.part, part_xml(text))])
    o = refused(tmp_path, twice)
    assert (o.reason, o.problem) == (
        "ambiguous",
        problem(str(twice), None, "E521", detail=f"it holds two parts named {genuine.part}"),
    )
    upper = rewrite(genuine, tmp_path / "upper.docx", {}, [(genuine.part.upper(), part_xml(text))])
    assert refused(tmp_path, upper).problem == problem(
        str(upper), None, "E521", detail=f"it holds two parts named {genuine.part.upper()}"
    )
    two = rewrite(genuine, tmp_path / "two.docx", {}, [("customXml/item99.xml", part_xml(text))])
    assert refused(tmp_path, two).problem == problem(str(two), None, "E521", detail="it holds 2 assess payloads")


def test_a_part_that_unpacks_far_beyond_its_size_is_refused(genuine, tmp_path):
    text = json.dumps(genuine.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    padded = part_xml(text).replace(b"</assess>", b" " * (MAX_PART_BYTES - 3_000_000) + b"</assess>")
    out = rewrite(genuine, tmp_path / "padded.docx", {genuine.part: padded})
    o = refused(tmp_path, out)
    assert (o.reason, o.problem) == (
        "too-large",
        problem(
            str(out),
            None,
            "E520",
            detail=f"its part {genuine.part} unpacks to more than {MAX_RATIO} times its packed size",
        ),
    )
    many = rewrite(genuine, tmp_path / "many.docx", {}, [(f"word/media/x{i}.bin", b"") for i in range(MAX_PARTS)])
    with zipfile.ZipFile(genuine.report) as z:
        parts = MAX_PARTS + len(z.infolist())
    assert refused(tmp_path, many).problem == problem(
        str(many), None, "E520", detail=f"it lists {parts} parts, over the limit of {MAX_PARTS}"
    )


CHILD = (
    r"""
import json, resource, sys
from assess.collect.collect import collect
from assess.collect.store import Store

"""
    + PEAK_KIB
    + r"""
before = peak_kib()
with Store(sys.argv[1]) as store:
    result = collect(sys.argv[2:], store, jobs=1)
    held = store.counts()["revisions"]
grew = peak_kib() - before
outcomes = [[o.path, o.status, o.reason, str(o.problem or "")] for o in result.outcomes]
print(json.dumps({"outcomes": outcomes, "ignored": result.ignored, "held": held, "grew_mb": grew / 1024}))
"""
)


def in_child(store: Path, *paths) -> dict:
    """Collect in a child process capped at 2 GiB of address space and 60 seconds, as an attacker's file
    could make a careless reader hang or grow without end: what it collected and how much its memory grew."""

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=cap,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_a_zip_bomb_in_the_payload_part_is_refused_in_bounded_memory(genuine, tmp_path):
    bomb = tmp_path / "bomb.docx"
    megabyte = b" " * (1 << 20)
    with zipfile.ZipFile(genuine.report) as z, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            if info.filename != genuine.part:
                w.writestr(info.filename, z.read(info))
        with w.open(genuine.part, "w", force_zip64=True) as f:  # 400 MB of spaces in a valid payload part
            f.write(part_xml("").replace(b"</assess>", b""))
            for _ in range(400):
                f.write(megabyte)
            f.write(b"</assess>")
    assert bomb.stat().st_size < 2_000_000
    got = in_child(tmp_path / "hq.sqlite", bomb)
    detail = f"its part {genuine.part} unpacks to more than {MAX_PART_BYTES} bytes"
    assert got["outcomes"] == [
        [str(bomb), "rejected", "too-large", str(problem(str(bomb), None, "E520", detail=detail))]
    ]
    assert got["held"] == 0
    assert got["grew_mb"] < 48, got  # not the 400 MB the part unpacks to


# ---------------------------------------------------------------------------- what is not a file


def test_pipes_devices_and_sockets_are_refused_without_being_opened(genuine, tmp_path, monkeypatch):
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "elsewhere"
    inbox.mkdir()
    elsewhere.mkdir()
    shutil.copyfile(genuine.report, inbox / "a.docx")
    os.mkfifo(inbox / "b.docx")  # a reader would wait for a writer that never comes
    os.symlink("/dev/zero", inbox / "c.answers.yaml")  # a reader would read until memory runs out
    os.mkfifo(inbox / "e.txt")
    os.mkfifo(elsewhere / "named.docx")
    monkeypatch.chdir(inbox)  # a socket's path must be short: bound relative to its folder
    sock = socket.socket(socket.AF_UNIX)
    sock.bind("d.docx")
    try:
        got = in_child(tmp_path / "hq.sqlite", inbox, elsewhere / "named.docx", "/dev/null")
    finally:
        sock.close()

    def no(path: Path | str, kind: str) -> list:
        return [str(path), "rejected", "not-a-file", str(problem(str(path), None, "E522", kind=kind))]

    assert got["outcomes"] == [
        [str(inbox / "a.docx"), "collected", "", ""],
        no(inbox / "b.docx", "a named pipe (FIFO)"),
        no(inbox / "c.answers.yaml", "a link to a character device"),
        no(inbox / "d.docx", "a socket"),
        no(inbox / "e.txt", "a named pipe (FIFO)"),
        no(elsewhere / "named.docx", "a named pipe (FIFO)"),
        no("/dev/null", "a character device"),
    ]
    assert got["held"] == 1 and got["ignored"] == 0


# ---------------------------------------------------------------------------- the shape of the payload


def shaped(payload: dict, where: str, value):
    """payload with the field at where ('result.coverage.questions', 'result.sections.0.score') set to value."""
    out = copy.deepcopy(payload)
    *path, last = [int(k) if k.isdigit() else k for k in where.split(".")]
    node = out
    for k in path:
        node = node[k]
    node[last] = value
    return out


SHAPES = [
    ("an array", lambda p: [p], "top level: expected a JSON object, got a list"),
    ("a string", lambda p: "assess-payload/1", "top level: expected a JSON object, got the text 'assess-payload/1'"),
    (
        "an absurd count",
        lambda p: shaped(p, "result.coverage.questions", 10**30),
        "result.coverage.questions: the number 1000000000000000000000000000000 is above the maximum 1000000",
    ),
    (
        "a count that is text",
        lambda p: shaped(p, "result.coverage.answered", "abc"),
        "result.coverage.answered: expected a whole number, got the text 'abc'",
    ),
    (
        "a score that is an object",
        lambda p: shaped(p, "result.sections.0.score", {"$gt": 0}),
        "result.sections[0].score: expected a number or null, got an object",
    ),
    (
        "a null section title",
        lambda p: shaped(p, "result.sections.0.title", None),
        "result.sections[0].title: expected text, got null",
    ),
    (
        "a title of a million characters",
        lambda p: shaped(p, "result.framework.title", "x" * 1_000_000),
        "result.framework.title: text of 1000000 characters, over the limit of 20000",
    ),
    (
        "a framework id that climbs out of its folder",
        lambda p: shaped(shaped(p, "framework.id", "../../etc/passwd"), "result.framework.id", "../../etc/passwd"),
        "framework.id: the text '../../etc/passwd' is not of the documented form",
    ),
    (
        "an unknown key",
        lambda p: shaped(p, "result.run", "os.system('id')"),
        "result: unknown key 'run'",
    ),
    (
        "a missing result",
        lambda p: {k: v for k, v in p.items() if k != "result"},
        "top level: 'result' is missing",
    ),
]


@pytest.mark.parametrize("make, detail", [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_a_payload_of_another_shape_is_refused_with_where_and_what(genuine, tmp_path, make, detail):
    out = forge(genuine, tmp_path, "shape.docx", make(genuine.payload))
    o = refused(tmp_path, out)
    assert (o.reason, o.problem) == ("malformed-payload", problem(str(out), None, "E516", detail=detail))


def laughs(text: str) -> bytes:
    """A billion laughs: ten entities, each ten of the one before, in the payload part's DOCTYPE."""
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE assess [<!ENTITY l0 "ha">{entities}]>'
        f'<assess xmlns="urn:assess:payload:1" sha256="0">&l9;</assess>'
    ).encode()


PARTS = [
    (
        "NaN",
        lambda t: part_xml(t.replace('"questions":', '"questions":NaN,"x":', 1)),
        "the payload is not valid JSON (NaN is not a number)",
    ),
    (
        "nesting a hundred thousand deep",
        lambda t: part_xml("[" * 100_000 + "]" * 100_000),
        "the payload is not valid JSON (it nests too deeply)",
    ),
    (
        "a DOCTYPE with entities",
        laughs,
        "the payload part declares a DOCTYPE or an entity, which a payload never does",
    ),
]


@pytest.mark.parametrize("make, detail", [s[1:] for s in PARTS], ids=[s[0] for s in PARTS])
def test_a_payload_part_that_is_not_json_or_declares_entities_is_refused(genuine, tmp_path, make, detail):
    text = json.dumps(genuine.payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    out = rewrite(genuine, tmp_path / "part.docx", {genuine.part: make(text)})
    o = refused(tmp_path, out)
    assert (o.reason, o.problem) == ("payload-altered", problem(str(out), None, "E504", detail=detail))


def test_the_schema_takes_every_genuine_payload_and_names_what_the_model_names(genuine):
    for path in sorted(EXAMPLES.glob("*.answers.yaml")):
        answers, _ = load_answers(path)
        fw, _ = load_framework(ROOT / "frameworks" / f"{answers.framework.id}.yaml")
        payload = make_payload(score(fw, answers))
        assert schema.is_valid(payload, "payload.schema.json"), path
        assert list(schema.validator("payload.schema.json").iter_errors(payload)) == [], path
        rows = revision(payload, "x", "x", "report", [])
        assert rows.coverage and rows.scores
    result = schema.schema("payload.schema.json")["$defs"]["result"]["properties"]
    assert result["gaps"]["items"]["properties"]["kind"]["enum"] == list(GAP_KINDS)
    assert result["recommendations"]["items"]["properties"]["priority"]["enum"] == list(PRIORITIES)


def test_a_revision_as_new_as_the_current_one_but_different_does_not_replace_it(tmp_path):
    # a forged or hand-edited copy that keeps the genuine 'updated' time: collected after the genuine one, it
    # used to become current ("on a tie the later collected wins"); now it is kept as history, with a warning
    genuine = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"
    forged = tmp_path / "forged.answers.yaml"
    forged.write_text(
        genuine.read_text(encoding="utf-8").replace("Scope agreed at the JMAC/UNPOL", "Scope forged at the"),
        encoding="utf-8",
    )
    with Store(tmp_path / "hq.sqlite") as store:
        first = collect([genuine], store)
        second = collect([forged], store)
        rows = store.conn.execute("SELECT is_current FROM assessments ORDER BY seq").fetchall()
    assert [o.status for o in first.outcomes] == ["collected"]
    assert [o.status for o in second.outcomes] == ["history"]
    answers, _ = load_answers(genuine)
    assert [str(w) for w in second.warnings] == [
        str(problem(str(forged), None, "W503", id=answers.id, updated="2026-10-09T16:30:00Z"))
    ]
    assert rows == [(1,), (0,)]  # the genuine one, collected first, stays current
