"""A flow on a temporary Dask cluster: fetch a batch of pages in parallel, then reduce.

    python examples/dask_flow.py

`fetch` is mapped over eight page names and each "download" takes half a second (a
sleep stands in for the network), so one process would need about 4 s. The flow runs on
`DaskExecutor(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1})`: a `LocalCluster`
of two worker processes is started for the run and closed afterwards, the pages are
fetched two at a time, and `word_count` counts the words of each page as soon as that
page is in, without waiting for the whole batch (chained maps run depth first on Dask).
`report` is the reduce. The tasks' log lines come from the worker processes and are
forwarded to this one. The script prints each task's final state, the report, how many
worker processes did the work and the elapsed time.

The run is under `if __name__ == "__main__":` because the worker processes import this
script when they start.
"""

from __future__ import annotations

import os
import time

import prefect_core as prefect
from prefect_core import Flow, Parameter, task
from prefect_core.engine.state import Mapped, State
from prefect_core.executors import DaskExecutor

PAGES = [f"page-{number}" for number in range(1, 9)]
DOWNLOAD_SECONDS = 0.5


@task
def fetch(page: str) -> dict:
    """'Download' one page: half a second of waiting, then its text."""
    started = time.time()
    time.sleep(DOWNLOAD_SECONDS)
    text = " ".join([page] * (len(page) + int(page.rsplit("-", 1)[1])))
    prefect.context.logger.info("fetched %s (%d bytes)", page, len(text))
    return {
        "page": page, "text": text, "worker_pid": os.getpid(), "span": (started, time.time())
    }


@task
def word_count(document: dict) -> int:
    """The number of words of one page."""
    return len(document["text"].split())


@task
def report(pages: list[dict], counts: list[int]) -> str:
    """A reduce: one line about the whole batch."""
    longest = max(zip(counts, (page["page"] for page in pages)))
    return f"{len(pages)} pages, {sum(counts)} words; the longest is {longest[1]}"


with Flow("fetch pages") as flow:
    names = Parameter("pages", default=PAGES)
    documents = fetch.map(names)
    counts = word_count.map(documents)
    summary = report(documents, counts)


def describe(task_state: State) -> str:
    """A task's result; for a mapped task, its children's states."""
    if isinstance(task_state, Mapped):
        kinds = {type(child).__name__ for child in task_state.map_states}
        return f"{task_state.n_map_states} children: {', '.join(sorted(kinds))}"
    return str(task_state.result if task_state.is_successful() else task_state.message)


if __name__ == "__main__":
    executor = DaskExecutor(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1})
    started = time.monotonic()
    state = flow.run(executor=executor)
    elapsed = time.monotonic() - started
    print(f"\nFlow state: {state!r}")
    for task_ in flow.sorted_tasks():
        task_state = state.result[task_]
        print(f"  {task_.name:<12} {type(task_state).__name__:<8} {describe(task_state):.70}")
    print(f"\nReport: {state.result[summary].result}")
    print(f"Word counts: {state.result[counts].result}")
    fetched = state.result[documents].result
    workers = {document["worker_pid"] for document in fetched}
    where = "none of them this one" if os.getpid() not in workers else "including this one"
    print(f"Fetched by {len(workers)} worker processes, {where}")
    downloads = max(doc["span"][1] for doc in fetched) - min(doc["span"][0] for doc in fetched)
    print(f"Downloads: {downloads:.1f} s (one after the other: "
          f"{len(PAGES) * DOWNLOAD_SECONDS:.1f} s)")
    print(f"Elapsed: {elapsed:.1f} s, starting and stopping the cluster included")
