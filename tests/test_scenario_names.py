"""Scenario names become OBS folders: none may lead out of the OBS root."""

from __future__ import annotations

from pathlib import Path

import pytest

from ges_mock.cli import main
from ges_mock.scenario import load_scenario_file

GRAPH = "graphs:\n  movie:\n    data: {builtin: karate_club}\n"


@pytest.mark.parametrize("name", ["..", "."])
def test_check__dot_names_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: '{name}'\n{GRAPH}", "utf-8")

    code = main(["check", str(path)])

    assert code == 1
    assert capsys.readouterr().err.strip() == (
        f'{path}:1: name: "{name}" is not allowed: Letters, digits, \'_\', \'.\' '
        "and '-'; not '.' or '..', as it names the scenario's OBS folder"
    )


def test_load__dotted_names_that_are_folders_stay(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: a..b\n{GRAPH}", "utf-8")

    assert load_scenario_file(path).name == "a..b"


def test_load__a_file_whose_stem_is_dots_gets_a_plain_name(tmp_path: Path) -> None:
    path = tmp_path / "...yaml"
    path.write_text(GRAPH, "utf-8")

    assert load_scenario_file(path).name == "scenario"
