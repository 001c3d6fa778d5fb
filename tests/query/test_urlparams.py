"""Reading query-string values, the notices about dropped ones, and share links."""

from __future__ import annotations

from landmarks.query import urlparams


def test_values_are_normalised_split_and_deduplicated() -> None:
    params = {"chain": ["柑橘, 茶叶", "柑橘"], "q": "ｚｉ　ｇｕｉ "}
    assert urlparams.list_values(params, "chain") == ["柑橘", "茶叶"]
    assert urlparams.last_value(params, "q") == "zi gui"
    assert urlparams.last_value(params, "missing") == ""
    assert urlparams.raw_values({"a": ["1", "2"]}, "a") == ["1", "2"]


def test_notices() -> None:
    assert (
        urlparams.invalid_value_notice("year", "abc", "年份范围应写作 2010-2020 或 2015")
        == "链接参数 year=abc 无效，已忽略：年份范围应写作 2010-2020 或 2015"
    )
    known = {"chain"}
    assert urlparams.unknown_key_notices({"chain": "x", "foo": "1", "embed": "true"}, known) == [
        "未识别的链接参数“foo”，已忽略"
    ]


def test_share_url() -> None:
    params = {"chain": "柑橘,茶叶", "q": "zi gui"}
    url = urlparams.share_url("http://192.168.1.5:8501/explorer", params)
    assert url == (
        "http://192.168.1.5:8501/explorer?chain=%E6%9F%91%E6%A9%98,%E8%8C%B6%E5%8F%B6&q=zi+gui"
    )
    assert urlparams.share_url("http://host/explorer", {}) == "http://host/explorer"
    # Before the browser has told the server its address: relative, resolved by the browser.
    assert urlparams.share_url(None, {"zone": "1"}) == "?zone=1"
