"""etcd's part: the cluster's objects, its change log and its runtime state, in SQLite."""

from kubesim.store.state import Change, ClusterState, Object, ReadOnly
from kubesim.store.store import CorruptState, Store, Unusable

__all__ = ["Change", "ClusterState", "CorruptState", "Object", "ReadOnly", "Store", "Unusable"]
