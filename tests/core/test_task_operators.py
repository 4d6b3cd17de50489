"""Operator overloads on `Task`: each builds a bound operator task; `|` declares order."""

import operator

import pytest

from prefect_core.core import Edge, Flow, Task
from prefect_core.tasks.core import operators
from prefect_core.tasks.core.constants import Constant

pytestmark = pytest.mark.filterwarnings("error::UserWarning")

BINARY = [
    (operator.add, operators.Add),
    (operator.sub, operators.Sub),
    (operator.mul, operators.Mul),
    (operator.truediv, operators.Div),
    (operator.floordiv, operators.FloorDiv),
    (operator.mod, operators.Mod),
    (operator.pow, operators.Pow),
    (operator.and_, operators.And),
]
COMPARISONS = [
    (operator.gt, operators.GreaterThan),
    (operator.ge, operators.GreaterThanOrEqual),
    (operator.lt, operators.LessThan),
    (operator.le, operators.LessThanOrEqual),
]
REFLECTED_COMPARISONS = [
    (operator.gt, operators.LessThan),
    (operator.ge, operators.LessThanOrEqual),
    (operator.lt, operators.GreaterThan),
    (operator.le, operators.GreaterThanOrEqual),
]


def _ids(cases):
    return [task_class.__name__ for _, task_class in cases]


@pytest.mark.parametrize(
    ("apply", "task_class"), BINARY + COMPARISONS, ids=_ids(BINARY + COMPARISONS)
)
def test_operator_with_the_task_on_the_left_binds_x_to_the_task(apply, task_class):
    with Flow("f") as flow:
        t = Task()
        result = apply(t, 2)
    assert type(result) is task_class
    assert result.name == task_class.__name__
    assert flow.edges == {Edge(t, result, key="x")}
    assert flow.constants[result] == {"y": 2}


@pytest.mark.parametrize(("apply", "task_class"), BINARY, ids=_ids(BINARY))
def test_reflected_operator_binds_x_to_the_other_operand(apply, task_class):
    with Flow("f") as flow:
        t = Task()
        result = apply(2, t)
    assert type(result) is task_class
    assert flow.edges == {Edge(t, result, key="y")}
    assert flow.constants[result] == {"x": 2}


@pytest.mark.parametrize(
    ("apply", "task_class"), REFLECTED_COMPARISONS, ids=_ids(REFLECTED_COMPARISONS)
)
def test_comparison_with_a_value_on_the_left_swaps_to_the_mirrored_task(apply, task_class):
    with Flow("f") as flow:
        t = Task()
        result = apply(2, t)
    assert type(result) is task_class
    assert flow.edges == {Edge(t, result, key="x")}
    assert flow.constants[result] == {"y": 2}


@pytest.mark.parametrize(("apply", "task_class"), BINARY, ids=_ids(BINARY))
def test_operator_between_two_tasks_binds_both(apply, task_class):
    with Flow("f") as flow:
        left, right = Task(), Task()
        result = apply(left, right)
    assert flow.edges == {Edge(left, result, key="x"), Edge(right, result, key="y")}


def test_operators_need_an_active_flow():
    with pytest.raises(ValueError, match="Could not infer an active Flow context"):
        Task() + 1


def test_operator_results_can_be_chained():
    with Flow("f") as flow:
        t = Task()
        result = (t + 1) * 2
    assert type(result) is operators.Mul
    assert len(flow.tasks) == 3


@pytest.mark.parametrize(
    ("method", "task_class"),
    [("is_equal", operators.Equal), ("is_not_equal", operators.NotEqual), ("or_", operators.Or)],
)
def test_named_comparison_methods_build_tasks(method, task_class):
    with Flow("f") as flow:
        t = Task()
        result = getattr(t, method)(5)
    assert type(result) is task_class
    assert flow.edges == {Edge(t, result, key="x")}
    assert flow.constants[result] == {"y": 5}


def test_not_builds_a_not_task_on_x():
    with Flow("f") as flow:
        t = Task()
        result = t.not_()
    assert type(result) is operators.Not
    assert flow.edges == {Edge(t, result, key="x")}


def test_there_is_no_not_equal_or_and_method():
    assert not hasattr(Task, "not_equal")
    assert not hasattr(Task, "and_")


def test_equality_operators_do_not_build_tasks():
    with Flow("f") as flow:
        t = flow.add_task(Task())
        assert (t == 1) is False
        assert (t != 1) is True
    assert flow.tasks == {t}


# -- `|`: state dependencies ---------------------------------------------------------------


def test_pipe_operator_makes_the_right_task_depend_on_the_left_and_returns_it():
    with Flow("f") as flow:
        a, b = Task(), Task()
        assert (a | b) is b
    assert flow.edges == {Edge(a, b)}


def test_pipe_operator_chains_left_to_right():
    with Flow("f") as flow:
        a, b, c = Task(), Task(), Task()
        a | b | c
    assert flow.edges == {Edge(a, b), Edge(b, c)}


def test_pipe_operator_from_a_value_makes_a_constant_node_upstream():
    with Flow("f") as flow:
        t = Task()
        assert (1 | t) is t
    (edge,) = flow.edges
    assert isinstance(edge.upstream_task, Constant)
    assert edge.upstream_task.value == 1
    assert (edge.downstream_task, edge.key) == (t, None)
    assert flow.constants[t] == {}
