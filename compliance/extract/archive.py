"""ZIP archives, read defensively: entries are read into memory (never written to disk by name), and
entry count, total unpacked size, compression ratio and nesting depth are all bounded.

Each entry becomes an ``Entry`` (name and bytes) or an ``EntryError`` (name, code, message); a bad entry
never stops the others. An archive that breaks a global limit yields one ``EntryError`` and stops.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from compliance.extract.sniff import sniff

ZIP = "application/zip"


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_total_bytes: int
    max_ratio: float
    max_depth: int


@dataclass(frozen=True)
class Entry:
    name: str  # archive!/inner/path (nested: a.zip!/b.zip!/c.txt)
    data: bytes


@dataclass(frozen=True)
class EntryError:
    name: str
    code: str
    message: str


def _unsafe_name(name: str) -> str | None:
    if "\x00" in name:
        return "NUL in the entry name"
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return "absolute path in the entry name"
    if ".." in normal.split("/") or posixpath.normpath(normal).startswith(".."):
        return "path traversal (..) in the entry name"
    return None


def iter_archive(data: bytes | str, source: str, limits: Limits, depth: int = 1,
                 budget: list[int] | None = None) -> Iterator[Entry | EntryError]:
    """Entries of the ZIP ``data`` (bytes, or a path: large archives are not read into memory whole);
    nested ZIPs are opened up to ``limits.max_depth`` levels."""
    budget = budget if budget is not None else [limits.max_total_bytes, limits.max_entries]
    try:
        zf = zipfile.ZipFile(BytesIO(data) if isinstance(data, bytes) else data)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield EntryError(source, "archive_unreadable", f"not a readable ZIP archive: {exc}")
        return
    files = [i for i in infos if not i.is_dir()]
    if len(files) > budget[1]:
        yield EntryError(source, "archive_unsafe",
                         f"{len(files)} entries exceeds the limit of {limits.max_entries} (in all archives)")
        return
    declared = sum(i.file_size for i in files)
    if declared > budget[0]:
        yield EntryError(source, "archive_unsafe",
                         f"unpacks to {declared} bytes, over the limit of {limits.max_total_bytes}")
        return
    with zf:
        for info in files:
            name = f"{source}!/{info.filename}"
            budget[1] -= 1
            problem = _unsafe_name(info.filename)
            if problem:
                yield EntryError(name, "archive_unsafe", problem)
                continue
            if info.flag_bits & 0x1:
                yield EntryError(name, "archive_unsafe", "the entry is encrypted")
                continue
            if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
                yield EntryError(name, "archive_unsafe",
                                 f"compression ratio {info.file_size / info.compress_size:.0f}:1 exceeds "
                                 f"{limits.max_ratio:.0f}:1 (a decompression bomb?)")
                continue
            # Read at most the declared size plus one byte: a header that lies about the size is caught here.
            try:
                with zf.open(info) as fh:
                    blob = fh.read(min(info.file_size, budget[0]) + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
                yield EntryError(name, "archive_unreadable", f"cannot read the entry: {exc}")
                continue
            if len(blob) > info.file_size or len(blob) > budget[0]:
                yield EntryError(name, "archive_unsafe", "the entry unpacks to more than its header declares")
                return
            budget[0] -= len(blob)
            if sniff(blob[:65536], complete=len(blob) <= 65536, whole=blob) == ZIP:
                if depth >= limits.max_depth:
                    yield EntryError(name, "archive_unsafe", f"archives nested deeper than {limits.max_depth}")
                    continue
                yield from iter_archive(blob, name, limits, depth + 1, budget)
                continue
            yield Entry(name, blob)
