"""Routing to the platform a workspace lives on: one deployment serves several at once."""

from __future__ import annotations

from typing import Any

from bot.core.errors import DeliveryError
from bot.core.messages import Message
from bot.core.model import Member, Profile, Workspace


class PlatformMessenger:
    """Sends each workspace's messages through the messenger of its platform."""

    def __init__(self) -> None:
        self.platforms: dict[str, Any] = {}

    def _for(self, workspace: Workspace) -> Any:
        messenger = self.platforms.get(workspace.platform)
        if messenger is None:
            raise DeliveryError(
                f"no {workspace.platform} adapter is configured in this server", permanent=True
            )
        return messenger

    async def post(
        self,
        workspace: Workspace,
        *,
        channel: str | None = None,
        thread: dict[str, Any] | None = None,
        member: Member | None = None,
        message: Message,
    ) -> dict[str, Any]:
        return await self._for(workspace).post(
            workspace, channel=channel, thread=thread, member=member, message=message
        )

    async def update(self, workspace: Workspace, ref: dict[str, Any], message: Message) -> None:
        await self._for(workspace).update(workspace, ref, message)

    async def answer(
        self, workspace: Workspace, handle: dict[str, Any], message: Message, *, public: bool
    ) -> None:
        await self._for(workspace).answer(workspace, handle, message, public=public)

    def spacing(self, workspace: Workspace) -> float:
        messenger = self.platforms.get(workspace.platform)
        return float(messenger.spacing(workspace)) if messenger is not None else 0.0


class PlatformDirectory:
    """Looks people up on their workspace's platform; by id where no adapter is mounted."""

    def __init__(self) -> None:
        self.platforms: dict[str, Any] = {}

    async def profile(self, workspace: Workspace, user_id: str) -> Any:
        directory = self.platforms.get(workspace.platform)
        return await directory.profile(workspace, user_id) if directory else Profile(user_id)

    async def user_by_email(self, workspace: Workspace, email: str) -> str | None:
        directory = self.platforms.get(workspace.platform)
        return await directory.user_by_email(workspace, email) if directory else None
