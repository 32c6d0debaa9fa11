"""The real print path on Linux (issue 21.12): a CUPS daemon of the test's own (its own config
folder and socket, no system service) with the ``cups-pdf`` virtual printer; the window's 打印 and
打印审核签字单和报告 actions send the report to it, and the printed job's pages are compared with
the exported PDF: A4, page count, where the text stands (margins), the text read back with
``pdftotext`` and the pages' look. A missing, stopped or refusing printer and a print service
that is not running each get a Chinese message at once, never a hang, and no job.

Each window runs in a child process: libcups keeps the print server it first talked to, so the
child must start with ``CUPS_SERVER`` pointing at the test's daemon. Needs root (the cups-pdf
backend runs as root) and ``scripts/setup.sh test`` (cups, printer-driver-cups-pdf, poppler).
"""

from __future__ import annotations

import ctypes
import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from govreport_gui.report import native
from govreport_gui.ui.printout.printing import MARGINS_MM, export_pdf

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
CUPSD = "/usr/sbin/cupsd"
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
PT_PER_MM = 72 / 25.4

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CUPS: Linux only"),
    pytest.mark.skipif(not (Path(CUPSD).exists() and BACKEND.exists() and shutil.which("lpadmin")
                            and shutil.which("pdftotext")),
                       reason="cups, printer-driver-cups-pdf or poppler-utils missing (scripts/setup.sh test)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the cups-pdf backend runs only under a root cupsd"),
]


@dataclass
class Cups:
    root: Path
    printer: str
    out: Path  # where cups-pdf writes each job's PDF
    process: subprocess.Popen

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.root / "cups.sock")}

    def run(self, *cmd: str) -> str:
        return subprocess.run(cmd, env=self.env, capture_output=True, text=True, check=True, timeout=30).stdout

    def jobs(self, timeout: float = 120) -> list[Path]:
        """The job PDFs once CUPS has no job left to do (oldest first)."""
        deadline = time.monotonic() + timeout
        while self.run("lpstat", "-o").strip() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not self.run("lpstat", "-o").strip(), "CUPS still has jobs"
        return sorted(self.out.glob("*.pdf"), key=lambda p: int(re.search(r"job_(\d+)", p.name)[1]))


@pytest.fixture
def cups():
    """cupsd with everything in a folder of its own under /tmp (readable by the ``lp`` user its
    filters run as), listening on a socket only; one cups-pdf queue writing into that folder.
    cups-pdf reads its settings for a queue from /etc/cups/cups-pdf-<queue>.conf: written here,
    removed at the end with the daemon and the folder."""
    _remove_stale()
    root = Path(tempfile.mkdtemp(prefix=f"gr-cups-{os.getpid()}-", dir="/tmp"))
    root.chmod(0o755)
    printer = f"GovReportTest{os.getpid()}"
    conf = Path("/etc/cups") / f"cups-pdf-{printer}.conf"
    for sub in ("etc/ppd", "spool/tmp", "cache", "state", "log", "out", "cups-pdf-spool"):
        (root / sub).mkdir(parents=True)
    (root / "out").chmod(0o755)
    (root / "etc" / "cups-files.conf").write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\nFileDevice No\n")
    (root / "etc" / "cupsd.conf").write_text(
        f"Listen {root}/cups.sock\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
    conf.write_text(f"Out {root}/out\nAnonDirName {root}/out\nSpool {root}/cups-pdf-spool\n"
                    f"Log {root}/log\nGrp root\n")
    log = (root / "log" / "cupsd.out").open("w")
    process = subprocess.Popen([CUPSD, "-f", "-c", str(root / "etc" / "cupsd.conf"),
                                "-s", str(root / "etc" / "cups-files.conf")], stdout=log, stderr=log,
                               preexec_fn=_die_with_parent)
    try:
        server = Cups(root, printer, root / "out", process)
        deadline = time.monotonic() + 20
        while not (root / "cups.sock").exists():
            assert process.poll() is None and time.monotonic() < deadline, (root / "log" / "cupsd.out").read_text()
            time.sleep(0.1)
        # the Poppler/Cairo renderer keeps the text's Unicode through CUPS's PostScript stage best
        server.run("lpadmin", "-p", printer, "-E", "-v", f"cups-pdf:/{printer}", "-P", str(PPD),
                   "-o", "pdftops-renderer-default=pdftocairo")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


def _die_with_parent() -> None:
    """cupsd ends when pytest does, even when pytest is killed before it can clean up."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _remove_stale() -> None:
    """What a killed test run left: queue settings and folders of pytest processes now gone."""
    for conf in Path("/etc/cups").glob("cups-pdf-GovReportTest*.conf"):
        if not Path(f"/proc/{conf.stem.removeprefix('cups-pdf-GovReportTest')}").exists():
            conf.unlink(missing_ok=True)
    for folder in Path("/tmp").glob("gr-cups-*-*"):
        if not Path(f"/proc/{folder.name.split('-')[2]}").exists():
            shutil.rmtree(folder, ignore_errors=True)


# The child: the window the app's way, the print dialog answered with a printer name (as the
# clerk picks one and presses 打印), every error dialog recorded, each step timed.
_CHILD = r"""
import json, os, subprocess, sys, time
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
home = Path(sys.argv[1])
os.environ["GOVREPORT_HOME"] = str(home)
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "settings"))
from govreport_gui.app import build_window
from govreport_gui.ui.dialogs import Dialogs
from govreport_gui.ui.printout.print_actions import PrintDialogs

