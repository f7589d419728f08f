"""Unit tests of the OBS read side: signatures, ranges, paths, listings, errors."""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from obs import ObsClient, auth, convertor, util
from pytest_aiohttp import AiohttpClient

import ges_mock.obs_http
from ges_mock.obs_http import (
    OBS_NAMESPACE,
    create_obs_app,
    parse_range,
    render_error,
    render_list_objects,
    split_object_path,
)
from ges_mock.obs_signature import (
    SignatureError,
    canonical_resources,
    canonical_subresources,
    parse_query,
    sign,
    string_to_sign,
    verify_signature,
)
from ges_mock.obs_store import (
    EtagCache,
    ListPage,
    ObjectEntry,
    ObsError,
    list_bucket,
    resolve_object,
)

SAMPLE_CSV = (
    b"# modularity: 0.4269691347613425,\n"
    b"#community_num: 4,\n"
    b"#runtime: 0.003784,\n"
    b"#data_total_size: 34\n"
    b"#community:\n"
    b"1,1\n"
    b"2,1\n"
)
SAMPLE_ETAG = '"0263f7b9f92f3502863858f9a59b38d7"'
CJK_KEY = "dir/社区_(v1)!-*'.csv"
MTIME = 1733251200.5
DATE = "Wed, 03 Dec 2025 10:00:00 GMT"
CREDENTIALS = {"accessKey": "AK-example", "secretKey": "SK-example"}


def make_root(tmp_path: Path) -> Path:
    """Lay out an OBS root with one bucket, temporary files and symlinks."""
    root = tmp_path / "obs"
    files = {
        "demo_movie/louvain.csv": SAMPLE_CSV,
        f"demo_movie/{CJK_KEY}": b"hi\n",
        "demo_movie/dir/sub/a.bin": b"\x00\x01",
        "demo_movie/.louvain.csv.x1y2.tmp": b"partial",
        "demo_movie/.tmp-export": b"partial",
        "secret.txt": b"outside every bucket\n",
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.utime(path, (MTIME, MTIME))
    (tmp_path / "outside.txt").write_bytes(b"outside the root\n")
    (root / "demo_movie/evil.csv").symlink_to(tmp_path / "outside.txt")
    (root / "demo_movie/alias.csv").symlink_to(root / "demo_movie/louvain.csv")
    (root / "outside_bucket").symlink_to(tmp_path, target_is_directory=True)
    return root


def sdk_signed(
    scheme: str,
    key: str = "louvain.csv",
    path_args: dict[str, str | None] | None = None,
    secret_key: str = CREDENTIALS["secretKey"],
) -> tuple[str, dict[str, str]]:
    """Sign a GET the way the OBS SDK does; return its raw target and headers."""
    adapter = convertor.Adapter(scheme)
    headers = {
        "Date": DATE,
        "Host": "127.0.0.1:9000",
        adapter.security_token_header(): "token-1",
    }
    signer = auth.Authentication(
        CREDENTIALS["accessKey"], secret_key, True, adapter, "127.0.0.1", False
    )
    signed = signer.doAuth("GET", "demo_movie", key, path_args or {}, headers)
    headers["Authorization"] = signed["Authorization"]
    target = util.RequestFormat.get_path_format().get_url("demo_movie", key, path_args)
    return target, headers


# -- signature --------------------------------------------------------------


def test_string_to_sign__plain_get() -> None:
    headers = [("Date", DATE), ("Host", "h"), ("User-Agent", "sdk")]

    text = string_to_sign("GET", "/demo_movie/louvain.csv", headers, "x-amz-")

    assert text == f"GET\n\n\n{DATE}\n/demo_movie/louvain.csv"


def test_string_to_sign__prefixed_headers_sorted_and_date_blanked() -> None:
    headers = [
        ("Content-Type", "text/csv"),
        ("Content-MD5", "abc=="),
        ("Date", DATE),
        ("x-obs-date", "Thu, 04 Dec 2025 10:00:00 GMT"),
        ("X-Obs-Meta-Owner", " ges "),
        ("x-obs-acl", "private"),
        ("x-amz-acl", "ignored"),
    ]

    text = string_to_sign("PUT", "/b/k", headers, "x-obs-")

    assert text == (
        "PUT\nabc==\ntext/csv\n\n"
        "x-obs-acl:private\n"
        "x-obs-date:Thu, 04 Dec 2025 10:00:00 GMT\n"
        "x-obs-meta-owner:ges\n"
        "/b/k"
    )


def test_string_to_sign__expires_replaces_date() -> None:
    text = string_to_sign("GET", "/b/k", [("Date", DATE)], "x-obs-", "1764756000")

    assert text == "GET\n\n\n1764756000\n/b/k"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ([("prefix", "a"), ("max-keys", "2")], ""),
        (
            [("versionId", "v1"), ("response-content-type", "text/plain")],
            "?response-content-type=text/plain&versionId=v1",
        ),
        ([("acl", None)], "?acl"),
        ([("x-obs-security-token", "t"), ("marker", "m")], "?x-obs-security-token=t"),
    ],
)
def test_canonical_subresources__cases(
    query: list[tuple[str, str | None]],
    expected: str,
) -> None:
    assert canonical_subresources(query, "x-obs-") == expected


