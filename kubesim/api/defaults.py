"""Defaulting, as the apiserver fills fields a manifest leaves out.

Sources: pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, and the admission plugins
that touch every pod (ServiceAccount, DefaultTolerationSeconds, Priority).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Object = dict[str, Any]


def apply_defaults(obj: Object) -> Object:
    """A copy of `obj` with the defaults of its kind filled in."""
    from kubesim.api.meta import clone

    obj = clone(obj)
    obj.setdefault("metadata", {})
    fill = _BY_KIND.get(obj.get("kind", ""))
    if fill is not None:
        fill(obj)
    return obj


def image_pull_policy(image: str) -> str:
    """Always for `:latest` or an untagged image, else IfNotPresent (SetDefaults_Container)."""
    name = image.rsplit("/", 1)[-1]
    if "@" in name:
        return "IfNotPresent"
    tag = name.partition(":")[2]
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _container(container: Object) -> None:
    if "image" in container:
        container.setdefault("imagePullPolicy", image_pull_policy(str(container["image"])))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("resources", {})
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(container.get(probe), dict):
            _probe(container[probe])
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                _handler(lifecycle[hook])


def _probe(probe: Object) -> None:
    probe.setdefault("timeoutSeconds", 1)
    probe.setdefault("periodSeconds", 10)
    probe.setdefault("successThreshold", 1)
    probe.setdefault("failureThreshold", 3)
    _handler(probe)


def _handler(handler: Object) -> None:
    """SetDefaults_HTTPGetAction: a probe's or a hook's httpGet asks for / over HTTP."""
    action = handler.get("httpGet")
    if isinstance(action, dict):
        action.setdefault("path", "/")
        if not action.get("scheme"):
            action["scheme"] = "HTTP"


def pod_spec(spec: Object) -> None:
    """SetDefaults_PodSpec, shared by pods and pod templates."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        if isinstance(container, dict):
            _container(container)
            _canonical_requirements(container.get("resources"))
            for env in container.get("env") or []:
                if isinstance(env, dict) and isinstance(env.get("valueFrom"), dict):
                    _field_selectors(env["valueFrom"])
    _canonical_quantities(spec.get("overhead"))
    for volume in spec.get("volumes") or []:
        empty_dir = volume.get("emptyDir") if isinstance(volume, dict) else None
        if isinstance(empty_dir, dict) and "sizeLimit" in empty_dir:
            holder = {"sizeLimit": empty_dir["sizeLimit"]}
            _canonical_quantities(holder)
            empty_dir["sizeLimit"] = holder["sizeLimit"]
        if isinstance(volume, dict):
            _config_volume(volume)


# SetDefaults_{ConfigMap,Secret,DownwardAPI,Projected}VolumeSource: files are 0644 unless told
DEFAULT_VOLUME_MODE = 0o644


def _config_volume(volume: Object) -> None:
    for kind in ("configMap", "secret", "downwardAPI", "projected"):
        source = volume.get(kind)
        if isinstance(source, dict) and source.get("defaultMode") is None:
            source["defaultMode"] = DEFAULT_VOLUME_MODE
    downward = volume.get("downwardAPI")
    if isinstance(downward, dict):
        _downward_items(downward.get("items"))
    projected = volume.get("projected")
    if isinstance(projected, dict):
        for source in projected.get("sources") or []:
            if not isinstance(source, dict):
                continue
            if isinstance(source.get("downwardAPI"), dict):
                _downward_items(source["downwardAPI"].get("items"))
            token = source.get("serviceAccountToken")
            if isinstance(token, dict) and token.get("expirationSeconds") is None:
                token["expirationSeconds"] = 3600  # SetDefaults_ServiceAccountTokenProjection


def _downward_items(items: Any) -> None:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            _field_selectors(item)


def _field_selectors(holder: Object) -> None:
    """SetDefaults_ObjectFieldSelector (apiVersion v1); a resourceFieldRef's divisor is a
    Quantity struct, never omitted, so an unset one reads back as "0"."""
    field = holder.get("fieldRef")
    if isinstance(field, dict) and not field.get("apiVersion"):
        field["apiVersion"] = "v1"
    resource = holder.get("resourceFieldRef")
    if isinstance(resource, dict):
        if resource.get("divisor") in (None, ""):
            resource["divisor"] = "0"
        else:
            holder = {"divisor": resource["divisor"]}
            _canonical_quantities(holder)
            resource["divisor"] = holder["divisor"]


def _canonical_requirements(resources: Any) -> None:
    if isinstance(resources, dict):
        _canonical_quantities(resources.get("requests"))
        _canonical_quantities(resources.get("limits"))


def _canonical_quantities(values: Any) -> None:
    """A Quantity is stored as it prints (Quantity.String()): `0.1` reads back as `100m`,
    `1024Mi` as `1Gi`. Malformed values are left for decoding to refuse."""
    from kubesim.api import quantity

    if not isinstance(values, dict):
        return
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        if quantity.well_formed(str(value).strip()):
            values[name] = quantity.canonical(str(value).strip())


