"""Scenarios: the world the mock pretends to be, loaded from YAML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from .lazy import networkx as nx
import yaml
from jsonschema.exceptions import ValidationError

from .algorithms import canonical_name, layout_of, parameter_problem
from .errors import ScenarioError
from .graphs import GraphDataError, build_graph, deferred_graph
from .jobs import JobState, Progression
from .resources import bundled_scenario
from .results import AlgorithmResult
from .rule_loader import build_rules
from .rules import Rule
from .validation import explain_error, field_path, validator_for
from .yaml_source import YamlDocument, parse_yaml

__all__ = [
    "Auth",
    "Behaviour",
    "GraphSpec",
    "JobSpec",
    "Scenario",
    "load_scenario",
    "load_scenario_file",
    "load_scenario_text",
]

SCENARIO_SCHEMA = "scenario.schema"
DEFAULT_SCENARIO = "default"


# A token forbidden on some projects and graphs (None: on all of them).
ForbiddenScope = tuple[str, frozenset[str] | None, frozenset[str] | None]


@dataclass(frozen=True)
class Auth:
    """Who may call: projects and tokens (None means any), and the error style."""

    projects: frozenset[str] | None = None
    tokens: frozenset[str] | None = None
    expired_tokens: frozenset[str] = frozenset()
    forbidden_tokens: frozenset[str] = frozenset()
    error_style: str = "gateway"
    # Tokens forbidden only on some projects or graphs: (token, projects, graphs).
    forbidden_scopes: tuple[ForbiddenScope, ...] = ()

    def forbids(self, token: str, project_id: str, graph_name: str) -> bool:
        """Whether a valid `token` lacks permission on this project and graph."""
        if token in self.forbidden_tokens:
            return True
        return any(
            token == scoped
            and (projects is None or project_id in projects)
            and (graphs is None or graph_name in graphs)
            for scoped, projects, graphs in self.forbidden_scopes
        )


@dataclass(frozen=True)
class Behaviour:
    """How jobs progress and what words and rules the mock uses."""

    status_words: dict[JobState, str]
    export_progression: Progression
    algorithm_progression: Progression
    export_failure: tuple[str, str] | None = None
    rejects_unknown_fields: bool = False


@dataclass(frozen=True)
class JobSpec:
    """A job that exists when the scenario starts."""

    id: str
    algorithm: str
    parameters: dict[str, Any]
    status: JobState
    error: tuple[str, str] | None = None
    result: AlgorithmResult | None = None


@dataclass
class GraphSpec:
    """A graph of the scenario and the jobs declared on it."""

    name: str
    built: nx.Graph[str] | None = None
    jobs: list[JobSpec] = field(default_factory=list)
    build: Callable[[], nx.Graph[str]] | None = None

    @property
    def graph(self) -> nx.Graph[str]:
        """The graph, built on first use when its spec allows deferring it."""
        if self.built is None:
            if self.build is None:
                raise RuntimeError(f"graph {self.name!r} has neither data nor builder")
            self.built = self.build()
        return self.built


@dataclass
class Scenario:
    """A loaded, validated scenario."""

    name: str
    source: str
    seed: int
    auth: Auth
    behaviour: Behaviour
    graphs: dict[str, GraphSpec]
    rules: list[Rule] = field(default_factory=list)
    path: Path | None = None
    # OBS access and secret key downloads and exports must use (None: any).
    obs_credentials: dict[str, str] | None = None


def load_scenario(reference: str | None) -> Scenario:
    """Load a scenario from a file path, or a bundled one by name (default if None)."""
    if reference is None:
        reference = DEFAULT_SCENARIO
    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_scenario_file(path)
    source, text = bundled_scenario(reference)
    return load_scenario_text(text, source=source)


def load_scenario_file(path: Path) -> Scenario:
    """Load and validate the scenario file at `path`."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError([f"{path}: cannot read the scenario file: {err}"]) from err
    scenario = load_scenario_text(text, source=str(path), base_dir=path.parent)
    scenario.path = path
    return scenario


def load_scenario_text(
    text: str,
    *,
    source: str = "<scenario>",
    base_dir: Path | None = None,
) -> Scenario:
    """Validate YAML `text` against the scenario schema and build the scenario.

    Raises ScenarioError listing every problem as `source:line: field: what`.
    """
    document = _parse(text, source)
    data = document.data if document.data is not None else {}

    errors = sorted(
        validator_for(SCENARIO_SCHEMA).iter_errors(data),
        key=lambda e: (document.line_of(e.absolute_path), list(map(str, e.absolute_path))),
    )
    if errors:
        raise ScenarioError([_locate(source, document, e) for e in errors])

    name = data.get("name") or _name_from_file(source)
    return Scenario(
        name=name,
        source=source,
        seed=int(data.get("seed", 0)),
        auth=_build_auth(data.get("auth", {})),
        behaviour=_build_behaviour(data.get("behaviour", {})),
        graphs=_build_graphs(data.get("graphs", {}), source, document, base_dir),
        rules=build_rules(data.get("rules", []), source, document),
        obs_credentials=data.get("obs", {}).get("credentials"),
    )


