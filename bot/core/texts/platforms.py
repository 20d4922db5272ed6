"""What the Slack and Teams adapters say in their own right: where a platform's limits
show (a form too slow to open, a message too long to fit), the Teams welcome, and how the
app presents itself in Teams' app store."""

from __future__ import annotations

APP_NAME = "WOW Bot"
APP_FULL_NAME = "{name}: recognise heroes, WOW customers"
APP_SHORT = "Recognise colleagues, propose WOW gifts, follow up with customers."
APP_LONG = (
    "WOW Bot helps a customer-service team live its WOW culture: recognise a "
    "colleague's hero moment, propose a WOW gift for a customer that a manager "
    "approves in the thread, get reminded to follow up, and get a morning digest "
    "of the team's KPIs against their targets."
)

# Slack
FORM_TOO_LATE = (
    "The form could not open in time (Slack allows 3 seconds after the command). "
    "Type the command again, or write it in one line; /wow help shows how."
)
MORE_THAN_FITS = "… and more than fits in one Slack message."

# Teams
WELCOME = (
    "Hi, I'm WOW Bot. Recognise a colleague with hero @name what they did, propose a WOW "
    "gift with gift Customer: what, and type help for everything else. In a channel, "
    "mention me first."
)
NO_PRIVATE_CHAT = (
    "I could not open a private chat with you to answer. Open the chat with WOW Bot once, "
    "then try again."
)
THAT_CHANNEL = "that channel"
GENERAL = "General"  # a team's first channel, which Teams often sends without a name


def channel_in_team(channel: str, team: str) -> str:
    return f"{channel} in {team}"


def trend(days: int) -> str:
    return f"the last {days} days, one bar a day"


def and_more(count: int) -> str:
    return f"… and {count} more"


def required(label: str) -> str:
    return f"{label} is required."
