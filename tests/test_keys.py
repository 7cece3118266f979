"""Tests a mission's keys: signatures that fail when anything is changed, key files written owner-only and never
over a file, hostile .pub files refused with located messages, and headquarters' trust, list, revoke, rotation."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assess import keyfiles, signing
from assess.cli import main
from assess.cli_keys import find_key
from assess.errors import AssessError, problem

from conftest import ROOT, run_cli

DIGEST = hashlib.sha256(b"a payload").hexdigest()


def run(*argv: str, capsys) -> tuple[int, str, str]:
    """assess ARGV in this process: exit code, stdout, stderr."""
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def new_pair(folder: Path, mission: str = "MINUSKES") -> tuple[Path, Path]:
    """A key pair for mission written in folder: (MISSION.key, MISSION.pub)."""
    key = signing.new_key(mission, keyfiles.now())
    return keyfiles.write_key_pair(key, folder, None)


# ---------------------------------------------------------------------------- signatures


def test_fingerprint_is_sha256_of_the_raw_key_in_unpadded_base64():
    key = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z")
    raw = key.public.key
    assert len(raw) == 32
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
    assert key.public.fingerprint == expected == signing.fingerprint(raw)
    assert len(expected) == 7 + 43 and signing.is_fingerprint(expected)


def test_the_signed_message_names_its_purpose_the_mission_and_the_digest():
    assert signing.message("MINUSKES", DIGEST) == b"assess-signature/1\0MINUSKES\0" + DIGEST.encode()
    for mission, digest in (("A\0B", DIGEST), ("A", DIGEST.upper()), ("A", DIGEST[:-1]), ("A", "é" * 64)):
        with pytest.raises(ValueError):
            signing.message(mission, digest)


def test_a_signature_is_valid_only_for_its_digest_mission_key_and_value():
    key = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z")
    other = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z")
    sig = signing.sign(key, DIGEST)
    assert sig.mission == "MINUSKES" and sig.fingerprint == key.public.fingerprint and len(sig.value) == 64
    assert signing.valid(sig, DIGEST)
    flipped = bytes([sig.value[0] ^ 1]) + sig.value[1:]
    tampered = {
        "digest": (sig, hashlib.sha256(b"another payload").hexdigest()),
        "mission": (dataclasses.replace(sig, mission="KIVU"), DIGEST),
        "signature": (dataclasses.replace(sig, value=flipped), DIGEST),
        "key, its own fingerprint": (
            dataclasses.replace(sig, public_key=other.public.key, fingerprint=other.public.fingerprint),
            DIGEST,
        ),
        "key, the signer's fingerprint": (dataclasses.replace(sig, public_key=other.public.key), DIGEST),
        "fingerprint": (dataclasses.replace(sig, fingerprint=other.public.fingerprint), DIGEST),
        "short signature": (dataclasses.replace(sig, value=sig.value[:63]), DIGEST),
        "short key": (dataclasses.replace(sig, public_key=sig.public_key[:31]), DIGEST),
        "digest not hex": (sig, "not a digest"),
    }
    assert {what: signing.valid(s, d) for what, (s, d) in tampered.items()} == dict.fromkeys(tampered, False)
    # another key's signature of the same digest and mission verifies only with that key
    assert signing.valid(signing.sign(other, DIGEST), DIGEST)


# ---------------------------------------------------------------------------- assess key new


def test_key_new_writes_an_owner_only_key_and_a_pub_whose_fingerprints_match(tmp_path, capsys):
    code, out, err = run("key", "new", "--mission", "MINUSKES", "-o", str(tmp_path / "keys"), capsys=capsys)
    assert code == 0 and err == ""
    key_path, pub_path = tmp_path / "keys" / "MINUSKES.key", tmp_path / "keys" / "MINUSKES.pub"
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(pub_path.stat().st_mode) == 0o666 & ~umask
    pub = keyfiles.read_public_key(pub_path)
    key = keyfiles.read_signing_key(key_path, None)
    assert pub.mission == key.mission == "MINUSKES" and pub.fingerprint == key.public.fingerprint
    assert pub.key == key.public.key and pub.created == key.created
    lines = out.splitlines()
    assert lines[0].startswith(f"wrote {key_path}: the private key (not protected by a passphrase); keep it secret")
    assert lines[1] == f"wrote {pub_path}: the public key"
    assert lines[2] == f"fingerprint {pub.fingerprint}"
    assert "send MINUSKES.pub to headquarters (never the .key)" in out and f"--sign {key_path}" in out
    assert pub_path.read_text().startswith("# assess public key of mission MINUSKES: send this file to headquarters")
    text = key_path.read_text()
    assert text.startswith("# assess signing key of mission MINUSKES: keep it secret")
    assert "-----BEGIN PRIVATE KEY-----" in text and "format: assess-signing-key/1" in text
    assert [p.name for p in sorted((tmp_path / "keys").iterdir())] == ["MINUSKES.key", "MINUSKES.pub"]  # no temp


def test_key_new_writes_in_the_current_folder_by_default(tmp_path):
    r = run_cli("key", "new", "--mission", "Kivu Nord / Goma: 2026", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(tmp_path)) == ["Kivu_Nord_Goma_2026.key", "Kivu_Nord_Goma_2026.pub"]
    assert keyfiles.read_public_key(tmp_path / "Kivu_Nord_Goma_2026.pub").mission == "Kivu Nord / Goma: 2026"


@pytest.mark.parametrize("existing", ["MINUSKES.key", "MINUSKES.pub", "dangling link"])
def test_key_new_never_overwrites_a_file_or_link(tmp_path, capsys, existing):
    if existing == "dangling link":
        (tmp_path / "MINUSKES.key").symlink_to(tmp_path / "elsewhere.key")
        target = tmp_path / "MINUSKES.key"
    else:
        target = tmp_path / existing
        target.write_text("the user's own file\n")
    code, out, err = run("key", "new", "--mission", "MINUSKES", "-o", str(tmp_path), capsys=capsys)
    assert code == 1 and out == ""
    assert err == f"{problem(str(target), None, 'E537', path=target)}\n"
    assert "a key file is never overwritten; give another folder with -o" in err
    if existing == "dangling link":
        assert target.is_symlink() and not (tmp_path / "elsewhere.key").exists()
    else:
        assert target.read_text() == "the user's own file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # the other half was not written either


def test_write_key_pair_refuses_a_file_made_meanwhile_and_leaves_no_half_pair(tmp_path, monkeypatch):
    key = signing.new_key("MINUSKES", keyfiles.now())
    real = os.link

    def link(src, dst, *a, **k):  # another program makes MINUSKES.pub between the check and the write
        if str(dst).endswith(".pub"):
            Path(dst).write_text("theirs\n")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(AssessError) as info:
        keyfiles.write_key_pair(key, tmp_path, None)
    assert info.value.problems[0].code == "E537"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MINUSKES.pub"]  # the .key just written was removed
    assert (tmp_path / "MINUSKES.pub").read_text() == "theirs\n"


@pytest.mark.parametrize(
    ("mission", "why"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("MINUS\nKES", "holds a control character (U+000A)"),
        ("MINUS\x1b[2JKES", "holds a control character (U+001B)"),
        ("MINUS\u202eKES", "holds a control character (U+202E)"),
        ("M" * 201, "is 201 characters long"),
    ],
)
def test_key_new_refuses_a_mission_name_that_is_not_one_line_of_text(tmp_path, capsys, mission, why):
    code, out, err = run("key", "new", "--mission", mission, "-o", str(tmp_path), capsys=capsys)
    assert code == 1 and out == "" and list(tmp_path.iterdir()) == []
    assert err == f"{problem('--mission', None, 'E536', problem=why, limit=200)}\n"


def test_file_names_replace_what_a_file_name_cannot_hold():
    assert keyfiles.file_stem("MINUSKES") == "MINUSKES"
    assert keyfiles.file_stem("Mission: Kivu/Nord") == "Mission_Kivu_Nord"
    assert keyfiles.file_stem("../../etc/passwd") == "etc_passwd"
    assert keyfiles.file_stem("بعثة الأمم") == "بعثة_الأمم"
    assert keyfiles.file_stem("...") == "mission"
    assert len(keyfiles.file_stem("M" * 200)) == 100


# ---------------------------------------------------------------------------- passphrases


def test_a_passphrase_encrypts_the_key_and_only_the_right_one_opens_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ASSESS_KEY_PASSPHRASE", "correct horse")
    code, out, _ = run("key", "new", "--mission", "MINUSKES", "-o", str(tmp_path), "--passphrase", capsys=capsys)
    assert code == 0 and "(protected by the passphrase in ASSESS_KEY_PASSPHRASE)" in out
    key_path = tmp_path / "MINUSKES.key"
    text = key_path.read_text()
    assert "-----BEGIN ENCRYPTED PRIVATE KEY-----" in text and "correct horse" not in text
    assert keyfiles.needs_passphrase(key_path)
    pub = keyfiles.read_public_key(tmp_path / "MINUSKES.pub")
    assert keyfiles.read_signing_key(key_path, b"correct horse").public == pub
    with pytest.raises(AssessError) as info:
        keyfiles.read_signing_key(key_path, b"wrong horse")
    assert str(info.value) == str(problem(str(key_path), None, "E540"))
    with pytest.raises(AssessError) as info:
        keyfiles.read_signing_key(key_path, None)
    assert str(info.value) == str(problem(str(key_path), None, "E539"))
    assert "set ASSESS_KEY_PASSPHRASE" in str(info.value)
    key, warnings = keyfiles.open_signing_key(key_path)  # the variable opens it for report --sign
    assert key.public == pub and warnings == []
    monkeypatch.setenv("ASSESS_KEY_PASSPHRASE", "wrong horse")
    with pytest.raises(AssessError, match=r"\[E540\]"):
        keyfiles.open_signing_key(key_path)
    monkeypatch.delenv("ASSESS_KEY_PASSPHRASE")
    r = run_cli("key", "show", str(key_path))  # no terminal, no passphrase: shown, said to be unchecked
    assert r.returncode == 0 and "protected by a passphrase" in r.stdout and pub.fingerprint in r.stdout


def typist(*typed: str):
    """A getpass that answers typed, one after the other."""
    answers = iter(typed)
    return lambda prompt="": next(answers)


def test_key_new_asks_the_passphrase_twice_on_a_terminal(tmp_path, capsys, monkeypatch):
    import getpass

    monkeypatch.delenv("ASSESS_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    differ = ["correct horse battery", "correct horse battery!"]
    for typed, why in ((differ, "the two passphrases differ"), ([""], "the passphrase is empty")):
        monkeypatch.setattr(getpass, "getpass", typist(*typed))
        code, out, err = run("key", "new", "--mission", "M", "-o", str(tmp_path), "--passphrase", capsys=capsys)
        assert code == 1 and out == "" and list(tmp_path.iterdir()) == []
        assert err == f"{problem('assess key new', None, 'E538', problem=why)}\n"
    monkeypatch.setattr(getpass, "getpass", typist("s3cret s3cret", "s3cret s3cret"))
    code, _, _ = run("key", "new", "--mission", "M", "-o", str(tmp_path), "--passphrase", capsys=capsys)
    assert code == 0 and keyfiles.read_signing_key(tmp_path / "M.key", b"s3cret s3cret").mission == "M"


def test_key_new_refuses_a_passphrase_shorter_than_twelve_characters(tmp_path, capsys, monkeypatch):
    import getpass

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(getpass, "getpass", typist("s3cret"))  # refused at once: not asked a second time
    code, out, err = run("key", "new", "--mission", "M", "-o", str(tmp_path), "--passphrase", capsys=capsys)
    assert code == 1 and out == "" and list(tmp_path.iterdir()) == []
    short = problem("assess key new", None, "E531", source="the passphrase", length=6, minimum=12)
    assert err == f"{short}\n"
    assert err.startswith("assess key new: the passphrase is 6 characters long, fewer than the 12 a key's passphrase")
    assert "can try passphrases on it offline" in err
    monkeypatch.setenv("ASSESS_KEY_PASSPHRASE", "é" * 11)  # characters, not bytes: 22 bytes are still 11
    code, out, err = run("key", "new", "--mission", "M", "-o", str(tmp_path), "--passphrase", capsys=capsys)
    assert code == 1 and list(tmp_path.iterdir()) == []
    assert (
        err.startswith("assess key new: ASSESS_KEY_PASSPHRASE is 11 characters long, fewer than the 12")
        and "[E531]" in err
    )
    monkeypatch.setenv("ASSESS_KEY_PASSPHRASE", "é" * 12)
    code, out, err = run("key", "new", "--mission", "M", "-o", str(tmp_path), "--passphrase", capsys=capsys)
    assert code == 0 and keyfiles.read_signing_key(tmp_path / "M.key", "é".encode() * 12).mission == "M"


@pytest.mark.parametrize(("variable", "why"), [(None, "is not set"), ("", "is empty")], ids=["unset", "empty"])
def test_key_new_passphrase_without_a_terminal_needs_the_variable(tmp_path, variable, why):
    env = {k: v for k, v in os.environ.items() if k != "ASSESS_KEY_PASSPHRASE"}
    if variable is not None:
        env["ASSESS_KEY_PASSPHRASE"] = variable
    r = subprocess.run(
        [sys.executable, "-m", "assess", "key", "new", "--mission", "M", "-o", str(tmp_path), "--passphrase"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env=dict(env, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    assert r.returncode == 1 and list(tmp_path.iterdir()) == [] and "Traceback" not in r.stderr
    said = f"there is no terminal to ask it on, and ASSESS_KEY_PASSPHRASE {why}"
    assert r.stderr == f"{problem('assess key new', None, 'E538', problem=said)}\n"
    # the fix is the variable or a terminal, not typing it twice on the terminal there is not
    assert "; run the command in a terminal and type the same passphrase twice when asked, or set" in r.stderr


# ---------------------------------------------------------------------------- the passphrase's encryption


def der(data: bytes, at: int = 0) -> tuple[int, bytes, int]:
    """The DER element at offset at: its tag, its content, the offset after it."""
    tag, size, at = data[at], data[at + 1], at + 2
    if size & 0x80:
        count = size & 0x7F
        size, at = int.from_bytes(data[at : at + count], "big"), at + count
    return tag, data[at : at + size], at + size


def der_children(content: bytes) -> list[tuple[int, bytes]]:
    """The elements a SEQUENCE's content holds, as (tag, content)."""
    found, at = [], 0
    while at < len(content):
        tag, inner, at = der(content, at)
        found.append((tag, inner))
    return found


