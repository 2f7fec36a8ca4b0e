"""Throughput of extract with a trained model beside extract without one, on the pinned corpus.

Usage::

    python benchmarks/bench_model.py --model DIR [--rounds N] [--limit N]

Each round runs, in one fresh child process per side (so both start with empty per-process
caches, as a real batch does), one pass of ``Pipeline(PipelineConfig())`` and one of
``Pipeline(PipelineConfig(model_dir=DIR))`` over the same texts, the order alternating between
rounds. Reported: articles/s of each side per round and the median ratio with/without, against
the target of issue 3 (at least 0.8). Start-up (loading the model, building the larger actor
phrase table once) is timed apart and not counted in the throughput.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 0.8


def _child(texts_file: str, model: str | None) -> None:
    import datetime as dt

    from eventcoder.config import PipelineConfig
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import Pipeline

    texts = []
    for line in Path(texts_file).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        published = dt.date.fromisoformat(record["published"]) if record["published"] else None
        texts.append((record["text"], published))
    start = time.perf_counter()
    pipe = Pipeline(PipelineConfig(model_dir=model))
    pipe(article_from_text(texts[0][0], published=texts[0][1]))
    startup = time.perf_counter() - start
    start = time.perf_counter()
    for text, published in texts:
        pipe(article_from_text(text, published=published))
    seconds = time.perf_counter() - start
    print(json.dumps({"startup": startup, "seconds": seconds, "articles": len(texts)}))


def _run(texts_file: str, model: str | None) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", texts_file] + (["--model", model] if model else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model directory made by `eventcoder train` (required)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=500, help="ACLED texts per pass (default 500)")
    parser.add_argument("--child", metavar="TEXTS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.model)
        return 0
    if not args.model:
        parser.error("--model DIR is required")
    sys.path.insert(0, str(HERE))
    import corpus  # noqa: PLC0415  (a script beside this one)

    texts = corpus.load(limit=args.limit).texts
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = str(Path(tmp) / "texts.jsonl")
        with open(texts_file, "w", encoding="utf-8") as out:
            for t in texts:
                published = t.published.isoformat() if t.published else None
                out.write(json.dumps({"text": t.text, "published": published}) + "\n")
        for round_no in range(args.rounds):
            sides = [None, args.model] if round_no % 2 == 0 else [args.model, None]
            result = {str(side): _run(texts_file, side) for side in sides}
            without, with_model = result["None"], result[args.model]
            rate0 = without["articles"] / without["seconds"]
            rate1 = with_model["articles"] / with_model["seconds"]
            ratios.append(rate1 / rate0)
            print(f"round {round_no + 1}: without {rate0:.1f} articles/s, with the model {rate1:.1f} "
                  f"articles/s (ratio {rate1 / rate0:.2f}); start-up {without['startup']:.1f} s vs "
                  f"{with_model['startup']:.1f} s", flush=True)
    median = statistics.median(ratios)
    verdict = "meets" if median >= TARGET_RATIO else "misses"
    print(f"median ratio with/without the model: {median:.2f} ({verdict} the target {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
