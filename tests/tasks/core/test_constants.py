"""`Constant`: a task holding a fixed value."""

import pytest

from prefect_core.core import Flow
from prefect_core.tasks.core.constants import Constant
from prefect_core.utilities.context import context

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (5, "5"),
        ("abc", "'abc'"),
        ([1, 2], "[1, 2]"),
        (None, "None"),
        ("abcdef", "'abcdef'"),
        ("abcdefg", "Constant[str]"),
        ([1, 2, 3, 4], "Constant[list]"),
        (range(3), "Constant[range]"),
        ({"key": 1}, "Constant[dict]"),
    ],
)
def test_default_name_is_the_short_repr_or_the_type(value, name):
    assert Constant(value).name == name


def test_an_explicit_name_wins():
    assert Constant([1, 2, 3, 4], name="numbers").name == "numbers"


def test_the_value_is_stored_and_returned_by_run():
    value = {"a": [1]}
    constant = Constant(value)
    assert constant.value is value
    assert constant.run() is value


def test_task_options_are_passed_on():
    constant = Constant(1, tags=["fixed"], checkpoint=False)
    assert constant.tags == {"fixed"}
    assert constant.checkpoint is False


def test_constants_are_not_tracked_as_unused():
    with Flow("f"):
        Constant(1)
        assert context.get("_unused_task_tracker") == set()


def test_a_constant_can_be_a_node_of_a_flow():
    constant = Constant(1)
    flow = Flow("f", tasks=[constant])
    assert flow.slugs[constant] == "1-1"
