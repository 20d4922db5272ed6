"""No secret reaches a log: a whole `wowbot serve` session with every kind of secret set,
and everything it logged searched for each of them."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.config import load_settings
from bot.logs import HIDDEN, protect, redact, secrets_of
from bot.storage.engine import create_engine
from tests.served import Served, command_body
from tests.slack_fake import SECRET, FakeSlack, sign

BOT_TOKEN = "xoxb-1111-2222-bot-token-secret"
APP_TOKEN = "xapp-1-A1-3333-app-token-secret"
APP_PASSWORD = "teams-client-secret-4444"
SOURCE_AUTH = "Bearer kpi-source-secret-5555"
VERIFICATION = "legacy-verification-token"


async def test_a_whole_session_logs_no_secret(
    sqlite_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    served = Served(
        sqlite_url,
        fake,
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
        MICROSOFT_APP_ID="11111111-2222-3333-4444-555555555555",
        MICROSOFT_APP_PASSWORD=APP_PASSWORD,
        WOWBOT_ADMINS="UADMIN",
    )
    await served.start()
    response_urls = []

    async def command(text: str, name: str, *, answered: bool = True) -> str:
        body = command_body(fake, "UADMIN", text, name)
        response_urls.append(fake.response_url(name))
        async with aiohttp.ClientSession() as http:
            assert (await served.post(http, body))[0] == 200
        return await fake.response(name) if answered else ""

    try:
        await command("admin kpi enable csat", "s1")
        await command(f'admin kpi source csat http http://127.0.0.1:9/x auth="{SOURCE_AUTH}"', "s2")
        created = await command("admin apikey create ci", "s3")
        api_key = re.search(r"wow_[\w-]+", created).group(0)
        async with aiohttp.ClientSession() as http:
            for key, value in ((api_key, 4.2), (api_key, "NaN"), (api_key + "x", 4.0)):
                await http.post(
                    f"{served.url}/api/kpis/csat",
                    json={"value": value},
                    headers={"Authorization": f"Bearer {key}"},
                )
            # A request signed with the wrong secret: bolt logs what it refused.
            body = command_body(fake, "UADMIN", "help", "refused")
            response_urls.append(fake.response_url("refused"))
            headers = sign(body, secret="not-the-secret")
            async with http.post(
                f"{served.url}/slack/events",
                data=body,
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            ) as answer:
                assert answer.status == 401
            signature = headers["X-Slack-Signature"]
        # Answers Slack throttles and fails: the retries are logged.
        fake.fail("response_url", status=429, headers={"Retry-After": "0"})
        fake.fail("response_url", status=500)
        fake.fail("chat.postMessage", status=500)
        await command("hero <@UBOB|bob> kept a secret", "s4", answered=False)
        await served.logged("retry in", timeout=30)
    finally:
        assert await served.stop() == 0
    logged = "".join(served.log)
    assert "Running on" in logged and "retry" in logged  # the log is there to search
    for secret in (
        BOT_TOKEN,
        APP_TOKEN,
        APP_PASSWORD,
        SECRET,
        SOURCE_AUTH.split()[1],
        api_key,
        VERIFICATION,
        signature.removeprefix("v0="),
        *(url.split("://", 1)[1] for url in response_urls),
    ):
        assert secret not in logged, secret


def test_secrets_are_hidden_by_value_and_by_shape() -> None:
    settings = load_settings(
        wowbot_database_url="postgresql://wow:db-password-77@db.internal/wow",
        slack_signing_secret="abcdef0123456789",
    )
    hidden = secrets_of(settings)
    line = (
        "connect postgresql://wow:db-password-77@db.internal/wow failed; secret abcdef0123456789; "
        "token=xoxb-9-9-zzz&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F2%2F3 "
        '{"token": "legacy", "Authorization": "Basic dXNlcjpwYXNz"} '
        "POST https://hooks.slack.com/actions/T1/22/33 sig v0=0123456789abcdef0123"
    )
    out = redact(line, hidden)
    for secret in (
        "db-password-77",
        "abcdef0123456789",
        "xoxb-9-9-zzz",
        "hooks.slack.com%2Fcommands",
        "legacy",
        "dXNlcjpwYXNz",
        "hooks.slack.com/actions",
        "0123456789abcdef0123",
    ):
        assert secret not in out, (secret, out)
    assert out.count(HIDDEN) >= 8 and "db.internal/wow failed" in out


def test_a_traceback_is_redacted_too() -> None:
    stream = io.StringIO()
    root = logging.Logger("root-for-test")
    root.addHandler(logging.StreamHandler(stream))
    protect(load_settings(slack_bot_token="xoxb-trace-secret"), root)
    try:
        raise RuntimeError("failed with xoxb-trace-secret")
    except RuntimeError:
        root.exception("boom with %s", "xoxb-trace-secret")
    printed = stream.getvalue()
    assert "RuntimeError" in printed and "boom with" in printed
    assert "xoxb-trace-secret" not in printed


async def test_a_failed_statement_does_not_show_its_parameters(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (k TEXT UNIQUE)"))
            await connection.execute(text("INSERT INTO t VALUES (:k)"), {"k": "auth-secret-66"})
        with pytest.raises(IntegrityError) as failed:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (:k)"), {"k": "auth-secret-66"})
    finally:
        await engine.dispose()
    assert "auth-secret-66" not in str(failed.value)
