#!/usr/bin/env bash
# Instruction counts (callgrind) where wall time is useless (a shared, busy machine):
#   bash bench/callgrind.sh keystroke SCENARIO [ours|floor]   → instructions per edit (bench_gui's scenarios)
#   bash bench/callgrind.sh startup [ours|floor] [painted]    → instructions to the shown, painted, idle window
#                                                               (painted: only to the first paint)
#   bash bench/callgrind.sh rollup                            → instructions per unit file (aggregate --jobs 1)
# Per edit = (a run with 20 edits − the same run with none) / 20. Slow: minutes per figure.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen PYTHONHASHSEED=0
unset PYTHONDONTWRITEBYTECODE  # an installed copy runs from bytecode
out=$(mktemp -d)
total() { callgrind_annotate "$1" 2>/dev/null | grep -m1 "PROGRAM TOTALS" | awk '{gsub(",","",$1); print $1}'; }
case "$1" in
  keystroke)
    export XDG_CONFIG_HOME="$out/config"  # fresh settings: a saved window state elsewhere must not change the figure
    for n in 0 20; do
      valgrind --tool=callgrind --callgrind-out-file="$out/$n" .venv/bin/python bench/keystroke_callgrind.py "$2" $n "${3:-ours}" >/dev/null 2>&1
    done
    echo "$2 ${3:-ours}: $(( ($(total "$out/20") - $(total "$out/0")) / 20 )) instructions per edit (t3-typed: a figure, two keys)" ;;
  startup)
    home="$out/home"; mkdir -p "$home"; cp tests/data/sample-2025.govreport "$home/"
    drain='
from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop
from PySide6.QtWidgets import QApplication
handle = None
while handle is None or not handle.isExposed():  # the first paint runs inside the expose
    QApplication.processEvents()
    handle = w.windowHandle()
import os
if os.environ.get("STOP") == "painted":
    os._exit(0)
_d = QAbstractEventDispatcher.instance()
while _d.processEvents(QEventLoop.ProcessEventsFlag.AllEvents):
    pass
os._exit(0)'
    if [ "${2:-ours}" = floor ]; then
      code="import runpy; w = runpy.run_path('bench/floor_window.py')['w']$drain"
    else  # as govreport-gui FILE starts (staged: the checks, the lock and the recent file after the first paint)
      code="from govreport_gui.app import build_window
w = build_window('$home/sample-2025.govreport', staged=True); w.resize(1200, 860); w.show()$drain"
    fi
    export STOP="${3:-idle}"
    export GOVREPORT_HOME="$home" XDG_CONFIG_HOME="$home"  # fresh settings (as bench_startup.py): no saved window state
    .venv/bin/python -c "$code" >/dev/null 2>&1  # bytecode written
    valgrind --tool=callgrind --callgrind-out-file="$out/s" .venv/bin/python -c "$code" >/dev/null 2>&1
    echo "start-up ${2:-ours} to ${3:-idle}: $(total "$out/s") instructions" ;;
  rollup)
    # per unit = (aggregate of 400 files − aggregate of 200) / 200: start-up and the per-run work cancel out
    for n in 200 400; do
      folder=$(.venv/bin/python -c "import sys; sys.path.insert(0, 'bench'); import bench_rollup; print(bench_rollup.folder_of($n))")
      .venv/bin/python -m govreport_gui.cli aggregate "$folder" -o "$out/sum.govreport" --jobs 1 >/dev/null 2>&1 || true
      valgrind --tool=callgrind --callgrind-out-file="$out/$n" .venv/bin/python -m govreport_gui.cli aggregate "$folder" \
        -o "$out/sum.govreport" --jobs 1 >/dev/null 2>&1 || true
    done
    echo "roll-up: $(( ($(total "$out/400") - $(total "$out/200")) / 200 )) instructions per unit file (200: $(total "$out/200"), 400: $(total "$out/400"))" ;;
  *) echo "usage: bash bench/callgrind.sh keystroke SCENARIO [ours|floor] | startup [ours|floor] [painted] | rollup" >&2; exit 2 ;;
esac
rm -rf "$out"
