"""The `/wow admin feedback …` grammar: the helpdesks polled for ratings (SPEC §9)."""

from __future__ import annotations

import re

from bot.core import commands as c
from bot.core.feedback import SCALES
from bot.core.feedback_sources import JSON_FIELDS, JSON_REQUIRED, KINDS, RESERVED_NAMES
from bot.core.guards import bounded
from bot.core.option_words import every, fail, options, words
from bot.core.texts import feedback_sources as tx
from bot.core.tokens import plain

NAME = re.compile(r"[a-z0-9_\-]{1,40}")


def parse_feedback_admin(args: str) -> c.Command:
    said = words(plain(args))
    op = said[0].lower() if said else ""
    if op == "sources" and len(said) == 1:
        return c.ListFeedbackSources()
    if op != "source" or len(said) < 3:
        raise fail(tx.HOW)
    name, kind = said[1].lower(), said[2].lower()
    if not NAME.fullmatch(name) or name in RESERVED_NAMES:
        raise fail(tx.NAME_HOW)
    if kind == "remove" and len(said) == 3:
        return c.RemoveFeedbackSource(name)
    if kind not in KINDS:
        raise fail(tx.HOW)
    if len(said) < 4 or not re.match(r"^https?://[^\s/]+", said[3]):
        raise fail(tx.URL_HOW)
    url = bounded("URL", said[3])
    allowed = ("every", "auth") if kind == "zendesk" else (*JSON_FIELDS, "scale", "every", "auth")
    given = options(said[4:], allowed)
    minutes = every(given.pop("every", "15m"))
    auth = bounded("auth header", given.pop("auth", "")) or None
    if kind == "zendesk":
        return c.SetFeedbackSource(name, kind, url, minutes, auth)
    scale = given.pop("scale", "csat5").lower()
    if scale not in SCALES:
        raise fail(tx.SCALE_HOW)
    missing = [f for f in JSON_REQUIRED if f not in given]
    if missing:
        raise fail(tx.json_fields_missing(missing))
    for field, pointer in given.items():
        bounded("pointer", pointer)
        if not pointer.startswith("/") and not (field == "items" and pointer == ""):
            raise fail(tx.POINTER_HOW)
    return c.SetFeedbackSource(name, kind, url, minutes, auth, tuple(sorted(given.items())), scale)
