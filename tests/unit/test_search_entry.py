"""Pagefind's pagefind-entry.json lists the languages in a fixed order, so one input gives the same bytes every build."""

from __future__ import annotations

import json
from pathlib import Path

from generator.search import order_languages

ENTRY = '{"version":"1.5.2","languages":{"zh-cn":{"hash":"zh-cn_8a","wasm":null,"page_count":83},"en":{"hash":"en_34","wasm":"en","page_count":83}},"include_characters":["_","‿"]}'


def test_the_languages_are_listed_in_the_site_s_order_whatever_order_pagefind_wrote(tmp_path: Path) -> None:
    (tmp_path / "pagefind-entry.json").write_text(ENTRY, encoding="utf-8")
    order_languages(tmp_path, ("en", "zh-CN"))
    text = (tmp_path / "pagefind-entry.json").read_text(encoding="utf-8")
    assert list(json.loads(text)["languages"]) == ["en", "zh-cn"]
    assert json.loads(text) == json.loads(ENTRY)  # nothing else changes
    other = tmp_path / "other"
    other.mkdir()
    (other / "pagefind-entry.json").write_text(text, encoding="utf-8")
    order_languages(other, ("en", "zh-CN"))
    assert (other / "pagefind-entry.json").read_text(encoding="utf-8") == text  # already in order: the same bytes


def test_a_language_the_site_does_not_name_comes_after_in_alphabetical_order(tmp_path: Path) -> None:
    entry = json.loads(ENTRY)
    entry["languages"] = {"ja": {}, "zh-cn": {}, "de": {}, "en": {}}
    (tmp_path / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    order_languages(tmp_path, ("zh-CN", "en"))
    assert list(json.loads((tmp_path / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]) == ["zh-cn", "en", "de", "ja"]
