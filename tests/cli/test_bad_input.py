"""Bad usage or input: one line on stderr (`prefect-core: error: ...`), exit code 2, no
traceback, whatever the command."""

import json

import pytest

from tests.cli.cli_helpers import (
    HELLO_FLOW,
    PARAMETER_FLOW,
    TWO_FLOWS,
    assert_one_line_error,
    run_cli,
)


@pytest.fixture
def files(write_flow, tmp_path):
    """Flow files and parameter files for the bad-input cases, by name."""
    write_flow(HELLO_FLOW, name="hello.py")
    write_flow(TWO_FLOWS, name="two.py")
    write_flow(PARAMETER_FLOW, name="params.py")
    write_flow("answer = 42\n", name="empty.py")
    write_flow("import prefect_core\nraise RuntimeError('boom\\nat import')\n", name="raises.py")
    write_flow("def broken(:\n", name="syntax.py")
    (tmp_path / "list.json").write_text(json.dumps([1, 2]))
    (tmp_path / "broken.json").write_text("{'n': 1")
    return tmp_path


RUN_CASES = {
    "no flow in the file": (["-p", "empty.py"], "Found no flows at empty.py."),
    "several flows and no name": (
        ["-p", "two.py"],
        "Found multiple flows at 'two.py': 'first', 'second'. Specify a flow name to run",
    ),
    "unknown flow name": (
        ["-p", "two.py", "-n", "third"],
        "Did not find 'third' in flows at two.py. Found 'first', 'second'",
    ),
    "param without '='": (["-p", "hello.py", "--param", "n"], "Invalid parameter option 'n'."),
    "param with broken JSON": (
        ["-p", "params.py", "--param", 'n={"a'], "Failed to parse JSON for parameter 'n'"
    ),
    "parameter the flow does not have": (
        ["-p", "params.py", "--param", "n=1", "--param", "nope=1"],
        "Flow.run received the following unexpected parameters: nope",
    ),
    "required parameter missing": (
        ["-p", "params.py"], "Flow.run did not receive the following required parameters: n"
    ),
    "unknown executor": (["-p", "hello.py", "--executor", "gpu"], "Unknown executor 'gpu'"),
    "dask without address after '='": (["-p", "hello.py", "--executor", "dask="], "address"),
    "dask scheduler nobody listens at": (
        ["-p", "hello.py", "--executor", "dask=tcp://127.0.0.1:1"],
        "Cannot reach the Dask scheduler at tcp://127.0.0.1:1: ",
    ),
    "dask address with a bad port": (
        ["-p", "hello.py", "--executor", "dask=127.0.0.1:port"], "'port' is not a port number"
    ),
    "non-existent path": (["-p", "missing.py"], "File does not exist: "),
    "script raising at import": (
        ["-p", "raises.py"], "Error while loading flows from 'raises.py': RuntimeError: boom at"
    ),
    "script with a syntax error": (["-p", "syntax.py"], "SyntaxError"),
    "module that fails to import": (
        ["-m", "raises"], "Error loading flow from module 'raises': RuntimeError: boom"
    ),
    "module that does not exist": (["-m", "nosuchmodule"], "No module named 'nosuchmodule'"),
    "module attribute that does not exist": (
        ["-m", "two.third"], "Module 'two' has no attribute 'third'"
    ),
    "module attribute that is no flow": (
        ["-m", "two.one"], "Invalid object of type 'FunctionTask' found at 'two.one'."
    ),
    "neither path nor module": ([], "Received no options to look up the flow"),
    "both path and module": (["-p", "hello.py", "-m", "two"], "too many options"),
    "missing parameter file": (
        ["-p", "params.py", "--param-file", "nofile.json"], "Parameter file does not exist"
    ),
    "parameter file that is not JSON": (
        ["-p", "params.py", "--param-file", "broken.json"], "Failed to parse JSON at"
    ),
    "parameter file without an object": (
        ["-p", "params.py", "--param-file", "list.json"], "must hold a JSON object"
    ),
    "context without '='": (["-p", "hello.py", "--context", "env"], "Invalid context option"),
    "unknown log level": (["-p", "hello.py", "--log-level", "LOUD"], "invalid choice: 'LOUD'"),
    "backend-only option": (["-p", "hello.py", "--watch"], "--watch needs a Prefect backend"),
}


@pytest.mark.parametrize("arguments, fragment", RUN_CASES.values(), ids=list(RUN_CASES))
def test_run_reports_bad_input_on_one_line_with_exit_code_2(files, arguments, fragment):
    assert_one_line_error(run_cli("run", *arguments, cwd=files), fragment)


@pytest.mark.parametrize("command", ["inspect", "visualize"])
def test_other_commands_report_bad_input_the_same_way(files, command):
    assert_one_line_error(run_cli(command, "-p", "empty.py", cwd=files), "Found no flows")
    assert_one_line_error(
        run_cli(command, "-p", "two.py", cwd=files, script=True),
        f"Specify a flow name to {command}",
    )
    assert_one_line_error(run_cli(command, "-m", "nosuchmodule", cwd=files), "No module named")
