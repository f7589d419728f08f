"""Log output formats: plain text lines, or one JSON object per line."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from typing import Any

__all__ = ["LOG_FORMATS", "JsonLinesFormatter", "TextFormatter", "make_formatter"]

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonLinesFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

    def format_parts(self, name: str, level: str, message: str, created: float) -> str:
        """The line `format` gives a record of these parts (no exception)."""
        entry = {"time": _iso(created), "level": level, "logger": name, "message": message}
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """TEXT_FORMAT, with each second's time text made once."""

    _second = -1
    _second_text = ""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        return self._time_text(record.created, int(record.msecs))

    def format_parts(self, name: str, level: str, message: str, created: float) -> str:
        """The line `format` gives a record of these parts (no exception)."""
        msecs = int((created - int(created)) * 1000)
        return f"{self._time_text(created, msecs)} {level} {name} {message}"

    def _time_text(self, created: float, msecs: int) -> str:
        second = int(created)
        if second != self._second:
            self._second_text = time.strftime(self.default_time_format, self.converter(second))
            self._second = second
        return f"{self._second_text},{msecs:03d}"


def make_formatter(name: str) -> logging.Formatter:
    """The formatter for `name`, one of LOG_FORMATS."""
    if name == "json":
        return JsonLinesFormatter()
    if name == "text":
        return TextFormatter()
    raise ValueError(
        f"log format must be one of {', '.join(LOG_FORMATS)}, got {name!r}"
    )


def _iso(created: float) -> str:
    moment = datetime.fromtimestamp(created, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
