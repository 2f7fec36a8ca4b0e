"""``eventcoder gazetteer import``: GeoNames dumps into the import store, read as a layer.

The dumps are the fixtures in ``tests/fixtures/geonames`` (see its README: two real towns the
shipped data has, and made-up places it cannot have). Every test works in its own cache folder,
where the built index of the real cache is linked (not rebuilt), so nothing is imported into the
developer's store.
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run
from eventcoder import gazetteer as gz
from eventcoder.errors import DataError, InputError
from eventcoder.gazetteer import Gazetteer
from eventcoder.geonames import LayerPlace, import_dumps, write_layer

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"
DUMP = FIXTURES / "SY.txt"
ALTERNATES = FIXTURES / "alternateNamesV2.txt"
VILLAGE = 99100001  # Khirbat Zuwayqāt, made up: the shipped data cannot have it
DANA = 174259  # Ad Dānā, a real cities500 town


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of its own, with the real built index linked into it."""
    index = gz.default_path()
    if not index.exists():
        gz.get_gazetteer()  # builds it, once per machine
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / index.name).symlink_to(index)
    monkeypatch.setenv("EVENTCODER_CACHE", str(folder))
    gz.get_gazetteer.cache_clear()
    yield folder
    gz.get_gazetteer.cache_clear()


def _fresh() -> Gazetteer:
    """A gazetteer over the index and the default layers, as a new process opens it."""
    return Gazetteer(layers=gz.default_layers())


def _store_rows() -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(gz.import_store_path()) as conn:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in ("meta", "place", "name", "admin")}


def test_import_makes_a_new_place_resolvable(cache: Path) -> None:
    before = _fresh()
    assert before.layers == ()
    assert before.resolve("Khirbet Zweiqat", "SY") is None
    assert before.by_geonameid(VILLAGE) is None

    reports = import_dumps([ALTERNATES, DUMP])  # geoname table first, whatever the order
    assert [r.kind for r in reports] == ["geonames", "alternate names"]
    main, alternates = reports
    assert (main.lines, main.places, main.skipped) == (8, 5, 3)  # wadi, PPLQ, no country
    assert (alternates.lines, alternates.names, alternates.skipped) == (6, 3, 3)

    after = _fresh()
    assert after.layers == (gz.import_store_path(),)
    for spelling in ("Khirbet Zweiqat", "Khirbat Zuwayqat", "Kherbet Zuwaiqat", "Khirbet Zuwaiqa"):
        found = after.resolve(spelling, "SY")
        assert found is not None and found.place.geonameid == VILLAGE, spelling
    place = after.by_geonameid(VILLAGE).place  # type: ignore[union-attr]
    assert (place.country, place.latitude, place.longitude) == ("Syria", 36.0431, 36.5872)
    # admin1 from the dump's code (SY.12 = Idlib), admin2 from the dump's own ADM2 row
    assert (place.admin1, place.admin2) == ("Idlib", "Zuwayqat")
    # an admin1 code GeoNames does not have: the admin areas of the nearest shipped town
    tall = after.resolve("Tell Soummaqiye", "SY")
    assert tall is not None and tall.place.admin1 == "Aleppo"
    # features that are not places to code events at are left out
    assert after.resolve("Wadi Zuwayqat", "SY") is None
    assert after.resolve("Qaryat Hurub", "SY") is None


def test_a_dump_that_repeats_shipped_towns_adds_spellings_not_duplicates(cache: Path) -> None:
    shipped = _fresh().by_geonameid(DANA)
    assert shipped is not None
    assert _fresh().resolve("Dana al-Kubra", "SY") is None
    import_dumps([DUMP, ALTERNATES])
    after = _fresh()
    found = after.resolve("Dana al-Kubra", "SY")  # a spelling only the alternate names file has
    assert found is not None and found.place_id == shipped.place_id
    assert found.place == shipped.place
    assert [c.place_id for c in after.lookup("Darkush", "SY")] == [
        after.by_geonameid(170865).place_id]  # type: ignore[union-attr]


def test_importing_twice_changes_nothing(cache: Path) -> None:
    import_dumps([DUMP, ALTERNATES])
    first = _store_rows()
    again = import_dumps([DUMP, ALTERNATES])
    assert _store_rows() == first
    assert [(r.new_places, r.new_names) for r in again] == [(0, 0), (0, 0)]
    assert [r.places for r in again] == [5, 0] and again[0].names > 0


