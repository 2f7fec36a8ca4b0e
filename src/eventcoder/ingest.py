"""Turn what the user gives (files, folders, JSONL/CSV records, stdin) into :class:`Article`\\ s.

:func:`read_inputs` never raises for one bad input: it yields an :class:`InputError` in the
article's place and goes on with the next, so a batch always gets as far as it can. Every
reason is one line, meant to be shown to the user as it is.

Formats, chosen by the file name's ending:

* ``.txt`` (and any other ending, for a file named explicitly): the text as it is, UTF-8;
* ``.html`` / ``.htm`` / ``.xhtml``: trafilatura's main text, title, date and site name;
* ``.jsonl`` / ``.ndjson``: one article record per line;
* ``.csv``: one article record per row, fields as columns;
* a folder: every file with one of those endings below it, in sorted order;
* ``-``: standard input (HTML and JSONL are recognised by their first bytes, else text).

An article record has ``text`` (or ``html``) and optionally ``id``, ``published``, ``title``,
``source``, ``url``; other fields are ignored. The publication date is the record's own, else
the HTML page's, else the ``published`` default given to :func:`read_inputs`.

Size limits: a text or HTML file larger than ``max_bytes`` is refused from its size on disk,
before a byte of it is read; JSONL and CSV files are read record by record, and the limit
applies to each record, so a large corpus streams through.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from eventcoder.errors import InputError
from eventcoder.model import Article

__all__ = ["EXTENSIONS", "STDIN", "article_from_text", "content_id", "read_inputs"]

#: The name that stands for standard input.
STDIN = "-"

_TEXT = (".txt",)
_HTML = (".html", ".htm", ".xhtml")
_JSONL = (".jsonl", ".ndjson")
_CSV = (".csv",)
#: File endings read from folders (an explicitly named file with another ending is read as text).
EXTENSIONS: tuple[str, ...] = _TEXT + _HTML + _JSONL + _CSV

_RECORD_FIELDS = ("id", "published", "title", "source", "url")
#: How much of a file's head is looked at to call it binary before streaming it record by record.
_SNIFF_BYTES = 8192
#: Share of control characters above which decoded "text" is taken for binary data.
_MAX_CONTROL_SHARE = 0.1
_NOT_UTF8 = "not UTF-8; convert it to UTF-8, e.g. iconv -f latin1 -t utf-8"
_CONTROL_BYTES = bytes(byte for byte in range(0x20) if byte not in b"\t\n\r\f\v")


def article_from_text(
    text: str,
    published: dt.date | None = None,
    id: str | None = None,  # noqa: A002 - the record field is called id
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    origin: str | None = None,
) -> Article:
    """An :class:`Article` for ``text``, with a stable id unless ``id`` is given.

    The id is the content hash: the first 16 hex digits of the SHA-256 of the NFC-normalised
    text, so the same article always gets the same id, whatever composed its accents.

    >>> article = article_from_text("Police fired tear gas in Nairobi.", dt.date(2024, 3, 4))
    >>> article.id
    '833b9a918fb72ed2'
    >>> article.published
    datetime.date(2024, 3, 4)
    """
    return Article(
        id=id if id else content_id(text),
        text=text,
        published=published,
        title=title,
        source=source,
        url=url,
        origin=origin,
    )


def content_id(text: str) -> str:
    """The stable id of an article's text.

    >>> content_id("Police fired tear gas in Nairobi.")
    '833b9a918fb72ed2'
    """
    normal = unicodedata.normalize("NFC", text)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def read_inputs(
    inputs: list[str],
    published: dt.date | None,
    max_bytes: int,
    *,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | InputError]:
    """Every article in ``inputs``, in order, with an :class:`InputError` for each bad one.

    ``published`` is the date given to articles that carry none; ``stdin`` (default: the
    process's standard input) is read for ``"-"``.

    >>> stdin = io.BytesIO(b"Police fired tear gas in Nairobi.")
    >>> for item in read_inputs(["-", "nope.txt"], dt.date(2024, 3, 4), 1000, stdin=stdin):
    ...     print(repr(item))
    Article(id='833b9a918fb72ed2', text='Police fired tear gas in Nairobi.', \
published=datetime.date(2024, 3, 4), title=None, source=None, url=None, origin='<stdin>')
    InputError('nope.txt: no such file or folder')
    """
    for name in inputs:
        if name == STDIN:
            yield from _read_stdin(stdin, published, max_bytes)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _read_folder(path, name, published, max_bytes)
        else:
            yield from _read_path(path, name, published, max_bytes)


def _read_folder(
    folder: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Article | InputError]:
    found: list[Path] = []
    unreadable: list[OSError] = []
    # os.walk does not follow symlinked folders, so a link loop cannot make this endless
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root) / f
            for f in files
            if not f.startswith(".") and f.lower().endswith(EXTENSIONS)
        )
    for err in unreadable:
        yield InputError(str(err.filename or origin), _os_reason(err))
    if not found and not unreadable:
        endings = ", ".join(EXTENSIONS)
        yield InputError(origin, f"folder has no files ending in {endings}")
    for path in sorted(found):
        yield from _read_path(path, str(path), published, max_bytes)


def _read_path(
    path: Path, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Article | InputError]:
    suffix = path.suffix.lower()
    try:
        # the size is checked before anything is read, so a huge file costs one stat call
        size = path.stat().st_size
    except OSError as err:
        yield InputError(origin, _os_reason(err))
        return
    regular = path.is_file()
    if regular and size == 0:
        yield InputError(origin, "empty file")
        return
    if suffix in _JSONL + _CSV:
        try:
            with path.open("rb") as stream:
                # records are decoded one by one; a file that is not text at all fails once
                refused = _not_text(stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES])
                if refused is not None:
                    yield InputError(origin, refused.reason)
                elif suffix in _JSONL:
                    yield from _read_jsonl(stream.readline, origin, published, max_bytes)
                else:
                    yield from _read_csv(stream, origin, published, max_bytes)
        except OSError as err:
            yield InputError(origin, _os_reason(err))
        return
    if regular and size > max_bytes:
        yield InputError(origin, _too_large(size, max_bytes))
        return
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as err:
        yield InputError(origin, _os_reason(err))
        return
    if len(data) > max_bytes:  # a pipe or device, whose size stat cannot tell
        yield InputError(origin, _too_large(len(data), max_bytes, at_least=True))
        return
    yield _article_from_bytes(data, origin, published, html=suffix in _HTML)


def _read_stdin(
    stdin: BinaryIO | None, published: dt.date | None, max_bytes: int
) -> Iterator[Article | InputError]:
    origin = "<stdin>"
    stream = stdin if stdin is not None else sys.stdin.buffer
    # the first line tells JSON lines (streamed, like a .jsonl file) from one article
    first = stream.readline(max_bytes + 1)
    if _looks_like_jsonl(first):
        pending = [first]

        def readline(limit: int) -> bytes:
            return pending.pop() if pending else stream.readline(limit)

        yield from _read_jsonl(readline, origin, published, max_bytes)
        return
    data = first + stream.read(max_bytes + 1 - len(first))
    if len(data) > max_bytes:
        yield InputError(origin, _too_large(len(data), max_bytes, at_least=True, what="input"))
        return
    if not data:
        yield InputError(origin, "empty input")
        return
    yield _article_from_bytes(data, origin, published, html=_looks_like_html(data))


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        head.startswith(b"<") and (b"<body" in head or b"<head" in head)
    )


def _looks_like_jsonl(line: bytes) -> bool:
    first = line.strip().removeprefix(codecs.BOM_UTF8)
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _article_from_bytes(
    data: bytes, origin: str, published: dt.date | None, *, html: bool
) -> Article | InputError:
    text = _decode(data)
    if isinstance(text, _Reason):
        return InputError(origin, text.reason)
    if not text.strip():
        return InputError(origin, "empty file (only whitespace)")
    if html:
        return _article_from_html(text, origin, {}, published)
    return article_from_text(text, published=published, origin=origin)


class _Reason:
    """Why bytes could not be decoded (kept apart from decoded text by its type)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _not_text(head: bytes) -> _Reason | None:
    """Why bytes (a whole input, or the head of one) cannot be text, if they cannot."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _Reason("not UTF-8: the file is UTF-32 (byte-order mark); convert it to UTF-8")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _Reason("not UTF-8: the file is UTF-16 (byte-order mark); convert it to UTF-8")
    if b"\x00" in head:
        return _Reason("binary file (contains NUL bytes), not text")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return _Reason("binary file (mostly control characters), not text")
    return None


def _decode(data: bytes) -> str | _Reason:
    refused = _not_text(data)
    if refused is not None:
        return refused
    try:
        # utf-8-sig drops a leading byte-order mark, which is not part of the article
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # no guessing at other encodings: a wrong guess would silently garble names and places
        byte = data[err.start]
        return _Reason(
            f"not UTF-8 (byte 0x{byte:02x} at offset {err.start} is invalid); "
            "convert it to UTF-8, e.g. iconv -f latin1 -t utf-8"
        )
    return text


def _read_jsonl(
    readline: Callable[[int], bytes], origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Article | InputError]:
    records = 0
    lineno = 0
    while True:
        raw = readline(max_bytes + 1)
        if not raw:
            break
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(raw.rstrip(b"\r\n")) > max_bytes:
            yield InputError(where, _too_large(len(raw), max_bytes, at_least=True, what="line"))
            # skip the rest of the line in bounded chunks, never holding it whole
            while raw and not raw.endswith(b"\n"):
                raw = readline(1 << 20)
            records += 1
            continue
        if not raw.strip():
            continue
        records += 1
        line = _decode(raw)
        if isinstance(line, _Reason):
            yield InputError(where, line.reason)
            continue
        try:
            record = json.loads(line.strip())
        except json.JSONDecodeError as err:
            problem = err.msg.removesuffix(" at")
            yield InputError(where, f"not valid JSON ({problem}, column {err.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, f"a record must be a JSON object, not {_json_type(record)}")
            continue
        yield _article_from_record(record, where, published, max_bytes)
    if records == 0:
        yield InputError(origin, "no records (only blank lines)")


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _read_csv(
    stream: io.BufferedIOBase, origin: str, published: dt.date | None, max_bytes: int
) -> Iterator[Article | InputError]:
    # csv refuses fields over 128 KiB by default, and an article's html is often longer; the
    # limit is process-wide, so it is only ever raised
    if csv.field_size_limit() < max_bytes + 1:
        csv.field_size_limit(max_bytes + 1)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        try:
            header = reader.fieldnames
        except UnicodeDecodeError:
            yield InputError(origin, _NOT_UTF8)
            return
        except csv.Error as err:
            yield InputError(origin, f"not valid CSV ({err})")
            return
        columns = {(name or "").strip().lower(): name for name in header or []}
        if "text" not in columns and "html" not in columns:
            shown = ", ".join(repr(name) for name in (header or [])[:8]) or "none"
            yield InputError(origin, f"CSV has no 'text' or 'html' column (columns: {shown})")
            return
        records = 0
        start = reader.line_num + 1
        while True:
            where = f"{origin}:{start}"
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                yield InputError(where, _NOT_UTF8)
                return
            except csv.Error as err:
                yield InputError(where, f"not valid CSV ({err})")
                return
            start = reader.line_num + 1
            records += 1
            record = {key: row.get(name) for key, name in columns.items()}
            yield _article_from_record(record, where, published, max_bytes)
        if records == 0:
            yield InputError(origin, "no records (only a header)")
    finally:
        # the caller closes the byte stream; detaching keeps the wrapper from closing it twice
        text.detach()


def _article_from_record(
    record: dict[str, Any], where: str, default: dt.date | None, max_bytes: int
) -> Article | InputError:
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return InputError(where, f"'{name}' must be a string, not {_json_type(value)}")
    fields: dict[str, str | None] = {}
    for name in _RECORD_FIELDS:
        value = record.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            fields[name] = None
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            fields[name] = str(value).strip()
        else:
            return InputError(where, f"'{name}' must be a string, not {_json_type(value)}")
    own_date: dt.date | None = None
    if fields["published"] is not None:
        own_date = _parse_published(fields["published"])
        if own_date is None:
            return InputError(
                where,
                f"published is not a date (expected YYYY-MM-DD): {fields['published']!r}",
            )
    body = text if text and text.strip() else html if html and html.strip() else None
    if body is None:
        return InputError(where, "record has no text (expected a non-empty 'text' or 'html')")
    if len(body) > max_bytes:
        return InputError(where, _too_large(len(body), max_bytes, what="record"))
    if body is text:
        return article_from_text(
            text,
            published=own_date or default,
            id=fields["id"],
            title=fields["title"],
            source=fields["source"],
            url=fields["url"],
            origin=where,
        )
    meta = {name: value for name, value in fields.items() if value is not None}
    return _article_from_html(body, where, meta, own_date or default, own_date is not None)


def _article_from_html(
    html: str,
    origin: str,
    meta: dict[str, str],
    published: dt.date | None,
    date_given: bool = False,
) -> Article | InputError:
    # imported here: trafilatura (lxml, htmldate, justext) costs ~0.3 s and most inputs are text
    import trafilatura

    # the page is parsed from the string: trafilatura fetches nothing unless given a URL to fetch
    page = trafilatura.bare_extraction(
        html,
        url=meta.get("url"),
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    text = page.text if page is not None else None
    if not text or not text.strip():
        return InputError(origin, "no article text found in the HTML")
    if not date_given and page.date:
        published = _parse_published(page.date) or published
    return article_from_text(
        text,
        published=published,
        id=meta.get("id"),
        title=meta.get("title") or page.title,
        source=meta.get("source") or page.sitename,
        url=meta.get("url") or page.url,
        origin=origin,
    )


def _parse_published(value: str) -> dt.date | None:
    """``YYYY-MM-DD``, or an ISO timestamp whose date part is taken."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _too_large(size: int, limit: int, *, at_least: bool = False, what: str = "file") -> str:
    more = "more than " if at_least else ""
    return (
        f"{what} too large ({more}{_human(size)}; the limit is {_human(limit)}, "
        "set by EVENTCODER_MAX_BYTES)"
    )


def _human(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or folder"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a folder"
    return (err.strerror or str(err)).lower()
