"""`TaskRunner`: targets, output caching and checkpointing of results."""

from __future__ import annotations

import logging
import os
import pickle
import threading
from datetime import UTC, datetime, timedelta

import cloudpickle
import pytest
from dask.base import tokenize

from prefect_core.core.edge import Edge
from prefect_core.core.task import Task
from prefect_core.engine import cache_validators, signals
from prefect_core.engine.result import Result
from prefect_core.engine.results import ConstantResult, LocalResult, PrefectResult, SecretResult
from prefect_core.engine.serializers import JSONSerializer
from prefect_core.engine.state import Cached, Failed, Pending, Running, Skipped, Success
from prefect_core.engine.task_runner import TaskRunner
from prefect_core.utilities.configuration import set_temporary_config
from tests.engine.sample_tasks import Counter


def inputs(task, **values):
    """Keyed upstream `Success` states feeding `values` into `task`."""
    return {Edge(Task(), task, key=key): Success(result=value) for key, value in values.items()}


def checkpointing(value=True):
    return {"checkpointing": value}


def read_pickle(path):
    with open(path, "rb") as file:
        return cloudpickle.loads(file.read())


# -- targets ----------------------------------------------------------------------------


def test_present_target_gives_cached_without_running(tmp_path):
    result = LocalResult(dir=tmp_path)
    (tmp_path / "out.bin").write_bytes(cloudpickle.dumps(99))
    task = Counter(target="out.bin", result=result)
    state = TaskRunner(task).run(context={"parameters": {"p": 1}})
    assert type(state) is Cached
    assert state.result == 99
    assert state.message == "Result found at task target out.bin"
    assert state.cached_result_expiration is None
    assert state.cached_parameters == {"p": 1}
    assert task.calls == 0


def test_missing_target_runs_and_writes_it_when_checkpointing(tmp_path):
    task = Counter(target="out.bin", result=LocalResult(dir=tmp_path))
    state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Success
    assert state._result.location == str(tmp_path / "out.bin")
    assert read_pickle(tmp_path / "out.bin") == 1
    second = Counter(target="out.bin", result=LocalResult(dir=tmp_path))
    assert type(TaskRunner(second).run()) is Cached
    assert second.calls == 0


def test_missing_target_is_not_written_without_checkpointing(tmp_path):
    task = Counter(target="out.bin", result=LocalResult(dir=tmp_path))
    state = TaskRunner(task).run(context=checkpointing(False))
    assert state.result == 1
    assert not (tmp_path / "out.bin").exists()


def test_target_template_uses_parameters_context_and_inputs(tmp_path):
    task = Counter(target="{flavour}-{task_name}-{x}.bin", result=LocalResult(dir=tmp_path))
    state = TaskRunner(task).run(
        upstream_states=inputs(task, x=4),
        context={**checkpointing(), "parameters": {"flavour": "mint"}},
    )
    assert state.result == 5
    assert read_pickle(tmp_path / "mint-Counter-4.bin") == 5


def test_callable_target_is_called_with_the_template_values(tmp_path):
    def target(**kwargs):
        return f"{kwargs['task_name']}-{kwargs['x']}.bin"

    task = Counter(target=target, result=LocalResult(dir=tmp_path))
    TaskRunner(task).run(upstream_states=inputs(task, x=1), context=checkpointing())
    assert read_pickle(tmp_path / "Counter-1.bin") == 2


def test_target_naming_a_missing_key_fails_naming_the_task(tmp_path):
    task = Counter(name="extract", target="{nowhere}.bin", result=LocalResult(dir=tmp_path))
    state = TaskRunner(task).run()
    assert type(state) is Failed
    assert "extract" in state.message
    assert "nowhere" in state.message
    assert task.calls == 0


def test_corrupt_target_file_reruns_with_a_warning_naming_it(tmp_path, caplog):
    (tmp_path / "out.bin").write_bytes(b"\x00 not a pickle")
    task = Counter(target="out.bin", result=LocalResult(dir=tmp_path))
    with caplog.at_level(logging.WARNING, logger="prefect_core"):
        state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Success
    assert task.calls == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(tmp_path / "out.bin") in message for message in warnings)
    assert read_pickle(tmp_path / "out.bin") == 1


