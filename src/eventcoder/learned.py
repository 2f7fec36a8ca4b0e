"""A model made by ``eventcoder train``: loading it, and the two pipeline stages that use it.

A model directory holds (``docs/MODEL.md`` describes each file):

- ``manifest.json``: format version, the eventcoder and library versions that wrote it, the
  SHA-256 of the training data and of every other file, the label set of the classifier and the
  combination thresholds chosen on a validation split;
- ``classifier.joblib``: a scikit-learn pipeline (TF-IDF over word and character n-grams, a
  linear model with calibrated probabilities) from a report's text to its sub-event type;
- ``actors.yaml``: actor dictionary entries in the schema of ``data/actors.yaml``, loaded through
  the same path as a user's extra actor file (:func:`eventcoder.actors.load_actors`);
- ``places.csv``: the export's locations with ACLED's coordinates and admin areas.

:func:`load_model` refuses a directory it cannot trust (missing file, a file that is not the one
the manifest names, a newer format, another scikit-learn) with one :class:`ModelError` line.

The stages, built once per process from :class:`~eventcoder.config.PipelineConfig` (a worker
rebuilds them from the config's ``model_dir``; nothing is pickled between processes):

- :func:`make_model_places` runs after the places stage: toponyms the model's places know get
  ACLED's point and admin areas (:class:`ModelPlaces`, the one hook of the gazetteer);
- :func:`make_learned` runs after the events stage: the classifier's calibrated probability is
  weighed against the rules' confidence for each mention (:meth:`Combiner.choose`); types the
  export lacks stay with the rules; a report the rules find no event in gets one when the
  classifier is confident enough.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from eventcoder.config import PipelineConfig
from eventcoder.errors import ExtraMissingError, ModelError
from eventcoder.model import Actor, Document, Mention, Place, PlaceMention, Span

Stage = Callable[[Document], Document]

#: Version of the directory layout; a reader accepts its own version only.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CLASSIFIER = "classifier.joblib"
ACTORS = "actors.yaml"
PLACES = "places.csv"
#: places.csv: the columns of data/places_supplement.csv, then ACLED's admin areas and country
PLACE_COLUMNS = (
    "name", "aliases", "country_code", "latitude", "longitude", "population", "geonameid", "note",
    "country", "admin1", "admin2", "admin3", "count",
)
#: libraries whose version must match between training and use (pickled estimators)
PINNED_LIBRARIES = ("scikit-learn",)


# --------------------------------------------------------------------------------------------
# the manifest


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` records about a model directory."""

    format_version: int
    eventcoder_version: str
    libraries: dict[str, str]
    data_sha256: str
    rows: int
    labels: tuple[str, ...]
    #: the classifier's label overrides the rules' when its probability reaches this ...
    threshold: float
    #: ... and is at least ``rule_weight`` times the rules' own confidence
    rule_weight: float
    #: a report with no rule event gets the classifier's event from this probability on
    new_event_threshold: float
    learner: str
    #: share of each label among the training reports, and the power of it divided out of the
    #: classifier's probabilities (0: none; 1: as if every type were equally common)
    priors: dict[str, float] = field(default_factory=dict)
    prior_power: float = 0.0
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["labels"] = list(self.labels)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "Manifest":
        if not isinstance(data, dict):
            raise ModelError(f"{where}: not a manifest (expected a JSON object)")
        version = data.get("format_version")
        if not isinstance(version, int):
            raise ModelError(f"{where}: no format_version: not a model made by `eventcoder train`")
        if version > FORMAT_VERSION:
            raise ModelError(
                f"{where}: model format {version} is newer than this eventcoder reads "
                f"({FORMAT_VERSION}): upgrade eventcoder or retrain with this one"
            )
        if version < FORMAT_VERSION:
            raise ModelError(
                f"{where}: model format {version} is no longer read (expected {FORMAT_VERSION}): "
                "retrain with `eventcoder train`"
            )
        names = {f.name for f in dataclasses.fields(cls)}
        missing = sorted(names - set(data))
        if missing:
            raise ModelError(f"{where}: manifest lacks {', '.join(missing)}")
        try:
            manifest = cls(**{k: data[k] for k in names})
            manifest = dataclasses.replace(
                manifest,
                labels=tuple(str(x) for x in manifest.labels),
                threshold=float(manifest.threshold),
                rule_weight=float(manifest.rule_weight),
                new_event_threshold=float(manifest.new_event_threshold),
                prior_power=float(manifest.prior_power),
                priors={str(k): float(v) for k, v in dict(manifest.priors).items()},
            )
        except (TypeError, ValueError) as err:
            raise ModelError(f"{where}: manifest has a value of the wrong type ({err})") from err
        if not isinstance(manifest.files, dict) or not isinstance(manifest.libraries, dict):
            raise ModelError(f"{where}: manifest 'files' and 'libraries' must be objects")
        return manifest


