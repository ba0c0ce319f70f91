"""The apiserver: every write, from a user or a controller, passes through here.

Create runs admission (defaults, validation, namespace lifecycle), fills the metadata the
apiserver owns (uid, creationTimestamp, generation) and stores the object. Update checks the
resourceVersion (optimistic concurrency) and keeps what the caller may not change. Delete is
graceful for pods and honours finalizers and the propagation policy, as the registry does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubesim.api import kinds, limits, meta
from kubesim.api.errors import (
    AlreadyExists,
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    invalid,
)
from kubesim.api.kinds import Kind
from kubesim.store.state import ClusterState

Object = dict[str, Any]
Objects = list[Object]
Strings = list[str]
Pairs = list[tuple[str, Object]]

TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
NODE_PORTS = (30000, 32767)  # --service-node-port-range
OUT_OF_RANGE = "provided port is not in the valid range. The range of valid ports is 30000-32767"

BACKGROUND, FOREGROUND, ORPHAN = "Background", "Foreground", "Orphan"
LEASES = "leases.coordination.k8s.io"
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")
EVENT_TTL_SECONDS = 3600  # kube-apiserver's --event-ttl


class ApiServer:
    """The write and read paths over one loaded cluster state, at simulated time `now`."""

    def __init__(self, state: ClusterState, now: float) -> None:
        self.state = state
        self.now = now
        self.seed = int(state.peek_section("cluster").get("seed", 0))
        self.warnings: Strings = []  # for the client to print, as kubectl prints the header

    @property
    def now(self) -> float:
        """Simulated time; the state's journal records it with each write."""
        return self._now

    @now.setter
    def now(self, value: float) -> None:
        self._now = value
        self.state.now = value

    def close(self) -> None:
        """Let go of the snapshot a read was served from (its transaction holds the WAL's
        history for as long as it is open); a writing session closes its own."""
        if not self.state.writable:
            self.state.conn.close()

    # --- reads -------------------------------------------------------------------------------

    def get(self, kind: Kind, namespace: str | None, name: str) -> Object:
        obj = self.find(kind, namespace, name)
        if obj is None:
            raise NotFound(kind.resource, name)
        return obj

    def find(self, kind: Kind, namespace: str | None, name: str) -> Object | None:
        if kind.resource == "componentstatuses":
            return next((o for o in self.list(kind) if o["metadata"]["name"] == name), None)
        found = self.state.get(kind.resource, namespace if kind.namespaced else None, name)
        if found is not None and kind.resource == LEASES:
            return self._renewed(found)
        return found

    def list(self, kind: Kind, namespace: str | None = None) -> Objects:
        if kind.resource == "componentstatuses":
            from kubesim.api import componentstatus

            self.warnings.append(componentstatus.DEPRECATION)
            return componentstatus.component_statuses()
        found = self.state.list(kind.resource, namespace if kind.namespaced else None)
        if kind.resource == LEASES:
            return [self._renewed(lease) for lease in found]
        return found

    def _renewed(self, lease: Object) -> Object:
        """A node's Lease as its kubelet keeps it: renewed every 10 seconds (a quarter of its
        duration) while the node exists. Rather than a write every 10 seconds, the renewal
        the kubelet last made is worked out when the Lease is read."""
        m = lease["metadata"]
        spec = lease.get("spec") or {}
        if m.get("namespace") != "kube-node-lease" or not spec.get("renewTime"):
            return lease
        holder = spec.get("holderIdentity")
        if not holder or self.state.get("nodes", None, str(holder)) is None:
            return lease
        stored = meta.parse_time(str(spec["renewTime"]).split(".")[0] + "Z")
        period = max(1, int(spec.get("leaseDurationSeconds", 40)) // 4)
        elapsed = max(0, int(self.now - stored)) // period * period
        if not elapsed:
            return lease
        stamp = meta.format_time(stored + elapsed).removesuffix("Z") + ".000000Z"
        return {**lease, "spec": {**spec, "renewTime": stamp}}

    def scan(self, kind: Kind, namespace: str | None = None) -> Iterator[Object]:
        """As `list`, one object at a time, for reading a large list once."""
        if kind.resource in ("componentstatuses", LEASES):
            return iter(self.list(kind, namespace))
        return self.state.scan(kind.resource, namespace if kind.namespaced else None)

    # --- create ------------------------------------------------------------------------------

    def create(
        self,
        obj: Object,
        namespace: str | None = None,
        *,
        field_validation: str | None = None,
        field_manager: str | None = None,
    ) -> Object:
        """Admit and store a new object; `namespace` applies when the manifest names none.

        `field_validation` is the request's fieldValidation (Strict, Warn, Ignore): a request
        body from a user is decoded into the kind's struct, controllers' objects are not."""
        from kubesim.api.defaults import apply_defaults
        from kubesim.api.validation import validate

        kind = self._kind_of(obj)
        if field_validation:
            limits.check_request_body(obj)
            self._decode(kind, obj, field_validation)
        obj = apply_defaults(obj)
        metadata = obj["metadata"]
        if kind.namespaced:
            metadata["namespace"] = metadata.get("namespace") or namespace or "default"
        rng = meta.rng_for(self.seed, "create", self.state.resource_version)
        asked = _name_asked_for(metadata)
        ns = metadata.get("namespace") if kind.namespaced else None
        if ns is not None:  # NamespaceLifecycle admits before validation
            self._admit_namespace(ns, kind, asked)
        if kind.kind == "Pod" and ns is not None:
            self._admit_service_account(obj, ns, asked, rng)
            self._admit_priority(obj, asked)
        if not metadata.get("name") and metadata.get("generateName"):
            metadata["name"] = meta.generate_name(str(metadata["generateName"]), rng)
        name = str(metadata.get("name") or "")
        uid = meta.new_uid(rng)
        if kind.kind == "Job":
            self._prepare_job(obj, uid)
        errors = validate(obj, namespaced=kind.namespaced)
        if errors:
            raise Invalid(kind.group_kind, name, errors)
        if self.state.get(kind.resource, ns, name) is not None:
            raise AlreadyExists(kind.resource, name)

        for field in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"):
            metadata.pop(field, None)
        metadata["uid"] = uid
        metadata["creationTimestamp"] = meta.format_time(self.now)
        if kind.tracks_generation:
            metadata["generation"] = 1
        if kind.kind == "DaemonSet":
            _set_template_generation(obj, _template_generation(obj) or 1)
        self._prepare_status(kind, obj)
        self._admit_storage(kind, obj)
        if kind.kind == "Service":
            self._allocate_cluster_ip(obj, rng)
            self._allocate_node_ports(obj, rng)
        if field_manager:
            from kubesim.api import fieldmanager

            obj = fieldmanager.record_update(kind, None, obj, field_manager, self.now)
        if field_validation:  # a user's object; the controllers' own never grow past it
            limits.check_storage(_storage_key(kind, ns, name), obj)
        return self._store(kind, obj)

    def _store(self, kind: Kind, obj: Object) -> Object:
        """Write through to the store; an event written gets a new lease (--event-ttl)."""
        if kind.resource == "events":
            return self.state.put(kind.resource, obj, expires=self.now + EVENT_TTL_SECONDS)
        return self.state.put(kind.resource, obj)

    def _kind_of(self, obj: Object) -> Kind:
        if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
            raise BadRequest("Object 'Kind' is missing in the request body")
        kind = kinds.for_object(str(obj["apiVersion"]), str(obj["kind"]))
        if kind is None:
            raise BadRequest(
                f'no kind "{obj["kind"]}" is registered for version "{obj["apiVersion"]}"'
            )
        return kind

    def _admit_namespace(self, namespace: str, kind: Kind, name: str) -> None:
        """NamespaceLifecycle admission: the namespace must exist and not be terminating."""
        ns = self.state.get("namespaces", None, namespace)
        if ns is None:
            raise NotFound("namespaces", namespace)
        if meta.is_terminating(ns):
            raise Forbidden(
                f'{kind.resource} "{name}" is forbidden: unable to create new content in '
                f"namespace {namespace} because it is being terminated"
            )

    def _prepare_job(self, job: Object, uid: str) -> None:
        """The Job strategy's PrepareForCreate: the selector and labels that tie its pods to
        it, generated from the uid it is about to get; WarningsOnCreate."""
        from kubesim.api.batch import generate_selector, job_warnings

        job["metadata"]["uid"] = uid
        generate_selector(job)
        self.warnings += job_warnings(job)

    def _prepare_status(self, kind: Kind, obj: Object) -> None:
        """PrepareForCreate: the status a new object starts with."""
        if kind.kind in ("Job", "CronJob"):
            obj["status"] = {}
        elif kind.kind == "Pod":
            obj["status"] = {"phase": "Pending", "qosClass": _qos_class(obj)}
        elif kind.kind == "StatefulSet":
            obj["status"] = {"replicas": 0, "availableReplicas": 0}
        elif kind.kind == "Service":
            obj["status"] = {"loadBalancer": {}}

    def _admit_service_account(self, pod: Object, namespace: str, name: str, rng: Any) -> None:
        """The ServiceAccount admission plugin: the pod's account must exist, and unless it or
        the pod opts out, every container mounts a projected token volume at
        /var/run/secrets/kubernetes.io/serviceaccount. A namespace's `default` account may be
        a moment away (the serviceaccounts controller makes it on the next tick)."""
        spec = pod.setdefault("spec", {})
        if not isinstance(spec, dict) or meta.is_mirror_pod(pod):
            return  # a static pod's mirror is the kubelet's, which mounts no token
        account_name = str(spec.get("serviceAccountName") or "default")
        account = self.state.get("serviceaccounts", namespace, account_name)
        if account is None and account_name != "default":
            raise Forbidden(
                f'pods "{name}" is forbidden: error looking up service account '
                f'{namespace}/{account_name}: serviceaccount "{account_name}" not found'
            )
        opted_out = spec.get("automountServiceAccountToken")
        if opted_out is None and account is not None:
            opted_out = account.get("automountServiceAccountToken")
        if opted_out is False:
            return
        containers = [
            c
            for key in ("initContainers", "containers")
            for c in spec.get(key) or []
            if isinstance(c, dict)
        ]
        if not containers:
            return  # validation reports the missing containers
        volume = _token_volume(meta.generate_name("kube-api-access-", rng))
        mounted = False
        for container in containers:
            mounts = container.get("volumeMounts") or []
            if any(m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts if isinstance(m, dict)):
                continue  # the user mounted something there already
            container["volumeMounts"] = [
                *mounts,
                {"mountPath": TOKEN_MOUNT_PATH, "name": volume["name"], "readOnly": True},
            ]
            mounted = True
        if mounted:
            spec["volumes"] = [*(spec.get("volumes") or []), volume]

    def _admit_priority(self, pod: Object, name: str) -> None:
        """The Priority admission plugin: a pod's priorityClassName gives it the class's
        priority and preemption policy."""
        spec = pod.get("spec")
        if not isinstance(spec, dict) or not spec.get("priorityClassName"):
            return
        class_name = str(spec["priorityClassName"])
        pc = self.state.get("priorityclasses.scheduling.k8s.io", None, class_name)
        if pc is None:
            raise Forbidden(
                f'pods "{name}" is forbidden: no PriorityClass with name {class_name} was found'
            )
        value = int(pc.get("value", 0))
        if spec.get("priority") is not None and spec["priority"] != value:
            raise Forbidden(
                f'pods "{name}" is forbidden: the integer value of priority '
                f"({spec['priority']}) must not be provided in pod spec; priority admission "
                f"controller computed {value} from the given PriorityClass name"
            )
        spec["priority"] = value
        spec["preemptionPolicy"] = pc.get("preemptionPolicy", "PreemptLowerPriority")

    def _admit_storage(self, kind: Kind, obj: Object) -> None:
        """DefaultStorageClass admission and the storage-object-in-use protection finalizers."""
        finalizer = {
            "PersistentVolumeClaim": "kubernetes.io/pvc-protection",
            "PersistentVolume": "kubernetes.io/pv-protection",
        }.get(kind.kind)
        if finalizer is None:
            return
        finalizers = obj["metadata"].setdefault("finalizers", [])
        if finalizer not in finalizers:
            finalizers.append(finalizer)
        if kind.kind == "PersistentVolumeClaim" and obj["spec"].get("storageClassName") is None:
            default = next(
                (
                    sc
                    for sc in self.state.list("storageclasses.storage.k8s.io")
                    if _is_default_class(sc)
                ),
                None,
            )
            if default is not None:
                obj["spec"]["storageClassName"] = default["metadata"]["name"]

    def _allocate_cluster_ip(self, svc: Object, rng: Any) -> None:
        from kubesim.api import ipallocator

        spec = svc["spec"]
        if spec.get("type") == "ExternalName":
            return
        wanted = spec.get("clusterIP") or ""
        if wanted == "None":
            spec["clusterIPs"] = ["None"]
            return
        used = [
            s["spec"].get("clusterIP", "")
            for s in self.state.list("services")
            if s["spec"].get("clusterIP") not in (None, "", "None")
        ]
        if wanted:
            if not ipallocator.in_service_range(wanted):
                raise Invalid(
                    "Service",
                    svc["metadata"]["name"],
                    [
                        invalid(
                            "spec.clusterIPs",
                            [wanted],
                            f"failed to allocate IP {wanted}: the provided IP ({wanted}) "
                            "is not in the valid range. The range of valid IPs is 10.96.0.0/12",
                        )
                    ],
                )
            if wanted in used:
                raise Invalid(
                    "Service",
                    svc["metadata"]["name"],
                    [
                        invalid(
                            "spec.clusterIPs",
                            [wanted],
                            f"failed to allocate IP {wanted}: provided IP is already allocated",
                        )
                    ],
                )
            ip = wanted
        else:
            ip = ipallocator.allocate(used, rng)
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]

    def _allocate_node_ports(self, svc: Object, rng: Any, before: Object | None = None) -> None:
        """The service REST's node-port allocation: a NodePort or LoadBalancer service's ports
        each get a port of 30000-32767 on every node; one asked for must be free and in range.
        An update keeps the ports allocated before (patchAllocatedValues)."""
        spec = svc["spec"]
        if spec.get("type") not in ("NodePort", "LoadBalancer"):
            if before is not None:  # dropTypeDependentFields: the old allocations go
                old = {
                    p["nodePort"] for p in before["spec"].get("ports") or [] if p.get("nodePort")
                }
                for port in spec.get("ports") or []:
                    if port.get("nodePort") in old:
                        del port["nodePort"]
            return
        kept = {
            (p.get("port"), p.get("protocol")): p.get("nodePort")
            for p in ((before or {}).get("spec") or {}).get("ports") or []
            if p.get("nodePort")
        }
        me = (svc["metadata"].get("namespace"), svc["metadata"]["name"])
        used = {
            p.get("nodePort")
            for s in self.state.list("services")
            if (s["metadata"].get("namespace"), s["metadata"]["name"]) != me
            for p in s["spec"].get("ports") or []
            if p.get("nodePort")
        }
        errors = []
        for i, port in enumerate(spec.get("ports") or []):
            wanted = port.get("nodePort") or kept.get((port.get("port"), port.get("protocol")))
            if wanted:
                field = f"spec.ports[{i}].nodePort"
                if not NODE_PORTS[0] <= int(wanted) <= NODE_PORTS[1]:
                    errors.append(invalid(field, wanted, OUT_OF_RANGE))
                elif wanted in used:
                    errors.append(invalid(field, wanted, "provided port is already allocated"))
                port["nodePort"] = wanted
            else:
                free = [n for n in range(NODE_PORTS[0], NODE_PORTS[1] + 1) if n not in used]
                port["nodePort"] = rng.choice(free)
            used.add(port["nodePort"])
        if errors:
            raise Invalid("Service", svc["metadata"]["name"], errors)

    # --- update ------------------------------------------------------------------------------

    def update(
        self,
        obj: Object,
        *,
        field_validation: str | None = None,
        patch_type: str | None = None,
        patch: Any = None,
        field_manager: str | None = None,
    ) -> Object:
        """Replace spec and metadata; status is kept for kinds with a status subresource.

        `field_validation` as for create; a PATCH passes its type and body, against which
        decoding errors are reported."""
        from kubesim.api.defaults import apply_defaults
        from kubesim.api.validation import validate, validate_update

        kind = self._kind_of(obj)
        if field_validation:
            limits.check_request_body(obj if patch is None else patch)
            self._decode(kind, obj, field_validation, patch_type, patch)
        current = self._current_for_update(kind, obj)
        new = apply_defaults(obj)
        new_meta = new["metadata"]
        for field in ("uid", "creationTimestamp", "namespace", "deletionTimestamp",
                      "deletionGracePeriodSeconds", "generation"):  # fmt: skip
            if field in current["metadata"]:
                new_meta[field] = current["metadata"][field]
            else:
                new_meta.pop(field, None)
        if meta.is_terminating(current) and set(new_meta.get("finalizers") or []) - set(
            current["metadata"].get("finalizers") or []
        ):
            raise Invalid(
                kind.group_kind,
                new_meta["name"],
                [invalid("metadata.finalizers", new_meta.get("finalizers"),
                         "no new finalizers can be added if the object is being deleted")],
            )  # fmt: skip
        if kind.has_status:
            if "status" in current:
                new["status"] = current["status"]
            else:
                new.pop("status", None)
        if kind.kind == "Service":
            _normalize_cluster_ips(current["spec"], new.setdefault("spec", {}))
            rng = meta.rng_for(self.seed, "update", self.state.resource_version)
            _drop_type_dependent_fields(current, new)
            self._allocate_node_ports(new, rng, before=current)
        errors = validate(new, namespaced=kind.namespaced) + validate_update(current, new)
        if errors:
            raise Invalid(kind.group_kind, new_meta["name"], errors)
        if kind.tracks_generation and new.get("spec") != current.get("spec"):
            new_meta["generation"] = int(current["metadata"].get("generation", 1)) + 1
        if "managedFields" not in new_meta and "managedFields" in current["metadata"]:
            new_meta["managedFields"] = current["metadata"]["managedFields"]  # kept unless reset
        if kind.kind == "DaemonSet":
            # the DaemonSet strategy's PrepareForUpdate: a new template is a new generation
            generation = _template_generation(current) or 1
            if (new.get("spec") or {}).get("template") != (current.get("spec") or {}).get(
                "template"
            ):
                generation += 1
            _set_template_generation(new, generation)
        if _same(current, new):
            return current
        if field_manager:
            from kubesim.api import fieldmanager

            new = fieldmanager.record_update(kind, current, new, field_manager, self.now)
        if field_validation:
            ns = new_meta.get("namespace") if kind.namespaced else None
            limits.check_storage(_storage_key(kind, ns, str(new_meta["name"])), new)
        stored = self._store(kind, new)
        return self._finish_if_deleted(kind, stored)

    def patch(
        self,
        kind: Kind,
        live: Object,
        patch_type: str,
        body: Any,
        *,
        field_validation: str | None = None,
        field_manager: str | None = None,
    ) -> Object:
        """The PATCH handler: `body` (decoded by `patching.decode`) applied to the live object,
        then stored as an update."""
        from kubesim.api import patching

        patched = patching.apply(kind, live, body, patch_type)
        return self.update(
            patched,
            field_validation=field_validation,
            patch_type=patch_type,
            patch=body,
            field_manager=field_manager,
        )

    def _decode(
        self,
        kind: Kind,
        obj: Object,
        directive: str,
        patch_type: str | None = None,
        patch: Any = None,
    ) -> None:
        """Decode a request body as the create, update and patch handlers do; unknown fields
        are dropped, and fail the request (Strict) or come back as warnings (Warn)."""
        from kubesim.api import decode
        from kubesim.api.gofmt import go_json, go_sprint

        if patch_type is None:
            unknown = decode.decode(obj, kind.kind, kind.version, kind.group)
            if unknown and directive == decode.STRICT:
                raise decode.strict_failure(kind.kind, kind.version, unknown)
        else:
            if patch_type == "strategic":
                shown = go_sprint(patch)
                problem, unknown = decode.convert(obj, kind.kind, kind.version, kind.group)
            else:  # the JSON and merge patchers decode the patched object's JSON
                shown = go_json(obj)
                problem, unknown = decode.decode_value(obj, kind.kind, kind.version, kind.group)
            if unknown and directive == decode.STRICT:
                problem = f"strict decoding error: {', '.join(unknown)}"
            if problem:
                raise Invalid("", "", [invalid("patch", shown, problem)])
        if directive == decode.WARN:
            self.warnings += unknown

    def update_status(self, obj: Object) -> Object:
        """Replace only `status` (the status subresource)."""
        kind = self._kind_of(obj)
        current = self._current_for_update(kind, obj)
        if current.get("status") == obj.get("status"):
            return current
        new = dict(current)
        new["metadata"] = dict(current["metadata"])
        new["status"] = meta.clone(obj.get("status"))
        return self.state.put(kind.resource, new)

    def _current_for_update(self, kind: Kind, obj: Object) -> Object:
        metadata = obj.get("metadata") or {}
        name = str(metadata.get("name") or "")
        ns = (metadata.get("namespace") or "default") if kind.namespaced else None
        current = self.state.get(kind.resource, ns, name)
        if current is None:
            raise NotFound(kind.resource, name)
        rv = metadata.get("resourceVersion")
        if rv and rv != current["metadata"]["resourceVersion"]:
            raise Conflict(kind.resource, name)
        uid = metadata.get("uid")
        if uid and uid != current["metadata"]["uid"]:
            raise Conflict(kind.resource, name)
        return current

    def bind(self, namespace: str, name: str, node: str, uid: str | None = None) -> Object:
        """The pods/binding subresource: set spec.nodeName and PodScheduled=True."""
        pod = self.state.get("pods", namespace, name)
        if pod is None or (uid and pod["metadata"]["uid"] != uid):
            raise NotFound("pods", name)
        if pod["spec"].get("nodeName"):
            raise Conflict("pods/binding", name)
        stamp = meta.format_time(self.now)
        conditions = [
            c
            for c in (pod.get("status") or {}).get("conditions") or []
            if c["type"] != "PodScheduled"
        ]
        conditions.append(
            {
                "type": "PodScheduled",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": stamp,
            }
        )
        new = {
            **pod,
            "metadata": dict(pod["metadata"]),
            "spec": {**pod["spec"], "nodeName": node},
            "status": {**(pod.get("status") or {}), "conditions": conditions},
        }
        return self.state.put("pods", new)

    # --- delete ------------------------------------------------------------------------------

    def delete(
        self,
        kind: Kind,
        namespace: str | None,
        name: str,
        *,
        grace_period: int | None = None,
        propagation: str = BACKGROUND,
        uid: str | None = None,
    ) -> Object:
        """Start deleting an object; returns it as left (terminating) or as last stored."""
        ns = namespace if kind.namespaced else None
        current = self.state.get(kind.resource, ns, name)
        if current is None or (uid and current["metadata"]["uid"] != uid):
            raise NotFound(kind.resource, name)
        metadata = dict(current["metadata"])
        finalizers = list(metadata.get("finalizers") or [])
        if propagation == ORPHAN and "orphan" not in finalizers and _has_dependents(self, current):
            finalizers.append("orphan")
        elif propagation == FOREGROUND and "foregroundDeletion" not in finalizers:
            if _has_dependents(self, current):
                finalizers.append("foregroundDeletion")

        if kind.kind == "Pod":
            grace = self._pod_grace(current, grace_period)
            if grace > 0 or finalizers:
                return self._mark_deleting(kind, current, metadata, finalizers, grace)
        elif kind.kind == "Namespace":
            if name in IMMORTAL_NAMESPACES:
                # NamespaceLifecycle admission
                raise Forbidden(
                    f'namespaces "{name}" is forbidden: this namespace may not be deleted'
                )
            return self._mark_deleting(kind, current, metadata, finalizers, 0, phase="Terminating")
        if finalizers:
            return self._mark_deleting(kind, current, metadata, finalizers, 0)
        removed = self.state.remove(kind.resource, ns, name)
        assert removed is not None
        return removed

    def _pod_grace(self, pod: Object, requested: int | None) -> int:
        """CheckGracefulDelete for pods: unscheduled or finished pods go at once."""
        phase = (pod.get("status") or {}).get("phase")
        if not pod["spec"].get("nodeName") or phase in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return max(requested, 0)
        current = pod["metadata"].get("deletionGracePeriodSeconds")
        if current is not None:
            return int(current)
        return int(pod["spec"].get("terminationGracePeriodSeconds", 30))

    def _mark_deleting(
        self,
        kind: Kind,
        current: Object,
        metadata: Object,
        finalizers: Strings,
        grace: int,
        phase: str | None = None,
    ) -> Object:
        if finalizers:
            metadata["finalizers"] = finalizers
        if "deletionTimestamp" in metadata:
            # a repeated delete may only shorten the grace period
            old = int(metadata.get("deletionGracePeriodSeconds") or 0)
            if grace >= old and metadata.get("finalizers") == current["metadata"].get("finalizers"):
                return current
        metadata["deletionTimestamp"] = meta.format_time(self.now + grace)
        metadata["deletionGracePeriodSeconds"] = grace
        new = dict(current)
        new["metadata"] = metadata
        if phase is not None:
            new["status"] = {**(current.get("status") or {}), "phase": phase}
        return self.state.put(kind.resource, new)

    def _finish_if_deleted(self, kind: Kind, obj: Object) -> Object:
        """An object being deleted goes once its last finalizer is removed."""
        metadata = obj["metadata"]
        if metadata.get("deletionTimestamp") and not metadata.get("finalizers"):
            if kind.kind != "Pod" or int(metadata.get("deletionGracePeriodSeconds") or 0) == 0:
                removed = self.state.remove(
                    kind.resource, metadata.get("namespace"), metadata["name"]
                )
                return removed or obj
        return obj

    def remove(self, kind: Kind, namespace: str | None, name: str, uid: str | None = None) -> None:
        """Final removal (the kubelet's delete with grace 0 once containers have stopped)."""
        ns = namespace if kind.namespaced else None
        current = self.state.get(kind.resource, ns, name)
        if current is None or (uid and current["metadata"]["uid"] != uid):
            raise NotFound(kind.resource, name)
        if current["metadata"].get("deletionGracePeriodSeconds"):
            # the kubelet's final delete with grace 0 is itself a write (a MODIFIED event)
            metadata = dict(current["metadata"])
            metadata["deletionGracePeriodSeconds"] = 0
            current = self.state.put(kind.resource, {**current, "metadata": metadata})
        if not current["metadata"].get("finalizers"):
            self.state.remove(kind.resource, ns, name)


