"""`kubectl describe` for StatefulSets, Deployments and ReplicaSets (describe.go
describeStatefulSet, describeDeployment, describeReplicaSet, getPodStatusForController)."""

from __future__ import annotations

from typing import Any

from kubesim.printers.describe.common import (
    Context,
    Object,
    controller_of,
    format_label_selector,
    metadata,
    print_annotations_multiline,
    print_labels_multiline,
    selector_string,
)
from kubesim.printers.describe.events import describe_events, events_for
from kubesim.printers.describe.pods import describe_pod_template
from kubesim.printers.describe.volumes import describe_volume_claim_templates
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, PrefixWriter

POD_TEMPLATE_HASH = "pod-template-hash"  # appsv1.DefaultDeploymentUniqueLabelKey


def pod_status_counts(ctx: Context, owner: Object) -> str:
    """getPodStatusForController: `2 Running / 0 Waiting / 0 Succeeded / 0 Failed` among the
    pods the owner's selector matches and that it controls."""
    from kubesim.api import selectors

    md = metadata(owner)
    selector = selectors.from_label_selector((owner.get("spec") or {}).get("selector"))
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    from kubesim.store import indexes

    owned = ctx.indexed(indexes.CONTROLLER, str(md.get("uid", "")), "pods", md.get("namespace"))
    for pod in owned:
        if not selector.matches(metadata(pod).get("labels")):
            continue
        refs = metadata(pod).get("ownerReferences") or []
        ref = next((r for r in refs if r.get("controller")), None)
        if ref is None or ref.get("uid") != md.get("uid"):
            continue  # orphans and pods of other controllers
        phase = (pod.get("status") or {}).get("phase", "")
        if phase in counts:
            counts[phase] += 1
    return (
        f"{counts['Running']} Running / {counts['Pending']} Waiting / "
        f"{counts['Succeeded']} Succeeded / {counts['Failed']} Failed"
    )


def _int_or_string(value: Any) -> str:
    """intstr.IntOrString.String(); a nil pointer prints as Go's <nil>."""
    return "<nil>" if value is None else str(value)


def describe_statefulset(ctx: Context, sts: Object) -> str:
    md, spec, status = metadata(sts), sts.get("spec") or {}, sts.get("status") or {}
    events = events_for(ctx, sts)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.rfc1123z(md.get('creationTimestamp'))}\n")
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(
        LEVEL_0,
        f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('replicas', 0)} total\n",
    )
    strategy = spec.get("updateStrategy") or {}
    w.write(LEVEL_0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None and rolling.get("partition") is not None:
        w.write(LEVEL_1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(LEVEL_1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    w.write(LEVEL_0, f"Pods Status:\t{pod_status_counts(ctx, sts)}\n")
    describe_pod_template(ctx, spec.get("template"), w)
    describe_volume_claim_templates(spec.get("volumeClaimTemplates"), w)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def describe_daemonset(ctx: Context, ds: Object) -> str:
    """describeDaemonSet."""
    from kubesim.printers.columns import _node_selector

    md, spec, status = metadata(ds), ds.get("spec") or {}, ds.get("status") or {}
    events = events_for(ctx, ds)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Node-Selector:\t{_node_selector(ds, 0.0)}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    for title, field in (
        ("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
        ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
        ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ):
        w.write(LEVEL_0, f"{title}: {status.get(field, 0)}\n")
    w.write(LEVEL_0, f"Pods Status:\t{pod_status_counts(ctx, ds)}\n")
    describe_pod_template(ctx, spec.get("template"), w)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def describe_replicaset(ctx: Context, rs: Object) -> str:
    md, spec, status = metadata(rs), rs.get("spec") or {}, rs.get("status") or {}
    events = events_for(ctx, rs)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    controlled_by = controller_of(rs)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    w.write(
        LEVEL_0,
        f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired\n",
    )
    w.write(LEVEL_0, "Pods Status:\t")
    w.write(LEVEL_0, f"{pod_status_counts(ctx, rs)}\n")
    describe_pod_template(ctx, spec.get("template"), w)
    _conditions(status.get("conditions"), w)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _conditions(conditions: list[Object] | None, w: PrefixWriter) -> None:
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(LEVEL_1, "----\t------\t------\n")
        for c in conditions:
            w.write(
                LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n"
            )


def describe_deployment(ctx: Context, deployment: Object) -> str:
    md, spec = metadata(deployment), deployment.get("spec") or {}
    status = deployment.get("status") or {}
    events = events_for(ctx, deployment)
    old, new = replica_sets_of(ctx, deployment)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.rfc1123z(md.get('creationTimestamp'))}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(
        LEVEL_0,
        f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('updatedReplicas', 0)} updated"
        f" | {status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available"
        f" | {status.get('unavailableReplicas', 0)} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(LEVEL_0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(LEVEL_0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(
            LEVEL_0,
            f"RollingUpdateStrategy:\t{_int_or_string(rolling.get('maxUnavailable'))} max "
            f"unavailable, {_int_or_string(rolling.get('maxSurge'))} max surge\n",
        )
    describe_pod_template(ctx, spec.get("template"), w)
    _conditions(status.get("conditions"), w)
    if old or new:
        w.write(LEVEL_0, f"OldReplicaSets:\t{_replica_sets_text(old)}\n")
        w.write(LEVEL_0, f"NewReplicaSet:\t{_replica_sets_text(new)}\n")
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _replica_sets_text(sets: list[Object]) -> str:
    """printReplicaSetsByLabels: `name (2/2 replicas created)`, `<none>` for none."""
    parts = [
        f"{metadata(rs).get('name', '')} ({(rs.get('status') or {}).get('replicas', 0)}/"
        f"{(rs.get('spec') or {}).get('replicas', 0)} replicas created)"
        for rs in sets
    ]
    return ", ".join(parts) or "<none>"


def replica_sets_of(ctx: Context, deployment: Object) -> tuple[list[Object], list[Object]]:
    """deploymentutil.GetAllReplicaSets: (all old sets, [the new set]) the deployment controls;
    the new one is the oldest whose template equals the deployment's, ignoring the hash."""
    from kubesim.api import selectors

    md = metadata(deployment)
    selector = selectors.from_label_selector((deployment.get("spec") or {}).get("selector"))
    owned = []
    for rs in ctx.objects("replicasets.apps", md.get("namespace") or None):
        ref = next(
            (r for r in metadata(rs).get("ownerReferences") or [] if r.get("controller")), None
        )
        if selector.matches(metadata(rs).get("labels")) and ref and ref.get("uid") == md.get("uid"):
            owned.append(rs)
    owned.sort(key=lambda rs: metadata(rs).get("name", ""))  # the list's order
    by_age = sorted(owned, key=lambda rs: metadata(rs).get("creationTimestamp", ""))
    template = _without_hash((deployment.get("spec") or {}).get("template"))
    new = next(
        (rs for rs in by_age if _without_hash((rs.get("spec") or {}).get("template")) == template),
        None,
    )
    old = [rs for rs in owned if rs is not new]  # FindOldReplicaSets keeps the list's order
    return old, [new] if new is not None else []


def _without_hash(template: Any) -> Any:
    """The template with its pod-template-hash label dropped and empty values removed
    (apiequality.Semantic.DeepEqual treats nil and empty maps and slices as equal)."""
    template = _pruned(template)
    if isinstance(template, dict):
        labels = dict((template.get("metadata") or {}).get("labels") or {})
        labels.pop(POD_TEMPLATE_HASH, None)
        template = {**template, "metadata": {**(template.get("metadata") or {}), "labels": labels}}
        template = _pruned(template)
    return template


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
