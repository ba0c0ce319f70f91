"""`kubectl describe` for Services, Endpoints and EndpointSlices (describe.go describeService,
formatEndpointSlices, describeEndpoints, describeEndpointSliceV1)."""

from __future__ import annotations

from collections.abc import Sequence

from kubesim.printers.describe.common import (
    Context,
    Object,
    format_labels,
    metadata,
    print_annotations_multiline,
    print_labels_multiline,
)
from kubesim.printers.describe.events import describe_events, events_for
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter

SERVICE_NAME_LABEL = "kubernetes.io/service-name"  # discoveryv1.LabelServiceName


def describe_service(ctx: Context, service: Object) -> str:
    md, spec = metadata(service), service.get("spec") or {}
    status = service.get("status") or {}
    # ServiceDescriber lists the EndpointSlices labelled with the service's name
    slices = [
        s
        for s in ctx.objects("endpointslices.discovery.k8s.io", md.get("namespace") or None)
        if (metadata(s).get("labels") or {}).get(SERVICE_NAME_LABEL) == md.get("name")
    ]
    events = events_for(ctx, service)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(LEVEL_0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(LEVEL_0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(LEVEL_0, f"IP:\t{spec.get('clusterIP', '')}\n")
    cluster_ips = spec.get("clusterIPs") or []
    w.write(LEVEL_0, f"IPs:\t{','.join(cluster_ips) if cluster_ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(LEVEL_0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(LEVEL_0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(LEVEL_0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.write(LEVEL_0, f"LoadBalancer Ingress:\t{_ingress_string(ingress)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "")
        w.write(LEVEL_0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        w.write(LEVEL_0, f"TargetPort:\t{port.get('targetPort', 0)}/{protocol}\n")
        if port.get("nodePort"):
            w.write(LEVEL_0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(
            LEVEL_0, f"Endpoints:\t{format_endpoint_slices(slices, {port.get('name') or ''})}\n"
        )
    w.write(LEVEL_0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(LEVEL_0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(LEVEL_0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(LEVEL_0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(
            LEVEL_0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n"
        )
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _ingress_string(ingress: Sequence[Object]) -> str:
    """buildIngressString: IPs (with their ipMode) or hostnames, comma separated."""
    parts = []
    for entry in ingress:
        if entry.get("ip"):
            mode = f" ({entry['ipMode']})" if entry.get("ipMode") is not None else ""
            parts.append(f"{entry['ip']}{mode}")
        else:
            parts.append(str(entry.get("hostname", "")))
    return ", ".join(parts)


def _join_host_port(host: str, port: object) -> str:
    """net.JoinHostPort: IPv6 addresses in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _is_ready(endpoint: Object) -> bool:
    # a nil `ready` means unknown, which consumers treat as ready (discovery/v1 types.go)
    ready = (endpoint.get("conditions") or {}).get("ready")
    return ready is None or bool(ready)


def format_endpoint_slices(slices: Sequence[Object], ports: set[str] | None) -> str:
    """formatEndpointSlices: up to three ready `ip:port`s, then `+ N more...`."""
    if not slices:
        return "<none>"
    listed: list[str] = []
    limit, more, count = 3, False, 0
    for eps in slices:
        endpoints = eps.get("endpoints") or []
        if not eps.get("ports"):
            # a headless service without ports: addresses alone
            for endpoint in endpoints:
                if len(listed) == limit:
                    more = True
                if not _is_ready(endpoint):
                    continue
                if not more:
                    listed.append(str((endpoint.get("addresses") or [""])[0]))
                count += 1
            continue
        for port in eps["ports"]:
            if ports is not None and (port.get("name") or "") not in ports:
                continue
            for endpoint in endpoints:
                if len(listed) == limit:
                    more = True
                if not _is_ready(endpoint):
                    continue
                if not more:
                    address = str((endpoint.get("addresses") or [""])[0])
                    listed.append(_join_host_port(address, port.get("port", 0)))
                count += 1
    text = ",".join(listed)
    return f"{text} + {count - limit} more..." if more else text


def describe_endpoints(ctx: Context, endpoints: Object) -> str:
    md = metadata(endpoints)
    events = events_for(ctx, endpoints)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, "Subsets:\n")
    for subset in endpoints.get("subsets") or []:
        ready = ",".join(str(a.get("ip", "")) for a in subset.get("addresses") or [])
        w.write(LEVEL_1, f"Addresses:\t{ready or '<none>'}\n")
        not_ready = ",".join(str(a.get("ip", "")) for a in subset.get("notReadyAddresses") or [])
        w.write(LEVEL_1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if subset.get("ports"):
            w.write(LEVEL_1, "Ports:\n")
            w.write(LEVEL_2, "Name\tPort\tProtocol\n")
            w.write(LEVEL_2, "----\t----\t--------\n")
            for port in subset["ports"]:
                name = port.get("name") or "<unset>"
                w.write(LEVEL_2, f"{name}\t{port.get('port', 0)}\t{port.get('protocol', '')}\n")
        w.write(LEVEL_0, "\n")
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def describe_endpoint_slice(ctx: Context, eps: Object) -> str:
    md = metadata(eps)
    events = events_for(ctx, eps)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or []
    if not ports:
        w.write(LEVEL_0, "Ports: <unset>\n")
    else:
        w.write(LEVEL_0, "Ports:\n")
        w.write(LEVEL_1, "Name\tPort\tProtocol\n")
        w.write(LEVEL_1, "----\t----\t--------\n")
        for port in ports:
            name = port.get("name") or "<unset>"
            number = "<unset>" if port.get("port") is None else str(port["port"])
            w.write(LEVEL_1, f"{name}\t{number}\t{port.get('protocol', '')}\n")
    endpoints = eps.get("endpoints") or []
    if not endpoints:
        w.write(LEVEL_0, "Endpoints: <none>\n")
    else:
        w.write(LEVEL_0, "Endpoints:\n")
        for endpoint in endpoints:
            addresses = ", ".join(endpoint.get("addresses") or [])
            w.write(LEVEL_1, f"- Addresses:\t{addresses or '<none>'}\n")
            w.write(LEVEL_2, "Conditions:\n")
            ready = (endpoint.get("conditions") or {}).get("ready")
            w.write(
                LEVEL_3, f"Ready:\t{'<unset>' if ready is None else str(bool(ready)).lower()}\n"
            )
            hostname = endpoint.get("hostname")
            w.write(LEVEL_2, f"Hostname:\t{'<unset>' if hostname is None else hostname}\n")
            target = endpoint.get("targetRef")
            if target is not None:
                w.write(LEVEL_2, f"TargetRef:\t{target.get('kind', '')}/{target.get('name', '')}\n")
            node = endpoint.get("nodeName")
            w.write(LEVEL_2, f"NodeName:\t{'<unset>' if node is None else node}\n")
            zone = endpoint.get("zone")
            w.write(LEVEL_2, f"Zone:\t{'<unset>' if zone is None else zone}\n")
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()
