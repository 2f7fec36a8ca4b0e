"""Cross-article merging on the development corpus (``evaluation/merge``), with the real pipeline.

Every article goes through spaCy and every stage; the events of all articles then go through
``merge_events``. The figures are defined in docs/EVALUATION.md ("Merging reports across
articles"). Issue 5 sets pairwise precision >= 0.95 and recall >= 0.90. Precision is asserted
end to end. Recall is asserted on the pairs whose two reports the pipeline extracted right
(event type, date, place): that is the merge's own recall. End to end, the remaining
extraction errors (an event type, a place) cost recall that no merge rule should win back, so
the end-to-end figure has a floor, above the target, that guards against regressions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Issue 5's targets.
PRECISION = 0.95
RECALL = 0.90
#: End-to-end recall measured on this corpus (0.937 on 2026-11-25, after trailing attributions
#: kept their dates and one article's parts of one event were linked as one), rounded down; it
#: only rises as extraction improves.
END_TO_END_RECALL_FLOOR = 0.98


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "evaluation" / "merge"))
    try:
        import score
    finally:
        sys.path.pop(0)
    return score.run()


@pytest.mark.slow
def test_corpus_is_large_enough(result) -> None:  # type: ignore[no-untyped-def]
    gold = {r.gold for r in result.reports}
    assert result.articles >= 120 and len(gold) >= 45
    assert result.true_pairs >= 150


@pytest.mark.slow
def test_merge_precision_meets_the_target(result) -> None:  # type: ignore[no-untyped-def]
    assert result.precision >= PRECISION, result.format()


@pytest.mark.slow
def test_merge_recall_on_rightly_extracted_reports_meets_the_target(result) -> None:  # type: ignore[no-untyped-def]
    assert result.clean_true_pairs >= 80
    assert result.clean_recall >= RECALL, result.format()


@pytest.mark.slow
def test_end_to_end_recall_keeps_its_floor(result) -> None:  # type: ignore[no-untyped-def]
    assert result.recall >= max(END_TO_END_RECALL_FLOOR, RECALL), result.format()


@pytest.mark.slow
def test_the_result_does_not_depend_on_the_input_order(result) -> None:  # type: ignore[no-untyped-def]
    assert result.order_independent


@pytest.mark.slow
def test_syndicated_copies_are_found_and_nothing_else(result) -> None:  # type: ignore[no-untyped-def]
    # one copy of the corpus is cut by a fifth (Jaccard 0.78, under the 0.8 threshold)
    assert result.duplicates_found >= result.duplicates_expected - 1
    assert result.false_duplicates == []
