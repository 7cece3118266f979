"""Provides the report from the app: a dialog for the report's path and an optional plan of action, checked as
`assess report` checks its outputs, rendered in a worker thread, and a notice with the full path of each file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from ...errors import AssessError, Problem
from ...i18n import N_, domain
from ...model import Result
from ...outputs import Batch, Output, check, os_problem, refusal
from ...session import Session
from .dialogs import ConfirmDialog, ErrorDialog
from .wording import app_message

if TYPE_CHECKING:
    from ...signing import PublicKey, SigningKey

_, ngettext, pgettext = domain("app")


@dataclass(frozen=True)
class Request:
    """Where the planner asked for the report and the plan of action to go."""

    report: Path
    """The report's full path."""
    actions: Path | None
    """The plan of action's full path (.xlsx: a workbook, else CSV), or None for no plan."""

    def outputs(self) -> list[Output]:
        """The files to write, as `assess report -o REPORT --actions ACTIONS` names them."""
        out = [Output(str(self.report), "-o", _("the report"), "report")]
        if self.actions is not None:
            out.append(Output(str(self.actions), "--actions", _("the plan of action"), "actions"))
        return out


def default_report(session: Session) -> Path:
    """The report's default path: beside the answers file, named after it (NAME.docx), in full."""
    return Path(os.path.abspath(session.path)).with_suffix(".docx")


def full_path(session: Session, typed: str) -> Path:
    """A typed path in full: ~ expanded, and a relative one taken from the answers file's folder."""
    path = Path(typed.strip()).expanduser()
    return path if path.is_absolute() else Path(os.path.abspath(session.path)).parent / path


def report_target(session: Session, typed: str) -> tuple[Path | None, str | None]:
    """The report's full path for what is typed (.docx added to a name without one), or None and why not."""
    if not typed.strip():
        return None, _("Give the report a file name (.docx).")
    path = full_path(session, typed)
    if typed.rstrip().endswith(("/", os.sep)) or path.is_dir():
        return None, _("{path} is a folder: give the report a file name in it, e.g. {example}").format(
            path=path, example=path / "report.docx"
        )
    if not path.suffix:
        return path.with_name(path.name + ".docx"), None
    if path.suffix.lower() != ".docx":
        return None, _("A report is a .docx file: {name} ends {suffix}; name it {stem}.docx").format(
            name=path.name, suffix=path.suffix, stem=path.stem
        )
    return path, None


def actions_target(session: Session, typed: str) -> tuple[Path | None, str | None]:
    """The plan of action's full path for what is typed (None: no plan), or None and why not: it is a .csv file
    or an .xlsx workbook, and a name without either says which to choose."""
    if not typed.strip():
        return None, None
    path = full_path(session, typed)
    if typed.rstrip().endswith(("/", os.sep)) or path.is_dir():
        return None, _("{path} is a folder: give the plan of action a file name in it, e.g. {example}").format(
            path=path, example=path / "plan.csv"
        )
    if not path.suffix:
        return None, _("Say which: {name}.csv (a CSV file) or {name}.xlsx (a workbook)").format(name=path.name)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        return None, _("A plan of action is a .csv file, or .xlsx for a workbook: {name} ends {suffix}").format(
            name=path.name, suffix=path.suffix
        )
    return path, None


def inputs(session: Session) -> dict[str, str | Path | None]:
    """The files rendering reads, which no output may replace (as the command line checks them): the signing key
    ($ASSESS_SIGNING_KEY) too."""
    from ...report import DEFAULT_TEMPLATE, signing_key_path  # deferred: loaded only when a report is made

    return {
        _("the answers file"): session.path,
        _("the framework"): session.fw.path or None,
        _("the template"): DEFAULT_TEMPLATE,
        _("the signing key"): signing_key_path(),
    }


def refused(session: Session, request: Request) -> list[str]:
    """Why the outputs may not be written, as messages (none: they may): the command line's coded checks, and an
    existing file that is not an earlier output of the same kind (someone's own document, a plan being filled)."""
    outs = request.outputs()
    found = [check(o, inputs(session), outs[:i], force=True) for i, o in enumerate(outs)]
    messages = [app_message(p) for p in found if p is not None]
    for out, problem in zip(outs, found, strict=True):
        path = Path(out.path)
        if problem is None and path.is_file() and (reason := refusal(path, out.kind)):
            messages.append(
                _("{path} {reason}; it was left as it is: give another file name, or move it away").format(
                    path=path, reason=reason
                )
            )
    return messages


