"""Hostile cell content: formula injection and markup are stored verbatim, neutralised on export.

Imported cells are data. They are stored exactly as received (the raw row is evidence of what a
list said) and only ever reach SQL as bound parameters. Two risks appear later, when cells leave
Sijill: a cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return) is run as a formula
by spreadsheet programs opening an exported CSV/XLSX; and HTML is dangerous if rendered unescaped.
Every exporter passes cells through `safe_cell`; templates autoescape. The importer counts such
cells so the import report can say they were seen.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def is_formula_like(cell: str) -> bool:
    """Whether a spreadsheet would treat this cell as a formula (plain signed numbers excepted)."""
    return cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell)


def has_markup(cell: str) -> bool:
    """Whether a cell contains something that looks like an HTML/XML tag."""
    return "<" in cell and bool(_MARKUP.search(cell))


def safe_cell(cell: str) -> str:
    """A cell made safe for a CSV/XLSX export: formula-like text gets a leading apostrophe.

    The apostrophe (OWASP's advice for CSV injection) makes spreadsheets show the text as typed
    instead of evaluating it. Numbers such as "-5" are left alone. Use for every exported cell
    that came from outside; the stored value stays verbatim.
    """
    return "'" + cell if is_formula_like(cell) else cell
