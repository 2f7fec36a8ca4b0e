"""How ``eventcoder run`` shows its progress: a rich progress bar (articles/s, ETA) on a
terminal, a quiet line every few seconds otherwise (a log file, CI), and one summary line.

Only the command line uses this module; the library reports progress through callbacks.
"""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from eventcoder.batch import RunStats
from eventcoder.ingest import EXTENSIONS, STDIN

__all__ = ["RunProgress", "estimate_total"]

#: Seconds between two progress lines when not on a terminal.
QUIET_EVERY = 10.0


class RunProgress:
    """Progress of one run on ``stream`` (stderr)."""

    def __init__(self, names: list[str], stream: TextIO, *, terminal: bool | None = None) -> None:
        self.stream = stream
        self.terminal = stream.isatty() if terminal is None else terminal
        # counting needs a read of the inputs: only worth it where someone watches an ETA
        self.total = estimate_total(names) if self.terminal else None
        self._bar: Any = None
        self._task: Any = None
        self._last_line = time.monotonic()

    def __enter__(self) -> "RunProgress":
        if self.terminal:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("coding"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} articles/s"),
                TextColumn("{task.fields[failed]} failed"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=self.stream, highlight=False, force_terminal=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("coding", total=self.total, rate=0.0, failed=0)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, stats: RunStats) -> None:
        """Called by the run after every write."""
        if self._bar is not None:
            self._bar.update(self._task, completed=stats.done, rate=stats.rate, failed=stats.failed)
            return
        now = time.monotonic()
        if now - self._last_line >= QUIET_EVERY:
            self._last_line = now
            self.print(
                f"eventcoder: {stats.done:,} articles done ({stats.rate:.1f}/s), "
                f"{stats.failed:,} failed"
            )

    def print(self, line: str) -> None:
        """One line of text above the bar (or on its own)."""
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(line + "\n")
            self.stream.flush()

    def finish(self, stats: RunStats, counts: dict[str, int]) -> None:
        """The summary line of the run."""
        self.print(
            f"eventcoder: {stats.read:,} inputs read: {stats.coded:,} articles coded, "
            f"{stats.skipped:,} already stored, {stats.duplicates:,} near-duplicates linked, "
            f"{stats.failed:,} failed ({stats.rate:.1f} articles/s); the store holds "
            f"{counts['articles']:,} articles, {counts['events']:,} events, "
            f"{counts['failures']:,} failures"
        )


def estimate_total(names: list[str]) -> int | None:
    """How many articles ``names`` hold, counted cheaply (records of JSONL/CSV files, other
    files one each), or None when it cannot be known before reading (stdin)."""
    total = 0
    for name in names:
        if name == STDIN:
            return None
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                total += sum(
                    _records(Path(root) / f)
                    for f in files
                    if not f.startswith(".") and f.lower().endswith(EXTENSIONS)
                )
        else:
            total += _records(path)
    return total


def _records(path: Path) -> int:
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as stream:
                return sum(1 for line in stream if line.strip())
        if suffix == ".csv":
            with path.open("rb") as stream:
                text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="")
                return max(sum(1 for _ in csv.reader(text)) - 1, 0)
    except (OSError, csv.Error):
        return 1
    return 1
