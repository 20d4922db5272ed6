"""Polling helpdesks for ratings (SPEC §9): each due source is read page by page, every
rating taken in as if pushed (same checks, same intake); only ratings given since the source
was added count, and a rating read again replaces itself, so a repeat poll adds nothing.
A failure is recorded with its reason; none stops the scheduler or the other sources."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable

from bot.core.errors import FetchError, UsageError
from bot.core.feedback_sources import (
    USERS_PER_CALL,
    FeedbackSource,
    Page,
    fitted,
    json_page,
    zendesk_newest,
    zendesk_page,
    zendesk_people,
    zendesk_rating,
    zendesk_ratings_url,
    zendesk_users,
    zendesk_users_url,
)
from bot.core.kpi import PointerError
from bot.core.ports import Directory, JsonFetcher, UnitOfWork
from bot.core.texts import feedback_sources as tx
from bot.handlers.context import CoreSettings, Scene
from bot.handlers.feedback_intake import take_in
from bot.handlers.feedback_push import read_body

log = logging.getLogger("wowbot.feedback")
MAX_PAGES = 10  # a poll reads at most this many pages; the next one goes on from there
# Nor does it start a page after this many seconds: a slow helpdesk's poll ends well inside
# the claim's lease (POLL_LEASE), so no other worker takes the source up meanwhile.
POLL_SECONDS = 120.0
CLAIMED = 20


class FeedbackPoller:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        fetcher: JsonFetcher,
        directory: Directory,
        settings: CoreSettings,
    ) -> None:
        self._uow, self.fetcher = uow, fetcher
        self.directory, self.settings = directory, settings

    async def poll_due(self, now: dt.datetime) -> int:
        async with self._uow() as uow:
            claimed = await uow.feedback_sources.claim_due(now, CLAIMED)
            await uow.commit()
        for source in claimed:
            await self.poll(source, now)
        return len(claimed)

    async def poll(self, source: FeedbackSource, now: dt.datetime) -> None:
        headers = {"Authorization": source.auth_header} if source.auth_header else {}
        taken, read = 0, 0
        skipped: list[str] = []
        cursor, error = None, None
        try:
            async for page, newest in self._pages(source, headers):
                read += len(page.ratings) + len(page.skipped)
                new, refused = await self._take(source, page, now)
                taken, skipped = taken + new, skipped + page.skipped + refused
                cursor = newest if newest is not None else cursor
        except (FetchError, PointerError) as failure:
            error = getattr(failure, "reason", None) or str(failure)
        except Exception as failure:  # a bug must not stop the other sources
            log.exception("polling feedback source %s failed", source.name)
            error = tx.unexpected(type(failure).__name__)
        if error is None and skipped:
            error = tx.skipped(len(skipped), read, skipped[0])
        async with self._uow() as uow:
            await uow.feedback_sources.record_poll(
                source.id,
                at=now,
                next_at=now + dt.timedelta(minutes=source.every_minutes),
                error=error[:500] if error else None,
                taken=taken,
                cursor=str(cursor) if cursor is not None else None,
            )
            await uow.commit()
        if error:
            log.warning("feedback source %s: %s", source.name, error)

    async def _pages(
        self, source: FeedbackSource, headers: dict[str, str]
    ) -> AsyncIterator[tuple[Page, int | None]]:
        """Each page read, with the Zendesk start time it reaches (None for JSON)."""
        assert source.created_at is not None
        if source.kind == "zendesk":
            start = int(source.cursor) if source.cursor else int(source.created_at.timestamp())
            url: str | None = zendesk_ratings_url(source.url, start)
        else:
            url = source.url
        loop = asyncio.get_running_loop()
        started = loop.time()
        for _ in range(MAX_PAGES):
            if url is None or loop.time() - started > POLL_SECONDS:
                return
            document = await self.fetcher.get_json(url, headers)
            if source.kind != "zendesk":
                page = json_page(document, source)
                yield page, None
                url = page.next_url
                continue
            ratings, url = zendesk_page(document, source.url)
            ids, people = zendesk_people(ratings), {}
            for at in range(0, len(ids), USERS_PER_CALL):
                chunk = ids[at : at + USERS_PER_CALL]
                found = await self.fetcher.get_json(zendesk_users_url(source.url, chunk), headers)
                people.update(zendesk_users(found))
            rated = [zendesk_rating(r, people, source.url, source.name) for r in ratings]
            yield Page(rated, [], url), zendesk_newest(ratings)

    async def _take(
        self, source: FeedbackSource, page: Page, now: dt.datetime
    ) -> tuple[int, list[str]]:
        """Take in a page's ratings in one transaction: how many were new, and why any
        were refused."""
        assert source.created_at is not None
        new, refused = 0, []
        async with self._uow() as uow:
            ws = await uow.workspaces.get(source.workspace_id)
            scene = Scene(
                uow=uow, workspace=ws, now=now, directory=self.directory, settings=self.settings
            )
            for rated in page.ratings:
                try:
                    feedback = read_body(fitted(rated.body), ws.id, now)
                except UsageError as wrong:
                    refused.append(tx.refused(str(rated.body.get("ticket")), wrong.message))
                    continue
                if feedback.given_at < source.created_at:
                    continue  # given before the source was added: not new
                if rated.helpdesk_id:
                    named = await uow.agents.member_for(ws.id, rated.helpdesk_id)
                    if named is not None:
                        feedback.agent_id, feedback.agent_ref = named, None
                taken = await take_in(scene, feedback, None)
                new += taken.replaced is None
            await uow.commit()
        return new, refused
