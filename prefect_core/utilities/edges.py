"""Edge annotations: wrappers that say how a task input is passed along its edge.

`mapped(x)` maps over `x` even in a plain call, `unmapped(x)` passes `x` whole to every
mapped child, and `flatten(x)` un-nests a list of lists before use. Annotations nest:
wrapping one annotation in another merges their flags, the inner one winning a conflict.
"""

from __future__ import annotations

from typing import Any, ClassVar


class EdgeAnnotation:
    """Base class of the edge annotations; holds a value and its edge flags."""

    annotations: ClassVar[dict[str, bool]] = {}

    def __init__(self, value: Any) -> None:
        self.annotations = dict(type(self).annotations)
        if isinstance(value, EdgeAnnotation):
            self.annotations.update(value.annotations)
            value = value.value
        self.value = value


class mapped(EdgeAnnotation):  # noqa: N801 - public 1.x name
    """Map over this input, even when the task is called without `.map`."""

    annotations = {"mapped": True}


class unmapped(EdgeAnnotation):  # noqa: N801 - public 1.x name
    """Pass this input whole to every child of a mapped task."""

    annotations = {"mapped": False}


class flatten(EdgeAnnotation):  # noqa: N801 - public 1.x name
    """Un-nest a list of lists by one level before passing it on."""

    annotations = {"flattened": True}