def pbes2(pem: bytes) -> dict[str, object]:
    """What an ENCRYPTED PRIVATE KEY says of its encryption, read from its DER (RFC 5958, RFC 8018)."""
    body = b"".join(line for line in pem.strip().splitlines() if not line.startswith(b"-----"))
    _, top, _ = der(base64.b64decode(body))
    (_, algorithm), (_, data) = der_children(top)
    (_, scheme), (_, params) = der_children(algorithm)
    (_, kdf), (_, cipher) = der_children(params)
    (_, kdf_oid), (_, kdf_params) = der_children(kdf)
    (_, salt), (_, rounds), (_, prf) = der_children(kdf_params)
    (_, cipher_oid), (_, iv) = der_children(cipher)
    return {
        "scheme": scheme.hex(), "kdf": kdf_oid.hex(), "rounds": int.from_bytes(rounds, "big"),
        "prf": der_children(prf)[0][1].hex(), "cipher": cipher_oid.hex(), "salt": salt, "iv": iv, "data": data,
    }  # fmt: skip


# the object identifiers: PBES2, PBKDF2, hmacWithSHA256, aes256-CBC (RFC 8018, RFC 3565)
PBES2, PBKDF2, HMAC_SHA256, AES256_CBC = (
    "2a864886f70d01050d",
    "2a864886f70d01050c",
    "2a864886f70d0209",
    "60864801650304012a",
)


