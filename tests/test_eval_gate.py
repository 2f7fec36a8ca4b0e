"""The CI evaluation gate: the engine on the fixed development sample of ACLED rows ("rules") and
on the news-style set evaluation/news/news.jsonl ("news-rules"), field by field, against the
committed floors in evaluation/baseline.json (which may only rise)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _gate():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gate", ROOT / "evaluation" / "gate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gate = _gate()


def test_gate_fails_when_a_floor_is_not_met() -> None:
    floors = {"event_type": 0.85, "country": 0.95}
    assert gate.shortfalls({"event_type": 0.84, "country": 0.99}, floors) == [
        "event_type: 0.840 < floor 0.850"
    ]
    assert gate.shortfalls({"event_type": 0.86}, floors) == ["country: missing from the evaluation (floor 0.950)"]


def test_floors_only_rise() -> None:
    assert gate.raised({"fatalities": 0.86}, {"fatalities": 0.70}) == {"fatalities": 0.86}
    assert gate.raised({"fatalities": 0.86}, {"fatalities": 0.915}) == {"fatalities": 0.91}


def test_baseline_covers_every_scored_field() -> None:
    from eventcoder.evaluate import FIELDS

    floors = gate.load_baseline()["rules"]
    assert set(floors) <= set(FIELDS)
    assert {"event_type", "sub_event_type_f1", "country", "admin1", "event_date", "fatalities", "coverage"} <= set(floors)
    assert all(0.0 <= v <= 1.0 for v in floors.values())


def test_baseline_covers_the_news_figures() -> None:
    from eventcoder.evaluate import FIELDS

    baseline = gate.load_baseline()
    floors = baseline["news-rules"]
    assert set(floors) <= set(FIELDS)
    assert {"sub_event_type_f1", "no_event_rate", "event_type", "coverage"} <= set(floors)
    assert all(0.0 <= v <= 1.0 for v in floors.values())
    targets = json.loads(gate.BASELINE.read_text(encoding="utf-8"))["targets"]["news-rules"]
    # the rules-only targets on news text; floors stay at or below them until met
    assert targets == {"sub_event_type_f1": 0.75, "no_event_rate": 0.9}


def test_sample_ids_are_unique_and_stratified() -> None:
    ids = (ROOT / "evaluation" / "sample_ids.txt").read_text().split()
    assert len(ids) == len(set(ids)) >= 2000


@pytest.mark.slow
def test_rules_meet_their_floors(shared_dir: Path, tmp_path: Path) -> None:
    from eventcoder.evaluate import evaluate

    data = shared_dir / "data" / "acled-dev.csv"
    report = evaluate([str(gate.sample_csv(data, tmp_path))])
    (tmp_path / "figures.json").write_text(json.dumps(report.as_dict()))
    problems = gate.shortfalls(report.figures, gate.load_baseline()["rules"])
    assert not problems, "evaluation gate:\n" + "\n".join(problems) + "\n" + report.format()


@pytest.mark.slow
def test_rules_meet_their_floors_on_news_text() -> None:
    from eventcoder.evaluate import evaluate

    report = evaluate([str(gate.NEWS_SET)])
    assert report.articles >= 150 and len(report.no_event_checks) >= 20
    problems = gate.shortfalls(report.figures, gate.load_baseline()["news-rules"])
    assert not problems, "news gate:\n" + "\n".join(problems) + "\n" + report.format()
