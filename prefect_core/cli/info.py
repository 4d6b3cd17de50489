"""`prefect-core version` and `prefect-core config`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from prefect_core._version import PREFECT_API_VERSION, __version__


def add_commands(commands: Any) -> None:
    """Register `version` and `config` on the `prefect-core` subcommands."""
    version = commands.add_parser(
        "version",
        help="print the prefect_core version and API level",
        description="Print the prefect_core version and the Prefect Core API level it "
        "implements.",
    )
    version.set_defaults(handler=version_command)
    config = commands.add_parser(
        "config",
        help="print the effective configuration as JSON",
        description="Print the configuration in effect (defaults, user file, environment "
        "variables) as JSON.",
    )
    config.set_defaults(handler=config_command)


def version_command(arguments: argparse.Namespace) -> int:
    """Print `prefect_core <version> (Prefect Core API 1.4.1)`."""
    print(f"prefect_core {__version__} (Prefect Core API {PREFECT_API_VERSION})")
    return 0


def config_command(arguments: argparse.Namespace) -> int:
    """Print the effective configuration as indented JSON (values JSON cannot hold are
    written as strings)."""
    from prefect_core import config

    print(json.dumps(config.to_dict(), indent=2, default=str))
    return 0
