"""Tests the package as pip installs it from a wheel: the bundled frameworks, schemas and templates travel with it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from docx import Document

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built from this checkout (by its build backend, through uv), unpacked as pip installs it."""
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy, so that nothing but the checkout's committed kind of files can reach the wheel
    src = out / "src"
    shutil.copytree(
        ROOT,
        src,
        symlinks=True,
        ignore=shutil.ignore_patterns(".*", "build", "dist", "__pycache__", "tests", "bench"),
    )
    r = subprocess.run(
        [sys.executable, "-m", "uv", "build", "--wheel", "--quiet", "--python", sys.executable, "--out-dir", str(out)],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    (wheel,) = out.glob("assess-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    return site


def assess(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`assess ARGS` from the unpacked wheel, with this environment's libraries but not this checkout: -S
    leaves out the editable install's import hook, and the libraries' folder is added by hand."""
    code = (
        "import sys; sys.path[:0] = [sys.argv.pop(1), sys.argv.pop(1)]; import assess.cli; "
        "assert not assess.cli.__file__.startswith(sys.argv.pop(1)), assess.cli.__file__; "
        "sys.exit(assess.cli.main(sys.argv[1:]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-S", "-c", code, str(site), sysconfig.get_paths()["purelib"], str(ROOT), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_an_installed_wheel_carries_the_frameworks_and_templates(installed, tmp_path):
    bundled = installed / "assess" / "_bundled"
    assert sorted(p.name for p in (bundled / "frameworks").glob("*.yaml")) == sorted(
        p.name for p in (ROOT / "frameworks").glob("*.yaml")
    )
    assert not (bundled / "frameworks").is_symlink()  # the files themselves, not links to a checkout
    r = assess(installed, "frameworks", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"goci-profile             en       {bundled / 'frameworks' / 'goci-profile.yaml'}" in r.stdout
    r = assess(installed, "validate", *map(str, sorted((bundled / "frameworks").glob("*.yaml"))), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    r = assess(installed, "new", "oc-threat", "-o", "kessaria.yaml", "--no-open", "--title", "Kessaria", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    example = bundled / "frameworks" / "examples" / "mission-risk.answers.yaml"
    r = assess(installed, "report", str(example), "-o", "risk.docx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = "\n".join(p.text for p in Document(str(tmp_path / "risk.docx")).paragraphs)
    assert "Mission risk" in text
    # the compiled catalogues travel with it: the report of the French example is in French
    example = bundled / "frameworks" / "examples" / "fr" / "mission-risk.answers.yaml"
    r = assess(installed, "report", str(example), "-o", "risque.docx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = "\n".join(p.text for p in Document(str(tmp_path / "risque.docx")).paragraphs)
    assert "Résumé analytique" in text and "Gestion des risques de la mission" in text
