"""Finding the flow a command works on: `-p/--path` or `-m/--module`, then `-n/--name`.

`--path` runs a Python file with `runpy.run_path(path, run_name="<flow>")`, its folder
first on `sys.path`, inside `context(loading_flow=True, local_script_path=path)`: a
`flow.run()` under `if __name__ == "__main__":` does not run, and one at module level
warns and does nothing. `--module` imports a dotted name that is a module (its flows are
the candidates) or `module.attribute` naming a flow; the current folder is put on
`sys.path` first, as `python -m` does. The folders stay on `sys.path` while the command
runs, so worker processes can import the helper modules a flow file imports.

Every problem (no such file, an import error, no flow, several flows and no name, an
unknown name) is a `CliError`: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import runpy
import sys
from types import ModuleType
from typing import Any

from prefect_core.cli.errors import CliError, describe_exception
from prefect_core.core.flow import Flow
from prefect_core.utilities.context import context


def add_location_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `-p/--path`, `-m/--module` and `-n/--name` to a command's parser."""
    location = parser.add_argument_group("flow location (exactly one of -p/--path, -m/--module)")
    location.add_argument("-p", "--path", help="a Python file that builds the flow")
    location.add_argument(
        "-m", "--module", help="an importable module (or module.attribute) holding the flow"
    )
    location.add_argument(
        "-n", "--name", help="the name of the flow to use when the location holds several"
    )


def load_flow(arguments: argparse.Namespace, purpose: str = "run") -> Flow:
    """The flow named by the command's location arguments (see the module docstring).

    Args:
        arguments: parsed arguments with `path`, `module` and `name`.
        purpose: the verb used in the "several flows" error ("run", "inspect", ...).
    """
    check_location(arguments)
    path, module, name = arguments.path, arguments.module, arguments.name
    if path is not None:
        flows, location = load_flows_from_script(path), path
    else:
        flows, location = load_flows_from_module(module), module
        if len(flows) == 1 and name is None:
            name = flows[0].name
    return select_flow(flows, name, location, purpose)


def check_location(arguments: argparse.Namespace) -> None:
    """Refuse a command given neither or both of `--path` and `--module`."""
    path, module = arguments.path, arguments.module
    if path is None and module is None:
        raise CliError(
            "Received no options to look up the flow; specify one of -p/--path or -m/--module."
        )
    if path is not None and module is not None:
        raise CliError(
            "Received too many options to look up the flow; specify only one of -p/--path "
            "or -m/--module."
        )


def load_flows_from_script(path: str) -> list[Flow]:
    """Run the Python file at `path` and return the flows among its globals."""
    absolute_path = os.path.abspath(path)
    if os.path.isdir(absolute_path):
        raise CliError(f"Not a file but a folder: {absolute_path!r}")
    if not os.path.isfile(absolute_path):
        raise CliError(f"File does not exist: {absolute_path!r}")
    sys.path.insert(0, os.path.dirname(absolute_path))
    try:
        with context(loading_flow=True, local_script_path=absolute_path):
            namespace = runpy.run_path(absolute_path, run_name="<flow>")
    except (Exception, SystemExit) as error:
        raise CliError(
            f"Error while loading flows from {path!r}: "
            f"{describe_exception(error, absolute_path)}"
        ) from error
    return _unique_flows(namespace.values())


def load_flows_from_module(name: str) -> list[Flow]:
    """Import `name` (a module, or `module.attribute`) and return the flows it names."""
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    with context(loading_flow=True):
        found = _import_object(name)
    if isinstance(found, Flow):
        return [found]
    if isinstance(found, ModuleType):
        return _unique_flows(vars(found).values())
    raise CliError(
        f"Invalid object of type {type(found).__name__!r} found at {name!r}. "
        "Expected Module or Flow."
    )


def _import_object(name: str) -> Any:
    """The module `name`, or attribute `x` of module `a.b` for `name = "a.b.x"`."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if not _names_module(error, name):
            raise CliError(
                f"Error loading flow from module {name!r}: {describe_exception(error)}"
            ) from error
        if "." not in name:
            raise CliError(str(error)) from error
        missing = error
    except (Exception, SystemExit) as error:
        raise CliError(
            f"Error loading flow from module {name!r}: {describe_exception(error)}"
        ) from error
    module_name, _, attribute = name.rpartition(".")
    module = _import_object(module_name)
    if not hasattr(module, attribute):
        if isinstance(module, ModuleType):
            raise CliError(
                f"Module {module_name!r} has no attribute {attribute!r} (and there is no "
                f"module {name!r})"
            ) from missing
        raise CliError(f"{type(module).__name__} {module_name!r} has no attribute {attribute!r}")
    return getattr(module, attribute)


def _names_module(error: ModuleNotFoundError, name: str) -> bool:
    """Whether the missing module is `name` or one of its parents (not one it imports)."""
    missing = error.name or ""
    return bool(missing) and (name == missing or name.startswith(missing + "."))


def select_flow(flows: list[Flow], name: str | None, location: str, purpose: str) -> Flow:
    """The one flow among `flows` to use: the only one, or the one called `name`."""
    listed = ", ".join(repr(flow.name) for flow in flows)
    if not flows:
        raise CliError(f"Found no flows at {location}.")
    if name is None:
        if len(flows) > 1:
            raise CliError(
                f"Found multiple flows at {location!r}: {listed}. Specify a flow name to "
                f"{purpose} with -n/--name."
            )
        return flows[0]
    matching = [flow for flow in flows if flow.name == name]
    if not matching:
        raise CliError(f"Did not find {name!r} in flows at {location}. Found {listed}")
    if len(matching) > 1:
        raise CliError(
            f"Found {len(matching)} flows named {name!r} at {location}; give them distinct "
            "names."
        )
    return matching[0]


def _unique_flows(values: Any) -> list[Flow]:
    """The `Flow` objects among `values`, each once, in order of first appearance."""
    by_identity = {id(value): value for value in values if isinstance(value, Flow)}
    return list(by_identity.values())
