"""`python -m prefect_core`: the same as the `prefect-core` command."""

import sys

from prefect_core.cli import main

sys.exit(main())
