"""The bundled Data Docs assets: every URL listed has its file and a licence."""

from __future__ import annotations

from jixiao.quality.docs import ASSETS, asset_urls


def test_every_listed_asset_is_bundled():
    urls = asset_urls()
    assert len(urls) >= 15
    for url, local in urls.items():
        assert url.startswith("https://"), url
        assert (ASSETS / local).is_file(), local


def test_font_awesome_css_finds_its_fonts():
    css = (ASSETS / "css" / "fontawesome-6.6.0-all.min.css").read_text(encoding="utf-8")
    for font in ("fa-solid-900", "fa-regular-400", "fa-brands-400"):
        assert f"../webfonts/{font}.woff2" in css
        assert (ASSETS / "webfonts" / f"{font}.woff2").is_file()
    assert ".ttf" not in css


def test_licences_are_kept():
    assert len(list((ASSETS / "licenses").glob("*.txt"))) >= 8
