"""SQLite: this process's transactions take turns in order, saves the platform waits on
first, rather than polling for SQLite's write lock."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.core.errors import Unavailable
from bot.inbox import Inbox, Request
from bot.storage import turns as turns_module
from bot.storage.tables import InboxRow
from bot.storage.turns import Turns
from tests.conftest import Harness


async def spin(turns: int = 20) -> None:
    for _ in range(turns):
        await asyncio.sleep(0)


async def test_transactions_take_turns_in_order_urgent_ones_first() -> None:
    turns, order = Turns(), []

    async def transaction(name: str, urgent: bool = False) -> None:
        await turns.take(urgent=urgent)
        order.append(name)
        await spin(3)
        turns.give()

    await turns.take()  # a transaction holds the turn
    waiting = [
        asyncio.create_task(transaction("work 1")),
        asyncio.create_task(transaction("work 2")),
        asyncio.create_task(transaction("save", urgent=True)),
    ]
    await spin()
    assert order == []
    turns.give()
    await asyncio.gather(*waiting)
    assert order == ["save", "work 1", "work 2"]
    await turns.take()  # free again: taken at once
    turns.give()


async def test_a_transaction_that_stops_waiting_loses_its_place_not_the_queue() -> None:
    turns, order = Turns(), []

    async def transaction(name: str) -> None:
        await turns.take()
        order.append(name)
        turns.give()

    await turns.take()
    gone = asyncio.create_task(transaction("gone"))
    after = asyncio.create_task(transaction("after"))
    await spin()
    gone.cancel()
    turns.give()
    await asyncio.gather(gone, after, return_exceptions=True)
    assert order == ["after"]


async def test_a_turn_that_never_comes_is_a_busy_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    turns = Turns()
    await turns.take()
    monkeypatch.setattr(turns_module, "WAIT_AT_MOST", 0)
    with pytest.raises(TimeoutError):
        await turns.take()
    turns.give()
    await turns.take()  # the queue still works
    turns.give()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_on_sqlite_a_unit_of_work_waits_for_the_one_before_it(harness: Harness) -> None:
    uow = harness.app.uow
    async with uow() as first:
        await first.workspaces.get_or_create("console", "T1", "UTC")
        second = asyncio.create_task(uow().__aenter__())
        await spin()
        assert not second.done()  # queued in the process, not polling SQLite's lock
        await first.commit()
    waited = await second
    await waited.__aexit__(None, None, None)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_busy_sqlite_says_unavailable(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns_module, "WAIT_AT_MOST", 0)
    async with harness.app.uow():
        with pytest.raises(Unavailable, match="busy"):
            async with harness.app.uow():
                pass


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_save_the_platform_waits_on_goes_before_queued_work(harness: Harness) -> None:
    uow, seen = harness.app.uow, []
    inbox = Inbox(uow, harness.clock)

    async def nothing(request: Request) -> None:
        pass

    inbox.handle("slack", nothing)

    async def work() -> None:
        async with uow() as queued:
            rows = select(func.count()).select_from(InboxRow)
            seen.append((await queued.session.execute(rows)).scalar())

    async with uow() as held:
        await held.workspaces.get_or_create("console", "T1", "UTC")
        queued_work = asyncio.create_task(work())
        await spin()
        save = asyncio.create_task(inbox.accept("slack", "command", {"n": 1}))
        await spin()
        await held.commit()
    await asyncio.gather(queued_work, save)
    assert seen == [1]  # the save went first, though the work had queued before it
    await inbox.join()
