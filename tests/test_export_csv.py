"""The CSV layout: the document's header, byte for byte, then the rows."""

from __future__ import annotations

import io

from ges_mock.export_csv import format_header, write_result_csv
from ges_mock.results import AlgorithmResult

SAMPLE = AlgorithmResult(
    scalars=(("modularity", 0.4269691347613425), ("community_num", 4)),
    rows_field="community",
    rows=[("1", 1), ("2", 1)] + [(str(n), 2) for n in range(3, 35)],
)


def test_format_header__matches_the_document_sample() -> None:
    expected = (
        "# modularity: 0.4269691347613425,\n"
        "#community_num: 4,\n"
        "#runtime: 0.003784,\n"
        "#data_total_size: 34\n"
        "#community:\n"
    )

    assert format_header(SAMPLE, 0.003784) == expected


def test_format_header__without_scalars_starts_at_runtime() -> None:
    result = AlgorithmResult(scalars=(), rows_field="pagerank", rows=[("1", 0.5)])

    assert format_header(result, 0.25) == (
        "# runtime: 0.25,\n#data_total_size: 1\n#pagerank:\n"
    )


def test_write_result_csv__rows_follow_the_header() -> None:
    handle = io.StringIO()

    write_result_csv(handle, SAMPLE, 0.003784)

    lines = handle.getvalue().split("\n")
    assert lines[5:8] == ["1,1", "2,1", "3,2"]
    assert lines[-2:] == ["34,2", ""]
    assert len(lines) == 5 + 34 + 1


def test_write_result_csv__quotes_awkward_vertex_ids() -> None:
    result = AlgorithmResult(scalars=(), rows_field="community", rows=[('a,"b', 1)])
    handle = io.StringIO()

    write_result_csv(handle, result, 0.1)

    assert handle.getvalue().endswith('#community:\n"a,""b",1\n')
