"""Provides the command line's own sentences about what a command did, in the interface's language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import N_, domain

if TYPE_CHECKING:
    from .model import Answers, Framework, Result
    from .outputs import Output
    from .signing import SigningKey

_, ngettext, pgettext = domain("cli")


def valid(name: str, fw: Framework, warnings: int) -> str:
    """validate's line for a framework that passed: its id, version and what it holds, and its warnings (each count
    in the plural form the interface's language gives it; English keeps its '1 sections')."""
    s, q, d, r = len(fw.all_sections), len(fw.questions), len(fw.derived), len(fw.rules)
    counts = {
        "sections": ngettext("{n} sections", "{n} sections", s).format(n=s),
        "questions": ngettext("{n} questions", "{n} questions", q).format(n=q),
        "derived": ngettext("{n} derived scores", "{n} derived scores", d).format(n=d),
        "rules": ngettext("{n} rules", "{n} rules", r).format(n=r),
    }
    line = _("{name}: valid — {fid} {version}, {sections}, {questions}, {derived}, {rules}")
    line = line.format(name=name, fid=fw.id, version=fw.version, **counts)
    return line + (
        ngettext(", {count} warning(s)", ", {count} warning(s)", warnings).format(count=warnings) if warnings else ""
    )


def failed(count: int, total: int) -> str:
    """validate's last line when some files have problems."""
    line = ngettext("{failed} of {total} file(s) have problems", "{failed} of {total} file(s) have problems", count)
    return line.format(failed=count, total=total)


def report_written(
    result: Result,
    report: Output,
    pdf: Output | None,
    actions: Output | None,
    needs: Output | None,
    key: SigningKey | None = None,
) -> list[str]:
    """What assess report says it wrote: the PDF, the plan of action, the collection plan, then the report, and
    who signed it (with key: its mission and fingerprint)."""
    n = len(result.recommendations)
    lines = []
    if pdf is not None:
        lines.append(
            _("wrote {path}: the report as PDF (collect the .docx: it carries the data)").format(path=pdf.path)
        )
    if actions and not actions.to_stdout:
        from .plan import plan

        items = len(plan(result))
        line = ngettext(
            "wrote {path}: a plan of {items} action(s), from {n} recommended",
            "wrote {path}: a plan of {items} action(s), from {n} recommended",
            items,
        )
        lines.append(line.format(path=actions.path, items=items, n=n))
    if needs and not needs.to_stdout:
        count = len(result.requirements)
        line = ngettext(
            "wrote {path}: a collection plan of {count} intelligence requirement(s)",
            "wrote {path}: a collection plan of {count} intelligence requirement(s)",
            count,
        )
        lines.append(line.format(path=needs.path, count=count))
    state = _("complete") if result.complete else _("DRAFT — incomplete")
    fw = result.framework
    line = ngettext(
        "wrote {path}: {title} {version}, {state}, {n} recommended action(s)",
        "wrote {path}: {title} {version}, {state}, {n} recommended action(s)",
        n,
    )
    lines.append(line.format(path=report.path, title=fw.title, version=fw.version, state=state, n=n))
    if key is not None:
        signer = key.public
        said = _("signed by {mission} with key {fingerprint}")
        lines.append(said.format(mission=signer.mission, fingerprint=signer.fingerprint))
    return lines


def created(
    out: Path, fw: Framework, answers: Answers, period: str | None = None, last: str | None = None
) -> list[str]:
    """What assess new says it created: the file, its framework and assessment id; with --from, the period after
    the last one and what was carried forward to review."""
    if last is None:
        line = _("created {path}: {title} {version}, {questions} questions (assessment {id})")
        return [line.format(path=out, title=fw.title, version=fw.version, questions=len(fw.questions), id=answers.id)]
    from .carry import count_carried

    line = _("created {path}: {title} {version}, {period} after {last} (assessment {id})")
    n, follow = count_carried(answers), len(answers.follow_up)
    answers_said = ngettext(
        "{carried} answer(s) carried forward to review", "{carried} answer(s) carried forward to review", n
    ).format(carried=n)
    actions_said = ngettext("{follow} action(s) to follow up", "{follow} action(s) to follow up", follow)
    carried = _("{answers}, {actions}").format(answers=answers_said, actions=actions_said.format(follow=follow))
    return [line.format(path=out, title=fw.title, version=fw.version, period=period, last=last, id=answers.id), carried]


def framework_languages(path: Path) -> tuple[str, ...]:
    """The languages a framework file declares (its top-level 'languages:', flow or block list; English when it
    declares none), read from its lines without loading it, as 'assess frameworks' lists them."""
    import re

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ()
    for i, line in enumerate(lines):
        m = re.match(r"languages:\s*(.*?)\s*(?:#.*)?$", line)
        if not m:
            continue
        if m[1].startswith("["):
            return tuple(x.strip().strip("'\"") for x in m[1].strip("[]").split(",") if x.strip())
        found = []
        for item in lines[i + 1 :]:
            if not (hit := re.match(r"\s*-\s*['\"]?([\w-]+)", item)):
                break
            found.append(hit[1])
        return tuple(found)
    return ("en",)


def framework_line(fid: str, path: Path) -> str:
    """One line of 'assess frameworks': the framework's id, its languages (fr, en: the first is the one its texts
    are written in) and its file."""
    langs = ", ".join(framework_languages(path))
    return f"{fid:<24} {langs:<8} {path}"


FACT_HELP = {
    "title": N_("the assessment's title"),
    "mission": N_("the mission, e.g. its name and acronym"),
    "area": N_("the area assessed"),
    "period": N_("the period assessed, e.g. 2026-H2"),
    "analyst": N_("who assesses: the analyst or the team"),
}
"""assess new's metadata options, with their help."""

ARGPARSE = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
)
"""argparse's own words that assess's help and usage errors show, translated in the cli catalogue (their
%-placeholders are argparse's and stay as they are)."""


def speak_argparse() -> None:
    """Make argparse's own words (usage:, options, -h's help, its usage errors) come from the cli catalogue, in the
    interface's language when they are shown; English passes through unchanged."""
    import argparse

    argparse._ = _  # type: ignore[attr-defined]  # argparse looks its gettext up in its module at each call