def test_a_new_keys_passphrase_is_stretched_by_600000_rounds_of_pbkdf2_sha256(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ASSESS_KEY_PASSPHRASE", "correct horse battery")
    code, _, _ = run("key", "new", "--mission", "MINUSKES", "-o", str(tmp_path), "--passphrase", capsys=capsys)
    assert code == 0
    pem = keyfiles.read_key_file(tmp_path / "MINUSKES.key").key
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    said = pbes2(pem)
    assert (said["scheme"], said["kdf"], said["prf"], said["cipher"]) == (PBES2, PBKDF2, HMAC_SHA256, AES256_CBC)
    assert said["rounds"] == 600_000 == signing.KDF_ROUNDS
    assert len(said["salt"]) == 16 and len(said["iv"]) == 16 and len(said["data"]) == 64  # 48 bytes of PKCS#8, padded
    key = keyfiles.read_signing_key(tmp_path / "MINUSKES.key", b"correct horse battery")
    assert key.public == keyfiles.read_public_key(tmp_path / "MINUSKES.pub")
    # each key its own salt and IV
    again = signing.private_pem(key, b"correct horse battery")
    assert pbes2(again)["salt"] != said["salt"] and pbes2(again)["iv"] != said["iv"]


def test_the_encryption_is_byte_for_byte_the_librarys_with_more_rounds():
    from cryptography.hazmat.primitives import serialization as s

    key = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z")
    theirs = key.private.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.BestAvailableEncryption(b"secret"))
    said = pbes2(theirs)
    assert said["rounds"] == 2048  # what BestAvailableEncryption gives, and why assess does not use it
    plain = key.private.private_bytes(s.Encoding.DER, s.PrivateFormat.PKCS8, s.NoEncryption())
    ours = signing.encrypt_pkcs8(plain, b"secret", 2048, said["salt"], said["iv"])
    body = b"".join(line for line in theirs.splitlines() if not line.startswith(b"-----"))
    assert ours == base64.b64decode(body)


