"""The pinned benchmark corpus: ACLED notes texts chosen by a fixed rule, plus our golden articles.

ACLED's data may not be redistributed, so the texts themselves are never committed: they are read
from ``../shared/data/acled-dev.csv`` at run time, and only the *selection* is committed, in
``benchmarks/corpus_ids.txt`` (one ``gold_id`` a line, with a SHA-256 over every selected id and
the hash of its text, so a changed data file is caught instead of silently measured).

The rule that made the selection (``python benchmarks/corpus.py --pin`` re-applies it):

1. rows with ``taxonomy == "modern"`` and a non-empty ``notes`` text;
2. one row per distinct notes text (the first in file order: ACLED splits one report into
   several located events that share a text);
3. rank the rows by ``sha256("eventcoder-bench-v1:" + gold_id)`` and keep the first 2,000, in
   that order.

The golden articles (``tests/golden/articles/*.txt``, the project's own news-style texts, longer
than ACLED's notes) are appended unless ``golden=False``; their publication dates come from the
``published:`` line of the matching ``tests/golden/expected/*.yaml``.

>>> corpus = load()                                             # doctest: +SKIP
>>> len(corpus.texts), corpus.words                             # doctest: +SKIP
(2015, 76012)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "acled-dev.csv"
IDS_FILE = Path(__file__).resolve().parent / "corpus_ids.txt"
GOLDEN = REPO / "tests" / "golden"
SALT = "eventcoder-bench-v1:"
SIZE = 2000

_PUBLISHED = re.compile(r"""^published:\s*["']?(\d{4}-\d{2}-\d{2})""", re.MULTILINE)


class CorpusError(Exception):
    """The corpus cannot be built as pinned (data file missing or changed)."""


@dataclass(frozen=True)
class Text:
    """One benchmark text, with the publication date eventcoder is given for it."""

    id: str
    text: str
    published: dt.date | None
    origin: str  # "acled" or "golden"

    @property
    def words(self) -> int:
        """Whitespace-separated words, the unit of words/s."""
        return len(self.text.split())


@dataclass(frozen=True)
class Corpus:
    """The texts, in benchmark order, and the checksum of the ACLED part."""

    texts: list[Text]
    checksum: str

    @property
    def words(self) -> int:
        return sum(t.words for t in self.texts)

    def describe(self) -> str:
        """One line: how many texts of each origin, words, checksum."""
        acled = sum(t.origin == "acled" for t in self.texts)
        golden = len(self.texts) - acled
        parts = [f"{acled:,} ACLED notes"] + ([f"{golden} golden articles"] if golden else [])
        return (
            f"{len(self.texts):,} texts ({' + '.join(parts)}), {self.words:,} words, "
            f"ACLED selection sha256 {self.checksum[:16]}"
        )


def _rank(gold_id: str) -> str:
    return hashlib.sha256((SALT + gold_id).encode("utf-8")).hexdigest()


def candidates(path: Path = DATA) -> list[Text]:
    """Modern rows with notes, one per distinct notes text (the first in file order)."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such file (the ACLED development data, ../shared/data/)")
    seen: set[str] = set()
    found: list[Text] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            notes = (row.get("notes") or "").strip()
            if row.get("taxonomy") != "modern" or not notes or notes in seen:
                continue
            seen.add(notes)
            found.append(Text(row["gold_id"], notes, _date(row.get("event_date")), "acled"))
    return found


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def select(texts: list[Text], size: int = SIZE) -> list[Text]:
    """The pinning rule: the ``size`` texts whose salted id hash is smallest, in that order."""
    return sorted(texts, key=lambda t: _rank(t.id))[:size]


def checksum(texts: list[Text]) -> str:
    """SHA-256 over each text's id and the SHA-256 of its text, in order."""
    digest = hashlib.sha256()
    for t in texts:
        digest.update(f"{t.id}\t{hashlib.sha256(t.text.encode('utf-8')).hexdigest()}\n".encode())
    return digest.hexdigest()


def pin(path: Path = DATA, ids_file: Path = IDS_FILE, size: int = SIZE) -> Corpus:
    """Apply the rule to ``path`` and write the selection to ``ids_file``."""
    chosen = select(candidates(path), size)
    if len(chosen) < size:
        raise CorpusError(f"{path}: only {len(chosen)} distinct modern notes, {size} wanted")
    total = checksum(chosen)
    lines = [
        "# eventcoder benchmark corpus: ACLED gold_ids (texts are read from "
        "../shared/data/acled-dev.csv, never committed).",
        "# Rule: taxonomy == modern, non-empty notes, first row per distinct notes text, ranked",
        f"# by sha256('{SALT}' + gold_id), first {size}. Rebuild: python benchmarks/corpus.py --pin",
        f"# sha256: {total}",
        *(t.id for t in chosen),
    ]
    ids_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Corpus(chosen, total)


def _read_ids(ids_file: Path) -> tuple[list[str], str]:
    ids: list[str] = []
    expected = ""
    for line in ids_file.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("# sha256:"):
            expected = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            ids.append(line)
    return ids, expected


def golden_articles(folder: Path = GOLDEN) -> list[Text]:
    """The project's golden articles, sorted by file name."""
    found = []
    for path in sorted((folder / "articles").glob("*.txt")):
        expected = folder / "expected" / f"{path.stem}.yaml"
        published = None
        if expected.is_file():
            match = _PUBLISHED.search(expected.read_text(encoding="utf-8"))
            published = _date(match.group(1)) if match else None
        found.append(Text(path.stem, path.read_text(encoding="utf-8"), published, "golden"))
    return found


def load(
    path: Path = DATA,
    ids_file: Path = IDS_FILE,
    *,
    golden: bool = True,
    limit: int | None = None,
) -> Corpus:
    """The pinned corpus: the ACLED selection (checked), then the golden articles.

    ``limit`` keeps only the first ``limit`` ACLED texts (for quick runs); the checksum is always
    verified over the whole selection.
    """
    ids, expected = _read_ids(ids_file)
    by_id = {t.id: t for t in candidates(path)}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise CorpusError(
            f"{path}: {len(missing)} pinned ids not found among modern notes (first: "
            f"{missing[0]}); the data file changed"
        )
    chosen = [by_id[i] for i in ids]
    total = checksum(chosen)
    if total != expected:
        raise CorpusError(
            f"{path}: the pinned texts changed (sha256 {total[:16]}, pinned {expected[:16]})"
        )
    texts = chosen[:limit] if limit is not None else chosen
    if golden:
        texts = texts + golden_articles()
    return Corpus(texts, total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check (or re-pin) the benchmark corpus.")
    parser.add_argument("--data", type=Path, default=DATA, help="ACLED development CSV")
    parser.add_argument("--pin", action="store_true", help=f"re-apply the rule, rewrite {IDS_FILE.name}")
    args = parser.parse_args(argv)
    try:
        if args.pin:
            pinned = pin(args.data)
            print(f"pinned {len(pinned.texts):,} texts to {IDS_FILE} (sha256 {pinned.checksum[:16]})")
        corpus = load(args.data)
    except CorpusError as err:
        print(f"corpus: error: {err}", file=sys.stderr)
        return 1
    print(f"ok: {corpus.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
