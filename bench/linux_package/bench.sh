#!/usr/bin/env bash
# Start-up of the installed .deb against a bare PySide6 window and the floor window (bench/floor_window.py:
# the same Qt widgets and Chinese text, none of our code), both frozen the same way (issue 19 item 2).
#   bash bench/linux_package/bench.sh [runs]     (root; after bash installer/build.sh linux)
# Both run offscreen in a fresh Debian 11 with the package installed by apt; each figure is the
# median wall time from exec to the saved screenshot of the shown window (file cache warm: the
# first run of each is dropped).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-9}"
source installer/linux/chroot.sh
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' govreport_gui/__init__.py)
deb="dist/govreport_${version}_amd64.deb"
build_root=$(ls -d "$GOVREPORT_CACHE"/bullseye-amd64-build-*/ | head -1)
work=build/bench-linux
mkdir -p "$work"
trap 'safe_rm "$build_root/bench"; safe_rm "$work/target"' EXIT

# freeze the bare window in the build system, with the spec's options (one folder, stripped, the
# same Qt modules excluded)
exec 9>"$GOVREPORT_CACHE/bullseye-amd64-build.lock"
flock 9
safe_rm "$build_root/bench"; mkdir -p "$build_root/bench"
cp bench/linux_package/bare_window.py bench/floor_window.py "$build_root/bench/"
with_chroot "$build_root" sh -ec 'cd /bench && for name in bare floor; do /opt/venv/bin/pyinstaller --noconfirm \
  --log-level WARN --onedir --windowed --strip --name $name-window --exclude-module PySide6.QtQml \
  --exclude-module PySide6.QtQuick --exclude-module PySide6.QtNetwork --exclude-module PySide6.QtSql \
  --exclude-module tkinter ${name}_window.py; done' >"$work/pyinstaller.log" 2>&1

unpack "$(base_tarball amd64)" "$work/target"
cp -a "$build_root/bench/dist/bare-window" "$build_root/bench/dist/floor-window" "$work/target/opt/"
cp "$deb" tests/data/sample-2025.govreport "$work/target/tmp/"
with_chroot "$work/target" sh -c "apt-get install -y -qq --no-install-recommends /tmp/$(basename "$deb") fonts-arphic-uming >/dev/null 2>&1"
du -sh "$work/target/opt/bare-window" "$work/target/opt/apps/cn.govreport.app/files" | sed 's|build/bench-linux/target||'
CHROOT_ENV=QT_QPA_PLATFORM=offscreen with_chroot "$work/target" sh -c '
  cd /tmp
  ms() { s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )); }
  for i in $(seq 0 '"$runs"'); do
    echo "bare $(ms /opt/bare-window/bare-window --screenshot bare.png)"
    echo "floor $(ms /opt/floor-window/floor-window --screenshot floor.png)"
    echo "app $(ms govreport-gui sample-2025.govreport --screenshot app.png)"
  done' | tail -n +4 > "$work/times.txt"
python3 - "$work/times.txt" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    name, ms = line.split()
    times.setdefault(name, []).append(int(ms))
bare, floor, app = (statistics.median(times[k]) for k in ("bare", "floor", "app"))
print(f"runs={len(times['app'])}  bare PySide6 window {bare:.0f} ms  floor window {floor:.0f} ms  "
      f"GovReport with a report {app:.0f} ms  ratio to bare {app / bare:.2f}x  to floor {app / floor:.2f}x")
PY
