"""An ETL-like flow: parameters, a flaky extract step with retries, a validation that
fails on bad records, and triggers that decide what runs after a failure.

    python examples/etl_flow.py            # strict: validation fails, the alert fires
    python examples/etl_flow.py --lenient  # bad records are dropped, everything succeeds

It prints each task's final state. The flow's state follows its reference task `load`.
"""

from __future__ import annotations

import sys
from datetime import timedelta

import prefect_core as prefect
from prefect_core import Flow, Parameter, task
from prefect_core.triggers import all_finished, any_failed

attempts = {"extract": 0}


@task(max_retries=2, retry_delay=timedelta(seconds=0))
def extract(batch_size: int) -> list[dict]:
    """Fetch a batch of records; the first attempt fails, like a flaky network call."""
    attempts["extract"] += 1
    if attempts["extract"] == 1:
        raise ConnectionError("source temporarily unavailable")
    return [{"id": i, "amount": None if i == 3 else i * 10} for i in range(batch_size)]


@task
def validate(records: list[dict], strict: bool) -> list[dict]:
    """Reject a batch with incomplete records (strict), or drop them (lenient)."""
    bad = [record["id"] for record in records if record["amount"] is None]
    if bad and strict:
        raise ValueError(f"records without an amount: {bad}")
    return [record for record in records if record["amount"] is not None]


@task
def load(records: list[dict], table: str) -> int:
    """'Load' the records into `table` (here: count them)."""
    prefect.context.logger.info("Loaded %d records into %s", len(records), table)
    return len(records)


@task(trigger=any_failed)
def alert() -> str:
    """Runs only when validation or loading failed."""
    return "on-call engineer paged"


@task(trigger=all_finished)
def report(batch_size: int) -> str:
    """Runs whatever happened upstream."""
    return f"batch of {batch_size} processed"


with Flow("etl") as flow:
    batch_size = Parameter("batch_size", default=5)
    table = Parameter("table", default="sales")
    strict = Parameter("strict", default=True)
    records = extract(batch_size)
    valid = validate(records, strict)
    loaded = load(valid, table)
    alert(upstream_tasks=[valid, loaded])
    report(batch_size, upstream_tasks=[loaded])
flow.set_reference_tasks([loaded])


if __name__ == "__main__":
    state = flow.run(strict="--lenient" not in sys.argv)
    print(f"\nFlow state: {state!r}")
    for task_ in flow.sorted_tasks():
        task_state = state.result[task_]
        outcome = task_state.result if task_state.is_successful() else task_state.message
        print(f"  {task_.name:<11} {type(task_state).__name__:<14} {str(outcome):.70}")
    print(f"\nextract ran {attempts['extract']} times (one retry)")
