"""NodePort and LoadBalancer Services: a port of 30000-32767 on every node for each service
port, as the apiserver allocates it (kind gives a LoadBalancer no external address)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Kubesim

NODE_PORT = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: {type}
  selector:
    app: web
  ports:
  - port: 80
{extra}"""


def test_a_node_port_is_allocated_and_kept(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=NODE_PORT.format(type="NodePort", extra=""))
    port = int(kubesim("get svc web -o jsonpath={.spec.ports[0].nodePort}").out)
    assert 30000 <= port <= 32767
    row = kubesim("get svc web --no-headers").out.split()
    assert (row[1], row[3], row[4]) == ("NodePort", "<none>", f"80:{port}/TCP")
    kubesim("""patch svc web -p '{"spec":{"type":"LoadBalancer"}}'""")
    row = kubesim("get svc web --no-headers").out.split()
    assert (row[1], row[3], row[4]) == ("LoadBalancer", "<pending>", f"80:{port}/TCP")
    kubesim("""patch svc web -p '{"spec":{"type":"ClusterIP"}}'""")
    assert kubesim("get svc web -o jsonpath={.spec.ports[0].nodePort}").out == ""


def test_node_ports_asked_for(kubesim: Kubesim) -> None:
    low = kubesim(
        "create -f -", stdin=NODE_PORT.format(type="NodePort", extra="    nodePort: 80\n")
    )
    assert (low.code, low.err) == (
        1,
        'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port '
        "is not in the valid range. The range of valid ports is 30000-32767\n",
    )
    fixed = NODE_PORT.format(type="NodePort", extra="    nodePort: 30080\n")
    assert kubesim("create -f -", stdin=fixed).out == "service/web created\n"
    taken = kubesim("create -f -", stdin=fixed.replace("name: web", "name: web2"))
    assert taken.err == (
        'The Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided '
        "port is already allocated\n"
    )
    clusterip = kubesim(
        "create -f -",
        stdin=NODE_PORT.format(type="ClusterIP", extra="    nodePort: 30081\n").replace(
            "name: web", "name: web3"
        ),
    )
    assert clusterip.err == (
        'The Service "web3" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when '
        "`type` is 'ClusterIP'\n"
    )


def test_a_service_changing_type_loses_what_only_the_old_type_used(kubesim: Kubesim) -> None:
    """dropTypeDependentFields: LoadBalancer to NodePort drops allocateLoadBalancerNodePorts,
    NodePort to ClusterIP the node ports and externalTrafficPolicy."""
    kubesim("create deployment web --image=nginx")
    kubesim("expose deployment web --port=80")

    def spec() -> dict[str, Any]:
        return json.loads(kubesim("get svc web -o json").out)["spec"]  # type: ignore[no-any-return]

    kubesim('patch svc web -p \'{"spec":{"type":"LoadBalancer"}}\'')
    balanced = spec()
    assert balanced["allocateLoadBalancerNodePorts"] is True
    assert balanced["externalTrafficPolicy"] == "Cluster"
    kubesim('patch svc web -p \'{"spec":{"type":"NodePort"}}\'')
    node_port = spec()
    assert "allocateLoadBalancerNodePorts" not in node_port
    assert node_port["ports"][0]["nodePort"] == balanced["ports"][0]["nodePort"]
    kubesim('patch svc web -p \'{"spec":{"type":"ClusterIP"}}\'')
    cluster_ip = spec()
    assert "externalTrafficPolicy" not in cluster_ip and "nodePort" not in cluster_ip["ports"][0]
    assert cluster_ip["clusterIP"] == balanced["clusterIP"]