def test_target_without_a_result_class_fails_with_not_implemented():
    task = Counter(target="out.bin")
    state = TaskRunner(task).run()
    assert type(state) is Failed
    assert state.message.startswith("Unexpected error: ResultNotImplementedError(")


def test_target_value_with_braces_is_not_formatted_twice(tmp_path):
    task = Counter(target="{name}.bin", result=LocalResult(dir=tmp_path))
    (tmp_path / "{odd}.bin").write_bytes(cloudpickle.dumps(7))
    state = TaskRunner(task).run(context={"parameters": {"name": "{odd}"}})
    assert type(state) is Cached
    assert state.result == 7


def test_target_check_with_prefect_result_location(tmp_path):
    task = Counter(target="41", result=PrefectResult())
    state = TaskRunner(task).run()
    assert type(state) is Cached
    assert state.result == 41


# -- caching ----------------------------------------------------------------------------


def test_cache_for_turns_a_success_into_cached():
    task = Counter(cache_for=timedelta(minutes=5))
    before = datetime.now(UTC)
    state = TaskRunner(task).run(upstream_states=inputs(task, x=2), context={"parameters": {}})
    assert type(state) is Cached
    assert state.result == 3
    assert state.message == "Task run succeeded."
    assert state.hashed_inputs == {"x": tokenize(2)}
    assert state.cached_parameters == {}
    assert before + timedelta(minutes=5) <= state.cached_result_expiration
    assert state.cached_result_expiration <= datetime.now(UTC) + timedelta(minutes=5)


def test_given_valid_cached_state_is_returned_without_running():
    task = Counter(cache_for=timedelta(minutes=5))
    given = Cached(result=10, cached_result_expiration=datetime.now(UTC) + timedelta(minutes=1))
    assert TaskRunner(task).run(state=given) is given
    assert task.calls == 0


def test_given_expired_cached_state_reruns():
    messages = []
    task = Counter(
        cache_for=timedelta(minutes=5),
        state_handlers=[lambda t, o, n: messages.append((type(n).__name__, n.message))],
    )
    given = Cached(result=10, cached_result_expiration=datetime.now(UTC) - timedelta(seconds=1))
    state = TaskRunner(task).run(state=given)
    assert type(state) is Cached
    assert state.result == 1
    assert task.calls == 1
    assert messages[0] == ("Pending", "Cache was invalid; ready to run.")


def test_cached_state_without_cache_for_is_invalid_and_reruns():
    task = Counter()
    given = Cached(result=10)
    state = TaskRunner(task).run(state=given)
    assert type(state) is Success
    assert state.result == 1


def test_valid_cache_in_context_is_reused():
    task = Counter(name="t", cache_for=timedelta(minutes=5))
    candidate = Cached(result=7, cached_result_expiration=datetime.now(UTC) + timedelta(1))
    state = TaskRunner(task).run(context={"caches": {"t": [candidate]}})
    assert state is candidate
    assert task.calls == 0


def test_first_valid_cache_candidate_wins():
    task = Counter(name="t", cache_for=timedelta(minutes=5))
    expired = Cached(result=1, cached_result_expiration=datetime.now(UTC) - timedelta(1))
    valid = Cached(result=2, cached_result_expiration=datetime.now(UTC) + timedelta(1))
    later = Cached(result=3, cached_result_expiration=datetime.now(UTC) + timedelta(1))
    state = TaskRunner(task).run(context={"caches": {"t": [expired, valid, later]}})
    assert state is valid


def test_cache_key_shares_caches_between_tasks():
    task = Counter(name="other", cache_for=timedelta(minutes=5), cache_key="shared")
    candidate = Cached(result=7, cached_result_expiration=datetime.now(UTC) + timedelta(1))
    state = TaskRunner(task).run(context={"caches": {"shared": [candidate], "other": []}})
    assert state is candidate


def test_invalid_context_cache_reruns_with_a_warning(caplog):
    task = Counter(name="t", cache_for=timedelta(minutes=5))
    expired = Cached(result=7, cached_result_expiration=datetime.now(UTC) - timedelta(1))
    with caplog.at_level(logging.WARNING, logger="prefect_core"):
        state = TaskRunner(task).run(context={"caches": {"t": [expired]}})
    assert type(state) is Cached
    assert state.result == 1
    assert any(
        "Can't use cache because it is now invalid" in r.getMessage() for r in caplog.records
    )


