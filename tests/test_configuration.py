"""Tests for prefect_core.configuration: the Config mapping, views and loading."""

import copy
import datetime
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from prefect_core import configuration
from prefect_core.configuration import (
    DEFAULT_CONFIG,
    ENV_VAR_PREFIX,
    ENV_VAR_PREFIXES,
    Config,
    ConfigKeyError,
    ConfigView,
    create_user_config,
    interpolate_config,
    interpolate_env_vars,
    load_configuration,
    load_default_config,
    load_toml,
    process_task_defaults,
    string_to_type,
    to_environment_variables,
    validate_config,
)


def write_toml(path, text):
    path.write_text(textwrap.dedent(text))
    return str(path)


@pytest.fixture
def base_file(tmp_path):
    return write_toml(
        tmp_path / "base.toml",
        """
        debug = false
        [section]
        key = "base"
        other = "untouched"
        """,
    )


class TestConfig:
    def test_nested_attribute_access(self):
        config = Config({"a": {"b": {"c": 1}}})
        assert config.a.b.c == 1

    def test_nested_dicts_become_configs(self):
        config = Config({"a": {"b": 1}})
        assert type(config.a) is Config

    def test_assigned_dicts_become_configs(self):
        config = Config()
        config.a = {"b": {"c": 1}}
        assert type(config.a.b) is Config

    def test_attribute_assignment_sets_a_key(self):
        config = Config()
        config.x = 1
        assert config["x"] == 1

    def test_missing_attribute_is_both_key_error_and_attribute_error(self):
        with pytest.raises(KeyError):
            Config().missing
        with pytest.raises(AttributeError):
            Config().missing

    def test_missing_item_is_both_key_error_and_attribute_error(self):
        with pytest.raises(ConfigKeyError) as info:
            Config()["missing"]
        assert isinstance(info.value, KeyError)
        assert isinstance(info.value, AttributeError)

    def test_missing_key_message_names_the_key(self):
        with pytest.raises(ConfigKeyError, match="'missing'"):
            Config().missing

    def test_hasattr_is_false_for_missing_key(self):
        assert not hasattr(Config(), "missing")

    def test_deleting_a_missing_attribute_raises_config_key_error(self):
        with pytest.raises(ConfigKeyError):
            del Config().missing

    def test_update_and_setdefault_convert_dicts(self):
        config = Config()
        config.update({"a": {"b": 1}})
        config.setdefault("c", {"d": 2})
        assert type(config.a) is Config
        assert type(config.c) is Config

    def test_key_shadowing_a_method_is_rejected(self):
        with pytest.raises(ValueError, match='Invalid config key: "keys"'):
            Config({"keys": 1})

    def test_copy_makes_new_configs_at_every_level(self):
        leaf = [1]
        config = Config({"a": {"b": leaf}})
        copied = config.copy()
        assert copied == config
        assert copied.a is not config.a
        assert copied.a.b is leaf

    def test_to_dict_returns_plain_dicts(self):
        result = Config({"a": {"b": 1}}).to_dict()
        assert result == {"a": {"b": 1}}
        assert type(result) is dict
        assert type(result["a"]) is dict

    def test_to_json(self):
        assert json.loads(Config({"a": {"b": 1}}).to_json()) == {"a": {"b": 1}}

    def test_pickle_round_trip(self):
        config = Config({"a": {"b": 1}})
        loaded = pickle.loads(pickle.dumps(config))
        assert loaded == config
        assert type(loaded.a) is Config
        assert loaded.a.b == 1

    def test_deepcopy_copies_values(self):
        config = Config({"a": {"b": [1]}})
        copied = copy.deepcopy(config)
        assert copied == config
        assert copied.a.b is not config.a.b
        assert copied.a.b == [1]

    def test_repr(self):
        assert repr(Config({"a": 1})) == "Config({'a': 1})"

    def test_keys_show_up_in_dir(self):
        assert "some_key" in dir(Config({"some_key": 1}))


