"""Flows on the Dask executors: parallel efficiency and the cost over plain Dask.

- parallel: N independent tasks sleeping 10 ms on `LocalDaskExecutor("threads",
  num_workers=8)`. Efficiency = (N x 10 ms / 8 workers) / wall time of `flow.run()`.
- map: a map over N items (`x + 1`) on a `DaskExecutor` connected to a 2-worker
  `LocalCluster`, against the same work submitted with `distributed.Client.map` and
  gathered on the same cluster. Ratio = flow time / Client.map time.

    python benchmarks/dask_executors.py                 # N = 400 (parallel), 10,000 (map)
    python benchmarks/dask_executors.py --map-items 1000
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time


def parallel_efficiency(tasks: int, workers: int, repeats: int) -> tuple[float, float]:
    """(median wall seconds, efficiency) of `tasks` 10 ms sleeps on `workers` threads."""
    import prefect_core as prefect
    from prefect_core.executors import LocalDaskExecutor

    @prefect.task
    def nap():
        time.sleep(0.01)

    with prefect.Flow("parallel") as flow:
        for _ in range(tasks):
            nap()
    logging.getLogger("prefect_core").setLevel(logging.ERROR)
    executor = LocalDaskExecutor("threads", num_workers=workers)
    flow.run(executor=executor)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        state = flow.run(executor=executor)
        times.append(time.perf_counter() - start)
        assert state.is_successful(), state
    wall = statistics.median(times)
    return wall, (tasks * 0.01 / workers) / wall


def inc(x: int) -> int:
    return x + 1


def map_ratio(items: int, repeats: int) -> tuple[float, float]:
    """(flow seconds, Client.map seconds), medians, for a map over `items` items."""
    from distributed import Client, LocalCluster

    import prefect_core as prefect
    from prefect_core.executors import DaskExecutor

    inc_task = prefect.task(inc)
    with prefect.Flow("map") as flow:
        inc_task.map(prefect.Parameter("items"))
    logging.getLogger("prefect_core").setLevel(logging.ERROR)
    data = list(range(items))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        executor = DaskExecutor(address=cluster.scheduler_address)

        def run_flow() -> None:
            state = flow.run(executor=executor, items=data)
            assert state.is_successful(), state

        def run_client_map() -> None:
            futures = client.map(inc, data, pure=False)
            client.gather(futures)
            del futures

        run_flow()
        run_client_map()
        flow_times, dask_times = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            run_flow()
            flow_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            run_client_map()
            dask_times.append(time.perf_counter() - start)
    return statistics.median(flow_times), statistics.median(dask_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel-tasks", type=int, default=400)
    parser.add_argument("--map-items", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    wall, efficiency = parallel_efficiency(args.parallel_tasks, 8, args.repeats)
    print(f"parallel: {args.parallel_tasks} x 10 ms sleeps on 8 threads: {wall:.3f} s, "
          f"efficiency {efficiency:.0%} (target >= 85%)", flush=True)
    flow_s, dask_s = map_ratio(args.map_items, args.repeats)
    print(f"map: {args.map_items} items on a 2-worker DaskExecutor: {flow_s:.2f} s; "
          f"Client.map: {dask_s:.2f} s; ratio {flow_s / dask_s:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
