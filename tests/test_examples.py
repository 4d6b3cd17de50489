"""The example scripts run as documented: `python examples/<name>.py` exits 0 and prints
each task's final state."""

import re

from tests.scripts import ROOT, run_script


def run_example(name: str, *arguments: str) -> str:
    """Run `examples/<name>` and return its output (it must exit 0)."""
    return run_script(ROOT / "examples" / name, *arguments)


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


def test_dask_example_fetches_the_pages_on_two_worker_processes():
    output = run_example("dask_flow.py")
    assert 'Flow state: <Success: "All reference tasks succeeded.">' in output
    assert "8 children: Success" in task_line(output, "fetch")
    assert "8 children: Success" in task_line(output, "word_count")
    assert "Report: 8 pages, 84 words; the longest is page-8" in output
    assert "Word counts: [7, 8, 9, 10, 11, 12, 13, 14]" in output
    assert re.search(r"Fetched by [12] worker processes, none of them this one", output)
    elapsed = float(re.search(r"Elapsed: ([\d.]+) s", output).group(1))
    assert elapsed < 30
    # The workers' log lines reach the script's own output, each exactly once.
    for number in range(1, 9):
        assert output.count(f"fetched page-{number} (") == 1, output
