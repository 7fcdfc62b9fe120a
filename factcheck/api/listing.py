"""GET /api/v1/quotes (search and filters), /api/v1/speakers and /api/v1/speakers/<id>."""

from __future__ import annotations

from flask import jsonify, redirect, url_for

from ..db import db
from ..errors import problem
from ..models import Verdict
from ..services import browse
from ..services.search import BadSearch, QuoteSearch, SearchSort, search_quotes
from . import bp
from .common import BadParameters, Params, bad_parameters, bad_token, caller_is_desk, paged_response, private
from .serializers import quote_to_json, speaker_to_json

VERDICTS = [verdict.value for verdict in Verdict]
SORTS = [sort.value for sort in SearchSort]
# Programs page further than people do; counting stays bounded all the same.
API_MAX_COUNTED = 10_000


@bp.get("/quotes")
def list_quotes():
    """Quotes by words (and speaker names), speaker, verdict, outlet and dates; paginated."""
    desk = caller_is_desk()
    if desk is None:
        return bad_token()
    params = Params()
    search = QuoteSearch(
        text=params.text("q"),
        speaker=params.text("speaker", max_length=300),
        verdict=params.choice("verdict", Verdict, VERDICTS),
        outlet=params.text("outlet", max_length=200),
        date_from=params.day("from"),
        date_to=params.day("to"),
        sort=params.choice("sort", SearchSort, SORTS) or SearchSort.RELEVANCE,
    )
    page, per_page = params.page()
    try:
        params.check()
        results = search_quotes(db.session, search, desk=desk, page=page, per_page=per_page,
                                max_counted=API_MAX_COUNTED)
    except BadParameters as error:
        return bad_parameters(error)
    except BadSearch as error:
        name = {"text": "q", "date_from": "from", "date_to": "to"}.get(error.field, error.field)
        return bad_parameters(BadParameters({name: str(error)}))
    return paged_response(
        results, [quote_to_json(quote, desk=desk) for quote in results.items], "api.list_quotes", desk=desk,
        total_capped=results.total_capped, sort=results.sort.value,
        speakers=[speaker_to_json(speaker) for speaker in results.speakers],
    )


@bp.get("/speakers")
def list_speakers():
    """Speakers whose name or alias holds every word of ``q`` (all speakers without it), most quoted first."""
    desk = caller_is_desk()
    if desk is None:
        return bad_token()
    params = Params()
    text = params.text("q", max_length=300)
    page, per_page = params.page()
    try:
        params.check()
    except BadParameters as error:
        return bad_parameters(error)
    if text:
        found = browse.speakers_matching(db.session, text, page=page, per_page=per_page)
    else:
        found = browse.speakers_by_quote_count(db.session, page=page, per_page=per_page)
    items = [speaker_to_json(speaker) | {"quotes": count} for speaker, count in found.items]
    return paged_response(found, items, "api.list_speakers", desk=desk)


@bp.get("/speakers/<int:speaker_id>")
def get_speaker(speaker_id: int):
    """A speaker: names it was written as, verdicts on their quotes, and where to find those quotes."""
    desk = caller_is_desk()
    if desk is None:
        return bad_token()
    speaker = browse.live_speaker(db.session, speaker_id)
    if speaker is None:
        return problem(404, "Not Found", f"No speaker {speaker_id}.")
    if speaker.id != speaker_id:
        return redirect(url_for("api.get_speaker", speaker_id=speaker.id), 301)
    verdicts = browse.verdict_summary(db.session, speaker.id, desk=desk)
    data = speaker_to_json(speaker) | {
        "aliases": [alias.alias for alias in speaker.aliases],
        "quote_count": sum(verdicts.values()),
        "verdicts": {verdict.value: count for verdict, count in verdicts.items()},
        "links": {
            "quotes": url_for("api.list_quotes", speaker=speaker.id, sort="newest", _external=True),
            "feed": url_for("feeds.speaker", speaker_id=speaker.id, _external=True),
            "page": url_for("speakers.show", speaker_id=speaker.id, _external=True),
        },
    }
    return private(jsonify(data), desk=desk)
