"""prefect_core: a fast, graph-first workflow engine speaking the Prefect 1.x Core API."""

from prefect_core._version import PREFECT_API_VERSION, __version__
