"""Work that falls due with time: reminders, nudges, SLA nudges, digests.

Every step claims its rows atomically and writes its outbox rows in the same
transaction, so any number of workers (replicas, or the console's clock) can run
`run_due` side by side and each thing is sent once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.core.messages import Destination, Message, Outgoing
from bot.core.model import DigestRun, DigestSubscription, FollowUp, Role
from bot.core.ports import UnitOfWork
from bot.core.schedule import next_occurrence, occurrence
from bot.core.texts import recovery as rtx
from bot.core.texts import sla_nudge
from bot.core.zones import local
from bot.handlers.context import CoreSettings
from bot.handlers.digest_content import build_digest
from bot.handlers.feedback_polling import FeedbackPoller
from bot.handlers.followups import reminders
from bot.handlers.format import age
from bot.handlers.gifts import deciders_of
from bot.handlers.kpi_polling import KpiPoller
from bot.handlers.recovery_cases import case_changed

log = logging.getLogger("wowbot.jobs")
BATCH = 200
LATE_AFTER = dt.timedelta(minutes=10)


class Jobs:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        settings: CoreSettings,
        poller: KpiPoller | None = None,
        feedback_poller: FeedbackPoller | None = None,
    ) -> None:
        self._uow, self.settings, self.poller = uow, settings, poller
        self.feedback_poller = feedback_poller

    async def run_due(self, now: dt.datetime, *, helpdesks: bool = True) -> int:
        """Run everything due at `now`; returns how many messages were queued. The server
        polls helpdesks in a job of its own (`helpdesks=False` here), so a slow helpdesk
        never holds up reminders and digests."""
        queued = 0
        steps = [self.kpi_sources, self.followups, self.sla_nudges, self.escalations]
        steps += [self.digests, *([self.feedback_sources] if helpdesks else [])]
        for step in steps:
            try:
                queued += await step(now)
            except Exception:  # one failing step must not stop the others
                log.exception("scheduled step %s failed", step.__name__)
        return queued

    async def kpi_sources(self, now: dt.datetime) -> int:
        """Poll the HTTP KPI sources that are due (before digests, so they see fresh values)."""
        if self.poller is not None:
            await self.poller.poll_due(now)
        return 0

    async def feedback_sources(self, now: dt.datetime) -> int:
        """Poll the helpdesks that are due for ratings (their praise and cases are queued)."""
        if self.feedback_poller is not None:
            await self.feedback_poller.poll_due(now)
        return 0

    async def followups(self, now: dt.datetime) -> int:
        """Reminders and nudges that fall due, an owner's together in one DM (several when
        more than fit one). Claims take an owner's rows together; when a batch ends, the
        rest of its last owner's are claimed with it, so a busy owner is not split."""
        total = 0
        while True:
            async with self._uow() as uow:
                due = await uow.followups.claim_due(now, BATCH)
                nudges = await uow.followups.claim_nudges(now, self.settings.nudge_after, BATCH)
                more = len(due) == BATCH or len(nudges) == BATCH
                if len(due) == BATCH:
                    due += await uow.followups.claim_due(now, BATCH, owner_id=due[-1].owner_id)
                if len(nudges) == BATCH:
                    nudges += await uow.followups.claim_nudges(
                        now, self.settings.nudge_after, BATCH, owner_id=nudges[-1].owner_id
                    )
                claimed = [(f, False) for f in due] + [(f, True) for f in nudges]
                owners = await uow.members.by_ids([f.owner_id for f, _ in claimed])
                by_owner: dict[int, list[tuple[FollowUp, bool]]] = {}
                for f, nudge in claimed:
                    by_owner.setdefault(f.owner_id, []).append((f, nudge))
                keys: dict[int, str] = {}
                for owner_id, items in by_owner.items():
                    for outgoing, carried in reminders(items, owners[owner_id]):
                        await uow.outbox.add(carried[0].workspace_id, outgoing, now)
                        keys.update((f.id, outgoing.key or "") for f in carried)
                await uow.followups.remind_in(keys)
                await uow.commit()
            total += len(claimed)
            if not more:
                return total

    async def sla_nudges(self, now: dt.datetime) -> int:
        total = 0
        while True:
            async with self._uow() as uow:
                claimed = await uow.gifts.claim_sla_nudges(now, BATCH)
                for gift in claimed:
                    ws = await uow.workspaces.get(gift.workspace_id)
                    people = await deciders_of(uow, gift)
                    text = sla_nudge(gift.id, gift.customer, ws.sla_hours)
                    await uow.outbox.add(
                        ws.id,
                        Outgoing(
                            Message(text=text, mentions=tuple(m.user_id for m in people)),
                            Destination.to_thread(f"gift:{gift.id}:root"),
                            description=f"gift #{gift.id} SLA nudge",
                        ),
                        now,
                    )
                await uow.commit()
            total += len(claimed)
            if len(claimed) < BATCH:
                return total

    async def escalations(self, now: dt.datetime) -> int:
        """Recovery cases not contacted by their due time: one escalation each, in the
        case's thread, mentioning the admins; the root shows the case overdue."""
        total = 0
        while True:
            async with self._uow() as uow:
                claimed = await uow.recoveries.claim_escalations(now, BATCH)
                for case in claimed:
                    ws = await uow.workspaces.get(case.workspace_id)
                    admins = await uow.members.with_roles(ws.id, [Role.ADMIN])
                    late = age(case.created_at, now)
                    said = Message(
                        text=rtx.escalation(case.id, case.customer, late, case.status.value),
                        mentions=tuple(m.user_id for m in admins),
                    )
                    if not case.channel:  # posted nowhere yet: the admins hear it in a DM
                        told = Message(text=said.text + rtx.NO_CHANNEL_YET)
                        for admin in admins:
                            escalated = Outgoing(
                                told,
                                Destination.to_member(admin.id),
                                description=f"recovery case #{case.id} escalated",
                            )
                            await uow.outbox.add(ws.id, escalated, now)
                    for outgoing in await case_changed(uow, ws, case, now, said):
                        if outgoing.update_key != f"case:{case.id}:ask":
                            await uow.outbox.add(ws.id, outgoing, now)
                await uow.commit()
            total += len(claimed)
            if len(claimed) < BATCH:
                return total

    async def digests(self, now: dt.datetime) -> int:
        sent = 0
        async with self._uow() as uow:
            subs = await uow.digests.subscriptions()
            due: list[tuple[DigestSubscription, dt.date, dt.datetime]] = []
            for sub in subs:
                today = local(now, sub.tz).date()
                for day in (today - dt.timedelta(days=1), today):
                    moment = occurrence(sub, day)
                    if moment is not None and sub.created_at <= moment <= now:
                        due.append((sub, day, moment))
            done = await uow.digests.runs_on(sorted({day for _, day, _ in due})) if due else set()
        built: dict[tuple[int, str, bool], Message] = {}  # subscriptions that read the same
        for sub, day, moment in due:
            if (sub.id, day) not in done:  # the run row's unique key settles any race
                sent += await self._digest(sub, day, moment, now, built)
        return sent

    async def _digest(
        self,
        sub: DigestSubscription,
        day: dt.date,
        due: dt.datetime,
        now: dt.datetime,
        built: dict[tuple[int, str, bool], Message],
    ) -> int:
        """Claim and queue one subscription's digest. Subscriptions of one workspace and
        zone due in the same run read the same digest: it is built once (`built`)."""
        late_by = now - due
        if late_by > self.settings.digest_grace:
            status = "missed"
        else:
            status = "late" if late_by > LATE_AFTER else "sent"
        async with self._uow() as uow:
            if not await uow.digests.claim_run(DigestRun(sub.id, day, status, now)):
                return 0
            if status != "missed":
                ws = await uow.workspaces.get(sub.workspace_id)
                same = (ws.id, sub.tz, status == "late")
                if same not in built:
                    built[same] = await build_digest(uow, ws, sub.tz, now, late=status == "late")
                message = built[same]
                await uow.outbox.add(
                    ws.id,
                    Outgoing(
                        message,
                        Destination.to_channel(sub.channel),
                        key=f"digest:{sub.id}:{day.isoformat()}",
                        description=f"digest for #{sub.channel} on {day}",
                    ),
                    now,
                )
            await uow.commit()
        return int(status != "missed")

    async def next_moment(self, after: dt.datetime) -> dt.datetime | None:
        """The earliest moment strictly after `after` at which something falls due."""
        async with self._uow() as uow:
            moments = [
                await uow.followups.next_moment(self.settings.nudge_after),
                await uow.gifts.next_sla_moment(),
                await uow.recoveries.next_escalation(),
                *[next_occurrence(sub, after) for sub in await uow.digests.subscriptions()],
            ]
        future = [m for m in moments if m is not None and m > after]
        return min(future) if future else None
