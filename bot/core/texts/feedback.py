"""What the bot says about customer feedback (SPEC §9): typing it, praise on the wall, lists."""

from __future__ import annotations

from bot.core.texts import clip

# Typing it: the problem half of a "Write it like this" answer.
NO_CUSTOMER = "Name the customer first, then the score."
NO_SCORE = "Give the score after the customer's name: 5/5, 9/10, good or bad."
ONE_AGENT = "Mention one person: the colleague the feedback is about."
NO_COMMENT = "Write the customer's words after the colon, or leave the colon out."


def off_scale(word: str) -> str:
    return f'"{clip(word)}" is off the scale: write 1/5 to 5/5, 0/10 to 10/10, good or bad.'


# Recorded.
def recorded(feedback_id: int, customer: str, score: str, agent: str | None) -> str:
    about = f" about {agent}" if agent else ""
    return f"Feedback #{feedback_id} from {customer}{about} recorded: {score}."


PRAISE_POSTED = " It is praise: it went to the wall, and {agent} got a DM."
NOT_YOURSELF = "You can't turn praise about you into your own hero moment; a colleague can."


def praise_title(customer: str, agent: str) -> str:
    return f"{customer} said about {agent}:"


def praise_dm(customer: str, score: str) -> str:
    return f"{customer} said this about you ({score}):"


MAKE_HERO = "Make it a hero moment"


def hero_story(customer: str, comment: str) -> str:
    return f"{customer} said: {comment}"


def hero_typed(agent: str, story: str) -> str:
    return f"/wow hero @{agent} {story}"


def no_such_feedback(typed: str) -> str:
    return f'There is no feedback #{clip(typed)}. "/wow feedback" lists the recent ones.'


# Lists.
LISTS = {"recent": "Recent feedback", "praise": "Praise", "poor": "Poor scores"}


def feedback_line(
    feedback_id: int, day: str, customer: str, score: str, agent: str | None, comment: str | None
) -> str:
    about = f" about {agent}" if agent else ""
    quote = f': "{clip(comment, 120)}"' if comment else ""
    return f"#{feedback_id} {day} {customer} {score}{about}{quote}"


# POST /api/feedback: what a helpdesk (or whoever set it up) reads when a body is refused
FEEDBACK_BODY = (
    'Send {"customer": "Acme Dental", "score": 2, "scale": "csat5", "ticket": "ZD-1042", '
    '"comment": "…", "agent": "bob@acme.com", "url": "https://…", '
    '"given_at": "2026-11-24T09:30:00Z"}; scale is csat5 (1-5), nps (0-10) or thumbs '
    '("good"/"bad").'
)
FEEDBACK_NOT_JSON = f"The body is not a JSON object. {FEEDBACK_BODY}"


def feedback_field_missing(name: str) -> str:
    return f'"{name}" is missing. {FEEDBACK_BODY}'


def feedback_field_wrong(name: str, why: str) -> str:
    return f'"{name}" {why}. {FEEDBACK_BODY}'


def feedback_unknown_fields(names: str) -> str:
    return f"Unknown field(s) {names}. {FEEDBACK_BODY}"


NOT_TEXT = "must be a string"
ONE_LINE = "must be one line of text"
NOT_A_SCALE = "must be csat5, nps or thumbs"
NOT_A_URL = "must be an http(s) address"
NOT_A_MOMENT = "must be an ISO 8601 time with its zone, e.g. 2026-11-24T09:30:00Z"
IN_THE_FUTURE = "is in the future"
TOO_OLD = "is more than a year ago"
NOT_A_SOURCE = "must be 1-40 letters, digits, - or _"


def longer_than(limit: int) -> str:
    return f"is longer than {limit:,} characters"


def off_its_scale(scale: str) -> str:
    return {
        "csat5": "must be a whole number from 1 to 5 on the csat5 scale",
        "nps": "must be a whole number from 0 to 10 on the nps scale",
        "thumbs": 'must be "good" or "bad" (or 1 or 0) on the thumbs scale',
    }[scale]
