"""Run Windows programs in a throw-away wine prefix (used by the installer test and bench/).

Traps this module handles (wine 8.0, Debian 12): a Windows program's output redirected to a file fails,
so every stream is a pipe; wine passes no ``QT_*`` variables; Chinese code page 936 and Chinese file
names need ``LC_ALL=zh_CN.UTF-8`` with a generated locale (``localedef`` into a cache, ``LOCPATH``);
wine gets its own ``HOME`` and no ``winemenubuilder.exe`` so nothing lands in the host's menus.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HARNESS = Path(__file__).with_name("window_harness.py")  # the test-only window driver (wine 8.0 needs it)

CACHE = Path(os.environ.get("GOVREPORT_CACHE") or Path.home() / ".cache" / "govreport-build")
TOOLS = ("wine", "wineserver", "makensis", "osslsigncode", "Xvfb", "localedef")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def zh_locale() -> Path:
    """A compiled zh_CN.UTF-8 locale in the cache (generated once, ~4 s); returns the LOCPATH."""
    root = CACHE / "locale"
    if not (root / "zh_CN.UTF-8" / "LC_CTYPE").exists():
        root.mkdir(parents=True, exist_ok=True)
        # localedef exits 1 on harmless warnings; the check below is what matters
        subprocess.run(["localedef", "-i", "zh_CN", "-f", "UTF-8", str(root / "zh_CN.UTF-8")],
                       capture_output=True, check=False)
        if not (root / "zh_CN.UTF-8" / "LC_CTYPE").exists():
            raise RuntimeError("localedef zh_CN.UTF-8 failed (Debian package: locales)")
    return root


def wine_shims() -> list[Path]:
    """TEST-ONLY DLLs for the prefix, built once with the project's zig (wine_shims/*.c): wine 8.0
    has no bcryptprimitives.dll, which cryptography's Rust extension needs (every Windows 10 has it)."""
    out = CACHE / "wine-shims"
    built = []
    for source in sorted((Path(__file__).parent / "wine_shims").glob("*.c")):
        dll = out / f"{source.stem}.dll"
        stamp = dll.with_suffix(".sha256")
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if not dll.exists() or not stamp.exists() or stamp.read_text() != digest:
            out.mkdir(parents=True, exist_ok=True)
            root = Path(__file__).resolve().parents[2]
            zig = subprocess.run(["bash", str(root / "installer" / "zig.sh")], capture_output=True, text=True,
                                 check=True).stdout.strip()
            cache = str(CACHE / "zig-cache")
            subprocess.run([zig, "cc", "-target", "x86_64-windows-gnu", "-O2", "-s", "-shared", "-o", str(dll),
                            str(source), "-ladvapi32"], check=True, capture_output=True,
                           env={**os.environ, "ZIG_GLOBAL_CACHE_DIR": cache, "ZIG_LOCAL_CACHE_DIR": cache})
            stamp.write_text(digest)
        built.append(dll)
    return built


class Xvfb:
    """A private X display for wine's windows (the display number is picked by Xvfb itself)."""

    def __init__(self, size: str = "1280x1024x24") -> None:
        read, write = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
                                     pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as fh:
            self.display = ":" + fh.readline().strip()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@dataclass
class Prefix:
    """A fresh 64-bit wine prefix with its own HOME under ``root``."""

    root: Path
    display: str
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        home = self.root / "home"
        home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "WINEPREFIX": str(self.root / "prefix"),
            "WINEARCH": "win64",
            "WINEDEBUG": "-all",
            # no menu entries in the host, no Mono/Gecko download prompts in a fresh prefix
            "WINEDLLOVERRIDES": "winemenubuilder.exe=d;mscoree=d;mshtml=d",
            "LC_ALL": "zh_CN.UTF-8",
            "LOCPATH": str(zh_locale()),
            "DISPLAY": self.display,
        }

    @property
    def user_dir(self) -> Path:
        return self.root / "prefix" / "drive_c" / "users" / pwd.getpwuid(os.getuid()).pw_name

    @property
    def install_dir(self) -> Path:
        return self.user_dir / "AppData" / "Local" / "Programs" / "GovReport"

    def win_path(self, path: Path) -> str:
        """The Windows name of a host path: under drive_c as C:, elsewhere through wine's Z: drive."""
        path = path.resolve()
        drive_c = (self.root / "prefix" / "drive_c").resolve()
        if path.is_relative_to(drive_c):
            return "C:\\" + str(path.relative_to(drive_c)).replace("/", "\\")
        return "Z:" + str(path).replace("/", "\\")

    def run(self, *args: str, timeout: float = 180, extra_env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        """``wine ARGS`` with every stream a pipe; output decoded as UTF-8."""
        env = {**self.env, **(extra_env or {})}
        try:
            return subprocess.run(["wine", *args], env=env, stdin=subprocess.PIPE, capture_output=True,
                                  timeout=timeout, encoding="utf-8", errors="replace")
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(["wine", *args], env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, encoding="utf-8", errors="replace")

    def boot(self, windows_version: str = "win10") -> float:
        """Create the prefix (wine 8.0 defaults to Windows 7); returns seconds taken."""
        t0 = time.perf_counter()
        self.run("wineboot", "-i", timeout=300)
        self.run("winecfg", "-v", windows_version, timeout=120)
        self.wait()
        for dll in wine_shims():  # what Windows 10 has and wine 8.0 lacks
            shutil.copy(dll, self.root / "prefix" / "drive_c" / "windows" / "system32" / dll.name)
        return time.perf_counter() - t0

    def set_version(self, windows_version: str) -> None:
        self.run("winecfg", "-v", windows_version, timeout=120)

    def wait(self, timeout: float = 180) -> None:
        """Until every process of the prefix has ended (an NSIS uninstaller re-launches itself)."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=timeout, check=False)

    def persist(self) -> None:
        """Keep wineserver running between programs (else each start pays for booting it again)."""
        subprocess.run(["wineserver", "-p"], env=self.env, timeout=30, check=False)

    def kill(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, timeout=30, check=False)

    def show_window(self, python: str | Path, folder: Path, *files: Path,
                    while_shown: Callable[[], None] | None = None) -> tuple[str, dict]:
        """The installed window through ``window_harness.py`` (run by ``python``, the installed
        python.exe, a host path or a Windows one; ``folder`` for its output; ``files`` opened): its ``SHOWN <time>`` line and what
        it reports; ``while_shown`` runs (e.g. a screenshot) before the window is told to close."""
        exe = python if isinstance(python, str) else self.win_path(python)
        proc = self.popen(exe, "-E", "-s", "-X", "utf8", self.win_path(HARNESS), "app", self.win_path(folder),
                          *map(self.win_path, files))
        try:
            shown = proc.stdout.readline()  # type: ignore[union-attr]
            assert shown.startswith("SHOWN"), shown + proc.stderr.read()  # type: ignore[union-attr]
            info = json.loads(proc.stdout.readline())  # type: ignore[union-attr]
            if while_shown is not None:
                while_shown()
            proc.stdin.write("\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
            assert proc.wait(timeout=60) == 0, proc.stderr.read()  # type: ignore[union-attr]
        finally:
            if proc.poll() is None:
                proc.kill()
        return shown, info

    def reg_query(self, key: str) -> str:
        """``reg query KEY``'s output. Right after an installer, wine now and then fails to start reg.exe
        itself (ShellExecuteEx 失败, no key printed): asked again once the prefix is idle."""
        for _ in range(3):
            out = self.run("reg", "query", key, timeout=60).stdout
            if "HKEY_" in out:
                break
            self.wait()
        return out
