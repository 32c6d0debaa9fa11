"""The roll-up's fast paths give exactly what the plain code gave (issue 19.4).

``Report.fingerprint`` ties a signed paper to its file: its text must not change by a byte for any
report. ``Report.numeric_view`` feeds every rule. Both are compared here against the code they
replaced, kept below as it was (main before the fast paths), over the sample files, the real
corpus and random reports (None, raw text, bools, negative and huge numbers, fees with 6 and 7
places, NaN, text with quotes, ``%`` and control characters).
"""

from __future__ import annotations

import copy
import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govreport_gui.readers.formats import open_report
from govreport_gui.report import native
from govreport_gui.report.document import MAX_COUNT, SECTION_IDS, Report, new_report
from govreport_gui.report.schema import load_schema

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA = load_schema("2021")
KEYS = sorted(SCHEMA.cells)
FEE_KEYS = [k for k in KEYS if SCHEMA.cells[k].kind == "fee"]


# --- the implementations before the fast paths, verbatim ---------------------------------------
def old_fingerprint(self: Report) -> str:
    data = {
        "meta": {
            "agency": self.meta.agency.strip(),
            "year": self.meta.year,
            "date": self.meta.date,
            "level": self.meta.level,
            "title": self.meta.effective_title(),
        },
        # a plain count prints as str(); display() for the rest (fees, huge or raw values)
        "cells": {k: "0" if (v := self.cells.get(k)) is None else str(v) if type(v) is int and 0 <= v <= MAX_COUNT
                  else self.display(k) for k in self.schema.cells},
        "sections": {s: [p.strip() for p in self.paragraphs(s)] for s in SECTION_IDS},
    }
    import hashlib

    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12].upper()
    return f"{digest[:4]}-{digest[4:8]}-{digest[8:]}"


def old_numeric_view(self: Report) -> tuple[dict, set]:
    values: dict = dict.fromkeys(self.schema.cells, 0)
    invalid: set[str] = set()
    for key, v in self.cells.items():
        if v is None or key not in values:
            continue
        if (type(v) is int and 0 <= v <= MAX_COUNT) or self.is_valid(key):
            values[key] = v
        else:
            invalid.add(key)
    return values, invalid


def outcome(fn, report: Report) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    """What ``fn(report)`` gives, or the type of what it raises (both ways must agree)."""
    try:
        return "ok", fn(report)
    except Exception as e:  # noqa: BLE001 — compared, not hidden
        return "raises", type(e)


def same_view(report: Report) -> None:
    new, old = report.numeric_view(), old_numeric_view(report)
    assert new == old
    # == takes 1 == Decimal(1) == True: the values must be the very same objects' types too
    assert [(k, type(v)) for k, v in new[0].items()] == [(k, type(v)) for k, v in old[0].items()]


def same_fingerprint(report: Report) -> None:
    assert outcome(Report.fingerprint, report) == outcome(old_fingerprint, report)


# --- files ----------------------------------------------------------------------------------------
def _files() -> list[Path]:
    real = sorted(p for p in (DATA / "real").iterdir() if p.suffix in (".docx", ".htm", ".html"))
    return [*sorted(DATA.glob("*.govreport")), *sorted(DATA.glob("sample-*.docx")), *real]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_files_fingerprint_and_values_as_before(path):
    report = open_report(path)
    for r in (report, report.last) if report.last is not None else (report,):
        same_fingerprint(r)
        same_view(r)


def test_a_signed_fingerprint_is_unchanged():
    # the sample's fingerprint as main printed it on its sign-off sheet before the fast paths
    report = native.load(DATA / "sample-2025.govreport")
    assert report.fingerprint() == old_fingerprint(report)
    report.cells.clear()
    assert report.fingerprint() == old_fingerprint(report)


# --- random reports -------------------------------------------------------------------------------
_text = st.text(alphabet=st.sampled_from(list('0123456789.,-+ 件万元%s"\\\n\t\x00\x0b\ufeff一二局')), max_size=12)
_values = st.one_of(
    st.none(),
    st.integers(0, MAX_COUNT),
    st.integers(0, MAX_COUNT),  # plain counts are the common case: drawn twice as often
    st.sampled_from([0, MAX_COUNT, MAX_COUNT + 1, -1, -0, 10**18, 10**19, 10**40, -(10**30)]),
    st.integers(-10, 10**12),
    st.booleans(),
    st.decimals(min_value=0, max_value=MAX_COUNT, places=6, allow_nan=False),
    st.decimals(min_value=-5, max_value=10**10, places=7, allow_nan=False),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-0"), Decimal("1E+3"), Decimal("0.000001"),
                     Decimal("1e-7"), Decimal("12.850000"), Decimal("96171.6")]),
    _text,
)


