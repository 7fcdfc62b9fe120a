"""WTForms classes: the shape of input only. No queries here."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (DateField, DecimalField, IntegerField, PasswordField, SearchField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TextAreaField, URLField)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from .models import ReviewStatus, Verdict


class PasteArticleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=500)])
    url = URLField("Article URL", validators=[Optional(), URL(require_tld=False), Length(max=2000)],
                   description="Where it was published, if online.")
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    published_on = DateField("Published on", validators=[Optional()])
    text = TextAreaField("Article text", validators=[DataRequired()],
                         description="Paste the whole article. Page furniture is removed.")


class UrlArticleForm(FlaskForm):
    url = URLField("Page URL", id="fetch-url",
                   validators=[DataRequired(), URL(require_tld=False), Length(max=2000)])


class UploadArticleForm(FlaskForm):
    file = FileField("HTML or text file", validators=[
        FileRequired(), FileAllowed(["html", "htm", "txt"], "Upload an .html or .txt file."),
    ])
    title = StringField("Title", id="upload-title", validators=[Optional(), Length(max=500)],
                        description="Leave empty to take it from the file.")
    outlet = StringField("Outlet", id="upload-outlet", validators=[Optional(), Length(max=200)])


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired()])


class SearchForm(FlaskForm):
    """The reader's quote search (GET, so no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField("Words or speaker", validators=[Optional(), Length(max=500)],
                    description='All words must appear. "Quote marks" for a phrase, -word to leave out.')
    speaker = StringField("Speaker", validators=[Optional(), Length(max=300)])
    verdict = SelectField("Verdict", choices=[SelectChoice("", "Any verdict")]
                          + [SelectChoice(v.value, v.label) for v in Verdict], validators=[Optional()])
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])
    sort = SelectField("Sort", choices=[SelectChoice("relevance", "Best match"),
                                        SelectChoice("newest", "Newest first"),
                                        SelectChoice("oldest", "Oldest first")], validators=[Optional()])


class RetryJobForm(FlaskForm):
    """A button with a CSRF token."""


# --- the review desk ------------------------------------------------------------------
# Fields have page-wide unique names: several of these forms share the desk page.

_NOTE_HELP = ("Readers see this once the verdict is published. Markdown: **bold**, *italic*, "
              "[a link](https://example.org), lists. HTML is shown as text.")


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _version_field() -> IntegerField:
    return IntegerField(widget=HiddenInput(), validators=[InputRequired("Reload the page.")])


