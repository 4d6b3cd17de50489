"""Result classes that know how to store values.

* `LocalResult`: pickled (or otherwise serialized) files in a local folder.
* `PrefectResult`: JSON values whose location *is* the JSON text (no storage at all).
* `ConstantResult`: a fixed value that is never stored.
* `SecretResult`: a value fetched from a secret task every time it is read.
"""

from prefect_core.engine.results.constant_result import ConstantResult
from prefect_core.engine.results.local_result import LocalResult
from prefect_core.engine.results.prefect_result import PrefectResult
from prefect_core.engine.results.secret_result import SecretResult

__all__ = ["ConstantResult", "LocalResult", "PrefectResult", "SecretResult"]
