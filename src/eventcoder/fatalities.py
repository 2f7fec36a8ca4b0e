"""The fatalities stage: counts of people killed, with ACLED's conventions.

A death word ("killed", "died", "shot dead", "the bodies of", "fatalities", "death toll") is found
first; its count is then read where English puts it: before a passive or intransitive verb
("four members of Tahrir al-Sham were killed", "one died"), after an active one ("killing 12",
"killed a farmer"), after "of" ("the bodies of three") or before a noun ("4 fatalities").
Counts are digits, number words ("twenty-three"), "a"/"one" with a singular noun, or quantity
words read as ACLED does (CODEBOOK.md sec. 5).

Choices, documented once here:

* Vague words ("several", "a number of", "many", "some", "few", an unspecified number) and a bare
  plural ("militants were killed", "fatalities were reported") give ``count=3, vague=True``; the
  events stage may raise them to 10 for a significant attack (``event_fatalities(...,
  significant=True)``). "tens" -> 10, "dozens" -> 12, "scores" -> 20, "hundreds" -> 100,
  "thousands" -> 1000, and these are not vague.
* Bounds keep their number: "at least 5" -> 5, "more than 20" -> 20, "up to 7" -> 7 (the only
  figure given is the lowest one there is). Ranges take their low end: "3-6", "between 1 and 3".
* "7 militants were killed and wounded" -> 3: half the total, rounded down, at least 1 (ACLED's
  practice when the dead are not told apart from the wounded). Injured/wounded counts alone are
  never fatalities; "casualties" alone is not a death word (ACLED: may mean injuries).
* "no casualties", "no fatalities", "no one was killed" give an explicit ``count=0`` mention;
  "no other casualties" gives none.
* A count introduced by "including"/"among them" is part of a total already counted and is left
  out; "including the bomber" sets ``includes_perpetrator`` on the total instead.
* A perpetrator who died ("the bomber blew himself up", "before committing suicide") is a mention
  of its own: ``count=1, includes_perpetrator=True``. :func:`event_fatalities` drops it when
  another count already includes the perpetrator. :func:`perpetrator_died` tells the events stage
  whether the text says so, e.g. to add the bomber of a Suicide bomb event when no count includes
  them.
* A conflict's cumulative toll ("the war, which began in 2009, has killed more than 40,000
  people") is skipped: a conflict noun as the subject of a perfect death verb
  (``cumulative_subjects`` in fatality_words.yaml).
* Deaths that did not happen ("threatened to kill", "were not killed") or that are the background
  of the event ("protested over the killing of", "arrested for killing") are skipped.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eventcoder.cache import compile_regex, longest_first
from eventcoder.config import PipelineConfig
from eventcoder.dates import read_data_file
from eventcoder.lexicon import Prefiltered, fold
from eventcoder.model import Document, FatalityMention, Span
from eventcoder.pipeline import Stage


_TOKEN_RE = re.compile(r"\w+(?:[-'’.,/]\w+)*|[^\w\s]")
_DIGITS_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\s*(?:-|–)\s*(\d+))?$")
_ORDINAL_RE = re.compile(r"\d+(?:st|nd|rd|th)$", re.I)
_PLURAL_IRREGULAR = frozenset(
    "people men women children personnel police persons folks youths troops forces".split()
)
_SINGULAR_ENDINGS = ("ss", "us", "is", "ws")
# Verb forms that can end a noun phrase's left edge: "arrested 5 suspects and 2 people were
# killed" must not coordinate the suspects with the dead.
_VERBISH_RE = re.compile(r"[\w-]+(?:ed|ing)$", re.I)
_IRREGULAR_PARTICIPLES = frozenset(
    "shot hit struck beaten caught burnt taken thrown run stabbed cut hurt".split()
)
_PRONOUNS_ONE = frozenset({"he", "she", "him", "her"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "this", "that", "our", "one"})
_BE_FORMS = frozenset({"was", "were", "is", "are", "be", "been", "being", "got", "get", "gets"})
_AUX_SKIP = frozenset(
    """was were is are be been being has have had got get gets reportedly allegedly also all later
    subsequently eventually reported confirmed found believed feared said thought presumed instantly
    immediately apparently ultimately then presumably each both who that which
    consequently eventually tragically""".split()
)
_NP_STOP = frozenset(
    """and or but in on at by from during after before when while with as into near for against
    who that which where was were is are be been being has have had not to than because since
    until under over across through following amid""".split()
)
_ACTIVE_ONLY = frozenset({"kill", "kills", "killing", "murdering", "executing", "shoot and kill", "gun down", "guns down"})
_REDUCED_PASSIVE_NEXT = frozenset(
    """in at by during when after while as on near following . , ; : ( - inside outside overnight
    yesterday today earlier last this""".split()
)
_UNIT_WORDS = frozenset(
    """km kms kilometres kilometers miles mile metres meters m hours hour days day years year
    minutes minute times percent per cent kg tonnes tons rounds shells homes houses vehicles cars
    cattle cows goats sheep camels animals oxen livestock dogs horses donkeys chickens birds
    projectiles explosions shots bursts lamb lambs cow goat dog animal donkey horse camel ox
    case cases charges charge trial trials convict convicts investigation
    probe attempt attempts plot plots squad squads weapon weapons""".split()
)


@dataclass(frozen=True)
class _Quantity:
    value: int
    vague: bool
    kind: str  # number | vague | zero | article | plural
    start: int  # token indices, end exclusive
    end: int


@dataclass(frozen=True)
class _Lexicon:
    units: dict[str, int]
    tens: dict[str, int]
    multipliers: dict[str, int]
    exact: dict[tuple[str, ...], int]
    plural_words: dict[str, int]
    vague: frozenset[tuple[str, ...]]
    bounds: frozenset[tuple[str, ...]]
    vague_count: int
    vague_significant: int
    trigger_class: dict[str, str]
    trigger_re: re.Pattern[str]
    to_death_verbs: frozenset[str]
    toll_re: re.Pattern[str]
    zero_re: re.Pattern[str]
    zero_blockers: frozenset[str]
    reporting: frozenset[str]
    injury: frozenset[str]
    adjacent_re: re.Pattern[str]
    before_re: re.Pattern[str]
    perp_included_re: re.Pattern[str]
    perp_died_re: re.Pattern[str]
    additive_re: re.Pattern[str]
    subset_re: re.Pattern[str]
    generic: frozenset[str]
    months: frozenset[str]
    consequence_re: re.Pattern[str]
    perpetrator_re: re.Pattern[str]
    cumulative_re: re.Pattern[str]
    person_heads: frozenset[str]


def _phrase_re(phrases: Iterable[str]) -> str:
    ordered = sorted({p.lower() for p in phrases}, key=longest_first)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().split())


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    q = read_data_file("quantities.yaml")
    f = read_data_file("fatality_words.yaml")
    trigger_class = {" ".join(p.lower().split()): cls for cls, ps in f["triggers"].items() for p in ps}
    phrases = list(trigger_class) + ["to death", "dead"]
    return _Lexicon(
        units={k: int(v) for k, v in q["units"].items()},
        tens={k: int(v) for k, v in q["tens"].items()},
        multipliers={k: int(v) for k, v in q["multipliers"].items()},
        exact={_key(k): int(v) for k, v in q["exact_words"].items()},
        plural_words={k: int(v) for k, v in q["plural_words"].items()},
        vague=frozenset(_key(w) for w in q["vague_words"]),
        bounds=frozenset(_key(w) for w in q["bound_words"]),
        vague_count=int(q["vague_count"]),
        vague_significant=int(q["vague_count_significant"]),
        trigger_class=trigger_class,
        trigger_re=compile_regex(rf"\b(?:{_phrase_re(phrases)})\b", re.I),
        to_death_verbs=frozenset(f["to_death_verbs"]),
        toll_re=compile_regex(rf"\b(?:{_phrase_re(f['toll_words'])})\b", re.I),
        zero_re=compile_regex(
            rf"\b(?:{_phrase_re(f['zero_phrases'])}"
            rf"|(?:{_phrase_re(f['zero_words'])})\s+(?P<gap>(?:[\w'’-]+\s+){{0,3}}?)"
            rf"(?:{_phrase_re(f['zero_nouns'])}))\b",
            re.I,
        ),
        zero_blockers=frozenset(f["zero_blockers"]),
        reporting=frozenset(
            w for w in read_data_file("date_words.yaml")["reporting_words"] if " " not in w
        ),
        injury=frozenset(f["injury_words"]),
        adjacent_re=compile_regex(rf"\b(?:{_phrase_re(f['not_death_adjacent'])})\s*$", re.I),
        before_re=compile_regex(rf"\b(?:{_phrase_re(f['not_death_before'])})(?:\s+[\w'’-]+){{0,2}}\s*$", re.I),
        perp_included_re=compile_regex("|".join(f"(?:{p})" for p in f["perpetrator_included"]), re.I),
        perp_died_re=compile_regex("|".join(f"(?:{p})" for p in f["perpetrator_died"]), re.I),
        additive_re=compile_regex(rf"\b(?:{_phrase_re(f['additive_words'])})\b", re.I),
        subset_re=compile_regex(rf"\b(?:{_phrase_re(f['subset_words'])})\s*$", re.I),
        generic=frozenset(f["generic_victims"]),
        consequence_re=compile_regex(
            rf"\b(?:{_phrase_re(f['consequence_cues'])})\s+(?:the\s+|a\s+)?$", re.I
        ),
        months=frozenset(m.lower() for m in read_data_file("date_words.yaml")["months"]),
        perpetrator_re=compile_regex(rf"\b(?:{_phrase_re(f['perpetrator_nouns'])})\b", re.I),
        cumulative_re=compile_regex(
            rf"\b(?:{_phrase_re(f['cumulative_subjects'])})\b[^.;]{{0,60}}?\b(?:has|have|had)\s+"
            rf"(?:\w+ly\s+|already\s+|since\s+)?$",
            re.I,
        ),
        person_heads=frozenset(f["person_heads"]),
    )


class _Tokens:
    """The words of one text with their offsets, for scanning around death words."""

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(_TOKEN_RE.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        # acronyms keep their case: "IS" (Islamic State) must not read as the verb "is"
        self.words = [w if len(w) > 1 and w.isupper() and w.isalpha() else w.lower() for w in (m.group() for m in matches)]

    def __len__(self) -> int:
        return len(self.words)

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    def span(self, start: int, end: int) -> Span:
        a, b = self.starts[start], self.ends[end - 1]
        return Span(a, b, self.text[a:b])

    def matches(self, i: int, phrase: tuple[str, ...]) -> bool:
        return tuple(self.words[i:i + len(phrase)]) == phrase


def _number_words(tok: _Tokens, i: int, lo: int, hi: int, lex: _Lexicon) -> tuple[int, int] | None:
    """Read "twenty-three", "one hundred and five", "a hundred" starting at token ``i``."""
    total, current, j, seen = 0, 0, i, False
    while j < hi:
        word = tok.words[j]
        parts = word.split("-")
        if all(p in lex.units or p in lex.tens for p in parts) and len(parts) <= 2:
            current += sum(lex.units.get(p, 0) + lex.tens.get(p, 0) for p in parts)
            seen, j = True, j + 1
        elif word in lex.multipliers and (seen or (j == i and word)):
            current = max(current, 1) * lex.multipliers[word]
            total, current, seen, j = total + current, 0, True, j + 1
        elif word == "and" and seen and j + 1 < hi and tok.words[j + 1] in lex.units:
            j += 1
        elif word in ("a", "one") and j == i and j + 1 < hi and tok.words[j + 1] in lex.multipliers:
            j += 1
            seen = True
        else:
            break
    if not seen or j == i:
        return None
    return total + current, j


def _quantity(tok: _Tokens, i: int, hi: int, lex: _Lexicon) -> _Quantity | None:
    """A count starting at token ``i`` (not reaching ``hi``), or None."""
    start = i
    for phrase in sorted((b for b in lex.bounds if tok.matches(i, b)), key=len, reverse=True)[:1]:
        i += len(phrase)
    if i >= hi:
        return None
    word = tok.words[i]
    for phrase, value in lex.exact.items():
        if tok.matches(i, phrase):
            return _Quantity(value, False, "number", start, i + len(phrase))
    digits = _DIGITS_RE.match(word)
    if digits and (
        (i + 1 < len(tok) and tok.words[i + 1].rstrip(".") in lex.months)
        or (i > 0 and tok.words[i - 1].rstrip(".") in lex.months)
    ):
        return None  # "2 May 2020", "June 2022" are dates
    if digits and not _ORDINAL_RE.match(word):
        value = int(digits.group(1).replace(",", ""))
        if 1900 <= value <= 2100 and "," not in word:
            return None  # a year
        if i + 1 < len(tok) and tok.words[i + 1] in ("year", "years", "yr", "yrs"):
            return None  # an age: "a 7 year old boy"
        j = i + 1
        # "3 - 6", "1 to 3", "1 or 2": the low end
        if j + 1 < hi and tok.words[j] in ("-", "–", "to", "or", "and") and tok.words[j + 1].isdigit():
            j += 2
        if j < hi and tok.words[j] in ("dozen",):
            value, j = value * 12, j + 1
        if j < hi and tok.words[j] in lex.multipliers:
            value, j = value * lex.multipliers[tok.words[j]], j + 1
        return _Quantity(value, False, "number", start, j)
    read = _number_words(tok, i, start, hi, lex)
    if read is not None:
        value, j = read
        if j < hi and tok.words[j] == "dozen":
            value, j = value * 12, j + 1
        if j + 1 < hi and tok.words[j] in ("-", "to", "or") and (
            tok.words[j + 1] in lex.units or tok.words[j + 1].isdigit()
        ):
            j += 2
        kind = "article" if value == 1 and word in ("a", "an") else "number"
        return _Quantity(value, False, kind, start, j)
    if word in lex.plural_words:
        j = i + 1
        if j < hi and tok.words[j] == "of":
            j += 1
        return _Quantity(lex.plural_words[word], False, "plural", start, j)
    for phrase in sorted((v for v in lex.vague if tok.matches(i, v)), key=len, reverse=True)[:1]:
        j = i + len(phrase)
        if j < hi and tok.words[j] == "of" and phrase[-1] != "of":
            j += 1
        return _Quantity(lex.vague_count, True, "vague", start, j)
    if word in ("no", "none", "nobody") or tok.matches(i, ("no", "one")):
        return _Quantity(0, False, "zero", start, i + (2 if tok.matches(i, ("no", "one")) else 1))
    if word in ("a", "an", "another", "one") or (start < i and tok.words[start] == "another"):
        j = i + 1 if word in ("a", "an", "another", "one") else i
        if j < hi and tok.words[j] == "single":
            j += 1
        return _Quantity(1, False, "article", start, j)
    return None


def _np_end(tok: _Tokens, i: int, hi: int, lex: _Lexicon, limit: int = 7) -> int:
    """End (exclusive) of the noun phrase that starts at token ``i``."""
    j = i
    while j < hi and j - i < limit:
        word = tok.words[j]
        if word in _NP_STOP or word in lex.injury or not (word[0].isalnum()) or word in lex.trigger_class:
            break
        j += 1
    return j


def _is_plural(word: str) -> bool:
    if word in _PLURAL_IRREGULAR:
        return True
    return word.endswith("s") and not word.endswith(_SINGULAR_ENDINGS) and len(word) > 3


def _head(tok: _Tokens, start: int, end: int) -> str | None:
    words = tok.words[start:end]
    if not words:
        return None
    if words[0] == "of":
        return words[-1]
    if "of" in words:
        return words[words.index("of") - 1]
    return words[-1]


def _victim_head(raw: "_Raw", lex: _Lexicon) -> str | None:
    """The head noun of a count's victims ("dozens of terrorists" -> "terrorists")."""
    if raw.victims is None:
        return None
    words = [w.lower() for w in _TOKEN_RE.findall(raw.victims.text)]
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1]
    return words[-1] if words else None


