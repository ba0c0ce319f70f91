"""What kubectl rollout prints, pure: the status viewers (rollout_status.go) and the history
viewers (history.go) with the pod template as describe prints it.

Errors are UsageErrors carrying kubectl's text (printed as `error: ...`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any

from kubesim.api.errors import UsageError
from kubesim.api.kinds import Kind
from kubesim.controllers import deployment_utils as util
from kubesim.kubectl.rollout import revision_template

Object = dict[str, Any]

CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
MAX_ANNOTATION_LEN = 140  # describe.go maxAnnotationLen
_SKIP_ANNOTATIONS = {util.LAST_APPLIED_ANNOTATION}  # describe's skipAnnotations


def _has_viewer(kind: Kind) -> bool:
    return kind.group == "apps" and kind.kind in ("Deployment", "StatefulSet", "DaemonSet")


# --- status (polymorphichelpers/rollout_status.go) ----------------------------------------------


def check_status_viewer(kind: Kind) -> None:
    """StatusViewerFor: only deployments and statefulsets (and daemon sets) have one."""
    if not _has_viewer(kind):
        raise UsageError(f"no status viewer has been implemented for {kind.group_kind}")


def rollout_status(kind: Kind, obj: Mapping[str, Any], revision: int = 0) -> tuple[str, bool]:
    """(message, done) for the object's rollout; UsageError when it cannot complete."""
    check_status_viewer(kind)
    if kind.kind == "Deployment":
        return deployment_status(obj, revision)
    if kind.kind == "DaemonSet":
        return daemonset_status(obj)
    return statefulset_status(obj)


def daemonset_status(ds: Mapping[str, Any]) -> tuple[str, bool]:
    """DaemonSetStatusViewer.Status."""
    name = ds["metadata"]["name"]
    status = ds.get("status") or {}
    if (ds["spec"].get("updateStrategy") or {}).get("type") != "RollingUpdate":
        raise UsageError("rollout status is only available for RollingUpdate strategy type")
    if int(ds["metadata"].get("generation", 0)) > int(status.get("observedGeneration", 0)):
        return "Waiting for daemon set spec update to be observed...\n", False
    desired = int(status.get("desiredNumberScheduled", 0))
    updated = int(status.get("updatedNumberScheduled", 0))
    available = int(status.get("numberAvailable", 0))
    if updated < desired:
        return (
            f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} '
            "new pods have been updated...\n",
            False,
        )
    if available < desired:
        return (
            f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} '
            "updated pods are available...\n",
            False,
        )
    return f'daemon set "{name}" successfully rolled out\n', True


def deployment_status(d: Mapping[str, Any], revision: int = 0) -> tuple[str, bool]:
    """DeploymentStatusViewer.Status."""
    name = d["metadata"]["name"]
    status = d.get("status") or {}
    if revision > 0:
        try:
            current = util.revision(d)
        except ValueError as err:
            raise UsageError(f'cannot get the revision of deployment "{name}": {err}') from None
        if revision != current:
            raise UsageError(
                f"desired revision ({revision}) is different from the running revision ({current})"
            )
    if int(d["metadata"].get("generation", 0)) > int(status.get("observedGeneration", 0)):
        return "Waiting for deployment spec update to be observed...\n", False
    condition = util.get_condition(status, "Progressing")
    if condition is not None and condition.get("reason") == util.TIMED_OUT_REASON:
        raise UsageError(f'deployment "{name}" exceeded its progress deadline')
    replicas = d["spec"].get("replicas")
    updated = int(status.get("updatedReplicas", 0))
    total = int(status.get("replicas", 0))
    available = int(status.get("availableReplicas", 0))
    if replicas is not None and updated < int(replicas):
        return (
            f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} '
            "new replicas have been updated...\n",
            False,
        )
    if total > updated:
        return (
            f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas '
            "are pending termination...\n",
            False,
        )
    if available < updated:
        return (
            f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} '
            "updated replicas are available...\n",
            False,
        )
    return f'deployment "{name}" successfully rolled out\n', True


