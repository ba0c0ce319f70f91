"""One transaction's view of the cluster: reads what it is asked for, writes straight through.

This is etcd's part: it stores whatever it is given and numbers every write. What an object
must contain (defaults, validation, metadata) is the apiserver's concern, in `kubesim.api`.

Objects come back as plain dicts, decoded once per transaction and shared: never change one in
place; build a new dict and `put` it. Every `put` and `remove` takes the next revision, which
becomes the object's resourceVersion, and is logged as a change (ADDED, MODIFIED, DELETED) for
watches and the controllers' queues. Events live in their own table, with the time their lease
runs out. Node-local state that is no API object lives in sections of the runtime table.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubesim.store import codec, db, indexes

Object = dict[str, Any]
Objects = list[Object]
Pairs = list[tuple[str, Object]]
Keys = list[str]
TimerList = list[tuple[str, str, float]]

EVENTS = "events"
COMPACT_KEEP = 10_000  # revisions of history kept at most for watches and controllers
COMPACT_AFTER = 300.0  # history older than this (simulated seconds) goes, as etcd compacts
COMPACT_CHECK = 2_000  # the log is looked at for compaction after this many writes
NEVER = float("inf")


def object_key(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


def _namespace_range(namespace: str) -> tuple[str, str]:
    """Keys of one namespace sort between "<ns>/" and "<ns>0" ('0' follows '/')."""
    return f"{namespace}/", f"{namespace}0"


@dataclass(frozen=True)
class Change:
    """One entry of the change log."""

    rv: int
    type: str  # ADDED, MODIFIED, DELETED
    resource: str
    key: str
    prev: int | None  # the revision of the version this write replaced
    t: float | None  # simulated time of the write
    value: bytes
    prev_meta: bytes | None = None  # the replaced version's labels and ownerReferences

    @property
    def object(self) -> Object:
        obj: Object = codec.loads(self.value)
        return obj

    @property
    def previous_metadata(self) -> Object | None:
        """The labels and ownerReferences of the version this write replaced, if any."""
        if self.prev_meta is None:
            return None
        found: Object = codec.loads(self.prev_meta)
        return found

    @property
    def namespace(self) -> str | None:
        namespace, sep, _ = self.key.partition("/")
        return namespace if sep else None

    @property
    def name(self) -> str:
        return self.key.rpartition("/")[2]


ChangeList = list[Change]


class ReadOnly(Exception):
    """Raised on a write through a state opened for reading."""


class ClusterState:
    """The cluster as one transaction sees it; every write gets the next resourceVersion.

    Without a connection, the state lives in memory (for tests and benchmarks)."""

    def __init__(
        self,
        conn: sqlite3.Connection | None = None,
        *,
        writable: bool = True,
        path: Path | None = None,
    ) -> None:
        if conn is None:
            conn = db.connect(":memory:", create=True)
        self.conn = conn
        self.writable = writable
        self.path = path or Path(":memory:")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self._revision = int(meta.get("revision", 0))
        self._compacted = int(meta.get("compacted", 0))
        self._stored_revision = self._revision
        self._cache: dict[tuple[str, str], Object | None] = {}
        self._lists: dict[tuple[Any, ...], Objects] = {}
        self._sections: dict[str, Section] = {}
        self.dirty = False
        self.now: float | None = None  # simulated time of the writes, set by the apiserver

    # --- revisions -------------------------------------------------------------------------

    @property
    def is_new(self) -> bool:
        return self._revision == 0

    @property
    def resource_version(self) -> int:
        return self._revision

    @property
    def compacted(self) -> int:
        """Changes up to this revision are gone from the log."""
        return self._compacted

    def next_resource_version(self) -> str:
        self._require_writable()
        self._revision += 1
        self.dirty = True
        return str(self._revision)

    # --- objects -----------------------------------------------------------------------------

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        key = object_key(namespace, name)
        cached = self._cache.get((resource, key), _UNREAD)
        if cached is not _UNREAD:
            return cached  # type: ignore[no-any-return]
        if resource == EVENTS:
            row = self.conn.execute("SELECT value FROM events WHERE key = ?", (key,)).fetchone()
        else:
            row = self.conn.execute(
                "SELECT value FROM objects WHERE resource = ? AND key = ?", (resource, key)
            ).fetchone()
        obj = self._load(resource, key, row[0]) if row else None
        self._cache[(resource, key)] = obj
        return obj

    def cached(self, resource: str, key: str) -> Object | None:
        """The object under `key` if this transaction has it decoded already, else None."""
        found = self._cache.get((resource, key))
        return found if isinstance(found, dict) else None

    def list(self, resource: str, namespace: str | None = None) -> Objects:
        """Objects of a resource in key order (namespace/name); all namespaces when None."""
        cache_key = ("list", resource, namespace)
        cached = self._lists.get(cache_key)
        if cached is not None:
            return cached
        table = "events" if resource == EVENTS else "objects"
        where, args = ("resource = ?", [resource]) if table == "objects" else ("1", [])
        if namespace is not None:
            where += " AND key >= ? AND key < ?"
            args += _namespace_range(namespace)
        rows = self.conn.execute(f"SELECT key, value FROM {table} WHERE {where} ORDER BY key", args)
        found = [self._decoded(resource, key, value) for key, value in rows]
        self._lists[cache_key] = found
        return found

    def scan(self, resource: str, namespace: str | None = None) -> Iterator[Object]:
        """As `list`, one object at a time, none kept: for reading a large resource once
        (a table of 10,000 pods costs what its rows cost, not what 10,000 objects do)."""
        cached = self._lists.get(("list", resource, namespace))
        if cached is not None:
            yield from cached
            return
        table = "events" if resource == EVENTS else "objects"
        where, args = ("resource = ?", [resource]) if table == "objects" else ("1", [])
        if namespace is not None:
            where += " AND key >= ? AND key < ?"
            args += _namespace_range(namespace)
        rows = self.conn.execute(f"SELECT key, value FROM {table} WHERE {where} ORDER BY key", args)
        for key, value in rows:
            known = self._cache.get((resource, key))
            yield known if known is not None else self._load(resource, key, value)

    def count(self, resource: str, namespace: str | None = None) -> int:
        table = "events" if resource == EVENTS else "objects"
        where, args = ("resource = ?", [resource]) if table == "objects" else ("1", [])
        if namespace is not None:
            where += " AND key >= ? AND key < ?"
            args += _namespace_range(namespace)
        row = self.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()
        return int(row[0])

    def by_index(
        self, index: str, value: str, resource: str, namespace: str | None = None
    ) -> Objects:
        """Objects of `resource` whose index entry `index` has `value`, in key order."""
        cache_key = ("index", index, value, resource, namespace)
        cached = self._lists.get(cache_key)
        if cached is not None:
            return cached
        sql = (
            "SELECT o.key, o.value FROM refs r JOIN objects o "
            "ON o.resource = r.resource AND o.key = r.key "
            "WHERE r.idx = ? AND r.value = ? AND r.resource = ?"
        )
        args: list[Any] = [index, value, resource]
        if namespace is not None:
            sql += " AND r.key >= ? AND r.key < ?"
            args += _namespace_range(namespace)
        rows = self.conn.execute(sql + " ORDER BY r.key", args)
        found = [self._decoded(resource, key, data) for key, data in rows]
        self._lists[cache_key] = found
        return found

    def indexed(self, index: str, value: str) -> Pairs:
        """(resource, object) of every kind with that index entry (dependents of an owner)."""
        rows = self.conn.execute(
            "SELECT o.resource, o.key, o.value FROM refs r JOIN objects o "
            "ON o.resource = r.resource AND o.key = r.key "
            "WHERE r.idx = ? AND r.value = ? ORDER BY r.resource, r.key",
            (index, value),
        )
        return [(resource, self._decoded(resource, key, data)) for resource, key, data in rows]

    def has_indexed(self, index: str, value: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM refs WHERE idx = ? AND value = ? LIMIT 1", (index, value)
        ).fetchone()
        return row is not None

    def index_values(self, index: str, resource: str) -> Keys:
        """The distinct values of an index over one resource (the nodes pods are bound to)."""
        rows = self.conn.execute(
            "SELECT DISTINCT value FROM refs WHERE idx = ? AND resource = ? ORDER BY value",
            (index, resource),
        )
        return [r[0] for r in rows]

    def events_about(self, uid: str) -> Objects:
        """The events whose involved object has this uid, in key order."""
        rows = self.conn.execute(
            "SELECT key, value FROM events WHERE involved = ? ORDER BY key", (uid,)
        )
        return [self._decoded(EVENTS, key, value) for key, value in rows]

    def event_in_series(self, series: str) -> Object | None:
        """The event that repeats of `series` are folded into, if it still exists."""
        row = self.conn.execute(
            "SELECT key, value FROM events WHERE series = ? ORDER BY rv DESC LIMIT 1", (series,)
        ).fetchone()
        return self._decoded(EVENTS, row[0], row[1]) if row else None

    def iter_all(self) -> Iterator[tuple[str, Object]]:
        """Every object and event (for export and checks; reads the whole cluster)."""
        rows = self.conn.execute("SELECT resource, key, value FROM objects ORDER BY resource, key")
        for resource, key, value in rows.fetchall():
            yield resource, self._decoded(resource, key, value)
        for key, value in self.conn.execute("SELECT key, value FROM events ORDER BY key"):
            yield EVENTS, self._decoded(EVENTS, key, value)

    def put(self, resource: str, obj: Object, *, expires: float | None = None) -> Object:
        """Store `obj` (the caller must not change it afterwards) under the next resourceVersion.

        `expires` is an event's lease: the simulated time after which it is gone."""
        meta = obj["metadata"]
        key = object_key(meta.get("namespace"), meta["name"])
        old = self._current(resource, key)
        meta["resourceVersion"] = self.next_resource_version()
        rv = self._revision
        value = codec.dumps(obj)
        if resource == EVENTS:
            self._store_event(key, rv, obj, value, expires)
        else:
            self.conn.execute(
                "INSERT OR REPLACE INTO objects (resource, key, rv, value) VALUES (?, ?, ?, ?)",
                (resource, key, rv, value),
            )
            self._reindex(resource, key, old, obj)
        self._log(rv, "MODIFIED" if old is not None else "ADDED", resource, key, old, value)
        self._remember(resource, key, obj)
        return obj

    def remove(self, resource: str, namespace: str | None, name: str) -> Object | None:
        """Remove an object; its DELETED change carries its last state and a new revision."""
        key = object_key(namespace, name)
        obj = self._current(resource, key)
        if obj is None:
            return None
        last = copy.copy(obj)
        last["metadata"] = {**obj["metadata"], "resourceVersion": self.next_resource_version()}
        if resource == EVENTS:
            self.conn.execute("DELETE FROM events WHERE key = ?", (key,))
        else:
            self.conn.execute("DELETE FROM objects WHERE resource = ? AND key = ?", (resource, key))
            self.conn.execute("DELETE FROM refs WHERE resource = ? AND key = ?", (resource, key))
        value = codec.dumps(last)
        self._log(self._revision, "DELETED", resource, key, obj, value)
        self._remember(resource, key, None)
        return last

    def expire_events(self, now: float) -> int:
        """Remove the events whose lease ran out by `now`; how many went."""
        # (sorted here: an ORDER BY key would have SQLite scan the table instead of the index)
        rows = sorted(self.conn.execute("SELECT key FROM events WHERE expires <= ?", (now,)))
        for (key,) in rows:
            namespace, _, name = key.partition("/")
            self.remove(EVENTS, namespace, name)
        return len(rows)

    def load(self, resource: str, obj: Object, *, expires: float = NEVER) -> None:
        """Store an object exactly as given, resourceVersion included, without logging a
        change (for migrations and tests that set a scene)."""
        self._require_writable()
        meta = obj["metadata"]
        key = object_key(meta.get("namespace"), meta["name"])
        rv = int(meta.get("resourceVersion") or 0)
        old = self._current(resource, key)
        value = codec.dumps(obj)
        if resource == EVENTS:
            self._store_event(key, rv, obj, value, expires)
        else:
            self.conn.execute(
                "INSERT OR REPLACE INTO objects (resource, key, rv, value) VALUES (?, ?, ?, ?)",
                (resource, key, rv, value),
            )
            self._reindex(resource, key, old, obj)
        self._remember(resource, key, obj)
        if rv > self._revision:
            self._revision = rv
        self.dirty = True

    # --- the change log ----------------------------------------------------------------------

    def changes_since(
        self,
        rv: int,
        resources: tuple[str, ...] | None = None,
        limit: int | None = None,
        *,
        without: tuple[str, ...] = (),
    ) -> ChangeList:
        """Changes after revision `rv`, oldest first, optionally of some resources only, or
        of all but some."""
        sql = "SELECT rv, type, resource, key, prev, t, value, prev_meta FROM changes WHERE rv > ?"
        args: list[Any] = [rv]
        if resources is not None:
            sql += f" AND resource IN ({','.join('?' * len(resources))})"
            args += resources
        if without:
            sql += f" AND resource NOT IN ({','.join('?' * len(without))})"
            args += without
        sql += " ORDER BY rv"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Change(*row) for row in self.conn.execute(sql, args)]

    def resources_changed_since(self, rv: int) -> set[str]:
        """The resources written after revision `rv` (events aside)."""
        rows = self.conn.execute(
            "SELECT DISTINCT resource FROM changes WHERE rv > ? AND resource != 'events'", (rv,)
        )
        return {str(row[0]) for row in rows}

    def deleted_since(self, rv: int) -> bool:
        """Whether an object (events aside) was deleted after revision `rv`."""
        row = self.conn.execute(
            "SELECT 1 FROM changes WHERE rv > ? AND type = 'DELETED' AND resource != 'events' "
            "LIMIT 1",
            (rv,),
        ).fetchone()
        return row is not None

    def change_at(self, rv: int) -> Change | None:
        """The change that wrote revision `rv`, unless compacted away."""
        row = self.conn.execute(
            "SELECT rv, type, resource, key, prev, t, value, prev_meta FROM changes WHERE rv = ?",
            (rv,),
        ).fetchone()
        return Change(*row) if row else None

    # --- runtime sections ------------------------------------------------------------------

    def section(self, name: str) -> Section:
        """A named area for non-API state (clock, IP allocation, container files), one row per
        key. Values are read and written whole: change a value by assigning it again."""
        found = self._sections.get(name)
        if found is None:
            found = self._sections[name] = Section(self, name)
        return found

    peek_section = section

    # --- timers (the controllers' delayed keys) --------------------------------------------

    def add_timer(self, queue: str, key: str, due: float) -> None:
        """Wake `key` of `queue` at `due`; an earlier timer already set for it stands."""
        self._require_writable()
        self.conn.execute(
            "INSERT INTO timers (queue, key, due) VALUES (?, ?, ?) "
            "ON CONFLICT (queue, key) DO UPDATE SET due = min(due, excluded.due)",
            (queue, key, due),
        )
        self.dirty = True

    def take_timers(self, queue: str, now: float) -> Keys:
        """The keys of `queue` due by `now`, removed from the timers."""
        rows = self.conn.execute(
            "SELECT key FROM timers WHERE queue = ? AND due <= ? ORDER BY key", (queue, now)
        ).fetchall()
        if rows:
            self._require_writable()
            self.conn.execute("DELETE FROM timers WHERE queue = ? AND due <= ?", (queue, now))
            self.dirty = True
        return [r[0] for r in rows]

    def next_timer(self) -> float | None:
        row = self.conn.execute("SELECT min(due) FROM timers").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def timers(self, queue: str | None = None) -> TimerList:
        sql, args = "SELECT queue, key, due FROM timers", []
        if queue is not None:
            sql, args = sql + " WHERE queue = ?", [queue]
        return [(q, k, float(d)) for q, k, d in self.conn.execute(sql + " ORDER BY due", args)]

    # --- transaction end ---------------------------------------------------------------------

    def flush(self) -> None:
        """Record the revision reached, and compact the log as kube-apiserver compacts etcd:
        history older than COMPACT_AFTER simulated seconds goes, and never more than
        COMPACT_KEEP revisions are kept. The pages it held are given back to the file."""
        if self._revision == self._stored_revision:
            return
        self.conn.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (self._revision,))
        self._stored_revision = self._revision
        if self._revision - self._compacted <= COMPACT_CHECK:
            return
        target = self._revision - COMPACT_KEEP
        if self.now is not None:
            row = self.conn.execute(
                "SELECT max(rv) FROM changes WHERE rv > ? AND t < ?",
                (self._compacted, self.now - COMPACT_AFTER),
            ).fetchone()
            target = max(target, int(row[0] or 0))
        if target <= self._compacted + COMPACT_CHECK // 2:
            return
        self._compacted = target
        self.conn.execute("DELETE FROM changes WHERE rv <= ?", (self._compacted,))
        self.conn.execute("UPDATE meta SET value = ? WHERE key = 'compacted'", (self._compacted,))
        self.conn.execute("PRAGMA incremental_vacuum")

    # --- internals ---------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if not self.writable:
            raise ReadOnly("the cluster was opened for reading")

    def _current(self, resource: str, key: str) -> Object | None:
        namespace, sep, name = key.rpartition("/")
        return self.get(resource, namespace if sep else None, name)

    def _decoded(self, resource: str, key: str, value: bytes) -> Object:
        cached = self._cache.get((resource, key))
        if cached is None:
            cached = self._cache[(resource, key)] = self._load(resource, key, value)
        return cached

    def _load(self, resource: str, key: str, value: bytes) -> Object:
        """A stored object, which must at least be an object with metadata and a name (the
        database may have been changed behind the apiserver's back)."""
        from kubesim.store.errors import DamagedObject

        try:
            obj = codec.loads(value)
        except ValueError as err:
            raise DamagedObject(self.path, resource, key, f"not JSON ({err})") from None
        metadata = obj.get("metadata") if isinstance(obj, dict) else None
        if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
            raise DamagedObject(self.path, resource, key, "it has no metadata.name")
        return obj  # type: ignore[no-any-return]

    def _remember(self, resource: str, key: str, obj: Object | None) -> None:
        self._cache[(resource, key)] = obj
        for cache_key in [k for k in self._lists if k[0] == "list" and k[1] == resource]:
            del self._lists[cache_key]
        for cache_key in [k for k in self._lists if k[0] == "index" and k[3] == resource]:
            del self._lists[cache_key]

    def _reindex(self, resource: str, key: str, old: Object | None, new: Object) -> None:
        after = indexes.entries(resource, new)
        before = indexes.entries(resource, old) if old is not None else set()
        gone = before - after
        if gone:
            self.conn.executemany(
                "DELETE FROM refs WHERE idx = ? AND value = ? AND resource = ? AND key = ?",
                [(i, v, resource, key) for i, v in gone],
            )
        added = after - before
        if added:
            self.conn.executemany(
                "INSERT OR IGNORE INTO refs (idx, value, resource, key) VALUES (?, ?, ?, ?)",
                [(i, v, resource, key) for i, v in added],
            )

    def _store_event(
        self, key: str, rv: int, event: Object, value: bytes, expires: float | None
    ) -> None:
        involved = event.get("involvedObject") if isinstance(event, dict) else None
        involved = involved if isinstance(involved, dict) else {}
        if expires is None:
            row = self.conn.execute("SELECT expires FROM events WHERE key = ?", (key,)).fetchone()
            expires = float(row[0]) if row else NEVER
        self.conn.execute(
            "INSERT OR REPLACE INTO events (key, rv, involved, series, expires, value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (key, rv, str(involved.get("uid") or ""), event_series(event), expires, value),
        )

    def _log(
        self, rv: int, type_: str, resource: str, key: str, old: Object | None, value: bytes
    ) -> None:
        prev_meta = None
        if old is not None:
            metadata = old.get("metadata") or {}
            prev_meta = codec.dumps(
                {k: metadata[k] for k in ("labels", "ownerReferences") if k in metadata}
            )
        self.conn.execute(
            "INSERT INTO changes (rv, type, resource, key, prev, t, value, prev_meta) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rv, type_, resource, key, _revision_of(old), self.now, value, prev_meta),
        )
        self.dirty = True


