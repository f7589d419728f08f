"""Named loggers, one per area of the mock; only cli.py configures them."""

from __future__ import annotations

import logging

__all__ = [
    "access_log",
    "admin_log",
    "jobs_log",
    "obs_log",
    "scenario_log",
    "server_log",
]

access_log = logging.getLogger("ges_mock.access")
admin_log = logging.getLogger("ges_mock.admin")
jobs_log = logging.getLogger("ges_mock.jobs")
obs_log = logging.getLogger("ges_mock.obs")
scenario_log = logging.getLogger("ges_mock.scenario")
server_log = logging.getLogger("ges_mock.server")
