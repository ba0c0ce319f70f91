"""The PrefixWriter and Go text/tabwriter layout describe output goes through."""

from __future__ import annotations

from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter, tabwrite


def test_consecutive_lines_with_a_tab_share_a_column() -> None:
    assert tabwrite("Name:\tweb-0\nNamespace:\tdefault\n") == (
        "Name:       web-0\nNamespace:  default\n"
    )


def test_a_line_without_a_tab_ends_the_column_block() -> None:
    text = "Name:\tweb\nContainers:\n  Image:\tnginx\n  Port:\t80/TCP\n"
    assert tabwrite(text) == "Name:  web\nContainers:\n  Image:  nginx\n  Port:   80/TCP\n"


def test_later_columns_are_aligned_within_their_own_block() -> None:
    text = "  Type\tReason\tAge\n  ----\t------\t---\n  Normal\tScheduled\t5s\nEvents:\t<none>\n"
    assert tabwrite(text) == (
        "  Type    Reason     Age\n"
        "  ----    ------     ---\n"
        "  Normal  Scheduled  5s\n"
        "Events:   <none>\n"
    )


def test_an_empty_last_cell_keeps_the_padding_of_the_column() -> None:
    assert tabwrite("IP:\t\nIPs:\t<none>\n") == "IP:   \nIPs:  <none>\n"


def test_prefix_writer_indents_two_spaces_a_level() -> None:
    w = PrefixWriter()
    w.write(LEVEL_0, "Containers:\n")
    w.write(LEVEL_1, "nginx:\n")
    w.write(LEVEL_2, "Image:\tnginx:1.9.1\n")
    assert w.text() == "Containers:\n  nginx:\n    Image:  nginx:1.9.1\n"


def test_flush_starts_new_columns() -> None:
    w = PrefixWriter()
    w.write(LEVEL_0, "Status:\tRunning\n")
    w.flush()
    w.write(LEVEL_0, "A very long label:\tvalue\n")
    assert w.text() == "Status:  Running\nA very long label:  value\n"


def test_terminal_control_characters_are_escaped() -> None:
    w = PrefixWriter()
    w.write(LEVEL_0, "Message:\tred \x1b[31malert\r\n")
    w.write_line("done")
    assert w.text() == "Message:  red ^[[31malert\\r\ndone\n"
