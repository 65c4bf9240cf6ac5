"""The results pages' tables and the README's summary, generated from the committed results.

The documentation's results pages (``docs/results/*.rst``) show the committed
markdown tables of ``benchmarks/results/`` (``quick.md`` of ``make demo``,
``tables_mixed.md``, ``timeseries.md``) as reStructuredText, and the stage-two
table from ``stage_two_*.json``, each between two markers that name its files::

    .. generated from benchmarks/results/quick.md: start
    ...
    .. generated from benchmarks/results/quick.md: end

and the README shows a small summary of ``quick.md`` (per data set, the best
baseline row against the best self-supervised row, at the fewest and at all labels)
between ``<!-- results summary: start -->`` and ``<!-- results summary: end -->``.
``tests/docs`` checks every block against these files, so no number there is
typed by hand.

    python benchmarks/results_page.py            # print the README's summary
    python benchmarks/results_page.py --write    # rewrite every block
"""

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generated_blocks import list_table, replace_block, rst_cell  # noqa: E402

ROOT = Path(__file__).parents[1]
PAGES = ROOT / "docs" / "results"
README = ROOT / "README.md"
QUICK = ROOT / "benchmarks" / "results" / "quick.md"
SUMMARY_MARKERS = ("<!-- results summary: start -->", "<!-- results summary: end -->")
#: A page's generated block: its two markers name the markdown file it shows.
GENERATED = re.compile(
    r"^\.\. generated from (benchmarks/results/[\w.*-]+\.(?:md|json)): start\n(.*?)\n"
    r"\.\. generated from \1: end$",
    re.S | re.M,
)
#: The rows of ``quick.md`` that are baselines, not self-supervised methods.
BASELINES = ("raw features", "PCA", "random trees embedding", "autoencoder (MLP)")
#: The stage-two table: its columns (``stage_two.py``'s files), rows and budget.
STAGE_TWO_COLUMNS = {
    "digits, SCARF": "stage_two_digits_SCARF.json",
    "digits, VIME": "stage_two_digits_VIME.json",
    "MNIST-5k, SCARF on pixels": "stage_two_mnist_SCARF.json",
}
STAGE_TWO_ROWS = {
    "raw features, linear probe": "raw features",
    "linear probe (frozen embeddings)": "linear probe on frozen embeddings",
    "fine-tuned": "`FineTunedClassifier`",
    "from scratch (labels only)": "same network from scratch, labels only",
}
STAGE_TWO_BUDGET = "10"


def markdown_tables(text):
    """``[(caption lines, header, rows)]`` of a results markdown file: each table with
    the paragraphs before it (a trailing paragraph comes with an empty table)."""
    tables, caption, table = [], [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif table:
            header, _, *rows = table
            tables.append((caption, header, rows))
            caption, table = [], []
        elif line.strip():
            caption.append(line.strip())
    if caption:
        tables.append((caption, [], []))
    return tables


def rst_lines(markdown_path):
    """A committed results markdown file as reST lines."""
    lines = []
    for caption, header, rows in markdown_tables(Path(markdown_path).read_text()):
        if lines:
            lines.append("")
        for paragraph in caption:
            lines += [rst_cell(paragraph), ""]
        if header:
            lines += list_table(header, rows)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def stage_two_lines(results_dir=ROOT / "benchmarks" / "results"):
    """The stage-two table (mean accuracy over the seeds at 10 labels per class, the best
    of each column in bold) as reST lines."""
    columns = {}
    for name, filename in STAGE_TWO_COLUMNS.items():
        means = json.loads((results_dir / filename).read_text())["mean_accuracy"]
        columns[name] = {row: f"{means[row][STAGE_TWO_BUDGET]:.3f}" for row in STAGE_TWO_ROWS}
    rows = []
    for key, label in STAGE_TWO_ROWS.items():
        cells = []
        for column in columns.values():
            best = max(column.values(), key=float)
            cells.append(f"**{column[key]}**" if column[key] == best else column[key])
        rows.append([label, *cells])
    return list_table(["", *columns], rows)


def generated_lines(source):
    """The reST lines of the block whose markers name ``source``."""
    if source == "benchmarks/results/stage_two_*.json":
        return stage_two_lines()
    return rst_lines(ROOT / source)


def page_blocks(page_text):
    """``[(markdown file relative to the repository, block text)]`` of a results page."""
    return [(found.group(1), found.group(2).strip("\n")) for found in GENERATED.finditer(page_text)]


def write_pages(pages=PAGES):
    for page in sorted(pages.glob("*.rst")):
        text = page.read_text()
        new = GENERATED.sub(
            lambda found: (
                f".. generated from {found.group(1)}: start\n\n"
                + "\n".join(generated_lines(found.group(1)))
                + f"\n\n.. generated from {found.group(1)}: end"
            ),
            text,
        )
        if new != text:
            page.write_text(new)
            print(f"wrote {page}")


def summary_lines(markdown_path=QUICK):
    """The README's markdown table: per data set of ``make demo``, the best baseline row
    and the best self-supervised row (their names) at the fewest labels per class and
    with all labels."""
    lines = [
        "| data (`make demo`) | labels / class | best baseline | best self-supervised |",
        "|---|---|---|---|",
    ]
    for caption, header, rows in markdown_tables(Path(markdown_path).read_text()):
        if not header:
            continue
        name = re.match(r"\*\*(.+?)\*\*", caption[-1]).group(1)
        for column in (1, header.index("all")):
            best = [
                max(side, key=lambda row: float(row[column].strip("*")))
                for side in (
                    [row for row in rows if row[0] in BASELINES],
                    [row for row in rows if row[0] not in BASELINES],
                )
            ]
            cells = [f"{row[0]} {row[column].strip('*')}" for row in best]
            lines.append(f"| {name} | {header[column]} | {cells[0]} | {cells[1]} |")
    return lines


def write_summary(path=README):
    replace_block(path, SUMMARY_MARKERS, summary_lines(), blank_lines=False)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the pages' and README's")
    args = parser.parse_args(argv)
    print("\n".join(summary_lines()))
    if args.write:
        write_pages()
        write_summary()


if __name__ == "__main__":
    main()