def statefulset_status(sts: Mapping[str, Any]) -> tuple[str, bool]:
    """StatefulSetStatusViewer.Status."""
    spec, status = sts["spec"], sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type") != "RollingUpdate":
        raise UsageError("rollout status is only available for RollingUpdate strategy type")
    observed = int(status.get("observedGeneration", 0))
    if observed == 0 or int(sts["metadata"].get("generation", 0)) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = spec.get("replicas")
    ready = int(status.get("readyReplicas", 0))
    updated = int(status.get("updatedReplicas", 0))
    if replicas is not None and ready < int(replicas):
        return f"Waiting for {int(replicas) - ready} pods to be ready...\n", False
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if replicas is not None and partition is not None:
            target = int(replicas) - int(partition)
            if updated < target:
                return (
                    "Waiting for partitioned roll out to finish: "
                    f"{updated} out of {target} new pods have been updated...\n",
                    False,
                )
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    update_revision = status.get("updateRevision", "")
    current_revision = status.get("currentRevision", "")
    if update_revision != current_revision:
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{update_revision}...\n",
            False,
        )
    current = int(status.get("currentReplicas", 0))
    return (
        f"statefulset rolling update complete {current} pods at revision {current_revision}...\n",
        True,
    )


# --- history (polymorphichelpers/history.go) ----------------------------------------------------


def check_history_viewer(kind: Kind) -> None:
    if not _has_viewer(kind):
        raise UsageError(f'no history viewer has been implemented for "{kind.group_kind}"')


def deployment_history(replica_sets: Sequence[Mapping[str, Any]], revision: int = 0) -> str:
    """DeploymentHistoryViewer.ViewHistory over the deployment's replica sets."""
    templates: dict[int, Object] = {}
    for rs in replica_sets:
        try:
            number = util.revision(rs)
        except ValueError:
            continue
        template = copy.deepcopy(rs["spec"]["template"])
        change_cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION)
        if change_cause:
            template.setdefault("metadata", {}).setdefault("annotations", {})[
                CHANGE_CAUSE_ANNOTATION
            ] = change_cause
        templates[number] = template
    return _print_history(templates, revision)


def statefulset_history(
    sts: Mapping[str, Any], revisions: Sequence[Mapping[str, Any]], revision: int = 0
) -> str:
    """StatefulSetHistoryViewer.ViewHistory over the set's ControllerRevisions."""
    templates: dict[int, Object] = {}
    causes: dict[int, str] = {}
    for history in revisions:
        number = int(history.get("revision", 0))
        templates[number] = revision_template(sts, history)
        causes[number] = (history["metadata"].get("annotations") or {}).get(
            CHANGE_CAUSE_ANNOTATION, ""
        )
    return _print_history(templates, revision, causes)


def _print_history(
    templates: Mapping[int, Object], revision: int, causes: Mapping[int, str] | None = None
) -> str:
    if not templates:
        return "No rollout history found."
    if revision > 0:
        if revision not in templates:
            raise UsageError("unable to find the specified revision")
        return describe_pod_template(templates[revision])
    rows = [["REVISION", "CHANGE-CAUSE"]]
    for number in sorted(templates):
        if causes is not None:
            cause = causes.get(number, "")
        else:
            annotations = (templates[number].get("metadata") or {}).get("annotations") or {}
            cause = annotations.get(CHANGE_CAUSE_ANNOTATION, "")
        rows.append([str(number), cause or "<none>"])
    return tabbed(rows)


