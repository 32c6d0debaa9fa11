#!/usr/bin/env bash
# Build the installers: build.sh windows|linux|all (default all). See installer/README.md.
#   windows: dist/GovReport-<version>-setup.exe (+ .sha256), cross-built here by installer/windows/build.sh
#   linux:   the one-folder PyInstaller bundle dist/govreport/ and (on Debian-like systems) a .deb
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-all}"
case "$target" in
  windows) exec bash installer/windows/build.sh ;;
  linux|all) ;;
  *) echo "用法：bash installer/build.sh windows|linux|all" >&2; exit 2 ;;
esac
bash scripts/setup.sh app
.venv/bin/python -m pip install -q "pyinstaller>=6,<7"
.venv/bin/pyinstaller --noconfirm --distpath dist --workpath build installer/govreport.spec
if command -v dpkg-deb >/dev/null; then
  version=$(.venv/bin/python -c "import govreport_gui; print(govreport_gui.__version__)")
  root=build/deb
  rm -rf "$root"; mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps"
  cp -r dist/govreport "$root/opt/govreport"
  ln -s /opt/govreport/govreport-gui "$root/usr/bin/govreport-gui"
  ln -s /opt/govreport/govreport "$root/usr/bin/govreport"
  cp resources/govreport.desktop "$root/usr/share/applications/"
  cp resources/icons/govreport.svg "$root/usr/share/icons/hicolor/scalable/apps/govreport.svg"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: govreport
Version: $version
Architecture: $(dpkg --print-architecture)
Maintainer: GovReport
Depends: libgl1, libegl1, libxkbcommon0, libfontconfig1, libxcb-cursor0
Description: 政府信息公开工作年度报告编制工具
 Prepare, check and export the annual government information disclosure report (2021 format).
CONTROL
  dpkg-deb -Zxz --root-owner-group --build "$root" "dist/govreport_${version}_$(dpkg --print-architecture).deb"
fi
[ "$target" = all ] && bash installer/windows/build.sh
exit 0
