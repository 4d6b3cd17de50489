"""Tests for prefect_core.utilities.context."""

import pickle
import threading

import pytest

from prefect_core import configuration
from prefect_core.configuration import Config, ConfigView
from prefect_core.utilities.collections import DotDict
from prefect_core.utilities.configuration import set_temporary_config
from prefect_core.utilities.context import Context, context
from prefect_core.utilities.testing import restored_context_and_config


def run_in_thread(fn):
    """Run `fn` in a new thread and return its result."""
    results = []
    thread = threading.Thread(target=lambda: results.append(fn()))
    thread.start()
    thread.join()
    return results[0]


class TestAccess:
    def test_attribute_assignment_stores_a_key(self):
        context.my_key = 1
        assert context["my_key"] == 1

    def test_item_assignment_is_readable_as_attribute(self):
        context["my_key"] = 2
        assert context.my_key == 2

    def test_missing_attribute_raises_attribute_error(self):
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            context.nope

    def test_missing_item_raises_key_error(self):
        with pytest.raises(KeyError):
            context["nope"]

    def test_get_returns_default_when_missing(self):
        assert context.get("nope") is None
        assert context.get("nope", 3) == 3

    def test_contains(self):
        context.here = True
        assert "here" in context
        assert "nope" not in context

    def test_iteration_len_keys_items_values_agree(self):
        context.a_key = 10
        assert set(context) == set(context.keys())
        assert len(context) == len(list(context))
        assert ("a_key", 10) in context.items()
        assert 10 in context.values()

    def test_update_sets_several_keys(self):
        context.update({"x": 1}, y=2)
        assert (context.x, context.y) == (1, 2)

    def test_setdefault_keeps_existing_value(self):
        context.x = 1
        assert context.setdefault("x", 2) == 1
        assert context.x == 1

    def test_setdefault_sets_missing_value(self):
        assert context.setdefault("fresh", []) == []
        assert context.fresh == []

    def test_delete_attribute_removes_key(self):
        context.x = 1
        del context.x
        assert "x" not in context

    def test_delete_missing_attribute_raises_attribute_error(self):
        with pytest.raises(AttributeError):
            del context.nope

    def test_pop_removes_and_returns_value(self):
        context.x = 1
        assert context.pop("x") == 1
        assert "x" not in context

    def test_context_is_a_dotdict(self):
        assert isinstance(context, DotDict)

    def test_repr(self):
        assert repr(context) == "<Context>"

    def test_to_dict_returns_plain_nested_dicts(self):
        context.nested = DotDict(a=DotDict(b=1))
        result = context.to_dict()
        assert type(result) is dict
        assert result["nested"] == {"a": {"b": 1}}
        assert type(result["config"]) is dict
        assert result["config"]["flows"]["checkpointing"] is False

    def test_copy_is_a_shallow_dotdict_of_current_keys(self):
        caches = {}
        context.caches = caches
        copied = context.copy()
        assert type(copied) is DotDict
        assert copied.caches is caches

    def test_current_returns_the_live_dict(self):
        context.x = 1
        assert context.current()["x"] == 1
        with context(y=2):
            assert context.current()["y"] == 2

    def test_pickling_raises_type_error(self):
        with pytest.raises(TypeError, match="Pickling context objects is explicitly not supported"):
            pickle.dumps(context)

    def test_logger_is_the_prefect_core_logger_after_logging_import(self):
        import prefect_core.utilities.logging  # noqa: F401

        assert context.logger.name == "prefect_core"


class TestTemporaryValues:
    def test_keys_are_visible_inside_the_block(self):
        with context({"a": 1}, b=2):
            assert (context.a, context.b) == (1, 2)

    def test_keys_vanish_after_the_block(self):
        with context(a=1):
            pass
        assert "a" not in context

    def test_previous_value_is_restored(self):
        context.a = "outer"
        with context(a="inner"):
            assert context.a == "inner"
        assert context.a == "outer"

    def test_keys_assigned_inside_the_block_vanish(self):
        with context():
            context.assigned = 1
        assert "assigned" not in context

    def test_keys_assigned_outside_a_block_persist(self):
        context.persisted = 1
        with context(other=2):
            pass
        assert context.persisted == 1

    def test_block_yields_the_context(self):
        with context(a=1) as ctx:
            assert ctx is context

    def test_nested_blocks_restore_in_order(self):
        with context(a=1):
            with context(a=2, b=3):
                assert (context.a, context.b) == (2, 3)
            assert context.a == 1
            assert "b" not in context
        assert "a" not in context

    def test_values_restored_after_an_exception(self):
        with pytest.raises(ValueError):
            with context(a=1):
                raise ValueError()
        assert "a" not in context

    def test_mutable_values_are_shared_not_copied(self):
        caches = {}
        context.caches = caches
        with context(x=1):
            context.caches["k"] = 1
            assert context.caches is caches
        assert caches == {"k": 1}

    def test_single_dict_argument_is_not_modified(self):
        updates = {"a": 1}
        with context(updates):
            context.b = 2
        assert updates == {"a": 1}

    def test_dotdict_argument_is_accepted(self):
        with context(DotDict(a=1)):
            assert context.a == 1


