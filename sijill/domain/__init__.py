"""Plain dataclasses and value rules of Sijill's domain (no I/O), after HURIDOCS Events Standard Formats."""
