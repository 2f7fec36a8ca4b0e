"""The cache folder's pickles (eventcoder/cache.py): compiled expressions kept between processes
must be the patterns ``re.compile`` makes, and a damaged cache is built again, never fatal."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventcoder import cache
from eventcoder.cache import compile_regex

_PATTERNS = [
    (r"(?i)air ?strikes?", 0),
    (r"(?P<owner>Kenya|Mali)(?:'s|\u2019s)?\s+government|government\s+of\s+(?P<of>\w+)", re.I),
    (r"(?<![\w-])(?:shot dead|gunm[ae]n)(?![\w])", re.IGNORECASE),
    (r"^\s*(\d{1,2})[/.](\d{1,2})\s*$", re.M),
    (r"""(?P<num> \d+ )   # digits
         \s* (?P<unit> km|kilomet(?:re|er)s? )""", re.I | re.X),
    (r"[\u0600-\u06ff]+|\bİdlib\b", 0),
    (r"(?-i:[A-Z])\w+(?i:ville)", 0),
    (r"", 0),
]


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder; the tests make their own ``_RegexCache``, as a new process would."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVENTCODER_CACHE", str(folder))
    return folder


def _regex_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("regexes-*.pickle"))


@pytest.mark.parametrize(("pattern", "flags"), _PATTERNS)
def test_a_compiled_expression_is_the_one_re_compiles(pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    made = compile_regex(pattern, flags)
    # Pattern equality compares the pattern, the flags and the compiled code
    assert made == expected
    assert (made.flags, made.groups, made.groupindex) == (
        expected.flags, expected.groups, expected.groupindex)
    assert compile_regex(pattern, flags) is made  # once per process


def test_every_cue_family_compiles_as_re_would() -> None:
    from eventcoder.lexicon import lexicon

    lex = lexicon()
    for name, source in lex._sources.items():
        assert lex._pattern(name) == re.compile(source, re.IGNORECASE), name


@pytest.mark.parametrize(("pattern", "flags"), _PATTERNS)
def test_a_new_process_reads_the_kept_expression(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, flags: int
) -> None:
    first = cache._RegexCache()
    expected = first.compile(pattern, flags)
    first.save()
    [kept] = _regex_files(fresh_cache)
    second = cache._RegexCache()

    def no_parse(*_args: object) -> None:
        raise AssertionError("parsed again instead of read from the cache")

    monkeypatch.setattr(cache._parser, "parse", no_parse)
    read = second.compile(pattern, flags)
    assert read == expected == re.compile(pattern, flags)
    assert read.groupindex == expected.groupindex
    text = "Gunmen shot dead 12 in Ouagadougou; an airstrike hit İdlib 5 km away. Townville 3/4"
    assert [m.span() for m in read.finditer(text)] == [
        m.span() for m in re.finditer(pattern, text, flags)]
    second.save()  # nothing new: the file is left as it is
    assert _regex_files(fresh_cache) == [kept]


def test_a_bad_expression_raises_as_re_does(fresh_cache: Path) -> None:
    with pytest.raises(re.error, match="missing \\)"):
        cache._RegexCache().compile("arrested(", 0)
    assert _regex_files(fresh_cache) == []


@pytest.mark.parametrize("content", [b"not a pickle", b"", pickle.dumps(["a", "list"])])
def test_a_corrupt_regex_cache_is_built_again(fresh_cache: Path, content: bytes) -> None:
    first = cache._RegexCache()
    first.compile(r"(?i)air ?strikes?", 0)
    first.save()
    [kept] = _regex_files(fresh_cache)
    kept.write_bytes(content)
    again = cache._RegexCache()
    assert again.compile(r"(?i)air ?strikes?", 0) == re.compile(r"(?i)air ?strikes?")
    again.save()
    assert (r"(?i)air ?strikes?", 0) in pickle.loads(kept.read_bytes())
    assert not list(fresh_cache.glob("*.tmp"))


def test_a_damaged_entry_is_compiled_again(fresh_cache: Path) -> None:
    first = cache._RegexCache()
    first.compile(r"(?i)air ?strikes?", 0)
    first.save()
    [kept] = _regex_files(fresh_cache)
    entries = pickle.loads(kept.read_bytes())
    flags, code, groups, groupindex, indexgroup = entries[(r"(?i)air ?strikes?", 0)]
    entries[(r"(?i)air ?strikes?", 0)] = (flags, [999_999, *code], groups, groupindex, indexgroup)
    kept.write_bytes(pickle.dumps(entries))
    assert cache._RegexCache().compile(r"(?i)air ?strikes?", 0) == re.compile(r"(?i)air ?strikes?")


def test_an_unwritable_cache_folder_is_skipped(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("EVENTCODER_CACHE", str(blocker / "cache"))
    made = cache._RegexCache()
    assert made.compile(r"\bfoo\b", re.I).search("a FOO b") is not None
    made.save()


def test_a_process_saves_the_expressions_it_added_when_it_exits(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    env = {**os.environ, "EVENTCODER_CACHE": str(folder)}
    code = ("import re; from eventcoder.cache import compile_regex; "
            "compile_regex(r'(?i)tear ?gas', re.I); compile_regex(r'water cannons?')")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    [kept] = _regex_files(folder)
    assert set(pickle.loads(kept.read_bytes())) == {(r"(?i)tear ?gas", int(re.I)),
                                                    (r"water cannons?", 0)}
    # a second process adds its own to those kept
    code = "from eventcoder.cache import compile_regex; compile_regex(r'rubber bullets?')"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert len(pickle.loads(kept.read_bytes())) == 3


def test_past_the_limit_a_save_keeps_what_the_process_used(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_MAX_REGEXES", 3)
    first = cache._RegexCache()
    for word in ("alpha", "beta", "gamma"):
        first.compile(word, 0)
    first.save()
    second = cache._RegexCache()
    second.compile("delta", 0)
    second.compile("alpha", 0)
    second.save()
    [kept] = _regex_files(fresh_cache)
    assert set(pickle.loads(kept.read_bytes())) == {("delta", 0), ("alpha", 0)}


_LOADERS = """
import sys
from eventcoder import cache, capitals, clean, dates, fatalities, places
from eventcoder.lexicon import lexicon

dates._lexicon(); fatalities._lexicon(); places.place_words(); places.country_cues()
capitals.national_seats(); clean.load_boilerplate(); lexicon().patterns
print(sorted(cache._REGEXES._compiled) != [], cache._REGEXES._added)
"""


def test_the_data_files_make_the_same_expressions_in_every_process(tmp_path: Path) -> None:
    # the alternations of data words are built from sets, whose order changes with the hash
    # seed: were the pattern text to change with it, every process would compile it again
    env = {**os.environ, "EVENTCODER_CACHE": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", _LOADERS], env={**env, "PYTHONHASHSEED": seed},
                       check=True, timeout=120, capture_output=True, text=True).stdout.split()
        for seed in ("1", "2")
    ]
    assert runs == [["True", "True"], ["True", "False"]]  # the second process added nothing
