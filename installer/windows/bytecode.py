"""Precompile the Windows payload's .py files with the bundled Windows interpreter itself, under wine.

Bytecode must come from the interpreter that loads it: built by whatever Python the build machine
happens to have, it depended on a Linux 3.13 being there (a fresh Debian 12 has 3.11). The bundled
python.exe runs ``compileall`` in a wine prefix kept in the build cache. The .pyc files are
unchecked-hash (valid whatever the installed files' timestamps) and named relative to the payload.

Each compiled file is cached under a key of (interpreter, path, source bytes), so a build where only
the app changed compiles only the app's files, and an unchanged payload starts no wine at all.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

PYC_TAG = "cpython-313"
RECIPE = "unchecked-hash, -B -f"  # part of the cache key: a change of how files are compiled recompiles them
UNCHECKED_HASH = 1
UNUSED_DAYS = 30  # cached .pyc files not used by any build for this long are removed


def wine_env(cache: Path) -> dict[str, str]:
    home = cache / "wine-build" / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "WINEPREFIX": str(cache / "wine-build" / "prefix"),
        "WINEARCH": "win64",
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "winemenubuilder.exe=d;mscoree=d;mshtml=d",
        "LANG": "C.UTF-8",
    }


def win_path(path: Path) -> str:
    return "Z:" + str(path.resolve()).replace("/", "\\")


def _pyc_of(source: Path) -> Path:
    return source.parent / "__pycache__" / f"{source.stem}.{PYC_TAG}.pyc"


def _key(interpreter_id: str, rel: str, data: bytes) -> str:
    salt = f"{interpreter_id}\0{RECIPE}\0{rel}\0".encode()
    return hashlib.sha256(salt + data).hexdigest()


def compile_pyc(python: Path, cache: Path, interpreter_id: str) -> str:
    """Write __pycache__/*.cpython-313.pyc for every .py under ``python``/Lib. Returns a summary."""
    store = cache / "pyc"
    sources = sorted((python / "Lib").rglob("*.py"))
    missing: list[tuple[Path, Path]] = []
    for source in sources:
        rel = source.relative_to(python).as_posix()
        cached = store / _key(interpreter_id, rel, source.read_bytes())
        if cached.is_file():
            _pyc_of(source).parent.mkdir(exist_ok=True)
            shutil.copyfile(cached, _pyc_of(source))
            os.utime(cached)  # still in use
        else:
            missing.append((source, cached))
    seconds = 0.0
    if missing:
        t0 = time.perf_counter()
        _run_compileall(python, cache, [s for s, _ in missing])
        seconds = time.perf_counter() - t0
        store.mkdir(parents=True, exist_ok=True)
        for source, cached in missing:
            pyc = _pyc_of(source)
            if not pyc.is_file():
                raise SystemExit(f"构建失败：Windows 解释器没有生成 {pyc}")
            if int.from_bytes(pyc.read_bytes()[4:8], "little") != UNCHECKED_HASH:
                raise SystemExit(f"构建失败：{pyc} 不是 unchecked-hash 字节码")
            tmp = cached.with_suffix(f".tmp{os.getpid()}")
            shutil.copyfile(pyc, tmp)
            tmp.replace(cached)
    _prune(store)
    return f"{len(sources)} 个文件，{len(missing)} 个由 wine 中的 python.exe 新编译（{seconds:.0f} 秒），其余取自缓存"


def _run_compileall(python: Path, cache: Path, files: list[Path]) -> None:
    for tool in ("wine", "wineserver"):
        if shutil.which(tool) is None:
            raise SystemExit(f"构建失败：缺少 {tool}（Debian：apt-get install wine wine64）")
    env = wine_env(cache)
    listing = python.parent / "compile-list.txt"
    # relative names (Lib\json\__init__.py): the .pyc records no build-machine path
    listing.write_text("\n".join(str(f.relative_to(python)).replace("/", "\\") for f in files) + "\n",
                       encoding="utf-8")
    lock = (cache / "wine-build.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # one prefix shared by concurrent builds: boot it once
    try:
        if not (Path(env["WINEPREFIX"]) / "system.reg").exists():
            subprocess.run(["wineboot", "-i"], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
        # Every stream a pipe: wine fails to write a Windows program's output to a redirected file.
        # -B: the modules compileall itself imports must not get timestamp .pyc first (compileall
        # would then keep them); -f: nothing found on disk is kept either.
        proc = subprocess.run(
            ["wine", "python.exe", "-B", "-E", "-s", "-X", "utf8", "-m", "compileall", "-q", "-f", "-j", "0",
             "--invalidation-mode", "unchecked-hash", "-i", win_path(listing)],
            cwd=python, env=env, stdin=subprocess.PIPE, capture_output=True, timeout=1800,
            encoding="utf-8", errors="replace")
        subprocess.run(["wineserver", "-w"], env=env, timeout=120, check=False)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
        listing.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise SystemExit(f"构建失败：wine 中的 compileall 退出码 {proc.returncode}\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


def _prune(store: Path) -> None:
    cutoff = time.time() - UNUSED_DAYS * 86400
    for p in store.glob("*"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass
