"""A mapping flow: parse a batch of uploaded files one by one, set the broken ones aside,
and publish the batch only when every file parsed.

    python examples/mapping_flow.py          # one corrupt file: the batch is quarantined
    python examples/mapping_flow.py --clean  # without it: the batch is published

The "files" are in-memory records (no disk, no network). `parse` is mapped over them,
one child per file, and retries a child whose storage read fails; a corrupt file fails
its child without stopping the others. `FilterTask`s then split the results into parsed
files and errors, `ifelse` picks the branch, `merge` joins the branches, and
`summarize` reduces the per-file totals. It prints each task's final state (the
children's states for a mapped task). The flow's state follows its reference task
`summarize`: a quarantined batch is an expected outcome, not a failed run.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import prefect_core as prefect
from prefect_core import Flow, Parameter, task
from prefect_core.engine.state import Mapped, State
from prefect_core.tasks.control_flow import FilterTask, ifelse, merge

FILES = [
    {"name": "orders-mon.csv", "text": "id,amount\n1,12.50\n2,7.25\n"},
    {"name": "orders-tue.csv", "text": "id,amount\n3,30.00\n"},
    {"name": "orders-wed.csv", "text": "id,amount\n4,twelve\n"},
    {"name": "orders-thu.csv", "text": "id,amount\n5,4.75\n6,10.00\n7,1.00\n"},
]
CORRUPT = "orders-wed.csv"
FLAKY = "orders-tue.csv"  # its first read fails, like a storage hiccup

reads: dict[str, int] = {}


@task(max_retries=1, retry_delay=timedelta(seconds=0), retry_on=ConnectionError)
def parse(file: dict) -> list[dict]:
    """Parse one CSV file into rows; a storage error is retried, bad content is not."""
    name = file["name"]
    reads[name] = reads.get(name, 0) + 1
    if name == FLAKY and reads[name] == 1:
        raise ConnectionError(f"{name}: storage read timed out")
    header, *lines = file["text"].strip().splitlines()
    rows = []
    for line in lines:
        row = dict(zip(header.split(","), line.split(",")))
        try:
            row["amount"] = float(row["amount"])
        except ValueError:
            raise ValueError(f"{name}: amount {row['amount']!r} is not a number") from None
        rows.append(row)
    prefect.context.logger.info("%s: %d rows", name, len(rows))
    return rows


parsed_files = FilterTask(name="parsed_files")  # drops failed children (exceptions)
errors = FilterTask(name="errors", filter_func=lambda item: isinstance(item, Exception))


@task
def file_total(rows: list[dict]) -> float:
    """The amount of one parsed file."""
    return sum(row["amount"] for row in rows)


@task
def no_errors(found: list[Exception]) -> bool:
    """True when no file failed to parse."""
    return not found


@task
def publish(totals: list[float]) -> str:
    """'Publish' the batch (here: describe it)."""
    return f"published {len(totals)} files"


@task
def quarantine(found: list[Exception]) -> str:
    """Hold the batch back and say which files need a look."""
    return "quarantined: " + "; ".join(str(error) for error in found)


@task
def summarize(totals: list[float], outcome: str) -> str:
    """A reduce: one line about the whole batch."""
    return f"{len(totals)} files, {sum(totals):.2f} in total; {outcome}"


with Flow("mapping") as flow:
    files = Parameter("files", default=FILES)
    parsed = parse.map(files)
    good = parsed_files(parsed)
    bad = errors(parsed)
    totals = file_total.map(good)
    published = publish(totals)
    held = quarantine(bad)
    ifelse(no_errors(bad), published, held)
    outcome = merge(published, held)
    summary = summarize(totals, outcome)
flow.set_reference_tasks([summary])


def describe(task_state: State) -> str:
    """A task's result or message; for a mapped task, its children's states."""
    if isinstance(task_state, Mapped):
        return "children: " + ", ".join(type(child).__name__ for child in task_state.map_states)
    return str(task_state.result if task_state.is_successful() else task_state.message)


if __name__ == "__main__":
    batch = [file for file in FILES if file["name"] != CORRUPT] if "--clean" in sys.argv else FILES
    state = flow.run(files=batch)
    print(f"\nFlow state: {state!r}")
    for task_ in flow.sorted_tasks():
        task_state = state.result[task_]
        print(f"  {task_.name:<22} {type(task_state).__name__:<9} {describe(task_state):.60}")
    print(f"\nSummary: {state.result[summary].result}")
    print(f"{FLAKY} was read {reads[FLAKY]} times (one retry)")
