"""A small thread-safe cache with a time to live and an optional change token, for answers that are costly to
build and change only when the data do."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class TTLCache(Generic[T]):
    """Keep up to ``max_entries`` values for ``ttl_s`` seconds each; least recently used values go first.

    With a ``token`` function (e.g. :meth:`geostress.data.store.Store.change_token`), each value remembers the
    token read just before it was built and is served only while the token is unchanged: an import by another
    process (``geostress data import``) is seen on the next request, not after the time to live. A value built
    while the data changed carries the older token and is dropped at its first use.

    :meth:`compute` builds a missing value at most once at a time per key: callers that ask for the same key
    while it is being built wait for that result instead of building it again (no stampede when many clients
    arrive on a cold cache). Errors are not cached.

    Parameters
    ----------
    ttl_s
        Seconds a value is served at most.
    max_entries
        Values kept at most (least recently used dropped first).
    token
        Called on each lookup; a cheap function whose result changes when the cached answers would.
    """

    def __init__(
        self, ttl_s: float, max_entries: int = 256, *, token: Callable[[], Hashable] | None = None
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.token = token
        self._data: OrderedDict[Hashable, tuple[float, Hashable, T]] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def _current(self) -> Hashable:
        return None if self.token is None else self.token()

    def peek(self, key: Hashable) -> T | None:
        """The cached value for ``key`` if fresh and its token current, else ``None`` (never blocks on a build)."""
        token = self._current()
        with self._lock:
            hit = self._data.get(key)
            if hit is None:
                return None
            if time.monotonic() - hit[0] > self.ttl_s or hit[1] != token:
                del self._data[key]
                self._key_locks.pop(key, None)
                return None
            self._data.move_to_end(key)
            return hit[2]

    def compute(self, key: Hashable, build: Callable[[], T]) -> T:
        """The cached value for ``key``, building it with ``build()`` when missing or stale (blocking)."""
        value = self.peek(key)
        if value is not None:
            return value
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            value = self.peek(key)
            if value is not None:
                return value
            token = self._current()  # read before building: a change during the build makes the value stale
            value = build()
            with self._lock:
                self._data[key] = (time.monotonic(), token, value)
                self._data.move_to_end(key)
                while len(self._data) > self.max_entries:
                    old, _ = self._data.popitem(last=False)
                    self._key_locks.pop(old, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
