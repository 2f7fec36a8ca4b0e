"""Linking across articles (``linking.py``): near-duplicate articles and the merge rules, on
hand-built events (no spaCy model)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import random
import subprocess
import sys
import time

import pytest

from eventcoder.linking import (
    MinHashIndex,
    actors_agree,
    candidate_pairs,
    compatible,
    date_window,
    merge_events,
    merged_event_id,
    shingles,
    tables,
)
from eventcoder.model import Event, Evidence, MergedEvent

# --- building events by hand --------------------------------------------------------------------

#: Faskari and a point 5 km east of it; Funtua is about 40 km away (all in Katsina, Nigeria).
FASKARI = (11.7211, 7.0299)
FUNTUA = (11.5233, 7.3081)


def report(article: str, number: int = 1, *, date_phrase: str | None = "on Monday", **fields: object) -> Event:
    """A report of a killing of villagers in Faskari on Monday 4 March 2024, from ``article``."""
    values: dict[str, object] = dict(
        event_date="2024-03-04",
        time_precision=1,
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="Unidentified Armed Group (Nigeria)",
        assoc_actor_1=None,
        inter1=3,
        actor2="Civilians (Nigeria)",
        assoc_actor_2=None,
        inter2=7,
        interaction=37,
        civilian_targeting="Civilians targeted",
        country="Nigeria",
        admin1="Katsina",
        admin2="Faskari",
        admin3=None,
        location="Faskari",
        latitude=FASKARI[0],
        longitude=FASKARI[1],
        geo_precision=1,
        source=f"outlet {article}",
        notes=None,
        fatalities=5,
        article_id=article,
        event_id=f"{article}-{number}",
        confidence=0.8,
        evidence=[],
    )
    values.update(fields)
    if date_phrase is not None and not values["evidence"]:
        values["evidence"] = [Evidence(10, 10 + len(date_phrase), date_phrase, "event_date")]
    return Event(**values)  # type: ignore[arg-type]


def groups(merged: list[MergedEvent]) -> set[frozenset[str]]:
    """The partition of reports (by event id) that a merge made."""
    return {frozenset(source.event_id for source in m.sources) for m in merged}


# --- near-duplicate articles ---------------------------------------------------------------------

WIRE = (
    "MAIDUGURI, Nigeria, March 3 (GPA) - Fighters of the Islamic State West Africa Province "
    "attacked a military base in Damboa in Borno state on Saturday, sparking a gun battle that "
    "lasted several hours, military sources said. Seven soldiers were killed, the sources said."
)
COPY = WIRE.replace("MAIDUGURI, Nigeria, March 3 (GPA) - ", "") + " (GPA)"
OTHER = (
    "Troops repelled an attack by insurgents on their base in Damboa on Saturday night, the army "
    "said in a statement on Sunday. Nine soldiers lost their lives, a security source said."
)


def test_shingles_drop_the_dateline_and_the_credit() -> None:
    assert shingles(WIRE) == shingles(COPY)
    assert b"fighters of the" in shingles(WIRE)
    assert shingles("") == set()
    assert shingles("Two words") == {b"two words"}


def test_a_syndicated_copy_is_found_and_a_rewrite_is_not() -> None:
    index = MinHashIndex()
    index.add("wire", index.signature(WIRE))
    index.add("other", index.signature(OTHER))
    assert index.query(index.signature(COPY)) == ["wire"]
    assert index.query(index.signature(OTHER)) == ["other"]
    assert index.query(index.signature("Police fired tear gas at protesters in Nairobi.")) == []
    assert len(index) == 2


def test_query_answers_are_sorted_and_adding_an_id_again_replaces_it() -> None:
    index = MinHashIndex()
    signature = index.signature(WIRE)
    for article_id in ("c", "a", "b"):
        index.add(article_id, signature)
    assert index.query(signature) == ["a", "b", "c"]
    index.add("b", index.signature(OTHER))
    assert index.query(signature) == ["a", "c"]
    assert len(index) == 3


def test_the_threshold_is_the_estimated_jaccard_similarity() -> None:
    words = [f"w{i}" for i in range(200)]
    base = " ".join(words)
    # changing every 10th word changes 3 shingles each: Jaccard about 0.74
    edited = " ".join(w if i % 10 else "x" for i, w in enumerate(words))
    strict, loose = MinHashIndex(0.9), MinHashIndex(0.5)
    for index in (strict, loose):
        index.add("base", index.signature(base))
    assert strict.query(strict.signature(edited)) == []
    assert loose.query(loose.signature(edited)) == ["base"]
    with pytest.raises(ValueError):
        MinHashIndex(0.0)


def test_a_signature_is_pinned_bytes() -> None:
    """The same text gives the same bytes in every run and process (a store keeps them)."""
    signature = MinHashIndex().signature(WIRE)
    assert isinstance(signature, bytes)
    # pinned: a change of hash function, seed, shingling or byte layout breaks stored signatures
    assert hashlib.sha256(signature).hexdigest()[:16] == "d06ab0b2dbd0d0ce"
    code = (
        "from eventcoder.linking import MinHashIndex; import sys; "
        "sys.stdout.write(MinHashIndex().signature(sys.argv[1]).hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, WIRE],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.decode()
        for seed in ("0", "1", "12345")
    }
    assert outputs == {signature.hex()}


def test_a_signature_from_elsewhere_is_refused() -> None:
    from datasketch import LeanMinHash, MinHash

    index = MinHashIndex()
    legacy = LeanMinHash(MinHash(num_perm=128, seed=1, scheme="legacy"))
    buffer = bytearray(legacy.bytesize(byteorder="<"))
    legacy.serialize(buffer, byteorder="<")
    with pytest.raises(ValueError, match="other parameters"):
        index.add("x", bytes(buffer))
    with pytest.raises(ValueError, match="signature"):
        index.add("x", b"not a signature")
    with pytest.raises(ValueError, match="signature"):
        index.query(b"")


# --- the tables ---------------------------------------------------------------------------------


def test_linking_tables_load_and_are_valid() -> None:
    from eventcoder.lexicon import codebook

    data = tables()
    assert frozenset({"Protests", "Riots"}) in data.compatible_types
    assert all(len(pair) == 2 for pair in data.compatible_types)
    assert frozenset({"Looting/property destruction", "Attack"}) in data.compatible_sub_event_types
    for pair in data.compatible_sub_event_types:
        # each pairs two event types the event-type pairs do not already join
        types = frozenset(codebook().event_type[sub] for sub in pair)
        assert len(pair) == 2 and len(types) == 2 and types not in data.compatible_types
    for phrase in ("late on Monday", "overnight", "in the early hours of Tuesday", "Sunday night"):
        assert data.boundary.search(phrase), phrase
    for phrase in ("on Monday", "March 4", "yesterday", "nightclub"):
        assert not data.boundary.search(phrase), phrase


# --- the merge rules ----------------------------------------------------------------------------


def test_two_reports_of_one_event_merge_keeping_both_sources() -> None:
    a = report("a", fatalities=5, evidence=[Evidence(0, 6, "killed", "trigger")])
    b = report("b", fatalities=7, source="outlet b", date_phrase="yesterday")
    [merged] = merge_events([b, a])
    assert merged.sources == (a, b)
    assert merged.event.fatalities == 5
    assert merged.fatalities_disagree
    assert "5, 7" in (merged.event.notes or "")
    assert merged.event.source == "outlet a; outlet b"
    assert merged.event.event_id == merged_event_id([a, b]) != a.event_id
    assert merged.sources[1].evidence == b.evidence


def test_reports_from_one_article_merge_only_as_one_acled_event() -> None:
    """Two reports of one article are one event only by ACLED's unit: one actor pair, one
    place, one day (the extraction told the parts of one event apart)."""
    assert len(merge_events([report("a", 1), report("a", 2)])) == 1
    elsewhere = report("a", 2, location="Funtua", admin2="Funtua", latitude=FUNTUA[0], longitude=FUNTUA[1])
    assert len(merge_events([report("a", 1), elsewhere])) == 2
    # within one article, a day apart is another day, whatever the words
    next_day = report("a", 2, event_date="2024-03-05", date_phrase="overnight")
    assert len(merge_events([report("a", 1), next_day])) == 2
    # two pairs of actors: the army fought Boko Haram, and Boko Haram killed villagers
    clash = sides("a", "army", "boko")
    killing = report("a", 2, actor1=NAMES["boko"][0], inter1=2)
    assert len(merge_events([clash, killing])) == 2
    # a ceasefire after a clash of the same two sides is a second event
    truce = dataclasses.replace(sides("a", "army", "boko"), event_id="a-2", event_type="Strategic developments",
                                sub_event_type="Agreement")
    assert len(merge_events([clash, truce])) == 2


def test_the_parts_of_one_event_in_one_article_link_as_one() -> None:
    """An air strike and, told apart, its toll ("12 people were killed") in one article are one
    event, and the toll joins the strike's event from other outlets."""
    strike = dict(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                  actor1=NAMES["army"][0], inter1=1, actor2=None, inter2=None, fatalities=0)
    official = [report("a", 1, **strike), report("a", 2)]  # the toll: gunmen (unknown) killed 5
    wire = report("b", **{**strike, "actor2": "Civilians (Nigeria)", "inter2": 7, "fatalities": 6})
    [merged] = merge_events([wire, *official])
    assert len(merged.sources) == 3
    assert merged.event.sub_event_type == "Air/drone strike" and merged.event.fatalities == 5
    # a looting told apart from the attack it belongs to: the article's one vote is the attack
    looting = report("c", 2, event_type="Strategic developments", sub_event_type="Looting/property destruction",
                     fatalities=0)
    [merged] = merge_events([report("c", 1), looting, report("d", event_type="Strategic developments",
                                                               sub_event_type="Looting/property destruction")])
    assert merged.event.sub_event_type == "Attack"
    # a bare toll beside a protest is not a part of it
    protest = report("e", 1, event_type="Protests", sub_event_type="Peaceful protest",
                     actor1="Protesters (Nigeria)", inter1=6, actor2=None, inter2=None)
    assert len(merge_events([protest, report("e", 2)])) == 2


