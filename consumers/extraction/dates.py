"""Dates: when a claim says its event is, resolved against the article's date.

Only run on the clauses of a claim, so it may cost more than the pre-filter.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from consumers.extraction.lexicon import Lexicon


def _word_index(words: list[str]) -> dict[str, int]:
    return {w.replace("ß", "ss"): i for i, w in enumerate(words)}


def _any_word(words: list[str]) -> re.Pattern[str] | None:
    return re.compile(r"\b(?:" + "|".join(f"(?:{w})" for w in words) + r")\b") if words else None


@dataclass(frozen=True)
class DateRules:
    """A language's date words (``dates`` in its lexicon) as compiled patterns."""

    months: dict[str, int]
    day_month: re.Pattern[str] | None
    mid_month: re.Pattern[str] | None
    month_alone: re.Pattern[str] | None
    """A month named without a day after a preposition ("in August", "im August")."""
    weekdays: list[str]
    weekday: re.Pattern[str] | None
    past: re.Pattern[str] | None
    future: re.Pattern[str] | None
    today: re.Pattern[str] | None
    tomorrow: re.Pattern[str] | None
    this_year: re.Pattern[str] | None = None
    """Words that put a day named without its year in the article's year ("In diesem
    Jahr sollte das Oktoberfest vom 18. September ... stattfinden", read in May): this
    year's, even told as a past plan."""
    day_list: re.Pattern[str] | None = None
    """Days of one month coordinated before it ("am 10. und 11. März", "on 3 and 10
    March", "am 4., 5., 7., 8. und 9. September") or after it ("March 3 and 10")."""
    weekday_list: re.Pattern[str] | None = None
    """Weekdays coordinated ("am Dienstag und Mittwoch", "Friday, Saturday and Sunday")."""

    @classmethod
    def of(cls, conf: dict) -> DateRules:
        months = _word_index(conf.get("months", []))
        month_rx = "|".join(sorted(months, key=len, reverse=True))
        mid = conf.get("mid")
        days = conf.get("weekdays", [])
        joins = "|".join(re.escape(w) for w in conf.get("list_joins", []))
        join = rf"(?:\s*,\s*(?:(?:{joins})\s+)?|\s+(?:{joins})\s+|\s*&\s*)" if joins else r"(?:\s*,\s*|\s*&\s*)"
        weekday_rx = "|".join(days)
        return cls(
            months=months,
            day_month=re.compile(rf"\b(\d{{1,2}})\.?\s+({month_rx})\b(?:\s+(\d{{4}}))?|\b({month_rx})\s+(\d{{1,2}})\b(?:,?\s+(\d{{4}}))?") if month_rx else None,
            mid_month=re.compile(rf"\b{mid}[\s-]+({month_rx})\b") if month_rx and mid else None,
            month_alone=re.compile(rf"\b(?:{'|'.join(conf['month_after'])})\s+({month_rx})\b(?!\s+\d)") if month_rx and conf.get("month_after") else None,
            weekdays=days,
            weekday=re.compile(r"\b(" + "|".join(days) + r")\b") if days else None,
            past=_any_word(conf.get("past", [])),
            future=_any_word(conf.get("future", [])),
            today=_any_word(conf.get("today", [])),
            tomorrow=_any_word(conf.get("tomorrow", [])),
            this_year=_any_word(conf.get("this_year", [])),
            day_list=re.compile(
                rf"\b(?P<days>\d{{1,2}}\.?(?:{join}\d{{1,2}}\.?)+)\s+(?P<month>{month_rx})\b(?:\s+(?P<year>\d{{4}}))?"
                rf"|\b(?P<month2>{month_rx})\s+(?P<days2>\d{{1,2}}(?:{join}\d{{1,2}})+)\b(?!\.\d)(?:,?\s+(?P<year2>\d{{4}}))?"
            ) if month_rx else None,
            weekday_list=re.compile(rf"\b(?:{weekday_rx})(?:{join}(?:{weekday_rx}))+\b") if days else None,
        )


_DATE_RULES: dict[str, DateRules] = {}


def date_rules(lex: Lexicon) -> DateRules:
    """Compiled once per language, not on every clause."""
    if lex.language not in _DATE_RULES:
        _DATE_RULES[lex.language] = DateRules.of(lex.dates)
    return _DATE_RULES[lex.language]


_DIGIT = re.compile(r"\d")


