"""The HTML pages, one blueprint per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import articles, auth, main, quotes, speakers

    for module in (main, auth, articles, quotes, speakers):
        app.register_blueprint(module.bp)
