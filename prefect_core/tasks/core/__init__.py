"""The core task library: constants, function tasks, collections, operators, resources."""

from prefect_core.tasks.core import (
    collections,
    constants,
    function,
    operators,
    resource_manager,
)
