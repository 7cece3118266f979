"""Collect's signature checks, on both store backends: a report signed with the key headquarters trusts for its
mission is stored as signed; a tampered signature, another mission's key and a revoked key are refused; an unknown
key or no signature is taken with a warning, or refused under --require-signature (answers files too); rotated keys
both collect until the old one is revoked; an unsigned revision may not supersede a signed one."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import pytest

from assess.answers import check, dumps, load_answers
from assess.cli import main
from assess.collect.collect import collect
from assess.collect.readers import PARALLEL_MIN
from assess.collect.store import Store
from assess.errors import problem
from assess.keyfiles import now, write_key_pair
from assess.loader import load_framework
from assess.report import read_payload, render_report
from assess.report.payload import digest_of, embed, strip
from assess.scoring import score
from assess.signing import SigningKey, new_key, sign

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "frameworks" / "examples"
MISSION = "UN Mission in Testland (UNMT) (fictional)"
OTHER = "UN Mission in Otherland (UNMO) (fictional)"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, Path]:
    """A goci-profile report as 'assess report' writes it, without its payload (to embed others in), and the
    answers file it was made from."""
    folder = tmp_path_factory.mktemp("signed")
    answers, _ = load_answers(EXAMPLES / "goci-profile.answers.yaml")
    answers.metadata["mission"] = MISSION
    fw = load_framework(ROOT / "frameworks" / "goci-profile.yaml")[0]
    assert not [p for p in check(fw, answers) if not p.is_warning]
    report = folder / "goci.docx"
    render_report(score(fw, answers), report)
    (folder / "goci.answers.yaml").write_text(dumps(answers), encoding="utf-8")
    bare = folder / "bare.docx"
    strip(report, bare)
    return report, bare


def report(
    base: tuple[Path, Path], out: Path, key: SigningKey | None, n: int = 1, mission: str = MISSION, updated: str = ""
) -> Path:
    """A report of assessment n (its own id) of mission, signed with key (None: unsigned), as 'assess report
    --sign' makes it: the payload embedded with its signature in a copy of the bare report."""
    payload = copy.deepcopy(read_payload(base[0]))
    payload["answers"]["id"] = payload["result"]["assessment"]["id"] = f"00000000-0000-4000-8000-{n:012d}"
    for meta in (payload["answers"]["metadata"], payload["result"]["assessment"]["metadata"]):
        meta["mission"] = mission
        if updated:
            meta["updated"] = updated
    shutil.copyfile(base[1], out)
    embed(out, payload, sign(key, digest_of(payload)) if key else None)
    return out


def answers_of(base: tuple[Path, Path], out: Path, n: int) -> Path:
    """The answers file report(base, out, key, n) is the report of: the same payload, so the same revision."""
    answers, _ = load_answers(base[0].parent / "goci.answers.yaml")
    answers.id = f"00000000-0000-4000-8000-{n:012d}"
    out.write_text(dumps(answers), encoding="utf-8")
    return out


