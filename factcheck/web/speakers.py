"""Speakers: the list, the speaker page for readers, and the editors' tools
(rename, aliases, merge and undo, moving a quote, suggested merges)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import db
from ..forms import AliasForm, MergeSpeakerForm, MoveQuoteForm, RenameSpeakerForm, SpeakerActionForm
from ..models import Quote, Role, Speaker, SpeakerAction
from ..services import attribution, browse
from ..services import speakers as registry
from ..services.speakers import SpeakerError
from .auth import role_required
from .helpers import get_or_404, page_arg, per_page

bp = Blueprint("speakers", __name__, url_prefix="/speakers")


@bp.get("")
def index():
    page = browse.speakers_by_quote_count(db.session, page=page_arg(), per_page=per_page())
    return render_template("speakers/index.html", page=page)


@bp.get("/<int:speaker_id>")
def show(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    if speaker.merged_into_id:
        return redirect(url_for("speakers.show", speaker_id=speaker.merged_into_id), 301)
    internal = current_user.is_authenticated
    profile = registry.speaker_profile(db.session, speaker, internal=internal)
    quotes = registry.quotes_of(db.session, speaker.id, page=page_arg(), per_page=per_page())
    checked = attribution.editor_confirmed(attribution.attribution_counts(db.session, speaker.id))
    is_editor = internal and current_user.can(Role.EDITOR)
    suggestions = registry.suggestions_for(db.session, speaker.id) if is_editor else []
    return render_template("speakers/show.html", speaker=speaker, profile=profile, quotes=quotes,
                           editor_confirmed=checked, suggestions=suggestions, is_editor=is_editor)


# -- editors ------------------------------------------------------------------------------

@bp.get("/<int:speaker_id>/edit")
@role_required(Role.EDITOR)
def edit(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    if speaker.merged_into_id:
        return redirect(url_for("speakers.edit", speaker_id=speaker.merged_into_id))
    return _edit_page(speaker)


@bp.post("/<int:speaker_id>/rename")
@role_required(Role.EDITOR)
def rename(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    form = RenameSpeakerForm()
    return _apply(speaker, form, form.name,
                  lambda: registry.rename_speaker(db.session, speaker, form.name.data, user=current_user),
                  "Renamed.", rename_form=form)


@bp.post("/<int:speaker_id>/aliases")
@role_required(Role.EDITOR)
def add_alias(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    form = AliasForm()
    return _apply(speaker, form, form.alias,
                  lambda: registry.add_alias(db.session, speaker, form.alias.data, user=current_user),
                  "Alias added.", alias_form=form)


@bp.post("/<int:speaker_id>/aliases/<int:alias_id>/delete")
@role_required(Role.EDITOR)
def remove_alias(speaker_id: int, alias_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    return _one_click(lambda: registry.remove_alias(db.session, speaker, alias_id, user=current_user),
                      "Alias removed.", url_for("speakers.edit", speaker_id=speaker.id))


@bp.post("/<int:speaker_id>/merge")
@role_required(Role.EDITOR)
def merge(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    form = MergeSpeakerForm()

    def merge_it():
        target = registry.resolve_speaker(db.session, form.into.data)
        return registry.merge_speakers(db.session, speaker, target, user=current_user)

    return _apply(speaker, form, form.into, merge_it, "Merged; the history on this page can undo it.",
                  merge_form=form, follow=lambda event: event.speaker_id)


@bp.post("/<int:speaker_id>/quotes/<int:quote_id>/move")
@role_required(Role.EDITOR)
def move_quote(speaker_id: int, quote_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    quote = get_or_404(Quote, quote_id)
    if quote.speaker_id != speaker.id:
        abort(404)
    form = MoveQuoteForm(prefix=f"move{quote.id}")

    def move_it():
        target = registry.resolve_speaker(db.session, form.to.data)
        return registry.move_quote(db.session, quote, target, user=current_user)

    return _apply(speaker, form, form.to, move_it, "Quote moved.", moving=(quote.id, form))


@bp.post("/<int:speaker_id>/history/<int:event_id>/undo")
@role_required(Role.EDITOR)
def undo(speaker_id: int, event_id: int):
    get_or_404(Speaker, speaker_id)
    return _one_click(lambda: registry.undo_merge(db.session, event_id, user=current_user),
                      "Merge undone.", url_for("speakers.edit", speaker_id=speaker_id))


@bp.get("/suggestions")
@role_required(Role.EDITOR)
def suggestions():
    page = registry.open_suggestions(db.session, page=page_arg(), per_page=per_page())
    return render_template("speakers/suggestions.html", page=page, action_form=SpeakerActionForm())


@bp.post("/suggestions/<int:suggestion_id>/accept")
@role_required(Role.EDITOR)
def accept(suggestion_id: int):
    return _one_click(lambda: registry.accept_suggestion(db.session, suggestion_id, user=current_user),
                      "Merged. Undo it from the speaker's history if that was wrong.",
                      url_for("speakers.suggestions"))


@bp.post("/suggestions/<int:suggestion_id>/reject")
@role_required(Role.EDITOR)
def reject(suggestion_id: int):
    return _one_click(lambda: registry.reject_suggestion(db.session, suggestion_id, user=current_user),
                      "Kept apart; the suggestion is closed.", url_for("speakers.suggestions"))


def _apply(speaker, form, field, change, done: str, *, follow=None, **forms):
    """Validate, run one service change, commit once, redirect; or show the error by the field."""
    if not form.validate_on_submit():
        return _edit_page(speaker, **forms), 400
    try:
        event = change()
    except SpeakerError as error:
        db.session.rollback()
        field.errors = [*field.errors, str(error)]
        return _edit_page(speaker, **forms), 422
    db.session.commit()
    flash(done, "success")
    target = follow(event) if follow else speaker.id
    return redirect(url_for("speakers.edit", speaker_id=target))


def _one_click(change, done: str, back: str):
    if not SpeakerActionForm().validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    try:
        change()
    except SpeakerError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(done, "success")
    return redirect(back)


def _edit_page(speaker: Speaker, *, rename_form=None, alias_form=None, merge_form=None,
               moving: tuple[int, MoveQuoteForm] | None = None):
    quotes = registry.quotes_of(db.session, speaker.id, page=page_arg(), per_page=per_page())
    move_forms = {q.id: MoveQuoteForm(prefix=f"move{q.id}", formdata=None) for q in quotes.items}
    if moving is not None:
        move_forms[moving[0]] = moving[1]
    history = registry.speaker_history(db.session, speaker.id)
    undone = {event.detail.get("merge_event_id") for event in history
              if event.action == SpeakerAction.MERGE_UNDONE.value}
    return render_template(
        "speakers/edit.html", speaker=speaker, quotes=quotes, move_forms=move_forms,
        history=history, undone=undone,
        suggestions=registry.suggestions_for(db.session, speaker.id),
        rename_form=rename_form or RenameSpeakerForm(formdata=None, data={"name": speaker.name}),
        alias_form=alias_form or AliasForm(formdata=None),
        merge_form=merge_form or MergeSpeakerForm(formdata=None),
        action_form=SpeakerActionForm(),
    )
