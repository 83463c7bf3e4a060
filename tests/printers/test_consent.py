"""The consent texts: every legally separate item present, hashed stably, bad files rejected clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, resource_path
from config.consent import consent_set, consent_text_sha256, load_consent_set


def test_every_legally_separate_item_is_its_own_entry() -> None:
    items = {item.id: item for item in consent_set().items}
    # PRODUCT.md "Consent": collection/use, credit inquiry, RRN separately, sensitive separately, marketing
    for needed in ("personal_credit_collection", "credit_inquiry", "unique_identifier", "sensitive_info"):
        assert needed in items
    assert items["unique_identifier"].required
    assert not items["marketing"].required and not items["sensitive_info"].required
    for item in items.values():
        assert "동의" in item.title_ko and "거부" in item.text_ko  # says the right to refuse
        assert item.text_en and item.version


def test_hash_changes_when_one_word_changes(tmp_path: Path) -> None:
    original = resource_path("consent", "items.toml").read_text(encoding="utf-8")
    changed = tmp_path / "items.toml"
    changed.write_text(original.replace("5년까지 보유하고", "3년까지 보유하고", 1), encoding="utf-8")
    edited = load_consent_set(changed)
    assert consent_text_sha256(edited.items) != consent_text_sha256()
    assert consent_text_sha256(load_consent_set().items) == consent_text_sha256()


def test_missing_key_is_a_clear_config_error(tmp_path: Path) -> None:
    original = resource_path("consent", "items.toml").read_text(encoding="utf-8")
    broken = tmp_path / "items.toml"
    broken.write_text(original.replace("required = true", "", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_consent_set(broken)
    assert "items.0.required" in str(caught.value)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    original = resource_path("consent", "items.toml").read_text(encoding="utf-8")
    broken = tmp_path / "items.toml"
    broken.write_text(original.replace('id = "marketing"', 'id = "credit_inquiry"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="unique"):
        load_consent_set(broken)
