"""What the bot says when a command is not written the way the grammar expects (SPEC §3):
the problem half of a "Write it like this" answer, for the parsers in bot/core. Each says
what was wrong in the user's own words and how to write it right."""

from __future__ import annotations

from bot.core.texts import clip

# /wow hero, leaderboard, stats, me
NO_NOMINEE = "Mention who you're recognising first."
NO_STORY = "Tell the story too: what did they do?"
STATS_WHO = "Mention one person (or nobody for yours), then a period if you like."
ME_TZ = "To set your time zone, write tz and its name."


def not_a_period(word: str) -> str:
    return f'"{clip(word)}" is not a period. Use week, month, quarter, year or all.'


def not_one_of(word: str, options: list[str] | tuple[str, ...]) -> str:
    return f'"{clip(word)}" is not one of {", ".join(options)}.'


# /wow gift
COLON_AFTER_QUOTES = "Put the colon right after the quoted name."
NO_COLON = "Put a colon after the customer's name."
NO_CUSTOMER_BEFORE_COLON = "Name the customer before the colon."
NO_WHY = 'Say why after "because", or leave "because" out.'
NO_GIFT = "Say what the gift is after the colon."
NO_GIFT_NUMBER = "Give the gift's number after checks, as /wow gifts lists it."

# /wow followup
NO_FOLLOWUP = "Name the customer and when to follow up."
NO_CUSTOMER_FIRST = "Name the customer first."
MOVE_WHEN = "Say when to move it to, e.g. move 12 friday 10am."
NOTE_AFTER_COLON = "Write the note after a colon: note 12: ask about invoices."


def no_followup_number(sub: str) -> str:
    return f"Give the follow-up's number after {sub}, as /wow followups lists it."


def only_the_number(sub: str) -> str:
    return f"{sub} takes only the follow-up's number."


# /wow kpi
KPI_KEY_AND_VALUE = "Give the KPI's key and a value."


def not_a_span(word: str) -> str:
    return f'"{clip(word)}" is not a span; write 30d (2d to 366d).'


def not_a_subcommand(word: str, command: str) -> str:
    return f'"{clip(word)}" is not a {command} command.'


# /wow digest
DIGEST_WHAT = "Say what to do with the digest."
DIGEST_WHEN = "Say when: at 08:30."


def not_a_time_of_day(word: str) -> str:
    return f'"{clip(word)}" is not a time of day; write it as 08:30.'


def neither_zone_nor_days(word: str) -> str:
    return (
        f'"{clip(word)}" is neither a time zone (Europe/Helsinki) nor days '
        "(weekdays, daily, mon,wed,fri)."
    )


# /wow admin
ADMIN_WHAT = "Say what to administer."
CHANNEL_WHICH = "Say which channel (wall, gifts or recovery), then optionally #channel."
VALUES_HOW = "Say add or remove, then the value's name."
BUDGET_HOW = "Give the monthly budget as an amount and a currency code."
CLOSE_QUOTES = "Close the quotes."
KPI_ADMIN_HOW = "Say kpi define, kpi source, kpi enable or kpi remove."
KPI_KEY = "Start with a key of lowercase letters, digits and _ (e.g. csat)."
BETTER_HOW = 'better= takes "higher" or "lower".'
SOURCE_HOW = 'source= takes "manual", "push" or "http".'
NEAR_NEGATIVE = "near= is a distance from the target, so it can't be negative."
NEAR_BAND = "near band"  # what near= is called in "The near band "x" is not a number."
KPI_SOURCE_HOW = "Give the KPI's key and its source: manual, push, or http <url>."
URL_HOW = "Give the URL to poll, starting with http:// or https://."
POINTER_HOW = "pointer= is a JSON pointer and starts with /, e.g. pointer=/data/value."
APIKEY_LABEL = "An API key's label is up to 40 letters, digits, - or _."
APIKEY_HOW = "Say apikey create [label], apikey revoke [label] or apikey list."


