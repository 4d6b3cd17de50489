"""`prefect-core run`: printed lines, exit codes, parameters, context, flow selection."""

import json
import re

from tests.cli.cli_helpers import (
    FAILING_FLOW,
    HELLO_FLOW,
    MAPPED_FLOW,
    PARAMETER_FLOW,
    REPO_ROOT,
    TWO_FLOWS,
    run_cli,
)

LOG_LINE = re.compile(r"^└── \d\d:\d\d:\d\d \| (\w+) +\| (.*)$")


def table_row(output: str, task_name: str) -> list[str]:
    """The cells of the summary-table row of `task_name` (split on 2+ spaces)."""
    for line in output.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] == task_name and len(cells) >= 2:
            return cells
    raise AssertionError(f"no table row for {task_name!r} in:\n{output}")


def test_a_successful_run_prints_the_spec_lines_and_exits_0(write_flow):
    completed = run_cli("run", "-p", str(write_flow(HELLO_FLOW)))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "Retrieving local flow... Done"
    assert lines[1] == "Running flow locally..."
    assert lines[-1] == "Flow run succeeded!"
    assert "Configured local flow run" not in completed.stdout
    assert completed.stderr == ""


def test_logs_use_the_cli_format_during_the_run(write_flow):
    completed = run_cli("run", "-p", str(write_flow(HELLO_FLOW)))
    log_lines = [LOG_LINE.match(line) for line in completed.stdout.splitlines()]
    messages = [(match[1], match[2]) for match in log_lines if match]
    assert ("INFO", "Beginning Flow run for 'hello'") in messages
    assert ("INFO", "Task 'shout': Finished task run for task with final state: 'Success'") in (
        messages
    )


def test_the_summary_table_lists_every_task_with_its_state_and_message(write_flow):
    completed = run_cli("run", "-p", str(write_flow(FAILING_FLOW)))
    output = completed.stdout
    assert re.split(r"\s{2,}", output.splitlines()[-4]) == ["TASK", "STATE", "MESSAGE"]
    assert table_row(output, "extract") == ["extract", "Success", "Task run succeeded."]
    assert table_row(output, "explode")[:2] == ["explode", "Failed"]
    assert "ValueError('bad data')" in table_row(output, "explode")[2]


def test_a_failed_run_prints_flow_run_failed_and_exits_1(write_flow):
    completed = run_cli("run", "-p", str(write_flow(FAILING_FLOW)))
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[-1] == "Flow run failed!"


def test_a_mapped_task_shows_its_childrens_counts_per_state(write_flow):
    completed = run_cli("run", "-p", str(write_flow(MAPPED_FLOW)))
    assert completed.returncode == 1  # the terminal mapped task has a failed child
    assert table_row(completed.stdout, "invert") == [
        "invert", "Mapped", "4 children: 3 Success, 1 Failed"
    ]


def test_a_run_that_does_not_finish_exits_1(write_flow):
    path = write_flow(
        """
        from prefect_core import Flow, task
        from prefect_core.engine.signals import PAUSE

        @task
        def wait():
            raise PAUSE("waiting for approval")

        with Flow("pausing") as flow:
            wait()
        """
    )
    completed = run_cli("run", "-p", str(path))
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[-1] == "Flow run did not finish: Running: Running flow."
    assert table_row(completed.stdout, "wait") == ["wait", "Paused", "waiting for approval"]


def test_an_exception_from_flow_run_prints_its_traceback_and_exits_1(write_flow):
    path = write_flow(
        """
        from prefect_core import Flow, task

        class BrokenFlow(Flow):
            def run(self, *args, **kwargs):
                raise RuntimeError("the engine broke")

        @task
        def hello():
            return "hi"

        with BrokenFlow("broken") as flow:
            hello()
        """
    )
    completed = run_cli("run", "-p", str(path))
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[-1] == "Flow run failed!"
    assert completed.stderr.startswith("Flow runner encountered an exception!\n")
    assert "    RuntimeError: the engine broke" in completed.stderr


