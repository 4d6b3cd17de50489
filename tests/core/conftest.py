"""Fixtures shared by the graph-building tests."""

import pytest


def _graph_state(flow):
    """Everything a build call may change, in comparable form.

    `flow.constants` is a defaultdict (reading it creates empty entries), so empty
    entries are left out.
    """
    return {
        "tasks": set(flow.tasks),
        "edges": set(flow.edges),
        "constants": {task: dict(inputs) for task, inputs in flow.constants.items() if inputs},
        "slugs": dict(flow.slugs),
        "reference_tasks": flow.reference_tasks(),
    }


@pytest.fixture
def graph_state():
    """`graph_state(flow)`: a snapshot of the flow's graph, to prove a call changed nothing."""
    return _graph_state


class RecordingBlock:
    """Stands in for a `case` or resource block: records what `Flow.add_task` hands it."""

    def __init__(self):
        self.added = []

    def add_task(self, task, flow):
        self.added.append((task, flow))


@pytest.fixture
def recording_block():
    """A fresh `RecordingBlock`."""
    return RecordingBlock()
