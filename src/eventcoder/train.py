"""``eventcoder train``: learn a model directory from a team's own ACLED exports.

From the rows of the exports (the ``notes`` text and ACLED's coding of it) it learns:

- a sub-event type classifier (:func:`build_classifier`): TF-IDF over word 1-2-grams and
  character 2-5-grams, and a logistic regression whose probabilities are calibrated enough to be
  weighed against the rules' confidence; the combination's thresholds are chosen on a validation
  split of the export (one notes text in ten, by hash), where the rules and the classifier both
  run (:func:`choose_thresholds`); the validation reports are kept out of the classifier;
- actor dictionary entries (:func:`actor_entries`): every actor the export names that the built-in
  dictionary does not know, with its inter code, country and the spellings the notes use;
- places (:func:`place_entries`): every location with ACLED's coordinates and admin areas.

Only the text a news article could carry is learned from: the coder's leading category label,
bracketed tags and fatality-coding sentences are removed first (:func:`learned.classifier_text`).

    >>> manifest = train(["acled-export.csv"], "my-model")        # doctest: +SKIP
    >>> manifest.rows                                              # doctest: +SKIP
    25146
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventcoder import __version__
from eventcoder.config import PipelineConfig
from eventcoder.errors import EventcoderError, InputError
from eventcoder.learned import (
    ACTORS,
    CLASSIFIER,
    FORMAT_VERSION,
    MANIFEST,
    PLACE_COLUMNS,
    PLACES,
    Combiner,
    Manifest,
    classifier_text,
    file_sha256,
    library_versions,
    require_sklearn,
)

__all__ = ["actor_entries", "build_classifier", "choose_combination", "choose_thresholds", "consistent_actors", "place_entries", "train"]

REQUIRED_COLUMNS = ("notes", "sub_event_type", "actor1", "country", "location", "latitude", "longitude")
LEARNER = "tfidf-word-char+linearsvc-balanced+platt"
#: one notes text in this many is kept back to choose the combination thresholds
VALIDATION_MODULUS = 10
#: at most this many validation reports of each type are run through the rules (the slow half):
#: stratified, so the thresholds serve rare types as well as the protests that dominate exports
VALIDATION_PER_TYPE = 40
#: fewer training rows than this of a type, and the rules keep it (too rare to learn)
MIN_ROWS_PER_LABEL = 5
_SEED = "eventcoder-train-v1"

Progress = Callable[[str], None]


@dataclass
class _Row:
    notes: str
    text: str
    label: str
    event_date: str


def _validation(notes: str) -> bool:
    digest = hashlib.sha256(f"{_SEED}:{notes}".encode()).hexdigest()
    return int(digest[:8], 16) % VALIDATION_MODULUS == 0


def _stratified(rows: list[_Row]) -> list[_Row]:
    by_label: dict[str, list[_Row]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: hashlib.sha256(r.notes.encode()).hexdigest()):
        by_label[row.label].append(row)
    return [r for label in sorted(by_label) for r in by_label[label][:VALIDATION_PER_TYPE]]


def read_exports(paths: Sequence[str]) -> tuple[list[dict[str, str]], str]:
    """Every row of the ACLED CSVs at ``paths`` and a SHA-256 over their bytes.

    Raises :class:`InputError` for a missing file or one without ACLED's columns.
    """
    csv.field_size_limit(sys.maxsize)
    digest = hashlib.sha256()
    rows: list[dict[str, str]] = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise InputError(name, "no such file")
        try:
            digest.update(path.read_bytes())
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
                if missing:
                    raise InputError(name, f"not an ACLED export: no column {', '.join(missing)}")
                rows.extend(reader)
        except UnicodeDecodeError as err:
            raise InputError(name, "not UTF-8 text") from err
        except csv.Error as err:
            raise InputError(name, f"malformed CSV ({err})") from err
    return rows, digest.hexdigest()


def _labelled(rows: list[dict[str, str]]) -> list[_Row]:
    from eventcoder.evaluate import strip_coder_label

    out = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        notes = (row.get("notes") or "").strip()
        label = (row.get("sub_event_type") or "").strip()
        if not notes or not label or (notes, label) in seen:
            continue
        seen.add((notes, label))
        text = classifier_text(strip_coder_label(notes))
        if text:
            out.append(_Row(notes, text, label, (row.get("event_date") or "")[:10]))
    return out


def build_classifier() -> Any:
    """The untrained classifier: word and character TF-IDF, then a linear SVM with balanced class
    weights whose scores are calibrated to probabilities (Platt scaling, 3-fold).

    Chosen by measurement (docs/MODEL.md): balanced weights keep rare types from being swallowed
    by the peaceful protests that dominate exports; the calibration makes the score comparable
    with the rules' confidence.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000,
                        dtype=_float32()),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                        max_features=300_000, dtype=_float32()),
    )
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=0)
    return make_pipeline(features, CalibratedClassifierCV(svm, method="sigmoid", cv=3))