def render(session: Session, result: Result, request: Request, key: SigningKey | None = None) -> list[Problem]:
    """Write the report and the plan of action together, as `assess report` does (checked, then all or none),
    signed with key when one is given; return the warnings, or raise AssessError."""
    from ...report import Limits, render_report

    outs = request.outputs()
    with Batch(outs) as batch:
        batch.prepare(inputs(session))
        more = render_report(result, outs[0], None, False, str(session.path), Limits(), batch, key=key)
        if len(outs) > 1 and outs[1].path.lower().endswith(".xlsx"):
            from ...workbook import write_plan

            batch.fill(outs[1], lambda p: more.extend(write_plan(result, p, outs[1].path)))
        elif len(outs) > 1:
            from ...output import actions_csv

            batch.put(outs[1], actions_csv(result))
        batch.commit()
    return more


def _show(app: App, dialog: Callable[[], Screen]) -> None:
    """Push a dialog made here, on the app's own thread, as every widget must be (made in the render worker, the
    written dialog was at times pushed without its children: its Close button missing, the app stopped)."""
    app.push_screen(dialog())


def ask(screen: Screen, session: Session) -> None:
    """Ask where to write a session's report (over screen), then render it in a worker thread and show what was
    written, or why not. With $ASSESS_SIGNING_KEY, the report is signed with that key, its passphrase asked in a
    dialog when the key has one and $ASSESS_KEY_PASSPHRASE is not set."""
    from ...report import signing_key_path

    result = session.result  # the answers as they are now, whatever is changed while it renders
    app = screen.app
    key_path = signing_key_path()

    def failed(exc: AssessError) -> None:
        message = "\n".join(map(app_message, exc.problems))
        title = _("The report was not written")
        app.call_from_thread(_show, app, lambda: ErrorDialog(title, message))

    def work(request: Request, passphrase: bytes | None) -> None:
        try:
            key, warnings = None, list[Problem]()
            if key_path:
                from ...keyfiles import read_signing_key

                key = read_signing_key(key_path, passphrase, warnings)  # a wrong passphrase: nothing written
            try:
                warnings += render(session, result, request, key)
            except OSError as exc:  # one the batch does not word itself
                raise AssessError([os_problem(request.outputs()[0], exc)]) from None
        except AssessError as exc:
            failed(exc)
            return
        signer = key.public if key is not None else None
        app.call_from_thread(_show, app, lambda: WrittenDialog(request, warnings, signer))

    def start(request: Request, passphrase: bytes | None) -> None:
        app.notify(_("Rendering {path}…").format(path=request.report), markup=False)
        app.run_worker(lambda: work(request, passphrase), thread=True, group="report", description="render the report")

    def chosen(request: Request | None) -> None:
        if request is None:
            return
        if not key_path:
            start(request, None)
            return
        from ...keyfiles import env_passphrase, needs_passphrase

        try:
            asked = needs_passphrase(key_path) and env_passphrase() is None
        except AssessError as exc:  # not a key file: said as the command line says it
            app.push_screen(ErrorDialog(_("The report was not written"), "\n".join(map(app_message, exc.problems))))
            return
        if not asked:
            start(request, env_passphrase())
            return

        def typed(passphrase: str | None) -> None:
            if passphrase:
                start(request, passphrase.encode("utf-8"))
            else:
                app.notify(_("The report was not written: it is signed, and no passphrase was given"), markup=False)

        app.push_screen(PassphraseDialog(key_path), typed)

    app.push_screen(ReportDialog(session), chosen)


