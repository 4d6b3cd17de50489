"""`prefect_core.tasks.control_flow`: `CompareValue`, `case`, `Merge`/`merge`, `switch` and
`ifelse`."""

import pytest

import prefect_core
from prefect_core import triggers
from prefect_core.core import Edge, Flow, Parameter, Task
from prefect_core.engine import signals
from prefect_core.engine.state import Skipped, Success
from prefect_core.tasks.control_flow import case, ifelse, merge, switch
from prefect_core.tasks.control_flow.conditional import CompareValue, Merge
from prefect_core.tasks.core.collections import List
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import task

pytestmark = pytest.mark.filterwarnings("error::UserWarning")

@task
def identity(x):
    return x


@task
def inc(x):
    return x + 1


@task
def say(word):
    return word


@task
def hello():
    return "hello"


def compare_tasks(flow):
    return {t for t in flow.tasks if isinstance(t, CompareValue)}


def only(tasks):
    (single,) = tasks
    return single


# -- CompareValue ----------------------------------------------------------------------------


def test_compare_value_is_named_after_its_value():
    assert CompareValue("a").name == 'CompareValue: "a"'


def test_compare_value_keeps_an_explicit_name():
    assert CompareValue("a", name="is a").name == "is a"


def test_compare_value_succeeds_silently_on_a_match():
    assert CompareValue(3).run(3) is None


def test_compare_value_skips_on_a_mismatch():
    with pytest.raises(signals.SKIP, match='^Provided value "b" did not match "a"$'):
        CompareValue("a").run("b")


# -- case: the block -------------------------------------------------------------------------


def test_case_value_cannot_be_a_task():
    with pytest.raises(TypeError, match="^`value` cannot be a task$"):
        case(Task(), Task())


def test_case_is_exported_at_the_top_level():
    assert prefect_core.case is case
    assert "case" in prefect_core.__all__


def test_entering_a_case_returns_none():
    with Flow("f"), case(identity(1), 1) as entered:
        assert entered is None


def test_case_is_the_context_case_inside_its_block_only():
    block = case(1, 1)
    with block:
        assert context.get("case") is block
    assert "case" not in context


def test_nested_case_restores_the_outer_case():
    outer, inner = case(1, 1), case(2, 2)
    with outer:
        with inner:
            assert context.get("case") is inner
        assert context.get("case") is outer


def test_case_registers_tasks_added_in_its_block():
    block = case(1, 1)
    with Flow("f") as flow, block:
        inner = identity(1)
    assert inner in block._tasks
    assert block._flow is flow


def test_case_adds_a_condition_task_bound_to_the_case_task():
    with Flow("f") as flow:
        condition = say("a")
        with case(condition, "a"):
            identity(1)
    compare = only(compare_tasks(flow))
    assert compare.name == "case(a)"
    assert compare.value == "a"
    assert Edge(condition, compare, key="value") in flow.edges


def test_case_guards_the_roots_of_its_block_with_state_only_edges():
    with Flow("f") as flow:
        with case(say("a"), "a"):
            first = identity(1)
            second = inc(first)
    compare = only(compare_tasks(flow))
    assert Edge(compare, first) in flow.edges
    assert flow.upstream_tasks(second) == {first}


def test_case_guards_every_independent_root():
    with Flow("f") as flow:
        with case(say("a"), "a"):
            first, second = identity(1), hello()
    compare = only(compare_tasks(flow))
    assert flow.downstream_tasks(compare) == {first, second}


def test_case_accepts_a_constant_condition():
    with Flow("f") as flow, case("a", "a"):
        identity(1)
    compare = only(compare_tasks(flow))
    assert flow.constants[compare] == {"value": "a"}


def test_tasks_already_in_the_flow_do_not_join_the_case():
    with Flow("f") as flow:
        before = identity(1)
        with case(say("a"), "a"):
            after = inc(before)
    compare = only(compare_tasks(flow))
    assert flow.upstream_tasks(before) == set()
    assert compare in flow.upstream_tasks(after)


