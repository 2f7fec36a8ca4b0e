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
  not contradict when together they name more than two sides, or two actors for one side,
  except the state forces of allies beside a shared opponent (the host country's army to one
  outlet, the foreign troops fighting with it to another).

The reports of *one article* were merged by ``merge.py``, which keeps apart what it cannot join
(a looting, an interception or a toll sentence beside the attack it belongs to). ACLED codes one
event per actor pair, location and day, so reports of one article with the same day, place and
actor pair (an unknown side or an unidentified armed group fits any armed actor) are one event
when their types agree as two outlets' would or one is a bare toll ("12 people were killed")
beside a violent event (:func:`one_event_of_article`). They are put together first and compared
with other articles' reports as the one event they are, through their merged record.

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
type (one vote per article, the highest in ACLED's hierarchy where an article gives several),
the actors of the report that names the most, every source, and the lowest credible death toll
(the lowest positive figure; a report that gives none does not contradict one that does), with
the disagreement said in ``notes`` and in ``MergedEvent.fatalities_disagree``.
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
    """``data/linking.yaml``: event types and sub-event types outlets give one event, words of a
    day boundary."""

    compatible_types: frozenset[frozenset[str]]
    boundary: re.Pattern[str]
    compatible_sub_event_types: frozenset[frozenset[str]] = frozenset()


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
    sub_types = codebook().event_type
    sub_pairs: set[frozenset[str]] = set()
    for pair in data.get("compatible_sub_event_types") or []:
        if not isinstance(pair, list) or len(pair) != 2 or not set(pair) <= set(sub_types):
            raise DataError(str(path), f"compatible_sub_event_types: not a pair of sub-event types: {pair!r}")
        if sub_types[pair[0]] == sub_types[pair[1]] or frozenset(sub_types[x] for x in pair) in pairs:
            raise DataError(str(path), f"compatible_sub_event_types: {pair!r} already agree by event type")
        sub_pairs.add(frozenset(pair))
    words = data.get("day_boundary_words") or []
    if not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise DataError(str(path), "day_boundary_words: expected a list of words")
    boundary = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(w.strip()) for w in words) + r")(?![\w-])", re.IGNORECASE
    )
    return LinkingTables(frozenset(pairs), boundary, frozenset(sub_pairs))


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
    rebel groups each said to be the attacker), unless both reports name a shared actor and the
    others are state forces of allies, the host country's among them
    (:func:`_allied_state_forces`).
    """
    primaries_a, primaries_b = _named_actors(a), _named_actors(b)
    unmatched_a = [x for x in primaries_a if not any(_actors_match(x, y) for y in _all_named(b))]
    unmatched_b = [y for y in primaries_b if not any(_actors_match(y, x) for x in _all_named(a))]
    if not unmatched_a or not unmatched_b:
        return True
    shared = len(primaries_a) > len(unmatched_a) and len(primaries_b) > len(unmatched_b)
    if shared and _allied_state_forces(a, b, unmatched_a + unmatched_b):
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


def _allied_state_forces(a: Event, b: Event, unmatched: list[str]) -> bool:
    """Whether the actors each report names and the other does not are the state forces of
    allies on one side, both reports naming the same opponent: the host country's army and a
    foreign army fighting beside it (Rwandan troops with Mozambique's in Cabo Delgado, Chadian
    with Nigeria's around Lake Chad) are told as "the army" by one outlet and as "Rwandan
    forces" by another. ACLED codes the ally as an associated actor of the same side."""
    countries = {_state_country(name) for name in unmatched}
    return (
        None not in countries
        and a.country is not None
        and a.country == b.country
        and a.country in countries
    )


def type_match(a: Event, b: Event) -> str | None:
    """How two reports' types agree: ``"same"`` event type, a ``"pair"`` of event types outlets
    give to one event, a ``"sub"``-event pair (``data/linking.yaml``), or ``None``.

    >>> type_match(_EXAMPLE, replace(_EXAMPLE, event_type="Battles", sub_event_type="Armed clash"))
    'pair'
    """
    if a.event_type == b.event_type:
        return "same"
    book = tables()
    if frozenset((a.event_type, b.event_type)) in book.compatible_types:
        return "pair"
    if frozenset((a.sub_event_type, b.sub_event_type)) in book.compatible_sub_event_types:
        return "sub"
    return None


def types_agree(a: Event, b: Event) -> bool:
    """Same event type, or a pair of types or sub-event types that outlets give to one event
    (``data/linking.yaml``)."""
    return type_match(a, b) is not None


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


def dates_agree(a: Event, b: Event, *, strict: bool = False) -> bool:
    """Whether two reports' dates can be the same event's (see the module's docstring);
    ``strict``: their windows must overlap, with no day of slack."""
    wa, wb = date_window(a), date_window(b)
    if wa is None or wb is None:
        return False
    gap = (max(wa[0], wb[0]) - min(wa[1], wb[1])).days
    if gap <= 0:
        return True
    if strict:
        return False
    # One day apart: outlets disagree by a day when the event straddles midnight ("late on
    # Monday" / "early on Tuesday"). Tolerated when a report's own words put the event near a day
    # boundary (or it names no day at all); otherwise two named days are two events, as ACLED
    # codes one event per day (a protest's second day is a second event).
    return gap == 1 and (_near_day_boundary(a) or _near_day_boundary(b))


def _distance_km(a: Event, b: Event) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def places_agree(a: Event, b: Event, max_km: float = 10.0, *, strict: bool = False) -> bool:
    """Whether two reports' places agree at the coarser precision of the two; ``strict``: the
    same place or within ``max_km``, never only the same district or province."""
    if not a.country or a.country != b.country or not a.location or not b.location:
        return False
    distance = _distance_km(a, b)
    if distance is not None and distance <= max_km:
        return True
    if strict:
        return False
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
    if a.article_id == b.article_id:
        return False
    match = type_match(a, b)
    if match is None:
        return False
    # two sub-event types of different event types are a looser match than one event type: the
    # rest must then agree exactly (the same day, the same place), not at its loosest
    strict = match == "sub"
    return (
        dates_agree(a, b, strict=strict)
        and places_agree(a, b, max_km, strict=strict)
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


#: Inter codes of rioters, protesters and civilians: never what an unidentified armed group is.
_UNARMED_INTER = frozenset({5, 6, 7})


def _side_matches(x: str | None, inter_x: int | None, y: str | None, inter_y: int | None) -> bool:
    """One side of two reports of one article: the same actor, or one side not known (no actor,
    or an unidentified armed group, which stands for any armed actor)."""
    if x is None or y is None or _actors_match(x, y):
        return True
    if x.startswith("Unidentified Armed Group"):
        return inter_y not in _UNARMED_INTER
    if y.startswith("Unidentified Armed Group"):
        return inter_x not in _UNARMED_INTER
    return False


def _same_pair(a: Event, b: Event) -> bool:
    """Whether two reports name the same pair of actors, in either order, each side up to what
    a report does not know (see :func:`_side_matches`)."""
    return any(
        _side_matches(a.actor1, a.inter1, y1, i1) and _side_matches(a.actor2, a.inter2, y2, i2)
        for (y1, i1), (y2, i2) in (((b.actor1, b.inter1), (b.actor2, b.inter2)),
                                   ((b.actor2, b.inter2), (b.actor1, b.inter1)))
    )  # fmt: skip


def _bare_toll(event: Event) -> bool:
    """A report of people killed that names neither the killers nor the means ("12 people were
    killed"): coded as an attack on civilians by default, it fits any violent event there."""
    unnamed = event.actor1 is None or event.actor1.startswith("Unidentified")
    return event.sub_event_type == "Attack" and unnamed


def one_event_of_article(a: Event, b: Event) -> bool:
    """Whether two reports of one article are one event: ACLED codes one event per actor pair,
    location and day, so the same day, the same place and the same pair of actors (see
    :func:`_same_pair`) make one event whose parts the extraction told apart (a looting, an
    interception or a toll sentence beside the attack it belongs to), when their types agree
    as two outlets' would, or one is a bare toll (:func:`_bare_toll`) beside a violent event.
    Strategic developments are separate events beside violence (a ceasefire after a clash)
    unless their sub-event type is paired in ``data/linking.yaml``."""
    if a.article_id != b.article_id:
        return False
    if (a.event_date, a.time_precision, a.country, a.admin1, a.location) != (
        b.event_date, b.time_precision, b.country, b.admin1, b.location
    ) or not a.location or not a.event_date:
        return False
    if not _same_pair(a, b):
        return False
    match = type_match(a, b)
    if match == "same" and a.event_type == "Strategic developments":
        return a.sub_event_type == b.sub_event_type
    if match is not None:
        return True
    violent = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
    return (_bare_toll(a) and b.event_type in violent) or (_bare_toll(b) and a.event_type in violent)


def article_units(reports: Sequence[Event]) -> list[list[int]]:
    """The reports (indices) grouped into one event per article where
    :func:`one_event_of_article` says so: each report, in the given (canonical) order, joins the
    first group of its article whose every member it agrees with."""
    by_article: dict[str, list[list[int]]] = {}
    for index, event in enumerate(reports):
        groups = by_article.setdefault(event.article_id, [])
        for group in groups:
            if all(one_event_of_article(event, reports[other]) for other in group):
                group.append(index)
                break
        else:
            groups.append([index])
    return [group for article in sorted(by_article) for group in by_article[article]]


def cluster(reports: Sequence[Event], *, max_km: float = 10.0) -> list[list[int]]:
    """Complete-link clusters of ``reports`` (indices, each cluster sorted, clusters sorted).

    The reports of one article that are one event (:func:`article_units`) are first put
    together and compared with other articles' reports as the one event they are, through
    their merged record."""
    units = article_units(reports)
    representatives = [
        reports[unit[0]] if len(unit) == 1 else _merge(tuple(reports[i] for i in unit)).event
        for unit in units
    ]
    return sorted(
        sorted(i for unit in group for i in units[unit]) for group in _cluster(representatives, max_km)
    )


def _cluster(reports: Sequence[Event], max_km: float) -> list[list[int]]:
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
        # the reports of its own article never agree with it (they are other events of the
        # article), so they say nothing about whether it fits a cluster
        article = reports[index].article_id
        fits = [
            key for key in sorted({owner[j] for j in near} - {own})
            if all(x in near or reports[x].article_id == article for x in members[key])
        ]
        if fits:
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
    # One vote per article: the sub-event type its reports give, the highest in ACLED's
    # hierarchy when they give several (the parts of one event: tactics together take the
    # higher type, and a looting told apart from the attack it belongs to is the attack).
    votes: dict[str, str] = {}
    for e in sources:
        kept = votes.get(e.article_id)
        if kept is None or rank.get(e.sub_event_type, len(rank)) < rank.get(kept, len(rank)):
            votes[e.article_id] = e.sub_event_type
    sub_event_type = _most_common(votes.values(), rank)
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
    its own); reports of one article share one only when they are one event by ACLED's unit
    (:func:`one_event_of_article`). The merged record's ``article_id`` and ``evidence`` are
    those of the report its place comes from; ``sources`` keeps every report with its own
    evidence. The result is sorted by date and id and is the same for any order of
    ``reports``; a report given twice (same ``article_id`` and ``event_id``) counts once.

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
