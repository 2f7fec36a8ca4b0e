"""The command line: a thin shell that parses arguments, calls the library, formats the result.

Exit status: 0 when every input was read (warnings, such as an article that is not in English,
do not change it); 1 when an input or document failed, or for any other error eventcoder
reports; 2 for a usage error (an unknown option, a malformed ``--published``); 130 when
interrupted. Every error is one line on stderr, ``eventcoder: error: <message>``; a warning is
``eventcoder: warning: <origin>: <warning>``. No traceback is shown for a user's error.
"""

from __future__ import annotations

import atexit
import datetime as dt
import io
import json
import logging
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any, BinaryIO, NoReturn, TextIO

import typer

from eventcoder import __version__, pipeline
from eventcoder.config import PipelineConfig
from eventcoder.errors import EventcoderError, InputError, ModelError
from eventcoder.ingest import STDIN, read_inputs
from eventcoder.model import Article, Event
from eventcoder.writers import FORMATS

__all__ = ["app", "main"]

PROG = "eventcoder"

app = typer.Typer(
    name=PROG,
    help="Code news about armed conflict and protest as ACLED-style event data, with evidence.",
    add_completion=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    """The names of :data:`eventcoder.writers.FORMATS`, for ``--format``."""

    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"


class _Usage(Exception):
    """A malformed argument found after parsing; reported as a usage error (exit status 2)."""


def _error(message: str) -> None:
    typer.echo(f"{PROG}: error: {_one_line(message)}", err=True)


def _warning(message: str) -> None:
    typer.echo(f"{PROG}: warning: {_one_line(message)}", err=True)


def _one_line(message: str) -> str:
    # scripts read stderr line by line: a message never spans two
    return " ".join(message.splitlines())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    context: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Code news about armed conflict and protest as ACLED-style event data, with evidence."""
    if context.invoked_subcommand is None:
        typer.echo(context.get_help())


InputsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="INPUT",
        help="Text or HTML files, folders, .jsonl/.csv of article records; - or none: stdin.",
        show_default=False,
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help="Publication date for inputs that carry none."),
]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model", metavar="DIR", help="Directory of a model made by `eventcoder train`."
    ),
]


@app.command()
def extract(
    inputs: InputsArgument = None,
    published: PublishedOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.jsonl,
    model: ModelOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Code the events in each INPUT and write them to stdout (or --output)."""
    names, default_date = _inputs(inputs, published, "an article")
    config = _config(model)
    batch = _Batch(config)
    with _output(output) as stream:
        articles = read_inputs(names, default_date, config.max_bytes)
        FORMATS[output_format.value](batch.events(articles, stream), stream)
    if batch.failed:
        raise typer.Exit(1)


class _Batch:
    """Runs articles through the pipeline, reporting each failure and warning on stderr as one
    line and going on with the next article."""

    def __init__(self, config: PipelineConfig) -> None:
        self.config = config
        self.failed = False
        # built at the first readable article: a batch of unreadable inputs needs no models
        self._pipe: pipeline.Pipeline | None = None

    def events(
        self, articles: Iterable[Article | InputError], stream: TextIO
    ) -> Iterator[Event]:
        """The events of every article, in order; ``stream`` is flushed between documents."""
        for item in articles:
            # what was written for the last document reaches its reader before more work
            stream.flush()
            if isinstance(item, InputError):
                _error(str(item))
                self.failed = True
                continue
            origin = item.origin or item.id
            if self._pipe is None:
                self._pipe = pipeline.get_pipeline(self.config)
            try:
                doc = self._pipe(item)
            except EventcoderError as err:
                _error(f"{origin}: {err}")
                self.failed = True
                continue
            except Exception as err:  # noqa: BLE001 - one document's bug must not end the batch
                _error(f"{origin}: internal error ({type(err).__name__}: {err}); please report it")
                self.failed = True
                continue
            for warning in doc.warnings:
                _warning(f"{origin}: {warning}")
            yield from doc.events


@app.command()
def evaluate(
    gold: Annotated[
        list[str],
        typer.Argument(
            metavar="GOLD...", help="ACLED CSV exports with notes, or JSONL of annotated articles."
        ),
    ],
    model: ModelOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON.")
    ] = False,
) -> None:
    """Score the engine on gold data and print per-field figures."""
    # evaluation pulls in its own readers and scorers: loaded only when asked for
    from eventcoder.evaluate import evaluate as run_evaluation

    report = run_evaluation(gold, _config(model))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(report.format())


