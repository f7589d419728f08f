"""ges-mock: a contract-testing double of Huawei Cloud GES's export-result API."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
