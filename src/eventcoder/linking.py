"""One event, many reports: linking across articles.

Two tools, both deterministic and independent of the order of their input:

* :class:`MinHashIndex` finds near-duplicate articles (syndicated wire copies, re-posts) by
  MinHash over word 3-shingles, so a copy can be linked to its original instead of being coded
  again. It uses ``datasketch`` (MIT, well kept, the reference MinHash/LSH library in Python):
  its default hash is SHA-1 and its permutations come from a seeded legacy NumPy generator, so
  a signature is the same in every process and Python run (Python's salted ``hash()`` is never
  used), and its LSH index answers a query without comparing against every stored article.
* :func:`merge_events` merges the events of different articles that report the same real-world
  event into :class:`~eventcoder.model.MergedEvent` records that keep every report.

Two reports are *compatible* (may be one event) when all of these hold:

* they come from different articles (one article's mentions were merged by ``merge.py``);
* the same event type, or a pair that outlets confuse (``data/linking.yaml``);
* dates agree at the precision each report has: a precision-1 date is its day, precision 2 the
  week around it (ACLED puts the week's midpoint), precision 3 its month; the windows must
  overlap, or be one day apart when one report's date phrase puts the event near a day
  boundary ("late on Monday", "overnight") or it has no date phrase;
* places agree at the coarser precision of the two: within ``max_km`` when both name a town
  (precision 1); the same admin2 or within ``max_km`` when one is only "near" a town (2); the
  same admin1 when one knows only the province (3). A report with no place, or in another
  country, merges with nothing;
* actors do not contradict (:func:`actors_agree`): generic actors (``Unidentified Armed Group
  (Nigeria)``, ``Civilians (Mali)``) never do; two state forces of one country match
  ("security forces" are the army to one outlet and the police to another); order does not
  matter ("A attacked B" / "B clashed with A"). Reports that each name an actor the other does
  not contradict when together they name more than two sides, or two actors for one side.

Compatibility is not transitive (A~B and B~C with A!~C: a chain of reports each a day apart).
The clusters are built by **complete-link agglomeration**: every compatible pair is scored
(same sub-event type, same day, same place, shared actors, same toll), the pairs are taken in
order of score (ties broken by the canonical order of reports, by ``(article_id, event_id)``),
and two clusters join only when *every* report of one is compatible with every report of the
other. So each merged event is a set of reports that all pairwise agree, which is what a
reader checks, and the result depends only on the set of reports, never on the input order.
Single-link would chain distinct events a day or a town apart into one; leader clustering
depends on which report leads. A vague report (province only, a week or a month) that would
fit two clusters equally is then taken out and kept on its own rather than guessed. To scale,
reports are blocked by country, by their date window (a sweep over windows sorted by start) and
by province or distance, so only reports that can agree are ever compared.

The merged record follows ACLED: the most precise place and date, the most frequent sub-event
type, the actors of the report that names the most, every source, and the lowest credible
death toll (the lowest positive figure; a report that gives none does not contradict one that
does), with the disagreement said in ``notes`` and in ``MergedEvent.fatalities_disagree``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources

from eventcoder.errors import DataError
from eventcoder.gazetteer import haversine_km
from eventcoder.model import Event, MergedEvent

__all__ = ["MinHashIndex", "compatible", "merge_events", "shingles"]

# --- near-duplicate articles ---------------------------------------------------------------------

#: Permutations per signature: 128 gives a Jaccard estimate within about +-0.09 (2 sigma).
NUM_PERM = 128
#: Fixed seed of the permutations: signatures made with another seed are not comparable.
SEED = 1
#: datasketch's permutation scheme, named so a new default in a later release cannot change
#: the signatures a store already holds.
SCHEME = "affine32"
#: Words per shingle. Three words keep common phrases ("on Monday the") from making unrelated
#: texts look alike, while an edited word changes only three shingles of a copy.
SHINGLE_WORDS = 3
#: Byte order of stored signatures, fixed so a signature written on one machine reads anywhere.
_BYTEORDER = "<"
_WORD = re.compile(r"\w+")
#: A wire dateline at the start ("MOGADISHU, March 15 (Horizon Wire) - ") and a credit in
#: parentheses at the end ("(Horizon Wire)"): where syndicated copies of one story differ, so
#: they are left out of the shingles. In a brief of three sentences they are a fifth of the words.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]+(?:,[^()\n]{0,60})?\s*\([^()\n]{1,60}\)\s*[-\u2013\u2014]+\s*")
_CREDIT = re.compile(r"\s*\([^()\n]{1,60}\)\s*$")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The word ``size``-shingles of ``text``, normalised (NFKC, case-folded, punctuation
    dropped, a wire dateline and a closing credit left out).

    >>> sorted(shingles("NAIROBI, June 18 (Wire) - Police fired tear gas.", 3))
    [b'fired tear gas', b'police fired tear']
    """
    text = _CREDIT.sub("", _DATELINE.sub("", unicodedata.normalize("NFKC", text)))
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


class MinHashIndex:
    """Near-duplicate articles by MinHash, with an LSH index for fast queries.

    ``threshold`` is the estimated Jaccard similarity of word 3-shingles above which two texts
    are near-duplicates (0.8: a syndicated copy with a new headline, dateline or a sentence
    added; differently written reports of one event are far below it).

    >>> index = MinHashIndex()
    >>> text = "Gunmen killed five people in a village near the town on Monday, police said."
    >>> index.add("wire", index.signature(text))
    >>> index.query(index.signature("REUTERS - " + text))
    ['wire']
    """

    def __init__(self, threshold: float = 0.8) -> None:
        from datasketch import MinHashLSH

        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        # LSH bands tuned to miss few true near-duplicates (about 5% at the threshold instead of
        # 60% with equal weights); its extra candidates are cheap, each is checked below
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=(0.05, 0.95))
        self._stored: dict[str, object] = {}

    def signature(self, text: str) -> bytes:
        """A storable signature of ``text`` (the same bytes in every process and on every machine)."""
        from datasketch import LeanMinHash, MinHash

        minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
        minhash.update_batch(sorted(shingles(text)))
        lean = LeanMinHash(minhash)
        buffer = bytearray(lean.bytesize(byteorder=_BYTEORDER))
        lean.serialize(buffer, byteorder=_BYTEORDER)
        return bytes(buffer)

    @staticmethod
    def _load(signature: bytes) -> object:
        from datasketch import LeanMinHash

        try:
            lean = LeanMinHash.deserialize(signature, byteorder=_BYTEORDER)
        except Exception as err:  # struct.error or ValueError, depending on how it is malformed
            raise ValueError(f"not a MinHashIndex signature ({len(signature)} bytes)") from err
        if len(lean) != NUM_PERM or lean.seed != SEED or getattr(lean, "scheme", None) != SCHEME:
            raise ValueError(f"signature made with other parameters (seed {lean.seed}, {len(lean)} permutations)")
        return lean

    def add(self, article_id: str, signature: bytes) -> None:
        """Remember ``article_id``'s signature; adding an id again replaces its signature."""
        lean = self._load(signature)
        if article_id in self._stored:
            self._lsh.remove(article_id)
        self._lsh.insert(article_id, lean)
        self._stored[article_id] = lean

    def query(self, signature: bytes) -> list[str]:
        """Ids of the known articles whose estimated similarity reaches the threshold, sorted.

        An article that was added is its own near-duplicate: it is in the answer to a query
        with its own signature.
        """
        lean = self._load(signature)
        candidates = self._lsh.query(lean)
        return sorted(
            key
            for key in candidates
            if self._stored[key].jaccard(lean) >= self.threshold  # type: ignore[attr-defined]
        )

    def __len__(self) -> int:
        return len(self._stored)


# --- the tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkingTables:
    """``data/linking.yaml``: event types outlets confuse, words of a day boundary."""

    compatible_types: frozenset[frozenset[str]]
    boundary: re.Pattern[str]


@functools.cache
def tables() -> LinkingTables:
    """The linking tables, loaded and checked once.

    >>> frozenset({"Protests", "Riots"}) in tables().compatible_types
    True
    """
    from eventcoder.lexicon import codebook, safe_load

    path = resources.files("eventcoder") / "data" / "linking.yaml"
    data = safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != 1:
        raise DataError(str(path), "expected a mapping with schema: 1")
    known = set(codebook().event_disorder)
    pairs: set[frozenset[str]] = set()
    for pair in data.get("compatible_event_types") or []:
        if not isinstance(pair, list) or len(pair) != 2 or not set(pair) <= known:
            raise DataError(str(path), f"compatible_event_types: not a pair of event types: {pair!r}")
        pairs.add(frozenset(pair))
    words = data.get("day_boundary_words") or []
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise DataError(str(path), "day_boundary_words: expected a list of words")
    boundary = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(w.strip()) for w in words) + r")(?![\w-])", re.IGNORECASE
    )
    return LinkingTables(frozenset(pairs), boundary)


# --- comparing two reports -----------------------------------------------------------------------

_REGIME = re.compile(r" \(\d{4}-\d{0,4}\)")
_GENERIC_NAME = re.compile(r"^(?P<base>.+) \((?P<country>[^()]+)\)$")


@functools.cache
def _generic_bases() -> frozenset[str]:
    from eventcoder.actors import load_actors

    return frozenset(load_actors().generics)


def is_generic(name: str) -> bool:
    """Whether an actor name is generic (it says what kind of actor, not which one).

    >>> is_generic("Civilians (Mali)"), is_generic("JNIM: Group for Support of Islam and Muslims")
    (True, False)
    """
    if name.startswith("Unidentified "):
        return True
    match = _GENERIC_NAME.match(name)
    return bool(match and match["base"] in _generic_bases())


def _state_country(name: str) -> str | None:
    match = re.match(r"^(?:Military|Police) Forces of (?P<country>.+?) \(\d{4}-\d{0,4}\)", name)
    return match["country"] if match else None


def _actors_match(a: str, b: str) -> bool:
    if _REGIME.sub("", a) == _REGIME.sub("", b):
        return True
    country = _state_country(a)
    return country is not None and country == _state_country(b)


def _named_actors(event: Event) -> list[str]:
    return [n for n in (event.actor1, event.actor2) if n and not is_generic(n)]


def _all_named(event: Event) -> list[str]:
    assoc = [n for attr in (event.assoc_actor_1, event.assoc_actor_2) for n in (attr or "").split("; ")]
    return [n for n in (event.actor1, event.actor2, *assoc) if n and not is_generic(n)]


def _inter_of(event: Event, name: str) -> int | None:
    return event.inter1 if name == event.actor1 else event.inter2


def actors_agree(a: Event, b: Event) -> bool:
    """Whether the actors of two reports do not contradict.

    An event has two sides. Each report's named primary actors (actor1, actor2; generic ones
    such as ``Civilians (Mali)`` never contradict) are looked up among all the named actors of
    the other (associated actors too: one outlet's ally is another's main actor). When each
    report names an actor the other does not, they contradict if together they name more than
    two sides, or if two of those actors would take the same side (the same inter code: two
    rebel groups each said to be the attacker).
    """
    primaries_a, primaries_b = _named_actors(a), _named_actors(b)
    unmatched_a = [x for x in primaries_a if not any(_actors_match(x, y) for y in _all_named(b))]
    unmatched_b = [y for y in primaries_b if not any(_actors_match(y, x) for x in _all_named(a))]
    if not unmatched_a or not unmatched_b:
        return True
    sides = list(primaries_a)
    for name in primaries_b:
        if not any(_actors_match(name, other) for other in sides):
            sides.append(name)
    if len(sides) > 2:
        return False
    return not any(
        _inter_of(a, x) is not None and _inter_of(a, x) == _inter_of(b, y)
        for x in unmatched_a
        for y in unmatched_b
    )


def types_agree(a: Event, b: Event) -> bool:
    """Same event type, or a pair of types that outlets give to one event (``data/linking.yaml``)."""
    if a.event_type == b.event_type:
        return True
    return frozenset((a.event_type, b.event_type)) in tables().compatible_types