errors = []
Dialogs.error = classmethod(lambda cls, parent, text: errors.append(text))
window = build_window(sys.argv[2])
window.show()
steps = []

def chooser(name, meanwhile):
    def choose(cls, w, printer):
        printer.setPrinterName(name)
        if meanwhile:  # what happens between the dialog and the printing
            subprocess.run(meanwhile, shell=True, check=True, timeout=30)
        return True
    return classmethod(choose)


for name, action, before, meanwhile in json.loads(sys.argv[3]):
    if before:
        subprocess.run(before, shell=True, check=True, timeout=30)
    PrintDialogs.choose_printer = chooser(name, meanwhile)
    del errors[:]
    start = time.perf_counter()
    window.findChild(QAction, action).trigger()
    steps.append({"seconds": time.perf_counter() - start, "errors": list(errors),
                  "status": window.statusBar().currentMessage()})
window.session.stack.setClean()
print("STEPS " + json.dumps(steps, ensure_ascii=False))
"""


def print_from_window(cups: Cups, tmp_path: Path, steps: list[tuple[str, str, str, str]]) -> list[dict]:
    """Run the window in a child: each step is (printer chosen in the dialog, action, shell
    command before the action, shell command between the dialog and the printing)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(home), str(DATA / "sample-2025.govreport"),
                           json.dumps(steps)], env={**cups.env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("STEPS "))
    return json.loads(line[6:])


# --- reading PDFs back -----------------------------------------------------------------------
def page_sizes(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return re.findall(r"Page +\d+ size: +([\d.]+ x [\d.]+ pts)", info)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return ["".join(page.split()) for page in text.split("\f")][:len(page_sizes(pdf))]


def word_boxes(pdf: Path) -> list[list[tuple[float, float]]]:
    """(left, top) of every word on each page, in points."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(x), float(y)) for x, y in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"', page)]
            for page in xml.split("<page ")[1:]]


def gray_pages(pdf: Path, folder: Path) -> list[list[int]]:
    """Each page at 20 dpi in grey, as pixel values (pdftoppm's binary PGM)."""
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(folder / "p")], check=True)
    pages = []
    for path in sorted(folder.glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1])):
        data = path.read_bytes()
        fields = data.split(maxsplit=4)  # P5 width height maxval pixels
        pages.append(list(fields[4][:int(fields[1]) * int(fields[2])]))
    return pages


