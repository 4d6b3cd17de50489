"""Collection tasks: `VarArgsTask`, `List`, `Tuple`, `Set`, `Dict`."""

import typing

import pytest

from prefect_core.core import Edge, Flow, Task
from prefect_core.tasks.core.collections import Dict, List, Set, Tuple, VarArgsTask

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def test_var_args_bind_keys_positional_inputs_by_position():
    a, b = Task(), Task()
    flow = Flow("f")
    collected = List().bind(a, 5, b, flow=flow)
    assert flow.edges == {Edge(a, collected, key="arg_1"), Edge(b, collected, key="arg_3")}
    assert flow.constants[collected] == {"arg_2": 5}


def test_var_args_bind_accepts_upstream_tasks_and_mapped():
    a, gate = Task(), Task()
    flow = Flow("f")
    collected = Tuple().bind(a, upstream_tasks=[gate], mapped=True, flow=flow)
    assert flow.edges == {
        Edge(a, collected, key="arg_1", mapped=True),
        Edge(gate, collected, mapped=True),
    }


def test_var_args_bind_takes_no_keyword_inputs():
    with pytest.raises(TypeError):
        List().bind(x=1, flow=Flow("f"))


def test_all_sequence_collections_are_var_args_tasks():
    assert issubclass(List, VarArgsTask)
    assert issubclass(Tuple, VarArgsTask)
    assert issubclass(Set, VarArgsTask)
    assert not issubclass(Dict, VarArgsTask)


def test_list_orders_results_by_the_number_of_their_key():
    results = {f"arg_{n}": n for n in (10, 2, 1, 11, 3)}
    assert List().run(**results) == [1, 2, 3, 10, 11]


def test_tuple_orders_results_by_the_number_of_their_key():
    assert Tuple().run(arg_2="b", arg_1="a") == ("a", "b")


def test_set_collects_distinct_results():
    assert Set().run(arg_1=1, arg_2=1, arg_3=2) == {1, 2}


def test_empty_collections():
    assert (List().run(), Tuple().run(), Set().run()) == ([], (), set())


def test_dict_zips_keys_and_values():
    assert Dict().run(keys=["a", "b"], values=[1, 2]) == {"a": 1, "b": 2}


def test_dict_accepts_any_iterables():
    assert Dict().run(keys=("a",), values=iter([1])) == {"a": 1}


def test_dict_rejects_keys_and_values_of_different_lengths():
    with pytest.raises(ValueError, match="^A different number of keys and values were provided!$"):
        Dict().run(keys=["a", "b"], values=[1])


def test_collection_introspection_reports_real_types():
    assert List().outputs() is list
    assert Tuple().outputs() is tuple
    assert Dict().outputs() is dict
    assert List().inputs()["task_results"]["type"] is typing.Any