class TestConfigView:
    @pytest.fixture
    def base(self):
        return Config({"flows": {"checkpointing": False, "run_on_schedule": True}, "debug": False})

    def test_named_key_overrides(self, base):
        assert base.overlay({"debug": True}).debug is True

    def test_other_keys_read_through(self, base):
        assert base.overlay({"debug": True}).flows.run_on_schedule is True

    def test_nested_section_is_overlaid_not_replaced(self, base):
        view = base.overlay({"flows": {"checkpointing": True}})
        assert view.flows.checkpointing is True
        assert view.flows.run_on_schedule is True

    def test_base_is_not_modified(self, base):
        base.overlay({"flows": {"checkpointing": True}, "new": 1})
        assert base == {"flows": {"checkpointing": False, "run_on_schedule": True}, "debug": False}

    def test_later_changes_to_the_base_are_visible(self, base):
        view = base.overlay({"debug": True})
        base.flows.run_on_schedule = False
        base.extra = 1
        assert view.flows.run_on_schedule is False
        assert view.extra == 1

    def test_new_keys_and_sections_can_be_added(self, base):
        view = base.overlay({"new": {"a": 1}})
        assert view.new.a == 1
        assert type(view.new) is Config

    def test_missing_key_raises_config_key_error(self, base):
        with pytest.raises(ConfigKeyError):
            base.overlay({}).missing

    def test_contains_get_len_and_iteration_see_the_merge(self, base):
        view = base.overlay({"debug": True, "new": 1})
        assert "flows" in view and "new" in view
        assert view.get("debug") is True
        assert view.get("flows") is base.flows
        assert view.get("missing", 5) == 5
        assert list(view) == ["flows", "debug", "new"]
        assert len(view) == 3

    def test_keys_items_values_see_the_merge(self, base):
        view = base.overlay({"debug": True})
        assert list(view.keys()) == ["flows", "debug"]
        assert dict(view.items())["debug"] is True
        assert True in list(view.values())

    def test_dict_conversion_and_unpacking_see_the_merge(self, base):
        view = base.overlay({"debug": True})
        assert dict(view)["debug"] is True
        assert {**view}["flows"] is base.flows

    def test_json_dumps_sees_the_merge(self, base):
        view = base.overlay({"flows": {"checkpointing": True}})
        assert json.loads(json.dumps(view))["flows"] == {
            "checkpointing": True,
            "run_on_schedule": True,
        }

    def test_equality_compares_the_merged_mapping(self, base):
        view = base.overlay({"debug": True})
        assert view == {"flows": base.flows, "debug": True}
        assert view != base
        assert base.overlay({}) == base

    def test_writes_stay_in_the_view(self, base):
        view = base.overlay({})
        view.debug = True
        assert view.debug is True
        assert base.debug is False

    def test_copy_is_a_plain_config_snapshot(self, base):
        copied = base.overlay({"flows": {"checkpointing": True}}).copy()
        assert type(copied) is Config
        assert type(copied.flows) is Config
        assert copied.flows.checkpointing is True

    def test_pickling_gives_a_plain_config(self, base):
        loaded = pickle.loads(pickle.dumps(base.overlay({"flows": {"checkpointing": True}})))
        assert type(loaded) is Config
        assert loaded.flows == {"checkpointing": True, "run_on_schedule": True}

    def test_to_dict_is_merged_and_plain(self, base):
        result = base.overlay({"flows": {"checkpointing": True}}).to_dict()
        assert result == {"flows": {"checkpointing": True, "run_on_schedule": True}, "debug": False}

    def test_view_of_a_view_layers(self, base):
        view = base.overlay({"flows": {"checkpointing": True}})
        inner = view.overlay({"flows": {"run_on_schedule": False}})
        assert (inner.flows.checkpointing, inner.flows.run_on_schedule) == (True, False)

    def test_nested_section_view_is_a_config_view(self, base):
        view = base.overlay({"flows": {"checkpointing": True}})
        assert isinstance(view.flows, ConfigView)

    def test_mapping_over_a_non_section_replaces_it(self, base):
        assert base.overlay({"debug": {"a": 1}}).debug == {"a": 1}

    def test_delete_only_affects_own_layer(self, base):
        view = base.overlay({"debug": True})
        del view["debug"]
        assert view.debug is False