def event_date(lex: Lexicon, clause: str, published: date | None, past: bool) -> date | None:
    """A stated event date, resolved against the article's date; None when unclear.

    Rules, in order: "15. August" / "August 15", "Mitte August" / "mid-August",
    "am Donnerstag" (the next one, or the last one for past events), today/tomorrow.
    """
    rules = date_rules(lex)
    text = clause  # the clause's lower-case form, as every annotator reads it
    if rules.day_month is not None:
        match = rules.day_month.search(text) if _DIGIT.search(text) else None  # a day is in digits: most clauses hold none
        if match is not None:
            day = int(match.group(1) or match.group(5))
            month = rules.months[match.group(2) or match.group(4)] + 1
            year = match.group(3) or match.group(6)
            if not year and published is not None and rules.this_year is not None and rules.this_year.search(text):
                return _in_year(day, month, published.year, None, past)  # this year's, ahead or past
            return _in_year(day, month, int(year) if year else None, published, past)
        match = rules.mid_month.search(text) if rules.mid_month else None
        if match is not None:
            return _in_year(15, rules.months[match.group(1)] + 1, None, published, past)
    if published is None:
        return None
    return _weekday(rules, text, published, past) or _relative_day(rules, text, published)


def event_days(lex: Lexicon, clause: str, published: date | None, past: bool) -> list[date]:
    """The days a clause coordinates for events held one a day ("die Konzerte am 10. und
    11. März", "für heute und morgen geplanten Konzerte" aside, "Schon Dienstag und
    Mittwoch musste sie ihre Auftritte absagen", "on 3 and 10 March"), each resolved as
    ``event_date`` resolves one; fewer than two: none (the clause's date is its one)."""
    rules = date_rules(lex)
    if rules.day_list is not None and _DIGIT.search(clause) and (match := rules.day_list.search(clause)) is not None:
        month = rules.months[match.group("month") or match.group("month2")] + 1
        year = match.group("year") or match.group("year2")
        found = [_in_year(int(d), month, int(year) if year else None, published, past) for d in re.findall(r"\d{1,2}", match.group("days") or match.group("days2"))]
        return _distinct([d for d in found if d is not None])
    if published is None or rules.weekday_list is None or (match := rules.weekday_list.search(clause)) is None:
        return []
    before = clause[max(0, match.start() - 20) : match.start()]
    return _distinct([_weekday(rules, f"{before} {day}", published, past) for day in rules.weekday.findall(match.group(0))])


def _distinct(days: list[date | None]) -> list[date]:
    """Two days or more, each once, in the clause's order; else none."""
    seen = list(dict.fromkeys(d for d in days if d is not None))
    return seen if len(seen) > 1 else []


def _in_year(day: int, month: int, year: int | None, published: date | None, past: bool) -> date | None:
    if day < 1 or day > 31:
        return None
    base = published.year if published else None
    year = year or base
    if year is None:
        return None
    day = min(day, calendar.monthrange(year, month)[1])
    found = date(year, month, day)
    if published is not None and year == base:
        if past and found > published + timedelta(days=1):
            found = found.replace(year=year - 1)
        elif not past and found < published - timedelta(days=60):
            found = found.replace(year=year + 1)
    return found


def _weekday(rules: DateRules, text: str, published: date, past: bool) -> date | None:
    match = rules.weekday.search(text) if rules.weekday else None
    if match is None:
        return None
    before = text[max(0, match.start() - 20) : match.start()]
    if rules.past and rules.past.search(before):
        past = True
    elif rules.future and rules.future.search(before):
        past = False
    target = rules.weekdays.index(match.group(1))
    if past:
        return published - timedelta(days=(published.weekday() - target) % 7)
    return published + timedelta(days=(target - published.weekday()) % 7)


def _relative_day(rules: DateRules, text: str, published: date) -> date | None:
    for rx, offset in ((rules.today, 0), (rules.tomorrow, 1)):
        if rx is not None and rx.search(text):
            return published + timedelta(days=offset)
    return None


RECOUNTED_MONTHS = (2, 10)
"""How many months before an article's month a month named alone lies when a report that
an event took place then recounts it ("the Senate approved the bill in August", in a
November report): two at least, so last month's event may still be news; ten at most, as
a month named ahead of the article's may be last year's or next year's."""


def earlier_month(lex: Lexicon, clause: str, published: date | None) -> bool:
    """Whether a clause names a month alone that lies ``RECOUNTED_MONTHS`` before the
    article's month: an event said to have taken place then is an earlier one, recounted."""
    rules = date_rules(lex)
    if published is None or rules.month_alone is None:
        return False
    match = rules.month_alone.search(clause)
    if match is None:
        return False
    ago = (published.month - 1 - rules.months[match.group(1)]) % 12
    return RECOUNTED_MONTHS[0] <= ago <= RECOUNTED_MONTHS[1]

