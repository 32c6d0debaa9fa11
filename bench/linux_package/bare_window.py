"""The reference for the package's start-up: a bare PySide6 window, frozen like GovReport.

Does what ``govreport-gui FILE --screenshot PNG`` does around the window (show, process events,
grab, save, close), so the two frozen programs differ only in the app's own work.
"""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 860)
window.show()
app.processEvents()
window.grab().save(sys.argv[sys.argv.index("--screenshot") + 1])
window.close()
