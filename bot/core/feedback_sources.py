"""Helpdesks the bot polls for ratings (SPEC §9): a Zendesk preset that reads the
satisfaction ratings API (`good`/`bad`, comment, assignee, ticket; paged by start time), and
a generic JSON source whose fields are JSON pointers. Reading a page is pure: a document in,
ratings out as the bodies `POST /api/feedback` takes, so every rating passes the same checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from bot.core.guards import one_line
from bot.core.kpi import PointerError, resolve_pointer
from bot.core.limits import LIMITS
from bot.core.texts import clip
from bot.core.texts import feedback_sources as tx

KINDS = ("zendesk", "json")
# The generic source's fields: where the list of ratings is, then each rating's fields
# (relative to the rating), then where the next page's address is (relative to the page).
JSON_FIELDS = (
    "items",
    "customer",
    "score",
    "ticket",
    "given_at",
    "comment",
    "agent",
    "link",
    "next",
)
JSON_REQUIRED = ("items", "customer", "score", "ticket", "given_at")
RESERVED_NAMES = ("push", "typed")  # sources of feedback that is not polled
USERS_PER_CALL = 100  # Zendesk's show_many takes at most 100 ids


@dataclass
class FeedbackSource:
    """A helpdesk polled for ratings. `auth_header` is a secret; `cursor` is where the
    next poll starts (Zendesk: the start time, in Unix seconds)."""

    workspace_id: int
    name: str
    kind: str
    url: str
    every_minutes: int = 15
    auth_header: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    scale: str = "csat5"
    cursor: str | None = None
    id: int = 0
    created_at: dt.datetime | None = None
    next_poll_at: dt.datetime | None = None
    last_polled_at: dt.datetime | None = None
    last_ok_at: dt.datetime | None = None
    last_error: str | None = None
    last_taken: int = 0


@dataclass(frozen=True)
class Rated:
    body: dict[str, Any]  # as `POST /api/feedback` takes it
    helpdesk_id: str | None = None  # the agent's id in the helpdesk, for `admin agent`


@dataclass(frozen=True)
class Page:
    ratings: list[Rated]
    skipped: list[str]  # why some items were not read
    next_url: str | None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def same_origin(url: Any, base: str) -> str | None:
    """A next-page address (absolute, or relative to the source's), only if it points at
    the source's own host: its auth header goes with it."""
    if not isinstance(url, str) or not url.strip():
        return None
    absolute = urljoin(base, url.strip())
    return absolute if origin(absolute) == origin(base) else None


def fitted(body: dict[str, Any]) -> dict[str, Any]:
    """A polled rating made to fit: nobody can resend it shorter, so a long comment or
    customer name is cut (a push is refused instead)."""
    fit = dict(body)
    for name in ("customer", "comment"):
        text = fit.get(name)
        if isinstance(text, str):
            text = one_line(text) if name == "customer" else text.strip()
            fit[name] = clip(text, LIMITS[name])
    return fit


# Zendesk ------------------------------------------------------------------------------


def zendesk_ratings_url(base: str, start: int) -> str:
    query = urlencode({"score": "received", "start_time": start})
    return f"{origin(base)}/api/v2/satisfaction_ratings.json?{query}"


def zendesk_users_url(base: str, ids: list[int]) -> str:
    return f"{origin(base)}/api/v2/users/show_many.json?ids={','.join(map(str, ids))}"


def zendesk_page(document: Any, base: str) -> tuple[list[dict[str, Any]], str | None]:
    """The received ratings of one page of `GET /api/v2/satisfaction_ratings`, and the next
    page (offset paging's `next_page`, or cursor paging's `links.next` while `has_more`)."""
    if not isinstance(document, dict) or not isinstance(document.get("satisfaction_ratings"), list):
        raise PointerError(tx.NO_RATINGS_LIST)
    rated = [
        r
        for r in document["satisfaction_ratings"]
        if isinstance(r, dict) and r.get("score") in ("good", "bad")
    ]
    next_url = document.get("next_page")
    meta, links = document.get("meta"), document.get("links")
    if not next_url and isinstance(meta, dict) and meta.get("has_more") and isinstance(links, dict):
        next_url = links.get("next")
    return rated, same_origin(next_url, base)


def zendesk_people(ratings: list[dict[str, Any]]) -> list[int]:
    """The requesters and assignees whose names and emails the ratings need."""
    ids = {
        r.get(k)
        for r in ratings
        for k in ("requester_id", "assignee_id")
        if isinstance(r.get(k), int) and not isinstance(r.get(k), bool)
    }
    return sorted(i for i in ids if isinstance(i, int))


def zendesk_users(document: Any) -> dict[int, dict[str, str]]:
    """`GET /api/v2/users/show_many`: id → name and email."""
    users = document.get("users") if isinstance(document, dict) else None
    found: dict[int, dict[str, str]] = {}
    for user in users if isinstance(users, list) else []:
        if isinstance(user, dict) and isinstance(user.get("id"), int):
            found[user["id"]] = {
                k: user[k] for k in ("name", "email") if isinstance(user.get(k), str) and user[k]
            }
    return found


def zendesk_rating(
    rating: dict[str, Any], people: dict[int, dict[str, str]], base: str, source: str
) -> Rated:
    """One Zendesk rating as a push body. The customer is the requester's name; the agent
    the assignee's email, else their Zendesk id (which `admin agent` can name too)."""
    requester, assignee = rating.get("requester_id"), rating.get("assignee_id")
    customer = people.get(requester, {}).get("name") if isinstance(requester, int) else None
    agent = people.get(assignee, {}).get("email") if isinstance(assignee, int) else None
    ticket = rating.get("ticket_id")
    body = {
        "customer": customer or (tx.zendesk_user(requester) if requester else None),
        "score": rating.get("score"),
        "scale": "thumbs",
        "comment": rating.get("comment") or None,
        "agent": agent or (str(assignee) if assignee else None),
        "ticket": str(ticket) if ticket is not None else None,
        "url": f"{origin(base)}/agent/tickets/{ticket}" if ticket is not None else None,
        "given_at": rating.get("created_at"),
        "source": source,
    }
    return Rated(body, str(assignee) if assignee else None)


def zendesk_newest(ratings: list[dict[str, Any]]) -> int | None:
    """The newest rating's time in Unix seconds: where the next poll starts (Zendesk's
    start_time takes it inclusively, so a rating at that second is read again and
    replaces itself)."""
    times = []
    for r in ratings:
        try:
            moment = dt.datetime.fromisoformat(str(r.get("created_at")))
        except ValueError:
            continue
        times.append(int(moment.replace(tzinfo=moment.tzinfo or dt.UTC).timestamp()))
    return max(times) if times else None


# Generic JSON ---------------------------------------------------------------------------


def _at(item: Any, pointer: str | None) -> Any:
    if not pointer:
        return None
    try:
        return resolve_pointer(item, pointer)
    except PointerError:
        return None


def _moment(raw: Any) -> Any:
    """A time as ISO 8601: Unix seconds (or milliseconds) are converted; text is kept."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        seconds = raw / 1000 if raw > 10**11 else raw
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return str(raw)
    return raw


def _number(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            return raw
    return raw


def _text(raw: Any) -> Any:
    return str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw


def json_page(document: Any, source: FeedbackSource) -> Page:
    """The ratings of one page of a generic JSON source, mapped by its pointers."""
    f = source.fields
    items = resolve_pointer(document, f["items"])
    if not isinstance(items, list):
        raise PointerError(tx.not_a_list(f["items"]))
    ratings, skipped = [], []
    for n, item in enumerate(items, 1):
        body = {
            "customer": _text(_at(item, f["customer"])),
            "score": _number(_at(item, f["score"])),
            "scale": source.scale,
            "ticket": _text(_at(item, f["ticket"])),
            "given_at": _moment(_at(item, f["given_at"])),
            "comment": _at(item, f.get("comment")),
            "agent": _text(_at(item, f.get("agent"))),
            "url": _at(item, f.get("link")),
            "source": source.name,
        }
        missing = [k for k in ("customer", "score", "ticket", "given_at") if body[k] is None]
        if missing:
            skipped.append(tx.nothing_at(n, f[missing[0]]))
            continue
        ratings.append(Rated({k: v for k, v in body.items() if v is not None}))
    return Page(ratings, skipped, same_origin(_at(document, f.get("next")), source.url))
