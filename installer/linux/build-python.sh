#!/usr/bin/env bash
# build-python.sh SOURCES PREFIX TARGET: build CPython and the C libraries its modules need with
# `zig cc -target TARGET` (e.g. x86_64-linux-gnu.2.28), installed into PREFIX.
#
# Why: a binary built on a system links against that system's glibc symbol versions. zig links
# against stub libraries of the glibc version named in the target instead, so whatever it builds
# needs at most that glibc (UOS 20: 2.28), wherever it is built. SOURCES holds the pinned source
# tarballs and zig (see python-sources.txt); nothing is downloaded here. Run by build.sh inside the
# build chroot (any Linux with make and sh would do).
set -euo pipefail
src=$(realpath "$1") prefix="$2" target="$3"
zig="$src/zig/ziglang/zig"
jobs=$(nproc)
work=$(mktemp -d /tmp/pybuild.XXXXXX)
trap 'rm -rf "$work"' EXIT
deps="$work/deps"  # static, position-independent C libraries linked into Python's modules
mkdir -p "$deps" "$work/bin"

# zig cc as a compiler that knows only the target: no /usr/include, no host libraries
# (zig's linker knows -soname but not the short -h that CPython's Makefile passes)
for lang in cc c++; do
  cat > "$work/bin/$lang" <<EOF
#!/bin/sh
for a in "\$@"; do
  shift
  case "\$a" in -Wl,-h*) a="-Wl,-soname,\${a#-Wl,-h}" ;; esac
  set -- "\$@" "\$a"
done
exec "$zig" $lang -target $target "\$@"
EOF
done
for tool in ar ranlib; do printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$zig" "$tool" > "$work/bin/$tool"; done
chmod +x "$work"/bin/*
export PATH="$work/bin:$PATH" CC=cc CXX=c++ AR=ar RANLIB=ranlib
export SOURCE_DATE_EPOCH=1735689600  # __DATE__ in sys.version: fixed, so a rebuild is the same file
export CFLAGS="-O2 -fPIC -Wno-error=date-time" LDFLAGS="" PKG_CONFIG_LIBDIR="$deps/lib/pkgconfig" PKG_CONFIG_PATH=""
export ZIG_GLOBAL_CACHE_DIR="$work/zig-cache" ZIG_LOCAL_CACHE_DIR="$work/zig-cache"
host=${target%%-*}-linux-gnu

unpack() { mkdir -p "$work/$1" && tar -C "$work/$1" --strip-components=1 -xf "$src/$2"; }

echo "zlib…"
unpack zlib "$(cd "$src" && ls zlib_*.orig.tar.gz)"
(cd "$work/zlib" && ./configure --static --prefix="$deps" >/dev/null && make -s -j"$jobs" >/dev/null && make -s install >/dev/null)

echo "libffi…"
unpack libffi "$(cd "$src" && ls libffi_*.orig.tar.gz)"
(cd "$work/libffi" && ./configure -q --host="$host" --prefix="$deps" --libdir="$deps/lib" --disable-shared \
   --enable-static --disable-docs --disable-multi-os-directory --disable-exec-static-tramp >/dev/null && make -s -j"$jobs" >/dev/null 2>&1 \
   && make -s install >/dev/null)

echo "bzip2…"
unpack bzip2 "$(cd "$src" && ls bzip2_*.orig.tar.gz)"
(cd "$work/bzip2" && make -s -j"$jobs" CC=cc AR=ar RANLIB=ranlib CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" libbz2.a >/dev/null \
   && mkdir -p "$deps/include" "$deps/lib" && cp bzlib.h "$deps/include/" && cp libbz2.a "$deps/lib/")

echo "xz (liblzma)…"
unpack xz "$(cd "$src" && ls xz-utils_*.orig.tar.xz)"
(cd "$work/xz" && ./configure -q --host="$host" --prefix="$deps" --disable-shared --enable-static --disable-xz \
   --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-scripts --disable-doc --disable-nls >/dev/null \
   && make -s -j"$jobs" >/dev/null && make -s install >/dev/null)

echo "CPython…"
unpack python "$(cd "$src" && ls python3.*_*.orig.tar.xz)"
mkdir -p "$work/debian" && tar -C "$work/debian" -xf "$(ls "$src"/python3.*.debian.tar.xz)"
# Debian's security fixes (everything in its series from the first CVE patch on); Debian's own
# layout patches before them (multiarch, dist-packages…) are left out: this is upstream's layout.
series="$work/debian/debian/patches/series"
awk '/^CVE-/ {on=1} on && !/^#/ && NF' "$series" > "$work/security-patches"
while read -r p; do
  patch -s -d "$work/python" -p1 < "$work/debian/debian/patches/$p"
done < "$work/security-patches"
echo "  $(wc -l < "$work/security-patches") 个 Debian 安全补丁已应用"
cd "$work/python"
# ac_cv_*: functions the headers zig ships declare but a glibc-2.28 system lacks (the link would fail)
./configure -q --host="$host" --build="$host" --prefix="$prefix" --enable-shared --without-ensurepip \
  --without-static-libpython --disable-test-modules \
  CPPFLAGS="-I$deps/include" LDFLAGS="-L$deps/lib -Wl,-rpath,$prefix/lib" \
  LIBFFI_CFLAGS="-I$deps/include" LIBFFI_LIBS="$deps/lib/libffi.a" \
  ZLIB_CFLAGS="-I$deps/include" ZLIB_LIBS="$deps/lib/libz.a" \
  BZIP2_CFLAGS="-I$deps/include" BZIP2_LIBS="$deps/lib/libbz2.a" \
  LIBLZMA_CFLAGS="-I$deps/include" LIBLZMA_LIBS="$deps/lib/liblzma.a" \
  py_cv_module__tkinter=n/a py_cv_module__sqlite3=n/a py_cv_module__dbm=n/a py_cv_module__gdbm=n/a \
  py_cv_module__curses=n/a py_cv_module__curses_panel=n/a py_cv_module_readline=n/a \
  py_cv_module__ssl=n/a py_cv_module__hashlib=n/a py_cv_module__uuid=n/a >"$work/configure.log"
# PY3LIBRARY= : no libpython3.so (the stable-ABI stub library; nothing here links to it, and zig
# cannot link a library made of nothing but another library)
make -s -j"$jobs" PY3LIBRARY= >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
make -s install PY3LIBRARY= >"$work/install.log" 2>&1 || { tail -40 "$work/install.log" >&2; exit 1; }
grep -A30 "The necessary bits" "$work/make.log" || true