def tamper(src: Path, out: Path) -> Path:
    """src with its payload changed after it was signed (the payload's SHA-256 recomputed, so only the signature
    tells): the assessment's area renamed."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            if b"<assess " in data:  # the payload part (not its properties, which name the namespace too)
                m = re.search(rb"(<assess [^>]*sha256=\")([0-9a-f]{64})(\"[^>]*>)(.*)(</assess>)", data, re.S)
                assert m is not None
                payload = json.loads(unescape(m.group(4).decode()))
                payload["result"]["assessment"]["metadata"]["area"] = "Somewhere else"
                payload["answers"]["metadata"]["area"] = "Somewhere else"
                text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                digest = hashlib.sha256(text.encode()).hexdigest().encode()
                data = data[: m.start()] + m.group(1) + digest + m.group(3) + escape(text).encode() + m.group(5)
            w.writestr(info, data)
    return out


def trusted(store: Path | str, folder: Path, mission: str, capsys) -> SigningKey:
    """A new key of mission, its .pub trusted by headquarters with 'assess key trust'."""
    key = new_key(mission, now())
    _key_path, pub = write_key_pair(key, folder, None)
    assert main(["key", "trust", str(pub), "--store", str(store)]) == 0
    capsys.readouterr()
    return key


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def rows(store: Path | str, sql: str = "SELECT assessment_id, signed_by, file_sha256 FROM assessments") -> list:
    with Store(store) as s:
        return sorted(tuple(r.values()) for r in s.rows(sql))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------- accepted


def test_a_report_signed_with_the_missions_trusted_key_is_stored_signed(base, store_address, tmp_path, capsys):
    key = trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    signed = report(base, tmp_path / "signed.docx", key)
    code, out, err = run(capsys, "collect", str(signed), "--store", str(store_address))
    assert (code, err) == (0, "")
    shown = Store(store_address, create=False)
    shown.close()
    assert out == f"collected 1, unchanged 0, superseded 0, rejected 0; signed 1, unsigned 0 (store {shown.path})\n"
    assert rows(store_address) == [("00000000-0000-4000-8000-000000000001", key.public.fingerprint, sha256(signed))]
    code, out, err = run(capsys, "list", "--store", str(store_address))
    assert code == 0 and out.rstrip().endswith(f"signed UNMT · {key.public.fingerprint[:19]})")
    # collected again: unchanged, and still counted as signed
    code, out, err = run(capsys, "collect", str(signed), "--store", str(store_address), "--require-signature")
    assert code == 0 and out.startswith("collected 0, unchanged 1, superseded 0, rejected 0; signed 1, unsigned 0")


def test_the_full_mission_name_or_its_acronym_both_name_the_key(base, store_address, tmp_path, capsys):
    key = trusted(store_address, tmp_path / "keys", MISSION, capsys)  # trusted under the reports' full name
    signed = report(base, tmp_path / "signed.docx", key)
    assert run(capsys, "collect", str(signed), "--store", str(store_address))[0] == 0
    assert rows(store_address)[0][1] == key.public.fingerprint


def test_readers_judge_signatures_as_the_collecting_process_does(base, tmp_path, capsys):
    store = tmp_path / "hq.sqlite"
    key = trusted(store, tmp_path / "keys", "UNMT", capsys)
    stranger = new_key("UNMT", now())  # a key headquarters was never sent
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(PARALLEL_MIN + 2):
        report(base, inbox / f"r{n:02d}.docx", [key, None, stranger][n % 3], n)
    results = {}
    for jobs in (1, 3):
        shutil.copyfile(store, tmp_path / f"hq{jobs}.sqlite")  # the store with the key trusted
        with Store(tmp_path / f"hq{jobs}.sqlite") as s:
            results[jobs] = collect([inbox], s, jobs=jobs)
    assert [results[1].readers, results[3].readers] == [0, 3]
    assert results[1].outcomes == results[3].outcomes and results[1].warnings == results[3].warnings
    assert (results[3].signed, results[3].unsigned) == (6, 12)
    assert sorted({w.code for w in results[3].warnings}) == ["W513", "W514"]
    assert rows(tmp_path / "hq1.sqlite") == rows(tmp_path / "hq3.sqlite")


# ---------------------------------------------------------------------------- refused


def test_a_tampered_signed_report_is_refused(base, store_address, tmp_path, capsys):
    key = trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    forged = tamper(report(base, tmp_path / "signed.docx", key), tmp_path / "forged.docx")
    code, out, err = run(capsys, "collect", str(forged), "--store", str(store_address))
    assert code == 1 and "rejected 1" in out
    assert err.startswith(f"{forged}: the report's signature is refused, so nothing was stored: ")
    assert "does not verify" in err and err.rstrip().endswith("[E556]")
    assert rows(store_address) == []


def test_a_report_signed_with_another_missions_key_is_refused(base, store_address, tmp_path, capsys):
    other = trusted(store_address, tmp_path / "keys", "UNMO", capsys)
    trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    # UNMO's key signs a report of UNMT, as UNMO, and as UNMT (the mission a signature names is signed too)
    as_itself = report(base, tmp_path / "as-itself.docx", other)
    impostor = SigningKey("UNMT", other.created, other.private)
    as_unmt = report(base, tmp_path / "as-unmt.docx", impostor, 2)
    code, out, err = run(capsys, "collect", str(as_itself), str(as_unmt), "--store", str(store_address))
    assert code == 1 and "rejected 2" in out
    fp = other.public.fingerprint
    assert err.splitlines() == [
        str(problem(str(as_itself), None, "E550", mission=MISSION, fingerprint=fp, key_mission="UNMO")),
        str(problem(str(as_unmt), None, "E550", mission="UNMT", fingerprint=fp, key_mission="UNMO")),
    ]
    assert rows(store_address) == []


def test_unsigned_and_unknown_keys_are_taken_with_a_warning_or_refused_when_required(
    base, store_address, tmp_path, capsys
):
    unsigned = report(base, tmp_path / "unsigned.docx", None, 1)
    stranger = new_key("UNMT", now())
    unknown = report(base, tmp_path / "unknown.docx", stranger, 2)
    # a store that trusts no key: signatures are not in use, nothing is said, the summary is as it always was
    first = tmp_path / "first.sqlite"
    code, out, err = run(capsys, "collect", str(unsigned), "--store", str(first))
    assert (code, err) == (0, "") and out == f"collected 1, unchanged 0, superseded 0, rejected 0 (store {first})\n"
    # once headquarters trusts a key, an unsigned report is taken with a warning
    trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    code, out, err = run(capsys, "collect", str(unsigned), str(unknown), "--store", str(store_address))
    assert code == 0 and "collected 2" in out and "; signed 0, unsigned 2" in out
    assert err.splitlines() == [
        str(problem(str(unsigned), None, "W513", mission=MISSION)),
        str(problem(str(unknown), None, "W514", fingerprint=stranger.public.fingerprint, signer="UNMT")),
    ]
    assert [r[1] for r in rows(store_address)] == [None, None]  # an unknown key signs nothing headquarters knows
    # --require-signature refuses both, and stores nothing
    again = tmp_path / "again"
    again.mkdir()
    unsigned3 = report(base, again / "unsigned.docx", None, 3)
    unknown4 = report(base, again / "unknown.docx", stranger, 4)
    code, out, err = run(capsys, "collect", str(again), "--store", str(store_address), "--require-signature")
    assert code == 1 and "collected 0" in out and "rejected 2" in out
    assert err.splitlines() == [
        str(problem(str(unknown4), None, "E553", fingerprint=stranger.public.fingerprint, signer="UNMT")),
        str(problem(str(unsigned3), None, "E552", mission=MISSION)),
    ]
    assert len(rows(store_address)) == 2


def test_an_answers_file_is_refused_only_under_require_signature(base, store_address, tmp_path, capsys):
    trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    answers = base[0].parent / "goci.answers.yaml"
    code, out, err = run(capsys, "collect", str(answers), "--store", str(store_address), "--require-signature")
    assert code == 1 and err == f"{problem(str(answers), None, 'E554')}\n"
    assert rows(store_address) == []
    code, out, err = run(capsys, "collect", str(answers), "--store", str(store_address))
    assert (code, err) == (0, "") and "collected 1" in out and "signed 0, unsigned 1" in out
    assert rows(store_address)[0][1:] == (None, sha256(answers))  # the file's own SHA-256, for every revision


# ---------------------------------------------------------------------------- rotated and revoked keys


def test_rotated_keys_both_collect_until_the_old_one_is_revoked(base, store_address, tmp_path, capsys):
    old = trusted(store_address, tmp_path / "old", "UNMT", capsys)
    new = trusted(store_address, tmp_path / "new", "UNMT", capsys)
    a = report(base, tmp_path / "a-old.docx", old, 1)
    b = report(base, tmp_path / "b-new.docx", new, 2)
    code, out, err = run(capsys, "collect", str(a), str(b), "--store", str(store_address))
    assert (code, err) == (0, "") and "collected 2" in out and "signed 2, unsigned 0" in out
    assert (
        run(capsys, "key", "revoke", old.public.fingerprint, "--reason", "rotated", "--store", str(store_address))[0]
        == 0
    )
    with Store(store_address) as s:
        revoked = next(k for k in s.keys() if k["fingerprint"] == old.public.fingerprint)["revoked_at"]
    c = report(base, tmp_path / "c-old.docx", old, 3)
    d = report(base, tmp_path / "d-new.docx", new, 4)
    code, out, err = run(capsys, "collect", str(c), str(d), "--store", str(store_address))
    assert code == 1 and "collected 1" in out and "rejected 1" in out
    fields = {
        "key_mission": "UNMT",
        "fingerprint": old.public.fingerprint,
        "revoked": revoked[:10],
        "reason": "rotated",
    }
    assert err == f"{problem(str(c), None, 'E551', **fields)}\n"
    assert "revoked on " in err and "(rotated)" in err
    # the revision collected before the key was revoked stays, listed as signed by a key revoked since
    assert [r[:2] for r in rows(store_address)] == [
        ("00000000-0000-4000-8000-000000000001", old.public.fingerprint),
        ("00000000-0000-4000-8000-000000000002", new.public.fingerprint),
        ("00000000-0000-4000-8000-000000000004", new.public.fingerprint),
    ]
    code, out, err = run(capsys, "list", "--store", str(store_address))
    lines = out.splitlines()
    assert len(lines) == 3 and all("signed UNMT · SHA256:" in line for line in lines)
    assert [line for line in lines if "key revoked" in line] == [
        line for line in lines if f"signed UNMT · {old.public.fingerprint[:19]}, key revoked)" in line
    ]
    assert sum("key revoked" in line for line in lines) == 1


def test_a_revoked_key_refuses_its_reports_even_those_collected_before(base, store_address, tmp_path, capsys):
    key = trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    signed = report(base, tmp_path / "signed.docx", key)
    assert run(capsys, "collect", str(signed), "--store", str(store_address))[0] == 0
    assert (
        run(capsys, "key", "revoke", key.public.fingerprint, "--reason", "stolen", "--store", str(store_address))[0]
        == 0
    )
    code, out, err = run(capsys, "collect", str(signed), "--store", str(store_address))
    assert code == 1 and "[E551]" in err and "(stolen)" in err and "unchanged 0" in out
    assert len(rows(store_address)) == 1  # what was held stays


# ---------------------------------------------------------------------------- an assessment held signed


def test_an_unsigned_revision_may_not_supersede_a_signed_one(base, store_address, tmp_path, capsys):
    key = trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    signed = report(base, tmp_path / "signed.docx", key, 1, updated="2026-10-20T10:00:00Z")
    forged = report(base, tmp_path / "newer-unsigned.docx", None, 1, updated="2026-11-01T10:00:00Z")
    stranger = report(base, tmp_path / "newer-stranger.docx", new_key("UNMT", now()), 1, updated="2026-11-02T10:00:00Z")
    assert run(capsys, "collect", str(signed), "--store", str(store_address))[0] == 0
    before = rows(store_address, "SELECT * FROM assessments")
    code, out, err = run(capsys, "collect", str(forged), str(stranger), "--store", str(store_address))
    assert code == 1 and "superseded 0" in out and "rejected 2" in out
    fields = {
        "id": "00000000-0000-4000-8000-000000000001",
        "key_mission": "UNMT",
        "fingerprint": key.public.fingerprint,
    }
    assert err.splitlines() == [  # refused: no warning that it was collected unsigned (W513) or as if (W514)
        str(problem(str(forged), None, "E555", **fields)),
        str(problem(str(stranger), None, "E555", **fields)),
    ]
    assert rows(store_address, "SELECT * FROM assessments") == before
    # a newer revision signed with the mission's key supersedes it
    newer = report(base, tmp_path / "newer-signed.docx", key, 1, updated="2026-11-03T10:00:00Z")
    code, out, err = run(capsys, "collect", str(newer), "--store", str(store_address))
    assert code == 0 and "superseded 1" in out


# ---------------------------------------------------------------------------- a revision held unsigned, signed later


def key_list_signed(store: Path | str, capsys) -> list[str]:
    """The revisions each key signed, as 'assess key list' shows them (its last column)."""
    code, out, _err = run(capsys, "key", "list", "--store", str(store))
    assert code == 0
    return [line.split()[-1] for line in out.splitlines()[1:]]


def test_a_signed_copy_of_a_revision_held_unsigned_signs_it_whichever_comes_first(
    base, store_address, tmp_path, capsys
):
    key = trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    fp = key.public.fingerprint
    # each answers file and the signed report made from it hold one revision: assessment 1's answers come first,
    # assessment 2's report
    a1, r1 = answers_of(base, tmp_path / "a1.answers.yaml", 1), report(base, tmp_path / "r1.docx", key, 1)
    a2, r2 = answers_of(base, tmp_path / "a2.answers.yaml", 2), report(base, tmp_path / "r2.docx", key, 2)
    code, out, err = run(capsys, "collect", str(a1), str(r1), str(r2), str(a2), "--store", str(store_address))
    assert (code, err) == (0, "")
    assert out.startswith("collected 2, unchanged 2, superseded 0, rejected 0; signed 2, unsigned 2 (store ")
    assert rows(store_address) == [
        ("00000000-0000-4000-8000-000000000001", fp, sha256(a1)),  # the file stored first keeps its SHA-256
        ("00000000-0000-4000-8000-000000000002", fp, sha256(r2)),
    ]
    assert key_list_signed(store_address, capsys) == ["2"]
    code, out, err = run(capsys, "list", "--store", str(store_address))
    assert code == 0 and [line.endswith(f"signed UNMT · {fp[:19]})") for line in out.splitlines()] == [True, True]
    # held signed now: an unsigned revision may not supersede it, and nothing says it was collected
    forged = report(base, tmp_path / "forged.docx", None, 1, updated="2099-01-01T00:00:00Z")
    code, out, err = run(capsys, "collect", str(forged), "--store", str(store_address))
    fields = {"id": "00000000-0000-4000-8000-000000000001", "key_mission": "UNMT", "fingerprint": fp}
    assert code == 1 and err == f"{problem(str(forged), None, 'E555', **fields)}\n"
    assert len(rows(store_address)) == 2


def test_reports_collected_before_their_key_was_trusted_are_signed_when_collected_again(
    base, store_address, tmp_path, capsys
):
    key = new_key("UNMT", now())
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    n = PARALLEL_MIN + 2  # read by forked readers, as a real inbox is
    for i in range(n):
        report(base, inbox / f"r{i:02d}.docx", key, i)
    trusted(store_address, tmp_path / "other", "UNMO", capsys)  # the desk uses signatures, not yet UNMT's key
    code, out, err = run(capsys, "collect", str(inbox), "--store", str(store_address))
    assert code == 0 and f"collected {n}," in out and f"signed 0, unsigned {n}" in out
    assert [line.split("[")[-1] for line in err.splitlines()] == ["W514]"] * n
    assert {r[1] for r in rows(store_address)} == {None}
    _key, pub = write_key_pair(key, tmp_path / "keys", None)
    assert run(capsys, "key", "trust", str(pub), "--store", str(store_address))[0] == 0
    code, out, err = run(capsys, "collect", str(inbox), "--store", str(store_address))
    assert (code, err) == (0, "")
    assert out.startswith(f"collected 0, unchanged {n}, superseded 0, rejected 0; signed {n}, unsigned 0 (store ")
    assert {r[1] for r in rows(store_address)} == {key.public.fingerprint}
    assert key_list_signed(store_address, capsys) == ["0", str(n)]  # UNMO's key, then UNMT's
    code, out, err = run(capsys, "list", "--store", str(store_address))
    assert sum(line.endswith(f"signed UNMT · {key.public.fingerprint[:19]})") for line in out.splitlines()) == n
    # once signed, collected again: unchanged, still signed
    code, out, err = run(capsys, "collect", str(inbox), "--store", str(store_address))
    assert (code, err) == (0, "") and out.startswith(
        f"collected 0, unchanged {n}, superseded 0, rejected 0; signed {n}"
    )


def test_signed_status_does_not_depend_on_how_many_collect_at_once(base, store_address, tmp_path, capsys):
    key = trusted(store_address, tmp_path / "keys", "UNMT", capsys)
    files = []
    for i in range(6):
        files += [answers_of(base, tmp_path / f"a{i}.answers.yaml", i), report(base, tmp_path / f"r{i}.docx", key, i)]
    rng = random.Random(19)
    shares = [rng.sample(files, len(files)) for _ in range(4)]  # every file, in its own order, to each collector
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-m", "assess", "collect", "--jobs", "1", "--store", str(store_address)]
    collectors = [subprocess.Popen([*argv, *map(str, share)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True) for share in shares]  # fmt: skip
    outs = [p.communicate(timeout=300) for p in collectors]
    assert [p.returncode for p in collectors] == [0, 0, 0, 0], outs
    assert [o for o, _err in outs if "; signed 6, unsigned 6 " not in o] == []  # each says what it was given
    assert {r[1] for r in rows(store_address)} == {key.public.fingerprint}
    assert len(rows(store_address)) == 6 and key_list_signed(store_address, capsys) == ["6"]


def test_a_revision_held_without_its_files_sha256_gets_it_when_collected_again(base, store_address, tmp_path, capsys):
    signed = report(base, tmp_path / "signed.docx", None, 1)
    answers = answers_of(base, tmp_path / "a2.answers.yaml", 2)
    assert run(capsys, "collect", str(signed), str(answers), "--store", str(store_address))[0] == 0
    with Store(store_address) as s, s.transaction() as c:  # as a store of schema 3 holds them
        c.execute("UPDATE assessments SET file_sha256 = NULL")
    archive = tmp_path / "archive"
    code, out, err = run(capsys, "collect", str(signed), str(answers), "--store", str(store_address), "--archive",
                         str(archive))  # fmt: skip
    assert (code, err) == (0, "") and out.startswith("collected 0, unchanged 2, superseded 0, rejected 0 (store ")
    assert [r[2] for r in rows(store_address)] == [sha256(signed), sha256(answers)]
    code, out, err = run(capsys, "list", "--store", str(store_address), "--archive", str(archive))
    kept = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert sorted(kept) == sorted(
        f"file: {archive / 'sha256' / h[:2] / (h + p.suffix)}"
        for h, p in ((sha256(signed), signed), (sha256(answers), answers))
    )
