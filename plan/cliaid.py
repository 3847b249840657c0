"""What the `yjplan` command does before and around a command, so that its messages always
help: it finds the project from any folder inside it, answers a mistyped command with the one
meant, says which port to use when one is taken, and shows progress even when nobody is
watching a terminal (CI logs, `| tee`).

Every problem here is one line starting 'error:'; none is a traceback.
"""
from __future__ import annotations

import difflib
import errno
import socket
import sys
import time
from pathlib import Path

MARKERS = ("mkdocs.yml", "content/")


class CommandLineError(Exception):
    """A mistake in how yjplan was run (not in the plan): shown as one line, exit code 2."""


# --- the project --------------------------------------------------------------------------------

def is_project(folder: Path) -> bool:
    return (folder / "mkdocs.yml").is_file() and (folder / "content").is_dir()


def find_project(start: Path, given: bool) -> Path:
    """The project folder: `start` or the nearest folder above it holding mkdocs.yml and
    content/, so yjplan works from content/2025-26/ as well as from the project's own folder.
    `given` says whether `start` came from --root (which must then be a folder)."""
    start = start.expanduser().absolute()
    if given and not start.exists():
        raise CommandLineError(f"--root {start} does not exist: give the project folder, the one holding "
                               "mkdocs.yml and content/")
    if given and not start.is_dir():
        raise CommandLineError(f"--root {start} is a file, not a folder: give the project folder, the one "
                               "holding mkdocs.yml and content/")
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    how = "check the --root folder" if given else "run yjplan inside the project's folder, or give --root FOLDER"
    raise CommandLineError(f"no yjplan project here: looked for mkdocs.yml and content/ in {start} and the "
                           f"folders above it; {how}")


# --- the command ----------------------------------------------------------------------------------

OPTIONS_WITH_VALUES = {"--root"}     # the top-level options that take a value


def check_command(argv: list[str], commands: list[str]) -> None:
    """Refuse a mistyped command before argparse does, naming the command meant. Only the first
    word that is not an option (or the value of one) is looked at: that is the command."""
    words = iter(argv)
    for word in words:
        if word in OPTIONS_WITH_VALUES:
            next(words, None)
            continue
        if word.startswith("-"):
            continue
        if word in commands:
            return
        close = difflib.get_close_matches(word, commands, n=1, cutoff=0.5)
        meant = f"did you mean '{close[0]}'? " if close else ""
        raise CommandLineError(f"'{word}' is not a yjplan command: {meant}the commands are {', '.join(commands)} "
                               "(yjplan --help says what each does)")
    return


# --- the preview's port ----------------------------------------------------------------------------

def port_number(text: str) -> int:
    """An argparse type: a TCP port a preview can listen on (0 would mean 'any port', so the
    address printed would be wrong)."""
    import argparse
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number: use a whole number from 1 to 65535, "
                                         "e.g. --port 8000")
    return int(text)


class PortUnavailable(Exception):
    """The preview cannot listen where asked: the message says why and what to do."""


def _can_listen(host: str, port: int) -> OSError | None:
    """Bind the way the preview's server does (it reuses addresses), then let go."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return exc
    return None


def free_port_after(host: str, port: int, tries: int = 50) -> int | None:
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if _can_listen(host, candidate) is None:
            return candidate
    return None


def explain_port(host: str, port: int, exc: OSError) -> PortUnavailable:
    """One line saying why the preview cannot listen on host:port, and what to do."""
    if exc.errno == errno.EADDRINUSE:
        other = free_port_after(host, port)
        fix = f"use --port {other}" if other else "use another --port"
        return PortUnavailable(f"port {port} is in use (another program, or another preview, is listening "
                               f"on it): stop the other program or {fix}")
    if isinstance(exc, PermissionError) or exc.errno == errno.EACCES:
        return PortUnavailable(f"port {port} needs administrator rights: use a port from 1024 up, e.g. --port 8000")
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return PortUnavailable(f"cannot listen on --host {host}: it is not an address of this computer; "
                               "leave --host out to use 127.0.0.1")
    return PortUnavailable(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def check_port(host: str, port: int) -> None:
    """Raise PortUnavailable before the preview does any work if it could not listen."""
    if (problem := _can_listen(host, port)) is not None:
        raise explain_port(host, port, problem)


# --- progress where there is no terminal ------------------------------------------------------------

class StageLog:
    """A build's progress as plain lines, one per stage with the time it took, for logs and
    pipes where a spinner would show nothing (e.g. 'Reading the plan and the data … 0.4 s').
    Use as `report` for build(); close() ends the last stage."""

    def __init__(self, stream=None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.clock = clock
        self.stage: str | None = None
        self.started = 0.0

    def __call__(self, step: str) -> None:
        self.close()
        self.stage, self.started = step, self.clock()

    def close(self) -> None:
        if self.stage is not None:
            print(f"{self.stage} … {self.clock() - self.started:.1f} s", file=self.stream, flush=True)
            self.stage = None
