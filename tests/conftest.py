"""Shared fixtures. Qt runs offscreen; no test needs a display."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def sample():
    from govreport_gui.report import native

    return native.load(DATA / "sample-2025.govreport")


@pytest.fixture
def faulty():
    from govreport_gui.report import native

    return native.load(DATA / "sample-2025-faulty.govreport")


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    p = tmp_path / "sample-2025.govreport"
    shutil.copy(DATA / "sample-2025.govreport", p)
    return p
