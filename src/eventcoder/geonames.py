"""GeoNames dumps into a gazetteer layer: ``eventcoder gazetteer import``, and the writer a
trained model uses for the places it learned.

A full GeoNames dump (``allCountries.txt``, a country file such as ``SY.txt``, or the ``.zip``
GeoNames serves them in) is the ``geoname`` table of the GeoNames readme: 19 tab-separated
columns (:data:`GEONAME_COLUMNS`), one feature a line. ``alternateNamesV2.txt`` (10 columns,
:data:`ALTERNATE_COLUMNS`; the older ``alternateNames.txt`` has the first 8) adds names of those
features. Both are read line by line, so a 1.5 GB ``allCountries.txt`` never sits in memory.

What is kept, into the import store (:func:`eventcoder.gazetteer.import_store_path`), a layer the
gazetteer reads beside its built index (see :mod:`eventcoder.gazetteer`):

* populated places (feature class ``P``, but not historical or abandoned ones: ``PPLH``, ``PPLQ``)
  and refugee camps (``S.CMPRF``), as towns;
* first- and second-order admin units (``A.ADM1``, ``A.ADM2``);
* their names: the main name, the ASCII name, the ``alternatenames`` column, and the alternate
  names of the V2 file in Latin script (links, postcodes and airport codes left out).

Admin codes are GeoNames' (``SY.12``); a town whose admin codes the gazetteer does not know takes
those of the nearest shipped town, so admin1/admin2 always agree with the point.

The import is idempotent (places are keyed by GeoNames id, names by place and key): importing a
file twice leaves the store as the first import left it. A malformed line stops the import of its
file with a :class:`~eventcoder.errors.DataError` naming the file and the line; what was imported
before it (from earlier lines, files and runs) is kept.

>>> reports = import_dumps([Path("SY.txt")])                       # doctest: +SKIP
>>> reports[0].places, reports[0].new_places                       # doctest: +SKIP
(8452, 8452)
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from eventcoder.errors import DataError, InputError
from eventcoder.gazetteer import (
    KIND_ALIAS,
    KIND_ALT,
    KIND_NAME,
    LAYER_SCHEMA,
    LAYER_VERSION,
    Gazetteer,
    _display_admin_name,
    _is_latin,
    _loose_from_key,
    _name_key,
    _skeleton_from_loose,
    import_store_path,
)

__all__ = [
    "ALTERNATE_COLUMNS",
    "GEONAME_COLUMNS",
    "ImportReport",
    "LayerPlace",
    "import_dumps",
    "write_layer",
]

#: The columns of GeoNames' ``geoname`` table (readme.txt), in file order.
GEONAME_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature class", "feature code", "country code", "cc2", "admin1 code", "admin2 code",
    "admin3 code", "admin4 code", "population", "elevation", "dem", "timezone",
    "modification date",
)
#: The columns of ``alternateNamesV2.txt``; ``alternateNames.txt`` has the first eight.
ALTERNATE_COLUMNS = (
    "alternateNameId", "geonameid", "isolanguage", "alternate name", "isPreferredName",
    "isShortName", "isColloquial", "isHistoric", "from", "to",
)

# pseudo-languages of the alternate names file that are not names of the place
_NOT_NAMES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "abbr", "unlc",
                        "tcid", "phon", "piny"})
_SKIPPED_CODES = frozenset({"PPLH", "PPLQ"})
_BATCH = 50_000


@dataclass(frozen=True, slots=True)
class LayerPlace:
    """One place for a layer written by :func:`write_layer` (places learned from ACLED exports).

    Without admin codes, the place takes those of the nearest shipped town.
    """

    name: str
    country_code: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()
    population: int = 0
    geonameid: int | None = None
    admin1: str | None = None
    admin2: str | None = None


@dataclass(slots=True)
class ImportReport:
    """What importing one file did. ``places``/``names``: entries read and kept; ``new_*``: how
    many of them the store did not have before (0 on a second import of the same file)."""

    path: str
    kind: str  # "geonames" | "alternate names"
    lines: int = 0
    places: int = 0
    names: int = 0
    new_places: int = 0
    new_names: int = 0
    skipped: int = 0

    def summary(self) -> str:
        """One line for the user.

        >>> ImportReport("SY.txt", "geonames", 10, 7, 30, 7, 30, 3).summary()
        'SY.txt: 10 lines, 7 places (7 new), 30 names (30 new), 3 lines skipped'
        """
        return (f"{self.path}: {self.lines:,} lines, {self.places:,} places ({self.new_places:,} "
                f"new), {self.names:,} names ({self.new_names:,} new), {self.skipped:,} lines "
                "skipped")


@dataclass
class _Row:
    """A place on its way into a layer; ``place_id`` is its GeoNames id for imported rows."""

    place_id: int
    name: str
    names: list[str]
    lat: float
    lon: float
    feature: str
    fcode: str
    country: str
    admin1: str | None
    admin2: str | None
    population: int
    pending: bool = field(default=False)


# ---------------------------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------------------------


@contextmanager
def _open_dump(path: Path) -> Iterator[tuple[str, io.BufferedIOBase]]:
    """The dump's bytes and the name to report: a ``.txt`` as it is, the data file of a GeoNames
    ``.zip`` (the member named like the archive, else its one ``.txt`` that is not a readme)."""
    if not path.is_file():
        raise InputError(str(path), "no such file" if not path.exists() else "not a file")
    if path.suffix.lower() != ".zip":
        with path.open("rb") as fh:
            yield str(path), fh  # type: ignore[misc]
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise InputError(str(path), f"not a zip archive ({err})") from err
    with archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".txt")
                   and "readme" not in m.lower()]
        wanted = [m for m in members if Path(m).stem == path.stem] or members
        if len(wanted) != 1:
            raise InputError(str(path), "expected one GeoNames .txt file in the archive, found "
                             f"{len(wanted)}")
        with archive.open(wanted[0]) as fh:
            yield f"{path}!{wanted[0]}", fh  # type: ignore[misc]


def _lines(fh: io.BufferedIOBase, origin: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-empty line; a line that is not UTF-8 is an error."""
    for line_no, raw in enumerate(fh, start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as err:
            raise DataError(origin, f"not UTF-8 ({err.reason} at byte {err.start})",
                            line_no) from err
        if line.strip():
            yield line_no, line.split("\t")


def _kind_of(path: Path) -> str:
    """``alternate names`` for GeoNames' alternate names files, else ``geonames``."""
    return "alternate names" if path.name.lower().startswith("alternatename") else "geonames"


def _number(text: str, kind: type, what: str, origin: str, line_no: int) -> int | float:
    try:
        return kind(text)  # type: ignore[no-any-return]
    except ValueError as err:
        raise DataError(origin, f"{what} is not a number: {text!r}", line_no) from err


def _parse_geoname(fields: list[str], origin: str, line_no: int) -> _Row | None:
    """One line of the geoname table, checked; ``None`` for a feature that is not kept."""
    if len(fields) != len(GEONAME_COLUMNS):
        raise DataError(origin, f"expected {len(GEONAME_COLUMNS)} tab-separated columns "
                        f"(GeoNames geoname table), found {len(fields)}", line_no)
    geonameid = int(_number(fields[0], int, "geonameid", origin, line_no))
    lat = float(_number(fields[4], float, "latitude", origin, line_no))
    lon = float(_number(fields[5], float, "longitude", origin, line_no))
    population = int(_number(fields[14] or "0", int, "population", origin, line_no))
    if geonameid <= 0 or not fields[1].strip():
        raise DataError(origin, "a geonameid and a name are required", line_no)
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise DataError(origin, f"latitude/longitude out of range: {lat}, {lon}", line_no)
    fclass, fcode, country = fields[6], fields[7], fields[8].strip().upper()
    if len(fclass) > 1 or (country and (len(country) != 2 or not country.isalpha())):
        raise DataError(origin, f"bad feature class {fclass!r} or country code {country!r}",
                        line_no)
    if not country:
        return None  # oceans, undersea features: no country to code an event in
    a1, a2 = fields[10].strip(), fields[11].strip()
    admin1 = f"{country}.{a1}" if a1 else None
    admin2 = f"{admin1}.{a2}" if admin1 and a2 else None
    if (fclass == "P" and fcode not in _SKIPPED_CODES) or (fclass, fcode) == ("S", "CMPRF"):
        feature = "city"
    elif fclass == "A" and fcode == "ADM1" and admin1:
        feature, admin2 = "admin1", None
    elif fclass == "A" and fcode == "ADM2" and admin2:
        feature = "admin2"
    else:
        return None
    names = [fields[1], fields[2], *fields[3].split(",")]
    return _Row(geonameid, fields[1].strip(), names, lat, lon, feature, fcode, country, admin1,
                admin2, population)


# ---------------------------------------------------------------------------------------------
# Writing a layer
# ---------------------------------------------------------------------------------------------


class _LayerWriter:
    """Upserts places and names into a layer file (schema :data:`LAYER_SCHEMA`), in batches."""

    #: rows held before they are written, and name keys remembered across places
    BATCH_ROWS = 20_000
    KEY_CACHE = 500_000

    def __init__(self, path: Path, base: Gazetteer) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.base = base
        try:
            self.conn = sqlite3.connect(path)
            self.conn.execute("PRAGMA journal_mode = WAL")
            # a crash loses at most the last batch, which importing again restores
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA cache_size = -131072")
            self.conn.executescript(LAYER_SCHEMA)
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'layer_version'").fetchone()
        except sqlite3.Error as err:
            raise DataError(str(path), f"cannot open the gazetteer store ({err})") from err
        if row is not None and row[0] != str(LAYER_VERSION):
            self.conn.close()
            raise DataError(str(path), f"gazetteer layer of version {row[0]}, this eventcoder "
                            f"writes version {LAYER_VERSION}; delete the file and import again")
        self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('layer_version', ?)",
                          (str(LAYER_VERSION),))
        self.admins = {str(r[0]) for r in self.conn.execute("SELECT code FROM admin")}
        self.pending: list[_Row] = []
        self.place_rows: list[tuple[object, ...]] = []
        self.name_rows: list[tuple[str, str, str, int, int, str]] = []
        self.keys: dict[str, tuple[str, str, str] | None] = {}

    def counts(self) -> tuple[int, int]:
        self.flush()
        places = self.conn.execute("SELECT COUNT(*) FROM place").fetchone()[0]
        names = self.conn.execute("SELECT COUNT(*) FROM name").fetchone()[0]
        return int(places), int(names)

    def has_place(self, place_id: int) -> str | None:
        row = self.conn.execute("SELECT country FROM place WHERE id = ?", (place_id,)).fetchone()
        return str(row[0]) if row else None

    def _known_admin(self, code: str | None) -> bool:
        return code is None or code in self.admins or self.base.admin_name(code) is not None

    def _keys(self, text: str) -> tuple[str, str, str] | None:
        """(key, loose key, skeleton) of a name, or ``None`` when it has no usable key."""
        found = self.keys.get(text, ())
        if found == ():
            found = None
            if text and _is_latin(text):
                key = _name_key(text)
                if len(key) >= 2:
                    loose = _loose_from_key(key)
                    found = (key, loose, _skeleton_from_loose(loose))
            if len(self.keys) >= self.KEY_CACHE:
                self.keys.clear()
            self.keys[text] = found
        return found  # type: ignore[return-value]

    def add_place(self, row: _Row, place_id: int, geonameid: int | None) -> int:
        """Upsert ``row`` with its names; returns how many names were kept."""
        if row.feature in ("admin1", "admin2"):
            code = row.admin1 if row.feature == "admin1" else row.admin2
            assert code is not None
            # shown as the event's admin1/admin2: the English-looking name, as for shipped units
            display = _display_admin_name(row.name, row.names[1:])
            self.conn.execute("INSERT OR REPLACE INTO admin VALUES (?, ?, ?)",
                              (code, display, place_id))
            self.admins.add(code)
        elif not (self._known_admin(row.admin1) and self._known_admin(row.admin2)):
            # the dump's admin rows may come later in the file: decided at the end
            row.pending = True
            self.pending.append(row)
        self.place_rows.append(
            (place_id, geonameid, row.name, row.country, row.admin1, row.admin2, row.lat,
             row.lon, row.population, row.feature, row.fcode))
        kinds: dict[tuple[str, str, str], int] = {}
        for i, text in enumerate(row.names):
            keys = self._keys(text.strip())
            if keys is not None and keys not in kinds:
                kinds[keys] = KIND_NAME if i == 0 else KIND_ALT
        for (key, loose, skel), kind in kinds.items():
            self.name_rows.append((key, loose, skel, place_id, kind, row.country))
        if len(self.name_rows) >= self.BATCH_ROWS:
            self.flush()
        return len(kinds)

    def add_name(self, text: str, place_id: int, kind: int, country: str) -> int:
        """Upsert one name (1 when it is kept, 0 when it has no usable Latin-script key)."""
        keys = self._keys(text.strip())
        if keys is None:
            return 0
        self.name_rows.append((*keys, place_id, kind, country))
        if len(self.name_rows) >= self.BATCH_ROWS:
            self.flush()
        return 1

    def flush(self) -> None:
        """Write the rows held so far (within the open transaction)."""
        if self.place_rows:
            self.conn.executemany(
                "INSERT OR REPLACE INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.place_rows)
            self.place_rows.clear()
        if self.name_rows:
            # the same key from several sources keeps its strongest kind, whatever the order
            self.conn.executemany(
                "INSERT INTO name VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (place_id, key) "
                "DO UPDATE SET kind = MIN(kind, excluded.kind)", self.name_rows)
            self.name_rows.clear()

    def settle_admins(self) -> None:
        """Give the towns whose admin codes are unknown those of the nearest shipped town."""
        for row in self.pending:
            admin1, admin2 = row.admin1, row.admin2
            if not self._known_admin(admin1):
                admin1, admin2 = self.base.nearest_admins(row.country, row.lat, row.lon)
            elif not self._known_admin(admin2):
                near1, near2 = self.base.nearest_admins(row.country, row.lat, row.lon)
                admin2 = near2 if near1 == admin1 else None
            self.conn.execute("UPDATE place SET admin1 = ?, admin2 = ? WHERE id = ?",
                              (admin1, admin2, row.place_id))
        self.pending.clear()

    def commit(self) -> None:
        self.flush()
        self.settle_admins()
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


Progress = Callable[[ImportReport], None]


def _import_geonames(writer: _LayerWriter, fh: io.BufferedIOBase, report: ImportReport,
                     progress: Progress) -> None:
    for line_no, fields in _lines(fh, report.path):
        report.lines = line_no
        row = _parse_geoname(fields, report.path, line_no)
        if row is None:
            report.skipped += 1
            continue
        report.places += 1
        report.names += writer.add_place(row, row.place_id, row.place_id)
        if report.places % _BATCH == 0:
            writer.commit()
            progress(report)


def _import_alternates(writer: _LayerWriter, fh: io.BufferedIOBase, report: ImportReport,
                       progress: Progress) -> None:
    for line_no, fields in _lines(fh, report.path):
        report.lines = line_no
        if len(fields) not in (8, len(ALTERNATE_COLUMNS)):
            raise DataError(report.path, f"expected {len(ALTERNATE_COLUMNS)} tab-separated "
                            f"columns (GeoNames alternate names), found {len(fields)}", line_no)
        geonameid = int(_number(fields[1], int, "geonameid", report.path, line_no))
        language, text = fields[2], fields[3].strip()
        country = writer.has_place(geonameid) if language not in _NOT_NAMES else None
        if country is None:
            report.skipped += 1  # a feature that was not imported, or not a name
            continue
        kept = writer.add_name(text, geonameid, KIND_ALT, country)
        report.names += kept
        report.skipped += 1 - kept
        if line_no % _BATCH == 0:
            writer.commit()
            progress(report)


def _quiet(_report: ImportReport) -> None:
    """No progress to show."""


def import_dumps(paths: Iterable[Path | str], store: Path | None = None,
                 base: Gazetteer | None = None,
                 progress: Progress | None = None) -> list[ImportReport]:
    """Import GeoNames dumps into ``store`` (default: the import store); one report per file.
    ``progress`` is called with the report so far after each batch (a full dump takes a while).

    Geoname tables are imported before alternate names files, whatever the order given, so the
    alternate names find their places. Raises :class:`DataError` at the first malformed line
    (with what came before it kept) and :class:`InputError` for a file that cannot be read.

    >>> [r.summary() for r in import_dumps(["SY.txt", "alternateNamesV2.txt"])]  # doctest: +SKIP
    ['SY.txt: 8,452 lines, ...', 'alternateNamesV2.txt: ...']
    """
    ordered = sorted((Path(p) for p in paths), key=lambda p: _kind_of(p) != "geonames")
    for path in ordered:
        if not path.is_file():
            raise InputError(str(path), "no such file" if not path.exists() else "not a file")
    writer = _LayerWriter(store or import_store_path(), base or Gazetteer(layers=()))
    reports: list[ImportReport] = []
    try:
        for path in ordered:
            with _open_dump(path) as (origin, fh):
                report = ImportReport(origin, _kind_of(path))
                places_before, names_before = writer.counts()
                try:
                    step = _import_geonames if report.kind == "geonames" else _import_alternates
                    step(writer, fh, report, progress or _quiet)
                except DataError as err:
                    writer.commit()
                    done = err.line - 1 if err.line else 0
                    raise DataError(err.path, f"{err.reason} (the {done:,} lines before it are "
                                    "imported; fix the line and import the file again)",
                                    err.line) from err
                writer.commit()
                places_after, names_after = writer.counts()
                report.new_places = places_after - places_before
                report.new_names = names_after - names_before
                reports.append(report)
    except sqlite3.Error as err:
        raise DataError(str(writer.path), f"cannot write the gazetteer store ({err})") from err
    finally:
        writer.close()
    return reports


def write_layer(path: Path, places: Iterable[LayerPlace], base: Gazetteer | None = None) -> int:
    """Write ``places`` (learned from ACLED exports by ``eventcoder train``) as a layer at
    ``path``, normally ``<model dir>/gazetteer.sqlite``; returns how many were written.

    A place with the GeoNames id of a shipped town adds its names as spellings of that town.

    >>> learned = [LayerPlace("Kibera", "KE", -1.3133, 36.7833, aliases=("Kibra",))]
    >>> write_layer(Path("model/gazetteer.sqlite"), learned)        # doctest: +SKIP
    1
    """
    writer = _LayerWriter(path, base or Gazetteer(layers=()))
    count = 0
    try:
        # learned entries are numbered above any GeoNames id, so they never take one's place
        next_id = max(int(writer.conn.execute("SELECT COALESCE(MAX(id), 0) FROM place")
                          .fetchone()[0]) + 1, 1 << 32)
        for place in places:
            row = _Row(0, place.name, [place.name], place.latitude, place.longitude, "city",
                       "LEARNED", place.country_code.upper(), place.admin1, place.admin2,
                       place.population)
            if row.admin1 is None:
                row.admin1, row.admin2 = writer.base.nearest_admins(row.country, row.lat, row.lon)
            row.place_id = next_id
            writer.add_place(row, next_id, place.geonameid)
            for alias in place.aliases:
                writer.add_name(alias, next_id, KIND_ALIAS, row.country)
            next_id += 1
            count += 1
        writer.commit()
    except sqlite3.Error as err:
        raise DataError(str(path), f"cannot write the gazetteer layer ({err})") from err
    finally:
        writer.close()
    return count
