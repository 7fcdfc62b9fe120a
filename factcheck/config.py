"""Default settings. No secrets here.

``instance/config.py`` overrides these, and ``FACTCHECK_*`` environment
variables override both (``FACTCHECK_DATABASE_URL``, ``FACTCHECK_SECRET_KEY``...).
"""

# Database. None means "SQLite file in the instance folder"; see app.py.
DATABASE_URL = None

# Ingestion limits.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024          # decompressed body / upload / text
MAX_CONTENT_LENGTH = 6 * 1024 * 1024         # whole request (413 above it)
FETCH_CONNECT_TIMEOUT = 5.0                  # seconds
FETCH_READ_TIMEOUT = 15.0                    # seconds, whole body
FETCH_MAX_REDIRECTS = 5
# Networks (CIDR) that URL fetching may reach although they are not public.
# Empty in production; tests allow loopback for their local server.
FETCH_ALLOWED_NETWORKS: list[str] = []
FETCH_USER_AGENT = "factcheck/1.0 (+newsroom quote verification)"

# Pages.
PER_PAGE = 25

# The organisation shown as ClaimReview author and in feeds.
ORGANIZATION_NAME = "factcheck desk"
ORGANIZATION_URL = "http://127.0.0.1:5000/"

WTF_CSRF_TIME_LIMIT = None  # a review can take longer than an hour

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"

# Pages answer 503 with the fix until `flask db upgrade` has run.
SCHEMA_CHECK = True
