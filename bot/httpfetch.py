"""The JsonFetcher for HTTP KPI sources, on httpx: timeouts, retries with backoff."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bot.core.errors import FetchError

RETRYABLE = {429, 500, 502, 503, 504}


class HttpJsonFetcher:
    def __init__(
        self,
        *,
        timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.timeout, self.attempts, self.backoff, self._sleep = timeout, attempts, backoff, sleep
        self._transport = transport

    async def get_json(self, url: str, headers: dict[str, str]) -> Any:
        reason = "not tried"
        async with httpx.AsyncClient(
            timeout=self.timeout, transport=self._transport, headers={"Accept": "application/json"}
        ) as client:
            for attempt in range(1, self.attempts + 1):
                try:
                    response = await client.get(url, headers=headers, follow_redirects=True)
                except httpx.TimeoutException:
                    reason = f"timed out after {self.timeout:g} s"
                except httpx.HTTPError as error:
                    reason = f"could not connect ({type(error).__name__})"
                else:
                    if response.status_code in RETRYABLE:
                        reason = f"HTTP {response.status_code}"
                    elif response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code}")
                    else:
                        try:
                            return response.json()
                        except ValueError:
                            raise FetchError("the response is not JSON") from None
                if attempt < self.attempts:
                    await self._sleep(self.backoff * 2 ** (attempt - 1))
        raise FetchError(f"{reason} ({self.attempts} attempts)")
