#!/usr/bin/env bash
# Build the one-folder bundle and (on Debian-like systems) a .deb. See installer/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
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
