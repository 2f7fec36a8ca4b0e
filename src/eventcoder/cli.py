"""Command-line shell (placeholder until the CLI module lands)."""


def main() -> None:
    raise SystemExit("eventcoder CLI not built yet")
