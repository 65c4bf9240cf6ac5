"""The README's generated tables match the committed results they come from."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parents[2]


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_semi_supervised_summary_is_the_committed_results():
    summary = load_script("semi_supervised_summary")
    block = summary.readme_block((ROOT / "README.md").read_text())
    assert block is not None, "README.md lost its semi-supervised summary markers"
    expected = "\n".join(summary.summary_lines())
    assert block == expected, (
        "README.md's semi-supervised summary differs from benchmarks/results/"
        "semi_supervised_*.json: run python benchmarks/semi_supervised_summary.py --write"
    )
    assert expected.count("\n") > 2  # some results are committed


def test_the_setfit_tables_are_the_committed_results():
    summary = load_script("text_setfit_summary")
    for path, markers, lines in [
        (summary.README, summary.MARKDOWN_MARKERS, summary.markdown_lines()),
        (summary.GUIDE, summary.RST_MARKERS, summary.rst_lines()),
    ]:
        block = summary.block(path.read_text(), markers)
        assert block is not None, f"{path.name} lost its SetFit table markers"
        assert block == "\n".join(lines), (
            f"{path.name}'s SetFit table differs from benchmarks/results/text_setfit*.json: "
            "run python benchmarks/text_setfit_summary.py --write"
        )
    assert len(summary.markdown_lines()) > 3  # rows are committed
