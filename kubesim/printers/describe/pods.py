"""`kubectl describe pod` and the pod template block of the workload describers
(describe.go describePod, DescribePodTemplate, qos.GetPodQOS)."""

from __future__ import annotations

from collections.abc import Sequence

from kubesim.api import quantity
from kubesim.printers.describe.common import (
    Context,
    Object,
    controller_of,
    format_label_selector,
    print_annotations_multiline,
    print_labels_multiline,
    print_tolerations_multiline,
)
from kubesim.printers.describe.containers import (
    EnvResolver,
    describe_containers,
    describe_resources,
)
from kubesim.printers.describe.events import Reference, describe_events, search
from kubesim.printers.describe.volumes import describe_volumes
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter, Writer

MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"


def describe_pod(ctx: Context, pod: Object) -> str:
    """The text of `kubectl describe pod` for one pod."""
    md, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    events = None
    if ctx.show_events:
        # PodDescriber: the reference without its kind, a mirror pod's events by its source uid
        uid = (md.get("annotations") or {}).get(MIRROR_POD_ANNOTATION) or md.get("uid")
        ref = Reference(md.get("name", ""), md.get("namespace") or "", None, uid or None)
        events = search(ctx, ref)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(LEVEL_0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(LEVEL_0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(LEVEL_0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(LEVEL_0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(LEVEL_0, "Node:\t<none>\n")
    else:
        w.write(LEVEL_0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{ctx.rfc1123z(status['startTime'])}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    phase = status.get("phase", "")
    if md.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {ctx.since(md['deletionTimestamp'])})\n")
        w.write(LEVEL_0, f"Termination Grace Period:\t{md.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(LEVEL_0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(LEVEL_0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(LEVEL_0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(LEVEL_0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(LEVEL_0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(LEVEL_0, f"IP:\t{status.get('podIP', '')}\n")
    _pod_ips(status, w)
    controlled_by = controller_of(pod)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(LEVEL_0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(LEVEL_0, "Resources:\n")
        describe_resources(spec["resources"], w, LEVEL_1)
    resolver = env_resolver(pod)
    if spec.get("initContainers"):
        describe_containers(ctx, "Init Containers", spec["initContainers"],
                            status.get("initContainerStatuses"), resolver, w, "")  # fmt: skip
    describe_containers(ctx, "Containers", spec.get("containers") or [],
                        status.get("containerStatuses"), resolver, w, "")  # fmt: skip
    if spec.get("ephemeralContainers"):
        describe_containers(ctx, "Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses"), resolver, w, "")  # fmt: skip
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            kind = gate.get("conditionType", "")
            found = next(
                (c.get("status", "") for c in conditions if c.get("type") == kind), "<none>"
            )
            w.write(LEVEL_1, f"{kind} \t{found} \n")
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
        for condition in conditions:
            w.write(LEVEL_1, f"{condition.get('type', '')} \t{condition.get('status', '')} \n")
    describe_volumes(spec.get("volumes"), w, "")
    w.write(LEVEL_0, f"QoS Class:\t{pod_qos(pod)}\n")
    print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    describe_topology_spread(spec.get("topologySpreadConstraints"), w, "")
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _pod_ips(status: Object, w: Writer) -> None:
    ips = status.get("podIPs") or []
    if not ips:
        w.write(LEVEL_0, "IPs:\t<none>\n")
        return
    w.write(LEVEL_0, "IPs:\n")
    for ip in ips:
        w.write(LEVEL_1, f"IP:\t{ip.get('ip', '')}\n")


def describe_topology_spread(constraints: Sequence[Object] | None, w: Writer, space: str) -> None:
    """describeTopologySpreadConstraints: one line per constraint, sorted by topologyKey."""
    if not constraints:
        return
    w.write(LEVEL_0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda c: str(c.get("topologyKey", "")))):
        if i != 0:
            w.write(LEVEL_0, space)
            w.write(LEVEL_0, "\t")
        text = (
            f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')}"
            f" when max skew {tsc.get('maxSkew', 0)} is exceeded"
        )
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(tsc['labelSelector'])}"
        w.write(LEVEL_0, text + "\n")


def describe_pod_template(ctx: Context, template: Object | None, w: Writer) -> None:
    """DescribePodTemplate: labels, containers (no status), volumes, node selectors."""
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    md, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels_multiline(w, "  Labels", md.get("labels"))
    if md.get("annotations"):
        print_annotations_multiline(w, "  Annotations", md["annotations"])
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(ctx, "Init Containers", spec["initContainers"], None, None, w, "  ")
    describe_containers(ctx, "Containers", spec.get("containers") or [], None, None, w, "  ")
    describe_volumes(spec.get("volumes"), w, "  ")
    describe_topology_spread(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))


def pod_qos(pod: Object) -> str:
    """qos.GetPodQOS: status.qosClass when set, else ComputePodQOS from cpu/memory resources."""
    recorded = (pod.get("status") or {}).get("qosClass")
    if recorded:
        return str(recorded)
    spec = pod.get("spec") or {}
    requests: dict[str, quantity.Quantity] = {}
    limits: dict[str, quantity.Quantity] = {}
    guaranteed = True
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        resources = container.get("resources") or {}
        for name, value in (resources.get("requests") or {}).items():
            amount = quantity.parse(value)
            if name in ("cpu", "memory") and amount.value > 0:
                requests[name] = requests[name] + amount if name in requests else amount
        found = set()
        for name, value in (resources.get("limits") or {}).items():
            amount = quantity.parse(value)
            if name in ("cpu", "memory") and amount.value > 0:
                found.add(name)
                limits[name] = limits[name] + amount if name in limits else amount
        if not {"cpu", "memory"} <= found:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(name in limits and limits[name] == req for name, req in requests.items()):
        if len(requests) == len(limits):
            return "Guaranteed"
    return "Burstable"


def env_resolver(pod: Object) -> EnvResolver:
    """EnvValueRetriever: a fieldRef's value from the pod (kubectl's fieldpath handles metadata
    only, so `spec.nodeName` or `status.podIP` resolve to "")."""
    md = pod.get("metadata") or {}

    def resolve(field: Object) -> str:
        path = str(field.get("fieldPath", ""))
        for section in ("labels", "annotations"):
            prefix = f"metadata.{section}["
            if path.startswith(prefix) and path.endswith("]"):
                key = path[len(prefix) : -1].strip("'\"")
                return str((md.get(section) or {}).get(key, ""))
            if path == f"metadata.{section}":
                values = md.get(section) or {}
                return "\n".join(f'{k}="{v}"' for k, v in sorted(values.items()))
        if path in ("metadata.name", "metadata.namespace", "metadata.uid"):
            return str(md.get(path.split(".", 1)[1], ""))
        return ""

    return resolve