def _name_from_file(source: str) -> str:
    """The file's stem, unless it is no folder name (a file named `...yaml`)."""
    stem = Path(source.split(" ")[0]).stem
    return "scenario" if stem in ("", ".", "..") else stem


def _parse(text: str, source: str) -> YamlDocument:
    try:
        return parse_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError([f"{source}:{line}: not valid YAML: {problem}"]) from err


def _locate(source: str, document: YamlDocument, error: ValidationError) -> str:
    path = list(error.absolute_path)
    subject, problem = explain_error(error, root="scenario")
    if error.validator == "oneOf":
        subject = field_path(path) or "scenario"
        problem = f"does not match any allowed form, got {error.instance!r}"
    return f"{source}:{document.line_of(path)}: {subject}: {problem}"


def _dotted(path: list[Any]) -> str:
    return ".".join(str(p) for p in path)


def _optional_set(value: Any) -> frozenset[str] | None:
    return None if value in (None, "any") else frozenset(value)


def _build_auth(data: dict[str, Any]) -> Auth:
    forbidden = data.get("forbidden_tokens", [])
    return Auth(
        projects=_optional_set(data.get("projects")),
        tokens=_optional_set(data.get("tokens")),
        expired_tokens=frozenset(data.get("expired_tokens", [])),
        forbidden_tokens=frozenset(t for t in forbidden if isinstance(t, str)),
        error_style=data.get("error_style", "gateway"),
        forbidden_scopes=tuple(
            (t["token"], _optional_set(t.get("projects")),
             _optional_set(t.get("graphs")))
            for t in forbidden
            if isinstance(t, dict)
        ),
    )


def _build_progression(data: dict[str, Any], default_polls: int) -> Progression:
    pending = data.get("pending_polls", 0)
    if "complete_after_seconds" in data:
        return Progression.done_after_seconds(float(data["complete_after_seconds"]))
    polls = data.get("complete_after_polls", default_polls + pending)
    return Progression.done_after_polls(polls, pending=pending)


def _build_behaviour(data: dict[str, Any]) -> Behaviour:
    words = {state: state.value for state in JobState}
    for state_name, word in data.get("status_words", {}).items():
        words[JobState(state_name)] = word

    export = data.get("export", {})
    failure = export.get("fail")
    return Behaviour(
        status_words=words,
        export_progression=_build_progression(export.get("progress", {}), 2),
        algorithm_progression=_build_progression(
            data.get("algorithm_jobs", {}).get("progress", {}), 2
        ),
        export_failure=(failure["errorCode"], failure["errorMessage"]) if failure else None,
        rejects_unknown_fields=data.get("unknown_fields", "accept") == "reject",
    )


def _build_graphs(
    data: dict[str, Any],
    source: str,
    document: YamlDocument,
    base_dir: Path | None = None,
) -> dict[str, GraphSpec]:
    graphs: dict[str, GraphSpec] = {}
    seen_jobs: dict[str, str] = {}
    for name, spec in data.items():
        jobs = []
        for index, job in enumerate(spec.get("jobs", [])):
            where = ["graphs", name, "jobs", index]
            if job["id"] in seen_jobs:
                line = document.line_of([*where, "id"])
                message = (
                    f"{source}:{line}: {_dotted(where)}.id: {job['id']!r} is "
                    f"already a job of graph {seen_jobs[job['id']]!r}"
                )
                raise ScenarioError([message])
            seen_jobs[job["id"]] = name
            try:
                jobs.append(_build_job(job))
            except _JobProblem as problem:
                line = document.line_of([*where, problem.field])
                raise ScenarioError(
                    [f"{source}:{line}: {_dotted(where)}.{problem}"]
                ) from problem

        try:
            builder = deferred_graph(spec["data"])
            graph = None if builder is not None else build_graph(spec["data"], base_dir)
        except GraphDataError as err:
            line = document.line_of(["graphs", name, "data"])
            raise ScenarioError([f"{source}:{line}: graphs.{name}.data: {err}"]) from err
        graphs[name] = GraphSpec(name=name, built=graph, jobs=jobs, build=builder)
    return graphs


class _JobProblem(ValueError):
    """A declared job the mock cannot run: `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _build_job(data: dict[str, Any]) -> JobSpec:
    algorithm = canonical_name(data["algorithm"])
    if algorithm is None:
        raise _JobProblem("algorithm", f"unknown algorithm {data['algorithm']!r}")
    parameters = dict(data.get("parameters", {}))
    problem = parameter_problem(algorithm, parameters)
    if problem is not None:
        raise _JobProblem("parameters", problem)

    error = data.get("error")
    literal = data.get("result")
    result = None
    if literal is not None:
        scalars = tuple(literal.get("scalars", {}).items())
        rows = [tuple(row) for row in literal["rows"]]
        result = layout_of(algorithm).result(scalars, rows)
    return JobSpec(
        id=data["id"],
        algorithm=algorithm,
        parameters=parameters,
        status=JobState(data.get("status", "complete")),
        error=(error["errorCode"], error["errorMessage"]) if error else None,
        result=result,
    )
