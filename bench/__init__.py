"""Benchmark of the map pages at two data scales, against a naive baseline.

Run ``python -m bench`` (``--quick`` for Hubei only, ``--app-dir`` for another checkout's
app).  Not part of the test suite: the numbers depend on the machine, so they are printed
and written to ``var/bench/``.
"""
