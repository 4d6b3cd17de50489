"""`--param`, `--param-file` and `--context` values, and checking them against the flow.

A `KEY=VALUE` value is read as JSON (`n=3`, `xs=[1,2]`, `flag=true`, `name="Marvin"`).
When that fails with "Expecting value" or "Extra data" and the value holds no `"`, it is
taken as a plain string (`name=Marvin`, `day=2024-01-01`), as Prefect 1.4.1 does;
otherwise the JSON error is reported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from prefect_core.cli.errors import CliError
from prefect_core.core.flow import Flow


def parse_key_values(items: Iterable[str], kind: str) -> dict[str, Any]:
    """`{key: value}` from `KEY=VALUE` strings (see the module docstring).

    Args:
        items: the option's values, in command-line order (a later key wins).
        kind: what the values are ("parameter", "context"), for error messages.
    """
    parsed: dict[str, Any] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise CliError(f"Invalid {kind} option {item!r}. Expected format 'key=value'.")
        parsed[key.strip()] = _json_or_string(value, key.strip(), kind)
    return parsed


def _json_or_string(value: str, key: str, kind: str) -> Any:
    try:
        return json.loads(value)
    except ValueError as error:
        plain_text = "Extra data" in str(error) or "Expecting value" in str(error)
        if plain_text and '"' not in value:
            return value
        raise CliError(
            f"Failed to parse JSON for {kind} {key!r} with value {value!r}. Ensure JSON is "
            f"valid (including quotes). Details: {error}"
        ) from error


def read_parameter_file(path: str) -> dict[str, Any]:
    """The parameters in the JSON file at `path` (a JSON object)."""
    absolute_path = os.path.abspath(path)
    try:
        with open(absolute_path, encoding="utf-8") as file:
            loaded = json.load(file)
    except FileNotFoundError as error:
        raise CliError(f"Parameter file does not exist: {absolute_path!r}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"Could not read parameter file {path!r}: {error}") from error
    except ValueError as error:
        raise CliError(f"Failed to parse JSON at {path!r}: {error}") from error
    if not isinstance(loaded, dict):
        raise CliError(
            f"Parameter file {path!r} must hold a JSON object of parameter values, not a "
            f"JSON {type(loaded).__name__}."
        )
    return loaded


def merge_parameters(
    from_file: dict[str, Any], from_cli: dict[str, Any], say: Callable[[str], None]
) -> dict[str, Any]:
    """File parameters overridden by command-line ones; `say` reports overridden keys."""
    overridden = sorted(from_file.keys() & from_cli.keys())
    if overridden:
        listed = ", ".join(repr(key) for key in overridden)
        say(
            "The following parameters were specified by file and CLI, the CLI value will be "
            f"used: {{{listed}}}"
        )
    return {**from_file, **from_cli}


def check_parameters(flow: Flow, parameters: dict[str, Any]) -> None:
    """Refuse parameters the flow does not have, and missing required ones (the messages
    of `flow.run`, plus a hint)."""
    from prefect_core.engine.flow_run_loop import check_parameters as check_run_parameters

    try:
        check_run_parameters(flow, parameters, {})
    except ValueError as error:
        if "unexpected" in str(error):
            known = ", ".join(sorted(p.name for p in flow.parameters())) or "none"
            hint = f"flow {flow.name!r} has parameters: {known}"
        else:
            hint = "give them with --param NAME=VALUE or --param-file"
        raise CliError(f"{error} ({hint})") from None
