"""Draw the fixed, stratified development sample of ACLED rows used by the evaluation gate.

The sample is drawn from ``../shared/data/acled-dev.csv`` (ACLED's data, never committed): modern
rows only (today's 25 sub-event types), one row per notes text (the first row of each notes
group), at most 120 rows per sub-event type, chosen by a seeded hash so the draw is stable across
machines and pandas versions. Only the drawn ``gold_id``s are committed (``sample_ids.txt``); the
gate rebuilds the sample from the data file beside the project.

    python evaluation/sample.py ../shared/data/acled-dev.csv > evaluation/sample_ids.txt
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

PER_TYPE = 120
SEED = "eventcoder-dev-sample-v1"


def _rank(gold_id: str) -> str:
    return hashlib.sha256(f"{SEED}:{gold_id}".encode()).hexdigest()


def draw(path: Path, per_type: int = PER_TYPE) -> list[str]:
    """The sample's gold ids, sorted, drawn from the ACLED CSV at ``path``."""
    by_type: dict[str, list[str]] = defaultdict(list)
    seen_notes: set[str] = set()
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["taxonomy"] != "modern" or not row["sub_event_type"] or not row["notes"]:
                continue
            notes = row["notes"].strip()
            if notes in seen_notes:
                continue
            seen_notes.add(notes)
            by_type[row["sub_event_type"]].append(row["gold_id"])
    chosen: list[str] = []
    for ids in by_type.values():
        chosen.extend(sorted(ids, key=_rank)[:per_type])
    return sorted(chosen)


def load_rows(path: Path, ids_file: Path) -> list[dict[str, str]]:
    """The sample's rows from the ACLED CSV at ``path``, in the order of ``ids_file``."""
    wanted = [line.strip() for line in ids_file.read_text().splitlines() if line.strip()]
    index = {gold_id: i for i, gold_id in enumerate(wanted)}
    rows: list[dict[str, str] | None] = [None] * len(wanted)
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            i = index.get(row["gold_id"])
            if i is not None:
                rows[i] = row
    missing = [wanted[i] for i, row in enumerate(rows) if row is None]
    if missing:
        raise ValueError(f"{len(missing)} sample ids are not in {path}, e.g. {missing[:3]}")
    return [row for row in rows if row is not None]


def write_sample_csv(path: Path, ids_file: Path, out: Path) -> Path:
    """Write the sample's rows as an ACLED CSV at ``out`` (a temporary file, never committed)."""
    rows = load_rows(path, ids_file)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


if __name__ == "__main__":
    for gold_id in draw(Path(sys.argv[1])):
        print(gold_id)
