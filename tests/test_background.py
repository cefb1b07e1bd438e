"""Background calls: the same result, or the same exception, forked or not."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading

import pytest

from brmkb.background import Background
from brmkb.policy import PolicyError

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)


def _pid_and(value: int, *, twice: bool = False) -> tuple[int, int]:
    return os.getpid(), value * 2 if twice else value


def _refuse(path: str) -> None:
    raise PolicyError(path, [(3, "未知的键 as_off。")])


def _fail() -> None:
    raise KeyError("missing")


@needs_fork
def test_the_call_runs_in_another_process_and_returns_its_value() -> None:
    pending = Background(_pid_and, 21, twice=True, fork=True)
    assert pending.forked
    pid, value = pending.result()
    assert value == 42 and pid != os.getpid()


@needs_fork
def test_an_exception_is_raised_in_the_caller_with_the_childs_traceback() -> None:
    with pytest.raises(PolicyError) as raised:
        Background(_refuse, "policy.yml", fork=True).result()
    assert raised.value.path == "policy.yml" and raised.value.problems == [(3, "未知的键 as_off。")]
    with pytest.raises(KeyError) as failed:
        Background(_fail, fork=True).result()
    assert any("in _fail" in note for note in failed.value.__notes__)


def test_with_other_threads_running_the_call_runs_in_the_caller() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        pending = Background(_pid_and, 5)
        assert not pending.forked
        assert pending.result() == (os.getpid(), 5)
    finally:
        release.set()
        thread.join()


@needs_fork
def test_a_result_nobody_takes_does_not_leave_the_child_behind() -> None:
    pending = Background(
        bytes, 10_000_000, fork=True
    )  # more than a pipe holds: the child blocks on it
    process = pending._process
    del pending
    gc.collect()
    assert not process.is_alive()