def library_versions() -> dict[str, str]:
    """The installed versions of the libraries a model depends on."""
    out = {}
    for name in PINNED_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def require_sklearn() -> None:
    """Raise :class:`ExtraMissingError` naming the install command when scikit-learn is absent."""
    try:
        import sklearn  # noqa: F401
        import joblib  # noqa: F401
    except ImportError as err:
        raise ExtraMissingError("trained models (train, --model)", "train") from err


def read_manifest(model_dir: str | Path) -> Manifest:
    """The manifest of ``model_dir``, checked against this installation and the files beside it.

    Raises :class:`ModelError` (one line) for a missing directory or file, a file whose hash is
    not the manifest's, a newer or older format, or a scikit-learn of another minor version.
    """
    directory = Path(model_dir)
    if not directory.is_dir():
        raise ModelError(f"model: no such directory: {directory}")
    path = directory / MANIFEST
    if not path.is_file():
        raise ModelError(f"{directory}: no {MANIFEST}: not a model made by `eventcoder train`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{path}: unreadable manifest ({err})") from err
    manifest = Manifest.from_dict(data, str(path))
    for name in (CLASSIFIER, ACTORS, PLACES):
        if name not in manifest.files:
            raise ModelError(f"{path}: manifest does not list {name}")
    for name, digest in manifest.files.items():
        file = directory / name
        if "/" in name or "\\" in name or name.startswith("."):
            raise ModelError(f"{path}: file name {name!r} is not allowed")
        if not file.is_file():
            raise ModelError(f"{directory}: {name} is missing: copy the whole model directory")
        if file_sha256(file) != digest:
            raise ModelError(f"{directory}: {name} is not the file the manifest names (changed or corrupt)")
    installed = library_versions()
    for name, version in manifest.libraries.items():
        have = installed.get(name)
        if have is not None and _minor(have) != _minor(version):
            raise ModelError(
                f"{directory}: trained with {name} {version}, installed {have}: "
                "retrain with `eventcoder train` or install that version"
            )
    return manifest


# --------------------------------------------------------------------------------------------
# the loaded model


@dataclass(frozen=True)
class PlaceEntry:
    """One location of the export, as ACLED coded it."""

    name: str
    country: str
    country_code: str
    latitude: float
    longitude: float
    admin1: str | None
    admin2: str | None
    admin3: str | None
    count: int

    def place(self) -> Place:
        return Place(
            name=self.name, country=self.country, country_code=self.country_code,
            latitude=self.latitude, longitude=self.longitude, admin1=self.admin1,
            admin2=self.admin2, admin3=self.admin3, feature="supplement",
        )


_APOSTROPHES = str.maketrans({c: "" for c in "'\u2019\u2018`\u02bf\u02be"})


