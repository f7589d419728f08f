"""The documented GES error codes and the errors the handlers raise."""

from __future__ import annotations

from .errors import ContractError

__all__ = [
    "ERROR_STATUS",
    "bad_parameter",
    "contract_error",
    "export_failed",
    "graph_not_found",
    "job_not_found",
]

# HTTP status of each GES error code, as the error-code table gives it.
ERROR_STATUS: dict[str, int] = {
    "GES.8000": 400,
    "GES.8002": 500,
    "GES.8005": 400,
    "GES.8006": 400,
    "GES.8007": 400,
    "GES.8011": 400,
    "GES.8020": 400,
    "GES.8301": 400,
    "GES.8302": 500,
    "GES.8303": 400,
    "GES.8304": 500,
    "GES.8401": 400,
    "GES.8402": 400,
    "GES.8403": 500,
    "GES.8404": 400,
    "GES.8602": 500,
}


EXPORT_FAILED = "GES.8011"
JOB_QUERY_FAILED = "GES.8301"

def contract_error(code: str, message: str, status: int | None = None) -> ContractError:
    """Build the error for a documented code, at its documented status."""
    return ContractError(status or ERROR_STATUS[code], code, message)


def bad_parameter(message: str) -> ContractError:
    """GES.8000: the request does not match the document."""
    return contract_error("GES.8000", message)


def graph_not_found(graph_name: str, code: str = EXPORT_FAILED) -> ContractError:
    """An unknown graph in the export document's wording, under each call's code."""
    return contract_error(code, f"graph [{graph_name}] is not found")


def export_failed(message: str) -> ContractError:
    """GES.8011: the export cannot be made."""
    return contract_error(EXPORT_FAILED, message)


def job_not_found(job_id: str) -> ContractError:
    """GES.8301 in the job-status page's wording."""
    return contract_error(JOB_QUERY_FAILED, f"can not find job, jobId is {job_id}")
