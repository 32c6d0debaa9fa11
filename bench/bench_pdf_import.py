"""Benchmark: opening a report from a PDF (goal: a real-size PDF read in ≤ 0.5 s).

    .venv/bin/python bench/bench_pdf_import.py [--profile]

Inputs, made here: the sample report exported by our Qt PDF path (5 pages; Qt writes ~60 KB of
content a table page, the most verbose PDF we know), the same with its narrative repeated to
9 pages, and our DOCX export printed by LibreOffice (4 pages, as Word/WPS print). Each is read 15
times in this process (modules loaded: the window's case after the first file), then once as
`govreport import` in a new process (interpreter start and pdfminer/cryptography import included).
Wall and CPU medians are printed with the machine's load average, and the CPU time of reading the
same report from our DOCX in the same run as a floor.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def _inputs(work: Path) -> dict[str, Path]:
    from govreport_gui.cli.main import main as cli
    from govreport_gui.report import native

    out = {}
    sample = DATA / "sample-2025.govreport"
    out["Qt export"] = work / "qt.pdf"
    cli(["export", str(sample), "-o", str(out["Qt export"])])
    long = native.load(sample)
    for sid in ("s1", "s5"):
        long.sections[sid] = long.sections[sid] * 6
    native.save(long, work / "long.govreport")
    out["Qt export, narrative ×6"] = work / "long.pdf"
    cli(["export", str(work / "long.govreport"), "-o", str(out["Qt export, narrative ×6"])])
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        cli(["export", str(sample), "-o", str(work / "ours.docx")])
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                        "--outdir", str(work), str(work / "ours.docx")], check=True, capture_output=True, timeout=300)
        out["our DOCX printed by LibreOffice"] = work / "ours.pdf"
    return out


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    inputs = _inputs(work)
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from govreport_gui.readers.pdf_import import import_pdf

    print(f"load average before: {os.getloadavg()}")
    from govreport_gui.readers.docx_import import import_docx

    floor = []
    for _ in range(15):  # the same report from its DOCX, in the same run: the ratio survives the load
        c = time.process_time()
        import_docx(work / "ours.docx") if (work / "ours.docx").exists() else import_docx(DATA / "sample-2025-word-template.docx")
        floor.append(time.process_time() - c)
    print(f"floor: the same report read from our DOCX, median CPU {statistics.median(floor) * 1e3:.1f} ms")
    for name, path in inputs.items():
        with open(path, "rb") as fh:
            pages = sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(fh))))
        walls, cpus = [], []
        for _ in range(15):
            w, c = time.perf_counter(), time.process_time()
            import_pdf(path)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        print(f"{name:32s} {pages:2d} pages {path.stat().st_size // 1024:4d} KB  median wall "
              f"{statistics.median(walls) * 1e3:6.1f} ms  CPU {statistics.median(cpus) * 1e3:6.1f} ms "
              f"({statistics.median(cpus) / statistics.median(floor):.1f}× the DOCX floor)")
    probe = ("import resource, time; t = time.process_time(); import govreport_gui.readers.pdf_import; "
             "print(round((time.process_time() - t) * 1e3))")
    cold = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.strip()
    print(f"importing the PDF reader (pdfminer.six, cryptography) in a new process: CPU {cold} ms")
    import resource

    for name, path in inputs.items():
        w = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "govreport_gui.cli", "import", str(path), "-o", str(work / "x.govreport")],
                       check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(f"`govreport import` new process, {name:32s} wall {(time.perf_counter() - w) * 1e3:6.0f} ms  CPU {cpu * 1e3:5.0f} ms")
    print(f"load average after: {os.getloadavg()}")
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        path = inputs["Qt export, narrative ×6"]
        prof = cProfile.Profile()
        prof.enable()
        import_pdf(path)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(18)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