def test_canonical_resources__cjk_key() -> None:
    raw = "/demo_movie/dir/%E7%A4%BE%E5%8C%BA%20(1)!.csv"

    assert canonical_resources(raw) == [
        "/demo_movie/dir/%E7%A4%BE%E5%8C%BA%20%281%29%21.csv",
        raw,
    ]


def test_canonical_resources__bucket_only() -> None:
    assert canonical_resources("/demo_movie") == ["/demo_movie", "/demo_movie/"]


def test_parse_query__keeps_plus_and_bare_names() -> None:
    query = parse_query("acl&prefix=a%2Fb&Signature=ab+c%3D&empty=")

    assert query == [
        ("acl", None),
        ("prefix", "a/b"),
        ("Signature", "ab+c="),
        ("empty", ""),
    ]


def test_sign__known_value() -> None:
    text = f"GET\n\n\n{DATE}\n/demo_movie/louvain.csv"

    assert sign("SK-example", text) == "ZTkvKycWIeHeBELqBVAqVKiB/tk="


@pytest.mark.parametrize("scheme", ["obs", "v2"])
@pytest.mark.parametrize(
    ("key", "path_args"),
    [
        ("louvain.csv", None),
        (CJK_KEY, {"response-content-type": "text/plain", "versionId": "v1"}),
        (None, {"prefix": "dir/", "delimiter": "/", "max-keys": "2"}),
    ],
)
def test_verify_signature__accepts_sdk_signature(
    scheme: str,
    key: str | None,
    path_args: dict[str, str | None] | None,
) -> None:
    target, headers = sdk_signed(scheme, key or "", path_args)

    verify_signature("GET", target, headers.items(), CREDENTIALS, time.time())


Signed = tuple[str, dict[str, str]]
Tamper = Callable[[str, dict[str, str]], Signed]


def drop_authorization(target: str, headers: dict[str, str]) -> Signed:
    """Send the request unsigned."""
    return target, {k: v for k, v in headers.items() if k != "Authorization"}


def swap_access_key(target: str, headers: dict[str, str]) -> Signed:
    """Present another access key with the same signature."""
    scheme, _, rest = headers["Authorization"].partition(" ")
    signature = rest.partition(":")[2]
    return target, {**headers, "Authorization": f"{scheme} AK-other:{signature}"}


def change_path(target: str, headers: dict[str, str]) -> Signed:
    """Ask for another object than the one signed."""
    return target.replace("louvain", "other"), headers


def change_token(target: str, headers: dict[str, str]) -> Signed:
    """Alter a signed x-obs-/x-amz- header."""
    name = next(k for k in headers if k.endswith("security-token"))
    return target, {**headers, name: "token-2"}


def add_subresource(target: str, headers: dict[str, str]) -> Signed:
    """Add a signed sub-resource the client did not sign."""
    return target + "?response-content-type=text/html", headers


