"""bot/settings.py + bot/settings.yml: the one file of thresholds and periods."""

from __future__ import annotations

from dataclasses import fields

import pytest
import yaml

from bot import settings as settings_module
from bot.settings import (
    DEFAULT_PATH,
    LiveSettings,
    PolicySettings,
    Settings,
    StoreSettings,
    get_settings,
    load_settings,
)


@pytest.fixture
def fresh_settings_cache():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_shipped_file_holds_the_legal_periods_and_default_thresholds():
    policy = load_settings(DEFAULT_PATH).policy
    assert policy.return_window_days == 7  # 전자상거래법 §17①
    assert policy.defect_window_months == 3  # §17③
    assert policy.defect_discovery_days == 30  # §17③
    assert policy.default_dispatch_business_days == 3  # §15①
    assert policy.refund_after_return_business_days == 3  # §18②
    assert policy.lag_late_business_days == 1.0
    assert policy.lag_suspicious_business_days == 3.0
    assert policy.refund_settlement_business_days["default"] == (3, 7)
    assert policy.refund_settlement_business_days["신용카드"] == (3, 7)
    assert policy.refund_settlement_business_days["네이버페이 포인트"] == (0, 0)


def test_shipped_file_holds_the_demo_store():
    store = load_settings(DEFAULT_PATH).store
    assert store.name == "하루살림 스마트스토어"
    assert store.return_shipping_fee == 3500
    assert store.initial_shipping_fee == 3500
    assert store.contact_phone == "1588-0000"


def test_shipped_file_names_every_setting_so_it_is_the_one_place():
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert set(raw["policy"]) == {f.name for f in fields(PolicySettings)}
    assert set(raw["store"]) == {f.name for f in fields(StoreSettings)}
    assert set(raw["live"]) == {f.name for f in fields(LiveSettings)}


def test_lag_thresholds_are_ordered():
    policy = load_settings(DEFAULT_PATH).policy
    assert 0 < policy.lag_late_business_days < policy.lag_suspicious_business_days


def test_a_partial_file_keeps_the_defaults_for_the_rest(tmp_path):
    path = tmp_path / "settings.yml"
    path.write_text("policy:\n  return_window_days: 14\nstore:\n  return_shipping_fee: 4000\n")
    loaded = load_settings(path)
    assert loaded.policy.return_window_days == 14
    assert loaded.policy.default_dispatch_business_days == 3
    assert loaded.store.return_shipping_fee == 4000
    assert loaded.store.initial_shipping_fee == 3500


def test_an_empty_file_gives_the_defaults(tmp_path):
    path = tmp_path / "settings.yml"
    path.write_text("")
    assert load_settings(path) == Settings()
    assert Settings().policy.return_window_days == 7


def test_an_unknown_setting_is_an_error_naming_it(tmp_path):
    path = tmp_path / "settings.yml"
    path.write_text("policy:\n  return_window_dayz: 14\n")
    with pytest.raises(TypeError, match="return_window_dayz"):
        load_settings(path)


def test_get_settings_reads_bot_settings(monkeypatch, tmp_path, fresh_settings_cache):
    path = tmp_path / "settings.yml"
    path.write_text("policy:\n  lag_suspicious_business_days: 2.0\n")
    monkeypatch.setenv("BOT_SETTINGS", str(path))
    assert get_settings().policy.lag_suspicious_business_days == 2.0


def test_get_settings_defaults_to_the_shipped_file(monkeypatch, fresh_settings_cache):
    monkeypatch.delenv("BOT_SETTINGS", raising=False)
    assert get_settings() == load_settings(settings_module.DEFAULT_PATH)
    assert get_settings().store.name == "하루살림 스마트스토어"


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        PolicySettings().return_window_days = 3  # type: ignore[misc]