def place_key(text: str) -> str:
    """The key under which a place name is looked up: no accents, apostrophes or case.

    >>> place_key("Ma'arat  al-Nu`man") == place_key("Maarat al-Numan")
    True
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_APOSTROPHES)
    return " ".join(re.sub(r"[-\u2010-\u2015]", " ", text).lower().split())


class ModelPlaces:
    """The model's places by name: the one hook through which they reach place resolution.

    ``find(text)`` gives the spans of ``text`` that name a known place, with the entries that
    name could be; the caller decides among them by country. The lead can feed ``entries``
    into a layer of the gazetteer instead; nothing else in eventcoder reads ``places.csv``.
    """

    #: the longest place name looked up, in words
    MAX_WORDS = 6

    def __init__(self, entries: Iterable[PlaceEntry]) -> None:
        self.entries = list(entries)
        self.by_key: dict[str, list[PlaceEntry]] = {}
        for entry in self.entries:
            names = {entry.name}
            if " - " in entry.name:
                # ACLED's "Mogadishu - Hodan": the district is how reports name it
                names.add(entry.name.split(" - ", 1)[1])
            for name in names:
                key = place_key(name)
                if len(key) >= 3:
                    self.by_key.setdefault(key, []).append(entry)
        for options in self.by_key.values():
            options.sort(key=lambda e: -e.count)

    @classmethod
    def read(cls, path: Path) -> "ModelPlaces":
        """Read ``places.csv`` of a model directory."""
        entries = []
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                entries.append(PlaceEntry(
                    name=row["name"], country=row["country"], country_code=row["country_code"],
                    latitude=float(row["latitude"]), longitude=float(row["longitude"]),
                    admin1=row["admin1"] or None, admin2=row["admin2"] or None,
                    admin3=row["admin3"] or None, count=int(row["count"] or 1),
                ))
        return cls(entries)

    _WORD = re.compile(r"[^\W\d_][\w'\u2019`-]*")

    def find(self, text: str) -> list[tuple[int, int, list[PlaceEntry]]]:
        """Non-overlapping spans of capitalised words in ``text`` that name a known place,
        longest first."""
        words = [(m.start(), m.end()) for m in self._WORD.finditer(text)]
        out = []
        i = 0
        while i < len(words):
            found = None
            if text[words[i][0]].isupper():
                for n in range(min(self.MAX_WORDS, len(words) - i), 0, -1):
                    start, end = words[i][0], words[i + n - 1][1]
                    if "\n" in text[start:end] or "," in text[start:end] or "." in text[start:end]:
                        continue
                    options = self.by_key.get(place_key(text[start:end]))
                    if options:
                        found = (start, end, options, n)
                        break
            if found is None:
                i += 1
                continue
            out.append(found[:3])
            i += found[3]
        return out


class _FastCalibrated:
    """The calibrated linear classifier's probabilities in two matrix products.

    scikit-learn's ``CalibratedClassifierCV.predict_proba`` loops in Python over folds and
    classes (about 10 ms a report, as long as the rest of the pipeline); the same arithmetic,
    stacked (decision values of every fold, one sigmoid per class, normalised per fold, averaged),
    takes a fraction of a millisecond. :func:`load_model` checks it against scikit-learn's own
    result and keeps scikit-learn's path when they differ.
    """

    def __init__(self, calibrated: Any) -> None:
        import numpy as np

        folds = calibrated.calibrated_classifiers_
        self.n_folds = len(folds)
        self.n_classes = len(calibrated.classes_)
        coefs, intercepts, a, b = [], [], [], []
        for fold in folds:
            if fold.method != "sigmoid" or list(fold.estimator.classes_) != list(calibrated.classes_):
                raise ValueError("not a sigmoid-calibrated classifier over every class")
            coefs.append(fold.estimator.coef_)
            intercepts.append(fold.estimator.intercept_)
            a.append([c.a_ for c in fold.calibrators])
            b.append([c.b_ for c in fold.calibrators])
        self.coef = np.vstack(coefs).T.astype(np.float64)
        self.intercept = np.concatenate(intercepts)
        self.a = np.asarray(a, dtype=np.float64).reshape(-1)
        self.b = np.asarray(b, dtype=np.float64).reshape(-1)

    def predict_proba(self, features: Any) -> Any:
        import numpy as np

        decision = np.asarray(features @ self.coef) + self.intercept
        proba = 1.0 / (1.0 + np.exp(self.a * decision + self.b))
        proba = proba.reshape(-1, self.n_folds, self.n_classes)
        total = proba.sum(axis=2, keepdims=True)
        proba = np.where(total == 0, 1.0 / self.n_classes, proba / np.where(total == 0, 1.0, total))
        return np.clip(proba, 0.0, 1.0).mean(axis=1)


class _LeanFeatures:
    """The TF-IDF union's features for a few texts without scikit-learn's per-call checks.

    For one report, ``FeatureUnion.transform`` spends three quarters of its time validating
    input and dispatching through joblib; this does only the arithmetic (analyse, count,
    sublinear tf, idf, l2 norm, side by side), for vectorizers of that configuration only.
    """

    def __init__(self, union: Any) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        if getattr(union, "transformer_weights", None):
            raise ValueError("weighted feature union")
        self.parts = []
        for _name, vec in union.transformer_list:
            if type(vec) is not TfidfVectorizer or vec.norm != "l2" or not vec.use_idf:
                raise ValueError("not a plain l2 TF-IDF vectorizer")
            self.parts.append((vec.build_analyzer(), vec.vocabulary_, np.asarray(vec.idf_, dtype=np.float64),
                               bool(vec.sublinear_tf), len(vec.vocabulary_)))
        self.width = sum(part[4] for part in self.parts)

    def transform(self, texts: list[str]) -> Any:
        import numpy as np
        import scipy.sparse as sp

        indptr, indices, data = [0], [], []
        for text in texts:
            offset = 0
            for analyze, vocabulary, idf, sublinear, width in self.parts:
                counts = Counter(j for j in map(vocabulary.get, analyze(text)) if j is not None)
                if counts:
                    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                    values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                    if sublinear:
                        values = np.log(values) + 1.0
                    values *= idf[idx]
                    norm = float(np.sqrt(values @ values))
                    if norm > 0:
                        values /= norm
                    indices.append(idx + offset)
                    data.append(values)
                offset += width
            indptr.append(sum(len(i) for i in indices))
        return sp.csr_matrix(
            (np.concatenate(data) if data else np.zeros(0), np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64), indptr),
            shape=(len(texts), self.width),
        )


def _fast_path(classifier: Any) -> Any | None:
    """Lean features and a :class:`_FastCalibrated` for a (TF-IDF union, calibrated linear
    model) pipeline when they reproduce its probabilities on probe texts, else ``None``."""
    import numpy as np

    try:
        features, calibrated = classifier[0], classifier[-1]
        lean = _LeanFeatures(features)
        fast = _FastCalibrated(calibrated)
        probes = ["On Monday, gunmen attacked a village; police dispersed protesters.", "", "Ça va? 2 killed."]
        if not np.allclose(fast.predict_proba(lean.transform(probes)), classifier.predict_proba(probes), atol=1e-6):
            return None
        return lean, fast
    except (AttributeError, TypeError, ValueError, IndexError, ImportError):
        return None


@dataclass
class LoadedModel:
    """A model directory read into memory (once per process, :func:`load_model`)."""

    directory: Path
    manifest: Manifest
    classifier: Any
    places: ModelPlaces
    fast: Any = None

    @property
    def actors_file(self) -> str:
        return str(self.directory / ACTORS)

    def probabilities(self, texts: list[str]) -> list[dict[str, float]]:
        """The classifier's calibrated probability of each label, per text, with the training
        priors divided out to the power the manifest gives."""
        if self.fast is not None:
            features, fast = self.fast
            rows = fast.predict_proba(features.transform(texts))
        else:
            rows = self.classifier.predict_proba(texts)
        labels = [str(x) for x in self.classifier.classes_]
        m = self.manifest
        combiner = Combiner(frozenset(labels), m.threshold, m.rule_weight, m.new_event_threshold)
        return [combiner.adjust(dict(zip(labels, (float(p) for p in row), strict=True)), m.priors, m.prior_power)
                for row in rows]


@functools.lru_cache(maxsize=4)
def load_model(model_dir: str) -> LoadedModel:
    """The model in ``model_dir``, checked (:func:`read_manifest`) and loaded once per process.

    >>> load_model("my-model").manifest.labels[:2]          # doctest: +SKIP
    ('Abduction/forced disappearance', 'Agreement')
    """
    require_sklearn()
    import joblib

    directory = Path(model_dir).resolve()
    manifest = read_manifest(directory)
    try:
        classifier = joblib.load(directory / CLASSIFIER)
    except Exception as err:  # noqa: BLE001 - unpickling fails in many ways; all mean "corrupt"
        raise ModelError(f"{directory}: {CLASSIFIER} cannot be loaded ({type(err).__name__})") from err
    classes = tuple(str(x) for x in getattr(classifier, "classes_", ()))
    if classes != manifest.labels:
        raise ModelError(f"{directory}: the classifier's labels are not the manifest's")
    try:
        places = ModelPlaces.read(directory / PLACES)
    except (KeyError, ValueError, csv.Error) as err:
        raise ModelError(f"{directory}: {PLACES} is malformed ({err})") from err
    return LoadedModel(directory, manifest, classifier, places, _fast_path(classifier))


# --------------------------------------------------------------------------------------------
# the text the classifier reads

_TAG = re.compile(r"\[[^\]\n]{0,80}\]")
# coder-only sentences of ACLED notes: how fatalities were coded or split, bare tallies
_CODER_SENTENCE = re.compile(
    r"(?i)(?:\bcoded as\b|\bsplit (?:between|across|among|over)\b|"
    r"\bfatalities (?:are |were |have been )?(?:split|spread|divided|distributed)\b|"
    r"^\W*(?:total\W+)?\d+\s+fatalit(?:y|ies)\W*$)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def classifier_text(text: str) -> str:
    """A report's text as the classifier reads it: bracketed coder tags ("[size=no report]")
    and coder-only sentences ("Fatalities coded as 3.") removed, since articles carry neither.

    >>> classifier_text("Rebels attacked Kili. [size=no report] 2 fatalities.")
    'Rebels attacked Kili.'
    """
    text = _TAG.sub(" ", text)
    kept = [s for s in _SENTENCE_END.split(text) if s.strip() and not _CODER_SENTENCE.search(s)]
    return " ".join(" ".join(kept).split())


# --------------------------------------------------------------------------------------------
# combining the classifier with the rules


@dataclass(frozen=True)
class Combiner:
    """How a classifier's probability and the rules' confidence are weighed (thresholds chosen
    on a validation split at training time)."""

    labels: frozenset[str]
    threshold: float
    rule_weight: float
    new_event_threshold: float

    def adjust(self, probabilities: dict[str, float], priors: dict[str, float], power: float) -> dict[str, float]:
        """``probabilities`` with ``priors ** power`` divided out and renormalised: an export's
        common types (peaceful protests) stop drawing the reports of rarer ones.

        >>> Combiner(frozenset(), 0.5, 1.0, 0.5).adjust({"a": 0.6, "b": 0.4}, {"a": 0.9, "b": 0.1}, 1.0)["b"] > 0.8
        True
        """
        if not power or not priors:
            return probabilities
        raw = {k: p / max(priors.get(k, 1.0), 1e-6) ** power for k, p in probabilities.items()}
        total = sum(raw.values()) or 1.0
        return {k: v / total for k, v in raw.items()}

    def choose(self, rule_label: str | None, rule_confidence: float,
               probabilities: dict[str, float]) -> tuple[str | None, float]:
        """The label to keep and its confidence.

        >>> c = Combiner(frozenset({"Attack", "Armed clash"}), 0.5, 1.0, 0.6)
        >>> c.choose("Armed clash", 0.55, {"Attack": 0.8, "Armed clash": 0.2})
        ('Attack', 0.8)
        >>> c.choose("Suicide bomb", 0.55, {"Attack": 0.9, "Armed clash": 0.1})
        ('Suicide bomb', 0.55)
        >>> c.choose(None, 0.0, {"Attack": 0.55, "Armed clash": 0.45})
        (None, 0.0)
        """
        if not probabilities:
            return rule_label, rule_confidence
        best = max(probabilities, key=probabilities.__getitem__)
        p = probabilities[best]
        if rule_label is None:
            return (best, p) if p >= self.new_event_threshold else (None, 0.0)
        if rule_label not in self.labels:
            # a type the export lacks: the classifier cannot speak for it, the rules decide
            return rule_label, rule_confidence
        if best != rule_label and p >= self.threshold and p >= self.rule_weight * rule_confidence:
            return best, p
        return rule_label, rule_confidence


# --------------------------------------------------------------------------------------------
# the stages

_NEAR = re.compile(r"(?i)\b(?:near|outside|outskirts of|vicinity of|around|close to|between)\s+(?:the\s+)?$")
_QUALIFIER_BEFORE = re.compile(r"[,(]\s*$")
_TOWN_AFTER = re.compile(r"(?i)\s+(?:city|town|village|municipality)\b")
_CUE_BEFORE = re.compile(
    r"(?i)\b(?:in|at|near|outside|of|from|to|into|around|between|and|on|towards|village|town|city|"
    r"district|area|camp|localit(?:y|ies)|neighbourhood|neighborhood)\s+(?:the\s+)?$"
)


def _choose_entry(options: list[PlaceEntry], countries: list[str], text_key: str) -> PlaceEntry | None:
    """Among the places a name may be, the one the article means, or ``None``.

    Only a place in the article's countries (or, when none is known, any): a name the export
    knows in another country is not evidence against what the text says of where it is. Among
    several in one country (two villages called Zarichne), the one whose admin1 or admin2 the
    text names ("Zarichne, Donetsk"), else the one the export codes most often.
    """
    if countries:
        options = [e for country in countries for e in options if e.country == country]
        if not options:
            return None
        first = options[0].country
        options = [e for e in options if e.country == first]
    if len(options) > 1:
        for entry in options:
            for admin in (entry.admin1, entry.admin2):
                if admin and re.search(rf"\b{re.escape(place_key(admin))}\b", text_key):
                    return entry
    return options[0]


def _district_stands(entry: PlaceEntry, key: str, text_key: str) -> bool:
    """Whether ``entry`` may be what ``key`` names: by its own name, or by its district's name
    ("Wadajir" of ACLED's "Mogadishu - Wadajir") when the text also names its city (every city
    has its "North Zone" or "Central" district)."""
    if place_key(entry.name) == key or " - " not in entry.name:
        return True
    city = place_key(entry.name.split(" - ", 1)[0])
    return bool(re.search(rf"\b{re.escape(city)}\b", text_key))


def _admin_of_known(key: str, start: int, places: list[PlaceMention]) -> bool:
    """Whether ``key`` names the admin1 or admin2 of a place named before ``start``: in
    "Bhanga upazila (Faridpur, Dhaka)" Faridpur and Dhaka place Bhanga. A district in
    qualifier position after a place the gazetteer does not know ("Qalimow village (Balcad,
    Middle Shabelle)") stays: its seat is the point ACLED gives such an event."""
    return any(key in (place_key(p.place.admin1 or ""), place_key(p.place.admin2 or ""))
               for p in places if p.span.end <= start)