def tabbed(rows: Sequence[Sequence[str]], padding: int = 2) -> str:
    """text/tabwriter with minwidth 0 and the given padding; the last cell is not padded."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            if i >= len(widths):
                widths.append(0)
            widths[i] = max(widths[i], len(cell) + padding)
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("".join(cells) + (row[-1] if row else "") + "\n")
    return "".join(lines)


def history_output(kind: Kind, name: str, revision: int, text: str) -> str:
    """What `rollout history` prints per object: the name printer with the history as its
    operation (`deployment.apps/nginx ` then the table, then an empty line)."""
    with_revision = f"with revision #{revision}" if revision > 0 else ""
    return f"{kind.qualified_kind}/{name} {with_revision}\n{text}\n"


# --- the pod template as describe prints it (describe.go DescribePodTemplate) ----------------


def describe_pod_template(template: Mapping[str, Any]) -> str:
    """DescribePodTemplate through a bare PrefixWriter: tabs are left for the terminal."""
    out: list[str] = ["Pod Template:\n"]
    template_meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    out += _labels("  Labels", template_meta.get("labels") or {})
    if template_meta.get("annotations"):
        out += _annotations("  Annotations", template_meta["annotations"])
    if spec.get("serviceAccountName"):
        out.append(f"  Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        out += _containers("Init Containers", spec["initContainers"])
    out += _containers("Containers", spec.get("containers") or [])
    out += _volumes(spec.get("volumes") or [])
    if spec.get("priorityClassName"):
        out.append(f"  Priority Class Name:\t{spec['priorityClassName']}\n")
    out += _labels("  Node-Selectors", spec.get("nodeSelector") or {})
    out += _tolerations("  Tolerations", spec.get("tolerations") or [])
    return "".join(out)


def _labels(title: str, labels: Mapping[str, str]) -> list[str]:
    if not labels:
        return [f"{title}:\t<none>\n"]
    lines = []
    for i, key in enumerate(sorted(labels)):
        prefix = f"{title}:\t" if i == 0 else "\t"
        lines.append(f"{prefix}{key}={labels[key]}\n")
    return lines


def _annotations(title: str, annotations: Mapping[str, str]) -> list[str]:
    keys = sorted(k for k in annotations if k not in _SKIP_ANNOTATIONS)
    if not keys:
        return [f"{title}:\t<none>\n"]
    lines = [f"{title}:\t"]
    for i, key in enumerate(keys):
        if i:
            lines.append("\t")
        value = str(annotations[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            lines.append(f"{key}:\n")
            for part in value.split("\n"):
                short = part if len(part) <= MAX_ANNOTATION_LEN - 2 else part[:138] + "..."
                lines.append(f"\t  {short}\n")
        else:
            lines.append(f"{key}: {value}\n")
    return lines


def _containers(label: str, containers: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = [f"  {label}:{' <none>' if not containers else ''}\n"]
    for c in containers:
        lines.append(f"   {c.get('name', '')}:\n")
        lines.append(f"    Image:\t{c.get('image', '')}\n")
        ports = c.get("ports") or []
        port_text = ", ".join(
            f"{p.get('containerPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports
        )
        host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
        lines.append(
            f"    Ports:\t{port_text}\n"
            if "," in port_text
            else f"    Port:\t{port_text or '<none>'}\n"
        )
        lines.append(
            f"    Host Ports:\t{host_text}\n"
            if "," in host_text
            else f"    Host Port:\t{host_text or '<none>'}\n"
        )
        for field, title in (("command", "Command"), ("args", "Args")):
            if c.get(field):
                lines.append(f"    {title}:\n")
                lines += [f"      {part}\n" for item in c[field] for part in str(item).split("\n")]
        resources = c.get("resources") or {}
        for field, title in (("limits", "Limits"), ("requests", "Requests")):
            if resources.get(field):
                lines.append(f"    {title}:\n")
                lines += [f"      {k}:\t{v}\n" for k, v in sorted(resources[field].items())]
        for field, title in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if c.get(field):
                lines.append(f"    {title}:\t{describe_probe(c[field])}\n")
        if c.get("envFrom"):
            lines.append("    Environment Variables from:\n")
            for source in c["envFrom"]:
                ref, source_kind = (
                    (source.get("configMapRef"), "ConfigMap")
                    if source.get("configMapRef")
                    else (source.get("secretRef") or {}, "Secret")
                )
                optional = "true" if (ref or {}).get("optional") else "false"
                prefix = source.get("prefix")
                what = f"{source_kind} with prefix '{prefix}'" if prefix else source_kind
                lines.append(f"      {(ref or {}).get('name', '')}\t{what}\tOptional: {optional}\n")
        lines += _env(c.get("env") or [])
        mounts = c.get("volumeMounts") or []
        lines.append("    Mounts:\t<none>\n" if not mounts else "    Mounts:\n")
        for mount in sorted(mounts, key=lambda m: str(m.get("mountPath", ""))):
            flags = ["ro" if mount.get("readOnly") else "rw"]
            if mount.get("subPath"):
                flags.append(f"path={json.dumps(mount['subPath'])}")
            lines.append(
                f"      {mount.get('mountPath')} from {mount.get('name')} ({','.join(flags)})\n"
            )
    return lines


def _env(env: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = ["    Environment:\t<none>\n" if not env else "    Environment:\n"]
    for e in env:
        name, source = e.get("name", ""), e.get("valueFrom")
        if source is None:
            for i, part in enumerate(str(e.get("value", "")).split("\n")):
                lines.append(f"      {name}:\t{part}\n" if i == 0 else f"      \t{part}\n")
        elif source.get("fieldRef"):
            ref = source["fieldRef"]
            lines.append(
                f"      {name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath')})\n"
            )
        elif source.get("resourceFieldRef"):
            lines.append(f"      {name}:\t ({source['resourceFieldRef'].get('resource')})\n")
        elif source.get("secretKeyRef"):
            ref = source["secretKeyRef"]
            optional = "true" if ref.get("optional") else "false"
            lines.append(
                f"      {name}:\t<set to the key '{ref.get('key')}' in secret '{ref.get('name')}'>"
                f"\tOptional: {optional}\n"
            )
        elif source.get("configMapKeyRef"):
            ref = source["configMapKeyRef"]
            optional = "true" if ref.get("optional") else "false"
            lines.append(
                f"      {name}:\t<set to the key '{ref.get('key')}' of config map "
                f"'{ref.get('name')}'>\tOptional: {optional}\n"
            )
    return lines


def describe_probe(probe: Mapping[str, Any]) -> str:
    """DescribeProbe: the action, then delay, timeout, period and thresholds."""
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
        f"period={probe.get('periodSeconds', 0)}s #success={probe.get('successThreshold', 0)} "
        f"#failure={probe.get('failureThreshold', 0)}"
    )
    if probe.get("exec"):
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet"):
        get = probe["httpGet"]
        scheme = str(get.get("scheme", "HTTP")).lower()
        host, port = get.get("host", ""), get.get("port", "")
        netloc = f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
        return f"http-get {scheme}://{netloc}{get.get('path', '')} {attrs}"
    if probe.get("tcpSocket"):
        socket = probe["tcpSocket"]
        return f"tcp-socket {socket.get('host', '')}:{socket.get('port', '')} {attrs}"
    if probe.get("grpc"):
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port')} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


_VOLUME_TYPES = {
    "emptyDir": lambda v: (
        "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        f"    Medium:\t{v.get('medium', '')}\n"
        f"    SizeLimit:\t{v.get('sizeLimit') or '<unset>'}\n"
    ),
    "hostPath": lambda v: (
        "    Type:\tHostPath (bare host directory volume)\n"
        f"    Path:\t{v.get('path', '')}\n"
        f"    HostPathType:\t{v.get('type') or '<none>'}\n"
    ),
    "configMap": lambda v: (
        "    Type:\tConfigMap (a volume populated by a ConfigMap)\n"
        f"    Name:\t{v.get('name', '')}\n"
        f"    Optional:\t{'true' if v.get('optional') else 'false'}\n"
    ),
    "secret": lambda v: (
        "    Type:\tSecret (a volume populated by a Secret)\n"
        f"    SecretName:\t{v.get('secretName', '')}\n"
        f"    Optional:\t{'true' if v.get('optional') else 'false'}\n"
    ),
    "persistentVolumeClaim": lambda v: (
        "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
        "namespace)\n"
        f"    ClaimName:\t{v.get('claimName', '')}\n"
        f"    ReadOnly:\t{'true' if v.get('readOnly') else 'false'}\n"
    ),
}


def _volumes(volumes: Sequence[Mapping[str, Any]]) -> list[str]:
    if not volumes:
        return ["  Volumes:\t<none>\n"]
    lines = ["  Volumes:\n"]
    for volume in volumes:
        lines.append(f"   {volume.get('name', '')}:\n")
        source = next((k for k in _VOLUME_TYPES if k in volume), None)
        lines.append(_VOLUME_TYPES[source](volume[source] or {}) if source else "  <unknown>\n")
    return lines


def _tolerations(title: str, tolerations: Sequence[Mapping[str, Any]]) -> list[str]:
    if not tolerations:
        return [f"{title}:\t<none>\n"]
    lines = []
    for i, t in enumerate(sorted(tolerations, key=lambda t: str(t.get("key", "")))):
        text = str(t.get("key", ""))
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        lines.append(f"{title}:\t{text}\n" if i == 0 else f"\t{text}\n")
    return lines
