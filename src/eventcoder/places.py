"""The places stage: toponyms in the text, resolved against the gazetteer, with ACLED precision.

Reads ``doc.text``, ``doc.sentences``, ``doc.spacy_doc`` (optional) and ``doc.actors``; fills
``doc.places`` (one :class:`~eventcoder.model.PlaceMention` per toponym that can locate an event)
and ``doc.country`` (ACLED's country name, or ``None`` when the text names no place).

How it works, in four passes:

1. **Candidates.** Runs of capitalised words (with name particles: "Jisr al-Shughur", "Toluca de
   Lerdo") are cut into the longest pieces the gazetteer knows; spaCy's GPE/LOC/FAC entities are
   added when the runs missed them. Words of ``data/place_words.yaml`` around a candidate say
   what it names: "X province" (an admin area), "the town of X", "near X", "X countryside", "the
   A-B road", "a road connecting A to B". Candidates inside actor names or inside person or
   organisation names (with no locative word before them) only count as context.
2. **Country.** Every candidate votes for the countries its readings lie in, weighted by how
   plausible each reading is (feature class, population, match quality); admin areas named in
   the text and containing another candidate's reading add agreement; country names, demonyms
   and actors' countries vote too.
3. **Readings.** Each candidate takes the reading that best fits the country, the admin areas
   named elsewhere in the text ("Ukasi, Kitui county" -> the Ukasi in Kitui), the cue words,
   population, and closeness to the other places of the text. A name in apposition after a place
   ("Orikhiv, Zaporizhia", "Tikou (Kouande, Atacora)") reads as the admin area containing it.
4. **Precision** (CODEBOOK.md sec. 7): a named town or part of a town is 1; "near X", "X
   countryside/area/region", a road between towns, an admin2 area only are 2 at the named town
   (or the admin2's seat); an admin1 area only is 3 at its capital (the most populous GeoNames
   city of the province, see :mod:`eventcoder.gazetteer`); a country alone is a mention with
   ``feature == "country"``, no coordinates and precision 3, which the events stage never uses
   as an event location.

Roads: for "the A-B road", "a road between A and B" or "a road connecting A to B" the event is
placed at the first-named town, unless it is not a town (an admin area) or is a city at least ten
times larger than the other (a road leaving a big city is better located by the smaller town it
leads to); precision 2.

:func:`choose_place` picks an event's place for the events stage.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.gazetteer import (
    KIND_DEMONYM,
    Candidate,
    Gazetteer,
    get_gazetteer,
    haversine_km,
    name_key,
    strip_admin_words,
)
from eventcoder.model import Document, Place, PlaceMention, Span

__all__ = ["PlaceWords", "PlaceResolver", "choose_place", "make_places", "place_words"]

Stage = Callable[[Document], Document]

try:
    from spacy.lang.en.stop_words import STOP_WORDS as _SPACY_STOP_WORDS
except ImportError:  # the stage also runs without spaCy, on hand-built documents
    _SPACY_STOP_WORDS = set()
_STOP_WORDS = frozenset(w.lower() for w in _SPACY_STOP_WORDS) | {"the"}

# A word of a name: letters and digits, with apostrophes inside ("Murang'a", "Ma'arat").
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019\u2018`\u02bf\u02be](?=[^\W\d_]))*")
_MAX_WORDS = 6
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|into|outside|around|towards?|across|inside|through|via|between|"
    r"entered|stormed|captured|shelled|struck|hit|raided|attacked|seized|reached)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Tikou (Kouande, Atacora)", "Kantio town (Tharparkar, Sindh)", "Ukasi, Kitui county"
_APPOSITION = re.compile(r"\s*(?:[a-z]+\s*)?[,(]\s*")
_DIRECTION_BEFORE = re.compile(
    r"\b(?:north|south|east|west|central|(?:north|south)[- ]?(?:east|west))(?:ern)?\s+$",
    re.IGNORECASE,
)
_CHAIN_BEFORE = re.compile(r"^\s*(?:,|and|or|&|/|\(|,\s*and)\s*$", re.IGNORECASE)
_ROAD_HYPHEN_GAP = re.compile(r"^\s*[-\u2013\u2014/]\s*$")
_ROAD_AND_GAP = re.compile(r"^\s+(?:and|to|with)\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r";|:|\s[\u2013\u2014-]\s|,\s+(?=(?:and|but|while|whereas|as|after|before|when|where|which|"
    r"while|whilst|although|though|since|meanwhile)\b)|\s(?=(?:while|whereas|whilst)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlaceWords:
    """The cue words of ``data/place_words.yaml``, compiled."""

    admin_after: re.Pattern[str]
    admin_before: re.Pattern[str]
    town_after: re.Pattern[str]
    town_before: re.Pattern[str]
    near_after: re.Pattern[str]
    near_before: re.Pattern[str]
    road_after: re.Pattern[str]
    road_before: re.Pattern[str]
    particles: frozenset[str]
    apposition_only: frozenset[str]
    not_places: frozenset[str]
    admin_words: frozenset[str]


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


@functools.lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    """The cue words, loaded once per process.

    >>> bool(place_words().admin_after.match(" province of"))
    True
    """
    path = resources.files("eventcoder") / "data" / "place_words.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    needed = ("admin_after", "admin_before", "town_after", "town_before", "near_after",
              "near_before", "road_words", "name_particles", "apposition_only", "not_places")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), list) for k in needed):
        raise DataError(str(path), f"expected lists under the keys {', '.join(needed)}")

    def after(key: str) -> re.Pattern[str]:
        return re.compile(r"^[\s-]+(?:" + _alternation(data[key]) + r")\b", re.IGNORECASE)

    def before(key: str) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + _alternation(data[key]) + r")\s+(?:the\s+)?$",
                          re.IGNORECASE)

    roads = _alternation(data["road_words"])
    return PlaceWords(
        admin_after=after("admin_after"),
        admin_before=before("admin_before"),
        town_after=after("town_after"),
        town_before=before("town_before"),
        near_after=after("near_after"),
        near_before=before("near_before"),
        road_after=re.compile(r"^\s+(?:" + roads + r")\b", re.IGNORECASE),
        road_before=re.compile(
            r"\b(?:" + roads + r")\s+(?:\w+\s+){0,2}?(?:between|connecting|linking|joining|from)"
            r"\s+(?:the\s+)?$", re.IGNORECASE),
        particles=frozenset(w.lower() for w in data["name_particles"]),
        apposition_only=frozenset(w.lower() for w in data["apposition_only"]),
        not_places=frozenset(w.lower() for w in data["not_places"]),
        admin_words=frozenset(w.lower() for w in data["admin_after"]),
    )


@dataclass
class _Toponym:
    """A candidate toponym while the stage works on it."""

    start: int
    end: int
    text: str
    sentence: int
    candidates: tuple[Candidate, ...]
    cue: str | None = None  # admin | town | near | road | region (a part of a province)
    locative: bool = False
    context_only: bool = False
    weak: bool = False  # an apposition_only word: an admin area only right after a place
    appositive: bool = False  # right after another name: "Tikou (Kouande, Atacora)"
    reliability: float = 1.0
    road_partner: _Toponym | None = None
    appositive_of: _Toponym | None = None
    chosen: Candidate | None = None
    score: float = 0.0
    country_votes: dict[str, float] = field(default_factory=dict)


def _feature_weight(cand: Candidate) -> float:
    """How plausible a reading is before context: a country name or a big city is what a
    name usually means; a hamlet of the same name elsewhere rarely is."""
    place = cand.place
    if place.feature == "country":
        return 120.0 * cand.similarity
    base = {"admin1": 1.0, "admin2": 0.7}.get(place.feature, 1.0)
    population = place.population or (5_000 if place.feature == "supplement" else 0)
    return base * (population + 1_000) ** 0.3 * cand.similarity


def _cued(top: _Toponym) -> tuple[Candidate, ...]:
    """The readings the cue words allow: admin areas after "province", towns after "town"."""
    if top.cue == "admin":
        wanted: tuple[str, ...] = ("admin1", "admin2")
    elif top.cue == "region":
        wanted = ("admin1",)
    elif top.cue in ("town", "near", "road"):
        wanted = ("city", "supplement")
    else:
        return top.candidates
    return tuple(c for c in top.candidates if c.place.feature in wanted) or top.candidates


class PlaceResolver:
    """The places stage, built once: the gazetteer opened, the cue words compiled.

    >>> stage = make_places(PipelineConfig())                         # doctest: +SKIP
    >>> doc = stage(Document(article=..., text="Gunmen attacked Kismayo."))  # doctest: +SKIP
    >>> doc.country, doc.places[0].place.name                          # doctest: +SKIP
    ('Somalia', 'Kismayo')
    """

    def __init__(self, gazetteer: Gazetteer | None = None, words: PlaceWords | None = None):
        self.gazetteer = gazetteer or get_gazetteer()
        self.words = words or place_words()

    # -- 1. candidates ----------------------------------------------------------------------

    def _words_of(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]

    def _chunks(self, text: str) -> list[list[tuple[int, int, str]]]:
        """Runs of capitalised words joined by single spaces or hyphens, with name particles."""
        chunks: list[list[tuple[int, int, str]]] = []
        current: list[tuple[int, int, str]] = []
        for start, end, word in self._words_of(text):
            is_cap = word[0].isupper()
            is_particle = word.lower() in self.words.particles and not is_cap
            joined = bool(current) and text[current[-1][1]:start] in (" ", "-", "\u2010")
            if (is_cap or is_particle) and (joined or not current):
                current.append((start, end, word))
                continue
            if current:
                chunks.append(current)
            current = [(start, end, word)] if (is_cap or is_particle) else []
        if current:
            chunks.append(current)
        out = []
        for chunk in chunks:
            # a run may start with an article glued to a name ("al-Dana") but not end in a particle
            while chunk and not chunk[-1][2][0].isupper():
                chunk = chunk[:-1]
            if chunk:
                out.append(chunk)
        return out

    @staticmethod
    def _sentence_openers(doc: Document) -> dict[int, bool]:
        """Offsets of the first word of each sentence -> whether spaCy tags it a proper noun
        (True when there is no spaCy doc to ask)."""
        openers: dict[int, bool] = {}
        spacy_doc = doc.spacy_doc
        if spacy_doc is not None and hasattr(spacy_doc, "sents"):
            for sent in spacy_doc.sents:
                for token in sent:
                    if token.is_alpha:
                        openers[token.idx] = token.pos_ == "PROPN" or token.ent_type_ in (
                            "GPE", "LOC", "FAC")
                        break
        else:
            for start, _end in doc.sentences or [(0, len(doc.text))]:
                match = _WORD.search(doc.text, start)
                if match:
                    openers[match.start()] = True
        return openers

    def _plausible_single(self, word: str, start: int, openers: dict[int, bool],
                          doc: Document) -> bool:
        """Whether one capitalised word may be a toponym at all."""
        if word.isupper() and len(word) <= 5:
            return False  # an acronym ("ODM", "IED"); countries' acronyms are caught by aliases
        if start in openers:
            # capitalised only because it opens the sentence ("Mob kills...", "Police raid...")
            return openers[start]
        return True

    def _valid_start(self, chunk: list[tuple[int, int, str]], i: int, text: str) -> bool:
        word = chunk[i][2]
        if word[0].isupper():
            return True
        # "al-Dana", "as-Suwayda": an article glued with a hyphen to the next, capitalised word
        return (i + 1 < len(chunk) and word.lower() in self.words.particles
                and text[chunk[i][1]:chunk[i + 1][0]] in ("-", " ")
                and chunk[i + 1][2][0].isupper() and len(word) <= 3)

    def _lookup(self, text: str) -> tuple[Candidate, ...]:
        bare = text.lower()
        if bare in self.words.not_places or bare in _STOP_WORDS or len(name_key(text)) < 3:
            return ()
        return self.gazetteer.lookup(text)

    def _candidates(self, doc: Document) -> list[_Toponym]:
        text = doc.text
        found: list[_Toponym] = []
        taken: list[tuple[int, int]] = []
        openers = self._sentence_openers(doc)
        for chunk in self._chunks(text):
            i = 0
            if len(chunk) >= 2 and _LOCATIVE_BEFORE.search(text[max(0, chunk[0][0] - 30):chunk[0][0]]):
                # "in Ain Oussara": a whole run in a locative slot may be a spelling variant
                start, end = chunk[0][0], chunk[-1][1]
                whole = self.gazetteer.lookup(text[start:end], fuzzy=True)
                if whole:
                    found.append(_Toponym(start, end, text[start:end], doc.sentence_of(start),
                                          whole))
                    taken.append((start, end))
                    continue
            while i < len(chunk):
                if not self._valid_start(chunk, i, text):
                    i += 1
                    continue
                for j in range(min(len(chunk), i + _MAX_WORDS), i, -1):
                    if not chunk[j - 1][2][0].isupper():
                        continue
                    start, end = chunk[i][0], chunk[j - 1][1]
                    piece = text[start:end]
                    words = [w[2] for w in chunk[i:j]]
                    if all(w.lower() in self.words.not_places or w.lower() in self.words.particles
                           for w in words):
                        continue
                    if j - i == 1 and not self._plausible_single(words[0], start, openers, doc):
                        if not (words[0].isupper() and len(words[0]) >= 2):
                            continue
                        # an acronym names a place only when it is a country's ("DRC", "UAE")
                        cands = tuple(c for c in self._lookup(piece)
                                      if c.place.feature == "country" and c.match == "exact")
                    else:
                        cands = self._lookup(piece)
                    if cands:
                        found.append(_Toponym(start, end, piece, doc.sentence_of(start), cands))
                        taken.append((start, end))
                        i = j
                        break
                else:
                    i += 1
        # spaCy's place entities the runs missed (lower-case particles, odd punctuation)
        for ent in self._entities(doc, ("GPE", "LOC", "FAC")):
            start, end, _label = ent
            piece = re.sub(r"^(?:the|The)\s+", "", text[start:end])
            start = end - len(piece)
            if any(s < end and start < e for s, e in taken):
                continue
            cands = self._lookup(piece)
            found.append(_Toponym(start, end, piece, doc.sentence_of(start), cands))
            taken.append((start, end))
        found.sort(key=lambda t: t.start)
        return found

    @staticmethod
    def _entities(doc: Document, labels: tuple[str, ...]) -> list[tuple[int, int, str]]:
        spacy_doc = doc.spacy_doc
        if spacy_doc is None or not hasattr(spacy_doc, "ents"):
            return []
        return [(e.start_char, e.end_char, e.label_) for e in spacy_doc.ents
                if e.label_ in labels]

    def _unresolved_locatives(self, doc: Document, found: list[_Toponym]) -> list[_Toponym]:
        """Capitalised names in a locative slot ("in X", "X village") the lookup missed; they
        are tried with fuzzy matching once the country is known (:meth:`_fuzzy_pass`)."""
        text = doc.text
        taken = [(t.start, t.end) for t in found]
        extra: list[_Toponym] = []
        for chunk in self._chunks(text):
            start, end = chunk[0][0], chunk[-1][1]
            if len(chunk) > 3 or any(s < end and start < e for s, e in taken):
                continue
            piece = text[start:end]
            if piece.lower() in self.words.not_places or piece.lower() in _STOP_WORDS or len(
                piece) < 5:
                continue
            before, after = text[max(0, start - 40):start], text[end:end + 30]
            if not (_LOCATIVE_BEFORE.search(before) or self.words.town_before.search(before)
                    or self.words.near_before.search(before)
                    or self.words.town_after.match(after) or self.words.admin_after.match(after)):
                continue
            extra.append(_Toponym(start, end, piece, doc.sentence_of(start), ()))
        return extra

    def _fuzzy_pass(self, tops: list[_Toponym], country: str | None) -> None:
        """Names with no reading in the article's country get fuzzy readings from it (only
        names in a locative slot or cued, so ordinary capitalised words stay out)."""
        if country is None:
            return
        for top in tops:
            if top.context_only or top.weak or not (top.locative or top.cue):
                continue
            if any(c.place.country_code == country for c in top.candidates):
                continue
            extra = self.gazetteer.fuzzy(top.text, country)
            if not extra and top.cue:
                extra = self.gazetteer.fuzzy(strip_admin_words(top.text), country)
            if extra:
                top.candidates = tuple(top.candidates) + extra

    # -- cues ---------------------------------------------------------------------------------

    def _mark_cues(self, doc: Document, tops: list[_Toponym]) -> None:
        text = doc.text
        words = self.words
        people = self._entities(doc, ("PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "LAW"))
        # a generic actor's words describe people ("students in Ouagadougou"): they hide no
        # place; a named actor's name does ("Idlib Free Army")
        actor_spans = [(a.span.start, a.span.end) for a in doc.actors if a.actor.kind != "generic"]
        for index, top in enumerate(tops):
            before = text[max(0, top.start - 60):top.start]
            after = text[top.end:top.end + 40]
            last_word = top.text.split()[-1].lower() if top.text.split() else ""
            if words.admin_after.match(after) or words.admin_before.search(before) or (
                last_word in words.admin_words and " " in top.text
            ):
                top.cue = "admin"
            elif words.town_after.match(after) or words.town_before.search(before):
                top.cue = "town"
            elif words.near_before.search(before) or words.near_after.match(after):
                top.cue = "near"
            if top.cue is None and _DIRECTION_BEFORE.search(before):
                # "Western Idlib", "northern Aleppo": a part of a province, not the town
                top.cue = "region"
            top.locative = bool(top.cue) or bool(_LOCATIVE_BEFORE.search(before))
            if not top.locative and index > 0:
                prev = tops[index - 1]
                if prev.locative and _CHAIN_BEFORE.match(text[prev.end:top.start]):
                    top.locative = True
            if index > 0 and _APPOSITION.fullmatch(text[tops[index - 1].end:top.start]):
                top.appositive = True
                top.locative = top.locative or tops[index - 1].locative or tops[
                    index - 1].appositive
            if any(s <= top.start and top.end <= e
                   and not _LOCATIVE_BEFORE.search(text[s:top.start]) for s, e in actor_spans):
                top.context_only = True
            for start, end, label in people:
                if not (start <= top.start and top.end <= end) or top.locative:
                    continue
                # a name inside an organisation's or a person's name ("Dhaka University",
                # "Chhatra League") is context, unless the entity is the name itself: spaCy
                # labels transliterated place names as persons or organisations at random
                extra = _WORD.findall(text[start:top.start] + " " + text[top.end:end])
                if any(w[0].isupper() or w.lower() not in self.words.particles for w in extra):
                    top.context_only = True
                    top.reliability = 0.5 if label == "NORP" else 0.3
            if top.text.lower() in words.apposition_only:
                top.weak = True
            if not top.locative and not top.appositive and self._adjectival(doc, top):
                # "Saudi forces", "Somali residents": a name used as a modifier says whose, not
                # where; it still hints at the country
                top.context_only = True
                top.reliability = min(top.reliability, 0.3)
        self._mark_roads(text, tops)

    @staticmethod
    def _adjectival(doc: Document, top: _Toponym) -> bool:
        spacy_doc = doc.spacy_doc
        if spacy_doc is None or not hasattr(spacy_doc, "char_span"):
            return False
        span = spacy_doc.char_span(top.start, top.end, alignment_mode="expand")
        if span is None or span.end >= len(spacy_doc):
            return False
        after = spacy_doc[span.end]
        return after.pos_ == "NOUN" and after.is_lower and after.tag_ in ("NNS", "NN")

    def _mark_roads(self, text: str, tops: list[_Toponym]) -> None:
        for a, b in zip(tops, tops[1:], strict=False):
            gap = text[a.end:b.start]
            after_b = text[b.end:b.end + 20]
            before_a = text[max(0, a.start - 60):a.start]
            hyphen_road = _ROAD_HYPHEN_GAP.match(gap) and self.words.road_after.match(after_b)
            named_road = _ROAD_AND_GAP.match(gap) and self.words.road_before.search(before_a)
            between = _ROAD_AND_GAP.match(gap) and re.search(r"\bbetween\s+(?:the\s+)?$",
                                                               before_a, re.IGNORECASE)
            if hyphen_road or named_road or between:
                a.cue = b.cue = "road"
                a.locative = b.locative = True
                a.context_only = b.context_only = False
                a.road_partner, b.road_partner = b, a

    # -- 2. country -----------------------------------------------------------------------------

    def _country(self, doc: Document, tops: list[_Toponym]) -> str | None:
        totals: dict[str, float] = defaultdict(float)
        admin_codes: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for index, top in enumerate(tops):
            for cand in top.candidates:
                if cand.place.feature in ("admin1", "admin2"):
                    code = cand.admin2_code if cand.place.feature == "admin2" else cand.admin1_code
                    if code:
                        admin_codes[cand.place.country_code][code].add(index)
        lead_seen = False
        for index, top in enumerate(tops):
            best: dict[str, float] = {}
            for cand in _cued(top):
                code = cand.place.country_code
                weight = _feature_weight(cand)
                if top.appositive and cand.place.feature in ("admin1", "admin2", "country"):
                    weight *= 3.0
                if cand.kind == KIND_DEMONYM:
                    weight *= 0.25
                if top.weak and cand.place.feature != "admin1":
                    continue
                best[code] = max(best.get(code, 0.0), weight)
            if not best:
                continue
            norm = sum(w * w for w in best.values())
            quality = max(c.similarity for c in top.candidates)
            # a loose match is weak evidence of a country: "Pokot" is not "Poquott" (New York)
            reliability = top.reliability * (1.0 if quality >= 1.0 else 0.35)
            reliability *= 0.5 if top.context_only else 1.0
            if top.weak:
                reliability *= 0.3
            if len(top.text.split()) == 1 and not top.locative:
                reliability *= 0.6
            if all(c.place.feature == "country" for c in top.candidates):
                # "the war in Ukraine" at a protest in Duisburg: a country named in passing
                # weighs a little less than a town named as the scene
                reliability *= 0.8
            if top.locative and not top.context_only and not lead_seen:
                lead_seen = True
                reliability *= 1.25  # news names the scene first
            for code, weight in best.items():
                share = weight * weight / norm
                top.country_votes[code] = share
                totals[code] += reliability * share
            # agreement: a reading inside an admin area another candidate names
            agreeing: set[str] = set()
            for cand in top.candidates:
                code = cand.place.country_code
                if cand.place.feature not in ("city", "supplement") or code in agreeing:
                    continue
                named = admin_codes.get(code, {})
                if any(named.get(c, set()) - {index}
                       for c in (cand.admin1_code, cand.admin2_code) if c):
                    totals[code] += 0.8
                    agreeing.add(code)
        for actor in doc.actors:
            country = actor.actor.country
            code = self.gazetteer.country(country) if country else None
            if code is not None:
                totals[code.iso2] += 0.3
        if not totals:
            return None
        code = max(totals, key=lambda c: totals[c])
        return code if totals[code] >= 0.25 else None

    # -- 3. readings ------------------------------------------------------------------------

    def _score(self, top: _Toponym, cand: Candidate, country: str | None,
               admins: dict[str, int], anchors: list[tuple[float, float]]) -> float:
        place = cand.place
        feature = place.feature
        score = 2.0 * cand.similarity + 0.3 * math.log10(1 + place.population)
        if country is not None and place.country_code == country:
            score += 6.0
        own_admins = [c for c in (cand.admin1_code, cand.admin2_code) if c]
        if feature in ("city", "supplement"):
            score += 1.0
            if any(admins.get(c, 0) > 0 for c in own_admins):
                score += 3.0
        elif feature in ("admin1", "admin2"):
            score += 0.6 if feature == "admin1" else 0.3
            # the admin unit is named elsewhere too ("Kitui county ... Kitui"): not evidence
        if top.cue == "admin":
            # "Idlib province" names the province even where the text also names its capital
            score += 6.0 if feature in ("admin1", "admin2") else -3.0
        elif top.cue == "region":
            score += 6.0 if feature == "admin1" else 0.0
        elif top.cue in ("town", "near", "road"):
            score += 2.0 if feature in ("city", "supplement") else -1.0
        if feature == "country":
            score += 2.0 if cand.kind != KIND_DEMONYM else -5.0
        if cand.kind == 0:
            score += 0.2
        if anchors and place.latitude is not None and feature in ("city", "supplement"):
            nearest = min(haversine_km(place.latitude, place.longitude or 0.0, lat, lon)
                          for lat, lon in anchors)
            if nearest < 40.0:
                score += 1.5
            elif nearest < 120.0:
                score += 0.7
        return score

    def _resolve(self, text: str, tops: list[_Toponym], country: str | None) -> None:
        for top in tops:
            top.chosen = None
        for round_no in range(2):
            anchors: list[tuple[float, float]] = []
            admins: dict[str, int] = defaultdict(int)
            for index, top in enumerate(tops):
                chosen = top.chosen
                if round_no and chosen is not None and chosen.place.latitude is not None:
                    anchors.append((chosen.place.latitude, chosen.place.longitude or 0.0))
                for cand in top.candidates:
                    if cand.place.feature in ("admin1", "admin2") and not top.weak and (
                        country is None or cand.place.country_code == country
                    ):
                        code = (cand.admin2_code if cand.place.feature == "admin2"
                                else cand.admin1_code)
                        if code:
                            admins[code] += 1
            for index, top in enumerate(tops):
                own_anchor = ((top.chosen.place.latitude, top.chosen.place.longitude or 0.0)
                              if top.chosen is not None and top.chosen.place.latitude is not None
                              else None)
                others = [a for a in anchors if a != own_anchor]
                # an admin unit named by this very toponym is no evidence for its own readings
                own_codes = {c.admin1_code if c.place.feature == "admin1" else c.admin2_code
                             for c in top.candidates if c.place.feature in ("admin1", "admin2")}
                local = {k: v - (1 if k in own_codes else 0) for k, v in admins.items()}
                scored = [(self._score(top, c, country, local, others), c)
                          for c in top.candidates]
                scored.sort(key=lambda sc: -sc[0])
                top.score, top.chosen = scored[0] if scored else (0.0, None)
        self._appositions(text, tops)

    def _appositions(self, text: str, tops: list[_Toponym]) -> None:
        """"Orikhiv, Zaporizhia", "Tikou (Kouande, Atacora)": a name right after a place that
        names an admin area containing it reads as that area."""
        for index in range(1, len(tops)):
            top, prev = tops[index], tops[index - 1]
            anchor = prev.appositive_of or prev
            gap = text[prev.end:top.start]
            if not re.fullmatch(r"\s*[,(]\s*|\s*[-\u2013]\s*|\s+in\s+", gap):
                continue
            if anchor.chosen is None or anchor.chosen.place.feature == "country":
                continue
            codes = {anchor.chosen.admin1_code, anchor.chosen.admin2_code} - {None}
            for cand in top.candidates:
                feature = cand.place.feature
                code = cand.admin2_code if feature == "admin2" else cand.admin1_code
                if (feature in ("admin1", "admin2") and code in codes) or (
                    feature == "country"
                    and cand.place.country_code == anchor.chosen.place.country_code
                ):
                    top.chosen = cand
                    top.appositive_of = anchor
                    top.weak = False
                    break

    # -- 4. precision -----------------------------------------------------------------------

    @staticmethod
    def _road_choice(top: _Toponym) -> bool:
        """True when ``top`` is the town a road between it and its partner is coded at."""
        partner = top.road_partner
        if partner is None:
            return True
        first, second = (top, partner) if top.start < partner.start else (partner, top)
        chosen_first = True
        if first.chosen is None or first.chosen.place.feature not in ("city", "supplement"):
            chosen_first = second.chosen is None
        elif second.chosen is not None and second.chosen.place.feature in ("city", "supplement"):
            big, small = first.chosen.place.population, second.chosen.place.population
            if big >= 100_000 and big >= 10 * max(small, 1):
                chosen_first = False
        return (top is first) == chosen_first

    def _mention(self, doc: Document, tops: list[_Toponym], index: int,
                 country: str | None) -> PlaceMention | None:
        top = tops[index]
        cand = top.chosen
        if cand is None or top.context_only or cand.kind == KIND_DEMONYM:
            return None
        if top.weak and top.appositive_of is None and top.cue != "admin":
            return None
        if country is not None and cand.place.country_code != country:
            # a foreign place needs to be a clear one: named as a place, exactly, and a town of
            # some size or an admin area; "in Kisauni" is a Kenyan suburb GeoNames lacks, not
            # Cossonay in Switzerland
            if not top.locative or cand.match != "exact":
                return None
            if cand.place.feature in ("city", "supplement") and cand.place.population < 50_000 \
                    and not top.cue:
                return None
        place = cand.place
        feature = place.feature
        precision = 1
        if feature == "country":
            if not (top.locative or top.appositive):
                return None  # "Saudi forces": whose forces, not where
            precision = 3
        elif feature == "admin1":
            capital = self.gazetteer.capital(cand.admin1_code) if cand.admin1_code else None
            place = self._as_admin_seat(place, capital)
            precision = 3
        elif feature == "admin2":
            capital = self.gazetteer.capital(cand.admin2_code) if cand.admin2_code else None
            place = self._as_admin_seat(place, capital)
            precision = 2
        elif top.cue in ("near", "road", "admin", "region"):
            precision = 2
        if top.cue == "road" and not self._road_choice(top):
            return None
        confidence = max(0.05, min(1.0, top.score / 14.0))
        return PlaceMention(Span(top.start, top.end, top.text), place, top.sentence, precision,
                            round(confidence, 3))

    @staticmethod
    def _as_admin_seat(area: Place, seat: Candidate | None) -> Place:
        if seat is None or seat.place.latitude is None:
            return area
        # the seat's point and name, with the admin names of the area the text named
        return replace(seat.place, admin1=area.admin1 or seat.place.admin1,
                       admin2=area.admin2 if area.feature == "admin2" else seat.place.admin2)

    # -- the stage ----------------------------------------------------------------------------

    def __call__(self, doc: Document) -> Document:
        if not doc.text:
            doc.places, doc.country = [], None
            return doc
        tops = self._candidates(doc)
        tops.extend(self._unresolved_locatives(doc, tops))
        tops.sort(key=lambda t: t.start)
        self._mark_cues(doc, tops)
        # a bare word that only loosely matches a name ("Pokot" ~ "Poquott") is no toponym
        tops = [t for t in tops if t.locative or t.appositive or not t.candidates
                or max(c.similarity for c in t.candidates) >= 1.0]
        code = self._country(doc, tops)
        self._fuzzy_pass(tops, code)
        tops = [t for t in tops if t.candidates]
        self._resolve(doc.text, tops, code)
        mentions = [self._mention(doc, tops, i, code) for i in range(len(tops))]
        doc.places = [m for m in mentions if m is not None]
        doc.country = self.gazetteer.country_name(code) if code else None
        return doc


def make_places(config: PipelineConfig) -> Stage:
    """The places stage for ``config`` (the gazetteer is opened, or built, here).

    >>> stage = make_places(PipelineConfig())                           # doctest: +SKIP
    """
    return PlaceResolver()


# -- choosing an event's place ---------------------------------------------------------------


def _clause_bounds(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The clause of ``text[start:end]`` (a sentence) containing ``offset``."""
    lo, hi = start, end
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.end() <= offset:
            lo = match.end()
        elif match.start() >= offset:
            hi = match.start()
            break
    return lo, hi


