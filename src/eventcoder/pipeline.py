"""The pipeline: stages built once from a config, applied to one document at a time."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator

from eventcoder.config import PipelineConfig
from eventcoder.errors import EventcoderError
from eventcoder.model import Article, Document, Event

Stage = Callable[[Document], Document]


def _unchanged(doc: Document) -> Document:
    return doc


class Pipeline:
    """Every stage of DESIGN.md, built once from ``config``.

    >>> pipe = Pipeline(PipelineConfig())            # doctest: +SKIP
    >>> doc = pipe(Article(id="a1", text="...", published=dt.date(2018, 5, 29)))  # doctest: +SKIP
    """

    def __init__(self, config: PipelineConfig | None = None) -> None:
        from eventcoder import actors, clean, dates, events, fatalities, merge, nlp, places

        self.config = config or PipelineConfig()
        built = self.config
        # the two stages of a model (no-ops without one); learned.py is imported only for a model,
        # which a cold start of one article seldom has
        model_places: Stage = _unchanged
        learned_stage: Stage = _unchanged
        if self.config.model_dir is not None:
            from eventcoder import learned

            # a model's actor entries load through the same path as a user's extra actor file
            built = learned.stage_config(self.config)
            model_places = learned.make_model_places(built)
            learned_stage = learned.make_learned(built)
        self.stages: list[tuple[str, Stage]] = [
            ("clean", clean.make_clean(built)),
            ("nlp", nlp.make_nlp(built)),
            ("actors", actors.make_actors(built)),
            ("places", places.make_places(built)),
            ("model_places", model_places),
            ("dates", dates.make_dates(built)),
            ("fatalities", fatalities.make_fatalities(built)),
            ("events", events.make_events(built)),
            ("learned", learned_stage),
            ("merge", merge.make_merge(built)),
        ]

    def __call__(self, article: Article) -> Document:
        doc = Document(article=article)
        for _name, stage in self.stages:
            doc = stage(doc)
            if doc.language is not None and doc.language != "en":
                break
        return doc

    def process(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Run every article through the pipeline, one at a time."""
        for article in articles:
            yield self(article)


@functools.lru_cache(maxsize=4)
def get_pipeline(config: PipelineConfig | None = None) -> Pipeline:
    """The process-wide pipeline for ``config`` (built on first use, then reused)."""
    return Pipeline(config or PipelineConfig())


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """Accept ``YYYY-MM-DD`` strings and dates; ``None`` passes through."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as err:
        raise EventcoderError(f"not a date (expected YYYY-MM-DD): {value!r}") from err


def extract(
    text: str,
    published: str | dt.date | None = None,
    *,
    article_id: str | None = None,
    source: str | None = None,
    config: PipelineConfig | None = None,
) -> list[Event]:
    """The events in one article's ``text``, published on ``published`` by the outlet(s)
    ``source`` (its home country stands for the country the text does not name: outlets.py).

    >>> events = extract("On Monday, police fired tear gas at protesters in Nairobi.",
    ...                  published="2024-03-06")                       # doctest: +SKIP
    >>> events[0].sub_event_type                                       # doctest: +SKIP
    'Protest with intervention'
    """
    from eventcoder.ingest import article_from_text

    article = article_from_text(text, published=parse_date(published), id=article_id,
                                source=source)
    return get_pipeline(config)(article).events
