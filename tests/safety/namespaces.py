"""Whether this machine lets the tests mount a tmpfs in a mount namespace of their own (root and
``unshare -m``): a real Debian as root can; a chroot whose / is not a mount point, or a container
without CAP_SYS_ADMIN, cannot — there the tests that need it are skipped, saying why."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

UNSHARE = shutil.which("unshare")


@functools.cache
def mount_namespace_refused() -> str:
    """Why a mount namespace cannot be had here ("" when it can)."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return "needs root for a mount namespace"
    if not UNSHARE:
        return "needs unshare (util-linux) for a mount namespace"
    probe = subprocess.run([UNSHARE, "-m", "true"], capture_output=True, text=True, timeout=30, check=False)
    if probe.returncode:
        return f"unshare -m is refused here: {probe.stderr.strip()}"
    return ""
