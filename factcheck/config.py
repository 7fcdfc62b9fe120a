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

# SQLite only: bytes of the database file each connection reads through a memory map
# instead of read() calls (SQLite caps it at 2 GiB in common builds; 0 turns it off).
# Fewer system calls per page (about 7% less CPU per search at 1M quotes), and the
# pages a worker has mapped stay in memory where the OS would otherwise evict file
# pages it sees as idle.
SQLITE_MMAP_SIZE = 2**31

# The annotated article page as readers get it, rendered ahead (by workers, after a
# render for a reader, by `flask pages render`) and kept in the database: see
# factcheck/stored_pages.py. False: article pages are only kept in the page cache.
STORE_ARTICLE_PAGES = True
# Pages a worker renders in one job when it renders every missing or outdated page
# (at `flask worker`'s start after a deploy); each batch queues the next on the pages
# queue, which workers take only while no job of the desk's waits, so a desk's job
# waits for one batch at most (about 2-4 s).
STORED_PAGES_BATCH = 1000

# Pages answer 503 with the fix until `flask db upgrade` has run.
SCHEMA_CHECK = True

# Background jobs. None: jobs run inline in the process that submits them (the
# embedded default). A Redis URL (FACTCHECK_REDIS_URL) sends them to
# `flask --app wsgi worker` processes instead.
REDIS_URL = None
JOB_TIMEOUT = 600  # seconds one job may run on a worker

# Sign-in attempts, counted per client address (only failed attempts count).
# Counters live in memory per process; FACTCHECK_RATELIMIT_STORAGE_URI=redis://...
# shares them between workers. Tests switch limiting off (RATELIMIT_ENABLED).
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
LOGIN_RATE_LIMIT = "10 per minute;50 per hour"

# Session cookies only over HTTPS. None means: on, except under the `flask`
# command's development server and in tests. Set False to serve plain HTTP.
SESSION_COOKIE_SECURE = None
REMEMBER_COOKIE_SECURE = None

# The review desk.
# An editor other than the verdict's author signs it off (False for one-person desks).
REQUIRE_SECOND_EDITOR = True
# Claim ratings: (key stored and sent by the API, label, ClaimReview ratingValue).
RATING_SCALE = [
    ("true", "True", 5),
    ("mostly_true", "Mostly true", 4),
    ("half_true", "Half true", 3),
    ("mostly_false", "Mostly false", 2),
    ("false", "False", 1),
    ("unverifiable", "Unverifiable", 0),
]

# The attribution check lists unchecked quotes whose extraction confidence is below
# this (plus flagged ones, possible misattributions, suggested merges, anonymous
# sources). From bench/calibration.py on the dev split: speaker accuracy 0.97 at
# >= 0.9 against 0.82 in the 0.7-0.9 bands; see README, "The attribution check".
ATTRIBUTION_CHECK_BELOW = 0.9
