"""Background generators: the same items, or the same exception, forked or not."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Iterator

import pytest

from brmkb.background import Background
from brmkb.policy import PolicyError

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)


def _pids_and(values: list[int], *, twice: bool = False) -> Iterator[tuple[int, int]]:
    for value in values:
        yield os.getpid(), value * 2 if twice else value


def _refuse_after_one(path: str) -> Iterator[str]:
    yield "first"
    raise PolicyError(path, [(3, "未知的键 as_off。")])


def _fail() -> Iterator[None]:
    raise KeyError("missing")
    yield  # a generator that fails at its first item


def _big(count: int) -> Iterator[bytes]:
    for _ in range(count):
        yield bytes(10_000_000)  # more than a pipe holds: the child blocks on it


def _waits_for_the_caller(started: threading.Event) -> Iterator[str]:
    started.set()
    yield "made"


@needs_fork
def test_the_items_are_made_in_another_process_and_arrive_in_order() -> None:
    pending = Background(_pids_and, [1, 2, 3], twice=True, fork=True)
    assert pending.forked
    items = list(pending)
    assert [value for _, value in items] == [2, 4, 6]
    assert {pid for pid, _ in items} != {os.getpid()} and len({pid for pid, _ in items}) == 1


@needs_fork
def test_an_exception_is_raised_in_the_caller_after_the_items_before_it() -> None:
    taken: list[str] = []
    with pytest.raises(PolicyError) as raised:
        taken.extend(Background(_refuse_after_one, "policy.yml", fork=True))
    assert taken == ["first"]
    assert raised.value.path == "policy.yml" and raised.value.problems == [(3, "未知的键 as_off。")]
    with pytest.raises(KeyError) as failed:
        list(Background(_fail, fork=True))
    assert any("in _fail" in note for note in failed.value.__notes__)


def test_with_other_threads_running_the_items_are_made_in_the_caller_when_asked() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        started = threading.Event()
        pending = Background(_waits_for_the_caller, started)
        assert not pending.forked and not started.is_set()  # nothing made before it is asked
        assert list(pending) == ["made"] and started.is_set()
        assert list(Background(_pids_and, [5])) == [(os.getpid(), 5)]
    finally:
        release.set()
        thread.join()


@needs_fork
def test_items_nobody_takes_do_not_leave_the_child_behind() -> None:
    pending = Background(_big, 3, fork=True)
    process = pending._process
    del pending
    gc.collect()
    assert not process.is_alive()


@needs_fork
def test_a_caller_that_stops_early_does_not_leave_the_child_behind() -> None:
    pending = Background(_big, 3, fork=True)
    process = pending._process
    items = iter(pending)
    assert len(next(items)) == 10_000_000
    items.close()  # the build stopped after the first page
    assert not process.is_alive()


@needs_fork
def test_the_child_may_run_a_megabyte_ahead() -> None:
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are Linux's")
    pending = Background(_pids_and, [1], fork=True)
    assert fcntl.fcntl(pending._receive.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20
    assert [value for _, value in pending] == [1]
