"""Settings: layers (defaults < site file < KIOSK_* variables) and one clear error per bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError, load_settings
from config.centers import center_by_code, load_centers


def _site(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_packaged_defaults_load() -> None:
    s = load_settings(None, environ={})
    assert s.privacy.retention_years == 5 and s.app.timezone == "Asia/Seoul" and s.app.language == "ko"


def test_site_file_overrides_defaults_and_environment_overrides_both(tmp_path: Path) -> None:
    site = _site(tmp_path, '[privacy]\nretention_years = 7\n[app]\ncenter_code = "gwanak"\n')
    assert load_settings(site, environ={}).privacy.retention_years == 7
    s = load_settings(
        site, environ={"KIOSK_PRIVACY__RETENTION_YEARS": "9", "KIOSK_DB__URL": "sqlite:///x.db"}
    )
    assert s.privacy.retention_years == 9 and s.app.center_code == "gwanak" and s.db.url == "sqlite:///x.db"
    assert load_settings(None, environ={"KIOSK_CONFIG": str(site)}).app.center_code == "gwanak"


def test_cli_only_variables_are_not_settings() -> None:
    env = {"KIOSK_CONFIG": "", "KIOSK_DB_URL": "sqlite://", "KIOSK_KEYS": "{}"}
    assert load_settings(None, environ=env).db.url == ""


@pytest.mark.parametrize(
    ("body", "key", "value", "allowed"),
    [
        (
            '[privacy]\nretention_years = "five"\n',
            "privacy.retention_years",
            "five",
            "an integer from 1 to 50",
        ),
        ("[privacy]\nretention_years = 99\n", "privacy.retention_years", 99, "an integer from 1 to 50"),
        ("[privacy]\nretention_years = 0\n", "privacy.retention_years", 0, "an integer from 1 to 50"),
        ('[db]\necho = "maybe"\n', "db.echo", "maybe", "true or false"),
        ('[app]\nlanguage = "fr"\n', "app.language", "fr", "^(ko|en)$"),
        ('[app]\ntimezone = "Mars/Olympus"\n', "app.timezone", "Mars/Olympus", "IANA time zone"),
        ("[privacy]\nretension_years = 3\n", "privacy.retension_years", 3, "retention_years"),
        ("[nonsense]\nx = 1\n", "nonsense", {"x": 1}, "no such key"),
        ("privacy = 3\n", "privacy", 3, "a table of keys"),
    ],
)
def test_bad_values_name_file_key_value_and_what_is_allowed(
    tmp_path: Path, body: str, key: str, value: object, allowed: str
) -> None:
    site = _site(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_settings(site, environ={})
    error = info.value
    assert (error.source, error.key, error.value) == (str(site), key, value)
    assert allowed in error.allowed
    assert str(site) in str(error) and key in str(error) and allowed in str(error)


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    site = _site(tmp_path, "[privacy\nretention_years = 3\n")
    with pytest.raises(ConfigError) as info:
        load_settings(site, environ={})
    assert info.value.key == "(syntax)" and "line 1" in str(info.value) and str(site) in str(info.value)


def test_missing_site_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "nope.toml", environ={})
    assert "nope.toml" in str(info.value)


def test_a_bad_environment_variable_is_named() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(None, environ={"KIOSK_PRIVACY__RETENTION_YEARS": "lots"})
    assert info.value.source == "environment variable KIOSK_PRIVACY__RETENTION_YEARS"
    assert info.value.value == "lots"


scalars = st.one_of(
    st.integers(-(10**6), 10**6), st.booleans(), st.text(max_size=12), st.floats(allow_nan=False), st.none()
)


@given(
    st.dictionaries(
        st.sampled_from(["app", "db", "privacy", "zzz"]),
        st.dictionaries(
            st.sampled_from(
                [
                    "center_code",
                    "timezone",
                    "language",
                    "data_dir",
                    "url",
                    "echo",
                    "retention_years",
                    "key_file",
                    "keep_gender_digit",
                    "bogus",
                ]
            ),
            scalars,
            max_size=4,
        ),
        max_size=3,
    )
)
@settings(max_examples=150, deadline=None)
def test_any_site_document_gives_settings_or_one_config_error(doc: dict[str, dict[str, object]]) -> None:
    import tempfile

    def toml_value(value: object) -> str:
        if value is None:
            return '""'
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)

    body = "".join(
        f"[{section}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in keys.items())
        for section, keys in doc.items()
    )
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False, encoding="utf-8") as handle:
        handle.write(body)
    try:
        load_settings(handle.name, environ={})
    except ConfigError as exc:
        assert exc.source == handle.name and exc.key
    finally:
        Path(handle.name).unlink()


def test_centers_registry_has_the_public_centers() -> None:
    centers = load_centers()
    codes = [c.code for c in centers]
    assert len(codes) == len(set(codes)) >= 13
    assert center_by_code("gwanak").name_ko == "관악서민금융통합지원센터"
    assert {c.region for c in centers} <= {"서울", "인천", "경기"}
    with pytest.raises(ConfigError) as info:
        center_by_code("atlantis")
    assert "gwanak" in info.value.allowed


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (
            '[[center]]\ncode = "a1"\nname_ko = "가나"\nregion = "서울"\n'
            '[[center]]\ncode = "a1"\nname_ko = "다라"\nregion = "서울"\n',
            "center[1].code",
        ),
        ('[[center]]\ncode = "Bad Code"\nname_ko = "가나"\nregion = "서울"\n', "center[0].code"),
        ('[[center]]\ncode = "ok"\nname_ko = "가나"\n', "center[0].region"),
        ('[[center]]\ncode = "ok"\nname_ko = "가나"\nregion = "서울"\naddress = "x"\n', "center[0].address"),
        ("title = 1\n", "center"),
    ],
)
def test_bad_centers_file_names_the_entry(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "centers.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_centers(path)
    assert info.value.key == key and info.value.source == str(path)
