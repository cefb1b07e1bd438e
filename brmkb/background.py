"""Run one call in a forked process while the caller goes on with other work.

The site build uses it to check the records and render the generated pages while MkDocs
starts up (Material's search plugin spends about a second loading jieba's dictionary in the
meantime). Where a fork is not available or not safe — no ``fork`` start method (Windows),
or other threads running (``mkdocs serve``) — the call simply runs when its result is asked
for, with the same outcome.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """True where a forked child is both possible and safe (no other thread holds a lock)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Background(Generic[T]):
    """``function(*args, **kwargs)``, started now, its result (or exception) on ``result()``."""

    def __init__(
        self, function: Callable[..., T], /, *args: Any, fork: bool | None = None, **kwargs: Any
    ) -> None:
        """``fork``: whether to fork; by default, where ``can_fork()``."""
        self._call = (function, args, kwargs)
        self._process: Any = None
        self._receive: Connection | None = None
        if can_fork() if fork is None else fork:
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            # Not a daemon: the call may start worker processes of its own.
            self._process = context.Process(target=_child, args=(send, *self._call))
            self._process.start()
            send.close()
            # A result nobody asks for (the build stopped early) must not keep the child
            # waiting on a full pipe, nor the interpreter waiting on the child at exit.
            weakref.finalize(self, _stop, self._process, self._receive)

    @property
    def forked(self) -> bool:
        return self._process is not None

    def result(self) -> T:
        """The call's return value; its exception is raised here, in the caller."""
        if self._receive is None:
            function, args, kwargs = self._call
            return function(*args, **kwargs)
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"background process ended without a result (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._receive.close()
        self._process.join()
        if ok:
            return value
        raise value


def _child(send: Connection, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        outcome: tuple[bool, Any] = (True, function(*args, **kwargs))
    except BaseException as error:  # handed to the parent, which raises it
        error.add_note(f"in the background process:\n{traceback.format_exc()}")
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as error:  # an unpicklable result or exception: say what it was
        send.send((False, RuntimeError(f"background result could not be sent: {error}")))
    finally:
        send.close()
        os._exit(0)  # skip the parent's atexit handlers and buffers inherited by the fork


def _stop(process: Any, receive: Connection) -> None:
    receive.close()
    if process.is_alive():
        process.terminate()
    process.join()
