"""End-to-end: the official OBS SDK downloads from the read side on a real socket."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import obs
import pytest
import requests
from aiohttp import web

from ges_mock.obs_http import create_obs_app

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
CJK_KEY = "社区/louvain_结果(1)!-*'.csv"
NESTED_KEY = "results/2024/part-0001.csv"
BIG_SIZE = 5 * 1024 * 1024 + 7
CREDENTIALS = {"accessKey": "AK-e2e", "secretKey": "SK-e2e"}

StartObs = Callable[[Mapping[str, str] | None], str]


class ObsServer:
    """The OBS read side on a free port of 127.0.0.1, in a thread of its own."""

    def __init__(self, root: Path, credentials: Mapping[str, str] | None) -> None:
        self.app = create_obs_app(root, credentials)
        self.url = ""
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as err:  # surfaced in the test by start()
            self.error = err
            self._ready.set()

    async def _serve(self) -> None:
        runner = web.AppRunner(self.app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self._ready.set()
        await self._stop.wait()
        await runner.cleanup()

    def start(self) -> str:
        """Start serving and return the base URL once the socket listens."""
        self._thread.start()
        self._ready.wait(timeout=30)
        if self.error is not None or not self.url:
            raise RuntimeError("OBS read side did not start") from self.error
        return self.url

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)
        self._loop.close()


@pytest.fixture
def obs_root(tmp_path: Path) -> Path:
    """An OBS root as an export leaves it, plus an escape route to refuse."""
    root = tmp_path / "obs-root"
    big = hashlib.sha256(b"seed").digest() * (BIG_SIZE // 32 + 1)
    files = {
        "demo_movie/louvain.csv": SAMPLE_CSV,
        f"demo_movie/{CJK_KEY}": "社区,1\n".encode(),
        f"demo_movie/{NESTED_KEY}": b"3,2\n",
        "demo_movie/.louvain.csv.a1b2c3.tmp": b"half-written",
        "other_bucket/big.bin": big[:BIG_SIZE],
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (tmp_path / "secret.txt").write_bytes(b"outside the root\n")
    (root / "demo_movie/escape.csv").symlink_to(tmp_path / "secret.txt")
    return root


@pytest.fixture
def start_obs(obs_root: Path) -> Iterator[StartObs]:
    """Start the read side over `obs_root`; every server stops after the test."""
    servers: list[ObsServer] = []

    def start(credentials: Mapping[str, str] | None) -> str:
        servers.append(ObsServer(obs_root, credentials))
        return servers[-1].start()

    yield start
    for server in servers:
        server.stop()


def sdk_client(
    url: str, access_key: str = "AK-e2e", secret_key: str = "SK-e2e", **kwargs: Any
) -> obs.ObsClient:
    """Build the SDK client the way client code points it at OBS."""
    return obs.ObsClient(
        access_key_id=access_key,
        secret_access_key=secret_key,
        server=url,
        path_style=True,
        **kwargs,
    )


def test_sdk__path_style_client_signs_v2(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    # With path_style the SDK turns its default 'obs' signature into 'v2'.
    assert (client.signature, client.is_signature_negotiation) == ("v2", False)


@pytest.mark.parametrize(
    ("key", "content"),
    [
        ("louvain.csv", SAMPLE_CSV),
        (CJK_KEY, "社区,1\n".encode()),
        (NESTED_KEY, b"3,2\n"),
    ],
)
def test_get_object__whole_in_memory(
    start_obs: StartObs, key: str, content: bytes
) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    response = client.getObject("demo_movie", key, loadStreamInMemory=True)

    assert (response.status, response.errorCode) == (200, None)
    assert response.body.buffer == content
    assert response.body.contentLength == len(content)
    assert response.body.etag == f'"{hashlib.md5(content).hexdigest()}"'


def test_get_object__download_path(start_obs: StartObs, tmp_path: Path) -> None:
    client = sdk_client(start_obs(CREDENTIALS))
    target = tmp_path / "downloads" / "louvain.csv"

    response = client.getObject("demo_movie", "louvain.csv", downloadPath=str(target))

    assert (response.status, response.body.url) == (200, str(target))
    assert target.read_bytes() == SAMPLE_CSV


def test_get_object__large_file_streamed(start_obs: StartObs, obs_root: Path) -> None:
    client = sdk_client(start_obs(CREDENTIALS))
    expected = (obs_root / "other_bucket/big.bin").read_bytes()

    response = client.getObject("other_bucket", "big.bin", loadStreamInMemory=True)

    assert response.status == 200
    assert len(response.body.buffer) == BIG_SIZE
    assert response.body.buffer == expected
    assert response.body.etag == f'"{hashlib.md5(expected).hexdigest()}"'


@pytest.mark.parametrize(
    ("byte_range", "content"),
    [
        ("2-11", b"modularity"),
        ("bytes=106-109", b"1,1\n"),
        ("110-", b"2,1\n"),
        ("-8", b"1,1\n2,1\n"),
    ],
)
def test_get_object__ranged(
    start_obs: StartObs, byte_range: str, content: bytes
) -> None:
    client = sdk_client(start_obs(CREDENTIALS))
    headers = obs.GetObjectHeader(range=byte_range)

    response = client.getObject(
        "demo_movie",
        "louvain.csv",
        headers=headers,
        loadStreamInMemory=True,
    )

    assert (response.status, response.body.buffer) == (206, content)


def test_get_object__range_not_satisfiable(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))
    headers = obs.GetObjectHeader(range="500-600")

    response = client.getObject("demo_movie", "louvain.csv", headers=headers)

    assert (response.status, response.errorCode) == (416, "InvalidRange")


def test_get_object_metadata__headers(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    response = client.getObjectMetadata("demo_movie", "louvain.csv")

    assert response.status == 200
    assert (response.body.contentLength, response.body.etag) == (114, SAMPLE_ETAG)
    assert response.body.contentType == "text/csv"
    assert len(response.requestId) == 32


def test_get_object_metadata__missing(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    response = client.getObjectMetadata("demo_movie", "missing.csv")

    assert (response.status, response.errorCode) == (404, None)


def test_list_objects__all_keys(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    response = client.listObjects("demo_movie")

    assert response.status == 200
    assert [item.key for item in response.body.contents] == [
        "louvain.csv",
        NESTED_KEY,
        CJK_KEY,
    ]
    assert [item.size for item in response.body.contents] == [114, 4, 9]
    assert response.body.contents[0].etag == SAMPLE_ETAG
    assert response.body.contents[0].storageClass == "STANDARD"
    assert response.body.is_truncated is False


def test_list_objects__prefix_and_delimiter(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    by_prefix = client.listObjects("demo_movie", prefix="results/")
    by_folder = client.listObjects("demo_movie", delimiter="/")

    assert [item.key for item in by_prefix.body.contents] == [NESTED_KEY]
    assert [item.key for item in by_folder.body.contents] == ["louvain.csv"]
    assert [item.prefix for item in by_folder.body.commonPrefixs] == [
        "results/",
        "社区/",
    ]


def test_list_objects__paging(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))
    pages: list[tuple[list[str], bool, str | None]] = []
    marker = None

    for _ in range(4):
        body = client.listObjects("demo_movie", max_keys=2, marker=marker).body
        pages.append(
            ([c.key for c in body.contents], body.is_truncated, body.next_marker)
        )
        marker = body.next_marker
        if not body.is_truncated:
            break

    assert pages == [
        (["louvain.csv", NESTED_KEY], True, NESTED_KEY),
        ([CJK_KEY], False, None),
    ]


def test_list_buckets__top_level_directories(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    response = client.listBuckets()

    assert response.status == 200
    assert [bucket.name for bucket in response.body.buckets] == [
        "demo_movie",
        "other_bucket",
    ]


@pytest.mark.parametrize(
    ("bucket", "key", "status", "code"),
    [
        ("demo_movie", "missing.csv", 404, "NoSuchKey"),
        ("demo_movie", ".louvain.csv.a1b2c3.tmp", 404, "NoSuchKey"),
        ("demo_movie", "escape.csv", 404, "NoSuchKey"),
        ("no_such_bucket", "louvain.csv", 404, "NoSuchBucket"),
    ],
)
def test_get_object__errors(
    start_obs: StartObs,
    bucket: str,
    key: str,
    status: int,
    code: str,
) -> None:
    client = sdk_client(start_obs(CREDENTIALS))

    response = client.getObject(bucket, key, loadStreamInMemory=True)

    assert (response.status, response.errorCode) == (status, code)


@pytest.mark.parametrize(
    ("access_key", "secret_key", "code"),
    [
        ("AK-e2e", "SK-wrong", "SignatureDoesNotMatch"),
        ("AK-other", "SK-e2e", "InvalidAccessKeyId"),
    ],
)
@pytest.mark.parametrize("client_mode", ["obs", "workflow"])
def test_credentials__wrong_key_refused(
    start_obs: StartObs,
    access_key: str,
    secret_key: str,
    code: str,
    client_mode: str,
) -> None:
    url = start_obs(CREDENTIALS)
    client = sdk_client(url, access_key, secret_key, client_mode=client_mode)

    response = client.getObject("demo_movie", "louvain.csv", loadStreamInMemory=True)

    assert (response.status, response.errorCode) == (403, code)


def test_credentials__obs_signature_accepted(start_obs: StartObs) -> None:
    # client_mode="workflow" keeps the SDK on its 'obs' signature in path style.
    client = sdk_client(start_obs(CREDENTIALS), client_mode="workflow")

    response = client.getObject("demo_movie", CJK_KEY, loadStreamInMemory=True)

    assert client.signature == "obs"
    assert (response.status, response.body.buffer) == (200, "社区,1\n".encode())


@pytest.mark.parametrize(
    ("access_key", "secret_key"),
    [("AK-any", "SK-any"), ("", "")],
)
def test_credentials__none_accepts_any_key(
    start_obs: StartObs,
    access_key: str,
    secret_key: str,
) -> None:
    client = sdk_client(start_obs(None), access_key, secret_key)

    response = client.getObject("demo_movie", "louvain.csv", loadStreamInMemory=True)

    assert (response.status, response.body.buffer) == (200, SAMPLE_CSV)


def test_signed_url__download_with_requests(start_obs: StartObs) -> None:
    client = sdk_client(start_obs(CREDENTIALS))
    signed = client.createSignedUrl("GET", "demo_movie", "louvain.csv", expires=60)

    good = requests.get(signed.signedUrl, timeout=30)
    bad = requests.get(signed.signedUrl.replace("louvain", "other"), timeout=30)

    assert (good.status_code, good.content) == (200, SAMPLE_CSV)
    assert bad.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in bad.text


@pytest.mark.parametrize(
    ("raw_path", "status", "code"),
    [
        ("/demo_movie/../secret.txt", 404, "NoSuchKey"),
        ("/demo_movie/%2E%2E/%2E%2E/secret.txt", 404, "NoSuchKey"),
        ("/demo_movie/..%2F..%2Fsecret.txt", 404, "NoSuchKey"),
        ("/demo_movie/..%5C..%5Csecret.txt", 404, "NoSuchKey"),
        ("/demo_movie//etc/passwd", 404, "NoSuchKey"),
        ("/demo_movie/escape.csv", 404, "NoSuchKey"),
        ("/..%2Fsecret.txt", 404, "NoSuchBucket"),
        ("/%2E%2E/secret.txt", 404, "NoSuchBucket"),
        ("/demo_movie/%00secret.txt", 400, "InvalidURI"),
    ],
)
def test_path_escape__refused_over_the_wire(
    start_obs: StartObs,
    raw_path: str,
    status: int,
    code: str,
) -> None:
    host, port = start_obs(None).removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)

    connection.request("GET", raw_path)
    response = connection.getresponse()
    body = response.read()
    connection.close()

    assert (response.status, response.getheader("Content-Type")) == (
        status,
        "application/xml",
    )
    assert f"<Code>{code}</Code>".encode() in body
    assert b"outside the root" not in body
