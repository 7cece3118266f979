"""The app as snapshot tests build it: from the answers file named in ASSESS_SNAPSHOT_ANSWERS, or the start screen
listing the fixture frameworks only (the bundled ones change with releases; snapshots must not)."""

import os
from pathlib import Path

from textual.widgets import Input, TextArea

from assess.tui import app as app_module
from assess.tui.app import AssessApp, framework_choices

FIXTURES = Path(__file__).parent / "fixtures"


class SnapshotApp(AssessApp):
    """The planner's app with the start screen listing tests/fixtures/*.yaml instead of the bundled frameworks."""

    CSS_PATH = Path(app_module.__file__).parent / AssessApp.CSS_PATH  # Textual reads it beside the class's module

    def framework_list(self) -> list[tuple[str, Path]]:
        return framework_choices(sorted(p for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".answers.yaml")))


def _steady(_widget: object) -> None:
    """The blink's half-second tick, made a no-op: a focused cursor stays drawn, as every snapshot shows it."""


# A snapshot taken more than half a second after the last key (a loaded CI machine) caught the cursor blinked off
# and failed (test_snapshot_details_dialog, once in CI): the cursor a snapshot draws must not depend on the clock.
Input._toggle_cursor = _steady  # type: ignore[method-assign]
TextArea._toggle_cursor_blink_visible = _steady  # type: ignore[method-assign]

_path = os.environ.get("ASSESS_SNAPSHOT_ANSWERS")
app = SnapshotApp(Path(_path) if _path else None)

if __name__ == "__main__":
    app.run()