def test_parameters_and_constants_do_not_join_the_case():
    block = case(1, 1)
    with Flow("f") as flow, block:
        parameter = Parameter("p")
        identity(parameter)
        inc.map([1, 2])  # a mapped constant becomes a Constant task
    assert not any(t._is_parameter or t._is_constant for t in block._tasks)
    assert flow.upstream_tasks(parameter) == set()


def test_an_empty_case_block_adds_nothing():
    with Flow("f") as flow:
        condition = say("a")
        with case(condition, "a"):
            pass
    assert flow.tasks == {condition}
    assert flow.edges == set()


def test_one_case_cannot_span_two_flows():
    block = case(1, 1)
    with Flow("first"), block:
        identity(1)
        with Flow("second"), pytest.raises(ValueError) as raised:
            identity(2)
    assert str(raised.value) == "Multiple flows cannot be used with the same case statement"


def test_nested_case_condition_joins_the_outer_case():
    with Flow("f") as flow:
        condition = say("a")
        with case(condition, "a"):
            with case(condition, "b"):
                inner = hello()
            sibling = identity(1)
    tasks_by_name = {t.name: t for t in compare_tasks(flow)}
    outer, inner_compare = tasks_by_name["case(a)"], tasks_by_name["case(b)"]
    assert flow.upstream_tasks(inner_compare) == {condition, outer}
    assert flow.upstream_tasks(inner) == {inner_compare}
    assert flow.upstream_tasks(sibling) == {outer}


def test_a_block_that_raises_still_guards_the_tasks_it_added():
    with Flow("f") as flow:
        with pytest.raises(RuntimeError), case(say("a"), "a"):
            added = hello()
            raise RuntimeError("boom")
    compare = only(compare_tasks(flow))
    assert flow.upstream_tasks(added) == {compare}


def test_a_task_removed_by_a_failed_build_call_is_not_guarded():
    rolled_back = Task()
    with Flow("f") as flow:
        condition = say("a")
        with case(condition, "a"):
            with pytest.raises(ValueError, match="Key must be a valid identifier"):
                flow.set_dependencies(rolled_back, keyword_tasks={"not valid": condition})
    assert flow.tasks == {condition}


# -- case: at run time -----------------------------------------------------------------------


def test_case_block_runs_when_the_condition_matches():
    with Flow("f") as flow:
        with case(say("a"), "a"):
            result = hello()
    state = flow.run()
    assert state.is_successful()
    assert state.result[result].result == "hello"


def test_case_block_is_skipped_when_the_condition_does_not_match():
    with Flow("f") as flow:
        with case(say("b"), "a"):
            result = hello()
    state = flow.run()
    compare = only(compare_tasks(flow))
    assert state.is_successful()
    assert isinstance(state.result[compare], Skipped)
    assert state.result[compare].message == 'Provided value "b" did not match "a"'
    assert isinstance(state.result[result], Skipped)


def test_tasks_downstream_of_a_skipped_block_are_skipped():
    with Flow("f") as flow:
        with case(say("b"), "a"):
            inside = identity(1)
        after = inc(inside)
    state = flow.run()
    assert isinstance(state.result[after], Skipped)


def test_nested_block_is_skipped_when_the_outer_condition_does_not_match():
    with Flow("f") as flow:
        with case(say("b"), "a"):
            with case(say("x"), "x"):
                inner = hello()
    state = flow.run()
    assert isinstance(state.result[inner], Skipped)


def test_merge_picks_the_case_branch_that_ran():
    with Flow("branch") as flow:
        condition = say("b")
        with case(condition, "a"):
            branch_a = say("ran a")
        with case(condition, "b"):
            branch_b = say("ran b")
        merged = merge(branch_a, branch_b)
    state = flow.run()
    assert isinstance(state.result[branch_a], Skipped)
    assert state.result[merged].result == "ran b"


def test_an_exception_in_a_running_block_fails_its_task():
    @task
    def explode():
        raise ValueError("boom")

    with Flow("f") as flow:
        with case(say("a"), "a"):
            failing = explode()
    state = flow.run()
    assert state.is_failed()
    assert state.result[failing].is_failed()
    assert isinstance(state.result[failing].result, ValueError)


# -- Merge and merge -------------------------------------------------------------------------