def test_a_report_given_twice_counts_once() -> None:
    a = report("a")
    [merged] = merge_events([a, dataclasses.replace(a), report("b")])
    assert len(merged.sources) == 2


def test_fatalities_follow_acled() -> None:
    # no figure given (0) does not contradict a figure; the lowest positive figure wins
    [m] = merge_events([report("a", fatalities=0), report("b", fatalities=4)])
    assert (m.event.fatalities, m.fatalities_disagree) == (4, False)
    [m] = merge_events([report("a", fatalities=0), report("b", fatalities=0)])
    assert (m.event.fatalities, m.fatalities_disagree, m.event.notes) == (0, False, None)
    [m] = merge_events([report("a", fatalities=12), report("b", fatalities=9), report("c", fatalities=9)])
    assert (m.event.fatalities, m.fatalities_disagree) == (9, True)


@pytest.mark.parametrize(
    ("date_b", "phrase_b", "together"),
    [
        ("2024-03-04", "on Monday", True),
        ("2024-03-05", "on Tuesday", False),  # two named days: two events
        ("2024-03-05", "early on Tuesday", True),  # a night event told from both sides
        ("2024-03-05", None, True),  # no date phrase: the publication day
        ("2024-03-06", "overnight", False),  # two days apart
    ],
)
def test_dates_agree_within_a_day_only_at_a_day_boundary(date_b: str, phrase_b: str | None, together: bool) -> None:
    a, b = report("a"), report("b", event_date=date_b, date_phrase=phrase_b)
    assert compatible(a, b) is together
    assert (len(merge_events([a, b])) == 1) is together


