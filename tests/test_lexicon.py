"""The trigger lexicon and codebook tables are data: check their schema and a few meanings."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from eventcoder.lexicon import Lexicon, codebook, lexicon
from eventcoder.errors import DataError

ACLED_SUB_EVENT_TYPES = {
    "Government regains territory", "Non-state actor overtakes territory", "Armed clash",
    "Excessive force against protesters", "Protest with intervention", "Peaceful protest",
    "Violent demonstration", "Mob violence", "Chemical weapon", "Air/drone strike", "Suicide bomb",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    "Sexual violence", "Attack", "Abduction/forced disappearance", "Agreement", "Arrests",
    "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
}


def test_codebook_has_all_25_sub_event_types_in_hierarchy_order() -> None:
    book = codebook()
    assert set(book.order) == ACLED_SUB_EVENT_TYPES
    assert len(book.order) == 25
    assert book.rank("Air/drone strike") < book.rank("Shelling/artillery/missile attack")
    assert book.rank("Armed clash") < book.rank("Air/drone strike")
    assert book.rank("Attack") < book.rank("Abduction/forced disappearance")
    assert book.disorder_type["Mob violence"] == "Political violence"
    assert book.disorder_type["Peaceful protest"] == "Demonstrations"


def test_every_trigger_pattern_compiles_and_is_a_string() -> None:
    data = yaml.safe_load((resources.files("eventcoder") / "data" / "triggers.yaml").read_text())
    assert data["schema"] == 1
    for name, spec in data["cues"].items():
        assert isinstance(spec.get("primary"), bool), name
        for pattern in spec["patterns"]:
            assert isinstance(pattern, str), f"{name}: {pattern!r} (quote it: YAML read a mapping)"
            re.compile(pattern)


def test_bad_pattern_is_a_data_error() -> None:
    with pytest.raises(DataError, match="bad pattern"):
        Lexicon({"cues": {"x": {"primary": True, "patterns": ["(unclosed"]}}})


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Russian warplanes struck the town.", "air"),
        ("A roadside bomb exploded near a convoy.", "ied"),
        ("A suicide bomber blew himself up at the gate.", "suicide"),
        ("Police fired tear gas to disperse the crowd.", "intervention"),
        ("Hundreds of teachers staged a sit-in outside parliament.", "protest"),
        ("Gunmen abducted three aid workers.", "abduction"),
        ("Engineers defused an IED on the road.", "disrupt"),
        ("The two groups signed a ceasefire agreement.", "agreement"),
        ("The army shelled the village with mortars.", "shelling"),
        ("A hand grenade was thrown into the bar.", "grenade"),
    ],
)
def test_cues(sentence: str, cue: str) -> None:
    assert cue in {c.name for c in lexicon().find(sentence)}


def test_stun_grenades_are_not_grenade_attacks() -> None:
    names = {c.name for c in lexicon().find("Police threw stun grenades at the marchers.")}
    assert "grenade" not in names
    assert "stun_grenade" in names


def test_may_the_month_is_not_a_modal() -> None:
    cues = lexicon().find("On 9 May 2020, gunmen killed a farmer.")
    assert not any(c.name == "modality" and c.text == "May" for c in cues)


def test_the_two_sides_of_a_war_are_no_mob() -> None:
    # belligerents exchanging prisoners are "the two sides"; only rival groups or factions of
    # civilians make a mob
    names = {c.name for c in lexicon().find("The same day, the two sides released 30 detainees.")}
    assert "mob" not in names
    assert "mob" in {c.name for c in lexicon().find("Two rival factions fought with machetes.")}


@pytest.mark.parametrize("phrase", ["since 2014", "since late 2014", "in mid-2019", "during early 2015"])
def test_a_year_with_or_without_early_late_mid_is_history(phrase: str) -> None:
    cues = lexicon().find(f"The war began {phrase}, when rebels seized control of the capital.")
    assert any(c.name == "modality" and c.text == phrase for c in cues), cues


def test_since_an_episode_in_a_year_is_history() -> None:
    cues = lexicon().find("The town has been attacked several times since ISWAP split from Boko Haram in 2016.")
    assert any(c.name == "modality" and c.text.startswith("since ISWAP") for c in cues), cues


def test_names_with_league_are_not_sports_words() -> None:
    from eventcoder.events import _NON_CONFLICT

    assert not _NON_CONFLICT.search("Members of the Awami League attacked a trader.")
    assert _NON_CONFLICT.search("He scored twice as the league leaders won the match.")


def test_joined_a_named_group_is_a_change_cue() -> None:
    assert "change" in {c.name for c in lexicon().find("Twelve policemen joined the Taliban.")}


# The gates of Lexicon.find (what each cue pattern's matches must start with and contain) only
# skip searches that would find nothing; these tests hold them to that.


def _every_cue(lex: Lexicon, text: str) -> list[tuple[str, int, int, str]]:
    """What find returns, computed without the gates: every family's pattern on the text."""
    out = [
        (name, m.start(), m.end(), m.group(0))
        for name, pattern in lex.patterns.items()
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    return sorted(out, key=lambda c: (c[1], -c[2]))


def test_fold_lists_every_character_that_matches_an_ascii_letter_case_insensitively() -> None:
    from eventcoder.lexicon import _FOLD_SPECIAL

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    outside_ascii = {ch for ch in re.findall("(?i)[a-z]", every) if not ch.isascii()}
    assert outside_ascii == set(_FOLD_SPECIAL)
    for ch, letter in _FOLD_SPECIAL.items():
        assert re.fullmatch(f"(?i){letter}", ch)


@pytest.mark.parametrize(
    "text",
    [
        "Russian warplanes struck the town.",
        "A SUICIDE BOMBER BLEW HIMSELF UP AT THE GATE.",  # upper case
        "Police fired tear gas to disperse the crowd; two protesters were shot dead.",
        "The army said rebels had been planning attacks since 2019, which they denied.",
        "Gunmen \u017feized the town and ab\u0131ducted \u212aids.",  # long s, dotless i, Kelvin
        "Clashes erupted in al-Dana as government forces regained control of the area.",
        "Residents lynched a suspected thief in Kisumu; hundreds marched to the police station.",
        "Unknown assailants threw a grenade at a bar; two landmines were defused.",
        "",
        "-- ... 2024",
    ],
)
def test_find_with_gates_equals_every_pattern_searched(text: str) -> None:
    lex = lexicon()
    assert [(c.name, c.start, c.end, c.text) for c in lex.find(text)] == _every_cue(lex, text)


def test_gates_are_read_from_the_patterns() -> None:
    lex = Lexicon({"cues": {
        "air": {"primary": True, "patterns": ["(?:war)?planes? (?:bombed|struck)", "air ?strikes?"]},
        "ago": {"primary": False, "patterns": [r"\w+ years ago"]},
        "odd": {"primary": False, "patterns": [r"\w+ed"]},
    }})
    assert lex._ungated == {"odd"}  # may start with any letter and needs nothing longer than "ed"
    assert lex._headless == [("ago", (" years ago",))]  # may start with any letter: its need decides
    assert "ago" in lex._families("Two YEARS AGO.") and "ago" not in lex._families("Years later.")
    assert lex._families("Warplanes struck.") >= {"air"}
    assert "air" not in lex._families("The planes landed; no strike was reported.")
    assert [c.text for c in lex.find("The planes landed; no strike was reported.")] == [
        "landed", "reported"]
    assert [c.text for c in lex.find("An AIRSTRIKE hit; planes bombed the base.")] == [
        "AIRSTRIKE", "planes bombed", "bombed"]


_PREFILTER_TEXTS = [
    "Gunmen opened fire on a bus, killing two; no one else was hurt.",
    "YOUTHS CLASHED WITH POLICE AFTER A SNIPER SHOT A TRADER.",  # upper case
    "Small-arms fire and an exchange of fire were reported; NOBODY WAS INJURED.",
    "Protesters marched peacefully to the governor's office.",
    "Ri\u017fle shots (long s), \u212a\u0131lled (Kelvin, dotless i) and machineguns.",
    "heavy machine guns, large-calibre machine guns, recoilless rifles",
    "The death toll rose to 12; the attacker blew himself up. There were no casualties.",
    "THE DEATH TOLL STOOD AT 40 AFTER THE BOMBER TOOK HIS OWN LIFE; NOBODY WAS HURT.",
    "",
]


@pytest.mark.parametrize("text", _PREFILTER_TEXTS)
def test_prefiltered_search_equals_the_pattern_search(text: str) -> None:
    from eventcoder import events, fatalities, places
    from eventcoder.lexicon import Prefiltered, fold

    patterns = [events._CROWD_WORDS, events._SMALL_ARMS, events._PEOPLE_HARM, events._FIREARMS,
                places._ABROAD_BEFORE, places._ORIGIN_BEFORE, places._RELATIVE_BEFORE,
                places._DIRECTION_BEFORE, places._UNNAMED_PART_BEFORE]
    for pattern in patterns:
        gated = Prefiltered(pattern)
        expected = pattern.search(text)
        for found in (gated.search(text), gated.search(text, fold(text))):
            assert (found and found.span()) == (expected and expected.span()), pattern.pattern
    lex = fatalities._lexicon()
    for pattern in (lex.zero_re, lex.toll_re, lex.perp_died_re, lex.trigger_re):
        expected_spans = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in Prefiltered(pattern).finditer(text)] == expected_spans


