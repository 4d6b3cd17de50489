"""Resource managers: the graph a resource block builds, and how it runs."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest

import prefect_core
from prefect_core import Flow, Parameter, context, task
from prefect_core.core import Edge, Task
from prefect_core.engine import signals
from prefect_core.engine.state import Failed, Pending, Skipped, Success, TriggerFailed
from prefect_core.tasks.core.resource_manager import (
    ResourceCleanupTask,
    ResourceContext,
    ResourceInitTask,
    ResourceManager,
    ResourceSetupTask,
    resource_cleanup_trigger,
    resource_manager,
)

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def make_resource(events: list, name: str = "Res", with_setup: bool = True, **fail: bool):
    """A `ResourceManager` whose class records its calls in `events`.

    `fail` flags: `init`, `setup`, `skip_setup`, `cleanup` make that step raise.
    """

    class Res:
        def __init__(self, value: int = 1) -> None:
            events.append(("init", name, value))
            if fail.get("init"):
                raise ValueError("init broke")
            self.value = value

        def cleanup(self, resource: object) -> None:
            events.append(("cleanup", name, resource))
            if fail.get("cleanup"):
                raise ValueError("cleanup broke")

    if with_setup:

        def setup(self: Res) -> object:
            events.append(("setup", name, self.value))
            if fail.get("setup"):
                raise ValueError("setup broke")
            if fail.get("skip_setup"):
                raise signals.SKIP("nothing to set up")
            return self.value * 10

        Res.setup = setup  # type: ignore[attr-defined]
    return resource_manager(Res, name=name)


@pytest.fixture
def events() -> list:
    return []


@task
def use(resource: object) -> object:
    return resource


@task
def fail_on(resource: object) -> object:
    raise ValueError(f"block task broke with {resource}")


@task
def skip_now() -> None:
    raise signals.SKIP("gate closed")


def run_states(flow: Flow):
    flow_state = flow.run()
    return flow_state, flow_state.result


def only(flow: Flow, task_class: type):
    [found] = [task for task in flow.tasks if isinstance(task, task_class)]
    return found


# -- the decorator and ResourceManager -------------------------------------------------------


def test_bare_decorator_returns_a_resource_manager_for_the_class():
    @resource_manager
    class Res:
        def cleanup(self, resource):
            pass

    assert isinstance(Res, ResourceManager)
    assert Res.name == "Res"
    assert Res.resource_class.__name__ == "Res"


def test_decorator_with_keywords_returns_a_decorator_using_them():
    decorate = resource_manager(name="db", setup_task_kwargs={"max_retries": 2})

    class Res:
        def cleanup(self, resource):
            pass

    manager = decorate(Res)
    assert isinstance(manager, ResourceManager)
    assert manager.name == "db"
    assert manager.setup_task_kwargs["max_retries"] == 2


def test_name_defaults_to_resource_for_a_callable_without_a_name():
    class Res:
        def __init__(self, value):
            self.value = value

    manager = ResourceManager(functools.partial(Res, 1))
    assert manager.name == "resource"


def test_default_task_kwargs():
    manager = make_resource([], name="Res")
    assert manager.init_task_kwargs == {"name": "Res"}
    assert manager.setup_task_kwargs == {"name": "Res.setup", "checkpoint": False}
    assert manager.cleanup_task_kwargs == {
        "name": "Res.cleanup",
        "trigger": resource_cleanup_trigger,
        "skip_on_upstream_skip": False,
        "checkpoint": False,
    }


def test_given_task_kwargs_override_defaults_and_are_copied():
    given = {"name": "custom", "skip_on_upstream_skip": True}

    class Res:
        def cleanup(self, resource):
            pass

    manager = ResourceManager(Res, cleanup_task_kwargs=given)
    assert manager.cleanup_task_kwargs["name"] == "custom"
    assert manager.cleanup_task_kwargs["skip_on_upstream_skip"] is True
    assert manager.cleanup_task_kwargs["trigger"] is resource_cleanup_trigger
    assert given == {"name": "custom", "skip_on_upstream_skip": True}
    manager.cleanup_task_kwargs["tags"] = ["x"]
    assert "tags" not in given


def test_resource_manager_is_exported_at_the_top_level_and_from_the_task_library():
    assert prefect_core.resource_manager is resource_manager
    assert "resource_manager" in prefect_core.__all__
    assert prefect_core.tasks.core.resource_manager.ResourceContext is ResourceContext


# -- the tasks added by calling a manager ---------------------------------------------------


def test_call_adds_init_setup_and_cleanup_tasks_with_named_edges(events):
    with Flow("f") as flow:
        block = make_resource(events)(3)
    init, setup, cleanup = block.init_task, block.setup_task, block.cleanup_task
    assert isinstance(block, ResourceContext)
    assert (type(init), type(setup), type(cleanup)) == (
        ResourceInitTask,
        ResourceSetupTask,
        ResourceCleanupTask,
    )
    assert (init.name, setup.name, cleanup.name) == ("Res", "Res.setup", "Res.cleanup")
    assert flow.tasks == {init, setup, cleanup}
    assert flow.edges == {
        Edge(init, setup, key="mgr"),
        Edge(init, cleanup, key="mgr"),
        Edge(setup, cleanup, key="resource"),
    }
    assert flow.constants[init] == {"value": 3}


def test_tasks_carry_their_kwargs_and_resource_roles(events):
    with Flow("f"):
        block = make_resource(events)()
    init, setup, cleanup = block.init_task, block.setup_task, block.cleanup_task
    assert [task._resource_role for task in (init, setup, cleanup)] == ["init", "setup", "cleanup"]
    assert setup.checkpoint is False
    assert cleanup.checkpoint is False
    assert cleanup.trigger is resource_cleanup_trigger
    assert cleanup.skip_on_upstream_skip is False
    assert init.skip_on_upstream_skip is True


def test_init_task_inputs_follow_the_class_constructor(events):
    with Flow("f") as flow:
        value = Parameter("value")
        block = make_resource(events)(value=value)
    assert Edge(value, block.init_task, key="value") in flow.edges
    assert block.init_task.inputs()["value"]["default"] == 1


def test_class_without_setup_gets_only_init_and_cleanup(events):
    with Flow("f") as flow:
        block = make_resource(events, with_setup=False)()
    assert block.setup_task is None
    assert flow.tasks == {block.init_task, block.cleanup_task}
    assert flow.edges == {Edge(block.init_task, block.cleanup_task, key="mgr")}


def test_call_without_a_flow_raises(events):
    with pytest.raises(ValueError, match=r"^Could not infer an active Flow context\.$"):
        make_resource(events)()


def test_call_with_an_explicit_flow_works_outside_a_flow_block(events):
    flow = Flow("f")
    block = make_resource(events)(flow=flow)
    assert flow.tasks == {block.init_task, block.setup_task, block.cleanup_task}


# -- the block ---------------------------------------------------------------------------


def test_entering_the_block_returns_the_setup_task(events):
    with Flow("f"):
        block = make_resource(events)()
        with block as resource:
            assert resource is block.setup_task


def test_entering_a_block_without_setup_returns_none(events):
    with Flow("f"):
        with make_resource(events, with_setup=False)() as resource:
            assert resource is None


def test_block_sets_context_resource_and_restores_the_previous_value(events):
    with Flow("f"):
        outer = make_resource(events, name="outer")()
        inner = make_resource(events, name="inner")()
        with outer:
            with inner:
                assert context.get("resource") is inner
            assert context.get("resource") is outer
        assert "resource" not in context


def test_block_tasks_are_wrapped_by_setup_and_cleanup_at_the_edges_of_the_block(events):
    with Flow("f") as flow:
        block = make_resource(events)()
        with block:
            first = use(1)
            last = use(first)
    setup, cleanup = block.setup_task, block.cleanup_task
    assert Edge(setup, first) in flow.edges
    assert Edge(last, cleanup) in flow.edges
    assert flow.upstream_tasks(last) == {first}
    assert flow.downstream_tasks(first) == {last}


def test_task_taking_the_resource_as_input_gets_no_extra_setup_edge(events):
    with Flow("f") as flow:
        block = make_resource(events)()
        with block as resource:
            used = use(resource)
    assert flow.edges_to(used) == {Edge(block.setup_task, used, key="resource")}


def test_tasks_added_before_the_block_are_not_wrapped(events):
    with Flow("f") as flow:
        before = use(0)
        block = make_resource(events)()
        with block:
            inside = use(before)
    assert flow.upstream_tasks(before) == set()
    assert flow.downstream_tasks(before) == {inside}
    assert flow.upstream_tasks(inside) == {before, block.setup_task}


def test_parameters_and_constants_in_the_block_are_not_wrapped(events):
    with Flow("f") as flow:
        block = make_resource(events)()
        with block:
            value = Parameter("value")
            used = use(value)
    assert flow.upstream_tasks(value) == set()
    assert flow.downstream_tasks(value) == {used}
    assert flow.constants[used] == {}


def test_empty_block_adds_no_edges(events):
    with Flow("f") as flow:
        block = make_resource(events)()
        edges_before = set(flow.edges)
        with block:
            pass
    assert flow.edges == edges_before


def test_block_of_another_flow_raises(events):
    block = make_resource(events)(flow=Flow("first"))
    with Flow("second"):
        with block:
            with pytest.raises(
                ValueError, match=r"^Multiple flows cannot be used with the same resource block$"
            ):
                use(1)


def test_nested_block_runs_inside_the_outer_resource(events):
    with Flow("f") as flow:
        outer = make_resource(events, name="outer")()
        with outer:
            inner = make_resource(events, name="inner")()
            with inner:
                used = use(1)
    assert Edge(outer.setup_task, inner.init_task) in flow.edges
    assert Edge(inner.cleanup_task, outer.cleanup_task) in flow.edges
    assert flow.upstream_tasks(used) == {inner.setup_task}
    assert flow.downstream_tasks(used) == {inner.cleanup_task}


# -- the cleanup trigger -----------------------------------------------------------------


def trigger_states(mgr=None, resource=None, block=None) -> dict:
    init, setup, block_task, cleanup = Task(), Task(), Task(), Task()
    states = {Edge(init, cleanup, key="mgr"): mgr or Success()}
    if resource is not None:
        states[Edge(setup, cleanup, key="resource")] = resource
    if block is not None:
        states[Edge(block_task, cleanup)] = block
    return states


def test_cleanup_trigger_passes_when_init_and_setup_succeeded_even_if_the_block_failed():
    assert resource_cleanup_trigger(trigger_states(resource=Success(), block=Failed())) is True


def test_cleanup_trigger_fails_while_an_upstream_task_is_unfinished():
    with pytest.raises(signals.TRIGGERFAIL) as raised:
        resource_cleanup_trigger(trigger_states(resource=Success(), block=Pending()))
    assert str(raised.value) == (
        "Trigger was 'resource_cleanup_trigger' but some of the upstream tasks were not "
        "finished."
    )


@pytest.mark.parametrize(
    ("mgr", "resource", "message"),
    [
        (Skipped(), Skipped(), "Resource manager init skipped"),
        (Failed(), TriggerFailed(), "Resource manager init failed"),
        (Success(), Skipped(), "Resource manager setup skipped"),
        (Success(), Failed(), "Resource manager setup failed"),
    ],
)
def test_cleanup_trigger_skips_when_init_or_setup_did_not_succeed(mgr, resource, message):
    with pytest.raises(signals.SKIP) as raised:
        resource_cleanup_trigger(trigger_states(mgr=mgr, resource=resource))
    assert str(raised.value) == message


# -- running -------------------------------------------------------------------------------


def test_run_sets_up_runs_the_block_then_cleans_up(events):
    with Flow("f") as flow:
        with make_resource(events)(2) as resource:
            used = use(resource)
    flow_state, states = run_states(flow)
    assert flow_state.is_successful()
    assert states[used].result == 20
    assert events == [("init", "Res", 2), ("setup", "Res", 2), ("cleanup", "Res", 20)]


def test_cleanup_runs_when_a_block_task_fails(events):
    with Flow("f") as flow:
        with make_resource(events)() as resource:
            broken = fail_on(resource)
            use(resource)
    flow_state, states = run_states(flow)
    assert isinstance(states[broken], Failed)
    assert isinstance(states[only(flow, ResourceCleanupTask)], Success)
    assert events[-1] == ("cleanup", "Res", 10)


def test_flow_fails_when_a_block_task_fails_although_cleanup_succeeded(events):
    with Flow("f") as flow:
        with make_resource(events)() as resource:
            fail_on(resource)
    flow_state, _ = run_states(flow)
    assert flow_state.is_failed()


def test_failed_cleanup_does_not_fail_the_flow(events):
    with Flow("f") as flow:
        with make_resource(events, cleanup=True)() as resource:
            use(resource)
    flow_state, states = run_states(flow)
    assert flow_state.is_successful()
    assert isinstance(states[only(flow, ResourceCleanupTask)], Failed)


def test_cleanup_is_skipped_when_init_fails(events):
    with Flow("f") as flow:
        with make_resource(events, init=True)() as resource:
            used = use(resource)
    flow_state, states = run_states(flow)
    cleanup_state = states[only(flow, ResourceCleanupTask)]
    assert isinstance(cleanup_state, Skipped)
    assert cleanup_state.message == "Resource manager init failed"
    assert isinstance(states[only(flow, ResourceSetupTask)], TriggerFailed)
    assert isinstance(states[used], TriggerFailed)
    assert flow_state.is_failed()


def test_cleanup_is_skipped_when_setup_fails(events):
    with Flow("f") as flow:
        with make_resource(events, setup=True)() as resource:
            used = use(resource)
    flow_state, states = run_states(flow)
    cleanup_state = states[only(flow, ResourceCleanupTask)]
    assert isinstance(cleanup_state, Skipped)
    assert cleanup_state.message == "Resource manager setup failed"
    assert isinstance(states[used], TriggerFailed)
    assert not any(event[0] == "cleanup" for event in events)


def test_cleanup_is_skipped_when_init_is_skipped(events):
    with Flow("f") as flow:
        with make_resource(events)(skip_now()) as resource:
            used = use(resource)
    flow_state, states = run_states(flow)
    cleanup_state = states[only(flow, ResourceCleanupTask)]
    assert isinstance(cleanup_state, Skipped)
    assert cleanup_state.message == "Resource manager init skipped"
    assert isinstance(states[used], Skipped)
    assert flow_state.is_successful()
    assert events == []


def test_cleanup_is_skipped_when_setup_is_skipped(events):
    with Flow("f") as flow:
        with make_resource(events, skip_setup=True)() as resource:
            use(resource)
    _, states = run_states(flow)
    cleanup_state = states[only(flow, ResourceCleanupTask)]
    assert isinstance(cleanup_state, Skipped)
    assert cleanup_state.message == "Resource manager setup skipped"


def test_class_without_setup_is_cleaned_up_with_none(events):
    with Flow("f") as flow:
        with make_resource(events, with_setup=False)():
            used = use(1)
    flow_state, states = run_states(flow)
    assert flow_state.is_successful()
    assert states[used].result == 1
    assert events == [("init", "Res", 1), ("cleanup", "Res", None)]


def test_retry_pass_sets_the_resource_up_again(events):
    attempts = []

    @task(max_retries=1, retry_delay=timedelta(0))
    def flaky(resource):
        attempts.append(resource)
        if len(attempts) == 1:
            raise ValueError("first attempt fails")
        return resource

    with Flow("f") as flow:
        with make_resource(events)() as resource:
            retried = flaky(resource)
    flow_state, states = run_states(flow)
    assert flow_state.is_successful()
    assert states[retried].result == 10
    assert [event[0] for event in events] == ["init", "setup", "setup", "cleanup"]
    assert isinstance(states[only(flow, ResourceCleanupTask)], Success)


def test_nested_blocks_clean_up_the_inner_resource_before_the_outer_one(events):
    with Flow("f") as flow:
        with make_resource(events, name="outer")(1):
            with make_resource(events, name="inner")(2) as inner:
                use(inner)
    flow_state, _ = run_states(flow)
    assert flow_state.is_successful()
    assert events == [
        ("init", "outer", 1),
        ("setup", "outer", 1),
        ("init", "inner", 2),
        ("setup", "inner", 2),
        ("cleanup", "inner", 20),
        ("cleanup", "outer", 10),
    ]


def test_sequential_blocks_each_set_up_and_clean_up_their_own_resource(events):
    with Flow("f") as flow:
        with make_resource(events, name="first")(1) as first:
            used_first = use(first)
        with make_resource(events, name="second")(2) as second:
            used_second = use(second)
    flow_state, states = run_states(flow)
    assert flow_state.is_successful()
    assert (states[used_first].result, states[used_second].result) == (10, 20)
    assert {event for event in events if event[0] == "cleanup"} == {
        ("cleanup", "first", 10),
        ("cleanup", "second", 20),
    }