def test_merge_does_not_skip_on_upstream_skip_by_default():
    assert Merge().skip_on_upstream_skip is False


def test_merge_refuses_skip_on_upstream_skip():
    with pytest.raises(ValueError) as raised:
        Merge(skip_on_upstream_skip=True)
    assert str(raised.value) == "Merge tasks must have `skip_on_upstream_skip=False`."


def test_merge_trigger_defaults_to_not_all_skipped():
    assert Merge().trigger is triggers.not_all_skipped


def test_merge_keeps_an_explicit_trigger():
    assert Merge(trigger=triggers.all_finished).trigger is triggers.all_finished


def test_merge_returns_the_first_non_none_result_by_key():
    assert Merge().run(task_2="b", task_1=None, task_3="c") == "b"


def test_merge_orders_keys_as_strings():
    assert Merge().run(task_2="two", task_10="ten") == "ten"


def test_merge_of_only_none_results_is_none():
    assert Merge().run(task_1=None, task_2=None) is None


def test_merge_keeps_falsy_results_that_are_not_none():
    assert Merge().run(task_1=None, task_2=0, task_3=1) == 0


def test_merge_binds_its_inputs_as_numbered_keys():
    with Flow("f") as flow:
        first, second = say("a"), say("b")
        merged = merge(first, second)
    assert isinstance(merged, Merge)
    assert flow.edges_to(merged) == {
        Edge(first, merged, key="task_1"),
        Edge(second, merged, key="task_2"),
    }


def test_merge_passes_task_keywords_to_merge():
    with Flow("f"):
        merged = merge(say("a"), name="joined")
    assert merged.name == "joined"


def test_merge_uses_the_given_flow():
    flow = Flow("f")
    first = say.copy().bind("a", flow=flow)
    merged = merge(first, flow=flow)
    assert flow.upstream_tasks(merged) == {first}


def test_merge_with_mapped_makes_mapped_edges():
    with Flow("f") as flow:
        first = say("a")
        merged = merge(first, mapped=True)
    assert flow.edges_to(merged) == {Edge(first, merged, key="task_1", mapped=True)}


def test_merge_of_all_skipped_branches_is_skipped():
    with Flow("f") as flow:
        condition = say("c")
        with case(condition, "a"):
            branch_a = say("ran a")
        with case(condition, "b"):
            branch_b = say("ran b")
        merged = merge(branch_a, branch_b)
    state = flow.run()
    assert state.is_successful()
    assert isinstance(state.result[merged], Skipped)
    assert state.result[merged].message == "All upstreams were skipped"


# -- switch ----------------------------------------------------------------------------------


def test_switch_guards_each_branch_with_a_compare_value():
    with Flow("f") as flow:
        condition = say("a")
        branch_a, branch_b = say("A"), say("B")
        returned = switch(condition, {"a": branch_a, "b": branch_b})
    assert returned is None
    compares = {t.value: t for t in compare_tasks(flow)}
    assert set(compares) == {"a", "b"}
    for value, branch in (("a", branch_a), ("b", branch_b)):
        assert compares[value].name == f'CompareValue: "{value}"'
        assert Edge(condition, compares[value], key="value") in flow.edges
        assert Edge(compares[value], branch) in flow.edges


def test_switch_tags_its_compare_tasks_but_not_existing_branches():
    with Flow("f") as flow:
        branch = say("A")
        switch(say("a"), {"a": branch})
    assert only(compare_tasks(flow)).tags == {"switch"}
    assert branch.tags == set()


def test_switch_guards_the_collection_task_of_a_list_branch():
    with Flow("f") as flow:
        member = say("A")
        switch(say("a"), {"a": [member, 2]})
    collection = only(t for t in flow.tasks if isinstance(t, List))
    compare = only(compare_tasks(flow))
    assert collection.tags == {"switch"}
    assert flow.upstream_tasks(collection) == {member, compare}
    assert compare not in flow.upstream_tasks(member)


def test_switch_needs_an_active_flow():
    with pytest.raises(ValueError, match="Could not infer an active Flow context"):
        switch(Task(), {"a": Task()})


