"""The forked worker pool of `check -j N` and the way `check` cuts its inputs into tasks."""

from __future__ import annotations

import os

import pytest

from claimaudit.commands import check
from claimaudit.commands.forkpool import WorkerDied, fork_map, reap_exited

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _square(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


def test_every_task_is_answered_once_in_worker_processes() -> None:
    tasks = list(range(40))
    answers = list(fork_map(_square, tasks, jobs=3))
    assert sorted(task for task, _ in answers) == tasks
    assert all(result == task * task for task, (result, _) in answers)
    pids = {pid for _, (_, pid) in answers}
    assert os.getpid() not in pids and 1 <= len(pids) <= 3


def test_no_tasks_and_more_jobs_than_tasks() -> None:
    assert list(fork_map(_square, [], jobs=2)) == []
    assert [(t, r) for t, (r, _) in fork_map(_square, [3], jobs=4)] == [(3, 9)]


def _fails_on_seven(value: int) -> int:
    if value == 7:
        raise ValueError("seven")
    return value


def test_an_exception_in_a_worker_is_raised_in_the_parent_and_the_workers_are_reaped() -> None:
    with pytest.raises(ValueError, match="seven"):
        list(fork_map(_fails_on_seven, list(range(20)), jobs=2))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def _dies(value: int) -> int:
    os._exit(3)


def test_a_worker_that_dies_is_reported() -> None:
    with pytest.raises(WorkerDied):
        list(fork_map(_dies, [1, 2], jobs=1))


def test_finished_workers_are_reaped_at_the_next_run_or_at_exit() -> None:
    list(fork_map(_square, list(range(10)), jobs=2))
    list(fork_map(_square, list(range(10)), jobs=2))  # reaps the first run's workers first
    reap_exited()  # what runs at exit
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_stopping_early_stops_the_workers() -> None:
    answers = fork_map(_square, list(range(100)), jobs=2)
    next(answers)
    answers.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_tasks_group_neighbours_and_send_big_inputs_first() -> None:
    sizes = [10, 5000, 30, 30, 200, 0, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 120] + [300] * 40
    tasks = check.parallel_tasks(sizes, jobs=2)
    flat = [index for task in tasks for index in task]
    assert sorted(flat) == list(range(len(sizes)))
    assert tasks[0] == (1,)  # the big input goes first, alone
    assert all(list(task) == sorted(task) for task in tasks)  # neighbours, in input order
    assert tasks[1] == (0, 2, 3, 4, 5, 6, 7, 8)  # its neighbours close up
    assert all(len(task) <= check._CHUNK for task in tasks)


def test_the_tail_is_cut_small_and_sent_largest_first() -> None:
    sizes = [100] * 200 + [5, 80, 10, 60, 1, 90]
    tasks = check.parallel_tasks(sizes, jobs=2)
    assert sorted(index for task in tasks for index in task) == list(range(len(sizes)))
    totals = [sum(sizes[i] for i in task) for task in tasks]
    assert max(totals[-6:]) < max(totals)  # the last tasks are the small ones
    assert totals[-1] == min(totals) and totals[-3:] == sorted(totals[-3:], reverse=True)
    flat = [index for task in tasks for index in task]
    assert flat[:150] == list(range(150))  # before the tail: input order


def test_only_the_last_inputs_form_the_tail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "_TAIL_INPUTS", 3)
    sizes = [10] * 60 + [2, 3, 1]
    tasks = check.parallel_tasks(sizes, jobs=2)
    flat = [index for task in tasks for index in task]
    assert flat[:60] == list(range(60))
    assert tasks[-3:] == [(61,), (60,), (62,)]  # the tail, one input a task, largest first


def _freeze_count(_: int) -> int:
    import gc

    return gc.get_freeze_count()


def test_the_heap_is_frozen_in_workers_and_parent_for_the_map_and_as_before_after_it() -> None:
    import gc

    gc.unfreeze()
    seen_in_parent = []
    for _, in_worker in fork_map(_freeze_count, list(range(6)), jobs=2):
        seen_in_parent.append(gc.get_freeze_count())
        assert in_worker > 0
    assert len(seen_in_parent) == 6 and min(seen_in_parent) > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()  # as in the daemon: a heap frozen before the map stays frozen after it
    try:
        assert [r for _, r in fork_map(_freeze_count, [1], jobs=1)][0] > 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
