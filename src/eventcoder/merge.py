"""The merge stage (within one article): mentions of the same event become one ``Event``.

ACLED records one event per actor pair, location and day (CODEBOOK.md sec. 6), so two mentions
merge when they have the same sub-event type, the same day, the same place (or one of them names
none) and actors that do not contradict (equal, or one side unknown). The merged event keeps the
most precise date and place, every associated actor and all evidence; its fatalities follow
ACLED's lowest-figure rule over all the fatality mentions of its sentences.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from eventcoder import outlets
from eventcoder.config import PipelineConfig
from eventcoder.events import fatalities_of
from eventcoder.model import Actor, Document, Event, Evidence, Mention, Span

Stage = Callable[[Document], Document]


def _place_key(mention: Mention) -> tuple[object, ...] | None:
    """The mention's own place; None when it names none, or only borrows one from a sentence
    before it ("The attackers fled after an exchange of fire" after the sentence naming the
    town): a borrowed place is a guess that must not split one event in two."""
    if mention.place is None or mention.place.sentence != mention.sentence:
        return None
    p = mention.place.place
    return (p.geonameid, p.name, p.country)


def _same_place(a: object, b: object) -> bool:
    return (a.geonameid, a.name, a.country) == (b.geonameid, b.name, b.country)  # type: ignore[attr-defined]


def _report_day(mention: Mention) -> bool:
    return mention.date is not None and mention.date.reported and mention.date.sentence == mention.sentence


def _actor_compatible(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return True
    if a.name == b.name:
        return True
    return a.kind == "generic" or b.kind == "generic"


_TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def _lent_date(mention: Mention) -> bool:
    """The mention's day is lent by another sentence (it gave none of its own)."""
    return mention.date is not None and mention.date.sentence != mention.sentence


def _battle_and_capture(a: Mention, b: Mention) -> bool:
    """A capture and the battle for the same town, told apart ("forces recaptured X ... dozens
    of militants were killed in Saturday's battle"): one event, typed by the capture
    (CODEBOOK.md sec. 2: the final capture is the event, the fight its part). Only when both
    sit at the same town and at most one of them gives its own day."""
    types = {a.sub_event_type, b.sub_event_type}
    if len(types) != 2 or "Armed clash" not in types or not types & _TERRITORY:
        return False
    if a.place is None or b.place is None or not _same_place(a.place.place, b.place.place):
        return False
    if a.date is not None and b.date is not None and a.date.date != b.date.date:
        return _lent_date(a) != _lent_date(b)
    return True


_EXCESSIVE = "Excessive force against protesters"


def _protest_shooting(a: Mention, b: Mention) -> bool:
    """A killing and the lethal force against a protest, told apart at the same town on the same
    day ("... and a teenager was shot dead in Nakuru." then "In Nakuru, a 19-year-old was shot
    dead when officers opened fire on demonstrators"): one event, typed by the protest
    (CODEBOOK.md sec. 2: lethal force on protesters is Excessive force, not an Attack). Both
    must name the town in their own sentence."""
    if {a.sub_event_type, b.sub_event_type} != {"Attack", _EXCESSIVE}:
        return False
    if _place_key(a) is None or _place_key(a) != _place_key(b):
        return False
    return a.date is not None and b.date is not None and a.date.date == b.date.date


def compatible(a: Mention, b: Mention) -> bool:
    """Whether two mentions of one article report the same event.

    >>> compatible(m1, m2)   # doctest: +SKIP
    True
    """
    if _battle_and_capture(a, b) or _protest_shooting(a, b):
        return _actor_compatible(a.actor1, b.actor1) and _actor_compatible(a.actor2, b.actor2)
    if a.sub_event_type != b.sub_event_type:
        return False
    if a.date is not None and b.date is not None and a.date.date != b.date.date:
        # the day a mention's own sentence gives only for a report ("security sources told
        # reporters on Tuesday") does not contradict the day given for the event; a day lent by
        # another sentence does
        if not (_report_day(a) or _report_day(b)):
            return False
        # ... but then the two must be placed at the same town, borrowed or not
        pa, pb = a.place, b.place
        if pa is None or pb is None or _same_place(pa.place, pb.place) is False:
            return False
    ka, kb = _place_key(a), _place_key(b)
    if ka is not None and kb is not None and ka != kb:
        return False
    if not _actor_compatible(a.actor2, b.actor2):
        return False
    if _actor_compatible(a.actor1, b.actor1):
        return True
    # a group and one of its own members report the same change ("X formed ...; its member Y")
    members_a = {m.name for m in a.assoc_actor_1}
    members_b = {m.name for m in b.assoc_actor_1}
    return bool(
        (a.actor1 is not None and a.actor1.name in members_b)
        or (b.actor1 is not None and b.actor1.name in members_a)
    )