def test_dates_compare_at_the_precision_each_report_has() -> None:
    week = report("b", event_date="2024-03-06", time_precision=2)  # "last week": Mar 3-9
    month = report("c", event_date="2024-03-15", time_precision=3)  # "in March"
    assert compatible(report("a"), week) and compatible(report("a"), month)
    assert not compatible(report("a", event_date="2024-03-11"), week)
    assert not compatible(report("a", event_date="2024-04-01"), month)
    assert [d.isoformat() for d in date_window(month)] == ["2024-03-01", "2024-03-31"]  # type: ignore[union-attr]
    assert [d.isoformat() for d in date_window(week)] == ["2024-03-03", "2024-03-09"]  # type: ignore[union-attr]
    assert not compatible(report("a"), report("b", event_date=None))


def test_places_agree_within_max_km_or_at_the_coarser_precision() -> None:
    near = report("b", location="Faskari - Market", latitude=FASKARI[0], longitude=FASKARI[1] + 0.045)
    far = report("b", location="Funtua", admin2="Funtua", latitude=FUNTUA[0], longitude=FUNTUA[1])
    assert compatible(report("a"), near)  # about 5 km
    assert not compatible(report("a"), far)  # about 37 km
    assert compatible(report("a"), far, max_km=50)
    assert len(merge_events([report("a"), far], max_km=50)) == 1
    # "near Funtua" (precision 2) and Funtua itself: the same admin2
    near_funtua = dataclasses.replace(far, article_id="c", event_id="c-1", geo_precision=2, latitude=11.6)
    assert compatible(far, near_funtua)
    # a report that knows only the province (precision 3) agrees with any town in it
    province = report("d", location="Katsina", admin2="Katsina", latitude=12.99, longitude=7.6, geo_precision=3)
    assert compatible(report("a"), province) and compatible(far, province)
    assert not compatible(report("a"), report("b", admin1="Kano", admin2="Kano", location="Kano",
                                              latitude=12.0, longitude=8.5, geo_precision=3))
    assert not compatible(report("a"), report("b", country="Niger"))
    assert not compatible(report("a"), report("b", location=None, latitude=None, longitude=None))


