"""What the bot says about hero moments, the leaderboard, stats, values and profiles."""

from __future__ import annotations

from bot.core.texts import plural

# A new workspace's core values (name, slug); admins change them with /wow admin values.
DEFAULT_VALUES: tuple[tuple[str, str], ...] = (
    ("Foster Happiness", "happiness"),
    ("Practice WOWism", "wowism"),
    ("Create Community", "community"),
    ("Innovate", "innovate"),
)

WALL_FIELDS = {
    "heroes": "Heroes",
    "nominator": "Nominated by",
    "value": "Value",
    "customer": "Customer",
}
CHEER = "Cheer"
NO_STORY = "Tell the story too: what did they do?"
NO_NOMINEES = "Pick at least one colleague to recognise."
CHEERED_ALREADY = "You've cheered this one already."


def cheer_button(cheers: int) -> str:
    return f"{CHEER} ({cheers})" if cheers else CHEER


def wall_title(nominees: str) -> str:
    return f"Hero moment: {nominees}"


def value_shown(name: str, slug: str) -> str:
    return f"{name} (#{slug})"


def unknown_value(typed: str, known: str) -> str:
    return f'"{typed}" is not one of this workspace\'s values: {known or "none yet"}.'


def too_many_nominees(limit: int, named: int) -> str:
    return (
        f"A hero moment can recognise up to {limit} people; this one names {named}. "
        "Split it, or recognise the team in the story."
    )


def recognised_you(nominator: str) -> str:
    return f"{nominator} recognised you for a hero moment"


def recorded(moment_id: int, nominees: str, value: str | None) -> str:
    extra = f" for {value}" if value else ""
    return f"Thanks! Hero moment #{moment_id} recorded for {nominees}{extra}."


FORM = {
    "text": "Recognise a hero moment",
    "title": "Hero moment",
    "nominees": "Who rose to the occasion?",
    "story": "What did they do?",
    "customer": "For which customer?",
    "submit": "Recognise",
}


def value_question(slugs: str) -> str:
    return f"Which value? ({slugs})"


def no_such_moment(typed: str) -> str:
    return f"Hero moment #{typed} doesn't exist in this workspace."


def cheered(moment_id: int, cheers: int) -> str:
    return f"You cheered hero moment #{moment_id} ({plural(cheers, 'cheer')})."


def leaderboard_title(scope: str, value: str | None) -> str:
    return f"Leaderboard {scope}" + (f" for {value}" if value else "")


def leaderboard_empty(title: str) -> str:
    return f"{title}: no hero moments yet. Be the first: /wow hero @someone …"


def ranked(rank: int, name: str, count: int) -> str:
    return f"{rank}. {name}: {count}"


ALL_TIME = "of all time"


def this_period(period: str, dates: str) -> str:
    return f"this {period} ({dates})"


def stats_title(name: str, scope: str) -> str:
    return f"Stats for {name} {scope}"


STATS = {
    "given": "Given",
    "received": "Received",
    "values": "Values",
    "recent": "Recent",
    "recent_text": "Recent hero moments",
    "none": "No hero moments received yet.",
    "praise": "Customer praise",
    "said": "What customers said",
}


def customer_quote(day: str, customer: str, quote: str) -> str:
    return f'{day}, {customer}: "{quote}"'


VALUES_TITLE, NO_VALUES = "Our core values", "No values yet."


def profile(name: str, role: str, zone: str) -> str:
    return f"{name} ({role}), time zone {zone}."


def zone_set(local_now: str) -> str:
    return f"Time zone set. Your local time is now {local_now}."