def test_switch_with_mapped_makes_mapped_edges():
    with Flow("f") as flow:
        condition, branch = say("a"), say("A")
        switch(condition, {"a": branch}, mapped=True)
    compare = only(compare_tasks(flow))
    assert Edge(condition, compare, key="value", mapped=True) in flow.edges
    assert Edge(compare, branch, mapped=True) in flow.edges


def test_switch_runs_only_the_matching_branch():
    with Flow("f") as flow:
        branch_a, branch_b = say("A"), say("B")
        switch(say("b"), {"a": branch_a, "b": branch_b})
    state = flow.run()
    assert isinstance(state.result[branch_a], Skipped)
    assert not isinstance(state.result[branch_b], Skipped)
    assert state.result[branch_b].result == "B"


def test_switch_skips_tasks_downstream_of_an_unselected_branch():
    with Flow("f") as flow:
        branch_a = say("A")
        after_a = identity(branch_a)
        switch(say("b"), {"a": branch_a, "b": say("B")})
    state = flow.run()
    assert isinstance(state.result[after_a], Skipped)


def test_mapped_switch_selects_a_branch_per_element():
    with Flow("f") as flow:
        conditions = identity.map(["a", "b", "a"])
        branch_a, branch_b = identity.map([1, 2, 3]), identity.map([10, 20, 30])
        switch(conditions, {"a": branch_a, "b": branch_b}, mapped=True)
        merged = merge(branch_a, branch_b, mapped=True)
    state = flow.run()
    assert state.result[merged].result == [1, 20, 3]


# -- ifelse ----------------------------------------------------------------------------------


def test_ifelse_converts_the_condition_with_as_bool():
    with Flow("f") as flow:
        condition = say(1)
        ifelse(condition, say("yes"), say("no"))
    as_bool = only(t for t in flow.tasks if t.name == "as_bool")
    assert Edge(condition, as_bool, key="x") in flow.edges
    assert {t.name for t in flow.downstream_tasks(as_bool)} == {
        'CompareValue: "True"',
        'CompareValue: "False"',
    }


def test_ifelse_guards_each_branch():
    with Flow("f") as flow:
        yes, no = say("yes"), say("no")
        ifelse(say(1), yes, no)
    compares = {t.value: t for t in compare_tasks(flow)}
    assert flow.upstream_tasks(yes) == {compares[True]}
    assert flow.upstream_tasks(no) == {compares[False]}


def test_ifelse_leaves_out_a_missing_branch():
    with Flow("f") as flow:
        ifelse(say(1), say("yes"), None)
    assert {t.value for t in compare_tasks(flow)} == {True}


def test_ifelse_without_branches_adds_nothing():
    with Flow("f") as flow:
        condition = say(1)
        ifelse(condition, None, None)
    assert flow.tasks == {condition}


def test_ifelse_with_mapped_maps_the_condition():
    with Flow("f") as flow:
        condition = say([1])
        ifelse(condition, say("yes"), None, mapped=True)
    as_bool = only(t for t in flow.tasks if t.name == "as_bool")
    assert Edge(condition, as_bool, key="x", mapped=True) in flow.edges


@pytest.mark.parametrize(
    ("value", "chosen"), [(1, "yes"), (0, "no"), ([], "no"), ("x", "yes")]
)
def test_ifelse_runs_the_branch_matching_the_condition_truthiness(value, chosen):
    with Flow("f") as flow:
        yes, no = say("yes"), say("no")
        ifelse(say(value), yes, no)
    state = flow.run()
    ran, skipped = (yes, no) if chosen == "yes" else (no, yes)
    assert isinstance(state.result[ran], Success)
    assert not isinstance(state.result[ran], Skipped)
    assert state.result[ran].result == chosen
    assert isinstance(state.result[skipped], Skipped)


def test_mapped_ifelse_selects_a_branch_per_element():
    with Flow("f") as flow:
        conditions = identity.map([True, False])
        yes, no = say.map(["yes", "yes"]), say.map(["no", "no"])
        ifelse(conditions, yes, no, mapped=True)
        merged = merge(yes, no, mapped=True)
    state = flow.run()
    assert state.result[merged].result == ["yes", "no"]
