"""`prefect-core inspect`: a flow's tasks, parameters and schedule, as readable text.

    Flow 'etl' (from examples/etl_flow.py)

    Tasks (8, in run order):
      NAME        SLUG        MAPPED  UPSTREAM
      batch_size  batch_size  no      -
      extract     extract-1   no      batch_size (batch_size)
      ...
    Reference tasks: load

    Parameters (3):
      NAME        DEFAULT  REQUIRED
      batch_size  5        no

    Schedule: none

Upstream tasks are listed by name (by slug when several tasks share a name) with the
argument they feed in parentheses, and `mapped` or `flattened` for such edges. Defaults
are shown as JSON when they can be; a required parameter has none (`-`).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from prefect_core.cli.loading import add_location_arguments, load_flow
from prefect_core.cli.tables import format_table, shorten, task_labels
from prefect_core.core.edge import Edge
from prefect_core.core.flow import Flow
from prefect_core.core.parameter import Parameter

NEXT_RUNS = 3


def add_command(commands: Any) -> None:
    """Register `inspect` on the `prefect-core` subcommands."""
    parser = commands.add_parser(
        "inspect",
        help="list a flow's tasks, parameters and schedule",
        description="List a flow's tasks (name, slug, mapped or not, upstream tasks), its "
        f"parameters (name, default, required) and its schedule (clocks, next {NEXT_RUNS} "
        "runs).",
    )
    add_location_arguments(parser)
    parser.set_defaults(handler=inspect_command)


def inspect_command(arguments: argparse.Namespace) -> int:
    """Print the description of the flow the arguments name."""
    flow = load_flow(arguments, purpose="inspect")
    print(describe_flow(flow, arguments.path or arguments.module))
    return 0


def describe_flow(flow: Flow, location: str) -> str:
    """The whole text printed by `inspect` for `flow`, found at `location`."""
    sections = [
        f"Flow {flow.name!r} (from {location})",
        _tasks_section(flow),
        _parameters_section(flow),
        _schedule_section(flow),
    ]
    return "\n\n".join(sections)


def _tasks_section(flow: Flow) -> str:
    if not flow.tasks:
        return "Tasks: none"
    labels = task_labels(flow)
    rows = []
    for task in flow.sorted_tasks():
        edges = sorted(
            flow.edges_to(task), key=lambda edge: (labels[edge.upstream_task], edge.key or "")
        )
        mapped = "yes" if any(edge.mapped for edge in edges) else "no"
        upstream = ", ".join(_describe_edge(edge, labels) for edge in edges) or "-"
        rows.append([task.name, flow.slugs[task], mapped, upstream])
    reference = ", ".join(sorted(labels[task] for task in flow.reference_tasks())) or "-"
    table = format_table(["name", "slug", "mapped", "upstream"], rows, indent="  ")
    return f"Tasks ({len(rows)}, in run order):\n{table}\nReference tasks: {reference}"


def _describe_edge(edge: Edge, labels: dict) -> str:
    """`upstream (key, mapped, flattened)`, naming only what applies."""
    notes = [edge.key] if edge.key is not None else []
    notes += [flag for flag in ("mapped", "flattened") if getattr(edge, flag)]
    label = labels[edge.upstream_task]
    return f"{label} ({', '.join(notes)})" if notes else label


def _parameters_section(flow: Flow) -> str:
    parameters = [task for task in flow.sorted_tasks() if isinstance(task, Parameter)]
    if not parameters:
        return "Parameters: none"
    rows = [
        [
            parameter.name,
            "-" if parameter.required else shorten(_as_text(parameter.default), 60),
            "yes" if parameter.required else "no",
        ]
        for parameter in sorted(parameters, key=lambda parameter: parameter.name)
    ]
    return f"Parameters ({len(rows)}):\n" + format_table(
        ["name", "default", "required"], rows, indent="  "
    )


def _as_text(value: Any) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _schedule_section(flow: Flow) -> str:
    schedule = flow.schedule
    if schedule is None:
        return "Schedule: none"
    lines = [f"Schedule: {_count(len(schedule.clocks), 'clock')}"]
    lines += [f"  {_describe_clock(clock)}" for clock in schedule.clocks]
    extras = [
        _count(len(functions), noun)
        for functions, noun in (
            (schedule.filters, "filter"),
            (schedule.or_filters, "or-filter"),
            (schedule.not_filters, "not-filter"),
            (schedule.adjustments, "adjustment"),
        )
        if functions
    ]
    if extras:
        lines.append("  with " + ", ".join(extras))
    upcoming = schedule.next(NEXT_RUNS)
    if upcoming:
        lines.append(f"Next {len(upcoming)} runs:")
        lines += [f"  {_as_time(moment)}" for moment in upcoming]
    else:
        lines.append("Next runs: none (the schedule has ended)")
    return "\n".join(lines)


def _describe_clock(clock: Any) -> str:
    kind = type(clock).__name__
    if hasattr(clock, "interval"):
        detail = f"every {clock.interval}"
    elif hasattr(clock, "cron"):
        detail = f"cron {clock.cron!r}"
    elif hasattr(clock, "dates"):
        detail = _count(len(clock.dates), "date")
    else:
        detail = shorten(str(getattr(clock, "rrule_obj", "")).replace("\n", " "), 60)
    bounds = [
        f"{word} {_as_time(moment)}"
        for word, moment in (("from", clock.start_date), ("until", clock.end_date))
        if moment is not None
    ]
    if getattr(clock, "parameter_defaults", None):
        bounds.append(f"parameters {clock.parameter_defaults}")
    return " ".join([f"{kind}:", detail, *bounds])


def _as_time(moment: datetime) -> str:
    return moment.isoformat() if isinstance(moment, datetime) else str(moment)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
