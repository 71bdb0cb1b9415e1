"""Loaded at start-up by every Python process whose PYTHONPATH names this folder (the egress
test sets it): a runtime audit hook writes every outgoing connection attempt and every name
lookup to the file named by EXTRACTOR_EGRESS_LOG, one JSON line each.

It sees what Python code does (redis-py, kombu, urllib, any library that would fetch a
model); the egress test adds strace for what C code (libpq, llama.cpp) does.
"""

import json
import os
import socket
import sys

_LOG = os.environ.get("EXTRACTOR_EGRESS_LOG")


def _record(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" or event == "socket.sendto":
        sock, address = args[0], args[1]
        family = getattr(sock, "family", None)
        entry = {
            "event": event,
            "family": getattr(family, "name", str(family)),
            "address": address if isinstance(address, str) else list(address)[:2],
        }
    elif event == "socket.getaddrinfo":
        entry = {"event": event, "host": str(args[0]), "port": str(args[1])}
    else:
        return
    entry["pid"] = os.getpid()
    with open(_LOG, "a") as handle:  # noqa: PTH123 (keep this hook free of imports)
        handle.write(json.dumps(entry, default=str) + "\n")


if _LOG:
    socket.socket  # imported before the hook, so the hook itself never opens one  # noqa: B018
    sys.addaudithook(_record)