class TestStringToType:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("true", True),
            ("TRUE", True),
            ("False", False),
            ("4200", 4200),
            ("1.5", 1.5),
            ("[1, 2]", [1, 2]),
            ("{'a': 1}", {"a": 1}),
            ("None", None),
            ("(1,)", (1,)),
            ("abc", "abc"),
            ("", ""),
            ("[%(asctime)s] %(message)s", "[%(asctime)s] %(message)s"),
        ],
    )
    def test_casts(self, text, expected):
        assert string_to_type(text) == expected
        assert type(string_to_type(text)) is type(expected)


class TestInterpolateEnvVars:
    def test_non_strings_are_returned_unchanged(self):
        assert interpolate_env_vars(5) == 5
        assert interpolate_env_vars(None) is None

    def test_empty_string_is_returned_unchanged(self):
        assert interpolate_env_vars("") == ""

    def test_plain_string_is_not_cast(self):
        assert interpolate_env_vars("123") == "123"

    def test_single_expansion_stays_a_string(self, monkeypatch):
        monkeypatch.setenv("PC_TEST_X", "5")
        assert interpolate_env_vars("$PC_TEST_X") == "5"

    def test_nested_expansion_is_cast(self, monkeypatch):
        monkeypatch.setenv("PC_TEST_X", "5")
        monkeypatch.setenv("PC_TEST_Y", "$PC_TEST_X")
        assert interpolate_env_vars("$PC_TEST_Y") == 5

    def test_braced_variable_is_expanded(self, monkeypatch):
        monkeypatch.setenv("PC_TEST_X", "abc")
        assert interpolate_env_vars("pre-${PC_TEST_X}") == "pre-abc"

    def test_home_is_expanded(self):
        assert interpolate_env_vars("~/x") == os.path.expanduser("~/x")

    def test_unknown_variable_is_left_as_written(self):
        assert interpolate_env_vars("$PC_TEST_SURELY_UNSET") == "$PC_TEST_SURELY_UNSET"

    def test_cycle_returns_none(self, monkeypatch):
        monkeypatch.setenv("PC_TEST_A", "$PC_TEST_B")
        monkeypatch.setenv("PC_TEST_B", "$PC_TEST_A")
        assert interpolate_env_vars("$PC_TEST_A") is None


class TestFiles:
    def test_load_toml_returns_a_plain_dict(self, base_file):
        loaded = load_toml(base_file)
        assert type(loaded) is dict
        assert loaded["section"]["key"] == "base"

    def test_load_toml_expands_the_path(self, base_file, monkeypatch, tmp_path):
        monkeypatch.setenv("PC_TEST_DIR", str(tmp_path))
        assert load_toml("$PC_TEST_DIR/base.toml")["debug"] is False

    def test_create_user_config_copies_the_source(self, tmp_path):
        destination = tmp_path / "sub" / "config.toml"
        create_user_config(str(destination))
        assert destination.read_text() == Path(DEFAULT_CONFIG).read_text()

    def test_create_user_config_refuses_an_existing_file(self, tmp_path):
        destination = tmp_path / "config.toml"
        destination.write_text("")
        with pytest.raises(ValueError, match="File already exists"):
            create_user_config(str(destination))

    def test_create_user_config_uses_the_given_source(self, tmp_path, base_file):
        destination = tmp_path / "copy.toml"
        create_user_config(str(destination), source_path=base_file)
        assert load_toml(str(destination))["section"]["other"] == "untouched"


