"""Store addresses as every command reads them: a file path is a SQLite store, a postgresql:// URL (its scheme in any
case) a PostgreSQL one, and anything that looks like another kind of address — libpq's key=value settings, a
postgresql: without its two slashes, SQLAlchemy's postgresql+psycopg://, another scheme — refused (E529) before
anything is written, its password never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from hqfiles import EXAMPLES

from assess.cli import main
from assess.collect import address
from assess.collect.store import Store, StoreError, default_path

PASSWORD = "S3cretPW-x3"
CONNINFO = f"host=localhost port=5497 dbname=hqpw user=hqdesk password={PASSWORD}"
ANSWERS = EXAMPLES / "goci-profile.answers.yaml"


def _commands(address_: str, tmp_path: Path) -> list[list[str]]:
    """Every command that takes --store, given address_."""
    pub = tmp_path / "keys" / "MINUSKES.pub"
    return [
        ["collect", str(ANSWERS), "--store", address_],
        ["list", "--store", address_],
        ["compare", "--store", address_, "-o", str(tmp_path / "out" / "summary.docx")],
        ["key", "trust", str(pub), "--store", address_],
        ["key", "list", "--store", address_],
        ["key", "revoke", "SHA256:" + "A" * 43, "--store", address_],
    ]


@pytest.fixture
def desk(tmp_path, monkeypatch, capsys):
    """A desk's working folder (the current one) holding a mission's .pub under keys/; nothing else."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSESS_STORE", raising=False)
    assert main(["key", "new", "--mission", "MINUSKES", "-o", str(tmp_path / "keys")]) == 0
    capsys.readouterr()
    return tmp_path


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ---------------------------------------------------------------------------- refused, nothing written


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (
            CONNINFO,
            "it is written as key=value settings, which assess does not take: "
            "postgresql://hqdesk@localhost:5497/hqpw, the password (if any) in ~/.pgpass or $PGPASSWORD",
        ),
        ("postgresql:/localhost/hq", "begins with postgresql:// (two slashes), as in postgresql://localhost/hq"),
        ("postgres:localhost", "begins with postgres:// (two slashes), as in postgres://localhost"),
        (
            f"postgresql+psycopg://hqdesk:{PASSWORD}@localhost:5497/hq",
            "postgresql+psycopg:// is SQLAlchemy's form, with its driver; assess takes the address alone: "
            "postgresql://hqdesk:***@localhost:5497/hq",
        ),
        (f"mysql://hq:{PASSWORD}@db/hq", "mysql: is another kind of address"),
        ("sqlite:///hq.sqlite", "a SQLite store is given by its file's path alone, without sqlite:"),
        ("file:///srv/hq.sqlite", "without file:"),
    ],
    ids=["conninfo", "one-slash", "no-slash", "sqlalchemy", "mysql", "sqlite-url", "file-url"],
)
def test_an_address_of_another_kind_is_refused_by_every_command_and_nothing_is_made(desk, capsys, given, said):
    before = _files(desk)
    for argv in _commands(given, desk):
        assert main(argv) == 1, argv
        out, err = capsys.readouterr()
        assert "is not a PostgreSQL address" in err and said in err and "[E529]" in err, (argv, err)
        assert "write it as postgresql://USER@HOST:PORT/DATABASE" in err
        assert PASSWORD not in out + err and "Traceback" not in err
    assert _files(desk) == before  # no SQLite file named after it, no folder postgresql:


