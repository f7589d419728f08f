"""Authentication: the X-Auth-Token check, in the engine's or the gateway's style."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .contract import contract_error
from .errors import ContractError
from .scenario import Auth

__all__ = ["authenticate"]

TOKEN_HEADER = "X-Auth-Token"


# An expired token has one expiry: an hour before the mock started.
EXPIRED_AT = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime(
    "%Y-%m-%dT%H:%M:%S.%fZ"
)


def authenticate(
    token: str | None,
    project_id: str,
    graph_name: str,
    auth: Auth,
    request_id: str,
) -> None:
    """Raise the documented error unless `token` may act on `project_id`."""
    token = (token or "").strip()
    if not token:
        raise _refused(auth, request_id, "x-auth-token not found", "GES.8005",
                       "X-Auth-Token header is missing")
    if token in auth.expired_tokens:
        raise _refused(auth, request_id, f"token expires, expires_at: {EXPIRED_AT}",
                       "GES.8007", "token has expired")
    if auth.tokens is not None and token not in auth.tokens:
        raise _refused(auth, request_id, "decrypt token fail", "GES.8007",
                       "invalid token")
    if auth.projects is not None and project_id not in auth.projects:
        raise contract_error("GES.8006", f"invalid resource access, project id [{project_id}]")
    if auth.forbids(token, project_id, graph_name):
        raise contract_error(
            "GES.8020",
            f"user has no permission to operate graph [{graph_name}]",
            status=403,
        )


def _refused(
    auth: Auth,
    request_id: str,
    gateway_reason: str,
    engine_code: str,
    engine_message: str,
) -> ContractError:
    if auth.error_style == "engine":
        return contract_error(engine_code, engine_message)
    body = {
        "error_msg": f"Incorrect IAM authentication information: {gateway_reason}",
        "error_code": "APIGW.0301",
        "request_id": request_id,
    }
    return ContractError(401, "APIGW.0301", body["error_msg"], body=body)
