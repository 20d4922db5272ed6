"""Races, on SQLite and PostgreSQL: one decision per gift, one reminder per follow-up,
one digest per subscription per local day, whatever the number of workers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

from bot.core.model import DigestSubscription, FollowUp, FollowUpStatus, GiftStatus
from bot.core.schedule import occurrence
from tests.conftest import START, Harness, make_harness


async def test_two_racing_transitions_give_exactly_one_decision(harness: Harness) -> None:
    await harness.cmd("alice", "/wow admin managers add <@maria> <@carl>")
    await harness.cmd("bob", "/wow gift Acme: pizza $40")
    for _ in range(2):  # both deciders read the gift as proposed first
        async with harness.app.uow() as uow:
            assert (await uow.gifts.get(1, 1)).status is GiftStatus.PROPOSED

    async def decide(member_id: int) -> bool:
        async with harness.app.uow() as uow:
            won = await uow.gifts.transition(
                1,
                GiftStatus.PROPOSED,
                GiftStatus.APPROVED,
                decided_by_id=member_id,
                decided_at=START,
            )
            await uow.commit()
            return won

    results = await asyncio.gather(decide(2), decide(3))
    assert sorted(results) == [False, True]
    async with harness.app.uow() as uow:
        gift = await uow.gifts.get(1, 1)
    assert gift.decided_by_id == (2 if results[0] else 3)


async def test_two_replicas_approving_at_once_make_one_decision_and_one_update(
    db_url: str,
) -> None:
    first = await make_harness(db_url)
    second = await make_harness(db_url, clock=first.clock)
    try:
        await first.cmd("alice", "/wow admin managers add <@maria> <@carl>")
        await first.cmd("bob", "/wow gift Acme: pizza $40")
        answers = await asyncio.gather(
            first.click("maria", "gift.approve", "1"), second.click("carl", "gift.approve", "1")
        )
        assert sum("You approved gift #1" in a for a in answers) == 1
        assert sum(a.startswith("Already approved by") for a in answers) == 1
        sent = first.messenger.sent + second.messenger.sent
        assert sum(s.message.text.startswith("Approved by") for s in sent) == 1
        assert sum(s.kind == "dm" and "was approved by" in s.message.text for s in sent) == 1
        assert sum(s.kind == "update" and "approved by" in s.message.text for s in sent) == 1
    finally:
        await first.app.close()
        await second.app.close()


async def test_a_thousand_reminders_due_at_once_go_once_in_grouped_dms(db_url: str) -> None:
    first = await make_harness(db_url)
    second = await make_harness(db_url, clock=first.clock)
    try:
        await first.cmd("alice", "/wow values")
        due = START + dt.timedelta(hours=1)
        async with first.app.uow() as uow:
            owners = [
                await uow.members.add(1, f"u{i}", f"Owner {i}", "UTC", "member") for i in range(10)
            ]
            for i in range(1000):
                await uow.followups.add(
                    FollowUp(
                        id=0,
                        workspace_id=1,
                        owner_id=owners[i % 10].id,
                        customer=f"Customer {i}",
                        note=None,
                        due_at=due,
                        status=FollowUpStatus.OPEN,
                        origin="manual",
                        created_at=START,
                    )
                )
            await uow.commit()
        first.clock.set(due)
        await asyncio.gather(first.app.jobs.run_due(due), second.app.jobs.run_due(due))
        await asyncio.gather(first.app.sender.deliver_due(), second.app.sender.deliver_due())
        dms = [s for s in first.messenger.sent + second.messenger.sent if s.kind == "dm"]
        # Each owner's 100 come in DMs of 10; a claim of one replica may end inside an
        # owner's rows that the other took up meanwhile, which splits that owner's.
        listed = [(d.target, s.title.split(" with ")[1]) for d in dms for s in d.message.sections]
        customers = Counter(customer for _, customer in listed)
        assert len(customers) == 1000 and set(customers.values()) == {1}
        assert all(len(d.message.sections) <= 10 for d in dms)
        assert all(t == f"u{int(c.split()[1]) % 10}" for t, c in listed)  # each to its owner
        assert 100 <= len(dms) <= 110, len(dms)
        await asyncio.gather(first.app.tick(), second.app.tick())  # nothing more to send
        assert len(first.messenger.sent) + len(second.messenger.sent) == len(dms)
    finally:
        await first.app.close()
        await second.app.close()


ZONES = ("Europe/Helsinki", "America/New_York", "Asia/Tokyo", "UTC", "Asia/Kolkata")
TIMES = (dt.time(7, 0), dt.time(8, 30), dt.time(9, 15))
DAYS = (frozenset(range(7)), frozenset(range(5)), frozenset({0, 2, 4}))


async def test_two_workers_over_30_days_send_one_digest_per_subscription_per_day(
    db_url: str,
) -> None:
    first = await make_harness(db_url)
    second = await make_harness(db_url, clock=first.clock)
    try:
        await first.cmd("alice", "/wow values")
        subs = []
        async with first.app.uow() as uow:
            for i in range(50):
                skip = frozenset({dt.date(2026, 12, 1 + i % 20)}) if i % 4 == 0 else frozenset()
                subs.append(
                    await uow.digests.save(
                        DigestSubscription(
                            id=0,
                            workspace_id=1,
                            channel=f"c{i}",
                            local_time=TIMES[i % 3],
                            tz=ZONES[i % 5],
                            days=DAYS[i % 3],
                            created_at=START,
                            skip_dates=skip,
                        )
                    )
                )
            await uow.commit()
        end = START + dt.timedelta(days=30)
        await asyncio.gather(first.app.jobs.run_due(START), second.app.jobs.run_due(START))
        steps = 0
        while True:
            moment = await first.app.jobs.next_moment(first.clock.now())
            if moment is None or moment > end:
                break
            first.clock.set(moment)
            await asyncio.gather(first.app.jobs.run_due(moment), second.app.jobs.run_due(moment))
            steps += 1
        await asyncio.gather(first.app.sender.deliver_due(), second.app.sender.deliver_due())
        posted = Counter(
            s.target for s in first.messenger.sent + second.messenger.sent if s.kind == "channel"
        )
        for sub in subs:
            days = [START.date() + dt.timedelta(days=d) for d in range(-1, 32)]
            expected = sum(1 for d in days if (m := occurrence(sub, d)) and START <= m <= end)
            assert posted[sub.channel] == expected, sub
        assert steps > 100 and sum(posted.values()) > 800
        statuses: Counter[str] = Counter()
        async with first.app.uow() as uow:
            for sub in subs:
                statuses.update(r.status for r in await uow.digests.runs(sub.id, 60))
        assert set(statuses) == {"sent"}  # every one on time, none late or missed
    finally:
        await first.app.close()
        await second.app.close()


async def test_two_approvals_at_once_never_spend_past_the_budget(db_url: str) -> None:
    first = await make_harness(db_url)
    second = await make_harness(db_url, clock=first.clock)
    try:
        await first.cmd("alice", "/wow admin managers add <@maria> <@carl>")
        await first.cmd("alice", "/wow admin budget 100 USD")
        await first.cmd("bob", "/wow gift Acme: pizza $60")
        await first.cmd("dana", "/wow gift Globex: flowers $60")
        answers = await asyncio.gather(
            first.click("maria", "gift.approve", "1"), second.click("carl", "gift.approve", "2")
        )
        assert sum(a.startswith("You approved gift") for a in answers) == 1, answers
        assert sum("budget" in a for a in answers) == 1, answers
        async with first.app.uow() as uow:
            statuses = [(await uow.gifts.get(1, n)).status for n in (1, 2)]
        assert sorted(str(s) for s in statuses) == ["approved", "proposed"]
    finally:
        await first.app.close()
        await second.app.close()


async def test_the_budget_counts_spend_in_its_own_currency_only(harness: Harness) -> None:
    await harness.cmd("alice", "/wow admin managers add <@maria>")
    await harness.cmd("alice", "/wow admin budget 100 USD")
    await harness.cmd("bob", "/wow gift Acme: pizza $60")
    assert (await harness.click("maria", "gift.approve", "1")).startswith("You approved")
    await harness.cmd("alice", "/wow admin budget 100 EUR")  # a new budget, in euros
    await harness.cmd("bob", "/wow gift Initech: cake 50 EUR")
    assert (await harness.click("maria", "gift.approve", "2")).startswith("You approved")
    async with harness.app.uow() as uow:
        spent = await uow.gifts.spend(
            1, START - dt.timedelta(days=40), START + dt.timedelta(days=1), "EUR"
        )
    assert spent == 50


async def test_two_pushes_for_the_same_day_at_once_keep_one_value(db_url: str) -> None:
    first = await make_harness(db_url)
    second = await make_harness(db_url, clock=first.clock)
    try:
        await first.cmd("alice", "/wow admin kpi enable csat")
        day = START.date()

        async def push(h: Harness, value: float) -> None:
            async with h.app.uow() as uow:
                await uow.kpis.record(1, "csat", day, value, "push")
                await uow.commit()

        for n in range(5):
            await asyncio.gather(push(first, 4.0 + n / 10), push(second, 3.0 + n / 10))
        async with first.app.uow() as uow:
            series = await uow.kpis.series(1, "csat", day, day)
        assert list(series) == [day] and series[day] in {4.4, 3.4}
    finally:
        await first.app.close()
        await second.app.close()