def _stated_countries(doc: Document, exclude: list[PlaceMention]) -> list[str]:
    """The countries the text itself states, outside the places in ``exclude``: a country or
    admin1 named, or a place whose very name stands in the text. A town the gazetteer found
    only by a near spelling ("Douris" read as Albania's Durres) does not vouch for its country,
    nor does the country such a reading made the article's. The article's country counts when
    no place gives any (the outlet's home country, docs/CODING.md).
    """
    stated = []
    for p in doc.places:
        if p in exclude or not p.place.country:
            continue
        if p.place.feature in ("country", "admin1") or place_key(p.place.name) == place_key(p.span.text):
            stated.append(p.place.country)
    if doc.country and (doc.country in stated or not doc.places):
        stated.insert(0, doc.country)
    return list(dict.fromkeys(stated))


def _proper_noun(doc: Document, start: int, end: int) -> bool:
    """Whether the tagger reads ``doc.text[start:end]`` as a proper noun ("shelled Kansafra")."""
    if doc.spacy_doc is None:
        return False
    span = doc.spacy_doc.char_span(start, end, alignment_mode="expand")
    return span is not None and len(span) > 0 and all(t.pos_ == "PROPN" for t in span)


def make_model_places(config: PipelineConfig) -> Stage:
    """The stage after places: toponyms the model's places know take ACLED's point and admin
    areas (:func:`apply_model_places`)."""
    if config.model_dir is None:
        return lambda doc: doc
    places = load_model(config.model_dir).places
    return functools.partial(apply_model_places, places=places)


