"""The 信创 .deb end to end: build it (installer/build.sh linux), install it with apt into fresh minimal
Debian 11 and Debian 13 systems, use it there (self-check, check, export, window), remove it.

In Debian 11 it is an upgrade: the previous release's .deb (installer/previous-release.txt) goes in
first, with a clerk's settings, recovery file and report, and ``apt install ./new.deb`` runs over it.

Needs root (debootstrap, chroot) and, on the first run, Debian's mirror and PyPI; the base systems
and downloads are cached in ``$GOVREPORT_CACHE`` (default ~/.cache/govreport-build).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"
APP = "/opt/apps/cn.govreport.app"
UOS20_GLIBC = (2, 28)  # Debian 10 base; Kylin V10 has 2.31
# Debian 11: the build's base, the nearest to UOS 20 / Kylin V10 that can be booted here (Debian 10
# cannot be fetched any more); Debian 13: as new as openKylin 2 and Deepin 23 and newer.
SUITES = ["bullseye", "trixie"]

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="构建和安装测试需要 root（debootstrap、chroot）")


def _version() -> str:
    from govreport_gui import __version__

    return __version__


def _chroot_sh(script: str, *args: str, env: str = "", timeout: int = 300) -> subprocess.CompletedProcess:
    """Run bash ``script`` with installer/linux/chroot.sh loaded (with_chroot, unpack, base_tarball…)."""
    return subprocess.run(
        ["bash", "-c", f"source installer/linux/chroot.sh; {script}", "_", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, "CHROOT_ENV": env},
    )


class Target:
    """A bare Debian where commands run as root through chroot."""

    def __init__(self, root: Path, arch: str, suite: str):
        self.root, self.arch, self.suite = root, arch, suite
        self.install_log = ""
        self.kept: dict[Path, bytes] | None = None  # after an upgrade: the clerk's files before it

    def run(self, command: str, env: str = "", timeout: int = 300) -> subprocess.CompletedProcess:
        return _chroot_sh('with_chroot "$1" sh -c "$2"', str(self.root), command, env=env, timeout=timeout)

    def ok(self, command: str, env: str = "", timeout: int = 300) -> str:
        done = self.run(command, env, timeout)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout


@pytest.fixture(scope="module")
def deb() -> Path:
    if os.environ.get("GOVREPORT_TEST_DEB"):  # a package built before (a release candidate, the arm64 one)
        return Path(os.environ["GOVREPORT_TEST_DEB"]).resolve()
    done = subprocess.run(["bash", "installer/build.sh", "linux"], cwd=ROOT, capture_output=True, text=True,
                          timeout=3600)  # cold: CPython is built first
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    path = ROOT / "dist" / f"govreport_{_version()}_amd64.deb"
    assert path.is_file()
    return path


@pytest.fixture(scope="module")
def unpacked(deb, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(out)], check=True)
    return out


@pytest.fixture(scope="module", params=SUITES)
def target(request, deb, tmp_path_factory):
    suite = request.param
    root = tmp_path_factory.mktemp(suite) / "root"
    arch = subprocess.run(["dpkg-deb", "-f", str(deb), "Architecture"], capture_output=True, text=True).stdout.strip()
    done = _chroot_sh('unpack "$(base_tarball "$2" "$3")" "$1"', str(root), arch, suite, timeout=1800)  # arm64: qemu
    assert done.returncode == 0, done.stderr
    work = root / "tmp" / "work"
    work.mkdir()
    shutil.copy(deb, work)
    shutil.copy(SAMPLE, work / "sample.govreport")
    t = Target(root, arch, suite)
    if suite == "bullseye" and arch == "amd64" and not os.environ.get("GOVREPORT_TEST_DEB"):
        install_previous_release_with_user_data(t)
    t.install_log = t.ok(f"apt-get install -y --no-install-recommends ./tmp/work/{deb.name} 2>&1", timeout=600)
    yield t
    done = _chroot_sh('safe_rm "$1"', str(root))  # refuses while anything is mounted inside
    assert done.returncode == 0, done.stderr


def test_package_is_xz_with_checksum_and_uos_layout(deb, unpacked):
    members = subprocess.run(["ar", "t", str(deb)], capture_output=True, text=True, check=True).stdout.split()
    assert members == ["debian-binary", "control.tar.xz", "data.tar.xz"]  # old dpkg reads no zstd
    digest = subprocess.run(["sha256sum", deb.name], cwd=deb.parent, capture_output=True, text=True).stdout
    assert Path(f"{deb}.sha256").read_text() == digest
    files = unpacked / APP.lstrip("/") / "files"
    for part in ("files/govreport", "files/govreport-gui", "info", "entries/applications/cn.govreport.app.desktop",
                 "entries/mime/packages/cn.govreport.app.xml",
                 "entries/icons/hicolor/scalable/apps/cn.govreport.app.svg"):
        assert (files.parent / part).exists(), part
    # the self-check's built-in sample and the format data are shipped
    assert list(files.rglob("govreport_gui/data/sample-2025.govreport"))
    assert list(files.rglob("govreport_gui/report/format_2021.json"))
    assert os.readlink(unpacked / "usr/bin/govreport-gui") == f"{APP}/files/govreport-gui"
    desktop = (files.parent / "entries/applications/cn.govreport.app.desktop").read_text()
    assert "Name[zh_CN]=政府信息公开年度报告" in desktop and "MimeType=application/x-govreport;" in desktop
    assert "Exec=govreport-gui %f" in desktop


def test_glibc_floor_within_uos_20(deb, unpacked):
    import sys

    sys.path.insert(0, str(ROOT / "installer" / "linux"))
    from elfdeps import glibc_floor

    floor, per_file = glibc_floor(unpacked / APP.lstrip("/") / "files")
    assert len(per_file) > 50  # the interpreter, Qt and the extension modules were all scanned
    arch = subprocess.run(["dpkg-deb", "-f", str(deb), "Architecture"], capture_output=True, text=True).stdout.strip()
    # arm64 stops at 2.31: PySide6's aarch64 wheels themselves need 2.30 (installer/README.md)
    assert (2, 17) <= floor <= (UOS20_GLIBC if arch == "amd64" else (2, 31))
    assert any(p.name.startswith("libpython3.13") for p in per_file) or arch != "amd64"  # our own CPython
    depends = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True).stdout
    assert f"libc6 (>= {'.'.join(map(str, floor))})" in depends  # apt refuses older systems


HOME_FILES = {  # a clerk's files after using the previous release (root's home in the chroot)
    "root/.config/GovReport/GovReport.ini": "[General]\nlast_folder=/root/文档/2025\n",
    "root/文档/本单位2025年报告.govreport": None,  # the sample report
    "root/.local/share/GovReport/GovReport/recovery/autosave-4242-000000001.govreport": None,
}


def install_previous_release_with_user_data(t: Target) -> None:
    from .previous_release import previous_installer

    old = previous_installer("linux")
    shutil.copy(old, t.root / "tmp" / "work")
    # the desktop's databases first, so that the old package registers its file type as on a desktop
    t.ok("apt-get install -y --no-install-recommends shared-mime-info desktop-file-utils >/dev/null 2>&1")
    t.ok(f"apt-get install -y --no-install-recommends ./tmp/work/{old.name} 2>&1", timeout=600)
    assert old.name.split("_")[1] in t.ok("govreport --version")
    kept = {}
    for rel, text in HOME_FILES.items():
        path = t.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if text is not None else SAMPLE.read_bytes())
        kept[path] = path.read_bytes()
    t.kept = kept


def test_upgrade_over_the_previous_release_keeps_the_clerks_files(target):
    if target.kept is None:
        pytest.skip(f"{target.suite}: a fresh install (the upgrade is tested on bullseye)")
    assert "Unpacking govreport" in target.install_log and "over (" in target.install_log  # dpkg's upgrade
    assert _version() in target.ok("govreport --version")
    for path, data in target.kept.items():
        assert path.read_bytes() == data, path
    target.ok("govreport check /root/文档/本单位2025年报告.govreport")
    cache = (target.root / "usr/share/applications/mimeinfo.cache").read_text()
    assert "application/x-govreport=cn.govreport.app.desktop;" in cache  # the association survived


def test_depends_cover_every_library_on_a_bare_system(target):
    # every ELF file of the bundle, resolved the way the bootloader does (its folder first)
    script = (f"cd {APP}/files/_internal && find . -type f \\( -name '*.so*' -o -perm -u+x \\) | "
              "while read -r f; do head -c4 \"$f\" | grep -q ELF || continue; "
              "LD_LIBRARY_PATH=$PWD:$PWD/PySide6/Qt/lib ldd \"$f\" | sed \"s|^|$f: |\"; done")
    out = target.ok(script)
    assert out.count("=>") > 200
    assert " not found" not in out, [line for line in out.splitlines() if "not found" in line]


def test_version_and_self_check(target):
    assert _version() in target.ok("govreport --version")
    out = target.ok("govreport --self-check")
    assert "导出 Word 文档并读回" in out and "[通过] 读取 PDF 样例" in out  # pdfminer, its CMaps, cryptography
    assert "[通过] 由 .xls 台账计算表三" in out  # the register readers on the installed copy


def test_check_and_export_round_trip(target):
    from govreport_gui.readers.formats import open_report

    expected = open_report(SAMPLE).fingerprint()
    payload = json.loads(target.ok("govreport check /tmp/work/sample.govreport --json"))
    assert payload["fingerprint"] == expected
    target.ok("govreport export /tmp/work/sample.govreport -o /tmp/work/out.docx")
    assert open_report(target.root / "tmp/work/out.docx").fingerprint() == expected


@pytest.fixture(scope="module")
def units(tmp_path_factory) -> Path:
    from .rollup_units import write_units

    return write_units(tmp_path_factory.mktemp("rollup") / "units")


def _processes_in(root: Path) -> list[str]:
    """The command lines of the processes still running inside the chroot ``root``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "root").resolve() == root.resolve():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # ended meanwhile
            continue
    return found


