"""The load-and-fault script of issue 22: ``python -m bench.load`` (bench/load/run.py)."""
