"""The app as snapshot tests build it: from the answers file named in ASSESS_SNAPSHOT_ANSWERS, or the start screen."""

import os
from pathlib import Path

from assess.tui.app import AssessApp

_path = os.environ.get("ASSESS_SNAPSHOT_ANSWERS")
app = AssessApp(Path(_path) if _path else None)

if __name__ == "__main__":
    app.run()
