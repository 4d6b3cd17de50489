"""The option parsers behind `run`, called directly (the subprocess tests cover the rest)."""

import pytest

from prefect_core.cli.errors import CliError
from prefect_core.cli.executors import executor_from_option, runs_in_this_terminal
from prefect_core.cli.params import parse_key_values
from prefect_core.executors import DaskExecutor, LocalDaskExecutor, LocalExecutor


def test_each_executor_name_gives_its_executor():
    assert executor_from_option(None) is None
    assert type(executor_from_option("local")) is LocalExecutor
    threads, processes = executor_from_option("threads"), executor_from_option("Processes")
    assert isinstance(threads, LocalDaskExecutor) and threads.scheduler == "threads"
    assert isinstance(processes, LocalDaskExecutor) and processes.scheduler == "processes"
    temporary = executor_from_option("dask")
    assert isinstance(temporary, DaskExecutor) and temporary.address is None


def test_dask_with_an_address_connects_to_that_scheduler_and_prints_no_progress_here():
    executor = executor_from_option("dask=tcp://10.0.0.5:8786")
    assert isinstance(executor, DaskExecutor)
    assert executor.address == "tcp://10.0.0.5:8786"
    assert not runs_in_this_terminal(executor)
    assert runs_in_this_terminal(executor_from_option("dask"))


@pytest.mark.parametrize("option", ["gpu", "local=x", "threads=4", "dask="])
def test_unknown_executors_are_refused(option):
    with pytest.raises(CliError):
        executor_from_option(option)


def test_key_values_are_json_or_else_the_plain_string():
    assert parse_key_values(
        ["n=3", "ratio=0.5", "on=true", "none=null", "xs=[1, 2]", "name=Marvin",
         "day=2024-01-01", "path=C:\\temp", "words=two words", 'quoted="3"', "empty=",
         "expr=a=b"],
        "parameter",
    ) == {
        "n": 3, "ratio": 0.5, "on": True, "none": None, "xs": [1, 2], "name": "Marvin",
        "day": "2024-01-01", "path": "C:\\temp", "words": "two words", "quoted": "3",
        "empty": "", "expr": "a=b",
    }


def test_a_later_key_wins():
    assert parse_key_values(["n=1", "n=2"], "parameter") == {"n": 2}


@pytest.mark.parametrize("item", ["n", "=3", 'n={"a', 'n=[1, "x"'])
def test_malformed_key_values_are_refused_with_one_line(item):
    with pytest.raises(CliError) as caught:
        parse_key_values([item], "parameter")
    assert "\n" not in str(caught.value)
