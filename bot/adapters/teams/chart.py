"""A KPI's trend as a small bar chart (a PNG in a data URI) for Teams, where the core's
sparkline glyphs (▁▂▃▄▅▆▇█) are hard to read at the card's font size."""

from __future__ import annotations

import base64
import re
import struct
import zlib

from bot.core.kpi import BARS

BAR, GAP, HEIGHT = 8, 3, 24  # pixels
INK, EMPTY = (0x5B, 0x5F, 0xC7), (0xE1, 0xDF, 0xDD)  # Teams purple; a day without a value
# A trend at the end of a line, after two spaces: "Gifts approved: 3  ▁▂▅█"
TRENDED = re.compile(rf"^(?P<text>.*?)\s{{2}}(?P<trend>[{BARS} ]*[{BARS}][{BARS} ]*)$")


def split_trend(line: str) -> tuple[str, str] | None:
    """(the line's text, its sparkline) when the line ends in a trend of 3 days or more."""
    match = TRENDED.match(line)
    if match is None or len(match.group("trend")) < 3:
        return None
    return match.group("text"), match.group("trend")


def trend_png(trend: str) -> bytes:
    """One bar per day, as tall as its glyph; a day without a value is a grey stub."""
    width = len(trend) * (BAR + GAP) - GAP
    rows = []
    for y in range(HEIGHT):
        row = bytearray(b"\x00")  # PNG filter type 0 for the row
        for i, glyph in enumerate(trend):
            level = BARS.index(glyph) + 1 if glyph in BARS else 0
            tall = round(HEIGHT * level / len(BARS)) if level else 2
            colour = (INK if level else EMPTY) if y >= HEIGHT - tall else (255, 255, 255)
            row += bytes(colour) * BAR
            if i < len(trend) - 1:
                row += b"\xff\xff\xff" * GAP
        rows.append(bytes(row))
    return _png(width, HEIGHT, b"".join(rows))


def trend_uri(trend: str) -> str:
    return "data:image/png;base64," + base64.b64encode(trend_png(trend)).decode()


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
