"""`prefect-core visualize`: a real file drawn by Graphviz's `dot`."""

import shutil

import pytest

from tests.cli.cli_helpers import MAPPED_FLOW, assert_one_line_error, run_cli

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is missing")


@needs_dot
def test_visualize_writes_the_file_named_by_output_in_its_extensions_format(write_flow, tmp_path):
    output = tmp_path / "graph.png"
    completed = run_cli("visualize", "-p", str(write_flow(MAPPED_FLOW)), "-o", str(output))
    assert completed.returncode == 0, completed.stderr
    assert output.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert completed.stdout.strip() == f"Wrote the graph of flow 'mapped' to {output}"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["flow.py", "graph.png"]


@needs_dot
def test_visualize_format_option_appends_its_extension_and_draws_mapped_tasks(write_flow,
                                                                              tmp_path):
    completed = run_cli("visualize", "-p", str(write_flow(MAPPED_FLOW)), "-o", "drawing",
                        "--format", "svg", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    svg = (tmp_path / "drawing.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "invert &lt;map&gt;" in svg


@needs_dot
def test_visualize_without_output_writes_a_pdf_named_after_the_flow(write_flow, tmp_path):
    completed = run_cli("visualize", "-p", str(write_flow(MAPPED_FLOW)), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "mapped.pdf").read_bytes().startswith(b"%PDF")


def test_visualize_without_dot_is_a_one_line_error(write_flow, tmp_path):
    completed = run_cli(
        "visualize", "-p", str(write_flow(MAPPED_FLOW)), "-o", "graph.png", cwd=tmp_path,
        env={"PATH": str(tmp_path)},  # no dot there
    )
    assert_one_line_error(completed, "Graphviz")
    assert "apt-get install graphviz" in completed.stderr
    assert not (tmp_path / "graph.png").exists()


def test_visualize_refuses_an_unknown_format(write_flow):
    completed = run_cli("visualize", "-p", str(write_flow(MAPPED_FLOW)), "--format", "xyz")
    assert_one_line_error(completed, "Unknown format 'xyz'")