def _float32() -> Any:
    import numpy as np

    return np.float32


def _rules_predictions(rows: list[_Row]) -> list[tuple[str | None, float]]:
    """What the built-in rules say of each validation report: its first event's type and
    confidence (the event the evaluation compares)."""
    from eventcoder.evaluate import in_text_order, strip_coder_label
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import get_pipeline, parse_date

    pipe = get_pipeline(PipelineConfig.from_env(model_dir=None))
    out: list[tuple[str | None, float]] = []
    for row in rows:
        try:
            published = parse_date(row.event_date) if row.event_date else None
        except EventcoderError:
            published = None
        doc = pipe(article_from_text(strip_coder_label(row.notes), published=published))
        events = in_text_order(doc.events)
        out.append((events[0].sub_event_type, events[0].confidence) if events else (None, 0.0))
    return out


def _weighted_f1(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, average="weighted", zero_division=0))


def choose_thresholds(
    gold: list[str],
    rules: list[tuple[str | None, float]],
    probabilities: list[dict[str, float]],
    labels: frozenset[str],
) -> tuple[float, float, float, float]:
    """The (threshold, rule_weight, new_event_threshold) that maximise the weighted F1 of the
    combination on the validation reports, and that F1.

    >>> choose_thresholds(["Attack"], [("Armed clash", 0.6)], [{"Attack": 0.9, "Armed clash": 0.1}],
    ...                   frozenset({"Attack", "Armed clash"}))[3]
    1.0
    """
    best = (1.01, 1.0, 1.01, -1.0)
    grid = [round(0.05 * i, 2) for i in range(0, 20)]
    for weight in (0.0, 0.5, 1.0, 1.5):
        for threshold in grid:
            for new in (0.3, 0.5, 0.7, 0.9, 1.01):
                combiner = Combiner(labels, threshold, weight, new)
                pred = [
                    combiner.choose(label, conf, probs)[0] or "(none)"
                    for (label, conf), probs in zip(rules, probabilities, strict=True)
                ]
                f1 = _weighted_f1(gold, pred)
                if f1 > best[3] + 1e-9:
                    best = (threshold, weight, new, f1)
    return best


def choose_combination(
    gold: list[str],
    rules: list[tuple[str | None, float]],
    probabilities: list[dict[str, float]],
    priors: dict[str, float],
) -> tuple[float, float, float, float, float]:
    """The prior power (0, 0.5, 1) and the thresholds of :func:`choose_thresholds` that maximise
    the weighted F1 on the validation reports: (power, threshold, weight, new, f1)."""
    labels = frozenset(priors)
    best = (0.0, 1.01, 1.0, 1.01, -1.0)
    for power in (0.0, 0.5, 1.0):
        adjust = Combiner(labels, 0.5, 1.0, 0.5).adjust
        adjusted = [adjust(p, priors, power) for p in probabilities]
        threshold, weight, new, f1 = choose_thresholds(gold, rules, adjusted, labels)
        if f1 > best[4] + 1e-9:
            best = (power, threshold, weight, new, f1)
    return best


