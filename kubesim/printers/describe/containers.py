"""The container blocks of a pod or pod template (describe.go describeContainers and helpers):
image, ports, state, resources, probes, environment and mounts."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from kubesim.api import quantity
from kubesim.printers.describe.common import Context, Object, go_slice, print_bool, string_or_none
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, Writer

EnvResolver = Callable[[Object], str]


def describe_containers(
    ctx: Context,
    label: str,
    containers: Sequence[Object],
    statuses: Sequence[Object] | None,
    resolver: EnvResolver | None,
    w: Writer,
    space: str,
) -> None:
    """describeContainers: `Containers:` and one block per container; statuses from the pod."""
    by_name = {str(s.get("name", "")): s for s in statuses or ()}
    w.write(LEVEL_0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(str(container.get("name", "")))
        _basic_info(container, status, space, w)
        _command(container, w)
        if status is not None:
            _state(ctx, status, w)
        describe_resources(container.get("resources"), w, LEVEL_2)
        _probes(container, w)
        if container.get("envFrom"):
            _env_from(container, w)
        _env(container, resolver, w)
        _mounts(container, w)


def _basic_info(container: Object, status: Object | None, space: str, w: Writer) -> None:
    name_indent = " " if space else ""
    w.write(LEVEL_1, f"{name_indent}{container.get('name', '')}:\n")
    if status is not None:
        w.write(LEVEL_2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(LEVEL_2, f"Image:\t{container.get('image', '')}\n")
    if status is not None:
        w.write(LEVEL_2, f"Image ID:\t{status.get('imageID', '')}\n")
    ports = container.get("ports") or []
    port_string = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', '')}" for p in ports)
    if "," in port_string:
        w.write(LEVEL_2, f"Ports:\t{port_string}\n")
    else:
        w.write(LEVEL_2, f"Port:\t{string_or_none(port_string)}\n")
    host_ports = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', '')}" for p in ports)
    if "," in host_ports:
        w.write(LEVEL_2, f"Host Ports:\t{host_ports}\n")
    else:
        w.write(LEVEL_2, f"Host Port:\t{string_or_none(host_ports)}\n")
    seccomp = (container.get("securityContext") or {}).get("seccompProfile")
    if seccomp is not None:
        w.write(LEVEL_2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(LEVEL_3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def _command(container: Object, w: Writer) -> None:
    for field, title in (("command", "Command"), ("args", "Args")):
        values = container.get(field) or []
        if values:
            w.write(LEVEL_2, f"{title}:\n")
            for value in values:
                for line in str(value).split("\n"):
                    w.write(LEVEL_3, f"{line}\n")


def _state(ctx: Context, status: Object, w: Writer) -> None:
    """describeContainerState: State, Last State (only a terminated one), Ready, Restart Count."""
    describe_status(ctx, "State", status.get("state") or {}, w)
    last = status.get("lastState") or {}
    if last.get("terminated") is not None:
        describe_status(ctx, "Last State", last, w)
    w.write(LEVEL_2, f"Ready:\t{print_bool(bool(status.get('ready')))}\n")
    w.write(LEVEL_2, f"Restart Count:\t{int(status.get('restartCount') or 0)}\n")


def describe_status(ctx: Context, name: str, state: Object, w: Writer) -> None:
    """describeStatus: Running / Waiting / Terminated with their details."""
    if state.get("running") is not None:
        w.write(LEVEL_2, f"{name}:\tRunning\n")
        w.write(LEVEL_3, f"Started:\t{ctx.rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        terminated = state["terminated"]
        w.write(LEVEL_2, f"{name}:\tTerminated\n")
        if terminated.get("reason"):
            w.write(LEVEL_3, f"Reason:\t{terminated['reason']}\n")
        if terminated.get("message"):
            w.write(LEVEL_3, f"Message:\t{terminated['message']}\n")
        w.write(LEVEL_3, f"Exit Code:\t{int(terminated.get('exitCode') or 0)}\n")
        if int(terminated.get("signal") or 0) > 0:
            w.write(LEVEL_3, f"Signal:\t{terminated['signal']}\n")
        w.write(LEVEL_3, f"Started:\t{ctx.rfc1123z(terminated.get('startedAt'))}\n")
        w.write(LEVEL_3, f"Finished:\t{ctx.rfc1123z(terminated.get('finishedAt'))}\n")
    else:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")


def describe_resources(resources: Object | None, w: Writer, level: int) -> None:
    """describeResources: Limits then Requests, each sorted by resource name."""
    if resources is None:
        return
    for field, title in (("limits", "Limits"), ("requests", "Requests")):
        values = resources.get(field) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{quantity.canonical(values[name])}\n")


def _probes(container: Object, w: Writer) -> None:
    for field, title in (
        ("livenessProbe", "Liveness"),
        ("readinessProbe", "Readiness"),
        ("startupProbe", "Startup"),
    ):
        probe = container.get(field)
        if probe is not None:
            w.write(LEVEL_2, f"{title}:\t{describe_probe(probe)}\n")


def describe_probe(probe: Object) -> str:
    """DescribeProbe: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 ...`."""
    attrs = (
        f"delay={int(probe.get('initialDelaySeconds') or 0)}s "
        f"timeout={int(probe.get('timeoutSeconds') or 0)}s "
        f"period={int(probe.get('periodSeconds') or 0)}s "
        f"#success={int(probe.get('successThreshold') or 0)} "
        f"#failure={int(probe.get('failureThreshold') or 0)}"
    )
    if probe.get("exec") is not None:
        return f"exec {go_slice(probe['exec'].get('command'))} {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        scheme = str(get.get("scheme") or "").lower()
        port, host = _port_string(get.get("port")), str(get.get("host") or "")
        # net.JoinHostPort brackets IPv6 hosts; url.URL.String omits "scheme:" when empty
        netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
        path = str(get.get("path") or "")
        if path and not path.startswith("/") and netloc:
            path = "/" + path  # url.URL.String keeps a path absolute after a host
        url = (f"{scheme}:" if scheme else "") + f"//{netloc}{path}"
        return f"http-get {url} {attrs}"
    if probe.get("tcpSocket") is not None:
        socket = probe["tcpSocket"]
        return f"tcp-socket {socket.get('host') or ''}:{_port_string(socket.get('port'))} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{int(grpc.get('port') or 0)} {grpc.get('service') or ''} {attrs}"
    return f"unknown {attrs}"


def _port_string(port: object) -> str:
    """intstr.IntOrString.String()."""
    return "" if port is None else str(port)


def _env_from(container: Object, w: Writer) -> None:
    w.write(LEVEL_2, "Environment Variables from:\n")
    for source in container.get("envFrom") or []:
        origin, name, optional = "", "", False
        if source.get("configMapRef") is not None:
            ref = source["configMapRef"]
            origin, name, optional = "ConfigMap", ref.get("name", ""), bool(ref.get("optional"))
        elif source.get("secretRef") is not None:
            ref = source["secretRef"]
            origin, name, optional = "Secret", ref.get("name", ""), bool(ref.get("optional"))
        prefix = source.get("prefix") or ""
        flag = "true" if optional else "false"
        if not prefix:
            w.write(LEVEL_3, f"{name}\t{origin}\tOptional: {flag}\n")
        else:
            w.write(LEVEL_3, f"{name}\t{origin} with prefix '{prefix}'\tOptional: {flag}\n")


def _env(container: Object, resolver: EnvResolver | None, w: Writer) -> None:
    """describeContainerEnvVars: values, fieldRefs resolved against the pod, key references."""
    env = container.get("env") or []
    w.write(LEVEL_2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
    for var in env:
        name = var.get("name", "")
        source = var.get("valueFrom")
        if source is None:
            for i, line in enumerate(str(var.get("value") or "").split("\n")):
                w.write(LEVEL_3, f"{name}:\t{line}\n" if i == 0 else f"\t{line}\n")
            continue
        if source.get("fieldRef") is not None:
            field = source["fieldRef"]
            value = resolver(field) if resolver is not None else ""
            w.write(
                LEVEL_3,
                f"{name}:\t{value} ({field.get('apiVersion', '')}:{field.get('fieldPath', '')})\n",
            )
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            resource = str(ref.get("resource", ""))
            value = container_resource_value(ref, container)
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(LEVEL_3, f"{name}:\t{value} ({resource})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            flag = "true" if ref.get("optional") else "false"
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' in secret "
                f"'{ref.get('name', '')}'>\tOptional: {flag}\n",
            )
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            flag = "true" if ref.get("optional") else "false"
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' of config map "
                f"'{ref.get('name', '')}'>\tOptional: {flag}\n",
            )


def container_resource_value(ref: Object, container: Object) -> str:
    """kubectl util/resource ExtractContainerResourceValue: the ceiling of value / divisor."""
    divisor = quantity.parse(ref.get("divisor"))
    if divisor.is_zero():
        divisor = quantity.parse("1")
    section, _, name = str(ref.get("resource", "")).partition(".")
    if section not in ("limits", "requests") or name not in ("cpu", "memory", "ephemeral-storage"):
        return ""  # "Unsupported container resource"; describe prints an empty value
    amount = quantity.parse(((container.get("resources") or {}).get(section) or {}).get(name))
    if name == "cpu":
        return str(math.ceil(amount.milli_value() / divisor.milli_value()))
    return str(math.ceil(amount.int_value() / divisor.int_value()))


def _mounts(container: Object, w: Writer) -> None:
    """describeContainerVolumes: mounts sorted by path, `(ro)` / `(rw)`, subPath; devices."""
    mounts = container.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(LEVEL_2, f"Mounts:{none}\n")
    for mount in sorted(mounts, key=lambda m: str(m.get("mountPath", ""))):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f'path="{mount["subPath"]}"')
        w.write(
            LEVEL_3,
            f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n",
        )
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(LEVEL_2, f"Devices:{none}\n")
        for device in sorted(devices, key=lambda d: str(d.get("devicePath", ""))):
            w.write(LEVEL_3, f"{device.get('devicePath', '')} from {device.get('name', '')}\n")