def assert_same_pages(job: Path, exported: Path, tmp_path: Path) -> None:
    """The printed job and the exported PDF: same number of A4 pages, the same text on each page,
    the text at the same places (the GB/T 9704 margins), the same look."""
    sizes = page_sizes(job)
    assert sizes == page_sizes(exported) and set(sizes) == {"595 x 842 pts"}, (sizes, page_sizes(exported))
    # CUPS passes the job through PostScript (cups-pdf makes the PDF with Ghostscript): a few
    # glyphs lose their Unicode name on the way, so the text is compared by similarity
    for n, (printed, original) in enumerate(zip(page_texts(job), page_texts(exported))):
        assert difflib.SequenceMatcher(None, printed, original, autojunk=False).ratio() > 0.9, (n, printed, original)
    # where the text stands, to a millimetre (fonts converted on the way measure a little
    # differently: the same baseline gives a word box up to 2 pt taller)
    left, top = MARGINS_MM.left() * PT_PER_MM, MARGINS_MM.top() * PT_PER_MM
    for n, (printed, original) in enumerate(zip(word_boxes(job), word_boxes(exported))):
        assert abs(min(x for x, _ in printed) - min(x for x, _ in original)) < 1.5, n  # left margin
        assert abs(min(y for _, y in printed) - min(y for _, y in original)) < 2.8, n  # first line
        assert min(x for x, _ in printed) > left - 1.5 and min(y for _, y in printed) > top - 2.8, n
    (tmp_path / "job").mkdir(parents=True)
    (tmp_path / "pdf").mkdir()
    for n, (a, b) in enumerate(zip(gray_pages(job, tmp_path / "job"), gray_pages(exported, tmp_path / "pdf"))):
        assert len(a) == len(b)
        differ = sum(1 for p, q in zip(a, b) if abs(p - q) > 64) / len(a)
        assert differ < 0.01, (n, differ)  # pixels that differ much: under 1 % of the page


def test_report_and_signoff_sheet_print_as_the_pdf_shows(qapp, cups, tmp_path):
    steps = print_from_window(cups, tmp_path, [(cups.printer, "print.print", "", ""),
                                               (cups.printer, "print.signoff", "", "")])
    for step in steps:
        assert step["errors"] == [] and cups.printer in step["status"], step
    report_job, signoff_job = cups.jobs()
    sample = native.load(DATA / "sample-2025.govreport")
    export_pdf(sample, tmp_path / "report.pdf")
    export_pdf(sample, tmp_path / "signoff.pdf", signoff=True, report_too=True)
    assert_same_pages(report_job, tmp_path / "report.pdf", tmp_path / "r")
    assert_same_pages(signoff_job, tmp_path / "signoff.pdf", tmp_path / "s")
    assert "审核签字单" in page_texts(signoff_job)[0] and len(page_sizes(signoff_job)) == len(page_sizes(report_job)) + 1


def test_missing_stopped_or_refusing_printer_gets_a_chinese_message(cups, tmp_path):
    name = cups.printer
    steps = print_from_window(cups, tmp_path, [
        (name, "print.print", f"cupsdisable {name}", ""),
        (name, "print.signoff", f"cupsenable {name} && cupsreject {name}", ""),
        (name, "print.print", f"cupsaccept {name}", ""),  # back at work: this one prints
        # removed after it was chosen (once the job before it is done: removing cancels jobs)
        (name, "print.print", "while lpstat -o | grep -q .; do sleep 0.2; done", f"lpadmin -x {name}"),
    ])
    stopped, refusing, working, missing = steps
    assert stopped["errors"] and f"打印机“{name}”已停止或出错" in stopped["errors"][0], stopped
    assert refusing["errors"] and "没有接受打印任务：打印机已设为不接受打印任务" in refusing["errors"][0], refusing
    assert working["errors"] == [], working
    assert missing["errors"] and f"找不到打印机“{name}”" in missing["errors"][0], missing
    for step in steps:
        assert step["seconds"] < 30, step  # an answer, not a hang (the machine is shared)
    assert len(cups.jobs()) == 1  # only the one that printed; nothing waits behind a stopped printer


def test_print_service_stopped_gets_a_chinese_message(cups, tmp_path):
    """The print service stops between the dialog and the printing (as when it crashes)."""
    (step,) = print_from_window(cups, tmp_path, [
        (cups.printer, "print.print", "", f"kill {cups.process.pid}; sleep 1")])
    assert cups.process.wait(timeout=20) is not None
    assert step["errors"] and f"找不到打印机“{cups.printer}”" in step["errors"][0], step
    assert "打印服务没有运行" in step["errors"][0] and step["seconds"] < 30, step