@st.composite
def reports(draw) -> Report:  # type: ignore[no-untyped-def]
    r = new_report(year=draw(st.sampled_from([None, 2025, 2000])), agency=draw(_text),
                   with_headings=draw(st.booleans()))
    if draw(st.booleans()):  # most cells plain (a real report), a few drawn from everything
        r.cells = {k: draw(st.integers(0, 5000)) for k in KEYS}
        for k in draw(st.lists(st.sampled_from(KEYS), max_size=6)):
            r.cells[k] = draw(_values)
    else:
        r.cells = draw(st.dictionaries(st.sampled_from(KEYS), _values, max_size=40))
    for k in FEE_KEYS:
        if draw(st.booleans()):
            r.cells[k] = draw(_values)
    if draw(st.booleans()):
        r.cells["t9.unknown.cell"] = draw(_values)  # a key the format does not know
    r.meta.title = draw(_text)
    r.meta.date = draw(st.sampled_from([None, "2026-01-10", "x\"%s"]))
    r.meta.level = draw(st.sampled_from(["department", "government"]))
    for sid in SECTION_IDS:
        r.sections[sid] += draw(st.lists(st.one_of(_text, st.just("共{{fig:new}}件，{{yoy:new}}")), max_size=3))
    return r


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_fingerprint_and_values_as_before(report):
    same_fingerprint(report)
    same_view(report)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_after_a_save_and_load(report):
    """What a file gives (coerced, bounded) hashes and counts as before too."""
    try:
        loaded = native.loads(native.dumps(copy.deepcopy(report)))
    except native.FileFormatError:  # a 40-digit number: refused by the reader, as it should be
        assume(False)
    same_fingerprint(loaded)
    same_view(loaded)


# --- reading a file: the plain-count paths of loads, from_dict and enforce_bounds ------------------
_json_numbers = st.one_of(
    st.integers(0, 5000), st.integers(-(10**31), 10**31), st.sampled_from([10**29, -(10**29), 10**30, -(10**30)]),
    st.decimals(min_value=-10, max_value=10**12, places=7, allow_nan=False), st.booleans(), st.none(), _text)


@st.composite
def files(draw) -> str:  # type: ignore[no-untyped-def]
    cells = {k: draw(st.integers(0, 5000)) for k in draw(st.lists(st.sampled_from(KEYS), max_size=200))}
    for k in draw(st.lists(st.sampled_from([*KEYS, "t9.unknown", "t2.admin_fee.amount_wan"]), max_size=5)):
        cells[k] = draw(_json_numbers)
    text = draw(st.sampled_from(["", "共1234567890123456789012345678901件", "编号123"]))
    data = {"format": "govreport", "version": 1, "meta": {"agency": "某局", "year": 2025}, "cells": cells,
            "sections": {"s1": [text]}}
    return json.dumps(data, ensure_ascii=False, default=str)


class _EachKeyItself(dict):
    def __missing__(self, key: str) -> str:
        return key  # the file's own key string, as before the schema's were shared


class _NoPlainCounts:
    count_keys: frozenset = frozenset()
    key_of = _EachKeyItself()


def _slow_loads(text: str, monkeypatch) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    from govreport_gui.report import document

    with monkeypatch.context() as m:  # every fast path off: the code as it was
        m.setattr(native, "_long_digits", lambda text: True)
        m.setattr(native, "schema_facts", lambda schema: _NoPlainCounts())
        m.setattr(document, "_plain_values", lambda cells, facts: False)
        return outcome(lambda t: _report_state(native.loads(t)), text)  # type: ignore[arg-type]


def _report_state(r: Report) -> tuple:
    return ([(k, type(v), v) for k, v in r.cells.items()], r.unknown_cells, r.import_notes, r.fingerprint(),
            r.numeric_view())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(files())
def test_files_read_as_before(monkeypatch, text):
    assert outcome(lambda t: _report_state(native.loads(t)), text) == _slow_loads(text, monkeypatch)  # type: ignore[arg-type]


