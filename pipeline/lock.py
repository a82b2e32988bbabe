"""One run at a time: an exclusive lock file beside the database.

A scheduled run (cron, systemd timer) that finds another still running exits at once with
EXIT_LOCKED and a clear message instead of waiting or fighting over the DuckDB file. The lock is an
flock, so it disappears with the process, even after kill -9: no stale lock to clean up.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class Locked(Exception):
    """Another run holds the lock; str(exc) names it."""


class RunLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock")
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise Locked(f"another thidua run (pid {holder}) is using {self.path.with_suffix('')}; "
                         "exiting without doing anything") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