def test_a_key_written_before_with_2048_rounds_still_opens(tmp_path):
    from cryptography.hazmat.primitives import serialization as s

    key = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z")
    old = key.private.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.BestAvailableEncryption(b"s3cret"))
    assert pbes2(old)["rounds"] == 2048
    text = keyfiles.private_text(key, None)
    indented = "".join("  " + line + "\n" for line in old.decode().splitlines())
    path = tmp_path / "MINUSKES.key"
    path.write_text(text.split("private_key:")[0] + "private_key: |\n" + indented)
    assert keyfiles.needs_passphrase(path)  # and a passphrase shorter than new keys may have still opens it
    assert keyfiles.read_signing_key(path, b"s3cret").public == key.public
    with pytest.raises(AssessError, match=r"\[E540\]"):
        keyfiles.read_signing_key(path, b"s3cret!")


def test_a_private_key_others_can_read_is_warned_about_as_ssh_does(tmp_path, capsys):
    key_path, _ = new_pair(tmp_path)
    key_path.chmod(0o644)
    warnings: list = []
    keyfiles.read_signing_key(key_path, None, warnings)
    assert [str(w) for w in warnings] == [str(problem(str(key_path), None, "W509", mode="0644", path=key_path))]
    assert f"run 'chmod 600 {key_path}'" in str(warnings[0])
    code, out, err = run("key", "show", str(key_path), capsys=capsys)
    assert code == 0 and "[W509]" in err and "kind: private key, not protected by a passphrase" in out
    key_path.chmod(0o600)
    assert keyfiles.open_signing_key(key_path)[1] == []