def _pod(pod: Object) -> None:
    spec = pod.setdefault("spec", {})
    pod_spec(spec)
    # SetDefaults_Pod: a container with limits but no request for a resource requests its limit
    # (on pods only, not on templates)
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            resources = container.get("resources") if isinstance(container, dict) else None
            if isinstance(resources, dict) and isinstance(resources.get("limits"), dict):
                requests = resources.setdefault("requests", {})
                if isinstance(requests, dict):
                    for name, value in resources["limits"].items():
                        requests.setdefault(name, value)
    spec.setdefault("enableServiceLinks", True)
    from kubesim.api.meta import is_mirror_pod

    if not is_mirror_pod(pod):  # the ServiceAccount admission plugin leaves mirror pods alone
        spec.setdefault("serviceAccountName", "default")
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
    if not spec.get("priorityClassName"):  # the Priority admission plugin sets the class's
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
        spec.setdefault("priority", 0)
    tolerations = spec.setdefault("tolerations", [])
    # DefaultTolerationSeconds admission: unless a toleration covers the taint already (an
    # empty key tolerates every key, an empty effect every effect)
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(
            t.get("key", "") in (key, "") and t.get("effect", "") in ("NoExecute", "")
            for t in tolerations
            if isinstance(t, dict)
        ):
            tolerations.append(
                {"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}
            )


def template_defaults(template: Object) -> None:
    """A pod template's defaults: null creationTimestamp, the pod spec's defaults."""
    embedded_metadata(template)
    pod_spec(template.setdefault("spec", {}))


def embedded_metadata(template: Object) -> None:
    """An embedded ObjectMeta serializes its zero creationTimestamp as null (metav1.Time has no
    omitempty in v1.32), so templates read back with `creationTimestamp: null`."""
    metadata = template.setdefault("metadata", {})
    if isinstance(metadata, dict):
        metadata.setdefault("creationTimestamp", None)


def _statefulset(sts: Object) -> None:
    spec = sts.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    spec.setdefault("podManagementPolicy", "OrderedReady")
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        strategy.setdefault("rollingUpdate", {})
    if strategy.get("type") == "RollingUpdate" and isinstance(strategy.get("rollingUpdate"), dict):
        strategy["rollingUpdate"].setdefault("partition", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    policy = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
    policy.setdefault("whenDeleted", "Retain")
    policy.setdefault("whenScaled", "Retain")
    if isinstance(spec.get("template"), dict):
        template_defaults(spec["template"])
    for claim in spec.get("volumeClaimTemplates") or []:
        embedded_metadata(claim)
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claim.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
        _canonical_requirements(claim["spec"].get("resources"))
        claim.setdefault("status", {"phase": "Pending"})


def _deployment(deployment: Object) -> None:
    """SetDefaults_Deployment; status starts empty (the registry's PrepareForCreate; on
    update the apiserver keeps the stored status)."""
    spec = deployment.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    if isinstance(spec.get("template"), dict):
        template_defaults(spec["template"])
    deployment["status"] = {}


def _replicaset(rs: Object) -> None:
    """SetDefaults_ReplicaSet; status starts with replicas 0 (never omitted)."""
    spec = rs.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    if isinstance(spec.get("template"), dict):
        template_defaults(spec["template"])
    rs["status"] = {"replicas": 0}


def _daemonset(ds: Object) -> None:
    """SetDefaults_DaemonSet; status starts with its four counts at 0 (never omitted)."""
    spec = ds.setdefault("spec", {})
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        rolling.setdefault("maxUnavailable", 1)
        rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    if isinstance(spec.get("template"), dict):
        template_defaults(spec["template"])
    ds["status"] = {
        "currentNumberScheduled": 0,
        "desiredNumberScheduled": 0,
        "numberMisscheduled": 0,
        "numberReady": 0,
    }


def _priority_class(pc: Object) -> None:
    pc.setdefault("preemptionPolicy", "PreemptLowerPriority")


def _service(svc: Object) -> None:
    spec = svc.setdefault("spec", {})
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        port.setdefault("protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if spec["type"] in ("ClusterIP", "NodePort", "LoadBalancer"):
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if spec["type"] in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if spec["type"] == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
    if spec["type"] != "ExternalName":
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
    svc.setdefault("status", {"loadBalancer": {}})


def _namespace(ns: Object) -> None:
    name = ns["metadata"].get("name")
    if name:
        ns["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = name
    ns.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
    ns["status"] = {"phase": "Active"}


def _claim(pvc: Object) -> None:
    spec = pvc.setdefault("spec", {})
    spec.setdefault("volumeMode", "Filesystem")
    _canonical_requirements(spec.get("resources"))
    pvc.setdefault("status", {}).setdefault("phase", "Pending")


def _volume(pv: Object) -> None:
    spec = pv.setdefault("spec", {})
    _canonical_quantities(spec.get("capacity"))
    spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
    spec.setdefault("volumeMode", "Filesystem")
    pv.setdefault("status", {}).setdefault("phase", "Pending")


def _storage_class(sc: Object) -> None:
    sc.setdefault("reclaimPolicy", "Delete")
    sc.setdefault("volumeBindingMode", "Immediate")


def _secret(secret: Object) -> None:
    from kubesim.api.configdata import default_secret

    default_secret(secret)


def _job(job: Object) -> None:
    from kubesim.api.batch import default_job

    default_job(job)


def _cron_job(cron_job: Object) -> None:
    from kubesim.api.batch import default_cron_job

    default_cron_job(cron_job)


_BY_KIND: dict[str, Callable[[Object], None]] = {
    "Pod": _pod,
    "Secret": _secret,
    "Job": _job,
    "CronJob": _cron_job,
    "StatefulSet": _statefulset,
    "Deployment": _deployment,
    "ReplicaSet": _replicaset,
    "DaemonSet": _daemonset,
    "PriorityClass": _priority_class,
    "Service": _service,
    "Namespace": _namespace,
    "PersistentVolumeClaim": _claim,
    "PersistentVolume": _volume,
    "StorageClass": _storage_class,
}
