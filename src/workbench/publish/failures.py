"""Failed runs on the site: a page at the report's address, and a list on the landing page.

A run whose latest batch attempt failed is never published, and an earlier
edition of it is withdrawn: the page at its address says it failed, when, and
the batch's one-line error summary, and its PDF is removed. The landing page
lists every failed run of its language.

Examples
--------
>>> from workbench.publish.sources import FailedRun
>>> run = FailedRun("poverty_profile", 2024, "IQG02", "en", error="KeyError: 'IQG02'")
>>> "KeyError: &#x27;IQG02&#x27;" in failed_list([run], "en", link=True)
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from workbench.i18n import Lang, ltr, tr
from workbench.publish.site import report_url
from workbench.publish.sources import FailedRun

__all__ = ["failed_body", "failed_list"]


def _when(run: FailedRun, lang: Lang) -> str:
    parts = [p for p in (run.finished, run.batch and f"batch {run.batch}") if p]
    return f"{tr('site.failed_when', lang)}: {ltr(' · '.join(parts), lang)}" if parts else ""


def failed_body(run: FailedRun, lang: Lang) -> str:
    """The body of the page shown at a failed report's address."""
    when = _when(run, lang)
    return (f'<div class="wb-failed" role="alert"><p>{html.escape(tr("site.failed_page", lang))}</p>'
            f"<p><strong>{html.escape(tr('site.failed_error', lang))}:</strong> "
            f"<code dir=\"ltr\">{html.escape(run.error)}</code></p>"
            + (f"<p>{html.escape(when)}</p>" if when else "") + "</div>")


def failed_list(runs: Sequence[FailedRun], lang: Lang, *, link: bool) -> str:
    """The landing page's section listing the failed runs of ``lang`` (empty when none).

    ``link`` points each entry at its failed page (only when HTML pages are published).
    """
    mine = [r for r in runs if r.lang == lang]
    if not mine:
        return ""
    items = []
    for run in mine:
        title = html.escape(run.title(lang))
        name = f'<a href="{report_url(run)}">{title}</a>' if link else title
        when = _when(run, lang)
        items.append(f"<li>{name}: <code dir=\"ltr\">{html.escape(run.error)}</code>"
                     + (f' <span class="wb-note">{html.escape(when)}</span>' if when else "") + "</li>")
    return (f'<section class="wb-failed" id="failed-runs"><h2>{html.escape(tr("site.failed_runs", lang))}</h2>'
            f"<p>{html.escape(tr('site.failed_intro', lang))}</p><ul>{''.join(items)}</ul></section>")