def apply_model_places(doc: Document, places: ModelPlaces) -> Document:
    """Resolve the toponyms of ``doc`` that ``places`` know to ACLED's point and admin areas.

    A span the places stage already read as a place is re-resolved when the model knows the name
    in the countries the text states (:func:`_stated_countries`); a span it missed is added when
    a locative word ("in", "near", "village of") comes right before it. ``near X`` gives
    geo_precision 2. A name in qualifier position that is the province of a town named before
    it ("in Coatzacoalcos, Veracruz") stays the province.
    """
    if doc.language not in (None, "en") or not doc.text:
        return doc
    text_key = place_key(doc.text)
    known = list(doc.places)
    added: list[PlaceMention] = []
    for start, end, options in places.find(doc.text):
        overlapping = [p for p in known if p.span.start < end and start < p.span.end]
        before = doc.text[max(0, start - 30):start]
        # a name of several words is a toponym on its own ("reported As Sabaa"); one word
        # needs a locative word before it, or the places stage's reading, to be one
        several_words = " " in doc.text[start:end].strip()
        if not (overlapping or several_words or _CUE_BEFORE.search(before) or _proper_noun(doc, start, end)):
            continue
        if overlapping and all(p.place.feature == "country" for p in overlapping):
            continue
        key = place_key(doc.text[start:end])
        options = [e for e in options if _district_stands(e, key, text_key)]
        if not options:
            continue
        if _QUALIFIER_BEFORE.search(before) and not _TOWN_AFTER.match(doc.text[end:end + 12]) and (
                (overlapping and all(p.place.feature == "admin1" for p in overlapping))
                or _admin_of_known(place_key(doc.text[start:end]), start, known + added)):
            # "in Coatzacoalcos, Veracruz", "(Bogra Sadar, Rajshahi)": the province that
            # places the town before it, not the town of the same name the export knows
            continue
        countries = _stated_countries(doc, overlapping)
        entry = _choose_entry(options, countries, text_key)
        if entry is None:
            continue
        precision = 2 if _NEAR.search(before) else 1
        if overlapping:
            precision = max(precision, min(p.precision for p in overlapping if p.precision < 3) if any(p.precision < 3 for p in overlapping) else precision)
        known = [p for p in known if p not in overlapping]
        added.append(PlaceMention(
            span=Span(start, end, doc.text[start:end]),
            place=entry.place(),
            sentence=doc.sentence_of(start),
            precision=precision,
            score=1.0,
        ))
    if added:
        doc.places = sorted(known + added, key=lambda p: p.span.start)
        learned_countries = Counter(p.place.country for p in added)
        if doc.country not in learned_countries:
            # the export's own places say where the report is better than a province or
            # country name read elsewhere ("in Port-au-Prince, Ouest department")
            doc.country = learned_countries.most_common(1)[0][0]
    return doc


