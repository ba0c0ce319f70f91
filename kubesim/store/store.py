"""The cluster on disk: one SQLite database in the cluster's home, written one command at a time.

A writer holds the database's write lock from the start of its command to the end (BEGIN
IMMEDIATE), so concurrent commands queue up and none loses another's update; readers never
wait (WAL). A cluster.json left by an earlier kubesim is migrated on first use and kept
beside the database as a backup.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kubesim.store import db
from kubesim.store.errors import CorruptState, Unusable
from kubesim.store.state import Change, ClusterState, Object

DB_FILE = "cluster.db"
BACKUPS_DIR = "backups"
BACKUP_EVERY = 1800.0  # wall-clock seconds between the automatic backups of a cluster
BACKUPS_KEPT = 3
LEGACY_FILE = "cluster.json"  # the single-document store of kubesim before the database
LEGACY_JOURNAL = "journal.jsonl"


class Store:
    """Opens the cluster kept in `home` for reading or for one command's writes."""

    def __init__(self, home: Path, check: Callable[[str, Object], str] | None = None) -> None:
        """`check(resource, object)` says what makes a stored object unusable (see
        kubesim.api.decode.stored_problem), for what is read from outside the apiserver."""
        self.home = home
        self.state_path = home / DB_FILE
        self.legacy_path = home / LEGACY_FILE
        self.check = check

    def exists(self) -> bool:
        return self.state_path.exists() or self.legacy_path.exists()

    def read(self) -> ClusterState:
        """A consistent snapshot for reading: one read transaction, held until closed."""
        if self.home.exists() and not self.home.is_dir():
            raise Unusable(self.home, "not a directory")
        if not self.state_path.exists() and not self.legacy_path.exists():
            return ClusterState()  # nothing yet: an empty cluster, created by the first write
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            return ClusterState(conn, writable=False, path=self.state_path)
        except sqlite3.DatabaseError as err:
            conn.close()
            raise CorruptState(self.state_path, str(err)) from None

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[ClusterState]:
        """Lock, yield the state, and commit what was written; nothing is saved on error, or
        ever when `commit` is False (a server-side dry run)."""
        conn = self._connect()
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                raise Unusable(self.state_path, str(err)) from None
            state = ClusterState(conn, path=self.state_path)
            try:
                yield state
                if not commit:
                    conn.execute("ROLLBACK")
                    return
                if state.dirty:
                    state.flush()
                conn.execute("COMMIT")
                if state.dirty:
                    self._back_up_if_due(conn)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as err:
            # the disk is full, the file went read-only: nothing of this command was saved
            raise Unusable(self.state_path, f"{err}; nothing was saved") from None
        except sqlite3.DatabaseError as err:
            raise CorruptState(self.state_path, str(err)) from None
        finally:
            conn.close()

    def backups(self) -> list[Path]:
        """The automatic backups of this cluster, oldest first."""
        directory = self.home / BACKUPS_DIR
        if not directory.is_dir():
            return []
        return sorted(directory.glob("cluster-*.db"))

    def _back_up_if_due(self, conn: sqlite3.Connection) -> None:
        """Keep the last few good states: a copy of the database every BACKUP_EVERY seconds
        of wall time (the first once the cluster is that old), the oldest dropped."""
        import time

        kept = self.backups()
        last = kept[-1].stat().st_mtime if kept else self._created(conn)
        now = time.time()
        if now - last < BACKUP_EVERY:
            return
        directory = self.home / BACKUPS_DIR
        try:
            directory.mkdir(exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
            target = _free_name(directory / f"cluster-{stamp}.db")
            copy = sqlite3.connect(str(target))
            try:
                conn.backup(copy)
            finally:
                copy.close()
            for old in self.backups()[:-BACKUPS_KEPT]:
                old.unlink(missing_ok=True)
        except (OSError, sqlite3.Error):
            pass  # a backup that cannot be made leaves the cluster as it is

    def _created(self, conn: sqlite3.Connection) -> float:
        row = conn.execute("SELECT value FROM meta WHERE key = 'created'").fetchone()
        if row is None:
            import time

            created = time.time()
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('created', ?)", (created,)
            )
            return created
        return float(row[0])

    def revision(self) -> int:
        """The cluster's current revision, cheaply (for watches polling for changes)."""
        if not self.state_path.exists():
            return 0
        conn = self._connect()
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
            return int(row[0]) if row else 0
        finally:
            conn.close()

    def watcher(self, since: int) -> Watcher:
        """Follow the change log from revision `since`, from another process's writes too."""
        return Watcher(self, since)

    def reset(self) -> Path | None:
        """Move the cluster aside (kept, never deleted) so the next command starts afresh."""
        if not self.state_path.exists():
            if self.legacy_path.exists():
                backup = _free_name(self.legacy_path.with_name(f"{LEGACY_FILE}.bak"))
                os.replace(self.legacy_path, backup)
                return backup
            return None
        backup = _free_name(self.state_path.with_name(f"{DB_FILE}.bak"))
        try:
            conn = db.connect(self.state_path, create=False)
        except (db.DatabaseError, sqlite3.DatabaseError):
            # a damaged file is kept as it is, under the backup's name
            os.replace(self.state_path, backup)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.state_path}{suffix}").unlink(missing_ok=True)
            return backup
        try:
            conn.execute("BEGIN IMMEDIATE")  # wait for a writer to finish, keep others out
            # the backup reads through a second connection: one that holds the write lock
            # cannot be a backup's source
            source = db.connect(self.state_path, create=False)
            copy = sqlite3.connect(str(backup))
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.state_path}{suffix}").unlink(missing_ok=True)
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return backup

    def _connect(self) -> sqlite3.Connection:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise Unusable(self.home, err.strerror or str(err)) from None
        if not self.home.is_dir():
            raise Unusable(self.home, "not a directory")
        if not self.state_path.exists() and self.legacy_path.exists():
            from kubesim.store.legacy import migrate

            migrate(self.legacy_path, self.state_path, self.check)
        try:
            return db.connect(self.state_path, create=True)
        except db.DatabaseError as err:
            raise CorruptState(self.state_path, str(err)) from None
        except sqlite3.OperationalError as err:
            raise Unusable(self.home, str(err)) from None


