"""The OBS stand-in: object-name rules, staying inside the root, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

import pytest

from ges_mock.errors import ContractError
from ges_mock.obs import check_object_name, resolve_export_target, write_atomically


def test_resolve__document_sample(tmp_path: Path) -> None:
    target = resolve_export_target(tmp_path, "demo_movie/", "louvain", "job-1")

    assert target.path == tmp_path / "demo_movie" / "louvain.csv"
    assert target.key == "demo_movie/louvain.csv"


@pytest.mark.parametrize(
    ("export_path", "file_name", "key"),
    [
        ("bucket", None, "bucket/job-1.csv"),
        ("bucket/dir/sub/", "out.csv", "bucket/dir/sub/out.csv"),
        ("bucket//dir", "a.b", "bucket/dir/a.b.csv"),
        ("图数据/结果", "社区", "图数据/结果/社区.csv"),
        ("b-1/x_(2)", "it's*!", "b-1/x_(2)/it's*!.csv"),
        ("bucket/...", "...", "bucket/.../....csv"),
    ],
)
def test_resolve__accepted_names(
    tmp_path: Path, export_path: str, file_name: str | None, key: str
) -> None:
    target = resolve_export_target(tmp_path, export_path, file_name, "job-1")

    assert target.key == key
    assert target.path == tmp_path / key


@pytest.mark.parametrize(
    ("export_path", "file_name", "message"),
    [
        ("../etc", "x", "exportPath must not contain '.' or '..' segments, got '../etc'"),
        ("b/../../x", "x", "exportPath must not contain '.' or '..' segments, got 'b/../../x'"),
        ("/abs/path", "x", "exportPath must be relative to a bucket, got '/abs/path'"),
        ("b\\..\\x", "x", "exportPath contains '\\\\' (U+005C) at position 1, "
         "which OBS object names do not allow"),
        ("b/x\x00", "x", "exportPath contains U+0000 at position 3, "
         "which OBS object names do not allow"),
        ("b", "..", "fileName must not contain '.' or '..' segments, got '..'"),
        ("b", "a/b", "fileName contains '/' (U+002F) at position 1, "
         "which OBS object names do not allow"),
        ("b", "a b", "fileName contains U+0020 at position 1, "
         "which OBS object names do not allow"),
        ("b", "x%2e", "fileName contains '%' (U+0025) at position 1, "
         "which OBS object names do not allow"),
        ("b\uff0f..", "x", "exportPath contains '\uff0f' (U+FF0F) at position 1, "
         "which OBS object names do not allow"),
        ("///", "x", "exportPath must be relative to a bucket, got '///'"),
    ],
)
def test_resolve__refused_names(
    tmp_path: Path, export_path: str, file_name: str, message: str
) -> None:
    with pytest.raises(ContractError) as caught:
        resolve_export_target(tmp_path, export_path, file_name, "job-1")

    assert (caught.value.status, caught.value.code) == (400, "GES.8000")
    assert caught.value.message == message


@pytest.mark.parametrize("char", list("\\{^}%`]\">[~<#|&@:,$=+?; \x01\x1f\x7f"))
def test_resolve__every_forbidden_character(tmp_path: Path, char: str) -> None:
    with pytest.raises(ContractError) as caught:
        resolve_export_target(tmp_path, "bucket", f"a{char}b", "job-1")

    assert caught.value.code == "GES.8000"
    assert "at position 1" in caught.value.message


def test_resolve__symlink_out_of_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "bucket").symlink_to(outside)

    with pytest.raises(ContractError) as caught:
        resolve_export_target(root, "bucket/dir", "x", "job-1")

    assert caught.value.code == "GES.8011"
    assert caught.value.message == "export path resolves outside the OBS bucket"


def test_write_atomically__writes_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = resolve_export_target(tmp_path, "bucket/dir", "out", "job-1")

    size = write_atomically(target, lambda handle: handle.write("a,b\n"))

    assert size == 4
    assert target.path.read_bytes() == b"a,b\n"
    assert os.listdir(target.path.parent) == ["out.csv"]
    assert target.path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_write_atomically__failure_keeps_previous_version(tmp_path: Path) -> None:
    target = resolve_export_target(tmp_path, "bucket", "out", "job-1")
    write_atomically(target, lambda handle: handle.write("old\n"))

    def broken(handle: TextIO) -> None:
        handle.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(target, broken)

    assert target.path.read_bytes() == b"old\n"
    assert os.listdir(target.path.parent) == ["out.csv"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_check_object_name__pattern_agrees_with_the_rule_on_every_character() -> None:
    # The fast pattern and the per-character rule must refuse the same names.
    refused = []
    for code in [*range(0x10000), 0x1F600, 0x20000]:
        char = chr(code)
        try:
            check_object_name("fileName", f"a{char}b", allow_slash=False)
        except ContractError as err:
            refused.append(char)
            assert f"U+{code:04X}" in err.body["errorMessage"]
    allowed_marks = set("!-_.*'()")
    expected = [
        chr(c)
        for c in [*range(0x10000), 0x1F600, 0x20000]
        if not (
            (chr(c).isascii() and (chr(c).isalnum() or chr(c) in allowed_marks))
            or 0x4E00 <= c <= 0x9FA5
        )
    ]
    assert refused == expected
