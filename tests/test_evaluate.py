"""``eventcoder evaluate`` on annotated articles (JSONL): the reader, the choice between it and the
ACLED CSV reader, and the figures, on tiny hand-made gold files scored with the stub pipeline
(tests/conftest.py: one Peaceful protest by Protesters (Kenya) per sentence that says "protest")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventcoder.errors import InputError
from eventcoder.evaluate import (
    NO_EVENT,
    GoldRow,
    evaluate,
    is_annotated_jsonl,
    pair_events,
    read_annotated,
    read_gold_articles,
    strip_coder_notes,
)
from eventcoder.model import Event


def _write_jsonl(path: Path, records: list[Any]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _record(text: str = "Hundreds protest in Nairobi.", **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": "a", "published": "2024-03-04", "outlet": "Test", "text": text}
    record["events"] = [{"sub_event_type": "Peaceful protest", "country": "Kenya"}]
    record.update(extra)
    return record


# --- the reader --------------------------------------------------------------------------------


def test_reader_reads_articles_and_their_events(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "gold.jsonl",
        [
            _record(),
            "",
            {
                "id": "b",
                "text": "Gunmen killed two farmers and police arrested a mayor.",
                "events": [
                    {"sub_event_type": "Attack", "fatalities": 2, "actor1": "Unidentified Armed Group (Kenya)"},
                    {"sub_event_type": "Arrests", "event_type": "Strategic developments"},
                ],
            },
            {"id": "c", "published": None, "text": "Floods hit Garissa.", "events": []},
        ],
    )
    a, b, c = read_annotated(str(path))
    assert (a.gold_id, a.published, a.source, a.pair_by_type) == ("a", "2024-03-04", "Test", True)
    (event,) = a.events
    assert (event.sub_event_type, event.event_type, event.country) == ("Peaceful protest", "Protests", "Kenya")
    # fields the gold leaves out are not scored: None, not a wrong value
    assert event.fatalities is None and event.event_date is None and event.location is None
    assert [e.gold_id for e in b.events] == ["b#1", "b#2"]
    assert b.events[0].event_type == "Violence against civilians"  # from the codebook
    assert b.events[0].fatalities == 2 and b.events[0].actors == ["Unidentified Armed Group (Kenya)"]
    assert c.events == [] and c.published is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "x", "events": [}', "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ({"events": []}, "no 'text'"),
        ({"text": "  ", "events": []}, "no 'text'"),
        ({"text": "x"}, "no 'events' list"),
        ({"text": "x", "events": {"sub_event_type": "Attack"}}, "no 'events' list"),
        ({"text": "x", "events": ["Attack"]}, "must be an object"),
        ({"text": "x", "events": [{"sub_event_type": "Riot"}]}, "unknown sub_event_type 'Riot'"),
        ({"text": "x", "events": [{"sub_event_type": None}]}, "unknown sub_event_type None"),
        (
            {"text": "x", "events": [{"sub_event_type": "Attack", "event_type": "Battles"}]},
            "does not contain sub_event_type 'Attack'",
        ),
        ({"text": "x", "published": "4 March", "events": []}, "published is not a YYYY-MM-DD date"),
        ({"text": "x", "events": [{"sub_event_type": "Attack", "event_date": 20240304}]}, "event_date must be"),
        ({"text": "x", "events": [{"sub_event_type": "Attack", "fatalities": -1}]}, "fatalities must be"),
        ({"text": "x", "events": [{"sub_event_type": "Attack", "fatalities": "3"}]}, "fatalities must be"),
        ({"text": "x", "events": [{"sub_event_type": "Attack", "country": 7}]}, "country must be a string"),
        ({"id": "a", "text": "x", "events": []}, "duplicate id 'a'"),
    ],
)
def test_a_malformed_line_is_one_error_naming_the_line(tmp_path: Path, line: Any, reason: str) -> None:
    path = _write_jsonl(tmp_path / "gold.jsonl", [_record(), "", line])
    with pytest.raises(InputError) as err:
        read_annotated(str(path))
    assert str(err.value).startswith(f"{path}: line 3: ")
    assert reason in str(err.value)
    assert "\n" not in str(err.value)


def test_an_unreadable_or_empty_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_annotated(str(tmp_path / "missing.jsonl"))
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no annotated articles"):
        read_annotated(str(tmp_path / "empty.jsonl"))
    (tmp_path / "latin1.jsonl").write_bytes('{"text": "Bogotá"}'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_annotated(str(tmp_path / "latin1.jsonl"))


def test_the_format_is_chosen_by_extension_then_by_content(tmp_path: Path) -> None:
    assert is_annotated_jsonl("x.jsonl") and is_annotated_jsonl("x.NDJSON") and is_annotated_jsonl("x.json")
    assert not is_annotated_jsonl("x.csv")
    jsonl = _write_jsonl(tmp_path / "gold.txt", [_record()])
    assert is_annotated_jsonl(str(jsonl))
    acled = tmp_path / "acled.txt"
    acled.write_text("event_date,sub_event_type,notes\n2024-03-04,Peaceful protest,x\n", encoding="utf-8")
    assert not is_annotated_jsonl(str(acled))


def test_csv_and_jsonl_gold_mix_in_one_run(tmp_path: Path) -> None:
    acled = tmp_path / "acled.csv"
    acled.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,notes\n"
        "KEN1,2024-03-04,Protests,Peaceful protest,Protest: On 4 March 2024 traders protested in Nairobi.\n"
        "KEN2,2024-03-04,Protests,Peaceful protest,Protest: On 4 March 2024 traders protested in Nairobi.\n"
        "OLD1,2010-01-01,Riots/Protests,,legacy row\n",
        encoding="utf-8",
    )
    jsonl = _write_jsonl(tmp_path / "news.jsonl", [_record()])
    articles, skipped = read_gold_articles([str(acled), str(jsonl)])
    assert skipped == 1
    from_csv, from_jsonl = articles
    # ACLED rows sharing a notes text are one article; the coder's label is removed
    assert from_csv.text == "On 4 March 2024 traders protested in Nairobi."
    assert [g.gold_id for g in from_csv.events] == ["KEN1", "KEN2"] and not from_csv.pair_by_type
    assert from_jsonl.gold_id == "a" and from_jsonl.pair_by_type
    with pytest.raises(InputError, match="no such file"):
        read_gold_articles([str(tmp_path / "nope.jsonl")])


# --- pairing several gold events ---------------------------------------------------------------


def _event(sub_event_type: str, event_type: str, start: int = 0) -> Event:
    return Event(
        event_date=None, time_precision=None, event_type=event_type, sub_event_type=sub_event_type,
        actor1=None, assoc_actor_1=None, inter1=None, actor2=None, assoc_actor_2=None, inter2=None,
        interaction=None, civilian_targeting=None, country=None, admin1=None, admin2=None, admin3=None,
        location=None, latitude=None, longitude=None, geo_precision=None, source=None, notes=None,
        fatalities=0, article_id="x", event_id=f"x-{start}", confidence=0.5,
    )  # fmt: skip


def _gold(sub_event_type: str, event_type: str) -> GoldRow:
    return GoldRow(
        gold_id=sub_event_type, notes="", event_date=None, event_type=event_type,
        sub_event_type=sub_event_type, actors=[], country="", admin1="", latitude=None,
        longitude=None, geo_precision=None, fatalities=None,
    )  # fmt: skip


def test_several_gold_events_pair_one_to_one_by_type_then_order() -> None:
    clash = _event("Armed clash", "Battles", 0)
    shelling = _event("Shelling/artillery/missile attack", "Explosions/Remote violence", 1)
    protest = _event("Peaceful protest", "Protests", 2)
    golds = [
        _gold("Air/drone strike", "Explosions/Remote violence"),  # same event type: the shelling
        _gold("Armed clash", "Battles"),  # same sub-event type, though listed after
        _gold("Attack", "Violence against civilians"),  # nothing alike: the first event left
        _gold("Arrests", "Strategic developments"),  # nothing left
    ]
    pairs = pair_events(golds, [clash, shelling, protest])
    assert [p.event for p in pairs] == [shelling, clash, protest, None]


# --- the figures, with the stub pipeline --------------------------------------------------------


@pytest.fixture
def tiny_gold(tmp_path: Path) -> Path:
    return _write_jsonl(
        tmp_path / "tiny.jsonl",
        [
            _record("Hundreds protest in Nairobi.", id="ok", events=[
                {"sub_event_type": "Peaceful protest", "country": "Kenya", "fatalities": 0,
                 "event_date": "2024-03-04", "actor1": "Protesters (Kenya)"}]),
            _record("Police fired tear gas at a protest in Nairobi.", id="intervention", events=[
                {"sub_event_type": "Protest with intervention", "country": "Kenya",
                 "actor1": "Protesters (Kenya)", "actor2": "Police Forces of Kenya (2022-)"}]),
            _record("Students protest in Kisumu. Traders protest in Nakuru.", id="two", events=[
                {"sub_event_type": "Peaceful protest", "country": "Kenya", "fatalities": 0},
                {"sub_event_type": "Peaceful protest", "country": "Kenya", "fatalities": 0}]),
            _record("Gunmen killed a trader in Mandera.", id="missed", events=[
                {"sub_event_type": "Attack", "fatalities": 1}]),
            _record("Floods hit Garissa.", id="quiet", events=[]),
            _record("Fans protest the referee's decision.", id="noisy", events=[]),
        ],
    )  # fmt: skip


def test_figures_on_a_tiny_gold_file(use_stub_pipeline: None, tiny_gold: Path) -> None:
    report = evaluate([str(tiny_gold)])
    f, n = report.figures, report.counts
    assert (report.rows, report.articles, len(report.no_event_checks)) == (5, 6, 2)
    # 5 gold events: the stub covers all but the attack; it only knows Peaceful protest
    assert f["coverage"] == pytest.approx(4 / 5)
    assert f["event_type"] == pytest.approx(4 / 5)
    assert f["sub_event_type"] == pytest.approx(3 / 5)
    # one of the two no-event texts stays silent
    assert (f["no_event_rate"], n["no_event_rate"]) == (pytest.approx(1 / 2), 2)
    # Peaceful protest: 3 right of 5 predicted (the intervention and the football text), recall 1:
    # F1 0.75 on 3 of 5 gold events; the two other types score 0; NO_EVENT is not a label
    assert f["sub_event_type_f1"] == pytest.approx(0.75 * 3 / 5)
    assert set(report.per_type) == {"Peaceful protest", "Protest with intervention", "Attack"}
    assert NO_EVENT not in report.per_type
    # fields are scored only where gold gives them
    assert (f["country"], n["country"]) == (pytest.approx(1.0), 4)
    assert (f["fatalities"], n["fatalities"]) == (pytest.approx(3 / 4), 4)
    assert (f["event_date"], n["event_date"]) == (pytest.approx(1.0), 1)
    assert (f["actor_recall"], n["actor_recall"]) == (pytest.approx(2 / 3), 3)
    assert "admin1" not in f and "location" not in f


def test_json_and_text_reports_carry_the_news_figures(
    invoke: Any, tiny_gold: Path
) -> None:
    run = invoke("evaluate", tiny_gold, "--json")
    assert run.status == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["no_event_articles"] == 2 and data["articles"] == 6 and data["rows"] == 5
    assert data["figures"]["no_event_rate"] == 0.5
    text = invoke("evaluate", tiny_gold)
    assert "2 of them with no gold event" in text.stdout
    assert any(line.startswith("no_event_rate") for line in text.stdout.splitlines())


def test_a_malformed_gold_file_is_one_line_on_stderr(invoke: Any, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "bad.jsonl", [_record(), '{"text": "x", "events": [}'])
    run = invoke("evaluate", path)
    assert run.status == 1 and run.stdout == ""
    assert run.errors == [f"eventcoder: error: {path}: line 2: not valid JSON (Expecting value)"]
    assert "Traceback" not in run.stderr


def test_acled_csv_reports_keep_their_shape(use_stub_pipeline: None, tmp_path: Path) -> None:
    acled = tmp_path / "acled.csv"
    acled.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,country,fatalities,notes\n"
        "KEN1,2024-03-04,Protests,Peaceful protest,Kenya,0,On 4 March 2024 traders protest in Nairobi.\n"
        "KEN2,2024-03-05,Protests,Protest with intervention,Kenya,0,Police dispersed a protest in Kisumu.\n",
        encoding="utf-8",
    )
    report = evaluate([str(acled)])
    assert "no_event_rate" not in report.figures and "location" not in report.figures
    assert "no_event_articles" not in report.as_dict()
    assert report.figures["sub_event_type"] == pytest.approx(1 / 2)
    assert report.figures["fatalities"] == pytest.approx(1.0)
    # every ACLED row scores its date and fatalities (0 when none are reported)
    assert report.counts["event_date"] == report.counts["fatalities"] == 2


# --- ACLED notes read as articles -------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "article"),
    [
        ("Looting: Rebels looted crops.", "Rebels looted crops."),
        ("Rebels looted crops near Pama (coded as Pama at geoprecision 2).",
         "Rebels looted crops near Pama."),
        ("Gunmen killed 3 [Coded to Hadrut with GP2, the largest city] in the town.",
         "Gunmen killed 3 in the town."),
        ("Bandits looted a bus between Nyakabere and Mutarule, coded to Mutarule (Ruzizi, Uvira, "
         "Sud-Kivu). Nobody was hurt.",
         "Bandits looted a bus between Nyakabere and Mutarule. Nobody was hurt."),
        ("An airstrike killed 1 woman in Ghazni. Fatalities coded as 0 (VoJ reported 1).",
         "An airstrike killed 1 woman in Ghazni."),
        # a remark inside the one sentence of a note goes, the report stays
        ("Gunmen abducted a priest near Pama, location coded as Pama (Kompienga).",
         "Gunmen abducted a priest near Pama."),
        ("Farmers in Gusau LGA coded to Gusau fled their homes.",
         "Farmers in Gusau LGA fled their homes."),
        ("Soldiers built a camp near the river. Coded as Kaya district, Sanmatenga.",
         "Soldiers built a camp near the river."),
        # a note with no remark is left as it is
        ("Police fired tear gas at protesters (about 200) in Nairobi.",
         "Police fired tear gas at protesters (about 200) in Nairobi."),
    ],
)
def test_coders_remarks_are_not_part_of_the_article(note: str, article: str) -> None:
    # the remarks are ACLED's answer key (place, precision, actor, deaths): scoring the engine on
    # text that contains them would flatter it
    assert strip_coder_notes(note) == article
