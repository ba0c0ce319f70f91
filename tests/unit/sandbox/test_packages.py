"""The package catalogue and the pure parts of the package managers."""

from __future__ import annotations

from kubesim.sandbox.programs import packages


def test_size_text_is_apt_s_size_to_str() -> None:
    assert packages.size_text(151000) == "151 k"
    assert packages.size_text(55400) == "55.4 k"
    assert packages.size_text(8792000) == "8792 k"
    assert packages.size_text(9303) == "9303 "
    assert packages.size_text(25_700_000) == "25.7 M"


def test_closure_puts_dependencies_first_and_recommends_after() -> None:
    catalogue = {
        "app": {"depends": ["lib"], "recommends": ["extra"]},
        "lib": {"depends": ["base"]},
        "base": {},
        "extra": {"depends": ["base"]},
    }
    assert packages.closure(catalogue, "app") == ["base", "lib", "app", "extra"]
    assert packages.closure(catalogue, "app", recommends=False) == ["base", "lib", "app"]


def test_every_dependency_in_the_catalogue_is_listed() -> None:
    for name, distro in packages.catalogue().items():
        listed = distro["packages"]
        for package, entry in listed.items():
            for field in ("depends", "recommends"):
                for dependency in entry.get(field) or []:
                    assert dependency in listed, (name, package, dependency)
            assert entry["version"], (name, package)
