"""Engine overhead per mapped child: `flow.run()` on LocalExecutor, logging at ERROR.

Cases (each size measured in its own subprocess, so peak memory is per case):

- map-reduce: `total(inc.map(items))`, N children;
- chained:    `total(inc.map(inc.map(items)))`, 2N children, no reduce in between.

Overhead per child = median wall time of `flow.run()` (after a warm-up run; sizes of a
million or more are timed once, without a warm-up) / children, minus the time of the
same number of plain calls of the function. Peak memory is the process's peak resident
set size, which includes the input list and every child state (a flow run returns all
of them).

    python benchmarks/mapping.py                          # N = 1,000 ... 1,000,000
    python benchmarks/mapping.py --sizes 1000 10000       # quicker
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import time

from child_process import figures_from_child

CASES = ("map-reduce", "chained")
BIG = 1_000_000


def build(case: str, n: int):
    """The benchmark flow for `case` over `n` items, and its number of children."""
    import prefect_core as prefect

    @prefect.task
    def inc(x):
        return x + 1

    @prefect.task
    def total(values):
        return sum(values)

    with prefect.Flow(f"bench-{case}-{n}") as flow:
        items = prefect.Parameter("items")
        mapped = inc.map(items)
        if case == "chained":
            mapped = inc.map(mapped)
        total(mapped)
    return flow, (2 * n if case == "chained" else n)


def plain_call_seconds(n: int) -> float:
    """Seconds for `n` plain calls of `x + 1` through a function."""

    def inc(x):
        return x + 1

    start = time.perf_counter()
    for i in range(n):
        inc(i)
    return time.perf_counter() - start


def measure(case: str, n: int, repeats: int) -> dict:
    """Run one case in this process and return its figures."""
    flow, children = build(case, n)  # imports prefect_core, which configures its logger
    logging.getLogger("prefect_core").setLevel(logging.ERROR)
    items = list(range(n))
    plain = plain_call_seconds(children)
    runs = 1 if n >= BIG else repeats + 1
    times = []
    for attempt in range(runs):
        start = time.perf_counter()
        state = flow.run(items=items)
        elapsed = time.perf_counter() - start
        if not state.is_successful():
            raise SystemExit(f"{case} {n}: flow run did not succeed: {state!r}")
        if attempt or runs == 1:  # the first of several runs is the warm-up
            times.append(elapsed)
        del state
    median = statistics.median(times)
    return {
        "case": case,
        "items": n,
        "children": children,
        "median_s": median,
        "us_per_child": (median - plain) / children * 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_case(case: str, n: int, repeats: int) -> dict:
    return figures_from_child(__file__, "--one", case, n, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*",
                        default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", nargs=3, metavar=("CASE", "N", "REPEATS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        case, n, repeats = args.one
        print(json.dumps(measure(case, int(n), int(repeats))))
        return

    print(f"{'case':11} {'items':>9} {'children':>9} {'median s':>9} {'us/child':>9} "
          f"{'peak MB':>8}")
    for case in CASES:
        for n in args.sizes:
            figures = run_case(case, n, args.repeats)
            print(f"{case:11} {n:>9} {figures['children']:>9} {figures['median_s']:>9.2f} "
                  f"{figures['us_per_child']:>9.1f} {figures['peak_rss_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
