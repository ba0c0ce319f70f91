"""etcd's part: the cluster document on disk, its lock, and the watch journal."""

from kubesim.store.state import ClusterState, Object
from kubesim.store.store import CorruptState, Store, Unusable

__all__ = ["ClusterState", "CorruptState", "Object", "Store", "Unusable"]
