"""`Flow.save` / `Flow.load` (`core.flow_storage`): the file format, the default path under
`home_dir`, atomic writes, and clear errors for files that are not saved flows."""

import base64
import json
import pickle
import sys
import threading

import cloudpickle
import pytest

import prefect_core
from prefect_core import configuration
from prefect_core.core import Flow, Parameter, Task, flow_storage
from prefect_core.core.flow_storage import slugify
from prefect_core.exceptions import FlowStorageError
from prefect_core.utilities.context import context
from prefect_core.utilities.tasks import task


@task
def double(x):
    return 2 * x


@pytest.fixture
def home(tmp_path, monkeypatch):
    """Point `config.home_dir` at a temporary folder (not created)."""
    home_dir = tmp_path / "home"
    monkeypatch.setitem(configuration.config, "home_dir", str(home_dir))
    return home_dir


@pytest.fixture
def flow():
    with Flow("My Flow!") as flow:
        numbers = Parameter("numbers", default=[1, 2, 3])
        double.map(numbers)
    return flow


def shape(flow):
    """What a saved flow must keep: its name, task names and edges (tasks are new objects
    after loading, and tasks compare by identity)."""
    edges = {
        (edge.upstream_task.name, edge.downstream_task.name, edge.key, edge.mapped)
        for edge in flow.edges
    }
    return flow.name, sorted(task.name for task in flow.tasks), edges


def results_by_name(flow_state):
    return {task.name: state.result for task, state in flow_state.result.items()}


def saved_payload(flow_bytes, versions=None):
    """The content of a saved-flow file holding `flow_bytes`."""
    return json.dumps(
        {"flow": base64.b64encode(flow_bytes).decode("ascii"), "versions": versions or {}}
    ).encode("utf-8")


# -- slugs and paths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [("My Flow!", "my-flow"), ("Ünïcödé flow", "unicode-flow"), ("--a__b  c--", "a-b-c")],
)
def test_slugify_keeps_lower_case_ascii_letters_and_digits_joined_by_dashes(name, slug):
    assert slugify(name) == slug


def test_save_defaults_to_the_flows_folder_under_home_dir(flow, home):
    path = flow.save()
    assert path == str(home / "flows" / "my-flow.prefect")
    assert (home / "flows" / "my-flow.prefect").is_file()


def test_the_default_path_follows_the_home_dir_of_the_context_config(flow, tmp_path):
    with context(config={"home_dir": str(tmp_path / "other")}):
        path = flow.save()
    assert path == str(tmp_path / "other" / "flows" / "my-flow.prefect")


def test_save_to_an_explicit_path_returns_it_as_a_string(flow, tmp_path):
    target = tmp_path / "saved.prefect"
    assert flow.save(target) == str(target)
    assert target.is_file()


def test_an_explicit_path_in_a_missing_folder_raises_file_not_found(flow, tmp_path):
    with pytest.raises(FileNotFoundError):
        flow.save(str(tmp_path / "missing" / "saved.prefect"))
    assert not (tmp_path / "missing").exists()


def test_the_file_is_json_with_the_base64_pickle_and_the_versions(flow, tmp_path):
    path = flow.save(str(tmp_path / "saved.prefect"))
    with open(path, encoding="utf-8") as file:
        content = json.load(file)
    assert set(content) == {"flow", "versions"}
    assert content["versions"] == {
        "cloudpickle": cloudpickle.__version__,
        "prefect_core": prefect_core.__version__,
        "python": "{}.{}.{}".format(*sys.version_info[:3]),
    }
    assert shape(cloudpickle.loads(base64.b64decode(content["flow"]))) == shape(flow)


# -- round trips ---------------------------------------------------------------------------


def test_a_loaded_flow_equals_the_saved_one_and_runs(flow, tmp_path):
    loaded = Flow.load(flow.save(str(tmp_path / "saved.prefect")))
    assert shape(loaded) == shape(flow)
    assert results_by_name(loaded.run(numbers=[5, 6])) == {
        "numbers": [5, 6],
        "double": [10, 12],
    }


def test_a_name_loads_the_flow_saved_at_the_default_path(flow, home):
    flow.save()
    assert shape(Flow.load("My Flow!")) == shape(flow)


