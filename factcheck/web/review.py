"""The review desk: the queue, and the desk page where a quote gets its verdict.

Views parse a form, call one service, commit once and redirect. A refused change
re-renders the page with the message beside the field and everything typed kept;
a stale save (someone else saved first) shows their change and overwrites nothing.
"""

from __future__ import annotations

from typing import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import db
from ..forms import (
    AssignForm,
    EvidenceForm,
    QueueActionForm,
    QueueFilterForm,
    ReviewForm,
    SpeakerFixForm,
    VersionForm,
)
from ..models import Evidence, Quote, ReviewStatus, Role, User, Verdict
from ..services import browse, review
from ..services.review import (
    DeskRules,
    EvidenceInput,
    InvalidReview,
    NotAllowed,
    QueueFilters,
    ReviewChange,
    ReviewField,
    StaleVersion,
)
from .auth import role_required
from .helpers import page_arg, per_page

bp = Blueprint("review", __name__, url_prefix="/review")

# Service field names that a form calls differently.
_SPEAKER_FIELDS = {"speaker": "speaker_name", "note": "speaker_note"}
_MAX_SKIPPED_SHOWN = 10
_STATUS_VALUES = {status.value for status in ReviewStatus}


@bp.get("")
@role_required(Role.REVIEWER)
def queue():
    form = QueueFilterForm(formdata=request.args, reviewer_choices=_member_choices())
    form.validate()  # a bad value is shown beside its field; the others still filter
    page = review.review_queue(db.session, _filters(form), page=page_arg(), per_page=per_page())
    actions = QueueActionForm(formdata=None, assignee_choices=_member_choices())
    return render_template("review/queue.html", page=page, form=form, actions=actions,
                           rules=_rules(), back=request.full_path.rstrip("?"))


@bp.post("/bulk")
@role_required(Role.REVIEWER)
def bulk():
    form = QueueActionForm(assignee_choices=_member_choices())
    back = _queue_url(request.form.get("back"))
    if not form.validate():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(back)
    taken = form.taken()
    try:
        if taken:
            outcome = review.bulk_assign(db.session, current_user, [taken], current_user)
        elif form.action.data == "assign":
            assignee = _member(form.bulk_assignee.data)
            if form.bulk_assignee.data and assignee is None:
                abort(400, description="No such desk member.")
            outcome = review.bulk_assign(db.session, current_user, form.selected(), assignee)
        elif form.action.data == "status" and form.bulk_status.data in _STATUS_VALUES:
            outcome = review.bulk_set_status(db.session, current_user, form.selected(),
                                             ReviewStatus(form.bulk_status.data), rules=_rules())
        else:
            abort(400, description="Choose an action and its value.")
    except StaleVersion:
        db.session.rollback()
        flash("Someone saved one of these quotes at the same moment; nothing was changed. "
              "Try again.", "error")
        return redirect(back)
    db.session.commit()
    _flash_outcome(outcome, nothing_selected=not taken and not form.selected())
    return redirect(back)


@bp.get("/quotes/<int:quote_id>")
@role_required(Role.REVIEWER)
def quote(quote_id: int):
    return _render_desk(_desk_quote_or_404(quote_id))


@bp.post("/quotes/<int:quote_id>")
@role_required(Role.REVIEWER)
def save(quote_id: int):
    quote = _desk_quote_or_404(quote_id)
    form = ReviewForm(rating_choices=_rating_choices())
    if not form.validate_on_submit():
        return _render_desk(quote, review_form=form), 400
    change = ReviewChange(
        verdict=Verdict(form.verdict.data),
        rating=form.rating.data or None,
        status=ReviewStatus(form.status.data),
        public_note=form.public_note.data or "",
        internal_note=form.internal_note.data or "",
        misattributed_to=form.misattributed_to.data or "",
        note=form.note.data or "",
    )
    return _attempt(quote, "review_form", form, "Saved.", lambda: review.apply_review(
        db.session, quote, current_user, change, version=form.version.data, rules=_rules()))


@bp.post("/quotes/<int:quote_id>/reuse/<int:source_id>")
@role_required(Role.REVIEWER)
def reuse(quote_id: int, source_id: int):
    quote = _desk_quote_or_404(quote_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400, description="Reload the page and try again.")
    return _attempt(
        quote, "reuse_form", form,
        f"Verdict of quote #{source_id} copied. It is not published: check it, then send it "
        "for sign-off.",
        lambda: review.reuse_verdict(db.session, quote, current_user, source_id,
                                     version=form.version.data, rules=_rules()))