@dataclass
class _Raw:
    count: int
    vague: bool
    start: int  # character offsets of the mention
    end: int
    victims: Span | None
    halve: bool = False
    #: the count comes from the noun phrase's form ("the driver" -> 1), not from a number word
    guessed: bool = False
    #: the mention's span runs on to the death word (False for the earlier of coordinated
    #: counts, whose span stops at their own noun phrase)
    to_trigger: bool = True


def _count_for_np(tok: _Tokens, np_start: int, np_end: int, singular_aux: bool | None) -> tuple[int, bool] | None:
    """A count for a noun phrase without a number: 1 for a singular, vague 3 for a plural."""
    if np_end <= np_start:
        return None
    words = tok.words[np_start:np_end]
    if len(words) == 1 and words[0] in _PRONOUNS_ONE:
        return 1, False
    if words[0] in ("they", "them", "it", "this", "those", "these", "which", "what", "who", "anyone",
                    "anybody", "someone", "somebody", "everyone"):
        return None
    if all(w in _DETERMINERS for w in words):
        return None
    head = words[-1] if "of" not in words else words[words.index("of") - 1]
    if head in _UNIT_WORDS:
        return None
    if singular_aux is True:
        return 1, False
    if singular_aux is False or _is_plural(head):
        return 3, True
    if words[0] in _DETERMINERS or tok.text[tok.starts[np_start]].isupper():
        return 1, False
    return None


