"""kubesim expose: a Service for a deployment, pod, replica set or service, with kubectl's
generator (selector and ports read from the object unless flags give them)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Kubesim

EXPOSED = """\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: nginx
  name: nginx
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: nginx
status:
  loadBalancer: {}
"""


@pytest.fixture
def nginx(kubesim: Kubesim) -> Kubesim:
    kubesim("create deployment nginx --image=nginx:1.25 --port=80")
    return kubesim


def test_expose_reads_selector_and_port_from_the_deployment(nginx: Kubesim) -> None:
    assert nginx("expose deployment nginx --dry-run=client -o yaml").out == EXPOSED
    assert nginx("expose deployment nginx").out == "service/nginx exposed\n"
    nginx("tick 10")
    endpoints = nginx("get ep nginx -o jsonpath={.subsets[0].addresses[*].ip}").out
    assert endpoints == nginx("get pods -l app=nginx -o jsonpath={.items[*].status.podIP}").out


def test_expose_with_flags(nginx: Kubesim) -> None:
    result = nginx(
        "expose deploy/nginx --name=front --port=8080,8443 --target-port=80 --type=NodePort"
    )
    assert result.out == "service/front exposed\n"
    ports = json.loads(nginx("get svc front -o jsonpath={.spec.ports}").out)
    assert [(p["name"], p["port"], p["targetPort"]) for p in ports] == [
        ("port-1", 8080, 80),
        ("port-2", 8443, 80),
    ]
    assert all(30000 <= p["nodePort"] <= 32767 for p in ports)


def test_expose_refusals(nginx: Kubesim) -> None:
    nginx("create deployment bare --image=nginx:1.25")
    no_port = nginx("expose deployment bare")
    assert (no_port.code, no_port.err) == (
        1,
        "error: couldn't find port via --port flag or introspection\n"
        "See 'kubesim expose -h' for help and examples\n",
    )
    nginx("create -f -", stdin=STATEFULSET)
    assert nginx("expose sts web --port=80").err == "error: cannot expose a StatefulSet.apps\n"
    assert nginx("expose deployment nope --port=80").err == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
"""