def _better_actor(a: Actor | None, b: Actor | None) -> Actor | None:
    if a is None:
        return b
    if b is None:
        return a
    if a.kind == "generic" and b.kind != "generic":
        return b
    return a


def _combine(into: Mention, other: Mention) -> None:
    # The first report of an event names its place; later mentions ("the new coalition") only
    # fill what it lacks. A date the text gives the event beats one it gives a report.
    if into.place is None:
        into.place = other.place
    if other.sub_event_type in _TERRITORY and into.sub_event_type == "Armed clash":
        # the battle that ended in a capture is that capture
        into.sub_event_type, into.event_type, into.trigger = other.sub_event_type, other.event_type, other.trigger
    if other.sub_event_type == _EXCESSIVE and into.sub_event_type == "Attack":
        # the protest tells who the sides were: protesters and the force that fired on them
        into.sub_event_type, into.event_type = other.sub_event_type, other.event_type
        into.actor1, into.actor2 = other.actor1 or into.actor1, other.actor2 or into.actor2
    if other.date is not None and into.date is not None and _lent_date(into) and not _lent_date(other):
        # a day the event's own sentence gives beats one lent by an earlier sentence
        into.date = other.date
    if other.date is not None and (
        into.date is None
        or (into.date.reported and not other.date.reported and other.date.precision <= into.date.precision)
    ):
        into.date = other.date
    into.actor1 = _better_actor(into.actor1, other.actor1)
    into.actor2 = _better_actor(into.actor2, other.actor2)
    for attr in ("assoc_actor_1", "assoc_actor_2"):
        mine = getattr(into, attr)
        names = {a.name for a in mine}
        for actor in getattr(other, attr):
            if actor.name not in names and (into.actor1 is None or actor.name != into.actor1.name):
                mine.append(actor)
                names.add(actor.name)
    known = {(f.span.start, f.span.end) for f in into.fatalities}
    into.fatalities.extend(f for f in other.fatalities if (f.span.start, f.span.end) not in known)
    into.spans.extend(other.spans)
    into.confidence = max(into.confidence, other.confidence)


def merge_mentions(mentions: list[Mention]) -> list[Mention]:
    """Mentions grouped into events, in order of first mention (deterministic)."""
    merged: list[Mention] = []
    for mention in mentions:
        for existing in merged:
            if compatible(existing, mention):
                _combine(existing, mention)
                break
        else:
            merged.append(mention)
    return merged


#: the longest trigger phrase, in tokens: more is a clause, not a phrase
_PHRASE_TOKENS = 8
#: prepositions that attach the target to an event noun ("attack on a camp")
_TARGET_PREPS = frozenset({"on", "against", "at", "upon", "targeting"})


def _noun_phrase_end(token: object) -> int:
    """Index of the last token of the noun phrase headed by ``token``, "of"-phrases included
    ("one of their checkpoints") but no other attachment ("near the town")."""
    end = token.i  # type: ignore[attr-defined]
    for child in token.children:  # type: ignore[attr-defined]
        if child.i > token.i and child.dep_ == "prep" and child.lower_ == "of":  # type: ignore[attr-defined]
            pobj = [c for c in child.children if c.dep_ == "pobj"]
            if pobj:
                end = max(end, _noun_phrase_end(pobj[0]))
    return end