def event_series(event: Object) -> str:
    """What identifies repeats of one event: the same object (and field), type, reason,
    message and component, as the event recorder's correlator compares them."""
    involved = event.get("involvedObject") or {}
    source = event.get("source") or {}
    if not isinstance(involved, dict) or not isinstance(source, dict):
        return ""
    parts = (involved.get("uid"), involved.get("fieldPath"), event.get("type"),
             event.get("reason"), event.get("message"), source.get("component"))  # fmt: skip
    return "|".join(str(p or "") for p in parts)


def _revision_of(obj: Object | None) -> int | None:
    if obj is None:
        return None
    try:
        return int(obj["metadata"].get("resourceVersion") or 0) or None
    except (TypeError, ValueError):
        return None


class _Unread:
    pass


_UNREAD: Any = _Unread()
_ABSENT: Any = _Unread()


class Section(MutableMapping[str, Any]):
    """One section of the runtime table, as a mapping read lazily and written through."""

    def __init__(self, state: ClusterState, name: str) -> None:
        self.state = state
        self.name = name
        self._cache: dict[str, Any] = {}
        self._all = False  # every key has been read

    def __getitem__(self, key: str) -> Any:
        value = self._cache.get(key, _UNREAD)
        if value is _UNREAD:
            if self._all:
                raise KeyError(key)
            row = self.state.conn.execute(
                "SELECT value FROM runtime WHERE section = ? AND key = ?", (self.name, key)
            ).fetchone()
            value = self._cache[key] = codec.loads(row[0]) if row else _ABSENT
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.state._require_writable()
        self.state.conn.execute(
            "INSERT OR REPLACE INTO runtime (section, key, value) VALUES (?, ?, ?)",
            (self.name, key, codec.dumps(value)),
        )
        self._cache[key] = value
        self.state.dirty = True

    def __delitem__(self, key: str) -> None:
        self.state._require_writable()
        cursor = self.state.conn.execute(
            "DELETE FROM runtime WHERE section = ? AND key = ?", (self.name, key)
        )
        self._cache[key] = _ABSENT
        self.state.dirty = True
        if cursor.rowcount == 0:
            raise KeyError(key)

    def pop_prefix(self, prefix: str) -> None:
        """Remove the key `prefix` and every key under `prefix/`."""
        self.state._require_writable()
        self.state.conn.execute(
            "DELETE FROM runtime WHERE section = ? AND (key = ? OR (key >= ? AND key < ?))",
            (self.name, prefix, prefix + "/", prefix + "0"),
        )
        for key in [k for k in self._cache if k == prefix or k.startswith(prefix + "/")]:
            self._cache[key] = _ABSENT
        self.state.dirty = True

    def _load_all(self) -> None:
        if self._all:
            return
        rows = self.state.conn.execute(
            "SELECT key, value FROM runtime WHERE section = ? ORDER BY key", (self.name,)
        )
        self._cache = {key: codec.loads(value) for key, value in rows}
        self._all = True

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return iter([k for k, v in self._cache.items() if v is not _ABSENT])

    def __len__(self) -> int:
        self._load_all()
        return sum(1 for v in self._cache.values() if v is not _ABSENT)

    def __bool__(self) -> bool:
        if self._all:
            return len(self) > 0
        row = self.state.conn.execute(
            "SELECT 1 FROM runtime WHERE section = ? LIMIT 1", (self.name,)
        ).fetchone()
        return row is not None or any(v is not _ABSENT for v in self._cache.values())

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default
