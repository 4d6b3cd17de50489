"""Tests for prefect_core.utilities.configuration.set_temporary_config."""

import pytest

from prefect_core import configuration
from prefect_core.configuration import Config
from prefect_core.utilities.configuration import set_temporary_config
from prefect_core.utilities.context import context


def test_dotted_key_is_set_on_the_global_config():
    with set_temporary_config({"flows.checkpointing": True}):
        assert configuration.config.flows.checkpointing is True


def test_dotted_key_is_restored_on_exit():
    with set_temporary_config({"flows.checkpointing": True}):
        pass
    assert configuration.config.flows.checkpointing is False


def test_yields_the_global_config():
    with set_temporary_config({"debug": True}) as config:
        assert config is configuration.config


def test_context_config_is_the_global_config_inside():
    with set_temporary_config({"debug": True}):
        assert context.config is configuration.config
        assert context.config.debug is True


def test_several_keys_at_once():
    with set_temporary_config({"debug": True, "tasks.defaults.max_retries": 3}):
        assert configuration.config.debug is True
        assert configuration.config.tasks.defaults.max_retries == 3
    assert configuration.config.tasks.defaults.max_retries == 0


def test_new_key_is_removed_on_exit():
    with set_temporary_config({"flows.brand_new": 1}):
        assert configuration.config.flows.brand_new == 1
    assert "brand_new" not in configuration.config.flows


def test_new_sections_are_created_and_removed():
    with set_temporary_config({"new_section.deeper.key": "x"}):
        assert configuration.config.new_section.deeper.key == "x"
        assert isinstance(configuration.config.new_section, Config)
    assert "new_section" not in configuration.config


def test_existing_section_objects_are_kept():
    flows = configuration.config.flows
    with set_temporary_config({"flows.checkpointing": True}):
        assert configuration.config.flows is flows
    assert configuration.config.flows is flows


def test_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with set_temporary_config({"flows.checkpointing": True}):
            raise RuntimeError()
    assert configuration.config.flows.checkpointing is False


def test_nested_calls_restore_in_order():
    with set_temporary_config({"logging.level": "DEBUG"}):
        with set_temporary_config({"logging.level": "ERROR"}):
            assert configuration.config.logging.level == "ERROR"
        assert configuration.config.logging.level == "DEBUG"
    assert configuration.config.logging.level == "INFO"


def test_dict_value_becomes_a_config_section():
    with set_temporary_config({"engine.executor.dask": {"address": "tcp://x:1"}}):
        assert configuration.config.engine.executor.dask.address == "tcp://x:1"
    assert configuration.config.engine.executor.dask.address == ""


def test_change_is_visible_to_code_reading_the_global_config():
    with set_temporary_config({"flows.eager_edge_validation": True}):
        from prefect_core.configuration import config

        assert config.flows.eager_edge_validation is True
