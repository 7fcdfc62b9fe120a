"""The HTML pages, one blueprint per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import articles, auth, jobs, main, quotes, speakers

    for module in (main, auth, articles, quotes, speakers, jobs):
        app.register_blueprint(module.bp)
    from . import embed, feeds, search  # readers: search, Atom feeds, embeddable cards

    for module in (search, feeds, embed):
        app.register_blueprint(module.bp)
    from . import review  # the review desk: queue and desk pages

    app.register_blueprint(review.bp)
    from . import check  # the attribution check for editors

    app.register_blueprint(check.bp)
