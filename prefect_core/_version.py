"""The project's own version and the Prefect Core API level it implements."""

__version__ = "0.1.0"
PREFECT_API_VERSION = "1.4.1"
