"""Finishing touches on the GX Data Docs site, so it reads well offline too.

GX's index page lists validation runs with JavaScript loaded from CDNs, and its pages load the GX
logo from a remote server with the context id in the URL. Beside a warehouse that may sit on a
machine without internet (and with telemetry off), that leaves a blank index and a beacon. So,
after GX renders the site:

- the remote logo becomes the copy GX ships in ``static/images``;
- every CSS, JavaScript and font file GX loads from a CDN is bundled
  (``expectations/data_docs_assets/``, listed in its ``assets.csv``), copied to
  ``static/vendor/`` and linked by a relative path;
- a suite whose only failures are warnings or info (or held documents) passed the gate: its
  page and its index row say so instead of GX's "Failed"; a suite with a blocking failure
  keeps "Failed" and says it blocks the publish;
- the index gets a plain-HTML section at the top, headed in Chinese and English: this run's
  verdict, its failed rules with counts and example rows (document, line), links to this
  run's validation pages and to the dbt docs beside it (``../dbt_docs/index.html``).

GX's validation pages paste example values into the HTML unescaped, so a document's target
``"><svg onload=...>`` would run as script in the reader's browser. Before GX renders a run,
:func:`escape_stored_results` HTML-escapes every string of the run's stored results (the
values the pages show); the gate's own figures were taken before, from the unescaped results.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
from pathlib import Path

from jixiao.paths import PROJECT_DIR
from jixiao.quality.results import GateReport

_REMOTE_LOGO = re.compile(r"https://great-expectations-web-assets\.s3[^\"')]*?/([\w-]+\.png)[^\"')]*")
_LOCAL_LOGOS = ("logo-long.png", "short-logo.png")
_MARK = "<!-- jixiao-gate -->"
SHOW_EXAMPLES = 5
ASSETS = PROJECT_DIR / "expectations" / "data_docs_assets"
ASSET_LIST = ASSETS / "assets.csv"
VENDOR = Path("static") / "vendor"
DBT_DOCS_LINK = "../dbt_docs/index.html"  # jixiao.dbtdocs.site(), beside data_docs/
_STATUS_FAILED = re.compile(
    r'(<span class="h6" >Status:</span>\s*)<i class="fas fa-times text-danger" aria-hidden="true"></i>\s*Failed'
)
_PASSED_MARK = "<!-- jixiao-status:passed -->"
_INDEX_ENTRY = "{'validation_success':"  # how each row of GX's index table data starts


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def escape_stored_results(store: Path, run_id: str) -> int:
    """HTML-escape the values in the stored validation results of ``run_id`` (before rendering)."""
    done = 0
    for path in _run_result_files(store, run_id):
        body = json.loads(path.read_text(encoding="utf-8"))
        for result in body.get("results", []):
            if isinstance(result.get("result"), dict):
                result["result"] = _escaped(result["result"])
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        done += 1
    return done


def _run_result_files(store: Path, run_id: str) -> list[Path]:
    return [p for p in (store.rglob("*.json") if store.is_dir() else []) if run_id in p.parts]


def _pages(site: Path, since: float) -> list[Path]:
    """The site's pages GX wrote at or after ``since`` (earlier ones were finished then)."""
    return [p for p in site.rglob("*.html") if p.stat().st_mtime >= since]


def _localise_logos(site: Path, since: float = 0.0) -> None:
    for page in _pages(site, since):
        text = page.read_text(encoding="utf-8")
        if "great-expectations-web-assets" not in text:
            continue
        rel = Path(os.path.relpath(site / "static" / "images", page.parent)).as_posix()

        def local(m: re.Match, rel: str = rel) -> str:
            return f"{rel}/{m.group(1) if m.group(1) in _LOCAL_LOGOS else 'logo-long.png'}"

        page.write_text(_REMOTE_LOGO.sub(local, text), encoding="utf-8")


def asset_urls() -> dict[str, str]:
    """URL GX writes -> bundled file (relative to ``expectations/data_docs_assets``)."""
    with ASSET_LIST.open(encoding="utf-8", newline="") as fh:
        return {row["url"]: row["local"] for row in csv.DictReader(fh)}


