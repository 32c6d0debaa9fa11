#!/usr/bin/env bash
# Build installers. See installer/README.md.
#   bash installer/build.sh windows               dist/GovReport-<version>-setup.exe, cross-built here
#   bash installer/build.sh linux [amd64|arm64]   信创 .deb, frozen in a Debian 11 chroot (root)
#   bash installer/build.sh all                   every installer this machine can build
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  windows) bash installer/windows/build.sh ;;
  linux) bash installer/linux/build.sh "${2:-amd64}" ;;
  all) bash installer/windows/build.sh && bash installer/linux/build.sh amd64 \
         && bash installer/linux/build.sh arm64 ;;  # arm64 under qemu: slow
  *) echo "用法：bash installer/build.sh windows | linux [amd64|arm64] | all" >&2; exit 2 ;;
esac