# appsv1.DeprecatedTemplateGeneration
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _template_generation(ds: Object) -> int:
    """A DaemonSet's templateGeneration, which apps/v1 carries as an annotation."""
    value = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION)
    try:
        return int(str(value))
    except ValueError:
        return 0


def _set_template_generation(ds: Object, generation: int) -> None:
    annotations = ds["metadata"].get("annotations") or {}
    ds["metadata"]["annotations"] = {**annotations, TEMPLATE_GENERATION: str(generation)}


def _is_default_class(sc: Object) -> bool:
    annotations = sc["metadata"].get("annotations") or {}
    return annotations.get("storageclass.kubernetes.io/is-default-class") == "true"


def _has_dependents(server: ApiServer, owner: Object) -> bool:
    from kubesim.store import indexes

    return server.state.has_indexed(indexes.OWNER, owner["metadata"]["uid"])


def _same(a: Object, b: Object) -> bool:
    """Equal apart from resourceVersion (an update that changes nothing writes nothing)."""
    import json

    def comparable(obj: Object) -> str:
        metadata = {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}
        return json.dumps({**obj, "metadata": metadata}, sort_keys=True)

    return comparable(a) == comparable(b)


def _qos_class(pod: Object) -> str:
    """GetPodQOS, simplified: BestEffort without requests/limits, Guaranteed when they match."""
    containers = pod.get("spec", {}).get("containers") or []
    resources = [c.get("resources") or {} for c in containers if isinstance(c, dict)]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    for r in resources:
        limits = r.get("limits") or {}
        requests = r.get("requests") or limits
        if set(limits) != {"cpu", "memory"} or requests != limits:
            return "Burstable"
    return "Guaranteed"


