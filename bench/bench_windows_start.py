"""Start-up of the installed Windows build under wine: .venv/bin/python bench/bench_windows_start.py [N] [--persistent-wineserver]

With --persistent-wineserver, wineserver stays up between starts (a Windows PC has no such cost).

Installs dist/GovReport-<version>-setup.exe silently into a fresh wine prefix (timed), then measures
N times each, interleaved, the wall time from launching ``python.exe`` to a shown, painted window:
GovReport's window with the sample report open against the floor window (``bench/floor_window.py``:
the same Qt widgets and Chinese text with none of our code, issue 19's yardstick) and a bare PySide6
QMainWindow, all three through the test-only harness (tests/installer/window_harness.py, which wine
8.0 needs) and the installed ``python.exe``. Results go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_gui import __version__  # noqa: E402
from tests.installer.wine import Prefix, Xvfb  # noqa: E402

HARNESS = ROOT / "tests" / "installer" / "window_harness.py"
SAMPLE = ROOT / "tests" / "data" / "sample-2025.govreport"
MODES = ("bare", "floor", "app")  # app: started staged, as govreport-gui FILE starts (painted, then checked)


def shown_after(pfx: Prefix, mode: str, out: Path) -> tuple[float, float]:
    """(wall seconds from launching python.exe, the process's CPU seconds) to the painted window."""
    python = pfx.win_path(pfx.install_dir / "python" / "python.exe")
    args = [python, "-E", "-s", "-X", "utf8", pfx.win_path(HARNESS), "staged" if mode == "app" else mode,
            pfx.win_path(out)]
    if mode == "app":
        args.append(pfx.win_path(SAMPLE))
    t0 = time.time()
    proc = pfx.popen(*args)
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if not line.startswith("SHOWN"):
        raise RuntimeError(line + proc.stderr.read())  # type: ignore[union-attr]
    proc.stdout.readline()  # type: ignore[union-attr]
    proc.stdin.write("\n")  # type: ignore[union-attr]
    proc.stdin.close()  # type: ignore[union-attr]
    proc.wait(timeout=60)  # not communicate(): wine's helper processes inherit the pipes and keep them open
    _, shown, cpu = line.split()
    return float(shown) - t0, float(cpu)


def main(n: int, persistent: bool) -> None:
    setup = ROOT / "dist" / f"GovReport-{__version__}-setup.exe"
    display = Xvfb()
    with tempfile.TemporaryDirectory(prefix="govreport-wine-bench-") as tmp:
        pfx = Prefix(Path(tmp), display.display)
        try:
            print(f"prefix: {pfx.boot('win10'):.1f} s")
            t0 = time.perf_counter()
            proc = pfx.run(str(setup), "/S")
            pfx.wait()
            assert proc.returncode == 0, proc.stderr
            print(f"install: {time.perf_counter() - t0:.1f} s")
            size = sum(p.stat().st_size for p in pfx.install_dir.rglob("*") if p.is_file())
            print(f"installer {setup.stat().st_size / 2**20:.1f} MB, installed {size / 2**20:.1f} MB")
            out = Path(tmp)
            if persistent:
                pfx.persist()
            first = {m: shown_after(pfx, m, out) for m in MODES}  # first start: cold file cache
            print("first start: " + ", ".join(f"{m} {t[0]:.2f} s" for m, t in first.items()))
            times: dict[str, list[tuple[float, float]]] = {m: [] for m in MODES}
            for _ in range(n):
                for mode in times:
                    times[mode].append(shown_after(pfx, mode, out))
            for mode, ts in times.items():
                walls, cpus = [t[0] for t in ts], [t[1] for t in ts]
                print(f"{mode}: wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}), "
                      f"CPU median {statistics.median(cpus):.3f} s")
            for i, kind in enumerate(("wall", "CPU")):
                median = {m: statistics.median(t[i] for t in ts) for m, ts in times.items()}
                print(f"{kind}: app/floor {median['app'] / median['floor']:.2f}, app/bare {median['app'] / median['bare']:.2f}")
        finally:
            pfx.kill()
            display.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, "--persistent-wineserver" in sys.argv)