class TestInterpolateConfig:
    def test_returns_a_config(self):
        assert type(interpolate_config({"a": {"b": 1}})) is Config

    def test_toml_strings_are_cast(self):
        result = interpolate_config({"port": "4200", "labels": "[]", "flag": "true"})
        assert (result.port, result.labels, result.flag) == (4200, [], True)

    def test_env_vars_in_values_are_expanded_and_cast(self, monkeypatch):
        monkeypatch.setenv("PC_TEST_PORT", "8080")
        assert interpolate_config({"port": "$PC_TEST_PORT"}).port == 8080

    def test_whole_reference_takes_the_referenced_value_and_type(self):
        result = interpolate_config({"a": {"port": 4200}, "b": "${a.port}"})
        assert result.b == 4200

    def test_partial_reference_is_substituted_as_text(self):
        result = interpolate_config({"host": "localhost", "url": "http://${host}:80"})
        assert result.url == "http://localhost:80"

    def test_several_references_in_one_value(self):
        result = interpolate_config({"a": "x", "b": "y", "c": "${a}-${b}"})
        assert result.c == "x-y"

    def test_unknown_reference_becomes_empty_string(self):
        assert interpolate_config({"a": "${nope.nothing}"}).a == ""

    def test_nested_references_resolve(self):
        result = interpolate_config(
            {
                "environment": "dev",
                "environments": {"dev": {"user": "bob"}},
                "user": "${environments.${environment}.user}",
            }
        )
        assert result.user == "bob"

    def test_chained_references_resolve(self):
        result = interpolate_config({"a": "${b}", "b": "${c}", "c": 3})
        assert result.a == 3

    def test_env_var_with_prefix_sets_a_nested_key(self, monkeypatch):
        monkeypatch.setenv("PCTEST__SECTION__KEY", "env")
        result = interpolate_config({"section": {"key": "file"}}, env_var_prefix="PCTEST")
        assert result.section.key == "env"

    def test_env_var_sets_a_top_level_key(self, monkeypatch):
        monkeypatch.setenv("PCTEST__DEBUG", "true")
        assert interpolate_config({"debug": False}, env_var_prefix="PCTEST").debug is True

    def test_env_var_creates_new_sections(self, monkeypatch):
        monkeypatch.setenv("PCTEST__NEW__DEEP__KEY", "1")
        assert interpolate_config({}, env_var_prefix="PCTEST").new.deep.key == 1

    def test_env_var_key_parts_are_lower_cased(self, monkeypatch):
        monkeypatch.setenv("PCTEST__Section__MyKey", "x")
        assert interpolate_config({}, env_var_prefix="PCTEST").section.mykey == "x"

    def test_env_var_values_are_cast(self, monkeypatch):
        monkeypatch.setenv("PCTEST__A", "[1, 2]")
        assert interpolate_config({}, env_var_prefix="PCTEST").a == [1, 2]

    def test_env_var_values_are_env_expanded(self, monkeypatch):
        monkeypatch.setenv("PC_TEST_INNER", "inner")
        monkeypatch.setenv("PCTEST__A", "x-$PC_TEST_INNER")
        assert interpolate_config({}, env_var_prefix="PCTEST").a == "x-inner"

    def test_secret_names_keep_their_case(self, monkeypatch):
        monkeypatch.setenv("PCTEST__CONTEXT__SECRETS__MY_Token", "s3cret")
        result = interpolate_config({}, env_var_prefix="PCTEST")
        assert result.context.secrets["MY_Token"] == "s3cret"

    def test_env_vars_without_the_prefix_are_ignored(self, monkeypatch):
        monkeypatch.setenv("PCTESTX__A", "1")
        assert "a" not in interpolate_config({}, env_var_prefix="PCTEST")

    def test_no_prefix_means_no_env_vars(self, monkeypatch):
        monkeypatch.setenv("PCTEST__A", "1")
        assert "a" not in interpolate_config({})

    def test_later_prefix_wins(self, monkeypatch):
        monkeypatch.setenv("PCOLD__A", "old")
        monkeypatch.setenv("PCNEW__A", "new")
        monkeypatch.setenv("PCOLD__B", "only-old")
        result = interpolate_config({}, env_var_prefix=("PCOLD", "PCNEW"))
        assert (result.a, result.b) == ("new", "only-old")

    def test_references_see_env_var_values(self, monkeypatch):
        monkeypatch.setenv("PCTEST__HOST", "example.org")
        result = interpolate_config({"host": "x", "url": "http://${host}"}, env_var_prefix="PCTEST")
        assert result.url == "http://example.org"


class TestValidateConfig:
    def test_default_config_is_valid(self):
        validate_config(configuration.config)

    @pytest.mark.parametrize(
        "key",
        [
            "keys",
            "items",
            "update",
            "copy",
            "get",
            "pop",
            "to_dict",
            "to_yaml",
            "merge_update",
            "from_json",
            "__init__",
        ],
    )
    def test_method_names_are_invalid(self, key):
        with pytest.raises(ValueError, match=f'Invalid config key: "{key}"'):
            validate_config({"section": {key: 1}})

    def test_invalid_key_in_a_file_fails_loading(self, tmp_path):
        path = write_toml(tmp_path / "bad.toml", "[section]\nkeys = 1\n")
        with pytest.raises(ValueError, match='Invalid config key: "keys"'):
            load_configuration(path)


