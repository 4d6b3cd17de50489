"""`ShellTask`: run a shell command and return its output.

The command (after an optional helper script) is written to a temporary script file that
the shell executes; stdout and stderr share one pipe, read line by line, so the task
never blocks on one stream while the other fills. A non-zero exit fails the task with the
output as the `Failed` state's result.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from typing import Any

from prefect_core.core.task import Task
from prefect_core.engine import signals
from prefect_core.utilities.tasks import defaults_from_attrs

__all__ = ["ShellTask"]


class ShellTask(Task):
    """Run a shell command; stdout and stderr are merged into one output.

    Args:
        command: the command to run (or give it to `run`).
        env: environment variables added to a copy of `os.environ` for the command.
        helper_script: shell code run just before the command in the same process
            (change directory, define functions, ...).
        shell: the shell program executing the script (default `"bash"`).
        return_all: return every line of output as a list instead of the last line.
        log_stderr: on failure, log the output (the last line, or every line with
            `return_all`) at ERROR; ignored when streaming, as it was logged already.
        stream_output: log each line as it arrives: `True` logs at INFO, an int or a
            level name (`"DEBUG"`) picks the level; `False` (default) disables it.
        **task_kwargs: keyword arguments for `Task`.

    Raises:
        TypeError: if `stream_output` is a string that is not a logging level name.

    ```python
    with Flow("sh") as flow:
        files = ShellTask(helper_script="cd /tmp", return_all=True)(command="ls")
    ```
    """

    def __init__(
        self,
        command: str | None = None,
        env: dict | None = None,
        helper_script: str | None = None,
        shell: str = "bash",
        return_all: bool = False,
        log_stderr: bool = False,
        stream_output: bool | int | str = False,
        **task_kwargs: Any,
    ) -> None:
        self.command = command
        self.env = env
        self.helper_script = helper_script
        self.shell = shell
        self.return_all = return_all
        self.log_stderr = log_stderr
        self.stream_output = _stream_level(stream_output)
        super().__init__(**task_kwargs)

    @defaults_from_attrs("command", "env", "helper_script")
    def run(  # type: ignore[override]
        self,
        command: str | None = None,
        env: dict | None = None,
        helper_script: str | None = None,
    ) -> str | list[str] | None:
        """Run `command` (after `helper_script`) with `env` added to the environment.

        Returns the last line of output, or every line with `return_all`; `None` (or
        `[]`) when there is no output.

        Raises:
            TypeError: if there is no command.
            FAIL: if the command exits with a non-zero code; the message ends with the
                last line of output and the state's result is the output.
        """
        if command is None:
            raise TypeError("run() missing required argument: 'command'")
        script = f"{helper_script}{os.linesep}{command}" if helper_script else command
        environment = {**os.environ, **(env or {})}
        script_path = _write_script(script)
        try:
            return_code, lines, last_line = self._execute(script_path, environment)
        finally:
            os.remove(script_path)

        output = lines if self.return_all else last_line
        if return_code:
            message = f"Command failed with exit code {return_code}"
            self.logger.error(message)
            if self.log_stderr and not self.stream_output:
                self.logger.error("\n".join(lines) if self.return_all else last_line)
            if last_line:
                message = f"{message}: {last_line}"
            raise signals.FAIL(message, result=output)
        return output

    def _execute(
        self, script_path: str, environment: dict[str, str]
    ) -> tuple[int, list[str], str | None]:
        """Run the script; return the exit code, the kept lines and the last line."""
        lines: list[str] = []
        last_line: str | None = None
        with subprocess.Popen(
            [self.shell, script_path],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environment,
            shell=sys.platform == "win32",
        ) as process:
            assert process.stdout is not None  # stdout=PIPE
            for raw_line in process.stdout:
                last_line = raw_line.decode("utf-8").rstrip()
                if self.return_all:
                    lines.append(last_line)
                if self.stream_output:
                    self.logger.log(self.stream_output, last_line)
            return_code = process.wait()
        return return_code, lines, last_line


def _stream_level(stream_output: bool | int | str) -> int | bool:
    """The logging level for streamed lines (`False`: do not stream)."""
    if stream_output is True:
        return logging.INFO
    if isinstance(stream_output, str):
        level = logging.getLevelName(stream_output)
        if not isinstance(level, int):
            raise TypeError(f"'stream_output': {level} is not a valid log level")
        return level
    return stream_output


def _write_script(script: str) -> str:
    """Write `script` to a new temporary file (prefix `prefect-`); return its path."""
    descriptor, path = tempfile.mkstemp(prefix="prefect-")
    with os.fdopen(descriptor, "wb") as script_file:
        script_file.write(script.encode())
    return path
