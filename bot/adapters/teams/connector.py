"""The Bot Connector's client: one per service URL, calls retried briefly within a turn,
and its errors told apart as the outbox needs them (retry later, or record and stop)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.core.errors import DeliveryError

log = logging.getLogger("wowbot.teams")
INLINE_ATTEMPTS = 3  # for replies within a turn; the outbox has its own backoff
MAX_INLINE_WAIT = 5.0


def to_delivery_error(error: Exception) -> DeliveryError:
    """The connector's answer, as the outbox needs it: retry later, or record and stop."""
    if isinstance(error, HttpOperationError):
        response = error.response
        status = getattr(response, "status_code", None) or 0
        headers = getattr(response, "headers", None) or {}
        if status == 429:
            try:
                retry_after = float(headers.get("Retry-After", 30))
            except (TypeError, ValueError):
                retry_after = 30.0
            return DeliveryError(
                "Teams throttled (429)", permanent=False, retry_after=retry_after, throttled=True
            )
        if status >= 500:
            return DeliveryError(f"Teams service error ({status})", permanent=False)
        if status == 403:
            return DeliveryError(
                "forbidden (403): the bot is not in the conversation roster, or was removed",
                permanent=True,
            )
        if status == 404:
            return DeliveryError("conversation not found (404)", permanent=True)
        return DeliveryError(f"Teams refused the message ({status})", permanent=True)
    return DeliveryError(f"connection failed: {type(error).__name__}", permanent=False)


CONNECTOR_ERRORS = (HttpOperationError, ClientRequestError, aiohttp.ClientError, TimeoutError)


class Connector:
    """Connector calls, with the errors told apart."""

    def __init__(
        self,
        auth: BotFrameworkAuthentication,
        claims: ClaimsIdentity,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.auth, self.claims, self.sleep = auth, claims, sleep
        self._clients: dict[str, ConnectorClient] = {}

    async def client(self, service_url: str) -> ConnectorClient:
        if service_url not in self._clients:
            factory = self.auth.create_connector_factory(self.claims)
            self._clients[service_url] = await factory.create(service_url, None)
        return self._clients[service_url]

    async def close(self) -> None:
        for client in self._clients.values():
            await client.__aexit__(None, None, None)
        self._clients.clear()

    async def call(self, make: Callable[[], Awaitable[Any]], *, attempts: int = 1) -> Any:
        """One connector call; with `attempts` > 1, 429 and 5xx are retried here briefly."""
        for attempt in range(1, attempts + 1):
            try:
                return await make()
            except CONNECTOR_ERRORS as error:
                failure = to_delivery_error(error)
                wait = failure.retry_after or 0.5 * 2**attempt
                if failure.permanent or attempt == attempts or wait > MAX_INLINE_WAIT:
                    raise failure from error
                log.info("Teams: %s; retrying in %.1f s", failure.reason, wait)
                await self.sleep(wait)
        raise AssertionError("unreachable")
