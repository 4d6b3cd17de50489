"""Operator task classes: `GetItem`, `GetAttr` and the arithmetic, logic and comparison tasks."""

import typing
from types import SimpleNamespace

import pytest

from prefect_core.core.task import NoDefault
from prefect_core.tasks.core import operators

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


# -- GetItem ----------------------------------------------------------------------------------


def test_get_item_indexes_the_result():
    assert operators.GetItem().run([1, 2, 3], 1) == 2
    assert operators.GetItem().run({"a": 1}, "a") == 1


def test_get_item_default_is_no_default():
    assert operators.GetItem().default is NoDefault.value


def test_get_item_missing_key_without_default_raises():
    with pytest.raises(KeyError):
        operators.GetItem().run({}, "a")


def test_get_item_missing_key_uses_the_default_attribute():
    assert operators.GetItem(default=0).run({}, "a") == 0


def test_get_item_default_can_be_passed_at_run_time():
    assert operators.GetItem().run({}, "a", default=None) is None


def test_get_item_index_errors_always_propagate():
    with pytest.raises(IndexError):
        operators.GetItem(default=0).run([], 3)


# -- GetAttr ----------------------------------------------------------------------------------


def test_get_attr_reads_an_attribute():
    assert operators.GetAttr().run(SimpleNamespace(a=1), "a") == 1


def test_get_attr_follows_dotted_paths():
    nested = SimpleNamespace(a=SimpleNamespace(b="deep"))
    assert operators.GetAttr().run(nested, "a.b") == "deep"


def test_get_attr_missing_attribute_without_default_raises():
    with pytest.raises(AttributeError):
        operators.GetAttr().run(SimpleNamespace(), "a")


def test_get_attr_missing_attribute_uses_the_default():
    assert operators.GetAttr(default="none").run(SimpleNamespace(), "a.b") == "none"


# -- arithmetic, logic, comparisons ------------------------------------------------------------


@pytest.mark.parametrize(
    ("task_class", "x", "y", "expected"),
    [
        (operators.Add, 7, 2, 9),
        (operators.Sub, 7, 2, 5),
        (operators.Mul, 7, 2, 14),
        (operators.Div, 7, 2, 3.5),
        (operators.FloorDiv, 7, 2, 3),
        (operators.Mod, 7, 2, 1),
        (operators.Pow, 7, 2, 49),
        (operators.And, 0, 2, 0),
        (operators.And, 1, 2, 2),
        (operators.Or, 0, 2, 2),
        (operators.Or, 1, 2, 1),
        (operators.Equal, 2, 2, True),
        (operators.NotEqual, 2, 2, False),
        (operators.GreaterThan, 7, 2, True),
        (operators.GreaterThanOrEqual, 2, 2, True),
        (operators.LessThan, 7, 2, False),
        (operators.LessThanOrEqual, 2, 2, True),
    ],
)
def test_binary_operator_tasks_compute_their_operator(task_class, x, y, expected):
    assert task_class().run(x=x, y=y) == expected


def test_arithmetic_tasks_work_on_any_supporting_types():
    assert operators.Add().run(x=[1], y=[2]) == [1, 2]
    assert operators.Mul().run(x="ab", y=2) == "abab"


@pytest.mark.parametrize(("x", "expected"), [(0, True), ("", True), ([1], False)])
def test_not_negates_truthiness(x, expected):
    assert operators.Not().run(x=x) is expected


def test_operator_tasks_are_named_after_their_class():
    assert operators.Add().name == "Add"
    assert operators.GreaterThanOrEqual().name == "GreaterThanOrEqual"


def test_operator_introspection_reports_real_types():
    assert operators.Add().inputs()["x"] == {"type": typing.Any, "default": None, "required": True}
    assert operators.Not().outputs() is bool
    assert operators.GetItem().inputs()["default"]["required"] is False
