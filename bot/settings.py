"""Settings: the one file of thresholds, periods and store facts (bot/settings.yml)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).with_name("settings.yml")


@dataclass(frozen=True)
class PolicySettings:
    return_window_days: int = 7
    defect_window_months: int = 3
    defect_discovery_days: int = 30
    default_dispatch_business_days: int = 3
    refund_after_return_business_days: int = 3
    lag_late_business_days: float = 1.0
    lag_suspicious_business_days: float = 3.0
    refusal_quick_scan_hours: float = 2.0
    # payment means -> (low, high) business days until a refund shows
    refund_settlement_business_days: dict[str, tuple[int, int]] = field(
        default_factory=lambda: {"default": (3, 7)}
    )


@dataclass(frozen=True)
class StoreSettings:
    name: str = "스마트스토어"
    contact_phone: str = ""
    contact_talktalk: str = ""
    hours: str = ""
    return_shipping_fee: int = 3500
    initial_shipping_fee: int = 3500


@dataclass(frozen=True)
class Limit:
    """At most `max_failures` in `window_minutes`; then locked for `lock_minutes`."""

    max_failures: int
    window_minutes: float
    lock_minutes: float


@dataclass(frozen=True)
class SecuritySettings:
    order: Limit = Limit(5, 1440, 1440)
    conversation: Limit = Limit(5, 1440, 1440)
    ip: Limit = Limit(30, 60, 60)
    verification_max_age_minutes: float = 120
    lockout_webhook_url: str = ""
    max_message_chars: int = 2000
    max_request_bytes: int = 65536
    widget_allowed_origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class TalkTalkSettings:
    text_max_chars: int = 10000
    quick_reply_max: int = 10
    quick_reply_title_max_chars: int = 10
    composite_description_max_chars: int = 1000
    composite_buttons_max: int = 10
    composite_button_title_max_chars: int = 18
    composites_max: int = 10
    allowed_sources: tuple[str, ...] = ()
    send_timeout_seconds: float = 5.0
    send_retries: int = 3
    greet_list_after_idle_minutes: float = 60


@dataclass(frozen=True)
class KakaoSettings:
    text_max_chars: int = 1000
    outputs_max: int = 3
    quick_replies_max: int = 10
    quick_reply_label_max_chars: int = 14
    reply_within_seconds: float = 4.5


@dataclass(frozen=True)
class ChannelSettings:
    talktalk: TalkTalkSettings = field(default_factory=TalkTalkSettings)
    kakao: KakaoSettings = field(default_factory=KakaoSettings)


@dataclass(frozen=True)
class PrivacySettings:
    conversation_retention_days: float = 30


@dataclass(frozen=True)
class LiveSettings:
    """The live store (bot/live): Commerce API sync and carrier lookups."""

    sync_interval_seconds: float = 60
    sync_page_size: int = 300
    sync_backfill_hours: float = 24
    request_timeout_seconds: float = 10
    request_attempts: int = 5
    backoff_initial_seconds: float = 1
    backoff_max_seconds: float = 30
    token_refresh_margin_seconds: float = 600
    on_demand_attempts: int = 2
    tracker_timeout_seconds: float = 3
    tracker_cache_seconds: float = 300


@dataclass(frozen=True)
class AfterSaleSettings:
    auto_decision_days_after_delivery: int = 8
    auto_decision_days_after_dispatch: int = 28
    return_pickup_late_business_days: float = 2
    free_shipping_threshold: int = 0
    soldout_refund_business_days: int = 3


@dataclass(frozen=True)
class Settings:
    policy: PolicySettings = field(default_factory=PolicySettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    live: LiveSettings = field(default_factory=LiveSettings)
    channels: ChannelSettings = field(default_factory=ChannelSettings)
    after_sale: AfterSaleSettings = field(default_factory=AfterSaleSettings)


def _security(raw: dict) -> SecuritySettings:
    values = dict(raw)
    for scope in ("order", "conversation", "ip"):
        if scope in values:
            values[scope] = Limit(**values[scope])
    if "widget_allowed_origins" in values:
        values["widget_allowed_origins"] = tuple(values["widget_allowed_origins"] or ())
    return SecuritySettings(**values)


def _policy(raw: dict) -> PolicySettings:
    values = dict(raw)
    if "refund_settlement_business_days" in values:
        values["refund_settlement_business_days"] = {
            means: (int(low), int(high))
            for means, (low, high) in values["refund_settlement_business_days"].items()
        }
    return PolicySettings(**values)


def _channels(raw: dict) -> ChannelSettings:
    talktalk = dict(raw.get("talktalk") or {})
    if "allowed_sources" in talktalk:
        talktalk["allowed_sources"] = tuple(talktalk["allowed_sources"] or ())
    return ChannelSettings(
        talktalk=TalkTalkSettings(**talktalk), kakao=KakaoSettings(**(raw.get("kakao") or {}))
    )


def load_settings(path: Path) -> Settings:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Settings(
        policy=_policy(raw.get("policy") or {}),
        store=StoreSettings(**(raw.get("store") or {})),
        security=_security(raw.get("security") or {}),
        privacy=PrivacySettings(**(raw.get("privacy") or {})),
        live=LiveSettings(**(raw.get("live") or {})),
        channels=_channels(raw.get("channels") or {}),
        after_sale=AfterSaleSettings(**(raw.get("after_sale") or {})),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings(Path(os.environ.get("BOT_SETTINGS") or DEFAULT_PATH))
