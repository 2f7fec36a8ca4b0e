"""Acceptance 1 of issue 5: a batch run killed with SIGKILL at random points and started again
ends with exactly the store of an uninterrupted run: same article and event ids, counts and
fields, no duplicates, nothing lost.

Each run is a real ``python -m eventcoder run`` subprocess. A ``sitecustomize.py`` put first on
its PYTHONPATH swaps in the placed stub pipeline (``test_run.PlacedStub``: reports of one town and
day from different articles merge), slowed to a few milliseconds per article so that a run lasts
long enough to be killed in the middle. The kill points are drawn at
random (the seed is in the failure message): a few moments after the start (before the first
commit), after a random time with two workers, after a random number of articles more than the
run started with (mid-run, some with two worker processes), and once every article is stored
(between the last chunk and the merge, or during it).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventcoder.store import open_store

from test_run import corpus_records, write_jsonl
from test_store import postgres_url, store_target  # noqa: F401 - fixtures

TESTS = Path(__file__).resolve().parent
ARTICLES = 360

_SITECUSTOMIZE = f"""
import sys, time
sys.path.insert(0, {str(TESTS)!r})
import test_run
import eventcoder.pipeline


class Slow(test_run.PlacedStub):
    def __call__(self, article):
        time.sleep(0.01)
        return super().__call__(article)


eventcoder.pipeline.get_pipeline = lambda config=None: Slow(config)
"""


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(hook), *filter(None, [env.get("PYTHONPATH")])])
    return env


def start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "eventcoder", "run", *args],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: its pool workers are killed with it
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the run (its main process first, as `kill -9 PID` would), then its workers."""
    try:
        os.kill(proc.pid, signal.SIGKILL)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)
    assert proc.stderr is not None
    proc.stderr.close()


def stored(target: str) -> int:
    with open_store(target) as store:
        return store.counts()["articles"]


def test_killed_runs_resume_to_the_uninterrupted_store(
    tmp_path: Path, environment: dict[str, str], store_target: str
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", corpus_records(ARTICLES))

    baseline_db = str(tmp_path / "baseline.sqlite")
    whole = start([str(corpus), "--db", baseline_db], environment, tmp_path)
    _, err = whole.communicate(timeout=600)
    assert whole.returncode == 0, err.decode()
    with open_store(baseline_db) as store:
        expected = store.dump()
    assert len(expected["articles"]) == ARTICLES and expected["events"]
    assert not expected["dirty_blocks"]
    # the merge joined reports of different articles (the last column but one: sources)
    assert max(row[13] for row in expected["events"]) > 1

    # kill points: (what to wait for, its value, how many workers)
    points: list[tuple[str, float, str]] = [
        ("seconds", rng.uniform(0.05, 0.4), "1"),  # while starting, before the first commit
        ("seconds", rng.uniform(0.3, 0.9), "2"),
        # after a random number of articles more than the store held when the run started
        *[("more", rng.randrange(1, 25), rng.choice("12")) for _ in range(5)],
        ("more", ARTICLES, "1"),  # every article stored: killed before or during the merge
    ]
    history = []
    for kind, value, workers in points:
        before = stored(store_target)
        proc = start([str(corpus), "--db", store_target, "--workers", workers],
                     environment, tmp_path)
        began = time.monotonic()
        while proc.poll() is None and time.monotonic() - began < 120:
            if kind == "seconds" and time.monotonic() - began >= value:
                break
            if kind == "more" and stored(store_target) >= min(before + value, ARTICLES):
                break
            time.sleep(0.005)
        finished = proc.poll() is not None
        kill(proc)
        history.append((kind, round(value, 3), workers, before, stored(store_target), finished))

    final = start([str(corpus), "--db", store_target], environment, tmp_path)
    _, err = final.communicate(timeout=600)
    assert final.returncode == 0, err.decode()
    with open_store(store_target) as store:
        got = store.dump()
    context = (f"seed {seed}; kills (point, value, workers, articles stored before and after, "
               f"had finished): {history}")
    # the runs were really interrupted mid-way: at least five kills after some articles were
    # stored and before all were
    assert sum(
        1 for *_, before, after, done in history if before < after < ARTICLES and not done
    ) >= 5, context
    assert got == expected, context
    ids = [row[0] for row in got["events"]]
    assert len(ids) == len(set(ids)), context
