"""NodePort and LoadBalancer Services: a port of 30000-32767 on every node for each service
port, as the apiserver allocates it (kind gives a LoadBalancer no external address)."""

from __future__ import annotations

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
