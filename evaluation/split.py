"""The train / held-out split of ``../shared/data`` for the gate with a trained model.

Rows are split by a seeded hash of their ``notes`` text, so every row sharing a notes text lands
on the same side: one fifth of the notes texts form the held-out pool, never trained on. The
held-out *sample* the gate scores is drawn from that pool the way ``sample.py`` draws the
rules-only sample: modern rows, one row per notes text, at most 120 per sub-event type, ranked by
a seeded hash. Only the sample's ``gold_id``s are committed (``model_heldout_ids.txt``); the
training split is every row whose notes text is outside the pool (legacy rows included: their
actors and places are still learned).

    python evaluation/split.py ../shared/data/acled-dev.csv > evaluation/model_heldout_ids.txt

The gate with a model (floors under "model" in ``baseline.json``; ``tests/test_train_gate.py``
runs it in CI) trains on the training split in a temporary directory and scores the sample:

    python evaluation/split.py --gate ../shared/data/acled-dev.csv
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELDOUT_IDS = HERE / "model_heldout_ids.txt"
SEED = "eventcoder-model-split-v1"
#: one notes text in this many goes to the held-out pool
POOL_MODULUS = 5
PER_TYPE = 120


def _hash(text: str) -> int:
    return int(hashlib.sha256(f"{SEED}:{text}".encode()).hexdigest()[:16], 16)


def held_out(notes: str) -> bool:
    """Whether a notes text belongs to the held-out pool (never trained on).

    >>> held_out("On 9 May 2020, rebels looted crops.") in (True, False)
    True
    """
    return _hash(notes.strip()) % POOL_MODULUS == 0


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def draw(path: Path, per_type: int = PER_TYPE) -> list[str]:
    """The held-out sample's gold ids, sorted."""
    by_type: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for row in _rows(path):
        notes = row["notes"].strip()
        if row["taxonomy"] != "modern" or not row["sub_event_type"] or not notes:
            continue
        if notes in seen or not held_out(notes):
            continue
        seen.add(notes)
        by_type[row["sub_event_type"]].append(row["gold_id"])
    chosen: list[str] = []
    for ids in by_type.values():
        chosen.extend(sorted(ids, key=lambda gold_id: _hash(gold_id))[:per_type])
    return sorted(chosen)


def _write(rows: list[dict[str, str]], out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def write_train_csv(path: Path, out: Path) -> Path:
    """Write the training split (every row whose notes text is outside the pool) to ``out``."""
    return _write([r for r in _rows(path) if not held_out(r["notes"])], out)


def write_heldout_csv(path: Path, out: Path, ids_file: Path = HELDOUT_IDS) -> Path:
    """Write the committed held-out sample's rows to ``out`` (a temporary file)."""
    wanted = {line.strip() for line in ids_file.read_text().splitlines() if line.strip()}
    rows = [r for r in _rows(path) if r["gold_id"] in wanted]
    if len(rows) != len(wanted):
        raise ValueError(f"{len(wanted) - len(rows)} held-out ids are not in {path}")
    leaked = [r["gold_id"] for r in rows if not held_out(r["notes"])]
    if leaked:
        raise ValueError(f"held-out ids outside the held-out pool, e.g. {leaked[:3]}")
    return _write(rows, out)


def run_model_gate(data: Path, workdir: Path, progress=None):  # type: ignore[no-untyped-def]
    """Train on the training split of ``data`` in ``workdir``, evaluate the held-out sample with
    that model, and return the report and the shortfalls against the "model" floors."""
    import json

    from eventcoder.config import PipelineConfig
    from eventcoder.evaluate import evaluate
    from eventcoder.train import train

    sys.path.insert(0, str(HERE))
    import gate  # noqa: PLC0415  (a script beside this one)

    train([str(write_train_csv(data, workdir / "train.csv"))], workdir / "model", progress=progress)
    heldout = write_heldout_csv(data, workdir / "heldout.csv")
    report = evaluate([str(heldout)], PipelineConfig.from_env(model_dir=str(workdir / "model")))
    floors = json.loads(gate.BASELINE.read_text(encoding="utf-8"))["floors"].get("model", {})
    return report, gate.shortfalls(report.figures, floors)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="acled-dev.csv")
    parser.add_argument("--gate", action="store_true", help="train, evaluate, check the model floors")
    args = parser.parse_args(argv)
    if not args.gate:
        for gold_id in draw(args.data):
            print(gold_id)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        report, problems = run_model_gate(args.data, Path(tmp), progress=lambda m: print(m, file=sys.stderr))
    print(report.format())
    for line in problems:
        print("below floor:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