@pytest.mark.parametrize(
    ("sub_a", "sub_b"),
    [
        ("Looting/property destruction", "Attack"),  # the shops burned in the raid
        ("Disrupted weapons use", "Shelling/artillery/missile attack"),  # the salvo, intercepted
        ("Mob violence", "Attack"),  # a mob to one outlet, gunmen to another
    ],
)
def test_sub_event_pairs_link_only_on_the_same_day_at_the_same_place(sub_a: str, sub_b: str) -> None:
    from eventcoder.lexicon import codebook

    event_type = codebook().event_type

    def typed(article: str, sub: str, **fields: object) -> Event:
        return report(article, event_type=event_type[sub], sub_event_type=sub, **fields)

    assert compatible(typed("a", sub_a), typed("b", sub_b))
    # a day apart at a day boundary would do for one event type, not for this looser match
    late = dict(event_date="2024-03-05", date_phrase="overnight")
    assert compatible(report("a"), report("b", **late))  # type: ignore[arg-type]
    assert not compatible(typed("a", sub_a), typed("b", sub_b, **late))
    # a province-level report agrees with any town of the province, but not on this match
    province = dict(location="Katsina", admin2="Katsina", latitude=12.99, longitude=7.6, geo_precision=3)
    assert compatible(report("a"), report("b", **province))  # type: ignore[arg-type]
    assert not compatible(typed("a", sub_a), typed("b", sub_b, **province))


