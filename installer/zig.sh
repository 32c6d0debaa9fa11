#!/usr/bin/env bash
# Print the path of the pinned zig compiler, fetched once into the build cache.
#
# zig (PyPI `ziglang`: one static x86_64 binary with clang, lld, glibc stubs and MinGW) builds the
# .deb's CPython against glibc 2.28 symbols and the Windows GovReport.exe launcher, on any build
# machine, without a system compiler. The wheel's SHA-256 is pinned: another file stops the build.
set -euo pipefail
cd "$(dirname "$0")/.."
ZIG_VERSION=0.14.1
ZIG_SHA256=6eb9d4d759b292c83810dbee2e9e8e3fbfbf01d864e6e9811bae711fd74e1c2f
dir="${GOVREPORT_CACHE:-$HOME/.cache/govreport-build}/zig-$ZIG_VERSION"
if [ ! -x "$dir/ziglang/zig" ]; then
  py=.venv/bin/python; [ -x "$py" ] || py=python3
  tmp=$(mktemp -d "${dir%/*}/zig-download.XXXXXX" 2>/dev/null || { mkdir -p "${dir%/*}"; mktemp -d "${dir%/*}/zig-download.XXXXXX"; })
  trap 'rm -rf "$tmp"' EXIT
  "$py" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform manylinux_2_12_x86_64 "ziglang==$ZIG_VERSION" -d "$tmp" 2>&1 | grep -v '^WARNING: Location' >&2 || true
  wheel=$(ls "$tmp"/ziglang-*.whl 2>/dev/null) || { echo "下载 ziglang==$ZIG_VERSION 失败" >&2; exit 1; }
  actual=$(sha256sum "$wheel" | cut -d' ' -f1)
  [ "$actual" = "$ZIG_SHA256" ] || { echo "构建失败：$wheel 的 SHA-256 为 $actual，与固定值 $ZIG_SHA256 不符" >&2; exit 1; }
  "$py" -m zipfile -e "$wheel" "$tmp/unpacked"
  chmod +x "$tmp/unpacked/ziglang/zig"
  rm -rf "$dir"; mv "$tmp/unpacked" "$dir"
fi
echo "$dir/ziglang/zig"