@bp.post("/quotes/<int:quote_id>/evidence")
@role_required(Role.REVIEWER)
def add_evidence(quote_id: int):
    quote = _desk_quote_or_404(quote_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        return _render_desk(quote, evidence_form=form), 400
    item = EvidenceInput(url=form.url.data, title=form.title.data or "",
                         archive_url=form.archive_url.data or None,
                         accessed_on=form.accessed_on.data, shows=form.shows.data or "")
    return _attempt(quote, "evidence_form", form, "Evidence added.", lambda: review.add_evidence(
        db.session, quote, current_user, item))


@bp.post("/quotes/<int:quote_id>/evidence/<int:evidence_id>/remove")
@role_required(Role.REVIEWER)
def remove_evidence(quote_id: int, evidence_id: int):
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.quote_id != quote_id:
        abort(404)
    try:
        review.remove_evidence(db.session, evidence, current_user)
    except NotAllowed as error:
        db.session.rollback()
        abort(403, description=str(error))
    db.session.commit()
    flash("Evidence removed (the history keeps what it was).", "success")
    return redirect(url_for("review.quote", quote_id=quote_id, _anchor="evidence"))


@bp.post("/quotes/<int:quote_id>/assign")
@role_required(Role.REVIEWER)
def assign(quote_id: int):
    quote = _desk_quote_or_404(quote_id)
    form = AssignForm(assignee_choices=_member_choices())
    if not form.validate_on_submit():
        return _render_desk(quote, assign_form=form), 400
    assignee = _member(form.assignee.data)
    done = f"Assigned to {assignee.username}." if assignee else "Unassigned."
    return _attempt(quote, "assign_form", form, done, lambda: review.assign(
        db.session, quote, current_user, assignee, version=form.version.data))


@bp.post("/quotes/<int:quote_id>/speaker")
@role_required(Role.EDITOR)
def fix_speaker(quote_id: int):
    quote = _desk_quote_or_404(quote_id)
    form = SpeakerFixForm()
    if not form.validate_on_submit():
        return _render_desk(quote, speaker_form=form), 400
    return _attempt(quote, "speaker_form", form, "Speaker corrected.", lambda: review.fix_speaker(
        db.session, quote, current_user, form.speaker_name.data, version=form.version.data,
        note=form.speaker_note.data or ""))


# --- helpers ------------------------------------------------------------------------------


def _attempt(quote: Quote, form_name: str, form, done: str, action: Callable[[], object]):
    """Run one service call: commit and redirect, or show why not with the input kept."""
    try:
        result = action()
    except StaleVersion as error:
        db.session.rollback()
        quote = _desk_quote_or_404(quote.id)
        if hasattr(form, "version"):
            # Saving again now applies the user's values on top of what they have seen.
            form.version.data = quote.version
            form.version.raw_data = [str(quote.version)]
        conflict = review.changes_since(db.session, quote.id, error.expected)
        return _render_desk(quote, conflict=conflict, **{form_name: form}), 409
    except NotAllowed as error:
        db.session.rollback()
        _show_errors(form, {error.field or "": str(error)})
        return _render_desk(_desk_quote_or_404(quote.id), **{form_name: form}), 403
    except InvalidReview as error:
        db.session.rollback()
        _show_errors(form, error.errors)
        return _render_desk(_desk_quote_or_404(quote.id), **{form_name: form}), 422
    db.session.commit()
    flash(done if result else "Nothing changed.", "success" if result else "info")
    return redirect(url_for("review.quote", quote_id=quote.id))


def _show_errors(form, errors: dict[str, str]) -> None:
    names = _SPEAKER_FIELDS if isinstance(form, SpeakerFixForm) else {}
    for name, message in errors.items():
        field = getattr(form, names.get(name, name), None) if name else None
        if field is not None and hasattr(field, "errors") and name != "version":
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def _render_desk(quote: Quote, *, review_form=None, evidence_form=None, assign_form=None,
                 speaker_form=None, reuse_form=None, conflict=None):
    rules = _rules()
    earlier, later = browse.matches_of(db.session, quote.id)
    reusable = {match.earlier_id for match in review.reusable_verdicts(db.session, quote)}
    return render_template(
        "review/quote.html",
        quote=quote,
        rules=rules,
        review_form=review_form or ReviewForm(formdata=None, rating_choices=_rating_choices(),
                                              data=_review_data(quote)),
        evidence_form=evidence_form or EvidenceForm(formdata=None),
        assign_form=assign_form or AssignForm(
            formdata=None, assignee_choices=_member_choices(),
            data={"version": quote.version,
                  "assignee": str(quote.assignee_id) if quote.assignee_id else ""}),
        speaker_form=speaker_form or SpeakerFixForm(formdata=None, data={"version": quote.version}),
        reuse_form=reuse_form or VersionForm(formdata=None, data={"version": quote.version}),
        earlier=earlier,
        later=later,
        reusable=reusable,
        conflict=conflict,
        context=_context(quote),
        describe=_describe(rules),
        can_edit=current_user.can(Role.EDITOR),
    )


def _review_data(quote: Quote) -> dict:
    return {
        "version": quote.version,
        "verdict": quote.verdict.value,
        "rating": quote.rating or "",
        "status": quote.status.value,
        "public_note": quote.public_note,
        "internal_note": quote.internal_note,
        "misattributed_to": quote.misattributed_to.name if quote.misattributed_to else "",
    }


def _describe(rules: DeskRules) -> Callable[[str, str | None], str]:
    """How a history value reads: labels for verdicts, statuses and ratings."""

    def describe(field: str, value: str | None) -> str:
        if value is None or value == "":
            return "—"
        try:
            if field == ReviewField.VERDICT.value:
                return Verdict(value).label
            if field == ReviewField.STATUS.value:
                return ReviewStatus(value).label
        except ValueError:
            return value
        if field == ReviewField.RATING.value:
            return rules.rating_label(value)
        return value

    return describe


def _context(quote: Quote, *, around: int = 280) -> tuple[str, str, str]:
    """The article text just before, in and after the quote (for reading it in place)."""
    text = quote.article.text
    start, end = max(0, min(quote.start, len(text))), max(0, min(quote.end, len(text)))
    before = text[max(0, start - around):start]
    after = text[end:end + around]
    return ("…" + before if start > around else before, text[start:end],
            after + "…" if end + around < len(text) else after)


def _filters(form: QueueFilterForm) -> QueueFilters:
    def valid(field) -> str:
        return "" if field.errors else (field.data or "")

    status = valid(form.status) or "open"
    statuses = review.OPEN_STATUSES if status == "open" else () if status == "any" \
        else (ReviewStatus(status),)
    reviewer = valid(form.reviewer)
    return QueueFilters(
        statuses=statuses,
        verdict=Verdict(valid(form.verdict)) if valid(form.verdict) else None,
        speaker=valid(form.speaker),
        outlet=valid(form.outlet),
        assignee_id=current_user.id if reviewer == "me" else int(reviewer) if reviewer.isdigit() else None,
        unassigned=reviewer == "none",
        said_from=None if form.date_from.errors else form.date_from.data,
        said_to=None if form.date_to.errors else form.date_to.data,
    )


def _flash_outcome(outcome: review.BulkOutcome, *, nothing_selected: bool) -> None:
    if nothing_selected:
        flash("Tick the quotes to act on first.", "warning")
        return
    if outcome.changed:
        count = len(outcome.changed)
        flash(f"Changed {count} quote{'s' if count != 1 else ''}.", "success")
    elif not outcome.skipped:
        flash("Nothing changed: the selected quotes were already like that.", "info")
    for quote_id, reason in outcome.skipped[:_MAX_SKIPPED_SHOWN]:
        flash(f"Quote #{quote_id} left as it was: {reason}", "warning")
    if len(outcome.skipped) > _MAX_SKIPPED_SHOWN:
        flash(f"…and {len(outcome.skipped) - _MAX_SKIPPED_SHOWN} more left as they were.", "warning")


def _queue_url(value: str | None) -> str:
    """Back to the queue with its filters; only paths under /review are accepted."""
    if value and value.startswith("/review") and "//" not in value and "\\" not in value:
        return value
    return url_for("review.queue")


def _desk_quote_or_404(quote_id: int) -> Quote:
    quote = review.desk_quote(db.session, quote_id)
    if quote is None:
        abort(404)
    return quote


def _member(value: str | None) -> User | None:
    return db.session.get(User, int(value)) if value and value.isdigit() else None


def _member_choices() -> list[tuple[str, str]]:
    return [(str(user.id), f"{user.display_name or user.username} ({user.role.value})")
            for user in review.desk_members(db.session)]


def _rating_choices() -> list[tuple[str, str]]:
    return [(option.key, option.label) for option in _rules().rating_scale]


def _rules() -> DeskRules:
    return DeskRules.from_config(current_app.config)
