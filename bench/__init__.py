"""Benchmark of the map pages at two data scales, against a naive baseline.

Run ``python -m bench`` (``--quick`` for Hubei only, ``--smoke`` for every part once on
a small sample, ``--app-dir`` for another checkout's app).  No number is asserted: they
depend on the machine, so they are printed and written to ``var/bench/``; only a part
that fails makes the run fail (exit 1).
"""
