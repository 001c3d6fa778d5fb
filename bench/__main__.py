"""``python -m bench``: see bench/run.py."""

from __future__ import annotations

import os
import sys

# Streamlit re-reads its config whenever AppTest starts a page; bare-mode warnings
# (no script run context) would drown the table, so the level is set where it reads it.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from bench.run import main

sys.exit(main())
