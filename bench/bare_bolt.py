"""The baseline: a bare slack-bolt AsyncApp on aiohttp that only acknowledges /wow."""

from __future__ import annotations

import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def main(port: int, secret: str, api_url: str) -> None:
    client = AsyncWebClient(token="xoxb-bench", base_url=api_url)  # auth.test, as the bot's
    app = AsyncApp(client=client, signing_secret=secret)

    @app.command("/wow")
    async def wow(ack) -> None:
        await ack()

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    web.run_app(web_app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
