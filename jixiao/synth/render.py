"""Spec -> extracted text in the county or provincial layout, and the truth with its line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.synth.spec import COUNTY, FUNDING_KEYS, DocumentSpec, IndicatorSpec, ProjectSpec
from jixiao.synth.targets import num

_WAN = Decimal(10000)


@dataclass
class SynthDocument:
    file_name: str
    text: str
    truth: dict
    spec: DocumentSpec | None = None


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> int:
        """Append lines; the 1-based number of the last one."""
        self.lines.extend(lines)
        return len(self.lines)


def _row(width: int, cells: dict[int, str], trim: bool = False) -> str:
    row = [""] * width
    for col, text in cells.items():
        row[col] = text
    line = "\t".join(row)
    return line.rstrip("\t") if trim else line


def _b(text: str, bold: bool) -> str:
    return f"<b>{text}</b>" if bold else text


def _cell(value: Decimal | None) -> str:
    return "" if value is None else num(value)


# ------------------------------------------------------------------ county layout


def _county_page_title(out: _Out, doc: DocumentSpec, first: bool, k: int) -> None:
    fy = doc.fiscal_year
    if first:
        out.add("", "", f"附件 {doc.attachment_no}：{doc.publisher}项目支出预算绩效目标表", "")
        out.add("部门项目支出预算绩效目标表\t\t\t", f"( {fy} 年度)\t\t\t")
        return
    year_line = (f"（{fy} 年度）", f"（{fy}年度）", f"( {fy} 年度)")[k % 3]
    out.add("", "## 部门项目支出预算绩效目标表", "", year_line, "")


def _county_header(out: _Out, doc: DocumentSpec, p: ProjectSpec) -> int:
    """Header block; returns the line of the project name."""
    style, f = p.header_style, p.funding
    bold = style == "bold"
    s = 2 if style == "shifted" else 1  # the column of the values
    if style == "shifted":
        out.add("部门项目支出预算绩效目标表\t\t\t\t", f"（{doc.fiscal_year}年度）\t\t\t\t")
    if style == "name_first":
        name_line = out.add(f"{p.name}\t\t\t\t")
        out.add("项目名称\t\t\t\t")
    else:
        name_line = out.add(_row(4 if s == 1 else 5, {0: _b("项目名称", bold), s: p.name}))
    other = "" if f.other_blank else _cell(f.other_funds)
    out.add(
        _row(
            4 + s - 1,
            {
                0: _b(p.department_label, bold),
                s: p.department_printed,
                s + 1: _b("实施单位", bold),
                s + 2: p.implementing_unit,
            },
        ),
        _row(
            4 + s - 1,
            {0: _b("项目属性", bold), s: p.attribute_printed, s + 1: _b("项目期", bold), s + 2: p.period},
        ),
        _row(4, {0: _b("项目资金 (万元)", bold), 1: _b("年度资金总额:", bold), 1 + s: _cell(f.annual_total)}),
        _row(4, {1: _b("其中: 财政拨款", bold), 1 + s: _cell(f.fiscal_appropriation)}),
        _row(4, {1: _b("其他资金", bold), 1 + s: other}),
        _row(4, {0: _b("年度总体目标", bold), s: p.annual_goal}),
    )
    if style == "plain":
        out.add("")
    out.add(
        _row(
            5,
            {
                0: _b("名称", bold),
                1: _b("一级指标", bold),
                2: _b("二级指标", bold),
                3: _b("三级指标", bold),
                4: _b("指标值", bold),
            },
        )
    )
    return name_line


def _county_row(ind: IndicatorSpec, labels: str, bold: bool, first_on_page: bool) -> str:
    name = f" {ind.name} " if ind.pad else ind.name
    l1, l2 = _b(ind.level1_label, bold), _b(ind.level2_label, bold)
    if labels == "l1":
        cells = {1: l1, 2: l2, 3: name, 4: ind.target}
        if first_on_page:
            cells[0] = _b("绩效指标", bold)
        return _row(5, cells)
    if labels == "l2":
        if ind.drift == "label_left":
            return _row(5, {1: l2, 2: name, 3: ind.target})
        return _row(5, {2: l2, 3: name, 4: ind.target})
    if ind.drift == "name_left":
        return _row(5, {2: name, 3: ind.target}) if len(ind.name) % 2 else _row(5, {1: name, 3: ind.target})
    return _row(5, {3: name, 4: ind.target})


# ------------------------------------------------------------------ provincial layout


def _provincial_cover(out: _Out, doc: DocumentSpec) -> None:
    fy, lw = doc.fiscal_year, doc.level_word
    y, m, d = (int(x) for x in (doc.published_on or f"{fy}-01-01").split("-"))
    out.add("", "", f"# {doc.publisher} {fy} 年 {lw}本级部门项目支出预算绩效目标", "")
    out.add(
        f"根据《中华人民共和国预算法》《关于全面实施预算绩效管理的实施意见》有关要求，现将 {fy} 年"
        f"{lw}本级部门项目支出预算绩效目标予以公开。",
        "",
    )
    out.add(f"附件：{fy} 年{lw}本级部门项目支出预算绩效目标表", "", doc.short_publisher, "")
    out.add(f"{y} 年 {m} 月 {d} 日", "")


def _provincial_page_title(out: _Out, doc: DocumentSpec, k: int) -> None:
    fy = doc.fiscal_year
    year_line = f"({fy}年)" if doc.half_width or k % 4 else f"（{fy}年）"
    unit = "单位:万元" if doc.half_width else "单位：万元"
    out.add(
        f"{doc.heading} {fy}年{doc.level_word}本级部门项目支出预算绩效目标表", "", year_line, "", unit, ""
    )


def _provincial_header(out: _Out, doc: DocumentSpec, p: ProjectSpec) -> int:
    f, hw = p.funding, doc.half_width
    colon = ":" if hw else "："
    transfer = "转移市县(区)资金" if hw else "转移市县（区）资金"
    t = 5 if p.header_style == "shifted" else 4  # the column of the right-hand values
    name_line = out.add(_row(5, {0: "项目名称", 2: p.name}))
    out.add(
        _row(6, {0: p.department_label, 2: p.department_printed, 3: "实施单位", t: p.implementing_unit}),
        _row(6, {0: "项目属性", 2: p.attribute_printed, 3: "项目期", t: p.period}),
        _row(
            6,
            {
                0: "项目总额",
                2: _cell(f.project_total),
                3: f"其中{colon}年度资金总额",
                t: _cell(f.annual_total),
            },
        ),
        _row(
            6,
            {
                0: f"其中{colon} 本级资金",
                1: "资金总额",
                2: _cell(f.own_level_total),
                3: f"其中{colon} {transfer}",
                4: "资金总额",
                5: _cell(f.transfer_total),
            },
        ),
        _row(
            6,
            {
                1: f"其中{colon}财政拨款",
                2: _cell(f.fiscal_appropriation),
                4: f"其中{colon}中央资金",
                5: _cell(f.transfer_central),
            },
        ),
        _row(
            6, {1: "其他资金", 2: _cell(f.other_funds), 4: doc.regional_label, 5: _cell(f.transfer_regional)}
        ),
        _row(6, {1: "结余结转资金", 2: _cell(f.carryover)}),
        _row(5, {0: "年度总体 绩效目标" if len(p.name) % 3 == 0 else "年度总体绩效目标", 1: p.annual_goal}),
        _row(6, {0: "一级指标", 1: "二级指标", 2: "三级指标", doc.value_col: "绩效值"}),
    )
    return name_line


def _provincial_row(ind: IndicatorSpec, labels: str, v: int) -> str:
    name = f" {ind.name} " if ind.pad else ind.name
    if labels == "l1":
        return _row(6, {0: ind.level1_label, 1: ind.level2_label, 2: name, v: ind.target})
    if labels == "l2":
        if ind.drift == "label_left":
            return _row(6, {0: ind.level2_label, 1: name, v - 1: ind.target})
        return _row(6, {1: ind.level2_label, 2: name, v: ind.target})
    if ind.drift == "name_left":
        return _row(6, {0: name, v - 2: ind.target})
    return _row(6, {2: name, v: ind.target})


# ------------------------------------------------------------------ document


def _label_mode(ind: IndicatorSpec, prev: IndicatorSpec | None, first_on_page: bool) -> str:
    if prev is None or first_on_page or prev.level1 != ind.level1:
        return "l1"
    return "l2" if prev.level2 != ind.level2 else ""


def _pages(p: ProjectSpec) -> list[list[int]]:
    cuts = [0, *p.page_breaks, len(p.indicators)]
    return [list(range(a, b)) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def render_document(doc: DocumentSpec) -> SynthDocument:
    """The document's text and its truth (every project and indicator with its source line)."""
    out = _Out()
    county = doc.layout == COUNTY
    if not county:
        _provincial_cover(out, doc)
    projects, page_no = [], 0
    for seq, p in enumerate(doc.projects, start=1):
        page_lines, rows = [], []
        for page in _pages(p):
            if county:
                _county_page_title(out, doc, page_no == 0, page_no)
                page_lines.append(_county_header(out, doc, p))
            else:
                _provincial_page_title(out, doc, page_no)
                page_lines.append(_provincial_header(out, doc, p))
            page_no += 1
            rows.extend(_render_rows(out, doc, p, page))
            out.add("")
        projects.append(_project_truth(seq, p, page_lines, rows))
    return SynthDocument(doc.file_name, "\n".join(out.lines) + "\n", _document_truth(doc, projects), doc)


