"""Plant the cases the analysis marts must find into generated specs (pure; no I/O).

``plant_corpus(specs, seed)`` returns edited copies of the specs (plus the documents it adds)
and the list of ``Plant``s: what was planted where, written from the edit itself, never read
back from the marts. The cases, one per analysis of ``models/marts/analysis``:

- ``unit_cost_outlier``: a per-unit cost target about 10,000 times its peers (``≤50000万元/家``),
  and an implied unit cost 300 times below a group of planted peers (``应急避难场所建设数量``);
- ``unit_cost_inconsistent``: a per-unit cost × its quantity three times the project's funding
  (and ``unit_cost_consistent`` controls at half the funding);
- ``poor_targets``: a project whose targets are placeholders, vague or point the wrong way, and
  which lacks its 时效 and 满意度 rows;
- ``boilerplate``: one project's annual goal and indicator set copied into a project of
  another document (``near_boilerplate``: the copy with a few words changed);
- ``renamed``: a document printed again the next fiscal year with its projects' money a little
  changed and one project renamed (``continued``: the projects kept under their name); in the
  second such document the new name keeps less than half of the old one's bigrams, so only its
  unchanged indicators link it;
- ``transfer``: a county document receiving part of a provincial project's transfer to cities
  and counties, in the same province and year.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal

from jixiao.synth.spec import COUNTY, PROVINCIAL, DocumentSpec, Funding, IndicatorSpec, ProjectSpec
from jixiao.synth.targets import make_target, meaning, num
from jixiao.synth.vocab import COUNTIES, DIVISION_CODES

_WAN = Decimal(10000)
PEER_NAME = "应急避难场所建设数量"  # implied unit cost peers: annual funding / N 座
PEER_YUAN_PER_UNIT = Decimal(50000)
PER_UNIT_OUTLIER = "≤50000万元/家"
VEHICLE_COST, VEHICLE_COUNT = "每辆车运维费用标准", "运维车辆数量"


@dataclass(frozen=True)
class Plant:
    kind: str
    file_name: str
    project_name: str
    indicator_name: str | None = None
    other_file: str | None = None
    other_project: str | None = None


def plant_corpus(specs: Sequence[DocumentSpec], seed: int = 0) -> tuple[list[DocumentSpec], list[Plant]]:
    """Copies of ``specs`` with the cases planted, the added documents last, and the plants."""
    rng = random.Random(f"jixiao-plant:{seed}")
    docs = [copy.deepcopy(s) for s in specs]
    plants: list[Plant] = []
    used: set[tuple[str, str]] = set()  # (file, project) already edited: one plant per project
    plants += _renamed(rng, docs, used)  # first: a copied document must not copy other plants
    plants += _unit_cost_peers(rng, docs, used)
    plants += _per_unit_outliers(rng, docs, used)
    plants += _consistency(rng, docs, used)
    plants += _poor_targets(rng, docs, used)
    plants += _boilerplate(rng, docs, used)
    plants += _transfer(rng, docs, used)
    return docs, plants


# ------------------------------------------------------------------ helpers


def _candidates(
    docs: list[DocumentSpec], used: set, ok=lambda d, p: True
) -> list[tuple[DocumentSpec, ProjectSpec]]:
    return [(d, p) for d in docs for p in d.projects if (d.file_name, p.name) not in used and ok(d, p)]


def _yuan(p: ProjectSpec) -> Decimal:
    return p.funding.annual_total * _WAN


def _insert(p: ProjectSpec, level2: str, ind: IndicatorSpec) -> None:
    """Insert ``ind`` after the last row of ``level2`` (keeping that block's printed labels)."""
    at = max((i for i, x in enumerate(p.indicators) if x.level2 == level2), default=None)
    if at is None:
        raise ValueError(f"project {p.name!r} has no {level2} rows to plant into")
    block = p.indicators[at]
    ind = replace(ind, level1=block.level1, level1_label=block.level1_label, level2_label=block.level2_label)
    p.indicators.insert(at + 1, ind)
    p.page_breaks = [b + 1 if b > at else b for b in p.page_breaks]


def _row(level2: str, name: str, target: str, mean: dict | None) -> IndicatorSpec:
    return IndicatorSpec("", level2, "", "", name, target, mean)


def _cost_level2(p: ProjectSpec) -> str:
    return next(x.level2 for x in p.indicators if x.level2 in ("成本指标", "经济成本指标"))


# ------------------------------------------------------------------ unit costs


def _unit_cost_peers(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    """12 projects get N 座 with funding / N near 50,000 元/座; 2 more get N 300 times too large."""
    pool = _candidates(docs, used, lambda d, p: _yuan(p) >= 4 * PEER_YUAN_PER_UNIT)
    picked = rng.sample(pool, min(14, len(pool)))
    out = []
    for i, (d, p) in enumerate(picked):
        outlier = i < 2
        per_unit = PEER_YUAN_PER_UNIT * Decimal(str(round(rng.uniform(0.7, 1.4), 2)))
        if outlier:
            per_unit = PEER_YUAN_PER_UNIT / 300
        n = max(1, int(_yuan(p) / per_unit))
        _insert(p, "数量指标", _row("数量指标", PEER_NAME, f"{n}座", meaning("count", "=", n, n, "座")))
        used.add((d.file_name, p.name))
        out.append(
            Plant("unit_cost_outlier" if outlier else "unit_cost_peer", d.file_name, p.name, PEER_NAME)
        )
    return out


def _per_unit_outliers(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    """Two cost targets of about 5亿元/家, where printed 元/家 costs are 0.2 to 145 万元."""
    pool = _candidates(docs, used)
    out = []
    for d, p in rng.sample(pool, min(2, len(pool))):
        y = Decimal(50000) * _WAN
        name = "企业评审服务费用标准"
        level2 = _cost_level2(p)
        _insert(p, level2, _row(level2, name, PER_UNIT_OUTLIER, meaning("money", "<=", None, y, "元/家", y)))
        used.add((d.file_name, p.name))
        out.append(Plant("unit_cost_outlier", d.file_name, p.name, name))
    return out


def _consistency(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    """Unit cost × 10 辆 = 3 × funding (inconsistent) in two projects, 0.5 × funding in two others."""
    pool = _candidates(docs, used)
    out = []
    for i, (d, p) in enumerate(rng.sample(pool, min(4, len(pool)))):
        share = Decimal(3) if i < 2 else Decimal("0.5")
        n = 10
        wan = (p.funding.annual_total * share / n).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        y = wan * _WAN
        level2 = _cost_level2(p)
        text = f"≤{num(wan)}万元/辆"
        _insert(p, level2, _row(level2, VEHICLE_COST, text, meaning("money", "<=", None, y, "元/辆", y)))
        _insert(p, "数量指标", _row("数量指标", VEHICLE_COUNT, f"{n}辆", meaning("count", "=", n, n, "辆")))
        used.add((d.file_name, p.name))
        kind = "unit_cost_inconsistent" if i < 2 else "unit_cost_consistent"
        out.append(Plant(kind, d.file_name, p.name, VEHICLE_COST))
    return out


# ------------------------------------------------------------------ target quality


def _poor_targets(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    pool = _candidates(docs, used, lambda d, p: len({x.level2 for x in p.indicators}) >= 6)
    out = []
    for d, p in rng.sample(pool, min(2, len(pool))):
        kept = [x for x in p.indicators if x.level2 not in ("时效指标", "服务对象满意度指标")]
        for x in kept:
            if x.level2 == "数量指标":
                x.target, x.meaning = "***户", meaning("placeholder")
            elif x.level2 == "质量指标":
                x.target, x.meaning = "**%", meaning("placeholder")
            elif x.level1 == "效益指标":
                x.target, x.meaning = "长期", meaning("text")
            elif x.level2 in ("成本指标", "经济成本指标"):
                x.target, x.meaning = "≥5万元", meaning("money", ">=", 50000, None, "元", 50000)
        p.indicators, p.page_breaks = kept, []
        used.add((d.file_name, p.name))
        out.append(Plant("poor_targets", d.file_name, p.name))
    return out


# ------------------------------------------------------------------ boilerplate


def _boilerplate(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    """Three copies of a goal and an indicator set into another document of the same layout."""
    out = []
    for k in range(3):
        pool = _candidates(docs, used)
        rng.shuffle(pool)
        pair = next(
            ((a, b) for a in pool for b in pool if a[0] is not b[0] and a[0].layout == b[0].layout),
            None,
        )
        if pair is None:
            break
        (da, pa), (db, pb) = pair
        pb.annual_goal = pa.annual_goal
        pb.indicators = [copy.deepcopy(x) for x in pa.indicators]
        pb.page_breaks = list(pa.page_breaks)
        kind = "boilerplate"
        if k == 2:  # a near copy: one clause added to the goal, two targets changed
            pb.annual_goal = pa.annual_goal.rstrip("。") + "，加强日常管理。"
            for x in [x for x in pb.indicators if x.level2 == "服务对象满意度指标"][:2]:
                x.target, x.meaning = "≥91%", meaning("percent", ">=", 91, None, "%")
            kind = "near_boilerplate"
        used.update({(da.file_name, pa.name), (db.file_name, pb.name)})
        out.append(Plant(kind, da.file_name, pa.name, other_file=db.file_name, other_project=pb.name))
    return out


# ------------------------------------------------------------------ across years


def _next_year_text(text: str, year: int) -> str:
    return re.sub(rf"{year}(\s?年)", rf"{year + 1}\1", text)


def _renamed(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    """Two documents printed again the next year; one project of each renamed, one of the first split."""
    originals = [d for d in docs if d.fiscal_year <= 2025 and len(d.projects) >= 3]
    out = []
    for k, d in enumerate(rng.sample(originals, min(2, len(originals)))):
        nxt = copy.deepcopy(d)
        year = d.fiscal_year
        nxt.fiscal_year = year + 1
        nxt.file_name = d.file_name.replace(f"_{year}.txt", f"_{year + 1}_next.txt")
        if nxt.published_on:
            nxt.published_on = f"{year + 1}" + nxt.published_on[4:]
        renamed_at = rng.randrange(len(nxt.projects))
        split_at = (renamed_at + 1) % len(nxt.projects) if k == 0 else None
        for i, (old, new) in enumerate(zip(d.projects, nxt.projects, strict=True)):
            new.name = _next_year_text(new.name, year)
            if i == renamed_at:
                stem = re.sub(r"(经费|资金|项目|费)$", "", new.name)
                new.name = (_rebranded(new.name) if k == 1 else None) or stem + "提升工程"
            new.annual_goal = _next_year_text(new.annual_goal, year)
            _scale(new.funding, Decimal(str(round(rng.uniform(0.9, 1.15), 2))))
            for x in new.indicators:
                x.target, x.meaning = _next_year_text(x.target, year), None
            used.add((d.file_name, old.name))
            if i == split_at:
                continue
            kind = "renamed" if i == renamed_at else "continued"
            out.append(Plant(kind, d.file_name, old.name, other_file=nxt.file_name, other_project=new.name))
            used.add((nxt.file_name, new.name))
        if split_at is not None:
            parts = _split(nxt.projects[split_at])
            nxt.projects[split_at : split_at + 1] = parts
            for part in parts:
                old = d.projects[split_at]
                out.append(
                    Plant("split", d.file_name, old.name, other_file=nxt.file_name, other_project=part.name)
                )
                used.add((nxt.file_name, part.name))
        docs.append(nxt)
    return out


def _bigrams(name: str) -> set[str]:
    key = re.sub(r"(19|20)\d{2}年?", "", name)
    return {key[i : i + 2] for i in range(len(key) - 1)} or {key}


def _rebranded(name: str) -> str | None:
    """A new name sharing 30-50 % of the old name's bigrams (a rename only the targets give away)."""
    old = _bigrams(name)
    for keep in range(len(name) - 1, 1, -1):
        new = name[:keep] + "综合提升工程"
        if 0.3 <= len(old & _bigrams(new)) / len(old | _bigrams(new)) < 0.5:
            return new
    return None


def _split(p: ProjectSpec) -> list[ProjectSpec]:
    """The project as two phases, each with half the money and the same targets."""
    parts = []
    for suffix in ("（一期）", "（二期）"):
        part = copy.deepcopy(p)
        part.name = p.name + suffix
        _scale(part.funding, Decimal("0.5"))
        parts.append(part)
    return parts


def _scale(f: Funding, k: Decimal) -> None:
    """Every printed cell × k (rounded to 万元 cents); the parts still add up."""
    keys = ("fiscal_appropriation", "other_funds", "carryover", "transfer_central", "transfer_regional")
    for key in keys:
        v = getattr(f, key)
        if v is not None:
            setattr(f, key, (v * k).quantize(Decimal("0.01")))
    own = f.fiscal_appropriation + (f.other_funds or 0) + (f.carryover or 0)
    if f.own_level_total is not None:
        f.own_level_total = own
        f.transfer_total = (f.transfer_central or 0) + (f.transfer_regional or 0)
        extra = (f.project_total or 0) - f.annual_total
        f.annual_total = own + f.transfer_total
        f.project_total = f.annual_total + max(extra, Decimal(0))
    else:
        f.annual_total = own


# ------------------------------------------------------------------ transfers


def _transfer(rng: random.Random, docs: list[DocumentSpec], used: set) -> list[Plant]:
    """A county document receiving 40% of a provincial project's transfer (same province, year)."""
    out = []
    for d in [d for d in docs if d.layout == PROVINCIAL]:
        counties = [c for c in COUNTIES if DIVISION_CODES[c[0]][:2] == (d.division_code or "")[:2]]
        givers = [
            p for p in d.projects if (p.funding.transfer_total or 0) > 0 and (d.file_name, p.name) not in used
        ]
        if not counties or not givers:
            continue
        p, (county, slug) = rng.choice(givers), rng.choice(counties)
        received = (p.funding.transfer_total * Decimal("0.4")).quantize(Decimal("0.01"))
        template = next((x for x in docs if x.layout == COUNTY), None)
        if template is None:
            break
        recv = _receiving_document(rng, template, d, p, county, slug, received, len(out))
        docs.append(recv)
        used.add((d.file_name, p.name))
        out.append(
            Plant(
                "transfer",
                d.file_name,
                p.name,
                other_file=recv.file_name,
                other_project=recv.projects[0].name,
            )
        )
        if len(out) == 2:
            break
    return out


def _receiving_document(
    rng: random.Random,
    template: DocumentSpec,
    giver: DocumentSpec,
    p: ProjectSpec,
    county: str,
    slug: str,
    wan: Decimal,
    k: int,
) -> DocumentSpec:
    doc = copy.deepcopy(template)
    base = copy.deepcopy(template.projects[0])
    dept = template.publisher[len(template.region_name) :]
    doc.publisher, doc.region_name, doc.division_code = county + dept, county, DIVISION_CODES[county]
    doc.fiscal_year = giver.fiscal_year
    doc.file_name = f"synth_plant_transfer_{k + 1}_{slug}_{giver.fiscal_year}.txt"
    base.name = p.name
    base.department = doc.publisher
    base.implementing_unit = doc.publisher + "本级"
    base.annual_goal = p.name + "，落实上级转移支付资金，完成年度目标任务"
    base.funding = Funding(
        annual_total=wan, fiscal_appropriation=wan, other_funds=Decimal(0), other_blank=True
    )
    for x in base.indicators:  # fresh targets: the receiving table is not a copy of the template's
        if x.name != "无":
            x.target, x.meaning = make_target(x.level2, rng, giver.fiscal_year)
    doc.projects = [base]
    return doc
