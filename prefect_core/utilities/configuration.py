"""`set_temporary_config`: change a few configuration keys for the length of a block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect_core import configuration
from prefect_core.configuration import Config
from prefect_core.utilities.context import context

__all__ = ["set_temporary_config"]

_MISSING = object()


@contextmanager
def set_temporary_config(temp_config: dict) -> Iterator[Config]:
    """Set dotted keys on the live global configuration for the block, then restore them.

    `set_temporary_config({"flows.checkpointing": True})` changes
    `prefect_core.config.flows.checkpointing` (creating missing sections) and makes the
    global configuration `context.config` for the block, so the change wins over a
    `context(config=...)` view entered outside. On exit every changed key gets its previous
    value back and every created key or section is removed.

    Args:
        - temp_config (dict): `{"section.key": value}` pairs

    Yields:
        - Config: the global configuration
    """
    live = configuration.config
    changes: list[tuple[Config, str, Any]] = []
    try:
        for dotted_key, value in temp_config.items():
            *sections, leaf = dotted_key.split(".")
            level = live
            for name in sections:
                child = dict.get(level, name)
                if not isinstance(child, Config):
                    changes.append((level, name, dict.get(level, name, _MISSING)))
                    level[name] = child = Config()
                level = child
            changes.append((level, leaf, dict.get(level, leaf, _MISSING)))
            level[leaf] = value
        with context(config=live):
            yield live
    finally:
        for level, key, previous in reversed(changes):
            if previous is _MISSING:
                dict.pop(level, key, None)
            else:
                dict.__setitem__(level, key, previous)
