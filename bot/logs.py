"""Logging that never carries a secret: every record that reaches a handler is redacted.

Libraries log more than they should (bolt logs a rejected request's body, with the legacy
verification token and the response_url; slack_sdk's retry lines name the response_url;
a database error names its SQL parameters unless the engine hides them). Rather than trust
each of them, one filter on the handlers rewrites what they print: the configured secrets
by value, and tokens, signatures, response_urls, credentials in URLs and authorization
headers by their shape.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.config import Settings

HIDDEN = "[redacted]"
SHAPES = [
    # Slack tokens: bot, user, app-level, refresh, legacy.
    re.compile(r"\bx(?:ox[abprse]|app)-[A-Za-z0-9-]+"),
    # Slack's response_url and incoming webhooks: whoever has one can answer as the bot.
    re.compile(r"https?://hooks\.slack(?:-gov)?\.com/\S+"),
    re.compile(r"https?://[^\s'\"]+/(?:respond|actions|commands)/[^\s'\"&]+"),
    # Request signatures, and authorization headers in any spelling.
    re.compile(r"\bv0=[0-9a-f]{16,}"),
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    # key=value and "key": "value" pairs whose key names a secret.
    re.compile(
        r"(?i)([\"']?\b(?:token|secret|password|passwd|api[_-]?key|auth(?:orization)?|"
        r"signature|response_url|client_secret|app_password)[\"']?\s*[:=]\s*[\"']?)"
        r"([^\s\"'&,;}]+)"
    ),
    # Credentials in a URL: scheme://user:password@host
    re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)([^\s@/]+)(@)"),
]


def secrets_of(settings: Settings) -> list[str]:
    """The configured secrets, to hide by value wherever they appear."""
    values = [
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.microsoft_app_password,
        urlsplit(settings.wowbot_database_url).password,
    ]
    return sorted({v for v in values if v and len(v) >= 4}, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, HIDDEN)
    for shape in SHAPES:
        if shape.groups >= 2:
            text = shape.sub(
                lambda m: m.group(1) + HIDDEN + (m.group(3) if m.re.groups >= 3 else ""), text
            )
        else:
            text = shape.sub(HIDDEN, text)
    return text


class Redactor(logging.Filter):
    """Rewrites a record's message and traceback before any handler prints them."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = list(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: print it plainly
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        record.exc_info = None  # the formatter prints the redacted exc_text instead
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def protect(settings: Settings, root: logging.Logger | None = None) -> None:
    """Put the redactor on every handler of the root logger (call after configuring it)."""
    redactor = Redactor(secrets_of(settings))
    for handler in (root or logging.getLogger()).handlers:
        handler.addFilter(redactor)
