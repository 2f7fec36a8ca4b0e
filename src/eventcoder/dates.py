"""The dates stage: date expressions in the text, resolved against the publication date.

Everything a news report says about *when* is resolved by our own rules: weekday names
("on Saturday" is the latest Saturday on or before publication, so an article published on a
Saturday means that very day), "yesterday", "last night", "last week", "at the weekend", "earlier
this month", day-of-month alone ("on the 12th"), and absolute dates ("26 May", "May 26, 2018",
"8/10/2022"). dateparser is imported lazily, only for month-bearing strings our own patterns could
not read.

Precision follows ACLED (CODEBOOK.md sec. 6): 1 an exact day; 2 a week, a weekend, a range of days
(first day kept) or an approximate day ("around 8 May", "26 May (week of)"); 3 a month (mid-month,
or the first/last day for "early"/"end of").

Choices, documented once here:

* ``reported=True`` marks a date that says when something was *said* ("reported on Saturday",
  "said on Tuesday", "in a statement on Tuesday", "As reported on July 15", "On Tuesday, the
  ministry said ..."). The events stage prefers dates that are not reported. A reporting clause
  that closes a sentence after a mid-sentence date is a trailing attribution, and the date stays
  the event's ("... killed 15 people in El Fasher, the state capital, on Sunday, medics said.").
* History is skipped, not returned: a year alone ("in 2011") is never a date; a date after
  "since", "until" or "anniversary of" is background; an absolute date more than
  :data:`HISTORY_DAYS` before publication is history.
* Dates in the future ("next Monday", "will meet on Friday") are skipped, and no date after
  publication + 1 day is ever returned.
* "on the night of Friday to Saturday" resolves to the Friday: the night belongs to the evening it
  starts on. "last week" is the Wednesday of the week before publication's (Monday-based) week.
  "at the weekend" is the Saturday of the latest weekend that has begun. A year missing from
  "26 May" is the latest year that puts the date no later than publication + 1 day.
* Without a publication date only dates with a year are returned.
* "the same day", "that night" take the nearest earlier date that is not a report's, with its
  precision; with no such date they are skipped. "The next day" is not resolved: it mostly
  dates a sequel of the event ("abducted, but released the following day").
* A wire dateline's date ("BEIRUT, March 8 (Reuters) - ...") is ``reported``: it dates the
  report, so "BEIRUT, March 8 (Wire) - Warplanes struck X on Thursday" dates the strike Thursday.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from eventcoder.cache import compile_regex, longest_first
from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.lexicon import safe_load
from eventcoder.model import DateMention, Document, Span
from eventcoder.pipeline import Stage


#: absolute dates older than this many days before publication are history, not events
HISTORY_DAYS = 365
#: a date may lie this many days after publication (time zones, overnight reports)
FUTURE_TOLERANCE = dt.timedelta(days=1)


def read_data_file(name: str) -> dict[str, Any]:
    """Load one of the package's YAML data files, checking it is a mapping with ``schema: 1``.

    >>> read_data_file("date_words.yaml")["weekdays"]["Monday"]
    0
    """
    path = resources.files("eventcoder") / "data" / name
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DataError(str(path), f"cannot read: {err}") from err
    if not isinstance(data, dict) or data.get("schema") != 1:
        raise DataError(str(path), "expected a mapping with 'schema: 1'")
    return data


def _alternation(words: Iterable[str]) -> str:
    # longest first so that "Sept" wins over "Sep" and "earlier this week" over "this week"
    return "|".join(re.escape(w) for w in sorted(set(words), key=longest_first))


@dataclass(frozen=True)
class _Lexicon:
    """The compiled patterns and tables, built once per process from date_words.yaml."""

    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    relative_periods: dict[str, dict[str, Any]]
    remarks: dict[str, int]
    positions: dict[str, int | str]
    numbers: dict[str, int]
    approx_re: re.Pattern[str]
    history_re: re.Pattern[str]
    future_re: re.Pattern[str]
    blocker_re: re.Pattern[str]
    reporting_re: re.Pattern[str]
    reporting_after_re: re.Pattern[str]
    remark_re: re.Pattern[str]
    anaphoric_days: dict[str, int]
    anaphor_re: re.Pattern[str]
    scan_re: re.Pattern[str]
    candidate_re: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    words = read_data_file("date_words.yaml")
    quantities = read_data_file("quantities.yaml")
    months: dict[str, int] = words["months"]
    weekdays: dict[str, int] = words["weekdays"]
    # "Jan.29" and "Sept. 5" as well as "May 26"
    month = rf"(?-i:{_alternation(months)})(?:\.(?=\s*\d)|\b)"
    weekday = rf"(?-i:{_alternation(weekdays)})"
    day = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
    year = r"(?:19|20)\d{2}"
    numbers = {**quantities["units"], **quantities["tens"], "a": 1, "an": 1, "a couple of": 2}
    number = rf"(?:\d{{1,2}}|{_alternation(numbers)})"
    positions = {str(k): v for k, v in words["month_positions"].items()}
    position = _alternation(p for p in positions if not p.endswith("-"))
    part = _alternation(words["day_parts"])
    relday = _alternation(words["relative_days"])
    relperiod = _alternation(words["relative_periods"])
    # One scanner, one alternation: each branch names its kind so one pass over the text finds
    # every candidate, longest forms first.
    scan = rf"""
      (?P<range_dm>(?:\b(?:between|from)\s+)?\b(?P<rd1>{day})\s*(?:-|–|to|and|until|till)\s*
          (?P<rd2>{day})\s+(?:of\s+)?(?P<rm>{month})(?:,?\s+(?P<ry>{year}))?\b)
    | (?P<range_md>(?:\b(?:between|from)\s+)?\b(?P<rm2>{month})\s+(?P<rd3>{day})\s*
          (?:-|–|to|and|until|till)\s*(?P<rd4>{day})\b(?:,?\s+(?P<ry2>{year}))?)
    | (?P<night>\b(?:on\s+)?(?:the\s+)?night\s+(?:of\s+)?(?P<nwd>{weekday})\s+(?:to|into)\s+{weekday}\b)
    | (?P<dm>\b(?P<d1>{day})(?:\s+of)?\s+(?P<m1>{month})(?![a-z])(?:,?\s+(?P<y1>{year})\b)?)
    | (?P<md>\b(?P<m2>{month})\s*(?P<d2>{day})(?![\d:])\b(?:,?\s+(?P<y2>{year})\b)?)
    | (?P<iso>\b(?P<iy>{year})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)
    | (?P<num>\b(?P<n1>\d{{1,2}})[/.](?P<n2>\d{{1,2}})[/.](?P<n3>{year}|\d{{2}})\b)
    | (?P<num2>(?<=\bon\s)(?P<n4>\d{{1,2}})/(?P<n5>\d{{1,2}})\b(?![/.]\d))
    | (?P<monthonly>\b(?P<pos>{position}|mid-)\s*(?:the\s+month\s+of\s+)?(?P<m3>{month})(?![a-z])
          (?:,?\s+(?P<y3>{year})\b)?)
    | (?P<monthyear>\b(?P<m4>{month})(?![a-z]),?\s+(?P<y4>{year})\b)
    | (?P<dom>\bon\s+the\s+(?P<d5>(?:0?[1-9]|[12]\d|3[01]))(?:st|nd|rd|th)\b
          (?=\s*(?:[,.;:)]|$|of\s+(?:this|last|the)\s+month|(?:when|while|as|after|before|and|in|at|near)\b)))
    | (?P<ago>\b(?P<agon>{number}|a\s+few|a)\s+(?P<agou>days?|weeks?)\s+ago\b)
    | (?P<wd>\b(?:(?P<wmod>last|this\s+past|this|past|previous)\s+)?(?P<wday>{weekday})(?:'s|’s)?
          (?:\s+(?P<wpart>{part}))?\b)
    | (?P<relday>\b(?:{relday})\b)
    | (?P<relperiod>\b(?:{relperiod})\b(?!\s+of\b|'s|’s))
    """
    remarks = {str(k): int(v) for k, v in words["precision_remarks"].items()}
    reporting = words["reporting_words"]
    return _Lexicon(
        months=months,
        weekdays=weekdays,
        relative_days={str(k): int(v) for k, v in words["relative_days"].items()},
        relative_periods=dict(words["relative_periods"]),
        remarks=remarks,
        positions=positions,
        numbers={**numbers, "a few": 3},
        approx_re=compile_regex(rf"\b(?:{_alternation(words['approximate_before'])})\s*$", re.I),
        history_re=compile_regex(
            rf"\b(?:{_alternation(words['history_before'])})\s+(?:the\s+)?$", re.I
        ),
        future_re=compile_regex(rf"\b(?:{_alternation(words['future_cues'])})\b", re.I),
        blocker_re=compile_regex(rf"\b(?-i:{_alternation(words['weekday_blockers'])})\s+$"),
        reporting_re=compile_regex(rf"\b(?:{_alternation(reporting)})\b", re.I),
        reporting_after_re=compile_regex(
            rf"^\s*,\s*(?:[\w'’.-]+\s+){{0,5}}?(?:{_alternation(reporting)})\b", re.I
        ),
        remark_re=compile_regex(rf"\s*\((?:{_alternation(remarks)})\)", re.I),
        anaphoric_days={str(k): int(v) for k, v in words["anaphoric_days"].items()},
        anaphor_re=compile_regex(
            rf"\b(?:{_alternation(words['anaphoric_days'])})\b(?!\s+(?:yesterday|that|the|of)\b)", re.I
        ),
        scan_re=compile_regex(scan, re.I | re.X),
        candidate_re=compile_regex(
            rf"\b(?:\d{{1,2}}\W{{1,4}}{month}|{month}\W{{1,4}}\d{{1,2}})(?:\W{{1,3}}{year})?\b"
        ),
    )


# Words that end a clause: a reporting verb before one of them does not govern the date after.
_CLAUSE_BREAK_RE = compile_regex(
    r"[,;:()\[\]]|\b(?:that|which|who|when|after|before|while|because|and|but|as|where|if)\b",
    re.I,
)
# An event verb between a reporting word and the date ("were reported killed on Saturday") means
# the date belongs to the event verb.
_EVENT_VERB_RE = compile_regex(r"\b(?!(?:issued|released|published|held|posted)\b)\w+(?:ed|ing)\b", re.I)


# only "On" (or nothing) between a clause's start and the date: the date opens the clause
_SENTENCE_OPENING_RE = compile_regex(r"\s*(?:(?:late|early)\s+)?(?:on\s+)?", re.I)
_AFTER_PUNCT_OPENING_RE = compile_regex(r"[,;:(]\s*(?:(?:late|early)\s+)?(?:on\s+)?$", re.I)
_ATTRIBUTIVE_RE = compile_regex(r"\b(?:the|a|an)\s+$", re.I)
# A wire dateline: "BEIRUT, March 8 (Reuters) - ", "ADEN, Yemen, April 15 (Xinhua) -- ". Its
# date says when the report was filed, not when anything happened.
_DATELINE_RE = compile_regex(
    r"\A\s*[A-Z][A-Z'.\-]{2,}(?:\s+[A-Z][A-Z'.\-]+)*,[^\n]{0,80}?\s(?:-{1,2}|\u2014|\u2013)\s"
)


def _sentence_bounds(sentences: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    return sentences if sentences else [(0, len(text))]


def _sentence_index(starts: list[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def _year_for(month: int, day: int, published: dt.date) -> dt.date | None:
    """The latest date with this month and day not after publication + tolerance."""
    limit = published + FUTURE_TOLERANCE
    for year in (limit.year, limit.year - 1, limit.year - 2, limit.year - 3, limit.year - 4):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _make_date(year: int | None, month: int, day: int, published: dt.date | None) -> dt.date | None:
    if year is None:
        return _year_for(month, day, published) if published else None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _last_day(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def _weekday_on_or_before(published: dt.date, weekday: int, strictly: bool = False) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _period(spec: dict[str, Any], published: dt.date) -> tuple[dt.date, int]:
    """Resolve a week/weekend/month phrase to ACLED's representative day and precision."""
    unit, offset, earlier = spec["unit"], int(spec.get("offset", 0)), bool(spec.get("earlier"))
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
        if offset < 0:
            return monday + dt.timedelta(days=2), 2
        last = published - dt.timedelta(days=1) if earlier else published
        last = max(last, monday)
        return monday + (last - monday) / 2, 2
    if unit == "weekend":
        saturday = _weekday_on_or_before(published, 5)
        if published.weekday() == 5 and earlier:
            saturday -= dt.timedelta(days=7)
        return saturday + dt.timedelta(weeks=offset), 2
    first = published.replace(day=1)
    if offset < 0:
        prev = first - dt.timedelta(days=1)
        return prev.replace(day=15), 3
    last = published - dt.timedelta(days=1) if earlier else published
    if last < first:
        return first, 3
    return min(first.replace(day=15), first + (last - first) / 2 if last.day < 15 else last), 3


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    date: dt.date
    precision: int
    relative: bool
    absolute_full: bool = False


def _resolve(match: re.Match[str], text: str, published: dt.date | None, lex: _Lexicon) -> _Found | None:
    """Turn one scanner match into a date, or None when it cannot be resolved."""
    kind = match.lastgroup
    g = match.group
    start, end = match.start(), match.end()
    if kind in ("range_dm", "range_md"):
        name = (g("rm") or g("rm2")).rstrip(".")
        m = lex.months[name]
        year = g("ry") or g("ry2")
        d1 = _day(g("rd1") or g("rd3"))
        d2 = _day(g("rd2") or g("rd4"))
        if d2 <= d1:
            return None
        date = _make_date(int(year) if year else None, m, d1, published)
        return _Found(start, end, date, 2, False, bool(year)) if date else None
    if kind == "night":
        if published is None:
            return None
        wd = lex.weekdays[g("nwd")]
        return _Found(start, end, _weekday_on_or_before(published, wd), 1, True)
    if kind in ("dm", "md"):
        name = (g("m1") or g("m2")).rstrip(".")
        year = g("y1") or g("y2")
        date = _make_date(int(year) if year else None, lex.months[name], _day(g("d1") or g("d2")), published)
        return _Found(start, end, date, 1, False, bool(year)) if date else None
    if kind == "iso":
        date = _make_date(int(g("iy")), int(g("im")), int(g("id")), published)
        return _Found(start, end, date, 1, False, True) if date else None
    if kind in ("num", "num2"):
        a, b = int(g("n1") or g("n4")), int(g("n2") or g("n5"))
        raw_year = g("n3")
        year = None if raw_year is None else int(raw_year) + (2000 if len(raw_year) == 2 else 0)
        readings = [(b, a)] + ([(a, b)] if a <= 12 and a != b else [])
        dates = [d for mo, da in readings if mo <= 12 and (d := _make_date(year, mo, da, published))]
        if not dates:
            return None
        if published is not None and len(dates) > 1:
            # day/month order: the reading nearest publication without passing it; the
            # day-first reading wins ties (most sources outside the US write day first)
            fine = [d for d in dates if d <= published + FUTURE_TOLERANCE] or dates
            dates = sorted(fine, key=lambda d: abs((published - d).days))
        return _Found(start, end, dates[0], 1, False, year is not None)
    if kind in ("monthonly", "monthyear"):
        name = (g("m3") or g("m4")).rstrip(".")
        month = lex.months[name]
        raw = g("y3") or g("y4")
        pos = (g("pos") or "in").lower()
        where = lex.positions.get(pos, 15)
        if raw:
            year = int(raw)
        elif published is not None:
            year = published.year if dt.date(published.year, month, 1) <= published else published.year - 1
        else:
            return None
        day = _last_day(year, month) if where == "last" else int(where)
        date = dt.date(year, month, day)
        if published is not None and date > published + FUTURE_TOLERANCE:
            date = published
        return _Found(start, end, date, 3, False, bool(raw))
    if published is None:
        return None
    if kind == "dom":
        day = int(g("d5"))
        limit = published + FUTURE_TOLERANCE
        month_start = published.replace(day=1)
        for anchor in (month_start, (month_start - dt.timedelta(days=1)).replace(day=1)):
            try:
                date = anchor.replace(day=day)
            except ValueError:
                continue
            if date <= limit:
                return _Found(start, end, date, 1, True)
        return None
    if kind == "ago":
        unit = g("agou").lower()
        raw = re.sub(r"\s+", " ", g("agon").lower())
        count = int(raw) if raw.isdigit() else lex.numbers.get(raw)
        if count is None:
            return None
        precise = unit.startswith("day") and raw != "a few"
        days = count * (1 if unit.startswith("day") else 7)
        return _Found(start, end, published - dt.timedelta(days=days), 1 if precise else 2, True)
    if kind == "wd":
        if lex.blocker_re.search(text, max(0, start - 12), start):
            return None
        mod = (g("wmod") or "").lower()
        strictly = mod in ("last", "past", "previous")
        date = _weekday_on_or_before(published, lex.weekdays[g("wday")], strictly)
        return _Found(start, end, date, 1, True)
    if kind == "relday":
        phrase = re.sub(r"\s+", " ", match.group().lower())
        return _Found(start, end, published - dt.timedelta(days=lex.relative_days[phrase]), 1, True)
    if kind == "relperiod":
        phrase = re.sub(r"\s+", " ", match.group().lower())
        date, precision = _period(lex.relative_periods[phrase], published)
        return _Found(start, end, date, precision, True)
    return None


def _parse_with_dateparser(candidate: str, published: dt.date | None) -> dt.date | None:
    """Last resort for a month-bearing string our patterns did not read."""
    import dateparser  # lazily: it is slow to import and rarely needed

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY",
                                "REQUIRE_PARTS": ["day", "month"]}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    parsed = dateparser.parse(candidate, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _is_reported(text: str, start: int, end: int, sent_start: int, sent_end: int, lex: _Lexicon) -> bool:
    before = text[max(sent_start, start - 80):start]
    breaks = list(_CLAUSE_BREAK_RE.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    hits = list(lex.reporting_re.finditer(clause))
    if hits:
        tail = clause[hits[-1].end():]
        if not _EVENT_VERB_RE.search(tail) and len(tail.split()) <= 6:
            return True
    # "On Tuesday, the ministry said ...": the date opens a clause whose verb reports
    hit = lex.reporting_after_re.match(text[end:min(sent_end, end + 70)])
    window_start = max(sent_start, start - 16)
    opening = text[window_start:start]
    opens_clause = _AFTER_PUNCT_OPENING_RE.search(opening) or (
        window_start == sent_start and _SENTENCE_OPENING_RE.fullmatch(opening)
    )
    if hit and opens_clause:
        subject = hit.group().split(",", 1)[1].split()[:-1]
        # "... killed 15 in El Fasher, the state capital, on Sunday, medics said.": mid-sentence, a
        # reporting clause that closes the sentence is a trailing attribution, and the date
        # before it belongs to the event clause (wire style; a report's day would come after
        # the verb: "medics said on Sunday").
        mid_sentence = not _SENTENCE_OPENING_RE.fullmatch(text[sent_start:start])
        trailing = mid_sentence and _ends_sentence(text, end + hit.end(), sent_end)
        if not trailing and not any(_EVENT_VERB_RE.fullmatch(word.strip(".,")) for word in subject):
            return True
    return False


def _ends_sentence(text: str, start: int, sent_end: int) -> bool:
    """Whether ``text[start:sent_end]`` closes a sentence with at most a short adverbial ("on
    Tuesday", "in a statement") and no clause of its own."""
    rest = text[start:sent_end].strip().rstrip(".!\"'”’")
    return len(rest.split()) <= 4 and not _CLAUSE_BREAK_RE.search(rest) and not _EVENT_VERB_RE.search(rest)


def find_dates(text: str, published: dt.date | None, sentences: list[tuple[int, int]]) -> list[DateMention]:
    """Date expressions in ``text``, resolved against ``published``, in text order.

    ``sentences`` are ``(start, end)`` offsets into ``text`` (the whole text is one sentence when
    the list is empty). Dates after publication + 1 day, future and history dates are left out.

    >>> [m.date.isoformat() for m in find_dates("Gunmen attacked on Saturday.",
    ...                                         dt.date(2018, 5, 29), [])]
    ['2018-05-26']
    >>> m = find_dates("Police said on Tuesday that ...", dt.date(2018, 5, 29), [])[0]
    >>> (m.date.isoformat(), m.reported)
    ('2018-05-29', True)
    """
    lex = _lexicon()
    bounds = _sentence_bounds(sentences, text)
    starts = [s for s, _ in bounds]
    limit = published + FUTURE_TOLERANCE if published else None
    found: list[_Found] = []
    covered: list[tuple[int, int]] = []
    for match in lex.scan_re.finditer(text):
        covered.append(match.span())
        item = _resolve(match, text, published, lex)
        if item is not None:
            found.append(item)
    for match in lex.candidate_re.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        if published is None and not re.search(r"\d{4}", match.group()):
            continue  # no year and nothing to infer it from
        date = _parse_with_dateparser(match.group(), published)
        if date is not None:
            found.append(_Found(match.start(), match.end(), date, 1, False, True))
    found.sort(key=lambda f: f.start)
    found = _merge(found, text)
    dateline = _DATELINE_RE.match(text)
    dateline_end = dateline.end() if dateline else 0

    out: list[DateMention] = []
    for item in found:
        if limit is not None and item.date > limit:
            continue
        if published is not None and not item.relative and (published - item.date).days > HISTORY_DAYS:
            continue
        index = _sentence_index(starts, item.start)
        first_word = text[item.start:item.end].split()[0].rstrip(".,")
        if (
            item.precision == 3
            and first_word in lex.months
            and _ATTRIBUTIVE_RE.search(text, max(0, item.start - 5), item.start)
        ):
            # "the October 2014 insurrection": a month naming a past episode, not a day
            continue
        sent_start, sent_end = bounds[index]
        before = text[max(sent_start, item.start - 40):item.start]
        if lex.history_re.search(before):
            continue
        if item.relative or not item.absolute_full:
            clause = before
            cut = list(_CLAUSE_BREAK_RE.finditer(clause))
            if cut:
                clause = clause[cut[-1].end():]
            if lex.future_re.search(clause) or re.match(r"\s*next\b", text[item.end:item.end + 6], re.I):
                continue
        precision = item.precision
        start = item.start
        approx = lex.approx_re.search(text, max(sent_start, start - 20), start)
        if approx and not item.relative:
            precision = max(precision, 2)
            start = approx.start()
        remark = lex.remark_re.match(text, item.end)
        end = item.end
        if remark:
            key = re.sub(r"\s+", " ", remark.group().strip(" ()").lower())
            precision = max(precision, lex.remarks.get(key, precision))
            end = remark.end()
        reported = item.start < dateline_end or _is_reported(text, item.start, end, sent_start, sent_end, lex)
        out.append(DateMention(Span(start, end, text[start:end]), item.date, precision, index, reported))
    return _anaphoric(text, out, starts, limit, lex)


def _anaphoric(
    text: str, found: list[DateMention], starts: list[int], limit: dt.date | None, lex: _Lexicon
) -> list[DateMention]:
    """Add "the same day", "that night": the nearest earlier date of an event."""
    out = list(found)
    for match in lex.anaphor_re.finditer(text):
        if any(d.span.start <= match.start() < d.span.end for d in found):
            continue
        earlier = [d for d in out if d.span.end <= match.start()]
        anchor = next((d for d in reversed(earlier) if not d.reported), None)
        if anchor is None:
            continue
        phrase = re.sub(r"\s+", " ", match.group().lower())
        date = anchor.date + dt.timedelta(days=lex.anaphoric_days[phrase])
        if limit is not None and date > limit:
            continue
        index = _sentence_index(starts, match.start())
        span = Span(match.start(), match.end(), match.group())
        out.append(DateMention(span, date, anchor.precision, index, False))
        out.sort(key=lambda d: d.span.start)
    return out


def _merge(found: list[_Found], text: str) -> list[_Found]:
    """Drop candidates inside longer ones; join "Saturday, 26 May" and "28 April to 2 May"."""
    kept: list[_Found] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            if item.end - item.start > kept[-1].end - kept[-1].start:
                kept[-1] = item
            continue
        if kept:
            prev = kept[-1]
            gap = text[prev.end:item.start]
            if prev.relative and not item.relative and re.fullmatch(r"\s*,?\s*(?:the\s+)?", gap):
                # a weekday naming the same day as the absolute date after it: keep the absolute
                kept[-1] = _Found(prev.start, item.end, item.date, item.precision, False, item.absolute_full)
                continue
            if not prev.relative and not item.relative and re.fullmatch(r"\s*(?:-|–|to|and|until|till|through)\s*", gap):
                opener = text[max(0, prev.start - 9):prev.start].lower()
                if "between" in opener or "from" in opener or gap.strip() in ("-", "–"):
                    kept[-1] = _Found(prev.start, item.end, prev.date, 2, False, prev.absolute_full)
                    continue
        kept.append(item)
    return kept


def make_dates(config: PipelineConfig) -> Stage:
    """Build the dates stage: fills ``doc.dates`` from the text and the publication date.

    >>> stage = make_dates(PipelineConfig())
    >>> from eventcoder.model import Article
    >>> doc = Document(Article("a", "Protests on Monday."), text="Protests on Monday.")
    >>> stage(doc).dates
    []
    """
    _lexicon()  # load and compile once, at build time

    def dates_stage(doc: Document) -> Document:
        doc.dates = find_dates(doc.text, doc.article.published, doc.sentences)
        return doc

    return dates_stage
