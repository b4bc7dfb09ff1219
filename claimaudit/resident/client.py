"""The client side of the resident mode: find a running daemon and hand `check` to it.

This module is imported on every `claimaudit check`, so it uses the standard library only
(no spaCy, no claimaudit modules beyond the package itself): the point of the daemon is that
the client starts in a few tens of milliseconds.

The client sends its argument list, working directory, environment, umask and the encodings
of its standard streams, together with the standard stream file descriptors themselves
(SCM_RIGHTS). The daemon forks a child that takes these over and runs the same `check`
command, so the output goes straight to the client's terminal, pipe or file, byte for byte
what an in-process run writes; the child then reports the exit code.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

PROTOCOL = 1
MAX_MESSAGE = 16 * 1024 * 1024
DISABLE_ENV = "CLAIMAUDIT_NO_DAEMON"  # set (non-empty, not "0"): never use a daemon
START_TIMEOUT = 120.0  # seconds `--daemon` waits for a daemon it started


def package_dir() -> str:
    import claimaudit

    return os.path.dirname(os.path.abspath(claimaudit.__file__))


def runtime_dir() -> str | None:
    """A private per-user directory for the socket, or None when none can be made safely.

    $XDG_RUNTIME_DIR/claimaudit, else <tmp>/claimaudit-<uid>. The directory must belong to
    this user and be closed to everyone else (mode 0700); otherwise the daemon is not used.
    """
    base = os.environ.get("XDG_RUNTIME_DIR")
    uid = os.getuid()
    path = os.path.join(base, "claimaudit") if base and os.path.isdir(base) else os.path.join(
        tempfile.gettempdir(), f"claimaudit-{uid}")
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or info.st_mode & 0o077:
        return None
    return path


def install_key() -> str:
    """Which installation this is: one daemon per package directory and interpreter."""
    return hashlib.sha256(f"{package_dir()}\0{sys.executable}".encode()).hexdigest()[:12]


def socket_path() -> str | None:
    folder = runtime_dir()
    return os.path.join(folder, f"daemon-{install_key()}.sock") if folder else None


def log_path() -> str | None:
    folder = runtime_dir()
    return os.path.join(folder, f"daemon-{install_key()}.log") if folder else None


def interpreter_traits() -> list[Any]:
    """Start-up choices of an interpreter that a forked child cannot change afterwards."""
    return [sys.executable, sys.getfilesystemencoding(), sys.getfilesystemencodeerrors(), sys.flags.utf8_mode]


def program_name(argv0: str, main_package: str | None) -> str:
    """The program name click would show for this process (as click's own detection does)."""
    if not main_package:
        return os.path.basename(argv0)
    name = os.path.splitext(os.path.basename(argv0))[0]
    module = main_package if name == "__main__" else f"{main_package}.{name}"
    return f"python -m {module.lstrip('.')}"


# ---------------------------------------------------------------- framing


def send_message(sock: socket.socket, payload: dict[str, Any], fds: Sequence[int] = ()) -> None:
    data = json.dumps(payload).encode()
    framed = struct.pack(">I", len(data)) + data
    if fds:
        sent = socket.send_fds(sock, [framed], list(fds))
        framed = framed[sent:]
    if framed:
        sock.sendall(framed)


def receive_message(sock: socket.socket, max_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One framed message (None at end of stream) and any file descriptors sent with it."""
    fds: list[int] = []
    buffer = b""
    while len(buffer) < 4:
        if max_fds and not fds:
            chunk, received, _, _ = socket.recv_fds(sock, 65536, max_fds)
            fds.extend(received)
        else:
            chunk = sock.recv(65536)
        if not chunk:
            return None, fds
        buffer += chunk
    (length,) = struct.unpack(">I", buffer[:4])
    if length > MAX_MESSAGE:
        raise ValueError("message too large")
    buffer = buffer[4:]
    while len(buffer) < length:
        chunk = sock.recv(min(65536, length - len(buffer)))
        if not chunk:
            return None, fds
        buffer += chunk
    value = json.loads(buffer[:length].decode())
    if not isinstance(value, dict):
        raise ValueError("message is not an object")
    return value, fds


def connect(path: str, timeout: float | None = 2.0) -> socket.socket | None:
    """A connection to the daemon at `path`, or None (no socket file, nobody listening)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


def request(op: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """Ask the daemon something (`status`, `stop`); None when no daemon answers."""
    path = socket_path() if supported() else None
    sock = connect(path, timeout) if path else None
    if sock is None:
        return None
    with sock:
        try:
            send_message(sock, {"v": PROTOCOL, "op": op})
            reply, _ = receive_message(sock)
        except (OSError, ValueError):
            return None
    return reply


# ---------------------------------------------------------------- forwarding `check`


def daemon_choice(args: Sequence[str]) -> str:
    """'always' (--daemon), 'never' (--no-daemon or $CLAIMAUDIT_NO_DAEMON) or 'auto'."""
    choice = "auto"
    for arg in args:
        if arg == "--":
            break
        if arg == "--daemon":
            choice = "always"
        elif arg == "--no-daemon":
            choice = "never"
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return "never"
    return choice


def supported() -> bool:
    """Unix sockets that carry file descriptors, fork and user ids (not on Windows)."""
    return all(hasattr(module, name) for module, name in (
        (socket, "send_fds"), (socket, "AF_UNIX"), (os, "fork"), (os, "getuid")))


def _stream_encoding(stream: Any) -> list[Any]:
    """What the daemon needs to rebuild this standard stream: encoding, errors, buffering."""
    import io

    return [getattr(stream, "encoding", None), getattr(stream, "errors", None),
            getattr(stream, "line_buffering", False), getattr(stream, "write_through", False),
            isinstance(getattr(stream, "buffer", None), io.BufferedIOBase)]


def _stdio_ok() -> bool:
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            return False
    return True


def forward_check(argv: Sequence[str]) -> int | None:
    """Run `claimaudit check` (argv[1:] starting with "check") in the daemon; its exit code,
    or None when no daemon took it (the caller then runs it in this process).

    Nothing has been written when None is returned. A daemon that goes away mid-run ends
    the command with exit status 2 and a message (its output may be incomplete).
    """
    args = list(argv[1:])
    choice = daemon_choice(args)
    if choice == "never" or not supported() or not _stdio_ok():
        return None
    path = socket_path()
    if path is None:
        return None
    sock = connect(path)
    if sock is None and choice == "always":
        if start_daemon(wait=START_TIMEOUT) is not None:
            sock = connect(path)
    if sock is None:
        return None
    with sock:
        return _run_forwarded(sock, argv)


def _run_forwarded(sock: socket.socket, argv: Sequence[str]) -> int | None:
    main_module = sys.modules.get("__main__")
    mask = os.umask(0)
    os.umask(mask)
    payload = {
        "v": PROTOCOL, "op": "check", "argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ),
        "umask": mask, "prog": program_name(argv[0] if argv else "claimaudit",
                                            getattr(main_module, "__package__", None)),
        "stdin": _stream_encoding(sys.stdin), "stdout": _stream_encoding(sys.stdout),
        "stderr": _stream_encoding(sys.stderr), "interpreter": interpreter_traits(),
    }
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        send_message(sock, payload, (0, 1, 2))
        sock.settimeout(30.0)
        reply, _ = receive_message(sock)
    except (OSError, ValueError):
        return None
    if reply is None or not reply.get("ok"):
        return None  # refused (stale daemon, other version) before anything was written
    sock.settimeout(None)
    child = int(reply.get("pid", 0))
    interrupted = False
    while True:
        try:
            done, _ = receive_message(sock)
            break
        except KeyboardInterrupt:
            if interrupted or child <= 0:
                return 130
            interrupted = True
            try:
                os.kill(child, 2)  # SIGINT: the child reports "interrupted" and exits 130
            except OSError:
                return 130
        except (OSError, ValueError):
            done = None
            break
    if done is None or "exit" not in done:
        sys.stderr.write("error: the claimaudit daemon stopped during the check; run it again "
                         "(`claimaudit daemon status`, or --no-daemon)\n")
        return 2
    return int(done["exit"])


def start_daemon(wait: float = START_TIMEOUT, idle_timeout: float | None = None) -> dict[str, Any] | None:
    """Start a daemon in the background and wait until it answers; its status, or None."""
    import subprocess

    log = log_path()
    if log is None:
        return None
    parent = os.path.dirname(package_dir())  # the same package, whatever the working directory
    launcher = f"import sys; sys.path.insert(0, {parent!r}); from claimaudit.cli import main; main()"
    command = [sys.executable, "-c", launcher, "daemon", "run"]
    if idle_timeout is not None:
        command += ["--idle-timeout", str(idle_timeout)]
    env = dict(os.environ)
    env.pop(DISABLE_ENV, None)
    try:
        mode = "wb" if os.path.getsize(log) > 1_000_000 else "ab"  # keep the log small
    except OSError:
        mode = "ab"
    with open(log, mode) as handle:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=handle,
                                   start_new_session=True, cwd="/", env=env)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        status = request("status")
        if status is not None and status.get("ready"):
            return status
        if process.poll() is not None:
            return request("status")  # another daemon may have won the race
        time.sleep(0.05)
    return None
