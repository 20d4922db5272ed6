"""What the bot says about the helpdesks it polls for ratings (`admin feedback source`)."""

from __future__ import annotations

from bot.core.texts import clip, plural

HOW = (
    'Say feedback source <name> zendesk <https://yours.zendesk.com> [auth="Basic …"] '
    "[every=15m]; feedback source <name> json <url> items=/… customer=/… score=/… "
    "ticket=/… given_at=/… [scale=csat5|nps|thumbs] [comment=/…] [agent=/…] [link=/…] "
    "[next=/…]; feedback source <name> remove; or feedback sources."
)
NAME_HOW = (
    "A feedback source's name is up to 40 letters, digits, - or _ (not push or typed), "
    "like zendesk."
)
URL_HOW = "Give the helpdesk's address, starting with http:// or https://."
POINTER_HOW = "Each field is a JSON pointer and starts with /, like customer=/requester/name."
SCALE_HOW = "scale= is csat5 (1–5), nps (0–10) or thumbs (good/bad)."


def json_fields_missing(missing: list[str]) -> str:
    return (
        "A json source needs to know where each rating's fields are: add "
        + ", ".join(f"{m}=/…" for m in missing)
        + "."
    )


def saved(name: str, kind: str, every: int) -> str:
    what = "Zendesk's satisfaction ratings" if kind == "zendesk" else "JSON ratings"
    return (
        f"Feedback source {name} saved: {what}, read every {every} min, starting now; "
        "ratings given before now are left out. /wow admin feedback sources shows how "
        "its reads go."
    )


def removed(name: str) -> str:
    return f"Feedback source {name} removed. The ratings it brought are kept."


def unknown(name: str) -> str:
    return f'There is no feedback source "{clip(name)}". /wow admin feedback sources lists them.'


NONE = (
    "No feedback sources yet. Add one with /wow admin feedback source zendesk zendesk "
    'https://yours.zendesk.com auth="Basic …" (or push ratings to POST /api/feedback).'
)
TITLE = "Feedback sources"
LISTED = "Helpdesks the bot reads ratings from; what they bring is taken in like a push."


def listed(name: str, kind: str, url: str, every: int) -> str:
    return f"{name}: {kind} {url}, every {every} min"


def last_read(when: str, taken: int) -> str:
    return f"  last read {when}: {plural(taken, 'new rating')}"


NEVER_READ = "  not read yet"


def next_read(when: str) -> str:
    return f"  next read {when}"


def failure(reason: str) -> str:
    return f"  last problem: {reason}"


def skipped(count: int, total: int, first: str) -> str:
    return f"{count} of {total} ratings skipped ({clip(first, 200)})"


def unexpected(kind: str) -> str:
    return f"an unexpected error ({kind}); the bot's log has the details"


# What a helpdesk's answer lacks, shown as a source's last problem
NO_RATINGS_LIST = "the response has no satisfaction_ratings list"


def not_a_list(pointer: str) -> str:
    return f"{clip(pointer)} is not a list"


def nothing_at(item: int, pointer: str) -> str:
    return f"item {item}: nothing at {clip(pointer)}"


def refused(ticket: str, reason: str) -> str:
    return f"ticket {clip(ticket, 40)}: {reason}"


def zendesk_user(user_id: int) -> str:
    """A requester Zendesk did not name."""
    return f"Zendesk user {user_id}"
