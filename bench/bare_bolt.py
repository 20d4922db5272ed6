"""The baseline: a bare slack-bolt AsyncApp on aiohttp that only acknowledges /wow.

    bare_bolt.py PORT SECRET API_URL [immediate]

By default bolt runs the listener in a task of its own and polls every 10 ms for its ack;
with `immediate` (process_before_response=True, as `wowbot serve` runs) it answers as soon
as the listener returns: the fastest a bolt app can acknowledge.
"""

from __future__ import annotations

import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def main(port: int, secret: str, api_url: str, immediate: bool) -> None:
    client = AsyncWebClient(token="xoxb-bench", base_url=api_url)  # auth.test, as the bot's
    app = AsyncApp(client=client, signing_secret=secret, process_before_response=immediate)

    @app.command("/wow")
    async def wow(ack) -> None:
        await ack()

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    web.run_app(web_app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:] == ["immediate"])