class TestLoadConfiguration:
    def test_loads_the_base_file(self, base_file):
        assert load_configuration(base_file).section.key == "base"

    def test_user_file_is_deep_merged(self, base_file, tmp_path):
        user = write_toml(tmp_path / "user.toml", '[section]\nkey = "user"\n')
        result = load_configuration(base_file, user_config_path=user)
        assert (result.section.key, result.section.other) == ("user", "untouched")

    def test_missing_user_file_is_ignored(self, base_file, tmp_path):
        result = load_configuration(base_file, user_config_path=str(tmp_path / "nope.toml"))
        assert result.section.key == "base"

    def test_backend_file_wins_over_user_file(self, base_file, tmp_path):
        user = write_toml(tmp_path / "user.toml", '[section]\nkey = "user"\n')
        backend = write_toml(tmp_path / "backend.toml", '[section]\nkey = "backend"\n')
        result = load_configuration(base_file, user, backend)
        assert result.section.key == "backend"

    def test_env_var_wins_over_user_file(self, base_file, tmp_path, monkeypatch):
        user = write_toml(tmp_path / "user.toml", '[section]\nkey = "user"\n')
        monkeypatch.setenv("PCTEST__SECTION__KEY", "env")
        result = load_configuration(base_file, user, env_var_prefix="PCTEST")
        assert result.section.key == "env"

    def test_prefect_core_prefix_wins_over_prefect_prefix(self, base_file, monkeypatch):
        monkeypatch.setenv("PREFECT__SECTION__KEY", "legacy")
        monkeypatch.setenv("PREFECT_CORE__SECTION__KEY", "documented")
        result = load_configuration(base_file, env_var_prefix=ENV_VAR_PREFIXES)
        assert result.section.key == "documented"

    def test_prefect_prefix_alone_is_honoured(self, base_file, monkeypatch):
        monkeypatch.setenv("PREFECT__SECTION__KEY", "legacy")
        monkeypatch.delenv("PREFECT_CORE__SECTION__KEY", raising=False)
        result = load_configuration(base_file, env_var_prefix=ENV_VAR_PREFIXES)
        assert result.section.key == "legacy"

    def test_user_file_path_env_var_is_stored_as_a_key(self, base_file, monkeypatch):
        monkeypatch.setenv("PREFECT_CORE__USER_CONFIG_PATH", "/somewhere/config.toml")
        result = load_configuration(base_file, env_var_prefix=ENV_VAR_PREFIXES)
        assert result.user_config_path == "/somewhere/config.toml"

    def test_user_file_may_reference_default_keys(self, base_file, tmp_path):
        user = write_toml(tmp_path / "user.toml", '[section]\nderived = "${section.other}!"\n')
        assert load_configuration(base_file, user).section.derived == "untouched!"


class TestProcessTaskDefaults:
    def test_false_values_become_zero_and_none(self):
        config = process_task_defaults(
            Config(
                {
                    "tasks": {
                        "defaults": {"max_retries": False, "retry_delay": False, "timeout": False}
                    }
                }
            )
        )
        assert config.tasks.defaults == {"max_retries": 0, "retry_delay": None, "timeout": None}

    def test_missing_sections_are_created(self):
        config = process_task_defaults(Config())
        assert config.tasks.defaults == {"max_retries": 0, "retry_delay": None, "timeout": None}

    def test_integer_retry_delay_becomes_seconds(self):
        config = process_task_defaults(Config({"tasks": {"defaults": {"retry_delay": 5}}}))
        assert config.tasks.defaults.retry_delay == datetime.timedelta(seconds=5)

    def test_max_retries_and_timeout_numbers_are_kept(self):
        config = process_task_defaults(
            Config({"tasks": {"defaults": {"max_retries": 3, "timeout": 10}}})
        )
        assert (config.tasks.defaults.max_retries, config.tasks.defaults.timeout) == (3, 10)

    def test_returns_the_same_object(self):
        config = Config()
        assert process_task_defaults(config) is config


