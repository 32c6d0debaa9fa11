"""One Windows build per test session, shared by the installer, portable-folder and upgrade tests."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from govreport_gui import __version__

from .wine import missing_tools

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class WindowsBuild:
    setup: Path
    portable: Path


@pytest.fixture(scope="session")
def windows_build() -> WindowsBuild:
    if os.environ.get("GOVREPORT_SKIP_WINE") == "1":
        pytest.skip("GOVREPORT_SKIP_WINE=1")
    missing = missing_tools()
    assert not missing, f"missing tools {missing}: run bash scripts/setup.sh test"
    t0 = time.perf_counter()
    proc = subprocess.run(["bash", "installer/build.sh", "windows"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    build = WindowsBuild(ROOT / "dist" / f"GovReport-{__version__}-setup.exe",
                         ROOT / "dist" / f"GovReport-{__version__}-portable.zip")
    print(f"build: {time.perf_counter() - t0:.1f} s, setup.exe {build.setup.stat().st_size / 2**20:.1f} MB, "
          f"zip {build.portable.stat().st_size / 2**20:.1f} MB\n{proc.stdout}")
    for f in (build.setup, build.portable):
        digest = (f.parent / (f.name + ".sha256")).read_text().split()[0]
        assert digest == hashlib.sha256(f.read_bytes()).hexdigest()
    return build
