#!/usr/bin/env bash
# Helpers for Debian chroots, sourced by build.sh and the package test. The package is built in a
# Debian 11 (bullseye) chroot and tested in bare bullseye and trixie (Debian 13) ones. Base systems
# are cached as tarballs outside the tree (CI runs in a fresh clone; the cache survives between runs).
set -euo pipefail

GOVREPORT_CACHE="${GOVREPORT_CACHE:-$HOME/.cache/govreport-build}"
MIRROR="${GOVREPORT_MIRROR:-http://deb.debian.org/debian}"
SUITE=bullseye  # the build system's

# base_tarball ARCH [SUITE]: print the path of a minimal Debian (debootstrap minbase, package lists
# fetched), creating it on first use.
base_tarball() {
  local arch="$1" SUITE="${2:-$SUITE}"
  local tarball="$GOVREPORT_CACHE/$SUITE-$arch-minbase.tar.zst"
  if [ ! -s "$tarball" ]; then
    mkdir -p "$GOVREPORT_CACHE"
    local dir; dir=$(mktemp -d "$GOVREPORT_CACHE/debootstrap.XXXXXX")
    chmod 755 "$dir"  # a system's / must be world-readable (apt drops to user _apt)
    echo "首次构建：用 debootstrap 创建 $SUITE ($arch) 基础系统（约 2 分钟）…" >&2
    if [ "$arch" = "$(dpkg --print-architecture)" ]; then
      debootstrap --variant=minbase --arch "$arch" "$SUITE" "$dir" "$MIRROR" >"$dir.log" 2>&1 \
        || { tail -20 "$dir.log" >&2; safe_rm "$dir"; echo "debootstrap 失败（详见 $dir.log）" >&2; return 1; }
    else  # a foreign system: unpack here, then finish inside it under qemu-user
      { debootstrap --foreign --variant=minbase --arch "$arch" "$SUITE" "$dir" "$MIRROR" && add_qemu "$dir" "$arch" \
          && chroot "$dir" /debootstrap/debootstrap --second-stage; } >"$dir.log" 2>&1 \
        || { tail -20 "$dir.log" >&2; safe_rm "$dir"; echo "debootstrap 失败（详见 $dir.log）" >&2; return 1; }
    fi
    echo "deb $MIRROR $SUITE main" > "$dir/etc/apt/sources.list"
    # lists fetched once here, so later installs need no `apt-get update`
    with_chroot "$dir" apt-get update -qq >&2
    rm -f "$dir"/var/cache/apt/archives/*.deb
    tar -C "$dir" --numeric-owner -I 'zstd -T0 -3' -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    safe_rm "$dir"; rm -f "$dir.log"
  fi
  echo "$tarball"
}

# add_qemu DIR ARCH: let the kernel run ARCH binaries inside DIR through qemu-user-static. The
# binfmt entry of Debian's qemu-user-static has no F flag, so its interpreter must exist inside DIR.
add_qemu() {
  local dir="$1" cpu
  case "$2" in arm64) cpu=aarch64 ;; *) cpu="$2" ;; esac
  [ -x "/usr/bin/qemu-$cpu-static" ] || { echo "缺少 qemu-user-static" >&2; return 1; }
  [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  [ -e "/proc/sys/fs/binfmt_misc/qemu-$cpu" ] || update-binfmts --enable "qemu-$cpu"
  local interpreter; interpreter=$(sed -n 's/^interpreter //p' "/proc/sys/fs/binfmt_misc/qemu-$cpu")
  mkdir -p "$dir$(dirname "$interpreter")"
  cp "/usr/bin/qemu-$cpu-static" "$dir$interpreter"
}

# safe_rm DIR: delete a chroot, but never while anything is still mounted inside it (rm -rf would
# follow a bind mount of /dev into the host)
safe_rm() {
  local dir; dir=$(realpath -m "$1")
  if awk '{print $2}' /proc/mounts | grep -q "^$dir/"; then
    echo "错误：$dir 内仍有挂载点，拒绝删除" >&2; return 1
  fi
  rm -rf "$dir"
}

# unpack TARBALL DIR: a fresh system from a cached tarball
unpack() {
  safe_rm "$2"; mkdir -p "$2"
  tar -C "$2" --numeric-owner -I zstd -xf "$1"
  chmod 755 "$2"
}

# with_chroot DIR CMD…: run CMD as root inside DIR with /proc, /dev, /dev/pts mounted and downloaded
# .debs kept in the cache; a subshell whose EXIT trap unmounts everything, whatever happens.
with_chroot() (
  dir="$1"; shift
  suite=$(. "$dir/etc/os-release" && echo "${VERSION_CODENAME:-unknown}")
  archives="$GOVREPORT_CACHE/apt-archives-$suite-$(chroot "$dir" dpkg --print-architecture)"
  mkdir -p "$archives/partial" "$dir/proc" "$dir/dev" "$dir/var/cache/apt/archives"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  # the host's CA bundle: this machine's egress re-signs TLS, so pip inside needs it
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$dir/etc/ssl/certs"; cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/host-ca.crt"
  fi
  mounted=()
  cleanup() {
    local i
    for ((i=${#mounted[@]}-1; i>=0; i--)); do umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}"; done
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  mount -t proc proc "$dir/proc"; mounted+=("$dir/proc")
  mount --bind /dev "$dir/dev"; mounted+=("$dir/dev")
  mount --bind /dev/pts "$dir/dev/pts"; mounted+=("$dir/dev/pts")
  mount --bind "$archives" "$dir/var/cache/apt/archives"; mounted+=("$dir/var/cache/apt/archives")
  # a clean environment: the host's pip settings (local wheel folders, constraints) do not exist inside
  # shellcheck disable=SC2086
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive PIP_CERT=/etc/ssl/certs/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ${CHROOT_ENV:-} chroot "$dir" "$@"
)
