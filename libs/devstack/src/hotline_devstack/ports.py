import errno
import fcntl
import os
import random
import socket
import tempfile
import time
from pathlib import Path

# Ports handed to servers come from below the kernel's ephemeral range: a port picked there and
# released could be taken by any outgoing connection before the server binds it.
_FALLBACK_EPHEMERAL_START = 32768
_LOWEST = 20000


def _ephemeral_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return _FALLBACK_EPHEMERAL_START


# A port handed out stays reserved by this process until it exits: an flock on a file per port, so
# parallel test workers (and two picks before anything binds) never get the same port.
_RESERVATIONS = Path(tempfile.gettempdir()) / "hotline-port-reservations"
_held: dict[int, int] = {}


def _reserve(port: int) -> bool:
    if port in _held:
        return False
    _RESERVATIONS.mkdir(exist_ok=True)
    fd = os.open(_RESERVATIONS / f"{port}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    _held[port] = fd
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free now, outside the ephemeral range (so only another server could take it),
    and never handed out twice to processes running at the same time."""
    highest = _ephemeral_start() - 1
    for _ in range(500):
        port = random.randint(_LOWEST, highest)
        if port_is_free(port, host) and _reserve(port):
            return port
    raise RuntimeError(f"no free port between {_LOWEST} and {highest}")


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")