def _subject(tok: _Tokens, t: int, lo: int, lex: _Lexicon, bare: bool = False) -> list[_Raw]:
    """Counts before a passive or intransitive death word at token ``t``."""
    j = t - 1
    singular: bool | None = None
    while j >= lo and tok.words[j] in _AUX_SKIP:
        word = tok.words[j]
        if word in ("was", "is", "has"):
            singular = True
        elif word in ("were", "are", "have"):
            singular = False
        j -= 1
    # "abducted and executed", "shot and killed": a verb joined to the death word
    if j - 1 >= lo and tok.words[j] == "and" and _is_participle(tok.words[j - 1]):
        j -= 2
        while j >= lo and tok.words[j] in _AUX_SKIP:
            j -= 1
    out: list[_Raw] = []
    end = j + 1
    while end > lo:
        if not out:
            end = _before_subset(tok, end, lo)
        found = _subject_np(tok, end, lo, lex, singular if not out else None, bare and not out)
        if found is None:
            break
        raw, q_start = found
        if out:
            raw.to_trigger = False
        elif raw.guessed:
            out.append(raw)
            break  # "a drug and robbery suspect": no coordination from a guessed count
        out.append(raw)
        # coordination: "18 ISWAP and 3 Boko Haram fighters were killed"
        k = q_start - 1
        if k - 1 < lo or tok.words[k] not in ("and", ",", "as", "well"):
            break
        while k >= lo and tok.words[k] in ("and", ",", "as", "well"):
            k -= 1
        end = k + 1
        prev = _subject_np(tok, end, lo, lex, None)
        after_preposition = prev is not None and prev[1] - 1 >= lo and tok.words[prev[1] - 1] in _NP_STOP
        if prev is None or prev[0].count == 0 or prev[0].guessed or _is_object_of_verb(tok, prev[1], lo, lex) or (
            # "As a result of shelling, two soldiers ...": only "in 2 rebel and 1 military" joins
            after_preposition and (tok.words[k + 1] != "and" or not tok.words[prev[1]][0].isdigit())
        ):
            break
    return out