def _dump_with(tmp_path: Path, bad_line: str, good_after: bool = True) -> Path:
    """A dump of two new villages, then ``bad_line`` (line 3), then one more village."""
    rows = [
        f"{gid}\tKafr Fixture {n}\tKafr Fixture {n}\t\t36.1\t36.6\tP\tPPL\tSY\t\t12\t\t\t\t0\t\t400"
        f"\tAsia/Damascus\t2024-02-11"
        for n, gid in enumerate((99100010, 99100011, 99100012), start=1)
    ]
    path = tmp_path / "SY-bad.txt"
    lines = [rows[0], rows[1], bad_line] + ([rows[2]] if good_after else [])
    path.write_bytes(b"".join(
        (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines))
    return path


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("99100013\tCut short\tCut short\t\t36.1\t36.6\tP\tPPL\tSY\t\t12\t",
         "expected 19 tab-separated columns (GeoNames geoname table), found 12"),
        ("99100013\tNorth\tNorth\t\tnorth\t36.6\tP\tPPL\tSY\t\t12\t\t\t\t0\t\t400\tAsia/Damascus"
         "\t2024-02-11", "latitude is not a number: 'north'"),
        ("99100013\tFar\tFar\t\t136.1\t36.6\tP\tPPL\tSY\t\t12\t\t\t\t0\t\t400\tAsia/Damascus"
         "\t2024-02-11", "latitude/longitude out of range"),
        (b"99100013\tBad \xff bytes\tBad\t\t36.1\t36.6\tP\tPPL\tSY\t\t12\t\t\t\t0\t\t400\t"
         b"Asia/Damascus\t2024-02-11", "not UTF-8"),
    ],
)
def test_a_corrupt_line_is_named_and_loses_nothing(cache: Path, tmp_path: Path, bad_line: str,
                                                   message: str) -> None:
    import_dumps([DUMP])
    imported = _store_rows()
    bad = _dump_with(tmp_path, bad_line)
    with pytest.raises(DataError) as err:
        import_dumps([bad])
    assert err.value.line == 3 and err.value.path == str(bad)
    assert message in str(err.value) and "\n" not in str(err.value)
    after = _store_rows()
    # everything imported before is still there, and so are the lines before the bad one
    assert set(imported["place"]) <= set(after["place"])
    assert set(imported["name"]) <= set(after["name"])
    ids = {row[0] for row in after["place"]}
    assert {99100010, 99100011} <= ids and 99100012 not in ids
    assert _fresh().resolve("Khirbet Zweiqat", "SY") is not None