def use_v4(target: str, headers: dict[str, str]) -> Signed:
    """Sign with AWS Signature Version 4, which the mock does not check."""
    v4 = "AWS4-HMAC-SHA256 Credential=AK-example/20251203/r/s3/aws4_request"
    return target, {**headers, "Authorization": v4}


@pytest.mark.parametrize("scheme", ["obs", "v2"])
@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (drop_authorization, "AccessDenied"),
        (swap_access_key, "InvalidAccessKeyId"),
        (change_path, "SignatureDoesNotMatch"),
        (change_token, "SignatureDoesNotMatch"),
        (add_subresource, "SignatureDoesNotMatch"),
        (use_v4, "AccessDenied"),
    ],
)
def test_verify_signature__rejects_tampering(
    scheme: str,
    tamper: Tamper,
    code: str,
) -> None:
    target, headers = tamper(*sdk_signed(scheme))

    with pytest.raises(SignatureError) as caught:
        verify_signature("GET", target, headers.items(), CREDENTIALS, time.time())

    assert caught.value.code == code


def test_verify_signature__wrong_secret_reports_string_to_sign() -> None:
    target, headers = sdk_signed("obs", secret_key="SK-wrong")

    with pytest.raises(SignatureError) as caught:
        verify_signature("GET", target, headers.items(), CREDENTIALS, time.time())

    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.string_to_sign == (
        f"GET\n\n\n{DATE}\nx-obs-security-token:token-1\n/demo_movie/louvain.csv"
    )


def test_verify_signature__signed_url() -> None:
    client = ObsClient(
        access_key_id=CREDENTIALS["accessKey"],
        secret_access_key=CREDENTIALS["secretKey"],
        server="http://127.0.0.1:9000",
        path_style=True,
    )
    url = client.createSignedUrl("GET", "demo_movie", CJK_KEY, expires=300).signedUrl
    target = url.removeprefix("http://127.0.0.1:9000")

    verify_signature("GET", target, [], CREDENTIALS, time.time())
    with pytest.raises(SignatureError) as caught:
        verify_signature("GET", target, [], CREDENTIALS, time.time() + 301)

    assert caught.value.code == "AccessDenied"
    assert caught.value.message == "Request has expired."


# -- ranges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-9", (0, 9)),
        ("bytes=100-", (100, 113)),
        ("bytes=-4", (110, 113)),
        ("bytes=-500", (0, 113)),
        ("bytes=110-999", (110, 113)),
        ("bytes=113-113", (113, 113)),
        ("bytes=9-3", None),
        ("items=0-1", None),
        ("bytes=0-1,5-6", None),
        ("bytes=a-b", None),
        ("bytes=-", None),
        ("bytes=\u00b2-", None),
        ("bytes=0-" + "9" * 5000, (0, 113)),
        ("bytes=-" + "9" * 5000, (0, 113)),
    ],
)
def test_parse_range__satisfiable(
    header: str | None,
    expected: tuple[int, int] | None,
) -> None:
    assert parse_range(header, 114) == expected


@pytest.mark.parametrize(
    ("header", "size"),
    [
        ("bytes=114-", 114),
        ("bytes=200-300", 114),
        ("bytes=-0", 114),
        ("bytes=0-", 0),
        ("bytes=1" + "0" * 5000 + "-", 114),
    ],
)
def test_parse_range__unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(ObsError) as caught:
        parse_range(header, size)

    assert (caught.value.code, caught.value.status) == ("InvalidRange", 416)
    assert caught.value.extras == {"ActualObjectSize": str(size)}


# -- path safety ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("/", ("", "")),
        ("/demo_movie", ("demo_movie", "")),
        ("/demo_movie/", ("demo_movie", "")),
        ("/demo_movie/a%2Fb.csv", ("demo_movie", "a/b.csv")),
        ("/demo_movie/%E7%A4%BE.csv?x=1", ("demo_movie", "社.csv")),
        ("/demo_movie/%2E%2E/secret.txt", ("demo_movie", "../secret.txt")),
    ],
)
def test_split_object_path__decodes(raw_path: str, expected: tuple[str, str]) -> None:
    assert split_object_path(raw_path) == expected


