"""The command line: its contract (DESIGN.md), run in this process on the stub pipeline, and
end to end on the real one (marked e2e)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import eventcoder
import eventcoder.pipeline
from eventcoder.config import PipelineConfig
from eventcoder.errors import EventcoderError, InputError
from eventcoder.ingest import content_id
from eventcoder.model import ACLED_COLUMNS, JSONL_FIELDS, Article, Document

from conftest import Run, StubPipeline

NAIROBI = (
    "Police fired tear gas at hundreds of traders who were protesting against new market fees "
    "in Nairobi on Monday, witnesses said."
)
KISUMU = "Teachers protested outside the county offices in Kisumu on Tuesday over unpaid wages."
SPANISH = "La policía dispersó con gases lacrimógenos una marcha de comerciantes en Bogotá."

Invoke = Callable[..., Run]


@pytest.fixture
def articles(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("nairobi.txt", NAIROBI), ("kisumu.txt", KISUMU), ("bogota.txt", SPANISH)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def records(run: Run) -> list[dict[str, Any]]:
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_version(invoke: Invoke) -> None:
    run = invoke("--version")
    assert (run.status, run.stdout) == (0, f"eventcoder {eventcoder.__version__}\n")


def test_no_command_prints_help(invoke: Invoke) -> None:
    run = invoke()
    assert run.status == 0 and "extract" in run.stdout and "evaluate" in run.stdout


def test_extract_writes_jsonl_with_evidence_into_the_article(
    invoke: Invoke, articles: dict[str, Path]
) -> None:
    run = invoke("extract", articles["nairobi.txt"], "--published", "2024-03-06")
    assert (run.status, run.stderr) == (0, "")
    [record] = records(run)
    assert list(record) == list(JSONL_FIELDS)
    assert record["event_date"] == "2024-03-06"
    assert record["article_id"] == content_id(NAIROBI)
    [evidence] = record["evidence"]
    assert NAIROBI[evidence["start"] : evidence["end"]] == evidence["text"]


def test_extract_without_published_leaves_the_date_unknown(
    invoke: Invoke, articles: dict[str, Path]
) -> None:
    [record] = records(invoke("extract", articles["nairobi.txt"]))
    assert record["event_date"] is None


def test_several_inputs_in_order(invoke: Invoke, articles: dict[str, Path]) -> None:
    run = invoke("extract", articles["kisumu.txt"], articles["nairobi.txt"])
    assert [r["article_id"] for r in records(run)] == [content_id(KISUMU), content_id(NAIROBI)]


@pytest.mark.parametrize("args", [["-"], []], ids=["dash", "no-input"])
def test_stdin(invoke: Invoke, args: list[str]) -> None:
    run = invoke("extract", *args, stdin=NAIROBI.encode())
    assert run.status == 0
    assert [r["article_id"] for r in records(run)] == [content_id(NAIROBI)]


def test_no_input_from_a_terminal_is_a_usage_error(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal(io.BytesIO(b"")))
    from eventcoder.cli import main

    assert main(["extract"]) == 2


def test_bad_setting_in_the_environment_is_one_line(
    invoke: Invoke, articles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTCODER_MAX_BYTES", "lots")
    run = invoke("extract", articles["nairobi.txt"])
    assert run.status == 1
    [line] = run.errors
    assert line.startswith("eventcoder: error: invalid EVENTCODER_* setting in the environment")


def test_csv_format(invoke: Invoke, articles: dict[str, Path]) -> None:
    run = invoke("extract", articles["nairobi.txt"], "--format", "csv")
    assert run.status == 0 and run.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(run.stdout[1:], newline="")))
    assert [row["event_type"] for row in rows] == ["Protests"]
    assert tuple(rows[0]) == ACLED_COLUMNS


def test_geojson_format(invoke: Invoke, articles: dict[str, Path]) -> None:
    run = invoke("extract", articles["nairobi.txt"], articles["kisumu.txt"], "--format", "geojson")
    collection = json.loads(run.stdout)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2


def test_output_file(invoke: Invoke, articles: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    run = invoke("extract", articles["nairobi.txt"], "--output", out)
    assert (run.status, run.stdout, run.stderr) == (0, "", "")
    assert json.loads(out.read_text(encoding="utf-8"))["article_id"] == content_id(NAIROBI)


def test_unwritable_output_is_one_line(
    invoke: Invoke, articles: dict[str, Path], tmp_path: Path
) -> None:
    run = invoke("extract", articles["nairobi.txt"], "-o", tmp_path / "no" / "such" / "dir.jsonl")
    assert run.status == 1 and run.stdout == ""
    assert run.errors == [
        f"eventcoder: error: cannot write --output {tmp_path / 'no' / 'such' / 'dir.jsonl'}: "
        "no such file or directory"
    ]


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "06/03/2024"])
def test_bad_published_is_a_one_line_usage_error(
    invoke: Invoke, articles: dict[str, Path], value: str
) -> None:
    run = invoke("extract", articles["nairobi.txt"], "--published", value)
    assert (run.status, run.stdout) == (2, "")
    assert run.errors == [
        f"eventcoder: error: --published: not a date (expected YYYY-MM-DD): {value!r}"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "--bogus"], "No such option: --bogus (see 'eventcoder extract --help')"),
        (["extract", "--format", "xml", "a.txt"], "Invalid value for '--format'"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["evaluate"], "Missing argument 'GOLD...'"),
    ],
)
def test_usage_errors_are_one_line_with_status_2(
    invoke: Invoke, args: list[str], message: str
) -> None:
    run = invoke(*args)
    assert run.status == 2
    [line] = run.errors
    assert line.startswith("eventcoder: error: ") and message in line


def test_missing_model_directory(invoke: Invoke, articles: dict[str, Path], tmp_path: Path) -> None:
    run = invoke("extract", articles["nairobi.txt"], "--model", tmp_path / "nope")
    assert run.status == 1
    assert run.errors == [f"eventcoder: error: --model: no such directory: {tmp_path / 'nope'}"]


def test_model_directory_reaches_the_pipeline(
    invoke: Invoke, articles: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configs: list[PipelineConfig] = []

    def remember(config: PipelineConfig | None = None) -> StubPipeline:
        configs.append(config or PipelineConfig())
        return StubPipeline(config)

    monkeypatch.setattr(eventcoder.pipeline, "get_pipeline", remember)
    assert invoke("extract", articles["nairobi.txt"], "--model", tmp_path).status == 0
    assert [config.model_dir for config in configs] == [str(tmp_path)]


def test_max_bytes_from_the_environment(
    invoke: Invoke, articles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENTCODER_MAX_BYTES", "50")
    run = invoke("extract", articles["kisumu.txt"])
    assert run.status == 1 and "file too large" in run.stderr


def test_warnings_are_one_line_each_and_not_failures(
    invoke: Invoke, articles: dict[str, Path]
) -> None:
    run = invoke("extract", articles["bogota.txt"], articles["nairobi.txt"])
    assert run.status == 0
    assert run.errors == [
        f"eventcoder: warning: {articles['bogota.txt']}: not in English; no events coded"
    ]
    assert [r["article_id"] for r in records(run)] == [content_id(NAIROBI)]


class Failing(StubPipeline):
    """Fails on articles that mention Kisumu, the way a stage might."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def __call__(self, article: Article) -> Document:
        if "Kisumu" in article.text:
            raise self.error
        return super().__call__(article)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (EventcoderError("gazetteer index is stale"), "gazetteer index is stale"),
        (ValueError("bad offset"), "internal error (ValueError: bad offset); please report it"),
        (EventcoderError("two\nlines"), "two lines"),
    ],
    ids=["eventcoder-error", "bug", "multi-line-message"],
)
def test_a_failing_document_is_one_line_and_the_batch_goes_on(
    invoke: Invoke,
    articles: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    message: str,
) -> None:
    monkeypatch.setattr(eventcoder.pipeline, "get_pipeline", lambda config=None: Failing(error))
    run = invoke("extract", articles["kisumu.txt"], articles["nairobi.txt"])
    assert run.status == 1
    assert run.errors == [f"eventcoder: error: {articles['kisumu.txt']}: {message}"]
    assert [r["article_id"] for r in records(run)] == [content_id(NAIROBI)]