class ReviewForm(FlaskForm):
    """A save on the desk page. The view passes the rating scale as ``rating_choices``."""

    version = _version_field()
    verdict = SelectField("Did they say it? (verdict)", choices=_choices((v.value, v.label) for v in Verdict))
    misattributed_to = StringField(
        "Really said by", validators=[Optional(), Length(max=300)],
        description="Only with “Misattributed”: who really said it, when known.")
    rating = SelectField("Is it true? (claim rating)", choices=_choices([("", "No rating")]))
    status = SelectField("Status", choices=_choices((s.value, s.label) for s in ReviewStatus))
    public_note = TextAreaField("Public note", validators=[Length(max=20_000)],
                                description=_NOTE_HELP)
    internal_note = TextAreaField("Internal note", validators=[Length(max=20_000)],
                                  description="Only the desk sees this.")
    note = StringField("Why (kept in the history)", validators=[Optional(), Length(max=2000)],
                       description="For a correction, say what was corrected and why.")

    def __init__(self, *args, rating_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.rating.choices = _choices([("", "No rating"), *rating_choices])


class EvidenceForm(FlaskForm):
    url = URLField("Source address", validators=[DataRequired(), URL(require_tld=False),
                                                 Length(max=2000)])
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    archive_url = URLField("Archived copy", validators=[Optional(), URL(require_tld=False),
                                                        Length(max=2000)],
                           description="A copy in a web archive, in case the source changes.")
    accessed_on = DateField("Accessed on", validators=[Optional()])
    shows = TextAreaField("What it shows", validators=[Optional(), Length(max=20_000)])


class AssignForm(FlaskForm):
    """The view passes the desk members as ``assignee_choices`` (value: user id)."""

    version = _version_field()
    assignee = SelectField("Assigned to", choices=_choices([("", "Nobody")]))

    def __init__(self, *args, assignee_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee.choices = _choices([("", "Nobody"), *assignee_choices])


class SpeakerFixForm(FlaskForm):
    version = _version_field()
    speaker_name = StringField("Who really said it", validators=[DataRequired(), Length(max=300)],
                               description="A speaker on record is found by name; a new name makes a new record.")
    speaker_note = StringField("Why", validators=[Optional(), Length(max=2000)])


class VersionForm(FlaskForm):
    """A one-click action on a quote: only the version the page showed."""

    version = _version_field()


class QueueActionForm(FlaskForm):
    """Bulk actions on the queue. Each checkbox and "assign to me" button sends "id:version"."""

    quote = SelectMultipleField("Selected quotes", choices=[], validate_choice=False)
    take = StringField(validators=[Optional()])
    action = StringField(validators=[Optional()])
    # Checked by the action that uses them: the other one may be left unset.
    bulk_assignee = SelectField("Assign to", choices=_choices([("", "Nobody")]), default="",
                                validate_choice=False)
    bulk_status = SelectField("Set status to", choices=_choices((s.value, s.label) for s in ReviewStatus),
                              default="", validate_choice=False)

    def __init__(self, *args, assignee_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.bulk_assignee.choices = _choices([("", "Nobody"), *assignee_choices])

    def selected(self) -> list[tuple[int, int]]:
        """The (quote id, version) pairs ticked; malformed values are dropped."""
        return [pair for pair in map(parse_quote_version, self.quote.data or []) if pair]

    def taken(self) -> tuple[int, int] | None:
        return parse_quote_version(self.take.data or "")


def parse_quote_version(value: str) -> tuple[int, int] | None:
    """ "12:3" -> (12, 3); anything else -> None.

    >>> parse_quote_version("12:3"), parse_quote_version("x")
    ((12, 3), None)
    """
    quote_id, _, version = value.partition(":")
    if quote_id.isdigit() and version.isdigit():
        return int(quote_id), int(version)
    return None


class QueueFilterForm(FlaskForm):
    """The queue's filters (GET: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=_choices(
        [("open", "Open (not published)"), ("any", "Any status")]
        + [(s.value, s.label) for s in ReviewStatus]), default="open")
    verdict = SelectField("Verdict", choices=_choices(
        [("", "Any verdict")] + [(v.value, v.label) for v in Verdict]), default="")
    speaker = StringField("Speaker", validators=[Optional(), Length(max=300)])
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    reviewer = SelectField("Assigned to", choices=_choices([("", "Anyone")]), default="")
    date_from = DateField("Said from", validators=[Optional()])
    date_to = DateField("Said until", validators=[Optional()])

    def __init__(self, *args, reviewer_choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewer.choices = _choices([("", "Anyone"), ("me", "Me"), ("none", "Nobody"),
                                          *reviewer_choices])


# --- the attribution check ------------------------------------------------------------


class CheckDecisionForm(FlaskForm):
    """One decision in the attribution check. Each button is its own small form."""

    version = _version_field()
    action = SelectField("Decision", choices=[SelectChoice(value, label) for value, label in (
        ("confirm", "Confirm"), ("pick", "Pick another speaker"), ("new_speaker", "New speaker"),
        ("unattributed", "Unattributed"), ("not_a_quote", "Not a quote"))])
    speaker_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    name = StringField("Who said it", validators=[Optional(), Length(max=300)],
                       description="A speaker on record with this name is reused; otherwise a new record is made.")
    note = StringField("Why (kept in the history)", validators=[Optional(), Length(max=2000)])
    next = StringField(widget=HiddenInput(), validators=[Optional(), Length(max=500)])


class CheckFilterForm(FlaskForm):
    """The check list's threshold (GET: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    below = DecimalField("List quotes with confidence below", places=2,
                         validators=[Optional(), NumberRange(min=0, max=1)],
                         description="The calibrated default leaves out quotes the extractor gets right 97% of the time.")


# --- speakers (editors) -----------------------------------------------------------------


class RenameSpeakerForm(FlaskForm):
    name = StringField("New name", validators=[DataRequired(), Length(max=300)],
                       description="As readers should see it. The old name stays findable as an alias.")


class AliasForm(FlaskForm):
    alias = StringField("Another way the name is written", validators=[DataRequired(), Length(max=300)],
                        description="Ingestion will tie quotes credited to this name to this speaker.")


class MergeSpeakerForm(FlaskForm):
    into = StringField("Merge into", validators=[DataRequired(), Length(max=300)],
                       description="The other speaker's number (as in /speakers/42) or exact name. "
                                   "This speaker's quotes and aliases move there; it can be undone.")


class MoveQuoteForm(FlaskForm):
    to = StringField("Credit to", validators=[DataRequired(), Length(max=300)],
                     description="A speaker's number or exact name.")


class SpeakerActionForm(FlaskForm):
    """A one-click speaker action (undo, accept, reject, remove): the CSRF token only."""
