#!/usr/bin/env bash
# Does the README's test command pass on a fresh machine? (issue 20; run before a release, not in CI)
#
#   sudo bash scripts/fresh-debian-check.sh [bookworm|trixie] [PYTEST ARGS]   → build/fresh-<suite>.log
#
# Without PYTEST ARGS it runs `bash .ci/run` (the whole suite); with them `bash scripts/run-tests.sh
# ARGS` (the same set-up, then only those tests, e.g. tests/installer/test_windows_installer.py).
#
# Makes a minimal Debian (debootstrap --variant=minbase) with only python3, python3-venv, python3-pip,
# git and ca-certificates, clones this repository's committed HEAD into it (full history: the
# upgrade tests build the previous release) and runs `bash .ci/run` there as root, as CI does. Nothing
# of this machine comes along: no pyenv, no .venv, an empty build cache (so it is a cold run: about an
# hour on 2 cores) — only downloaded .debs are shared with the host's apt cache folder, and the
# host's CA bundle replaces the system's (this machine's network re-signs TLS).
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-bookworm}"
shift || true
command=".ci/run"
[ $# -gt 0 ] && command="scripts/run-tests.sh $*"
source installer/linux/chroot.sh
[ "$(id -u)" -eq 0 ] || { echo "需要 root（debootstrap、chroot）" >&2; exit 1; }
mkdir -p build
log="$PWD/build/fresh-$suite.log"
root=$(mktemp -d "${TMPDIR:-/var/tmp}/govreport-fresh-$suite.XXXXXX")
trap 'umount "$root" 2>/dev/null; safe_rm "$root"' EXIT
started=$(date +%s)
unpack "$(base_tarball amd64 "$suite")" "$root"
# as on a real machine, / is a mount point: the tests' own mount namespaces (unshare -m) work
mount --bind "$root" "$root"
with_chroot "$root" apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip git \
  ca-certificates >/dev/null
# this machine's network re-signs TLS: its CA bundle stands in for the system's (as on the host)
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
git clone -q --no-local "$PWD" "$root/root/govreport"
echo "$(date -Is) 全新 $suite：$(git rev-parse --short HEAD)，开始 bash $command" | tee "$log"
set +e
CHROOT_ENV="CI=true" with_chroot "$root" sh -c "cd /root/govreport && bash $command" >>"$log" 2>&1
code=$?
set -e
echo "$(date -Is) bash $command 退出码 $code，用时 $(( ($(date +%s) - started) / 60 )) 分钟" | tee -a "$log"
tail -5 "$log"
exit "$code"
