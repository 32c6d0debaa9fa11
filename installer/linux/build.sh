#!/usr/bin/env bash
# Build the 信创 Linux package: bash installer/linux/build.sh [amd64|arm64]   (as root)
# → dist/govreport_<version>_<arch>.deb and .sha256. See installer/README.md.
#
# The bundle is frozen inside a Debian 11 (bullseye, glibc 2.31) chroot, because a bundle needs the
# glibc of the system that built it or newer; the build fails if any file needs more than 2.31.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=installer/linux
arch="${1:-amd64}"
source "$here/chroot.sh"

[ "$(id -u)" -eq 0 ] || { echo "构建 Linux 安装包需要 root 权限（debootstrap、chroot）" >&2; exit 1; }
for tool in debootstrap zstd dpkg-deb python3; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请先运行 bash scripts/setup.sh test" >&2; exit 1; }
done
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' govreport_gui/__init__.py)
started=$(date +%s)

# 1. the build system: bullseye + Python + Qt's system libraries + pinned wheels, kept unpacked in the
#    cache under a name derived from its contents (PyInstaller's cache of stripped binaries inside
#    it then also survives, which halves the next build); one build at a time per system
work="build/linux-$arch"
mkdir -p "$work" "$GOVREPORT_CACHE"
requirements="$work/requirements.txt"
if [ "$arch" = arm64 ]; then  # aarch64 wheels after 6.8.0.2 need glibc 2.39 (manylinux_2_39)
  sed 's/==6\.9\.3$/==6.8.0.2/' "$here/requirements.txt" > "$requirements"
else
  cp "$here/requirements.txt" "$requirements"
fi
packages="$work/build-packages.txt"
cp "$here/build-packages.txt" "$packages"
if [ "$arch" = arm64 ]; then  # the aarch64 wheels' xcb and image plugins link these (x86_64 ones have them built in)
  echo "libsm6 libice6 libtiff5 libwebp6 libwebpdemux2 libwebpmux3" >> "$packages"
fi
key=$(cat "$requirements" "$packages" | sha256sum | cut -c1-12)
root="$GOVREPORT_CACHE/$SUITE-$arch-build-$key"
exec 9>"$GOVREPORT_CACHE/$SUITE-$arch-build.lock"
flock 9
if [ ! -f "$root/.complete" ]; then
  base=$(base_tarball "$arch")
  echo "准备构建环境（Python、Qt 运行库、PySide6）…"
  unpack "$base" "$root"
  cp "$requirements" "$root/tmp/requirements.txt"
  # shellcheck disable=SC2046
  with_chroot "$root" apt-get install -y -qq --no-install-recommends \
    $(grep -v '^#' "$packages") >"$work/apt.log"
  with_chroot "$root" sh -ec 'python3 -m venv /opt/venv
    /opt/venv/bin/pip install -q --no-cache-dir --upgrade "pip<26"
    /opt/venv/bin/pip install -q --no-cache-dir -r /tmp/requirements.txt
    /opt/venv/bin/pip freeze > /opt/venv/freeze.txt'
  touch "$root/.complete"
  for old in "$GOVREPORT_CACHE/$SUITE-$arch-build-"*; do  # superseded build systems
    [ "$old" = "$root" ] || safe_rm "$old"
  done
fi
echo "构建环境就绪（$(($(date +%s) - started)) 秒）"

# 2. freeze the app inside the chroot, from a copy of the sources
safe_rm "$root/src"; mkdir -p "$root/src"
cp -r govreport_gui installer resources pyproject.toml "$root/src/"
find "$root/src" -name __pycache__ -prune -exec rm -rf {} +
CHROOT_ENV=PYTHONPATH=/src with_chroot "$root" sh -ec 'cd /src && /opt/venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath /src/dist --workpath /src/build installer/govreport.spec' >"$work/pyinstaller.log" 2>&1 \
  || { tail -30 "$work/pyinstaller.log" >&2; echo "PyInstaller 打包失败（详见 $work/pyinstaller.log）" >&2; exit 1; }
bundle="$work/bundle"
rm -rf "$bundle"; mv "$root/src/dist/govreport" "$bundle"
cp "$root/opt/venv/freeze.txt" "$work/freeze.txt"

# 3. glibc floor: fail above 2.31 (Kylin V10); say whether UOS 20's 2.28 is met too
python3 "$here/elfdeps.py" glibc "$bundle" --max 2.31 --also 2.28 | tee "$work/glibc.txt"
floor=$(sed -n 's/^GLIBC_FLOOR=//p' "$work/glibc.txt")

# 4. Depends: each library the bundle loads but does not ship → the bullseye package providing it
python3 "$here/elfdeps.py" external "$bundle" > "$root/tmp/sonames.txt"
with_chroot "$root" sh -c 'while read -r so; do
    pkg=$(dpkg -S "*/$so" 2>/dev/null | grep -E "/$so\$" | head -1 | cut -d: -f1)
    echo "$so ${pkg:-?}"
  done < /tmp/sonames.txt' > "$work/sonames-packages.txt"
if grep -q ' ?$' "$work/sonames-packages.txt"; then
  echo "错误：以下库在构建环境中找不到提供它的软件包（请加入 $here/build-packages.txt 或 build.sh 中的 arm64 附加列表）：" >&2
  grep ' ?$' "$work/sonames-packages.txt" >&2; exit 1
fi
# plus fontconfig-config: the bundled libfontconfig reads the system's /etc/fonts/fonts.conf, without
# which no font is found (a bare system has none; every desktop does)
depends=$( (cut -d' ' -f2 "$work/sonames-packages.txt"; echo fontconfig-config) | sort -u \
  | sed "s/^libc6\$/libc6 (>= $floor)/" | paste -sd, - | sed 's/,/, /g')
safe_rm "$root/src"

# 5. the .deb
bash "$here/make-deb.sh" "$bundle" "$version" "$arch" "$depends" "dist/govreport_${version}_${arch}.deb"
echo "完成：dist/govreport_${version}_${arch}.deb（glibc ≥ $floor，用时 $(($(date +%s) - started)) 秒）"