class PassphraseDialog(ModalScreen[str | None]):
    """Asks the passphrase of the signing key, hidden as it is typed; None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        """Lay out which key asks for it, the hidden field, and Sign and Cancel."""
        with Vertical(classes="dialog", id="passphrase-dialog"):
            yield Label(_("Passphrase of the signing key"), classes="dialog-title")
            said = _("The report is signed with {path} ($ASSESS_SIGNING_KEY), which a passphrase protects.")
            yield Static(Content(said.format(path=self.path)), id="passphrase-key")
            yield Input(password=True, id="passphrase")
            with Horizontal(classes="buttons"):
                yield Button(_("Sign and render"), id="sign", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        """Start in the field."""
        self.query_one("#passphrase", Input).focus()

    def submit(self) -> None:
        """Close with what is typed; nothing typed keeps the dialog open."""
        typed = self.query_one("#passphrase", Input).value
        if typed:
            self.dismiss(typed)

    def on_input_submitted(self) -> None:
        """Enter in the field signs and renders."""
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Sign and render, or cancel."""
        if event.button.id == "sign":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without rendering (escape)."""
        self.dismiss(None)


class ReportDialog(ModalScreen[Request | None]):
    """Asks for the report's path (default beside the answers file) and an optional plan of action; refuses what
    the command line refuses, and asks before replacing an earlier report."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        """Lay out the two paths, what they mean, and Render and Cancel."""
        with Vertical(classes="dialog", id="report-dialog"):
            yield Label(_("Render the report"), classes="dialog-title")
            yield Label(_("Report (.docx):"))
            yield Input(str(default_report(self.session)), id="report-path")
            yield Static(id="report-target", classes="target", markup=False)
            yield Label(_("Plan of action (optional): a .csv file, or .xlsx for a workbook:"))
            yield Input(id="actions-path", placeholder=_("leave empty for none"))
            yield Static(id="actions-target", classes="target", markup=False)
            yield Static(_("A name without a folder goes beside the answers file."), classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Render"), id="render", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        """Start in the report's path, its end ready for a change of name; say under each field where it goes."""
        self.query_one("#report-path", Input).focus()
        self.show_targets()

    @on(Input.Changed)
    def show_targets(self) -> None:
        """Say under each field, as it is typed, the full path it will write, or why it cannot be written."""
        for key, target in (("report", report_target), ("actions", actions_target)):
            path, problem = target(self.session, self.query_one(f"#{key}-path", Input).value)
            note = self.query_one(f"#{key}-target", Static)
            note.update(
                problem or (_("Will be written: {path}").format(path=path) if path else _("No plan of action."))
            )
            note.set_class(problem is not None, "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the report's path moves to the plan's; in the plan's, renders."""
        if event.input.id == "report-path":
            self.query_one("#actions-path", Input).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Render, or cancel."""
        if event.button.id == "render":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without rendering (escape)."""
        self.dismiss(None)

    def request(self) -> Request | None:
        """The paths typed, in full (.docx added to a report's name without it); None when a field says why not,
        the cursor put there."""
        report = report_target(self.session, self.query_one("#report-path", Input).value)[0]
        actions, wrong = actions_target(self.session, self.query_one("#actions-path", Input).value)
        self.show_targets()
        if report is None or wrong:
            self.query_one("#report-path" if report is None else "#actions-path", Input).focus()
            return None
        return Request(report, actions)

    def submit(self) -> None:
        """Check the paths as the command line would; ask before replacing an existing file; then close with them."""
        request = self.request()
        if request is None:
            return
        messages = refused(self.session, request)
        if messages:
            self.app.push_screen(ErrorDialog(_("The report was not written"), "\n".join(messages)))
            return
        there = [Path(o.path) for o in request.outputs() if Path(o.path).exists()]
        if not there:
            self.dismiss(request)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                self.dismiss(request)

        names = "\n".join(map(str, there))
        self.app.push_screen(ConfirmDialog(_("Replace what is there?") + f"\n{names}", _("Replace")), replace)


class WrittenDialog(ModalScreen[None]):
    """Says where each file went, in full, with its folder's path to select or copy."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="dialog.close")]

    def __init__(self, request: Request, warnings: list[Problem], signer: PublicKey | None = None):
        super().__init__()
        self.request, self.warnings, self.signer = request, warnings, signer

    @property
    def folder(self) -> str:
        """The report's folder, in full."""
        return str(self.request.report.parent)

    def compose(self) -> ComposeResult:
        """Lay out each file written, the folder's path (selectable), any warnings, and Copy and Close."""
        req = self.request
        lines = [_("Report: {path}").format(path=req.report)]
        if req.actions is not None:
            lines.append(_("Plan of action: {path}").format(path=req.actions))
        with Vertical(classes="dialog", id="written"):
            yield Label(_("Report written"), classes="dialog-title")
            yield Static("\n".join(lines), id="written-files", markup=False)
            if self.signer is not None:
                signed = _("Signed by {mission} · key {fingerprint}")
                yield Static(
                    Content(signed.format(mission=self.signer.mission, fingerprint=self.signer.fingerprint)),
                    id="written-signed",
                )
            yield Label(_("In the folder:"))
            yield Input(self.folder, id="folder")
            if self.warnings:
                yield Static(
                    Content(
                        ngettext("{n} warning:", "{n} warnings:", len(self.warnings)).format(n=len(self.warnings))
                        + "\n"
                        + "\n".join(map(str, self.warnings))
                    ),
                    id="written-warnings",
                )
            with Horizontal(classes="buttons"):
                yield Button(_("Copy folder path"), id="copy")
                yield Button(_("Close"), id="close", variant="primary")

    def on_mount(self) -> None:
        """Start on Close, so Enter closes the notice."""
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Copy the folder's path to the clipboard (where the terminal allows it), or close."""
        if event.button.id == "copy":
            self.app.copy_to_clipboard(self.folder)
            said = _("Copied {path} (where the terminal passes it to the clipboard)").format(path=self.folder)
            self.notify(said, markup=False)
        else:
            self.dismiss(None)

    def on_input_submitted(self) -> None:
        """Enter in the folder's path closes the notice."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the notice (escape)."""
        self.dismiss(None)
