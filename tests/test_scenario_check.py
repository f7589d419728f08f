"""`ges-mock check` and `serve` on scenario files: located messages, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ges_mock.cli import main
from ges_mock.errors import ScenarioError
from ges_mock.resources import bundled_scenario_names
from ges_mock.scenario import load_scenario_file

GOOD = "name: good\ngraphs:\n  movie:\n    data: {builtin: karate_club}\n"
BAD = """\
name: flaky
graphs:
  movie:
    data: {builtin: karate_club}
rules:
  - match: {endpoint: export}
    respond: {status: 503}
  - match:
      endpoint: export
      headers:
        X-Auth-Token: {regex: 'ro-.*'}
    respond:
      body: {errorMessage: x, errorCode: GES.8000}
      status: 299
"""


def test_check__reports_every_problem_with_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, "utf-8")
    bad = tmp_path / "flaky.yaml"
    bad.write_text(BAD, "utf-8")

    status = main(["check", str(good), str(bad)])

    out, err = capsys.readouterr()
    assert status == 1
    assert out == f"{good}: ok\n"
    assert err == (
        f"{bad}:14: rules[1].respond.status: 299 is not a documented status, expected "
        "one of 200, 400, 401, 403, 404, 500, 503 or off_contract: true\n"
    )


def test_check__schema_errors_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "typo.yaml"
    bad.write_text(GOOD + "rules:\n  - match: {endpiont: export}\n    delay: -1\n")

    status = main(["check", str(bad)])

    assert status == 1
    assert capsys.readouterr().err == (
        f"{bad}:6: rules[0].match.endpiont: is not a documented field\n"
        f"{bad}:7: rules[0].delay: does not match any allowed form, got -1\n"
    )


def test_check__a_directory_checks_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, "utf-8")
    (tmp_path / "b.yml").write_text(GOOD, "utf-8")
    (tmp_path / "notes.txt").write_text("not a scenario", "utf-8")

    status = main(["check", str(tmp_path)])

    assert status == 0
    assert (
        capsys.readouterr().out
        == f"{tmp_path / 'a.yaml'}: ok\n{tmp_path / 'b.yml'}: ok\n"
    )


def test_check__every_bundled_scenario_is_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = Path(__file__).parent.parent / "ges_mock" / "scenarios"

    status = main(["check", str(folder)])

    assert status == 0
    assert capsys.readouterr().out.count(": ok\n") == len(bundled_scenario_names())


def test_serve__refuses_an_invalid_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "flaky.yaml"
    bad.write_text(BAD, "utf-8")

    status = main(
        [
            "serve",
            "--port",
            "0",
            "--obs-root",
            str(tmp_path / "obs"),
            "--scenario",
            str(bad),
        ]
    )

    assert status == 2
    assert capsys.readouterr().err.startswith(
        f"{bad}:14: rules[1].respond.status: 299 is not a documented status"
    )


def test_serve__refuses_two_scenarios_of_one_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, "utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, "utf-8")

    status = main(
        [
            "serve",
            "--port",
            "0",
            "--obs-root",
            str(tmp_path / "obs"),
            "--scenario",
            str(tmp_path),
        ]
    )

    assert status == 2
    assert capsys.readouterr().err == (
        f"{tmp_path / 'b.yaml'}:1: name: 'good' is already the name of "
        f"{tmp_path / 'a.yaml'}\n"
    )


def test_check__refuses_a_billion_laughs_document(tmp_path: Path) -> None:
    lines = ["name: bomb", "_a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"_{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    lines.append("description: *i")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)

    assert caught.value.problems == [
        f"{path}:1: not valid YAML: the document expands to more than 1000000 "
        "values through its aliases"
    ]


def test_check__refuses_a_key_given_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(GOOD + "rules: []\nseed: 1\nrules: []\n", "utf-8")

    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)

    assert caught.value.problems == [
        f"{path}:7: not valid YAML: key 'rules' appears twice in the same mapping"
    ]


def test_check__merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "merge.yaml"
    text = GOOD + "    jobs:\n      - &j {id: a, algorithm: louvain}\n"
    text += "      - {<<: *j, id: b}\n"
    path.write_text(text, "utf-8")

    scenario = load_scenario_file(path)

    assert [job.id for job in scenario.graphs["movie"].jobs] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: a\ngraphs: &x\n  g: *x\n",
         "2: not valid YAML: an alias refers to the value that contains it"),
        ("name: a\ndescription: " + "[" * 3000 + "]" * 3000 + "\n",
         "1: not valid YAML: the document is nested deeper than 32 levels"),
        ("name: a\ndescription: " + "[" * 40 + "]" * 40 + "\n",
         "1: not valid YAML: the document is nested deeper than 32 levels"),
    ],
)
def test_check__refuses_endless_or_deep_documents(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, "utf-8")

    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)

    assert caught.value.problems == [f"{path}:{problem}"]