def test_all_inputs_validator_reuses_cache_for_the_same_inputs():
    task = Counter(
        name="t", cache_for=timedelta(minutes=5), cache_validator=cache_validators.all_inputs
    )
    first = TaskRunner(task).run(upstream_states=inputs(task, x=1))
    again = TaskRunner(task).run(
        upstream_states=inputs(task, x=1), context={"caches": {"t": [first]}}
    )
    assert again is first
    other = TaskRunner(task).run(
        upstream_states=inputs(task, x=2), context={"caches": {"t": [first]}}
    )
    assert other is not first
    assert other.result == 3
    assert task.calls == 2


def test_all_parameters_validator_compares_parameters():
    task = Counter(
        name="t", cache_for=timedelta(minutes=5), cache_validator=cache_validators.all_parameters
    )
    first = TaskRunner(task).run(context={"parameters": {"p": 1}})
    same = TaskRunner(task).run(context={"parameters": {"p": 1}, "caches": {"t": [first]}})
    changed = TaskRunner(task).run(context={"parameters": {"p": 2}, "caches": {"t": [first]}})
    assert same is first
    assert changed is not first
    assert type(changed) is Cached


def test_partial_inputs_only_validator_ignores_other_inputs():
    class Two(Task):
        def run(self, x, y):
            return x + y

    task = Two(
        name="t",
        cache_for=timedelta(minutes=5),
        cache_validator=cache_validators.partial_inputs_only(validate_on=["x"]),
    )
    first = TaskRunner(task).run(upstream_states=inputs(task, x=1, y=1))
    again = TaskRunner(task).run(
        upstream_states=inputs(task, x=1, y=5), context={"caches": {"t": [first]}}
    )
    assert again is first
    assert again.result == 2


def test_skipped_state_is_not_cached():
    class Skipper(Task):
        def run(self):
            raise signals.SKIP("no")

    state = TaskRunner(Skipper(cache_for=timedelta(minutes=1))).run()
    assert type(state) is Skipped


def test_failed_run_is_not_cached():
    class Broken(Task):
        def run(self):
            raise ValueError("x")

    assert type(TaskRunner(Broken(cache_for=timedelta(minutes=1))).run()) is Failed


# -- checkpointing ----------------------------------------------------------------------


def test_checkpointing_writes_the_value_to_the_result_folder(tmp_path):
    task = Counter(result=LocalResult(dir=tmp_path, location="{task_name}.bin"))
    state = TaskRunner(task).run(context=checkpointing())
    assert state.result == 1
    assert state._result.location == str(tmp_path / "Counter.bin")
    assert read_pickle(tmp_path / "Counter.bin") == 1


def test_checkpointing_off_keeps_the_value_in_memory(tmp_path):
    task = Counter(result=LocalResult(dir=tmp_path))
    state = TaskRunner(task).run(context=checkpointing(False))
    assert state.result == 1
    assert state._result.location is None
    assert os.listdir(tmp_path) == []


def test_checkpointing_string_true_does_not_count(tmp_path):
    task = Counter(result=LocalResult(dir=tmp_path))
    TaskRunner(task).run(context=checkpointing("true"))
    assert os.listdir(tmp_path) == []


def test_task_checkpoint_false_is_never_written(tmp_path):
    task = Counter(result=LocalResult(dir=tmp_path), checkpoint=False)
    state = TaskRunner(task).run(context=checkpointing())
    assert state.result == 1
    assert os.listdir(tmp_path) == []


def test_none_value_is_not_written(tmp_path):
    class Nothing(Task):
        def run(self):
            return None

    state = TaskRunner(Nothing(result=LocalResult(dir=tmp_path))).run(context=checkpointing())
    assert type(state) is Success
    assert os.listdir(tmp_path) == []


def test_checkpointing_follows_config_when_context_has_no_key(tmp_path):
    task = Counter(result=LocalResult(dir=tmp_path))
    with set_temporary_config({"flows.checkpointing": True}):
        TaskRunner(task).run()
    assert len(os.listdir(tmp_path)) == 1


def test_context_checkpointing_beats_config(tmp_path):
    task = Counter(result=LocalResult(dir=tmp_path))
    with set_temporary_config({"flows.checkpointing": True}):
        TaskRunner(task).run(context=checkpointing(False))
    assert os.listdir(tmp_path) == []


