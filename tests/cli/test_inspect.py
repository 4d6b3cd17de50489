"""`prefect-core inspect`: tasks, parameters and schedule as text."""

import re

from tests.cli.cli_helpers import HELLO_FLOW, run_cli

SHAPES_FLOW = """
    from datetime import datetime, timedelta, timezone
    from prefect_core import Flow, Parameter, task, unmapped
    from prefect_core.schedules import Schedule
    from prefect_core.schedules.clocks import CronClock, IntervalClock

    @task
    def numbers(n):
        return list(range(n))

    @task
    def scale(x, factor):
        return x * factor

    @task
    def total(xs):
        return sum(xs)

    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    schedule = Schedule(clocks=[
        IntervalClock(timedelta(hours=1), start_date=start, parameter_defaults={"n": 2}),
        CronClock("30 9 * * 1-5", start_date=start),
    ])
    with Flow("shapes", schedule=schedule) as flow:
        factor = Parameter("factor")
        scaled = scale.map(numbers(Parameter("n", default=3)), unmapped(factor))
        total(total(scaled))
"""


def rows(output: str, section: str) -> dict[str, list[str]]:
    """The table rows of one section of the output (the lines from the one starting with
    `section` to the next blank line), by their first cell; cells split on 2+ spaces."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(section))
    found: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        if not line.strip():
            break
        row = re.split(r"\s{2,}", line.strip())
        found[row[0]] = row
    return found


def test_inspect_lists_tasks_with_slug_mapping_and_upstream_tasks(write_flow):
    completed = run_cli("inspect", "-p", str(write_flow(SHAPES_FLOW)))
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout
    assert output.startswith("Flow 'shapes' (from ")
    assert "Tasks (6, in run order):" in output
    table = rows(output, "Tasks")
    assert table["NAME"] == ["NAME", "SLUG", "MAPPED", "UPSTREAM"]
    assert table["numbers"] == ["numbers", "numbers-1", "no", "n (n)"]
    assert table["scale"] == ["scale", "scale-1", "yes", "factor (factor), numbers (x, mapped)"]
    # two tasks named "total": upstream references use the unique slug
    assert "total-1 (xs)" in output
    assert "Reference tasks: total-2" in output


def test_inspect_lists_parameters_with_default_and_required(write_flow):
    table = rows(run_cli("inspect", "-p", str(write_flow(SHAPES_FLOW))).stdout, "Parameters")
    assert table["factor"] == ["factor", "-", "yes"]
    assert table["n"][1:] == ["3", "no"]


def test_inspect_shows_the_clocks_and_the_next_three_runs(write_flow):
    output = run_cli("inspect", "-p", str(write_flow(SHAPES_FLOW))).stdout
    schedule = output[output.index("Schedule:"):].splitlines()
    assert schedule == [
        "Schedule: 2 clocks",
        "  IntervalClock: every 1:00:00 from 2030-01-01T00:00:00+00:00 parameters {'n': 2}",
        "  CronClock: cron '30 9 * * 1-5' from 2030-01-01T00:00:00+00:00",
        "Next 3 runs:",
        "  2030-01-01T00:00:00+00:00",
        "  2030-01-01T01:00:00+00:00",
        "  2030-01-01T02:00:00+00:00",
    ]


def test_inspect_says_none_for_a_flow_without_parameters_or_schedule(write_flow):
    output = run_cli("inspect", "-p", str(write_flow(HELLO_FLOW)), script=True).stdout
    assert "Parameters: none" in output
    assert output.rstrip().endswith("Schedule: none")
