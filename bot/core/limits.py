"""How long and how large anything a person or a platform hands the bot may be.

One table: the core checks input against it, and `storage/tables.py` sizes its columns from
it, so a limit the database knows is always a limit the core knows first.
"""

from __future__ import annotations

# Text a person types, by the name the error message uses ("The story is … characters").
LIMITS: dict[str, int] = {
    "story": 2000,
    "gift": 300,
    "why": 1000,
    "reason": 1000,
    "customer": 200,
    "note": 1000,
    "comment": 2000,  # a customer's comment on a contact (SPEC §9)
    "ticket": 100,  # a helpdesk's ticket id
    "agent": 254,  # how a helpdesk names an agent: an email, its own id, or a platform id
    "email": 254,
    "outcome note": 1000,  # what a recovery case's owner says came of it
    "name": 200,  # a member's display name
    "value name": 100,
    "slug": 50,
    "label": 100,  # a KPI's label
    "unit": 20,
    "URL": 2000,
    "pointer": 200,
    "auth header": 2000,
    "channel": 300,  # a channel or conversation id (Teams' run long)
    "user id": 128,
    "workspace id": 128,
    "conversation id": 300,
}

# A whole typed command, as the platform sends it (Slack escapes &, <, > into entities, so
# this leaves room for a story of 2,000 ampersands) and once the escaping is undone. Longer
# commands are refused before anything else reads them.
WIRE_COMMAND = 20_000
COMMAND = 5_000

# Numbers: nothing a person types or a system pushes is stored beyond these.
NUMBER = 1e12  # any KPI value, target or band, in either direction
MONEY = 10_000_000  # any amount of money (the columns hold 15 digits, 3 after the point:
# the minor unit of every ISO 4217 currency, KWD's fils included)
ID_DIGITS = 18  # ids fit a signed 64-bit integer
