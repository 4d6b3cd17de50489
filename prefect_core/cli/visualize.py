"""`prefect-core visualize`: draw a flow's graph into a file with Graphviz.

The file is `-o/--output` (default: `<flow name>.<format>` in the current folder). The
format is `--format`, else the output's extension when Graphviz knows it, else `pdf`;
an output without that extension gets it appended (`-o graph --format svg` writes
`graph.svg`). Drawing needs the Graphviz `dot` program: without it the command fails
with a one-line error (exit code 2) saying how to install it.
"""

from __future__ import annotations

import argparse
import os
import re
from typing import Any

from prefect_core.cli.errors import CliError
from prefect_core.cli.loading import add_location_arguments, load_flow

DEFAULT_FORMAT = "pdf"


def add_command(commands: Any) -> None:
    """Register `visualize` on the `prefect-core` subcommands."""
    parser = commands.add_parser(
        "visualize",
        help="draw a flow's graph into a file (needs Graphviz's dot)",
        description="Draw a flow's graph (tasks and edges; mapped tasks as boxes, mapped "
        "edges dashed) into a file with Graphviz.",
    )
    add_location_arguments(parser)
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="the file to write (default: <flow name>.<format>)"
    )
    parser.add_argument(
        "--format",
        metavar="FORMAT",
        help=f"a Graphviz output format: pdf, png, svg, ... (default: from the output's "
        f"extension, else {DEFAULT_FORMAT})",
    )
    parser.add_argument(
        "--horizontal", action="store_true", help="lay the graph out left to right"
    )
    parser.set_defaults(handler=visualize_command)


def visualize_command(arguments: argparse.Namespace) -> int:
    """Write the graph of the flow the arguments name; prints the file written."""
    graphviz = _import_graphviz()
    output_format = _output_format(arguments.format, arguments.output, graphviz.FORMATS)
    flow = load_flow(arguments, purpose="visualize")
    output = arguments.output or f"{_file_stem(flow.name)}.{output_format}"
    stem, extension = os.path.splitext(output)
    if extension.lower() != f".{output_format}":
        stem = output
    try:
        flow.visualize(filename=stem, format=output_format, horizontal=arguments.horizontal)
    except graphviz.ExecutableNotFound as error:
        raise CliError(f"Cannot draw the flow: {error}") from error
    except graphviz.CalledProcessError as error:
        raise CliError(f"Graphviz failed to draw the flow: {error}") from error
    print(f"Wrote the graph of flow {flow.name!r} to {stem}.{output_format}")
    return 0


def _import_graphviz() -> Any:
    try:
        import graphviz
    except ImportError as error:
        raise CliError(
            "visualize needs the graphviz Python package: pip install graphviz (and the "
            "Graphviz programs, e.g. apt-get install graphviz)"
        ) from error
    return graphviz


def _output_format(given: str | None, output: str | None, known_formats: Any) -> str:
    """`--format`, else the output's extension when Graphviz knows it, else the default."""
    if given is not None:
        if given.lower() not in known_formats:
            raise CliError(
                f"Unknown format {given!r}; Graphviz formats include pdf, png, svg, jpg and "
                "dot."
            )
        return given.lower()
    extension = os.path.splitext(output or "")[1].lstrip(".").lower()
    return extension if extension in known_formats else DEFAULT_FORMAT


def _file_stem(flow_name: str) -> str:
    """The flow name made safe as a file name."""
    return re.sub(r"[^\w.-]+", "_", flow_name).strip("._") or "flow"