class TestThreads:
    def test_each_thread_has_its_own_keys(self):
        context.main_only = 1
        assert run_in_thread(lambda: "main_only" in context) is False

    def test_keys_set_in_a_thread_are_not_seen_by_the_main_thread(self):
        def set_key():
            context.thread_only = 1
            return context.thread_only

        assert run_in_thread(set_key) == 1
        assert "thread_only" not in context

    def test_new_thread_sees_the_shared_config(self):
        assert run_in_thread(lambda: context.config) is configuration.config

    def test_new_thread_does_not_see_the_logger(self):
        import prefect_core.utilities.logging  # noqa: F401

        assert run_in_thread(lambda: "logger" in context) is False

    def test_new_thread_starts_from_the_constructor_state(self):
        ctx = Context(seeded=1)
        ctx.later = 2
        assert run_in_thread(lambda: sorted(ctx.keys())) == ["config", "seeded"]

    def test_blocks_in_a_thread_do_not_affect_other_threads(self):
        started, release = threading.Event(), threading.Event()

        def hold_block():
            with context(in_thread=1):
                started.set()
                release.wait(5)

        thread = threading.Thread(target=hold_block)
        thread.start()
        started.wait(5)
        try:
            assert "in_thread" not in context
        finally:
            release.set()
            thread.join()


class TestConstruction:
    def test_config_key_is_the_shared_configuration(self):
        assert context.config is configuration.config
        assert Context().config is configuration.config

    def test_arguments_become_keys(self):
        ctx = Context({"a": 1}, b=2)
        assert (ctx.a, ctx.b) == (1, 2)

    def test_context_config_section_seeds_keys(self):
        with set_temporary_config({"context.seeded_key": "hello"}):
            ctx = Context()
        assert ctx.seeded_key == "hello"

    def test_partial_config_argument_becomes_a_view(self):
        ctx = Context(config={"flows": {"checkpointing": True}})
        assert isinstance(ctx.config, ConfigView)
        assert ctx.config.flows.checkpointing is True
        assert ctx.config.logging.level == configuration.config.logging.level

    def test_instances_are_independent(self):
        first, second = Context(), Context()
        first.only_first = 1
        assert "only_first" not in second


class TestConfigViews:
    def test_partial_config_overrides_the_named_key(self):
        with context(config={"flows": {"checkpointing": True}}):
            assert context.config.flows.checkpointing is True

    def test_other_keys_of_the_section_read_through(self):
        with context(config={"flows": {"checkpointing": True}}):
            assert context.config.flows.run_on_schedule is True

    def test_other_sections_read_through(self):
        with context(config={"flows": {"checkpointing": True}}):
            assert context.config.logging.level == configuration.config.logging.level

    def test_global_config_is_unchanged(self):
        with context(config={"flows": {"checkpointing": True}}):
            pass
        assert configuration.config.flows.checkpointing is False

    def test_config_is_the_shared_object_again_after_the_block(self):
        with context(config={"debug": True}):
            assert context.config is not configuration.config
        assert context.config is configuration.config

    def test_view_sees_changes_made_to_the_global_config_during_the_block(self):
        with context(config={"flows": {"checkpointing": True}}):
            configuration.config.logging.level = "DEBUG"
            configuration.config.debug = True
            assert context.config.logging.level == "DEBUG"
            assert context.config.debug is True

    def test_view_is_a_config(self):
        with context(config={"debug": True}):
            assert isinstance(context.config, Config)

    def test_nested_partial_configs_layer(self):
        with context(config={"flows": {"checkpointing": True}}):
            with context(config={"flows": {"run_on_schedule": False}}):
                assert context.config.flows.checkpointing is True
                assert context.config.flows.run_on_schedule is False
            assert context.config.flows.run_on_schedule is True

    def test_full_config_object_is_installed_as_is(self):
        replacement = Config({"debug": True})
        with context(config=replacement):
            assert context.config is replacement

    def test_changing_the_global_config_takes_effect_in_context(self):
        configuration.config.flows.checkpointing = True
        assert context.config.flows.checkpointing is True

    def test_assigning_a_partial_config_makes_a_view(self):
        with context():
            context.config = {"debug": True}
            assert context.config.debug is True
            assert context.config.flows.checkpointing is False
        assert context.config is configuration.config

    def test_update_with_a_partial_config_makes_a_view(self):
        with context():
            context.update(config={"debug": True})
            assert isinstance(context.config, ConfigView)

    def test_set_temporary_config_wins_over_an_outer_view(self):
        with context(config={"flows": {"checkpointing": False}}):
            with set_temporary_config({"flows.checkpointing": True}):
                assert context.config.flows.checkpointing is True

    def test_view_is_visible_to_threads_given_the_context_dict(self):
        with context(config={"debug": True}):
            snapshot = dict(context.current())

        def read_in_thread():
            with context(snapshot):
                return context.config.debug

        assert run_in_thread(read_in_thread) is True


class TestRestoredContextAndConfig:
    def test_added_context_keys_are_removed(self):
        with restored_context_and_config():
            context.added = 1
        assert "added" not in context

    def test_changed_context_keys_are_restored(self):
        context.kept = "before"
        with restored_context_and_config():
            context.kept = "after"
        assert context.kept == "before"

    def test_config_values_are_restored_in_place(self):
        flows = configuration.config.flows
        with restored_context_and_config():
            configuration.config.flows.checkpointing = True
            configuration.config.flows.extra = 1
            configuration.config.new_section = {"a": 1}
        assert configuration.config.flows is flows
        assert flows.checkpointing is False
        assert "extra" not in flows
        assert "new_section" not in configuration.config

    def test_replaced_section_is_restored(self):
        with restored_context_and_config():
            configuration.config.flows = 1
        assert configuration.config.flows.checkpointing is False

    def test_rebound_module_config_is_restored(self):
        live = configuration.config
        with restored_context_and_config():
            configuration.config = Config()
        assert configuration.config is live

    def test_logger_level_and_handlers_are_restored(self):
        from prefect_core.utilities.logging import get_logger

        logger = get_logger()
        level, handlers = logger.level, list(logger.handlers)
        with restored_context_and_config():
            logger.setLevel("CRITICAL")
            logger.handlers.clear()
        assert (logger.level, logger.handlers) == (level, handlers)
