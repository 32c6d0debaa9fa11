"""Saving respects what the file is (issue 24 item 2): a read-only file is refused as Word refuses
it, a symbolic link's target is updated, the group (and for an administrator the owner) is kept,
names of 238–255 bytes save, and read-only folders, read-only mounts and vanished USB folders still
fail in Chinese with the old file intact.

The tests run as root; where "an ordinary user" matters, the save runs in a child without the
capabilities that let root write anything (``setpriv``), or in a mount namespace (``unshare``).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import pytest

from govreport_gui.report import native
from govreport_gui.report.atomic import backup_path
from tests.safety.bounded import ROOT
from tests.safety.namespaces import UNSHARE, mount_namespace_refused

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SETPRIV = shutil.which("setpriv")

# saves the report at PATH in a child: "saved", or "refused <the Chinese message>"
_SAVE = """
import sys
sys.path.insert(0, {root!r})
from govreport_gui.report import native, oserrors  # noqa: F401 (loaded before any mount changes)
report = native.load({sample!r})
report.meta.agency = "改过的机关"
try:
    native.save(report, {path!r})
except native.FileFormatError as e:
    print("refused", e)
else:
    print("saved")
"""


def _save_in_child(path, sample, prefix: list[str] | None = None, before: str = "") -> str:  # type: ignore[no-untyped-def]
    code = _SAVE.format(root=str(ROOT), sample=str(sample), path=str(path))
    if before:  # shell commands run first (in the child's own mount namespace)
        cmd = [*(prefix or []), "sh", "-c", f'{before} && exec "$0" -c "$1"', sys.executable, code]
    else:
        cmd = [*(prefix or []), sys.executable, "-c", code]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout.strip()


def _ordinary_user() -> list[str]:
    """A prefix that runs a command as root without the power to write what it may not."""
    if not (IS_ROOT and SETPRIV):
        pytest.skip("needs root and setpriv to act as an ordinary user")
    return [SETPRIV, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner,-chown"]


def test_a_read_only_file_is_not_replaced(sample, tmp_path):
    path = tmp_path / "r.govreport"
    native.save(sample, path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    sample.meta.agency = "改过的机关"
    with pytest.raises(native.ReadOnlyReport, match="只读文件.*另存为"):
        native.save(sample, path)
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".~gr-*")) == []


def test_a_file_only_its_owner_may_write_is_refused_for_someone_else(tmp_path, data_dir):
    prefix = _ordinary_user()
    path = tmp_path / "r.govreport"
    shutil.copy(data_dir / "sample-2025.govreport", path)
    os.chown(path, 4321, 4321)
    os.chmod(path, 0o644)
    os.chmod(tmp_path, 0o777)  # the folder would let anyone replace the file
    before = path.read_bytes()
    out = _save_in_child(path, data_dir / "sample-2025.govreport", prefix)
    assert out.startswith("refused") and "只读" in out, out
    assert path.read_bytes() == before and path.stat().st_uid == 4321


def test_saving_through_a_symbolic_link_updates_its_target(sample, tmp_path):
    real = tmp_path / "shared" / "报告.govreport"
    real.parent.mkdir()
    native.save(sample, real)
    link = tmp_path / "桌面快捷方式.govreport"
    link.symlink_to(real)
    sample.meta.agency = "经由链接保存"
    native.save(sample, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert native.load(real).meta.agency == "经由链接保存"
    assert backup_path(real).exists() and not backup_path(link).exists()


def test_saving_keeps_owner_and_group_where_allowed(sample, tmp_path):
    if not IS_ROOT:
        pytest.skip("changing a file's owner needs root")
    path = tmp_path / "colleague.govreport"
    native.save(sample, path)
    os.chown(path, 1234, 5678)
    os.chmod(path, 0o664)
    native.save(sample, path)
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 5678, 0o664)


def test_an_ordinary_member_keeps_the_group_of_a_group_file(tmp_path, data_dir):
    prefix = _ordinary_user()  # root without chown powers: may give a file only to its own groups
    path = tmp_path / "group.govreport"
    shutil.copy(data_dir / "sample-2025.govreport", path)
    os.chown(path, 0, 0)
    os.chmod(path, 0o664)
    assert _save_in_child(path, data_dir / "sample-2025.govreport", prefix) == "saved"
    assert path.stat().st_gid == 0 and native.load(path).meta.agency == "改过的机关"


@pytest.mark.parametrize("size", [238, 251, 255])
def test_names_of_up_to_255_bytes_save_with_their_backup(sample, tmp_path, size):
    stem = "报" * ((size - len(".govreport")) // 3)
    name = stem + "x" * (size - len(".govreport") - len(stem.encode())) + ".govreport"
    assert len(name.encode()) == size
    path = tmp_path / name
    native.save(sample, path)
    sample.meta.agency = "第二版"
    native.save(sample, path)
    assert native.load(path).meta.agency == "第二版"
    assert native.load(backup_path(path)).meta.agency != "第二版"
    assert len(os.fsencode(backup_path(path).name)) <= 255


def test_a_read_only_folder_fails_in_chinese_and_keeps_the_file(tmp_path, data_dir):
    prefix = _ordinary_user()
    folder = tmp_path / "只读文件夹"
    folder.mkdir()
    path = folder / "r.govreport"
    shutil.copy(data_dir / "sample-2025.govreport", path)
    os.chmod(folder, 0o555)
    before = path.read_bytes()
    try:
        out = _save_in_child(path, data_dir / "sample-2025.govreport", prefix)
    finally:
        os.chmod(folder, 0o755)
    assert out.startswith("refused") and "没有权限" in out and "原文件未改动" in out, out
    assert path.read_bytes() == before


def test_a_read_only_mount_fails_in_chinese(tmp_path, data_dir):
    if why := mount_namespace_refused():
        pytest.skip(why)
    mount = tmp_path / "mnt"
    mount.mkdir()
    path = mount / "r.govreport"
    before = (data_dir / "sample-2025.govreport").read_bytes()
    setup = (f"mount -t tmpfs tmpfs {mount} && cp {data_dir / 'sample-2025.govreport'} {path} "
             f"&& mount -o remount,ro {mount}")
    out = _save_in_child(path, data_dir / "sample-2025.govreport", [UNSHARE, "-m"], before=setup)
    assert out.startswith("refused") and "只读" in out and "Read-only" not in out, out
    assert before  # the mount vanished with the namespace: nothing here was written


def test_a_full_disk_is_named_in_chinese(tmp_path, data_dir):
    if why := mount_namespace_refused():
        pytest.skip(why)
    mount = tmp_path / "mnt"
    mount.mkdir()
    path = mount / "r.govreport"
    setup = (f"mount -t tmpfs -o size=96k tmpfs {mount} && cp {data_dir / 'sample-2025.govreport'} {path} "
             f"&& dd if=/dev/zero of={mount}/filler bs=4k count=100 2>/dev/null; true")
    out = _save_in_child(path, data_dir / "sample-2025.govreport", [UNSHARE, "-m"], before=setup)
    assert out.startswith("refused") and "磁盘空间已满" in out and "No space" not in out, out


def test_a_vanished_usb_folder_fails_in_chinese(sample, tmp_path):
    folder = tmp_path / "U盘"
    folder.mkdir()
    path = folder / "r.govreport"
    native.save(sample, path)
    shutil.rmtree(folder)
    with pytest.raises(native.FileFormatError, match="不存在（U 盘或网络盘可能已断开）"):
        native.save(sample, path)