def _render_rows(out: _Out, doc: DocumentSpec, p: ProjectSpec, page: list[int]) -> list[tuple[int, int]]:
    rows = []
    for j, i in enumerate(page):
        ind = p.indicators[i]
        prev = p.indicators[i - 1] if i else None
        mode = _label_mode(ind, prev, j == 0)
        if doc.layout == COUNTY:
            line = _county_row(ind, mode, p.header_style == "bold", j == 0)
        else:
            line = _provincial_row(ind, mode, doc.value_col)
        if len(ind.name) % 5 == 0:
            line = line.rstrip("\t")  # trailing TABs vary
        rows.append((i, out.add(line)))
        if j == 0 and doc.layout == COUNTY and p.header_style != "plain":
            out.add("")  # the samples' blank line after the first grid row
    return rows


# ------------------------------------------------------------------ truth


def _yuan(p: ProjectSpec, key: str) -> str | None:
    f = p.funding
    value = f.cell(key)
    if value is None or (key == "other_funds" and f.other_blank):
        return None
    return num(value * _WAN)


def _printed_funding(doc_county: bool, p: ProjectSpec) -> dict[str, str | None]:
    f = p.funding
    out: dict[str, str | None] = {}
    for key in FUNDING_KEYS:
        value = f.cell(key)
        if doc_county and key not in ("annual_total", "fiscal_appropriation", "other_funds"):
            out[key] = None
        elif key == "other_funds" and f.other_blank:
            out[key] = ""
        else:
            out[key] = None if value is None else num(value)
    return out