def test_flow_result_is_used_for_checkpoints(tmp_path):
    runner = TaskRunner(Counter(), flow_result=LocalResult(dir=tmp_path, location="f.bin"))
    state = runner.run(context=checkpointing())
    assert read_pickle(tmp_path / "f.bin") == 1
    assert state._result.location == str(tmp_path / "f.bin")


def test_base_result_keeps_value_in_memory_when_checkpointing():
    state = TaskRunner(Counter()).run(context=checkpointing())
    assert type(state) is Success
    assert state.result == 1
    assert type(state._result) is Result


def test_constant_result_cannot_be_written():
    state = TaskRunner(Counter(result=ConstantResult(value=3))).run(context=checkpointing())
    assert type(state) is Failed
    assert state.message == (
        "Unexpected error: ValueError('Cannot write values to `ConstantResult` types.')"
    )


def test_prefect_result_stores_value_in_location():
    state = TaskRunner(Counter(result=PrefectResult())).run(context=checkpointing())
    assert state._result.location == "1"


def test_unserializable_value_fails_naming_the_task():
    class MakeFunction(Task):
        def run(self):
            return lambda: 1

    task = MakeFunction(name="maker", result=PrefectResult(serializer=JSONSerializer()))
    state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Failed
    assert "maker" in state.message
    assert "PrefectResult" in state.message


def test_result_location_naming_a_missing_key_fails_naming_the_task(tmp_path):
    task = Counter(name="load", result=LocalResult(dir=tmp_path, location="{missing}.bin"))
    state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Failed
    assert "load" in state.message
    assert "missing" in state.message
    assert os.listdir(tmp_path) == []


def test_unwritable_result_folder_fails_naming_the_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    task = Counter(name="save", result=LocalResult(dir=str(blocker / "sub"), validate_dir=False))
    state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Failed
    assert "save" in state.message
    assert str(blocker) in state.message


def test_success_signal_result_is_checkpointed(tmp_path):
    class Early(Task):
        def run(self):
            raise signals.SUCCESS("done early", result=12)

    task = Early(result=LocalResult(dir=tmp_path, location="early.bin"))
    state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Success
    assert state.message == "done early"
    assert state.result == 12
    assert read_pickle(tmp_path / "early.bin") == 12


def test_checkpointed_state_transitions_are_unchanged(tmp_path):
    calls = []
    task = Counter(
        result=LocalResult(dir=tmp_path),
        state_handlers=[lambda t, o, n: calls.append((type(o), type(n)))],
    )
    TaskRunner(task).run(context=checkpointing())
    assert calls == [(Pending, Running), (Running, Success)]


@pytest.mark.parametrize("value", [0, "", [], False])
def test_falsy_values_other_than_none_are_written(tmp_path, value):
    class Falsy(Task):
        def run(self):
            return value

    state = TaskRunner(Falsy(result=LocalResult(dir=tmp_path))).run(context=checkpointing())
    assert state.result == value
    assert len(os.listdir(tmp_path)) == 1


def test_secret_result_cannot_be_written():
    class Secret(Task):
        def run(self, name=None):
            return "s3cr3t"

    state = TaskRunner(Counter(result=SecretResult(Secret()))).run(context=checkpointing())
    assert type(state) is Failed
    assert state.message == "Unexpected error: ValueError('SecretResults cannot be written to.')"


def test_unpicklable_value_fails_naming_the_task(tmp_path):
    class MakeLock(Task):
        def run(self):
            return threading.Lock()

    task = MakeLock(name="locker", result=LocalResult(dir=tmp_path))
    state = TaskRunner(task).run(context=checkpointing())
    assert type(state) is Failed
    assert state.message.startswith("Task 'locker': could not store its result with LocalResult")
    assert os.listdir(tmp_path) == []


def test_pickling_error_fails_naming_the_task(tmp_path):
    class Refuses:
        def __reduce__(self):
            raise pickle.PicklingError("refused")

    class Make(Task):
        def run(self):
            return Refuses()

    state = TaskRunner(Make(name="maker", result=LocalResult(dir=tmp_path))).run(
        context=checkpointing()
    )
    assert type(state) is Failed
    assert "Task 'maker'" in state.message
    assert "PicklingError: refused" in state.message
