"""`kubectl describe` for Nodes and Namespaces (describe.go describeNode,
describeNodeResource, describeNamespace)."""

from __future__ import annotations

from kubesim.api import meta, quantity
from kubesim.api.quantity import pod_requests_and_limits
from kubesim.printers.describe.common import (
    Context,
    Object,
    format_rfc1123z,
    metadata,
    print_annotations_multiline,
    print_labels_multiline,
    print_taints_multiline,
)
from kubesim.printers.describe.events import Reference, describe_events, events_for, search
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter, Writer

NODE_ROLE_PREFIX = "node-role.kubernetes.io/"  # LabelNodeRolePrefix
NODE_ROLE_LABEL = "kubernetes.io/role"  # NodeLabelRole
LEASE_RENEW_SECONDS = 10  # the kubelet renews its node lease every leaseDuration/4 = 10s


def node_roles(node: Object) -> list[str]:
    """findNodeRoles: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values."""
    roles = set()
    for key, value in (metadata(node).get("labels") or {}).items():
        if key.startswith(NODE_ROLE_PREFIX) and key[len(NODE_ROLE_PREFIX) :]:
            roles.add(key[len(NODE_ROLE_PREFIX) :])
        elif key == NODE_ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def describe_node(ctx: Context, node: Object) -> str:
    md, spec, status = metadata(node), node.get("spec") or {}, node.get("status") or {}
    name = str(md.get("name", ""))
    from kubesim.store import indexes

    pods = [
        p
        for p in ctx.indexed(indexes.NODE, name, "pods", None)
        if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
    ]
    events = None
    if ctx.show_events:
        # NodeDescriber: events by the node's uid (controllers) and by its name (the kubelet)
        events = search(ctx, Reference(name, "", "Node", md.get("uid") or None))
        events += search(ctx, Reference(name, "", "Node", name))
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{name}\n")
    w.write(LEVEL_0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.rfc1123z(md.get('creationTimestamp'))}\n")
    print_taints_multiline(w, "Taints", spec.get("taints"))
    w.write(LEVEL_0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    _lease(ctx, node, w)
    conditions = status.get("conditions") or []
    if conditions:
        w.write(
            LEVEL_0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        )
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t"
                f"{ctx.rfc1123z(c.get('lastHeartbeatTime'))} \t"
                f"{ctx.rfc1123z(c.get('lastTransitionTime'))} \t"
                f"{c.get('reason', '')} \t{c.get('message', '')}\n",
            )
    w.write(LEVEL_0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(LEVEL_1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for field, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        resources = status.get(field) or {}
        if resources:
            w.write(LEVEL_0, f"{title}:\n")
            for resource in sorted(resources):
                w.write(LEVEL_0, f"  {resource}:\t{quantity.canonical(resources[resource])}\n")
    info = status.get("nodeInfo") or {}
    w.write(LEVEL_0, "System Info:\n")
    for label, field in (
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ):
        w.write(LEVEL_0, f"  {label}:\t{info.get(field, '')}\n")
    if spec.get("podCIDR"):
        w.write(LEVEL_0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(LEVEL_0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(LEVEL_0, f"ProviderID:\t{spec['providerID']}\n")
    _node_resources(ctx, node, pods, w)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _lease(ctx: Context, node: Object, w: Writer) -> None:
    """describeNodeLease for the node's Lease in kube-node-lease.

    kubesim keeps no Lease objects; the lease a kubelet would hold is derived from the node:
    held by the node's name, never acquired by another holder, renewed every 10 seconds.
    """
    md = metadata(node)
    w.write(LEVEL_0, "Lease:\n")
    w.write(LEVEL_1, f"HolderIdentity:\t{md.get('name', '')}\n")
    w.write(LEVEL_1, "AcquireTime:\t<unset>\n")
    created = md.get("creationTimestamp")
    if not created:
        w.write(LEVEL_1, "RenewTime:\t<unset>\n")
        return
    start = meta.parse_time(created)
    renewed = start + max(0, int(ctx.now - start)) // LEASE_RENEW_SECONDS * LEASE_RENEW_SECONDS
    w.write(LEVEL_1, f"RenewTime:\t{format_rfc1123z(renewed, local=ctx.local_time)}\n")


def _percent(part: quantity.Quantity, whole: int, *, milli: bool) -> int:
    """int64(float64(part) / float64(whole) * 100), truncated toward zero."""
    if whole == 0:
        return 0
    amount = part.milli_value() if milli else part.int_value()
    return int(amount / whole * 100)


def _node_resources(ctx: Context, node: Object, pods: list[Object], w: Writer) -> None:
    """describeNodeResource: the non-terminated pods with their requests, then the totals."""
    status = node.get("status") or {}
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    cpu = quantity.parse(allocatable.get("cpu")).milli_value()
    memory = quantity.parse(allocatable.get("memory")).int_value()
    storage = quantity.parse(allocatable.get("ephemeral-storage")).int_value()
    zero = quantity.Quantity()
    w.write(LEVEL_0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    )
    w.write(
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    )
    for pod in pods:
        req, lim = pod_requests_and_limits(pod)
        cells = [
            f"{q} ({_percent(q, whole, milli=milli)}%)"
            for q, whole, milli in (
                (req.get("cpu", zero), cpu, True),
                (lim.get("cpu", zero), cpu, True),
                (req.get("memory", zero), memory, False),
                (lim.get("memory", zero), memory, False),
            )
        ]
        pmd = metadata(pod)
        w.write(
            LEVEL_1,
            f"{pmd.get('namespace', '')}\t{pmd.get('name', '')}\t\t{cells[0]}\t{cells[1]}\t"
            f"{cells[2]}\t{cells[3]}\t{ctx.since(pmd.get('creationTimestamp'))}\n",
        )
    w.write(
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    )
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")
    requests: dict[str, quantity.Quantity] = {}
    limits: dict[str, quantity.Quantity] = {}
    for pod in pods:
        req, lim = pod_requests_and_limits(pod)
        for name, amount in req.items():
            requests[name] = requests[name] + amount if name in requests else amount
        for name, amount in lim.items():
            limits[name] = limits[name] + amount if name in limits else amount
    for name, whole, milli in (("cpu", cpu, True), ("memory", memory, False),
                               ("ephemeral-storage", storage, False)):  # fmt: skip
        _allocated_row(w, name, requests.get(name, zero), limits.get(name, zero), whole, milli)
    huge_pages = sorted(r for r in allocatable if r.startswith("hugepages-"))
    standard = ("cpu", "memory", "ephemeral-storage", "pods")
    extended = sorted(
        r for r in allocatable if not r.startswith("hugepages-") and r not in standard
    )
    for name in huge_pages:
        whole = quantity.parse(allocatable[name]).int_value()
        _allocated_row(w, name, requests.get(name, zero), limits.get(name, zero), whole, False)
    for name in extended:
        w.write(LEVEL_1, f"{name}\t{requests.get(name, zero)}\t{limits.get(name, zero)}\n")


def _allocated_row(
    w: Writer,
    name: str,
    requests: quantity.Quantity,
    limits: quantity.Quantity,
    whole: int,
    milli: bool,
) -> None:
    r, lm = _percent(requests, whole, milli=milli), _percent(limits, whole, milli=milli)
    w.write(LEVEL_1, f"{name}\t{requests} ({r}%)\t{limits} ({lm}%)\n")


def describe_namespace(ctx: Context, namespace: Object) -> str:
    """describeNamespace: status and conditions; kubesim serves no ResourceQuotas or
    LimitRanges, so their lists are the empty ones a cluster without any returns."""
    md, status = metadata(namespace), namespace.get("status") or {}
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                LEVEL_1,
                f"{c.get('type', '')}\t{c.get('status', '')}\t"
                f"{ctx.rfc1123z(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t"
                f"{c.get('message', '')}\n",
            )
    w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "No resource quota.\n")
    w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "No LimitRange resource.\n")
    return w.text()


def describe_service_account(ctx: Context, account: Object) -> str:
    """ServiceAccountDescriber: its pull secrets, mountable secrets and token Secrets (kubesim
    keeps no Secrets, so an account's secrets are the names it lists)."""
    md = metadata(account)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    lists = {  # headers padded as describe.go pads them, printed in sorted order
        "Image pull secrets:": [s.get("name", "") for s in account.get("imagePullSecrets") or []],
        "Mountable secrets: ": [s.get("name", "") for s in account.get("secrets") or []],
        "Tokens:            ": [],
    }
    for header in sorted(lists):
        names = lists[header] or ["<none>"]
        prefix = header
        for name in names:
            w.write(LEVEL_0, f"{prefix}\t{name}\n")
            prefix = " " * len(header)
    events = events_for(ctx, account)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()
