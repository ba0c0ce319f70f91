"""Table columns per resource, as data, with the cell rules of printers.go.

Source: kubernetes/kubernetes pkg/printers/internalversion/printers.go (AddHandlers and the
print* functions). `wide_only` marks Priority 1 columns, shown with `-o wide`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.printers.age import age

Object = dict[str, Any]
Cell = Callable[[Object, float], str]


class Column:
    """A table column: its header, how to compute a cell, and whether only -o wide shows it."""

    __slots__ = ("header", "cell", "wide_only")

    def __init__(self, header: str, cell: Cell, wide_only: bool = False) -> None:
        self.header = header
        self.cell = cell
        self.wide_only = wide_only


def _name(obj: Object, now: float) -> str:
    return str(obj["metadata"]["name"])


def _age(obj: Object, now: float) -> str:
    return age(obj["metadata"].get("creationTimestamp"), now)


NAME = Column("NAME", _name)
AGE = Column("AGE", _age)


# --- pods (printPod) ------------------------------------------------------------------------------


def pod_status(pod: Object) -> tuple[str, int, int, int, str | None]:
    """(STATUS reason, ready containers, total containers, restarts, last restart time)."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    restartable_init = [
        c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"
    ]
    total = len(spec.get("containers") or []) + len(restartable_init)
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    restarts, ready, last_restart = 0, 0, None
    initializing = False
    init_specs = spec.get("initContainers") or []
    for i, container in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(container.get("restartCount", 0))
        state = container.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated and terminated.get("exitCode") == 0:
            continue
        if (
            container.get("started")
            and i < len(init_specs)
            and init_specs[i].get("restartPolicy") == "Always"
        ):
            ready += 1 if container.get("ready") else 0  # a started sidecar counts as the app's
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = f"Init:{terminated['reason']}"
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode')}"
        elif waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = f"Init:{waiting['reason']}"
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break
    initialized = any(
        c.get("type") == "Initialized" and c.get("status") == "True"
        for c in status.get("conditions") or []
    )
    if not initializing or initialized:
        has_running = False
        for container in reversed(status.get("containerStatuses") or []):
            restarts += int(container.get("restartCount", 0))
            last = (container.get("lastState") or {}).get("terminated") or {}
            if last.get("finishedAt") and (
                last_restart is None or last["finishedAt"] > last_restart
            ):
                last_restart = last["finishedAt"]
            state = container.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                signal = terminated.get("signal")
                reason = (
                    f"Signal:{signal}" if signal else f"ExitCode:{terminated.get('exitCode', 0)}"
                )
            elif container.get("ready") and "running" in state:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            has_ready = any(
                c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions") or []
            )
            reason = "Running" if has_ready else "NotReady"
    deleting = bool(pod["metadata"].get("deletionTimestamp"))
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason, ready, total, restarts, last_restart


def _pod_ready(pod: Object, now: float) -> str:
    _, ready, total, _, _ = pod_status(pod)
    return f"{ready}/{total}"


def _pod_status(pod: Object, now: float) -> str:
    return pod_status(pod)[0]


def _pod_restarts(pod: Object, now: float) -> str:
    _, _, _, restarts, last = pod_status(pod)
    if restarts and last:
        return f"{restarts} ({age(last, now)} ago)"
    return str(restarts)


def _pod_ip(pod: Object, now: float) -> str:
    ips = (pod.get("status") or {}).get("podIPs") or []
    return str(ips[0]["ip"]) if ips else "<none>"


def _pod_node(pod: Object, now: float) -> str:
    return str(pod["spec"].get("nodeName") or "<none>")


def _pod_nominated(pod: Object, now: float) -> str:
    return str((pod.get("status") or {}).get("nominatedNodeName") or "<none>")