def _is_participle(word: str) -> bool:
    return bool(_VERBISH_RE.match(word)) or word in _IRREGULAR_PARTICIPLES


def _is_object_of_verb(tok: _Tokens, q_start: int, lo: int, lex: _Lexicon) -> bool:
    # "claimed 6 soldiers and one militant were killed": a reporting verb opens a clause
    word = tok.words[q_start - 1] if q_start - 1 >= lo else ""
    return bool(_VERBISH_RE.match(word)) and word not in lex.reporting


def _before_subset(tok: _Tokens, end: int, lo: int) -> int:
    """ "five personnel including one policeman and four soldiers were killed": the subject is
    the noun phrase before "including"."""
    for k in range(end - 1, max(lo, end - 12) - 1, -1):
        word = tok.words[k]
        if word == "including" or (word == "among" and k + 1 < end and tok.words[k + 1] in ("which", "whom", "them")):
            return k - 1 if k - 1 >= lo and tok.words[k - 1] == "," else k
        if word in _NP_STOP and word not in ("and", "which", "whom", "them"):
            break
    return end


def _subject_np(
    tok: _Tokens, end: int, lo: int, lex: _Lexicon, singular: bool | None, bare: bool = False
) -> tuple[_Raw, int] | None:
    """The noun phrase ending just before token ``end`` and its count."""
    if end - 1 < lo or tok.words[end - 1] in lex.injury or tok.words[end - 1] in lex.reporting:
        return None
    k = end - 1
    bracketed: set[int] = set()
    while k >= lo and end - k - len(bracketed) <= 9:
        word = tok.words[k]
        if word == "and" and k - 1 >= lo and tok.words[k - 1] in lex.multipliers:
            k -= 1  # "one hundred and five"
            continue
        if word == ")":
            # "three fighters of the Syrian Democratic Forces (SDF) were killed": an acronym or
            # aside in brackets belongs to the noun phrase
            opening = next((o for o in range(k - 1, max(lo, k - 6) - 1, -1) if tok.words[o] == "("), None)
            if opening is not None and opening > lo:
                bracketed.update(range(opening, k + 1))
                k = opening - 1
                continue
        if (word in _NP_STOP and word != "of") or not word[0].isalnum() or word in lex.reporting:
            break
        k -= 1
    np_lo = k + 1
    if np_lo - 3 >= lo and tok.words[np_lo - 1] == "and" and tok.words[np_lo - 3] == "between":
        np_lo -= 3  # "between 35 and 45 militants"
    best: _Quantity | None = None
    for i in range(np_lo, end):
        if i in bracketed:
            continue  # "the man (45)": an age or an aside, not a count
        q = _quantity(tok, i, end, lex)
        if q is None or q.end > end:
            continue
        if best is None or (best.kind == "article" and q.kind != "article"):
            best = q
            if q.kind != "article":
                break
    if best is not None and best.kind == "article" and best.end == end:
        best = None  # "a" alone before the verb counts nothing
    if best is not None:
        if best.kind == "article" and best.end < end and _is_plural(tok.words[end - 1]) and "of" not in tok.words[best.end:end]:
            best = None
    if best is None:
        # a headline's "terror suspect killed": a bare singular right before a reduced passive
        guess = _count_for_np(tok, np_lo, end, True if bare and not _is_plural(tok.words[end - 1]) else singular)
        if guess is None:
            return None
        victims = tok.span(np_lo, end)
        return _Raw(guess[0], guess[1], victims.start, victims.end, victims, guessed=True), np_lo
    victims = tok.span(best.end, end) if best.end < end else None
    span_start = tok.starts[best.start]
    return _Raw(best.value, best.vague, span_start, tok.ends[end - 1], victims), best.start


