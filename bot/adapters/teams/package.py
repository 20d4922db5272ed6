"""`wowbot teams-package`: the app package a Teams admin uploads (manifest and two icons)."""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from typing import Any

from bot.core.texts import SUMMARY, USAGE
from bot.core.texts import platforms as tx

MANIFEST_VERSION = "1.17"
SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
ACCENT = (0xE8, 0x59, 0x0C)
SCOPES = ["personal", "team", "groupChat"]


def png(size: int, pixel: Any) -> bytes:
    """An RGBA PNG whose pixel (x, y) is `pixel(x, y)` (four bytes)."""
    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def in_star(x: float, y: float) -> bool:
    """Whether (x, y), in a unit square, falls inside a five-pointed star."""
    dx, dy = x - 0.5, 0.52 - y
    r = math.hypot(dx, dy)
    angle = ((math.atan2(dx, dy) + math.pi / 5) % (2 * math.pi / 5)) - math.pi / 5
    outer, inner = 0.36, 0.15
    # The star's edge between an outer point and an inner corner, by angle.
    t = abs(angle) / (math.pi / 5)
    return r <= inner + (outer - inner) * (1 - t) ** 2


def color_icon(size: int = 192) -> bytes:
    white, accent = b"\xff\xff\xff\xff", bytes(ACCENT) + b"\xff"
    return png(size, lambda x, y: white if in_star(x / size, y / size) else accent)


def outline_icon(size: int = 32) -> bytes:
    white, clear = b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"
    return png(size, lambda x, y: white if in_star(x / size, y / size) else clear)


def manifest(app_id: str, *, name: str, developer: str, website: str) -> dict[str, Any]:
    commands = [
        {"title": name[:32], "description": SUMMARY[name][:128]} for name in list(USAGE)[:10]
    ]
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": "1.0.0",
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website,
            "privacyUrl": website,
            "termsOfUseUrl": website,
        },
        "name": {"short": name[:30], "full": tx.APP_FULL_NAME.format(name=name)[:100]},
        "description": {
            "short": tx.APP_SHORT[:80],
            "full": tx.APP_LONG,
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": SCOPES,
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": SCOPES, "commands": commands}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def build_package(
    app_id: str, *, name: str = tx.APP_NAME, developer: str = tx.APP_NAME, website: str
) -> bytes:
    """The zip Teams expects: manifest.json and the icons at its top level, no folders."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = manifest(app_id, name=name, developer=developer, website=website)
        archive.writestr("manifest.json", json.dumps(document, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()
