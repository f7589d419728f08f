"""Run `python -m ges_mock`, the same as the `ges-mock` command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
