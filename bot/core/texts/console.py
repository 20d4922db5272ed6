"""What the local console says about itself: its controls, clock and who is acting. The
bot's own answers print there as on any platform."""

from __future__ import annotations

HELP = """Console commands:
  /wow <command>        a command as the current member (/wow help lists them)
  /as <name>            act as another member (created on first use)
  /in #<channel>        move to another channel
  /click <n> [text]     press button [n]; the text answers a form field (a decline reason)
  /push <json>          a helpdesk's rating, as POST /api/feedback takes it, e.g.
                        /push {"customer": "Acme", "score": 2, "scale": "csat5", "ticket": "7"}
  /time                 show the console clock
  /time +90m|+3h|+2d|+2w or /time 2026-12-01T09:00   move the clock forward
  /quit                 leave"""
START_HINT = "Type /wow help for commands, /help for console controls, /quit to leave."
ONLY_YOU = "only you"
NOT_A_CONTROL = (
    "[only you] Commands start with /wow (try /wow help); console controls: "
    "/as, /in, /click, /push, /time, /help, /quit."
)
AS_HOW = "[only you] Write /as <name>, e.g. /as maria (letters, digits, . _ -)."
IN_HOW = "[only you] Write /in #<channel>, e.g. /in #gifts."
TIME_HOW = "[only you] Write /time +90m, +3h, +2d, +2w or /time 2026-12-01T09:00."
TIME_TOO_FAR = "[only you] Move the console clock at most a year at a time (/time +52w)."
FORM_TYPED = "  In Slack and Teams this opens a form; here, type it:"


def pushed(answer: str) -> str:
    return f"[helpdesk] accepted: {answer}"


def push_refused(reason: str) -> str:
    return f"[helpdesk] refused: {reason}"


def greeting(name: str, role: str, channel: str, now: str) -> str:
    return f"WOW Bot console. You are {name} ({role}) in #{channel}; the clock says {now}."


def acting_as(name: str, role: str, channel: str) -> str:
    return f"Now acting as {name} ({role}) in #{channel}."


def now_in(channel: str) -> str:
    return f"Now in #{channel}."


def clock(now: str) -> str:
    return f"The console clock says {now}."


def clock_backwards(now: str) -> str:
    return f"[only you] The console clock only moves forward; it says {now}."


def no_button(number: str) -> str:
    return (
        f"[only you] There is no button [{number}]. Write /click <n> with a number "
        "shown in brackets."
    )


def answer_with(button: int, label: str) -> str:
    return f"  Answer with: /click {button} <{label.lower()}>"


def privately_in(channel: str) -> str:
    return f"#{channel}, only you"
