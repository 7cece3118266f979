"""Provides the files the headquarters tests collect: the example reports and their variants (the session fixture
made), reports made from another's payload without rendering (reports_like), answers files with another id,
mission and date (answers_like)."""

from __future__ import annotations

import copy
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from assess.answers import check, dumps, load_answers
from assess.loader import load_framework
from assess.scoring import score

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "frameworks" / "examples"
NAMES = sorted(p.name.split(".")[0] for p in EXAMPLES.glob("*.answers.yaml"))
"""The six bundled examples (not the Selvara case in their subfolder)."""


def scored(answers, fw=None):
    """The result of answers on their bundled framework (or fw); fails the test on answer errors."""
    fw = fw or load_framework(ROOT / "frameworks" / f"{answers.framework.id}.yaml")[0]
    errors = [p for p in check(fw, answers) if not p.is_warning]
    assert not errors, errors
    return score(fw, answers)


def variant(name: str, folder: Path, stem: str, values: dict | None = None, fw=None, **metadata):
    """An example's answers with metadata and some values changed: written as .yaml and rendered as .docx."""
    from assess.report import render_report

    answers, _ = load_answers(EXAMPLES / f"{name}.answers.yaml")
    answers.metadata.update(metadata)
    for qid, v in (values or {}).items():
        answers.answers[qid].value = v
    yaml_path = folder / f"{stem}.answers.yaml"
    yaml_path.write_text(dumps(answers), encoding="utf-8")
    docx_path = folder / f"{stem}.docx"
    render_report(scored(answers, fw), docx_path)
    return yaml_path, docx_path


@pytest.fixture(scope="session")
def made(tmp_path_factory):
    """The six example reports, two earlier periods and a later revision of goci-profile, and an oc-threat
    assessment on a changed framework version (oc-threat 2.1.0)."""
    from assess.report import render_report

    root = tmp_path_factory.mktemp("collect")
    inbox = root / "inbox"
    inbox.mkdir()
    for name in NAMES:
        answers, _ = load_answers(EXAMPLES / f"{name}.answers.yaml")
        render_report(scored(answers), inbox / f"{name}.docx")
    extra = root / "extra"
    extra.mkdir()
    periods = {
        "2025-H2": variant(
            "goci-profile",
            extra,
            "unimva-2025-H2",
            {"human_trafficking": 5, "human_smuggling": 5},
            period="2025-H2",
            updated="2025-12-10T09:00:00Z",
        ),
        "2026-H1": variant(
            "goci-profile",
            extra,
            "unimva-2026-H1",
            {"human_trafficking": Fraction(11, 2), "human_smuggling": 6},
            period="2026-H1",
            updated="2026-06-10T09:00:00Z",
        ),
    }
    revised = variant(
        "goci-profile", root, "unimva-2026-H2-revised", {"human_smuggling": 8}, updated="2026-10-20T10:00:00Z"
    )
    older = variant(
        "goci-profile", root, "unimva-2026-H2-older", {"human_smuggling": 6}, updated="2026-10-01T10:00:00Z"
    )
    # oc-threat 2.1.0 (a variant of the bundled version): a market's scale can no longer be answered unknown
    v11 = root / "v11"
    v11.mkdir()
    text = (ROOT / "frameworks" / "oc-threat.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version: .*$", "version: 2.1.0", text, count=1)
    text = re.sub(r"(  market_scale5:\n(?:    .*\n)+?)      - value: unknown\n(?:        .*\n)+", r"\1", text, count=1)
    assert "market is known to exist" not in text
    (v11 / "oc-threat-2.1.0.yaml").write_text(text, encoding="utf-8")
    fw11, _ = load_framework(v11 / "oc-threat-2.1.0.yaml")
    answers, _ = load_answers(EXAMPLES / "oc-threat.answers.yaml")
    answers.id = "7e57a11e-0000-4000-8000-000000000011"
    answers.framework.version, answers.framework.hash = "2.1.0", fw11.hash
    answers.framework.path = "oc-threat-2.1.0.yaml"
    answers.metadata.update(mission="UN Mission in Testland (UNMT)", updated="2026-11-01T10:00:00Z")
    (v11 / "unmt.answers.yaml").write_text(dumps(answers), encoding="utf-8")
    return {
        "root": root,
        "inbox": inbox,
        "extra": extra,
        "periods": periods,
        "revised": revised,
        "older": older,
        "v11": v11,
        "fw11": fw11,
    }


def assessment_id(i: int) -> str:
    """The id of the i-th assessment reports_like and answers_like make."""
    return f"00000000-0000-4000-8000-{i:012d}"


def mission(i: int) -> str:
    """The mission of the i-th assessment reports_like and answers_like make: one of seven."""
    return f"UN Mission {i % 7} (UNM{i % 7})"


def reports_like(report: Path, folder: Path, ids: range | list[int], updated: str = "", stem: str = "r") -> list[Path]:
    """Reports carrying report's payload as the assessments ids (assessment_id(i), mission(i)), updated at another
    time when given: folder/STEM{i:03d}.docx, made without rendering (the payload embedded again)."""
    from assess.report import read_payload
    from assess.report.payload import embed, strip

    payload = read_payload(report)
    bare = folder / f".bare-{stem}.docx"
    strip(report, bare)
    out = []
    for i in ids:
        p = copy.deepcopy(payload)
        p["answers"]["id"] = p["result"]["assessment"]["id"] = assessment_id(i)
        for meta in (p["answers"]["metadata"], p["result"]["assessment"]["metadata"]):
            meta["mission"] = mission(i)
            if updated:
                meta["updated"] = updated
        out.append(folder / f"{stem}{i:03d}.docx")
        shutil.copyfile(bare, out[-1])
        embed(out[-1], p)
    bare.unlink()
    return out


def answers_like(name: str, folder: Path, ids: range | list[int], updated: str = "", stem: str = "a") -> list[Path]:
    """The example name's answers as the assessments ids (assessment_id(i), mission(i)), updated at another time
    when given: folder/STEM{i:03d}.answers.yaml."""
    answers, _ = load_answers(EXAMPLES / f"{name}.answers.yaml")
    out = []
    for i in ids:
        answers.id = assessment_id(i)
        answers.metadata["mission"] = mission(i)
        if updated:
            answers.metadata["updated"] = updated
        out.append(folder / f"{stem}{i:03d}.answers.yaml")
        out[-1].write_text(dumps(answers), encoding="utf-8")
    return out
