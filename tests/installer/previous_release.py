"""The previous release's installers, test inputs of the upgrade tests.

installer/previous-release.txt names the release (version and commit). Its setup.exe and .deb are
built once from that commit (``git archive``) with that commit's own build scripts, then kept in
``$GOVREPORT_CACHE/previous/`` — a cold cache costs one extra build of each, a warm one nothing.
The old Linux build gets a cache folder of its own (seeded with the Debian base system), so that it
cannot replace this build's build system, and that folder is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("GOVREPORT_CACHE") or Path.home() / ".cache" / "govreport-build")


def release() -> tuple[str, str]:
    for line in (ROOT / "installer" / "previous-release.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            version, commit = line.split()
            return version, commit
    raise AssertionError("installer/previous-release.txt names no release")


def previous_installer(kind: str) -> Path:
    """``kind``: "windows" (setup.exe) or "linux" (the amd64 .deb)."""
    version, commit = release()
    name = f"GovReport-{version}-setup.exe" if kind == "windows" else f"govreport_{version}_amd64.deb"
    kept = CACHE / "previous" / f"{version}-{commit[:12]}" / name
    if kept.is_file():
        return kept
    has = subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT, capture_output=True)
    assert has.returncode == 0, f"git history lacks {commit} (release {version}): a shallow clone? git fetch --unshallow"
    with tempfile.TemporaryDirectory(prefix="govreport-previous-", dir=CACHE) as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        (src / ".venv").symlink_to(ROOT / ".venv")  # its build runs with our venv's pip and PySide6
        env = dict(os.environ)
        if kind == "linux":
            own = Path(tmp) / "cache"
            own.mkdir()
            for base in CACHE.glob("bullseye-amd64-minbase.tar.zst"):
                os.link(base, own / base.name)
            archives = CACHE / "apt-archives-bullseye-amd64"
            (own / archives.name / "partial").mkdir(parents=True)
            for deb in archives.glob("*.deb"):  # downloaded .debs as hard links; never apt's lock file,
                os.link(deb, own / archives.name / deb.name)  # whose lock is per inode
            env["GOVREPORT_CACHE"] = str(own)
        done = subprocess.run(["bash", "installer/build.sh", kind], cwd=src, env=env, capture_output=True,
                              text=True, timeout=3600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        if kind == "linux":  # its build system is still mounted nowhere, but remove it as the scripts would
            subprocess.run(["bash", "-c", 'source installer/linux/chroot.sh; for d in "$1"/bullseye-*-build-*; do '
                            '[ -d "$d" ] && safe_rm "$d"; done', "_", str(Path(tmp) / "cache")], cwd=ROOT, check=True)
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / "dist" / name, kept)
    return kept
