"""The model directory of `eventcoder train`: what it holds, and that it refuses to load when it
cannot be trusted (tampered manifest, missing or changed file, newer format, other library).

The export here is invented by the test (template sentences about made-up villages), never ACLED
data; training on it runs the real rules on its validation rows, so the spaCy model is needed.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

from eventcoder import learned
from eventcoder.errors import ExtraMissingError, ModelError

pytest.importorskip("sklearn", reason="needs the 'train' extra: pip install 'eventcoder[train]'")

COLUMNS = ("gold_id", "event_date", "event_type", "sub_event_type", "actor1", "inter1", "actor2",
           "inter2", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
           "geo_precision", "notes", "fatalities")

# invented villages of Kenya: the model's places must carry their points and admin areas
VILLAGES = [("Mbaruku Ndogo", -1.1, 37.0, "Kiambu", "Thika"), ("Olkerii Juu", -1.5, 36.8, "Kajiado", "Kajiado North"),
            ("Kamwathu Hill", -0.9, 37.2, "Murang'a", "Maragua")]
TEMPLATES = {
    "Peaceful protest": ("Protests", "Protesters (Kenya)", 6, "", 0,
                         "On {d} May 2024, traders held a peaceful demonstration in {v} over market fees."),
    "Armed clash": ("Battles", "Military Forces of Kenya (2022-)", 1, "Kitenge Brotherhood Front", 2,
                    "On {d} May 2024, soldiers fought the Kitenge Brotherhood Front (KBF) near {v}; gunfire was exchanged for hours."),
    "Attack": ("Violence against civilians", "Kitenge Brotherhood Front", 2, "Civilians (Kenya)", 7,
               "On {d} May 2024, KBF gunmen shot dead a shopkeeper in {v}. 1 fatality."),
}


def _export(path: Path, copies: int = 14) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        n = 0
        for label, (etype, a1, i1, a2, i2, template) in TEMPLATES.items():
            for k in range(copies):
                village, lat, lon, admin1, admin2 = VILLAGES[k % len(VILLAGES)]
                n += 1
                writer.writerow({
                    "gold_id": f"t{n}", "event_date": f"2024-05-{k + 1:02d}", "event_type": etype,
                    "sub_event_type": label, "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2 or "",
                    "country": "Kenya", "admin1": admin1, "admin2": admin2, "admin3": "",
                    "location": village, "latitude": lat, "longitude": lon, "geo_precision": 1,
                    "notes": template.format(d=k + 1, v=village), "fatalities": 1 if label == "Attack" else 0,
                })
    return path


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from eventcoder.train import train

    base = tmp_path_factory.mktemp("model")
    export = _export(base / "export.csv")
    train([str(export)], base / "model")
    return base / "model"


@pytest.fixture
def copy(model_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(model_dir, target)
    learned.load_model.cache_clear()
    return target


def _edit_manifest(directory: Path, **changes: object) -> None:
    path = directory / learned.MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_manifest_records_versions_data_hash_and_labels(model_dir: Path) -> None:
    manifest = learned.read_manifest(model_dir)
    assert manifest.format_version == learned.FORMAT_VERSION
    assert set(manifest.labels) == set(TEMPLATES)
    assert len(manifest.data_sha256) == 64
    assert manifest.libraries["scikit-learn"]
    assert 0.0 <= manifest.threshold <= 1.0
    size = sum(f.stat().st_size for f in model_dir.iterdir())
    assert size < 150 * 1024 * 1024


def test_model_places_carry_acled_points_and_admins(model_dir: Path) -> None:
    places = learned.load_model(str(model_dir)).places
    text = "Gunmen struck in Olkerii Juu and Mbaruku Ndogo."
    found = places.find(text)
    assert [text[start:end] for start, end, _ in found] == ["Olkerii Juu", "Mbaruku Ndogo"]
    entry = found[0][2][0]
    assert (entry.admin1, entry.latitude, entry.longitude) == ("Kajiado", -1.5, 36.8)


def test_model_actors_load_through_the_actor_dictionary(model_dir: Path) -> None:
    from eventcoder.actors import load_actors

    actors = load_actors(learned.load_model(str(model_dir)).actors_file)
    found = actors.lookup("Kitenge Brotherhood Front")
    assert found is not None and found.name == "Kitenge Brotherhood Front" and found.inter == 2
    assert load_actors().lookup("Kitenge Brotherhood Front") is None


def test_classifier_reads_no_coder_text() -> None:
    text = learned.classifier_text("Attack: gunmen shot a man in Kili. [size=no report] Fatalities coded as 3.")
    assert "coded" not in text and "size" not in text


def test_a_model_is_refused_when_a_file_is_missing(copy: Path) -> None:
    (copy / learned.PLACES).unlink()
    with pytest.raises(ModelError, match="places.csv is missing"):
        learned.load_model(str(copy))


def test_a_model_is_refused_when_a_file_was_changed(copy: Path) -> None:
    with (copy / learned.ACTORS).open("a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    with pytest.raises(ModelError, match="not the file the manifest names"):
        learned.load_model(str(copy))


def test_a_tampered_label_set_is_refused(copy: Path) -> None:
    _edit_manifest(copy, labels=["Attack", "Armed clash", "Suicide bomb"])
    with pytest.raises(ModelError, match="labels are not the manifest's"):
        learned.load_model(str(copy))


def test_a_manifest_that_is_not_json_is_refused(copy: Path) -> None:
    (copy / learned.MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="unreadable manifest"):
        learned.load_model(str(copy))


def test_a_newer_format_is_refused(copy: Path) -> None:
    _edit_manifest(copy, format_version=learned.FORMAT_VERSION + 1)
    with pytest.raises(ModelError, match="newer than this eventcoder reads"):
        learned.load_model(str(copy))


def test_another_scikit_learn_is_refused(copy: Path) -> None:
    _edit_manifest(copy, libraries={"scikit-learn": "0.1.0"})
    with pytest.raises(ModelError, match="trained with scikit-learn 0.1.0"):
        learned.load_model(str(copy))


def test_the_cli_says_why_in_one_line(copy: Path, tmp_path: Path) -> None:
    from eventcoder.cli import main

    _edit_manifest(copy, format_version=learned.FORMAT_VERSION + 1)
    article = tmp_path / "a.txt"
    article.write_text("Protesters marched in Nairobi.", encoding="utf-8")
    status = main(["extract", str(article), "--model", str(copy)])
    assert status == 1


def test_cli_error_is_one_line_without_traceback(copy: Path, tmp_path: Path) -> None:
    import subprocess

    _edit_manifest(copy, format_version=learned.FORMAT_VERSION + 1)
    article = tmp_path / "a.txt"
    article.write_text("Protesters marched in Nairobi.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "eventcoder", "extract", str(article), "--model", str(copy)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "newer than this eventcoder reads" in lines[0], result.stderr


def test_a_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ExtraMissingError, match=r"pip install 'eventcoder\[train\]'"):
        learned.require_sklearn()


def test_train_refuses_a_file_that_is_not_an_acled_export(tmp_path: Path) -> None:
    from eventcoder.errors import InputError
    from eventcoder.train import train

    bad = tmp_path / "bad.csv"
    bad.write_text("text\nhello\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an ACLED export"):
        train([str(bad)], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_extract_with_the_model_codes_the_learned_place(model_dir: Path) -> None:
    from eventcoder.config import PipelineConfig
    from eventcoder.pipeline import extract

    events = extract("On 3 June 2024, KBF gunmen shot dead a trader in Olkerii Juu.", published="2024-06-04",
                     config=PipelineConfig(model_dir=str(model_dir)))
    assert events
    assert (events[0].location, events[0].admin1) == ("Olkerii Juu", "Kajiado")
    assert events[0].actor1 == "Kitenge Brotherhood Front"


def test_learned_actors_that_share_a_spelling_are_made_consistent() -> None:
    from eventcoder.actors import ActorDictionary
    from eventcoder.train import _actor_yaml, consistent_actors

    entries = [
        {"name": "KLF: Kitenge Liberation Front", "inter": 2, "country": "Kenya"},
        {"name": "ULA/KLF: United League of Kitenge/Kitenge Liberation Front", "inter": 2, "country": "Kenya",
         "aliases": ["Kitenge Liberation Front"]},
        # "Nusra Front" is a built-in spelling of HTS: the learned entry must not take it over
        {"name": "Nusra Front Remnants", "inter": 2, "country": None, "aliases": ["Nusra Front"]},
    ]
    kept = consistent_actors(entries)
    assert [e["name"] for e in kept] == [e["name"] for e in entries[:2]]
    assert all("kitenge liberation front" in e["shared"] for e in kept)
    dictionary = ActorDictionary()
    from importlib import resources

    builtin = resources.files("eventcoder") / "data" / "actors.yaml"
    dictionary.load(str(builtin), builtin.read_text(encoding="utf-8"))
    dictionary.load("learned", _actor_yaml(kept))
    dictionary.check()


def test_the_fast_probabilities_are_scikit_learns(model_dir: Path) -> None:
    import numpy as np

    model = learned.load_model(str(model_dir))
    assert model.fast is not None
    texts = ["KBF gunmen shot a trader in Olkerii Juu.", "Traders marched peacefully.", "Nothing at all"]
    features, fast = model.fast
    expected = model.classifier.predict_proba(texts)
    assert np.allclose(fast.predict_proba(features.transform(texts)), expected, atol=1e-9)


def test_cli_train_reports_a_bad_export_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eventcoder.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("text\nhello\n", encoding="utf-8")
    assert main(["train", str(bad), "--output", str(tmp_path / "model")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("eventcoder: error:") and "not an ACLED export" in err[0]


def test_cli_train_writes_a_model_that_extract_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eventcoder.cli import main

    export = _export(tmp_path / "export.csv", copies=8)
    assert main(["train", str(export), "--output", str(tmp_path / "model"), "--quiet"]) == 0
    assert (tmp_path / "model" / learned.MANIFEST).is_file()
    article = tmp_path / "a.txt"
    article.write_text("On 3 June 2024, traders held a peaceful demonstration in Kamwathu Hill.", encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", str(article), "--published", "2024-06-04", "--model", str(tmp_path / "model")]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (record["location"], record["admin1"]) == ("Kamwathu Hill", "Murang'a")


def test_the_classifier_alone_makes_events_only_in_the_register_of_the_notes() -> None:
    import datetime as dt

    from eventcoder.config import PipelineConfig
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import get_pipeline

    pipe = get_pipeline(PipelineConfig())
    on = dt.date(2024, 5, 5)

    def opens_with_its_date(text: str) -> bool:
        return learned._opens_with_its_date(pipe(article_from_text(text, published=on)))

    assert opens_with_its_date("On 3 May 2024, traders gathered at the market in Nakuru.")
    assert opens_with_its_date("Around 3 May 2024, traders gathered at the market in Nakuru.")
    # a wire story opens with a dateline or its subject, its date further in
    assert not opens_with_its_date("NAKURU, Kenya - Traders gathered at the market on Saturday.")
    assert not opens_with_its_date("NAKURU, May 4 - Traders gathered at the market on Saturday.")
    assert not opens_with_its_date("A film festival opened in Nakuru on Saturday with screenings.")