def not_an_admin_command(area: str) -> str:
    return f'"{clip(area)}" is not an admin command.'


def roles_how(role: str) -> str:
    return f"Say add or remove, then mention the people ({role}s)."


def mention_people(op: str, role: str) -> str:
    return f"Mention the people to {op} as {role}s, e.g. @maria."


def which_currency(amount: str) -> str:
    return f"Say which currency: {clip(amount)} EUR, {clip(amount)} USD, …"


def whole_number_of(unit: str, low: int, high: int) -> str:
    name = "hours" if unit == "h" else "days"
    return f"Give a whole number of {name} from {low} to {high}, like {low * 2}{unit}."


def not_a_preset(name: str, presets: list[str]) -> str:
    return f'"{clip(name)}" is not a ready-made KPI; enable one of {", ".join(presets)}.'


def min_not_below_max(low: str, high: str) -> str:
    return f"min= must be below max= ({clip(low)} is not below {clip(high)})."


def target_outside(target: str) -> str:
    return f"The target {clip(target)} is outside min= … max=."


def source_takes_nothing(kind: str) -> str:
    return f"A {kind} source takes nothing more."


def not_an_interval(text: str) -> str:
    return f'every= takes minutes or hours from 1m to 24h, like every=15m, not "{clip(text)}".'


# Numbers, dates and channels, wherever a command takes one
def not_an_iso_date(word: str) -> str:
    return f'"{clip(word)}" is not a date; write it as YYYY-MM-DD.'


def not_a_number(what: str, word: str) -> str:
    return f'The {what} "{clip(word)}" is not a number.'


def out_of_range(what: str, word: str, low: str, high: str) -> str:
    return f"The {what} {clip(word)} is out of range; give a number from {low} to {high}."


def two_readings(what: str, word: str, grouped: str, decimal: str) -> str:
    return (
        f'The {what} "{clip(word)}" could mean {grouped} or {decimal}. '
        f"Write {grouped} or {decimal} instead."
    )


def not_a_channel(word: str) -> str:
    return f'"{clip(word)}" is not a channel; write it as #channel.'


def channel_too_long(limit: int, length: int) -> str:
    return f"A channel name is at most {limit} characters; that one is {length}."


NO_LEAP_DAY = "{year} has no 29 February"
SLASHED_DATE = "a date with slashes could be day or month first"

# Money: each is the problem before money_problem's "Write the amount like …"
NEGATIVE = "The cost can't be negative"


def not_an_amount(text: str) -> str:
    return f'"{clip(text)}" is not an amount'


def not_a_currency(code: str) -> str:
    return f'"{clip(code)}" is not a currency code'


def two_ways(text: str, currency: str) -> str:
    return f'"{clip(text)}" could be read two ways in {currency}'


def too_many_decimals(text: str, currency: str, digits: int) -> str:
    return f'"{clip(text)}" has more decimals than {currency} has ({digits or "none"})'


def no_currency(text: str) -> str:
    return f'"{clip(text)}" has no currency'


def money_forms(currency: str, point: str, digits: int) -> str:
    """How to write an amount in `currency`, by its own marks: `40 EUR, 4,50 EUR or
    1.000,50 EUR`; `500 JPY or 1,000 JPY (no decimals)`."""
    group = "," if point == "." else "."
    if digits == 0:
        return f"500 {currency} or 1{group}000 {currency} ({currency} has no decimals)"
    cents = "5" + "0" * (digits - 1)
    return f"40 {currency}, 4{point}{cents} {currency} or 1{group}000{point}{cents} {currency}"


# /wow admin sla recovery, /wow admin agent
RECOVERY_SLA_HOW = "Give the time to reach an unhappy customer: 15m to 168h, e.g. 4h or 90m."
AGENT_HOW = (
    "Mention one colleague, then the name the helpdesk uses for them (their email or the "
    "helpdesk's id); or forget <that name>."
)
AGENT_ONE_NAME = "Give one name the helpdesk uses: an email or an id, without spaces."
