"""A digest costs the same however long the team's history: counts, sums, ages and the top
few come from the database, never the rows themselves (statements and loaded rows counted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert

from bot.handlers.digest_content import build_digest
from bot.storage.tables import Base, FollowUpRow, GiftRow, HeroMomentRow, NomineeRow
from tests.conftest import Harness

TZ = "Europe/Helsinki"


async def grow(harness: Harness, n: int) -> None:
    """`n` more of each thing a digest reports on: yesterday's hero moments, gifts
    waiting, approved and sent yesterday, follow-ups overdue and due later today."""
    now = harness.clock.now()
    yesterday = now - dt.timedelta(days=1)
    async with harness.app.uow() as uow:
        ws = await uow.workspaces.get_or_create("console", "T1", "UTC")
        alice = await uow.members.by_user(ws.id, "alice")
        bob = await uow.members.by_user(ws.id, "bob")
        assert alice and bob
        session = uow.session
        moments = [
            {
                "workspace_id": ws.id,
                "nominator_id": alice.id,
                "story": f"story {i}",
                "created_at": yesterday + dt.timedelta(seconds=i % 3600),
            }
            for i in range(n)
        ]
        ids = await session.execute(insert(HeroMomentRow).returning(HeroMomentRow.id), moments)
        await session.execute(
            insert(NomineeRow), [{"moment_id": i, "member_id": bob.id} for i in ids.scalars()]
        )
        gift: dict[str, Any] = {
            "workspace_id": ws.id,
            "proposer_id": bob.id,
            "gift": "pizza",
            "cost": Decimal("40"),
            "currency": "USD",
            "checks": {},
            "channel": "gifts",
            "created_at": yesterday - dt.timedelta(days=2),
            "nudge_due_at": yesterday,
        }
        approved = {"decided_at": yesterday, "decided_by_id": alice.id}
        await session.execute(
            insert(GiftRow),
            [{**gift, "customer": f"waiting {i}", "status": "proposed"} for i in range(n)]
            + [{**gift, **approved, "customer": f"ok {i}", "status": "approved"} for i in range(n)]
            + [
                {
                    **gift,
                    **approved,
                    "customer": f"sent {i}",
                    "status": "sent",
                    "sent_at": yesterday,
                }
                for i in range(n)
            ],
        )
        followup = {
            "workspace_id": ws.id,
            "owner_id": bob.id,
            "status": "open",
            "origin": "manual",
            "created_at": yesterday,
        }
        await session.execute(
            insert(FollowUpRow),
            [{**followup, "customer": f"late {i}", "due_at": yesterday} for i in range(n)]
            + [
                {**followup, "customer": f"today {i}", "due_at": now + dt.timedelta(hours=1)}
                for i in range(n)
            ],
        )
        await uow.commit()


async def digest_statements(harness: Harness) -> tuple[tuple[int, int], Any]:
    """Building a digest: how many statements it runs and how many rows it loads."""
    statements: list[str] = []
    loaded: list[object] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    def load(target: object, context: Any) -> None:
        loaded.append(target)

    engine = harness.app.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    event.listen(Base, "load", load, propagate=True)
    try:
        async with harness.app.uow() as uow:
            ws = await uow.workspaces.get_or_create("console", "T1", "UTC")
            message = await build_digest(uow, ws, TZ, harness.clock.now())
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(Base, "load", load)
    return (len(statements), len(loaded)), message


async def test_a_digests_statements_do_not_grow_with_history(harness: Harness) -> None:
    await harness.cmd("alice", "/wow hero <@bob> kept calm")  # the workspace and its people
    counts = {}
    for total, more in ((10, 10), (10_000, 9_990)):
        await grow(harness, more)
        counts[total], message = await digest_statements(harness)
        text = "\n".join(line for s in message.sections for line in s.lines)
        assert f"{total:,} hero moments yesterday" in text
        # Approved yesterday: those still to send, and those sent since.
        assert f"{total:,} pending" in text and f"{2 * total:,} approved yesterday" in text
        assert f"{total:,} sent yesterday" in text
        assert f"Overdue ({total:,})" in text and f"Due today ({total:,})" in text
        if total > 10:
            assert f"Bob: late 9 and {total - 10:,} more" in text  # the first 10 named
        assert f"Gifts approved: {2 * total:,}" in text  # KPIs counted by the database
        assert f"Follow-ups overdue: {total:,}" in text
    # The same statements, and the same rows loaded (what the digest names), at either size.
    assert counts[10] == counts[10_000], counts
