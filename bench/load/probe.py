"""``python -m bench.load.probe DB FILE``: the database's products and digest, an import
of FILE through the CLI, then the products and digest again, as one JSON line.  Run
inside a private mount namespace (a full or read-only disk) by ``faults.py``."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from bench.load.data import count, finish_import, start_import

IMPORT_TIMEOUT_S = 120


def main(argv: list[str]) -> int:
    target, file = argv[0], Path(argv[1])
    before = count(target)
    done = finish_import(start_import(target, file), IMPORT_TIMEOUT_S)
    after = count(target)
    print(
        json.dumps(
            {
                "before": dataclasses.asdict(before),
                "code": done.code,
                "output": done.output,
                "after": dataclasses.asdict(after),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