def date_window(event: Event) -> tuple[dt.date, dt.date] | None:
    """The days a report's date stands for, at its precision (``None`` without a date).

    >>> e = replace(_EXAMPLE, event_date="2024-03-14", time_precision=3)
    >>> [d.isoformat() for d in date_window(e)]
    ['2024-03-01', '2024-03-31']
    """
    if not event.event_date:
        return None
    day = dt.date.fromisoformat(event.event_date)
    precision = event.time_precision or 1
    if precision <= 1:
        return day, day
    if precision == 2:
        return day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _near_day_boundary(event: Event) -> bool:
    phrases = [ev.text for ev in event.evidence if ev.field == "event_date"]
    if not phrases:
        return True  # the date is the publication date's, not a day the text names
    return any(tables().boundary.search(text) for text in phrases)


def dates_agree(a: Event, b: Event) -> bool:
    """Whether two reports' dates can be the same event's (see the module's docstring)."""
    wa, wb = date_window(a), date_window(b)
    if wa is None or wb is None:
        return False
    gap = (max(wa[0], wb[0]) - min(wa[1], wb[1])).days
    if gap <= 0:
        return True
    # One day apart: outlets disagree by a day when the event straddles midnight ("late on
    # Monday" / "early on Tuesday"). Tolerated when a report's own words put the event near a day
    # boundary (or it names no day at all); otherwise two named days are two events, as ACLED
    # codes one event per day (a protest's second day is a second event).
    return gap == 1 and (_near_day_boundary(a) or _near_day_boundary(b))


def _distance_km(a: Event, b: Event) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def places_agree(a: Event, b: Event, max_km: float = 10.0) -> bool:
    """Whether two reports' places agree at the coarser precision of the two."""
    if not a.country or a.country != b.country or not a.location or not b.location:
        return False
    distance = _distance_km(a, b)
    if distance is not None and distance <= max_km:
        return True
    precision = max(a.geo_precision or 3, b.geo_precision or 3)
    if precision == 2:
        return a.admin2 is not None and a.admin2 == b.admin2 and a.admin1 == b.admin1
    if precision >= 3:
        return a.admin1 is not None and a.admin1 == b.admin1
    return False


def compatible(a: Event, b: Event, *, max_km: float = 10.0) -> bool:
    """Whether two reports may be one real-world event (every rule of the module's docstring).

    >>> compatible(_EXAMPLE, replace(_EXAMPLE, article_id="b", fatalities=7))
    True
    >>> compatible(_EXAMPLE, replace(_EXAMPLE, article_id="b", event_date="2024-03-06"))
    False
    """
    return (
        a.article_id != b.article_id
        and types_agree(a, b)
        and dates_agree(a, b)
        and places_agree(a, b, max_km)
        and actors_agree(a, b)
    )


def _affinity(a: Event, b: Event, max_km: float) -> float:
    """How closely two compatible reports agree: merges are made in this order."""
    score = 0.0
    if a.sub_event_type == b.sub_event_type:
        score += 4
    if a.event_date == b.event_date:
        score += 2 if a.time_precision == b.time_precision == 1 else 1
    if a.location == b.location:
        score += 2
    distance = _distance_km(a, b)
    if distance is not None:
        score += max(0.0, 1 - distance / max_km) if max_km > 0 else float(distance == 0)
    score += len(set(_named_actors(a)) & set(_named_actors(b)))
    if a.fatalities and a.fatalities == b.fatalities:
        score += 1
    return score


# --- clustering ----------------------------------------------------------------------------------


def _canonical(reports: Iterable[Event]) -> list[Event]:
    """Reports in canonical order, each ``(article_id, event_id)`` once (if two differ under one
    key, the one whose record sorts first is kept, so the choice does not depend on order)."""
    by_key: dict[tuple[str, str], Event] = {}
    for event in reports:
        key = (event.article_id, event.event_id)
        kept = by_key.get(key)
        if kept is None or (kept != event and repr(event.as_dict()) < repr(kept.as_dict())):
            by_key[key] = event
    return [by_key[key] for key in sorted(by_key)]


