"""The admins' page: one table of every booth, drawn on the server (no script, no build),
refreshed every 30 seconds."""
from __future__ import annotations

import datetime as dt
from html import escape

from aiohttp import web

from server.fleet.alerts import TEXTS
from server.fleet.db import BoothRow

MARKS = {"silent": "Silent", "out_of_paper": "Out of paper", "toner_low": "Toner low"}
STYLE = """
body { font: 16px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid #ccc; }
tr.alert { background: #fff1e6; }
.mark { display: inline-block; background: #b3261e; color: #fff; border-radius: .3rem; padding: 0 .4rem; margin: 0 .2rem .2rem 0; }
.ok { color: #1e6b32; } .degraded { color: #8a5a00; } .down { color: #b3261e; font-weight: 600; }
small { color: #555; }
"""


def _ago(now: float, then: float | None) -> str:
    if then is None:
        return "never"
    seconds = max(0, int(now - then))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min ago"
    return dt.datetime.fromtimestamp(then, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _row(row: BoothRow, marks: set[str], now: float) -> str:
    devices = "<br>".join(
        f'<span class="{escape(h.get("state", ""))}">{escape(h.get("subsystem", ""))}: {escape(h.get("message", ""))}</span>'
        for h in row.health) or "<small>no report yet</small>"
    badges = "".join(f'<span class="mark" title="{escape(TEXTS[m].format(booth=row.booth_id, minutes=5))}">{MARKS[m]}</span>' for m in sorted(marks))
    config = f"#{row.config_serial}" if row.config_serial else "local only"
    if row.config_problem:
        config += f'<br><span class="down">{escape(row.config_problem)}</span>'
    today = f"{row.sessions} sessions, {row.calls} calls" if row.usage_day else "–"
    return (f'<tr class="{"alert" if marks else ""}" data-booth="{escape(row.booth_id)}">'
            f"<td><b>{escape(row.booth_id)}</b></td><td>{_ago(now, row.last_seen)}</td><td>{badges}</td>"
            f"<td>{escape(row.version) or '–'}</td><td>{devices}</td><td>{today}</td><td>{config}</td></tr>")


async def admin_page(request: web.Request) -> web.Response:
    from server.fleet.service import FLEET_KEY

    fleet = request.app[FLEET_KEY]
    if not fleet.is_admin(request):
        return web.Response(status=401, text="The admin password is needed.",
                            headers={"WWW-Authenticate": 'Basic realm="Virtu fleet", charset="UTF-8"'})
    now = fleet.settings.clock()
    rows = await fleet.marked_booths()
    body = "".join(_row(row, marks, now) for row, marks in rows)
    flagged = sum(1 for _, marks in rows if marks)
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
<title>Virtu booths</title><style>{STYLE}</style></head><body>
<h1>Virtu booths</h1>
<p>{len(rows)} booths, {flagged} need attention. <small>Updated {dt.datetime.fromtimestamp(now, dt.timezone.utc):%H:%M:%S} UTC; refreshes every 30 s.</small></p>
<table><thead><tr><th>Booth</th><th>Last seen</th><th>Attention</th><th>Version</th><th>Devices</th><th>Today</th><th>Configuration</th></tr></thead>
<tbody>{body}</tbody></table></body></html>"""
    return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})
