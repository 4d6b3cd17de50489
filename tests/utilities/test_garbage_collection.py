"""The garbage collector is relaxed during a flow run and restored afterwards."""

import gc

import pytest

from prefect_core.utilities.garbage_collection import relaxed_garbage_collection


def test_thresholds_are_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with relaxed_garbage_collection():
        assert gc.get_threshold()[0] >= 50_000
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before


def test_objects_existing_at_the_start_are_frozen_during_the_block_only():
    with relaxed_garbage_collection():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_nested_blocks_restore_only_when_the_outermost_ends():
    before = gc.get_threshold()
    with relaxed_garbage_collection():
        with relaxed_garbage_collection():
            pass
        assert gc.get_threshold() != before
    assert gc.get_threshold() == before


def test_cyclic_garbage_is_still_collectable_inside_the_block():
    class Node:
        pass

    with relaxed_garbage_collection():
        node = Node()
        node.self = node
        del node
        assert gc.collect() >= 1


def test_settings_are_restored_when_the_block_raises():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), relaxed_garbage_collection():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_disabled_collector_is_left_alone():
    gc.disable()
    try:
        before = gc.get_threshold()
        with relaxed_garbage_collection():
            assert gc.get_threshold() == before
            assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
