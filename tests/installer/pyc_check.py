"""TEST-ONLY, run by an installed or unzipped Windows Python under wine: does every .py under the
payload's Lib have bytecode that this interpreter loads as it is? Prints one JSON line.

A .pyc must exist beside each source (``__pycache__/<name>.cpython-313.pyc``), carry this
interpreter's magic number, be unchecked-hash (valid whatever the files' timestamps) and hash the
source that is actually installed (an unchecked .pyc of an older source would run the old code).
"""

from __future__ import annotations

import _imp
import importlib.util
import json
import sys
from importlib._bootstrap_external import _RAW_MAGIC_NUMBER  # type: ignore[attr-defined]
from pathlib import Path

UNCHECKED_HASH = 0b01


def main() -> int:
    lib = Path(sys.argv[1])
    sources = sorted(lib.rglob("*.py"))
    missing, foreign, not_unchecked, stale = [], [], [], []
    for src in sources:
        pyc = Path(importlib.util.cache_from_source(str(src)))
        if not pyc.is_file():
            missing.append(str(src.relative_to(lib)))
            continue
        head = pyc.read_bytes()[:16]
        if head[:4] != importlib.util.MAGIC_NUMBER:
            foreign.append(str(src.relative_to(lib)))
        elif int.from_bytes(head[4:8], "little") != UNCHECKED_HASH:
            not_unchecked.append(str(src.relative_to(lib)))
        elif head[8:16] != _imp.source_hash(_RAW_MAGIC_NUMBER, src.read_bytes()):
            stale.append(str(src.relative_to(lib)))
    print(json.dumps({"sources": len(sources), "missing": missing[:20], "foreign_magic": foreign[:20],
                      "not_unchecked": not_unchecked[:20], "stale": stale[:20], "version": sys.version}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
