"""``python -m bench``: see bench/run.py."""

from __future__ import annotations

import logging
import os
import sys

# Streamlit re-reads its config whenever AppTest starts a page; bare-mode warnings
# (no script run context, caches used outside a run, even at import) would drown the
# table, so they are silenced before anything imports Streamlit.  Errors still show.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
logging.disable(logging.WARNING)

from bench.run import main  # noqa: E402 (after silencing the import-time warnings)

sys.exit(main())
