"""Provides `python -m assess`."""

import sys

from .cli import main

sys.exit(main())
