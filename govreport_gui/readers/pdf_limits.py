"""Reading a PDF within what a real annual report can hold (as ``zip_limits`` does for DOCX/XLSX).

pdfminer.six parses the file's objects and fonts; it decompresses whatever a stream declares and
is pure Python, so a hostile PDF could cost gigabytes or minutes. Three bounds keep it a report's
size:

- **bytes inflated**: the decoders pdfminer calls (Flate, LZW, RunLength) are swapped, inside
  ``pdfminer.pdftypes`` only, for ones that count what they actually produce against one budget per
  file (:data:`MAX_DECODED`), so a 1 KB stream claiming gigabytes stops at the budget;
- **work counted** by our own content reader (pages, glyphs, lines, forms: :mod:`.pdf_content`);
- **time**: a watchdog gives the reading thread :data:`MAX_CPU_SECONDS` of CPU time (wall time
  where the platform cannot say), then raises :class:`ReadTimeout` into it. pdfminer is pure Python,
  so the exception arrives between two of its bytecodes; every C call it makes is bounded above.

Every refusal becomes a Chinese :class:`FileFormatError` in :mod:`.pdf_import`.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

MAX_FILE_BYTES = 32 * 1024 * 1024  # a published report with its seal and fonts is 0.1–5 MB
MAX_DECODED = 48 * 1024 * 1024  # all streams of one file, inflated (fonts ~1 MB, pages ~50 KB each)
MAX_SLOW_DECODED = 1024 * 1024  # LZW/RunLength are decoded in Python (~0.4 µs a code): old files only
MAX_CPU_SECONDS = 1.2  # a real report takes 0.05–0.3 s here (bench/RESULTS.md)
MAX_PAGES = 100  # an annual report has 4–30 pages
_CHUNK = 1 << 20
_POLL = 0.05

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings about odd files are ours to word


class TooMuch(Exception):
    """The file needs more than a report could: ``what`` says what ran over (Chinese)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class ReadTimeout(BaseException):
    """Raised into the reading thread by the watchdog. A BaseException, so that pdfminer's broad
    ``except Exception`` clauses cannot swallow it."""


_local = threading.local()


def _take(n: int, slow: bool = False) -> None:
    """Count ``n`` bytes produced by a decoder against the current file's budget."""
    used = getattr(_local, "decoded", 0) + n
    _local.decoded = used
    if used > MAX_DECODED:
        raise TooMuch("解压后的内容")
    if slow:
        _local.slow = getattr(_local, "slow", 0) + n
        if _local.slow > MAX_SLOW_DECODED:
            raise TooMuch("LZW/RunLength 压缩的内容")


class _Inflater:
    """``zlib.decompressobj()`` whose output counts against the budget."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj()

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = []
        piece = self._d.decompress(data, _CHUNK)
        while True:
            _take(len(piece))
            out.append(piece)
            if not self._d.unconsumed_tail or self._d.eof:
                break
            piece = self._d.decompress(self._d.unconsumed_tail, _CHUNK)
        return b"".join(out)

    @property
    def eof(self) -> bool:
        return self._d.eof


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error

    @staticmethod
    def decompressobj() -> _Inflater:
        return _Inflater()

    @staticmethod
    def decompress(data: bytes) -> bytes:
        # a truncated stream yields what it has (as pdfminer's byte-by-byte fallback would, slowly)
        return _Inflater().decompress(data)


def _lzwdecode(data: bytes) -> bytes:
    out = []
    for piece in LZWDecoder(BytesIO(data)).run():
        _take(len(piece), slow=True)
        out.append(piece)
    return b"".join(out)


def _rldecode(data: bytes) -> bytes:
    if len(data) > MAX_SLOW_DECODED // 64:  # two bytes may stand for 128: this could exceed the budget
        raise TooMuch("RunLength 压缩的内容")
    out = _ORIGINAL["rldecode"](data)
    _take(len(out), slow=True)
    return out


def _no_fax(data: bytes, params: object) -> bytes:
    return b""  # CCITT is for scanned images, which are never decoded; a content stream is not fax


_ORIGINAL = {name: getattr(pdftypes, name) for name in ("zlib", "lzwdecode", "rldecode", "ccittfaxdecode")}
pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]
pdftypes.lzwdecode = _lzwdecode
pdftypes.rldecode = _rldecode
pdftypes.ccittfaxdecode = _no_fax  # type: ignore[assignment]


def _cpu_clock(ident: int):  # type: ignore[no-untyped-def]
    """A clock of the CPU time of thread ``ident`` (a busy machine must not refuse a real file), or
    the wall clock where the platform cannot tell one thread's CPU time (Windows)."""
    try:
        clock = time.pthread_getcpuclockid(ident)  # type: ignore[attr-defined]
        time.clock_gettime(clock)  # type: ignore[attr-defined]
        return lambda: time.clock_gettime(clock)  # type: ignore[attr-defined]
    except (AttributeError, OSError, OverflowError):
        return time.monotonic


class _Watchdog:
    """Raise :class:`ReadTimeout` into the thread that entered, once, when it has used ``seconds``.

    Once only, and never a call to clear it: ``PyThreadState_SetAsyncExc(id, NULL)`` leaves the
    interpreter's eval breaker set for good (CPython 3.11), slowing every thread. pdfminer has no
    bare ``except:``, so a BaseException raised into it comes out; a raise that is still pending
    when the read ends is caught by the caller's :func:`settle`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ident = threading.get_ident()
        self.lock = threading.Lock()
        self.active = True
        self.stop = threading.Event()
        self.clock = _cpu_clock(self.ident)
        self.start = self.clock()

    def watch(self) -> None:
        while not self.stop.wait(_POLL):
            if self.clock() - self.start > self.seconds:
                with self.lock:
                    if self.active:
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident),
                                                                   ctypes.py_object(ReadTimeout))
                return

    def finish(self) -> None:
        with self.lock:
            self.active = False
        self.stop.set()


@contextmanager
def bounded(seconds: float = MAX_CPU_SECONDS) -> Iterator[None]:
    """Read one PDF inside this: a fresh decode budget and the watchdog. Raises :class:`TooMuch`
    or :class:`ReadTimeout`; the caller catches both *outside* the ``with`` and calls
    :func:`settle` right after it, inside the same ``try``."""
    _local.decoded = _local.slow = 0
    dog = _Watchdog(seconds)
    thread = threading.Thread(target=dog.watch, name="pdf-watchdog", daemon=True)
    thread.start()
    try:
        yield
    finally:
        dog.finish()
        _local.decoded = _local.slow = 0


def settle() -> None:
    """A function call: a :class:`ReadTimeout` raised just before the watchdog stopped arrives
    here at the latest (pending exceptions are raised when a function starts)."""
