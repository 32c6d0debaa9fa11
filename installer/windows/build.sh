#!/usr/bin/env bash
# Cross-build the Windows installer and the portable folder on Linux:
#   dist/GovReport-<version>-setup.exe, dist/GovReport-<version>-portable.zip, each with its .sha256.
# Downloads (pinned Windows CPython, Windows wheels, zig), compiled .pyc and the wine prefix that
# compiles them are cached in ${GOVREPORT_CACHE:-~/.cache/govreport-build}. See installer/README.md ("Windows").
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in makensis osslsigncode wine wineserver; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool（Debian：apt-get install nsis osslsigncode wine wine64）" >&2; exit 1; }
done
[ -x .venv/bin/python ] || bash scripts/setup.sh app
cache="${GOVREPORT_CACHE:-$HOME/.cache/govreport-build}/windows"
work=build/windows
rm -rf "$work/wheel"; mkdir -p "$work" dist
# "./", not a bare name: pip would otherwise look the name up on PyPI.
.venv/bin/python -m pip wheel -q --disable-pip-version-check --no-deps ./ -w "$work/wheel" 2>&1 | grep -v '^WARNING: Location' || true
wheel=$(ls "$work"/wheel/govreport_gui-*.whl)
QT_QPA_PLATFORM=offscreen .venv/bin/python installer/windows/payload.py "$work/stage" "$cache" "$wheel"
version=$(sed -n 's/^!define VERSION "\(.*\)"$/\1/p' "$work/stage/payload.nsh")
out="GovReport-$version-setup.exe"
# makensis' LZMA is most of the build time: an identical payload reuses the last installer it made.
cached="$cache/setup-$(cat "$work/payload.key").exe"
if [ -f "$cached" ]; then
  cp "$cached" "dist/$out"
  echo "载荷未变，沿用缓存的安装包 $cached"
else
  makensis -V2 -INPUTCHARSET UTF8 -DSTAGE="$PWD/$work/stage" -DOUTFILE="$PWD/dist/$out" installer/windows/govreport.nsi
  rm -f "$cache"/setup-*.exe
  cp "dist/$out" "$cached"
fi
(cd dist && sha256sum "$out" > "$out.sha256")
echo "已生成 dist/$out（$(du -m "dist/$out" | cut -f1) MB），SHA-256：$(cut -d' ' -f1 "dist/$out.sha256")"

# the portable folder: the same payload as a zip (deflate), cached like the installer
zip_out="GovReport-$version-portable.zip"
cached="$cache/portable-$(cat "$work/payload.key").zip"
if [ ! -f "$cached" ]; then
  .venv/bin/python installer/windows/portable.py "$work/stage" "$cached.tmp" "$version"
  rm -f "$cache"/portable-*.zip
  mv "$cached.tmp" "$cached"
fi
cp "$cached" "dist/$zip_out"
(cd dist && sha256sum "$zip_out" > "$zip_out.sha256")
echo "已生成 dist/$zip_out（$(du -m "dist/$zip_out" | cut -f1) MB），SHA-256：$(cut -d' ' -f1 "dist/$zip_out.sha256")"
