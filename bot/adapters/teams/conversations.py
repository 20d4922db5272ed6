"""What the Teams adapter keeps of the conversations it meets: a reference to each (so the
bot can post there later, also after a restart) with the name people know it by, and each
tenant's workspace (for its ids, looked up once per process)."""

from __future__ import annotations

from collections.abc import Callable

from botbuilder.schema import Activity

from bot.adapters.teams.activities import reference_of, shown_name, where
from bot.core.model import Conversation, Role, Workspace
from bot.core.ports import Clock, UnitOfWork
from bot.handlers.dispatch import Invocation

PLATFORM = "teams"


class Conversations:
    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock, default_timezone: str) -> None:
        self.uow, self.clock, self.default_timezone = uow, clock, default_timezone
        # saved by this process: (tenant, conversation) → (service URL, name)
        self._met: dict[tuple[str, str], tuple[str, str | None]] = {}
        self._workspaces: dict[str, Workspace] = {}  # by tenant: ids never change

    async def meet(self, tenant: str, activity: Activity) -> bool:
        """Keep a reference to this conversation, so the bot can post there later, and
        the name people know it by. True when the bot had never been here before."""
        kind, conversation_id = where(activity)
        display = shown_name(activity) if kind == "channel" else None
        if self._met.get((tenant, conversation_id)) == (activity.service_url, display):
            return False
        reference = reference_of(activity).serialize()
        reference["conversation"] = {
            **reference.get("conversation", {}),
            "id": conversation_id,
            "conversationType": kind,
            "tenantId": tenant,
        }
        if display:
            reference["displayName"] = display
        user = activity.from_property.id if kind == "personal" and activity.from_property else None
        async with self.uow() as uow:
            workspace = await uow.workspaces.get_or_create(PLATFORM, tenant, self.default_timezone)
            self._workspaces[tenant] = workspace
            known = await uow.conversations.get(workspace.id, conversation_id)
            if known and not display and known.address.get("displayName"):
                reference["displayName"] = known.address["displayName"]  # learnt earlier
            await uow.conversations.save(
                Conversation(workspace.id, conversation_id, kind, reference, user),
                self.clock.now(),
            )
            await uow.commit()
        self._met[(tenant, conversation_id)] = (activity.service_url, display)
        return known is None

    async def people(self, who: Invocation) -> list[tuple[str, str]]:
        """Choices for a member input: the workspace's people the bot knows, not the asker."""
        workspace = await self.workspace(who)
        async with self.uow() as uow:
            members = await uow.members.with_roles(workspace.id, list(Role))
        return [(m.user_id, m.name) for m in members if m.user_id != who.user_id]

    async def workspace(self, who: Invocation) -> Workspace:
        """The tenant's workspace, for its ids (looked up once per process and tenant)."""
        known = self._workspaces.get(who.workspace)
        if known is None:
            async with self.uow() as uow:
                known = await uow.workspaces.get_or_create(
                    PLATFORM, who.workspace, self.default_timezone
                )
            self._workspaces[who.workspace] = known
        return known