def _pod_gates(pod: Object, now: float) -> str:
    gates = pod["spec"].get("readinessGates") or []
    if not gates:
        return "<none>"
    conditions = {
        c["type"]: c.get("status") for c in (pod.get("status") or {}).get("conditions") or []
    }
    passing = sum(1 for g in gates if conditions.get(g.get("conditionType")) == "True")
    return f"{passing}/{len(gates)}"


# --- services (printService) ------------------------------------------------------------------


def _svc_type(svc: Object, now: float) -> str:
    return str(svc["spec"].get("type", "ClusterIP"))


def _svc_cluster_ip(svc: Object, now: float) -> str:
    ips = svc["spec"].get("clusterIPs") or []
    return str(ips[0]) if ips else "<none>"


def _svc_external_ip(svc: Object, now: float) -> str:
    spec = svc["spec"]
    kind = spec.get("type", "ClusterIP")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(spec.get("externalIPs") or []) or "<none>"
    if kind == "LoadBalancer":
        ingress = (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or []
        addresses = [i.get("ip") or i.get("hostname") for i in ingress] + list(
            spec.get("externalIPs") or []
        )
        return ",".join(a for a in addresses if a) or "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


def _svc_ports(svc: Object, now: float) -> str:
    parts = []
    for port in svc["spec"].get("ports") or []:
        protocol = port.get("protocol", "TCP")
        if port.get("nodePort"):
            parts.append(f"{port['port']}:{port['nodePort']}/{protocol}")
        else:
            parts.append(f"{port['port']}/{protocol}")
    return ",".join(parts) or "<none>"


def _selector(selector: dict[str, str] | None) -> str:
    if not selector:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


def _svc_selector(svc: Object, now: float) -> str:
    return _selector(svc["spec"].get("selector"))


# --- workloads ---------------------------------------------------------------------------------


def _sts_ready(sts: Object, now: float) -> str:
    status = sts.get("status") or {}
    return f"{status.get('readyReplicas', 0)}/{sts['spec'].get('replicas', 1)}"


def _containers(obj: Object, now: float) -> str:
    spec = obj["spec"]["template"]["spec"]
    return ",".join(c["name"] for c in spec.get("containers") or [])


def _images(obj: Object, now: float) -> str:
    spec = obj["spec"]["template"]["spec"]
    return ",".join(c.get("image", "") for c in spec.get("containers") or [])


def _label_selector(obj: Object, now: float) -> str:
    """metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty."""
    from kubesim.api import selectors

    text = str(selectors.from_label_selector(obj["spec"].get("selector") or {}))
    return text or "<none>"


def _deploy_ready(d: Object, now: float) -> str:
    status = d.get("status") or {}
    return f"{status.get('readyReplicas', 0)}/{d['spec'].get('replicas', 1)}"


def _node_selector(obj: Object, now: float) -> str:
    """labels.FormatLabels of the template's nodeSelector."""
    return _selector(obj["spec"]["template"]["spec"].get("nodeSelector"))


def _revision_controller(rev: Object, now: float) -> str:
    for ref in rev["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            group = ref["apiVersion"].rpartition("/")[0]
            kind = ref["kind"].lower()
            return f"{kind}.{group}/{ref['name']}" if group else f"{kind}/{ref['name']}"
    return "<none>"


# --- endpoints and slices ------------------------------------------------------------------------


def _truncated(items: list[str], count: int, limit: int = 3) -> str:
    text = ",".join(items[:limit])
    return f"{text} + {count - limit} more..." if count > limit else text


def _endpoints(ep: Object, now: float) -> str:
    """formatEndpoints: ip:port per address and port, at most 3."""
    subsets = ep.get("subsets") or []
    if not subsets:
        return "<none>"
    items: list[str] = []
    count = 0
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            items += [a["ip"] for a in addresses]
            continue
        for port in ports:
            count += len(addresses)
            items += [f"{a['ip']}:{port['port']}" for a in addresses]
    return _truncated(items, count)


def _slice_ports(es: Object, now: float) -> str:
    ports = es.get("ports")
    if not ports:
        return "<unset>"
    names = [str(p["port"]) if p.get("port") is not None else (p.get("name") or "*") for p in ports]
    return _truncated(names, len(names))


def _slice_endpoints(es: Object, now: float) -> str:
    addresses = [a for e in es.get("endpoints") or [] for a in e.get("addresses") or []]
    if not addresses:
        return "<unset>"
    return _truncated(addresses, len(addresses))


# --- storage (printPersistentVolumeClaim, printPersistentVolume, printStorageClass) ----------


def access_modes(modes: list[str] | None) -> str:
    """GetAccessModesAsString: abbreviations in a fixed order."""
    present = set(modes or [])
    order = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
             ("ReadWriteOncePod", "RWOP"))  # fmt: skip
    return ",".join(short for mode, short in order if mode in present)


def _storage_phase(obj: Object, now: float) -> str:
    if obj["metadata"].get("deletionTimestamp"):
        return "Terminating"
    return str((obj.get("status") or {}).get("phase", ""))


def _claim_capacity(pvc: Object, now: float) -> str:
    if not pvc["spec"].get("volumeName"):
        return ""
    return str(((pvc.get("status") or {}).get("capacity") or {}).get("storage", ""))


def _claim_access_modes(pvc: Object, now: float) -> str:
    if not pvc["spec"].get("volumeName"):
        return ""
    return access_modes((pvc.get("status") or {}).get("accessModes"))


def _unset(path: str) -> Cell:
    inner = _field(path)
    return lambda obj, now: inner(obj, now) or "<unset>"


def _volume_claim(pv: Object, now: float) -> str:
    ref = pv["spec"].get("claimRef")
    return f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""


def _class_name(sc: Object, now: float) -> str:
    annotations = sc["metadata"].get("annotations") or {}
    default = annotations.get("storageclass.kubernetes.io/is-default-class") == "true"
    return str(sc["metadata"]["name"]) + (" (default)" if default else "")


def _secrets(obj: Object, now: float) -> str:
    return str(len(obj.get("secrets") or []))


def _config_data(cm: Object, now: float) -> str:
    return str(len(cm.get("data") or {}) + len(cm.get("binaryData") or {}))


def _secret_data(secret: Object, now: float) -> str:
    return str(len(secret.get("data") or {}))


# --- jobs and cron jobs (printJob, printCronJob) --------------------------------------------------


def _has_condition(job: Object, kind: str) -> bool:
    return any(
        c.get("type") == kind and c.get("status") == "True"
        for c in (job.get("status") or {}).get("conditions") or []
    )


def _job_status(job: Object, now: float) -> str:
    if _has_condition(job, "Complete"):
        return "Complete"
    if _has_condition(job, "Failed"):
        return "Failed"
    if job["metadata"].get("deletionTimestamp"):
        return "Terminating"
    if _has_condition(job, "Suspended"):
        return "Suspended"
    if _has_condition(job, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _job_completions(job: Object, now: float) -> str:
    spec, status = job.get("spec") or {}, job.get("status") or {}
    succeeded = int(status.get("succeeded", 0))
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = int(spec.get("parallelism") or 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _job_duration(job: Object, now: float) -> str:
    from kubesim.api.meta import parse_time
    from kubesim.printers.age import human_duration

    status = job.get("status") or {}
    if not status.get("startTime"):
        return ""
    start = parse_time(status["startTime"])
    if not status.get("completionTime"):
        return human_duration(now - start)
    return human_duration(parse_time(status["completionTime"]) - start)


def _cron_job_template(cj: Object) -> Object:
    return ((cj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}


def _cron_job_containers(cj: Object, now: float) -> str:
    spec = (_cron_job_template(cj).get("template") or {}).get("spec") or {}
    return ",".join(c["name"] for c in spec.get("containers") or [])


def _cron_job_images(cj: Object, now: float) -> str:
    spec = (_cron_job_template(cj).get("template") or {}).get("spec") or {}
    return ",".join(c.get("image", "") for c in spec.get("containers") or [])


def _cron_job_selector(cj: Object, now: float) -> str:
    from kubesim.api import selectors

    return str(selectors.from_label_selector(_cron_job_template(cj).get("selector") or {})) or (
        "<none>"
    )


def _cron_job_suspend(cj: Object, now: float) -> str:
    suspend = (cj.get("spec") or {}).get("suspend")
    return "<unset>" if suspend is None else ("True" if suspend else "False")


def _cron_job_last_schedule(cj: Object, now: float) -> str:
    last = (cj.get("status") or {}).get("lastScheduleTime")
    return age(last, now) if last else "<none>"


# --- cluster objects ------------------------------------------------------------------------------


def _phase(obj: Object, now: float) -> str:
    return str((obj.get("status") or {}).get("phase", ""))


def _node_status(node: Object, now: float) -> str:
    states = []
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            states.append("Ready" if c.get("status") == "True" else "NotReady")
    if not states:
        states.append("Unknown")
    if node["spec"].get("unschedulable"):
        states.append("SchedulingDisabled")
    return ",".join(states)


def _node_roles(node: Object, now: float) -> str:
    roles = set()
    for key, value in (node["metadata"].get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            roles.add(key.removeprefix("node-role.kubernetes.io/"))
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(r for r in roles if r)) or "<none>"


def _node_info(field: str) -> Cell:
    return lambda node, now: str(
        (node.get("status") or {}).get("nodeInfo", {}).get(field) or "<unknown>"
    )


def _node_address(kind: str) -> Cell:
    def cell(node: Object, now: float) -> str:
        for address in (node.get("status") or {}).get("addresses") or []:
            if address.get("type") == kind:
                return str(address["address"])
        return "<none>"

    return cell


# --- events (printEvent) --------------------------------------------------------------------------


def _event_last_seen(ev: Object, now: float) -> str:
    stamp = ev.get("lastTimestamp") or ev.get("firstTimestamp") or ev.get("eventTime")
    return age(stamp, now)


def _event_first_seen(ev: Object, now: float) -> str:
    return age(ev.get("firstTimestamp") or ev.get("eventTime"), now)


def _event_object(ev: Object, now: float) -> str:
    ref = ev.get("involvedObject") or {}
    kind = str(ref.get("kind", "")).lower()
    return f"{kind}/{ref['name']}" if ref.get("name") else kind


def _event_source(ev: Object, now: float) -> str:
    source = ev.get("source") or {}
    component = source.get("component") or ev.get("reportingComponent") or ""
    host = source.get("host") or ""
    if host:
        return f"{component}, {host}"
    return str(component)


def _field(path: str, default: str = "") -> Cell:
    def cell(obj: Object, now: float) -> str:
        value: Any = obj
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return default if value is None else str(value)

    return cell


COLUMNS: dict[str, list[Column]] = {
    "pods": [
        NAME,
        Column("READY", _pod_ready),
        Column("STATUS", _pod_status),
        Column("RESTARTS", _pod_restarts),
        AGE,
        Column("IP", _pod_ip, wide_only=True),
        Column("NODE", _pod_node, wide_only=True),
        Column("NOMINATED NODE", _pod_nominated, wide_only=True),
        Column("READINESS GATES", _pod_gates, wide_only=True),
    ],
    "services": [
        NAME,
        Column("TYPE", _svc_type),
        Column("CLUSTER-IP", _svc_cluster_ip),
        Column("EXTERNAL-IP", _svc_external_ip),
        Column("PORT(S)", _svc_ports),
        AGE,
        Column("SELECTOR", _svc_selector, wide_only=True),
    ],
    "statefulsets.apps": [
        NAME,
        Column("READY", _sts_ready),
        AGE,
        Column("CONTAINERS", _containers, wide_only=True),
        Column("IMAGES", _images, wide_only=True),
    ],
    "deployments.apps": [
        NAME,
        Column("READY", _deploy_ready),
        Column("UP-TO-DATE", _field("status.updatedReplicas", "0")),
        Column("AVAILABLE", _field("status.availableReplicas", "0")),
        AGE,
        Column("CONTAINERS", _containers, wide_only=True),
        Column("IMAGES", _images, wide_only=True),
        Column("SELECTOR", _label_selector, wide_only=True),
    ],
    "daemonsets.apps": [
        NAME,
        Column("DESIRED", _field("status.desiredNumberScheduled", "0")),
        Column("CURRENT", _field("status.currentNumberScheduled", "0")),
        Column("READY", _field("status.numberReady", "0")),
        Column("UP-TO-DATE", _field("status.updatedNumberScheduled", "0")),
        Column("AVAILABLE", _field("status.numberAvailable", "0")),
        Column("NODE SELECTOR", _node_selector),
        AGE,
        Column("CONTAINERS", _containers, wide_only=True),
        Column("IMAGES", _images, wide_only=True),
        Column("SELECTOR", _label_selector, wide_only=True),
    ],
    "replicasets.apps": [
        NAME,
        Column("DESIRED", _field("spec.replicas", "0")),
        Column("CURRENT", _field("status.replicas", "0")),
        Column("READY", _field("status.readyReplicas", "0")),
        AGE,
        Column("CONTAINERS", _containers, wide_only=True),
        Column("IMAGES", _images, wide_only=True),
        Column("SELECTOR", _label_selector, wide_only=True),
    ],
    "controllerrevisions.apps": [
        NAME,
        Column("CONTROLLER", _revision_controller),
        Column("REVISION", _field("revision", "0")),
        AGE,
    ],
    "endpoints": [NAME, Column("ENDPOINTS", _endpoints), AGE],
    "endpointslices.discovery.k8s.io": [
        NAME,
        Column("ADDRESSTYPE", _field("addressType")),
        Column("PORTS", _slice_ports),
        Column("ENDPOINTS", _slice_endpoints),
        AGE,
    ],
    "persistentvolumeclaims": [
        NAME,
        Column("STATUS", _storage_phase),
        Column("VOLUME", _field("spec.volumeName")),
        Column("CAPACITY", _claim_capacity),
        Column("ACCESS MODES", _claim_access_modes),
        Column("STORAGECLASS", _field("spec.storageClassName")),
        Column("VOLUMEATTRIBUTESCLASS", _unset("spec.volumeAttributesClassName")),
        AGE,
        Column("VOLUMEMODE", _unset("spec.volumeMode"), wide_only=True),
    ],
    "persistentvolumes": [
        NAME,
        Column("CAPACITY", _field("spec.capacity.storage")),
        Column("ACCESS MODES", lambda pv, now: access_modes(pv["spec"].get("accessModes"))),
        Column("RECLAIM POLICY", _field("spec.persistentVolumeReclaimPolicy")),
        Column("STATUS", _storage_phase),
        Column("CLAIM", _volume_claim),
        Column("STORAGECLASS", _field("spec.storageClassName")),
        Column("VOLUMEATTRIBUTESCLASS", _unset("spec.volumeAttributesClassName")),
        Column("REASON", _field("status.reason")),
        AGE,
        Column("VOLUMEMODE", _unset("spec.volumeMode"), wide_only=True),
    ],
    "storageclasses.storage.k8s.io": [
        Column("NAME", _class_name),
        Column("PROVISIONER", _field("provisioner")),
        Column("RECLAIMPOLICY", _field("reclaimPolicy", "Delete")),
        Column("VOLUMEBINDINGMODE", _field("volumeBindingMode", "Immediate")),
        Column(
            "ALLOWVOLUMEEXPANSION",
            lambda sc, now: "true" if sc.get("allowVolumeExpansion") else "false",
        ),
        AGE,
    ],
    "componentstatuses": [
        NAME,
        Column("STATUS", lambda cs, now: _component_condition(cs)[0]),
        Column("MESSAGE", lambda cs, now: _component_condition(cs)[1]),
        Column("ERROR", lambda cs, now: _component_condition(cs)[2]),
    ],
    "configmaps": [NAME, Column("DATA", _config_data), AGE],
    "secrets": [NAME, Column("TYPE", _field("type")), Column("DATA", _secret_data), AGE],
    "jobs.batch": [
        NAME,
        Column("STATUS", _job_status),
        Column("COMPLETIONS", _job_completions),
        Column("DURATION", _job_duration),
        AGE,
        Column("CONTAINERS", _containers, wide_only=True),
        Column("IMAGES", _images, wide_only=True),
        Column("SELECTOR", _label_selector, wide_only=True),
    ],
    "cronjobs.batch": [
        NAME,
        Column("SCHEDULE", _field("spec.schedule")),
        Column("TIMEZONE", _field("spec.timeZone", "<none>")),
        Column("SUSPEND", _cron_job_suspend),
        Column("ACTIVE", lambda cj, now: str(len((cj.get("status") or {}).get("active") or []))),
        Column("LAST SCHEDULE", _cron_job_last_schedule),
        AGE,
        Column("CONTAINERS", _cron_job_containers, wide_only=True),
        Column("IMAGES", _cron_job_images, wide_only=True),
        Column("SELECTOR", _cron_job_selector, wide_only=True),
    ],
    "leases.coordination.k8s.io": [NAME, Column("HOLDER", _field("spec.holderIdentity")), AGE],
    "priorityclasses.scheduling.k8s.io": [
        NAME,
        Column("VALUE", _field("value", "0")),
        Column("GLOBAL-DEFAULT", lambda pc, now: "true" if pc.get("globalDefault") else "false"),
        AGE,
        Column("PREEMPTIONPOLICY", _field("preemptionPolicy")),
    ],
    "serviceaccounts": [NAME, Column("SECRETS", _secrets), AGE],
    "namespaces": [NAME, Column("STATUS", _phase), AGE],
    "nodes": [
        NAME,
        Column("STATUS", _node_status),
        Column("ROLES", _node_roles),
        AGE,
        Column("VERSION", _node_info("kubeletVersion")),
        Column("INTERNAL-IP", _node_address("InternalIP"), wide_only=True),
        Column("EXTERNAL-IP", _node_address("ExternalIP"), wide_only=True),
        Column("OS-IMAGE", _node_info("osImage"), wide_only=True),
        Column("KERNEL-VERSION", _node_info("kernelVersion"), wide_only=True),
        Column("CONTAINER-RUNTIME", _node_info("containerRuntimeVersion"), wide_only=True),
    ],
    "events": [
        Column("LAST SEEN", _event_last_seen),
        Column("TYPE", _field("type")),
        Column("REASON", _field("reason")),
        Column("OBJECT", _event_object),
        Column("SUBOBJECT", _field("involvedObject.fieldPath"), wide_only=True),
        Column("SOURCE", _event_source, wide_only=True),
        Column("MESSAGE", lambda ev, now: str(ev.get("message", "")).strip()),
        Column("FIRST SEEN", _event_first_seen, wide_only=True),
        Column("COUNT", _field("count", "1"), wide_only=True),
        Column("NAME", _name, wide_only=True),
    ],
}


def _component_condition(cs: Object) -> tuple[str, str, str]:
    """printComponentStatus: the Healthy condition's status, message and error."""
    for condition in cs.get("conditions") or []:
        if condition.get("type") == "Healthy":
            status = "Healthy" if condition.get("status") == "True" else "Unhealthy"
            return status, str(condition.get("message", "")), str(condition.get("error", ""))
    return "Unknown", "", ""


def columns_for(resource: str, wide: bool) -> list[Column]:
    """The columns kubectl shows for `resource`; NAME and AGE only for kinds without a printer."""
    columns = COLUMNS.get(resource, [NAME, AGE])
    return [c for c in columns if wide or not c.wide_only]
