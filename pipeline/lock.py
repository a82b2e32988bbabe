"""One run at a time: an exclusive lock file beside the database.

A scheduled run (cron, systemd timer) that finds another still running exits at once with
EXIT_LOCKED and a clear message instead of waiting or fighting over the DuckDB file. The lock is an
flock, so it disappears with the process, even after kill -9: no stale lock to clean up.

On a clean release the writer's result is published as the readers' snapshot (`<db>.snapshot`),
still under the lock so no other run writes during the copy: while the next run holds the
warehouse, `thidua sql`, `query`, `status`, `report` and `export` read that copy.
"""

from __future__ import annotations

import fcntl
import os
import sys
from datetime import datetime
from pathlib import Path

EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class Locked(Exception):
    """Another run holds the lock; str(exc) names it."""


def lock_path(db_path: str | Path) -> Path:
    return Path(str(db_path) + ".lock")


def lock_holder(db_path: str | Path) -> tuple[int, str] | None:
    """(pid, started) of the run holding the lock, read without taking it; None when no run is alive.

    Only reads the file: trying the lock here could make a run starting at that instant exit 75.
    """
    try:
        text = lock_path(db_path).read_text(encoding="ascii", errors="replace").split()
        pid = int(text[0])
        os.kill(pid, 0)
    except PermissionError:  # alive, another user's
        pass
    except (OSError, ValueError, IndexError):
        return None
    return pid, text[1] if len(text) > 1 else ""


class RunLock:
    def __init__(self, db_path: str | Path, publish: bool = True):
        self.db = Path(db_path)
        self.path = lock_path(db_path)
        self.publish = publish
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").split()
            os.close(fd)
            raise Locked(f"another thidua run (pid {holder[0] if holder else 'unknown'}) is using {self.db}; "
                         "exiting without doing anything") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now().isoformat(timespec='seconds')}\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self.fd is None:
            return
        try:
            if exc_type is None and self.publish:
                self._publish()
        finally:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def _publish(self) -> None:
        """A failed snapshot never fails the run: readers keep the previous one."""
        import duckdb

        from pipeline.warehouse import WarehouseError, publish_snapshot

        try:
            publish_snapshot(self.db)
        except (OSError, WarehouseError, duckdb.Error) as exc:
            print(f"thidua: warning: readers' snapshot not updated ({str(exc).splitlines()[0]})", file=sys.stderr)