def test_rollup_reads_in_two_processes_in_the_installed_build(target, units):
    """The frozen executables as the pool's workers: ``aggregate --jobs 2`` (forked from the
    command) and the roll-up window (spawned: each worker is govreport-gui started again, made a worker
    by the launcher's freeze_support, not a second window) give what one process gives, and say that
    two processes read (not a silent fall-back to reading in one)."""
    import time

    from govreport_gui.readers.rollup_sources import load_units
    from govreport_gui.report.rollup import roll_up

    from .rollup_units import FILES

    shutil.copytree(units, target.root / "tmp/work/units")
    runs = {}
    for jobs in (1, 2):
        t0 = time.perf_counter()
        done = target.run(f"govreport aggregate /tmp/work/units -o /tmp/work/sum{jobs}.govreport --jobs {jobs} --json",
                          timeout=900)
        print(f"{target.suite}: aggregate of {FILES} files, --jobs {jobs}: {time.perf_counter() - t0:.2f} s wall")
        assert done.returncode == 1, done.stderr[-3000:]  # 1: some units have errors
        runs[jobs] = json.loads(done.stdout), done.stderr
    (one, one_err), (two, two_err) = runs[1], runs[2]
    assert "由 2 个进程并行读取" in two_err and "未能启动" not in two_err and "并行读取" not in one_err
    assert len(two["units"]) == FILES and two["units"] == one["units"]  # each unit's fingerprint, errors…
    assert sum(u["errors"] > 0 for u in two["units"]) == FILES // 20
    read_here = load_units([units], workers=1)  # this checkout, on the host
    here = roll_up(read_here, sums=read_here.sums).total.fingerprint()
    assert two["total"]["fingerprint"] == one["total"]["fingerprint"] == here

    t0 = time.perf_counter()
    done = target.run("cd /tmp/work && govreport-gui --rollup units --jobs 2 --screenshot rollup.png",
                      env="QT_QPA_PLATFORM=offscreen", timeout=900)
    print(f"{target.suite}: the window's roll-up of {FILES} files, 2 processes: {time.perf_counter() - t0:.2f} s wall")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert f"汇总窗口截图已保存到 rollup.png（{FILES} 个文件，由 2 个进程读取）" in done.stdout, done.stdout
    assert done.stdout.count("截图已保存") == 1  # no worker ran the program again
    assert _processes_in(target.root) == []  # and none is left behind
    assert (target.root / "tmp/work/rollup.png").stat().st_size > 0