def _generic(name: str, inter: int, country: str | None, on: dt.date | None) -> Actor:
    from eventcoder.actors import resolve_actor

    return resolve_actor(Actor(name, inter, None, "generic"), country, on)


_CROWDS = {"Protests": ("Protesters", 6), "Riots": ("Rioters", 5)}


def _fit_actors(mention: Mention, country: str | None, on: dt.date | None) -> None:
    """Actors that agree with a type the classifier changed: a protest's actor1 is its
    protesters, a riot's its rioters, violence against civilians targets civilians."""
    crowd_names = ("Protesters", "Rioters")
    a1, a2 = mention.actor1, mention.actor2

    def is_crowd(a: Actor | None) -> bool:
        return a is not None and a.name.startswith(crowd_names)

    if mention.event_type in _CROWDS:
        name, inter = _CROWDS[mention.event_type]
        other = a1 if a1 is not None and not is_crowd(a1) else a2
        mention.actor1 = _generic(name, inter, country, on)
        if mention.sub_event_type == "Peaceful protest":
            mention.actor2 = None
        elif other is not None and not is_crowd(other):
            mention.actor2 = other
        return
    if is_crowd(a1):
        mention.actor1 = a2 if a2 is not None and not is_crowd(a2) and a2.inter != 7 else _generic(
            "Unidentified Armed Group", 3, country, on)
        mention.actor2 = None if mention.actor1 is a2 else a2
    if mention.event_type == "Violence against civilians" and (mention.actor2 is None or mention.actor2.inter != 7):
        mention.actor2 = _generic("Civilians", 7, country, on)