def test_alternate_names_with_a_corrupt_line(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "alternateNamesV2.txt"
    bad.write_text(ALTERNATES.read_text(encoding="utf-8") + "90000007\t99100001\ten\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match=r"alternateNamesV2.txt:7: expected 10 tab-separated"):
        import_dumps([DUMP, bad])
    assert _fresh().resolve("Khirbet Zuwaiqa", "SY") is not None  # lines 1-6 are in


def test_a_zip_from_geonames_is_read(cache: Path, tmp_path: Path) -> None:
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DUMP, "SY.txt")
        zf.writestr("readme.txt", "GeoNames readme\n")
    [report] = import_dumps([archive])
    assert report.places == 5 and report.path.endswith("SY.zip!SY.txt")
    assert _fresh().resolve("Khirbet Zweiqat", "SY") is not None


def test_progress_is_reported_after_each_batch(cache: Path, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    from eventcoder import geonames

    monkeypatch.setattr(geonames, "_BATCH", 2)
    seen: list[tuple[str, int, int]] = []
    import_dumps([DUMP, ALTERNATES],
                 progress=lambda r: seen.append((r.kind, r.lines, r.places)))
    assert seen[:2] == [("geonames", 2, 2), ("geonames", 4, 4)]
    assert ("alternate names", 2, 0) in seen


def test_missing_file_is_an_input_error(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_dumps([tmp_path / "allCountries.txt"])
    assert not gz.import_store_path().exists()


def test_a_layer_of_another_version_is_refused(cache: Path) -> None:
    import_dumps([DUMP])
    with sqlite3.connect(gz.import_store_path()) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'layer_version'")
    with pytest.raises(DataError, match="delete the file and import or train again"):
        _fresh()


def test_a_model_directory_adds_learned_places(cache: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    written = write_layer(model / gz.MODEL_LAYER_FILE, [
        # made up, as in the fixtures: a point between Idlib and Ma'arrat Misrin
        LayerPlace("Tall Fixture", "SY", 36.05, 36.62, aliases=("Tell al-Fixture",)),
        LayerPlace("Dana", "SY", 36.2125, 36.77, aliases=("Dana town",), geonameid=DANA),
    ])
    assert written == 2
    assert gz.get_gazetteer().resolve("Tell al-Fixture", "SY") is None
    learned = gz.get_gazetteer(str(model))
    assert learned.layers == (model / gz.MODEL_LAYER_FILE,)
    found = learned.resolve("Tell al-Fixture", "SY")
    assert found is not None and found.place.name == "Tall Fixture"
    assert found.place.admin1 == "Idlib"  # from the nearest shipped town
    dana = learned.resolve("Dana town", "SY")
    assert dana is not None and dana.place.geonameid == DANA


def test_lookups_without_layers_are_unchanged(cache: Path) -> None:
    base = Gazetteer(layers=())
    import_dumps([DUMP, ALTERNATES])
    layered = _fresh()
    for name in ("Darkush", "Idlib", "Maarrat Misrin", "Kismayo"):
        assert [c.place for c in layered.lookup(name)] == [c.place for c in base.lookup(name)]


# --- through the command line and the extraction API ----------------------------------------


def test_cli_imports_and_reports(cache: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("gazetteer", "import", str(DUMP), str(ALTERNATES), stub=False)
    assert run.status == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"{DUMP}: 8 lines, 5 places (5 new)")
    assert lines[-1] == f"gazetteer store: {gz.import_store_path()}"
    again = run_cli("gazetteer", "import", str(DUMP), stub=False)
    assert "5 places (0 new)" in again.stdout


def test_cli_corrupt_line_is_one_line_without_traceback(
        cache: Path, tmp_path: Path, run_cli: Callable[..., Run]) -> None:
    bad = _dump_with(tmp_path, "99100013\tCut short\tCut short")
    run = run_cli("gazetteer", "import", str(bad), stub=False)
    assert run.status == 1
    assert "Traceback" not in run.stderr
    assert run.errors == [
        f"eventcoder: error: {bad}:3: expected 19 tab-separated columns (GeoNames geoname "
        "table), found 3 (the 2 lines before it are imported; fix the line and import the file "
        "again)"
    ]
    missing = run_cli("gazetteer", "import", str(tmp_path / "nope.txt"), stub=False)
    assert missing.status == 1 and missing.errors == [
        f"eventcoder: error: {tmp_path / 'nope.txt'}: no such file"]


@pytest.mark.slow
def test_extract_places_an_event_at_an_imported_village(cache: Path) -> None:
    import eventcoder
    from eventcoder import pipeline

    text = ("Gunmen killed two civilians in Khirbet Zweiqat in the Idlib countryside on Monday, "
            "local sources said.")
    pipeline.get_pipeline.cache_clear()
    try:
        before = eventcoder.extract(text, published="2024-03-06")
        assert before and all(e.location != "Khirbat Zuwayqāt" for e in before)
        import_dumps([DUMP])
        gz.get_gazetteer.cache_clear()
        pipeline.get_pipeline.cache_clear()
        [event] = eventcoder.extract(text, published="2024-03-06")
    finally:
        pipeline.get_pipeline.cache_clear()
    assert (event.location, event.geo_precision) == ("Khirbat Zuwayqāt", 1)
    assert (event.latitude, event.longitude) == (36.0431, 36.5872)
    assert (event.country, event.admin1, event.admin2) == ("Syria", "Idlib", "Zuwayqat")


def test_fixture_files_are_in_the_dump_format() -> None:
    for path, columns in ((DUMP, 19), (ALTERNATES, 10)):
        raw = path.read_bytes()
        assert raw.endswith(b"\n") and b"\r" not in raw
        for line in raw.decode("utf-8").splitlines():
            assert len(line.split("\t")) == columns, (path.name, line)
