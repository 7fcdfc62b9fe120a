"""The attribution check: editors confirm or correct who said each doubtful quote.

One item at a time (``/check?at=N``, the N-th most doubtful), a whole-list view,
and one quote by id. Every decision is a plain form POST (keys are a script on
top, ``static/check.js``); after it the same position shows the next quote.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..db import db
from ..forms import CheckDecisionForm, CheckFilterForm, VersionForm
from ..models import Quote, Role
from ..services import attribution, review
from ..services.attribution import CheckAction, InvalidReview, NotAllowed, StaleVersion
from ..services.pagination import MAX_PAGE
from .auth import role_required
from .helpers import page_arg, per_page

bp = Blueprint("check", __name__, url_prefix="/check")

_DONE = {
    CheckAction.CONFIRM: "Confirmed: {speaker} said it.",
    CheckAction.PICK: "Corrected: now credited to {speaker}.",
    CheckAction.NEW_SPEAKER: "Corrected: now credited to {speaker}.",
    CheckAction.UNATTRIBUTED: "Marked unattributed.",
    CheckAction.NOT_A_QUOTE: "Marked as not a quote.",
}


@bp.get("")
@role_required(Role.EDITOR)
def item():
    below, filters = _threshold()
    position = _int_arg("at", 1)
    found, total = attribution.check_item_at(db.session, position, below=below)
    if found is None:
        return render_template("check/item.html", item=None, total=0, below=below, filters=filters)
    return _render(found.quote, position=found.position, total=total, below=below, filters=filters)


@bp.get("/list")
@role_required(Role.EDITOR)
def listing():
    below, filters = _threshold()
    page = attribution.check_list(db.session, below=below, page=page_arg(), per_page=per_page())
    return render_template("check/list.html", page=page, below=below, filters=filters)


@bp.get("/quotes/<int:quote_id>")
@role_required(Role.EDITOR)
def quote(quote_id: int):
    below, filters = _threshold()
    return _render(_quote_or_404(quote_id), below=below, filters=filters)


@bp.post("/quotes/<int:quote_id>")
@role_required(Role.EDITOR)
def decide(quote_id: int):
    quote = _quote_or_404(quote_id)
    form = CheckDecisionForm()
    back = _safe_back(form.next.data, quote_id)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, description="The form expired or came from elsewhere (CSRF). Reload the page.")
        return _render_again(quote, back, form), 422
    action = CheckAction(form.action.data)
    try:
        attribution.decide(db.session, quote, current_user, action, version=form.version.data,
                           speaker_id=form.speaker_id.data, name=form.name.data or "",
                           note=form.note.data or "")
    except StaleVersion as error:
        db.session.rollback()
        quote = _quote_or_404(quote_id)
        conflict = review.changes_since(db.session, quote.id, error.expected)
        return _render_again(quote, back, None, conflict=conflict), 409
    except NotAllowed as error:
        db.session.rollback()
        abort(403, description=str(error))
    except InvalidReview as error:
        db.session.rollback()
        for name, message in error.errors.items():
            field = getattr(form, name, None)
            (field.errors if name == "name" and field is not None else form.form_errors).append(message)
        return _render_again(_quote_or_404(quote_id), back, form), 422
    db.session.commit()
    speaker = quote.speaker.name if quote.speaker else ""
    flash(_DONE[action].format(speaker=speaker) + f" (quote #{quote.id})", "success")
    return redirect(back)


@bp.post("/quotes/<int:quote_id>/flag")
@role_required(Role.REVIEWER)
def flag(quote_id: int):
    """A reviewer asks an editor to check who said it."""
    quote = _quote_or_404(quote_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400, description="Reload the page and try again.")
    try:
        events = attribution.flag_for_check(db.session, quote, current_user, version=form.version.data,
                                            note=request.form.get("note", "")[:2000])
    except StaleVersion:
        db.session.rollback()
        flash("Someone changed this quote since you loaded it; look again, then ask again.", "error")
        return redirect(url_for("review.quote", quote_id=quote_id))
    db.session.commit()
    flash("An editor will check who said it." if events else "The check was already asked for.",
          "success" if events else "info")
    return redirect(url_for("review.quote", quote_id=quote_id))


# --- helpers ------------------------------------------------------------------------------


def _render(quote: Quote, *, position: int | None = None, total: int | None = None,
            below: float, filters: CheckFilterForm, form: CheckDecisionForm | None = None,
            conflict=None, back: str | None = None):
    detail = attribution.check_detail(db.session, quote, below=below)
    back = back or request.full_path.rstrip("?")
    name_form = form if form is not None and form.action.data == "new_speaker" else None
    return render_template(
        "check/item.html",
        item=detail,
        quote=quote,
        position=position,
        total=total,
        below=below,
        filters=filters,
        back=back,
        name_form=name_form or CheckDecisionForm(formdata=None, data={
            "version": quote.version, "action": "new_speaker", "next": back}),
        form_errors=_general_errors(form),
        conflict=conflict,
        state_labels=attribution.STATE_LABELS,
        nav_args=_nav_args(below),
    )


def _render_again(quote: Quote, back: str, form, *, conflict=None):
    """The item again after a refused decision, on the page the editor came from."""
    below, filters = _threshold()
    position = total = None
    if back.startswith(url_for("check.item")) and "at=" in back:
        position = _int_from(back.partition("at=")[2].partition("&")[0], 1)
        total = attribution.check_list(db.session, below=below, per_page=1).total
    return _render(quote, position=position, total=total, below=below, filters=filters,
                   form=form, conflict=conflict, back=back)


def _general_errors(form: CheckDecisionForm | None) -> list[str]:
    """Errors not shown beside a field of their own (only the name has one on the page)."""
    if form is None:
        return []
    fields = [error for name, errors in form.errors.items() if name not in ("name", None)
              for error in errors]
    return [*form.form_errors, *fields]


def _threshold() -> tuple[float, CheckFilterForm]:
    """The confidence threshold asked for (or the configured one), and its form."""
    filters = CheckFilterForm(formdata=request.args)
    default = float(current_app.config.get("ATTRIBUTION_CHECK_BELOW", attribution.DEFAULT_CHECK_BELOW))
    if "below" in request.args and filters.validate() and filters.below.data is not None:
        return float(filters.below.data), filters
    if "below" not in request.args:
        filters.below.data = Decimal(str(default))
    return default, filters


def _nav_args(below: float) -> dict:
    default = float(current_app.config.get("ATTRIBUTION_CHECK_BELOW", attribution.DEFAULT_CHECK_BELOW))
    return {} if below == default else {"below": f"{below:.2f}"}


def _quote_or_404(quote_id: int) -> Quote:
    quote = db.session.scalars(
        db.select(Quote).where(Quote.id == quote_id).options(
            selectinload(Quote.speaker), selectinload(Quote.article), selectinload(Quote.segments))
    ).first()
    if quote is None:
        abort(404)
    return quote


def _safe_back(target: str | None, quote_id: int) -> str:
    """Back to a check page only, so a crafted form cannot send the editor elsewhere."""
    if target and target.startswith("/check") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("check.quote", quote_id=quote_id)


def _int_arg(name: str, default: int) -> int:
    return _int_from(request.args.get(name), default)


def _int_from(value: str | None, default: int) -> int:
    try:
        return min(max(1, int(value or default)), MAX_PAGE)  # past MAX_PAGE was a 500
    except ValueError:
        return default