def candidate_pairs(reports: Sequence[Event], max_km: float = 10.0) -> Iterable[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of reports that can be compatible (blocking): the same
    country, date windows at most a day apart (a sweep over windows sorted by start), and the
    same admin1 or points within ``max_km`` (places in different provinces agree only by
    distance)."""
    by_country: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    for index, event in enumerate(reports):
        window = date_window(event)
        if window is None or not event.country or not event.location:
            continue
        by_country.setdefault(event.country, []).append((window[0], window[1], index))
    slack = dt.timedelta(days=1)
    for country in sorted(by_country):
        items = sorted(by_country[country])
        active: list[tuple[dt.date, dt.date, int]] = []
        for start, end, index in items:
            active = [item for item in active if item[1] + slack >= start]
            for _, _, other in active:
                if _may_share_place(reports[index], reports[other], max_km):
                    yield (min(index, other), max(index, other))
            active.append((start, end, index))


def _may_share_place(a: Event, b: Event, max_km: float) -> bool:
    if a.admin1 == b.admin1:
        return True
    distance = _distance_km(a, b)
    return distance is not None and distance <= max_km


def cluster(reports: Sequence[Event], *, max_km: float = 10.0) -> list[list[int]]:
    """Complete-link clusters of ``reports`` (indices, each cluster sorted, clusters sorted)."""
    compatible_pairs: set[tuple[int, int]] = set()
    scored: list[tuple[float, int, int]] = []
    for i, j in candidate_pairs(reports, max_km):
        if compatible(reports[i], reports[j], max_km=max_km):
            compatible_pairs.add((i, j))
            scored.append((-_affinity(reports[i], reports[j], max_km), i, j))
    scored.sort()
    owner = list(range(len(reports)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(reports))}
    for _, i, j in scored:
        ci, cj = owner[i], owner[j]
        if ci == cj:
            continue
        if not all((min(x, y), max(x, y)) in compatible_pairs for x in members[ci] for y in members[cj]):
            continue
        keep, gone = min(ci, cj), max(ci, cj)
        for x in members[gone]:
            owner[x] = keep
        members[keep].extend(members.pop(gone))
    _detach_ambiguous(reports, members, compatible_pairs)
    return sorted(sorted(group) for group in members.values())


def _coarse(event: Event) -> bool:
    return (event.geo_precision or 3) >= 3 or (event.time_precision or 1) >= 2


def _detach_ambiguous(
    reports: Sequence[Event], members: dict[int, list[int]], compatible_pairs: set[tuple[int, int]]
) -> None:
    """Take out of its cluster a vague report (province only, or a week or month) that would fit
    just as well into another cluster: it cannot say which of two events it reports, so it is
    kept apart rather than guessed (a province-level "attack in Zamfara" on a day when two towns
    of Zamfara were attacked)."""
    owner = {index: key for key, group in members.items() for index in group}
    neighbours: dict[int, set[int]] = {}
    for i, j in compatible_pairs:
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    detached: list[int] = []
    for index in sorted(owner):
        own = owner[index]
        if len(members[own]) < 2 or not _coarse(reports[index]):
            continue
        near = neighbours.get(index, set())
        others = sorted({owner[j] for j in near} - {own})
        if any(all(x in near for x in members[key]) for key in others):
            detached.append(index)
    for index in detached:
        members[owner[index]].remove(index)
        members[len(reports) + index] = [index]
    for key in [key for key, group in members.items() if not group]:
        del members[key]


# --- the merged record ---------------------------------------------------------------------------


def merged_event_id(sources: Sequence[Event]) -> str:
    """A merged event's id: a hash of its members' ``(article_id, event_id)``, in sorted order."""
    keys = sorted(f"{e.article_id}\x1f{e.event_id}" for e in sources)
    return hashlib.sha1("\x1e".join(keys).encode("utf-8")).hexdigest()[:16]


def _most_common(values: Iterable[str], rank: dict[str, int] | None = None) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], (rank or {}).get(v, 0), v))


def _merge(sources: tuple[Event, ...]) -> MergedEvent:
    from eventcoder.lexicon import codebook

    book = codebook()
    rank = {name: i for i, name in enumerate(book.order)}
    sub_event_type = _most_common((e.sub_event_type for e in sources), rank)
    # The place of the most precise report, then of the one most reports agree on.
    locations = Counter(e.location for e in sources)
    base = min(
        sources,
        key=lambda e: (e.geo_precision or 9, -locations[e.location], e.time_precision or 9, -e.confidence),
    )
    # The most precise date; among equally precise reports, the day most of them give.
    best_precision = min(e.time_precision or 9 for e in sources)
    days = [e.event_date for e in sources if (e.time_precision or 9) == best_precision and e.event_date]
    event_date = _most_common(days) if days else base.event_date
    # The actors of the report that names the most (named before generic).
    cast = min(sources, key=lambda e: (-len(_named_actors(e)), -sum(1 for n in (e.actor1, e.actor2) if n)))
    assoc: dict[str, list[str]] = {"assoc_actor_1": [], "assoc_actor_2": []}
    for attr, names in assoc.items():
        for event in sources:
            for name in (getattr(event, attr) or "").split("; "):
                if name and name not in names and name not in (cast.actor1, cast.actor2):
                    names.append(name)
    tolls = sorted({e.fatalities for e in sources if e.fatalities > 0})
    disagree = len(tolls) > 1
    notes = [base.notes] if base.notes else []
    if disagree:
        notes.append(
            f"Reported fatalities differ ({', '.join(map(str, tolls))}); the lowest is coded."
        )
    outlets = list(dict.fromkeys(e.source for e in sources if e.source))
    event = replace(
        base,
        event_date=event_date,
        time_precision=best_precision if days else base.time_precision,
        event_type=book.event_type.get(sub_event_type, base.event_type),
        sub_event_type=sub_event_type,
        actor1=cast.actor1,
        inter1=cast.inter1,
        actor2=cast.actor2,
        inter2=cast.inter2,
        interaction=cast.interaction,
        civilian_targeting=cast.civilian_targeting,
        assoc_actor_1="; ".join(assoc["assoc_actor_1"]) or None,
        assoc_actor_2="; ".join(assoc["assoc_actor_2"]) or None,
        source="; ".join(outlets) or None,
        notes=" ".join(notes) or None,
        fatalities=tolls[0] if tolls else 0,
        event_id=merged_event_id(sources),
        confidence=max(e.confidence for e in sources),
        evidence=list(base.evidence),
    )
    return MergedEvent(event=event, sources=sources, fatalities_disagree=disagree)


def merge_events(reports: Sequence[Event], *, max_km: float = 10.0) -> list[MergedEvent]:
    """Reports of the same real-world event, from different articles, merged into one event each.

    Every report ends in exactly one :class:`MergedEvent` (a report nothing matches is one of
    its own). The merged record's ``article_id`` and ``evidence`` are those of the report its
    place comes from; ``sources`` keeps every report with its own evidence. The result is sorted
    by date and id and is the same for any order of ``reports``; a report given twice (same
    ``article_id`` and ``event_id``) counts once.

    >>> merged = merge_events([_EXAMPLE, replace(_EXAMPLE, article_id="b", fatalities=7)])
    >>> len(merged), merged[0].event.fatalities, merged[0].fatalities_disagree
    (1, 5, True)
    """
    canonical = _canonical(reports)
    merged = [
        _merge(tuple(canonical[i] for i in group)) for group in cluster(canonical, max_km=max_km)
    ]
    merged.sort(key=lambda m: (m.event.event_date or "", m.event.event_id))
    return merged


#: An event for the docstrings' examples.
_EXAMPLE = Event(
    event_date="2024-03-04", time_precision=1, event_type="Violence against civilians",
    sub_event_type="Attack", actor1="Unidentified Armed Group (Nigeria)", assoc_actor_1=None,
    inter1=3, actor2="Civilians (Nigeria)", assoc_actor_2=None, inter2=7, interaction=37,
    civilian_targeting="Civilians targeted", country="Nigeria", admin1="Katsina",
    admin2="Faskari", admin3=None, location="Faskari", latitude=11.7211, longitude=7.0299,
    geo_precision=1, source=None, notes=None, fatalities=5, article_id="a", event_id="e1",
    confidence=0.8,
)  # fmt: skip
