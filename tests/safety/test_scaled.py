"""The probe's method kept as a long fuzz mode (GOVREPORT_LONG_TESTS=1, issue 24 item 6): each
hostile structure — merged positions, spans, shared-string references, nesting, text size — is
grown 10× at a time until the reader refuses it, and time and memory must grow no faster than the
structure up to the refusal (a quadratic reader shows as a 100× step), each step within 2 s × load
and 256 MB. By default only the ladder's first two steps run (the probe's sizes are in
test_hostile.py)."""

from __future__ import annotations

import pytest

from tests.safety.bounded import LONG
from tests.safety.hostile_scaled import SCALED
from tests.safety.test_hostile import MEMORY_MB, SECONDS, open_each

MAX_STEPS = 8 if LONG else 2
FLOOR_SECONDS = 0.05  # below this a step's time is start-up noise, not growth
FLOOR_MB = 8.0
SLACK = 2.5  # the shared machine's load moves between two steps


@pytest.mark.parametrize("name", list(SCALED))
def test_work_grows_linearly_until_the_reader_refuses(tmp_path, name):
    case = SCALED[name]
    n, steps = case.start, []
    for step in range(MAX_STEPS):
        folder = tmp_path / str(step)
        folder.mkdir()
        path = case.build(folder, n)
        results = open_each({name: str(path)})
        r = results[name]
        steps.append((n, r))
        print(f"{name}: {n:,} {case.unit}: {r['seconds']:.3f} s, {r['rss_mb']:.0f} MB, {r['outcome'][:60]}")
        assert r["outcome"] == "ok" or r["outcome"].startswith("FileFormatError: “"), (n, r)
        assert r["seconds"] < SECONDS * results["load factor"], (n, r)
        assert r["rss_mb"] < MEMORY_MB, (n, r)
        path.unlink()
        if r["outcome"] != "ok":
            break
        n *= 10
    else:
        if LONG:
            pytest.fail(f"{name}: still read at {n // 10:,} {case.unit} — the reader has no limit")
    for (n1, a), (n2, b) in zip(steps, steps[1:]):
        growth = n2 / n1
        assert b["seconds"] <= growth * max(a["seconds"], FLOOR_SECONDS) * SLACK, (name, n1, a, n2, b)
        assert b["rss_mb"] <= growth * max(a["rss_mb"], FLOOR_MB) * SLACK, (name, n1, a, n2, b)
