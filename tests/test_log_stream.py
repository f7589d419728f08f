"""The log stream: lines of one loop turn written together, urgent ones at once."""

from __future__ import annotations

import asyncio
import io
import logging

from ges_mock.log_stream import TurnBufferedHandler


def make_logger(stream: io.StringIO, name: str) -> logging.Logger:
    handler = TurnBufferedHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(f"test_log_stream.{name}")
    logger.handlers = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger


def test_handler__no_loop_writes_at_once() -> None:
    stream = io.StringIO()
    logger = make_logger(stream, "no_loop")

    logger.info("one")

    assert stream.getvalue() == "INFO one\n"


async def test_handler__lines_of_a_turn_land_after_it() -> None:
    stream = io.StringIO()
    logger = make_logger(stream, "turn")

    logger.info("one")
    logger.info("two")
    during = stream.getvalue()
    await asyncio.sleep(0)

    assert during == ""
    assert stream.getvalue() == "INFO one\nINFO two\n"


async def test_handler__warning_writes_what_waits_and_itself() -> None:
    stream = io.StringIO()
    logger = make_logger(stream, "warning")

    logger.info("first")
    logger.warning("urgent")

    assert stream.getvalue() == "INFO first\nWARNING urgent\n"


async def test_handler__flush_writes_what_waits() -> None:
    stream = io.StringIO()
    logger = make_logger(stream, "flush")

    logger.info("pending")
    logger.handlers[0].flush()

    assert stream.getvalue() == "INFO pending\n"
