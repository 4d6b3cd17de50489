"""Utilities of prefect_core: context, configuration, logging, collections and helpers.

Submodules are imported on use (nothing heavy is imported here):

* `context`: the thread-local run context (`prefect_core.context`)
* `configuration`: `set_temporary_config`
* `logging`: the `prefect_core` logger, `get_logger`, `RedirectToLog`
* `collections`: `DotDict`, `merge_dicts`, flat-dict helpers
* `tasks`, `edges`: building tasks and annotating edges
* `serialization`: qualified names and marshmallow helpers
* `executors`: helpers for the runners (timeouts, mapping)
* `notifications`: `callback_factory`
* `datetimes`: `retry_delay`
* `debug`: `raise_on_exception`, `is_serializable`
* `testing`: `restored_context_and_config` for test suites
"""
