"""The daemon: warm auditors behind a Unix socket; each `check` runs in a forked child.

Start-up: take the lock file, note the code fingerprint, build the auditor for the default
settings and audit a warm-up text (the rules' own examples) so the patterns the first audit
compiles are compiled once here (with every other lazily compiled pattern and the modules a
`check` imports: `warm.preload`), then listen on the socket (`client.socket_path()`, in a
0700 per-user directory; connections from other users are refused).

Per request the parent checks that the installed code is still what it loaded (package
files, interpreter, import path; else it refuses, so the client runs `check` itself, and
exits) and forks. The child takes over the client's standard streams, working directory,
environment and umask and runs the same click command as `claimaudit check`, so the output
is the in-process output; warm auditors are reused only while their knowledge files hash the
same (`warm.take`). The parent stays single-threaded, reaps children, builds auditors that
requests missed, and exits after `idle_timeout` seconds without requests.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import os
import select
import signal
import socket
import struct
import sys
import time
from typing import Any, TextIO

from claimaudit import __version__
from claimaudit.resident import client, warm

READY_SIGNAL_TIMEOUT = 5.0  # seconds a connection may take to send its request


def code_fingerprint() -> str:
    """What must not change under a running daemon: the package's files (name, size, mtime),
    the interpreter and the import path (an installed or upgraded dependency changes the
    modification time of its site-packages folder)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.executable}\0{sys.version}\0".encode())
    root = client.package_dir()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, root)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    parent = os.path.dirname(root)  # covered by the walk above; other files come and go there
    for entry in sys.path:
        if entry in ("", ".") or os.path.abspath(entry) == parent:
            continue
        try:
            stamp = os.stat(entry or ".").st_mtime_ns
        except OSError:
            stamp = -1
        digest.update(f"{entry}\0{stamp}\0".encode())
    return digest.hexdigest()


class Daemon:
    def __init__(self, path: str, idle_timeout: float) -> None:
        self.path = path
        self.idle_timeout = idle_timeout
        self.fingerprint = code_fingerprint()
        self.started = time.time()
        self.last_request = time.monotonic()
        self.requests = 0
        self.children: set[int] = set()
        self.listener: socket.socket | None = None
        self.reports: list[int] = []  # pipes on which children name the auditors they missed
        self.stopping = False

    # ------------------------------------------------------------ start and stop

    def warm_up(self) -> None:
        from claimaudit.commands.check import _auditor_key, build_auditor
        from claimaudit.settings import Settings

        warm.ENABLED = True
        settings = Settings()
        auditor = build_auditor(settings)
        warm.keep(_auditor_key(settings), auditor, settings)
        warm.warm_up(auditor)
        warm.preload()

    def listen(self) -> None:
        temporary = f"{self.path}.{os.getpid()}"
        with _suppressed(FileNotFoundError):
            os.unlink(temporary)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(temporary)
        os.chmod(temporary, 0o600)
        listener.listen(64)
        os.replace(temporary, self.path)  # clients see the socket only once it is ready
        self.listener = listener

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
            with _suppressed(OSError):
                if os.path.exists(self.path):
                    os.unlink(self.path)

    # ------------------------------------------------------------ the loop

    def serve(self) -> None:
        assert self.listener is not None
        signal.signal(signal.SIGTERM, self._stop_signal)
        signal.signal(signal.SIGINT, self._stop_signal)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        try:
            while not self.stopping:
                self._reap()
                if self.idle_timeout and time.monotonic() - self.last_request > self.idle_timeout and not self.children:
                    break
                watched: list[Any] = [self.listener, *self.reports]
                readable, _, _ = select.select(watched, [], [], 1.0)
                self._read_reports([fd for fd in readable if fd is not self.listener])
                if self.listener not in readable:
                    continue
                try:
                    connection, _ = self.listener.accept()
                except OSError:
                    continue
                with connection:
                    self._handle(connection)
        finally:
            self.close()

    def _stop_signal(self, signum: int, frame: Any) -> None:
        self.stopping = True

    def _reap(self) -> None:
        while self.children:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            self.children.discard(pid)

    def _handle(self, connection: socket.socket) -> None:
        connection.settimeout(READY_SIGNAL_TIMEOUT)
        fds: list[int] = []
        try:
            if not _same_user(connection):
                return
            message, fds = client.receive_message(connection, max_fds=3)
            if message is None or message.get("v") != client.PROTOCOL:
                client.send_message(connection, {"ok": False, "reason": "protocol"})
                return
            self.last_request = time.monotonic()
            op = message.get("op")
            if op == "status":
                client.send_message(connection, self.status())
            elif op == "stop":
                client.send_message(connection, {"ok": True, "pid": os.getpid()})
                self.stopping = True
            elif op == "check" and len(fds) == 3:
                self._check(connection, message, fds)
            else:
                client.send_message(connection, {"ok": False, "reason": "bad request"})
        except (OSError, ValueError):
            return
        finally:
            for fd in fds:
                with _suppressed(OSError):
                    os.close(fd)

    def status(self) -> dict[str, Any]:
        return {"ok": True, "ready": True, "pid": os.getpid(), "version": __version__, "socket": self.path,
                "uptime_s": round(time.time() - self.started, 1), "requests": self.requests,
                "running": len(self.children), "warm_auditors": warm.warm_count(), "kb_hashes": warm.kb_hashes(),
                "idle_timeout_s": self.idle_timeout, "python": sys.executable}

    def _check(self, connection: socket.socket, message: dict[str, Any], fds: list[int]) -> None:
        if message.get("interpreter") != client.interpreter_traits():
            client.send_message(connection, {"ok": False, "reason": "another interpreter set-up"})
            return
        if code_fingerprint() != self.fingerprint:
            client.send_message(connection, {"ok": False, "reason": "the installed code changed"})
            self.stopping = True  # a fresh daemon must be started for the new code
            return
        self.requests += 1
        report_read, report_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(report_read)
            _run_child(connection, message, fds, report_write, self.listener)
        os.close(report_write)
        self.children.add(pid)
        self.reports.append(report_read)

    def _read_reports(self, ready: list[Any]) -> None:
        """Auditors finished children had to build themselves: build them here for next time."""
        for fd in ready:
            data = _read_all(fd)
            os.close(fd)
            self.reports.remove(fd)
            self._build_missed(data)

    def _build_missed(self, data: bytes) -> None:
        import json

        from claimaudit.commands.check import _auditor_key, build_auditor
        from claimaudit.settings import Settings

        try:
            missed = json.loads(data.decode() or "[]")
        except ValueError:
            return
        for fields in missed[:4]:
            cwd = fields.pop("cwd", "/")
            try:
                os.chdir(cwd)
                values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
                settings = Settings(**values)
                key = _auditor_key(settings)
                if warm.take(key, settings) is None:
                    warm.keep(key, build_auditor(settings), settings)
            except Exception:  # noqa: BLE001 - the request built its own; nothing is lost
                pass
            finally:
                os.chdir("/")


