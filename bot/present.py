"""How facts read to a buyer: Korean dates and times, money, masked ids, carrier names."""

from __future__ import annotations

from datetime import date, datetime

from bot.clock import to_kst

WEEKDAYS = "월화수목금토일"

CARRIER_NAMES = {
    "CJGLS": "CJ대한통운",
    "HYUNDAI": "롯데택배",
    "HANJIN": "한진택배",
    "KGB": "로젠택배",
    "EPOST": "우체국택배",
    "CVSNET": "GS편의점택배",
    "CUPARCEL": "CU편의점택배",
    "KDEXP": "경동택배",
    "DAESIN": "대신택배",
    "ILYANG": "일양로지스",
    "CHUNIL": "천일택배",
    "HONAM": "호남택배",
    "KUNYOUNG": "건영택배",
}


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


def carrier_name(code: str | None) -> str:
    if not code:
        return "택배사"
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
        return "오늘이 마지막 날이에요"
    if days_left > 0:
        return f"{days_left}일 남았어요"
    return f"{-days_left}일 지났어요"


# Short noun phrases that fill the domain's responses (the sentences live in domain.yml).
FEE_BASIS = {True: "왕복 배송비", False: "반품 배송비"}

REASON_LABELS = {
    "INTENT_CHANGED": "단순 변심",
    "SIMPLE_INTENT_CHANGED": "단순 변심",
    "COLOR_AND_SIZE": "색상·사이즈 변경",
    "WRONG_ORDER": "다른 상품 잘못 주문",
    "MISTAKE_ORDER": "주문 실수",
    "PRODUCT_UNSATISFIED": "서비스 및 상품 불만족",
    "DELAYED_DELIVERY": "배송 지연",
    "SOLD_OUT": "상품 품절",
    "DROPPED_DELIVERY": "배송 누락",
    "NOT_YET_DELIVERY": "미배송",
    "BROKEN": "상품 파손·불량",
    "INCORRECT_INFO": "상품 정보 상이",
    "WRONG_DELIVERY": "오배송",
    "WRONG_OPTION": "다른 옵션 배송",
}

CLAIM_STATUS_LABELS = {
    "RETURN_REQUEST": "반품 요청 접수",
    "COLLECTING": "수거 중",
    "COLLECT_DONE": "수거 완료, 판매자 확인 중",
    "RETURN_DONE": "반품 완료",
    "RETURN_REJECT": "반품 거부",
    "EXCHANGE_REQUEST": "교환 요청 접수",
    "EXCHANGE_REDELIVERING": "교환 상품 재배송 중",
    "EXCHANGE_DONE": "교환 완료",
    "EXCHANGE_REJECT": "교환 거부",
}

CLAIM_KIND_LABELS = {"RETURN": "반품", "EXCHANGE": "교환"}

# How each question reads in the handoff summary, and the fallback's buttons.
QUESTION_LABELS = {
    "refusal": "취소 거부 사유",
    "cancel": "주문 취소",
    "status": "배송 상황",
    "lag": "송장·집화 지연",
    "must_accept": "수취 여부",
    "return": "반품·교환 방법",
    "fee": "반품 배송비",
    "delay": "발송 지연",
    "refund": "환불 시기",
    "defect": "상품 불량",
    "fault": "판매자 귀책",
    "process": "주문 단계",
}

INTENT_BUTTONS = {
    "ask_cancel_refused": "취소가 왜 거부됐나요?",
    "request_cancel": "주문을 취소하고 싶어요",
    "ask_order_status": "내 주문 어디쯤 왔나요?",
    "ask_tracking_lag": "송장 조회가 안 돼요",
    "ask_must_accept": "꼭 받아야 하나요?",
    "ask_return": "반품 방법",
    "ask_return_fee": "배송비는 누가 내나요?",
    "complain_shipping_delay": "발송이 늦어져요",
    "ask_refund_timing": "환불은 언제 되나요?",
    "report_defect": "상품에 문제가 있어요",
    "ask_seller_fault": "판매자 잘못인가요?",
    "ask_order_process": "주문 단계가 궁금해요",
    "request_human": "상담원 연결",
}
