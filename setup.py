"""Packaging for prefect_core: a fast engine speaking the Prefect 1.x Core API."""

from pathlib import Path

from setuptools import find_packages, setup

version_namespace: dict = {}
exec(Path("prefect_core/_version.py").read_text(), version_namespace)

setup(
    name="prefect-core",
    version=version_namespace["__version__"],
    description="A fast, graph-first workflow engine speaking the Prefect 1.x Core API",
    long_description=Path("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    packages=find_packages(include=["prefect_core", "prefect_core.*"]),
    package_data={"prefect_core": ["config.toml", "py.typed"]},
    install_requires=[
        "networkx>=3.0",
        "dask>=2023.1",
        "distributed>=2023.1",
        "cloudpickle>=2.0",
        "marshmallow>=3.18",
        "toml>=0.10",
        "croniter>=1.3",
        "graphviz>=0.20",
    ],
    extras_require={
        "test": [
            "pytest>=7",
            "pytest-timeout>=2.1",
            "hypothesis>=6.70",
            "ruff>=0.5",
            "pandas>=2.0",
            "bokeh>=3.1",  # Dask's dashboard and performance reports (tests/executors)
        ],
    },
    entry_points={"console_scripts": ["prefect-core = prefect_core.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.11",
    ],
)
