"""Small tasks and flows shared by the engine tests."""

from prefect_core import Flow, Task, task
from prefect_core.utilities.context import context


@task
def one():
    return 1


@task
def inc(x):
    return x + 1


@task
def fail():
    raise ValueError("no")


@task
def peek(keys):
    """The values of the given context keys as the task sees them."""
    return {key: context.get(key, "<absent>") for key in keys}


def chain_flow():
    """`one -> inc -> inc`, returned with its three tasks."""
    with Flow("chain") as flow:
        a = one()
        b = inc(a)
        c = inc(b)
    return flow, a, b, c


class Counter(Task):
    """Returns `x + 1` (or 1 without input) and counts its runs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def run(self, x=0):
        self.calls += 1
        return x + 1
