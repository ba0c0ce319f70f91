"""The SQLite database a cluster lives in, as k3s's kine keeps Kubernetes objects.

One row per object (resource, key) holding its JSON; a global revision that is every object's
resourceVersion, as etcd's; a change log (revision, type, object) that watches and the
controllers' queues read from a revision on; the index entries objects are looked up by;
events apart, with their expiry; and the node-local runtime state that is no API object
(the clock, IP leases, container files and processes), one row per key.

WAL mode lets readers go on while a writer works; a writer takes the database's lock for its
whole command (BEGIN IMMEDIATE), so each command's writes land together or not at all.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = 2  # 1 was the single cluster.json document

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE objects (
    resource TEXT NOT NULL,
    key TEXT NOT NULL,            -- "<namespace>/<name>", or "<name>" if cluster-scoped
    rv INTEGER NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (resource, key)
) WITHOUT ROWID;
CREATE TABLE refs (
    idx TEXT NOT NULL,
    value TEXT NOT NULL,
    resource TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (idx, value, resource, key)
) WITHOUT ROWID;
CREATE INDEX refs_by_object ON refs (resource, key);
CREATE TABLE changes (
    rv INTEGER PRIMARY KEY,
    type TEXT NOT NULL,           -- ADDED, MODIFIED, DELETED
    resource TEXT NOT NULL,
    key TEXT NOT NULL,
    prev INTEGER,                 -- the revision of the version this one replaced
    t REAL,                       -- simulated time of the write
    value BLOB NOT NULL,
    prev_meta BLOB                -- that version's labels and ownerReferences, for handlers
);
CREATE TABLE events (
    key TEXT PRIMARY KEY,         -- "<namespace>/<name>"
    rv INTEGER NOT NULL,
    involved TEXT NOT NULL,       -- the uid of the object the event is about
    series TEXT NOT NULL,         -- what identifies repeats of one event (the recorder's key)
    expires REAL NOT NULL,        -- simulated time its lease runs out (--event-ttl)
    value BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX events_involved ON events (involved);
CREATE INDEX events_series ON events (series);
CREATE INDEX events_expires ON events (expires);
CREATE TABLE runtime (
    section TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (section, key)
) WITHOUT ROWID;
CREATE TABLE timers (
    queue TEXT NOT NULL,          -- the controller whose key it is
    key TEXT NOT NULL,
    due REAL NOT NULL,
    PRIMARY KEY (queue, key)
) WITHOUT ROWID;
CREATE INDEX timers_due ON timers (due);
"""


class DatabaseError(Exception):
    """Raised when the file is not a kubesim database (or a newer kubesim's)."""


def connect(path: Path | str, *, create: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), the schema in place."""
    # check_same_thread=False: a container's pipeline runs its processes as threads, and those
    # that read the cluster (curl, nslookup) take turns through kubesim.sandbox.view.serialized
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=120.0, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 120000")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA mmap_size = 0")  # mapped pages would count as the command's memory
        conn.execute("PRAGMA journal_size_limit = 33554432")  # the WAL file shrinks back to 32 MiB
        if str(path) != ":memory:":
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        # a commit is on disk before the command says it is done (WAL + FULL fsyncs the log)
        conn.execute("PRAGMA synchronous = FULL")
        _check_schema(conn, create)
    except sqlite3.DatabaseError as err:
        conn.close()
        raise DatabaseError(str(err)) from None
    except DatabaseError:
        conn.close()
        raise
    return conn


def _check_schema(conn: sqlite3.Connection, create: bool) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        if tables:
            raise DatabaseError("not a kubesim cluster database")
        if not create:
            return
        # freed pages (a compacted log, expired events) go back to the file system
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have created it while this one waited for the lock
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schemaVersion', ?), "
                    "('revision', 0), ('compacted', 0), ('created', ?)",
                    (SCHEMA_VERSION, time.time()),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return
    row = conn.execute("SELECT value FROM meta WHERE key = 'schemaVersion'").fetchone()
    version = row[0] if row else None
    if not isinstance(version, int) or isinstance(version, bool) or version < SCHEMA_VERSION:
        raise DatabaseError(f"unknown schema version {version!r}")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"schema version {version} is newer than this kubesim understands "
            f"({SCHEMA_VERSION}); upgrade kubesim"
        )
