"""Edge annotations: `EdgeAnnotation`, `mapped`, `unmapped`, `flatten`."""

import pytest

from prefect_core.core import Task
from prefect_core.utilities.edges import EdgeAnnotation, flatten, mapped, unmapped

pytestmark = pytest.mark.filterwarnings("error::UserWarning")


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [(mapped, {"mapped": True}), (unmapped, {"mapped": False}), (flatten, {"flattened": True})],
)
def test_each_annotation_class_declares_its_flags(annotation, expected):
    assert annotation.annotations == expected
    assert annotation(1).annotations == expected


@pytest.mark.parametrize("annotation", [mapped, unmapped, flatten])
def test_annotations_are_edge_annotations_holding_their_value(annotation):
    t = Task()
    wrapped = annotation(t)
    assert isinstance(wrapped, EdgeAnnotation)
    assert wrapped.value is t


def test_the_base_annotation_has_no_flags():
    assert EdgeAnnotation(1).annotations == {}


def test_each_instance_has_its_own_flags():
    first = mapped(1)
    first.annotations["extra"] = True
    assert mapped.annotations == {"mapped": True}
    assert mapped(2).annotations == {"mapped": True}


def test_wrapping_an_annotation_merges_flags_and_unwraps_the_value():
    t = Task()
    wrapped = unmapped(flatten(t))
    assert wrapped.annotations == {"mapped": False, "flattened": True}
    assert wrapped.value is t


def test_the_inner_annotation_wins_a_conflict():
    assert mapped(unmapped(1)).annotations == {"mapped": False}
    assert unmapped(mapped(1)).annotations == {"mapped": True}


def test_deep_nesting_unwraps_to_the_innermost_value():
    wrapped = flatten(unmapped(mapped("x")))
    assert wrapped.value == "x"
    assert wrapped.annotations == {"flattened": True, "mapped": True}


def test_annotations_compare_by_identity():
    assert mapped(1) != mapped(1)


def test_any_value_can_be_annotated():
    assert unmapped([1, 2]).value == [1, 2]
    assert flatten(None).value is None
