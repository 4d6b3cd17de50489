"""Keep Python's cyclic garbage collector from making large flow runs quadratic.

A flow run creates many long-lived objects (a state, a result and a context per task).
With the default thresholds, the collector's full passes scan every one of them again
and again, so a run of 100,000 tasks costs about twice as much per task as one of
10,000. During a run, `relaxed_garbage_collection()`:

- freezes the objects that exist when the run starts (the flow's graph, the caller's
  data): the collector skips them until the run ends;
- raises the young-generation threshold, so collections happen less often while the
  run allocates.

Cyclic garbage is still collected during the run, only in larger batches; everything is
restored when the outermost run ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_YOUNG_THRESHOLD = 50_000
_lock = threading.Lock()
_depth = 0
_saved_thresholds: tuple[int, ...] = ()


@contextmanager
def relaxed_garbage_collection() -> Iterator[None]:
    """Relax the garbage collector for the duration of a flow run (see module doc)."""
    global _depth, _saved_thresholds
    with _lock:
        _depth += 1
        if _depth == 1 and gc.isenabled():
            _saved_thresholds = gc.get_threshold()
            gc.freeze()
            young, *older = _saved_thresholds
            gc.set_threshold(max(young, _YOUNG_THRESHOLD), *older)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved_thresholds:
                gc.set_threshold(*_saved_thresholds)
                _saved_thresholds = ()
                gc.unfreeze()
