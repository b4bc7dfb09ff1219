"""Pool workers ignore Ctrl-C (the driver handles it) and die with their driver (kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from claimaudit.scan.worker import init_worker, process_alive, watch_driver


def test_watch_driver_stops_the_worker_when_the_driver_is_gone() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stopped: list[int] = []
    watch_driver(gone.pid, interval=0.01, stop=stopped.append)
    assert stopped == [0]
    assert process_alive(os.getpid())


def test_worker_ignores_sigint() -> None:
    before = signal.getsignal(signal.SIGINT)
    try:
        init_worker(lambda: object())
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


DRIVER = textwrap.dedent("""
    import os, sys, time
    from claimaudit.scan.backends import ProcessBackend
    backend = ProcessBackend(object, 2)
    pids = {backend._executor.submit(os.getpid).result() for _ in range(8)}
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(120)
""")


def test_kill_9_of_the_driver_leaves_no_worker_behind() -> None:
    driver = subprocess.Popen([sys.executable, "-c", DRIVER], stdout=subprocess.PIPE, text=True)
    try:
        assert driver.stdout is not None
        workers = [int(pid) for pid in driver.stdout.readline().split()]
        assert workers and all(process_alive(pid) for pid in workers)
    finally:
        driver.kill()
        driver.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(process_alive(pid) for pid in workers):
        time.sleep(0.2)
    alive = [pid for pid in workers if process_alive(pid)]
    assert not alive, f"workers outlived the killed driver: {alive}"


FROZEN = textwrap.dedent("""
    import gc
    from claimaudit.scan.backends import ProcessBackend
    backend = ProcessBackend(object, 1)
    print(backend._executor.submit(gc.get_freeze_count).result(), gc.get_freeze_count(), flush=True)
    backend.close()
""")


def test_a_pool_worker_freezes_its_heap_once_its_auditor_is_built_and_the_driver_does_not() -> None:
    done = subprocess.run([sys.executable, "-c", FROZEN], capture_output=True, text=True, timeout=120)
    worker, driver = map(int, done.stdout.split())
    assert worker > 1000 and driver == 0, done.stderr


def test_init_worker_in_a_callers_process_leaves_the_collector_alone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import gc

    from claimaudit.scan import worker

    monkeypatch.setattr(worker, "_STATE", {})  # the auditor it builds goes with the test
    before = signal.getsignal(signal.SIGINT)
    try:
        frozen = gc.get_freeze_count()
        init_worker(lambda: object())
        assert gc.get_freeze_count() == frozen
    finally:
        signal.signal(signal.SIGINT, before)
