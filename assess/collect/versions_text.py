"""Provides headquarters across versions in words, in the comparison's language: the note of what a comparison of
several versions of one framework compared, and the summary's variables of the questions a migration maps."""

from __future__ import annotations

from ..i18n import domain
from ..model.migration import version_key
from .comparison import Comparison
from .versions import SHOWN, Across

_, ngettext, _pgettext = domain("hq")


def note(
    title: str,
    fid: str,
    versions: list[str],
    common: int,
    options_compared: bool,
    changed: list[str],
    not_compared: list[str],
    x: Across,
    added: dict[str, str] | None = None,
) -> str:
    """What a comparison of several versions of one framework compared, in words."""
    what = (
        _("questions and their options compared")
        if options_compared
        else _("question ids only: their options could not be compared, as a version's framework file is not at hand")
    )
    fields = {"title": title, "fid": fid, "versions": ", ".join(versions), "common": common, "what": what}
    if not x.target:
        text = _(
            "{title} ({fid}): assessments on versions {versions} are compared only on the {common} questions that "
            "did not change between them ({what})."
        ).format(**fields)
    else:
        more = _(" and {count} more").format(count=len(x.declared) - SHOWN) if len(x.declared) > SHOWN else ""
        text = _(
            "{title} ({fid}): assessments on versions {versions} are compared on the {common} questions that did "
            "not change between them ({what}) and, by the migrations version {target} declares, on {count} more "
            "their answers map to: {mapped}. Older answers are migrated to version {target} question by question; "
            "scores stay as each report's own version computed them, and compare across versions where no change "
            "between them (assess diff) alters how they are computed."
        ).format(**fields, target=x.target, count=len(x.declared), mapped=", ".join(x.declared[:SHOWN]) + more)
        if x.kept:
            text += " " + ngettext(
                "{count} answer(s) of the latest assessments could not move and were kept aside.",
                "{count} answer(s) of the latest assessments could not move and were kept aside.",
                x.kept,
            ).format(count=x.kept)
    if x.unmapped:
        text += " " + _("Could not be mapped (answers kept aside, not compared): {questions}.").format(
            questions=_some(x.unmapped)
        )
    fresh = {q: v for q, v in (added or {}).items() if q not in x.unmapped_ids and q in changed}
    changed = [q for q in changed if q not in x.unmapped_ids and q not in fresh]
    for v in sorted(set(fresh.values()), key=version_key):
        qs = sorted(q for q in fresh if fresh[q] == v)
        said = (
            _("Added in version {version}, so not compared: {questions}.")
            if v == x.newest
            else _("Added in version {version}, compared from that version on: {questions}.")
        )
        text += " " + said.format(version=v, questions=_some(qs))
    if changed:
        text += " " + _("Changed: {questions}.").format(questions=_some(changed))
    if x.unlinked:
        text += " " + _(
            "No migration is declared from version {old} to {new}, so its questions that changed are not compared."
        ).format(old=", ".join(x.unlinked), new=x.newest)
    if x.missing:
        text += " " + _(
            "The framework file of version {version} is not at hand, so its declared migrations (if any) could not "
            "be read."
        ).format(version=x.missing)
    if not_compared:
        text += " " + _("Scores not compared across versions, as what they depend on changed: {scores}.").format(
            scores=", ".join(not_compared)
        )
    return text


def _some(items: list[str]) -> str:
    return ", ".join(items[:SHOWN]) + (" …" if len(items) > SHOWN else "")


def context(c: Comparison, per_table: int = 5) -> dict:
    """The summary template's variables of the questions compared across versions: per framework whose older
    answers were migrated, the mapped questions with each mission's answer, in tables of per_table missions."""
    out = []
    for v in c.frameworks:
        if not v.mapped:
            continue
        rows = [{"question": f"{m.title} ({m.id})", "how": m.how, "cells": m.cells} for m in v.mapped]
        tables = [
            {
                "columns": v.mapped_labels[i : i + per_table],
                "rows": [dict(r, cells=r["cells"][i : i + per_table]) for r in rows],
            }
            for i in range(0, len(v.mapped_labels), per_table)
        ]
        out.append({"title": v.title, "target": v.target, "tables": tables})
    note = (
        _(
            "Where missions answered different versions of a framework, the older answers are migrated to the "
            "newest version by the migrations it declares, so questions renamed, remapped, split or merged are "
            "compared too. Each question below maps by such a declaration; the answers are shown as the newest "
            "version reads them. Scores stay as each report's own version computed them."
        )
        if out
        else ""
    )
    return {"versions_note": note, "versions": out}