def test_an_unknown_flow_name_raises_file_not_found_naming_the_path(home):
    with pytest.raises(FileNotFoundError, match="No saved flow named 'nope'") as raised:
        Flow.load("nope")
    assert str(home / "flows" / "nope.prefect") in str(raised.value)


def test_a_raw_cloudpickle_file_from_older_releases_loads(flow, tmp_path):
    path = tmp_path / "raw.prefect"
    path.write_bytes(cloudpickle.dumps(flow))
    assert shape(Flow.load(str(path))) == shape(flow)


def test_a_different_prefect_core_version_only_warns(flow, tmp_path):
    path = tmp_path / "old.prefect"
    path.write_bytes(saved_payload(cloudpickle.dumps(flow), {"prefect_core": "0.0.1"}))
    with pytest.warns(UserWarning, match="built using prefect_core '0.0.1'"):
        assert shape(Flow.load(str(path))) == shape(flow)


# -- files that are not saved flows ------------------------------------------------------


def test_a_truncated_file_raises_flow_storage_error_naming_the_path(flow, tmp_path):
    path = tmp_path / "truncated.prefect"
    flow.save(str(path))
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(FlowStorageError) as raised:
        Flow.load(str(path))
    message = str(raised.value)
    assert message.startswith("An error occurred while unpickling the flow:")
    assert f"{path} is not a saved prefect_core flow: it looks truncated or corrupt" in message


@pytest.mark.parametrize("content", [b"", b"garbage", b"\x80\x04\x95 truncated"])
def test_a_corrupt_file_raises_flow_storage_error_naming_the_path(tmp_path, content):
    path = tmp_path / "corrupt.prefect"
    path.write_bytes(content)
    with pytest.raises(FlowStorageError) as raised:
        Flow.load(str(path))
    assert str(raised.value).startswith(
        f"An error occurred while unpickling the flow: {path} is not a saved prefect_core flow"
    )


def test_a_pickle_of_something_else_raises_flow_storage_error(tmp_path):
    path = tmp_path / "dict.pickle"
    path.write_bytes(pickle.dumps({"not": "a flow"}))
    with pytest.raises(
        FlowStorageError, match=r"is not a saved prefect_core flow: it holds a dict object"
    ) as raised:
        Flow.load(str(path))
    assert str(path) in str(raised.value)


def test_json_without_a_flow_entry_raises_flow_storage_error(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"name": "not a flow"}')
    with pytest.raises(FlowStorageError, match='its JSON has no "flow" entry'):
        Flow.load(str(path))


def test_a_missing_module_is_reported_with_the_version_mismatches(tmp_path):
    path = tmp_path / "foreign.prefect"
    needs_missing_module = b"\x80\x04cno_such_module_for_this_test\nThing\n."
    path.write_bytes(saved_payload(needs_missing_module, {"cloudpickle": "0.0.1"}))
    with pytest.raises(FlowStorageError) as raised:
        Flow.load(str(path))
    message = str(raised.value)
    assert "ModuleNotFoundError" in message
    assert "cloudpickle: (flow built with '0.0.1'" in message
    assert "This also may be due to a missing Python module" in message
    assert isinstance(raised.value.__cause__, ImportError)


# -- atomic writes -------------------------------------------------------------------------


class HoldsALock(Task):
    """A task that cannot be pickled."""

    def __init__(self, **kwargs):
        self.lock = threading.Lock()
        super().__init__(**kwargs)


def test_a_flow_that_cannot_be_pickled_leaves_the_previous_file_and_no_other(tmp_path):
    target = tmp_path / "saved.prefect"
    target.write_bytes(b"previous content")
    unpicklable = Flow("locked", tasks=[HoldsALock()])
    with pytest.raises(TypeError, match="lock") as raised:
        unpicklable.save(str(target))
    assert "while saving flow 'locked'" in raised.value.__notes__[0]
    assert target.read_bytes() == b"previous content"
    assert [path.name for path in tmp_path.iterdir()] == ["saved.prefect"]


def test_a_write_interrupted_before_the_rename_leaves_the_previous_file(
    flow, tmp_path, monkeypatch
):
    target = tmp_path / "saved.prefect"
    target.write_bytes(b"previous content")

    def crash(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(flow_storage.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        flow.save(str(target))
    assert target.read_bytes() == b"previous content"
    assert [path.name for path in tmp_path.iterdir()] == ["saved.prefect"]
