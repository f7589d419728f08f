"""The OBS stand-in against hostile names and symlinks planted inside the root."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ges_mock.errors import ContractError
from ges_mock.obs import resolve_export_target, write_atomically

REFUSED = "which OBS object names do not allow"


@pytest.mark.parametrize(
    ("export_path", "file_name", "message"),
    [
        # Percent-encoding is not decoded: '%' itself is refused.
        ("b/%2e%2e", "x", f"exportPath contains '%' (U+0025) at position 2, {REFUSED}"),
        ("b", "%2e%2e%2fx", f"fileName contains '%' (U+0025) at position 0, {REFUSED}"),
        # Look-alikes of '.', '/' and '\\'.
        ("b/\uff0e\uff0e", "x",
         f"exportPath contains '\uff0e' (U+FF0E) at position 2, {REFUSED}"),
        ("b", "\u2024\u2024",
         f"fileName contains '\u2024' (U+2024) at position 0, {REFUSED}"),
        ("b\u2215x", "x",
         f"exportPath contains '\u2215' (U+2215) at position 1, {REFUSED}"),
        ("b", "a\uff3cb",
         f"fileName contains '\uff3c' (U+FF3C) at position 1, {REFUSED}"),
        ("b", "\u0430",
         f"fileName contains '\u0430' (U+0430) at position 0, {REFUSED}"),
        # Characters that normalisation (NFC or NFKC) would change.
        ("b", "\ufb01le",
         f"fileName contains '\ufb01' (U+FB01) at position 0, {REFUSED}"),
        ("b", "e\u0301",
         f"fileName contains '\u0301' (U+0301) at position 1, {REFUSED}"),
        ("b", "\uf900",
         f"fileName contains '\uf900' (U+F900) at position 0, {REFUSED}"),
        # Invisible and direction-changing characters.
        ("b", "a\u200bb", f"fileName contains U+200B at position 1, {REFUSED}"),
        ("b", "a\u202eb", f"fileName contains U+202E at position 1, {REFUSED}"),
        # Windows-style absolute paths and NUL anywhere.
        ("C:/x", "x", f"exportPath contains ':' (U+003A) at position 1, {REFUSED}"),
        ("b", "\\\\host",
         f"fileName contains '\\\\' (U+005C) at position 0, {REFUSED}"),
        ("b", "x\x00.csv", f"fileName contains U+0000 at position 1, {REFUSED}"),
        ("b/./x", "x", "exportPath must not contain '.' or '..' segments, got 'b/./x'"),
        ("//b/x", "x", "exportPath must be relative to a bucket, got '//b/x'"),
    ],
)
def test_resolve__hostile_names(
    tmp_path: Path, export_path: str, file_name: str, message: str
) -> None:
    with pytest.raises(ContractError) as caught:
        resolve_export_target(tmp_path, export_path, file_name, "job-1")

    assert (caught.value.status, caught.value.code) == (400, "GES.8000")
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("export_path", "file_name", "message"),
    [
        ("b/" + "d" * 256, "x",
         "exportPath holds a name of 256 bytes ('dddddddddddddddd'...); "
         "the OBS stand-in's disk takes at most 255"),
        ("b", "f" * 230,
         "fileName holds a name of 234 bytes ('ffffffffffffffff'...); "
         "the OBS stand-in's disk takes at most 233"),
        ("b", "社" * 80,
         "fileName holds a name of 244 bytes ('" + "社" * 16 + "'...); "
         "the OBS stand-in's disk takes at most 233"),
    ],
)
def test_resolve__names_too_long_for_the_disk(
    tmp_path: Path, export_path: str, file_name: str, message: str
) -> None:
    with pytest.raises(ContractError) as caught:
        resolve_export_target(tmp_path, export_path, file_name, "job-1")

    assert caught.value.message == message


def test_resolve__longest_file_name_is_written(tmp_path: Path) -> None:
    target = resolve_export_target(tmp_path, "b", "f" * 229, "job-1")

    write_atomically(target, lambda handle: handle.write("1,1\n"))

    assert target.path.read_text() == "1,1\n"
    assert len(target.path.name.encode()) == 233


def test_resolve__cjk_names_kept_as_sent(tmp_path: Path) -> None:
    target = resolve_export_target(tmp_path, "桶/目录", "社区结果", "job-1")

    assert target.key == "桶/目录/社区结果.csv"


def test_resolve__symlinked_file_name_out_of_root(tmp_path: Path) -> None:
    root, outside = _root_and_outside(tmp_path)
    (root / "bucket").mkdir()
    (root / "bucket" / "out.csv").symlink_to(outside / "secret")

    with pytest.raises(ContractError) as caught:
        resolve_export_target(root, "bucket", "out", "job-1")

    assert (caught.value.code, caught.value.message) == (
        "GES.8011",
        "export path resolves outside the OBS bucket",
    )


def test_write__folder_swapped_for_symlink_after_check(tmp_path: Path) -> None:
    root, outside = _root_and_outside(tmp_path)
    target = resolve_export_target(root, "bucket/dir", "out", "job-1")
    (root / "bucket").symlink_to(outside)

    with pytest.raises(OSError) as caught:
        write_atomically(target, lambda handle: handle.write("x\n"))

    assert (caught.value.errno, caught.value.strerror) == (
        errno.ELOOP,
        "'bucket' is a symlink, which exports never follow",
    )
    assert os.listdir(outside) == ["secret"]
    assert sorted(os.listdir(root)) == ["bucket"]


def test_write__symlink_inside_root_is_not_followed(tmp_path: Path) -> None:
    root, _ = _root_and_outside(tmp_path)
    (root / "real").mkdir()
    (root / "alias").symlink_to(root / "real")
    target = resolve_export_target(root, "alias", "out", "job-1")

    with pytest.raises(OSError) as caught:
        write_atomically(target, lambda handle: handle.write("x\n"))

    assert (caught.value.errno, caught.value.strerror) == (
        errno.ELOOP,
        "'alias' is a symlink, which exports never follow",
    )
    assert os.listdir(root / "real") == []


def test_write__file_name_swapped_for_symlink_replaces_the_link(tmp_path: Path) -> None:
    root, outside = _root_and_outside(tmp_path)
    target = resolve_export_target(root, "bucket", "out", "job-1")
    (root / "bucket").mkdir()
    (root / "bucket" / "out.csv").symlink_to(outside / "secret")

    write_atomically(target, lambda handle: handle.write("new\n"))

    assert (outside / "secret").read_bytes() == b"keep\n"
    assert not (root / "bucket" / "out.csv").is_symlink()
    assert (root / "bucket" / "out.csv").read_bytes() == b"new\n"
    assert os.listdir(root / "bucket") == ["out.csv"]


def test_write__temporary_name_taken_by_symlink_is_not_followed(tmp_path: Path) -> None:
    root, outside = _root_and_outside(tmp_path)
    target = resolve_export_target(root, "bucket", "out", "job-1")
    (root / "bucket").mkdir()
    for n in range(50):
        (root / "bucket" / f".out.csv.{n:016x}.tmp").symlink_to(outside / "secret")

    write_atomically(target, lambda handle: handle.write("new\n"))

    assert (outside / "secret").read_bytes() == b"keep\n"
    assert (root / "bucket" / "out.csv").read_bytes() == b"new\n"


def test_write__file_where_a_folder_must_go(tmp_path: Path) -> None:
    root, _ = _root_and_outside(tmp_path)
    (root / "bucket").write_bytes(b"not a folder")
    target = resolve_export_target(root, "bucket/dir", "out", "job-1")

    with pytest.raises(OSError) as caught:
        write_atomically(target, lambda handle: handle.write("x\n"))

    assert caught.value.errno == errno.ENOTDIR
    assert (root / "bucket").read_bytes() == b"not a folder"


def _root_and_outside(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret").write_bytes(b"keep\n")
    return root, outside