@pytest.mark.parametrize("raw_path", ["/demo_movie/%00x", "/demo_movie/%ff", "x/y"])
def test_split_object_path__invalid_uri(raw_path: str) -> None:
    with pytest.raises(ObsError) as caught:
        split_object_path(raw_path)

    assert (caught.value.code, caught.value.status) == ("InvalidURI", 400)


@pytest.mark.parametrize(
    "key",
    [
        "../secret.txt",
        "dir/../../secret.txt",
        "./louvain.csv",
        "dir//sub/a.bin",
        "/etc/passwd",
        "..\\secret.txt",
        "evil.csv",
        "dir",
        ".louvain.csv.x1y2.tmp",
        ".tmp-export",
        "missing.csv",
    ],
)
def test_resolve_object__refuses_key(tmp_path: Path, key: str) -> None:
    root = make_root(tmp_path).resolve()

    with pytest.raises(ObsError) as caught:
        resolve_object(root, "demo_movie", key)

    assert (caught.value.code, caught.value.extras) == ("NoSuchKey", {"Key": key})


@pytest.mark.parametrize("bucket", ["..", ".", "", "outside_bucket", "missing"])
def test_resolve_object__refuses_bucket(tmp_path: Path, bucket: str) -> None:
    root = make_root(tmp_path).resolve()

    with pytest.raises(ObsError) as caught:
        resolve_object(root, bucket, "secret.txt")

    assert caught.value.code == "NoSuchBucket"
    assert caught.value.extras == {"BucketName": bucket}


def test_resolve_object__follows_symlink_inside_root(tmp_path: Path) -> None:
    root = make_root(tmp_path).resolve()

    path = resolve_object(root, "demo_movie", "alias.csv")

    assert path == root / "demo_movie/louvain.csv"


# -- listing and XML --------------------------------------------------------


async def list_keys(root: Path, **params: str) -> tuple[list[str], list[str], bool]:
    """List the fixture bucket; return keys, common prefixes, truncation."""
    max_keys = int(params.pop("max_keys", "1000"))
    page = await list_bucket(
        root.resolve(), EtagCache(), "demo_movie", params, max_keys
    )
    return [entry.key for entry in page.entries], page.prefixes, page.is_truncated


async def test_list_bucket__all_keys_sorted_without_temporary_files(
    tmp_path: Path,
) -> None:
    root = make_root(tmp_path)

    listed = await list_keys(root)

    assert listed == (
        ["alias.csv", "dir/sub/a.bin", CJK_KEY, "louvain.csv"],
        [],
        False,
    )


async def test_list_bucket__delimiter(tmp_path: Path) -> None:
    root = make_root(tmp_path)

    top = await list_keys(root, delimiter="/")
    nested = await list_keys(root, prefix="dir/", delimiter="/")

    assert top == (["alias.csv", "louvain.csv"], ["dir/"], False)
    assert nested == ([CJK_KEY], ["dir/sub/"], False)


async def test_list_bucket__paging_by_marker(tmp_path: Path) -> None:
    root = make_root(tmp_path)

    first = await list_keys(root, delimiter="/", max_keys="2")
    second = await list_keys(root, delimiter="/", max_keys="2", marker="dir/")
    empty = await list_keys(root, max_keys="0")

    assert first == (["alias.csv"], ["dir/"], True)
    assert second == (["louvain.csv"], [], False)
    assert empty == ([], [], True)


