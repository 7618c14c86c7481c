"""Failed sign-ins counted per client address, so one address cannot try many accounts.

The per-account delays in `services.web_auth` stop guessing one user's password; they do not
stop one address trying one password against every user name. This in-memory window does:
after `limit` failures within `window_seconds`, the address waits until the oldest expires.
It is per process (a restart forgets it) and keyed on the connecting address, not on any
header a client could forge.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

#: Addresses remembered at most (the least recently failing are forgotten first).
MAX_ADDRESSES = 10_000


class AddressThrottle:
    """A sliding window of failed sign-ins per address.

    Args:
        limit: Failures allowed per address within the window (an office behind one address
            may hold many users, so the default is generous).
        window_seconds: Length of the window.
        clock: Seconds as a float (tests pass their own).
    """

    def __init__(
        self,
        limit: int = 30,
        window_seconds: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int:
        """Seconds the address must wait before its next attempt is checked (0: go ahead)."""
        with self._lock:
            recent = self._recent(address)
            if len(recent) < self.limit:
                return 0
            return max(1, int(recent[0] + self.window_seconds - self._clock()) + 1)

    def record_failure(self, address: str) -> None:
        """Count one failed sign-in from the address."""
        with self._lock:
            recent = self._recent(address)
            recent.append(self._clock())
            self._failures[address] = recent
            self._failures.move_to_end(address)
            while len(self._failures) > MAX_ADDRESSES:
                self._failures.popitem(last=False)

    def _recent(self, address: str) -> deque[float]:
        recent = self._failures.get(address, deque())
        horizon = self._clock() - self.window_seconds
        while recent and recent[0] <= horizon:
            recent.popleft()
        return recent
