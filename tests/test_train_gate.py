"""The evaluation gate: it fails when a floor is not met (shown on purpose with a stubbed
report), and with a model trained in CI on the training split of ../shared it meets the
"model" floors on the held-out sample (evaluation/split.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eventcoder.evaluate import Report

EVALUATION = Path(__file__).resolve().parent.parent / "evaluation"
sys.path.insert(0, str(EVALUATION))

import gate  # noqa: E402
import split  # noqa: E402


def _stub_report(figures: dict[str, float]) -> Report:
    return Report(rows=10, articles=10, skipped_legacy=0, figures=figures,
                  counts={k: 10 for k in figures}, per_type={})


@pytest.mark.parametrize(("floor", "status"), [(0.95, 1), (0.80, 0)])
def test_gate_main_exits_non_zero_when_a_floor_is_not_met(
    floor: float, status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import eventcoder.evaluate

    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"floors": {"rules": {"event_type": floor, "admin1": 0.5}}}), encoding="utf-8")
    monkeypatch.setattr(gate, "BASELINE", baseline)
    monkeypatch.setattr(gate, "sample_csv", lambda data, directory: directory / "sample.csv")
    monkeypatch.setattr(eventcoder.evaluate, "evaluate",
                        lambda paths, config=None: _stub_report({"event_type": 0.90, "admin1": 0.7}))
    monkeypatch.setattr(sys, "argv", ["gate.py", str(tmp_path / "acled.csv")])
    assert gate.main() == status
    out = capsys.readouterr().out
    assert ("below floor: rules: event_type: 0.900 < floor 0.950" in out) == (status == 1)


def test_the_model_floors_are_committed() -> None:
    floors = gate.load_baseline()
    assert set(floors["model"]) >= {"sub_event_type_f1", "event_type", "actor_recall", "admin1",
                                     "within_25km_gp1", "fatalities"}


def test_the_split_keeps_rows_of_one_notes_text_together() -> None:
    notes = "On 9 May 2020, rebels looted crops in an invented village."
    assert split.held_out(notes) == split.held_out(notes + "  ")
    ids = split.HELDOUT_IDS.read_text().split()
    assert len(ids) == len(set(ids)) and len(ids) <= 25 * split.PER_TYPE


@pytest.mark.slow
def test_a_model_trained_on_the_training_split_meets_the_model_floors(
    shared_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("sklearn", reason="needs the 'train' extra: pip install 'eventcoder[train]'")
    data = shared_dir / "data" / "acled-dev.csv"
    report, problems = split.run_model_gate(data, tmp_path)
    assert report.rows == len(split.HELDOUT_IDS.read_text().split())
    assert not problems, "\n".join(problems) + "\n" + report.format()
