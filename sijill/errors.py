"""The errors Sijill raises for expected problems: each message says what, where and how to fix."""

from __future__ import annotations


class SijillError(Exception):
    """An expected problem a user can act on; the CLI prints it without a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nHint: {self.hint}"


class InputError(SijillError):
    """Input that cannot be accepted as given (bad value, bad file, unknown term)."""

    exit_code = 2


class NotFoundError(SijillError):
    """A record, file or workspace that does not exist."""

    exit_code = 3


class WorkspaceError(SijillError):
    """A missing, uninitialised or incompatible workspace (e.g. a newer schema)."""

    exit_code = 4


class PermissionDeniedError(SijillError):
    """The acting user's role or case membership does not allow this."""

    exit_code = 5


class LockedError(SijillError):
    """Protected data was needed but the workspace key is locked or the passphrase is wrong."""

    exit_code = 6


class IntegrityError(SijillError):
    """Stored data failed a check: a changed evidence file, a tampered ciphertext or audit entry."""

    exit_code = 7


class EstimationError(SijillError):
    """A capture-history table or setting an estimator cannot work with."""

    exit_code = 2


class RowError:
    """One problem found in one row and column of an input file (1-based row numbers)."""

    __slots__ = ("column", "reason", "row")

    def __init__(self, row: int, column: str | None, reason: str) -> None:
        self.row = row
        self.column = column
        self.reason = reason

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


class ImportRejectedError(InputError):
    """A file rejected whole: nothing was imported; the first problems are listed."""

    def __init__(self, source: str, problems: list[RowError], *, total: int | None = None) -> None:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        count = total if total is not None else len(problems)
        super().__init__(
            f"{source}: rejected, nothing was imported ({count} problem(s)):\n{shown}",
            hint="fix the rows listed (or give --mapping / --encoding) and import again",
        )
        self.problems = problems
