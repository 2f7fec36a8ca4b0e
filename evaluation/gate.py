"""The evaluation gate: per-field floors that a run must meet and that may only rise.

``baseline.json`` holds, per configuration, the floor of each field of ``eventcoder evaluate``:
"rules" is the engine with its built-in rules only on the development sample of ACLED rows;
"news-rules" the same engine on the news-style set ``evaluation/news/news.jsonl``. CI fails when
a figure falls below its floor (``tests/test_eval_gate.py``). After an improvement, raise the
floors on purpose:

    python evaluation/gate.py --update-baseline ../shared/data/acled-dev.csv
    python evaluation/gate.py --news --update-baseline

which run the evaluation and raise every floor of that configuration to the new figure (rounded
down to two decimals); a floor is never lowered by this command.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
SAMPLE_IDS = HERE / "sample_ids.txt"
#: the news-style development set (written for this project; see news/README.md)
NEWS_SET = HERE / "news" / "news.jsonl"


def load_baseline(path: Path = BASELINE) -> dict[str, dict[str, float]]:
    """The committed floors, by configuration."""
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def shortfalls(figures: dict[str, float], floors: dict[str, float]) -> list[str]:
    """One line per field whose figure is below its floor (empty when the gate passes).

    >>> shortfalls({"event_type": 0.80}, {"event_type": 0.85})
    ['event_type: 0.800 < floor 0.850']
    >>> shortfalls({"event_type": 0.90}, {"event_type": 0.85})
    []
    """
    out = []
    for name, floor in sorted(floors.items()):
        value = figures.get(name)
        if value is None:
            out.append(f"{name}: missing from the evaluation (floor {floor:.3f})")
        elif value + 1e-9 < floor:
            out.append(f"{name}: {value:.3f} < floor {floor:.3f}")
    return out


def raised(floors: dict[str, float], figures: dict[str, float]) -> dict[str, float]:
    """Floors raised to the new figures (rounded down to 0.01), never lowered.

    >>> raised({"a": 0.5, "b": 0.7}, {"a": 0.634, "b": 0.61})
    {'a': 0.63, 'b': 0.7}
    """
    out = dict(floors)
    for name, value in figures.items():
        new = math.floor(value * 100) / 100
        if name in out and new > out[name]:
            out[name] = new
    return out


def sample_csv(data: Path, directory: Path) -> Path:
    """The development sample as an ACLED CSV in ``directory`` (never committed)."""
    sys.path.insert(0, str(HERE))
    import sample  # noqa: PLC0415  (a script beside this one, not a package)

    return sample.write_sample_csv(data, SAMPLE_IDS, directory / "dev-sample.csv")


def check(configuration: str, figures: dict[str, float], update: bool) -> list[str]:
    """The shortfalls of ``figures`` against the floors of ``configuration``; with ``update``,
    the floors are raised to the figures in ``baseline.json`` (never lowered)."""
    document = json.loads(BASELINE.read_text(encoding="utf-8"))
    floors = document["floors"][configuration]
    problems = shortfalls(figures, floors)
    if update:
        document["floors"][configuration] = raised(floors, figures)
        BASELINE.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", help="acled-dev.csv (the 'rules' configuration)")
    parser.add_argument("--news", action="store_true", help="gate the news-style set ('news-rules')")
    parser.add_argument("--update-baseline", action="store_true")
    args = parser.parse_args()
    if args.data is None and not args.news:
        parser.error("give acled-dev.csv, --news, or both")
    from eventcoder.evaluate import evaluate

    problems: list[str] = []
    if args.data is not None:
        with tempfile.TemporaryDirectory() as tmp:
            report = evaluate([str(sample_csv(args.data, Path(tmp)))])
        print(report.format())
        problems += [f"rules: {p}" for p in check("rules", report.figures, args.update_baseline)]
    if args.news:
        report = evaluate([str(NEWS_SET)])
        print(report.format())
        problems += [f"news-rules: {p}" for p in check("news-rules", report.figures, args.update_baseline)]
    for line in problems:
        print("below floor:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
