"""The officer console: server-rendered Thai pages (templates in bot/web/templates/console/,
one small script and one stylesheet of our own in bot/web/static/console/, nothing from a
CDN) over the same domain functions as the chat. Every page is for signed-in officers and
checks their area on the server; see docs/CONSOLE.md.

    /console/                       -> the officer's area
    /console/area?area=CODE         completeness: every field, by sub-area, trend, chart
    /console/records?area=&field=   the records behind a number, with their gaps
    /console/producer/<id>          a record, with the chat's edits (POST .../edit)
    /console/product/<id>           -> its producer's page (POST .../edit)
    /console/requests               the request queue with the committee actions (POST <id>/act)
    /console/reports                reports and downloads
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect

from bot.web import auth
from bot.web.console import edits, overview, records, reports, requests

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="../templates",
               static_folder="../static/console", static_url_path="/static")


@bp.get("/")
@auth.login_required()
def home():  # type: ignore[no-untyped-def]
    return redirect("/console/area", 302)


bp.add_url_rule("/area", "area", overview.view)
bp.add_url_rule("/records", "records", records.listing)
bp.add_url_rule("/producer/<int:producer_id>", "producer", records.producer)
bp.add_url_rule("/product/<int:product_id>", "product", records.product)
bp.add_url_rule("/producer/<int:producer_id>/edit", "edit_producer", edits.edit_producer, methods=["POST"])
bp.add_url_rule("/product/<int:product_id>/edit", "edit_product", edits.edit_product, methods=["POST"])
bp.add_url_rule("/requests", "requests", requests.queue)
bp.add_url_rule("/requests/<int:request_id>/act", "act", requests.act, methods=["POST"])
bp.add_url_rule("/reports", "reports", reports.view)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
