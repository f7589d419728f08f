"""serve's log output: lines batched per loop turn, and lines made from their parts."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import Iterator

import pytest

from ges_mock.log_output import LoopBatchedStreamHandler, direct_info_writer
from ges_mock.logformat import JsonLinesFormatter, TextFormatter

CREATED = 1796371266.25


def _record(message: str = "a line") -> logging.LogRecord:
    record = logging.LogRecord("ges_mock.access", logging.INFO, "", 0, message, None, None)
    record.created = CREATED
    record.msecs = 250.0
    return record


@pytest.mark.parametrize("formatter", [TextFormatter(), JsonLinesFormatter()])
def test_format_parts__same_line_as_a_record(formatter: logging.Formatter) -> None:
    format_parts = formatter.format_parts  # type: ignore[attr-defined]

    assert format_parts("ges_mock.access", "INFO", "a line", CREATED) == formatter.format(_record())


def test_text_formatter__logging_s_own_time_text() -> None:
    plain = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")

    assert TextFormatter().format(_record()) == plain.format(_record())


@pytest.fixture
def handler() -> Iterator[tuple[LoopBatchedStreamHandler, io.StringIO]]:
    stream = io.StringIO()
    handler = LoopBatchedStreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    yield handler, stream
    handler.close()


async def test_lines_in_a_loop_turn__written_together_at_its_end(
    handler: tuple[LoopBatchedStreamHandler, io.StringIO],
) -> None:
    batched, stream = handler
    batched.handle(_record("one"))
    batched.handle(_record("two"))
    assert stream.getvalue() == ""

    await asyncio.sleep(0)

    assert stream.getvalue() == "one\ntwo\n"


async def test_line_from_another_thread__written_at_once_after_waiting_ones(
    handler: tuple[LoopBatchedStreamHandler, io.StringIO],
) -> None:
    batched, stream = handler
    batched.handle(_record("from the loop"))
    worker = threading.Thread(target=batched.handle, args=(_record("from a thread"),))
    worker.start()
    worker.join()

    assert stream.getvalue() == "from the loop\nfrom a thread\n"


def test_line_outside_a_loop__written_at_once(
    handler: tuple[LoopBatchedStreamHandler, io.StringIO],
) -> None:
    batched, stream = handler
    batched.handle(_record("now"))

    assert stream.getvalue() == "now\n"


def test_direct_writer__only_when_serve_s_handler_alone_takes_the_lines(
    handler: tuple[LoopBatchedStreamHandler, io.StringIO],
) -> None:
    batched, _ = handler
    batched.setFormatter(TextFormatter())
    root = logging.getLogger()
    saved = root.handlers[:]
    logger = logging.getLogger("ges_mock.test_direct")
    try:
        root.handlers[:] = [batched]
        assert direct_info_writer(logger) == batched.write_parts

        logger.addHandler(logging.NullHandler())
        assert direct_info_writer(logger) is None
        logger.handlers.clear()

        root.handlers.append(logging.NullHandler())
        assert direct_info_writer(logger) is None
    finally:
        root.handlers[:] = saved