def test_interrupt_exits_130_quietly(
    invoke: Invoke, articles: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        eventcoder.pipeline, "get_pipeline", lambda config=None: Failing(KeyboardInterrupt())
    )
    run = invoke("extract", articles["nairobi.txt"], articles["kisumu.txt"])
    assert run.status == 130 and run.stderr == ""
    # what was coded before the interrupt was flushed
    assert [r["article_id"] for r in records(run)] == [content_id(NAIROBI)]


def test_unreadable_inputs_need_no_pipeline(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pipeline(config: PipelineConfig | None = None) -> StubPipeline:
        raise AssertionError("the pipeline was built for inputs that could not be read")

    monkeypatch.setattr(eventcoder.pipeline, "get_pipeline", no_pipeline)
    run = invoke("extract", tmp_path / "missing.txt")
    assert (run.status, run.stdout) == (1, "")
    assert run.errors == [f"eventcoder: error: {tmp_path / 'missing.txt'}: no such file or folder"]


# --- evaluate ------------------------------------------------------------------------------------


@pytest.fixture
def fake_evaluate(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], PipelineConfig]]:
    import eventcoder.evaluate

    calls: list[tuple[list[str], PipelineConfig]] = []

    def evaluate(gold_paths: list[str], config: PipelineConfig) -> SimpleNamespace:
        calls.append((list(gold_paths), config))
        if any("missing" in path for path in gold_paths):
            raise InputError(gold_paths[0], "no such file or folder")
        return SimpleNamespace(
            as_dict=lambda: {"event_type": 0.75, "articles": 4},
            format=lambda: "event_type  0.750\narticles    4",
        )

    monkeypatch.setattr(eventcoder.evaluate, "evaluate", evaluate)
    return calls


