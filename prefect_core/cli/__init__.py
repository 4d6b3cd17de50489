"""The `prefect-core` command line (also `python -m prefect_core`).

For now it has one command, `version`; the CLI issue adds `run`, `visualize`, `inspect`
and `config`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from prefect_core._version import PREFECT_API_VERSION, __version__


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `prefect-core`."""
    parser = argparse.ArgumentParser(
        prog="prefect-core",
        description="prefect_core: a fast engine for Prefect 1.x Core flows.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    commands.add_parser("version", help="print the prefect_core version and API level")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad usage, via argparse)."""
    arguments = build_parser().parse_args(argv)
    if arguments.command == "version":
        print(f"prefect_core {__version__} (Prefect Core API {PREFECT_API_VERSION})")
    return 0
