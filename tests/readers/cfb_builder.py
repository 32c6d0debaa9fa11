"""Compound files (OLE2, the container of .xls/.et/.doc and of encrypted .xlsx) made for tests.

Each stream is padded to at least 4,096 bytes so that it lives in regular 512-byte sectors (no
mini stream); the directory is a flat list, which is all our reader needs. ``fat_tail`` lets a
test bend the sector chains (a loop, a sector past the end).
"""

from __future__ import annotations

import struct

SECTOR = 512
END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def build(streams: dict[str, bytes], loop: bool = False) -> bytes:
    data_sectors: list[bytes] = []
    entries: list[tuple[str, int, int]] = []
    chains: list[list[int]] = []
    n_fat_guess = 1
    for _name, content in streams.items():
        content = content + b"\0" * max(0, 4096 - len(content))  # past the mini-stream cutoff
        first = len(data_sectors)
        count = (len(content) + SECTOR - 1) // SECTOR
        for i in range(count):
            data_sectors.append(content[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
        chains.append(list(range(first, first + count)))
        entries.append((_name, first, len(content)))
    # layout: [FAT sectors][directory sector(s)][data sectors]
    dir_entries = 1 + len(entries)
    dir_sectors = (dir_entries * 128 + SECTOR - 1) // SECTOR
    while True:
        total = n_fat_guess + dir_sectors + len(data_sectors)
        if n_fat_guess * (SECTOR // 4) >= total:
            break
        n_fat_guess += 1
    offset = n_fat_guess + dir_sectors
    fat = [FREE] * (n_fat_guess * SECTOR // 4)
    for i in range(n_fat_guess):
        fat[i] = FATSECT
    for i in range(dir_sectors):
        fat[n_fat_guess + i] = n_fat_guess + i + 1 if i + 1 < dir_sectors else END
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            fat[offset + a] = offset + b
        fat[offset + chain[-1]] = offset + chain[0] if loop else END
    directory = _entry("Root Entry", 5, END, 0)
    for name, first, size in entries:
        directory += _entry(name, 2, offset + first, size)
    directory = directory.ljust(dir_sectors * SECTOR, b"\0")
    difat = list(range(n_fat_guess)) + [FREE] * (109 - n_fat_guess)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, n_fat_guess, n_fat_guess, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == 512
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(data_sectors)


def _entry(name: str, kind: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", FREE, FREE, FREE)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IIIB", start, size, 0, 0)[:12])


def record(typ: int, body: bytes) -> bytes:
    return struct.pack("<HH", typ, len(body)) + body


def biff8(sheets: dict[str, list[tuple[int, int, object]]], sst: list[str] | None = None,
          globals_extra: bytes = b"") -> bytes:
    """A BIFF8 Workbook stream: each sheet's cells as (row, col, value); str values go through the
    shared-string table (or ``sst`` as given, with int values as indexes into it)."""
    strings = list(sst or [])
    bof_globals = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    xf = record(0x00E0, struct.pack("<HHHHHHHHHH", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    cells_by_sheet = []
    index = {text: i for i, text in enumerate(strings)}
    for cells in sheets.values():
        body: list[bytes] = []
        for row, col, value in cells:
            if isinstance(value, str):
                if value not in index:
                    index[value] = len(strings)
                    strings.append(value)
                body.append(record(0x00FD, struct.pack("<HHHI", row, col, 0, index[value])))
            elif isinstance(value, tuple):  # ("sst", index): a raw shared-string reference
                body.append(record(0x00FD, struct.pack("<HHHI", row, col, 0, value[1])))
            else:
                body.append(record(0x0203, struct.pack("<HHHd", row, col, 0, float(value))))  # type: ignore[arg-type]
        cells_by_sheet.append(b"".join(body))
    sst_records = sst_records_of(strings)
    names = list(sheets)
    bound_len = sum(len(record(0x0085, b"\0" * (8 + 2 * len(n)))) for n in names)
    globals_len = len(bof_globals) + len(globals_extra) + len(xf) + bound_len + len(sst_records) + 4
    substreams, offsets, pos = [], [], globals_len
    for body in cells_by_sheet:
        substream = (record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0)) + body + record(0x000A, b""))
        offsets.append(pos)
        substreams.append(substream)
        pos += len(substream)
    out_sheets = b"".join(substreams)
    bounds = b"".join(record(0x0085, struct.pack("<IBBBB", off, 0, 0, len(n), 1) + n.encode("utf-16-le"))
                      for n, off in zip(names, offsets))
    stream = bof_globals + globals_extra + xf + bounds + sst_records + record(0x000A, b"") + out_sheets
    assert len(bof_globals + globals_extra + xf + bounds + sst_records) + 4 == globals_len
    return stream


def sst_records_of(strings: list[str], limit: int = 8224) -> bytes:
    """The SST record and its CONTINUE records as Excel writes them: a string's header never
    splits; its characters do, and the CONTINUE record then starts with the flag byte again."""
    records: list[bytearray] = [bytearray(struct.pack("<II", len(strings), len(strings)))]
    for text in strings:
        if len(records[-1]) + 3 > limit:
            records.append(bytearray())
        records[-1] += struct.pack("<HB", len(text), 1)
        chars = text.encode("utf-16-le")
        while chars:
            room = (limit - len(records[-1])) // 2 * 2
            records[-1] += chars[:room]
            chars = chars[room:]
            if chars:
                records.append(bytearray(b"\x01"))
    out = record(0x00FC, bytes(records[0]))
    return out + b"".join(record(0x003C, bytes(r)) for r in records[1:])