# ---------------------------------------------------------------- the child


def _run_child(connection: socket.socket, message: dict[str, Any], fds: list[int], report: int,
               listener: socket.socket | None) -> None:
    code = 1
    try:
        if listener is not None:
            listener.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(message["cwd"])
        os.environ.clear()
        os.environ.update(message["env"])
        import tempfile

        tempfile.tempdir = None  # found again from the client's TMPDIR
        os.umask(int(message["umask"]))
        sys.stdin = _stream(0, message.get("stdin"), reading=True)
        sys.stdout = _stream(1, message.get("stdout"))
        sys.stderr = _stream(2, message.get("stderr"))
        argv = [str(a) for a in message["argv"]]
        sys.argv = argv
        connection.settimeout(None)
        client.send_message(connection, {"ok": True, "pid": os.getpid()})
        code = _invoke(argv[1:], str(message.get("prog") or "claimaudit"))
    except BaseException:  # noqa: BLE001 - the client is told, whatever happened
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with _suppressed(Exception):
                stream.flush()
        with _suppressed(Exception):
            import json

            os.write(report, json.dumps(warm.MISSED).encode())
            os.close(report)
        with _suppressed(Exception):
            client.send_message(connection, {"exit": code})
        pool = sys.modules.get("claimaudit.commands.forkpool")
        if pool is not None:  # `check -j N` workers still exiting: reaped here, once the client has its answer
            with _suppressed(Exception):
                pool.reap_exited()
        os._exit(0)


def _invoke(args: list[str], prog: str) -> int:
    """Run the click command line as `claimaudit` would; the exit status it ends with."""
    from claimaudit.cli import main

    try:
        main.main(args=args, prog_name=prog, standalone_mode=True)
    except SystemExit as done:
        if done.code is None:
            return 0
        if isinstance(done.code, int):
            return done.code
        sys.stderr.write(f"{done.code}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except BaseException:  # noqa: BLE001 - as the interpreter would: traceback, status 1
        import traceback

        traceback.print_exc()
        return 1
    return 0


def _stream(fd: int, spec: Any, *, reading: bool = False) -> TextIO:
    """A standard stream on `fd` with the client's encoding, errors and buffering."""
    values = list(spec) if isinstance(spec, list) else []
    encoding, errors, line_buffering, write_through, buffered = (values + [None] * 5)[:5]
    raw = io.FileIO(fd, "rb" if reading else "wb", closefd=False)
    binary: Any = raw
    if buffered is not False or reading:
        binary = io.BufferedReader(raw) if reading else io.BufferedWriter(raw)
    return io.TextIOWrapper(binary, encoding=encoding or "utf-8", errors=errors or "strict", newline="\n",
                            line_buffering=bool(line_buffering), write_through=bool(write_through))


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _same_user(connection: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True  # the socket's folder is private to this user (0700)
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    return bool(uid == os.getuid())


class _suppressed:
    def __init__(self, *kinds: type[BaseException]) -> None:
        self.kinds = kinds

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> bool:
        return kind is not None and issubclass(kind, self.kinds)


# ---------------------------------------------------------------- entry point


def run(idle_timeout: float) -> int:
    """Run a daemon in this process until stopped; exit status (1: one is running already)."""
    path = client.socket_path()
    if path is None:
        print("claimaudit daemon: no private runtime directory for the socket", file=sys.stderr)
        return 2
    lock = open(f"{path[:-5]}.lock", "w")  # noqa: SIM115 - held for the daemon's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            print("claimaudit daemon: already running", file=sys.stderr)
            return 1
        raise
    if os.path.exists(path):
        os.unlink(path)  # we hold the lock: whoever made it is gone
    daemon = Daemon(path, idle_timeout)
    daemon.warm_up()
    daemon.listen()
    print(f"claimaudit daemon {os.getpid()} listening on {path}", file=sys.stderr, flush=True)
    daemon.serve()
    return 0
