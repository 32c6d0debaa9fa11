#!/usr/bin/env bash
# Set everything up and start the GovReport window: scripts/run-app.sh [报告文件]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
  echo "没有图形显示（DISPLAY 未设置）：以无界面方式启动，截图保存到 govreport-window.png 后退出。"
  exec env QT_QPA_PLATFORM=offscreen .venv/bin/govreport-gui --screenshot govreport-window.png "$@"
fi
exec .venv/bin/govreport-gui "$@"