def test_render_list_objects__document() -> None:
    entry = ObjectEntry("demo_movie/louvain.csv", 114, MTIME, SAMPLE_ETAG)
    page = ListPage([entry], ["dir/"], is_truncated=True)
    params = {"prefix": "", "delimiter": "/", "max-keys": "2"}

    body = render_list_objects("demo_movie", params, 2, page)

    assert body.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ListBucketResult xmlns="http://obs.myhwclouds.com/doc/2015-06-30/">'
        "<Name>demo_movie</Name><Prefix /><Marker />"
        "<NextMarker>dir/</NextMarker><MaxKeys>2</MaxKeys>"
        "<Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>"
        "<Contents><Key>demo_movie/louvain.csv</Key>"
        "<LastModified>2024-12-03T18:40:00.500Z</LastModified>"
        f"<ETag>{SAMPLE_ETAG}</ETag><Size>114</Size>"
        "<Owner><ID>ges-mock</ID></Owner><StorageClass>STANDARD</StorageClass>"
        "</Contents>"
        "<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"
        "</ListBucketResult>"
    )


def test_render_list_objects__url_encoding() -> None:
    entry = ObjectEntry(CJK_KEY, 3, MTIME, '"e"')
    page = ListPage([entry], [], is_truncated=False)

    body = render_list_objects("demo_movie", {"encoding-type": "url"}, 1000, page)
    keys = [
        node.text for node in ET.fromstring(body).iter() if node.tag.endswith("Key")
    ]

    assert keys == ["dir/%E7%A4%BE%E5%8C%BA_%28v1%29%21-%2A%27.csv"]


def test_render_error__document() -> None:
    error = ObsError("NoSuchKey", Key="demo_movie/a<b>.csv")

    body = render_error(error, "REQ1", "HOST1")

    assert body.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>'
        "<Message>The specified key does not exist.</Message>"
        "<RequestId>REQ1</RequestId><HostId>HOST1</HostId>"
        "<Key>demo_movie/a&lt;b&gt;.csv</Key></Error>"
    )


# -- the application --------------------------------------------------------


def error_fields(body: bytes) -> dict[str, str]:
    """Return an Error document's elements as {tag: text}."""
    return {node.tag: node.text or "" for node in ET.fromstring(body)}


async def test_app__get_whole_object(
    aiohttp_client: AiohttpClient, tmp_path: Path
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get("/demo_movie/louvain.csv")

    assert response.status == 200
    assert await response.read() == SAMPLE_CSV
    assert {name: response.headers[name] for name in ("Content-Type", "ETag")} == {
        "Content-Type": "text/csv",
        "ETag": SAMPLE_ETAG,
    }
    assert response.headers["Content-Length"] == "114"
    assert response.headers["Last-Modified"] == "Tue, 03 Dec 2024 18:40:00 GMT"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert len(response.headers["x-obs-request-id"]) == 32
    assert response.headers["Server"] == "OBS"


async def test_app__get_range(aiohttp_client: AiohttpClient, tmp_path: Path) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get(
        "/demo_movie/louvain.csv?response-content-type=text/plain",
        headers={"Range": "bytes=2-11"},
    )

    assert response.status == 206
    assert await response.read() == b"modularity"
    assert response.headers["Content-Range"] == "bytes 2-11/114"
    assert response.headers["Content-Type"] == "text/plain"


async def test_app__range_not_satisfiable(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get(
        "/demo_movie/louvain.csv", headers={"Range": "bytes=500-"}
    )
    fields = error_fields(await response.read())

    assert (response.status, response.headers["Content-Type"]) == (
        416,
        "application/xml",
    )
    assert fields == {
        "Code": "InvalidRange",
        "Message": "The requested range is not satisfiable",
        "RequestId": response.headers["x-obs-request-id"],
        "HostId": response.headers["x-obs-id-2"],
        "ActualObjectSize": "114",
    }


async def test_app__head_object(aiohttp_client: AiohttpClient, tmp_path: Path) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    found = await client.head("/demo_movie/louvain.csv")
    missing = await client.head("/demo_movie/missing.csv")

    assert (found.status, found.headers["Content-Length"]) == (200, "114")
    assert found.headers["ETag"] == SAMPLE_ETAG
    assert await found.read() == b""
    assert (missing.status, await missing.read()) == (404, b"")


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
async def test_app__read_only(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
    method: str,
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.request(method, "/demo_movie/louvain.csv", data=b"x")
    fields = error_fields(await response.read())

    assert (response.status, response.headers["Allow"]) == (405, "GET, HEAD")
    assert (fields["Code"], fields["Method"], fields["ResourceType"]) == (
        "MethodNotAllowed",
        method,
        "OBJECT",
    )
    assert (tmp_path / "obs/demo_movie/louvain.csv").read_bytes() == SAMPLE_CSV


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/demo_movie?acl", 501, "NotImplemented"),
        ("/demo_movie?max-keys=-1", 400, "InvalidArgument"),
        ("/demo_movie?max-keys=%C2%B2", 400, "InvalidArgument"),
        ("/demo_movie/louvain.csv?response-content-type=a%0D%0Ab", 400, "InvalidArgument"),
        ("/missing?prefix=a", 404, "NoSuchBucket"),
        ("/demo_movie/missing.csv", 404, "NoSuchKey"),
        ("/demo_movie/%00", 400, "InvalidURI"),
    ],
)
async def test_app__errors(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
    path: str,
    status: int,
    code: str,
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get(path)
    fields = error_fields(await response.read())

    assert (response.status, fields["Code"]) == (status, code)


async def test_app__unsigned_request_denied(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path), CREDENTIALS))

    response = await client.get("/demo_movie/louvain.csv")
    fields = error_fields(await response.read())

    assert (response.status, fields["Code"], fields["Message"]) == (
        403,
        "AccessDenied",
        "Access Denied",
    )