def test_param_values_are_json_or_else_strings(write_flow):
    completed = run_cli(
        "run", "-p", str(write_flow(PARAMETER_FLOW)),
        "--param", "n=3", "--param", "name=Marvin", "--param", 'options={"deep": [1, 2]}',
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "got n=3 name='Marvin' options={'deep': [1, 2]}" in completed.stdout
    assert "Configured local flow run\n└── Parameters: {'n': 3, 'name': 'Marvin', " in (
        completed.stdout
    )


def test_a_quoted_param_stays_a_string(write_flow):
    completed = run_cli("run", "-p", str(write_flow(PARAMETER_FLOW)), "--param", 'n="3"')
    assert "got n='3'" in completed.stdout


def test_param_file_values_are_overridden_by_cli_params_with_a_message(write_flow, tmp_path):
    parameter_file = tmp_path / "parameters.json"
    parameter_file.write_text(json.dumps({"n": 1, "name": "file"}))
    completed = run_cli(
        "run", "-p", str(write_flow(PARAMETER_FLOW)),
        "--param-file", str(parameter_file), "--param", "name=cli",
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (
        "The following parameters were specified by file and CLI, the CLI value will be "
        "used: {'name'}"
    ) in completed.stdout
    assert "got n=1 name='cli'" in completed.stdout


def test_context_values_and_the_run_name_reach_the_tasks(write_flow):
    completed = run_cli(
        "run", "-p", str(write_flow(PARAMETER_FLOW)), "--param", "n=1",
        "--context", "env=dev", "--run-name", "nightly",
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "└── Context: {'env': 'dev'}" in completed.stdout
    assert "env='dev' run='nightly'" in completed.stdout


def test_name_selects_one_of_several_flows(write_flow):
    completed = run_cli("run", "-p", str(write_flow(TWO_FLOWS)), "--name", "second")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Beginning Flow run for 'second'" in completed.stdout


def test_module_option_finds_a_module_or_a_flow_attribute(write_flow, tmp_path):
    write_flow(TWO_FLOWS, name="pipelines.py")
    by_module = run_cli("run", "-m", "pipelines", "-n", "first", cwd=tmp_path)
    assert by_module.returncode == 0, by_module.stdout + by_module.stderr
    assert "Beginning Flow run for 'first'" in by_module.stdout
    by_attribute = run_cli("run", "-m", "pipelines.second", cwd=tmp_path, script=True)
    assert by_attribute.returncode == 0, by_attribute.stdout + by_attribute.stderr
    assert "Beginning Flow run for 'second'" in by_attribute.stdout


def test_a_flow_file_can_import_modules_beside_it(write_flow, tmp_path):
    (tmp_path / "helpers.py").write_text("GREETING = 'hi from helpers'\n")
    path = write_flow(
        """
        import prefect_core
        from prefect_core import Flow, task
        from helpers import GREETING

        @task
        def greet():
            prefect_core.context.logger.info(GREETING)

        with Flow("importing") as flow:
            greet()
        """
    )
    completed = run_cli("run", "-p", str(path), "--executor", "processes", cwd=REPO_ROOT)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "hi from helpers" in completed.stdout


def test_quiet_prints_only_the_logs(write_flow):
    completed = run_cli("run", "-p", str(write_flow(HELLO_FLOW)), "--quiet")
    assert completed.returncode == 0
    assert all(LOG_LINE.match(line) for line in completed.stdout.splitlines())
    assert "Beginning Flow run for 'hello'" in completed.stdout


def test_no_logs_silences_the_logs(write_flow):
    completed = run_cli("run", "-p", str(write_flow(FAILING_FLOW)), "--no-logs")
    assert completed.returncode == 1
    assert "└──" not in completed.stdout
    assert "Traceback" not in completed.stdout
    assert completed.stdout.splitlines()[-1] == "Flow run failed!"


def test_log_level_sets_the_level_for_the_run(write_flow):
    warning = run_cli("run", "-p", str(write_flow(FAILING_FLOW)), "--log-level", "warning")
    levels = {match[1] for line in warning.stdout.splitlines() if (match := LOG_LINE.match(line))}
    assert levels == {"ERROR"}
    debug = run_cli("run", "-p", str(write_flow(HELLO_FLOW)), "--log-level", "DEBUG")
    assert "| DEBUG   |" in debug.stdout


def test_without_schedule_a_scheduled_flow_runs_once_now(write_flow):
    path = write_flow(
        """
        from datetime import datetime, timedelta, timezone
        from prefect_core import Flow, task
        from prefect_core.schedules import IntervalSchedule

        @task
        def tick():
            return 1

        schedule = IntervalSchedule(
            start_date=datetime.now(timezone.utc) + timedelta(hours=1),
            interval=timedelta(hours=1),
        )
        with Flow("hourly", schedule=schedule) as flow:
            tick()
        """
    )
    completed = run_cli("run", "-p", str(path), timeout=20)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.count("Beginning Flow run for 'hourly'") == 1


def test_schedule_follows_the_flows_schedule(write_flow):
    path = write_flow(
        """
        from datetime import datetime, timedelta, timezone
        from prefect_core import Flow, task
        from prefect_core.schedules import Schedule
        from prefect_core.schedules.clocks import DatesClock

        @task
        def tick():
            return 1

        soon = datetime.now(timezone.utc) + timedelta(seconds=1)
        clock = DatesClock([soon, soon + timedelta(seconds=0.5)])
        with Flow("twice", schedule=Schedule(clocks=[clock])) as flow:
            tick()
        """
    )
    completed = run_cli("run", "-p", str(path), "--schedule", timeout=30)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.count("Beginning Flow run for 'twice'") == 2


def test_the_etl_example_runs_from_the_cli_as_the_readme_says():
    example = str(REPO_ROOT / "examples" / "etl_flow.py")
    lenient = run_cli("run", "-p", example, "--param", "strict=false", script=True)
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert table_row(lenient.stdout, "load") == ["load", "Success", "Task run succeeded."]
    assert "Loaded 4 records into sales" in lenient.stdout
    strict = run_cli("run", "-p", example)
    assert strict.returncode == 1
    assert table_row(strict.stdout, "validate")[1] == "Failed"
    assert table_row(strict.stdout, "alert")[1] == "Success"


def test_progress_lines_are_not_printed_when_stdout_is_not_a_terminal(write_flow):
    completed = run_cli("run", "-p", str(write_flow(HELLO_FLOW)))
    assert "✓" not in completed.stdout