def trigger_phrase(sd: object, start: int, end: int) -> tuple[int, int] | None:
    """Character span of the phrase a trigger word heads or completes, from spaCy's parse.

    Evidence of "attacked" alone does not say what was attacked: a verb takes its particle and
    object ("attacked one of their checkpoints", "came under fire", "marched peacefully"), an
    event noun its target ("attack on a village") or the verb it is the object or subject of
    ("fired tear gas", "repelled an attack", "Fighting broke out"). None when the trigger has no
    such phrase or the phrase would run past :data:`_PHRASE_TOKENS` tokens.
    """
    if sd is None:
        return None
    span = sd.char_span(start, end, alignment_mode="expand")  # type: ignore[attr-defined]
    if span is None:
        return None
    tok = span.root
    first, last = span.start, span.end - 1
    if tok.pos_ == "VERB":
        right = [c for c in tok.children if c.i > last]
        objects = [c for c in right if c.dep_ in ("dobj", "dative")]
        for child in right:
            if child.dep_ == "prt" or (child.dep_ == "advmod" and child.pos_ == "ADV" and child.i == last + 1):
                last = max(last, child.i)
        if objects:
            last = max(last, _noun_phrase_end(objects[0]))
        elif last == span.end - 1:
            # "came under fire": a preposition right after the verb completes it
            preps = [c for c in right if c.dep_ == "prep" and c.i == last + 1]
            pobj = [c for c in preps[0].children if c.dep_ == "pobj"] if preps else []
            if pobj:
                last = _noun_phrase_end(pobj[0])
    elif tok.pos_ in ("NOUN", "PROPN"):
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS and c.i == last + 1]
        pobj = [c for c in preps[0].children if c.dep_ == "pobj"] if preps else []
        head = tok.head
        if pobj:
            last = _noun_phrase_end(pobj[0])
        elif tok.dep_ in ("dobj", "dative") and head.pos_ == "VERB" and head.i < first:
            first = head.i
        elif tok.dep_ == "nsubj" and head.pos_ == "VERB" and head.i > last:
            last = head.i
            for child in head.children:
                if child.dep_ == "prt" and child.i == last + 1:
                    last = child.i
    if (first, last) == (span.start, span.end - 1) or last - first + 1 > _PHRASE_TOKENS:
        return None
    doc = span.doc
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


class Merger:
    """Builds ``Event`` records from a document's mentions."""

    def __init__(self, config: PipelineConfig) -> None:
        from eventcoder import fatalities as fatalities_mod
        from eventcoder.lexicon import codebook

        self.codebook = codebook()
        self._pick = fatalities_mod.event_fatalities

    def event(self, doc: Document, mention: Mention) -> Event:
        """One ``Event`` record from a merged mention."""
        place = mention.place.place if mention.place else None
        published = doc.article.published
        date = mention.date.date if mention.date else published
        precision = mention.date.precision if mention.date else (2 if published else None)
        evidence: list[Evidence] = []
        seen: set[tuple[int, int, str]] = set()
        spans = list(mention.spans)
        for field_name, span in mention.spans:
            if field_name in ("trigger", "cue"):
                phrase = trigger_phrase(doc.spacy_doc, span.start, span.end)
                if phrase is not None:
                    spans.append((field_name, Span(phrase[0], phrase[1], doc.text[phrase[0] : phrase[1]])))
        for field_name, span in spans:
            ev = doc.evidence(span, field_name)
            key = (ev.start, ev.end, field_name)
            if key not in seen:
                seen.add(key)
                evidence.append(ev)
        evidence.sort(key=lambda e: (e.start, e.end))
        country = place.country if place else doc.country
        # a country the text does not give comes from the outlet: its evidence says so
        evidence += outlets.country_evidence(doc, country)
        a1, a2 = mention.actor1, mention.actor2
        inter1 = a1.inter if a1 else None
        inter2 = a2.inter if a2 else None
        civilian = mention.event_type == "Violence against civilians" or (a2 is not None and a2.inter == 7)
        key = f"{doc.article.id}:{mention.sub_event_type}:{mention.trigger.start}"
        event_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        return Event(
            event_date=date.isoformat() if date else None,
            time_precision=precision,
            event_type=mention.event_type,
            sub_event_type=mention.sub_event_type,
            actor1=a1.name if a1 else None,
            assoc_actor_1="; ".join(a.name for a in mention.assoc_actor_1) or None,
            inter1=inter1,
            actor2=a2.name if a2 else None,
            assoc_actor_2="; ".join(a.name for a in mention.assoc_actor_2) or None,
            inter2=inter2,
            interaction=_interaction(inter1, inter2),
            civilian_targeting="Civilians targeted" if civilian else None,
            country=country,
            admin1=place.admin1 if place else None,
            admin2=place.admin2 if place else None,
            admin3=place.admin3 if place else None,
            location=place.name if place else None,
            latitude=round(place.latitude, 4) if place and place.latitude is not None else None,
            longitude=round(place.longitude, 4) if place and place.longitude is not None else None,
            geo_precision=mention.place.precision if mention.place else None,
            source=doc.article.source,
            notes=None,
            fatalities=fatalities_of(doc, mention, self._pick),
            article_id=doc.article.id,
            event_id=event_id,
            confidence=mention.confidence,
            evidence=evidence,
        )

    def __call__(self, doc: Document) -> Document:
        doc.events = [self.event(doc, m) for m in merge_mentions(doc.mentions)]
        return doc


def make_merge(config: PipelineConfig) -> Stage:
    """Build the merge stage once."""
    return Merger(config)
