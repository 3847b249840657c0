"""A stop (Ctrl-C or SIGTERM) can land while a library runs one of our Python callbacks, and
some libraries print and ignore what their callback raises (nh3 does). The command's signal
handlers note each stop here, so code that calls such a library raises it again afterwards."""
from __future__ import annotations

_stops: list[BaseException] = []


def noted(stop: BaseException) -> BaseException:
    """Remember a stop as the handler raises it; returns it, to be raised."""
    _stops.append(stop)
    return stop


def forget() -> None:
    """A new command starts with no stop pending."""
    _stops.clear()


def raise_if_stopped() -> None:
    """Raise a stop a library swallowed (a stop that was not swallowed ended the command)."""
    if _stops:
        raise _stops[-1]