def _bundle_assets(site: Path, since: float = 0.0) -> None:
    """Copy the bundled assets into the site and point every page at them."""
    vendor = site / VENDOR
    for folder in ("css", "js", "webfonts", "licenses"):
        if (ASSETS / folder).is_dir():
            shutil.copytree(ASSETS / folder, vendor / folder, dirs_exist_ok=True)
    urls = sorted(asset_urls().items(), key=lambda kv: -len(kv[0]))  # vega-lite@5 before vega@5
    for page in _pages(site, since):
        text = page.read_text(encoding="utf-8")
        rel = Path(os.path.relpath(vendor, page.parent)).as_posix()
        new = text
        for url, local in urls:
            new = re.sub(rf"""(?<=["']){re.escape(url)}(?=["'])""", f"{rel}/{local}", new)
        if new != text:
            page.write_text(new, encoding="utf-8")


_STATIC_REF = re.compile(r"""((?:href|src)=["'])((?:\.\./)*static/([^"'?#]+))""")


def _repair_static_links(site: Path, since: float = 0.0) -> None:
    """GX links some pages' favicon one folder short; point every ``static/`` link at the site's."""
    for page in _pages(site, since):
        text = page.read_text(encoding="utf-8")
        rel = Path(os.path.relpath(site / "static", page.parent)).as_posix()

        def fixed(m: re.Match, page: Path = page, rel: str = rel) -> str:
            if (page.parent / m.group(2)).exists() or not (site / "static" / m.group(3)).exists():
                return m.group(0)
            return f"{m.group(1)}{rel}/{m.group(3)}"

        new = _STATIC_REF.sub(fixed, text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _suite_blocks(report: GateReport) -> dict[str, int]:
    blocks: dict[str, int] = {}
    for r in report.results:
        blocks[r.suite] = blocks.get(r.suite, 0) + bool(r.blocking)
    return blocks


def _agree_statuses(site: Path, report: GateReport) -> None:
    """This run's validation pages say what the gate decided; the index rows follow the pages."""
    blocks = _suite_blocks(report)
    for suite, href in _run_pages(site, report):
        page = site / href
        text = page.read_text(encoding="utf-8")
        if blocks.get(suite):
            icon, said = "fa-times text-danger", "未通过，阻止发布 · Failed: blocks the publish"
        else:
            icon, said = (
                "fa-exclamation-triangle text-warning",
                ("通过关卡（有标记，不阻止发布）· Passed the gate (rules flagged, never blocking)"),
            )
        mark = "" if blocks.get(suite) else _PASSED_MARK

        def label(m: re.Match, icon: str = icon, said: str = said, mark: str = mark) -> str:
            return f'{mark}{m.group(1)}<i class="fas {icon}" aria-hidden="true"></i> {said}'

        page.write_text(_STATUS_FAILED.sub(label, text), encoding="utf-8")
    passed = {
        page.relative_to(site).as_posix()
        for page in site.glob("validations/*/*/*/*.html")
        if _PASSED_MARK in page.read_text(encoding="utf-8")
    }
    index = site / "index.html"
    text = index.read_text(encoding="utf-8")

    parts = text.split(_INDEX_ENTRY)
    for n, entry in enumerate(parts[1:], start=1):
        link = re.search(r"'_table_row_link_path': '([^']+)'", entry)
        if link and link.group(1) in passed:
            parts[n] = entry.replace(
                "fa-times text-danger ge-failed-icon",
                "fa-exclamation-triangle text-warning ge-failed-icon",
                1,
            ).replace(
                "'_validation_success_text': 'Failed'", "'_validation_success_text': 'Passed (flagged)'", 1
            )
    index.write_text(_INDEX_ENTRY.join(parts), encoding="utf-8")


def _run_pages(site: Path, report: GateReport) -> list[tuple[str, str]]:
    pages = []
    for page in sorted(site.glob(f"validations/*/{report.run_id}/*/*.html")):
        suite = page.relative_to(site).parts[1]
        pages.append((suite, page.relative_to(site).as_posix()))
    return pages


def _section(site: Path, report: GateReport) -> str:
    e = html.escape
    verdict = (
        "绩效数据质量关卡：通过 · Jixiao quality gate passed"
        if report.passed
        else "绩效数据质量关卡：未通过，关键规则阻止发布 · Jixiao quality gate FAILED — a critical rule blocks publishing"
    )
    colour = "#1b7f3b" if report.passed else "#b00020"
    out = [
        _MARK,
        '<section style="font-family:sans-serif;margin:1em 2em;max-width:1100px">',
        f'<h2 style="color:{colour}">{e(verdict)}</h2>',
        f"<p>数据字典与血缘（每个模型、每一列的中英文说明）· Data dictionary and lineage (every model and column): "
        f'<a href="{DBT_DOCS_LINK}">dbt docs</a></p>',
        f"<p>Run <code>{e(report.run_id)}</code>"
        + (f" at {e(report.run_at.strftime('%Y-%m-%d %H:%M:%S UTC'))}" if report.run_at else "")
        + f": {len(report.results)} rules, {len(report.failed_critical)} critical failures, "
        f"{len(report.held)} rules holding documents back, {len(report.warnings)} warnings, "
        f"{len(report.infos)} info. "
        "A critical pipeline rule blocks publishing; a critical document rule holds that document back "
        "(its last good version stays published); row rules flag and never block "
        "(the catalogue: <code>seeds/rules.csv</code>).</p>",
    ]
    failed = report.failed_critical + report.held + report.warnings + report.infos
    if failed:
        out.append('<table border="1" cellpadding="4" style="border-collapse:collapse">')
        out.append(
            "<tr><th>严重程度 severity</th><th>规则 rule</th><th>含义 meaning</th><th>观察 observed</th>"
            "<th>示例（文档，行）examples (document, line)</th></tr>"
        )
        for r in failed:
            examples = "<br>".join(e(x.describe()) for x in r.examples[:SHOW_EXAMPLES])
            more = (r.unexpected_count or 0) - min(len(r.examples), SHOW_EXAMPLES)
            if r.examples and more > 0:
                examples += f"<br>… and {more} more"
            out.append(
                f'<tr><td>{e("blocks" if r.blocking else "held" if r.holding else r.severity)}</td><td style="white-space:nowrap"><code>{e(r.rule_id)}</code></td><td>{e(r.meaning)}</td>'
                f"<td>{e(r.observed_text)}</td><td>{examples}</td></tr>"
            )
        out.append("</table>")
    for note in report.notes:
        out.append(f"<p>note: {e(note)}</p>")
    pages = _run_pages(site, report)
    if pages:
        by_suite = {}
        for r in report.results:
            s = by_suite.setdefault(r.suite, [0, 0])
            s[0] += r.blocking
            s[1] += not r.success and not r.blocking
        links = []
        for suite, href in pages:
            crit, warn = by_suite.get(suite, [0, 0])
            state = (
                f"未通过 {crit} critical"
                if crit
                else (f"通过，{warn} 条标记 passed, {warn} flagged or held" if warn else "通过 ok")
            )
            links.append(f'<li><a href="{e(href)}">{e(suite)}</a> — {state}</li>')
        out.append(
            "<h3>本次运行的验证页面 · This run's validation pages</h3>"
            "<p>每条规则及 GX 的统计 · every rule, with GX's statistics:</p><ul>"
        )
        out += links
        out.append("</ul>")
    out.append(
        "<h3>历次运行 · Earlier runs</h3><p>Listed below and in the warehouse: "
        "<code>select * from quality.runs</code>.</p>"
    )
    out.append("</section>")
    return "\n".join(out)


def finish_site(site: Path, report: GateReport, since: float = 0.0) -> Path:
    """Localise logos and assets, make statuses agree with the gate, put this run's gate report
    at the top of ``index.html``. ``since``: only pages written from then on are rewritten (the
    others were finished by the run that wrote them)."""
    _localise_logos(site, since)
    _bundle_assets(site, since)
    _repair_static_links(site, since)
    _agree_statuses(site, report)
    index = site / "index.html"
    text = index.read_text(encoding="utf-8")
    body = re.search(r"<body[^>]*>", text)
    if body:
        text = text[: body.end()] + "\n" + _section(site, report) + "\n" + text[body.end() :]
        index.write_text(text, encoding="utf-8")
    return index


def update_index(site: Path, report: GateReport) -> Path | None:
    """An incremental gate's report in place of the section at the top of ``index.html`` (GX's
    pages and run list stay those of the full gates); ``None`` when there is no site yet."""
    index = site / "index.html"
    if not index.is_file():
        return None
    text = index.read_text(encoding="utf-8")
    start = text.find(_MARK)
    if start >= 0:
        end = text.find("</section>", start)
        text = text[:start] + text[end + len("</section>") :] if end >= 0 else text
    body = re.search(r"<body[^>]*>", text)
    if body:
        text = text[: body.end()] + "\n" + _section(site, report) + text[body.end() :]
        index.write_text(text, encoding="utf-8")
    return index