def _object(tok: _Tokens, i: int, hi: int, lex: _Lexicon) -> list[_Raw]:
    """Counts after an active death word whose object starts at token ``i``."""
    out: list[_Raw] = []
    # "abducted, executed, and booby-trapped a fighter": the object follows the last verb
    k = i
    while k + 1 < hi and tok.words[k] in ("and", ",") and k - i < 4:
        k += 1
        if tok.words[k] == "and" and k + 1 < hi:
            k += 1
        if _is_participle(tok.words[k]) and tok.words[k] not in lex.injury:
            i = k + 1
        else:
            break
    while i < hi:
        if tok.words[i] in ("the", "all") and i + 1 < hi:
            inner = _quantity(tok, i + 1, hi, lex)
            if inner is not None and inner.kind in ("number", "plural"):
                i += 1  # "killed the three", "the 5 soldiers"
        q = _quantity(tok, i, hi, lex)
        if q is not None and q.kind == "zero":
            return out
        if q is not None:
            np_end = _np_end(tok, q.end, hi, lex)
            if q.end < hi and tok.words[q.end] in _UNIT_WORDS:
                return out
            if q.kind == "article" and np_end == q.end:
                return out
            if q.kind == "article" and "of" not in tok.words[q.end:np_end] and _is_plural(tok.words[np_end - 1]):
                return out
            victims = tok.span(q.end, np_end) if np_end > q.end else None
            out.append(_Raw(q.value, q.vague, tok.starts[q.start], tok.ends[max(np_end, q.end) - 1], victims))
            i = max(np_end, q.end)
        else:
            np_end = _np_end(tok, i, hi, lex)
            guess = _count_for_np(tok, i, np_end, None)
            if guess is None or tok.words[i] not in _DETERMINERS | _PRONOUNS_ONE and not (
                tok.text[tok.starts[i]].isupper() or _is_plural(tok.words[np_end - 1])
            ):
                return out
            victims = tok.span(i, np_end)
            out.append(_Raw(guess[0], guess[1], victims.start, victims.end, victims, guessed=True))
            i = np_end
        # coordination: "killing 3 militants and 1-2 policemen"
        if i + 1 < hi and tok.words[i] in ("and", ",") and not _VERBISH_RE.match(tok.words[i + 1]):
            nxt = tok.words[i + 1]
            q_next = _quantity(tok, i + 1, hi, lex)
            if tok.words[i] == "," and (q_next is None or q_next.kind not in ("number", "plural")):
                # "killed 20 soldiers, a figure that ...", "the driver, a father of three": after a
                # comma a noun phrase without a number is an apposition unless a list goes on
                after = _np_end(tok, i + 2, hi, lex)
                if after >= hi or tok.words[after] not in ("and", ",", "or"):
                    break
            if q_next is not None or nxt in _DETERMINERS:
                i += 1
                continue
        break
    return out


def _clause_start(tok: _Tokens, t: int, lo: int) -> int:
    k = t - 1
    while k >= lo and tok.words[k] not in (";", ":", "(", ")"):
        k -= 1
    if k >= lo and tok.words[k] == ")":
        # a short bracketed name inside the clause ("the Syrian Democratic Forces (SDF) were
        # killed") does not end it
        opening = next((o for o in range(k - 1, max(lo, k - 6) - 1, -1) if tok.words[o] == "("), None)
        if opening is not None:
            return _clause_start(tok, opening, lo)
    return k + 1


@functools.cache
def _prefiltered(pattern: re.Pattern[str]) -> Prefiltered:
    # zeros, tolls and attackers who died are rare: most texts hold none of the strings their matches need
    return Prefiltered(pattern)


def find_fatalities(text: str, sentences: list[tuple[int, int]]) -> list[FatalityMention]:
    """Counts of people killed in ``text``, one mention per count, in text order.

    ``sentences`` are ``(start, end)`` offsets (the whole text is one sentence when empty).

    >>> [(m.count, m.victims.text) for m in find_fatalities(
    ...     "Four members of Tahrir al-Sham were killed and several more were wounded.", [])]
    [(4, 'members of Tahrir al-Sham')]
    >>> [m.count for m in find_fatalities("Gunmen killed one and wounded five.", [])]
    [1]
    >>> [m.count for m in find_fatalities("There were no casualties.", [])]
    [0]
    """
    lex = _lexicon()
    bounds = sentences or [(0, len(text))]
    starts = [s for s, _ in bounds]
    tok = _Tokens(text)
    out: list[FatalityMention] = []
    taken: list[tuple[int, int]] = []

    def sentence_of(offset: int) -> int:
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    def add(raw: _Raw, sent: int, trigger_end: int) -> None:
        if any(a < raw.end and raw.start < b for a, b in taken):
            return
        if lex.before_re.search(text, max(bounds[sent][0], raw.start - 40), raw.start):
            return  # "demanding justice for two cadres that were killed"
        window = text[max(bounds[sent][0], raw.start - 30):raw.start]
        if lex.subset_re.search(window):
            return
        count = raw.count
        if raw.halve and not raw.vague:
            count = max(1, count // 2)
        around = text[raw.start:min(bounds[sent][1], trigger_end + 60)]
        includes = (bool(lex.perp_included_re.search(around)) and count > 1) or bool(
            raw.victims and lex.perpetrator_re.search(raw.victims.text)
        )
        b = max(raw.end, trigger_end) if raw.to_trigger else raw.end
        a = raw.start
        taken.append((a, b))
        out.append(FatalityMention(Span(a, b, text[a:b]), count, sent, includes, raw.vague, raw.victims))

    # explicit zeros
    folded = fold(text)
    for m in _prefiltered(lex.zero_re).finditer(text, folded):
        if set((m.group("gap") or "").lower().split()) & lex.zero_blockers:
            continue
        sent = sentence_of(m.start())
        out.append(FatalityMention(Span(m.start(), m.end(), m.group()), 0, sent))
        taken.append((m.start(), m.end()))

    # totals: "the death toll rose to 15"
    for m in _prefiltered(lex.toll_re).finditer(text, folded):
        sent = sentence_of(m.start())
        hi = tok.index_at(bounds[sent][1])
        i = tok.index_at(m.end())
        for k in range(i, min(hi, i + 8)):
            if tok.words[k] in (".", ";"):
                break
            if k > i and tok.words[k - 1] not in ("to", "at", "of", "is", "was", "reached", "hit", "as", "stood", ":"):
                continue
            q = _quantity(tok, k, hi, lex)
            if q is not None and q.kind in ("number", "plural"):
                np_end = _np_end(tok, q.end, hi, lex)
                if q.end < hi and tok.words[q.end] in _UNIT_WORDS:
                    break
                raw = _Raw(q.value, False, m.start(), tok.ends[q.end - 1], tok.span(q.end, np_end) if np_end > q.end else None)
                add(raw, sent, tok.ends[max(np_end, q.end) - 1])
                break

    for m in lex.trigger_re.finditer(text):
        phrase = " ".join(m.group().lower().split())
        sent = sentence_of(m.start())
        s_lo, s_hi = tok.index_at(bounds[sent][0]), tok.index_at(bounds[sent][1])
        t = tok.index_at(m.start())
        t_end = tok.index_at(m.end())
        lo = _clause_start(tok, t, s_lo)
        before = text[max(bounds[sent][0], m.start() - 40):m.start()]
        cls = lex.trigger_class.get(phrase)
        person_only = cls == "person_only"
        if person_only:
            cls = "object"
        if lex.cumulative_re.search(text, bounds[sent][0], m.start()):
            continue  # "the conflict ... has killed more than 40,000": a war's toll, no event's
        if phrase in ("to death", "dead"):
            # "hacked a farmer to death" / "shot two men dead": the victim sits inside
            verb = next((k for k in range(t - 1, max(lo, t - 8) - 1, -1) if tok.words[k] in lex.to_death_verbs), None)
            if verb is not None and verb + 1 < t:
                if lex.adjacent_re.search(text, 0, tok.starts[verb]) or lex.before_re.search(text, max(0, tok.starts[verb] - 40), tok.starts[verb]):
                    continue
                raws = _object(tok, verb + 1, t, lex)
                for raw in raws:
                    add(raw, sent, m.end())
                if raws:
                    continue
            if phrase == "to death":
                if verb is None:
                    continue
                # "residents beat to death a suspected thief": the victim may follow
                t, cls = verb, "object"
            else:
                cls = "subject"
        if cls in ("object", "subject"):
            if lex.adjacent_re.search(before) or lex.before_re.search(before):
                continue
            if t - 1 >= s_lo and tok.words[t - 1] in ("the", "a", "an", "his", "her", "their", "of", "for"):
                continue  # "the slain militant", "the dead man", "suspicion of murder": not a verb
            if phrase in ("died", "die", "dies") and t_end < s_hi and tok.words[t_end] in ("down", "out"):
                continue
        elif cls == "of_nominal" and not lex.consequence_re.search(before):
            continue
        elif cls == "of":
            if lex.before_re.search(before):
                continue
        halve = False
        nxt = t_end
        if nxt + 1 < s_hi and tok.words[nxt] in ("and", "or", "and/or", ",") and tok.words[nxt + 1] in lex.injury:
            halve, nxt = True, nxt + 2
        if t - 2 >= s_lo and tok.words[t - 1] in ("and", "or", "and/or") and tok.words[t - 2] in lex.injury:
            halve = True
        raws: list[_Raw] = []
        if cls == "object":
            k = t - 1
            while k >= s_lo and tok.words[k] in _AUX_SKIP and tok.words[k] not in _BE_FORMS:
                k -= 1
            passive = k >= s_lo and tok.words[k] in _BE_FORMS
            if not passive:
                raws = _object(tok, nxt, s_hi, lex)
            if not raws and not passive and phrase not in _ACTIVE_ONLY:
                # "5 killed in the attack", "Man killed by police": a reduced passive; without
                # such a cue the noun before is the killer ("militiamen killed and mutilated")
                reduced = t_end >= s_hi or tok.words[t_end] in _REDUCED_PASSIVE_NEXT
                raws = [r for r in _subject(tok, t, lo, lex, bare=reduced) if reduced or not r.guessed]
            elif not raws and passive:
                raws = _subject(tok, t, lo, lex)
        elif cls == "subject":
            raws = _subject(tok, t, lo, lex)
        elif cls in ("of", "of_nominal"):
            raws = _object(tok, t_end, s_hi, lex)
        elif cls == "noun":
            prefix = text[max(bounds[sent][0], m.start() - 25):m.start()].lower()
            if re.search(r"\b(?:no|nor|not|any|unknown|unspecified|unclear|of)\s+(?:\w+\s+)?$", prefix):
                continue
            raws = _subject(tok, t, lo, lex) if t - 1 >= lo and tok.words[t - 1][0].isalnum() else []
            raws = [r for r in raws if not r.guessed and (r.victims is None or len(r.victims.text.split()) <= 2)]
            for raw in raws:
                raw.to_trigger = True  # "25 ADF fighters and 6 military fatalities": all one total
            if not raws and phrase == "fatalities" and (
                _FATALITIES_STATED_AFTER_RE.match(text, m.end()) or _FATALITIES_STATED_BEFORE_RE.search(prefix)
            ):
                raws = [_Raw(lex.vague_count, True, m.start(), m.end(), None)]
        if person_only:
            raws = [r for r in raws if not r.guessed and _victim_head(r, lex) in lex.person_heads]
        for raw in raws:
            raw.halve = halve
            add(raw, sent, m.end())

    for m in _prefiltered(lex.perp_died_re).finditer(text, folded):
        if re.search(r"\b(?:attempt\w*|tried|try|threat\w*)\s+(?:to\s+)?$", text[max(0, m.start() - 25):m.start()], re.I):
            continue
        sent = sentence_of(m.start())
        out.append(FatalityMention(Span(m.start(), m.end(), m.group()), 1, sent, True, False, None))

    out.sort(key=lambda f: f.span.start)
    return out


def perpetrator_died(text: str, sentence: tuple[int, int] | None = None) -> Span | None:
    """The words saying that the attacker died ("the bomber blew himself up"), or None.

    ``sentence`` limits the search to ``text[start:end]``; offsets returned are into ``text``.

    >>> perpetrator_died("The bomber blew himself up at the gate.").text
    'blew himself up'
    >>> perpetrator_died("Police arrested the bomber.") is None
    True
    """
    start, end = sentence if sentence is not None else (0, len(text))
    m = _lexicon().perp_died_re.search(text, start, end)
    return Span(m.start(), m.end(), m.group()) if m else None


# a bare "fatalities" counts when the text says they happened, not when it asks about them
_FATALITIES_STATED_AFTER_RE = re.compile(
    r"\s+(?:were|was|have\s+been|had\s+been|are|reported|occurred|resulted)\b(?!\s+(?:not|unknown|unclear))", re.I
)
_FATALITIES_STATED_BEFORE_RE = re.compile(
    r"\b(?:resulting\s+in|resulted\s+in|caused|causing|led\s+to|leading\s+to|left|leaving|with|suffered|sustained|inflicted)\s+(?:\w+\s+)?$",
    re.I,
)
_DEATH_COUNT_RE = re.compile(r"^\S+\s+[^.;]{0,60}?\b(?:fatalities|fatality|deaths)$", re.I)


def _is_total(mention: FatalityMention) -> bool:
    # a toll, or a count of deaths rather than of people ("2 fatalities"), sums up the event
    text = mention.span.text
    return bool(_lexicon().toll_re.match(text) or _DEATH_COUNT_RE.match(text))


_DEFINITE_RE = re.compile(r"^(?:the|this|that)\s", re.I)


def _is_definite_one(mention: FatalityMention) -> bool:
    return (
        mention.count == 1
        and mention.victims is not None
        and mention.span.start == mention.victims.start
        and bool(_DEFINITE_RE.match(mention.victims.text))
    )


_AGE = re.compile(r"\d+-years?-olds?")


def _group_key(mention: FatalityMention, lex: _Lexicon) -> str | None:
    if mention.victims is None:
        return None
    words = [w.lower() for w in re.findall(r"[\w'-]+", mention.victims.text)]
    if not words:
        return None
    head = words[-1] if words[0] == "of" or "of" not in words else words[words.index("of") - 1]
    if head in lex.generic or _AGE.fullmatch(head):
        # an age names a person, no group of victims ("a 19-year-old" may be the "teenager"
        # of the lede)
        return None
    return head[:-1] if head.endswith("s") and not head.endswith("ss") else head


def event_fatalities(mentions: Sequence[FatalityMention], *, significant: bool = False) -> int:
    """One event's fatality count from the mentions in its sentences, by ACLED's rules.

    Totals ("death toll rose to 15") win; otherwise counts of the same victims are conflicting
    reports and the lowest is kept, while distinct victim groups ("10 soldiers ... three
    fighters were also killed") add up; a count over unnamed victims ("5 people") is a total
    of the named groups. Vague counts give 3, or 10 when ``significant``, unless a precise count
    of the same victims exists. A perpetrator's own death counts once. Only zeros -> 0.

    >>> from eventcoder.model import Span
    >>> def m(n, text, victims=None, vague=False):
    ...     v = Span(0, len(victims), victims) if victims else None
    ...     return FatalityMention(Span(0, len(text), text), n, 0, vague=vague, victims=v)
    >>> event_fatalities([m(4, "4 soldiers were killed", "soldiers"),
    ...                   m(3, "3 soldiers died", "soldiers")])
    3
    >>> event_fatalities([m(10, "10 soldiers were killed", "soldiers"),
    ...                   m(3, "three fighters were also killed", "fighters")])
    13
    >>> event_fatalities([m(3, "several", vague=True)], significant=True)
    10
    """
    lex = _lexicon()
    positive = [m for m in mentions if m.count > 0]
    totals = [m for m in mentions if _is_total(m)]
    if totals:
        precise = [m for m in totals if not m.vague]
        if not precise:
            return lex.vague_significant if significant else lex.vague_count
        # coordinated totals of one sentence add up ("25 ADF and 6 military fatalities"); totals
        # of different sentences are conflicting reports: the lowest wins
        by_sentence: dict[int, int] = {}
        for m in precise:
            by_sentence[m.sentence] = by_sentence.get(m.sentence, 0) + m.count
        return min(by_sentence.values())
    if not positive:
        return 0
    vague_value = lex.vague_significant if significant else lex.vague_count

    def value(group: list[FatalityMention]) -> int:
        precise = [m.count for m in group if not m.vague]
        return min(precise) if precise else vague_value

    # the perpetrator's own death counts once, and not at all when a total already includes it
    perp = [m for m in positive if m.includes_perpetrator and m.count == 1]
    perp_counted = any(m.includes_perpetrator and m.count > 1 for m in positive)
    rest = [m for m in positive if m not in perp]
    # "the victim", "the man": a definite singular without a number refers back to a death
    # already counted, unless it is the only count there is
    definite = [m for m in rest if _is_definite_one(m)]
    if len(definite) < len(rest):
        rest = [m for m in rest if m not in definite]
    elif definite:
        rest = definite[:1]
    generic: list[FatalityMention] = []
    groups: dict[str, list[FatalityMention]] = {}
    extra: list[list[FatalityMention]] = []
    for m in rest:
        key = _group_key(m, lex)
        if lex.additive_re.search(m.span.text):
            extra.append([m])
        elif key is None:
            generic.append(m)
        else:
            groups.setdefault(key, []).append(m)
    named = sum(value(g) for g in groups.values())
    if generic:
        # "5 people were killed: 3 soldiers and 2 civilians": the unnamed count is a total
        base = max(value(generic), named) if groups else value(generic)
    else:
        base = named
    base += sum(value(g) for g in extra)
    if perp and not perp_counted:
        base += 1
    return base


def make_fatalities(config: PipelineConfig) -> Stage:
    """Build the fatalities stage: fills ``doc.fatalities`` from the text and its sentences.

    >>> from eventcoder.model import Article
    >>> stage = make_fatalities(PipelineConfig())
    >>> text = "Two soldiers were killed."
    >>> [m.count for m in stage(Document(Article("a", text), text=text)).fatalities]
    [2]
    """
    _lexicon()  # load and compile once, at build time

    def fatalities_stage(doc: Document) -> Document:
        doc.fatalities = find_fatalities(doc.text, doc.sentences)
        return doc

    return fatalities_stage