def _normalize_cluster_ips(before: Object, after: Object) -> None:
    """The service strategy before validation: an update that leaves the cluster IP out keeps
    the allocated one (patchAllocatedValues); one that changes `clusterIP` alone changes
    `clusterIPs[0]` with it (normalizeClusterIPs), for validation to refuse."""
    old_ip, old_ips = before.get("clusterIP"), before.get("clusterIPs")
    if not after.get("clusterIP"):
        if old_ip:
            after["clusterIP"] = old_ip
        if not after.get("clusterIPs") and old_ips:
            after["clusterIPs"] = list(old_ips)
        return
    if not after.get("clusterIPs") or after.get("clusterIPs") == old_ips:
        ips = list(old_ips or [])
        after["clusterIPs"] = [after["clusterIP"], *ips[1:]] if ips else [after["clusterIP"]]


def _name_asked_for(metadata: Object) -> str:
    """The name admission sees: a generateName is completed only after admission. kubesim's
    controllers complete theirs when they build the pod (so that their events can name it), and
    send both; such a name counts as not yet chosen."""
    name = str(metadata.get("name") or "")
    prefix = str(metadata.get("generateName") or "")
    if prefix and (not name or meta.is_generated_from(name, prefix)):
        return prefix
    return name


def _token_volume(name: str) -> Object:
    """The projected volume the ServiceAccount admission plugin adds: a bound token the kubelet
    renews, the cluster's CA bundle and the pod's namespace."""
    namespace_item = {
        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
        "path": "namespace",
    }
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {
                    "configMap": {
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                        "name": "kube-root-ca.crt",
                    }
                },
                {"downwardAPI": {"items": [namespace_item]}},
            ],
        },
    }