@pytest.mark.parametrize("scheme", ["obs", "v2"])
async def test_app__sdk_signed_request_accepted(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
    scheme: str,
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path), CREDENTIALS))
    target, headers = sdk_signed(scheme, CJK_KEY, {"response-content-type": "a/b"})

    response = await client.get(target, headers=headers)

    assert (response.status, await response.read()) == (200, b"hi\n")
    assert response.headers["Content-Type"] == "a/b"


async def test_app__internal_error_is_xml(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def explode(*args: object) -> ListPage:
        raise RuntimeError("boom")

    monkeypatch.setattr(ges_mock.obs_http, "list_bucket", explode)
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get("/demo_movie", headers={"Accept": "text/html"})
    body = await response.read()

    assert (response.status, response.headers["Content-Type"]) == (
        500,
        "application/xml",
    )
    assert error_fields(body)["Code"] == "InternalError"
    assert b"boom" not in body and b"Traceback" not in body


def test_create_obs_app__incomplete_credentials(tmp_path: Path) -> None:
    with pytest.raises(ValueError) as caught:
        create_obs_app(tmp_path, {"accessKey": "AK"})

    assert str(caught.value) == (
        "credentials must hold 'accessKey' and 'secretKey', got keys ['accessKey']"
    )


async def test_app__list_buckets_skips_escaping_symlink(
    aiohttp_client: AiohttpClient,
    tmp_path: Path,
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get("/")
    document = ET.fromstring(await response.read())
    names = [node.text for node in document.iter(f"{{{OBS_NAMESPACE}}}Name")]

    assert (response.status, names) == (200, ["demo_movie"])


async def test_app__max_keys_of_thousands_of_digits_is_capped(
    aiohttp_client: AiohttpClient, tmp_path: Path
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    response = await client.get("/demo_movie?max-keys=1" + "0" * 5000)
    document = ET.fromstring(await response.read())

    assert response.status == 200
    assert document.findtext(f"{{{OBS_NAMESPACE}}}MaxKeys") == "1000"


async def test_app__range_of_thousands_of_digits_is_not_an_internal_error(
    aiohttp_client: AiohttpClient, tmp_path: Path
) -> None:
    client = await aiohttp_client(create_obs_app(make_root(tmp_path)))

    beyond = await client.get(
        "/demo_movie/louvain.csv", headers={"Range": "bytes=1" + "0" * 5000 + "-"}
    )
    superscript = await client.get(
        "/demo_movie/louvain.csv", headers={"Range": "bytes=\u00b2-"}
    )

    assert error_fields(await beyond.read())["Code"] == "InvalidRange"
    assert (superscript.status, await superscript.read()) == (200, SAMPLE_CSV)