def actor_entries(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Dictionary entries for the export's actors that the built-in dictionary does not know.

    Each entry has the ACLED name, the inter code most rows give it, its country when that is
    one country (and known to the dictionary), and as aliases the spellings of the name that the
    notes of its rows use: the acronym and the long form of "ACR: Long Name", the name without
    its bracketed country. Aliases another actor already answers to are left out.
    """
    from eventcoder.actors import load_actors

    builtin = load_actors()
    known_countries = set(builtin.countries)
    inters: dict[str, Counter[int]] = defaultdict(Counter)
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    notes_of: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for name_col, inter_col in (("actor1", "inter1"), ("actor2", "inter2")):
            name = " ".join((row.get(name_col) or "").split())
            if not name:
                continue
            try:
                inter = int(float(row.get(inter_col) or 0))
            except ValueError:
                inter = 0
            if 1 <= inter <= 8:
                inters[name][inter] += 1
            countries[name][(row.get("country") or "").strip()] += 1
            if len(notes_of[name]) < 200:
                notes_of[name].append(row.get("notes") or "")
    generic_prefixes = ("Military Forces of", "Police Forces of", "Protesters", "Rioters", "Civilians",
                        "Unidentified", "Government of")
    entries = []
    taken: set[str] = set()
    for name in sorted(inters):
        if name.startswith(generic_prefixes) or builtin.lookup(name) is not None:
            continue
        inter = inters[name].most_common(1)[0][0]
        (country, _n), = countries[name].most_common(1)
        home = country if len(countries[name]) == 1 and country in known_countries else None
        aliases: list[str] = []
        weak: list[str] = []
        for form in _name_forms(name) + _acronyms_in_notes(name, notes_of[name]):
            key = form.lower()
            if key in taken or builtin.lookup(form) is not None:
                continue
            found = [n for n in notes_of[name] if (form in n if _acronym(form) else key in n.lower())]
            if not found:
                continue
            taken.add(key)
            # a common-noun phrase ("health workers") names this actor only in its country
            (weak if form[:1].islower() or (home and form.istitle() is False and " " in form) else aliases).append(form)
        entry: dict[str, Any] = {"name": name, "inter": inter, "country": home}
        if aliases:
            entry["aliases"] = aliases
        if weak and home:
            entry["weak_aliases"] = weak
        entries.append(entry)
    return entries


def _acronym(form: str) -> bool:
    return len(form) <= 8 and form.upper() == form


def _actor_yaml(entries: list[dict[str, Any]]) -> str:
    header = (
        "# Actor entries learned by `eventcoder train` from the training export\n"
        "# (schema: eventcoder/data/actors.yaml).\n"
    )
    return header + yaml.safe_dump({"version": 1, "actors": entries}, allow_unicode=True, sort_keys=False)


def consistent_actors(entries: list[dict[str, Any]], rounds: int = 5) -> list[dict[str, Any]]:
    """``entries`` made loadable beside the built-in dictionary: a spelling (with the variants the
    dictionary generates) that names two learned actors is marked shared by both, so the
    article's country decides between them as for the built-in shared aliases; a learned actor
    one of whose spellings names a built-in actor is left out (the built-in entry wins).
    """
    from importlib import resources

    from eventcoder.actors import STATE_ID_PREFIX, ActorDictionary

    builtin = resources.files("eventcoder") / "data" / "actors.yaml"
    builtin_text = builtin.read_text(encoding="utf-8")
    entries = [dict(e) for e in entries]
    for _round in range(rounds):
        by_name = {e["name"]: e for e in entries}
        dictionary = ActorDictionary()
        dictionary.load(str(builtin), builtin_text)
        dictionary.load("learned actors", _actor_yaml(entries))
        seen: dict[str, str] = {}
        drop: set[str] = set()
        changed = False
        for surface, ident, case_sensitive, _origin in dictionary.surface_forms():
            key = surface if case_sensitive else surface.lower()
            other = seen.setdefault(key, ident)
            if other == ident or (ident.startswith(STATE_ID_PREFIX) and other.startswith(STATE_ID_PREFIX)):
                continue
            mine = [i for i in (ident, other) if i in by_name]
            if len(mine) == 2:
                for name in mine:
                    shared = by_name[name].setdefault("shared", [])
                    if key.lower() not in shared:
                        shared.append(key.lower())
                        changed = True
            elif mine:
                drop.add(mine[0])
        if drop:
            entries = [e for e in entries if e["name"] not in drop]
        if not drop and not changed:
            dictionary.check()
            return entries
    raise EventcoderError("the learned actor entries could not be made consistent with the dictionary")


def _acronyms_in_notes(name: str, notes: list[str]) -> list[str]:
    """Acronyms the notes introduce for the actor: "Kitenge Brotherhood Front (KBF)"."""
    import re

    base = re.sub(r"\s*\([^)]*\)\s*$", "", name).split(":")[-1].strip()
    if len(base) < 4:
        return []
    pattern = re.compile(re.escape(base) + r"\s*\(([A-Z][A-Za-z0-9-]{1,9})\)", re.IGNORECASE)
    found = Counter(m.group(1) for n in notes for m in pattern.finditer(n) if m.group(1).upper() == m.group(1))
    return [acronym for acronym, _n in found.most_common(2)]


def _name_forms(name: str) -> list[str]:
    """The spellings of an ACLED actor name that reports may use."""
    import re

    base = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    forms = [base]
    if ":" in base:
        short, long_ = (p.strip() for p in base.split(":", 1))
        forms += [short, long_]
    return [f for f in dict.fromkeys(forms) if len(f) >= 3 and f != name]


def _decimals(value: str) -> int:
    """How many decimals a coordinate is written with (at most 4): its stated resolution."""
    _whole, _dot, fraction = value.strip().partition(".")
    return min(len(fraction.rstrip("0")), 4)


def place_entries(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Every (country, location, admin1) of the export with the point ACLED gives it.

    One name may be several places of one country (two villages called Zarichne, in Donetsk
    and in Zaporizhia): each admin1 keeps its own entry, and the text's admin areas choose at
    run time (:func:`eventcoder.learned._choose_entry`). The point is the one of the rows that
    state it best: the finest ``geo_precision``, then the coordinate written with the most
    decimals (an export's old rows may carry a coarse point for a town, rounded to two decimals
    and several kilometres off), then the most rows.
    """
    from eventcoder.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    groups: dict[tuple[str, str, str], Counter[tuple[Any, ...]]] = defaultdict(Counter)
    for row in rows:
        location = " ".join((row.get("location") or "").split())
        country = (row.get("country") or "").strip()
        try:
            lat, lon = float(row.get("latitude") or ""), float(row.get("longitude") or "")
        except ValueError:
            continue
        if not location or not country or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        try:
            precision = int(float(row.get("geo_precision") or 3))
        except ValueError:
            precision = 3
        resolution = min(_decimals(row.get("latitude") or ""), _decimals(row.get("longitude") or ""))
        admins = tuple((row.get(k) or "").strip() for k in ("admin1", "admin2", "admin3"))
        key = (round(lat, 4), round(lon, 4), *admins)
        groups[(country, location, admins[0])][(-precision, min(resolution, 3), key)] += 1
    out = []
    for (country, location, _admin1), points in sorted(groups.items()):
        found = gazetteer.country(country)
        if found is None:
            continue
        (_p, _r, (lat, lon, a1, a2, a3)), _n = max(points.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[1]))
        out.append({
            "name": location, "aliases": "", "country_code": found.iso2, "latitude": lat,
            "longitude": lon, "population": 0, "geonameid": "", "note": "from the training export",
            "country": country, "admin1": a1, "admin2": a2, "admin3": a3,
            "count": sum(points.values()),
        })
    return out


