"""The README's commands are the ones CI and users run: keep them true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.startswith("    python3 -m venv")]


def test_readme_has_the_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    run, test = commands
    assert "eventcoder extract examples/" in run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test = _readme_commands()[1]
    assert test in ci.splitlines()


def test_readme_example_article_exists_and_is_ours() -> None:
    run = _readme_commands()[0]
    path = re.search(r"extract (\S+)", run)
    assert path and (ROOT / path.group(1)).is_file()


def test_every_cli_command_is_documented() -> None:
    from eventcoder.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        assert f"eventcoder {name}" in readme, f"`eventcoder {name}` is not in the README"


def test_geonames_is_attributed() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "GeoNames" in readme and "CC BY 4.0" in readme
