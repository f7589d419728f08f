"""The access line's request target: credentials in the query never shown."""

from __future__ import annotations

import pytest

from ges_mock.access import masked_target


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("/b/a.csv", "/b/a.csv"),
        ("/x?action_id=export-result", "/x?action_id=export-result"),
        ("/b/a.csv?AccessKeyId=AK&Expires=1&Signature=S",
         "/b/a.csv?AccessKeyId=***&Expires=1&Signature=***"),
        ("/b/a.csv?AWSAccessKeyId=AK&%53ignature=S&x-obs-security-token=T",
         "/b/a.csv?AWSAccessKeyId=***&%53ignature=***&x-obs-security-token=***"),
        ("/b?signature", "/b?signature"),
    ],
)
def test_masked__credential_values_become_stars(target: str, shown: str) -> None:
    assert masked_target(target) == shown
