"""Random, deterministic document specs: publisher, year, projects, money that adds up, indicators."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from jixiao.synth.spec import COUNTY, PROVINCIAL, DocumentSpec, Funding, IndicatorSpec, ProjectSpec
from jixiao.synth.targets import make_target, not_applicable
from jixiao.synth.vocab import (
    COUNTIES,
    DEPARTMENTS,
    DIVISION_CODES,
    GOAL_CLAUSES,
    NAMES,
    PROVINCES,
    PROVINCIAL_GOAL_CLAUSES,
)

YEARS = (2022, 2023, 2024, 2025, 2026)
_ATTRIBUTES = (
    ("0101", "一年期项目", 5),
    ("02", "经常性项目", 4),
    ("0102", "多年期错茬性项目", 1),
    ("03", "多年期延续性项目", 1),
)
_LEGACY = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)
_NEW_FRAMING = (
    ("产出指标", ("数量指标", "质量指标", "时效指标")),
    ("成本指标", ("经济成本指标", "社会成本指标", "生态环境成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)
_EXTRA_WEIGHT = {
    "数量指标": 6,
    "质量指标": 4,
    "时效指标": 3,
    "成本指标": 5,
    "经济成本指标": 3,
    "社会效益指标": 3,
    "可持续影响指标": 1,
    "服务对象满意度指标": 1,
}
_OPTIONAL = ("经济效益指标", "生态效益指标", "社会成本指标", "生态环境成本指标")
_SHORT = {
    "经济效益指标": "经济效益",
    "社会效益指标": "社会效益",
    "生态效益指标": "生态效益",
    "可持续影响指标": "可持续影响",
    "服务对象满意度指标": "服务对象满意度",
}
_COUNTY_SUFFIXES = ("（必填）", "（必填硬性指标）", " (必填硬性指标)", "(必填)")


def rng_for(seed: int, index: int, attempt: int = 0) -> random.Random:
    return random.Random(f"jixiao-synth:{seed}:{index}:{attempt}")


def money(rng: random.Random, low: int = 1, high: int = 3000) -> Decimal:
    """万元 with 0-4 decimals (4 decimals of 万元 is one yuan)."""
    places = rng.choice((0, 0, 1, 2, 2, 3, 4))
    scale = 10**places
    return Decimal(rng.randint(low * scale, high * scale)) / Decimal(scale)


# ------------------------------------------------------------------ funding


def county_funding(rng: random.Random) -> Funding:
    appropriation = money(rng, 1, 800)
    other = money(rng, 1, 50) if rng.random() < 0.3 else Decimal(0)
    blank = other == 0 and rng.random() < 0.7
    return Funding(
        annual_total=appropriation + other,
        fiscal_appropriation=appropriation,
        other_funds=other,
        other_blank=blank,
    )


def provincial_funding(rng: random.Random, multi_year: bool) -> Funding:
    shape = rng.choices(("own", "transfer", "both"), (6, 3, 2))[0]
    zero = Decimal(0)
    appropriation = other = carryover = central = regional = zero
    if shape in ("own", "both"):
        appropriation = money(rng, 1, 2000)
        other = money(rng, 1, 100) if rng.random() < 0.2 else zero
        carryover = money(rng, 1, 100) if rng.random() < 0.2 else zero
    if shape in ("transfer", "both"):
        regional = money(rng, 1, 3000)
        central = money(rng, 1, 3000) if rng.random() < 0.4 else zero
    own = appropriation + other + carryover
    transfer = central + regional
    annual = own + transfer
    total = annual + (money(rng, 1, 2000) if multi_year and rng.random() < 0.8 else zero)
    return Funding(
        annual_total=annual,
        fiscal_appropriation=appropriation,
        other_funds=other,
        carryover=carryover,
        project_total=total,
        own_level_total=own,
        transfer_total=transfer,
        transfer_central=central,
        transfer_regional=regional,
    )


# ------------------------------------------------------------------ indicators


def _categories(rng: random.Random, layout: str) -> list[tuple[str, str]]:
    framing = _NEW_FRAMING if rng.random() < 0.15 else _LEGACY
    out: list[tuple[str, str]] = []
    for level1, level2s in framing:
        for level2 in level2s:
            if level2 in _OPTIONAL and rng.random() < 0.12:
                continue
            out.append((level1, level2))
    if not any(l1 == "成本指标" and l2 == "经济成本指标" for l1, l2 in out) and framing is _NEW_FRAMING:
        out.insert(3, ("成本指标", "经济成本指标"))
    return out


def _labels(rng: random.Random, layout: str, level1: str, level2: str) -> tuple[str, str]:
    if layout == PROVINCIAL:
        return level1, _SHORT.get(level2, level2)
    if level1 == "效益指标" and rng.random() < 0.2:
        return level1, _SHORT[level2] + "（必填）"
    return level1, level2 + rng.choice(_COUNTY_SUFFIXES)


def indicators(rng: random.Random, layout: str, year: int) -> list[IndicatorSpec]:
    cats = _categories(rng, layout)
    n = max(len(cats), 8, min(50, int(rng.triangular(8, 50, 12))))
    counts = {c: 1 for c in cats}
    extra = [c for c in cats if c[1] in _EXTRA_WEIGHT]
    weights = [_EXTRA_WEIGHT[c[1]] for c in extra]
    for _ in range(n - len(cats)):
        counts[rng.choices(extra, weights)[0]] += 1
    out: list[IndicatorSpec] = []
    labels: dict[str, str] = {}
    for level1, level2 in cats:
        l1_label, l2_label = _labels(rng, layout, level1, level2)
        l1_label = labels.setdefault(level1, l1_label)
        out.extend(_block(rng, year, level1, level2, l1_label, l2_label, counts[(level1, level2)]))
    return out


def _block(rng, year, level1, level2, l1_label, l2_label, k) -> list[IndicatorSpec]:
    pool = NAMES[level2]
    rows = []
    for i in range(k):
        base = pool[i % len(pool)]
        name = base if i < len(pool) else f"{base}（{i // len(pool) + 1}）"
        if level2 in ("经济效益指标", "生态效益指标") and i == 0 and rng.random() < 0.6:
            name, (text, meaning) = "无", not_applicable(rng)
        else:
            text, meaning = make_target(level2, rng, year)
        rows.append(
            IndicatorSpec(level1, level2, l1_label, l2_label, name, text, meaning, pad=rng.random() < 0.05)
        )
    return rows


# ------------------------------------------------------------------ projects


def _attribute(rng: random.Random) -> tuple[str, str, str]:
    code, label, _ = rng.choices(_ATTRIBUTES, [w for *_, w in _ATTRIBUTES])[0]
    period = {"0101": rng.choice(("1 年", "1年")), "02": "99年"}.get(code, rng.choice(("2年", "3年", "3 年")))
    return code, label, period


def _goal(rng: random.Random, layout: str, name: str, year: int, unit: str, inds: list[IndicatorSpec]) -> str:
    k = rng.randint(1, 2) if layout == COUNTY else rng.randint(2, 5)
    clauses = rng.sample(GOAL_CLAUSES, k)
    if layout == COUNTY:
        return name + "，" + "，".join(clauses)
    # the project's own work, drawn from its own generator: the rest of the corpus is unchanged
    own = random.Random(f"{name}|{year}|{unit}|{len(inds)}|{clauses}")
    outputs = [i for i in inds if i.level2 in ("数量指标", "质量指标") and i.name != "无"]
    restated = own.sample(outputs, min(len(outputs), own.randint(1, 3)))
    work = "完成" + "、".join(f"{i.name}{i.target.strip()}" for i in restated) + "，" if restated else ""
    tail = "，".join([*clauses, own.choice(PROVINCIAL_GOAL_CLAUSES)])
    return f"{year}年通过实施{name}，由{unit}组织实施，{work}{tail}。"


def project(
    rng: random.Random, layout: str, year: int, dept_name: str, code: str | None, units: list[str], name: str
) -> ProjectSpec:
    attr_code, attr_label, period = _attribute(rng)
    multi = attr_code in ("0102", "03")
    funding = provincial_funding(rng, multi) if layout == PROVINCIAL else county_funding(rng)
    inds = indicators(rng, layout, year)
    _drift(rng, layout, inds)
    unit = rng.choice(units)
    styles = ("plain", "bold", "name_first", "shifted") if layout == COUNTY else ("plain", "shifted")
    spec = ProjectSpec(
        name=name,
        department=dept_name,
        department_code=code,
        implementing_unit=unit,
        attribute_code=attr_code,
        attribute_label=attr_label,
        period=period,
        annual_goal=_goal(rng, layout, name, year, unit, inds),
        funding=funding,
        indicators=inds,
        header_style=rng.choice(styles),
        attribute_sep=rng.choice(("-", "--")),
        code_sep=rng.choice(("--", "--", "-")),
        department_label="主管部门及代码" if code else "主管部门",
    )
    spec.page_breaks = _page_breaks(rng, len(inds))
    return spec


def _page_breaks(rng: random.Random, n: int) -> list[int]:
    if n < 16 or rng.random() > 0.35:
        return []
    pages = 2 if n < 30 or rng.random() < 0.6 else 3
    return sorted(rng.sample(range(4, n - 2), pages - 1))


def _drift(rng: random.Random, layout: str, inds: list[IndicatorSpec]) -> None:
    """Column drift on a few rows: a name in a label column, a level-2 label moved left."""
    for i, ind in enumerate(inds):
        if i == 0:
            continue
        prev = inds[i - 1]
        starts_block = prev.level2 != ind.level2
        if starts_block and prev.level1 == ind.level1 and ind.level1 == "产出指标" and rng.random() < 0.15:
            ind.drift = "label_left"
        elif not starts_block and rng.random() < 0.08:
            ind.drift = "name_left"


# ------------------------------------------------------------------ documents


def document_spec(rng: random.Random, index: int, layout: str) -> DocumentSpec:
    year = rng.choice(YEARS)
    kind = rng.choice(sorted(DEPARTMENTS))
    county_name, prov_name, prefix, subunits, stems = DEPARTMENTS[kind]
    if layout == COUNTY:
        region, slug = rng.choice(COUNTIES)
        publisher = region + county_name
        code = f"{prefix}{rng.randint(1, 999):03d}"
        units = [publisher + "本级", publisher + " 本级", *(region + s for s in subunits[:2])]
        extra: dict = {"admin_level": "county", "attachment_no": rng.randint(1, 4)}
    else:
        region, slug, level_word, regional = rng.choice(PROVINCES)
        publisher = region + prov_name
        code = f"{prefix}{rng.randint(1, 999):03d}" if rng.random() < 0.4 else None
        units = [publisher, publisher, *(region + s for s in subunits)]
        extra = {
            "admin_level": "province",
            "level_word": level_word,
            "regional_label": regional,
            "short_publisher": level_word + prov_name,
            "published_on": _published(rng, year),
            "half_width": rng.random() < 0.2,
            "heading": rng.choice(("#", "#", "##")),
            "value_col": rng.choice((3, 4)),
        }
    names = _project_names(rng, layout, year, stems)
    projects = [project(rng, layout, year, publisher, code, units, n) for n in names]
    if layout == PROVINCIAL and len(projects) >= 3 and rng.random() < 0.15:
        _same_name_pair(rng, projects)
    file_name = f"synth_{index:05d}_{slug}_{kind}_{year}.txt"
    return DocumentSpec(
        layout=layout,
        file_name=file_name,
        publisher=publisher,
        region_name=region,
        division_code=DIVISION_CODES[region],
        fiscal_year=year,
        projects=projects,
        **extra,
    )


def _published(rng: random.Random, year: int) -> str:
    return date(year, rng.randint(1, 3), rng.randint(1, 28)).isoformat()


def _project_names(rng: random.Random, layout: str, year: int, stems: tuple[str, ...]) -> list[str]:
    k = rng.randint(2, 6) if layout == COUNTY else rng.randint(3, 8)
    picked = rng.sample(stems, min(k, len(stems)))
    out = []
    for stem in picked:
        form = rng.randrange(4)
        out.append(f"{year}年{stem}" if form == 0 else f"{year} 年{stem}" if form == 1 else stem)
    return out


def _same_name_pair(rng: random.Random, projects: list[ProjectSpec]) -> None:
    """Same name, different project: a later project reuses an earlier name with other money."""
    first, later = projects[0], projects[-1]
    if first.funding.annual_total != later.funding.annual_total:
        later.name = first.name
