#!/usr/bin/env bash
# make-deb.sh BUNDLE VERSION ARCH DEPENDS OUT.deb: wrap a frozen bundle in a .deb laid out for the
# UOS app store (/opt/apps/<id>/files, entries/, info) and usable on Kylin/Debian (links in /usr).
# Recommends: the AR PL fonts the printed forms fall back to (see ui/printout/printing.py); UOS/Kylin may have their own.
set -euo pipefail
bundle="$1" version="$2" arch="$3" depends="$4" out="$5"
here=$(cd "$(dirname "$0")" && pwd)
id=cn.govreport.app
app=/opt/apps/$id
root=$(dirname "$bundle")/deb-root
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root$app/entries/applications" "$root$app/entries/icons/hicolor/scalable/apps" \
  "$root$app/entries/mime/packages" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/mime/packages"
cp -a "$bundle" "$root$app/files"
cp "$here/$id.desktop" "$root$app/entries/applications/"
cp "$here/$id.xml" "$root$app/entries/mime/packages/"
cp "$here/../../resources/icons/govreport.svg" "$root$app/entries/icons/hicolor/scalable/apps/$id.svg"
cat > "$root$app/info" <<INFO
{
  "appid": "$id",
  "name": "政府信息公开年度报告",
  "version": "$version",
  "arch": ["$arch"],
  "permissions": {"autostart": false, "notification": false, "trayicon": false,
                  "clipboard": true, "account": false, "bluetooth": false, "camera": false,
                  "audio_record": false, "installed_apps": false}
}
INFO
# the bootloader finds its files through /proc/self/exe, so plain symlinks work as commands
ln -s "$app/files/govreport" "$root/usr/bin/govreport"
ln -s "$app/files/govreport-gui" "$root/usr/bin/govreport-gui"
# Kylin and plain Debian read /usr/share only; UOS reads entries/ too
ln -s "$app/entries/applications/$id.desktop" "$root/usr/share/applications/$id.desktop"
ln -s "$app/entries/icons/hicolor/scalable/apps/$id.svg" "$root/usr/share/icons/hicolor/scalable/apps/$id.svg"
ln -s "$app/entries/mime/packages/$id.xml" "$root/usr/share/mime/packages/$id.xml"
install -m 755 "$here/postinst" "$here/postrm" "$root/DEBIAN/"
cat > "$root/DEBIAN/control" <<CONTROL
Package: govreport
Version: $version
Architecture: $arch
Maintainer: GovReport <govreport@localhost>
Installed-Size: $(du -sk --apparent-size "$root" | cut -f1)
Depends: $depends
Recommends: fonts-arphic-ukai, fonts-arphic-uming
Section: office
Priority: optional
Description: 政府信息公开工作年度报告编制工具
 Prepare, check and export the annual government information disclosure
 report (2021 national format): tables, cross-checks, DOCX/PDF/XLSX export.
 Works offline. Commands: govreport-gui (window) and govreport (command line).
CONTROL
mkdir -p "$(dirname "$out")"
# xz, not zstd: dpkg before 1.21.18 (UOS 20, Kylin V10) cannot read zstd members
dpkg-deb -Zxz --root-owner-group --build "$root" "$out" >/dev/null
(cd "$(dirname "$out")" && sha256sum "$(basename "$out")" > "$(basename "$out").sha256")
rm -rf "$root"
