"""What every handler gets: who acts, where, when, and the unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from bot.core.errors import NotAllowed, UsageError, WowError
from bot.core.guards import one_line, shortened
from bot.core.limits import LIMITS
from bot.core.messages import Outgoing
from bot.core.model import Member, Role, Workspace
from bot.core.ports import Directory, UnitOfWork
from bot.core.texts import NO_ADMINS, ONLY_ADMINS, not_a_member_id


@dataclass(frozen=True)
class CoreSettings:
    default_timezone: str = "UTC"
    max_gift_cost: Decimal = Decimal("1000")
    admins: frozenset[str] = frozenset()
    digest_grace: dt.timedelta = dt.timedelta(hours=6)
    nudge_after: dt.timedelta = dt.timedelta(days=1)


@dataclass(kw_only=True)
class Scene:
    """A workspace at a moment, with its unit of work: what work needs that nobody in
    particular asked for (a rating a helpdesk pushed, a scheduled step)."""

    uow: UnitOfWork
    workspace: Workspace
    now: dt.datetime
    directory: Directory
    settings: CoreSettings
    _sent: list[Outgoing] = field(default_factory=list)

    async def member(self, user_id: str) -> Member:
        return await ensure_member(self.uow, self.directory, self.settings, self.workspace, user_id)

    async def members(self, user_ids: Iterable[str]) -> list[Member]:
        return [await self.member(u) for u in dict.fromkeys(user_ids)]

    async def send(self, outgoing: Outgoing) -> None:
        await self.uow.outbox.add(self.workspace.id, outgoing, self.now)
        self._sent.append(outgoing)

    async def names(self, ids: Iterable[int]) -> dict[int, str]:
        return {i: m.name for i, m in (await self.uow.members.by_ids(list(ids))).items()}


@dataclass(kw_only=True)
class Context(Scene):
    """A scene with someone in it: who acts, and where."""

    actor: Member
    channel: str

    async def require_admin(self) -> None:
        if self.actor.role is not Role.ADMIN:
            admins = await self.uow.members.with_roles(self.workspace.id, [Role.ADMIN])
            names = ", ".join(m.name for m in admins) or NO_ADMINS
            raise NotAllowed(ONLY_ADMINS.format(admins=names))


async def ensure_member(
    uow: UnitOfWork,
    directory: Directory,
    settings: CoreSettings,
    workspace: Workspace,
    user_id: str,
    tz_hint: str | None = None,
) -> Member:
    """The member behind a platform user id, met for the first time if need be."""
    if len(user_id) > LIMITS["user id"] or user_id != one_line(user_id):
        raise UsageError(not_a_member_id(user_id[:40]))
    member = await uow.members.by_user(workspace.id, user_id)
    if member is not None:
        if tz_hint and tz_hint != member.tz:
            member.tz = tz_hint
            await uow.members.save(member)
        return member
    try:
        profile = await directory.profile(workspace, user_id)
    except WowError:
        raise
    role = Role.ADMIN if user_id in settings.admins else Role.MEMBER
    tz = tz_hint or profile.tz or settings.default_timezone  # as configured now
    name = shortened(one_line(profile.name), LIMITS["name"]) or user_id
    email = profile.email.strip().lower() if profile.email else None
    if email and (len(email) > LIMITS["email"] or email != one_line(email)):
        email = None
    return await uow.members.add(workspace.id, user_id, name, tz, role, email)