def test_window_starts_offscreen_with_chinese_font(target, tmp_path):
    # a CJK font is the system's (Recommends:); install the recommended one as a desktop would
    target.ok("apt-get install -y --no-install-recommends fonts-arphic-uming >/dev/null 2>&1")
    done = target.run("cd /tmp/work && govreport-gui sample.govreport --screenshot window.png",
                      env="QT_QPA_PLATFORM=offscreen")
    assert done.returncode == 0, done.stderr
    assert "窗口截图已保存" in done.stdout
    # nothing went wrong loading plugins or fonts (the offscreen plugin's own notice aside)
    noise = [line for line in done.stderr.splitlines() if line and "does not support propagateSizeHints" not in line]
    assert noise == []
    shot = target.root / "tmp/work/window.png"
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() >= 600 and image.height() >= 450  # the window fits the (800×600 offscreen) screen
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # a drawn window, not a blank surface
    shutil.copy(shot, ROOT / "build" / f"installed-window-{target.arch}-{target.suite}.png")  # to look at


def test_mime_type_opens_in_the_app(target, deb):
    # the desktop's databases: installing them runs their triggers, reinstalling runs our postinst
    target.ok("apt-get install -y --no-install-recommends shared-mime-info desktop-file-utils >/dev/null 2>&1")
    target.ok(f"apt-get install -y --reinstall ./tmp/work/{deb.name} >/dev/null 2>&1")
    assert (target.root / "usr/share/mime/application/x-govreport.xml").is_file()
    cache = (target.root / "usr/share/applications/mimeinfo.cache").read_text()
    assert "application/x-govreport=cn.govreport.app.desktop;" in cache


def test_removal_leaves_nothing(target):
    listed = target.ok("dpkg -L govreport").split()
    target.ok("apt-get remove -y govreport >/dev/null 2>&1")
    target.ok("apt-get purge -y govreport >/dev/null 2>&1")
    assert target.run("dpkg -s govreport").returncode != 0
    assert not (target.root / APP.lstrip("/")).exists()
    left = [p for p in listed if p.startswith(("/opt/apps/", "/usr/bin/govreport"))
            and os.path.lexists(target.root / p.lstrip("/"))]
    assert left == []
    assert not (target.root / "usr/share/mime/application/x-govreport.xml").exists()
    cache = (target.root / "usr/share/applications/mimeinfo.cache").read_text()
    assert not re.search(r"x-govreport", cache)
