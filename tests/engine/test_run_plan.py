"""`prefect_core.engine.run_plan`: the flow's graph flattened once for the flow runner."""

from __future__ import annotations

from prefect_core import Flow, task, unmapped
from prefect_core.core.edge import Edge
from prefect_core.engine.run_plan import plan_run
from prefect_core.utilities.edges import flatten


@task
def one():
    return 1


@task
def add(x, y=0):
    return x + y


@task
def numbers():
    return [1, 2]


def test_steps_run_in_topological_order_and_keep_their_insertion_positions():
    flow = Flow("plan")
    downstream, upstream = add.copy(), one.copy()
    flow.add_task(downstream)  # added first, runs second
    flow.add_task(upstream)
    flow.add_edge(upstream, downstream, key="x")
    plan = plan_run(flow)
    assert list(plan.tasks) == [downstream, upstream]
    assert [step.task for step in plan.steps] == [upstream, downstream]
    assert [step.index for step in plan.steps] == [1, 0]
    ((edge, upstream_position),) = plan.steps[1].upstream
    assert (edge.upstream_task, edge.key, upstream_position) == (upstream, "x", 1)


def test_readers_count_the_edges_leaving_each_task():
    with Flow("plan") as flow:
        source = one()
        add(source, source)
        add(source)
    plan = plan_run(flow)
    readers = dict(zip(plan.tasks, plan.readers))
    assert readers[source] == 3
    assert sum(plan.readers) == len(flow.edges)


def test_constant_inputs_become_edges_from_constant_tasks():
    with Flow("plan") as flow:
        total = add(one(), y=5)
    (step,) = [step for step in plan_run(flow).steps if step.task is total]
    ((edge, value),) = step.constant_edges
    assert isinstance(edge, Edge) and edge.key == "y" and edge.downstream_task is total
    assert value == 5


def test_mapped_and_flattened_inputs_are_flagged():
    with Flow("plan") as flow:
        items = numbers()
        mapped = add.map(items, y=unmapped(1))
        after_map = add.map(mapped)
        reduced = add(mapped)
        flat = add(flatten(items))
        plain = add(one())
    steps = {step.task: step for step in plan_run(flow).steps}
    assert steps[mapped].is_mapped and not steps[mapped].reads_mapped_or_flattened
    assert steps[after_map].is_mapped and steps[after_map].reads_mapped_or_flattened
    assert not steps[reduced].is_mapped and steps[reduced].reads_mapped_or_flattened
    assert steps[flat].reads_mapped_or_flattened
    assert not (steps[plain].is_mapped or steps[plain].reads_mapped_or_flattened)


def test_the_plan_is_reused_until_the_graph_changes():
    with Flow("plan") as flow:
        add(one())
    plan = plan_run(flow)
    assert plan_run(flow) is plan
    with flow:
        extra = one()
    changed = plan_run(flow)
    assert changed is not plan
    assert extra in changed.tasks