def test_reports_read_from_files_share_the_schemas_cell_keys(tmp_path):
    """One copy of the 200 keys for a roll-up of 10,000 reports (json makes new strings for every
    file), so a chunk of units pickled between processes names each key once."""
    from multiprocessing.reduction import ForkingPickler

    from govreport_gui.readers import rollup_sources

    text = (DATA / "sample-2025.govreport").read_text(encoding="utf-8")
    a, b = native.loads(text), native.loads(text)
    assert a.cells == b.cells and all(x is y for x, y in zip(a.cells, b.cells))
    for i in range(8):
        (tmp_path / f"{i}.govreport").write_text(text, encoding="utf-8")
    units, _, _ = rollup_sources._load_chunk([str(p) for p in sorted(tmp_path.iterdir())])
    rollup_sources._register_reducer()
    assert len(ForkingPickler.dumps(units)) < 8 * 4000  # was ~9,800 bytes a unit


def test_a_long_number_is_still_refused():
    head = '{"format":"govreport","version":1,"meta":{},"cells":{"t3.new.total":'
    for number in ("-" + "9" * 30, "1" * 31):
        with pytest.raises(native.FileFormatError, match="位数过多"):
            native.loads(head + number + "}}")
    assert native.loads(head + "-" + "9" * 29 + "}}").cells["t3.new.total"] == "-1.000000e+29"  # kept as text: value.count names it


# --- sums ------------------------------------------------------------------------------------------
def old_add(self, name: str, report: Report, sign: int = 1) -> None:  # type: ignore[no-untyped-def]
    values, invalid = report.numeric_view()
    sums, entered = self.values, self.entered
    for key, raw in report.cells.items():
        if raw is None or key not in values or key in invalid:
            continue
        v = values[key]
        sums[key] = sums.get(key, 0) + v if sign > 0 else sums.get(key, 0) - v
        entered[key] = entered.get(key, 0) + sign
    if invalid:
        if sign > 0:
            schema = report.schema
            self.notes[name] = [f"“{name}”的{schema.cells[k].name}“{report.raw(k)}”无法识别，未计入"
                                for k in schema.cells if k in invalid]
        else:
            self.notes.pop(name, None)
    self.count += sign


def _sums_state(s) -> tuple:  # type: ignore[no-untyped-def]
    # the order the cells were first added in is no part of the sums
    return (sorted((k, str(type(v)), v) for k, v in s.values.items()), sorted(s.entered.items()), s.notes, s.count)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(reports(), min_size=1, max_size=4), st.data())
def test_sums_as_before(units, data):
    from govreport_gui.report.aggregate import CellSums

    new, old = CellSums(), CellSums()
    new.FLUSH = data.draw(st.sampled_from([1, 2, 1024]))  # rows added up at once, every other one, or later
    for i, r in enumerate(units):
        new.add(f"u{i}", r)
        old_add(old, f"u{i}", r)
    for i in data.draw(st.lists(st.integers(0, len(units) - 1), max_size=2, unique=True)):
        new.remove(f"u{i}", units[i])
        old_add(old, f"u{i}", units[i], -1)
    assert _sums_state(new) == _sums_state(old)
    assert new.cells() == old.cells()
    merged = CellSums()
    merged.merge(pickle.loads(pickle.dumps(new)))  # as the reading processes send their sums
    assert _sums_state(merged) == _sums_state(old)


def test_reading_units_leaves_the_collector_as_it_was(tmp_path, monkeypatch):
    """load_units sets what it has read aside from the collector's full passes while it reads,
    and gives it back: nothing stays frozen, with one process or several."""
    import gc

    from govreport_gui.readers import rollup_sources

    monkeypatch.setattr(rollup_sources, "FREEZE_EVERY", 2)
    sample = (DATA / "sample-2025.govreport").read_text(encoding="utf-8")
    for i in range(70):
        (tmp_path / f"{i:02d}.govreport").write_text(sample.replace("示例区", f"单位{i}"), encoding="utf-8")
    frozen: list[int] = []
    real_freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (real_freeze(), frozen.append(gc.get_freeze_count())))
    for workers in (1, 2):
        units = rollup_sources.load_units([tmp_path], workers=workers)
        assert len(units) == 70 and units.sums.count == 70
        assert gc.get_freeze_count() == 0
    assert frozen and max(frozen) > 0  # it did set objects aside
