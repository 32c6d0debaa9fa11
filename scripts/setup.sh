#!/usr/bin/env bash
# Set up everything GovReport needs on Debian/Ubuntu (root or sudo) and in ./.venv.
# Usage: scripts/setup.sh [app|test]   — idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-app}"

# Qt offscreen/xcb runtime libraries, a CJK font (Noto for looks, AR PL for PDF text that reads back
# cleanly), and for tests LibreOffice + poppler as the reference DOCX reader.
pkgs=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
      fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming python3-venv)
if [ "$purpose" = app ]; then
  pkgs+=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
         libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)
else
  pkgs+=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
         strace                                                  # PDF export makes no connection
         cups printer-driver-cups-pdf                            # the real print path (a test's own cupsd)
         wine wine64 nsis osslsigncode xvfb locales imagemagick   # the Windows installer test
         debootstrap zstd binutils curl)                         # the Debian chroots of the .deb
fi
missing=()
if command -v dpkg >/dev/null; then
  for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统组件：${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.govreport-installed-$purpose
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  extra=""; [ "$purpose" = test ] && extra="[test]"
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra" > .venv/pip.log 2>&1; then
    grep -v '^WARNING: Location' .venv/pip.log | tail -30
    echo "安装 Python 依赖失败（详见 .venv/pip.log）" >&2
    exit 1
  fi
  touch "$stamp"  # only after a successful install: a failed one is retried next time
fi
