"""Kubernetes Basics, module by module, as the tutorial types it (its curl steps made from inside
the cluster, through a node's address and the NodePort, as a kind user reaches them)."""

from __future__ import annotations

from tests.conftest import Kubesim

BOOTCAMP = "gcr.io/google-samples/kubernetes-bootcamp"
POD_NAMES = (
    "get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'"
)


def answer(pod: str, version: int) -> str:
    return f"Hello Kubernetes bootcamp! | Running on: {pod} | v={version}\n"


def test_kubernetes_basics(kubesim: Kubesim) -> None:
    # module 2: deploy an app
    assert kubesim(f"create deployment kubernetes-bootcamp --image={BOOTCAMP}:v1").out == (
        "deployment.apps/kubernetes-bootcamp created\n"
    )
    kubesim("tick 8")
    assert kubesim("get deployments").out.splitlines()[1].split()[:4] == [
        "kubernetes-bootcamp", "1/1", "1", "1",
    ]  # fmt: skip

    # module 3: explore the app
    (pod,) = kubesim(POD_NAMES).out.split()
    assert (
        "Image:          gcr.io/google-samples/kubernetes-bootcamp:v1"
        in kubesim("describe pods").out
    )
    assert kubesim(f'logs "{pod}"').out.startswith("Kubernetes Bootcamp App Started At: ")
    env = kubesim(f'exec "{pod}" -- env').out
    assert f"HOSTNAME={pod}\n" in env and "NODE_VERSION=6.3.1\n" in env
    assert "response.end(" in kubesim(f'exec -i "{pod}" -- cat server.js').out
    assert kubesim(f'exec "{pod}" -- curl -s http://localhost:8080').out == answer(pod, 1)

    # module 4: expose it with a Service
    kubesim('expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080')
    node_port = kubesim(
        "get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}'"
    ).out
    assert 30000 <= int(node_port) <= 32767
    node_ip = kubesim("get nodes kubesim-worker -o jsonpath='{.status.addresses[0].address}'").out
    through = f"exec {pod} -- curl -s http://{node_ip}:{node_port}"
    assert kubesim(through).out == answer(pod, 1)
    assert kubesim("get pods -l app=kubernetes-bootcamp -o name").out == f"pod/{pod}\n"
    assert kubesim(f'label pods "{pod}" version=v1').out == f"pod/{pod} labeled\n"
    assert kubesim("get pods -l version=v1 -o name").out == f"pod/{pod}\n"
    assert kubesim("delete service -l app=kubernetes-bootcamp").out == (
        'service "kubernetes-bootcamp" deleted\n'
    )
    refused = kubesim(through)
    assert refused.code == 7  # curl: Failed to connect
    assert kubesim(f'exec -ti "{pod}" -- curl -s http://localhost:8080').out == answer(pod, 1)

    # module 5: scale it; the Service spreads connections over the pods
    kubesim('expose deployment/kubernetes-bootcamp --type="NodePort" --port 8080')
    node_port = kubesim(
        "get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}'"
    ).out
    assert kubesim("scale deployments/kubernetes-bootcamp --replicas=4").out == (
        "deployment.apps/kubernetes-bootcamp scaled\n"
    )
    kubesim("tick 8")
    pods = kubesim(POD_NAMES).out.split()
    assert len(pods) == 4
    assert kubesim("get deployments").out.splitlines()[1].split()[1] == "4/4"
    described = kubesim("describe services/kubernetes-bootcamp").out
    (endpoints,) = [line for line in described.splitlines() if line.startswith("Endpoints:")]
    assert endpoints.count(":8080,") == 2 and endpoints.endswith(":8080 + 1 more...")
    seen = {kubesim(f"exec {pod} -- curl -s http://{node_ip}:{node_port}").out for _ in range(24)}
    assert len(seen) > 1 and seen <= {answer(p, 1) for p in pods}
    kubesim("scale deployments/kubernetes-bootcamp --replicas=2")
    kubesim("tick 40")
    assert len(kubesim(POD_NAMES).out.split()) == 2

    # module 6: a rolling update, a bad image, and the undo
    kubesim(
        "set image deployments/kubernetes-bootcamp "
        "kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2"
    )
    assert kubesim("rollout status deployments/kubernetes-bootcamp").out.endswith(
        'deployment "kubernetes-bootcamp" successfully rolled out\n'
    )
    kubesim("tick 40")
    pods = kubesim(POD_NAMES).out.split()
    client = pods[0]
    answers = {kubesim(f"exec {client} -- curl -s http://{node_ip}:{node_port}").out
               for _ in range(8)}  # fmt: skip
    assert answers <= {answer(p, 2) for p in pods}
    kubesim(f"set image deployments/kubernetes-bootcamp kubernetes-bootcamp={BOOTCAMP}:v10")
    kubesim("tick 10")
    statuses = {line.split()[2] for line in kubesim("get pods").out.splitlines()[1:]}
    assert statuses & {"ErrImagePull", "ImagePullBackOff"}
    assert kubesim("rollout undo deployments/kubernetes-bootcamp").out == (
        "deployment.apps/kubernetes-bootcamp rolled back\n"
    )
    kubesim("tick 40")
    images = kubesim("get pods -o jsonpath='{.items[*].spec.containers[0].image}'").out.split()
    assert set(images) == {"docker.io/jocatalin/kubernetes-bootcamp:v2"}
