"""Workspaces, members and core values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import CoreValue, Member, Role, Workspace
from bot.core.texts.heroes import DEFAULT_VALUES
from bot.storage.tables import CoreValueRow, MemberRow, WorkspaceRow
from bot.storage.upsert import upsert

BATCH = 1000  # ids per query (asyncpg takes at most 32,767 bind parameters)


def to_workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(
        id=row.id,
        platform=row.platform,
        external_id=row.external_id,
        wall_channel=row.wall_channel,
        gifts_channel=row.gifts_channel,
        budget=row.budget,
        currency=row.currency,
        sla_hours=row.sla_hours,
        followup_days=row.followup_days,
        timezone=row.timezone,
        recovery_channel=row.recovery_channel,
        recovery_sla_minutes=row.recovery_sla_minutes,
        recovery_followup_days=row.recovery_followup_days,
    )


def to_member(row: MemberRow) -> Member:
    return Member(
        row.id, row.workspace_id, row.user_id, row.name, row.tz, Role(row.role), row.email
    )


class SqlWorkspaces:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(self, platform: str, external_id: str, timezone: str) -> Workspace:
        stmt = select(WorkspaceRow).where(
            WorkspaceRow.platform == platform, WorkspaceRow.external_id == external_id
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        if row is None:
            created = await self.session.execute(
                upsert(
                    self.session,
                    WorkspaceRow,
                    {
                        "platform": platform,
                        "external_id": external_id,
                        "currency": "USD",
                        "sla_hours": 24,
                        "followup_days": 14,
                        "recovery_sla_minutes": 240,
                        "recovery_followup_days": 7,
                        "timezone": timezone,
                        "created_at": dt.datetime.now(dt.UTC),
                    },
                    conflict=["platform", "external_id"],
                ).returning(WorkspaceRow.id)
            )
            new_id = created.scalar_one_or_none()
            if new_id is not None:  # ours, not a concurrent creator's: its default values
                for name, slug in DEFAULT_VALUES:
                    self.session.add(CoreValueRow(workspace_id=new_id, name=name, slug=slug))
                await self.session.flush()
            row = (await self.session.execute(stmt)).scalar_one()
        return to_workspace(row)

    async def get(self, workspace_id: int) -> Workspace:
        return to_workspace(await self.session.get_one(WorkspaceRow, workspace_id))

    async def lock(self, workspace_id: int) -> Workspace:
        # PostgreSQL: a row lock until commit. SQLite: every transaction already holds the
        # database's write lock from its start (BEGIN IMMEDIATE), so writers take turns.
        stmt = (
            select(WorkspaceRow)
            .where(WorkspaceRow.id == workspace_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return to_workspace((await self.session.execute(stmt)).scalar_one())

    async def save(self, workspace: Workspace) -> None:
        row = await self.session.get_one(WorkspaceRow, workspace.id)
        row.wall_channel = workspace.wall_channel
        row.gifts_channel = workspace.gifts_channel
        row.budget = workspace.budget
        row.currency = workspace.currency
        row.sla_hours = workspace.sla_hours
        row.followup_days = workspace.followup_days
        row.timezone = workspace.timezone
        row.recovery_channel = workspace.recovery_channel
        row.recovery_sla_minutes = workspace.recovery_sla_minutes
        row.recovery_followup_days = workspace.recovery_followup_days
        await self.session.flush()


class SqlMembers:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int) -> Member:
        return to_member(await self.session.get_one(MemberRow, member_id))

    async def by_user(self, workspace_id: int, user_id: str) -> Member | None:
        stmt = select(MemberRow).where(
            MemberRow.workspace_id == workspace_id, MemberRow.user_id == user_id
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        return to_member(row) if row else None

    async def by_name(self, workspace_id: int, name: str) -> Member | None:
        stmt = select(MemberRow).where(
            MemberRow.workspace_id == workspace_id, func.lower(MemberRow.name) == name.lower()
        )
        row = (await self.session.execute(stmt)).scalars().first()
        return to_member(row) if row else None

    async def add(
        self,
        workspace_id: int,
        user_id: str,
        name: str,
        tz: str,
        role: Role,
        email: str | None = None,
    ) -> Member:
        """Add a member; if a concurrent request added them first, return theirs."""
        await self.session.execute(
            upsert(
                self.session,
                MemberRow,
                {
                    "workspace_id": workspace_id,
                    "user_id": user_id,
                    "name": name,
                    "tz": tz,
                    "role": str(role),
                    "email": email,
                },
                conflict=["workspace_id", "user_id"],
            )
        )
        added = await self.by_user(workspace_id, user_id)
        assert added is not None  # just inserted, or inserted by the concurrent request
        return added

    async def save(self, member: Member) -> None:
        row = await self.session.get_one(MemberRow, member.id)
        row.name, row.tz, row.role = member.name, member.tz, member.role.value
        row.email = member.email
        await self.session.flush()

    async def by_email(self, workspace_id: int, email: str) -> Member | None:
        stmt = select(MemberRow).where(
            MemberRow.workspace_id == workspace_id, MemberRow.email == email.lower()
        )
        row = (await self.session.execute(stmt)).scalars().first()
        return to_member(row) if row else None

    async def with_roles(self, workspace_id: int, roles: Sequence[Role]) -> list[Member]:
        stmt = (
            select(MemberRow)
            .where(MemberRow.workspace_id == workspace_id, MemberRow.role.in_(roles))
            .order_by(MemberRow.name)
        )
        return [to_member(r) for r in (await self.session.execute(stmt)).scalars()]

    async def by_ids(self, ids: Sequence[int]) -> dict[int, Member]:
        """Members by id, read in batches: a bind parameter per id, never too many at once."""
        wanted, found = sorted(set(ids)), dict[int, Member]()
        for at in range(0, len(wanted), BATCH):
            stmt = select(MemberRow).where(MemberRow.id.in_(wanted[at : at + BATCH]))
            found |= {r.id: to_member(r) for r in (await self.session.execute(stmt)).scalars()}
        return found


class SqlValues:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, workspace_id: int) -> list[CoreValue]:
        stmt = (
            select(CoreValueRow)
            .where(CoreValueRow.workspace_id == workspace_id)
            .order_by(CoreValueRow.id)
        )
        rows = (await self.session.execute(stmt)).scalars()
        return [CoreValue(r.id, r.workspace_id, r.name, r.slug) for r in rows]

    async def add(self, workspace_id: int, name: str, slug: str) -> CoreValue:
        row = CoreValueRow(workspace_id=workspace_id, name=name, slug=slug)
        self.session.add(row)
        await self.session.flush()
        return CoreValue(row.id, workspace_id, name, slug)

    async def remove(self, value_id: int) -> None:
        await self.session.delete(await self.session.get_one(CoreValueRow, value_id))
        await self.session.flush()
