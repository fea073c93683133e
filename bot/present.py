"""How facts read to a buyer: Korean dates and times, money, masked ids, and the labels of
bot/messages.yml for the identifiers the policy uses."""

from __future__ import annotations

from datetime import date, datetime

from bot.clock import to_kst
from bot.messages import label
from bot.nlp.carriers import CARRIER_NAMES
from bot.policy.stage import Stage

WEEKDAYS = "월화수목금토일"



def day_text(day: date | datetime) -> str:
    """12월 1일(화)"""
    if isinstance(day, datetime):
        day = to_kst(day).date()
    return f"{day.month}월 {day.day}일({WEEKDAYS[day.weekday()]})"


def clock_text(moment: datetime) -> str:
    """오전 9시 40분 / 오후 4시 / 밤 12시 5분"""
    moment = to_kst(moment)
    hour, minute = moment.hour, moment.minute
    if hour == 0:
        label, shown = "밤", 12
    elif hour < 12:
        label, shown = "오전", hour
    elif hour == 12:
        label, shown = "낮", 12
    else:
        label, shown = "오후", hour - 12
    return f"{label} {shown}시" + (f" {minute}분" if minute else "")


def moment_text(moment: datetime) -> str:
    """11월 26일(목) 오후 4시 30분"""
    return f"{day_text(moment)} {clock_text(moment)}"


def deadline_text(moment: datetime) -> str:
    """A deadline at the end of a day reads as the day: '11월 25일(수)'; else with its time."""
    moment = to_kst(moment)
    if (moment.hour, moment.minute) == (23, 59):
        return day_text(moment)
    return moment_text(moment)


def won(amount: int) -> str:
    return f"{amount:,}원"


def mask_order_id(number: str) -> str:
    """2026112500000004 -> 2026********0004"""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def carrier_name(code: str | None) -> str | None:
    """The carrier as buyers know it; None when the order names none (messages default it)."""
    if not code:
        return None
    return CARRIER_NAMES.get(code, code)


def duration_text(hours: float) -> str:
    """About how long, in the largest natural unit: 35분 / 약 7시간 / 약 2일."""
    if hours < 1:
        return f"{max(int(round(hours * 60)), 1)}분"
    if hours < 48:
        return f"약 {int(round(hours))}시간"
    return f"약 {int(round(hours / 24))}일"


def days_left_text(days_left: int) -> str:
    if days_left == 0:
        return label("days_left", "today")
    if days_left > 0:
        return label("days_left", "left").format(days=days_left)
    return label("days_left", "past").format(days=-days_left)


def stage_text(stage: Stage) -> str:
    return label("stages", stage.value)
