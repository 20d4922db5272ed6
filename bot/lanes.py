"""Which conversation an outbox row goes to, as far as order and pacing are concerned, and
what the sender keeps of a row it has taken up: its id and key, not the row (a burst can
leave thousands waiting for their turn, and the garbage collector walks what is kept)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Hashable
from typing import NamedTuple

from bot.storage.tables import OutboxRow


class Held(NamedTuple):
    """A row taken up by this process and not finished; it is read again to be sent."""

    id: int
    key: str | None
    outcome: asyncio.Future[str] | None = None  # for a caller waiting on this row


class Lane:
    """A conversation's rows waiting here, in order, and the task sending them."""

    __slots__ = ("rows", "task")

    def __init__(self) -> None:
        self.rows: deque[Held] = deque()
        self.task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()


def conversation_of(row: OutboxRow) -> Hashable:
    """Where a row goes: a channel, a member's DMs or answers, or a message's thread."""
    dest = row.destination or {}
    if row.update_key:
        return (row.workspace_id, "message", row.update_key)
    kind = dest.get("kind")
    if kind == "thread":
        return (row.workspace_id, "message", dest.get("thread_key"))
    if kind in ("dm", "answer"):
        return (row.workspace_id, kind, dest.get("member_id"))
    # A channel's id names it across workspaces (Slack's C… ids are unique, and a channel
    # shared between workspaces is one channel with one rate limit; Teams' conversation ids
    # likewise), so its lane is the channel's, whichever workspace posts.
    return (0, "channel", dest.get("channel"))


def paced(conversation: Hashable) -> bool:
    """Whether the platform's per-conversation message limit applies: answers go through
    the request's own handle (Slack's response_url, Teams' turn), not the conversation."""
    return not (isinstance(conversation, tuple) and conversation[1] == "answer")


def lanes_of(
    rows: list[OutboxRow], lane_of_key: dict[str, Hashable] | None = None
) -> dict[Hashable, list[OutboxRow]]:
    """Rows by conversation, each lane in the order the rows were queued. A reply or an
    update goes in the lane of the message it follows when that is queued too (in this
    batch, or in `lane_of_key`), so it is sent after it, not found waiting for it."""
    lanes: dict[Hashable, list[OutboxRow]] = {}
    lane_of_key = dict(lane_of_key or {})
    for row in sorted(rows, key=lambda r: r.id):
        dest = row.destination or {}
        follows = row.update_key or (
            dest.get("thread_key") if dest.get("kind") == "thread" else None
        )
        lane = lane_of_key.get(follows) if follows else None
        if lane is None:
            lane = conversation_of(row)
        if row.key:
            lane_of_key[row.key] = lane
        lanes.setdefault(lane, []).append(row)
    return lanes
