"""The kinds kubesim serves, as data: what `kubectl api-resources` would list."""

from __future__ import annotations

from kubesim.api.errors import UsageError


class Kind:
    """One API resource: its names, its group/version, and whether it lives in a namespace.

    (A plain class rather than a dataclass: it is built on every command's start-up.)
    """

    __slots__ = ("kind", "plural", "group", "version", "short_names", "namespaced", "categories",
                 "tracks_generation", "has_status")  # fmt: skip

    def __init__(
        self,
        kind: str,
        plural: str,
        *,
        group: str = "",
        version: str = "v1",
        short_names: tuple[str, ...] = (),
        namespaced: bool = True,
        categories: tuple[str, ...] = (),
        tracks_generation: bool = False,
        has_status: bool = False,
    ) -> None:
        self.kind = kind
        self.plural = plural
        self.group = group
        self.version = version
        self.short_names = short_names
        self.namespaced = namespaced
        self.categories = categories
        self.tracks_generation = tracks_generation
        self.has_status = has_status

    def __repr__(self) -> str:
        return f"Kind({self.resource})"

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource(self) -> str:
        """`<plural>[.<group>]`, the name apiserver messages use ("statefulsets.apps")."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        """`<kind>[.<group>]` lower-cased, as kubectl prefixes names ("statefulset.apps")."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    @property
    def group_kind(self) -> str:
        """`<Kind>[.<group>]`, as the apiserver names a kind in Invalid errors."""
        return f"{self.kind}.{self.group}" if self.group else self.kind


# in kubectl's discovery order, which is the order `kubectl get all` prints its tables in
KINDS: tuple[Kind, ...] = (
    Kind("Pod", "pods", short_names=("po",), categories=("all",), has_status=True),
    Kind("Service", "services", short_names=("svc",), categories=("all",), has_status=True),
    Kind("Endpoints", "endpoints", short_names=("ep",)),
    Kind("Namespace", "namespaces", short_names=("ns",), namespaced=False, has_status=True),
    Kind("Node", "nodes", short_names=("no",), namespaced=False, has_status=True),
    Kind("Event", "events", short_names=("ev",)),
    # computed by the apiserver on each request (pkg/registry/core/componentstatus), never stored
    Kind("ComponentStatus", "componentstatuses", short_names=("cs",), namespaced=False),
    Kind("ConfigMap", "configmaps", short_names=("cm",)),
    Kind("Secret", "secrets"),
    Kind("ServiceAccount", "serviceaccounts", short_names=("sa",)),
    Kind(
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        short_names=("pvc",),
        has_status=True,
    ),
    Kind(
        "PersistentVolume",
        "persistentvolumes",
        short_names=("pv",),
        namespaced=False,
        has_status=True,
    ),
    Kind(
        "DaemonSet",
        "daemonsets",
        group="apps",
        short_names=("ds",),
        categories=("all",),
        tracks_generation=True,
        has_status=True,
    ),
    Kind(
        "Deployment",
        "deployments",
        group="apps",
        short_names=("deploy",),
        categories=("all",),
        tracks_generation=True,
        has_status=True,
    ),
    Kind(
        "ReplicaSet",
        "replicasets",
        group="apps",
        short_names=("rs",),
        categories=("all",),
        tracks_generation=True,
        has_status=True,
    ),
    Kind(
        "StatefulSet",
        "statefulsets",
        group="apps",
        short_names=("sts",),
        categories=("all",),
        tracks_generation=True,
        has_status=True,
    ),
    Kind("ControllerRevision", "controllerrevisions", group="apps"),
    Kind(
        "CronJob",
        "cronjobs",
        group="batch",
        short_names=("cj",),
        categories=("all",),
        tracks_generation=True,
        has_status=True,
    ),
    Kind(
        "Job",
        "jobs",
        group="batch",
        categories=("all",),
        tracks_generation=True,
        has_status=True,
    ),
    Kind("EndpointSlice", "endpointslices", group="discovery.k8s.io"),
    Kind("Lease", "leases", group="coordination.k8s.io"),
    Kind(
        "PriorityClass",
        "priorityclasses",
        group="scheduling.k8s.io",
        short_names=("pc",),
        namespaced=False,
    ),
    Kind(
        "StorageClass",
        "storageclasses",
        group="storage.k8s.io",
        short_names=("sc",),
        namespaced=False,
    ),
)

# the order discovery lists API groups in (core first), as kube-apiserver's group priorities do
GROUP_ORDER = (
    "",
    "apps",
    "batch",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
)

_BY_KIND: dict[tuple[str, str], Kind] = {(k.group, k.kind): k for k in KINDS}
_BY_NAME: dict[str, Kind] = {}
for _k in KINDS:
    for _name in (_k.plural, _k.singular, _k.kind.lower(), *_k.short_names):
        _BY_NAME.setdefault(_name, _k)
        if _k.group:  # RESOURCE.GROUP and RESOURCE.VERSION.GROUP (deployment.v1.apps)
            _BY_NAME.setdefault(f"{_name}.{_k.group}", _k)
            _BY_NAME.setdefault(f"{_name}.{_k.version}.{_k.group}", _k)


def lookup(name: str) -> Kind | None:
    """The kind a user's spelling names (plural, singular, short name, Kind, `plural.group`)."""
    return _BY_NAME.get(name.lower())


def resolve(name: str) -> Kind:
    """As `lookup`, raising kubectl's error for a type the cluster does not serve."""
    kind = lookup(name)
    if kind is None:
        raise UsageError(f'the server doesn\'t have a resource type "{name}"')
    return kind


def for_object(api_version: str, kind: str) -> Kind | None:
    """The kind of a manifest's `apiVersion` + `kind`, or None if the cluster does not serve it."""
    group, _, version = api_version.rpartition("/")
    found = _BY_KIND.get((group, kind))
    if found is None or found.version != version:
        return None
    return found


def by_resource(resource: str) -> Kind:
    """The kind stored under `resource` (`pods`, `statefulsets.apps`)."""
    found = _BY_NAME.get(resource)
    assert found is not None and found.resource == resource, resource
    return found


def in_category(category: str) -> list[Kind]:
    """Kinds in a category, in kubectl's order (`all`: pods, services, ..., statefulsets)."""
    return [k for k in KINDS if category in k.categories]