def test_types_must_be_the_same_or_a_pair_outlets_confuse() -> None:
    riot = report("b", event_type="Riots", sub_event_type="Violent demonstration")
    protest = report("a", event_type="Protests", sub_event_type="Protest with intervention")
    assert compatible(protest, riot)
    clash = report("b", event_type="Battles", sub_event_type="Armed clash")
    assert compatible(report("a"), clash)
    strike = report("b", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    assert not compatible(clash, dataclasses.replace(strike, article_id="c"))


NAMES = {
    "army": ("Military Forces of Nigeria (2023-)", 1),
    "chad": ("Military Forces of Chad (2021-)", 8),
    "cameroon": ("Military Forces of Cameroon (1982-)", 8),
    "police": ("Police Forces of Nigeria (2023-)", 1),
    "iswap": ("Islamic State (West Africa)", 2),
    "boko": ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", 2),
    "gunmen": ("Unidentified Armed Group (Nigeria)", 3),
    "vigilantes": ("Civilian JTF", 3),
}


def sides(article: str, first: str, second: str | None, assoc: str | None = None) -> Event:
    name1, inter1 = NAMES[first]
    name2, inter2 = NAMES[second] if second else (None, None)
    return report(article, event_type="Battles", sub_event_type="Armed clash", actor1=name1,
                  inter1=inter1, actor2=name2, inter2=inter2,
                  assoc_actor_1=NAMES[assoc][0] if assoc else None)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        (("iswap", "army"), ("army", "iswap"), True),  # order carries no meaning
        (("iswap", "army"), ("gunmen", "army"), True),  # generic actors never contradict
        (("iswap", "army"), ("iswap", "police"), True),  # state forces of one country
        (("iswap", "army"), ("boko", "army"), False),  # another group on the same side
        (("iswap", None), ("boko", None), False),  # two groups, each said to be the attacker
        (("iswap", None), ("army", None), True),  # the two sides, one named by each
        (("iswap", "army"), ("vigilantes", "boko"), False),  # more than two sides
        (("army", "iswap"), ("vigilantes", "iswap", "army"), True),  # an ally named as associate
        (("iswap", "army"), ("iswap", "chad"), True),  # a foreign army beside the host's
        (("iswap", "army"), ("boko", "chad"), False),  # ... but not without a shared opponent
        (("iswap", "chad"), ("iswap", "cameroon"), False),  # two foreign armies: two operations
        (("iswap", "army"), ("iswap", "vigilantes"), False),  # allies that are not state forces
    ],
)
def test_actors_must_not_contradict(a: tuple[str, ...], b: tuple[str, ...], agree: bool) -> None:
    first, second = sides("a", *a), sides("b", *b)
    assert actors_agree(first, second) is agree
    assert actors_agree(second, first) is agree


def test_clusters_are_complete_link_so_a_chain_does_not_join_its_ends() -> None:
    """A~B and B~C but A!~C (each a night event a day after the other): A and C stay apart."""
    a = report("a", event_date="2024-03-04", date_phrase="late on Monday")
    b = report("b", event_date="2024-03-05", date_phrase="overnight")
    c = report("c", event_date="2024-03-06", date_phrase="early on Wednesday")
    assert compatible(a, b) and compatible(b, c) and not compatible(a, c)
    merged = merge_events([a, b, c])
    assert len(merged) == 2
    assert not any({"a-1", "c-1"} <= group for group in groups(merged))


def test_the_closest_pair_merges_first() -> None:
    """B fits A (same day, same sub-event type) better than C (a day off, another type)."""
    a = report("a", date_phrase="late on Monday")
    b = report("b")
    c = report("c", event_date="2024-03-05", date_phrase="on Tuesday", sub_event_type="Abduction/forced disappearance")
    assert compatible(a, c) and not compatible(b, c)
    assert groups(merge_events([c, b, a])) == {frozenset({"a-1", "b-1"}), frozenset({"c-1"})}


def test_a_vague_report_that_fits_two_events_is_kept_apart() -> None:
    faskari = [report("a"), report("b")]
    funtua = [report(x, location="Funtua", admin2="Funtua", latitude=FUNTUA[0], longitude=FUNTUA[1]) for x in "cd"]
    province = report("e", location="Katsina", admin2="Katsina", latitude=12.99, longitude=7.6, geo_precision=3)
    merged = merge_events([*faskari, *funtua, province])
    assert groups(merged) == {frozenset({"a-1", "b-1"}), frozenset({"c-1", "d-1"}), frozenset({"e-1"})}
    # two vague reports that fit both events equally: each is kept apart
    twin = dataclasses.replace(province, article_id="f", event_id="f-1")
    merged = merge_events([*faskari, *funtua, province, twin])
    assert len(merged) == 4 and sum(len(m.sources) for m in merged) == 6
    # with one event in the province, the same report joins it
    assert len(merge_events([*faskari, province])) == 1
    # its own article's report of the Faskari attack is no evidence against Faskari: it still
    # fits both events, and is kept apart
    sibling = report("e", 2)
    merged = merge_events([*faskari, *funtua, province, sibling])
    assert groups(merged) == {frozenset({"a-1", "b-1", "e-2"}), frozenset({"c-1", "d-1"}), frozenset({"e-1"})}


