"""`prefect-core run --executor`: the same flow, and the same report, on every executor."""

import pytest

from tests.cli.cli_helpers import MAPPED_FLOW, run_cli


@pytest.mark.parametrize("executor", ["local", "threads", "processes"])
def test_a_mapped_flow_gives_the_same_states_on_each_local_executor(write_flow, executor):
    completed = run_cli("run", "-p", str(write_flow(MAPPED_FLOW)), "--executor", executor)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "4 children: 3 Success, 1 Failed" in completed.stdout
    assert completed.stdout.splitlines()[-1] == "Flow run failed!"


@pytest.mark.timeout(180)
def test_dask_runs_the_flow_on_a_temporary_cluster(write_flow):
    completed = run_cli(
        "run", "-p", str(write_flow(MAPPED_FLOW)), "--executor", "dask", timeout=150
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "Creating a new Dask cluster" in completed.stdout
    assert "4 children: 3 Success, 1 Failed" in completed.stdout
    # the workers' log lines reach the CLI's output once each, in the CLI's format
    assert completed.stdout.count("└── ") > 0
    assert completed.stdout.count("Task 'invert[2]': Starting task run...") == 1
