"""Two clerks on one report in a shared folder: two real window processes, each with its own HOME
(settings, recovery) and user name, driven like clerks (tests/safety/window_driver.py). Also
``register --into`` while a window has the report open (issue 24 item 1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govreport_gui.report import native
from govreport_gui.report.sharing import lock_path
from tests.safety.bounded import ROOT
from tests.safety.namespaces import UNSHARE, mount_namespace_refused

DRIVER = Path(__file__).with_name("window_driver.py")
KEY_A, KEY_B = "t2.coercion.decisions", "t2.penalty.decisions"


class Clerk:
    """One window process as one user (its own HOME, its own USER)."""

    def __init__(self, home: Path, user: str, path: Path | None = None) -> None:
        env = {**os.environ, "GOVREPORT_HOME": str(home), "USER": user, "LOGNAME": user,
               "QT_QPA_PLATFORM": "offscreen"}
        args = [sys.executable, str(DRIVER)] + ([str(path)] if path else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                     cwd=ROOT)
        self.ready = self._read()

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            assert line, f"the window process ended ({self.proc.poll()})"
            data = json.loads(line)
            if "typed" not in data:
                return data

    def do(self, cmd: str, **args: object) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, **args}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def answer(self, dialog: str, value: object) -> None:
        self.do("answer", dialog=dialog, value=value)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.do("close")
            except AssertionError:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def office(tmp_path, data_dir):  # type: ignore[no-untyped-def]
    """A shared folder with the report, and a way to start clerks (closed at the end)."""
    share = tmp_path / "共享文件夹"
    share.mkdir()
    report = share / "年度报告.govreport"
    shutil.copy(data_dir / "sample-2025.govreport", report)
    clerks: list[Clerk] = []

    def start(user: str, path: Path | None = None) -> Clerk:
        clerk = Clerk(tmp_path / f"home-{user}", user, path)
        clerks.append(clerk)
        return clerk

    yield report, start
    for clerk in clerks:
        clerk.close()


def test_the_second_clerk_is_told_who_has_it_and_opens_read_only(office):
    report, start = office
    a = start("clerk_a", report)
    assert a.ready["path"] == str(report) and not a.ready["read_only"]
    assert json.loads(lock_path(report).read_text(encoding="utf-8"))["user"] == "clerk_a"
    b = start("clerk_b")
    b.answer("ask_locked", "readonly")
    state = b.do("open", path=str(report))
    locked = [q for q in state["asked"] if q["dialog"] == "ask_locked"]
    assert locked and "clerk_a" in locked[0]["text"] and state["read_only"] and "（只读）" in state["title"]
    b.do("cell", key=KEY_B, value="22")
    mine = report.with_name("clerk_b的版本.govreport")
    b.answer("save_path", str(mine))
    assert b.do("save")["ok"]  # told it is read-only, then saved as another file
    a.do("cell", key=KEY_A, value="11")
    assert a.do("save")["ok"]
    assert native.load(report).cells[KEY_A] == 11 and native.load(report).cells[KEY_B] != 22
    assert native.load(mine).cells[KEY_B] == 22
    a.close()
    assert not lock_path(report).exists()


def test_the_second_clerk_may_open_a_copy(office):
    report, start = office
    start("clerk_a", report)
    b = start("clerk_b")
    b.answer("ask_locked", "copy")
    state = b.do("open", path=str(report))
    assert state["path"] is None and "副本" in state["notes"]


def test_a_second_save_never_replaces_the_first_clerks_work_silently(office):
    """When the lock cannot warn (removed, or a share that loses it), the save still does."""
    report, start = office
    a = start("clerk_a", report)
    lock_path(report).unlink()  # as if the share had lost it
    b = start("clerk_b", report)
    assert not b.ready["read_only"]
    a.do("cell", key=KEY_A, value="11")
    b.do("cell", key=KEY_B, value="22")
    assert a.do("save")["ok"]
    b.answer("ask_conflict", "cancel")
    state = b.do("save")
    assert not state["ok"] and any(q["dialog"] == "ask_conflict" for q in state["asked"])
    assert native.load(report).cells[KEY_A] == 11  # A's work is still the file
    copy = report.with_name("年度报告（副本）.govreport")
    b.answer("ask_conflict", "copy")
    b.answer("save_path", str(copy))
    assert b.do("save")["ok"]
    assert native.load(report).cells[KEY_A] == 11 and native.load(copy).cells[KEY_B] == 22
    # and A, who saved first, saves again without a question: the file is still A's
    a.do("cell", key=KEY_A, value="12")
    state = a.do("save")
    assert state["ok"] and not any(q["dialog"] == "ask_conflict" for q in state["asked"])


def test_register_into_while_the_window_has_the_report_open_is_not_reverted(office, tmp_path):
    from tests.readers.register_builders import generate, write_csv

    report, start = office
    a = start("clerk_a", report)
    a.do("cell", key=KEY_A, value="11")
    rows, _ = generate(2025, 60)
    register = write_csv(tmp_path / "台账.csv", rows)
    proc = subprocess.run([sys.executable, "-m", "govreport_gui.cli", "register", str(register), "--into", str(report)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    counted = {k: v for k, v in native.load(report).cells.items() if k.startswith("t3.")}
    a.answer("ask_conflict", "reload")
    state = a.do("save")
    assert not state["ok"] and any(q["dialog"] == "ask_conflict" for q in state["asked"])
    assert "我的修改" in state["notes"]  # where A's edit was kept
    on_disk = native.load(report)
    assert {k: v for k, v in on_disk.cells.items() if k.startswith("t3.")} == counted
    assert all(state["cells"].get(k) == v for k, v in counted.items() if isinstance(v, int))


def test_a_full_recovery_disk_is_said_until_it_works_again(tmp_path, data_dir):
    """The recovery folder on a real full file system (a tmpfs in the window's own mount namespace)."""
    if why := mount_namespace_refused():
        pytest.skip(why)
    unshare = UNSHARE
    home = tmp_path / "home"
    recovery = home / "recovery"
    recovery.mkdir(parents=True)
    filler = recovery / "filler"
    report = tmp_path / "年度报告.govreport"
    shutil.copy(data_dir / "sample-2025.govreport", report)
    setup = (f"mount -t tmpfs -o size=128k tmpfs {recovery} && "
             f"dd if=/dev/zero of={filler} bs=4k count=32 2>/dev/null; true")
    env = {**os.environ, "GOVREPORT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    clerk = Clerk.__new__(Clerk)
    clerk.proc = subprocess.Popen([unshare, "-m", "sh", "-c", f'{setup} && exec "$0" "$1" "$2"', sys.executable,
                                   str(DRIVER), str(report)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, env=env, cwd=ROOT)
    try:
        clerk.ready = clerk._read()
        clerk.do("cell", key=KEY_A, value="11")
        state = clerk.do("wait", ms=2500)
        assert "磁盘空间已满" in state["warning"] and "No space" not in state["warning"], state
        state = clerk.do("wait", ms=2500)
        assert state["warning"], "the warning must stay while the disk is full"
        clerk.do("remove", path=str(filler))
        state = clerk.do("wait", ms=3500)  # retried without another keystroke
        assert state["warning"] == "", state
    finally:
        clerk.close()
