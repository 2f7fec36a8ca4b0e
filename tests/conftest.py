"""Fixtures shared by every test module.

* ``shared_dir``: the ``../shared`` folder beside the repository (development data, the seed
  article). Absent, tests that need it are skipped with a message saying so, except under
  ``CI=true``, where its absence is a failure: CI must never pass by skipping.
* ``golden``: compares a text with a file under ``tests/golden/``; ``pytest --update-golden``
  rewrites the files instead (on purpose, and reviewed in the diff).
* ``StubPipeline`` / ``stub_pipeline``: a stand-in for the real pipeline, for tests of the
  command line and ingest that must not depend on the spaCy model or on the stages' rules. It
  runs the real clean stage and codes one event per sentence that contains "protest".
* ``place_stage`` / ``place_document``: the real places stage, built once per session (it
  opens the gazetteer), and a hand-built document for it: sentences split at full stops, the
  given ``(surface, Actor)`` pairs marked as the actors stage would mark them.
* ``invoke``: runs ``eventcoder.cli.main`` in this process (with the stub pipeline) and returns
  its exit status, stdout and stderr; ``run_cli`` runs ``python -m eventcoder`` in a real
  subprocess, with the real pipeline or the stub one.

Tests marked ``e2e`` run the real pipeline end to end (``pytest -m e2e`` finds them).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from eventcoder.config import PipelineConfig
from eventcoder.model import Actor, ActorMention, Article, Document, Event, Span

if TYPE_CHECKING:
    from eventcoder.places import PlaceResolver

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
GOLDEN = TESTS / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ instead of comparing with them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: runs the real pipeline end to end (spaCy model and every stage)"
    )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository; skipped when absent, a failure under CI=true."""
    path = (REPO.parent / "shared").resolve()
    if not path.is_dir():
        message = f"needs the shared data folder {path} (../shared beside the repository)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must have it")
        pytest.skip(message)
    return path


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, text)`` asserts ``text`` equals ``tests/golden/<name>``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        assert path.is_file(), f"no golden file {path}; run pytest --update-golden once"
        assert text == path.read_bytes().decode("utf-8"), f"output differs from {path}"

    return check


# --- a stand-in pipeline ------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_ENGLISH = re.compile(r"\b(the|and|in|at|on|of)\b", re.IGNORECASE)


class StubPipeline:
    """A pipeline with the real clean stage and a one-rule event coder.

    Every sentence that contains "protest" becomes a Peaceful protest event whose evidence is
    the sentence; a text without common English words gets a warning and no events, the way
    the real nlp stage treats an article that is not in English.
    """

    def __init__(self, config: PipelineConfig | None = None) -> None:
        from eventcoder.clean import make_clean

        self.config = config or PipelineConfig()
        self.clean = make_clean(self.config)

    def __call__(self, article: Article) -> Document:
        doc = self.clean(Document(article=article))
        if not _ENGLISH.search(doc.text):
            doc.language = "xx"
            doc.warnings.append("not in English; no events coded")
            return doc
        for number, match in enumerate(_SENTENCE.finditer(doc.text)):
            if "protest" not in match.group().lower():
                continue
            evidence = doc.evidence(Span(match.start(), match.end(), match.group()), "notes")
            doc.events.append(
                Event(
                    event_date=article.published.isoformat() if article.published else None,
                    time_precision=1 if article.published else None,
                    event_type="Protests",
                    sub_event_type="Peaceful protest",
                    actor1="Protesters (Kenya)",
                    assoc_actor_1=None,
                    inter1=6,
                    actor2=None,
                    assoc_actor_2=None,
                    inter2=None,
                    interaction=60,
                    civilian_targeting=None,
                    country="Kenya",
                    admin1=None,
                    admin2=None,
                    admin3=None,
                    location=None,
                    latitude=None,
                    longitude=None,
                    geo_precision=None,
                    source=article.source,
                    notes=match.group().strip(),
                    fatalities=0,
                    article_id=article.id,
                    event_id=f"{article.id}-{number}",
                    confidence=0.5,
                    evidence=[evidence],
                )
            )
        return doc


def stub_pipeline(config: PipelineConfig | None = None) -> StubPipeline:
    """Stands in for :func:`eventcoder.pipeline.get_pipeline`."""
    return StubPipeline(config)


@pytest.fixture
def use_stub_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``eventcoder.pipeline.get_pipeline`` build the stub, in this process."""
    import eventcoder.pipeline

    monkeypatch.setattr(eventcoder.pipeline, "get_pipeline", stub_pipeline)


# --- running the command line -------------------------------------------------------------------


@dataclass
class Run:
    """What one command-line run did."""

    status: int
    stdout: str
    stderr: str

    @property
    def errors(self) -> list[str]:
        return self.stderr.splitlines()


@pytest.fixture
def invoke(
    use_stub_pipeline: None,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Run]:
    """``invoke(*args, stdin=b"")``: ``eventcoder.cli.main(args)`` here, on the stub pipeline."""
    from eventcoder.cli import main

    def run(*args: str, stdin: bytes = b"") -> Run:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        status = main([str(arg) for arg in args])
        out, err = capsysbinary.readouterr()
        return Run(status, out.decode("utf-8"), err.decode("utf-8"))

    return run


_STUB_MAIN = textwrap.dedent(
    f"""
    import sys
    sys.path.insert(0, {str(TESTS)!r})
    import conftest
    import eventcoder.pipeline
    eventcoder.pipeline.get_pipeline = conftest.stub_pipeline
    from eventcoder.cli import script_main
    script_main()
    """
)


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., Run]:
    """``run_cli(*args, stub=True, stdin=b"")``: ``python -m eventcoder ARGS`` in a subprocess.

    With ``stub=True`` the subprocess uses :class:`StubPipeline`; with ``stub=False`` the real
    pipeline. The subprocess proves what a user sees: exit status, stdout, stderr, tracebacks.
    """

    def run(*args: str, stub: bool = True, stdin: bytes = b"") -> Run:
        command = [sys.executable, *(["-c", _STUB_MAIN] if stub else ["-m", "eventcoder"])]
        proc = subprocess.run(
            [*command, *[str(arg) for arg in args]],
            input=stdin,
            capture_output=True,
            cwd=tmp_path,
            timeout=600,
            check=False,
        )
        return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))

    return run


@pytest.fixture(scope="session")
def place_stage() -> PlaceResolver:
    from eventcoder.places import PlaceResolver, make_places

    resolver = make_places(PipelineConfig())
    assert isinstance(resolver, PlaceResolver)
    return resolver


def place_document(text: str, source: str | None = None,
                   actors: Iterable[tuple[str, Actor]] = (),
                   observers: Iterable[tuple[str, Actor]] = ()) -> Document:
    """A document for the places stage alone: sentences split at full stops, and each
    ``(surface, actor)`` marked at the surface's first occurrence."""
    doc = Document(article=Article(id="t", text=text, source=source), text=text)
    doc.sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.?", text)]
    for target, mentions in ((doc.actors, actors), (doc.observers, observers)):
        for surface, actor in mentions:
            start = text.index(surface)
            target.append(ActorMention(Span(start, start + len(surface), surface), actor,
                                       doc.sentence_of(start)))
    return doc
