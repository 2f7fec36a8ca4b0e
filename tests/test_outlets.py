"""outlets: the article's outlet as a weak prior of its country (data/outlets.yaml, outlets.py,
its vote in the places stage and the evidence it leaves on events)."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

import eventcoder
from eventcoder.errors import DataError
from eventcoder.evaluate import evaluate
from eventcoder.model import Article, Document, Evidence, event_from_dict
from eventcoder.outlets import (
    country_evidence,
    decide_country,
    home_country,
    load_outlets,
    outlet_key,
    outlet_table,
    source_parts,
)
from eventcoder.places import PlaceResolver

from conftest import place_document


def _raw() -> dict[str, Any]:
    text = (resources.files("eventcoder") / "data" / "outlets.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _country_names() -> set[str]:
    text = (resources.files("eventcoder") / "data" / "countries.csv").read_text(encoding="utf-8-sig")
    return {row["name"] for row in csv.DictReader(io.StringIO(text))}


RAW = _raw()


# -- the data file ---------------------------------------------------------------------------


def test_top_level_keys_are_the_documented_ones() -> None:
    assert RAW["version"] == 1
    assert set(RAW) == {"version", "international", "services", "not_in_names", "generic_domains",
                        "countries"}


def test_generic_domains_are_country_codes_of_countries_csv() -> None:
    text = (resources.files("eventcoder") / "data" / "countries.csv").read_text(encoding="utf-8-sig")
    codes = {row["iso2"].casefold() for row in csv.DictReader(io.StringIO(text))}
    assert RAW["generic_domains"] and set(RAW["generic_domains"]) <= codes
    # the national domains of the countries the team codes most stay national
    assert not {"bf", "ml", "ng", "ke", "ua", "pk", "so", "cd"} & set(RAW["generic_domains"])


def test_every_country_is_a_country_of_countries_csv() -> None:
    known = _country_names()
    assert set(RAW["countries"]) <= known
    assert set(RAW["not_in_names"]) <= known


def test_coverage_many_outlets_in_many_countries() -> None:
    outlets = [name for names in RAW["countries"].values() for name in names]
    assert len(RAW["countries"]) >= 50
    assert len(outlets) >= 150
    assert len(RAW["international"]) >= 50
    # countries the development sample barely has are covered too
    for country in ("Myanmar", "Haiti", "Mozambique", "Philippines", "Venezuela", "Nepal"):
        assert len(RAW["countries"][country]) >= 5, country


def test_no_name_is_listed_twice_once_folded() -> None:
    seen: dict[str, str] = {}
    groups = [("international", RAW["international"])] + list(RAW["countries"].items())
    for group, names in groups:
        for name in names:
            key = outlet_key(name)
            assert key, name
            assert key not in seen, f"{name!r} ({group}) folds onto {seen[key]!r}"
            seen[key] = f"{name} ({group})"


def test_the_shipped_table_loads() -> None:
    table = outlet_table()
    assert table.home[outlet_key("Hiru News")] == "Sri Lanka"
    assert outlet_key("Reuters") in table.international
    assert table.iso2["Kenya"] == "KE"


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("version: 2\ninternational: []\ncountries: {}", "version: 1"),
        ("version: 1\ninternational: [Reuters]\ncountries: {Atlantis: [Atlantis Post]}",
         "'Atlantis' is no country"),
        ("version: 1\ninternational: []\ncountries: {Kenya: [Daily Star], Bangladesh: [The Daily Star]}",
         "listed for 'Kenya' and 'Bangladesh'"),
        ("version: 1\ninternational: [Reuters]\ncountries: {Kenya: [reuters]}",
         "international and for 'Kenya'"),
        ("version: 1\ninternational: [Reuters]\ncountries: {Kenya: Daily Nation}",
         "expected a list of names"),
        ("version: 1\ninternational: Reuters\ncountries: {}", "international: expected a list"),
        ("version: 1\ninternational: []\nnot_in_names: [Atlantis]\ncountries: {}",
         "not_in_names: 'Atlantis'"),
        ("version: 1\ninternational: [\n", "not valid YAML"),
        ("version: 1\ninternational: []\ngeneric_domains: [com]\ncountries: {}",
         "generic_domains: 'com'"),
    ],
)
def test_an_invalid_file_names_its_fault(text: str, fault: str) -> None:
    with pytest.raises(DataError, match=re.escape(fault)) as err:
        load_outlets(text, "my-outlets.yaml")
    assert str(err.value).startswith("my-outlets.yaml")


# -- reading a source ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("The Star (Kenya)", "star kenya"),
        ("L'Observateur Paalga", "l observateur paalga"),
        ("Mail & Guardian", "mail and guardian"),
        ("Fraternité Matin", "fraternite matin"),
        ("  THE   Punch ", "punch"),
    ],
)
def test_outlet_key(name: str, key: str) -> None:
    assert outlet_key(name) == key


@pytest.mark.parametrize(
    ("source", "parts"),
    [
        ("Daily Nation (Kenya); Reuters", ["Daily Nation (Kenya)", "Reuters"]),
        ("Le Faso, Sidwaya;AIB", ["Le Faso", "Sidwaya", "AIB"]),
        ("Daily Mirror (Colombo, Sri Lanka); ", ["Daily Mirror (Colombo, Sri Lanka)"]),
        ("", []),
        (None, []),
    ],
)
def test_source_parts(source: str | None, parts: list[str]) -> None:
    assert source_parts(source) == parts


@pytest.mark.parametrize(
    ("source", "country"),
    [
        # an outlet of the table, under spellings sources use
        ("Ada Derana", "Sri Lanka"),
        ("lefaso.net", "Burkina Faso"),
        ("Radio Okapi", "Democratic Republic of Congo"),
        ("RADIO DABANGA", "Sudan"),
        ("Premium Times", "Nigeria"),
        ("Garowe Online", "Somalia"),
        ("Le Nouvelliste", "Haiti"),
        ("The Irrawaddy", "Myanmar"),
        # a country named in the outlet's name: a qualifier, a name, a demonym
        ("Star (Kenya)", "Kenya"),
        ("Daily News (Sri Lanka)", "Sri Lanka"),
        ("Kenya Broadcasting Corporation", "Kenya"),
        ("Sri Lanka Mirror", "Sri Lanka"),
        ("Nigerian Tribune", "Nigeria"),
        ("Côte d'Ivoire Hebdo", "Ivory Coast"),
        ("South Sudanese Voice", "South Sudan"),
        ("Papua New Guinea Post-Courier", "Papua New Guinea"),
        # a qualifier beats the table's reading of the bare name
        ("Daily Monitor (Ethiopia)", "Ethiopia"),
        # international parts and unknown parts are ignored; agreeing parts agree
        ("Reuters; Daily Nation (Kenya)", "Kenya"),
        ("AFP; Le Pays; Sunrise Weekly; Twitter", "Burkina Faso"),
        ("Infowakat; AIB (Burkina Faso)", "Burkina Faso"),
        # national and local outlets of the conflict countries, under the spellings they use
        ("El Nashra", "Lebanon"),
        ("Philenews", "Cyprus"),
        ("Colombo Telegraph", "Sri Lanka"),
        ("Kresy.pl", "Poland"),
        ("Agora.md", "Moldova"),
        ("Kurdistan24", "Iraq"),
        ("La Prunelle RDC", "Democratic Republic of Congo"),
        ("MinuteBf", "Burkina Faso"),
        ("Minute.bf", "Burkina Faso"),
        ("Flash Burkina", "Burkina Faso"),
        ("Bafuji Infos", "Burkina Faso"),
        ("Suspilne Media", "Ukraine"),
        ("Ministry of Defense - NUG", "Myanmar"),
        ("Donia Al Watan", "Palestine"),
        ("EKantipur.com", "Nepal"),
        ("Oromiya Media Network", "Ethiopia"),
        ("The Balochistan Times", "Pakistan"),
        ("Kashmir Monitor", "India"),
        # a web address under a country's domain, unless the domain is sold as a generic name
        # or the site is an international outlet's
        ("Fakti.bg", "Bulgaria"),
        ("Inform.zp.ua", "Ukraine"),
        ("Tuko.co.ke", "Kenya"),
        ("Camer.be", "Cameroon"),  # a Cameroonian site under Belgium's domain: listed by name
        ("Beat 102.fm", None),
        ("Kenyans.tv", None),
        ("BBC.co.uk", None),
        ("Kenya-news.ru", None),  # a country in the name and another's domain
        ("lefaso.net", "Burkina Faso"),  # a generic domain: the table decides
        # a national outlet beside international ones and regional monitors counts alone
        ("Menastream; MinuteBf", "Burkina Faso"),
        ("AFP; Kurdistan24; ANF News", "Iraq"),
        ("Studio Tamani; Kibaru", "Mali"),  # two outlets of one country
        # no home country: international, social media, unknown, disagreeing, ambiguous
        ("Reuters", None),
        ("Agence France Presse -- English", None),
        ("BBC Somali Service", None),
        ("Radio France Internationale", None),
        ("Voice of America", None),
        ("Twitter; Whatsapp; Local Source", None),
        ("Menastream", None),  # analysts of the whole Sahel
        ("AFP; RFI; Xinhua", None),
        ("El Nashra; Philenews", None),  # nationals of two countries
        ("Sunrise Weekly", None),
        ("Daily Nation (Kenya); Ada Derana", None),
        ("Congolese Times", None),  # both Congos call themselves Congolese
        ("Sudan Tribune (France)", None),  # two countries in one name
        ("New Mexico Political Report", None),  # a US state, not Mexico
        ("Georgia Public Broadcasting", None),  # not_in_names: a US state too
        ("", None),
        (None, None),
    ],
)
def test_home_country(source: str | None, country: str | None) -> None:
    assert home_country(source) == country


# -- the vote in the places stage ------------------------------------------------------------


@pytest.fixture(scope="module")
def stage(place_stage: PlaceResolver) -> PlaceResolver:
    return place_stage


def places(stage: PlaceResolver, text: str, source: str | None) -> Document:
    """The places stage on a hand-built document (sentences split at full stops)."""
    return stage(place_document(text, source))


def test_no_country_in_the_text_takes_the_outlets(stage: PlaceResolver) -> None:
    text = "Youths blocked the road at the market and burned tyres."
    assert places(stage, text, None).country is None
    assert places(stage, text, "Reuters").country is None
    doc = places(stage, text, "Daily Nation")
    assert doc.country == "Kenya"
    assert doc.country_evidence == Evidence(0, 0, "Daily Nation", "country", "source")
    assert places(stage, text, "AFP; Hiru News").country == "Sri Lanka"


@pytest.mark.parametrize(
    ("text", "town"),
    [
        # a town of the home country whose namesakes abroad the text alone would choose
        # (Kisii, once here, is now Kenyan from the text alone: the city and its county of one
        # name outweigh Kisi, Nigeria)
        ("Rioters burned tyres in Maua town.", "Maua"),
        ("Police dispersed traders in Bondo.", "Bondo"),
    ],
)
def test_the_outlet_breaks_a_weak_split(stage: PlaceResolver, text: str, town: str) -> None:
    alone = places(stage, text, None)
    assert alone.country != "Kenya"
    doc = places(stage, text, "Star (Kenya)")
    assert doc.country == "Kenya"
    assert [(p.place.name, p.place.country) for p in doc.places] == [(town, "Kenya")]
    assert doc.country_evidence is not None and doc.country_evidence.text == "Star (Kenya)"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Protesters marched in Somalia on Monday.", "Somalia"),
        ("Two men were killed in Gulu.", "Uganda"),
        ("Al Shabaab fighters attacked a base in Mogadishu.", "Somalia"),
    ],
)
def test_the_text_wins_when_it_names_a_country_or_a_big_city(
    stage: PlaceResolver, text: str, country: str
) -> None:
    doc = places(stage, text, "Daily Nation")
    assert doc.country == country
    assert doc.country_evidence is None  # the outlet decided nothing


@pytest.mark.parametrize(
    ("text", "alone", "home", "admin1"),
    [
        # a city with namesakes in two countries and no country in the text: the Libyan
        # capital by size alone, the Lebanese port in a Lebanese outlet
        ("Gunmen shot dead two men in Tripoli on Monday.", "Libya", "Lebanon", "North"),
        ("Police arrested three men in Saida on Tuesday.", "Algeria", "Lebanon", "South"),
    ],
)
def test_the_outlet_tells_namesakes_apart(
    stage: PlaceResolver, text: str, alone: str, home: str, admin1: str
) -> None:
    assert places(stage, text, None).country == alone
    assert places(stage, text, "AFP").country == alone  # an agency has no home to lend
    doc = places(stage, text, "AFP; El Nashra")
    assert doc.country == home
    assert [p.place.admin1 for p in doc.places] == [admin1]


def test_the_outlet_never_overrides_the_country_the_text_names(stage: PlaceResolver) -> None:
    # weak evidence only: a country named in the text or a city without a namesake abroad wins
    assert places(stage, "Gunmen shot dead two men in Tripoli, Libya.", "El Nashra").country == "Libya"
    doc = places(stage, "Gunmen killed a shopkeeper in Hama on Sunday.", "El Nashra")
    assert doc.country == "Syria"
    assert doc.country_evidence is None


def test_an_agreeing_outlet_leaves_no_evidence() -> None:
    # the text already gives the country: the outlet adds nothing worth recording
    doc = Document(Article(id="a", text="...", source="Daily Nation"))
    assert decide_country(doc, {"KE": 8.0, "UG": 1.0}, 0.45) == "KE"
    assert doc.country_evidence is None
    assert decide_country(doc, {"UG": 0.3}, 0.45) == "KE"
    assert doc.country_evidence is not None


def test_evidence_only_for_the_country_it_supports() -> None:
    doc = Document(Article(id="a", text="...", source="Ada Derana"))
    doc.country = "Sri Lanka" if decide_country(doc, {}, 0.45) == "LK" else None
    assert [e.text for e in country_evidence(doc, "Sri Lanka")] == ["Ada Derana"]
    assert country_evidence(doc, "India") == []
    # a later stage that moved the article elsewhere leaves the outlet out
    doc.country = "India"
    assert country_evidence(doc, "India") == []


# -- the whole pipeline and its outputs ------------------------------------------------------


TEXT = "Police fired tear gas at traders protesting the demolition of their stalls."


def test_events_take_the_outlets_country_and_say_where_it_comes_from() -> None:
    [bare] = eventcoder.extract(TEXT, published="2024-03-04")
    assert bare.country is None
    assert all(ev.origin == "text" for ev in bare.evidence)
    [event] = eventcoder.extract(TEXT, published="2024-03-04", source="Daily Nation (Kenya)")
    assert event.country == "Kenya"
    assert event.source == "Daily Nation (Kenya)"
    # generic actors and state forces follow the country
    assert "Kenya" in (event.actor1 or "") and "Kenya" in (event.actor2 or "")
    [meta] = [ev for ev in event.evidence if ev.origin == "source"]
    assert (meta.field, meta.text, meta.start, meta.end) == ("country", "Daily Nation (Kenya)", 0, 0)
    # every other piece of evidence is still a span of the text
    for ev in event.evidence:
        if ev.origin == "text":
            assert TEXT[ev.start:ev.end] == ev.text
    record = event.as_dict()
    assert record["evidence"][-1] == {"start": 0, "end": 0, "text": "Daily Nation (Kenya)",
                                      "field": "country", "origin": "source"}
    assert all("origin" not in ev for ev in record["evidence"][:-1])
    again = event_from_dict(json.loads(json.dumps(record)))
    assert again.evidence == event.evidence


def test_parquet_keeps_the_origin_of_every_span(tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    from eventcoder.writers import write_parquet

    [event] = eventcoder.extract(TEXT, published="2024-03-04", source="Hiru News")
    out = tmp_path / "events.parquet"
    with out.open("wb") as stream:
        assert write_parquet([event], stream) == 1
    [row] = parquet.read_table(out).to_pylist()
    origins = {ev["origin"] for ev in row["evidence"]}
    assert origins == {"text", "source"}
    assert row["country"] == "Sri Lanka"


def test_evaluate_reads_the_source_column_of_acled_rows(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    columns = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
               "actor2", "country", "admin1", "location", "latitude", "longitude",
               "geo_precision", "source", "notes", "fatalities"]
    row = ["KEN1", "2024-03-04", "Protests", "Protest with intervention", "Protesters (Kenya)",
           "Police Forces of Kenya (2022-)", "Kenya", "", "", "", "", "", "Daily Nation (Kenya)",
           TEXT, "0"]
    with gold.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerow(row)
    report = evaluate([str(gold)])
    assert report.figures["country"] == 1.0
    # the same row without its source: the text alone names no country
    row[columns.index("source")] = ""
    with gold.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerow(row)
    assert evaluate([str(gold)]).figures["country"] == 0.0


def test_text_evidence_for_the_outlets_country_makes_its_vote_surer() -> None:
    # a Kenyan paper naming a town Kenya shares with a province abroad: the home reading and
    # the outlet together outweigh the province's name
    doc = Document(Article(id="a", text="...", source="Daily Nation"))
    assert decide_country(doc, {"TH": 4.2, "KE": 1.2}, 0.45) == "KE"
    # without a reading at home the foreign province still wins, as before
    assert decide_country(doc, {"TH": 4.2, "KE": 0.3}, 0.45) == "TH"
    assert decide_country(doc, {"TH": 4.2}, 0.45) == "TH"
    # a country the text names clearly is never outvoted
    assert decide_country(doc, {"TH": 8.0, "KE": 1.2}, 0.45) == "TH"
