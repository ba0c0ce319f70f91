"""Several resource types in one argument, as kubectl's resource builder reads them."""

from __future__ import annotations

from tests.conftest import SAMPLES, Kubesim


def test_get_two_types_prints_a_table_for_each(article: Kubesim) -> None:
    result = article("get sts,svc")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "NAME                   READY   AGE\n"
        "statefulset.apps/web   2/2     12s\n"
        "\n"
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   12s\n"
        "service/nginx        ClusterIP   None         <none>        80/TCP    12s\n"
    )


def test_types_with_names_are_each_type_with_each_name(article: Kubesim) -> None:
    result = article("get svc,sts nginx web -o name")
    assert result.out == "service/nginx\nstatefulset.apps/web\n"
    assert result.err == (
        'Error from server (NotFound): services "web" not found\n'
        'Error from server (NotFound): statefulsets.apps "nginx" not found\n'
    )
    assert result.code == 1


def test_delete_two_types_by_name(kubesim: Kubesim) -> None:
    kubesim("create deployment my-nginx --image=nginx")
    kubesim("expose deployment my-nginx --port=80")
    result = kubesim("delete deployments,svc my-nginx")
    assert (result.code, result.err) == (0, "")
    assert result.out == ('deployment.apps "my-nginx" deleted\nservice "my-nginx" deleted\n')


def test_all_with_a_name_is_refused(kubesim: Kubesim) -> None:
    result = kubesim("get all web")
    assert (result.code, result.err) == (1, "error: you must specify only one resource\n")


def test_resource_name_forms_kubectl_refuses(kubesim: Kubesim) -> None:
    result = kubesim("get pod/a/b")
    assert result.err == "error: arguments in resource/name form may not have more than one slash\n"
    result = kubesim("get pods,svc/x")
    assert (
        result.err
        == "error: arguments in resource/name form must have a single resource and name\n"
    )


def test_get_all_lists_the_all_category(article: Kubesim) -> None:
    article(f"create -f {SAMPLES / 'deployment.yaml'}")
    article("tick")
    names = [
        line.split()[0]
        for line in article("get all").out.splitlines()
        if line and not line.startswith("NAME")
    ]
    kinds = list(dict.fromkeys(n.split("/")[0] for n in names))
    assert kinds == ["pod", "service", "deployment.apps", "replicaset.apps", "statefulset.apps"]
