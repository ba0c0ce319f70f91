"""Name rules and their apimachinery messages."""

from __future__ import annotations

from kubesim.api import names


def test_dns1123_label() -> None:
    assert names.dns1123_label_errors("web-0") == []
    assert names.dns1123_label_errors("web.0") == ["must not contain dots"]
    assert names.dns1123_label_errors("Web") == [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
        "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
        "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]
    assert names.dns1123_label_errors("a" * 64)[0] == "must be no more than 63 characters"


def test_subdomain_allows_dots() -> None:
    assert names.dns1123_subdomain_errors("web.example.com") == []
    assert names.dns1123_subdomain_errors("-web")[0].startswith(
        "a lowercase RFC 1123 subdomain must"
    )


def test_label_keys_and_values() -> None:
    assert names.label_key_errors("statefulset.kubernetes.io/pod-name") == []
    assert names.label_key_errors("a/b/c")[0].startswith("a qualified name must consist")
    assert names.label_value_errors("") == []
    assert names.label_value_errors("-x")[0].startswith("a valid label must be an empty string")
