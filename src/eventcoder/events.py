"""The events stage: event mentions with their ACLED sub-event type and their arguments.

Reads ``doc.actors``, ``doc.places``, ``doc.dates``, ``doc.fatalities`` and the trigger lexicon;
adds ``doc.mentions``.

How it reads a text:

1. Each sentence's cues are found with the lexicon. A cue governed by a claim, plan, denial or a
   historical reference ("sources believed Turkey was behind the attacks", "no clashes were
   reported", "since 2011") is dropped: those are not events (DESIGN.md: claims kept apart from
   facts).
2. A sentence with a *primary* cue starts a mention. A sentence with only modifier cues (tear
   gas, arrests) or with primary cues but no place, actor or date of its own continues the
   mention before it: "Police fired tear gas" after "Hundreds protested in Nairobi" makes one
   protest with intervention.
3. :func:`classify` turns a mention's cues, and who its actors are, into one sub-event type by
   ACLED's hierarchy (CODEBOOK.md sec. 2).
4. Arguments: actors by their position around the trigger (passive voice and "by X" agents
   understood), generic actors named for the event's country, the place chosen by the places
   stage, the date of the sentence or the nearest one before it (precision 2 when inherited), and
   the fatalities of the mention's sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventcoder.config import PipelineConfig
from eventcoder.lexicon import Cue, Prefiltered, codebook, fold, lexicon
from eventcoder.model import (
    Actor,
    ActorMention,
    DateMention,
    Document,
    FatalityMention,
    Mention,
    PlaceMention,
    Span,
)

Stage = Callable[[Document], Document]

#: cues that describe what kind of violence, strongest first within a family
_EXPLOSIVE = ("chemical", "air", "suicide", "shelling", "ied", "grenade")
_VIOLENCE = _EXPLOSIVE + ("clash", "attack", "abduction", "sexual", "regain", "overtake")
_DEMONSTRATION = ("protest", "riot", "mob", "crowd_control")
_STRATEGIC = ("agreement", "arrest", "change", "coup", "disrupt", "hq", "loot", "other")

#: a modality or history cue this close before a trigger (in characters) blocks it
_MODAL_WINDOW = 70

_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|got|get)\s+(?:\w+ly\s+|reportedly\s+|allegedly\s+)?$", re.I
)
_BY_AGENT = re.compile(r"^\W*(?:\w+\W+){0,3}?by\s+(?:the\s+|a\s+|an\s+|unknown\s+)?$", re.I)

# Who is harmed: words naming unarmed people, and words naming fighters.
_ORG_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]*\s+){1,5}(?:Watch|Network|Observatory|Monitor|Foundation|Institute|"
    r"Association|Forum|Commission|Committee|Council|Centre|Center|Union|Coalition|Society|"
    r"Organi[sz]ation)\b"
)
_FRAMING_PP = re.compile(r"(?i)\b(?:in|during)\s+(?:an?|the|this|that|another)\s+(?:[\w-]+\s+){0,2}$")
_CIVILIAN_WORDS = re.compile(
    r"\b(?:civilians?|villagers?|residents?|farmers?|herders?|pastoralists?|women|woman|girls?|"
    r"boys?|child(?:ren)?|man|men|persons?|people|individuals?|famil(?:y|ies)|students?|"
    r"teachers?|journalists?|reporters?|traders?|businessm[ae]n|shopkeepers?|merchants?|"
    r"drivers?|passengers?|worshippers?|pilgrims?|doctors?|nurses?|aid workers?|workers?|"
    r"refugees?|idps?|displaced|migrants?|elders?|chiefs?|priests?|imams?|pastors?|clerics?|"
    r"activists?|politicians?|candidates?|councill?ors?|officials?|mayors?|lawyers?|judges?|"
    r"youths?|teens?|teenagers?|minors?|infants?|babies|baby|wife|husband|sons?|daughters?|"
    r"brothers?|sisters?|mothers?|fathers?|parents?|relatives?|local|locals|inhabitants?|fishermen|"
    r"fishers?|miners?|hunters?|vendors?|customers?|patients?|bystanders?|guards?|"
    r"watchm[ae]n|hostages?|prisoners?|inmates?|detainees?|dwellers?|households?|cattle ?keepers?|"
    r"herdsm[ae]n|herdsmen|peasants?|labou?rers?|employees?|staff|engineers?|contractors?|"
    r"tourists?|foreigners?|nationals?|citizens?|community|members of the public|body|bodies)\b",
    re.I,
)
_ARMED_WORDS = re.compile(
    r"\b(?:soldiers?|troops?|army|military|forces?|police(?:m[ae]n|officers?)?|officers?|"
    r"gendarmes?|militants?|fighters?|rebels?|insurgents?|terrorists?|jihadists?|militiam[ae]n|"
    r"militias?|gunmen|combatants?|guerrillas?|paramilitar(?:y|ies)|commanders?|"
    r"personnel|patrol|convoy|checkpoint|base|barracks|post|outpost|position|positions|"
    r"servicem[ae]n|marines?|sailors?|pilots?|cadres?|operatives?|bandits?|dissidents?|"
    r"kidnappers?|attackers?|assailants?|raiders?|recruits?)\b",
    re.I,
)
_NON_CONFLICT = re.compile(
    r"\b(?:floods?|flooding|flash floods?|earthquakes?|landslides?|mudslides?|cyclones?|hurricanes?|"
    # (the verb "storm" is no weather: "parents storm school", "protesters storm the palace")
    r"typhoons?|storms?(?! (?:the|a|an|their|his|her|its|into|several|(?:schools?|parliament|offices?|"
    r"stations?|prisons?|jails?|palace|churche?s?|mosques?|courts?|buildings?|compounds?|houses?|homes?|"
    r"camps?|bases?|villages?|towns?|premises|headquarters))\b)|tornado(?:es)?|drought|heat ?waves?|lightning|tsunami|avalanche|"
    r"road accident|car accident|traffic accident|crash(?:ed)?|collision|collided|capsized|"
    r"drown(?:ed|ing)|match(?:es)?|(?-i:league)|"
    r"tournament|championship|cup final|scored (?:a |the |\w+ )?goals?|striker|midfielder|goalkeeper|coach|"
    r"penalt(?:y|ies)|"
    # (a season of elections, rains or harvests is no sports season)
    r"(?<!election )(?<!electoral )(?<!campaign )(?<!rainy )(?<!dry )(?<!lean )(?<!planting )"
    r"(?<!harvest )(?<!farming )(?<!holiday )(?<!festive )(?<!fighting )season|"
    r"semi-?final|quarter-?final|kick-?off|stadium|innings|wickets?|"
    r"fixture|derby|title race|relegation|medal|olympic|keeper|top order|bowl(?:ed|ing) (?:\w+ )?out|"
    r"\d+(?:st|nd|rd|th) minute|"
    # fires kill and burn homes too, with no perpetrator
    r"wildfires?|bushfires?|forest fires?|"
    # a killing in the home is a crime, not political violence (ACLED does not code it)
    r"domestic (?:disputes?|violence|abuse|quarrels?|rows?))\b",
    re.I,
)
#: an analysis or opinion piece discusses trends; it reports no event with weak words
_OPINION = re.compile(r"\s*(?:analysis|opinion|comment|commentary|editorial|explainer|op-ed|interview)\s*[:|-]", re.I)
#: an epidemic kills with no perpetrator; unlike a disaster, it leaves the measures and protests
#: it causes to be coded (curfews, closures, protests over relief)
_DISEASE = re.compile(
    r"\b(?:cholera|ebola|measles|malaria|dengue|mpox|anthrax outbreak|(?:disease|virus|viral) outbreaks?|"
    r"epidemics?|pandemic|outbreaks?(?! of (?:violence|fighting|clashes|hostilities|unrest|war|protests?|riots?)))\b",
    re.I,
)
#: the violent words of the lexicon that a game, a disease or a crime at home also uses
_WEAK_VIOLENCE = frozenset({"attack", "clash", "loot", "riot", "shelling"})
_FORMATION = re.compile(r"(?i)(?:form|creat|establish|launch|announc|new)")
#: an actor followed by a verb of saying is a source, not a participant ("police said")
_SPEAKER = re.compile(r"(?i)\s*(?:\w+\s+)?(?:said|says|say|told|reported|added|confirmed|stated|announced)\b")
#: an actor that condemns or deplores an event judges it ("The UN strongly condemns the attack")
_REACTS = re.compile(r"(?i)\s*(?:\w+ly\s+)?(?:condemn|denounc|deplor|decr(?:y|ie)|welcom)\w*\b")
#: an actor that only qualifies who speaks is a source, not a party ("a Taliban police
#: spokesman said", "the spokesman for the police in Balkh")
_SPOKESMAN_AFTER = re.compile(r"(?i)\s+(?:[\w-]+\s+){0,2}?(?:spokes(?:man|men|woman|women|person|persons|people)|press (?:office|officer|secretary))\b")
_SPOKESMAN_BEFORE = re.compile(r"(?i)\b(?:spokes(?:man|woman|person)|press (?:office|officer|secretary))\s+(?:for|of)\s+(?:the\s+)?$")
_TOLL = re.compile(r"(?i)(?:kill|martyr|die|dead|death|wound|injur|neutrali)")
_ARMED_WITH = re.compile(r"(?i)\b(?:armed|equipped)\s+with\s+(?:[\w-]+\s+){0,6}$")
_DAMAGE = re.compile(r"(?i)damag|destr")
_WOMEN = re.compile(r"(?i)\b(?:wom[ae]n|female)\b")
_PERFECT = re.compile(r"(?i)\b(?:have|has)\s+(?:\w+ly\s+)?(?:been|become|[a-z]+ed)\b")
_SIGNIFICANT = re.compile(
    r"\b(?:massacre|major|large-scale|deadliest|heavy|fierce|intense|car bomb|suicide|"
    r"airstrikes?|air strikes?|bombardment|dozens|scores)\b",
    re.I,
)


@dataclass
class _Draft:
    """A mention under construction: the sentences it spans and the cues found in them."""

    sentences: list[int]
    cues: list[Cue]
    trigger: Cue
    own_place: bool = False
    extra: list[str] = field(default_factory=list)
    #: character bounds of the clause the mention is limited to, when its sentence reports
    #: several events (see :func:`_clause_parts`)
    clause: tuple[int, int] | None = None

    @property
    def names(self) -> set[str]:
        return {c.name for c in self.cues}


#: where a sentence may join two reports: "..., while in Nasiriyah dozens rallied", "...; in Y",
#: "... arrested 23 in Nairobi, and a teenager was shot dead in Nakuru" (", and" only before a new
#: subject or place: "was beaten, stabbed, and killed by residents" is one clause)
_CLAUSE_JOIN = re.compile(
    r",\s*(?:while|whereas)\b|;|,\s*and\s+(?=(?:an?|the|in|at|on|near|some|several|two|three|four|five|"
    r"dozens|hundreds|\d+)\b|[A-Z])"
)


def _clause_parts(doc: Document, index: int, cues: list[Cue]) -> list[tuple[int, int]]:
    """The clauses of sentence ``index`` that each report an event of their own: every part
    between joins ("while", "whereas", ";", ", and" before a new subject) has a primary cue and a place that no other part
    names. Otherwise the sentence is one report: ``[]``.

    "Hundreds blocked roads in Basra, while in Nasiriyah dozens rallied peacefully" is a riot
    and a protest; "Gunmen attacked Kidal, while troops returned fire" stays one clash.
    """
    start, end = doc.sentences[index]
    cuts = [m.start() for m in _CLAUSE_JOIN.finditer(doc.text, start, end)]
    if not cuts:
        return []
    parts = list(zip([start, *cuts], [*cuts, end]))
    seen: set[object] = set()
    for lo, hi in parts:
        if not any(c.name in lexicon().primary and lo <= c.start < hi for c in cues):
            return []
        places = {
            p.place.geonameid or p.place.name
            for p in doc.places
            if p.sentence == index and lo <= p.span.start < hi and p.place.feature != "country"
        }
        if not places or places & seen:
            return []
        seen |= places
    return parts


#: cue families for which an attempt is already the act (an attempt to disperse a crowd)
_ATTEMPT_IS_ACT = frozenset({"intervention", "crowd_control", "excessive"})
_ATTEMPT = re.compile(r"(?i)(?:trying|tried|tries|attempting|attempted) to")
#: a denial names what it denies: "no arrests were reported" says nothing of the weapons
#: recovered in the same sentence
_DENIAL = re.compile(r"(?i)(?:no|not|never|nor|without|denied|denies|deny|rejected)\b")
#: "attempting to cross the border" governs the verb after it, not the rest of the sentence
#: (a plan, "going to be used in an attack", reaches further)
_ATTEMPT_WINDOW = 30
_AUXILIARY = re.compile(r"would|could|might|may|should|will|shall|must")


def _blocked(cue: Cue, blockers: list[Cue]) -> bool:
    for b in blockers:
        if b.start <= cue.start < b.end:
            return True
        if cue.start < b.start < cue.end and _AUXILIARY.fullmatch(b.text):
            # "schools would remain closed": the modal sits inside the cue's own words
            return True
        if _DENIAL.match(b.text):
            continue
        window = _ATTEMPT_WINDOW if _ATTEMPT.match(b.text) else _MODAL_WINDOW
        if b.end <= cue.start and cue.start - b.end <= window:
            return True
    return False


def _history(cue: Cue, blockers: list[Cue]) -> bool:
    """A trigger close to a "since 2011"/"last year" phrase talks about the past."""
    for b in blockers:
        if _HISTORY.match(b.text) and (
            abs(b.start - cue.end) <= 40 or abs(cue.start - b.end) <= 40
        ):
            return True
    return False


#: a modality cue that dates what follows to the past: "since 2011", "a 2019 attack", "three
#: years after the coups"
_HISTORY = re.compile(
    r"(?i)(?:since|in|during|throughout|last|past|previous)\b|(?:(?:for|over) )?(?:a|an|the|its|their|his|her) (?:19|20)\d\d\b|"
    r"\w+ (?:years|decades) (?:after|since)"
)


def _is_history(b: Cue) -> bool:
    return bool(_HISTORY.match(b.text))




_PLACE_FILLER = re.compile(
    r"(?i)\s*(?:the\s+)?(?:(?:strategic|key|border|frontline|nearby|rebel-held|government-held)\s+)?"
    r"(?:(?:town|village|city|district|locality|area|hill|settlement|municipality|neighbou?rhood)s?\s+of\s+)?$"
)


def _captured_places(doc: Document, index: int, cues: list[Cue]) -> list[Cue]:
    """Territory cues for "captured X" where the places stage read X as a place.

    "the rebels captured Goma": the object names a place, so the capture is of
    territory (a capture of people or weapons names no place). "Recaptured", "retook" and
    "liberated" are the government's regaining when its forces do it (see ``_mention``).
    """
    out: list[Cue] = []
    places = [p for p in doc.places if p.sentence == index and p.place.feature != "country"]
    for c in cues:
        if c.name != "capture_verb":
            continue
        for p in places:
            gap = doc.text[c.end : p.span.start]
            if 0 < p.span.start - c.end <= 40 and _PLACE_FILLER.match(gap):
                name = "regain" if re.match(r"(?i)re|liberat", c.text) else "overtake"
                out.append(Cue(name, c.start, c.end, c.text))
                break
    return out


#: a weapon named with a verb of use; without one, "artillery" or "missiles" is equipment
_WEAPON_USE = re.compile(
    r"(?i)\bfir(?:ed|es|ing)\b|\bfire\b|shell(?:ed|ing|s)\b|struck|\bstrikes?\b|\bhit\b|launch|pound|target|bombard|"
    r"attack|explo|landed|rained|blasts?|killed|wounded|injur|damag|destroy|barrage|salvo|intercept"
)
_WEAPON_TEST = re.compile(r"(?i)test-?fir|missile tests?|test[- ]launch|weapons? tests?|launch(?:ed)? (?:\w+ ){0,3}tests?")


def _drop_equipment(sentence: str, cues: list[Cue]) -> list[Cue]:
    """Drop shelling cues that name equipment, not its use.

    "A convoy of reinforcements with tanks and heavy weaponry reached the area" reports a
    movement of forces; a missile *test* fired into the sea harms no one (ACLED: Change to
    group/activity). A sentence with a verb of firing keeps its weapons.
    """
    if not any(c.name == "shelling" for c in cues):
        return cues
    testing = bool(_WEAPON_TEST.search(sentence))
    if not testing and (_WEAPON_USE.search(sentence) or not any(c.name == "change" for c in cues)):
        return cues
    return [c for c in cues if c.name != "shelling"]


_PROTEST_OBJECT = re.compile(
    r"(?i)(?:against|over|protest(?:ed|ing)|denounc\w*|condemn\w*|in (?:reaction|response) to|demand\w*|"
    r"release of|justice for|prior|after|following|support (?:of|for)|to support)\s+(?:the |an? |their |his |her |its )?"
    r"(?:(?!(?:was|were|is|are|and|by|but|then)\b)[\w'-]+ ){0,4}$"
)
_DENOUNCED = re.compile(
    r"(?i)(?:against|denounc\w*|condemn\w*|protest(?:ed|ing)|in (?:reaction|response) to|justice for)\s+"
    r"(?:the |an? |their |his |her |its |this |these )?(?:(?!(?:was|were|is|are|and|by|but|then|with)\b)[\w'-]+ ){0,4}$"
)
_BLOCKING = re.compile(r"(?i)blocked|road ?blocks?")


_OPERATION = re.compile(r"(?i)operations?$")
#: riot acts whose attempt is already violence
_RIOT_ACT = re.compile(r"(?i)vandal|barricad|stone|pelt|torch|smash|ransack")
#: an attempt at looting is the looting ACLED codes ("tried to loot the market, but the stalls
#: were already empty"): the raiders came for the goods
_LOOT_ACT = re.compile(r"(?i)loot|pillag|plunder|ransack")
#: explosives left over from earlier fighting
_LEFTOVER = re.compile(r"(?i)unexploded|uxo|remnants?|ordinance|ordnance")
#: "could be ISWAP", "may be Al Shabaab": a modal that hedges who the actor is, not whether the
#: event happened
_IDENTITY_HEDGE = re.compile(r"\s+(?:also\s+)?be\s+(?-i:[A-Z])")


def _sentence_cues(doc: Document, index: int) -> list[Cue]:
    start, end = doc.sentences[index]
    cues = lexicon().find(doc.text[start:end], start)
    blockers = [
        c for c in cues
        if c.name == "modality" and not (_AUXILIARY.fullmatch(c.text) and _IDENTITY_HEDGE.match(doc.text, c.end))
    ]
    modal = [b for b in blockers if not _is_history(b)]
    history = [b for b in blockers if _is_history(b)]
    names = [(a.span.start, a.span.end) for a in doc.actors if a.sentence == index and a.actor.kind == "named"]
    kept = []
    cues = cues + _captured_places(doc, index, cues)
    for cue in cues:
        if cue.name in ("modality", "background", "capture_verb"):
            continue
        if cue.text[:1].isupper() and any(s <= cue.start and cue.end <= e for s, e in names):
            # "National Liberation Front" names a group; it reports no liberation. A common
            # word the name absorbed ("pro-government reinforcements") still reports what it says.
            continue
        if (
            cue.name in _ATTEMPT_IS_ACT
            or (cue.name == "other" and _ATTEMPT.match(cue.text))
            or (cue.name == "riot" and _RIOT_ACT.search(cue.text))
            or (cue.name == "loot" and _LOOT_ACT.search(cue.text))
        ):
            # "police tried to disperse the crowd": ACLED counts the attempt as intervention,
            # a failed abduction ("attempted to abduct a headman") as Other, and
            # demonstrators who "tried to vandalise the factory" or "to overturn barricades"
            # as a violent demonstration; raiders who "attempted to pillage" a shop came to loot it
            modal_here = [b for b in modal if not _ATTEMPT.match(b.text)]
        else:
            modal_here = modal
        if _blocked(cue, modal_here):
            continue
        if _history(cue, history) and not (cue.name == "ied" and _LEFTOVER.search(cue.text)):
            # (unexploded ordnance is left over from earlier fighting by nature: "an unexploded
            # shell from previous fighting exploded" is today's explosion)
            continue
        if cue.name == "protest" and _BLOCKING.match(cue.text):
            clause = re.split(r"[,;:.]", doc.text[max(start, cue.start - 60) : cue.start])[-1]
            if _ARMED_WORDS.search(clause) or _ARMED_ADJ.search(clause):
                continue  # "an army checkpoint blocked the road": a security measure, no protest
        kept.append(cue)
    carried = [
        c for c in kept
        if (c.name in ("shelling", "grenade") or (c.name == "riot" and _CRUDE_WEAPON.search(c.text)))
        and _ARMED_WITH.search(doc.text[max(start, c.start - 60) : c.start])
    ]
    if carried and any(c.name in _VIOLENCE + ("strict_clash",) and c not in carried for c in kept):
        # "militants armed with rocket launchers and hand grenades stormed the police station",
        # "men armed with machetes and molotov cocktails attacked the protest":
        # weapons they carried, not how they attacked; the storming is the event
        kept = [c for c in kept if c not in carried]
    kept = _drop_equipment(doc.text[start:end], kept)
    calm = [c for c in kept if c.name == "nonviolent"]
    if calm:
        # "pulled out without a fight", "there was no fighting": the fight is denied
        kept = [
            c for c in kept
            if c.name not in ("clash", "strict_clash", "attack") or not any(n.start <= c.start and c.end <= n.end for n in calm)
        ]
    if any(c.name == "protest" for c in kept):
        # "protested against the arrest of their leader": the arrest is what the protest is
        # about, not police action against it
        # the same for violence the protesters denounce ("took to the streets to denounce the
        # offensive", "protested against the killing of a student"): ACLED codes that violence
        # as its own event, and the protest as what the protesters did
        kept = [
            c for c in kept
            if not (
                (c.name in ("intervention", "arrest", "crowd_control") and _PROTEST_OBJECT.search(doc.text[max(start, c.start - 50) : c.start]))
                or (c.name in _VIOLENCE + ("strict_clash",) and _DENOUNCED.search(doc.text[max(start, c.start - 50) : c.start]))
            )
        ]
    return _foreground(doc.text, kept, [c for c in cues if c.name == "background"])


_MEASURES = frozenset({"change", "other", "hq", "agreement", "arrest"})
#: a protest and the arrests made at it are one event: with an arrest its cues stay
_NEVER_BACKGROUND = frozenset({"protest", "crowd_control", "intervention"})
#: background markers that name a charge or a consequence rather than what came before
_CHARGE = re.compile(r"(?i)for|on|over|charged|accused|suspected|convicted|in (?:connection|relation)|causing|sparking|triggering|prompting|leading")


_BODIES = re.compile(r"(?i)\b(?:bod(?:y|ies)|corpses?|remains)\b")


def _foreground(text: str, cues: list[Cue], markers: list[Cue]) -> list[Cue]:
    """Drop the cues of a background phrase when the sentence reports an event of its own.

    "Schools were closed following the killing of two herders", "a curfew was declared after
    the riots": the phrase after "following", "after", "in response to" names the cause, and
    the main clause the event. Only a main clause that reports a measure, a change or an arrest
    (no violence, no protest of its own) sheds them, and a protest stays with the arrests made
    at it; elsewhere the phrase tells how the event
    happened ("a soldier was killed after an IED exploded").
    """
    if not markers:
        return cues
    spans = []
    for m in markers:
        stop = re.search(r"[,;.]", text[m.end : m.end + 90])
        spans.append((m.start, m.end + (stop.start() if stop else 90)))

    def background(c: Cue) -> bool:
        return any(a <= c.start and c.end <= b for a, b in spans)

    # only a measure or a change (a curfew, a deployment, a closure) is told with its cause in
    # such a phrase; "killed after an IED exploded" tells how the violence happened
    if not any(c.name in _MEASURES for c in cues if not background(c)):
        return cues
    measures = [c for c in cues if c.name in _MEASURES and not background(c)]
    if all(_BODIES.search(c.text) for c in measures):
        # "recovered the bodies of five civilians after air raids hit a market": the dead are
        # the violence's toll, and the violence is the event
        return cues
    if any(c.name in lexicon().primary and c.name not in _MEASURES for c in cues if not background(c)):
        return cues
    # "arrested after the protest" is the protest's outcome; "arrested for taking part in a
    # protest" or "arrested, sparking protests" is the arrest alone
    arrests = any(c.name == "arrest" and not background(c) for c in cues)
    after = [(a, b) for (a, b), m in zip(spans, markers) if not _CHARGE.match(m.text)]

    def after_phrase(c: Cue) -> bool:
        return any(a <= c.start and c.end <= b for a, b in after)

    # "entered the town after the rebels pulled out without a fight": the withdrawal says how
    # the place changed hands; it is no cause of another event
    return [
        c for c in cues
        if not background(c) or c.name == "nonviolent" or (arrests and c.name in _NEVER_BACKGROUND and after_phrase(c))
    ]


def _actors_in(doc: Document, sentences: list[int]) -> list[ActorMention]:
    wanted = set(sentences)
    return [a for a in doc.actors if a.sentence in wanted]


#: violent participles that, with no object after them, are a passive without its auxiliary
_PARTICIPLE = re.compile(
    r"(?i)(?:killed|shot|shot dead|wounded|injured|murdered|stabbed|beheaded|hacked(?: to death)?|"
    r"lynched|gunned down|executed|tortured|assassinated|beaten(?: to death)?)"
)
_NO_OBJECT = re.compile(
    r"(?i)\s*(?:dead\s+)?(?!at least|at most|as many|as much|on average)(?:in|during|while|near|at|on|after|following|when|as)\b"
)
#: people off duty or retired are civilians to ACLED, whatever their trade
_OFF_DUTY = re.compile(
    r"(?i)\b(?:off-duty|off duty|retired|former|ex-)\s+(?:\w+\s+)?(?:police\w*|soldiers?|officers?|servicem[ae]n|"
    r"army|military|gendarmes?|troops?|members?)"
)


def _victim_kind(text: str) -> str:
    """'civilian', 'armed' or 'unknown' for the words naming who was harmed."""
    if _OFF_DUTY.search(text):
        return "civilian"
    armed = _ARMED_WORDS.search(text)
    civilian = _CIVILIAN_WORDS.search(text)
    if armed and (not civilian or armed.start() < civilian.start()):
        return "armed"
    if civilian:
        return "civilian"
    return "unknown"


_TARGET_PREPOSITIONS = frozenset({"on", "against", "targeting", "at", "upon", "toward", "towards", "with"})
_CLIMB_PREPOSITIONS = frozenset({"of", "among", "including"})


def _span_root(sd: object, start: int, end: int) -> Any | None:
    """The syntactic root token of the characters ``[start, end)`` of spaCy's doc ``sd`` (the
    span widened to whole tokens), or None without a parse."""
    if sd is None:
        return None
    span = sd.char_span(start, end, alignment_mode="expand")  # type: ignore[attr-defined]
    return None if span is None else span.root


def _dep_role(sd: object, start: int, end: int) -> str | None:
    """'agent' or 'patient' for the actor at ``[start, end)`` from spaCy's parse, or None.

    Climbs from the span's head through possessives, compounds and "members of X" to the
    clause it belongs to: "four members of Tahrir were killed" (passive subject: patient),
    "killed by unknown raiders' gun fire" (possessor of a "by" agent: agent), "an attack on
    Tahrir's base" (target of "on": patient).
    """
    tok = _span_root(sd, start, end)
    if tok is None:
        return None
    for _ in range(8):
        dep = tok.dep_
        head = tok.head
        if head is tok:
            return None
        if dep in ("nsubj", "csubj"):
            return "agent"
        if dep in ("nsubjpass", "dobj", "attr", "oprd", "dative"):
            return "patient"
        if dep == "agent":
            return "agent"
        if dep == "pobj":
            prep = head.lower_
            if prep == "by":
                return "agent"
            if prep in _TARGET_PREPOSITIONS:
                return "patient"
            if prep in _CLIMB_PREPOSITIONS:
                tok = head.head
                continue
            return None
        if dep in ("poss", "compound", "amod", "nmod", "appos", "conj", "nummod", "det"):
            tok = head
            continue
        return None
    return None


def _clause_head(sd: object, start: int, end: int) -> object | None:
    """The verb whose subject, object or agent the actor at ``[start, end)`` is (climbing as
    :func:`_dep_role` does), or None."""
    tok = _span_root(sd, start, end)
    if tok is None:
        return None
    for _ in range(8):
        dep, head = tok.dep_, tok.head
        if head is tok:
            return None
        if dep in ("nsubj", "csubj", "nsubjpass", "dobj", "agent"):
            return head
        if dep == "pobj":
            if head.lower_ == "by" and head.dep_ == "agent":
                return head.head
            tok = head.head if head.dep_ in ("prep", "agent") else head
            if tok.pos_ in ("VERB", "AUX"):
                return tok
            continue
        if dep in ("poss", "compound", "amod", "nmod", "appos", "conj", "nummod", "det"):
            tok = head
            continue
        return None
    return None


def _is_armed(actor: Actor) -> bool:
    return actor.inter in (1, 2, 3, 4, 8)


_HARM = re.compile(
    r"(?i)kill|shot|shoot|gun|murder|assassin|hack|stab|behead|slaughter|massacr|execut|lynch|"
    r"beat|tortur|injur|wound|burn|fire|whip|flog|dead|death"
)
_INTERCEPTION = re.compile(r"(?i)shot down|shoot down|intercept|air defen|downed")
_CASUALTY = re.compile(r"(?i)kill|wound|injur|dead|died")
_CRUDE_WEAPON = re.compile(r"(?i)crude|cocktail|country-made|hand-?made|petrol bomb|molotov")
_GENERIC_EXPLOSION = re.compile(
    r"(?i)(?:an? |the )?(?:blasts?|explosions?|detonated|detonating|went off|bombs?|bombings?|exploded)"
)
_STRONG_RIOT = re.compile(
    r"(?i)riot(?! police)|rampag|pelt|stone|rock|brick|bottle|molotov|petrol|crude|cocktail|country-made|hand-?made|barricad|tyre|tire|violent|clash|"
    r"bonfire|fires? (?:on|to) (?:a |the )?(?:roads?|streets?|highways?)"
)


#: words that make a group organised or armed, whatever label the actors stage gave it
_ORGANISED = re.compile(
    r"(?i)\barmed\b|extremis|cartel|gangs?\b|service|government|coalition|revolutionary|"
    r"liberation|army|guards?\b|brigades?|battalions?|defen[cs]e force"
)


_CROWD_WORDS = re.compile(
    r"(?i)\b(?:youths?|locals|hawkers|vendors|traders|students|supporters|activists|cadres|workers|"
    r"spectators|fans|mobs?|crowds?|rioters|villagers from|residents of)\b"
)
_SMALL_ARMS = re.compile(
    r"(?i)small[- ]arms|(?<!heavy )(?<!heavy-)(?<!large-calibre )(?<!large-caliber )(?<!mm )(?<!caliber )(?<!calibre )machine ?guns?|sniper|"
    r"(?<!anti-tank )(?<!recoilless )rifles?\b|gunfire|exchange of fire|fire ?fights?|gun ?battles?"
)
_FIREARMS = re.compile(
    r"(?i)firearms?|\bguns?\b|gunfire|gunshots?|gun ?battles?|\brifles?\b|\bak-?47s?|armed clash|opened fire|open fire|"
    r"exchange of fire|exchanged fire|shot dead|shootout"
)
#: words that report people killed or hurt (or taken); their absence makes an event harmless
_PEOPLE_HARM = re.compile(
    r"(?i)\bkill|\bshot\b|\bshoot|assassinat|gunfire|\bdead\b|\bdeath|\bdied\b|\bdies\b|injur|wound|\bhurt|murder|behead|stabb|\bbeat|tortur|"
    r"\brap(?:e|ed|ing)\b|hostage|abduct|kidnap|casualt|causalit|victims?\b|bod(?:y|ies)\b|shot (?:dead|and)|"
    r"gunned down|lynch|massacr|execut|assault|hospitali|fatalit|lost (?:their|his|her) li"
)
_NO_CASUALTIES = re.compile(
    r"(?i)\bno (?:\w+ ){0,2}(?:casualties|causalities|injuries|fatalities|deaths|victims)|"
    r"\bwithout (?:causing )?(?:any )?(?:casualties|injuries)|\b(?:nobody|no one|no-one) was (?:hurt|injured|killed|harmed)"
)
_PROPERTY = (
    r"(?:houses?|homes?|huts?|residences?|compounds?|offices?|schools?|classrooms?|hotels?|shops?|stores?|"
    r"markets?|churche?s?|mosques?|temples?|shrines?|vehicles?|cars?|trucks?|buses|motorcycles?|"
    r"motorbikes?|buildings?|premises|properties|property|farms?|crops|granar(?:y|ies)|warehouses?|"
    r"factor(?:y|ies)|towers?|antennas?|masts?|pylons?|bridges?|plants?|facilit(?:y|ies)|"
    r"centers?|centres?|parks?|depots?|dispensar(?:y|ies)|clinics?|health cent(?:er|re)s?)"
)
_PROPERTY_AFTER = re.compile(
    r"\s*(?:and \w+ )?(?:on |at |upon |into )?(?:the |a |an |two |three |several |some |\d+ )?(?:[\w'-]+ ){0,3}?" + _PROPERTY + r"\b",
    re.I,
)
#: verbs of violence that can fall on things; a raid or a storming is often a search
_PROPERTY_VERB = re.compile(r"(?i)attack|fire|shot|shoot|burn|torch")
_PROPERTY_BEFORE = re.compile(_PROPERTY + r"\W+(?:[\w-]+\W+){0,4}?(?:was|were|been|being)\s+(?:\w+ly\s+)?$", re.I)


_GUN_VERB = re.compile(r"(?i)fire|shot|shoot|gun|assassinat")
_ARMED_ADJ = re.compile(r"(?i)\barmed\b|\bgunm[ae]n\b")


def _crowd_does(doc: Document, v: Cue, first_start: int, actor_mentions: list[ActorMention]) -> bool:
    """Whether the violence of cue ``v`` is done by an unorganised crowd and by no armed actor.

    The actors stage names party supporters, student wings and crowds as Rioters (inter 5) or
    Protesters (6); when one of them is the subject of the violent verb ("supporters of the
    party assaulted a candidate"), ACLED codes the violence as a riot (mob violence), not as
    an armed group's attack.
    """
    crowd = False
    for a in actor_mentions:
        if a.span.start < first_start or a.span.end > v.start or v.start - a.span.end > 80:
            continue
        between = doc.text[a.span.end : v.start]
        if re.search(r"[;:]|\bwho\b|\bafter\b|\bwhen\b|\bwhile\b", between):
            continue
        role = _dep_role(doc.spacy_doc, a.span.start, a.span.end)
        if role == "patient" or _PASSIVE_BEFORE.search(doc.text[max(first_start, v.start - 40) : v.start]):
            continue
        if _is_armed(a.actor):
            return False
        words = doc.text[a.span.start : a.span.end]
        if a.actor.inter in (5, 6) and not (_ARMED_WORDS.search(words) or _ORGANISED.search(words)):
            crowd = True
    return crowd


#: what a crowd does with its hands: storming, assaulting, beating (not a killing it protests)
_CROWD_ACT = re.compile(r"(?i)(?:storm(?:s|ed|ing)?|assault(?:s|ed)?|attack(?:s|ed)?|beat(?:en)?|stabbed|hacked)\b")


def _crowd_act(doc: Document, draft: _Draft, first_start: int, actor_mentions: list[ActorMention]) -> bool:
    """Whether the demonstrators themselves storm or assault someone or something.

    "Pupils stormed the district office before police scattered them", "party youths marched
    and assaulted a reporter": the subject of the violent verb is the crowd,
    not the police, and the verb is an act, not an intent ("heading to the hotel to storm a
    workshop") or the killing the crowd protests.
    """
    for c in draft.cues:
        if c.name != "attack" or not _CROWD_ACT.match(c.text):
            continue
        before = doc.text[max(first_start, c.start - 80) : c.start]
        if re.search(r"(?i)\bto\s+$", before) or _PASSIVE_BEFORE.search(before):
            continue
        clause = re.split(r"[,;:.]", before)[-1]
        if _SECURITY_SUBJECT.search(clause) or _ARMED_WORDS.search(clause) or _ARMED_ADJ.search(clause):
            continue
        if _PEOPLE_OF_PROTEST.search(clause) or _CROWD_WORDS.search(clause) or _crowd_does(doc, c, first_start, actor_mentions):
            return True
    return False


_PROTEST_PEOPLE = (
    r"(?:protesters?|protestors?|demonstrators?|marchers?|rall(?:y|ies)|protests?|demonstrations?|"
    r"crowds?|gatherings?|mourners|sit-?in|march|picket|(?:the |those )?(?:\w+ )?(?:protesting|demonstrating|marching))"
)
#: a violent verb whose object is the protest: "fired on the protesters", "assaulted the rally"
_ON_PROTEST_AFTER = re.compile(
    r"\s*(?:at |on |upon |into |against |towards )?(?:the |a |an |some |several |\d+ |[a-z]+ )?(?:[\w-]+ ){0,6}?" + _PROTEST_PEOPLE + r"\b",
    re.I,
)
#: the protesters as the passive subject: "protesters were attacked", "demonstrators were shot"
_ON_PROTEST_BEFORE = re.compile(_PROTEST_PEOPLE + r"\W+(?:[\w-]+\W+){0,4}?(?:was|were|been|being|got)\s+(?:\w+ly\s+)?$", re.I)
_FORCE_VERB = re.compile(r"(?i)assault|attack|beat|shot|shoot|fire|stab|kill|injur|wound|hack|whip|club|charg|hit|ran over|rammed")
#: force that kills or seriously injures: ACLED's excessive force against protesters
_LETHAL = re.compile(
    r"(?i)\bkill|shot dead|\bdied\b|\bdead\b|death|live (?:ammunition|rounds|bullets|fire)|gunshot|gunfire|"
    r"\bshot\b|\bshoot|open(?:ed)? fire|fired (?:at|on|into|shots|live)|stabb|sharp|machete|seriously|"
    r"critically|severely|hospitali[sz]ed|fractur"
)


_SECURITY_SUBJECT = re.compile(
    r"(?i)\b(?:police(?:men| officers?| forces)?|security forces|soldiers|troops|army|gendarmes?|officers|"
    r"riot police|military)\b"
)
_PEOPLE_OF_PROTEST = re.compile(r"(?i)protesters?|protestors?|demonstrators?|marchers?|crowds?|students|youths|rioters")
_POLICE_SEVERE = re.compile(r"(?i)injur|wound|\bbeat|clobber|hospitali|\bbled|bleeding|fractur")


_DURING_PROTEST = re.compile(
    r"(?i)^[^.;]*?\b(?:during|at|in the course of) (?:the |their |a |an |its )?(?:[\w-]+ ){0,2}"
    r"(?:protests?|demonstrations?|rall(?:y|ies)|march(?:es)?|sit-?ins?)\b"
)


def _force_on_protest(doc: Document, draft: _Draft, first_start: int) -> set[str]:
    """``{"intervention"}`` or ``{"excessive"}`` when someone uses force on the protesters.

    ACLED codes a protest whose participants are attacked (by police, by a rival party's
    supporters, by unknown men) as a protest met with intervention, and as excessive force when
    that force is lethal or seriously injures; the attacker is not a separate event.
    """
    out: set[str] = set()
    for c in draft.cues:
        if c.name != "attack" or not _FORCE_VERB.search(c.text):
            continue
        before = doc.text[max(first_start, c.start - 60) : c.start]
        after = doc.text[c.end : c.end + 60]
        if re.match(r"\s*(?:\w+ ){0,3}?in(?:to)? the air", after, re.I) or (
            re.search(r"\bin(?:to)?$", c.text, re.I) and re.match(r"\s*the air\b", after, re.I)
        ):
            # warning shots are crowd control, not force on the protesters: an intervention
            out.add("intervention")
            continue
        start = doc.sentences[[i for i in draft.sentences if doc.sentences[i][0] <= c.start][-1]][0]
        end = doc.sentences[draft.sentences[-1]][1]
        on_protesters = bool(
            _ON_PROTEST_AFTER.match(after) and not _PASSIVE_BEFORE.search(before) or _ON_PROTEST_BEFORE.search(before)
        )
        # the police using force at a protest ("Police, who were dispersing the crowd, shot and
        # killed a bystander"): their force is on the protest whoever it hit
        lead = doc.text[max(start, c.start - 80) : c.start]
        police = _SECURITY_SUBJECT.search(lead)
        # a relative clause between the subject and its verb ("Police, who were dispersing the
        # crowd, shot ...") does not change who shot
        between = re.sub(r",[^,]*,", " ", lead[police.end() :]) if police else ""
        by_police = bool(police) and not _PEOPLE_OF_PROTEST.search(between) and not _PASSIVE_BEFORE.search(before)
        # "unidentified persons shot and injured five students during their protest"
        during = _DURING_PROTEST.search(doc.text[c.end : c.end + 120]) and not _PEOPLE_OF_PROTEST.search(
            re.split(r"[,;:.]", doc.text[max(start, c.start - 60) : c.start])[-1]
        )
        if on_protesters or by_police or during:
            lethal = _LETHAL.search(c.text) or _LETHAL.search(doc.text[start:end])
            # state forces that injure or beat protesters overreach; a rival crowd's beating
            # without weapons stays an intervention
            severe = by_police and _POLICE_SEVERE.search(doc.text[start:end])
            out.add("excessive" if lethal or severe else "intervention")
    if "excessive" in out:
        out.discard("intervention")
    return out


# searched in a mention's whole text, each behind a cheap test for the strings its matches
# need: most texts have none of them
_CROWD_WORDS_P, _SMALL_ARMS_P, _PEOPLE_HARM_P = map(Prefiltered, (_CROWD_WORDS, _SMALL_ARMS, _PEOPLE_HARM))


def _derived_cues(
    doc: Document,
    draft: _Draft,
    violent: list[Cue],
    first_start: int,
    last_end: int,
    actor_mentions: list[ActorMention],
) -> set[str]:
    """Pseudo-cues read off the cues and their context, for :func:`classify`.

    * ``harm``: some violent cue names harm to people (killed, shot, beaten), not only an
      "attack" or a "raid";
    * ``strong_riot``: a riot cue that only crowds produce (stones, barricades, rioting), not
      property damage that anyone can do;
    * ``civilian_doers``: the violence is done by unarmed people (traders, youths, villagers)
      and no armed actor is named as doing it: ACLED's mob violence.
    """
    out: set[str] = set()
    if any(c.name == "attack" and _HARM.search(c.text) for c in draft.cues):
        out.add("harm")
    text = doc.text[first_start:last_end]
    folded = fold(text)
    if any(c.name in ("clash", "strict_clash") for c in draft.cues) and _CROWD_WORDS_P.search(text, folded):
        # youths, traders or party cadres fighting each other or the police: unorganised
        # crowds, a riot (ACLED's mob violence), unless an armed group is among them
        if not any(a.actor.inter in (2, 3, 4, 8) for a in actor_mentions):
            out.add("crowd_clash")
    if _SMALL_ARMS_P.search(text, folded):
        out.add("small_arms")
    if _FIREARMS.search(text):
        out.add("firearms")
    unhurt = bool(_NO_CASUALTIES.search(text)) or not _PEOPLE_HARM_P.search(text, folded)
    if unhurt:
        out.add("unhurt")
        for c in draft.cues if not any(c.name == "clash" for c in draft.cues) else ():
            if c.name == "attack" and _PROPERTY_VERB.search(c.text) and (
                _PROPERTY_AFTER.match(doc.text[c.end : c.end + 60])
                or _PROPERTY_BEFORE.search(doc.text[max(first_start, c.start - 60) : c.start])
            ):
                # "gunmen attacked a clinic and burned a car; no one was hurt": the
                # violence fell on property only
                out.add("property_attack")
                break
    # "ELN fighters clashed with troops": a clash with soldiers is a crowd's only when no
    # organised armed group is named with it
    organised = any(a.actor.inter in (2, 3, 4, 8) for a in actor_mentions)
    if any(
        c.name == "riot" and _STRONG_RIOT.search(c.text) and not (organised and c.text.lower().startswith("clash"))
        for c in draft.cues
    ):
        out.add("strong_riot")
        riots = [c for c in draft.cues if c.name == "riot"]
        if all(_CRUDE_WEAPON.search(c.text) for c in riots) and not any(c.name == "protest" for c in draft.cues):
            # crude bombs or molotovs thrown at a house with no demonstration in sight: a mob's
            # (or gang's) attack, ACLED's mob violence
            out.add("crude_attack")
    disrupt = [c for c in draft.cues if c.name == "disrupt"]
    if disrupt and all(_INTERCEPTION.search(c.text) for c in disrupt) and any(
        c.name == "attack" and _CASUALTY.search(c.text) for c in draft.cues
    ):
        # air defences downed some of the rockets, and the others killed or wounded people
        out.add("interception")
    ied = [c for c in draft.cues if c.name == "ied"]
    if ied and all(_GENERIC_EXPLOSION.fullmatch(c.text) for c in ied):
        # "the grenade blast", "explosions observed": the blast is the other weapon's
        out.add("generic_explosion")
    if violent:
        v = violent[0]
        # "Sahel Civilian Watch is alarmed by the killing": an organisation's name says who
        # speaks, not who did the violence
        before = _ORG_NAME.sub(lambda m: " " * len(m.group()), doc.text[max(first_start, v.start - 60) : v.start])
        agent = re.match(r"\s*(?:\w+\s+){0,3}?by\s+((?:\w+\s+){0,6}\w+)", doc.text[v.end : min(last_end, v.end + 70)], re.I)
        # a gun makes its bearer armed: "two men opened fire" is an armed group's attack
        gun = bool(_GUN_VERB.search(v.text))
        if agent and _CIVILIAN_WORDS.search(agent.group(1)) and not _ARMED_WORDS.search(agent.group(1)) and not _ARMED_ADJ.search(agent.group(1)):
            if not gun:
                out.add("civilian_doers")
        elif not _PASSIVE_BEFORE.search(before):
            clause = re.split(r"[,;:]", before)[-1]
            armed_doer = any(
                _is_armed(a.actor) and a.span.end <= v.start and a.span.start >= v.start - 60
                for a in actor_mentions
            )
            if (
                _CIVILIAN_WORDS.search(clause)
                and not _ARMED_WORDS.search(clause)
                and not _ARMED_ADJ.search(clause)
                and not armed_doer
                and not gun
            ):
                out.add("civilian_doers")
        if "civilian_doers" not in out and _crowd_does(doc, v, first_start, actor_mentions):
            out.add("civilian_doers")
    return out


def classify(names: set[str], *, target: str, protest_context: bool, actor_kinds: set[int]) -> str | None:
    """ACLED sub-event type for a mention with cue families ``names``, by the hierarchy.

    ``target`` says who was harmed ("civilian", "armed", "unknown"); ``actor_kinds`` are the inter
    codes of the actors named with the mention.

    >>> classify({"air", "shelling"}, target="armed", protest_context=False, actor_kinds=set())
    'Air/drone strike'
    >>> classify({"protest", "intervention"}, target="unknown", protest_context=True, actor_kinds=set())
    'Protest with intervention'
    """
    n = set(names)
    armed_actor = bool(actor_kinds & {1, 2, 3, 4, 8})
    if "generic_explosion" in n and n & {"grenade", "shelling", "air", "suicide", "chemical"}:
        n.discard("ied")
    # Weapons disrupted before use are not attacks: "soldiers defused an IED".
    # ... unless the attack got through and hurt people: "shelled the city, killing two; air
    # defences shot down several rockets" is the shelling
    if "disrupt" in n and "strict_clash" not in n and not ("interception" in n and "harm" in n and n & {"shelling", "air"}):
        return "Disrupted weapons use"
    # Territory: only a capture or recapture that the text reports counts.
    if "regain" in n and (armed_actor or n & {"clash", "strict_clash"}) and 1 in actor_kinds:
        return "Government regains territory"
    if "overtake" in n or "regain" in n:
        # "took control after storming the police station; officers withdrew": the withdrawal
        # came under attack, a capture by force
        if "nonviolent" in n and not n & {"strict_clash", "attack"}:
            return "Non-violent transfer of territory"
        if "attack" in n and "overtake" in n and 1 not in actor_kinds:
            return "Non-state actor overtakes territory"
        if 1 in actor_kinds and "regain" in n:
            return "Government regains territory"
        if n & {"clash", "strict_clash", "harm"} or ("attack" in n and target == "armed"):
            return "Non-state actor overtakes territory"
        return "Non-violent transfer of territory"
    if protest_context:
        # excessive force meets *peaceful* protesters; when the demonstrators riot (stones,
        # arson, barricades), ACLED codes the violent demonstration whatever force answered it
        if "excessive" in n and "strong_riot" not in n:
            return "Excessive force against protesters"
        if n & {"riot", "crowd_riot"} and "protest" in n:
            return "Violent demonstration"
        if n & {"clash", "strict_clash"} and "protest" in n:
            # demonstrators fighting the police or a rival camp: the demonstration turned violent
            return "Violent demonstration"
        if n & {"intervention", "stun_grenade"} or ("arrest" in n):
            return "Protest with intervention"
        if "mob" in n and "protest" in n:
            return "Violent demonstration"
        if "protest" in n:
            return "Peaceful protest"
    if "chemical" in n:
        return "Chemical weapon"
    # forces that walk into a town the other side left, or meet no resistance there
    if "entry" in n and "nonviolent" in n and not n & set(_VIOLENCE) - {"regain", "overtake"} and "strict_clash" not in n:
        return "Non-violent transfer of territory"
    # An airstrike or shelling during a ground battle is a battle.
    # small arms fired with the shells are direct fire: the ground fight is the event
    ground = "strict_clash" in n or ("small_arms" in n and "shelling" in n and "air" not in n)
    # (civilians named as witnesses do not make two armies' clash an attack on them)
    two_sides = len(actor_kinds & {1, 2, 3, 4, 8}) >= 2
    if ground and n & {"air", "shelling", "ied", "grenade"} and (target != "civilian" or two_sides):
        if "suicide" not in n and not ("air" in n and "strict_clash" not in n):
            return "Armed clash"
    for name, label in (
        ("air", "Air/drone strike"),
        ("suicide", "Suicide bomb"),
        ("shelling", "Shelling/artillery/missile attack"),
        ("ied", "Remote explosive/landmine/IED"),
        ("grenade", "Grenade"),
    ):
        if name in n:
            return label
    if "crude_attack" in n:
        return "Mob violence"
    if "crowd_clash" in n and "firearms" not in n and not n & {"air", "shelling", "ied", "grenade", "suicide"}:
        return "Mob violence"
    if "mob" in n:
        # groups that fight with guns are armed groups, not a mob (communal militias, gangs)
        if "firearms" in n and n & {"clash", "strict_clash"}:
            return "Armed clash"
        # members of a cartel, a rebel group or a militia that clash with the police or troops
        # are organised: an armed clash, not a mob (two parties' militants with machetes stay
        # a mob)
        if n & {"clash", "strict_clash"} and 1 in actor_kinds and actor_kinds & {2, 3, 4, 8}:
            return "Armed clash"
        return "Mob violence"
    if "strong_riot" in n and not n & {"clash", "attack", "abduction", "sexual"}:
        return "Violent demonstration"
    if "civilian_doers" in n and n & {"attack", "riot", "clash"} and not armed_actor:
        return "Mob violence"
    if "strong_riot" in n:
        return "Violent demonstration"
    if n & {"loot", "riot"} and "harm" not in n and not n & {"abduction", "sexual", "strict_clash"}:
        return "Looting/property destruction"
    if "property_attack" in n and not n & {"abduction", "sexual", "strict_clash"}:
        # an attack that harmed no one and fell on buildings or goods
        return "Looting/property destruction"
    if "arrest" in n and "unhurt" in n and not n & ({"abduction", "sexual", "strict_clash"} | set(_EXPLOSIVE)):
        # "troops raided a village and arrested ten men": a raid that hurt no one is the arrest
        return "Arrests"
    if "sexual" in n:
        return "Sexual violence"
    if n & {"clash", "strict_clash"}:
        if target == "civilian" and "strict_clash" not in n:
            return "Attack"
        return "Armed clash"
    if "abduction" in n and "harm" not in n:
        return "Abduction/forced disappearance"
    if "attack" in n:
        if target == "armed":
            return "Armed clash"
        return "Attack"
    if "abduction" in n:
        return "Abduction/forced disappearance"
    for name, label in (
        ("coup", "Other"),
        ("agreement", "Agreement"),
        ("hq", "Headquarters or base established"),
        ("loot", "Looting/property destruction"),
        ("arrest", "Arrests"),
        ("change", "Change to group/activity"),
        ("other", "Other"),
    ):
        if name in n:
            return label
    if "protest" in n:
        return "Peaceful protest"
    return None


def _is_verb(sd: object, cue: Cue) -> bool:
    span = sd.char_span(cue.start, cue.end, alignment_mode="expand") if sd is not None else None  # type: ignore[attr-defined]
    return span is not None and span.root.pos_ == "VERB"


def _is_past_act(sd: object, cue: Cue) -> bool:
    """Whether ``cue`` is a verb in the past ("abducted", "were shot"), an act that happened,
    rather than a noun of a general statement ("kidnappings are a business")."""
    span = sd.char_span(cue.start, cue.end, alignment_mode="expand") if sd is not None else None  # type: ignore[attr-defined]
    return span is not None and any(t.tag_ in ("VBD", "VBN") for t in span)


def _trigger_of(cues: list[Cue], label: str, sd: object = None) -> Cue:
    """The cue that best stands for the chosen type (used for evidence and argument roles)."""
    wanted = {
        "Government regains territory": ("regain", "overtake"),
        "Non-state actor overtakes territory": ("overtake",),
        "Non-violent transfer of territory": ("overtake", "regain", "entry"),
        "Armed clash": ("strict_clash", "clash", "attack"),
        "Excessive force against protesters": ("protest",),
        "Protest with intervention": ("protest", "crowd_control"),
        "Peaceful protest": ("protest",),
        "Violent demonstration": ("protest", "riot"),
        "Mob violence": ("mob", "riot", "attack"),
        "Chemical weapon": ("chemical",),
        "Air/drone strike": ("air",),
        "Suicide bomb": ("suicide",),
        "Shelling/artillery/missile attack": ("shelling",),
        "Remote explosive/landmine/IED": ("ied",),
        "Grenade": ("grenade",),
        "Sexual violence": ("sexual",),
        "Attack": ("attack", "clash"),
        "Abduction/forced disappearance": ("abduction",),
        "Agreement": ("agreement",),
        "Arrests": ("arrest",),
        "Change to group/activity": ("change",),
        "Disrupted weapons use": ("disrupt",),
        "Headquarters or base established": ("hq",),
        "Looting/property destruction": ("loot",),
        "Other": ("coup", "other"),
    }[label]
    for name in wanted:
        named = [cue for cue in cues if cue.name == name]
        if named:
            # "were killed when militants attacked a police station": the act, not its toll,
            # stands for a battle (and decides who acted)
            if label == "Armed clash":
                acts = [c for c in named if not _TOLL.match(c.text)] or named
                # a verb ("attacked a police station") before a noun ("the Lakki Marwat attack")
                return next((c for c in acts if _is_verb(sd, c)), acts[0])
            return named[0]
    return cues[0]


class EventFinder:
    """The events stage, built once: lexicon compiled, helpers of other stages bound."""

    def __init__(self, config: PipelineConfig) -> None:
        from eventcoder import actors as actors_mod
        from eventcoder import fatalities as fatalities_mod
        from eventcoder import places as places_mod

        self.config = config
        self.codebook = codebook()
        self._resolve_actor = actors_mod.resolve_actor
        self._choose_place = places_mod.choose_place
        self._event_fatalities = fatalities_mod.event_fatalities
        lexicon()

    # -- drafting ---------------------------------------------------------------------------

    def _drafts(self, doc: Document) -> list[_Draft]:
        drafts: list[_Draft] = []
        place_sentences = {p.sentence for p in doc.places if p.place.feature != "country"}
        date_sentences = {d.sentence for d in doc.dates if not d.reported}
        any_date_sentences = {d.sentence for d in doc.dates}
        count_sentences = {f.sentence for f in doc.fatalities}
        # An article about a game or a disaster uses the words of violence figuratively or for
        # natural deaths; there only the unmistakable cues (bombs, airstrikes) start an event.
        texts = [doc.text[a:b] for a, b in doc.sentences]
        hits = sum(1 for t in texts if _NON_CONFLICT.search(t))
        non_conflict_article = hits >= max(2, 0.3 * len(texts)) or bool(_OPINION.match(doc.text))
        armed_in_text = any(_is_armed(a.actor) and not _SPEAKER.match(doc.text, a.span.end) for a in doc.actors)
        # a brief about a match, an epidemic or a crime at home ("... his wife was found
        # stabbed. The couple had a history of domestic disputes."): one such sentence sets the
        # whole brief's topic when no armed actor takes part, and its words of violence are no
        # event; its measures and protests still are
        quiet_brief = not armed_in_text and (
            (hits and len(texts) <= 3) or any(_DISEASE.search(t) for t in texts)
        )
        headline = _is_headline(doc)
        #: the first act of violence left out below for want of an anchor of its own
        unanchored: tuple[int, list[Cue]] | None = None
        for index in range(len(doc.sentences)):
            cues = _sentence_cues(doc, index)
            if not cues:
                continue
            start, end = doc.sentences[index]
            sentence_text = doc.text[start:end]
            primary = [c for c in cues if c.name in lexicon().primary]
            weak_only = {c.name for c in primary} <= {
                "attack", "clash", "other", "loot", "riot", "change", "shelling", "protest", "crowd_control"
            }
            if non_conflict_article and weak_only:
                continue
            if quiet_brief and primary and {c.name for c in primary} <= _WEAK_VIOLENCE | (
                {"arrest"} if hits else set()
            ):
                # (a murder charge at the end of a crime at home is no political arrest)
                continue
            if weak_only and _NON_CONFLICT.search(sentence_text) and not any(
                _is_armed(a.actor) and not _SPEAKER.match(doc.text, a.span.end)
                for a in _actors_in(doc, [index])
            ):
                # "floods killed 20", "a penalty shootout", "destroyed their rivals": the words of
                # violence with a disaster or a game, and no armed actor, report no event
                primary = [c for c in primary if c.name in ("mob", "protest")]
                cues = [c for c in cues if c.name in ("mob", "protest", "intervention")]
                if not primary:
                    continue
            previous = drafts[-1] if drafts else None
            own_place = index in place_sentences
            follows = previous is not None and index - previous.sentences[-1] <= 1
            if previous is not None and previous.sentences == [0] and headline:
                # the body tells the headline's event again, with its places and days: the lede
                # starts its own events (a headline's event goes when the body repeats it)
                previous = None
                follows = False
            # a follow-up on the harm done that names again only the places of the event before
            # ("In Nakuru, a man was shot dead ... Three others were treated for gunshot wounds
            # at the Nakuru hospital") adds to it
            new_place = own_place and (
                previous is None
                or not {c.name for c in primary} <= {"attack", "clash"}
                or not {
                    p.place.geonameid or p.place.name
                    for p in doc.places
                    if p.sentence == index and p.place.feature != "country"
                } <= {
                    p.place.geonameid or p.place.name
                    for p in doc.places
                    if p.sentence in previous.sentences and p.place.feature != "country"
                }
            )
            # police action against a crowd right after a protest is that protest's outcome,
            # even when the sentence repeats the place or gives the day
            now = {c.name for c in primary}
            # the capture that ends a battle is that battle's outcome ("... clashed in X. The
            # village was liberated."): one event, typed by the capture
            territory_outcome = bool(now & {"regain", "overtake"}) and now <= {"regain", "overtake", "clash", "attack"} and bool(
                previous is not None and previous.names & {"clash", "strict_clash"} and not previous.names & {"regain", "overtake"}
            )
            # (the force the police used with it, "beat them", "injured", is part of that action)
            crowd_outcome = now <= {"crowd_control", "arrest", "protest", "attack"} and bool(now & {"crowd_control", "arrest"}) and bool(
                previous is not None and previous.names & {"protest", "crowd_control"}
            )
            if crowd_outcome and previous is not None:
                # an arrest on another day than the protest's is an event of its own
                days = {d.date for d in doc.dates if d.sentence == index and not d.reported}
                protest_days = {d.date for d in doc.dates if d.sentence in previous.sentences and not d.reported}
                crowd_outcome = not (days and protest_days and days.isdisjoint(protest_days))
            # police action against the crowd a sentence or two after the protest still belongs
            # to it ("They blocked the highway. ... Seven youths were arrested by police.")
            near = previous is not None and index - previous.sentences[-1] <= 2
            # a day of its own starts a new event, unless it is the day the event before already
            # has ("... said Tuesday." then "The attackers arrived shortly after midnight Tuesday")
            new_day = index in date_sentences and (
                previous is None
                or not {d.date for d in doc.dates if d.sentence == index and not d.reported}
                <= {d.date for d in doc.dates if d.sentence in previous.sentences}
            )
            if previous is not None and (follows or (near and crowd_outcome)) and (
                not primary
                or crowd_outcome
                or (follows and territory_outcome)
                or (not new_place and not new_day and self._continues(previous, primary))
            ):
                previous.sentences.append(index)
                previous.cues.extend(cues)
                continue
            if not primary:
                continue
            actor_named = any(a.actor.kind in ("named", "state") for a in _actors_in(doc, [index]))
            measure_only = {c.name for c in primary} <= {"change", "other", "hq", "agreement"}
            if len(doc.sentences) > 3 and not (
                own_place
                or index in any_date_sentences
                or index in count_sentences
                or (actor_named and not _PERFECT.search(sentence_text) and not measure_only)
            ):
                # in a full article, a sentence with no place, date or count of its own is a
                # generic statement ("massacres have become routine"), not an event report; a
                # brief of a few sentences is itself the report, anchored or not. A named actor
                # anchors violence, but a measure or movement needs a place or a date ("security
                # forces arrived" after an attack is no new event)
                if unanchored is None and not measure_only and not _PERFECT.search(sentence_text) \
                        and any(c.name in _VIOLENCE and _is_past_act(doc.spacy_doc, c) for c in primary):
                    unanchored = (index, cues)
                continue
            parts = _clause_parts(doc, index, cues)
            for lo, hi in parts:
                mine = [c for c in cues if lo <= c.start < hi]
                first = next(c for c in mine if c.name in lexicon().primary)
                drafts.append(_Draft([index], mine, first, own_place, clause=(lo, hi)))
            if not parts:
                drafts.append(_Draft([index], list(cues), primary[0], own_place))
        if not drafts and unanchored is not None:
            # a text that reports no other event is about this one: its place, day or count
            # may stand in a sentence of their own ("Gunmen abducted two nuns. No injuries were
            # reported. Location: the town of X")
            index, cues = unanchored
            primary = [c for c in cues if c.name in lexicon().primary]
            drafts.append(_Draft([index], list(cues), primary[0], index in place_sentences))
        return drafts

    @staticmethod
    def _continues(previous: _Draft, primary: list[Cue]) -> bool:
        """A placeless follow-up sentence adds to the event before it when it is compatible."""
        names = {c.name for c in primary}
        before = previous.names
        if names <= {"attack", "clash"} and before & set(_VIOLENCE + _DEMONSTRATION):
            return True
        if names & set(_DEMONSTRATION) and before & set(_DEMONSTRATION):
            return True
        if names & set(_EXPLOSIVE) and before & set(_EXPLOSIVE):
            return True
        if names <= {"air", "shelling"} and before & {"clash", "strict_clash"}:
            # "Troops, backed by a fighter jet, pushed them back": air support in a ground
            # battle is part of the battle (CODEBOOK.md sec. 2)
            return True
        if names <= {"arrest", "loot", "other", "abduction", "change"} and before & set(_VIOLENCE + _DEMONSTRATION):
            return True
        if names <= {"disrupt"} and "change" in before:
            # "conducted a ground operation ... During the operation, they seized weapons": what
            # an operation found is its outcome, one event
            return True
        if (
            names <= {"riot", "loot"}
            and all(_DAMAGE.match(c.text) for c in primary)
            and before & (set(_EXPLOSIVE) | {"disrupt"})
        ):
            # "Falling debris damaged power lines" after a strike or an interception: the damage
            # that event did, not a new one
            return True
        if "sexual" in names and names <= {"sexual", "attack", "abduction", "loot"} and before & set(_VIOLENCE):
            # "Gunmen attacked a farm. They raped a woman.": the attack was sexual violence
            return True
        return bool(names <= before)

    # -- arguments --------------------------------------------------------------------------

    def _roles(
        self, doc: Document, draft: _Draft, trigger: Cue, own_first: bool = False
    ) -> tuple[list[ActorMention], list[ActorMention]]:
        """Actors on the doing side and on the receiving side of the trigger.

        The dependency parse decides where it can (subject of an active verb, "by" agents and
        possessors of the weapon are doers; passive subjects, objects and "attack on X" targets
        receive); word order and a passive auxiliary before the trigger decide otherwise.
        """
        doers: list[ActorMention] = []
        receivers: list[ActorMention] = []
        passive = bool(_PASSIVE_BEFORE.search(doc.text[max(0, trigger.start - 40) : trigger.start]))
        in_draft = _actors_in(doc, draft.sentences)
        member_names = {m.actor.name for m in in_draft if m.role == "member"}
        for mention in in_draft:
            # members of a coalition, allies of a side ("backed by VDP") and groups claiming the
            # attack are not parties to it by position in the sentence: _assign places them
            if mention.role in ("member", "ally", "claimant") or mention.actor.name in member_names:
                continue
            if _SPOKESMAN_AFTER.match(doc.text, mention.span.end) or _SPOKESMAN_BEFORE.search(
                doc.text[max(0, mention.span.start - 40) : mention.span.start]
            ):
                continue
            if _REACTS.match(doc.text, mention.span.end):
                # "The UN strongly condemns the attack by a gang": who judges the event is no side
                # (who tells it may be: "..., police said" of a bomb squad's defusal)
                continue
            role = _dep_role(doc.spacy_doc, mention.span.start, mention.span.end)
            if role == "agent":
                doers.append(mention)
                continue
            if role == "patient":
                receivers.append(mention)
                continue
            if mention.span.end <= trigger.start:
                (receivers if passive else doers).append(mention)
            else:
                gap = doc.text[trigger.end : mention.span.start]
                if _BY_AGENT.match(gap) or re.search(r"\bby\s+(?:\w+\s+){0,2}$", gap, re.I):
                    doers.append(mention)
                else:
                    receivers.append(mention)
        sd = doc.spacy_doc
        if own_first and sd is not None:
            verb_span = sd.char_span(trigger.start, trigger.end, alignment_mode="expand")
            verb = verb_span.root if verb_span is not None else None
            if verb is not None and verb.pos_ == "VERB":
                # the subject and object of the trigger's own verb come first: in "two
                # policemen were martyred when militants attacked a police station" the
                # attack's sides are the militants and the police, not the dead of the headline
                def own(m: ActorMention) -> bool:
                    head = _clause_head(sd, m.span.start, m.span.end)
                    return head is not None and head.i == verb.i  # type: ignore[attr-defined]

                doers.sort(key=lambda m: not own(m))
                receivers.sort(key=lambda m: not own(m))
        return doers, receivers

    def _country(self, doc: Document, place: PlaceMention | None) -> str | None:
        if place is not None and place.place.country:
            return place.place.country
        return doc.country

    def _date(self, doc: Document, draft: _Draft) -> DateMention | None:
        own = [d for d in doc.dates if d.sentence in draft.sentences]
        if own:
            event_dates = [d for d in own if not d.reported] or own
            return event_dates[0]
        before = [d for d in doc.dates if d.sentence < draft.sentences[0]]
        if before:
            # the nearest sentence with a date lends it; the day it gives an event beats the day
            # it gives a report ("killed 15 on Saturday, sources told reporters on Tuesday")
            last = [d for d in before if d.sentence == before[-1].sentence]
            inherited = ([d for d in last if not d.reported] or last)[-1]
            # a day the text gave for events ("Police yesterday fired tear gas ...; In Nakuru, ...")
            # stays exact; a day it gave for a report ("reported on Saturday") is approximate
            precision = max(2, inherited.precision) if inherited.reported else inherited.precision
            return DateMention(inherited.span, inherited.date, precision, inherited.sentence, True)
        return None

    def _mention(self, doc: Document, draft: _Draft) -> Mention | None:
        sentences = draft.sentences
        first_start = doc.sentences[sentences[0]][0]
        last_end = doc.sentences[sentences[-1]][1]
        text = doc.text[first_start:last_end]
        actor_mentions = _actors_in(doc, sentences)
        actor_kinds = {a.actor.inter for a in actor_mentions}
        names = draft.names
        if "crowd_control" in names:
            # police dispersing a crowd is how ACLED sees a protest met with intervention
            names = names | {"protest", "intervention"}
        # protesters do not fly aircraft or fire artillery: with those cues the protest words
        # belong to another clause or event, and the strike is the event
        on_protest = _force_on_protest(doc, draft, first_start) if "protest" in names else set()
        protest_context = "protest" in names and not names & {"air", "shelling", "suicide", "chemical"} and (
            bool(on_protest)
            or not (
                names & {"clash", "attack"}
                and any(_is_armed(a.actor) and a.actor.kind == "named" for a in actor_mentions)
            )
        )
        names = names | on_protest
        # who was harmed: the words after the violent trigger, or before it in the passive
        violent = [c for c in draft.cues if c.name in _VIOLENCE]
        victims_text = text
        if violent:
            v = violent[0]
            if len(violent) > 1 and _FRAMING_PP.search(doc.text, max(first_start, v.start - 40), v.start):
                # "In a separate attack on Monday, bandits killed four residents": the opening
                # phrase frames the sentence; the victims follow its own verb
                v = violent[1]
            before = doc.text[max(first_start, v.start - 80) : v.start]
            after = doc.text[v.end : min(last_end, v.end + 80)]
            reduced_passive = _PARTICIPLE.fullmatch(v.text) and _NO_OBJECT.match(after)
            if _PASSIVE_BEFORE.search(before) or re.match(r"\s*(?:by|at the hands of)\b", after, re.I) or reduced_passive:
                # "a man was killed by gunmen", "a man's body was found, killed by gunmen",
                # headline style "Farmer shot in raid by gunmen"
                victims_text = re.split(r"[.;]", before)[-1]
            else:
                victims_text = after
        target = _victim_kind(victims_text)
        if target == "unknown":
            # the actors that receive the violence, by the parse: "killed two members of X"
            patients = [
                a for a in actor_mentions
                if _dep_role(doc.spacy_doc, a.span.start, a.span.end) == "patient"
            ]
            if any(_is_armed(a.actor) for a in patients):
                target = "armed"
            elif any(a.actor.inter == 7 for a in patients):
                target = "civilian"
        names = names | _derived_cues(doc, draft, violent, first_start, last_end, actor_mentions)
        operations = [c for c in draft.cues if c.name == "clash"]
        if (
            operations
            and all(_OPERATION.search(c.text) for c in operations)
            and not names & (set(_VIOLENCE) - {"clash"} | {"strict_clash", "harm"})
            and not any(f.sentence in sentences and f.count > 0 for f in doc.fatalities)
        ):
            # a military operation that reports no fighting, no harm and no toll is a movement
            # of forces ("the operation in Boni Forest is set to be extended"), not a battle
            names = (names - {"clash"}) | {"change"}
        if protest_context and not on_protest and _crowd_act(doc, draft, first_start, actor_mentions):
            # the demonstrators themselves storm or assault ("pupils stormed the district office
            # before police scattered them"): the demonstration turned violent, whatever answered it
            names = names | {"crowd_riot"}
        label = classify(names, target=target, protest_context=protest_context, actor_kinds=actor_kinds)
        if label is None:
            return None
        trigger = _trigger_of(draft.cues, label, doc.spacy_doc)
        place = self._choose_place(doc, sentences[0], trigger.start, label)
        if place is not None and place.place.feature == "country":
            place = None
        country = self._country(doc, place)
        date = self._date(doc, draft)
        on = date.date if date else doc.article.published
        if label in ("Government regains territory", "Non-state actor overtakes territory"):
            # who took the place decides: state forces (and their affiliates) regain territory,
            # anyone else overtakes it, whatever verb the text uses
            doers, _ = self._roles(doc, draft, trigger)
            kinds = {self._resolve_actor(d.actor, country, on).inter for d in doers if d.role != "member"}
            if kinds == {1}:
                label = "Government regains territory"
            elif kinds and 1 not in kinds:
                label = "Non-state actor overtakes territory"
        if label == "Arrests":
            # ACLED: detentions by a non-state armed group are abductions, not arrests (a group
            # that has become the state, as the Taliban in 2021, resolves to state forces)
            doers, _ = self._roles(doc, draft, trigger)
            kinds = {self._resolve_actor(d.actor, country, on).inter for d in doers if d.role != "member"}
            if kinds & {2, 3, 4} and not kinds & {1, 8}:
                label = "Abduction/forced disappearance"
        mention = Mention(
            sub_event_type=label,
            event_type=self.codebook.event_type[label],
            trigger=Span(trigger.start, trigger.end, trigger.text),
            sentence=sentences[0],
            confidence=0.0,
            place=place,
            date=date,
        )
        self._assign_actors(doc, draft, mention, trigger, country, on, target)
        fats = [f for f in doc.fatalities if f.sentence in sentences]
        if draft.clause is not None:
            fats = [f for f in fats if draft.clause[0] <= f.span.start < draft.clause[1]]
        mention.fatalities = fats
        mention.spans.append(("trigger", mention.trigger))
        for cue in draft.cues:
            if cue is not trigger and cue.name not in ("strict_clash",):
                mention.spans.append(("cue", Span(cue.start, cue.end, cue.text)))
        if place is not None:
            mention.spans.append(("location", place.span))
        if date is not None:
            mention.spans.append(("event_date", date.span))
        for f in fats:
            mention.spans.append(("fatalities", f.span))
        mention.confidence = self._confidence(draft, mention)
        return mention

    def _assign_actors(
        self,
        doc: Document,
        draft: _Draft,
        mention: Mention,
        trigger: Cue,
        country: str | None,
        on: dt.date | None,
        target: str,
    ) -> None:
        resolve = self._resolve_actor
        label = mention.sub_event_type
        event_type = mention.event_type
        doers, receivers = self._roles(
            doc, draft, trigger, own_first=event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians")
        )
        members = [a for a in _actors_in(doc, draft.sentences) if a.role == "member"]

        def named(ms: list[ActorMention]) -> list[Actor]:
            seen: list[Actor] = []
            for m in ms:
                actor = resolve(m.actor, country, on)
                if actor.name not in {s.name for s in seen}:
                    seen.append(actor)
            return seen

        doer_actors = named(doers)
        receiver_actors = named(receivers)

        def generic(kind: str) -> Actor:
            return resolve(Actor(kind, {"Unidentified Armed Group": 3, "Civilians": 7, "Protesters": 6, "Rioters": 5}[kind], None, "generic"), country, on)

        def first(actors: list[Actor], want: Callable[[Actor], bool]) -> Actor | None:
            for a in actors:
                if want(a):
                    return a
            return None

        armed = _is_armed
        is_civ = lambda a: a.inter == 7  # noqa: E731
        actor1: Actor | None = None
        actor2: Actor | None = None
        assoc1: list[Actor] = []
        assoc2: list[Actor] = []
        everyone = doer_actors + [a for a in receiver_actors if a.name not in {d.name for d in doer_actors}]
        if event_type == "Protests":
            actor1 = generic("Protesters")
            if label != "Peaceful protest":
                actor2 = first(everyone, lambda a: a.inter in (1, 3, 8)) or (
                    resolve(Actor("Police Forces", 1, None, "state"), country, on) if label == "Protest with intervention" else None
                )
        elif event_type == "Riots":
            actor1 = generic("Rioters")
            if label == "Mob violence":
                actor2 = first(receiver_actors, lambda a: a.inter in (1, 2, 3, 4, 7, 8)) or (
                    generic("Civilians") if target == "civilian" else generic("Rioters")
                )
            else:
                actor2 = first(everyone, lambda a: a.inter in (1, 8))
        elif event_type == "Violence against civilians":
            actor1 = first(doer_actors, armed) or first(receiver_actors, lambda a: armed(a) and a.inter != 1) or generic("Unidentified Armed Group")
            actor2 = generic("Civilians")
            if label == "Sexual violence" and re.search(r"\b(?:wom[ae]n|girls?|female|wife|daughter|mother)\b", doc.text[doc.sentences[draft.sentences[0]][0]:doc.sentences[draft.sentences[-1]][1]], re.I):
                assoc2.append(Actor(f"Women ({country})" if country else "Women", 7, country, "generic"))
        elif event_type in ("Battles", "Explosions/Remote violence"):
            actor1 = first(doer_actors, armed)
            actor2 = first([a for a in receiver_actors if actor1 is None or a.name != actor1.name], lambda a: armed(a) or is_civ(a))
            if actor1 is None and actor2 is not None:
                rest = [a for a in everyone if a.name != actor2.name and armed(a)]
                actor1 = rest[0] if rest else None
            if actor1 is None:
                actor1 = (
                    resolve(Actor("Military Forces", 1, None, "state"), country, on)
                    if label == "Air/drone strike"
                    else generic("Unidentified Armed Group")
                )
            if actor2 is None and target == "civilian" and event_type == "Explosions/Remote violence":
                actor2 = generic("Civilians")
            if (
                actor2 is None
                and target == "armed"
                and label == "Air/drone strike"
                and actor1.kind in ("state", "named")
            ):
                # "drone strikes ... killing several fighters": the unnamed fighters hit are an
                # armed group the text does not name (from the air, rarely another army)
                actor2 = generic("Unidentified Armed Group")
            if actor2 is None and event_type == "Battles":
                others = [a for a in everyone if a.name != actor1.name and armed(a)]
                actor2 = others[0] if others else generic("Unidentified Armed Group")
        else:  # Strategic developments
            if label == "Change to group/activity" and _FORMATION.match(trigger.text):
                # "groups formed a new coalition named X": the new group is the actor
                actor1 = first(receiver_actors, lambda a: a.inter != 7)
            actor1 = actor1 or first(doer_actors, lambda a: a.inter != 7) or first(everyone, lambda a: a.inter != 7)
            if label == "Arrests" and actor1 is None:
                actor1 = resolve(Actor("Police Forces", 1, None, "state"), country, on)
            if label in ("Looting/property destruction",) and actor1 is None:
                actor1 = generic("Unidentified Armed Group")
            if label == "Other" and actor1 is None:
                actor1 = generic("Civilians")
            rest = [a for a in everyone if actor1 is None or a.name != actor1.name]
            if label == "Disrupted weapons use":
                # whose weapons were defused or intercepted: never the people near the bomb
                # ("an IED planted near a girls' school")
                rest = [a for a in rest if a.inter != 7]
            if label in ("Agreement", "Arrests", "Looting/property destruction", "Disrupted weapons use", "Non-violent transfer of territory"):
                actor2 = rest[0] if rest else (generic("Civilians") if label in ("Arrests", "Looting/property destruction") else None)
            elif label == "Change to group/activity" and members:
                assoc1 = named(members)
        if actor1 is None and event_type != "Strategic developments":
            actor1 = generic("Unidentified Armed Group")
        if actor1 is not None and actor1.kind == "generic" and actor1.inter == 3 and event_type in (
            "Battles", "Explosions/Remote violence", "Violence against civilians"
        ):
            # "A suicide car bomber struck ... The attacker (an Al Shabaab fighter) drove ...": the
            # unidentified doer and the named group on the same side of one event are one actor
            known = [
                a for a in doer_actors
                if a.kind == "named" and armed(a) and a.inter in (2, 3, 4) and (actor2 is None or a.name != actor2.name)
            ]
            if known:
                actor1 = known[0]
        if actor1 is not None and actor1.kind == "generic" and actor1.inter == 3 and event_type in (
            "Battles", "Explosions/Remote violence", "Violence against civilians"
        ):
            # an attack by unidentified men that a group claims, in its sentence or the next two
            # ("Gunmen killed 12 ... JNIM claimed responsibility"), is that group's attack
            last = draft.sentences[-1]
            claimants = [
                m for m in doc.actors
                if m.role == "claimant" and draft.sentences[0] <= m.sentence <= last + 2
            ]
            if claimants:
                claimed = resolve(claimants[0].actor, country, on)
                if actor2 is None or claimed.name != actor2.name:
                    actor1 = claimed
        allies = [a for a in _actors_in(doc, draft.sentences) if a.role == "ally"]
        if actor1 is not None and allies:
            # "soldiers backed by VDP militia": the ally fights beside actor1 (ACLED's associated
            # actor), it is not the other side
            assoc1 = assoc1 + [a for a in named(allies) if a.name not in {x.name for x in assoc1}]
            if actor2 is not None and actor2.name in {a.name for a in assoc1}:
                actor2 = None
        if actor1 is None and members:
            assoc1 = named(members)
        if label == "Change to group/activity" and members and not assoc1:
            assoc1 = named(members)
        if event_type in ("Protests", "Riots") and actor1 is not None and actor1.inter in (5, 6) and _WOMEN.search(
            doc.text[doc.sentences[draft.sentences[0]][0] : doc.sentences[draft.sentences[-1]][1]]
        ):
            # ACLED names the crowd's identity: women who protest are "Women (Country)" beside
            # the Protesters (four in five of its protests that mention women)
            assoc1 = assoc1 + [Actor(f"Women ({country})" if country else "Women", 7, country, "generic")]
        if actor1 is not None:
            assoc1 = [a for a in assoc1 if a.name != actor1.name]
        mention.actor1 = actor1
        mention.actor2 = actor2 if actor2 is None or actor1 is None or actor2.name != actor1.name or label in ("Mob violence", "Armed clash") else None
        mention.assoc_actor_1 = assoc1
        mention.assoc_actor_2 = assoc2
        for m in _actors_in(doc, draft.sentences):
            mention.spans.append(("actor", m.span))

    def _confidence(self, draft: _Draft, mention: Mention) -> float:
        """A rule-based confidence: how many independent signals support the event."""
        score = 0.45
        if mention.place is not None:
            score += 0.2 if mention.place.precision == 1 else 0.1
        if mention.date is not None and not mention.date.reported:
            score += 0.1
        if mention.actor1 is not None and mention.actor1.kind == "named":
            score += 0.1
        if len({c.name for c in draft.cues if c.name in lexicon().primary}) == 1:
            score += 0.1
        return round(min(score, 0.95), 2)

    def __call__(self, doc: Document) -> Document:
        if not doc.sentences:
            return doc
        mentions: list[Mention] = []
        for draft in self._drafts(doc):
            mention = self._mention(doc, draft)
            if mention is not None:
                mentions.append(mention)
        _interceptions_opponent(doc, mentions)
        doc.mentions = _without_headline_repeats(doc, mentions)
        return doc


def _is_headline(doc: Document) -> bool:
    """Whether the first sentence is a headline: a first line without final punctuation, its
    own sentence (nlp.py)."""
    if not doc.sentences:
        return False
    first = doc.text[doc.sentences[0][0] : doc.sentences[0][1]]
    return "\n" in first and first.rstrip()[-1:] not in ".!?:;\"'”’)"


def _without_headline_repeats(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """A headline sums up an event the body reports with its date and place; its mention goes
    when a body mention has the same event type, and stays when the headline alone reports the
    event."""
    if not _is_headline(doc):
        return mentions
    body_types = {m.event_type for m in mentions if m.sentence > 0}
    return [m for m in mentions if m.sentence > 0 or m.event_type not in body_types]


def _interceptions_opponent(doc: Document, mentions: list[Mention]) -> None:
    """An interception whose sentence names no attacker ("air defences destroyed 12 drones over
    Poltava") intercepted the one attacker whose strikes the same article reports: ACLED codes
    that attacker as actor2. With several attackers (or none) it stays unknown."""
    remote = ("Air/drone strike", "Shelling/artillery/missile attack")
    attackers = {
        m.actor1.name: m.actor1
        for m in mentions
        if m.sub_event_type in remote and m.actor1 is not None and m.actor1.inter in (1, 2, 3, 8)
    }
    if len(attackers) != 1:
        return
    attacker = next(iter(attackers.values()))
    for m in mentions:
        if (
            m.sub_event_type == "Disrupted weapons use"
            and m.actor2 is None
            and m.actor1 is not None
            and m.actor1.inter == 1
            and m.actor1.country != attacker.country
            and _INTERCEPTION.search(doc.text[doc.sentences[m.sentence][0] : doc.sentences[m.sentence][1]])
        ):
            m.actor2 = attacker


def make_events(config: PipelineConfig) -> Stage:
    """Build the events stage once; it keeps no per-document state."""
    return EventFinder(config)


def significant(doc: Document, mention: Mention) -> bool:
    """Whether vague death counts ("several") read as 10 rather than 3 (CODEBOOK.md sec. 5)."""
    start = doc.sentences[mention.sentence][0]
    end = doc.sentences[mention.sentence][1]
    return bool(_SIGNIFICANT.search(doc.text[start:end]))


def fatalities_of(doc: Document, mention: Mention, pick: Callable[..., int]) -> int:
    """The mention's fatalities by ACLED's rules; a suicide bomber counts."""
    count = pick(mention.fatalities, significant=significant(doc, mention)) if mention.fatalities else 0
    if mention.sub_event_type == "Suicide bomb" and not any(f.includes_perpetrator for f in mention.fatalities):
        count += 1
    return count


__all__ = ["EventFinder", "FatalityMention", "classify", "fatalities_of", "make_events", "significant"]
