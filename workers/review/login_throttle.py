"""Slows down password guessing: after `max_failures` wrong passwords for one name within
`window` seconds, that name cannot log in until the window has passed (in this process)."""

import threading
import time
from collections import deque


class LoginThrottle:
    def __init__(self, max_failures: int = 5, window: float = 300.0) -> None:
        self._max_failures = max_failures
        self._window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allowed(self, name: str) -> bool:
        with self._lock:
            return len(self._recent(name)) < self._max_failures

    def failed(self, name: str) -> None:
        with self._lock:
            self._recent(name).append(time.monotonic())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def _recent(self, name: str) -> deque[float]:
        failures = self._failures.setdefault(name, deque())
        while failures and time.monotonic() - failures[0] > self._window:
            failures.popleft()
        return failures