# ---------------------------------------------------------------------------- hostile key files


def pub_text(key: signing.PublicKey | None = None, **fields: str) -> str:
    """A .pub file's text with some fields replaced (a field given as None is left out)."""
    key = key or signing.new_key("MINUSKES", "2026-05-01T09:30:00Z").public
    data = {
        "format": "assess-public-key/1",
        "mission": "MINUSKES",
        "created": key.created,
        "fingerprint": key.fingerprint,
        "public_key": base64.b64encode(key.key).decode(),
    }
    data.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in data.items() if v is not None)


KEY = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z").public
OTHER = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z").public
HOSTILE = {
    "not YAML": ("format: [\n", "E541", "the file cannot be read as a key: it is not YAML text, as a key file is"),
    "a list": ("- format\n- assess-public-key/1\n", "E541", "the file cannot be read as a key: it holds a list"),
    "no format": (pub_text(KEY, format=None), "E541", "it has no 'format' line"),
    "another format": (pub_text(KEY, format="ssh-ed25519"), "E541", "its format is 'ssh-ed25519', not"),
    "missing field": (pub_text(KEY, created=None), "E544", "created: is missing"),
    "field not text": (pub_text(KEY, mission="12"), "E544", "mission: is not text"),
    "unknown field": (pub_text(KEY, comment="hi"), "E544", "'comment': is not a field of a key file"),
    "bad base64": (pub_text(KEY, public_key="not*base64"), "E544", "public_key: is not base64"),
    "key of 31 bytes": (
        pub_text(KEY, public_key=base64.b64encode(KEY.key[:31]).decode()),
        "E544",
        "public_key: holds 31 bytes, not the 32 of an Ed25519 public key",
    ),
    "bad fingerprint": (pub_text(KEY, fingerprint="MD5:aa:bb"), "E544", "'MD5:aa:bb' is not a fingerprint"),
    "fingerprint of another key": (
        pub_text(KEY, fingerprint=OTHER.fingerprint),
        "E546",
        f"the fingerprint {OTHER.fingerprint} is not the fingerprint of the key the file holds ({KEY.fingerprint})",
    ),
    "bad time": (pub_text(KEY, created="yesterday"), "E544", "created: 'yesterday' is not a UTC time"),
    "impossible time": (pub_text(KEY, created="2026-02-30T09:30:00Z"), "E544", "is not a UTC time"),
    "control character in the mission": (pub_text(KEY, mission='"MINUS\\u001bKES"'), "E536", "U+001B"),
    "a private key": ("format: assess-signing-key/1\n", "E542", "a private key (format: assess-signing-key/1)"),
    "an alias": (pub_text(KEY, mission="&a MINUSKES", created="*a"), "E008", "aliases"),
    "binary": ("format: \0\n", "E541", "it is not text (it holds NUL bytes, as a document or a picture does)"),
    "not UTF-8": (pub_text(KEY, mission="MINUSK\udcc9S"), "E541", "it is not UTF-8 text"),
    "too large": ("# " + "x" * 70_000 + "\n" + pub_text(KEY), "E541", "it is larger than 65536 bytes, and a key file"),
    "empty": ("", "E541", "the file cannot be read as a key: it is empty; give the MISSION.pub (or MISSION.key)"),
    "comments only": ("# a key\n", "E541", "it is empty"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_pub_file_is_refused_with_its_code_and_nothing_is_trusted(tmp_path, capsys, case):
    text, code, words = HOSTILE[case]
    pub = tmp_path / "MINUSKES.pub"
    pub.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(AssessError) as info:
        keyfiles.read_public_key(pub)
    [found] = info.value.problems
    assert found.code == code and found.file == str(pub)
    if words:
        assert words in found.message
    assert "framework" not in found.message and "split it" not in found.message  # a key file's own words
    store = tmp_path / "hq.sqlite"
    rc, out, err = run("key", "trust", str(pub), "--store", str(store), capsys=capsys)
    assert rc == 1 and out == "" and err == f"{found}\n"
    assert not store.exists()  # no key to trust: the store was not even made


def test_key_show_of_a_word_report_says_it_is_not_a_key_file(tmp_path, capsys):
    report = tmp_path / "R.docx"
    report.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 400)  # a zip, 100 KB: a report, not a key
    code, out, err = run("key", "show", str(report), capsys=capsys)
    assert code == 1 and out == ""
    assert err == (
        f"{report}: the file cannot be read as a key: it is larger than 65536 bytes, and a key file is under 1 KB; "
        "give the MISSION.pub (or MISSION.key) file that 'assess key new' wrote [E541]\n"
    )
    report.write_bytes(b"PK\x03\x04" + bytes(range(256)))  # a small one
    code, out, err = run("key", "show", str(report), capsys=capsys)
    assert code == 1 and "[E541]" in err and "it is not text" in err


def test_a_signing_key_named_by_the_environment_says_so_when_it_cannot_be_read(tmp_path, capsys, monkeypatch):
    from assess.report import SIGNING_KEY_VARIABLE

    assert keyfiles.SIGNING_KEY_VARIABLE == SIGNING_KEY_VARIABLE == "ASSESS_SIGNING_KEY"
    missing = tmp_path / "gone" / "MINUSKES.key"
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(missing))
    said = (
        f"{missing}: the signing key named by $ASSESS_SIGNING_KEY ({missing}) cannot be read as a key: "
        "No such file or directory; fix the path, or unset ASSESS_SIGNING_KEY [E541]"
    )
    with pytest.raises(AssessError) as info:  # the app asks this first: it shows the same message
        keyfiles.needs_passphrase(missing)
    assert str(info.value) == said
    answers = tmp_path / "lake.yaml"  # not read: the key is read before any work
    code, out, err = run("report", str(answers), "-o", str(tmp_path / "R.docx"), capsys=capsys)
    assert code == 1 and out == "" and err == said + "\n"
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(tmp_path))
    with pytest.raises(AssessError, match=r"cannot be read as a key: it is a folder; fix the path, or unset"):
        keyfiles.open_signing_key(tmp_path)
    empty = tmp_path / "empty.key"
    empty.write_text("")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(empty))
    with pytest.raises(AssessError, match=r"\(.*empty.key\) cannot be read as a key: it is empty; fix the path"):
        keyfiles.open_signing_key(empty)
    # the same file given on the command line is said as any file is
    monkeypatch.delenv("ASSESS_SIGNING_KEY")
    code, out, err = run("report", str(answers), "-o", str(tmp_path / "R.docx"), "--sign", str(missing), capsys=capsys)
    assert code == 1 and err == f"{missing}: cannot read the file: No such file or directory [E001]\n"