class Watcher:
    """Reads the changes written after a revision, as they come (a watch's cursor).

    Polling is cheap: SQLite's data_version says whether anyone wrote since the last poll,
    without reading anything. A database replaced under the watch (`kubesim reset`) is a
    restart: its revisions begin again."""

    def __init__(self, store: Store, since: int) -> None:
        self.store = store
        self.since = since
        self.conn: sqlite3.Connection | None = None
        self.inode = 0
        self.version = -1

    def poll(self, resources: tuple[str, ...] | None = None) -> tuple[list[Change], bool]:
        """(changes since the last poll, oldest first; whether the cluster was started anew)."""
        restarted = self._reopen_if_replaced()
        if self.conn is None:
            return [], restarted
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self.version and not restarted:
            return [], False
        self.version = version
        self.conn.execute("BEGIN")
        try:
            state = ClusterState(self.conn, writable=False)
            if state.resource_version < self.since:
                restarted, self.since = True, 0
            if self.since < state.compacted:
                self.since = state.compacted  # what a slow watcher missed is gone (410 Gone)
            found = state.changes_since(self.since, resources)
            self.since = state.resource_version
        finally:
            self.conn.execute("ROLLBACK")
        return found, restarted

    def _reopen_if_replaced(self) -> bool:
        try:
            inode = self.store.state_path.stat().st_ino
        except FileNotFoundError:
            inode = 0
        if inode == self.inode:
            return False
        replaced = self.inode != 0
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.inode = inode
        self.version = -1
        if inode:
            try:
                self.conn = db.connect(self.store.state_path, create=False)
            except (db.DatabaseError, sqlite3.Error):
                self.conn, self.inode = None, 0
        if replaced:
            self.since = 0
        return replaced

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _free_name(path: Path) -> Path:
    """`path`, or `path` followed by 2, 3, ... if taken."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}{n}")
    return candidate
