"""The example scripts run as documented: `python examples/<name>.py` exits 0 and prints
each task's final state."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, *arguments: str) -> str:
    """Run an example script in a fresh interpreter; returns its output after checking
    that it exited 0."""
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *arguments],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def task_line(output: str, task_name: str) -> str:
    """The line of the final state table that describes `task_name`."""
    for line in output.splitlines():
        if line.split()[:1] == [task_name]:
            return line
    raise AssertionError(f"no line for task {task_name!r} in:\n{output}")


def test_etl_example_strict_fails_validation_and_fires_the_alert():
    output = run_example("etl_flow.py")
    assert 'Flow state: <Failed: "Some reference tasks failed.">' in output
    assert "Failed" in task_line(output, "validate")
    assert "TriggerFailed" in task_line(output, "load")
    assert "on-call engineer paged" in task_line(output, "alert")
    assert "extract ran 2 times (one retry)" in output


def test_etl_example_lenient_loads_the_valid_records():
    output = run_example("etl_flow.py", "--lenient")
    assert 'Flow state: <Success: "All reference tasks succeeded.">' in output
    assert task_line(output, "load").split()[1:] == ["Success", "4"]
    assert "TriggerFailed" in task_line(output, "alert")


def test_mapping_example_quarantines_a_batch_with_a_corrupt_file():
    output = run_example("mapping_flow.py")
    assert 'Flow state: <Success: "All reference tasks succeeded.">' in output
    assert "children: Success, Success, Failed, Success" in task_line(output, "parse")
    assert "Skipped" in task_line(output, "publish")
    assert (
        "Summary: 3 files, 65.50 in total; quarantined: orders-wed.csv: amount 'twelve' "
        "is not a number" in output
    )
    assert "orders-tue.csv was read 2 times (one retry)" in output


def test_mapping_example_publishes_a_clean_batch():
    output = run_example("mapping_flow.py", "--clean")
    assert "children: Success, Success, Success" in task_line(output, "parse")
    assert "Skipped" in task_line(output, "quarantine")
    assert "Summary: 3 files, 65.50 in total; published 3 files" in output
