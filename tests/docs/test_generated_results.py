"""The generated results tables match the committed results they come from.

The documentation's results pages (``docs/results/``), the text guide's SetFit
table and the README's short summary are written by scripts in ``benchmarks/``
from the files of ``benchmarks/results/``; a table that differs from its files
was typed or left stale.
"""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PAGES = ROOT / "docs" / "results"


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BLOCKS_IO = load_script("generated_blocks")


def test_the_semi_supervised_summary_is_the_committed_results():
    summary = load_script("semi_supervised_summary")
    block = BLOCKS_IO.block(summary.PAGE.read_text(), summary.MARKERS)
    assert block is not None, f"{summary.PAGE.name} lost its semi-supervised summary markers"
    expected = "\n".join(summary.rst_lines())
    assert block == expected, (
        f"{summary.PAGE} differs from benchmarks/results/semi_supervised_*.json: "
        "run python benchmarks/semi_supervised_summary.py --write"
    )
    assert len(summary.table_cells()[1]) > 2  # some results are committed


def test_the_setfit_tables_are_the_committed_results():
    summary = load_script("text_setfit_summary")
    assert summary.PAGE.parent == PAGES
    for path in (summary.PAGE, summary.GUIDE):
        block = BLOCKS_IO.block(path.read_text(), summary.RST_MARKERS)
        assert block is not None, f"{path.name} lost its SetFit table markers"
        assert block == "\n".join(summary.rst_lines()), (
            f"{path}'s SetFit table differs from benchmarks/results/text_setfit*.json: "
            "run python benchmarks/text_setfit_summary.py --write"
        )
    assert len(summary.markdown_lines()) > 3  # rows are committed


RESULTS_PAGE = load_script("results_page")
BLOCKS = [
    (page, source, block)
    for page in sorted(PAGES.glob("*.rst"))
    for source, block in RESULTS_PAGE.page_blocks(page.read_text())
]


def test_the_pages_show_every_committed_table():
    shown = {source for _, source, _ in BLOCKS}
    assert {
        "benchmarks/results/quick.md",  # make demo
        "benchmarks/results/tables_mixed.md",
        "benchmarks/results/timeseries.md",
        "benchmarks/results/stage_two_*.json",
    } <= shown


@pytest.mark.parametrize(
    ("page", "source", "block"), BLOCKS, ids=[f"{p.name}:{s}" for p, s, _ in BLOCKS]
)
def test_a_results_page_table_is_its_committed_file(page, source, block):
    expected = "\n".join(RESULTS_PAGE.generated_lines(source))
    assert block == expected, (
        f"{page.relative_to(ROOT)} differs from {source}: "
        "run python benchmarks/results_page.py --write"
    )
    assert re.search(r"\d\.\d{3}", block)  # numbers, not an empty block


def test_the_main_job_with_two_threads_gave_the_same_table():
    """``run.py --quick --threads 2`` (results/quick_threads2.md) against the committed one
    thread: every accuracy, kNN and ARI cell the same, only the fit seconds differ."""

    def cells_without_seconds(name):
        text = (ROOT / "benchmarks" / "results" / name).read_text()
        tables = RESULTS_PAGE.markdown_tables(text)
        assert tables and tables[0][1][-1] == "fit s"
        return [(header, [row[:-1] for row in rows]) for _, header, rows in tables if header]

    assert cells_without_seconds("quick_threads2.md") == cells_without_seconds("quick.md")


def test_the_readme_summary_is_the_committed_main_job():
    block = BLOCKS_IO.block(RESULTS_PAGE.README.read_text(), RESULTS_PAGE.SUMMARY_MARKERS)
    assert block is not None, "README.md lost its results summary markers"
    assert block == "\n".join(RESULTS_PAGE.summary_lines()), (
        "README.md's results summary differs from benchmarks/results/quick.md: "
        "run python benchmarks/results_page.py --write"
    )


def test_a_block_is_replaced_between_its_markers_only(tmp_path):
    page = tmp_path / "page.rst"
    markers = (".. table: start", ".. table: end")
    page.write_text(f"before\n\n{markers[0]}\n\nold\n\n{markers[1]}\n\nafter\n")
    lines = BLOCKS_IO.list_table(["row", "change"], [["a `x`", "-0.034"], ["b", "+0.012"]])
    BLOCKS_IO.replace_block(page, markers, lines)
    text = page.read_text()
    assert text.startswith("before\n\n") and text.endswith(f"{markers[1]}\n\nafter\n")
    assert BLOCKS_IO.block(text, markers) == "\n".join(lines)
    assert "     - \\-0.034" in text and "   * - a ``x``" in text  # no nested list
    with pytest.raises(SystemExit, match="has no .. other: start"):
        BLOCKS_IO.replace_block(page, (".. other: start", ".. other: end"), lines)


def test_the_readme_links_the_results_pages():
    readme = RESULTS_PAGE.README.read_text()
    assert "docs/results/index.rst" in readme
    assert "#results" not in readme and "#evaluation-protocol" not in readme
