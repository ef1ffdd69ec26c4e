"""The subject access export on paper: JSON for programs, accessible HTML for people.

The HTML is one static document (no script, no external resource): `lang="en"`, a
title, one `h1`, sections under `h2`, every table with a caption and column headers
(`th scope="col"`), so a screen reader can navigate it by heading and by table
(WCAG 2.2: 1.3.1 info and relationships, 2.4.6 headings, 3.1.1 language of page).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from podium.subjects.export import SubjectExport

__all__ = ["export_html", "write_export"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;margin:1rem auto;max-width:72rem;"
    "padding:0 1rem}table{border-collapse:collapse;margin:0 0 1.5rem}caption{text-align:left;"
    "font-weight:bold;padding:.25rem 0}th,td{border:1px solid #555;padding:.25rem .5rem;"
    "text-align:left;vertical-align:top}.scroll{overflow-x:auto}"
)


def _text(value: Any) -> str:  # noqa: PLR0911 - one return per kind of value
    if value is None:
        return "—"
    if isinstance(value, dict):
        if value.get("erased"):
            return "erased"
        if "withheld" in value:
            return f"withheld ({value['withheld']})"
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_text(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    label = escape(caption)
    return (
        f'<div class="scroll" role="region" aria-label="{label}" tabindex="0">'
        f"<table><caption>{label}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{''.join(parts)}</section>"


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _information(info: dict[str, Any]) -> list[str]:
    return [
        _section(
            "Why your data is processed",
            _table(
                "Purposes and lawful bases (Art. 15(1)(a), Art. 6)",
                ("purpose", "description", "lawful basis"),
                ((p["name"], p["description"], p["lawful_basis"]) for p in info["purposes"]),
            ),
        ),
        _section(
            "Categories of data and how long they are kept",
            _table(
                "Categories (Art. 15(1)(b), (d))",
                (
                    "category",
                    "where stored",
                    "days kept after the Games",
                    "kept until",
                    "on erasure",
                ),
                (
                    (
                        c["category"],
                        c["residency"],
                        c["retention_days_after_games"] or "archive (no limit)",
                        c["kept_until"],
                        c["on_erasure"],
                    )
                    for c in info["categories"]
                ),
            ),
        ),
        _section(
            "Who may receive your data",
            _table(
                "Recipients: staff roles and the regions they work from (Art. 15(1)(c))",
                (
                    "role",
                    "who",
                    "regions",
                    "categories in clear (regions)",
                    "categories pseudonymised",
                ),
                (
                    (r["role"], r["description"], r["regions"], r["categories"], r["pseudonymised"])
                    for r in info["recipients"]
                ),
            ),
            _p(f"Transfers outside the EU/EEA: {info['transfers_outside_eu']}."),
            _p(f"Automated decisions: {info['automated_decisions']}."),
        ),
        _section("Where your data comes from", _p(f"{info['source']} (Art. 15(1)(g)).")),
        _section(
            "Your rights",
            "<ul>" + "".join(f"<li>{escape(r)}</li>" for r in info["rights"]) + "</ul>",
        ),
    ]


def export_html(export: SubjectExport) -> str:
    """Render an export as one accessible, static HTML document (English).

    Args:
        export: the export.

    Returns:
        The HTML text: the Art. 15(1) information, the data table by table, the accesses
        and the requests.

    Source: GDPR Art. 12(1) (intelligible form, clear and plain language), Art. 15(3).

    """
    codes = ", ".join(export.participant_codes) or "none"
    status = export.status
    parts = [
        "<h1>Your personal data held by Podium</h1>",
        _p(
            f"Subject ID {export.subject_id}; participant codes {codes}; "
            f"generated {export.generated_at}. The file of the same name ending in .json "
            "holds the same data in a machine-readable form (Art. 20)."
        ),
        _section(
            "Your status",
            _table(
                "Restriction (Art. 18) and erasure (Art. 17)",
                ("restricted since", "ground", "erased on", "by request"),
                [
                    (
                        status["restricted_at"],
                        status["restriction_reason"],
                        status["erased_at"],
                        status["erasure_request"],
                    )
                ],
            ),
        ),
        *_information(export.information),
    ]
    data = [
        _table(
            f"{t.plane} plane: {t.table} ({len(t.rows)} rows)",
            [f"{name} ({category})" for name, category in t.columns],
            ([row[name] for name, _ in t.columns] for row in t.rows),
        )
        for t in export.tables
    ]
    parts.append(_section("Your data, table by table", *data))
    access_keys = (
        "at",
        "operator",
        "operator_roles",
        "operator_region",
        "action",
        "fields",
        "purpose",
        "decision",
        "reason",
    )
    parts.append(
        _section(
            "Who accessed your data",
            _table(
                "Audit records about you (Art. 15(1)(c))",
                access_keys,
                ([a[k] for k in access_keys] for a in export.accesses),
            ),
        )
    )
    request_keys = ("id", "kind", "received_at", "due_on", "extended_to", "status", "outcome")
    parts.append(
        _section(
            "Your requests",
            _table(
                "Data-subject requests (Art. 12(3))",
                request_keys,
                ([r[k] for k in request_keys] for r in export.requests),
            ),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Personal data export: {escape(export.subject_id)}</title>"
        f"<style>{_STYLE}</style></head><body><main>{''.join(parts)}</main></body></html>\n"
    )


def write_export(export: SubjectExport, outdir: Path) -> tuple[Path, Path]:
    """Write an export as JSON (portable, Art. 20) and as a readable HTML document.

    Args:
        export: the export.
        outdir: the folder to write to (created if missing).

    Returns:
        The JSON file's path and the HTML file's path (`subject-<id>.json`, `.html`).

    Source: GDPR Art. 15(3) (a copy), Art. 12(1) (concise, intelligible, clear),
    Art. 20(1) (structured, commonly used and machine-readable).

    """
    outdir.mkdir(parents=True, exist_ok=True)
    json_path = outdir / f"subject-{export.subject_id}.json"
    html_path = outdir / f"subject-{export.subject_id}.html"
    json_path.write_text(
        json.dumps(export.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    html_path.write_text(export_html(export), encoding="utf-8")
    return json_path, html_path
