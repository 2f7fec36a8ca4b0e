"""eventcoder: news about armed conflict, political violence and protest, coded as ACLED-style
event data with evidence spans.

>>> import eventcoder
>>> events = eventcoder.extract(text, published="2018-05-29")     # doctest: +SKIP
"""

from eventcoder.config import PipelineConfig
from eventcoder.errors import (
    DataError,
    EventcoderError,
    ExtraMissingError,
    InputError,
    ModelError,
)
from eventcoder.model import Article, Document, Event, Evidence
from eventcoder.pipeline import Pipeline, extract, get_pipeline

__all__ = [
    "Article",
    "DataError",
    "Document",
    "Event",
    "EventcoderError",
    "Evidence",
    "ExtraMissingError",
    "InputError",
    "ModelError",
    "Pipeline",
    "PipelineConfig",
    "extract",
    "get_pipeline",
]
__version__ = "0.1.0"
