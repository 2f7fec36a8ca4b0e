"""PLACEHOLDER for the cross-article merge (issue 5), written by the ``linking`` branch.

This file exists only so the store and batch runs (``store.py``, ``batch.py``) can be built and
tested against the agreed interface before the real implementation lands. It holds no logic:
every report is its own event and no article is a near-duplicate of another. The lead replaces
this whole file with the ``linking`` branch's version at merge.

The interface the store relies on:

* :class:`MinHashIndex`: ``signature(text) -> bytes`` (stored with the article),
  ``add(article_id, signature)``, ``query(signature) -> sorted ids of near-duplicates``;
* :func:`merge_events`: reports of many articles -> :class:`~eventcoder.model.MergedEvent`\\ s,
  deterministic and independent of input order.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventcoder.model import Event, MergedEvent

__all__ = ["MinHashIndex", "merge_events", "near_duplicate_of"]


class MinHashIndex:
    """PLACEHOLDER: knows no near-duplicates."""

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold

    def signature(self, text: str) -> bytes:
        return b""

    def add(self, article_id: str, signature: bytes) -> None:
        return None

    def query(self, signature: bytes) -> list[str]:
        return []


def near_duplicate_of(text: str, known: MinHashIndex) -> str | None:
    """PLACEHOLDER: no article is a near-duplicate."""
    return None


def merge_events(reports: Sequence[Event], *, max_km: float = 10.0) -> list[MergedEvent]:
    """PLACEHOLDER: every report is its own event."""
    ordered = sorted(reports, key=lambda report: (report.article_id, report.event_id))
    return [
        MergedEvent(event=report, sources=(report,), fatalities_disagree=False)
        for report in ordered
    ]
