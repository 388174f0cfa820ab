"""Finishing touches on the GX Data Docs site, so it reads well offline too.

GX's index page lists validation runs with JavaScript loaded from CDNs, and its pages load the GX
logo from a remote server with the context id in the URL. Beside a warehouse that may sit on a
machine without internet (and with telemetry off), that leaves a blank index and a beacon. So,
after GX renders the site:

- the remote logo becomes the copy GX ships in ``static/images``;
- the index gets a plain-HTML section at the top: this run's verdict, its failed rules with
  counts and example rows (document, line), and links to this run's validation pages.

GX's validation pages paste example values into the HTML unescaped, so a document's target
``"><svg onload=...>`` would run as script in the reader's browser. Before GX renders a run,
:func:`escape_stored_results` HTML-escapes every string of the run's stored results (the
values the pages show); the gate's own figures were taken before, from the unescaped results.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

from jixiao.quality.results import GateReport

_REMOTE_LOGO = re.compile(r"https://great-expectations-web-assets\.s3[^\"')]*?/([\w-]+\.png)[^\"')]*")
_LOCAL_LOGOS = ("logo-long.png", "short-logo.png")
_MARK = "<!-- jixiao-gate -->"
SHOW_EXAMPLES = 5


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
    for path in store.rglob("*.json") if store.is_dir() else []:
        if run_id not in path.parts:
            continue
        body = json.loads(path.read_text(encoding="utf-8"))
        for result in body.get("results", []):
            if isinstance(result.get("result"), dict):
                result["result"] = _escaped(result["result"])
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        done += 1
    return done


def _localise_logos(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "great-expectations-web-assets" not in text:
            continue
        rel = Path(os.path.relpath(site / "static" / "images", page.parent)).as_posix()

        def local(m: re.Match, rel: str = rel) -> str:
            return f"{rel}/{m.group(1) if m.group(1) in _LOCAL_LOGOS else 'logo-long.png'}"

        page.write_text(_REMOTE_LOGO.sub(local, text), encoding="utf-8")


def _run_pages(site: Path, report: GateReport) -> list[tuple[str, str]]:
    pages = []
    for page in sorted(site.glob(f"validations/*/{report.run_id}/*/*.html")):
        suite = page.relative_to(site).parts[1]
        pages.append((suite, page.relative_to(site).as_posix()))
    return pages


def _section(site: Path, report: GateReport) -> str:
    e = html.escape
    verdict = "passed" if report.passed else "FAILED — a critical rule blocks publishing"
    colour = "#1b7f3b" if report.passed else "#b00020"
    out = [
        _MARK,
        '<section style="font-family:sans-serif;margin:1em 2em;max-width:1100px">',
        f'<h2 style="color:{colour}">Jixiao quality gate {e(verdict)}</h2>',
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
        out.append("<tr><th>severity</th><th>rule</th><th>meaning</th><th>observed</th><th>examples (document, line)</th></tr>")
        for r in failed:
            examples = "<br>".join(e(x.describe()) for x in r.examples[:SHOW_EXAMPLES])
            more = (r.unexpected_count or 0) - min(len(r.examples), SHOW_EXAMPLES)
            if r.examples and more > 0:
                examples += f"<br>… and {more} more"
            out.append(
                f"<tr><td>{e('blocks' if r.blocking else 'held' if r.holding else r.severity)}</td><td style=\"white-space:nowrap\"><code>{e(r.rule_id)}</code></td><td>{e(r.meaning)}</td>"
                f"<td>{e(r.observed or '')}</td><td>{examples}</td></tr>"
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
            state = f"{crit} critical" if crit else (f"{warn} flagged or held" if warn else "ok")
            links.append(f'<li><a href="{e(href)}">{e(suite)}</a> — {state}</li>')
        out.append("<p>This run's validation pages (every rule, with GX's statistics):</p><ul>")
        out += links
        out.append("</ul>")
    out.append("<p>Earlier runs are listed below (needs internet for GX's scripts) and in the "
               "warehouse: <code>select * from quality.runs</code>.</p>")
    out.append("</section>")
    return "\n".join(out)


def finish_site(site: Path, report: GateReport) -> Path:
    """Localise logos and put this run's gate report at the top of ``index.html``."""
    _localise_logos(site)
    index = site / "index.html"
    text = index.read_text(encoding="utf-8")
    body = re.search(r"<body[^>]*>", text)
    if body:
        text = text[: body.end()] + "\n" + _section(site, report) + "\n" + text[body.end():]
        index.write_text(text, encoding="utf-8")
    return index
