"""`sijill demo`: a fully synthetic Saydnaya-like case, extended by each feature's demo module.

Every module in this package that defines `extend(builder)` and an integer `ORDER` adds its part
(lists, linkage, estimates, corroboration, report …) after the base case, in ORDER.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sijill.vault.keys import KdfParams, WorkspaceKey
from sijill.workspace import Workspace, init_workspace

DEMO_PASSPHRASE = "demo-only: sijill saydnaya synthetic"


@dataclass
class DemoBuilder:
    """What demo modules share: the workspace, its key, the case, and the lines to print."""

    workspace: Workspace
    key: WorkspaceKey
    admin: str
    case_code: str = "SAY"
    lines: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    def say(self, line: str) -> None:
        """Add a line to what the demo prints."""
        self.lines.append(line)


def _extensions() -> list[tuple[int, str, Callable[[DemoBuilder], None]]]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        extend = getattr(module, "extend", None)
        if callable(extend):
            found.append((int(getattr(module, "ORDER", 100)), info.name, extend))
    return sorted(found, key=lambda item: (item[0], item[1]))


def build_demo(
    directory: Path,
    passphrase: str,
    *,
    admin: str = "admin",
    kdf: KdfParams | None = None,
    only: set[str] | None = None,
) -> DemoBuilder:
    """Create a demo workspace in `directory` and run every demo module (or only those named)."""
    workspace, key = init_workspace(directory, passphrase=passphrase, admin=admin, kdf=kdf)
    builder = DemoBuilder(workspace, key, admin)
    try:
        for _, name, extend in _extensions():
            if only is None or name in only:
                extend(builder)
    finally:
        workspace.close()
    return builder
