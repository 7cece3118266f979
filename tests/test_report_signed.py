"""Tests signed reports (issue 19) as a mission and headquarters meet them: `assess report --sign KEY` (or
$ASSESS_SIGNING_KEY) signs the payload, says so, and the report shows who signed it; a payload altered after
signing, a flipped signature, a changed signer or a partial signature is refused with its reason; a key of another
mission, a wrong passphrase or an unusable key file stop the command before anything is written."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest

from assess.keyfiles import now, read_public_key, write_key_pair
from assess.report.payload import (
    NAMESPACE,
    PayloadRefused,
    canonical,
    digest_of,
    load_payload,
    load_signed_payload,
    read_payload,
    signed_attributes,
)
from assess.signing import fingerprint, new_key, sign

from conftest import ROOT, need

EXAMPLE = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"
LAKESIDE = Path(__file__).parent / "fixtures" / "lakeside.yaml"
FINGERPRINT = r"SHA256:[A-Za-z0-9+/]{43}"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m assess ARGS` as a user runs it, with no terminal to ask a passphrase on, and env's variables."""
    return subprocess.run(
        [sys.executable, "-m", "assess", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    """Key files as 'assess key new' writes them: MINUSKES's (plain and protected by a passphrase), UNIMVA's."""
    folder = tmp_path_factory.mktemp("keys")
    made = {}
    for name, mission, passphrase in (
        ("minuskes", "MINUSKES", None),
        ("locked", "MINUSKES", b"correct horse"),
        ("unimva", "UNIMVA", None),
    ):
        made[name] = write_key_pair(new_key(mission, now()), folder / name, passphrase)[0]
    return made


@pytest.fixture(scope="module")
def signed(keys, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The bundled example's report, signed with MINUSKES's key (the example's mission gives MINUSKES in brackets)."""
    out = tmp_path_factory.mktemp("signed") / "kessaria.docx"
    done = run("report", str(EXAMPLE), "-o", str(out), "--sign", str(keys["minuskes"]))
    assert done.returncode == 0, done.stderr
    return out, done


@pytest.fixture
def lake(tmp_path) -> Path:
    """A small assessment of mission MINUSKES (the lakeside fixture), quick to report."""
    from assess.pipeline import start_assessment

    path = tmp_path / "lake.yaml"
    start_assessment(LAKESIDE, path, {"title": "Lake check", "mission": "MINUSKES", "marking": "UN RESTRICTED"})
    return path


def facts(path: Path) -> dict[str, str]:
    """The cover's document information table, label -> value, as Word shows it."""
    table = docx.Document(str(path)).tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def public(key_path: Path) -> str:
    """The fingerprint of a key, from the .pub written beside it."""
    return read_public_key(key_path.with_suffix(".pub")).fingerprint


# ---------------------------------------------------------------------------- a signed report


def test_a_signed_report_says_who_signed_it_and_its_payload_verifies(signed, keys):
    out, done = signed
    fp = public(keys["minuskes"])
    assert done.stdout.splitlines()[-1] == f"signed by MINUSKES with key {fp}"
    data, digest, signature = load_signed_payload(out)
    assert signature is not None
    assert (signature.mission, signature.fingerprint) == ("MINUSKES", fp)
    assert fingerprint(signature.public_key) == fp and len(signature.value) == 64
    assert load_payload(out) == (data, digest)  # what collect reads today reads it unchanged
    assert read_payload(out) == data
    assert data["answers"]["metadata"]["mission"] == "UN Stabilization Mission in Kessaria (MINUSKES) (fictional)"


def test_the_report_shows_the_signer_and_the_key_fingerprint_in_its_document_information(signed, keys):
    out, _done = signed
    fp = public(keys["minuskes"])
    shown = facts(out)
    assert shown["Signed by"] == f"MINUSKES · key {fp}"
    assert list(shown)[-2:] == ["Handling", "Signed by"]  # after the marking, with the document's other facts
    props = docx.Document(str(out)).core_properties
    assert props.comments == f"Signed by MINUSKES · key {fp}"  # Word's File > Properties too


def test_an_unsigned_report_shows_no_signer_and_carries_no_signature(lake, tmp_path):
    out = tmp_path / "lake.docx"
    done = run("report", str(lake), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert not [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("signed by")]
    assert "Signed by" not in facts(out)
    assert docx.Document(str(out)).core_properties.comments == ""
    data, digest, signature = load_signed_payload(out)
    assert signature is None and (data, digest) == load_payload(out)
    assert b" signer=" not in payload_part(out)[1]


def test_the_signing_key_comes_from_assess_signing_key_when_sign_is_not_given(lake, keys, tmp_path):
    out = tmp_path / "lake.docx"
    done = run("report", str(lake), "-o", str(out), env={"ASSESS_SIGNING_KEY": str(keys["minuskes"])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"signed by MINUSKES with key {public(keys['minuskes'])}"
    assert load_signed_payload(out)[2] is not None
    # --sign wins over the variable
    done = run(
        "report", str(lake), "-o", str(out), "--sign", str(keys["minuskes"]), env={"ASSESS_SIGNING_KEY": "/nowhere"}
    )
    assert done.returncode == 0, done.stderr


def test_a_key_protected_by_a_passphrase_signs_with_assess_key_passphrase(lake, keys, tmp_path):
    out = tmp_path / "lake.docx"
    locked = str(keys["locked"])
    done = run("report", str(lake), "-o", str(out), "--sign", locked, env={"ASSESS_KEY_PASSPHRASE": "correct horse"})
    assert done.returncode == 0, done.stderr
    assert load_signed_payload(out)[2].fingerprint == public(keys["locked"])
    out.unlink()
    done = run("report", str(lake), "-o", str(out), "--sign", locked, env={"ASSESS_KEY_PASSPHRASE": "wrong horse"})
    assert done.returncode == 1 and "[E540]" in done.stderr and not out.exists()
    done = run("report", str(lake), "-o", str(out), "--sign", locked)  # no terminal to ask on
    assert done.returncode == 1 and "[E539]" in done.stderr and "ASSESS_KEY_PASSPHRASE" in done.stderr
    assert not out.exists() and "Traceback" not in done.stderr


def test_the_plan_of_action_and_the_pdf_are_written_beside_a_signed_report(lake, keys, tmp_path):
    out, plan = tmp_path / "lake.docx", tmp_path / "plan.csv"
    done = run("report", str(lake), "-o", str(out), "--actions", str(plan), "--sign", str(keys["minuskes"]))
    assert done.returncode == 0, done.stderr
    assert load_signed_payload(out)[2] is not None
    unsigned = run("report", str(lake), "-o", str(tmp_path / "u.docx"), "--actions", str(tmp_path / "u.csv"))
    assert unsigned.returncode == 0 and plan.read_bytes() == (tmp_path / "u.csv").read_bytes()  # the same plan
    assert plan.read_bytes().startswith(b"\xef\xbb\xbfassessment_id,mission,period,number,")
    need("soffice")
    done = run("report", str(lake), "-o", str(out), "--pdf", "--sign", str(keys["minuskes"]))
    assert done.returncode == 0, done.stderr
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
    assert load_signed_payload(out)[2] is not None


def test_a_signed_report_is_collected(signed, tmp_path):
    out, _done = signed
    store = tmp_path / "hq.sqlite"
    done = run("collect", str(out), "--store", str(store))
    assert done.returncode == 0, done.stderr
    listed = run("list", "--store", str(store))
    assert listed.returncode == 0 and "MINUSKES" in listed.stdout


# ---------------------------------------------------------------------------- refused before anything is written


def test_a_key_of_another_mission_is_refused_and_nothing_is_written(lake, keys, tmp_path):
    out = tmp_path / "lake.docx"
    out.write_bytes(b"an earlier report, kept")
    done = run("report", str(lake), "-o", str(out), "--sign", str(keys["unimva"]), "--force")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"{lake}: the key was made for mission 'UNIMVA', but the answers name mission 'MINUSKES'; a mission signs its "
        'own reports only: give MINUSKES\'s key (assess key new --mission "MINUSKES" makes one), or correct the '
        "answers' mission [E545]"
    )
    assert out.read_bytes() == b"an earlier report, kept"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left behind


def test_answers_without_a_mission_cannot_be_signed(keys, tmp_path):
    from assess.pipeline import start_assessment

    answers = tmp_path / "lake.yaml"
    start_assessment(LAKESIDE, answers, {"title": "Lake check", "marking": "UN RESTRICTED"})
    out = tmp_path / "lake.docx"
    done = run("report", str(answers), "-o", str(out), "--sign", str(keys["minuskes"]))
    assert done.returncode == 1 and "[E424]" in done.stderr and "'MINUSKES'" in done.stderr
    assert not out.exists()


def test_a_public_key_or_a_missing_file_given_to_sign_is_refused_before_any_work(lake, keys, tmp_path):
    out = tmp_path / "lake.docx"
    done = run("report", str(lake), "-o", str(out), "--sign", str(keys["minuskes"].with_suffix(".pub")))
    assert done.returncode == 1 and "[E543]" in done.stderr and not out.exists()
    done = run("report", str(lake), "-o", str(out), "--sign", str(tmp_path / "none.key"))
    assert done.returncode == 1 and re.search(r"\[E0\d\d\]", done.stderr) and not out.exists()
    assert "Traceback" not in done.stderr


def test_the_report_never_replaces_the_signing_key(lake, keys, tmp_path):
    key = tmp_path / "mine.key"
    key.write_bytes(keys["minuskes"].read_bytes())
    before = key.read_bytes()
    done = run("report", str(lake), "-o", str(key), "--sign", str(key), "--force")
    assert done.returncode == 1 and "[E412]" in done.stderr and "the signing key" in done.stderr
    assert key.read_bytes() == before


# ---------------------------------------------------------------------------- tampering


def payload_part(path: Path) -> tuple[str, bytes]:
    """The name and bytes of a report's payload part."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.startswith("customXml/item") and b"urn:assess:payload" in data[:1024]:
                return name, data
    raise AssertionError("no payload")


def tampered(src: Path, dst: Path, edit) -> Path:
    """A copy of a report whose payload element edit(element) changed, every other part as it was."""
    name, data = payload_part(src)
    ElementTree.register_namespace("", NAMESPACE)
    root = ElementTree.fromstring(data)
    edit(root)
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            w.writestr(info, ElementTree.tostring(root, encoding="utf-8") if info.filename == name else z.read(info))
    return dst


def forged(root) -> None:
    """The analyst's name changed in the payload, its SHA-256 computed again: what anyone can do."""
    import json

    data = json.loads(root.text)
    data["answers"]["metadata"]["analyst"] = "Someone else"
    root.text = canonical(data).decode("utf-8")
    root.set("sha256", digest_of(data))


def refusal(path: Path) -> PayloadRefused:
    with pytest.raises(PayloadRefused) as caught:
        load_signed_payload(path)
    return caught.value


def test_a_payload_edited_with_its_sha256_computed_again_is_refused_by_its_signature(signed, tmp_path):
    out, _done = signed
    copy = tampered(out, tmp_path / "forged.docx", forged)
    assert load_payload(copy)[0]["answers"]["metadata"]["analyst"] == "Someone else"  # the hash alone cannot tell
    exc = refusal(copy)
    assert exc.kind == "bad-signature"
    assert str(exc.problems[0]) == (
        f"{copy}: the payload's signature does not verify: the payload or its signer was altered after it was "
        "signed, or the signature was made by another key than the one it names; ask the mission for the report "
        "as it signed it [E406]"
    )


def test_a_payload_edited_without_its_sha256_is_refused_as_altered_first(signed, tmp_path):
    out, _done = signed

    def edit(root) -> None:
        root.text = root.text.replace("JMAC", "JMAK")

    exc = refusal(tampered(out, tmp_path / "edited.docx", edit))
    assert exc.kind == "altered" and "SHA-256 does not match" in exc.reason


@pytest.mark.parametrize(
    "what",
    ["signature flipped", "signer changed", "another key named", "another key carried"],
)
def test_each_change_to_the_signature_is_refused(signed, keys, tmp_path, what):
    out, _done = signed
    other = new_key("MINUSKES", now()).public

    def edit(root) -> None:
        if what == "signature flipped":
            value = bytearray(base64.b64decode(root.get("signature")))
            value[10] ^= 0x01
            root.set("signature", base64.b64encode(bytes(value)).decode())
        elif what == "signer changed":
            root.set("signer", "UNIMVA")  # the mission is part of what is signed
        elif what == "another key named":
            root.set("key", other.fingerprint)
        else:  # another key's public key and fingerprint, the signature kept
            root.set("key", other.fingerprint)
            root.set("public-key", base64.b64encode(other.key).decode())

    exc = refusal(tampered(out, tmp_path / "changed.docx", edit))
    assert exc.kind == "bad-signature" and exc.reason.startswith("the payload's signature does not verify")


@pytest.mark.parametrize(
    ("attribute", "value", "said"),
    [
        ("signature", None, "the payload's signature is incomplete (it lacks signature)"),
        ("public-key", None, "the payload's signature is incomplete (it lacks public-key)"),
        ("public-key", "not base64!", "the public key is not 32 bytes in base64"),
        ("signature", base64.b64encode(b"short").decode(), "the signature is not 64 bytes in base64"),
        ("key", "MD5:ab:cd", "the key is not a fingerprint"),
        ("signer", "  ", "the signer is not named"),
    ],
)
def test_a_partial_or_malformed_signature_is_refused_with_what_is_wrong(signed, tmp_path, attribute, value, said):
    out, _done = signed

    def edit(root) -> None:
        if value is None:
            del root.attrib[attribute]
        else:
            root.set(attribute, value)

    exc = refusal(tampered(out, tmp_path / "partial.docx", edit))
    assert exc.kind == "bad-signature" and said in exc.reason and exc.problems[0].code == "E406"


def test_a_forged_payload_signed_again_by_another_key_verifies_but_names_that_key(signed, keys, tmp_path):
    """The signature says which key signed; whether headquarters trusts that key is collect's decision."""
    out, _done = signed
    impostor = new_key("MINUSKES", now())

    def edit(root) -> None:
        forged(root)
        for name, value in signed_attributes(sign(impostor, root.get("sha256"))).items():
            root.set(name, value)

    signature = load_signed_payload(tampered(out, tmp_path / "resigned.docx", edit))[2]
    assert signature is not None and signature.fingerprint == impostor.public.fingerprint
    assert signature.fingerprint != public(keys["minuskes"])


def test_embed_refuses_a_signature_of_another_payload(tmp_path, lake):
    from assess.report.payload import embed

    key = new_key("MINUSKES", now())
    report = tmp_path / "lake.docx"
    assert run("report", str(lake), "-o", str(report)).returncode == 0
    before = report.read_bytes()
    with pytest.raises(ValueError, match="not one of this payload"):
        embed(report, {"format": "assess-payload/1"}, sign(key, "0" * 64))
    assert report.read_bytes() == before


# ---------------------------------------------------------------------------- hostile input (issue 19, review)


@pytest.mark.parametrize(
    "signer",
    ["MINUSKES\ncollected 1, unchanged 0 \u202eLEVART", "X" * 100_000],
    ids=["line break and right-to-left override", "100,000 characters"],
)
def test_a_signer_that_is_no_missions_name_is_refused_even_with_a_valid_signature(signed, tmp_path, signer):
    """Re-signed with a key of its own (any key verifies: trust is collect's), a signer holding a line break, a
    right-to-left override or 100,000 characters is refused as a key's mission name would be, and never shown."""
    out, _done = signed
    impostor = new_key(signer, now())

    def edit(root) -> None:
        for name, value in signed_attributes(sign(impostor, root.get("sha256"))).items():
            root.set(name, value)

    copy = tampered(out, tmp_path / "resigned.docx", edit)
    assert load_payload(copy)[0]["answers"]["metadata"]["mission"]  # the payload itself is intact
    exc = refusal(copy)
    assert exc.kind == "bad-signature" and exc.problems[0].code == "E406"
    assert str(exc.problems[0]) == (
        f"{copy}: the payload's signer is not a mission's name (one line of at most 200 characters, with no "
        "control character), so no key of assess signs as it: the report was altered after it was signed, or not "
        "made by 'assess report'; ask the mission for the report as it signed it [E406]"
    )
    store = tmp_path / "hq.sqlite"
    done = run("collect", str(copy), "--store", str(store))
    said = done.stdout + done.stderr
    assert done.returncode != 0 and "[E556]" in said and "the payload's signer is not a mission's name" in said
    assert not [line for line in said.splitlines() if line.startswith("collected 1")]
    assert "LEVART" not in said and "\u202e" not in said and "XXXXX" not in said
    assert max(map(len, said.splitlines())) < 1000


def nul_answers(tmp_path: Path) -> Path:
    """The lakeside assessment of MINUSKES with a NUL character in the note of an answer (YAML's "\\0")."""
    from assess.pipeline import start_assessment

    path = tmp_path / "nul.yaml"
    start_assessment(LAKESIDE, path, {"title": "Lake check", "mission": "MINUSKES", "marking": "UN RESTRICTED"})
    text = path.read_text(encoding="utf-8").replace(
        "answers: {}", 'answers:\n  mandate: {value: "yes", note: "has a NUL \\0 inside"}'
    )
    assert "\\0" in text
    path.write_text(text, encoding="utf-8")
    return path


def test_answers_holding_a_nul_are_scored_but_their_report_is_refused_and_nothing_is_written(keys, tmp_path):
    """Headquarters' collect refuses a text holding a NUL (E530): the report says so up front, naming the field, so
    the mission does not learn it from headquarters; score, which writes nothing, still takes the answers."""
    answers = nul_answers(tmp_path)
    assert run("score", str(answers)).returncode == 0
    out = tmp_path / "nul.docx"
    for sign_with in ([], ["--sign", str(keys["minuskes"])]):
        done = run("report", str(answers), "-o", str(out), "--actions", str(tmp_path / "plan.csv"), *sign_with)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        refused = [line for line in done.stderr.splitlines() if line.endswith("[E425]")]
        assert refused == [
            f"{answers}: answers.mandate.note: the text holds a NUL character (U+0000); a report carries the answers "
            "to headquarters, whose collect refuses such a text (its store cannot keep one): remove it, then make "
            "the report again [E425]"
        ]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["nul.yaml"]  # no report, plan or temp file


async def test_the_apps_report_of_answers_holding_a_nul_writes_nothing_and_says_why(tmp_path):
    from test_tui_signed import on, render, wait_for

    from assess.tui.app import AssessApp

    answers = nul_answers(tmp_path)
    app = AssessApp(answers)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "ErrorDialog"))
        shown = str(app.screen.query_one("#error-message").content)
        assert shown == (  # the app's messages begin with a capital
            f"{answers}: Answers.mandate.note: the text holds a NUL character (U+0000); a report carries the answers "
            "to headquarters, whose collect refuses such a text (its store cannot keep one): remove it, then make "
            "the report again [E425]"
        )
    assert not answers.with_suffix(".docx").exists()
