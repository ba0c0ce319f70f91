"""The trap builtin's pure parts: conditions, quoting and listings as each shell prints them."""

from __future__ import annotations

from kubesim.sandbox.builtins import trap


def test_conditions_by_name_number_or_signame() -> None:
    assert [trap.condition(c) for c in ("TERM", "sigint", "15", "0", "EXIT", "FOO", "99")] == [
        "TERM", "INT", "TERM", "EXIT", "EXIT", None, None,
    ]  # fmt: skip


def test_single_quote_as_ash_and_dash_write_it() -> None:
    assert trap.single_quote("echo bye") == "'echo bye'"
    assert trap.single_quote("it's") == "'it'\"'\"'s'"
    assert trap.single_quote("a''") == "'a'\"''\""
    assert trap.single_quote("") == "''"


def test_listings_in_signal_order() -> None:
    traps = {"TERM": "echo bye; exit 0", "EXIT": "echo done", "HUP": ""}
    assert trap.listing("ash", traps) == (
        "trap -- 'echo done' EXIT\ntrap -- '' HUP\ntrap -- 'echo bye; exit 0' TERM\n"
    )
    assert trap.listing("bash", {"TERM": "it's", "EXIT": "x"}) == (
        "trap -- 'x' EXIT\ntrap -- 'it'\\''s' SIGTERM\n"
    )
