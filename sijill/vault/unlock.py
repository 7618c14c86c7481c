"""Unlocking from the outside world: passphrase sources and growing delays after failures.

Passphrase sources, in order: a passphrase file (`--passphrase-file FILE`), then the
`SIJILL_PASSPHRASE` environment variable, then (the caller's job) an interactive prompt.

Risk of the non-interactive sources, for the documentation: an environment variable is visible
to every process of the same user (``/proc/<pid>/environ``), is inherited by child processes,
and ends up in shell history when set inline (``SIJILL_PASSPHRASE=... sijill ...``) and in CI
logs when a job echoes its environment. A passphrase file lies on disk in clear next to what it
protects unless it is on separate media. Use them for demos, scripts and CI with throw-away
data, or keep the file on removable media with owner-only permissions (``chmod 600``); on a
documenter's laptop, type the passphrase.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from sijill.errors import InputError, LockedError
from sijill.vault.keys import Keyring, WorkspaceKey, unlock, write_private_file

PASSPHRASE_ENV = "SIJILL_PASSPHRASE"
MAX_DELAY_SECONDS = 30.0


def read_passphrase(env: Mapping[str, str], file: Path | None) -> str | None:
    """Return the passphrase from `file` or `env["SIJILL_PASSPHRASE"]`, or None to prompt.

    The file wins over the environment. One trailing newline (as written by ``echo``) is
    removed; any other whitespace is part of the passphrase. See the module docstring for the
    risks of both sources.
    """
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the passphrase file {file}: {exc}") from None
        passphrase = text.removesuffix("\n").removesuffix("\r")
        if not passphrase:
            raise InputError(f"the passphrase file {file} is empty")
        return passphrase
    value = env.get(PASSPHRASE_ENV)
    if value is None:
        return None
    if not value:
        raise InputError(f"{PASSPHRASE_ENV} is set but empty", hint=f"unset {PASSPHRASE_ENV}")
    return value


def unlock_delay(failures: int) -> float:
    """Seconds to wait before the next attempt after `failures` consecutive failures."""
    if failures <= 0:
        return 0.0
    return min(2.0 ** (failures - 1), MAX_DELAY_SECONDS)


class FailureCounter:
    """Consecutive wrong-passphrase count, kept in a small JSON file beside the keyring.

    It survives restarts, so killing and relaunching the CLI does not reset the delay. It is a
    brake on guessing at the keyboard, not a defence against someone who copied the keyring:
    offline guessing is slowed by Argon2id alone.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> int:
        """Return the stored count; a missing or unreadable file counts as zero."""
        try:
            value = json.loads(self.path.read_text(encoding="utf-8")).get("failures", 0)
        except (OSError, ValueError, AttributeError):
            return 0
        return value if isinstance(value, int) and value >= 0 else 0

    def record_failure(self) -> int:
        """Add one failure and return the new count."""
        failures = self.read() + 1
        self._write(failures)
        return failures

    def reset(self) -> None:
        """Forget past failures after a successful unlock."""
        if self.read():
            self._write(0)

    def _write(self, failures: int) -> None:
        write_private_file(self.path, json.dumps({"failures": failures}).encode())


def unlock_with_backoff(
    keyring: Keyring,
    passphrase: str,
    counter_path: Path,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> WorkspaceKey:
    """Unlock like `keys.unlock`, first waiting min(2**(failures-1), 30) s after failures.

    Args:
        keyring: the workspace keyring.
        passphrase: the passphrase to try.
        counter_path: where the failure counter lives (beside the keyring).
        sleep: how to wait; tests pass a recorder instead of sleeping.

    Raises:
        LockedError: wrong passphrase; the message says how long the next attempt will wait.
    """
    counter = FailureCounter(counter_path)
    delay = unlock_delay(counter.read())
    if delay:
        sleep(delay)
    try:
        key = unlock(keyring, passphrase)
    except LockedError as exc:
        failures = counter.record_failure()
        raise LockedError(
            f"{exc.message} ({failures} failed attempt(s) in a row; the next attempt waits "
            f"{unlock_delay(failures):.0f} s)",
            hint=exc.hint,
        ) from None
    counter.reset()
    return key
