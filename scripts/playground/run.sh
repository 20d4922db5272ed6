#!/usr/bin/env bash
# WOW Bot in Microsoft's own local Teams client, the Microsoft 365 Agents Playground, driven
# in headless Chromium by drive.js: prints each check and exits non-zero if one failed.
#
# Needs: npm, and Chromium (Debian: apt-get install chromium). The Playground and
# playwright-core (no browser download) are installed on first use into
# $PLAYGROUND_DIR (default ~/.cache/wowbot-playground). The bot runs from this checkout's
# .venv (or `wowbot` on PATH) on a fresh SQLite file.
#   scripts/playground/run.sh            # SHOTS=/some/dir to keep screenshots
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${PLAYGROUND_DIR:-$HOME/.cache/wowbot-playground}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
wowbot=$root/.venv/bin/wowbot
[ -x "$wowbot" ] || wowbot=$(command -v wowbot || true)
command -v npm >/dev/null || { echo "run.sh: needs npm" >&2; exit 2; }
[ -n "$chromium" ] || { echo "run.sh: needs Chromium (apt-get install chromium)" >&2; exit 2; }
[ -n "$wowbot" ] || { echo "run.sh: needs wowbot (see the README)" >&2; exit 2; }

mkdir -p "$work"
if [ ! -d "$work/node_modules/@microsoft/m365agentsplayground" ]; then
  (cd "$work" && npm init -y >/dev/null && npm install --silent \
    @microsoft/m365agentsplayground playwright-core)
fi

bot_port=${BOT_PORT:-3978}
ui_port=${PLAYGROUND_PORT:-56150}
tmp=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# The Playground's own user (user-id-0, Alex Wilber) is the admin; its second user
# (user-id-1, Megan Bowen) proposes gifts, posted by drive.js as the Playground would.
WOWBOT_DATABASE_URL="sqlite+aiosqlite:///$tmp/playground.db" WOWBOT_ADMINS=user-id-0 \
  MICROSOFT_APP_ID="" "$wowbot" serve --port "$bot_port" >"$tmp/bot.log" 2>&1 &
pids+=($!)
(cd "$work" && exec node node_modules/.bin/agentsplayground \
  -e "http://127.0.0.1:$bot_port/api/messages" -c msteams --dt -p "$ui_port") \
  >"$tmp/playground.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$bot_port/healthz" >/dev/null 2>&1 \
    && curl -fs "http://localhost:$ui_port" >/dev/null 2>&1 && break
  sleep 1
done

status=0
CHROMIUM="$chromium" NODE_PATH="$work/node_modules" BOT_URL="http://127.0.0.1:$bot_port" \
  PLAYGROUND_URL="http://localhost:$ui_port" node "$here/drive.js" || status=$?
if grep -E "ERROR|Traceback" "$tmp/bot.log" >/dev/null; then
  echo "FAIL the bot logged errors:"; grep -E -A5 "ERROR|Traceback" "$tmp/bot.log" | head -40
  status=1
fi
exit "$status"
