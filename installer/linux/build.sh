#!/usr/bin/env bash
# Build the 信创 Linux package: bash installer/linux/build.sh [amd64|arm64]   (as root)
# → dist/govreport_<version>_<arch>.deb and .sha256. See installer/README.md.
#
# A bundle needs the glibc its files were linked against, or newer. amd64 reaches UOS 20 (glibc 2.28):
# its Python is CPython 3.13 built with zig against glibc-2.28 symbols (build-python.sh), its wheels
# are manylinux_2_28 or older, and the few libraries Debian 11 builds only for newer glibc come from
# the system (Depends:). The freeze runs in a Debian 11 (bullseye) chroot, whose other libraries the
# bundle carries. The build fails if any file needs more than 2.28 (arm64: 2.31, see the README).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=installer/linux
arch="${1:-amd64}"
source "$here/chroot.sh"

[ "$(id -u)" -eq 0 ] || { echo "构建 Linux 安装包需要 root 权限（debootstrap、chroot）" >&2; exit 1; }
for tool in debootstrap zstd dpkg-deb python3 curl; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请先运行 bash scripts/setup.sh test" >&2; exit 1; }
done
[ -x .venv/bin/python ] || bash scripts/setup.sh app
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' govreport_gui/__init__.py)
started=$(date +%s)
work="build/linux-$arch"
mkdir -p "$work" "$GOVREPORT_CACHE"

if [ "$arch" = amd64 ]; then
  max_glibc=2.28  # UOS 20
  platform=manylinux_2_28_x86_64 pyver=3.13
else  # aarch64: bullseye's Python 3.9; PySide6's aarch64 wheels after 6.8.0.2 need glibc 2.39 and
  max_glibc=2.31  # 6.8.0.2's own libQt6Core needs 2.30, so 2.28 is out of reach whatever Python
  platform=manylinux_2_31_aarch64 pyver=3.9
fi

# 1. the wheels: the app's dependencies as pyproject.toml pins them (like the Windows build), for the
#    oldest glibc the package serves, downloaded once per requirement set; plus PyInstaller
rm -rf "$work/wheel"
.venv/bin/python -m pip wheel -q --disable-pip-version-check --no-deps ./ -w "$work/wheel" 2>&1 | grep -v '^WARNING: Location' || true
app_wheel=$(ls "$work"/wheel/govreport_gui-*.whl)
pins=()
[ "$arch" = arm64 ] && pins=("PySide6-Essentials==6.8.0.2")
req_key=$( (python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1])
print(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode())' "$app_wheel" \
              | grep '^Requires-Dist' | grep -v 'extra ==' | sort;
            cat "$here/build-tools.txt"; echo "$platform $pyver ${pins[*]:-}") | sha256sum | cut -c1-16)