def mixed_reports() -> list[Event]:
    """Three events that look alike (same town a day apart, same day a town apart) and reports
    with different figures, dates and places."""
    out: list[Event] = []
    for n, article in enumerate("abcd"):
        out.append(report(article, fatalities=5 + n))
    for article in "ef":
        out.append(report(article, event_date="2024-03-05", date_phrase="on Tuesday", fatalities=2))
    for article in "gh":
        out.append(report(article, location="Funtua", admin2="Funtua", latitude=FUNTUA[0], longitude=FUNTUA[1]))
    out.append(report("i", event_type="Battles", sub_event_type="Armed clash", actor1=NAMES["army"][0], inter1=1,
                      actor2=NAMES["boko"][0], inter2=2))
    out.append(report("j", country="Niger", location="Maradi", latitude=13.5, longitude=7.1))
    return out


def test_the_result_does_not_depend_on_the_input_order() -> None:
    reports = mixed_reports()
    expected = merge_events(reports)
    assert groups(expected) == {
        frozenset({"a-1", "b-1", "c-1", "d-1", "i-1"}),
        frozenset({"e-1", "f-1"}),
        frozenset({"g-1", "h-1"}),
        frozenset({"j-1"}),
    }
    rng = random.Random(7)
    for _ in range(20):
        shuffled = list(reports)
        rng.shuffle(shuffled)
        assert merge_events(shuffled) == expected


def test_the_merged_record_takes_the_most_precise_place_and_date() -> None:
    vague = report("a", geo_precision=2, time_precision=2, event_date="2024-03-05", fatalities=3,
                   actor1="Unidentified Armed Group (Nigeria)")
    exact = report("b", actor1="Islamic State (West Africa)", inter1=2, interaction=27, fatalities=0)
    [m] = merge_events([vague, exact])
    assert (m.event.event_date, m.event.time_precision, m.event.geo_precision) == ("2024-03-04", 1, 1)
    assert m.event.actor1 == "Islamic State (West Africa)" and m.event.interaction == 27
    assert m.event.article_id == "b" and m.event.fatalities == 3


def test_blocking_compares_only_reports_of_one_country_and_nearby_days() -> None:
    start = dt.date(2020, 1, 1)
    reports = [
        report(f"r{i:05d}", event_date=(start + dt.timedelta(days=i // 2)).isoformat(),
               country="Nigeria" if i % 2 else "Niger")
        for i in range(4000)
    ]
    pairs = list(candidate_pairs(reports))
    # each report meets only the reports of its country on its own and the neighbouring days
    assert len(pairs) <= 2 * len(reports)
    assert all(reports[i].country == reports[j].country for i, j in pairs)
    began = time.perf_counter()
    assert len(merge_events(reports)) == len(reports)
    assert time.perf_counter() - began < 30


def test_blocking_keeps_neighbours_across_a_provincial_border() -> None:
    """Places in two provinces agree only by distance, so blocking keeps such pairs when close."""
    here = report("a")
    across = report("b", admin1="Kano", admin2="Kano", location="Border town",
                    latitude=FASKARI[0] + 0.03, longitude=FASKARI[1])
    far = report("c", admin1="Kano", admin2="Kano", location="Kano", latitude=12.0, longitude=8.5)
    province = report("d", location="Katsina", admin2="Katsina", latitude=12.99, longitude=7.6, geo_precision=3)
    pairs = set(candidate_pairs([here, across, far, province]))
    # Faskari-Kano: another province and 150 km away, never compared; the two Kano places are
    assert pairs == {(0, 1), (0, 3), (1, 2)}
    assert len(merge_events([here, across])) == 1
