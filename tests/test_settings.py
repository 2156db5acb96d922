"""Settings: the quick-tag palette and reading positions survive damaged files."""

from tui.core import settings


def test_palette_defaults_saves_and_keeps_a_damaged_file(tmp_path):
    assert settings.load_palette() == settings.DEFAULT_PALETTE
    config = settings.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("{not json", encoding="utf-8")
    assert settings.load_palette() == settings.DEFAULT_PALETTE  # a damaged file never stops Margin
    assert settings.save_palette(["a", "A", " b ", ""]) == ["a", "b"]
    assert settings.load_palette() == ["a", "b"]
    [kept] = list(config.parent.glob("config.json.damaged-*"))
    assert kept.read_text(encoding="utf-8") == "{not json"


def test_positions_are_remembered_per_article():
    assert settings.load_position("x") is None
    settings.save_position("x", 120)
    settings.save_position("y", 7)
    assert (settings.load_position("x"), settings.load_position("y")) == (120, 7)