def _project_truth(seq: int, p: ProjectSpec, page_lines: list[int], rows: list[tuple[int, int]]) -> dict:
    county = p.funding.project_total is None
    return {
        "project_seq": seq,
        "project_name": p.name,
        "department_printed": p.department_printed,
        "department_name": p.department,
        "department_code": p.department_code,
        "implementing_unit": p.implementing_unit,
        "attribute_printed": p.attribute_printed,
        "project_attribute_code": p.attribute_code,
        "project_attribute": p.attribute_label,
        "project_period_raw": p.period,
        "annual_goal": p.annual_goal,
        "source_line": page_lines[0],
        "page_count": len(page_lines),
        "page_lines": page_lines,
        "funding_printed": _printed_funding(county, p),
        "funding_yuan": {f"{k}_yuan": _yuan(p, k) for k in FUNDING_KEYS},
        "indicators": [
            _indicator_truth(n, p.indicators[i], line) for n, (i, line) in enumerate(rows, start=1)
        ],
    }


def _indicator_truth(seq: int, ind: IndicatorSpec, line: int) -> dict:
    return {
        "indicator_seq": seq,
        "source_line": line,
        "level1": ind.level1,
        "level2": ind.level2,
        "level1_printed": ind.level1_label,
        "level2_printed": ind.level2_label,
        "indicator_name": ind.name,
        "target_text": ind.target,
        "meaning": ind.meaning,
    }


def _document_truth(doc: DocumentSpec, projects: list[dict]) -> dict:
    return {
        "source_file": doc.file_name,
        "layout": doc.layout,
        "publisher": doc.publisher,
        "region_name": doc.region_name,
        "admin_level": doc.admin_level,
        "division_code": doc.division_code,
        "publisher_unit": doc.publisher.removeprefix(doc.region_name),
        "fiscal_year": doc.fiscal_year,
        "published_on": doc.published_on,
        "projects": projects,
    }
