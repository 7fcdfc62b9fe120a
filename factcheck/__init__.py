"""factcheck: capture attributed quotes in news articles and review them.

Importing this package loads nothing heavy: ``factcheck.extraction`` and
``factcheck.names`` must stay usable without Flask or a database. The web
application lives in :mod:`factcheck.app`.
"""
