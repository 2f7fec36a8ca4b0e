"""ingest: every input kind becomes Articles, every bad input one InputError, never a raise."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from pathlib import Path

import pytest

from eventcoder.errors import InputError
from eventcoder.ingest import article_from_text, content_id, read_inputs
from eventcoder.model import Article

NAIROBI = "Police fired tear gas at protesters in Nairobi on Monday, witnesses said."
KISUMU = "Traders protested in Kisumu on Tuesday against new market fees."
DAY = dt.date(2024, 3, 6)

PAGE = """<!DOCTYPE html>
<html><head><title>Police disperse traders in Nairobi | Daily Example</title>
<meta property="article:published_time" content="2024-03-04T08:00:00Z">
<script>var tracker = "SCRIPT-SECRET-1";</script>
<style>body { color: red } /* STYLE-SECRET */</style></head>
<body><nav>Home | World | Business</nav>
<article><h1>Police disperse traders in Nairobi</h1>
<p>Police fired tear gas at protesters in Nairobi on Monday, witnesses said. Hundreds of
traders had marched to City Hall to demand lower market fees.</p>
<script>document.write("SCRIPT-SECRET-2")</script>
<p>Officers arrested twelve people, according to a police spokesman who asked not to be
named because he was not allowed to speak to the press.</p>
</article><footer>Share this: Facebook Twitter</footer></body></html>
"""


def read(inputs: list[str], published: dt.date | None = DAY, max_bytes: int = 10_000, **kw):
    return list(read_inputs([str(i) for i in inputs], published, max_bytes, **kw))


def only_error(items: list[Article | InputError]) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


# --- article_from_text ---------------------------------------------------------------------------


def test_id_is_a_content_hash_stable_across_unicode_normal_forms() -> None:
    composed = "Protesters gathered in Bamako, Mal\u00ed."
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert article_from_text(composed).id == content_id(composed)
    assert article_from_text(decomposed).id == content_id(composed)
    assert len(content_id(composed)) == 16
    assert content_id(composed) != content_id(NAIROBI)


def test_article_from_text_keeps_given_fields() -> None:
    article = article_from_text(
        NAIROBI, DAY, id="n1", title="T", source="S", url="https://x.example/a", origin="o"
    )
    assert article == Article("n1", NAIROBI, DAY, "T", "S", "https://x.example/a", "o")


# --- text and HTML files -------------------------------------------------------------------------


def test_text_file_is_read_as_given(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    # a byte-order mark is not part of the article; the CRLF line ends the user wrote are
    path.write_bytes("\ufeff".encode() + f"{NAIROBI}\r\n\r\n{KISUMU}\r\n".encode())
    [article] = read([path])
    assert isinstance(article, Article)
    assert article.text == f"{NAIROBI}\r\n\r\n{KISUMU}\r\n"
    assert article.published == DAY and article.origin == str(path)
    assert article.id == content_id(article.text)


def test_file_with_another_ending_named_explicitly_is_text(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(NAIROBI, encoding="utf-8")
    [article] = read([path])
    assert isinstance(article, Article) and article.text == NAIROBI


def test_html_file_gives_main_text_title_and_date_without_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = read([path])
    assert isinstance(article, Article)
    assert "Police fired tear gas at protesters in Nairobi" in article.text
    assert "arrested twelve people" in article.text
    for secret in ("SCRIPT-SECRET", "STYLE-SECRET", "tracker", "document.write"):
        assert secret not in article.text
    assert article.title == "Police disperse traders in Nairobi"
    # the page's own date wins over the default for inputs that carry none
    assert article.published == dt.date(2024, 3, 4)


def test_html_without_a_date_takes_the_default(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(
        f"<html><body><article><p>{NAIROBI} {KISUMU} {NAIROBI}</p></article></body></html>",
        encoding="utf-8",
    )
    [article] = read([path])
    assert isinstance(article, Article) and article.published == DAY


def test_html_with_no_main_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body></body></html>")
    assert "no article text" in only_error(read([path])).reason


# --- bad files -----------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    err = only_error(read([tmp_path / "nope.txt"]))
    assert err.origin == str(tmp_path / "nope.txt") and err.reason == "no such file or folder"


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.csv", "empty.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    assert only_error(read([tmp_path / name])).reason == "empty file"


def test_whitespace_only_file(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\t\n")
    assert "empty" in only_error(read([tmp_path / "blank.txt"])).reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(1, 9)) * 20, "binary file"),
        ("Protesters in Bogot\u00e1".encode("latin-1"), "not UTF-8"),
        ("Protesters".encode("utf-16"), "not UTF-8"),
    ],
    ids=["nul-bytes", "control-characters", "latin-1", "utf-16"],
)
@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".csv"])
def test_binary_and_non_utf8_files_are_refused_and_say_why(
    tmp_path: Path, data: bytes, expected: str, suffix: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    if suffix == ".jsonl":
        data = data.replace(b"\n", b" ")
    path.write_bytes(data)
    items = read([path])
    errors = [item for item in items if isinstance(item, InputError)]
    assert errors and not [item for item in items if isinstance(item, Article)]
    assert expected in errors[0].reason
    assert "\n" not in errors[0].reason


def test_non_utf8_reason_names_the_byte_and_does_not_guess(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Protesters in Bogot\u00e1.".encode("latin-1"))
    reason = only_error(read([path])).reason
    assert reason.startswith("not UTF-8 (byte 0xe1 at offset 19")
    assert "convert it to UTF-8" in reason


def test_too_large_file_is_refused_by_its_size_without_being_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(200_000_000)  # sparse: 200 MB on paper, nothing on disk
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    err = only_error(read([big], max_bytes=20_000_000))
    assert err.reason.startswith("file too large (200.0 MB; the limit is 20.0 MB")
    assert big not in opened


def test_folder_that_is_missing_or_has_no_articles(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    err = only_error(read([tmp_path / "empty"]))
    assert "folder has no files ending in .txt" in err.reason


# --- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_records_with_fields_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"id": "n1", "text": NAIROBI, "published": "2024-03-04", "title": "T",
                    "source": "Daily Example", "url": "https://x.example/1", "extra": [1]}),
        "",
        '{"text": "unterminated',
        json.dumps({"text": KISUMU}),
        json.dumps({"text": "   "}),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": KISUMU, "published": "4 March"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": 42}),
        json.dumps({"text": KISUMU, "published": "2024-03-05T10:30:00+03:00", "id": 7}),
        json.dumps({"html": PAGE}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read([path])
    where = {item.origin: item for item in items}
    assert [item.origin for item in items] == [f"{path}:{n}" for n in (1, *range(3, 12))]

    first = where[f"{path}:1"]
    assert first == Article("n1", NAIROBI, dt.date(2024, 3, 4), "T", "Daily Example",
                            "https://x.example/1", f"{path}:1")
    assert where[f"{path}:3"].reason == (
        "not valid JSON (Unterminated string starting, column 10)"
    )
    assert where[f"{path}:4"].published == DAY and where[f"{path}:4"].id == content_id(KISUMU)
    assert "record has no text" in where[f"{path}:5"].reason
    assert "record has no text" in where[f"{path}:6"].reason
    assert where[f"{path}:7"].reason == "published is not a date (expected YYYY-MM-DD): '4 March'"
    assert where[f"{path}:8"].reason == "a record must be a JSON object, not an array"
    assert where[f"{path}:9"].reason == "'text' must be a string, not a number"
    assert where[f"{path}:10"].published == dt.date(2024, 3, 5) and where[f"{path}:10"].id == "7"
    html = where[f"{path}:11"]
    assert "tear gas" in html.text and "SCRIPT-SECRET" not in html.text
    assert html.published == dt.date(2024, 3, 4)


def test_jsonl_line_over_the_limit_is_skipped_and_the_next_still_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"text": "x " * 5000}) + "\n" + json.dumps({"text": KISUMU}) + "\n"
    )
    first, second = read([path], max_bytes=1000)
    assert isinstance(first, InputError) and first.origin == f"{path}:1"
    assert first.reason.startswith("line too large")
    assert isinstance(second, Article) and second.text == KISUMU


def test_jsonl_with_only_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl").write_text("\n\n")
    assert "no records" in only_error(read([tmp_path / "blank.jsonl"])).reason


def test_jsonl_line_that_is_not_utf8_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps({"text": NAIROBI}).encode() + b"\n"
        + '{"text": "Bogot\u00e1"}'.encode("latin-1") + b"\n"
        + json.dumps({"text": KISUMU}).encode() + b"\n"
    )
    first, second, third = read([path])
    assert isinstance(first, Article) and isinstance(third, Article)
    assert isinstance(second, InputError) and second.origin == f"{path}:2"
    assert second.reason.startswith("not UTF-8")


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_records(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    path.write_text(
        "ID,Text,published,source,other\n"
        f'a1,"{NAIROBI}\nSecond line, with a comma.",2024-03-04,Daily Example,x\n'
        f"a2,{KISUMU},,,\n"
        ",,,,\n"
        f"a4,{KISUMU},yesterday,,\n",
        encoding="utf-8-sig",
    )
    items = read([path])
    assert [item.origin for item in items] == [f"{path}:{n}" for n in (2, 4, 5, 6)]
    first, second, third, fourth = items
    assert isinstance(first, Article) and first.id == "a1" and first.source == "Daily Example"
    assert first.text == f"{NAIROBI}\nSecond line, with a comma."
    assert first.published == dt.date(2024, 3, 4)
    assert isinstance(second, Article) and second.published == DAY and second.source is None
    assert isinstance(third, InputError) and "record has no text" in third.reason
    assert isinstance(fourth, InputError) and "published is not a date" in fourth.reason


def test_csv_without_a_text_column(tmp_path: Path) -> None:
    (tmp_path / "acled.csv").write_text("event_date,notes\n2024-03-04,Protest\n")
    reason = only_error(read([tmp_path / "acled.csv"])).reason
    assert reason == "CSV has no 'text' or 'html' column (columns: 'event_date', 'notes')"


def test_csv_longer_than_the_csv_module_default_field_limit(tmp_path: Path) -> None:
    text = f"{NAIROBI} " * 3000  # about 220 kB, over csv's 128 KiB default
    (tmp_path / "long.csv").write_text(f'text\n"{text}"\n')
    [article] = read([tmp_path / "long.csv"], max_bytes=1_000_000)
    assert isinstance(article, Article) and article.text == text


# --- folders and stdin ---------------------------------------------------------------------------


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(KISUMU)
    (tmp_path / "a.txt").write_text(NAIROBI)
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "From JSONL about protest."}) + "\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("hidden")
    items = read([tmp_path])
    assert [item.origin for item in items] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt"), f"{tmp_path / 'c.jsonl'}:1"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (NAIROBI.encode(), [NAIROBI]),
        (PAGE.encode(), ["Police disperse traders in Nairobi"]),
        ((json.dumps({"text": NAIROBI}) + "\n" + json.dumps({"text": KISUMU})).encode(),
         [NAIROBI, KISUMU]),
        (b"\xef\xbb\xbf" + json.dumps({"text": NAIROBI}).encode(), [NAIROBI]),
    ],
    ids=["text", "html", "jsonl", "jsonl-with-bom"],
)
def test_stdin_text_html_and_jsonl(data: bytes, expected: list[str]) -> None:
    items = read(["-"], stdin=io.BytesIO(data))
    assert all(isinstance(item, Article) for item in items)
    assert [item.text[: len(start)] for item, start in zip(items, expected)] == expected
    assert len(items) == len(expected)
    assert items[0].origin.startswith("<stdin>")


@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"", "empty input"), (b"x" * 2000, "input too large (more than 1.0 kB")],
    ids=["empty", "too-large"],
)
def test_stdin_errors(data: bytes, expected: str) -> None:
    assert only_error(read(["-"], max_bytes=1000, stdin=io.BytesIO(data))).reason.startswith(
        expected
    )


def test_a_batch_goes_on_after_each_bad_input(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(NAIROBI)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "also-good.txt").write_text(KISUMU)
    names = ["good.txt", "missing.txt", "empty.txt", "bin.txt", "also-good.txt"]
    items = read([tmp_path / name for name in names])
    assert [type(item).__name__ for item in items] == [
        "Article", "InputError", "InputError", "InputError", "Article"
    ]