# at most three plain words before the date ("On", "On or around", "Overnight on"): not a
# dateline ("KHARTOUM, June 30 -") nor a subject
_OPENING = re.compile(r"\s*(?:[A-Za-z][a-z'-]*\s+){0,3}")


def _opens_with_its_date(doc: Document) -> bool:
    """Whether the text opens with a date ("On 3 May 2024, ...", "Around 12 March, ..."): the
    register of the coders' notes the classifier learned from.

    The classifier has only seen reports of events, so it names a type for any text; where the
    rules found no event it may make one alone only in that register. A news article opens with
    a dateline or its subject, and a news text the rules find no event in is as often one that
    reports none (a festival, a court sentence, a strike announcement) as one they missed.
    """
    return any(not d.reported and _OPENING.fullmatch(doc.text[:d.span.start]) for d in doc.dates)


class Learned:
    """The stage after events: the classifier and the rules, combined (see :class:`Combiner`)."""

    def __init__(self, config: PipelineConfig) -> None:
        from eventcoder.lexicon import codebook

        self.model = load_model(str(config.model_dir))
        m = self.model.manifest
        self.combiner = Combiner(frozenset(m.labels), m.threshold, m.rule_weight, m.new_event_threshold)
        self.event_type = codebook().event_type

    def _sentence_text(self, doc: Document, index: int) -> str:
        start, end = doc.sentences[index]
        return doc.text[start:end]

    def __call__(self, doc: Document) -> Document:
        if doc.language not in (None, "en") or not doc.text.strip():
            return doc
        text = classifier_text(doc.text)
        if not text:
            return doc
        if not doc.mentions:
            if not _opens_with_its_date(doc):
                return doc
            label, p = self.combiner.choose(None, 0.0, self.model.probabilities([text])[0])
            if label is not None:
                doc.mentions = [self._new_mention(doc, label, p)]
            return doc
        lead = min(m.sentence for m in doc.mentions)
        others = sorted({m.sentence for m in doc.mentions if m.sentence != lead})
        # one call for the whole text and the other mentions' sentences: most of the cost of
        # a call is its fixed overhead
        texts = [text] + [classifier_text(self._sentence_text(doc, i)) or " " for i in others]
        by_sentence = dict(zip([lead, *others], self.model.probabilities(texts), strict=True))
        for mention in doc.mentions:
            label, p = self.combiner.choose(mention.sub_event_type, mention.confidence, by_sentence[mention.sentence])
            if label is None or label == mention.sub_event_type:
                continue
            mention.sub_event_type = label
            mention.event_type = self.event_type[label]
            mention.confidence = round(p, 2)
            country = mention.place.place.country if mention.place else doc.country
            on = mention.date.date if mention.date else doc.article.published
            _fit_actors(mention, country, on)
        return doc

    def _new_mention(self, doc: Document, label: str, p: float) -> Mention:
        """An event for a report the rules found none in: the lead sentence is its evidence."""
        from eventcoder.actors import resolve_actor
        from eventcoder.places import choose_place

        start, end = doc.sentences[0] if doc.sentences else (0, len(doc.text))
        place = choose_place(doc, 0, start)
        dates = [d for d in doc.dates if not d.reported] or list(doc.dates)
        date = dates[0] if dates else None
        country = place.place.country if place else doc.country
        on = date.date if date else doc.article.published
        event_type = self.event_type[label]
        mention = Mention(
            sub_event_type=label,
            event_type=event_type,
            trigger=Span(start, end, doc.text[start:end]),
            sentence=0,
            confidence=round(p, 2),
            place=place,
            date=date,
        )
        named: list[Actor] = []
        for a in doc.actors:
            if a.role in (None, "member"):
                actor = resolve_actor(a.actor, country, on)
                if actor.name not in {n.name for n in named}:
                    named.append(actor)
        armed = [a for a in named if a.inter not in (5, 6, 7)]
        if event_type in _CROWDS or event_type == "Violence against civilians":
            mention.actor1 = armed[0] if armed else None
            mention.actor2 = armed[1] if len(armed) > 1 else None
        else:
            mention.actor1 = armed[0] if armed else (named[0] if named else None)
            rest = [a for a in named if mention.actor1 is None or a.name != mention.actor1.name]
            mention.actor2 = rest[0] if rest else None
        if mention.actor1 is None and event_type not in ("Strategic developments",):
            mention.actor1 = _generic("Unidentified Armed Group", 3, country, on)
        _fit_actors(mention, country, on)
        mention.fatalities = list(doc.fatalities)
        mention.spans.append(("trigger", mention.trigger))
        if place is not None:
            mention.spans.append(("location", place.span))
        if date is not None:
            mention.spans.append(("event_date", date.span))
        for f in mention.fatalities:
            mention.spans.append(("fatalities", f.span))
        return mention


