"""The seed golden test: the article the project started from, through the command line.

The seed (``../shared/seed/000_0a35fa250ab60b8c.txt``, published 29 May 2018) is third-party
text: it is read in place and never copied into the project. Without ``../shared`` the test is
skipped with a message, except under ``CI=true``, where that is a failure (``shared_dir`` in
conftest.py).

``eventcoder extract SEED --published 2018-05-29`` must print exactly these five events, compared
field by field by the golden harness of ``test_golden.py`` (its module docstring says how: any of
a list, actor names without the regime years, actor order free outside Violence against
civilians, names accent-insensitive, coordinates within 5 km of the GeoNames point):

1. 2018-05-29 (precision 1), Strategic developments / Change to group/activity: the National
   Liberation Front is formed in Idlib province (the provincial capital, geo_precision 3), its
   eleven member groups its associated actors.
2. 2018-05-26 (precision 2: "reported on Saturday"), Suicide bomb on HTS's base in al-Dana: four
   members plus the bomber, 5 (4 tolerated).
3. Armed clash: unknown raiders fire on an HTS vehicle on the Idlib-Ma'arrat Misrin road
   (either town, geo_precision 2): 4 killed.
4. Remote explosive/landmine/IED near Darkush: "a number of" killed, 3 or 10.
5. Remote explosive/landmine/IED on the al-Dana - al-Tawameh road (al-Dana, geo_precision 2): 2.

Turkey appears only in claims ("sources believed that Turkey was behind..."): no event has it
as an actor. The member groups' canonical spellings belong to the actor dictionary, so they
are not hard-coded: there must be eleven distinct ones, one exactly ``Faylaq al-Sham``, and each
one of the groups the statement lists: either the name the actor dictionary gives one of the
statement's spellings, or a name made mostly of the words of one of them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import test_golden as golden
from eventcoder.model import JSONL_FIELDS
from test_golden import Rule, actor_key, norm

SEED = Path("seed") / "000_0a35fa250ab60b8c.txt"
PUBLISHED = "2018-05-29"
HTS = "HTS: Hayat Tahrir al-Sham"
UNIDENTIFIED = "Unidentified Armed Group (Syria)"
#: Faylaq al-Sham under its canonical name: ACLED codes the group as "Al Sham Corps".
FAYLAQ = "Al Sham Corps"

#: The member groups as the statement in the article lists them (used only to recognise them).
MEMBERS = (
    "Faylaq al-Sham",
    "Idlib Free Army",
    "al-Oula al-Saheliyeh",
    "al-Thaniyeh al-Saheliyeh",
    "al-Oula Masha'a",
    "al-Jeish al-Thani",
    "Jeish al-Nukhbah",
    "Jeish al-Nasr",
    "Darayya al-Islam Shohada Liwa",
    "Liwa al-Horiyeh",
    "23th Group",
)


def _words(name: str) -> set[str]:
    """Distinctive words of a group name: no "ACRONYM:" prefix, no "(Syria)", no "al"."""
    name = re.sub(r"^[^:]{1,15}:\s*", "", name)
    name = re.sub(r"\([^)]*\)", " ", name)
    return {w for w in norm(name).split() if len(w) > 2}


def _is_nlf(actor: str | None) -> bool:
    key = actor_key(actor)
    return "national liberation front" in key or "national front for liberation" in key


@functools.lru_cache(maxsize=1)
def _dictionary_names() -> frozenset[str]:
    """The actor dictionary's names for the statement's spellings of the member groups."""
    from eventcoder.actors import load_actors

    actors = load_actors()
    found = (actors.lookup(member) for member in MEMBERS)
    return frozenset(actor_key(actor.name) for actor in found if actor is not None)


def _members_ok(assoc: list[str]) -> bool:
    return not _member_problems(assoc)


def _member_problems(assoc: list[str]) -> list[str]:
    """Why the associated actors of the coalition event are not its eleven member groups."""
    problems = []
    keys = {actor_key(a) for a in assoc}
    if len(assoc) != 11 or len(keys) != 11:
        problems.append(f"expected 11 distinct member groups, got {len(keys)} in {assoc!r}")
    if FAYLAQ not in assoc:
        problems.append(f"no associated actor is exactly {FAYLAQ!r}")
    members = [_words(m) for m in MEMBERS]
    for actor in assoc:
        words = _words(actor)
        # one of the listed groups: the dictionary's name for one of them, or mostly its words
        known = actor_key(actor) in _dictionary_names()
        if not known and not any(words and len(words & m) * 2 >= len(words) for m in members):
            problems.append(f"{actor!r} is none of the groups the statement lists")
        if _is_nlf(actor) or "tahrir" in norm(actor) or "turk" in norm(actor):
            problems.append(f"{actor!r} is not a member of the coalition")
    return problems


def _expected() -> list[dict[str, Any]]:
    common: dict[str, Any] = {
        "assoc_actor_1": [],
        "country": "Syria",
        "admin1": ["Idlib", "Idlib Governorate", "Idleb"],
    }
    attack = {
        **common,
        "event_date": "2018-05-26",
        "time_precision": 2,
        "actor1": UNIDENTIFIED,
        "actor2": HTS,
    }
    ad_dana = ["Ad Dana", "al-Dana", "Dana", "Ad Dānā"]
    return [
        {
            **common,
            "event_date": "2018-05-29",
            "time_precision": 1,
            "event_type": "Strategic developments",
            "sub_event_type": "Change to group/activity",
            "actor1": Rule("the National Liberation Front", _is_nlf),
            "assoc_actor_1": Rule(f"its 11 member groups, one of them {FAYLAQ!r}", _members_ok),
            "actor2": None,
            "location": ["Idlib", "Idleb"],
            "geonameid": 169389,
            "geo_precision": 3,
            "fatalities": [0],
            "trigger": ["formed", "coalition"],
        },
        {
            **attack,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Suicide bomb",
            "location": ad_dana,
            "geonameid": 174259,
            "geo_precision": 1,
            "fatalities": [5, 4],
            "trigger": "suicide attack",
        },
        {
            **attack,
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "location": [
                "Ma'arrat Misrin",
                "Ma'arat Mesrin",
                "Maarrat Misrin",
                "Ma'arratmisrin",
                "Ma‘arratmişrīn",
                "Idlib",
            ],
            "geonameid": [167605, 169389],
            "geo_precision": 2,
            "fatalities": [4],
            "trigger": "gun fire",
        },
        {
            **attack,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Remote explosive/landmine/IED",
            "location": ["Darkush", "Darkoush", "Darkūsh"],
            "geonameid": 170865,
            "geo_precision": 2,
            "fatalities": [3, 10],
            "trigger": "booby-trap bomb",
        },
        {
            **attack,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Remote explosive/landmine/IED",
            "location": ad_dana,
            "geonameid": 174259,
            "geo_precision": 2,
            "fatalities": [2],
            "trigger": "went off",
        },
    ]


def _inter_problems(record: dict[str, Any]) -> list[str]:
    """Inter codes by actor: unidentified armed groups 3, HTS and the coalition 2 (rebels)."""
    wanted = {actor_key(UNIDENTIFIED): 3, actor_key(HTS): 2}
    problems = []
    for side in ("1", "2"):
        actor = record.get(f"actor{side}")
        code = 2 if _is_nlf(actor) else wanted.get(actor_key(actor))
        if code is not None and record.get(f"inter{side}") != code:
            got = record.get(f"inter{side}")
            problems.append(f"inter{side}: {actor!r} is inter {code}, got {got!r}")
    return problems


@pytest.fixture(scope="module")
def seed_run(
    shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, list[dict[str, Any]]]:
    """The seed's text and the JSONL records of one real ``eventcoder extract`` run on it."""
    path = shared_dir / SEED
    assert path.is_file(), f"the seed article is missing: {path}"
    command = [sys.executable, "-m", "eventcoder", "extract", str(path), "--published", PUBLISHED]
    proc = subprocess.run(
        command,
        capture_output=True,
        cwd=tmp_path_factory.mktemp("seed"),
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, f"{' '.join(command)} exited {proc.returncode}:\n{stderr}"
    lines = proc.stdout.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return path.read_bytes().decode("utf-8-sig"), records


def seed_problems(text: str, records: list[dict[str, Any]]) -> list[str]:
    """Every way ``records`` differ from the five seed events, as readable lines."""
    errors = golden.compare(text, _expected(), records)
    for record in records:
        if record.get("sub_event_type") == "Change to group/activity":
            members = golden.split_actors(record.get("assoc_actor_1"))
            errors += [f"coalition: {p}" for p in _member_problems(members)]
        errors += [f"{golden.describe(record)}: {p}" for p in _inter_problems(record)]
        actors = [record.get(f) for f in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")]
        if any("turk" in norm(a) for a in actors if a):
            errors.append(f"{golden.describe(record)}: Turkey is only in claims, never an actor")
    return errors


@pytest.mark.e2e
@pytest.mark.slow
def test_seed_records_have_the_jsonl_fields(seed_run: tuple[str, list[dict[str, Any]]]) -> None:
    _, records = seed_run
    for record in records:
        missing = [f for f in JSONL_FIELDS if f not in record]
        assert not missing, f"record lacks {missing}: {record}"
        for span in record["evidence"]:
            assert {"start", "end", "text"} <= set(span), span


@pytest.mark.e2e
@pytest.mark.slow
def test_seed_events(seed_run: tuple[str, list[dict[str, Any]]]) -> None:
    text, records = seed_run
    errors = seed_problems(text, records)
    if errors:
        got = "\n".join(f"  {golden.describe(r)}" for r in records) or "  (none)"
        pytest.fail("seed:\n" + "\n".join(errors) + f"\nengine events:\n{got}", pytrace=False)


@pytest.mark.e2e
@pytest.mark.slow
def test_seed_claims_about_turkey_are_not_events(
    seed_run: tuple[str, list[dict[str, Any]]],
) -> None:
    _, records = seed_run
    for record in records:
        actors = [record.get(f) for f in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")]
        assert not any("turk" in norm(a) for a in actors if a), golden.describe(record)


def test_member_rule_recognises_the_listed_groups() -> None:
    """The member check itself: the statement's own spellings pass, intruders do not."""
    assert _member_problems([FAYLAQ, *MEMBERS[1:]]) == []
    renamed = [FAYLAQ, *MEMBERS[1:8], "Liwa Shuhada al-Islam (Darayya)", "Liwa al-Hurriya", "23rd Division"]
    assert [p for p in _member_problems(renamed) if "none of" in p] == [
        "'23rd Division' is none of the groups the statement lists"
    ]
    assert not [p for p in _member_problems([FAYLAQ, *_dictionary_names()]) if "none of" in p]
    assert _member_problems([*MEMBERS[:10], HTS])
    assert _member_problems([*MEMBERS[1:], "Faylaq al Sham"])  # not exactly the canonical name
    assert _member_problems(list(MEMBERS[:10]))


# --- the seed checks tested against records built by hand ----------------------------------------


def _fake_records(text: str) -> list[dict[str, Any]]:
    """Records of a correct run: the first accepted value of each field, the trigger as evidence."""
    records = []
    for number, exp in enumerate(_expected()):
        trigger = golden.alternatives(exp["trigger"])[0]
        start = text.index(trigger)
        point = golden.geoname(golden.alternatives(exp["geonameid"])[0])
        coalition = isinstance(exp["actor1"], Rule)
        inter1, inter2 = (2, None) if coalition else (3, 2)
        records.append(
            {
                **dict.fromkeys(JSONL_FIELDS),
                "event_date": exp["event_date"],
                "time_precision": exp["time_precision"],
                "event_type": exp["event_type"],
                "sub_event_type": exp["sub_event_type"],
                "actor1": "NLF: National Liberation Front" if coalition else exp["actor1"],
                "assoc_actor_1": "; ".join([FAYLAQ, *MEMBERS[1:]]) if coalition else None,
                "inter1": inter1,
                "actor2": exp["actor2"],
                "inter2": inter2,
                "interaction": 20 if coalition else 23,
                "country": "Syria",
                "admin1": "Idlib",
                "location": exp["location"][0],
                "latitude": point["latitude"],
                "longitude": point["longitude"],
                "geo_precision": exp["geo_precision"],
                "fatalities": exp["fatalities"][0],
                "event_id": f"seed-{number}",
                "evidence": [{"start": start, "end": start + len(trigger), "text": trigger}],
            }
        )
    return records


def test_seed_checks_accept_a_correct_run(shared_dir: Path) -> None:
    text = (shared_dir / SEED).read_bytes().decode("utf-8-sig")
    assert seed_problems(text, _fake_records(text)[::-1]) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fatalities", 7, "fatalities: expected"),
        ("assoc_actor_1", "; ".join(MEMBERS[:10]), "11 distinct member groups"),
        ("actor1", "Military Forces of Turkey (2016-)", "Turkey is only in claims"),
        ("inter1", 3, "is inter 2"),
        ("geo_precision", 1, "geo_precision: expected"),
        ("time_precision", 2, "time_precision: expected"),
    ],
)
def test_seed_checks_reject_a_wrong_field(
    shared_dir: Path, field: str, value: Any, message: str
) -> None:
    text = (shared_dir / SEED).read_bytes().decode("utf-8-sig")
    records = _fake_records(text)
    records[0][field] = value  # the coalition event
    problems = seed_problems(text, records)
    assert any(message in p for p in problems), problems