def test_evaluate_prints_the_report(
    invoke: Invoke, fake_evaluate: list[tuple[list[str], PipelineConfig]], tmp_path: Path
) -> None:
    run = invoke("evaluate", "a.csv", "b.jsonl", "--model", tmp_path)
    assert (run.status, run.stdout) == (0, "event_type  0.750\narticles    4\n")
    [(paths, config)] = fake_evaluate
    assert paths == ["a.csv", "b.jsonl"] and config.model_dir == str(tmp_path)


def test_evaluate_json(
    invoke: Invoke, fake_evaluate: list[tuple[list[str], PipelineConfig]]
) -> None:
    run = invoke("evaluate", "a.csv", "--json")
    assert run.status == 0 and json.loads(run.stdout) == {"event_type": 0.75, "articles": 4}


def test_evaluate_error_is_one_line(
    invoke: Invoke, fake_evaluate: list[tuple[list[str], PipelineConfig]]
) -> None:
    run = invoke("evaluate", "missing.csv")
    assert run.status == 1
    assert run.errors == ["eventcoder: error: missing.csv: no such file or folder"]


# --- the real thing ------------------------------------------------------------------------------


@pytest.mark.e2e
def test_real_pipeline_codes_a_protest(
    run_cli: Callable[..., Run], articles: dict[str, Path]
) -> None:
    run = run_cli("extract", articles["nairobi.txt"], "--published", "2024-03-06", stub=False)
    assert run.status == 0, run.stderr
    assert "Traceback" not in run.stderr
    events = records(run)
    assert events and {e["article_id"] for e in events} == {content_id(NAIROBI)}
    assert "Protests" in {e["event_type"] for e in events}
    for event in events:
        for evidence in event["evidence"]:
            assert NAIROBI[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.parametrize(("args", "status", "stdout"), [
    (["--version"], 0, "eventcoder "),
    (["extract", "--no-such-option"], 2, ""),
])
def test_the_script_s_fast_exit_keeps_the_status_the_output_and_the_exit_handlers(
    tmp_path: Path, args: list[str], status: int, stdout: str,
) -> None:
    # cli.script_main ends the process with os._exit: what it writes must still be flushed,
    # its exit status kept, and the handlers registered with atexit (caches saved at exit) run
    mark = tmp_path / "handler-ran"
    script = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(mark)!r}, 'w').write('saved'))\n"
        f"sys.argv = ['eventcoder', *{args!r}]\n"
        "from eventcoder.cli import script_main\n"
        "script_main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == status, proc.stderr
    assert proc.stdout.startswith(stdout)
    assert (status == 0) == bool(proc.stdout.strip())
    assert mark.read_text() == "saved"