gazetteer_app = typer.Typer(
    help="Manage the gazetteer: add a full GeoNames dump to the places eventcoder knows.",
    invoke_without_command=True,
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.callback()
def _gazetteer(context: typer.Context) -> None:
    """Manage the gazetteer: add a full GeoNames dump to the places eventcoder knows."""
    if context.invoked_subcommand is None:
        typer.echo(context.get_help())


@gazetteer_app.command("import")
def gazetteer_import(
    dumps: Annotated[
        list[Path],
        typer.Argument(
            metavar="GEONAMES_DUMP...",
            help="allCountries.txt, a country file such as SY.txt (or its .zip), and optionally "
                 "alternateNamesV2.txt.",
            show_default=False,
        ),
    ],
) -> None:
    """Import GeoNames dumps into the gazetteer's store (importing twice changes nothing)."""
    from eventcoder.gazetteer import import_store_path
    from eventcoder.geonames import ImportReport, import_dumps

    def progress(report: ImportReport) -> None:
        # a full dump takes a while: the line count so far, rewritten in place on a terminal
        typer.echo(f"\r{report.path}: {report.lines:,} lines ...", err=True, nl=False)

    on_terminal = sys.stderr.isatty()
    try:
        reports = import_dumps(dumps, progress=progress if on_terminal else None)
    finally:
        if on_terminal:
            typer.echo("\r\033[K", err=True, nl=False)  # an error message starts a clean line
    for report in reports:
        typer.echo(report.summary())
    typer.echo(f"gazetteer store: {import_store_path()}")


class ExportFormat(str, Enum):
    """The names of :data:`eventcoder.writers.EXPORT_FORMATS`, for ``export --format``."""

    acled_csv = "acled-csv"
    jsonl = "jsonl"
    geojson = "geojson"
    parquet = "parquet"


@app.command()
def run(
    inputs: InputsArgument = None,
    db: Annotated[
        str,
        typer.Option(
            "--db", metavar="PATH_OR_URL",
            help="SQLite file (made if missing) or postgresql:// URL of the store.",
        ),
    ] = "",
    workers: Annotated[
        int, typer.Option(min=1, metavar="N", help="Local worker processes.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(metavar="tcp://HOST:PORT", help="Code on this Dask cluster instead."),
    ] = None,
    published: PublishedOption = None,
    model: ModelOption = None,
) -> None:
    """Code a corpus into the store: idempotent, resumable, failures recorded."""
    from eventcoder import batch
    from eventcoder.progress import RunProgress
    from eventcoder.store import open_store

    if not db:
        raise _Usage("run needs --db PATH_OR_URL (a SQLite file or a postgresql:// URL)")
    names, default_date = _inputs(inputs, published, "articles")
    config = _config(model)
    with open_store(db) as store, RunProgress(names, sys.stderr) as progress:
        stats = batch.run(
            names,
            store,
            config,
            published=default_date,
            workers=workers,
            scheduler=scheduler,
            total=progress.total,
            on_progress=progress.update,
            on_failure=lambda failure: progress.print(
                f"{PROG}: error: {_one_line(f'{failure.input}: {failure.reason}')}"
            ),
            on_warning=lambda origin, warning: progress.print(
                f"{PROG}: warning: {_one_line(f'{origin}: {warning}')}"
            ),
        )
        progress.finish(stats, store.counts())
    if stats.failed:
        raise typer.Exit(1)


@app.command()
def export(
    db: Annotated[
        str,
        typer.Option(
            "--db", metavar="PATH_OR_URL", help="SQLite file or postgresql:// URL of the store."
        ),
    ] = "",
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.acled_csv,
    since: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Events on or after this date.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Events on or before this date.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="Only this country.")] = None,
    admin1: Annotated[str | None, typer.Option(help="Only this first-level admin area.")] = None,
    event_type: Annotated[
        str | None, typer.Option("--event-type", help="Only this event or sub-event type.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Only events whose actors' names contain this.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Write the store's merged events, filtered, as ACLED CSV, JSONL, GeoJSON or Parquet."""
    from eventcoder.store import EventFilter, open_store
    from eventcoder.writers import EXPORT_FORMATS, write_parquet

    if not db:
        raise _Usage("export needs --db PATH_OR_URL (a SQLite file or a postgresql:// URL)")
    for name, value in (("--since", since), ("--until", until)):
        try:
            pipeline.parse_date(value)
        except EventcoderError as err:
            raise _Usage(f"{name}: {err}") from err
    if "://" not in db and not Path(db).is_file():
        raise EventcoderError(f"--db: no such database: {db}")
    where = EventFilter(
        since=since, until=until, country=country, admin1=admin1, event_type=event_type,
        actor=actor,
    )
    with open_store(db) as store:
        events = store.events(where)
        if output_format is ExportFormat.parquet:
            with _binary_output(output) as stream:
                write_parquet(events, stream)
            return
        with _output(output) as stream:
            EXPORT_FORMATS[output_format.value](events, stream)


@contextmanager
def _binary_output(path: Path | None) -> Iterator[BinaryIO]:
    if path is None:
        if sys.stdout.isatty():
            raise _Usage("--format parquet is binary: give --output FILE or redirect stdout")
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with _open_output(path, "wb") as stream:
        yield stream


@app.command()
def train(
    exports: Annotated[
        list[str],
        typer.Argument(metavar="ACLED_CSV...", help="ACLED CSV exports with notes to learn from."),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The model directory to write (new or empty)."),
    ],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr.")] = False,
) -> None:
    """Learn a model (classifier, actors, places) from ACLED exports; use it with --model DIR."""
    # training pulls in scikit-learn: loaded only when asked for
    from eventcoder.train import train as run_training

    def progress(message: str) -> None:
        if not quiet:
            typer.echo(f"{PROG}: train: {message}", err=True)

    run_training(exports, output, progress=progress)


def _inputs(inputs: list[str] | None, published: str | None, what: str) -> tuple[list[str], dt.date | None]:
    """The input names (stdin when none) and the default publication date, or a usage error."""
    names = list(inputs or []) or [STDIN]
    if names == [STDIN] and sys.stdin.isatty():
        raise _Usage(f"no input: name files or folders, or pipe {what} into stdin")
    try:
        return names, pipeline.parse_date(published)
    except EventcoderError as err:
        raise _Usage(f"--published: {err}") from err


def _open_output(path: Path, mode: str, **options: str) -> IO[Any]:
    """``--output`` opened for writing, or the one-line error that says why it cannot be."""
    try:
        return path.open(mode, **options)
    except OSError as err:
        raise EventcoderError(
            f"cannot write --output {path}: {(err.strerror or str(err)).lower()}"
        ) from err


def _config(model: Path | None) -> PipelineConfig:
    if model is not None and not model.is_dir():
        raise ModelError(f"--model: no such directory: {model}")
    try:
        return PipelineConfig.from_env(model_dir=str(model) if model is not None else None)
    except (TypeError, ValueError) as err:
        raise EventcoderError(f"invalid EVENTCODER_* setting in the environment: {err}") from err


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """The output stream: ``path`` (opened before any work, so a bad path fails at once) or
    stdout, both UTF-8 whatever the locale, and untranslated newlines (the CSV writer's CRLF
    stays as it is)."""
    if path is not None:
        with _open_output(path, "w", encoding="utf-8", newline="") as stream:
            yield stream
        return
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
    finally:
        # detached, the wrapper leaves sys.stdout open when it is collected
        stream.detach()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    >>> main(["--version"])                                   # doctest: +SKIP
    eventcoder 0.1.0
    0
    """
    # trafilatura logs through the root logger's last-resort handler, which would print to
    # stderr beside our one-line messages; the CLI reports what matters itself
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    command = typer.main.get_command(app)
    try:
        status = command.main(
            args=list(argv) if argv is not None else None,
            prog_name=PROG,
            standalone_mode=False,
        )
    except _Usage as err:
        _error(str(err))
        return 2
    except typer.TyperException as err:
        # typer's parsing errors: usage errors (2) name the command whose --help explains it
        message = err.format_message()
        context = getattr(err, "ctx", None)
        if err.exit_code == 2 and context is not None:
            message = f"{message} (see '{context.command_path} --help')"
        _error(message)
        return err.exit_code
    except typer.Abort:
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``| head``): nothing left to say to it
        _silence_stdout()
        return 1
    except EventcoderError as err:
        _error(str(err))
        return 1
    return status if isinstance(status, int) else 0


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def script_main() -> NoReturn:
    """The ``eventcoder`` script and ``python -m eventcoder``: :func:`main`, then the exit.

    Tearing the interpreter down frees the spaCy model, the actor tables and the gazetteer's
    objects one by one: 0.3-0.6 s of a 2-3 s cold start on a laptop-class CPU, for memory the
    operating system reclaims at once. Everything a command writes is flushed and closed before
    :func:`main` returns, so the process ends there: the exit handlers (caches saved at exit,
    logging, multiprocessing's) run, the standard streams are flushed, and ``os._exit`` skips the
    rest. While another non-daemon thread is alive, Python's own exit, which waits for it, is
    kept. Callers of :func:`main` (tests, other programs) are not affected.
    """
    status = main()
    if any(thread is not threading.main_thread() and thread.is_alive() and not thread.daemon
           for thread in threading.enumerate()):
        raise SystemExit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone away, a stream already closed
            pass
    os._exit(status)
