from __future__ import annotations

from kubesim.network.dns import build_records, resolve, search_candidates
from tests.unit.network.objects import (
    ENDPOINTS,
    PODS,
    SERVICES,
    address,
    endpoints,
    service,
    tutorial_records,
)

SEARCH = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"]


def test_headless_service_answers_every_ready_endpoint_in_object_order() -> None:
    assert tutorial_records().lookup_a("nginx.default.svc.cluster.local") == [
        "10.244.1.2",
        "10.244.2.2",
    ]


def test_endpoint_hostname_names_its_pod() -> None:
    assert tutorial_records().lookup_a("web-1.nginx.default.svc.cluster.local") == ["10.244.2.2"]


def test_cluster_ip_service_answers_its_virtual_ip() -> None:
    assert tutorial_records().lookup_a("kubernetes.default.svc.cluster.local") == ["10.96.0.1"]


def test_lookups_ignore_case_and_trailing_dot() -> None:
    assert tutorial_records().lookup_a("WEB-0.Nginx.default.svc.cluster.local.") == ["10.244.1.2"]


def test_name_outside_the_zone_is_nxdomain() -> None:
    assert tutorial_records().lookup_a("web-0.nginx") == []


def test_unknown_service_is_nxdomain() -> None:
    assert tutorial_records().lookup_a("nosuch.default.svc.cluster.local") == []


def test_not_ready_addresses_are_not_published() -> None:
    ep = endpoints("nginx", [address("10.244.1.2", "web-0")], [address("10.244.2.2", "web-1")])
    records = build_records([service("nginx")], [ep], [])
    assert records.lookup_a("web-1.nginx.default.svc.cluster.local") == []


def test_publish_not_ready_addresses_publishes_them() -> None:
    ep = endpoints("nginx", [], [address("10.244.2.2", "web-1")])
    svc = service("nginx", publishNotReadyAddresses=True)
    records = build_records([svc], [ep], [])
    assert records.lookup_a("nginx.default.svc.cluster.local") == ["10.244.2.2"]


def test_headless_service_without_ready_endpoints_is_nxdomain() -> None:
    records = build_records([service("nginx")], [endpoints("nginx", [])], [])
    assert records.lookup_a("nginx.default.svc.cluster.local") == []


def test_endpoint_without_hostname_is_named_by_its_dashed_ip() -> None:
    records = build_records([service("web", cluster_ip="10.96.5.5")],
                            [endpoints("web", [address("10.244.1.7")])], [])  # fmt: skip
    assert records.lookup_a("10-244-1-7.web.default.svc.cluster.local") == ["10.244.1.7"]


def test_ptr_of_a_cluster_ip_is_the_service_name() -> None:
    assert tutorial_records().lookup_ptr("10.96.0.10") == "kube-dns.kube-system.svc.cluster.local"


def test_ptr_of_a_headless_endpoint_is_its_hostname_under_the_service() -> None:
    assert tutorial_records().lookup_ptr("10.244.1.2") == "web-0.nginx.default.svc.cluster.local"


def test_ptr_of_an_endpoint_without_hostname_uses_the_dashed_ip() -> None:
    assert tutorial_records().lookup_ptr("172.18.0.2") == (
        "172-18-0-2.kubernetes.default.svc.cluster.local"
    )


def test_ptr_of_an_unknown_ip_is_none() -> None:
    assert tutorial_records().lookup_ptr("10.244.9.9") is None


def test_external_name_service_is_a_cname() -> None:
    svc = service("db", cluster_ip="", type="ExternalName", externalName="db.example.com")
    records = build_records([svc], [], [])
    assert records.lookup_cname("db.default.svc.cluster.local") == "db.example.com"


def test_pod_record_answers_any_dashed_ip_with_pods_insecure() -> None:
    assert tutorial_records().lookup_a("10-244-7-7.default.pod.cluster.local") == ["10.244.7.7"]


def test_pod_record_checks_the_pod_with_pods_verified() -> None:
    records = build_records(SERVICES, ENDPOINTS, PODS, pods_mode="verified")
    assert records.lookup_a("10-244-7-7.default.pod.cluster.local") == []


def test_short_names_try_the_search_list_first() -> None:
    assert search_candidates("web-0.nginx", SEARCH, 5) == [
        "web-0.nginx.default.svc.cluster.local",
        "web-0.nginx.svc.cluster.local",
        "web-0.nginx.cluster.local",
        "web-0.nginx",
    ]


def test_names_with_ndots_dots_are_tried_as_is_first() -> None:
    assert search_candidates("a.b.c", SEARCH, 2)[0] == "a.b.c"


def test_a_trailing_dot_makes_a_name_absolute() -> None:
    assert search_candidates("nginx.default.svc.cluster.local.", SEARCH, 5) == [
        "nginx.default.svc.cluster.local"
    ]


def test_resolve_walks_the_search_list() -> None:
    assert resolve(tutorial_records(), "web-0.nginx", SEARCH, 5) == (
        "web-0.nginx.default.svc.cluster.local",
        ["10.244.1.2"],
    )


def test_resolve_reaches_another_namespace_with_the_short_form() -> None:
    assert resolve(tutorial_records(), "kube-dns.kube-system", SEARCH, 5) == (
        "kube-dns.kube-system.svc.cluster.local",
        ["10.96.0.10"],
    )


def test_resolve_returns_ip_literals_unchanged() -> None:
    assert resolve(tutorial_records(), "10.1.2.3", SEARCH, 5) == ("10.1.2.3", ["10.1.2.3"])


def test_resolve_gives_none_for_unknown_names() -> None:
    assert resolve(tutorial_records(), "nosuch", SEARCH, 5) is None


def test_resolve_follows_a_cname_inside_the_zone() -> None:
    alias = service("alias", cluster_ip="", type="ExternalName",
                    externalName="kubernetes.default.svc.cluster.local")  # fmt: skip
    records = build_records([*SERVICES, alias], ENDPOINTS, PODS)
    assert resolve(records, "alias", SEARCH, 5) == (
        "alias.default.svc.cluster.local",
        ["10.96.0.1"],
    )
