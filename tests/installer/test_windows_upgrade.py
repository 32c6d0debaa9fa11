"""Installing this setup.exe over the previous release's (installer/previous-release.txt), under wine.

The previous release is installed first and left with what a clerk has after a year of use: a report
in Documents, settings, a recovery file from a crash. This version's installer then runs over it.
The program must be the new one and everything of the clerk's must still be there and be used.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govreport_gui import __version__

from .conftest import WindowsBuild
from .previous_release import previous_installer, release
from .test_windows_installer import UNINST_KEY, govreport
from .wine import Prefix, Xvfb

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
RECOVERY_NAME = "autosave-4242-000000001.govreport"


@dataclass
class Upgraded:
    pfx: Prefix
    kept: dict[Path, bytes]  # the clerk's files and their bytes before the upgrade


@pytest.fixture(scope="module")
def upgraded(windows_build: WindowsBuild, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upgraded]:
    old = previous_installer("windows")
    display = Xvfb()
    pfx = Prefix(tmp_path_factory.mktemp("wine-upgrade"), display.display)
    try:
        pfx.boot("win10")
        assert pfx.run(str(old), "/S").returncode == 0
        pfx.wait()
        assert govreport(pfx, "--version").stdout.strip() == f"govreport {release()[0]}"
        report = pfx.user_dir / "Documents" / "本单位2025年报告.govreport"
        report.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / "sample-2025.govreport", report)
        settings = pfx.user_dir / "AppData/Roaming/GovReport/GovReport.ini"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text("[General]\nlast_folder=C:/报告/2025\n", encoding="utf-8")
        crashed = json.loads((DATA / "sample-2025.govreport").read_text(encoding="utf-8"))
        crashed["recovery"] = {"path": None, "saved_at": "2026-01-20T10:15:00"}
        recovery = pfx.user_dir / "AppData/Local/GovReport/GovReport/recovery" / RECOVERY_NAME
        recovery.parent.mkdir(parents=True, exist_ok=True)
        recovery.write_text(json.dumps(crashed, ensure_ascii=False), encoding="utf-8")
        kept = {p: p.read_bytes() for p in (report, settings, recovery)}
        proc = pfx.run(str(windows_build.setup), "/S")
        pfx.wait()
        assert proc.returncode == 0, proc.stderr[-2000:]
        yield Upgraded(pfx, kept)
    finally:
        pfx.kill()
        display.close()


def test_the_new_version_runs(upgraded: Upgraded) -> None:
    assert govreport(upgraded.pfx, "--version").stdout.strip() == f"govreport {__version__}"
    assert (upgraded.pfx.install_dir / "GovReport.exe").is_file()  # new in this version
    entry = upgraded.pfx.reg_query(UNINST_KEY)
    assert __version__ in entry and release()[0] not in entry.replace(__version__, "")
    command = upgraded.pfx.reg_query(r"HKCU\Software\Classes\GovReport.Report\shell\open\command")
    assert r'\GovReport\GovReport.exe" "%1"' in command, command  # the association follows the new program
    assert "GovReport.Report" in upgraded.pfx.reg_query(r"HKCU\Software\Classes\.govreport")


def test_reports_settings_and_recovery_survive_and_are_used(upgraded: Upgraded, tmp_path: Path) -> None:
    for path, data in upgraded.kept.items():
        assert path.read_bytes() == data, path
    pfx = upgraded.pfx
    _, info = pfx.show_window(pfx.install_dir / "python/python.exe", tmp_path)
    assert info["last_folder"] == "C:/报告/2025"  # the old settings file, read by the new version
    assert info["recovery_offered"] == [RECOVERY_NAME]  # the crash's work would be offered back
    report = next(p for p in upgraded.kept if p.suffix == ".govreport" and "Documents" in str(p))
    ok = govreport(pfx, "check", pfx.win_path(report))
    assert ok.returncode == 0, ok.stdout + ok.stderr
