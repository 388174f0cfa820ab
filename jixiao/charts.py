"""Charts that render Chinese: one call at the top of a notebook, ``jixiao.charts.setup()``.

Matplotlib's default DejaVu Sans has no CJK glyphs (labels come out as empty boxes), and its
font cache may predate the CJK font's installation, so ``setup`` registers the system's CJK
font files itself and makes the first family it knows the default. The font comes from the
system package ``fonts-noto-cjk`` (the Makefile's ``sysdeps`` target installs it).
"""

from __future__ import annotations

from collections.abc import Sequence

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
_CJK_FILE_HINTS = ("cjk", "sourcehan", "wqy", "simhei", "msyh", "pingfang", "notosanssc")
WAN = 10_000  # 万元 -> 元


class NoCJKFont(RuntimeError):
    """No font with Chinese glyphs is installed."""


def cjk_family() -> str:
    """The first CJK family matplotlib can use, registering the system's CJK font files first."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.intersection(CJK_FAMILIES):
        for path in font_manager.findSystemFonts():
            if any(hint in path.lower().replace("-", "").replace("_", "") for hint in _CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file: try the next
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    raise NoCJKFont(
        f"no CJK font found (one of {', '.join(CJK_FAMILIES)}); install fonts-noto-cjk (make sysdeps)"
    )


def setup(dpi: int = 100) -> str:
    """Make matplotlib draw Chinese (and a real minus sign); returns the family used."""
    import matplotlib

    family = cjk_family()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["axes.spines.top"] = False
    matplotlib.rcParams["axes.spines.right"] = False
    return family


def barh(
    frame,
    label: str,
    values: Sequence[str],
    legend: Sequence[str] | None = None,
    *,
    title: str,
    xlabel: str,
    stacked: bool = True,
    height: float | None = None,
):
    """A horizontal bar chart of ``frame`` (one bar per row, labelled by column ``label``), the
    largest at the top; ``legend`` gives the series' display names (Chinese / English)."""
    import matplotlib.pyplot as plt

    data = frame.set_index(label)[list(values)].iloc[::-1]
    if legend:
        data.columns = list(legend)
    rows = max(len(data), 0.7 * len(values) if len(values) > 1 else 0)
    fig, ax = plt.subplots(figsize=(9 if len(values) > 1 else 8, height or max(2.0, 0.4 * rows + 1.2)))
    data.plot.barh(stacked=stacked, ax=ax, legend=False)
    if len(values) > 1:  # beside the plot, never over the bars or the title
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    fig.tight_layout()
    return ax
