"""etcd's part: the cluster's objects, its change log and its runtime state, in SQLite."""

from kubesim.store.errors import CorruptState, DamagedObject, Unusable
from kubesim.store.state import Change, ClusterState, Object, ReadOnly
from kubesim.store.store import Store

__all__ = [
    "Change",
    "ClusterState",
    "CorruptState",
    "DamagedObject",
    "Object",
    "ReadOnly",
    "Store",
    "Unusable",
]