def train(paths: Sequence[str], output: str | Path, *, progress: Progress | None = None) -> Manifest:
    """Learn a model directory at ``output`` from the ACLED exports at ``paths``.

    The directory is written under a temporary name beside ``output`` and renamed into place, so
    a failed run leaves no half model. Raises :class:`InputError` for an unreadable export and
    :class:`EventcoderError` for one with too little to learn from.
    """
    require_sklearn()
    import joblib

    say = progress or (lambda _message: None)
    started = time.monotonic()
    target = Path(output)
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise EventcoderError(f"--output {target}: exists and is not an empty directory")
    rows, data_hash = read_exports(paths)
    labelled = _labelled(rows)
    counts = Counter(r.label for r in labelled)
    labelled = [r for r in labelled if counts[r.label] >= MIN_ROWS_PER_LABEL]
    if len({r.label for r in labelled}) < 2:
        raise EventcoderError("the exports have fewer than two sub-event types with notes to learn from")
    say(f"read {len(rows)} rows; {len(labelled)} labelled reports of {len({r.label for r in labelled})} types")

    fit_rows = [r for r in labelled if not _validation(r.notes)]
    check_rows = [r for r in labelled if _validation(r.notes)]
    if len({r.label for r in fit_rows}) < 2:
        fit_rows, check_rows = labelled, []
    classifier = build_classifier()
    classifier.fit([r.text for r in fit_rows], [r.label for r in fit_rows])
    say(f"classifier fitted on {len(fit_rows)} reports ({time.monotonic() - started:.0f} s)")
    threshold, weight, new_threshold, power = 0.5, 1.0, 0.7, 0.0
    priors: dict[str, float] = {}
    if check_rows:
        check_rows = _stratified(check_rows)
        rules = _rules_predictions(check_rows)
        probs_raw = classifier.predict_proba([r.text for r in check_rows])
        labels = [str(c) for c in classifier.classes_]
        probs = [dict(zip(labels, map(float, p), strict=True)) for p in probs_raw]
        fit_counts = Counter(r.label for r in fit_rows)
        priors = {label: fit_counts[label] / len(fit_rows) for label in labels}
        power, threshold, weight, new_threshold, f1 = choose_combination(
            [r.label for r in check_rows], rules, probs, priors
        )
        rules_f1 = _weighted_f1([r.label for r in check_rows], [label or "(none)" for label, _ in rules])
        say(f"thresholds on {len(check_rows)} validation reports: priors to the power {power}, classifier from p>={threshold}, "
            f">= {weight} x rules' confidence, new events from p>={new_threshold}; weighted F1 "
            f"{rules_f1:.3f} (rules) -> {f1:.3f} (combined) ({time.monotonic() - started:.0f} s)")
        # no refit on the validation reports too: the thresholds fit this classifier, and a
        # second fit would double the training time for a tenth more data

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        joblib.dump(classifier, work / CLASSIFIER, compress=3)
        actors = consistent_actors(actor_entries(rows))
        (work / ACTORS).write_text(_actor_yaml(actors), encoding="utf-8")
        places = place_entries(rows)
        with (work / PLACES).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(PLACE_COLUMNS))
            writer.writeheader()
            writer.writerows(places)
        say(f"{len(actors)} actors, {len(places)} places")
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            eventcoder_version=__version__,
            libraries=library_versions(),
            data_sha256=data_hash,
            rows=len(rows),
            labels=tuple(str(c) for c in classifier.classes_),
            threshold=threshold,
            rule_weight=weight,
            new_event_threshold=new_threshold,
            learner=LEARNER,
            priors=priors,
            prior_power=power,
            files={name: file_sha256(work / name) for name in (CLASSIFIER, ACTORS, PLACES)},
        )
        (work / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        if target.exists():
            target.rmdir()
        os.replace(work, target)
    except BaseException:
        for file in work.iterdir():
            file.unlink()
        work.rmdir()
        raise
    say(f"model written to {target} in {time.monotonic() - started:.0f} s "
        f"({dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC)")
    return manifest
