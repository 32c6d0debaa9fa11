"""Exporting a PDF needs no print system and opens no network connection (issue 13.11).

Qt's CUPS plugin connects to 127.0.0.1:631, or to ``CUPS_SERVER``, as soon as a QPrinter exists.
The export runs in a fresh process (no plugin loaded yet) with ``CUPS_SERVER`` pointing at a socket
this test listens on, Python's ``socket.connect`` made to fail, and, where strace is installed,
every ``connect`` system call of the process and its threads recorded.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

RUN = """
import socket, sys
def refuse(self, *a, **k):
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
from govreport_gui import cli
sys.exit(cli.main(["export", sys.argv[1], "-o", sys.argv[2]]))
"""


def test_pdf_export_opens_no_connection(data_dir, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    out = tmp_path / "x.pdf"
    env = {**os.environ, "CUPS_SERVER": f"127.0.0.1:{port}", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    cmd = [sys.executable, "-c", RUN, str(data_dir / "sample-2025.govreport"), str(out)]
    trace = tmp_path / "connect.log"
    strace = shutil.which("strace")
    if strace:
        cmd = [strace, "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *cmd]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the PDF export hung waiting for the print server")  # CUPS waits for our silent socket
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the CUPS server we named
    listener.close()
    if strace:
        calls = Path(trace).read_text().splitlines()
        inet = [c for c in calls if "AF_INET" in c]  # AF_INET and AF_INET6; AF_UNIX (fontconfig, dbus) is local
        assert inet == [], inet
