#!/usr/bin/env bash
# Set everything up and run the whole test suite (lint, import contract, pytest) offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check govreport_gui tests bench
.venv/bin/lint-imports  # the core (report, export) never imports Qt or the ui package
.venv/bin/python -m pytest "$@"