class TestToEnvironmentVariables:
    def test_flattens_to_upper_case_names_with_string_values(self):
        result = to_environment_variables(Config({"a": {"b": 1, "c": {"d": "x"}}, "e": True}))
        assert result == {"PREFECT__A__B": "1", "PREFECT__A__C__D": "x", "PREFECT__E": "True"}

    def test_include_selects_dotted_keys(self):
        result = to_environment_variables(Config({"a": {"b": 1, "c": 2}}), include={"a.c"})
        assert result == {"PREFECT__A__C": "2"}

    def test_custom_prefix(self):
        assert to_environment_variables({"a": 1}, prefix=ENV_VAR_PREFIX) == {"PREFECT_CORE__A": "1"}


class TestDefaultConfig:
    def test_module_config_is_loaded(self):
        assert isinstance(configuration.config, Config)

    def test_part_one_defaults(self):
        config = load_default_config()
        assert config.flows.eager_edge_validation is False
        assert config.flows.run_on_schedule is True
        assert config.flows.checkpointing is False
        assert config.tasks.defaults.max_retries == 0
        assert config.tasks.defaults.retry_delay is None
        assert config.tasks.defaults.timeout is None

    def test_engine_default_classes(self):
        engine = load_default_config().engine
        assert engine.executor.default_class == "prefect_core.executors.LocalExecutor"
        assert engine.flow_runner.default_class == "prefect_core.engine.flow_runner.FlowRunner"
        assert engine.task_runner.default_class == "prefect_core.engine.task_runner.TaskRunner"
        assert engine.executor.dask.address == ""

    def test_logging_defaults_are_cast(self):
        logging_section = load_default_config().logging
        assert logging_section.level == "INFO"
        assert logging_section.log_attributes == []
        assert logging_section.extra_loggers == []

    def test_home_dir_is_expanded(self, monkeypatch):
        for name in ("PREFECT__HOME_DIR", "PREFECT_CORE__HOME_DIR"):
            monkeypatch.delenv(name, raising=False)
        assert load_default_config().home_dir == os.path.expanduser("~/.prefect_core")

    def test_env_vars_of_both_prefixes_apply(self, monkeypatch):
        monkeypatch.setenv("PREFECT__FLOWS__CHECKPOINTING", "true")
        monkeypatch.setenv("PREFECT_CORE__LOGGING__LEVEL", "DEBUG")
        config = load_default_config()
        assert (config.flows.checkpointing, config.logging.level) == (True, "DEBUG")


def import_in_fresh_interpreter(code, env):
    """Run `code` after importing prefect_core.configuration in a new interpreter."""
    full_env = {**os.environ, **env}
    script = f"import prefect_core.configuration as c\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script], env=full_env, capture_output=True, text=True, check=True
    ).stdout.strip()


class TestImportTime:
    def test_user_config_path_defaults_to_prefect_core_home(self, monkeypatch):
        for name in ("PREFECT__USER_CONFIG_PATH", "PREFECT_CORE__USER_CONFIG_PATH"):
            monkeypatch.delenv(name, raising=False)
        assert import_in_fresh_interpreter("print(c.USER_CONFIG)", {}) == (
            "~/.prefect_core/config.toml"
        )

    def test_prefect_core_user_config_path_wins(self, tmp_path):
        legacy = write_toml(tmp_path / "legacy.toml", 'marker = "legacy"\n')
        documented = write_toml(tmp_path / "documented.toml", 'marker = "documented"\n')
        env = {"PREFECT__USER_CONFIG_PATH": legacy, "PREFECT_CORE__USER_CONFIG_PATH": documented}
        assert import_in_fresh_interpreter("print(c.config.marker)", env) == "documented"

    def test_legacy_user_config_path_is_honoured(self, tmp_path, monkeypatch):
        monkeypatch.delenv("PREFECT_CORE__USER_CONFIG_PATH", raising=False)
        legacy = write_toml(tmp_path / "legacy.toml", 'marker = "legacy"\n')
        env = {"PREFECT__USER_CONFIG_PATH": legacy}
        assert import_in_fresh_interpreter("print(c.config.marker)", env) == "legacy"
