"""Entry point for gunicorn and ``flask --app wsgi``."""

from factcheck.app import create_app

app = create_app()
