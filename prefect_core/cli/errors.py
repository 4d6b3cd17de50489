"""Bad usage or bad input: `CliError`, reported as one line on stderr with exit code 2."""

from __future__ import annotations

import traceback

USAGE_ERROR_EXIT_CODE = 2


class CliError(Exception):
    """Bad usage or bad input (a missing file, a malformed `--param`, no flow found, ...).

    `main` prints `prefect-core: error: <message>` on stderr, without a traceback, and
    exits with code 2. The message is one line (see `one_line`).
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """`text` with its lines joined by single spaces (blank lines dropped)."""
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def describe_exception(error: BaseException, filename: str | None = None) -> str:
    """`Type: message`, plus `(<file>, line N)` for the deepest frame in `filename`.

    Used for errors raised by user code while a flow file or module is loaded, so the
    one-line error still points at the offending line.
    """
    description = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, SyntaxError):
        return description  # its message names the file and line already
    if filename is not None:
        lines = [
            frame.lineno
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename == filename
        ]
        if lines:
            return f"{description} ({filename}, line {lines[-1]})"
    return description