def test_refusals_point_at_the_line_of_the_field(tmp_path):
    pub = tmp_path / "k.pub"
    pub.write_text(pub_text(KEY, fingerprint=OTHER.fingerprint))
    with pytest.raises(AssessError) as info:
        keyfiles.read_public_key(pub)
    assert str(info.value).startswith(f"{pub}:4:14: the fingerprint {OTHER.fingerprint}")


def test_a_pub_given_as_the_signing_key_is_refused(tmp_path):
    _, pub_path = new_pair(tmp_path)
    with pytest.raises(AssessError) as info:
        keyfiles.read_signing_key(pub_path, None)
    assert str(info.value) == str(problem(str(pub_path), (2, 9), "E543"))


def test_a_key_whose_pem_is_another_keys_is_refused(tmp_path):
    key_path, _ = new_pair(tmp_path)
    other = signing.new_key("MINUSKES", "2026-05-01T09:30:00Z")
    text = key_path.read_text()
    stated = keyfiles.read_key_file(key_path).fingerprint
    key_path.write_text(text.replace(stated, other.public.fingerprint))
    with pytest.raises(AssessError, match=r"\[E546\]"):
        keyfiles.read_signing_key(key_path, None)
    key_path.write_text(text.split("private_key:")[0] + "private_key: |\n  -----BEGIN PRIVATE KEY-----\n  AAAA\n")
    with pytest.raises(AssessError) as info:
        keyfiles.read_signing_key(key_path, None)
    assert info.value.problems[0].code == "E544" and "private_key: is not a private key in PEM form" in str(info.value)
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

    pem = generate_private_key(SECP256R1()).private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption())
    indented = "".join("  " + line + "\n" for line in pem.decode().splitlines())
    key_path.write_text(text.split("private_key:")[0] + "private_key: |\n" + indented)
    with pytest.raises(AssessError) as info:
        keyfiles.read_signing_key(key_path, None)
    assert "private_key: holds a key of another kind (ECDSA), not an Ed25519 key" in str(info.value)


# ---------------------------------------------------------------------------- trust, list, revoke


def listed(out: str) -> list[list[str]]:
    """The key table's rows (header first), split on its runs of two spaces or more."""
    return [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]


