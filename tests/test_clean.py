"""clean: normalised text, boilerplate dropped, and an exact map back to the user's text."""

from __future__ import annotations

import csv
import itertools
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from eventcoder.clean import Boilerplate, clean_text, load_boilerplate, make_clean
from eventcoder.config import PipelineConfig
from eventcoder.errors import DataError
from eventcoder.model import Article, Document, Span

MESSY = (
    "\ufeff  \u201cWe will not leave,\u201d said a protester\u2019s\u00a0son \u2013 aged 19.\r\n"
    "Police\u2014who had   blocked the road\u2014fired tear\u00adgas\u200b.\t\t\n"
    "\n\n\n"
    "Tags: ; ; ;\n"
    "Share this:\n"
    "It was the \u2018third\u2019 protest in Nairobi\u2026 since June\u2009 2024.\u2028Next line.\n"
    "\n"
    "Read more: Police arrest twelve in Kisumu\n"
)


def check_map(source: str, text: str, offsets: list[int]) -> None:
    """Every word of ``text`` maps back to words of ``source`` that clean to the same word."""
    doc = Document(Article(id="x", text=source), text=text, offsets=offsets)
    assert len(offsets) == len(text) + 1
    assert offsets[-1] == len(source)
    assert all(a <= b for a, b in itertools.pairwise(offsets)), "offsets go backwards"
    for match in re.finditer(r"\S+", text):
        start, end = doc.to_source(match.start(), match.end())
        assert 0 <= start < end <= len(source)
        assert clean_text(source[start:end])[0] == match.group(), (match.group(), source[start:end])
    # spans across words too: every sentence-sized span maps onto its own text
    for match in re.finditer(r"[^.\n]+", text):
        start, end = doc.to_source(match.start(), match.end())
        assert clean_text(source[start:end])[0] == match.group().strip()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("the protester\u2019s son", "the protester's son"),
        ("\u2018third\u2019, \u02bcAyn, caf\u00b4 and `x`", "'third', 'Ayn, caf' and 'x'"),
        ("\u201cstop\u201d \u201ehere\u201f", '"stop" "here"'),
        ("2017\u20132018, Idlib\u2010Aleppo, \u22123", "2017-2018, Idlib-Aleppo, -3"),
        ("Idlib\u2014the province", "Idlib - the province"),
        ("a \u2014 b", "a - b"),
        ("a\u00a0b\u2009c\u202fd\u3000e\tf", "a b c d e f"),
        ("tear\u00adgas\u200b here\ufeff", "teargas here"),
        ("wait\u2026", "wait..."),
        ("  two   spaces  ", "two spaces"),
        ("one\r\ntwo\rthree\u2028four", "one\ntwo\nthree\nfour"),
        ("p1\n\n\n\n\np2", "p1\n\np2"),
        ("\n\n  \np1\n \n", "p1"),
    ],
)
def test_normalisation(raw: str, clean: str) -> None:
    text, offsets = clean_text(raw)
    assert text == clean
    check_map(raw, text, offsets)


def test_messy_text_cleans_and_maps_back() -> None:
    text, offsets = clean_text(MESSY, load_boilerplate())
    assert text == (
        '"We will not leave," said a protester\'s son - aged 19.\n'
        "Police - who had blocked the road - fired teargas.\n"
        "\n"
        "It was the 'third' protest in Nairobi... since June 2024.\n"
        "Next line."
    )
    check_map(MESSY, text, offsets)


def test_boilerplate_line_is_dropped_with_its_line_break() -> None:
    source = "Protest in Nairobi.\nShare this: Facebook Twitter\nTwo were hurt."
    doc = make_clean(PipelineConfig())(Document(Article(id="a", text=source)))
    assert doc.text == "Protest in Nairobi.\nTwo were hurt."
    # a span across the dropped line maps to the whole stretch of the source
    start, end = doc.to_source(0, len(doc.text))
    assert source[start:end] == source


def test_text_that_is_all_boilerplate_cleans_to_nothing() -> None:
    text, offsets = clean_text("Tags: ; ;\nShare this:\n", load_boilerplate())
    assert (text, offsets) == ("", [len("Tags: ; ;\nShare this:\n")])


def test_stage_fills_text_and_offsets() -> None:
    doc = make_clean(PipelineConfig())(Document(Article(id="a", text=MESSY)))
    assert doc.text.startswith('"We will not leave,"')
    assert len(doc.offsets) == len(doc.text) + 1
    evidence = doc.evidence(Span(1, 5, "We w"), "notes")
    assert evidence.text == "We w" and MESSY[evidence.start : evidence.end] == "We w"


# --- the boilerplate data file -------------------------------------------------------------------


def boilerplate_entries() -> list[dict[str, object]]:
    data = yaml.safe_load(
        resources.files("eventcoder").joinpath("data/boilerplate.yaml").read_text("utf-8")
    )
    assert data["schema"] == 1
    return data["patterns"]


@pytest.mark.parametrize("entry", boilerplate_entries(), ids=lambda entry: str(entry["name"]))
def test_each_pattern_drops_its_examples(entry: dict[str, object]) -> None:
    assert entry["drop"], "every pattern needs examples of lines it drops"
    patterns = load_boilerplate()
    own = dict(patterns.patterns)[str(entry["name"])]
    for line in entry["drop"]:  # type: ignore[union-attr]
        assert own.fullmatch(line), f"{entry['name']!r} does not match its example {line!r}"
        assert clean_text(f"News.\n{line}\nMore news.", patterns)[0] == "News.\nMore news."


def test_no_pattern_drops_a_line_of_news() -> None:
    patterns = load_boilerplate()
    assert len(patterns.keep) >= 5
    for line in patterns.keep:
        assert patterns.matches(line) is None, line


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("patterns: nope", "expected a mapping with a 'patterns' list"),
        ("patterns:\n  - name: x\n", "patterns[0] needs a 'pattern' string"),
        ("patterns:\n  - pattern: '(unclosed'\n", "is not a valid regex"),
        ("patterns: [", "cannot read boilerplate patterns"),
    ],
)
def test_invalid_boilerplate_file_is_a_data_error(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "boilerplate.yaml"
    path.write_text(content)
    with pytest.raises(DataError, match=re.escape(problem)):
        Boilerplate.load(str(path))


# --- real text from ../shared --------------------------------------------------------------------


def test_seed_article_maps_back_and_loses_its_tag_line(shared_dir: Path) -> None:
    [path] = sorted((shared_dir / "seed").glob("*.txt"))
    source = path.read_text(encoding="utf-8")
    text, offsets = clean_text(source, load_boilerplate())
    assert source.rstrip().endswith("Tags: ; ; ;")
    assert "Tags" not in text
    assert text.endswith("to undermine and dissolve the terrorist group.")
    check_map(source, text, offsets)


def test_acled_notes_map_back(shared_dir: Path) -> None:
    boilerplate = load_boilerplate()
    with (shared_dir / "data" / "acled-dev.csv").open(encoding="utf-8-sig", newline="") as f:
        notes = [row["notes"] for row in itertools.islice(csv.DictReader(f), 0, 3000, 10)]
    assert len(notes) == 300
    for source in notes:
        text, offsets = clean_text(source, boilerplate)
        assert text, source  # no line of a coder's note is page furniture
        check_map(source, text, offsets)