wheels="$GOVREPORT_CACHE/linux-wheels-$arch-$req_key"
if [ ! -f "$wheels/.complete" ]; then
  rm -rf "$wheels"; mkdir -p "$wheels"
  # every manylinux tag up to the floor: pip takes --platform literally
  glibc_minor=${platform#manylinux_2_}; glibc_minor=${glibc_minor%%_*}; cpu=${platform##*_2_"$glibc_minor"_}
  platforms=(--platform "manylinux2014_$cpu")
  for ((m = 17; m <= glibc_minor; m++)); do platforms+=(--platform "manylinux_2_${m}_$cpu"); done
  .venv/bin/python -m pip download -q --disable-pip-version-check --only-binary=:all: "${platforms[@]}" \
    --python-version "$pyver" --implementation cp -d "$wheels" "$app_wheel" -r "$here/build-tools.txt" "${pins[@]}" \
    pip 2>&1 | grep -v '^WARNING: Location' || true
  ls "$wheels"/pyside6_essentials-*.whl >/dev/null && ls "$wheels"/pyinstaller-*.whl >/dev/null \
    || { echo "下载 $platform 的 wheel 失败" >&2; exit 1; }
  rm -f "$wheels"/govreport_gui-*.whl
  touch "$wheels/.complete"
  for old in "$GOVREPORT_CACHE/linux-wheels-$arch-"*; do [ "$old" = "$wheels" ] || rm -rf "$old"; done
fi

# 2. the build system: bullseye + the system libraries Qt links (PyInstaller bundles them from here)
#    + tools, kept unpacked in the cache under a name derived from its package list
packages="$work/build-packages.txt"
cp "$here/build-packages.txt" "$packages"
if [ "$arch" = arm64 ]; then  # bullseye's Python; the aarch64 wheels' xcb and image plugins link these
  echo "python3 python3-venv libpython3.9 libsm6 libice6 libtiff5 libwebp6 libwebpdemux2 libwebpmux3" >> "$packages"
fi
key=$(sha256sum "$packages" | cut -c1-12)
root="$GOVREPORT_CACHE/$SUITE-$arch-build-$key"
exec 9>"$GOVREPORT_CACHE/$SUITE-$arch-build.lock"
flock 9
if [ ! -f "$root/.complete" ]; then
  base=$(base_tarball "$arch")
  echo "准备构建环境（Qt 运行库、构建工具）…"
  unpack "$base" "$root"
  # shellcheck disable=SC2046
  with_chroot "$root" apt-get install -y -qq --no-install-recommends \
    $(grep -v '^#' "$packages") >"$work/apt.log"
  touch "$root/.complete"
  for old in "$GOVREPORT_CACHE/$SUITE-$arch-build-"*; do  # superseded build systems
    [ "$old" = "$root" ] || safe_rm "$old"
  done
fi

# 3. the interpreter. amd64: CPython built with zig against glibc 2.28, cached as a tarball
if [ "$arch" = amd64 ]; then
  sources="$GOVREPORT_CACHE/sources"
  mkdir -p "$sources"
  while read -r path sha; do
    file="$sources/$(basename "$path")"
    if [ ! -f "$file" ]; then
      curl -fsS --retry 3 -o "$file.part" "$MIRROR/$path" \
        || { echo "下载 $MIRROR/$path 失败（若 Debian 已发布新的安全更新，请更新 $here/python-sources.txt）" >&2; exit 1; }
      mv "$file.part" "$file"
    fi
    [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ] || { echo "构建失败：$file 的 SHA-256 与 python-sources.txt 不符" >&2; exit 1; }
  done < <(grep -v '^#' "$here/python-sources.txt")
  zig=$(bash installer/zig.sh)
  py_key=$( (cat "$here/build-python.sh" "$here/python-sources.txt"; echo "$zig") | sha256sum | cut -c1-12)
  py_tar="$GOVREPORT_CACHE/cpython-glibc2.28-$arch-$py_key.tar.zst"
  if [ ! -s "$py_tar" ]; then
    echo "首次构建：用 zig 编译 CPython（针对 glibc 2.28，约 10–20 分钟 CPU）…"
    safe_rm "$root/tmp/pysrc"; safe_rm "$root/opt/python"
    mkdir -p "$root/tmp/pysrc"
    grep -v '^#' "$here/python-sources.txt" | while read -r path _; do cp "$sources/$(basename "$path")" "$root/tmp/pysrc/"; done
    cp -r "$(dirname "$(dirname "$zig")")" "$root/tmp/pysrc/zig"
    cp "$here/build-python.sh" "$root/tmp/pysrc/"
    t0=$(date +%s)
    with_chroot "$root" bash /tmp/pysrc/build-python.sh /tmp/pysrc /opt/python x86_64-linux-gnu.2.28 \
      >"$work/python-build.log" 2>&1 || { tail -40 "$work/python-build.log" >&2; echo "编译 CPython 失败（详见 $work/python-build.log）" >&2; exit 1; }
    echo "CPython 编译用时 $(($(date +%s) - t0)) 秒"
    python3 "$here/elfdeps.py" glibc "$root/opt/python" --max 2.28 >/dev/null
    python3 "$here/elfdeps.py" unresolved "$root/opt/python"  # nothing that glibc 2.28 may lack
    tar -C "$root/opt" --numeric-owner -I 'zstd -T0 -3' -cf "$py_tar.tmp" python
    mv "$py_tar.tmp" "$py_tar"
    rm -f "$GOVREPORT_CACHE"/cpython-glibc2.28-"$arch"-*.tar.zst.old
    for old in "$GOVREPORT_CACHE"/cpython-glibc2.28-"$arch"-*.tar.zst; do [ "$old" = "$py_tar" ] || rm -f "$old"; done
    safe_rm "$root/tmp/pysrc"
    echo "$py_key" > "$root/opt/python/.key"
  fi
  if [ "$(cat "$root/opt/python/.key" 2>/dev/null)" != "$py_key" ]; then
    safe_rm "$root/opt/python"; tar -C "$root/opt" -I zstd -xf "$py_tar"; echo "$py_key" > "$root/opt/python/.key"
  fi
  python=/opt/python/bin/python3
else
  python=/usr/bin/python3
fi

# 4. the venv with the wheels (rebuilt when the wheel set or the interpreter changes)
venv_key=$(echo "$req_key $(cat "$root/opt/python/.key" 2>/dev/null)" | sha256sum | cut -c1-12)
if [ "$(cat "$root/opt/venv/.key" 2>/dev/null)" != "$venv_key" ]; then
  safe_rm "$root/opt/venv"; safe_rm "$root/tmp/wheels"
  cp -r "$wheels" "$root/tmp/wheels"
  with_chroot "$root" sh -ec "$python -m venv --without-pip /opt/venv
    pip=\$(ls /tmp/wheels/pip-*.whl)
    /opt/venv/bin/python \$pip/pip install -q --no-index --find-links /tmp/wheels pip
    /opt/venv/bin/pip install -q --no-index --find-links /tmp/wheels /tmp/wheels/*.whl
    /opt/venv/bin/pip freeze > /opt/venv/freeze.txt" >"$work/venv.log" 2>&1 \
    || { tail -30 "$work/venv.log" >&2; echo "安装构建环境的 Python 包失败" >&2; exit 1; }
  echo "$venv_key" > "$root/opt/venv/.key"
  safe_rm "$root/tmp/wheels"
fi
echo "构建环境就绪（$(($(date +%s) - started)) 秒）"

# 5. freeze the app inside the chroot, from a copy of the sources
safe_rm "$root/src"; mkdir -p "$root/src"
cp -r govreport_gui installer resources pyproject.toml "$root/src/"
find "$root/src" -name __pycache__ -prune -exec rm -rf {} +
CHROOT_ENV=PYTHONPATH=/src with_chroot "$root" sh -ec 'cd /src && /opt/venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath /src/dist --workpath /src/build installer/govreport.spec' >"$work/pyinstaller.log" 2>&1 \
  || { tail -30 "$work/pyinstaller.log" >&2; echo "PyInstaller 打包失败（详见 $work/pyinstaller.log）" >&2; exit 1; }
bundle="$work/bundle"
rm -rf "$bundle"; mv "$root/src/dist/govreport" "$bundle"
cp "$root/opt/venv/freeze.txt" "$work/freeze.txt"

# 6. glibc floor: fail above the oldest target's glibc
python3 "$here/elfdeps.py" glibc "$bundle" --max "$max_glibc" --also 2.28 | tee "$work/glibc.txt"
floor=$(sed -n 's/^GLIBC_FLOOR=//p' "$work/glibc.txt")

# 7. Depends: each library the bundle loads but does not ship → the bullseye package providing it
#    (the same names on Debian 10 (UOS 20), Kylin V10 and, through Provides:, Debian 13)
python3 "$here/elfdeps.py" external "$bundle" > "$root/tmp/sonames.txt"
with_chroot "$root" sh -c 'while read -r so; do
    pkg=$(dpkg -S "*/$so" 2>/dev/null | grep -E "/$so\$" | head -1 | cut -d: -f1)
    echo "$so ${pkg:-?}"
  done < /tmp/sonames.txt' > "$work/sonames-packages.txt"
if grep -q ' ?$' "$work/sonames-packages.txt"; then
  echo "错误：以下库在构建环境中找不到提供它的软件包（请加入 $here/build-packages.txt 或 build.sh 中的 arm64 附加列表）：" >&2
  grep ' ?$' "$work/sonames-packages.txt" >&2; exit 1
fi
depends=$(cut -d' ' -f2 "$work/sonames-packages.txt" | sort -u \
  | sed "s/^libc6\$/libc6 (>= $floor)/" | paste -sd, - | sed 's/,/, /g')
safe_rm "$root/src"

# 8. the .deb
bash "$here/make-deb.sh" "$bundle" "$version" "$arch" "$depends" "dist/govreport_${version}_${arch}.deb"
echo "完成：dist/govreport_${version}_${arch}.deb（glibc ≥ $floor，用时 $(($(date +%s) - started)) 秒）"
