"""describe service, endpoints and endpointslice: exact text."""

from __future__ import annotations

from kubesim.printers.describe import describe
from tests.unit.printers.describe import objects as o

READY = (
    ("web-0", "10.244.1.2", "kubesim-worker", True),
    ("web-1", "10.244.2.2", "kubesim-worker2", True),
)


def test_headless_service_of_the_tutorial_lists_its_ready_endpoints() -> None:
    """Endpoints come from the EndpointSlices labelled with the service's name."""
    svc = o.headless_service()
    ctx = o.context(svc, o.endpoint_slice(*READY))
    assert describe(ctx, "services", svc) == (
        "Name:                     nginx\n"
        "Namespace:                default\n"
        "Labels:                   app=nginx\n"
        "Annotations:              <none>\n"
        "Selector:                 app=nginx\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       None\n"
        "IPs:                      None\n"
        "Port:                     web  80/TCP\n"
        "TargetPort:               80/TCP\n"
        "Endpoints:                10.244.1.2:80,10.244.2.2:80\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def test_node_port_service_shows_three_ready_endpoints_and_counts_the_rest() -> None:
    """Unnamed port `<unset>`, a named targetPort, NodePort, `+ N more...` after three, unready skipped."""
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "uid": "u-web"},
        "spec": {
            "type": "NodePort",
            "clusterIP": "10.96.120.7",
            "clusterIPs": ["10.96.120.7"],
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": "http", "nodePort": 30080}],
            "selector": {"app": "web", "tier": "front"},
            "sessionAffinity": "None",
            "externalTrafficPolicy": "Cluster",
            "internalTrafficPolicy": "Cluster",
        },
    }
    eps = {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
        "metadata": {"name": "web-abc", "namespace": "default",
                     "labels": {"kubernetes.io/service-name": "web"}},
        "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": [f"10.244.1.{i}"], "conditions": {"ready": i != 3}}
                      for i in range(1, 7)],
    }  # fmt: skip
    assert describe(o.context(svc, eps), "services", svc) == (
        "Name:                     web\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web,tier=front\n"
        "Type:                     NodePort\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.120.7\n"
        "IPs:                      10.96.120.7\n"
        "Port:                     <unset>  80/TCP\n"
        "TargetPort:               http/TCP\n"
        "NodePort:                 <unset>  30080/TCP\n"
        "Endpoints:                10.244.1.1:8080,10.244.1.2:8080,10.244.1.4:8080 + 2 more...\n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Cluster\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def test_service_without_endpoint_slices_has_no_endpoints() -> None:
    """No EndpointSlice for the service: `Endpoints:  <none>`."""
    svc = o.headless_service()
    assert describe(o.context(svc), "services", svc) == (
        "Name:                     nginx\n"
        "Namespace:                default\n"
        "Labels:                   app=nginx\n"
        "Annotations:              <none>\n"
        "Selector:                 app=nginx\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       None\n"
        "IPs:                      None\n"
        "Port:                     web  80/TCP\n"
        "TargetPort:               80/TCP\n"
        "Endpoints:                <none>\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def test_endpoints_of_the_headless_service() -> None:
    """Each subset: ready and not-ready addresses and the ports table, then a blank line."""
    ep = o.endpoints(
        ("web-0", "10.244.1.2", "kubesim-worker"), ("web-1", "10.244.2.2", "kubesim-worker2")
    )
    assert describe(o.context(ep), "endpoints", ep) == (
        "Name:         nginx\n"
        "Namespace:    default\n"
        "Labels:       app=nginx\n"
        "              service.kubernetes.io/headless=\n"
        "Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2025-03-01T10:00:09Z\n"
        "Subsets:\n"
        "  Addresses:          10.244.1.2,10.244.2.2\n"
        "  NotReadyAddresses:  <none>\n"
        "  Ports:\n"
        "    Name  Port  Protocol\n"
        "    ----  ----  --------\n"
        "    web   80    TCP\n"
        "\n"
        "Events:  <none>\n"
    )


def test_endpoint_slice_lists_each_endpoint() -> None:
    """Addresses, readiness, hostname, target and node of each endpoint; zone <unset>."""
    eps = o.endpoint_slice(*READY[:1], ("web-1", "10.244.2.2", "kubesim-worker2", False))
    assert describe(o.context(eps), "endpointslices.discovery.k8s.io", eps) == (
        "Name:         nginx-g5fr9\n"
        "Namespace:    default\n"
        "Labels:       app=nginx\n"
        "              endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io\n"
        "              kubernetes.io/service-name=nginx\n"
        "              service.kubernetes.io/headless=\n"
        "Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2025-03-01T10:00:09Z\n"
        "AddressType:  IPv4\n"
        "Ports:\n"
        "  Name  Port  Protocol\n"
        "  ----  ----  --------\n"
        "  web   80    TCP\n"
        "Endpoints:\n"
        "  - Addresses:  10.244.1.2\n"
        "    Conditions:\n"
        "      Ready:    true\n"
        "    Hostname:   web-0\n"
        "    TargetRef:  Pod/web-0\n"
        "    NodeName:   kubesim-worker\n"
        "    Zone:       <unset>\n"
        "  - Addresses:  10.244.2.2\n"
        "    Conditions:\n"
        "      Ready:    false\n"
        "    Hostname:   web-1\n"
        "    TargetRef:  Pod/web-1\n"
        "    NodeName:   kubesim-worker2\n"
        "    Zone:       <unset>\n"
        "Events:         <none>\n"
    )
