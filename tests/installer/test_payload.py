"""The installer build refuses a changed CPython: wrong sdist hash, or interpreter files without the
PSF signature. (The good path runs in every build of test_windows_installer.py.)"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
# An unsigned 64-bit PE file that is on the machine whenever wine is.
UNSIGNED_PE = Path("/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/notepad.exe")


@pytest.fixture(scope="module")
def payload() -> ModuleType:
    spec = importlib.util.spec_from_file_location("payload", ROOT / "installer" / "windows" / "payload.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_changed_sdist_stops_the_build(payload: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / payload.SDIST).write_bytes(b"not the pinned file")
    with pytest.raises(SystemExit) as e:
        payload.fetch_sdist(tmp_path)
    assert e.value.code == 1
    assert payload.SDIST_SHA256 in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("osslsigncode") is None or not UNSIGNED_PE.exists(), reason="needs osslsigncode and wine64")
def test_unsigned_interpreter_files_stop_the_build(payload: ModuleType, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("python.exe", "pythonw.exe", "python3.dll", "python313.dll"):
        shutil.copy(UNSIGNED_PE, tmp_path / name)
    with pytest.raises(SystemExit):
        payload.verify_signatures(tmp_path)
    assert "python.exe 没有 Python Software Foundation 的有效签名" in capsys.readouterr().err
