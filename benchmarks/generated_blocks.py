"""Tables generated into the README and the documentation, between two marker lines.

The scripts that turn committed results into tables (``results_page.py``,
``semi_supervised_summary.py``, ``text_setfit_summary.py``) format them here
and write each between its markers; ``tests/docs`` reads the blocks back with
:func:`block` and compares them with what the scripts make of the results.
"""

import re


def markdown_table(header, rows):
    """The lines of a markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def rst_cell(cell):
    """A markdown cell as reST: literals doubled; a leading ``-``, ``*`` or ``+``
    escaped, which would start a nested list."""
    cell = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", cell)
    return "\\" + cell if cell.startswith(("-", "*", "+")) and not cell.startswith("**") else cell


def list_table(header, rows):
    """The lines of a reST ``list-table`` with one header row."""
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        cells = [rst_cell(cell) for cell in row]
        lines.append(f"   * - {cells[0]}".rstrip())
        lines += [f"     - {cell}".rstrip() for cell in cells[1:]]
    return lines


def block(text, markers):
    """The text between the two ``markers`` lines, blank lines around it stripped, or
    None when the markers are missing."""
    start, end = (re.escape(marker) for marker in markers)
    found = re.search(start + r"\n(.*?)\n?" + end, text, re.S)
    return None if found is None else found.group(1).strip("\n")


def replace_block(path, markers, lines, blank_lines=True):
    """Write ``lines`` between the ``markers`` of the file at ``path`` (reST wants
    ``blank_lines`` around a table, markdown does not); say so when it changed."""
    text = path.read_text()
    if block(text, markers) is None:
        raise SystemExit(f"{path} has no {markers[0]} ... {markers[1]} block to replace.")
    start, end = (re.escape(marker) for marker in markers)
    gap = "\n\n" if blank_lines else "\n"
    body = gap + "\n".join(lines) + gap
    new = re.sub(
        start + r"\n.*?\n?" + end, lambda _: markers[0] + body + markers[1], text, flags=re.S
    )
    if new != text:
        path.write_text(new)
        print(f"wrote {path}")
