"""Reading victim lists (CSV, XLSX, JSON/JSONL) into checked records, all or nothing.

`open_table` opens a file as a `RawTable` (headers, streamed rows, encoding, SHA-256);
`guess_mapping` maps its columns to Sijill fields from Arabic or English headers; `parse_table`
checks every row (collecting problems by row and column) and hands records on in batches;
`preview_table` parses the first rows for a preview; `safe_cell` neutralises formula-like cells
in exports. The use case that stores lists is `sijill.services.lists.import_list`.
"""

from sijill.importers.mapping import FIELDS, ColumnMapping, guess_mapping, read_mapping_file
from sijill.importers.parse_row import Notice
from sijill.importers.readers import open_table
from sijill.importers.safety import is_formula_like, safe_cell
from sijill.importers.table import RawTable, ReadLimits
from sijill.importers.validate import ParseSummary, PreviewRow, parse_table, preview_table

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "Notice",
    "ParseSummary",
    "PreviewRow",
    "RawTable",
    "ReadLimits",
    "guess_mapping",
    "is_formula_like",
    "open_table",
    "parse_table",
    "preview_table",
    "read_mapping_file",
    "safe_cell",
]
