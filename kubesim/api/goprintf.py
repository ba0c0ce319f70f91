"""Go's fmt.Sprintf, fmt.Sprint and fmt.Sprintln over decoded JSON values.

A port of the verbs go-templates reach through printf, print and println (fmt/print.go and
fmt/format.go): flags `+-# 0`, width and precision (also `*`), argument indexes `[n]`, the verbs
v s q d x X o O b c U e E f F g G t T and %, and fmt's own error text: `%!d(string=x)`,
`%!d(MISSING)`, `%!(EXTRA int=2)`. Values are decoded JSON plus gofmt's GoInt and GoUint8;
None is Go's nil interface.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any

from kubesim.api.gofmt import GoUint8, go_float, go_kind, go_quote


def go_type(value: Any) -> str:
    """reflect.TypeOf(value).String(), as %T prints it; `<nil>` for nil."""
    return "<nil>" if value is None else go_kind(value)


def sprintf(format: str, args: Sequence[Any]) -> str:
    """fmt.Sprintf(format, args...)."""
    printer = _Printer()
    printer.printf(format, list(args))
    return "".join(printer.buf)


def sprint(args: Sequence[Any]) -> str:
    """fmt.Sprint(args...): a space between two operands when neither is a string."""
    printer = _Printer()
    previous_string = False
    for number, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if number > 0 and not is_string and not previous_string:
            printer.buf.append(" ")
        printer.print_arg(arg, "v")
        previous_string = is_string
    return "".join(printer.buf)


def sprintln(args: Sequence[Any]) -> str:
    """fmt.Sprintln(args...): operands separated by spaces, then a newline."""
    printer = _Printer()
    for number, arg in enumerate(args):
        if number > 0:
            printer.buf.append(" ")
        printer.print_arg(arg, "v")
    return "".join(printer.buf) + "\n"


class _Printer:
    """fmt's pp and fmt structs: the output buffer and the flags of the verb being printed."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.clear_flags()
        self.arg: Any = None

    def clear_flags(self) -> None:
        self.plus = self.minus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.wid = self.prec = 0
        self.wid_present = self.prec_present = False

    # doPrintf
    def printf(self, format: str, args: list[Any]) -> None:
        end = len(format)
        arg_num = 0
        after_index = False
        self.reordered = False
        i = 0
        while i < end:
            self.good_arg_num = True
            start = i
            while i < end and format[i] != "%":
                i += 1
            if i > start:
                self.buf.append(format[start:i])
            if i >= end:
                break
            i += 1  # skip the %
            self.clear_flags()
            while i < end:
                char = format[i]
                if char == "#":
                    self.sharp = True
                elif char == "0":
                    self.zero = not self.minus  # only allow zero padding to the left
                elif char == "+":
                    self.plus = True
                elif char == "-":
                    self.minus, self.zero = True, False
                elif char == " ":
                    self.space = True
                else:
                    break
                i += 1
            arg_num, i, after_index = self._arg_number(arg_num, format, i, len(args))
            if i < end and format[i] == "*":
                i += 1
                self.wid, self.wid_present, arg_num = _int_from_arg(args, arg_num)
                if not self.wid_present:
                    self.buf.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid, self.minus, self.zero = -self.wid, True, False
                after_index = False
            else:
                self.wid, self.wid_present, i = _parse_num(format, i, end)
                if after_index and self.wid_present:
                    self.good_arg_num = False
            if i + 1 < end and format[i] == ".":
                i += 1
                if after_index:
                    self.good_arg_num = False
                arg_num, i, after_index = self._arg_number(arg_num, format, i, len(args))
                if i < end and format[i] == "*":
                    i += 1
                    self.prec, self.prec_present, arg_num = _int_from_arg(args, arg_num)
                    if self.prec < 0:
                        self.prec, self.prec_present = 0, False
                    if not self.prec_present:
                        self.buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parse_num(format, i, end)
                    if not self.prec_present:
                        self.prec, self.prec_present = 0, True
            if not after_index:
                arg_num, i, after_index = self._arg_number(arg_num, format, i, len(args))
            if i >= end:
                self.buf.append("%!(NOVERB)")
                break
            verb = format[i]
            i += 1
            if verb == "%":  # percent absorbs no operand and ignores width and precision
                self.buf.append("%")
            elif not self.good_arg_num:
                self.buf.append(f"%!{verb}(BADINDEX)")
            elif arg_num >= len(args):
                self.buf.append(f"%!{verb}(MISSING)")
            else:
                if verb == "v":
                    self.sharp_v, self.sharp = self.sharp, False
                    self.plus_v, self.plus = self.plus, False
                self.print_arg(args[arg_num], verb)
                arg_num += 1
        if not self.reordered and arg_num < len(args):
            self.clear_flags()
            self.buf.append("%!(EXTRA ")
            for number, arg in enumerate(args[arg_num:]):
                if number > 0:
                    self.buf.append(", ")
                if arg is None:
                    self.buf.append("<nil>")
                else:
                    self.buf.append(go_type(arg) + "=")
                    self.print_arg(arg, "v")
            self.buf.append(")")

    def _arg_number(
        self, arg_num: int, format: str, i: int, num_args: int
    ) -> tuple[int, int, bool]:
        if i >= len(format) or format[i] != "[":
            return arg_num, i, False
        self.reordered = True
        index, width, ok = _parse_arg_number(format[i:])
        if ok and 0 <= index < num_args:
            return index, i + width, True
        self.good_arg_num = False
        return arg_num, i + width, ok

    # printArg and printValue
    def print_arg(self, arg: Any, verb: str, depth: int = 0) -> None:
        self.arg = arg
        if arg is None:
            if verb in "Tv":
                self._pad("<nil>")
            else:
                self._bad_verb(verb)
            return
        if verb == "T":
            self._fmt_s(go_type(arg))
            return
        if isinstance(arg, bool):
            if verb in "tv":
                self._pad("true" if arg else "false")
            else:
                self._bad_verb(verb)
        elif isinstance(arg, int):
            self._fmt_integer(arg, verb, signed=not isinstance(arg, GoUint8))
        elif isinstance(arg, float):
            self._fmt_float_verb(arg, verb)
        elif isinstance(arg, complex):
            self._fmt_complex(arg, verb)
        elif isinstance(arg, str):
            self._fmt_string(arg, verb)
        elif isinstance(arg, dict):
            self._print_map(arg, verb, depth)
        elif isinstance(arg, list):
            self._print_list(arg, verb, depth)
        else:
            self._bad_verb(verb)

    def _print_element(self, value: Any, verb: str, depth: int) -> None:
        # an interface{} element: nil prints as <nil> whatever the verb
        if value is None:
            self.buf.append("interface {}(nil)" if self.sharp_v else "<nil>")
        else:
            self.print_arg(value, verb, depth + 1)

    def _print_map(self, value: dict[str, Any], verb: str, depth: int) -> None:
        self.buf.append("map[string]interface {}{" if self.sharp_v else "map[")
        for number, key in enumerate(sorted(value)):
            if number > 0:
                self.buf.append(", " if self.sharp_v else " ")
            self.print_arg(key, verb, depth + 1)
            self.buf.append(":")
            self._print_element(value[key], verb, depth)
        self.buf.append("}" if self.sharp_v else "]")

    def _print_list(self, value: list[Any], verb: str, depth: int) -> None:
        self.buf.append("[]interface {}{" if self.sharp_v else "[")
        for number, item in enumerate(value):
            if number > 0:
                self.buf.append(", " if self.sharp_v else " ")
            self._print_element(item, verb, depth)
        self.buf.append("}" if self.sharp_v else "]")

    def _bad_verb(self, verb: str) -> None:
        arg = self.arg
        self.buf.append(f"%!{verb}(")
        if arg is None:
            self.buf.append("<nil>")
        else:
            self.buf.append(go_type(arg) + "=")
            self.print_arg(arg, "v")
        self.buf.append(")")
        self.arg = arg

    # fmt.go's formatting, flags applied
    def _pad(self, text: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.buf.append(text)
            return
        width = self.wid - len(text)
        if width <= 0:
            self.buf.append(text)
        elif self.minus:
            self.buf.append(text + " " * width)
        else:
            self.buf.append(("0" if self.zero else " ") * width + text)

    def _fmt_s(self, text: str) -> None:
        if self.prec_present:
            text = text[: self.prec]
        self._pad(text)

    def _fmt_string(self, text: str, verb: str) -> None:
        if verb == "v":
            if self.sharp_v:
                self._fmt_q(text)
            else:
                self._fmt_s(text)
        elif verb == "s":
            self._fmt_s(text)
        elif verb in "xX":
            self._fmt_sx(text.encode("utf-8", "surrogateescape"), verb)
        elif verb == "q":
            self._fmt_q(text)
        else:
            self._bad_verb(verb)

    def _fmt_sx(self, data: bytes, verb: str) -> None:
        digits = "0123456789abcdef" if verb == "x" else "0123456789ABCDEF"
        if self.prec_present:
            data = data[: self.prec]
        parts = []
        for number, byte in enumerate(data):
            if self.space and number > 0:
                parts.append(" ")
            if self.sharp and (self.space or number == 0):
                parts.append("0" + verb)
            parts.append(digits[byte >> 4] + digits[byte & 0xF])
        self._pad("".join(parts))

    def _fmt_q(self, text: str) -> None:
        if self.prec_present:
            text = text[: self.prec]
        if self.sharp and "`" not in text and all(c == "\t" or c.isprintable() for c in text):
            self._pad("`" + text + "`")
        else:
            self._pad(go_quote(text, ascii_only=self.plus))

    def _fmt_integer(self, value: int, verb: str, *, signed: bool) -> None:
        if verb == "v" and self.sharp_v and not signed:  # fmt0x64
            sharp, self.sharp = self.sharp, True
            self._integer(value, 16, verb, "0123456789abcdefx")
            self.sharp = sharp
        elif verb in "vd":
            self._integer(value, 10, verb, "0123456789abcdefx")
        elif verb == "b":
            self._integer(value, 2, verb, "0123456789abcdefx")
        elif verb in "oO":
            self._integer(value, 8, verb, "0123456789abcdefx")
        elif verb == "x":
            self._integer(value, 16, verb, "0123456789abcdefx")
        elif verb == "X":
            self._integer(value, 16, verb, "0123456789ABCDEFX")
        elif verb == "c":
            self._pad(_rune(value))
        elif verb == "q":
            self._pad(_quote_rune(value, ascii_only=self.plus))
        elif verb == "U":
            code = value & 0xFFFFFFFFFFFFFFFF
            digits = max(4, self.prec) if self.prec_present else 4
            text = f"U+{code:0{digits}X}"
            if self.sharp and code <= 0x10FFFF and chr(code).isprintable():
                text += f" '{chr(code)}'"
            zero, self.zero = self.zero, False
            self._pad(text)
            self.zero = zero
        else:
            self._bad_verb(verb)

    def _integer(self, value: int, base: int, verb: str, digits: str) -> None:
        negative = value < 0
        magnitude = -value if negative else value
        if self.prec_present:
            prec = self.prec
            if prec == 0 and value == 0:  # precision 0 and value 0 print nothing but padding
                zero, self.zero = self.zero, False
                self._pad("")
                self.zero = zero
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid - (1 if negative or self.plus or self.space else 0)
        else:
            prec = 0
        text = ""
        while True:
            text = digits[magnitude % base] + text
            magnitude //= base
            if magnitude == 0:
                break
        text = text.rjust(prec, "0")
        if self.sharp:
            if base == 2:
                text = "0b" + text
            elif base == 8 and not text.startswith("0"):
                text = "0" + text
            elif base == 16:
                text = "0" + digits[16] + text
        if verb == "O":
            text = "0o" + text
        if negative:
            text = "-" + text
        elif self.plus:
            text = "+" + text
        elif self.space:
            text = " " + text
        zero, self.zero = self.zero, False  # zero padding was done above, as precision
        self._pad(text)
        self.zero = zero

    def _fmt_float_verb(self, value: float, verb: str) -> None:
        if verb == "v":
            self._fmt_float(value, "g", -1)
        elif verb in "bgGxX":
            self._fmt_float(value, verb, -1)
        elif verb in "feEF":
            self._fmt_float(value, verb, 6)
        else:
            self._bad_verb(verb)

    def _fmt_float(self, value: float, verb: str, prec: int) -> None:
        if self.prec_present:
            prec = self.prec
        num = _format_float(value, verb, prec)
        if num[0] not in "+-":
            num = "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":  # infinities and NaN are never zero padded
            zero, self.zero = self.zero, False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self._pad(num)
            self.zero = zero
            return
        if self.sharp and verb != "b":
            num = _sharp_float(num, verb, prec)
        if self.plus or num[0] != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(num):
                self.buf.append(num[0] + "0" * (self.wid - len(num)) + num[1:])
                return
            self._pad(num)
            return
        self._pad(num[1:])

    def _fmt_complex(self, value: complex, verb: str) -> None:
        if verb not in "vbgGxXfFeE":
            self._bad_verb(verb)
            return
        plus = self.plus
        wid_present, self.wid_present = self.wid_present, False
        out, self.buf = self.buf, []
        self.buf.append("(")
        self._fmt_float_verb(value.real, verb)
        self.plus = True
        self._fmt_float_verb(value.imag, verb)
        self.buf.append("i)")
        text = "".join(self.buf)
        self.buf, self.plus, self.wid_present = out, plus, wid_present
        self._pad(text)


def _format_float(value: float, verb: str, prec: int) -> str:
    """strconv.FormatFloat(value, verb, prec, 64)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    lower = verb.lower()
    if lower == "g":
        text = go_float(value) if prec < 0 else format(value, f".{max(prec, 1)}g")
    elif lower == "e":
        text = _shortest_e(value) if prec < 0 else format(value, f".{prec}e")
    elif lower == "f":
        text = _shortest_f(value) if prec < 0 else format(value, f".{prec}f")
    elif lower == "x":
        text = _hex_float(value, prec)
    else:  # %b: the binary mantissa and exponent, as -4503599627370496p-53
        text = _binary_float(value)
    return text.upper() if verb in "EGX" else text


def _binary_float(value: float) -> str:
    if value == 0:
        return "0p-1074"
    fraction, exponent = math.frexp(abs(value))  # abs(value) == fraction * 2**exponent
    mantissa, exponent = int(fraction * 2**53), exponent - 53
    if exponent < -1074:  # subnormal: Go keeps the smallest exponent
        mantissa, exponent = mantissa >> (-1074 - exponent), -1074
    return f"{'-' if value < 0 else ''}{mantissa}p{exponent:+d}"


def _shortest(value: float) -> tuple[str, int]:
    """The shortest digits that read back as abs(value), and the exponent of the first one."""
    if value == 0:
        return "0", 0
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    exp = int(exponent or 0) + len(whole) - 1 - (len(whole + fraction) - len(digits))
    return digits.rstrip("0") or "0", exp


def _shortest_e(value: float) -> str:
    digits, exp = _shortest(value)
    body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if value < 0 or str(value).startswith("-") else ""
    return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _shortest_f(value: float) -> str:
    digits, exp = _shortest(value)
    sign = "-" if value < 0 or str(value).startswith("-") else ""
    if exp >= 0:
        head, tail = digits[: exp + 1].ljust(exp + 1, "0"), digits[exp + 1 :]
        return sign + head + ("." + tail if tail else "")
    return sign + "0." + "0" * (-exp - 1) + digits


def _hex_float(value: float, prec: int) -> str:
    """strconv's fmtX: -0x1.yyyyp±dd, rounded to prec hex digits when prec >= 0."""
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp += 1  # subnormal
    else:
        mant |= 1 << 52
    exp -= 1023
    if mant == 0:
        exp = 0
    mant <<= 8  # the leading 1 (if any) at bit 60
    while mant and not mant & (1 << 60):
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):  # wrapped around
            mant >>= 1
            exp += 1
    text = ("-" if bits >> 63 else "") + "0x" + str((mant >> 60) & 1)
    mant = (mant << 4) & ((1 << 64) - 1)
    digits = []
    if prec < 0:
        while mant:
            digits.append("0123456789abcdef"[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    else:
        for _ in range(prec):
            digits.append("0123456789abcdef"[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    if digits:
        text += "." + "".join(digits)
    return f"{text}p{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _sharp_float(num: str, verb: str, prec: int) -> str:
    """The # flag: always a decimal point, and %g's trailing zeros kept (fmt.fmtFloat)."""
    digits = (6 if prec == -1 else prec) if verb in "vgGx" else 0
    tail = ""
    has_point = saw_nonzero = False
    i = 1  # after the sign
    while i < len(num):
        char = num[i]
        if char == ".":
            has_point = True
        elif char in "pP" or (char in "eE" and verb not in "xX"):
            num, tail = num[:i], num[i:]
            break
        else:
            saw_nonzero = saw_nonzero or char != "0"
            if saw_nonzero:
                digits -= 1
        i += 1
    if not has_point:
        if len(num) == 2 and num[1] == "0":  # a leading 0 counts once
            digits -= 1
        num += "."
    return num + "0" * max(digits, 0) + tail


def _rune(value: int) -> str:
    return chr(value) if 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"


def _quote_rune(value: int, *, ascii_only: bool) -> str:
    quoted = go_quote(_rune(value), ascii_only=ascii_only)[1:-1]
    quoted = quoted.replace('\\"', '"')
    return "'" + ("\\'" if quoted == "'" else quoted) + "'"


def _parse_num(text: str, start: int, end: int) -> tuple[int, bool, int]:
    """fmt's parsenum: the decimal number at text[start:end], whether there is one, the end."""
    number, i = 0, start
    while i < end and "0" <= text[i] <= "9":
        number = number * 10 + int(text[i])
        if number > 1_000_000:
            return 0, False, end
        i += 1
    return number, i > start, i


def _parse_arg_number(text: str) -> tuple[int, int, bool]:
    """An argument index [n]: zero-based index, characters consumed, whether it is well formed."""
    if len(text) < 3:
        return 0, 1, False
    for i in range(1, len(text)):
        if text[i] == "]":
            width, ok, new_i = _parse_num(text, 1, i)
            if not ok or new_i != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _int_from_arg(args: list[Any], arg_num: int) -> tuple[int, bool, int]:
    if arg_num >= len(args):
        return 0, False, arg_num
    arg = args[arg_num]
    if isinstance(arg, int) and not isinstance(arg, bool) and -1_000_000 <= arg <= 1_000_000:
        return arg, True, arg_num + 1
    return 0, False, arg_num + 1
