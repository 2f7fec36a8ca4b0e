"""Bad input through the real command line, in a subprocess: what a user sees.

For each kind of bad input: one line on stderr naming the input and the reason, no traceback,
and in a batch with a good article the good article's events are still written and the exit
status is 1 at the end.

Each batch test runs twice: on the stub pipeline (the command line's own behaviour, whatever
the stages do) and, marked ``e2e``, on the real pipeline.

Choice: an article that is not in English is not an error. It gets a warning line and no events,
and alone it leaves the exit status at 0: the input was read and understood, there is simply
nothing the English engine can code in it. Scripts that must tell "no events" from "failed"
read the status; scripts that want to see skipped languages read the warnings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcoder.ingest import content_id

from conftest import Run

GOOD = (
    "Police fired tear gas at protesters in Nairobi on Monday, scattering hundreds of traders "
    "who had marched to City Hall to protest against new market fees, witnesses said."
)
OTHER = (
    "Hundreds of teachers protested outside the county offices in Kisumu on Tuesday over "
    "unpaid wages, the teachers' union said."
)
SPANISH = (
    "La policía dispersó con gases lacrimógenos a cientos de comerciantes que protestaban el "
    "lunes frente a la alcaldía de Bogotá contra el alza de los impuestos, según testigos."
)
PAGE = """<!DOCTYPE html>
<html><head><title>Police disperse traders in Nairobi</title>
<script>var headline = "SCRIPT-TEXT: protesters stormed the parliament building";</script>
<style>p { color: red } /* STYLE-TEXT */</style>
</head><body>
<nav>Home | Politics | Business</nav>
<article><h1>Police disperse traders in Nairobi</h1>
<p>{good}</p>
<script>document.write("SCRIPT-TEXT: protest against the script itself");</script>
<p>A police spokesman said twelve people were arrested and would appear in court on Wednesday,
and that officers had acted to keep the peace in the city centre.</p>
</article>
<footer>Share this: Facebook Twitter</footer>
</body></html>
"""

Runner = Callable[..., Run]

#: stub pipeline always; the real one marked e2e
PIPELINES = [
    pytest.param(True, id="stub"),
    pytest.param(False, id="real", marks=pytest.mark.e2e),
]


def make_missing(tmp_path: Path) -> tuple[Path, str]:
    return tmp_path / "missing.txt", "no such file or folder"


def make_empty(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path, "empty file"


def make_binary(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 50)
    return path, "binary file (contains NUL bytes), not text"


def make_not_utf8(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Manifestantes en Bogotá protestaron el lunes.".encode("latin-1"))
    return path, "not UTF-8 (byte 0xe1 at offset 22 is invalid); convert it to UTF-8"


def make_huge(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(200_000_000)  # sparse: costs no disk, and must cost no reading either
    return path, "file too large (200.0 MB; the limit is 20.0 MB"


BAD = {
    "missing": make_missing,
    "empty": make_empty,
    "binary": make_binary,
    "not-utf8": make_not_utf8,
    "200MB": make_huge,
}


def events(run: Run) -> list[dict[str, Any]]:
    return [json.loads(line) for line in run.stdout.splitlines()]


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", BAD)
def test_bad_input_alone(run_cli: Runner, tmp_path: Path, kind: str) -> None:
    """Alone, a bad input needs no pipeline: this runs the real command line as it is."""
    bad, reason = BAD[kind](tmp_path)
    run = run_cli("extract", bad, stub=False)
    assert_no_traceback(run)
    assert (run.status, run.stdout) == (1, "")
    [line] = run.errors
    assert line.startswith(f"eventcoder: error: {bad}: {reason}"), line


@pytest.mark.parametrize("stub", PIPELINES)
@pytest.mark.parametrize("kind", BAD)
def test_bad_input_in_a_batch(
    run_cli: Runner, tmp_path: Path, good: Path, kind: str, stub: bool
) -> None:
    bad, reason = BAD[kind](tmp_path)
    # the bad input first: what comes after it must still be coded
    run = run_cli("extract", "--published", "2024-03-06", bad, good, stub=stub)
    assert_no_traceback(run)
    assert run.status == 1
    [line] = run.errors
    assert line.startswith(f"eventcoder: error: {bad}: {reason}"), line
    coded = events(run)
    assert coded, "the good article's events are missing"
    assert {event["article_id"] for event in coded} == {content_id(GOOD)}


def test_binary_on_stdin(run_cli: Runner, good: Path) -> None:
    run = run_cli("extract", "-", good, stdin=b"\x00\x01\x02\x03" * 100)
    assert_no_traceback(run)
    assert run.status == 1
    assert run.errors == ["eventcoder: error: <stdin>: binary file (contains NUL bytes), not text"]
    assert {event["article_id"] for event in events(run)} == {content_id(GOOD)}


@pytest.mark.parametrize("stub", PIPELINES)
def test_malformed_jsonl_lines(run_cli: Runner, tmp_path: Path, stub: bool) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "nairobi", "text": GOOD, "published": "2024-03-04"}),
                '{"id": "broken", "text": "Protesters gathered',
                json.dumps({"id": "no-text", "title": "A record without text"}),
                json.dumps({"id": "bad-date", "text": OTHER, "published": "last Tuesday"}),
                json.dumps({"id": "kisumu", "text": OTHER, "published": "2024-03-05"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    run = run_cli("extract", path, stub=stub)
    assert_no_traceback(run)
    assert run.status == 1
    assert run.errors == [
        f"eventcoder: error: {path}:2: not valid JSON (Unterminated string starting, column 26)",
        f"eventcoder: error: {path}:3: record has no text (expected a non-empty 'text' or 'html')",
        f"eventcoder: error: {path}:4: published is not a date (expected YYYY-MM-DD): "
        "'last Tuesday'",
    ]
    coded = events(run)
    assert {event["article_id"] for event in coded} == {"nairobi", "kisumu"}


@pytest.mark.parametrize("stub", PIPELINES)
def test_html_page_with_scripts(run_cli: Runner, tmp_path: Path, good: Path, stub: bool) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE.replace("{good}", GOOD), encoding="utf-8")
    run = run_cli("extract", "--published", "2024-03-06", page, good, stub=stub)
    assert_no_traceback(run)
    assert (run.status, run.stderr) == (0, "")
    coded = events(run)
    assert "SCRIPT-TEXT" not in run.stdout and "STYLE-TEXT" not in run.stdout
    page_events = [event for event in coded if event["article_id"] != content_id(GOOD)]
    assert page_events, "the page's main text gave no events"
    for event in page_events:
        for evidence in event["evidence"]:
            assert "SCRIPT" not in evidence["text"]


@pytest.mark.parametrize("stub", PIPELINES)
def test_non_english_article_warns_and_codes_nothing(
    run_cli: Runner, tmp_path: Path, good: Path, stub: bool
) -> None:
    spanish = tmp_path / "bogota.txt"
    spanish.write_text(SPANISH, encoding="utf-8")

    alone = run_cli("extract", "--published", "2024-03-06", spanish, stub=stub)
    assert_no_traceback(alone)
    assert (alone.status, alone.stdout) == (0, "")
    [line] = alone.errors
    assert line.startswith(f"eventcoder: warning: {spanish}: ")
    assert "english" in line.lower() or "language" in line.lower(), line

    batch = run_cli("extract", "--published", "2024-03-06", spanish, good, stub=stub)
    assert_no_traceback(batch)
    assert batch.status == 0
    assert batch.errors == [line]
    assert {event["article_id"] for event in events(batch)} == {content_id(GOOD)}