def test_trust_list_and_revoke(tmp_path, store_address, capsys):
    store = str(store_address)
    _, pub_path = new_pair(tmp_path / "m")
    pub = keyfiles.read_public_key(pub_path)
    fp = pub.fingerprint
    code, out, _ = run("key", "trust", str(pub_path), "--store", store, capsys=capsys)
    assert code == 0 and out == f"trusted MINUSKES {fp}\n"
    code, out, _ = run("key", "trust", str(tmp_path / "m"), "--store", store, capsys=capsys)  # the folder
    assert code == 0 and out == f"already trusted MINUSKES {fp}\n"
    # the same key claimed by another mission
    impostor = tmp_path / "other" / "KIVU.pub"
    impostor.parent.mkdir()
    impostor.write_text(pub_path.read_text().replace("mission: MINUSKES", "mission: KIVU"))
    code, out, err = run("key", "trust", str(impostor), "--store", store, capsys=capsys)
    assert code == 1 and out == ""
    assert err.splitlines()[0] == str(
        problem(str(impostor), None, "E547", fingerprint=fp, held="MINUSKES", found="KIVU")
    )
    code, out, err = run("key", "list", "--store", store, capsys=capsys)
    today = keyfiles.now()[:10]
    assert code == 0 and listed(out) == [
        ["mission", "fingerprint", "created", "trusted on", "status", "revisions signed"],
        ["MINUSKES", fp, pub.created[:10], today, "active", "0"],
    ]
    assert err.startswith("1 key in ")
    # revoked by the start of its fingerprint
    code, out, _ = run("key", "revoke", fp[:19], "--reason", "laptop\nstolen", "--store", store, capsys=capsys)
    assert code == 0 and out.splitlines()[0] == f"revoked MINUSKES {fp} (laptop stolen)"
    assert "reports signed with it are refused from now on; the 0 revisions it signed stay in" in out
    code, out, _ = run("key", "list", "--store", store, capsys=capsys)
    assert listed(out)[1] == ["MINUSKES", fp, pub.created[:10], today, f"revoked on {today} (laptop stolen)", "0"]
    # revoked again: the first revocation stays
    code, out, err = run("key", "revoke", fp, "--reason", "again", "--store", store, capsys=capsys)
    assert code == 0 and out == "" and "[W510]" in err and "(laptop stolen); that revocation stays" in err
    # trusted again: revocation is final
    code, out, err = run("key", "trust", str(pub_path), "--store", store, capsys=capsys)
    assert code == 1 and out == "" and "[E548]" in err and "revocation is final; the mission makes a new key" in err


def test_revoke_refuses_an_unknown_or_too_short_fingerprint(tmp_path, store_address, capsys):
    store = str(store_address)
    _, pub_path = new_pair(tmp_path)
    run("key", "trust", str(pub_path), "--store", store, capsys=capsys)
    fp = keyfiles.read_public_key(pub_path).fingerprint
    unknown = "SHA256:" + "A" * 43
    for given in (unknown, fp[:18], "SHA256:zzzzzzzzzzzzz"):
        code, out, err = run("key", "revoke", given, "--store", store, capsys=capsys)
        assert code == 1 and out == "" and "[E549]" in err and "run 'assess key list'" in err
    assert "needs 12 characters after SHA256:" in run("key", "revoke", fp[:18], "--store", store, capsys=capsys)[2]
    code, out, _ = run("key", "list", "--store", store, capsys=capsys)
    assert listed(out)[1][4] == "active"  # nothing was revoked


def test_a_fingerprint_start_shared_by_two_keys_is_ambiguous():
    keys = [
        {"fingerprint": "SHA256:abcdefghijklmnop" + "A" * 27},
        {"fingerprint": "SHA256:abcdefghijklmnoq" + "A" * 27},
    ]
    assert find_key(keys, "SHA256:abcdefghijklmnop", "hq")["fingerprint"] == keys[0]["fingerprint"]
    with pytest.raises(AssessError) as info:
        find_key(keys, "SHA256:abcdefghijklmno", "hq")
    assert "2 keys have a fingerprint starting with SHA256:abcdefghijklmno" in str(info.value)


def test_rotation_two_keys_trusted_for_one_mission_then_the_old_one_revoked(tmp_path, store_address, capsys):
    store = str(store_address)
    _, old_pub = new_pair(tmp_path / "2026")
    _, new_pub = new_pair(tmp_path / "2027")
    old, new = (keyfiles.read_public_key(p).fingerprint for p in (old_pub, new_pub))
    assert run("key", "trust", str(old_pub), "--store", store, capsys=capsys)[0] == 0
    code, out, err = run("key", "trust", str(new_pub), "--store", store, capsys=capsys)
    assert code == 0 and out == f"trusted MINUSKES {new}\n"
    assert err.splitlines()[0] == str(problem(str(new_pub), None, "W512", mission="MINUSKES", others=old))
    rows = listed(run("key", "list", "--store", store, capsys=capsys)[1])[1:]
    assert sorted((r[1], r[4]) for r in rows) == sorted([(old, "active"), (new, "active")])
    code, out, _ = run("key", "revoke", old, "--reason", "rotated", "--store", store, capsys=capsys)
    assert code == 0
    rows = listed(run("key", "list", "--store", store, capsys=capsys)[1])[1:]
    today = keyfiles.now()[:10]
    assert sorted((r[1], r[4]) for r in rows) == sorted([(old, f"revoked on {today} (rotated)"), (new, "active")])


