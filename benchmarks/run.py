"""Engine overhead per task run: `flow.run()` on LocalExecutor, logging at ERROR.

Cases (each measured in its own subprocess, so peak memory is per case):

- wide:   N independent trivial tasks;
- chain:  N trivial tasks, each taking the previous one's result;
- fan-in: 20 layers of 50 tasks, each taking all 50 results of the layer before
  (47,500 edges: also shown per edge).

Engine overhead per task = median wall time of `flow.run()` (sorting included, after a
warm-up run) / N, minus the time of N plain calls of the same function. Peak memory is
the process's peak resident set size. Targets: at most 20 us per task, and wide and
chain growing linearly (per-task time at 100,000 within 1.3x of the time at 10,000).

Release: a chain of 200 tasks each returning a new 1 MB value, run by
`FlowRunner.run(return_tasks=...)` naming only the last task, then all of them: the peak
memory shows that results nobody needs any more are released during the run.

    python benchmarks/run.py                 # all cases, N = 1,000 / 10,000 / 100,000
    python benchmarks/run.py --sizes 1000    # quicker
    PREFECT1_PYTHON=/path/to/venv/bin/python python benchmarks/run.py --sizes 1000
        # also runs the same cases on Prefect 1.4.1 (installed in that interpreter's
        # environment) and prints the ratio
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time

from child_process import figures_from_child

CASES = ("wide", "chain", "fan-in")


def build(prefect, case: str, n: int):
    """The benchmark flow for `case` with about `n` tasks."""

    @prefect.task
    def noop():
        return 1

    @prefect.task
    def inc(x):
        return x + 1

    @prefect.task
    def total(**values):
        return len(values)

    with prefect.Flow(f"bench-{case}-{n}") as flow:
        if case == "wide":
            for _ in range(n):
                noop()
        elif case == "chain":
            value = noop()
            for _ in range(n - 1):
                value = inc(value)
        else:
            layer = [noop() for _ in range(50)]
            for _ in range(19):
                inputs = {f"x{i}": upstream for i, upstream in enumerate(layer)}
                layer = [total(**inputs) for _ in range(50)]
    return flow


def plain_call_seconds(n: int) -> float:
    """Seconds for `n` plain calls of a trivial function (the work a task does)."""

    def noop():
        return 1

    start = time.perf_counter()
    for _ in range(n):
        noop()
    return time.perf_counter() - start


def measure(engine: str, case: str, n: int, repeats: int) -> dict:
    """Run one case in this process and return its figures."""
    import logging

    if engine == "prefect_core":
        import prefect_core as prefect
    else:
        import prefect  # Prefect 1.4.1, in a separate environment
    logging.getLogger(engine).setLevel(logging.ERROR)
    flow = build(prefect, case, n)
    tasks, edges = len(flow.tasks), len(flow.edges)
    plain = plain_call_seconds(tasks)

    def median_run_seconds(sort_each_run: bool) -> float:
        times = []
        for attempt in range(repeats + 1):
            if sort_each_run and engine == "prefect_core":
                flow._cache.clear()  # drop the cached topological order
            start = time.perf_counter()
            state = flow.run()
            elapsed = time.perf_counter() - start
            if not state.is_successful():
                raise SystemExit(f"{engine} {case} {n}: flow run did not succeed: {state!r}")
            if attempt:  # the first run is the warm-up
                times.append(elapsed)
            del state
        return statistics.median(times)

    cold = median_run_seconds(sort_each_run=True)
    warm = median_run_seconds(sort_each_run=False)
    return {
        "engine": engine,
        "case": case,
        "tasks": tasks,
        "edges": edges,
        "median_s": cold,
        "us_per_task": (cold - plain) / tasks * 1e6,
        "us_per_task_sorted_once": (warm - plain) / tasks * 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_release(return_all: bool, tasks: int = 200, megabytes: int = 1) -> dict:
    """Peak memory of a chain of `tasks` tasks each returning a new `megabytes` MB value,
    returning the last state only, or every state."""
    import logging

    import prefect_core as prefect
    from prefect_core.engine.flow_runner import FlowRunner

    logging.getLogger("prefect_core").setLevel(logging.ERROR)

    @prefect.task
    def grow(previous=None):
        return b"x" * (megabytes << 20)  # written, so resident

    with prefect.Flow("release") as flow:
        value = grow()
        for _ in range(tasks - 1):
            value = grow(value)
    state = FlowRunner(flow).run(return_tasks=flow.tasks if return_all else [value])
    if not state.is_successful():
        raise SystemExit(f"release: flow run did not succeed: {state!r}")
    return {
        "returned": len(state.result),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_case(python: str, engine: str, case: str, n: int, repeats: int) -> dict:
    return figures_from_child(__file__, "--one", engine, case, n, repeats, python=python)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", nargs=4, metavar=("ENGINE", "CASE", "N", "REPEATS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, case, n, repeats = args.one
        if case.startswith("release"):
            figures = measure_release(return_all=case == "release-all")
        else:
            figures = measure(engine, case, int(n), int(repeats))
        print(json.dumps(figures))
        return

    prefect1 = os.environ.get("PREFECT1_PYTHON")
    print("us/task: engine overhead per task, the flow sorted on every run; 'sorted once':")
    print("the same with the cached order (flow.run() sorts a flow once until it changes)")
    print(f"{'case':8} {'tasks':>8} {'median s':>10} {'us/task':>9} {'sorted once':>12} "
          f"{'peak MB':>9}" + ("   1.4.1 us/task   ratio" if prefect1 else ""))
    for case in CASES:
        sizes = [1_000] if case == "fan-in" else args.sizes
        per_task = {}
        for n in sizes:
            ours = run_case(sys.executable, "prefect_core", case, n, args.repeats)
            per_task[n] = ours["us_per_task"]
            line = (f"{case:8} {ours['tasks']:>8} {ours['median_s']:>10.3f} "
                    f"{ours['us_per_task']:>9.1f} {ours['us_per_task_sorted_once']:>12.1f} "
                    f"{ours['peak_rss_mb']:>9.0f}")
            if prefect1 and n <= 10_000:
                theirs = run_case(prefect1, "prefect", case, n, 1)
                ratio = theirs["us_per_task"] / ours["us_per_task"]
                line += f"   {theirs['us_per_task']:>13.0f}   {ratio:>5.0f}x"
            print(line, flush=True)
            if case == "fan-in":
                print(f"         ({ours['edges']:,} edges: "
                      f"{ours['us_per_task'] * ours['tasks'] / ours['edges']:.2f} us per edge)")
        if 10_000 in per_task and 100_000 in per_task:
            print(f"         growth 10,000 -> 100,000: "
                  f"{per_task[100_000] / per_task[10_000]:.2f}x (target: at most 1.3x)")

    some = run_case(sys.executable, "prefect_core", "release-some", 0, 0)
    every = run_case(sys.executable, "prefect_core", "release-all", 0, 0)
    print("release: a chain of 200 tasks each returning a new 1 MB value")
    print(f"  return_tasks=[last]:     peak {some['peak_rss_mb']:.0f} MB")
    print(f"  return_tasks=flow.tasks: peak {every['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
