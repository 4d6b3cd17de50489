"""The benchmark scripts keep running: small sizes, checking what they print (never how
fast: speed figures are read by people, not asserted)."""

import re

from tests.scripts import ROOT, run_script

NUMBER = r"[\d.]+"


def run_benchmark(name: str, *arguments: str) -> str:
    """Run `benchmarks/<name>` and return its output (it must exit 0)."""
    return run_script(ROOT / "benchmarks" / name, *arguments, timeout=120)


def test_run_benchmark_prints_every_case_and_the_release_figures():
    output = run_benchmark("run.py", "--sizes", "200", "--repeats", "1")
    for case, tasks in (("wide", 200), ("chain", 200), ("fan-in", 1000)):
        assert re.search(rf"^{case} +{tasks} +{NUMBER} +-?{NUMBER} +-?{NUMBER} +\d+$",
                         output, re.M), output
    assert re.search(rf"\(47,500 edges: -?{NUMBER} us per edge\)", output), output
    some = re.search(r"return_tasks=\[last\]: +peak (\d+) MB", output)
    every = re.search(r"return_tasks=flow.tasks: +peak (\d+) MB", output)
    assert some and every, output
    # 200 MB of results are kept only when every state is returned.
    assert int(every.group(1)) - int(some.group(1)) > 150


def test_build_benchmark_prints_every_case():
    output = run_benchmark("build.py", "--sizes", "200")
    for case in ("wide", "chain", "fan-in"):
        assert re.search(rf"^{case}\b", output, re.M), output


def test_mapping_benchmark_prints_every_case():
    output = run_benchmark("mapping.py", "--sizes", "200", "--repeats", "1")
    for case in ("map-reduce", "chained"):
        assert re.search(rf"^{case}\b", output, re.M), output
