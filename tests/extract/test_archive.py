from __future__ import annotations

import zipfile

from compliance.extract.archive import Entry, EntryError, Limits, iter_archive
from tests.docs_render import make_zip

LIMITS = Limits(max_entries=100, max_total_bytes=10_000_000, max_ratio=200, max_depth=2)


def _items(data: bytes, limits: Limits = LIMITS) -> list[Entry | EntryError]:
    return list(iter_archive(data, "a.zip", limits))


def test_entries_are_read_with_nested_names():
    inner = make_zip({"c.txt": "包过".encode()})
    items = _items(make_zip({"x/b.txt": b"hello", "inner.zip": inner}))
    assert {i.name for i in items if isinstance(i, Entry)} == {"a.zip!/x/b.txt", "a.zip!/inner.zip!/c.txt"}


def test_path_traversal_and_absolute_names_are_refused():
    items = _items(make_zip({"../../etc/passwd": b"x", "/abs.txt": b"y", "ok.txt": b"z"}))
    errors = {i.name: i for i in items if isinstance(i, EntryError)}
    assert errors["a.zip!/../../etc/passwd"].code == "archive_unsafe"
    assert "traversal" in errors["a.zip!/../../etc/passwd"].message
    assert errors["a.zip!//abs.txt"].code == "archive_unsafe"
    assert [i.name for i in items if isinstance(i, Entry)] == ["a.zip!/ok.txt"]


def test_compression_bomb_is_refused():
    bomb = make_zip({"zeros.txt": b"\0" * 5_000_000})
    items = _items(bomb)
    assert len(items) == 1 and isinstance(items[0], EntryError)
    assert items[0].code == "archive_unsafe" and "ratio" in items[0].message


def test_total_size_and_entry_count_are_bounded():
    data = make_zip({f"f{i}.txt": b"a" * 1000 for i in range(20)}, compression=zipfile.ZIP_STORED)
    small = Limits(max_entries=10, max_total_bytes=10_000_000, max_ratio=200, max_depth=2)
    assert [i.code for i in _items(data, small)] == ["archive_unsafe"]
    tight = Limits(max_entries=100, max_total_bytes=5_000, max_ratio=200, max_depth=2)
    assert [i.code for i in _items(data, tight)] == ["archive_unsafe"]


def test_nesting_depth_is_bounded():
    level3 = make_zip({"deep.txt": b"x"})
    level2 = make_zip({"l3.zip": level3})
    items = _items(make_zip({"l2.zip": level2}))
    assert [(i.code, i.name) for i in items if isinstance(i, EntryError)] == [
        ("archive_unsafe", "a.zip!/l2.zip!/l3.zip")]


def test_not_a_zip():
    assert [i.code for i in _items(b"PK\x03\x04 broken")] == ["archive_unreadable"]
