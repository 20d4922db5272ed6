"""What people type, and what the bot must understand (SPEC §3 "How input is read"): due
times in several zones and across daylight-saving changes, money in USD, EUR, GBP and JPY,
quoted and unquoted names, calendar periods. `test_phrases` runs every one through the
console, signed Slack requests and Bot Framework activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

HEL, NY, TYO = "Europe/Helsinki", "America/New_York", "Asia/Tokyo"
USERS = {HEL: "hanna", NY: "nate", TYO: "taro"}


@dataclass(frozen=True)
class Phrase:
    text: str  # after /wow
    expected: str  # found in the answer the member sees


@dataclass
class Group:
    """Phrases typed by a member in `zone` when the clock says `now`, after an admin ran
    `setup` (a budget in the currency the phrases use)."""

    name: str
    now: dt.datetime
    zone: str
    phrases: list[Phrase]
    setup: list[Phrase] = field(default_factory=list)


def due(when: str, shown: str, zone: str, customer: str = "Acme") -> Phrase:
    return Phrase(f"followup {customer} {when}", f"with {customer} on {shown} ({zone})")


def budget(amount: str) -> Phrase:
    return Phrase(f"admin budget {amount}", "The monthly gift budget is")


def refused(text: str, problem: str) -> Phrase:
    return Phrase(text, problem)


def cost(text: str, shown: str, customer: str = "Acme") -> Phrase:
    gift, _, amount = text.partition(" | ")
    return Phrase(f"gift {customer}: {gift} {amount}".strip(), f"for {customer}: {gift} ({shown})")


def over(gift: str, shown: str) -> Phrase:
    """Read right, and over WOWBOT_MAX_GIFT_COST (1,000 by default, in any currency)."""
    return Phrase(f"gift Acme: {gift}", f"{shown} is over that")


# Mon 23 Nov 2026 14:37 UTC: 16:37 in Helsinki, 09:37 in New York, 23:37 in Tokyo.
MONDAY = dt.datetime(2026, 11, 23, 14, 37, tzinfo=dt.UTC)


def _helsinki() -> list[Phrase]:
    z = HEL
    return [
        due("tomorrow", "Tue 24 Nov 2026 09:00", z),
        due("TOMORROW", "Tue 24 Nov 2026 09:00", z),
        due("tomorrow 10am", "Tue 24 Nov 2026 10:00", z),
        due("tomorrow at 16:30", "Tue 24 Nov 2026 16:30", z),
        due("tomorrow noon", "Tue 24 Nov 2026 12:00", z),
        due("friday", "Fri 27 Nov 2026 09:00", z),
        due("Friday 3pm", "Fri 27 Nov 2026 15:00", z),
        due("this friday", "Fri 27 Nov 2026 09:00", z),
        due("by friday", "Fri 27 Nov 2026 09:00", z),
        due("next friday", "Fri 4 Dec 2026 09:00", z),
        due("monday", "Mon 30 Nov 2026 09:00", z),
        due("tue", "Tue 24 Nov 2026 09:00", z),
        due("next tuesday 9:30am", "Tue 1 Dec 2026 09:30", z),
        due("next week", "Mon 30 Nov 2026 09:00", z),
        due("next month", "Tue 1 Dec 2026 09:00", z),
        due("in 3 days", "Thu 26 Nov 2026 09:00", z),
        due("in 2 weeks", "Mon 7 Dec 2026 09:00", z),
        due("in a week", "Mon 30 Nov 2026 09:00", z),
        due("in 1 month", "Wed 23 Dec 2026 09:00", z),
        due("in 2 hours", "Mon 23 Nov 2026 18:37", z),
        due("in 90 minutes", "Mon 23 Nov 2026 18:07", z),
        due("end of month", "Mon 30 Nov 2026 09:00", z),
        due("end of week", "Fri 27 Nov 2026 09:00", z),
        due("the day after tomorrow", "Wed 25 Nov 2026 09:00", z),
        due("on 1 Dec", "Tue 1 Dec 2026 09:00", z),
        due("on Dec 1", "Tue 1 Dec 2026 09:00", z),
        due("1st of December", "Tue 1 Dec 2026 09:00", z),
        due("December 1st, 2026", "Tue 1 Dec 2026 09:00", z),
        due("on 2026-12-01", "Tue 1 Dec 2026 09:00", z),
        due("1.12.2026", "Tue 1 Dec 2026 09:00", z),
        due("1.12.", "Tue 1 Dec 2026 09:00", z),
        due("15.1.2027 14:00", "Fri 15 Jan 2027 14:00", z),
        due("10am", "Tue 24 Nov 2026 10:00", z),  # 10:00 has gone today
        due("18:00", "Mon 23 Nov 2026 18:00", z),
        due("at 5:30pm", "Mon 23 Nov 2026 17:30", z),
        due("today 18:00", "Mon 23 Nov 2026 18:00", z),
        due("tonight", "Mon 23 Nov 2026 20:00", z),
        due("noon", "Tue 24 Nov 2026 12:00", z),
        due("in two days", "Wed 25 Nov 2026 09:00", z),
        due("in 3 weeks", "Mon 14 Dec 2026 09:00", z),
        due("in 45 mins", "Mon 23 Nov 2026 17:22", z),
        due("thursday", "Thu 26 Nov 2026 09:00", z),
        due("on Thursday at 9:15am", "Thu 26 Nov 2026 09:15", z),
        due("24 December", "Thu 24 Dec 2026 09:00", z),
        due("Dec 24 2pm", "Thu 24 Dec 2026 14:00", z),
        due("the 1st of december", "Tue 1 Dec 2026 09:00", z),
        due("eom", "Mon 30 Nov 2026 09:00", z),
        refused("followup Acme 2026-02-30", '"2026-02-30" is not a date'),
        refused(
            "followup Acme in 2 fortnights",
            'When should I remind you about "Acme in 2 fortnights"?',
        ),
        refused("followup Acme yesterday", "is in the past"),
        refused("followup Acme today", "is in the past"),  # 09:00 today has gone
        refused("followup Acme in 2 years", "is more than a year away"),
        refused("followup Acme on 30 Feb", '"30 feb" is not a date'),
        refused("followup Acme on 2026-13-01", '"2026-13-01" is not a date'),
        refused("followup Acme 31.11.2026", '"31.11.2026" is not a date'),
        refused("followup Acme 29 Feb", "(2027 has no 29 February)"),
        refused("followup Acme 12/1/2026", "could be day or month first"),
        refused("followup Acme tomorow", 'Did you mean "tomorrow" (not "tomorow")?'),
        refused("followup Acme in 2 weks", 'Did you mean "weeks" (not "weks")?'),
        refused("followup Acme fridya", 'Did you mean "friday" (not "fridya")?'),
        refused("followup Acme nextweek", "After the customer, write when: tomorrow, friday"),
        refused("followup Acme tomorrow at 25:00", '"at 25:00" is not a time of day'),
        refused("followup Acme", 'When should I remind you about "Acme"?'),
    ]


def _new_york() -> list[Phrase]:
    z = NY
    return [
        due("tomorrow", "Tue 24 Nov 2026 09:00", z),
        due("10am", "Mon 23 Nov 2026 10:00", z),  # 09:37 here: 10:00 is still to come
        due("today 5pm", "Mon 23 Nov 2026 17:00", z),
        due("friday", "Fri 27 Nov 2026 09:00", z),
        due("next friday", "Fri 4 Dec 2026 09:00", z),
        due("in 3 days", "Thu 26 Nov 2026 09:00", z),
        due("1.12.2026", "Tue 1 Dec 2026 09:00", z),
        due("end of month", "Mon 30 Nov 2026 09:00", z),
        due("in 2 hours", "Mon 23 Nov 2026 11:37", z),
        refused("followup Acme today", "is in the past"),
    ]


def _tokyo() -> list[Phrase]:
    z = TYO  # 23:37 on Monday
    return [
        due("tomorrow", "Tue 24 Nov 2026 09:00", z),
        due("in 1 hour", "Tue 24 Nov 2026 00:37", z),
        due("midnight", "Tue 24 Nov 2026 00:00", z),
        due("next week", "Mon 30 Nov 2026 09:00", z),
        due("friday 8am", "Fri 27 Nov 2026 08:00", z),
        due("2026-11-24", "Tue 24 Nov 2026 09:00", z),
    ]


# Helsinki moves to summer time on Sun 28 Mar 2027 at 03:00 (UTC+2 → +3) and back on
# Sun 25 Oct 2026 at 04:00; New York on Sun 14 Mar 2027 at 02:00.
SPRING_HEL = dt.datetime(2027, 3, 26, 10, 0, tzinfo=dt.UTC)  # Fri 12:00 in Helsinki
SPRING_NY = dt.datetime(2027, 3, 12, 15, 0, tzinfo=dt.UTC)  # Fri 10:00 in New York
AUTUMN_HEL = dt.datetime(2026, 10, 23, 9, 0, tzinfo=dt.UTC)  # Fri 12:00 in Helsinki


def _names() -> list[Phrase]:
    z = HEL
    return [
        Phrase(
            'followup "Dr. Lee\'s office: Suite 5" tomorrow 10am: bring the mug',
            f"with Dr. Lee's office: Suite 5 on Tue 24 Nov 2026 10:00 ({z}): bring the mug",
        ),
        due("in 2 days", "Wed 25 Nov 2026 09:00", z, customer="Acme 2000"),
        Phrase('followup "In 2 weeks Ltd" next friday', "with In 2 weeks Ltd on Fri 4 Dec 2026"),
        Phrase(
            "followup Acme Dental in 2 weeks: ask how the new call flow works",
            f"with Acme Dental on Mon 7 Dec 2026 09:00 ({z}): ask how the new call flow works",
        ),
        due("friday", "Fri 27 Nov 2026 09:00", z, customer="Open on Sunday Café"),
        due("tomorrow", "Tue 24 Nov 2026 09:00", z, customer="7-Eleven Store 12"),
        due("next monday", "Mon 30 Nov 2026 09:00", z, customer="Acme Monday Club"),
        due("tomorrow", "Tue 24 Nov 2026 09:00", z, customer="Acme Inc."),
        due("next week", "Mon 30 Nov 2026 09:00", z, customer="Café Ωmega"),
        Phrase("followup “Smart Quotes: Inc” tomorrow", "with Smart Quotes: Inc on Tue 24 Nov"),
        Phrase(
            'followup "Acme" in 3 days: call: about the invoice',
            "with Acme on Thu 26 Nov 2026 09:00 (Europe/Helsinki): call: about the invoice",
        ),
        Phrase('followup "Done Deal" tomorrow', "with Done Deal on Tue 24 Nov 2026 09:00"),
        refused("followup done deal tomorrow", "Give the follow-up's number after done"),
        Phrase(
            'gift "Dr. Lee\'s office: Suite 5": mug $10',
            "for Dr. Lee's office: Suite 5: mug ($10.00)",
        ),
        cost("pizza | $40", "$40.00", customer="Acme 2000"),
        Phrase(
            'gift "Acme: West": flowers $25 because their dog is sick',
            "for Acme: West: flowers ($25.00)",
        ),
        refused('gift "Acme" flowers $25', "Put the colon right after the quoted name."),
    ]


def _dollars() -> list[Phrase]:
    return [
        cost("pizza | $40", "$40.00"),
        cost("pizza | 40 USD", "$40.00"),
        cost("pizza | USD 40", "$40.00"),
        cost("pizza | 40 usd", "$40.00"),
        cost("pizza | $40.50", "$40.50"),
        cost("pizza | $40.5", "$40.50"),
        over("pizza $1,250.50", "$1,250.50"),
        cost("pizza | $1,000", "$1,000.00"),
        cost("pizza | US$40", "$40.00"),
        cost("pizza | $ 40", "$40.00"),
        cost("pizza | 40$", "$40.00"),
        cost("pizza | 40 dollars", "$40.00"),
        cost("a handwritten card", "no cost"),
        cost("coffee | $0.99", "$0.99"),
        refused("gift Acme: pizza $40.555", '"40.555" could be read two ways in USD'),
        refused("gift Acme: pizza $1.000", '"1.000" could be read two ways in USD'),
        refused("gift Acme: pizza -$10", "The cost can't be negative"),
        refused("gift Acme: pizza 40 XYZ", '"XYZ" is not a currency code'),
        refused("gift Acme: pizza 40 EUR", "This workspace budgets in USD"),
        refused("gift Acme: pizza $99999999", "is more than any gift can cost"),
        refused("gift Acme: pizza 4,50", '"4,50" has no currency'),
        refused("gift Acme: pizza $1.2.3", '"1.2.3" is not an amount'),
    ]


def _euros() -> list[Phrase]:
    return [
        cost("pizza | €4,50", "€4.50"),
        cost("pizza | 4,50 €", "€4.50"),
        cost("pizza | EUR 4.50", "€4.50"),
        cost("pizza | €4.50", "€4.50"),
        cost("pizza | 4,5 EUR", "€4.50"),
        over("pizza 1.000,50 EUR", "€1,000.50"),
        over("pizza 12.345,67 €", "€12,345.67"),
        cost("pizza | 1.000 EUR", "€1,000.00"),
        cost("pizza | 999,50 EUR", "€999.50"),
        cost("pizza | 1'000 EUR", "€1,000.00"),
        cost("pizza | 40€", "€40.00"),
        cost("pizza | 40 €", "€40.00"),
        cost("pizza | EUR 40", "€40.00"),
        cost("pizza | 40 euros", "€40.00"),
        cost("pizza | € 4,50", "€4.50"),
        cost("pizza | EUR4,50", "€4.50"),
        Phrase("gift Acme: pizza €4,50 because they were kind", "for Acme: pizza (€4.50)"),
        refused("gift Acme: pizza 1,000 EUR", '"1,000" could be read two ways in EUR'),
        refused("gift Acme: pizza 4,505 €", '"4,505" could be read two ways in EUR'),
        refused("gift Acme: pizza $40", "This workspace budgets in EUR"),
        refused("gift Acme: pizza €4,555", "4,50 EUR or 1.000,50 EUR"),
    ]


def _pounds() -> list[Phrase]:
    return [
        cost("tea | £12", "£12.00"),
        cost("tea | £12.5", "£12.50"),
        cost("tea | 12 GBP", "£12.00"),
        cost("tea | 12 gbp", "£12.00"),
        over("tea GBP 1,200", "£1,200.00"),
        over("tea £1,200.99", "£1,200.99"),
        cost("tea | 3 pounds", "£3.00"),
        cost("tea | £0.99", "£0.99"),
        refused("gift Acme: tea £12.505", '"12.505" could be read two ways in GBP'),
    ]


def _yen() -> list[Phrase]:
    return [
        cost("sushi | ¥500", "¥500"),
        cost("sushi | 500 JPY", "¥500"),
        over("sushi ¥1,500", "¥1,500"),
        over("sushi ¥1.500", "¥1,500"),  # yen have no decimals: a point groups
        cost("sushi | 500 yen", "¥500"),
        cost("sushi | ¥1.000", "¥1,000"),  # yen have no decimals: a point groups
        over("sushi JPY 2,000", "¥2,000"),
        refused("gift Acme: sushi ¥500.5", '"500.5" has more decimals than JPY has (none)'),
        refused("gift Acme: sushi ¥500,50", "500 JPY or 1,000 JPY (JPY has no decimals)"),
    ]


def _periods(week: str, month: str, quarter: str, year: str) -> list[Phrase]:
    return [
        Phrase("leaderboard week", f"Leaderboard this week ({week})"),
        Phrase("leaderboard WEEK", f"Leaderboard this week ({week})"),
        Phrase("leaderboard month", f"Leaderboard this month ({month})"),
        Phrase("leaderboard", f"Leaderboard this month ({month})"),
        Phrase("leaderboard quarter", f"Leaderboard this quarter ({quarter})"),
        Phrase("leaderboard year", f"Leaderboard this year ({year})"),
        Phrase("leaderboard all", "Leaderboard of all time"),
        Phrase("stats week", f"this week ({week})"),
        Phrase("stats quarter", f"this quarter ({quarter})"),
    ]


# 1 Jan 2027 03:00 UTC: already 2027 in Helsinki, still 31 Dec 2026 in New York.
NEW_YEAR = dt.datetime(2027, 1, 1, 3, 0, tzinfo=dt.UTC)

KPIS = [
    Phrase(
        'admin kpi define calls "Calls" unit=calls target=100calls better=higher',
        "KPI calls (Calls, target 100 calls, higher is better) is defined",
    ),
    Phrase(
        'admin kpi define ontime "On time" unit=% target=95% better=higher',
        "KPI ontime (On time, target 95%, higher is better) is defined",
    ),
    Phrase(
        'admin kpi define big "Big" target=1,000,000 better=higher',
        "KPI big (Big, target 1,000,000, higher is better) is defined",
    ),
    Phrase("admin kpi enable answer_time", "target 4 s, lower is better, near within 1 s"),
    Phrase("admin kpi enable csat", "KPI csat enabled: CSAT (1–5), target 4.5"),
]


def _numbers() -> list[Phrase]:
    log = "kpi log"
    return [
        Phrase(f"{log} calls 120", "Calls: 120 calls (target 100 calls, on target)"),
        Phrase(f"{log} calls 120calls", "Calls: 120 calls (target 100 calls, on target)"),
        Phrase(f"{log} calls 1'200", "Calls: 1,200 calls"),
        Phrase(f"{log} calls 1,200,000", "Calls: 1,200,000 calls"),
        Phrase(f"{log} calls 1.200.000", "Calls: 1,200,000 calls"),
        Phrase(f"{log} calls 2.500,5", "Calls: 2,500.5 calls"),
        Phrase(f"{log} calls 2,500.5", "Calls: 2,500.5 calls"),
        Phrase(f"{log} calls 99,5", "Calls: 99.5 calls (target 100 calls, near)"),
        refused(f"{log} calls 1.200", 'The value "1.200" could mean 1200 or 1.2'),
        refused(f"{log} calls 1,000", 'The value "1,000" could mean 1000 or 1'),
        refused(f"{log} calls 1,2,3", 'The value "1,2,3" is not a number'),
        refused(f"{log} calls 12,34,567", 'The value "12,34,567" is not a number'),
        refused(f"{log} calls 120 %", "is not a date"),
        Phrase(f"{log} ontime 93,5%", "On time: 93.5% (target 95%, near)"),
        Phrase(f"{log} ontime 96.5", "On time: 96.5% (target 95%, on target)"),
        refused(
            f"{log} ontime 93s", "On time is counted in %. Log it like: /wow kpi log ontime 93"
        ),
        Phrase(f"{log} answer_time 4,2s", "Average time to answer: 4.2 s (target 4 s, near)"),
        Phrase(f"{log} answer_time 3", "Average time to answer: 3 s (target 4 s, on target)"),
        Phrase(f"{log} csat 4,6", "CSAT (1–5): 4.6 (target 4.5, on target)"),
        refused(f"{log} csat 4.6/5", "CSAT (1–5) is counted as a plain number"),
        refused(f"{log} csat 0,5", "0.5 is outside the scale of CSAT (1–5)"),
        Phrase(f"{log} big 1e6", "Big: 1,000,000 (target 1,000,000, on target)"),
        Phrase(f"{log} big -2,5", "Big: -2.5"),
    ]


GROUPS = [
    Group("helsinki", MONDAY, HEL, _helsinki()),
    Group("new york", MONDAY, NY, _new_york()),
    Group("tokyo", MONDAY, TYO, _tokyo()),
    Group(
        "spring in helsinki",
        SPRING_HEL,
        HEL,
        [
            due("in 3 days", "Mon 29 Mar 2027 09:00", HEL),
            due("monday 9am", "Mon 29 Mar 2027 09:00", HEL),
            due("in 2 days", "Sun 28 Mar 2027 09:00", HEL),
            due("in 48 hours", "Sun 28 Mar 2027 13:00", HEL),  # 48 h, one of them skipped
            due("sunday 3:30am", "Sun 28 Mar 2027 04:30", HEL),  # 03:30 does not exist
        ],
    ),
    Group(
        "spring in new york",
        SPRING_NY,
        NY,
        [
            due("monday", "Mon 15 Mar 2027 09:00", NY),
            due("in 2 days 2:30am", "Sun 14 Mar 2027 03:30", NY),
            due("in 3 days", "Mon 15 Mar 2027 09:00", NY),
        ],
    ),
    Group(
        "autumn in helsinki",
        AUTUMN_HEL,
        HEL,
        [
            due("monday", "Mon 26 Oct 2026 09:00", HEL),
            due("sunday 3:30am", "Sun 25 Oct 2026 03:30", HEL),
            due("in 3 days", "Mon 26 Oct 2026 09:00", HEL),
        ],
    ),
    Group("names", MONDAY, HEL, _names(), [budget("10000 USD")]),
    Group("dollars", MONDAY, HEL, _dollars(), [budget("10000 USD")]),
    Group("euros", MONDAY, HEL, _euros(), [budget("10.000 EUR")]),
    Group("pounds", MONDAY, HEL, _pounds(), [budget("£5,000")]),
    Group("yen", MONDAY, TYO, _yen(), [budget("¥1,000,000")]),
    Group("numbers and units", MONDAY, HEL, _numbers(), KPIS),
    Group(
        "periods on a monday",
        MONDAY,
        HEL,
        _periods("23–29 Nov 2026", "1–30 Nov 2026", "1 Oct – 31 Dec 2026", "1 Jan – 31 Dec 2026"),
    ),
    Group(
        "new year in helsinki",
        NEW_YEAR,
        HEL,
        _periods(
            "28 Dec 2026 – 3 Jan 2027",
            "1–31 Jan 2027",
            "1 Jan – 31 Mar 2027",
            "1 Jan – 31 Dec 2027",
        ),
    ),
    Group(
        "new year's eve in new york",
        NEW_YEAR,
        NY,
        [
            *_periods(
                "28 Dec 2026 – 3 Jan 2027",
                "1–31 Dec 2026",
                "1 Oct – 31 Dec 2026",
                "1 Jan – 31 Dec 2026",
            ),
            refused("leaderboard fortnight", '"fortnight" is not a period'),
        ],
    ),
]

ALL = [(g, p) for g in GROUPS for p in g.phrases]
