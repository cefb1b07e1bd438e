"""Run a generator in a forked process while the caller goes on with other work.

The site build uses it to check the records and render the generated pages while MkDocs
works: the check's outcome arrives first (MkDocs needs it to list the pages), then the pages
in the order MkDocs reads them, so that rendering the next pages overlaps MkDocs reading the
previous ones. Where a fork is not available or not safe — no ``fork`` start method
(Windows), or other threads running (``mkdocs serve``) — the generator runs in the caller as
its items are asked for, with the same outcome.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import traceback
import weakref
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: What the child sends: an item, the end of the items, or the exception that ended them.
_ITEM, _END, _RAISED = range(3)


def can_fork() -> bool:
    """True where a forked child is both possible and safe (no other thread holds a lock)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Background(Generic[T]):
    """The items of ``function(*args, **kwargs)`` (an iterable), made from now on; iterating
    waits for each. An exception in the function is raised here, after the items before it."""

    def __init__(
        self,
        function: Callable[..., Iterator[T]],
        /,
        *args: Any,
        fork: bool | None = None,
        **kwargs: Any,
    ) -> None:
        """``fork``: whether to fork; by default, where ``can_fork()``."""
        self._call = (function, args, kwargs)
        self._process: Any = None
        self._receive: Connection | None = None
        if can_fork() if fork is None else fork:
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            _widen(send)
            # Not a daemon: the call may start worker processes of its own.
            self._process = context.Process(target=_child, args=(send, *self._call))
            self._process.start()
            send.close()
            # Items nobody asks for (the build stopped early) must not keep the child
            # waiting on a full pipe, nor the interpreter waiting on the child at exit.
            weakref.finalize(self, _stop, self._process, self._receive)

    @property
    def forked(self) -> bool:
        return self._process is not None

    def __iter__(self) -> Iterator[T]:
        if self._receive is None:
            function, args, kwargs = self._call
            yield from function(*args, **kwargs)
            return
        what = _ITEM
        try:
            while what == _ITEM:
                try:
                    what, value = self._receive.recv()
                except EOFError:
                    self._process.join()
                    raise RuntimeError(
                        "background process ended without finishing "
                        f"(exit code {self._process.exitcode})"
                    ) from None
                if what == _ITEM:
                    yield value
                elif what == _RAISED:
                    raise value
        finally:
            if what == _ITEM:  # the caller stopped early: the child may be blocked on the pipe
                _stop(self._process, self._receive)
            else:
                self._receive.close()
                self._process.join()


def _widen(send: Connection, size: int = 1 << 20) -> None:
    """Let the child run up to ``size`` bytes ahead of the caller (Linux pipes hold 64 KiB by
    default): a moment in which the caller is busy elsewhere does not stop the child."""
    import fcntl  # POSIX only, as fork is

    with contextlib.suppress(AttributeError, OSError):  # not Linux, or above pipe-max-size
        fcntl.fcntl(send.fileno(), fcntl.F_SETPIPE_SZ, size)


def _child(send: Connection, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        for item in function(*args, **kwargs):
            send.send((_ITEM, item))
        outcome: tuple[int, Any] = (_END, None)
    except BaseException as error:  # handed to the parent, which raises it
        error.add_note(f"in the background process:\n{traceback.format_exc()}")
        outcome = (_RAISED, error)
    try:
        send.send(outcome)
    except Exception as error:  # an unpicklable item or exception: say what it was
        send.send((_RAISED, RuntimeError(f"background result could not be sent: {error}")))
    finally:
        send.close()
        os._exit(0)  # skip the parent's atexit handlers and buffers inherited by the fork


def _stop(process: Any, receive: Connection) -> None:
    receive.close()
    if process.is_alive():
        process.terminate()
    process.join()
