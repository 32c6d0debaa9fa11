"""What the ELF files of a bundle need from the system: glibc symbol versions and shared libraries.

    python3 elfdeps.py glibc BUNDLE [--max 2.31]   highest GLIBC_x.y per file; exit 1 above --max
    python3 elfdeps.py external BUNDLE             sonames needed but not shipped in BUNDLE
    python3 elfdeps.py unresolved TREE             undefined symbols with no version that nothing in
                                                   TREE defines; exit 1 if any

A bundle runs only where glibc is at least the highest GLIBC_x.y any of its files was linked
against, so the build fails above the oldest target (UOS 20: 2.28). `unresolved` guards the CPython
that zig builds for glibc 2.28: a function that zig's headers declare but glibc 2.28 lacks would link
into a shared library as an unversioned undefined symbol and fail only when called on the old system.
Reads the ELF tables directly (no binutils needed); 64-bit little-endian only (x86_64, aarch64).
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
from pathlib import Path

SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_VERNEED, SHT_GNU_VERSYM = 6, 11, 0x6FFFFFFE, 0x6FFFFFFF
DT_NEEDED = 1
STB_GLOBAL = 1


def _cstr(data: bytes, offset: int) -> str:
    return data[offset:data.index(b"\0", offset)].decode("ascii", "replace")


def read_elf(path: Path) -> tuple[set[str], set[str]] | None:
    """(DT_NEEDED sonames, required symbol versions) of a 64-bit LE ELF file, None if not one."""
    with open(path, "rb") as f:
        if f.read(6) != b"\x7fELF\x02\x01":
            return None
        data = f.seek(0) or f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    needed: set[str] = set()
    versions: set[str] = set()
    for _name, kind, _flags, _addr, offset, size, link, info, _align, _entsize in sections:
        strtab = sections[link][4] if kind in (SHT_DYNAMIC, SHT_GNU_VERNEED) else 0
        if kind == SHT_DYNAMIC:
            for pos in range(offset, offset + size, 16):
                tag, value = struct.unpack_from("<qQ", data, pos)
                if tag == DT_NEEDED:
                    needed.add(_cstr(data, strtab + value))
        elif kind == SHT_GNU_VERNEED:
            entry = offset
            for _ in range(info):  # sh_info = number of Verneed entries
                _ver, count, _file, aux, nxt = struct.unpack_from("<HHIII", data, entry)
                pos = entry + aux
                for _ in range(count):
                    _hash, _flags2, _other, name, anext = struct.unpack_from("<IHHII", data, pos)
                    versions.add(_cstr(data, strtab + name))
                    pos += anext
                entry += nxt
    return needed, versions


def dynamic_symbols(path: Path) -> tuple[set[str], set[str]]:
    """(symbols defined, global symbols undefined *without* a version) in a 64-bit LE ELF's .dynsym."""
    data = path.read_bytes()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    dynsym = next((s for s in sections if s[1] == SHT_DYNSYM), None)
    versym = next((s for s in sections if s[1] == SHT_GNU_VERSYM), None)
    defined: set[str] = set()
    unversioned: set[str] = set()
    if dynsym is None:
        return defined, unversioned
    strtab = sections[dynsym[6]][4]
    for i in range(1, dynsym[5] // 24):
        name_off, info, _other, shndx = struct.unpack_from("<IBBH", data, dynsym[4] + 24 * i)
        name = _cstr(data, strtab + name_off)
        if shndx != 0:
            defined.add(name)
        elif info >> 4 == STB_GLOBAL and name:  # weak undefined symbols may be absent by design
            version = struct.unpack_from("<H", data, versym[4] + 2 * i)[0] if versym else 1
            if version & 0x7FFF <= 1:
                unversioned.add(name)
    return defined, unversioned


def unresolved_symbols(tree: Path) -> dict[str, set[str]]:
    """Per file: unversioned undefined symbols that no ELF file of ``tree`` defines."""
    files = [path for path, _info in elf_files(tree)]
    tables = {path: dynamic_symbols(path) for path in files}
    everywhere = set().union(*(d for d, _u in tables.values())) if tables else set()
    return {str(p.relative_to(tree)): u - everywhere for p, (_d, u) in tables.items() if u - everywhere}


def elf_files(bundle: Path):
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = read_elf(path)
            if info is not None:
                yield path, info


def _glibc(versions: set[str]) -> tuple[int, ...]:
    found = [tuple(int(n) for n in m.group(1).split(".")) for v in versions if (m := re.fullmatch(r"GLIBC_([\d.]+)", v))]
    return max(found, default=(0,))


def glibc_floor(bundle: Path) -> tuple[tuple[int, ...], dict[Path, tuple[int, ...]]]:
    """(highest GLIBC version any file needs, that version per file)."""
    per_file = {path: _glibc(versions) for path, (_needed, versions) in elf_files(bundle)}
    return max(per_file.values(), default=(0,)), per_file


def external_sonames(bundle: Path) -> set[str]:
    """Libraries the bundle's files load that the bundle itself does not ship (the system must)."""
    shipped, needed = set(), set()
    for path, (sonames, _versions) in elf_files(bundle):
        shipped.add(path.name)
        needed |= sonames
    shipped |= {p.name for p in bundle.rglob("*") if p.is_symlink()}
    return needed - shipped


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split("."))


def _show(v: tuple[int, ...]) -> str:
    return ".".join(map(str, v))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["glibc", "external", "unresolved"])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--max", type=_version, default=(2, 31), help="highest glibc allowed")
    parser.add_argument("--also", type=_version, default=(2, 28), help="report whether within this too")
    args = parser.parse_args(argv)
    if args.what == "external":
        print("\n".join(sorted(external_sonames(args.bundle))))
        return 0
    if args.what == "unresolved":
        found = unresolved_symbols(args.bundle)
        for name, symbols in sorted(found.items()):
            print(f"{name}: {' '.join(sorted(symbols))}")
        if found:
            print("错误：以上符号没有版本，目录中也没有文件定义它们（目标 glibc 中可能没有）", file=sys.stderr)
        return 1 if found else 0
    floor, per_file = glibc_floor(args.bundle)
    if not per_file:
        print(f"{args.bundle} 中没有 ELF 文件", file=sys.stderr)
        return 1
    print(f"GLIBC_FLOOR={_show(floor)}")
    over = sorted((v, p) for p, v in per_file.items() if v > args.also)
    print(f"WITHIN_{_show(args.also).replace('.', '_')}={'yes' if not over else 'no'}")
    for v, p in over[-10:]:
        print(f"  需要 glibc {_show(v)}：{p.relative_to(args.bundle)}")
    if floor > args.max:
        print(f"错误：安装包需要 glibc {_show(floor)}，高于目标系统的 {_show(args.max)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