def test_prefiltered_reads_what_every_match_needs() -> None:
    from eventcoder.lexicon import Prefiltered

    assert Prefiltered(re.compile(r"(?i)\bshot\b|shot dead|gunm[ae]n")).need == ("gunm", "shot")
    assert Prefiltered(re.compile(r"(?i)\bak-?47")).need == ("ak",)  # two letters still rule out most
    # a match that needs no string of two letters cannot be ruled out: always searched
    unknown = Prefiltered(re.compile(r"\w+ed|x"))
    assert unknown.need is None and unknown.search("Fired").group(0) == "Fired"
    assert Prefiltered(re.compile(r"(?i)small arms")).search("SMALL ARMS").group(0) == "SMALL ARMS"
    assert Prefiltered(re.compile(r"(?i)small arms")).search("small-arms") is None


# The built-in lexicon is kept in the cache folder with its gates (lexicon()); a new process
# reads it back. These tests load "triggers.yaml" from a folder of their own.

_TRIGGERS = """\
schema: 1
cues:
  air:
    primary: true
    patterns: ["(?:war)?planes? (?:bombed|struck)", "air ?strikes?"]
  arrest:
    primary: true
    patterns: ["arrested"]
"""


@pytest.fixture
def own_triggers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """``(triggers.yaml, cache folder)``: lexicon() reads the first and caches in the second."""
    from eventcoder import lexicon as lexicon_module

    data = tmp_path / "package" / "data"
    data.mkdir(parents=True)
    triggers = data / "triggers.yaml"
    triggers.write_text(_TRIGGERS, encoding="utf-8")
    monkeypatch.setattr(lexicon_module.resources, "files", lambda _package: Path(tmp_path / "package"))
    monkeypatch.setenv("EVENTCODER_CACHE", str(tmp_path / "cache"))
    return triggers, tmp_path / "cache"


