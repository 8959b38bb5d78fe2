"""The report page: one self-contained HTML file.

Styles and scripts are inline: plotly.js (from the installed plotly package, never a CDN) appears once in the
head, and each chart is a ``<div>`` plus a short inline script from :func:`plotly.io.to_html`. The only external
references are relative links to the chart PNGs and CSV files written beside the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly
import plotly.io as pio
from plotly.offline import get_plotlyjs

from geostress.report.blocks import Chart, Section, esc
from geostress.report.figures import CONFIG

CSS = """
:root{--ink:#1d2733;--muted:#5b6b7b;--line:#dde3e9;--accent:#2b6cb0;--bg:#f3f5f8;--card:#fff}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif}
.wrap{max-width:1120px;margin:0 auto;padding:0 24px}
header.top{background:linear-gradient(135deg,#0b2545,#1b4079);color:#fff;padding:34px 0 30px}
header.top .brand{font-size:.8rem;letter-spacing:.14em;text-transform:uppercase;opacity:.75}
header.top h1{margin:.2em 0 .25em;font-size:2rem;font-weight:650}
header.top p{margin:.2em 0;opacity:.9}
header.top .meta{font-size:.85rem;opacity:.75}
nav.toc{margin-top:22px}
nav.toc ol{list-style:none;display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;counter-reset:toc}
nav.toc li{counter-increment:toc}
nav.toc a{display:block;padding:6px 12px;border-radius:16px;background:#fff;border:1px solid var(--line);
color:var(--ink);text-decoration:none;font-size:.88rem}
nav.toc a::before{content:counter(toc) ". ";color:var(--muted)}
nav.toc a:hover{border-color:var(--accent);color:var(--accent)}
section.card{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:22px 0;
padding:26px 30px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
section.card>h2{margin:0 0 .6em;font-size:1.45rem;padding-bottom:.35em;border-bottom:2px solid var(--line)}
section.card>h2 .num{color:var(--accent);margin-right:.4em}
h3{font-size:1.08rem;margin:1.4em 0 .5em}
p{margin:.6em 0}
code{font:.86em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef2f6;padding:1px 4px;
border-radius:4px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;margin:16px 0}
.stat{background:#f6f8fb;border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:8px;
padding:10px 14px}
.stat-label{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.stat-value{font-size:1.5rem;font-weight:650;font-variant-numeric:tabular-nums;margin:2px 0}
.stat-detail{font-size:.82rem;color:var(--muted)}
.table-wrap{overflow-x:auto;margin:14px 0}
table.data{border-collapse:collapse;width:100%;font-size:.87rem}
table.data caption{text-align:left;font-weight:600;padding:0 0 6px;color:var(--ink)}
table.data th{background:#eef2f6;text-align:left;font-weight:600;padding:7px 10px;border-bottom:1px solid #cfd7df}
table.data td{padding:6px 10px;border-bottom:1px solid #edf0f3;vertical-align:top}
table.data tr:nth-child(even) td{background:#fafbfc}
table.data .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.claims tr.v-supported td:nth-child(6){background:#d7f2dc}
table.claims tr.v-contradicted td:nth-child(6){background:#f8d4d4}
table.claims tr.v-revised td:nth-child(6){background:#d6e6fb}
table.claims tr.v-not_checkable td:nth-child(6){background:#ececec}
figure.chart{margin:22px 0;padding:14px 16px 8px;border:1px solid var(--line);border-radius:8px;background:#fff}
figure.chart h3{margin:0 0 4px}
figure.chart .plot{min-height:420px}
figure.chart figcaption{font-size:.86rem;color:var(--muted);margin-top:6px}
.links{font-size:.82rem;margin:4px 0 2px}
.links a,.files a{color:var(--accent)}
p.note{background:#f0f5fb;border-left:4px solid var(--accent);padding:8px 12px;border-radius:4px}
p.warn{background:#fff6e0;border-left:4px solid #d69e2e;padding:8px 12px;border-radius:4px}
p.source,p.files{font-size:.82rem;color:var(--muted)}
p.verdict-ok,p.verdict-fail{font-weight:600;padding:10px 14px;border-radius:6px}
p.verdict-ok{background:#e3f6e8;border-left:4px solid #2f855a}
p.verdict-fail{background:#fde8e8;border-left:4px solid #c53030}
details{margin:12px 0}
summary{cursor:pointer;color:var(--accent);font-weight:550}
ul{margin:.4em 0 .8em;padding-left:1.3em}
footer{color:var(--muted);font-size:.82rem;padding:10px 0 40px}
@media (max-width:640px){section.card{padding:18px 16px}header.top h1{font-size:1.5rem}}
@media print{nav.toc{display:none}section.card{break-inside:avoid-page;box-shadow:none}}
"""


@dataclass(frozen=True)
class PageInfo:
    """Header and footer text of the page (plain text; escaped when rendered)."""

    title: str
    subtitle: str
    meta: str
    footer: str


def chart_html(chart: Chart) -> str:
    """One chart: heading, interactive figure, caption and links to its PNG and CSV."""
    plot = pio.to_html(chart.figure, full_html=False, include_plotlyjs=False, include_mathjax=False,
                       config=CONFIG, div_id=f"plot-{chart.slug}", default_width="100%", default_height="420px")
    return (f'<figure class="chart" id="chart-{esc(chart.slug)}"><h3>{esc(chart.title)}</h3>'
            f'<div class="plot">{plot}</div><figcaption>{esc(chart.caption)}</figcaption>'
            f'<p class="links">Static figure <a href="figures/{esc(chart.slug)}.png">PNG</a> · data '
            f'<a href="data/{esc(chart.slug)}.csv">CSV</a></p></figure>')  # fmt: skip


def section_html(number: int, section: Section) -> str:
    """A numbered section card."""
    body = "".join(chart_html(b) if isinstance(b, Chart) else b for b in section.blocks)
    if section.tables:
        links = ", ".join(f'<a href="data/{esc(name)}.csv">{esc(name)}.csv</a>' for name, _ in section.tables)
        body += f'<p class="files">Tables as CSV: {links}</p>'
    return (f'<section class="card" id="{esc(section.id)}"><h2><span class="num">{number}.</span>'
            f"{esc(section.title)}</h2>{body}</section>")


def render_page(sections: Sequence[Section], info: PageInfo) -> str:
    """The whole page as one string."""
    toc = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in sections)
    body = "".join(section_html(i, s) for i, s in enumerate(sections, start=1))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="geostress report"><title>{esc(info.title)}</title>'
        f"<style>{CSS}</style>"
        f'<script type="text/javascript">/* plotly.js, bundled with plotly {esc(plotly.__version__)} */\n'
        f"{get_plotlyjs()}</script></head><body>"
        f'<header class="top"><div class="wrap"><div class="brand">geostress · stress report</div>'
        f"<h1>{esc(info.title)}</h1><p>{esc(info.subtitle)}</p><p class=\"meta\">{esc(info.meta)}</p></div></header>"
        f'<div class="wrap"><nav class="toc" aria-label="Contents"><ol>{toc}</ol></nav><main>{body}</main>'
        f"<footer>{esc(info.footer)}</footer></div></body></html>\n"
    )
