"""Typed settings from environment variables (hoshin.lib.env)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from hoshin.lib.env import env_bool, env_int, env_list, env_month_days, env_str

NAME = "HOSHIN_TEST_SETTING"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)


def test_env_str(monkeypatch):
    assert env_str(NAME) == ""
    assert env_str(NAME, "default") == "default"
    monkeypatch.setenv(NAME, "相馬市")
    assert env_str(NAME, "default") == "相馬市"
    monkeypatch.setenv(NAME, "")
    assert env_str(NAME, "default") == ""  # set but empty is a value, not "unset"


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " on "])
def test_env_bool_true(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off", ""])
def test_env_bool_false(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, True) is False


def test_env_bool_default():
    assert env_bool(NAME) is False
    assert env_bool(NAME, True) is True


@pytest.mark.parametrize("raw", ["2", "yes please", "enable", "t"])
def test_env_bool_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, False)


def test_env_int(monkeypatch):
    assert env_int(NAME, 25) == 25
    monkeypatch.setenv(NAME, "587")
    assert env_int(NAME, 25) == 587
    monkeypatch.setenv(NAME, " -3 ")
    assert env_int(NAME, 25) == -3
    monkeypatch.setenv(NAME, "   ")
    assert env_int(NAME, 25) == 25


@pytest.mark.parametrize("raw", ["abc", "1.5", "20MB"])
def test_env_int_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}.*{raw}"):
        env_int(NAME, 0)


def test_env_list(monkeypatch):
    assert env_list(NAME, ["localhost"]) == ["localhost"]
    monkeypatch.setenv(NAME, "a.example.jp, b.example.jp,,")
    assert env_list(NAME, []) == ["a.example.jp", "b.example.jp"]
    monkeypatch.setenv(NAME, "")
    assert env_list(NAME, ["localhost"]) == []


def test_env_month_days(monkeypatch):
    default = ((12, 29), (1, 3))
    assert env_month_days(NAME, default) == default
    monkeypatch.setenv(NAME, "08-14, 8-15,02-29,")
    assert env_month_days(NAME, default) == ((8, 14), (8, 15), (2, 29))
    monkeypatch.setenv(NAME, "")
    assert env_month_days(NAME, default) == ()  # a city without a closure


@pytest.mark.parametrize("raw", ["12/29", "13-01", "02-30", "12-29-1", "年末"])
def test_env_month_days_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv(NAME, f"01-01,{raw}")
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_month_days(NAME, ())