def test_store_copy_refuses_either_side_before_writing_anything(desk, capsys):
    assert main(["collect", str(ANSWERS), "--store", "hq.sqlite"]) == 0
    capsys.readouterr()
    before = _files(desk)
    for argv in (["store", "copy", "hq.sqlite", CONNINFO], ["store", "copy", CONNINFO, "copy.sqlite"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "[E529]" in err and "password=***" in err and PASSWORD not in err
    assert main(["store", "copy", "hq.sqlite", "postgresql:/localhost/hq"]) == 1
    assert "two slashes" in capsys.readouterr().err
    assert _files(desk) == before


def test_assess_store_is_read_the_same_way(desk, monkeypatch, capsys):
    monkeypatch.setenv("ASSESS_STORE", CONNINFO)
    with pytest.raises(StoreError) as caught:
        default_path()
    assert caught.value.problems[0].code == "E529"
    for argv in (["list"], ["collect", str(ANSWERS)], ["key", "list"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "[E529]" in err and "dbname=hqpw user=hqdesk password=***" in err and PASSWORD not in err


def test_the_password_of_settings_is_hidden_however_it_is_quoted():
    for given in (
        f"host=db password={PASSWORD} dbname=hq",
        f"host=db password = '{PASSWORD} with spaces' dbname=hq",
        f"dbname=hq PASSWORD={PASSWORD}",
        f"host=db sslpassword={PASSWORD}",
    ):
        with pytest.raises(StoreError) as caught:
            address.store_address(given)
        said = str(caught.value)
        assert "E529" in said and PASSWORD not in said and "***" in said, said


# ---------------------------------------------------------------------------- what stays a file


@pytest.mark.parametrize("name", ["./a:b.sqlite", "a:b.sqlite", "hq:2024.sqlite", "./postgresql:/hq.sqlite"])
def test_a_colon_elsewhere_in_a_file_name_stays_a_sqlite_file(desk, capsys, name):
    assert address.store_address(name) == Path(name)
    assert main(["collect", str(ANSWERS), "--store", name]) == 0
    assert main(["list", "--store", name]) == 0
    assert "goci" in capsys.readouterr().out
    assert (desk / name).is_file()
    with Store(name, create=False) as store:
        assert store.kind == "sqlite" and store.counts()["revisions"] == 1


def test_windows_drives_and_folders_holding_key_value_names_are_paths():
    for name in ("C:\\hq\\hq.sqlite", "C:/hq/hq.sqlite", "C:hq.sqlite", "/srv/host=a/hq.sqlite", "data/port=1/x"):
        assert address.store_address(name) == Path(name)
    assert not address.is_url("./postgresql://db/hq") and address.store_address("./host=a") == Path("host=a")


# ---------------------------------------------------------------------------- PostgreSQL URLs


def test_the_scheme_is_read_in_any_case_and_given_to_the_driver_in_lower_case(pg_server, capsys):
    url = pg_server.create_database()
    upper = "POSTGRESQL" + url[len("postgresql") :]
    assert address.store_address(upper) == url
    assert address.store_address("  Postgres://hq@db/x ") == "postgres://hq@db/x"
    with Store(upper) as store:
        assert store.kind == "postgresql" and store.path == url
    assert main(["collect", str(ANSWERS), "--store", upper]) == 0
    assert f"(store {url})" in capsys.readouterr().out
    assert main(["list", "--store", upper]) == 0
    assert "goci" in capsys.readouterr().out


def test_an_address_is_shown_as_given_with_only_its_password_hidden():
    shown = address.shown
    assert shown("postgresql:///hq") == "postgresql:///hq"
    assert shown("postgresql://") == "postgresql://"
    assert shown("postgresql://hq@db.example:5432/assess?sslmode=require") == (
        "postgresql://hq@db.example:5432/assess?sslmode=require"
    )
    assert shown("postgresql://[::1]:5432/hq") == "postgresql://[::1]:5432/hq"
    assert shown("postgresql://hq:pw@h1:5432,h2:5433/hq") == "postgresql://hq:***@h1:5432,h2:5433/hq"
    for secret in ("pa/ss", "pa?ss", "p@ss", "p%40ss"):  # unescaped / ? @ would cut a URL parser's reading short
        assert shown(f"postgresql://hq:{secret}@db/hq") == "postgresql://hq:***@db/hq", secret
        assert address.scrub(f"failed for {secret}", f"postgresql://hq:{secret}@db/hq") == "failed for ***"
    assert shown("postgresql://db/hq?user=hq@server&Password=pw") == "postgresql://db/hq?user=hq@server&Password=***"
    assert shown("postgresql:/hq:pw@db/hq") == "postgresql:/hq:***@db/hq"


def test_simple_settings_are_told_as_the_url_they_mean():
    for given, meant in (
        ("host=::1 dbname=hq user=hqdesk", "postgresql://hqdesk@[::1]/hq"),
        (
            "host=/var/run/postgresql dbname=hq sslmode=require",
            "postgresql:///hq?sslmode=require&host=/var/run/postgresql",
        ),
        (f"host=db port=5432 dbname=h%q user=a@b password={PASSWORD}", "postgresql://a%40b@db:5432/h%25q"),
    ):
        with pytest.raises(StoreError) as caught:
            address.store_address(given)
        assert f"which assess does not take: {meant}, the password (if any)" in str(caught.value)
