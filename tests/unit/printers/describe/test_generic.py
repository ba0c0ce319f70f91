"""The generic describer (controllerrevisions, events): every field, labelled as kubectl does."""

from __future__ import annotations

from kubesim.printers.describe import describe
from kubesim.printers.describe.generic import camelcase_split, smart_label
from tests.unit.printers.describe import objects as o


def test_controller_revision_prints_its_data_as_sections() -> None:
    """Nested maps open sections, lists of maps print their items, `$patch` keeps its name."""
    revision = {
        "apiVersion": "apps/v1", "kind": "ControllerRevision",
        "metadata": {"name": "web-6569c98b7d", "namespace": "default", "uid": "u-cr",
                     "creationTimestamp": o.at(1), "resourceVersion": "13",
                     "labels": {"app": "nginx", "controller.kubernetes.io/hash": "6569c98b7d"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True,
                                          "controller": True, "kind": "StatefulSet", "name": "web",
                                          "uid": o.STS_UID}]},
        "data": {"spec": {"template": {"$patch": "replace",
                                       "metadata": {"labels": {"app": "nginx"}},
                                       "spec": {"containers": [{"image": "nginx:1.9.1", "name": "nginx",
                                                                "ports": [{"containerPort": 80, "name": "web",
                                                                           "protocol": "TCP"}],
                                                                "resources": {}}],
                                                "dnsPolicy": "ClusterFirst"}}}},
        "revision": 1,
    }  # fmt: skip
    assert describe(o.context(revision), "controllerrevisions.apps", revision) == (
        "Name:         web-6569c98b7d\n"
        "Namespace:    default\n"
        "Labels:       app=nginx\n"
        "              controller.kubernetes.io/hash=6569c98b7d\n"
        "Annotations:  <none>\n"
        "API Version:  apps/v1\n"
        "Data:\n"
        "  Spec:\n"
        "    Template:\n"
        "      $patch:  replace\n"
        "      Metadata:\n"
        "        Labels:\n"
        "          App:  nginx\n"
        "      Spec:\n"
        "        Containers:\n"
        "          Image:  nginx:1.9.1\n"
        "          Name:   nginx\n"
        "          Ports:\n"
        "            Container Port:  80\n"
        "            Name:            web\n"
        "            Protocol:        TCP\n"
        "          Resources:\n"
        "        Dns Policy:  ClusterFirst\n"
        "Kind:                ControllerRevision\n"
        "Metadata:\n"
        "  Creation Timestamp:  2025-03-01T10:00:01Z\n"
        "  Owner References:\n"
        "    API Version:           apps/v1\n"
        "    Block Owner Deletion:  true\n"
        "    Controller:            true\n"
        "    Kind:                  StatefulSet\n"
        "    Name:                  web\n"
        "    UID:                   19bbad58-d8a4-4bcd-aef9-66cd73717607\n"
        "  Resource Version:        13\n"
        "  UID:                     u-cr\n"
        "Revision:                  1\n"
        "Events:                    <none>\n"
    )


def test_event_prints_null_event_time_as_go_nil() -> None:
    """An Event described: `Event Time:  <nil>`, its involved object as a section."""
    scheduled = o.pod_events(o.pod())[0]
    assert describe(o.context(scheduled), "events", scheduled) == (
        "Name:             web-0.0000000000000002\n"
        "Namespace:        default\n"
        "Labels:           <none>\n"
        "Annotations:      <none>\n"
        "API Version:      v1\n"
        "Count:            1\n"
        "Event Time:       <nil>\n"
        "First Timestamp:  2025-03-01T10:00:02Z\n"
        "Involved Object:\n"
        "  API Version:       v1\n"
        "  Kind:              Pod\n"
        "  Name:              web-0\n"
        "  Namespace:         default\n"
        "  Resource Version:  26\n"
        "  UID:               4b4d6fa2-2f5a-425e-b8f7-a6ef18705c50\n"
        "Kind:                Event\n"
        "Last Timestamp:      2025-03-01T10:00:02Z\n"
        "Message:             Successfully assigned default/web-0 to kubesim-worker\n"
        "Metadata:\n"
        "  Creation Timestamp:  2025-03-01T10:00:02Z\n"
        "  UID:                 event-web-0-2\n"
        "Reason:                Scheduled\n"
        "Reporting Component:   default-scheduler\n"
        "Reporting Instance:    \n"
        "Source:\n"
        "  Component:  default-scheduler\n"
        "Type:         Normal\n"
        "Events:       <none>\n"
    )


def test_smart_label_splits_camel_case_and_upper_cases_acronyms() -> None:
    assert smart_label("apiVersion") == "API Version"
    assert smart_label("ownerReferences") == "Owner References"
    assert smart_label("uid") == "UID"
    assert smart_label("dnsPolicy") == "Dns Policy"
    assert smart_label("$patch") == "$patch"  # not only letters: printed as it is
    assert smart_label("pod-index") == "Pod - Index"


def test_camelcase_split_keeps_an_acronym_before_a_word() -> None:
    assert camelcase_split("PDFLoader") == ["PDF", "Loader"]
    assert camelcase_split("podIPs") == ["pod", "I", "Ps"]
