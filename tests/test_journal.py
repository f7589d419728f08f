"""The journal's masking, bounds and filters, and verification's near misses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ges_mock.app import create_app
from ges_mock.errors import GesMockError
from ges_mock.journal import (
    BODY_KEEP,
    JOURNAL_ENDPOINTS,
    Journal,
    JournalEntry,
    mask_body,
    mask_headers,
)
from ges_mock.registry import Registry
from ges_mock.scenario import load_scenario
from ges_mock.verification import parse_criteria, verify
from ges_mock.world import World


def _entry(seq: int, **fields: Any) -> JournalEntry:
    base: dict[str, Any] = {
        "seq": seq,
        "timestamp": float(seq),
        "request_id": None,
        "method": "POST",
        "path": "/p",
        "query": {},
        "headers": {},
        "body": None,
        "endpoint": "export-result",
        "scenario": "default",
        "rule": None,
        "is_off_contract": False,
        "status": 200,
        "duration_ms": 1.0,
    }
    return JournalEntry(**{**base, **fields})


def test_mask_headers__hides_token_and_signature() -> None:
    headers = [
        ("X-Auth-Token", "t"),
        ("authorization", "OBS ak:sig"),
        ("Accept", "*/*"),
    ]

    assert mask_headers(headers) == {
        "X-Auth-Token": "***",
        "authorization": "***",
        "Accept": "*/*",
    }


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        (b"", None),
        (b"not json", "not json"),
        (
            b'{"obsParameters": {"accessKey": "a", "secretKey": "s", "x": 1}}',
            {"obsParameters": {"accessKey": "***", "secretKey": "***", "x": 1}},
        ),
        (b'{"obsParameters": "plain"}', {"obsParameters": "***"}),
        (b"null", None),
        (b"[" * 33 + b"]" * 33, "[" * 33 + "]" * 33),
        (b"[" * 100_000 + b"]" * 100_000, "[" * BODY_KEEP),
        (
            b'[{"obsParameters": {"accessKey": "a", "secretKey": "s"}}]',
            [{"obsParameters": {"accessKey": "***", "secretKey": "***"}}],
        ),
        (
            b'{"secretKey": "s", "x": {"accessKey": "a"}, "y": [{"secretKey": 1}]}',
            {"secretKey": "***", "x": {"accessKey": "***"}, "y": [{"secretKey": "***"}]},
        ),
        (
            b'{"obsParameters": {"secret\\u004bey": "s"}} cut',
            '{"obsParameters": {"secret\\u004bey": "***"}} cut',
        ),
        (
            b'{"obsParameters": {"accessKey": 12345, }',
            '{"obsParameters": {"accessKey": "***", }',
        ),
        (b'{"obs\\u0050arameters": "ak:sk" cut', '{"obs\\u0050arameters": ***'),
        (b'{"obsParameters": {"secretKey": ["s"]} cut', '{"obsParameters": {"secretKey": ***'),
    ],
)
def test_mask_body(raw: bytes, kept: Any) -> None:
    assert mask_body(raw) == kept


def test_mask_body__long_body_is_cut_as_text() -> None:
    raw = json.dumps({"pad": "x" * BODY_KEEP}).encode()

    kept = mask_body(raw)

    assert isinstance(kept, str) and len(kept) == BODY_KEEP


def test_journal__bounded_and_cleared_per_scenario() -> None:
    journal = Journal(size=2)
    for seq, scenario in ((1, "a"), (2, "b"), (3, "a")):
        journal.add(_entry(seq, scenario=scenario))

    assert [e.seq for e in journal] == [2, 3] and journal.dropped == 1
    assert journal.clear("a") == 1
    assert [e.seq for e in journal] == [2]


def test_journal__size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="journal size must be at least 1, got 0"):
        Journal(size=0)


def test_verify__near_misses_fewest_differences_then_newest() -> None:
    entries = [
        _entry(1, status=400, body={"exportPath": "x"}),
        _entry(2, status=400),
        _entry(3, status=200, body={"exportPath": "y"}),
    ]
    criteria = parse_criteria({"status": 200, "body": {"exportPath": "x"}})

    outcome = verify(entries, criteria).to_json()

    assert outcome["count"] == 0
    assert [
        (m["request"]["seq"], m["differences"]) for m in outcome["near_misses"]
    ] == [
        (3, ["body.exportPath was 'y', expected 'x'"]),
        (1, ["status was 400, expected 200"]),
        (
            2,
            [
                "status was 400, expected 200",
                "body was None, expected an object with {'exportPath': 'x'}",
            ],
        ),
    ]


def test_verify__headers_match_case_insensitively_and_since_bounds() -> None:
    entries = [_entry(1, headers={"X-Language": "en-us"}), _entry(5)]
    criteria = parse_criteria({"headers": {"x-language": "en-us"}, "since": 0})

    assert verify(entries, criteria).to_json()["count"] == 1
    assert verify(entries, parse_criteria({"since": 2})).to_json()["count"] == 1


def test_journal_endpoints__are_the_business_handlers() -> None:
    world = World(load_scenario("default"), Path("unused"))
    app = create_app(Registry([world]))
    names = {
        route.handler.__name__.replace("_", "-")
        for route in app.router.routes()
        if route.resource is not None and route.resource.canonical.startswith("/ges/")
    }

    assert names == set(JOURNAL_ENDPOINTS)


def test_verify__unknown_endpoint_is_refused() -> None:
    with pytest.raises(GesMockError) as raised:
        parse_criteria({"endpoint": "export"})

    assert str(raised.value) == (
        "endpoint 'export' is unknown; known: export-result, job-status, "
        "execute-algorithm, list-jobs, cancel-job"
    )