def _best(group: list[PlaceMention], offset: int, country: str | None) -> PlaceMention:
    return min(group, key=lambda p: (
        country is not None and p.place.country != country,
        p.precision,
        abs(p.span.start - offset),
        -p.score,
    ))


def main_place(doc: Document) -> PlaceMention | None:
    """The article's main place: the town (precision 1-2) named most often in its country,
    the earliest on ties; failing that its first place of any precision (never a country)."""
    places = [p for p in doc.places if p.place.feature != "country"]
    if not places:
        return None
    in_country = [p for p in places if doc.country is None or p.place.country == doc.country]
    towns = [p for p in in_country if p.precision <= 2] or in_country or places
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for p in towns:
        counts[(p.place.name, p.place.latitude, p.place.longitude)] += 1
    return max(towns, key=lambda p: (counts[(p.place.name, p.place.latitude,
                                             p.place.longitude)], -p.span.start))


def choose_place(doc: Document, sentence_index: int, trigger_start: int) -> PlaceMention | None:
    """The place of the event whose trigger starts at ``trigger_start`` in sentence
    ``sentence_index``: a toponym in the trigger's clause, else in its sentence, else in the
    nearest previous sentence that names one, else the article's main place (:func:`main_place`).
    A place that is only a country is never chosen. Within a group, places in the article's
    country come first, then the most precise, then the one nearest the trigger.

    >>> choose_place(doc, 0, doc.text.index("attacked"))                 # doctest: +SKIP
    PlaceMention(span=Span(start=..., text='Kismayo'), ..., precision=1, ...)
    """
    places = [p for p in doc.places if p.place.feature != "country"]
    if not places:
        return None
    if 0 <= sentence_index < len(doc.sentences):
        start, end = doc.sentences[sentence_index]
    else:
        start, end = 0, len(doc.text)
    in_sentence = [p for p in places if p.sentence == sentence_index]
    if in_sentence:
        lo, hi = _clause_bounds(doc.text, start, end, trigger_start)
        in_clause = [p for p in in_sentence if lo <= p.span.start < hi]
        return _best(in_clause or in_sentence, trigger_start, doc.country)
    previous = [p for p in places if p.sentence < sentence_index]
    if previous:
        last = max(p.sentence for p in previous)
        return _best([p for p in previous if p.sentence == last], trigger_start, doc.country)
    return main_place(doc)