def _storage_key(kind: Kind, namespace: str | None, name: str) -> str:
    """The object's etcd key, which counts toward etcd's request size."""
    where = f"{namespace}/{name}" if namespace else name
    return f"/registry/{kind.plural}/{where}"


def _drop_type_dependent_fields(old: Object, new: Object) -> None:
    """The service REST's dropTypeDependentFields (registry/core/service/storage): a Service
    changing type loses what only the old type used, where the user left it as it was."""
    before, after = old.get("spec") or {}, new.setdefault("spec", {})
    was, now = before.get("type", "ClusterIP"), after.get("type", "ClusterIP")
    if was == "LoadBalancer" and now != "LoadBalancer":
        kept = after.get("allocateLoadBalancerNodePorts")
        if kept is not None and kept == before.get("allocateLoadBalancerNodePorts"):
            del after["allocateLoadBalancerNodePorts"]
        if after.get("loadBalancerClass") == before.get("loadBalancerClass"):
            after.pop("loadBalancerClass", None)

    def externally_accessible(spec: Object) -> bool:
        kind = spec.get("type", "ClusterIP")
        return kind in ("LoadBalancer", "NodePort") or (
            kind == "ClusterIP" and bool(spec.get("externalIPs"))
        )

    if externally_accessible(before) and not externally_accessible(after):
        if after.get("externalTrafficPolicy") == before.get("externalTrafficPolicy"):
            after.pop("externalTrafficPolicy", None)
    if now != "LoadBalancer" and isinstance(new.get("status"), dict):
        new["status"]["loadBalancer"] = {}
