"""Observing outgoing connections of real processes: the audit-hook log (Python level) and
an strace log of connect/sendto system calls (every level, C included)."""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HOOK_FOLDER = Path(__file__).resolve().parent.parent / "egress_hook"
STRACE = shutil.which("strace")
# glibc's name-service cache: libpq asks it for the user's name (getpwuid); a local socket.
NSCD_SOCKET = "/var/run/nscd/socket"
# libuuid's uuidd daemon: time-based UUIDs (uuid.uuid1, used by Celery/kombu); a local socket.
UUIDD_SOCKET = "/run/uuidd/request"
LOCAL_SOCKETS = frozenset({NSCD_SOCKET, UUIDD_SOCKET})

_INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)')
_INET6 = re.compile(r'sa_family=AF_INET6, sin6_port=htons\((\d+)\).*?"([0-9a-fA-F:.]+)"')
_UNIX = re.compile(r'sa_family=AF_UNIX, sun_path=(@?"[^"]*")')
_OTHER = re.compile(r"sa_family=(AF_\w+)")


@dataclass(frozen=True)
class Destination:
    family: str  # "inet", "unix", or another address family
    address: str  # "host:port", a socket path, or the raw text


def strace_works() -> bool:
    if STRACE is None:
        return False
    done = subprocess.run([STRACE, "-f", "-qq", "-e", "trace=connect", "-o", "/dev/null",
                           "true"], capture_output=True, check=False)  # fmt: skip
    return done.returncode == 0


def strace_prefix(log: Path) -> list[str]:
    assert STRACE is not None
    return [STRACE, "-f", "--seccomp-bpf", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o",
            str(log)]  # fmt: skip


def strace_destinations(log: Path) -> set[Destination]:
    """Every address a traced process connected or sent to (sends on connected sockets,
    which carry no address, are not destinations of their own)."""
    found: set[Destination] = set()
    for line in log.read_text(errors="replace").splitlines():
        if not re.search(r"\b(connect|sendto|sendmsg)\(", line) or "sa_family" not in line:
            continue
        if match := _INET.search(line):
            found.add(Destination("inet", f"{match[2]}:{match[1]}"))
        elif match := _INET6.search(line):
            found.add(Destination("inet", f"[{match[2]}]:{match[1]}"))
        elif match := _UNIX.search(line):
            found.add(Destination("unix", match[1].strip('"')))
        elif match := _OTHER.search(line):
            found.add(Destination(match[1], line.strip()))
    return found


def hook_entries(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def hook_destinations(log: Path) -> set[Destination]:
    found = set()
    for entry in hook_entries(log):
        if entry["event"] == "socket.getaddrinfo":
            found.add(Destination("lookup", f"{entry['host']}:{entry['port']}"))
        elif entry["family"] == "AF_UNIX":
            found.add(Destination("unix", str(entry["address"])))
        else:
            host, port = entry["address"]  # type: ignore[misc]
            found.add(Destination("inet", f"{host}:{port}"))
    return found