def stage_config(config: PipelineConfig) -> PipelineConfig:
    """The config the stages are built from: with a model, its ``actors.yaml`` becomes the extra
    actor file (merged with the user's own extra file when there is one, that file winning).

    Loads and checks the model first, so an incompatible model fails before anything else loads.
    """
    if config.model_dir is None:
        return config
    model = load_model(config.model_dir)
    actors_file = model.actors_file
    if config.actors_file is not None:
        actors_file = _merged_actor_file(config.actors_file, actors_file)
    return dataclasses.replace(config, actors_file=actors_file)


def _merged_actor_file(user_file: str, model_file: str) -> str:
    """One actor file: the user's, plus the model's actors the user's file does not name."""
    import yaml

    from eventcoder.config import cache_dir
    from eventcoder.errors import DataError

    try:
        user_text = Path(user_file).read_text(encoding="utf-8")
        user = yaml.safe_load(user_text) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError(user_file, f"cannot read the actor file: {err}") from err
    model_text = Path(model_file).read_text(encoding="utf-8")
    digest = hashlib.sha256((user_text + "\0" + model_text).encode()).hexdigest()[:16]
    out = cache_dir() / f"model-actors-{digest}.yaml"
    if not out.exists():
        if not isinstance(user, dict):
            raise DataError(user_file, "an actor file is a mapping (see data/actors.yaml)")
        model = yaml.safe_load(model_text) or {}
        names = {a.get("name") for a in user.get("actors") or [] if isinstance(a, dict)}
        merged = dict(user)
        merged["actors"] = list(user.get("actors") or []) + [
            a for a in model.get("actors") or [] if a.get("name") not in names
        ]
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
        os.replace(tmp, out)
    return str(out)


def make_learned(config: PipelineConfig) -> Stage:
    """The stage after events for ``config.model_dir`` (a no-op without a model)."""
    if config.model_dir is None:
        return lambda doc: doc
    return Learned(config)


__all__ = [
    "FORMAT_VERSION",
    "Combiner",
    "LoadedModel",
    "Manifest",
    "ModelPlaces",
    "PlaceEntry",
    "apply_model_places",
    "classifier_text",
    "load_model",
    "make_learned",
    "make_model_places",
    "read_manifest",
    "require_sklearn",
    "stage_config",
]
