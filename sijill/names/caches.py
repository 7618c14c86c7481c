"""One switch for the per-word and per-token caches of ``sijill.names``."""

from __future__ import annotations

from functools import _lru_cache_wrapper
from importlib import import_module

# By module path: the package re-exports functions named like two of its modules.
_MODULES = ("arabic", "keys", "latin", "parse", "romanise", "script", "skeleton")

__all__ = ["clear_caches"]


def _caches() -> list[_lru_cache_wrapper[object]]:
    modules = [import_module(f"sijill.names.{name}") for name in _MODULES]
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, _lru_cache_wrapper) and value.__module__ == module.__name__
    ]


def clear_caches() -> None:
    """Empty every name cache (not the packaged table), e.g. after linking a very large list.

    The caches hold at most a few hundred thousand entries each; clearing them returns that
    memory and makes the next run start cold, as benchmarks need.
    """
    for cache in _caches():
        if cache.__wrapped__.__name__ not in ("common_names", "_latin_index"):
            cache.cache_clear()