def test_trust_a_folder_of_pub_files_and_refuse_an_empty_one(tmp_path, capsys):
    folder = tmp_path / "received"
    new_pair(folder, "MINUSKES")
    new_pair(folder, "KIVU")  # the .key files beside them are not read
    store = tmp_path / "hq.sqlite"
    code, out, _ = run("key", "trust", str(folder), "--store", str(store), capsys=capsys)
    assert code == 0 and [line.split()[1] for line in out.splitlines()] == ["KIVU", "MINUSKES"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(
        "key", "trust", str(empty), str(tmp_path / "missing.pub"), "--store", str(store), capsys=capsys
    )
    assert code == 1 and out == ""
    assert err == f"{problem(str(empty), None, 'W511')}\n{problem(str(tmp_path / 'missing.pub'), None, 'E508')}\n"


def test_key_list_aligns_its_columns_as_the_terminal_shows_them(tmp_path, capsys):
    from rich.cells import cell_len

    from assess.collect.store import Store

    store = tmp_path / "hq.sqlite"
    missions = (
        "MINUSKES",
        "国連コンゴ民主共和国ミッション",
        "MINUS\u200bKES",
    )  # full-width; a zero-width space, escaped
    for i, mission in enumerate(missions):
        _, pub = new_pair(tmp_path / str(i), mission)
        assert run("key", "trust", str(pub), "--store", str(store), capsys=capsys)[0] == 0
    other = signing.new_key("X", "2026-05-01T09:30:00Z").public
    row = {"fingerprint": other.fingerprint, "mission": "KI\x1b[2JVU", "public_key": base64.b64encode(other.key).decode(),
           "created": other.created, "trusted_at": keyfiles.now()}  # fmt: skip
    with Store(store) as held:  # a name no .pub may give (a control character), from another desk's store
        held.put_key(row)
    code, out, _ = run("key", "list", "--store", str(store), capsys=capsys)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5 and "\x1b" not in out and "KI\\x1b[2JVU" in out and "MINUS\\u200bKES" in out
    starts = {cell_len(line[: line.index("SHA256:" if i else "fingerprint")]) for i, line in enumerate(lines)}
    assert len(starts) == 1  # every fingerprint starts in the same column of the terminal
    dates = [re.search(r"\d{4}-\d\d-\d\d", line) for line in lines[1:]]
    created = {cell_len(line[: m.start()]) for line, m in zip(lines[1:], dates, strict=True) if m}
    assert created == {cell_len(lines[0][: lines[0].index("created")])}


def test_store_options_are_called_address_as_collect_and_list_call_them(capsys):
    for command in ("trust", "list", "revoke"):
        with pytest.raises(SystemExit):
            main(["key", command, "-h"])
        shown = capsys.readouterr().out
        assert "--store ADDRESS" in shown and "STORE" not in shown.replace("$ASSESS_STORE", "")


def test_key_new_help_gives_the_shortest_passphrase_taken(capsys):
    with pytest.raises(SystemExit):
        main(["key", "new", "-h"])
    shown = " ".join(capsys.readouterr().out.split())
    assert f"a passphrase of {keyfiles.MIN_PASSPHRASE} characters or more" in shown


def test_list_and_revoke_do_not_make_a_store(tmp_path, capsys):
    store = tmp_path / "nope.sqlite"
    for argv in (["key", "list"], ["key", "revoke", "SHA256:" + "A" * 43]):
        code, _, err = run(*argv, "--store", str(store), capsys=capsys)
        assert code == 1 and "[E515]" in err and not store.exists()


def test_key_show_says_what_each_file_is(tmp_path, capsys):
    key_path, pub_path = new_pair(tmp_path)
    fp = keyfiles.read_public_key(pub_path).fingerprint
    code, out, _ = run("key", "show", str(pub_path), capsys=capsys)
    assert code == 0 and out.splitlines() == [
        f"file: {pub_path}",
        "kind: public key: send it to headquarters (it signs nothing)",
        "mission: MINUSKES",
        f"fingerprint: {fp}",
        f"created: {keyfiles.read_public_key(pub_path).created}",
    ]
    code, out, _ = run("key", "show", str(key_path), capsys=capsys)
    assert code == 0 and "kind: private key, not protected by a passphrase: keep it secret" in out and fp in out
    code, out, err = run("key", "show", str(tmp_path / "none.pub"), capsys=capsys)
    assert code == 1 and "[E001]" in err


def test_help_loads_neither_cryptography_nor_yaml():
    probe = (
        "import sys; from assess.cli import main\n"
        "for argv in (['--help'], ['key', '-h'], ['key', 'new', '-h'], ['key', 'trust', '-h']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in ('cryptography', 'yaml', 'assess.keyfiles') if m in sys.modules), file=sys.stderr)"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stderr == "[]\n", r.stderr
