"""What kubectl's generators build from flags, before it writes to the apiserver: `kubectl create
deployment` (pkg/cmd/create/create_deployment.go), `kubectl create namespace` and
`kubectl create serviceaccount`."""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import MissingFlag, PlainError, UsageError

Object = dict[str, Any]

SUBCOMMANDS = {
    "deployment": "deployment", "deploy": "deployment",
    "namespace": "namespace", "ns": "namespace",
    "serviceaccount": "serviceaccount", "sa": "serviceaccount",
}  # fmt: skip


def for_create(
    subcommand: str,
    names: list[str],
    images: list[str],
    replicas: int,
    port: int,
    command: list[str],
) -> Object:
    """The object `kubectl create SUBCOMMAND NAME ...` sends."""
    which = SUBCOMMANDS.get(subcommand)
    if which is None:
        words = [subcommand, *names, *command]
        # kubectl 1.32 prints "error: " for one unknown word and cobra's "Error: " for more
        prefix = "error" if len(words) == 1 else "Error"
        raise PlainError(
            f"{prefix}: Unexpected args: [{' '.join(words)}]\n"
            "See 'kubesim create -h' for help and examples"
        )
    if which == "deployment" and not images:
        raise MissingFlag("image")
    if len(names) != 1:
        raise UsageError(
            f"exactly one NAME is required, got {len(names)}\n"
            f"See 'kubesim create {which} -h' for help and examples"
        )
    if which == "serviceaccount":
        return {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"creationTimestamp": None, "name": names[0]},
        }
    if which == "namespace":
        return {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"creationTimestamp": None, "name": names[0]},
            "spec": {},
            "status": {},
        }
    return deployment(names[0], images, replicas, port, command)


def deployment(
    name: str, images: list[str], replicas: int, port: int, command: list[str]
) -> Object:
    labels = {"app": name}
    containers: list[Object] = []
    for image in images:
        container: Object = {"name": _container_name(image), "image": image, "resources": {}}
        if command:
            container["command"] = list(command)
        containers.append(container)
    if port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    # as the typed Deployment kubectl builds serializes: zero values included
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"creationTimestamp": None, "labels": dict(labels), "name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": dict(labels)},
                "spec": {"containers": containers},
            },
        },
        "status": {},
    }


def _one_container_pod(name: str, image: str, command: list[str], restart: str) -> Object:
    container: Object = {}
    if command:
        container["command"] = list(command)
    container.update({"image": image, "name": name, "resources": {}})
    return {
        "metadata": {"creationTimestamp": None},
        "spec": {"containers": [container], "restartPolicy": restart},
    }


def job(name: str, image: str, command: list[str]) -> Object:
    """createJob (create_job.go): one container named after the Job, restartPolicy Never."""
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"creationTimestamp": None, "name": name},
        "spec": {"template": _one_container_pod(name, image, command, "Never")},
        "status": {},
    }


def cron_job(name: str, image: str, schedule: str, restart: str, command: list[str]) -> Object:
    """createCronJob (create_cronjob.go): the job template named after the CronJob, its pods
    restarted OnFailure unless --restart says otherwise."""
    template = _one_container_pod(name, image, command, restart or "OnFailure")
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"creationTimestamp": None, "name": name},
        "spec": {
            "jobTemplate": {
                "metadata": {"creationTimestamp": None, "name": name},
                "spec": {"template": template},
            },
            "schedule": schedule,
        },
        "status": {},
    }


def job_from_cron_job(name: str, cron_job: Object) -> Object:
    """createJobFromCronJob: the CronJob's job template, marked as started by hand, owned by
    the CronJob."""
    template = (cron_job.get("spec") or {}).get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    annotations = {"cronjob.kubernetes.io/instantiate": "manual"}
    annotations.update(template_meta.get("annotations") or {})
    metadata: Object = {"annotations": dict(sorted(annotations.items())),
                        "creationTimestamp": None}  # fmt: skip
    if template_meta.get("labels"):
        metadata["labels"] = dict(template_meta["labels"])
    cm = cron_job["metadata"]
    metadata["name"] = name
    metadata["ownerReferences"] = [
        {"apiVersion": "batch/v1", "controller": True, "kind": "CronJob", "name": cm["name"],
         "uid": cm["uid"]}
    ]  # fmt: skip
    from kubesim.api.meta import clone

    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": clone(template.get("spec") or {}),
        "status": {},
    }


def _container_name(image: str) -> str:
    """The image's last path segment without tag or digest (buildPodSpec); a name with "_" or
    "." gets them as "-" and a random suffix (sanitizeAndUniquify)."""
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    if "_" in name or "." in name:
        import random

        from kubesim.api import meta

        name = meta.generate_name(name.replace("_", "-").replace(".", "-") + "-", random.Random())
    return name


# --- kubectl expose (pkg/cmd/expose/expose.go, polymorphichelpers) ---------------------------

EXPOSABLE = ("Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController")


def selector_for(obj: Object) -> dict[str, str]:
    """MapBasedSelectorForObject: the labels a Service for `obj` selects its pods by."""
    kind = obj["kind"]
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise UsageError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "Service":
        selector = obj["spec"].get("selector")
        if selector is None:
            raise UsageError("the service has no pod selector set")
        return dict(selector)
    selector = obj["spec"].get("selector") or {}
    expressions = selector.get("matchExpressions")
    if expressions:
        shown = " ".join(
            f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} "
            f"Values:[{' '.join(e.get('values') or [])}]}}"
            for e in expressions
        )
        raise UsageError(
            f'couldn\'t convert expressions - "[{shown}]" to map-based selector format'
        )
    return dict(selector.get("matchLabels") or {})


def _pod_spec(obj: Object) -> Object:
    if obj["kind"] == "Pod":
        return obj.get("spec") or {}
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def ports_for(obj: Object) -> list[tuple[int, str]]:
    """PortsForObject with ProtocolsForObject: (port, protocol) of the object's containers, or of
    the service's own ports."""
    if obj["kind"] == "Service":
        return [(p["port"], p.get("protocol", "TCP")) for p in obj["spec"].get("ports") or []]
    return [
        (p["containerPort"], p.get("protocol", "TCP"))
        for c in _pod_spec(obj).get("containers") or []
        for p in c.get("ports") or []
        if p.get("containerPort")
    ]


def exposed_service(
    obj: Object,
    *,
    name: str,
    ports: list[tuple[int, str]],
    protocol: str,
    target_port: str,
    selector: dict[str, str],
    labels: dict[str, str] | None,
    service_type: str,
    cluster_ip: str,
    external_ip: str,
) -> Object:
    """createService: one service port a port (named port-N when there are several), each
    targeting --target-port or itself; the object's labels unless --labels says otherwise."""
    service_ports: list[Object] = []
    for i, (port, own_protocol) in enumerate(ports):
        entry: Object = {"port": port, "protocol": protocol or own_protocol or "TCP"}
        if len(ports) > 1:
            entry = {"name": f"port-{i + 1}", **entry}
        target: int | str = port
        if target_port:
            target = int(target_port) if target_port.isdigit() else target_port
        entry["targetPort"] = target
        service_ports.append(entry)
    metadata: Object = {"creationTimestamp": None, "name": name}
    if labels:
        metadata["labels"] = dict(labels)
    spec: Object = {"ports": service_ports, "selector": dict(selector)}
    if service_type:
        spec["type"] = service_type
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if external_ip:
        spec["externalIPs"] = [external_ip]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }
