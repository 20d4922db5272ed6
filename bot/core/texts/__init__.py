"""Every user-facing sentence, so tone and wording stay the same on every platform."""

from __future__ import annotations

from bot.core.limits import COMMAND, LIMITS

USAGE: dict[str, tuple[str, ...]] = {
    "hero": (
        "/wow hero @bob [@carol …] <what they did> [#value]",
        "/wow hero @bob stayed late to rebuild Acme Dental's call flow #wowism",
        "/wow hero  (no arguments opens a form)",
    ),
    "leaderboard": (
        "/wow leaderboard [week|month|quarter|year|all] [#value]",
        "/wow leaderboard quarter #happiness",
        "(calendar periods in your zone: this week from Monday, this month, quarter, year)",
    ),
    "stats": ("/wow stats [@someone] [week|month|quarter|year|all]", "/wow stats @bob month"),
    "values": ("/wow values",),
    "me": ("/wow me [tz <Zone/Name>]", "/wow me tz Europe/Helsinki"),
    "gift": (
        "/wow gift <customer>: <gift> [$40 | 40 EUR] [because <why>]",
        "/wow gift Acme Dental: pizza for the front desk $40 because they said they're starving",
        "/wow gift  (no arguments opens a form with the four checks)",
        "/wow gift checks <id> [personalized] [appropriate] [practical] [timely] | all | none"
        "   (the checks a typed gift meets; the ones left out are not met)",
    ),
    "gifts": ("/wow gifts [pending|mine|month]",),
    "followup": (
        "/wow followup <customer> <when>[: <note>]",
        "/wow followup Acme Dental in 2 weeks: ask how the new call flow works",
        '/wow followup "Dr. Lee\'s office" tomorrow 10am',
        "/wow followup Acme on 2026-12-01",
        "/wow followup done|cancel <id>   /wow followup move <id> <when>   "
        "/wow followup note <id>: <note>",
        "when: tomorrow, friday, next friday, next week, in 3 days, end of month, on 1 Dec, "
        "1.12.2026; add a time (10am, 14:30) or it is 09:00",
    ),
    "followups": ("/wow followups [mine|team|overdue]",),
    "feedback": (
        "/wow feedback <customer> <score> [@colleague][: <what they said>]",
        "/wow feedback Acme Dental 5/5 @bob: Bob fixed our call flow in ten minutes",
        "   scores: 1/5 … 5/5, 0/10 … 10/10, good or bad",
        "/wow feedback [recent|praise|poor]   (lists; admins: unmatched)",
    ),
    "recovery": (
        "/wow recovery take|contacted <case>",
        "/wow recovery resolve <case> recovered|not recovered: <what happened>",
        "/wow recovery gift <case>: <gift> [$40] [because <why>]",
        "/wow recovery resolve 3 recovered: called, refunded the visit, they are happy",
    ),
    "recoveries": ("/wow recoveries [open|mine|all]",),
    "kpi": (
        "/wow kpi",
        "/wow kpi log <key> <value> [YYYY-MM-DD]   e.g. /wow kpi log csat 4.6",
        "/wow kpi history <key> [30d]",
        "/wow kpi status",
    ),
    "digest": (
        "/wow digest subscribe [#channel] at 08:30 [Europe/Helsinki] [weekdays|daily|mon,wed,fri]",
        "/wow digest unsubscribe [#channel]",
        "/wow digest skip <day> [#channel]   e.g. /wow digest skip friday, … skip 24 Dec",
        "/wow digest preview | now | status",
    ),
    "admin": (
        "/wow admin managers   (lists managers and admins)",
        "/wow admin managers add|remove @a [@b …]",
        "/wow admin admins add|remove @a",
        "/wow admin channel wall|gifts|recovery [#channel]",
        "/wow admin values add <name> [#slug] | remove <name>",
        "/wow admin budget <amount> <CUR>   e.g. /wow admin budget 500 EUR",
        "/wow admin sla <hours>h            e.g. /wow admin sla 24h",
        "/wow admin sla recovery <hours>h|<minutes>m   e.g. /wow admin sla recovery 4h",
        "/wow admin followup-after-gift <days>d   e.g. /wow admin followup-after-gift 14d",
        "/wow admin followup-after-recovery <days>d   e.g. /wow admin followup-after-recovery 7d",
        "/wow admin agent @bob <email or helpdesk id>   (how the helpdesk names Bob)",
        "/wow admin agent [@bob]   (lists)   /wow admin agent forget <email or helpdesk id>",
        '/wow admin feedback source <name> zendesk <https://yours.zendesk.com> [auth="Basic …"] '
        "[every=15m]",
        "/wow admin feedback source <name> json <url> items=/… customer=/… score=/… ticket=/… "
        "given_at=/… [scale=csat5|nps|thumbs] [comment=/…] [agent=/…] [link=/…] [next=/…]",
        "/wow admin feedback source <name> remove   /wow admin feedback sources   (lists)",
        '/wow admin kpi define <key> "<label>" unit=<unit> target=<n> '
        "better=higher|lower [near=<n>] [min=<n>] [max=<n>] [source=manual|push|http]",
        "/wow admin kpi enable answer_time|csat|nps|ces|prospects   (ready-made definitions)",
        "/wow admin kpi source <key> manual|push",
        '/wow admin kpi source <key> http <url> [pointer=/a/b] [every=15m] [auth="Bearer …"]',
        "/wow admin kpi remove <key>",
        "/wow admin apikey create|revoke [label]   (for POST /api/kpis/<key>, /api/feedback)",
        "/wow admin apikey list",
    ),
}

SUMMARY: dict[str, str] = {
    "hero": "recognise a colleague's hero moment",
    "leaderboard": "most recognised people",
    "stats": "recognition given and received",
    "values": "the workspace's core values",
    "me": "your profile and time zone",
    "gift": "propose a WOW gift for a customer",
    "gifts": "gift lists",
    "followup": "remind yourself to follow up with a customer",
    "followups": "open follow-ups, soonest first",
    "feedback": "a customer's rating of a contact; praise goes to the wall",
    "recovery": "a step of a service recovery case (the buttons do the same)",
    "recoveries": "service recovery cases",
    "kpi": "today's KPIs, or log a value",
    "digest": "the morning digest for a channel",
    "admin": "roles, channels, values, budget, SLA, KPIs (admins only)",
}


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 cheer`, `2 cheers`, `1,200 follow-ups`."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def usage(command: str) -> str:
    return "\n".join(USAGE[command])


def help_text(topic: str) -> str:
    return f"How to use {topic}:\n" + "\n".join(f"  {line}" for line in USAGE[topic])


# The overview: a title, a row per command (its name; what it does and how to write it).
HELP_TITLE, HELP_MORE = "WOW Bot commands", "More on one: /wow help <command>"


def help_row(name: str) -> tuple[str, str]:
    return name, f"{SUMMARY[name]}: {USAGE[name][0]}"


def unknown_command(verb: str) -> str:
    return f'I don\'t know the command "{clip(verb)}". Type /wow help to see them all.'


def unknown_help_topic(topic: str) -> str:
    return f'There is no command "{clip(topic)}". Commands: {", ".join(USAGE)}.'


def clip(text: str, limit: int = 60) -> str:
    """Input quoted back in a message: enough to recognise it, never the whole of a long one."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_long(what: str, length: int) -> str:
    return (
        f"The {what} is {length:,} characters; the limit is {LIMITS[what]:,}. "
        "Shorten it and try again."
    )


def command_too_long(length: int) -> str:
    return (
        f"That command is {length:,} characters; a command can be at most {COMMAND:,} "
        f"(a story up to {LIMITS['story']:,}). Shorten it and try again."
    )


WRITE_IT_LIKE = "\nWrite it like this:\n"


def write_it_like(problem: str, command: str) -> str:
    """A mistake and how to write the command right; `admin budget` shows only the admin
    lines about the budget."""
    verb, _, area = command.partition(" ")
    lines = USAGE[verb]
    if area:
        lines = tuple(u for u in lines if u.startswith(f"/wow {command}")) or lines
    return problem + WRITE_IT_LIKE + "\n".join(f"  {u}" for u in lines)


UNKNOWN_ZONE = (
    'Unknown time zone "{zone}". Use an IANA name such as Europe/Helsinki or America/New_York.'
)
SELF_NOMINATION = "You can't nominate yourself. Recognise a colleague instead: they'll love it."
ONLY_ADMINS = "Only admins can use /wow admin. Ask an admin ({admins}) to do it."
ONLY_DECIDERS = "Only managers and admins can approve or decline gifts."
OWN_PROPOSAL = "You proposed this gift, so someone else has to decide it."
ALREADY_DECIDED = "Already {status} by {name} at {time}."
OVER_BUDGET = (
    "Approving this would take the month over budget: {spent} of {budget} spent, "
    "and this gift is {cost}. An admin has to approve it."
)
WRONG_CURRENCY = "This workspace budgets in {right}. Give the cost in {right}, e.g. 40 {right}."
COST_TOO_HIGH = "A gift can cost at most {limit}; {cost} is over that."
NEGATIVE_COST = "The cost can't be negative ({cost})."
DUE_PAST = "{when} ({shown}) is in the past. Pick a time in the future."
DUE_TOO_FAR = "{when} ({shown}) is more than a year away. Pick a time within a year."
DUE_FORMS = (
    "tomorrow, friday, next friday, next week, in 3 days, in 2 hours, end of month, "
    "on 1 Dec, on 2026-12-01, on 1.12.2026, each with a time if you like: tomorrow 10am, "
    "friday at 14:30"
)


def _guess(meant: tuple[str, str] | None) -> str:
    return f' Did you mean "{meant[1]}" (not "{meant[0]}")?' if meant else ""


def due_unreadable(when: str, meant: tuple[str, str] | None = None) -> str:
    guess = _guess(meant)
    return f'I couldn\'t read "{when}" as a time.{guess} Write it like: {DUE_FORMS}.'


def not_a_date(phrase: str, why: str | None = None) -> str:
    because = f" ({why})" if why else ""
    return (
        f'"{clip(phrase)}" is not a date{because}. Write dates as 2026-12-01, 1.12.2026 '
        "(day first) or 1 Dec."
    )


MONEY_FORMS = "$40, 40 USD, €4,50, 4,50 €, EUR 4.50 or 1.000,50 EUR"


def money_problem(problem: str, command: str, forms: str = MONEY_FORMS) -> str:
    """A cost or budget not read: what was wrong, and the ways to write one."""
    where = " at the end of the gift" if command == "gift" else ""
    return f"{problem}. Write the amount{where} like {forms}."


def too_much(amount: str, currency: str, limit: str, command: str) -> str:
    what = "any gift can cost" if command.startswith("gift") else "the bot takes"
    return f"{amount} {currency} is more than {what}; the most is {limit}."


def not_a_day(phrase: str) -> str:
    return (
        f'"{clip(phrase)}" is not a day. Name one like tomorrow, friday, next monday, 24 Dec, '
        "24.12. or 2026-12-24."
    )


def not_a_time(phrase: str) -> str:
    return f'"{clip(phrase)}" is not a time of day. Write times as 10am, 3:30pm or 14:30.'


def no_when(customer: str, meant: tuple[str, str] | None = None) -> str:
    guess = _guess(meant)
    return (
        f'When should I remind you about "{clip(customer)}"?{guess} After the customer, write '
        f'when: {DUE_FORMS}. Put a name that holds such words in quotes: "Open on Sunday" friday.'
    )


DATABASE_DOWN = "The database is not answering right now; nothing was saved. Try again in a minute."
SOMETHING_WRONG = "Something went wrong (ref {ref}). It has been logged; please try again."


def wrong_unit(label: str, key: str, unit: str, value: float) -> str:
    counted = f"in {unit}" if unit else "as a plain number"
    return f"{label} is counted {counted}. Log it like: /wow kpi log {key} {value:g}"


# Shared by several handlers.
def over_by(amount: str) -> str:
    return f"over by {amount}"


def left(amount: str) -> str:
    return f"{amount} left"


NO_COST = "no cost"


def none_listed(title: str) -> str:
    return f"{title}: none."


def gift_line(
    gift_id: int, customer: str, gift: str, cost: str, proposer: str, state: str, age: str
) -> str:
    return f"#{gift_id} {customer}: {gift} ({cost}), by {proposer}, {state} {age} ago"


def not_a_member_id(typed: str) -> str:
    return f'"{typed}" is not a member id the bot can keep.'


NO_ADMINS = "none yet; see WOWBOT_ADMINS"


def id_too_long(what: str, length: int, limit: int) -> str:
    return (
        f"The platform sent a {what} the bot cannot keep ({length} characters; the limit is "
        f"{limit})."
    )


def unknown_button(name: str) -> str:
    return f'This button ("{name}") is not known. It may come from an older version of the bot.'


def sla_nudge(gift_id: int, customer: str, hours: int) -> str:
    return f"Reminder: gift #{gift_id} for {customer} has waited over {hours} h for a decision."


HOME = {
    "received": "Your latest hero moments",
    "followups": "Your open follow-ups",
    "no_followups": "None. Nice!",
    "mine": "Your gifts waiting for a decision",
    "to_decide": "Gifts for you to decide",
    "none": "None.",
    "text": "Recognise a colleague with /wow hero, propose a gift with /wow gift.",
    "given": "Hero moments given",
    "received_count": "Received",
    "praise": "What customers said about you",
}


def home_title(name: str) -> str:
    return f"WOW, {name}"
