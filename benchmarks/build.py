"""Graph-building speed: flows of 1,000 / 10,000 / 100,000 tasks built with the functional API.

Every task is a copy of a decorated function task, called inside `with Flow(...)`:

- wide:   N independent calls, each with one constant input (folded into `flow.constants`);
- chain:  N calls, each taking the previous call's result;
- fan-in: layers of 100 calls, each taking 4 tasks of the layer before (4 edges per task).

Each case runs in its own subprocess, so its peak memory is its own. For each it prints
the wall-clock and CPU seconds of the build, microseconds per task (wall), the peak
resident memory the build added, and the time of the first (uncached) and a second
(cached) `flow.sorted_tasks()`. The target: 100,000 tasks in under 2 s, growing linearly.

    python benchmarks/build.py                     # all cases, all sizes
    python benchmarks/build.py --sizes 1000 10000  # quicker
    python benchmarks/build.py --cases chain
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

from child_process import figures_from_child

CASES = ("wide", "chain", "fan-in")
SIZES = (1_000, 10_000, 100_000)
FAN_IN_WIDTH = 100
FAN_IN_DEGREE = 4


def build(case: str, n: int):
    """Build the flow for `case` with `n` tasks and return it."""
    from prefect_core.core import Flow
    from prefect_core.utilities.tasks import task

    @task
    def source(x):
        return x

    @task
    def inc(x):
        return x + 1

    @task
    def combine(a, b, c, d):
        return a + b + c + d

    with Flow(f"build-{case}-{n}") as flow:
        if case == "wide":
            for index in range(n):
                source(index)
        elif case == "chain":
            previous = source(0)
            for _ in range(n - 1):
                previous = inc(previous)
        elif case == "fan-in":
            layer = [source(index) for index in range(FAN_IN_WIDTH)]
            built = FAN_IN_WIDTH
            while built < n:
                width = min(FAN_IN_WIDTH, n - built)
                layer = [
                    combine(*(layer[(index + step) % len(layer)] for step in range(FAN_IN_DEGREE)))
                    for index in range(width)
                ]
                built += width
        else:
            raise ValueError(f"unknown case {case!r}")
    return flow


def _peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def measure(case: str, n: int) -> dict:
    """Build one flow in this process and return its figures."""
    import prefect_core.core  # noqa: F401 - import cost is not part of the build

    rss_before = _peak_rss_bytes()
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    flow = build(case, n)
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    peak_added = _peak_rss_bytes() - rss_before

    sort_start = time.perf_counter()
    order = flow.sorted_tasks()
    first_sort = time.perf_counter() - sort_start
    sort_start = time.perf_counter()
    flow.sorted_tasks()
    cached_sort = time.perf_counter() - sort_start
    if len(order) != n or len(flow.tasks) != n:
        raise AssertionError(f"{case}: expected {n} tasks, built {len(flow.tasks)}")
    return {
        "case": case,
        "tasks": len(flow.tasks),
        "edges": len(flow.edges),
        "wall": wall,
        "cpu": cpu,
        "peak_mb": peak_added / 2**20,
        "sort": first_sort,
        "cached_sort": cached_sort,
    }


def run_in_subprocess(case: str, n: int) -> dict:
    """`measure(case, n)` in a fresh interpreter."""
    return figures_from_child(__file__, "--child", case, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--child", nargs=2, metavar=("CASE", "N"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        case, n = arguments.child
        print(json.dumps(measure(case, int(n))))
        return

    header = (
        f"{'case':<8}{'tasks':>9}{'edges':>9}{'build s':>10}{'cpu s':>8}{'us/task':>9}"
        f"{'peak MB':>9}{'sort s':>9}{'cached':>9}"
    )
    print(header)
    print("-" * len(header))
    for case in arguments.cases:
        for n in arguments.sizes:
            row = run_in_subprocess(case, n)
            print(
                f"{row['case']:<8}{row['tasks']:>9,}{row['edges']:>9,}{row['wall']:>10.3f}"
                f"{row['cpu']:>8.3f}{1e6 * row['wall'] / row['tasks']:>9.1f}"
                f"{row['peak_mb']:>9.1f}{row['sort']:>9.3f}{row['cached_sort']:>9.5f}"
            )


if __name__ == "__main__":
    main()
