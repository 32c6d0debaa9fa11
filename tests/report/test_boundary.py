"""The core must stay Qt-free: importing it (and the CLI) loads no PySide6 module."""

import subprocess
import sys

CODE = """
import sys
import govreport_gui.cli, govreport_gui.report.native, govreport_gui.report.rules, govreport_gui.report.carry
import govreport_gui.export
import pkgutil, importlib
for pkg in ("govreport_gui.report", "govreport_gui.readers", "govreport_gui.export"):
    mod = importlib.import_module(pkg)
    for info in pkgutil.iter_modules(mod.__path__):
        importlib.import_module(f"{pkg}.{info.name}")
leaked = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "govreport_gui.ui")))
print(",".join(leaked))
"""


def test_core_imports_no_qt():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