def _new_process_lexicon() -> Lexicon:
    # what a new process does: the per-process cache is empty, the cache folder is not
    return lexicon.__wrapped__()


def test_a_new_process_reads_the_lexicon_from_the_cache(own_triggers: tuple[Path, Path]) -> None:
    _triggers, cache = own_triggers
    built = _new_process_lexicon()
    [cached] = cache.glob("lexicon-*.pickle")
    read = _new_process_lexicon()
    assert read is not built
    assert not read._compiled  # compiled on first use, not read from the file
    assert (read._heads, read._head_families, read._head_needs, read._headless, read.primary) == (
        built._heads, built._head_families, built._head_needs, built._headless, built.primary)
    text = "Warplanes struck the town; police arrested two men. No AIRSTRIKE was reported."
    assert read.find(text) == built.find(text)
    assert [c.text for c in read.find(text)] == ["Warplanes struck", "arrested", "AIRSTRIKE"]
    assert set(read._compiled) == {"air", "arrest"}
    assert read.patterns.keys() == built.patterns.keys()
    assert [p.pattern for p in read.patterns.values()] == [p.pattern for p in built.patterns.values()]
    assert list(cache.glob("lexicon-*.pickle")) == [cached]


def test_a_changed_trigger_file_is_not_read_from_the_old_cache(own_triggers: tuple[Path, Path]) -> None:
    triggers, cache = own_triggers
    assert [c.name for c in _new_process_lexicon().find("Rebels detained two men.")] == []
    triggers.write_text(_TRIGGERS.replace('["arrested"]', '["arrested", "detained"]'),
                        encoding="utf-8")
    changed = _new_process_lexicon()
    assert [c.name for c in changed.find("Rebels detained two men.")] == ["arrest"]
    assert len(list(cache.glob("lexicon-*.pickle"))) == 2
    # the changed file's bad pattern is reported, not hidden behind the old cache
    triggers.write_text(_TRIGGERS.replace('["arrested"]', '["arrested("]'), encoding="utf-8")
    with pytest.raises(DataError, match="arrest"):
        _new_process_lexicon()


@pytest.mark.parametrize("content", [b"not a pickle", b"", b"\x80\x05\x95"])
def test_a_corrupt_lexicon_cache_is_built_again(own_triggers: tuple[Path, Path], content: bytes) -> None:
    _triggers, cache = own_triggers
    built = _new_process_lexicon()
    [cached] = cache.glob("lexicon-*.pickle")
    cached.write_bytes(content)
    again = _new_process_lexicon()
    assert again.find("Planes bombed the base.") == built.find("Planes bombed the base.") != []
    assert cached.read_bytes() != content  # written again
    assert not list(cache.glob("*.tmp"))


def test_an_object_of_another_kind_in_the_cache_file_is_built_again(own_triggers: tuple[Path, Path]) -> None:
    from eventcoder.cache import write_cache

    _triggers, cache = own_triggers
    _new_process_lexicon()
    [cached] = cache.glob("lexicon-*.pickle")
    write_cache(cached, {"not": "a lexicon"})
    assert [c.name for c in _new_process_lexicon().find("Police arrested him.")] == ["arrest"]
