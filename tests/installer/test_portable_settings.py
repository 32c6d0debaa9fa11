"""Where the portable Windows folder keeps settings and recovery files (govreport_gui.app's hook),
checked without wine; test_windows_portable.py checks the same in the real unzipped folder."""

from __future__ import annotations

from pathlib import Path

from govreport_gui.app import PORTABLE_DATA, portable_data_dir


def layout(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "GovReport 便携版" / "GovReport-0.2.0"
    exe = root / "python" / "pythonw.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    return root, str(exe)


def test_without_the_marker_the_users_folders_are_used(tmp_path: Path) -> None:
    root, exe = layout(tmp_path)
    assert portable_data_dir(exe, "win32") is None
    assert not (root / PORTABLE_DATA).exists()


def test_with_the_marker_everything_stays_beside_the_program(tmp_path: Path) -> None:
    root, exe = layout(tmp_path)
    (root / "portable").write_bytes(b"")
    folder = portable_data_dir(exe, "win32")
    assert folder == root / "用户数据" and folder.is_dir()
    assert list(folder.iterdir()) == []  # the write test leaves nothing behind


def test_a_folder_that_cannot_be_written_falls_back_to_the_users_folders(tmp_path: Path) -> None:
    root, exe = layout(tmp_path)
    (root / "portable").write_bytes(b"")
    (root / PORTABLE_DATA).write_bytes(b"")  # a file where the folder should be: mkdir fails as on a read-only stick
    assert portable_data_dir(exe, "win32") is None


def test_only_windows_has_a_portable_folder(tmp_path: Path) -> None:
    root, exe = layout(tmp_path)
    (root / "portable").write_bytes(b"")
    assert portable_data_dir(exe, "linux") is None
