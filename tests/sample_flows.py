"""Sample flows shared by test modules of different packages."""

from prefect_core.core import Flow, Parameter
from prefect_core.utilities.tasks import task


@task
def inc(x):
    if x == 2:
        raise ValueError("two is not allowed")
    return x + 1


@task
def total(xs):
    return sum(xs)


def mapped_flow_with_a_failing_child() -> Flow:
    """`n -> inc.map -> total`, where one of the four `inc` children fails; the tasks are
    also in `flow.tasks_by_name`."""
    with Flow("mapped") as flow:
        numbers = Parameter("n", default=[1, 2, 3, 4])
        incremented = inc.map(numbers)
        summed = total(incremented)
    flow.tasks_by_name = {"n": numbers, "inc": incremented, "total": summed}
    return flow
