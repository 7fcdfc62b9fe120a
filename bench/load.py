"""factcheck under load: gunicorn on loopback, wrk at 32 connections, then bulk ingestion.

    .venv/bin/python bench/load.py                                  # SQLite in bench/out/
    .venv/bin/python bench/load.py --database-url postgresql:///loadtest
    make bench-load                                                 # installs wrk first

The first run builds a database with 100k articles and 1M quotes (speakers,
segments, published verdicts, matches, the full-text and matching indexes),
bulk-loaded with SQL from text generated at run time: sentences cut from
``../shared/eval/polnear-train.jsonl`` when it is there (never stored in the
project), made-up words otherwise. Later runs reuse it (``--rebuild`` starts over).

Then gunicorn (gunicorn.conf.py) serves it on loopback and wrk measures each
kind of page for ``--seconds`` at ``--connections``: requests/s, p50/p99 and
errors, next to /healthz measured in the same run as the ceiling. Readers'
URLs follow a Zipf-like spread (a few pages are popular, most are not); the
``uniform`` rows pick any article or quote with the same chance, the worst
case for the page cache. Last, two ``flask worker`` processes on Redis ingest
``--ingest`` generated articles queued by ``flask ingest --background``.

``--soak MINUTES`` replaces the rows and the ingestion with one long run of article
pages, quote pages and searches mixed, and reports what failed: wrk's errors, failed
responses and worker deaths in gunicorn's log (``--app-setting PAGE_CACHE_BYTES=0``
renders every page).

The whole run is bounded by ``--max-minutes``; every process it starts is
stopped by its id on the way out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote as urlquote

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CORPUS = ROOT.parent / "shared" / "eval" / "polnear-train.jsonl"
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.5
TARGET_PAGE_P99_MS = 100.0
TARGET_SEARCH_P99_MS = 200.0
TARGET_INGEST_PER_S = 50.0

FIRST_NAMES = ("Ana Ben Carla Dev Elif Farid Greta Hugo Ines Jonas Kavya Liam Mira Nils Omar "
               "Priya Quinn Rosa Sami Tara Umar Vera Wren Xavier Yara Zoltan Aiko Bruno Chidi "
               "Dara Emil Fatou Goran Hana Ivo Jana Kofi Lena Marek Noor Otto Pia Rafael Sina "
               "Teo Uma Viktor Wanda Yusuf Zara").split()
SURNAMES = ("Abara Bergstrom Castellano Dimitrov Eriksen Fontaine Gallagher Haddad Ishikawa "
            "Jovanovic Kowalczyk Lindqvist Moreau Nakamura Okafor Petrenko Quintero Rahman "
            "Sorensen Takahashi Uzun Valente Whitcombe Yilmaz Zielinski Achterberg Brennan "
            "Caruso Delacroix Esposito Fischer Grimaldi Halvorsen Iglesias Janssen Kaminski "
            "Lombardi Mbeki Novak Oyelaran Pellegrini Rossetti Szabo Tremblay Urquhart "
            "Vasquez Weller Xu Yoshida Zamora").split()
ROLES = ("the minister", "the mayor", "a senator", "the party leader", "the spokesperson",
         "the union chief", "the governor", "an economist")
CUES = ("said", "told reporters", "added", "argued", "warned", "insisted")
OUTLETS = [f"The Daily {w}" for w in ("Ledger", "Courier", "Herald", "Sentinel", "Post", "Record",
                                       "Gazette", "Tribune", "Observer", "Chronicle")]
SYLLABLES = "ka ro mi tu le sa vo ne di pa fi go ha ju ki lo ma nu pe ri so ta ve wa ya ze".split()
COMMON = "the of and to a in is that we it for not be this on will have are our with they".split()
VERDICTS = ("accurate", "accurate_paraphrase", "misquoted", "out_of_context", "misattributed",
            "unsupported", "disputed")
EPOCH = datetime(2019, 1, 1)


class Deadline(Exception):
    """The run went past --max-minutes."""


# --- text made at run time ---------------------------------------------------

def sentence_pool(rng: random.Random, size: int) -> tuple[list[str], str]:
    """Plain sentences (no quote marks) to build articles and quotes from, and where they came from."""
    found: list[str] = []
    if CORPUS.exists():
        splitter = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
        with CORPUS.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    text = json.loads(line).get("text") or ""
                except ValueError:
                    continue
                for sentence in splitter.split(text.replace("\n", " ")):
                    sentence = sentence.strip()
                    if 40 <= len(sentence) <= 220 and not re.search(r"[\"“”‘’«»]|'", sentence) \
                            and sentence[-1] in ".!?":
                        found.append(sentence)
        found = sorted(set(found))
        if len(found) >= 2000:
            rng.shuffle(found)
            return found[:size], f"sentences cut from {CORPUS.name} at run time"
    words = list(COMMON)
    while len(words) < 20_000:
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    made = []
    for _ in range(size):
        picked = [rng.choice(words[:40]) if rng.random() < 0.4 else rng.choice(words)
                  for _ in range(rng.randint(8, 24))]
        made.append(" ".join(picked).capitalize() + ".")
    return made, "synthetic sentences (the corpus is absent)"


def as_quote(sentence: str) -> str:
    """A sentence as spoken words inside a quote: its final full stop becomes a comma."""
    return sentence[:-1] + "," if sentence.endswith(".") else sentence


FAMOUS = 5_000  # quotes said again and again (the first FAMOUS sentences): repeats to match


def spoken_words(rng: random.Random, sentences: list[str]) -> tuple[int, str]:
    """Words someone said: now and then a well-worn line (-1 otherwise), else two sentences spliced."""
    if rng.random() < 0.08:
        index = rng.randrange(FAMOUS)
        return index, as_quote(sentences[index])
    head = sentences[rng.randrange(FAMOUS, len(sentences))].split()
    tail = sentences[rng.randrange(FAMOUS, len(sentences))].split()
    words = head[: max(3, len(head) // 2)] + tail[len(tail) // 2:]
    return -1, as_quote(" ".join(words))


def write_article(rng: random.Random, sentences: list[str], quotes: int, speakers: list[str]):
    """Article text with ``quotes`` attributed quotes, and each quote's offsets and speaker."""
    parts: list[str] = []
    position = 0
    found = []

    def add(piece: str) -> int:
        nonlocal position
        start = position
        parts.append(piece)
        position += len(piece)
        return start

    add(rng.choice(sentences))
    for _ in range(quotes):
        add("\n\n")
        if rng.random() < 0.5:
            add(rng.choice(sentences) + " ")
        sentence_index, spoken = spoken_words(rng, sentences)
        speaker_index = rng.randrange(len(speakers))
        cue = rng.choice(CUES)
        add("“")
        start = add(spoken)
        add(f"” {cue} ")
        speaker_start = add(speakers[speaker_index])
        add(f", {rng.choice(ROLES)}.")
        found.append((sentence_index, spoken, start, start + len(spoken), speaker_index,
                      speaker_start, speaker_start + len(speakers[speaker_index]), cue))
    return "".join(parts), found


# --- building the database ---------------------------------------------------

def flask_env(url: str | None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("FACTCHECK_"):
            del env[name]
    if url:
        env["FACTCHECK_DATABASE_URL"] = url
    env["FACTCHECK_SECRET_KEY"] = "bench-load-secret-key"
    env.update(extra)
    return env


def flask(args: list[str], url: str, *, timeout: float, **extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                          env=flask_env(url, **extra), capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done


def prepare_database(url: str, rebuild: bool) -> None:
    """An empty database at the current schema (PostgreSQL: created with createdb)."""
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[-1].split("?")[0]
        if name in ("test", "postgres"):
            raise SystemExit(f"refusing to load into {name!r}: use a database of its own")
        made = subprocess.run(["createdb", name], capture_output=True, text=True)
        if made.returncode and "already exists" not in made.stderr:
            raise SystemExit(f"createdb {name} failed: {made.stderr.strip()}")
        if rebuild:
            subprocess.run(["psql", "-q", "-d", name, "-c",
                            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True,
                           capture_output=True)
    elif rebuild:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    flask(["db", "upgrade"], url, timeout=600)


def build(url: str, args, log) -> dict:
    """Bulk-load the database (or find it built) and return what it holds."""
    from sqlalchemy import create_engine, text

    from factcheck.app import database_url

    engine = create_engine(database_url(url, str(ROOT / "instance")))
    marker = OUT / ("load-" + hashlib.sha256(url.encode()).hexdigest()[:12] + ".json")
    wanted = {"articles": args.articles, "quotes_per_article": args.quotes_per_article, "version": 4}
    if not args.rebuild and marker.exists():
        held = json.loads(marker.read_text())
        if held.get("wanted") == wanted:
            try:
                with engine.connect() as connection:
                    count = connection.execute(text("SELECT count(*) FROM articles")).scalar()
            except Exception:
                count = 0
            if count >= args.articles:
                log(f"reusing the database built {held['built_at']} ({count} articles)")
                flask(["db", "upgrade"], url, timeout=600)  # migrations added since the build
                engine.dispose()
                return held
    prepare_database(url, rebuild=True)
    started = time.perf_counter()
    held = bulk_load(engine, args, log)
    held.update(wanted=wanted, built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                build_seconds=round(time.perf_counter() - started, 1))
    marker.write_text(json.dumps(held, indent=1))
    engine.dispose()
    return held


def bulk_load(engine, args, log) -> dict:
    from factcheck import page_versions, search_index
    from factcheck.models import Article, Quote, QuoteMatch, QuoteSegment, Speaker
    from factcheck.names import name_key, surname_key

    rng = random.Random(20261127)
    sentences, origin = sentence_pool(rng, 60_000)
    log(f"text: {len(sentences)} {origin}")
    names = sorted({f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(6000)})
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    postgres = engine.dialect.name == "postgresql"
    loader = CopyLoader if postgres else ExecutemanyLoader

    with engine.begin() as connection:
        search_index.drop(connection)  # filled in one pass afterwards: far faster than triggers
        page_versions.drop(connection)  # likewise
        speakers = loader(connection, Speaker.__table__)
        for number, name in enumerate(names, 1):
            speakers.add(id=number, name=name, key=name_key(name), kind="person",
                         created_at=now, surname_key=surname_key(name))
        speakers.flush()

        articles = loader(connection, Article.__table__)
        quotes = loader(connection, Quote.__table__)
        segments = loader(connection, QuoteSegment.__table__)
        matches = loader(connection, QuoteMatch.__table__)
        first_by_sentence: dict[int, int] = {}
        quote_id = 0
        published = 0
        for article_id in range(1, args.articles + 1):
            body, found = write_article(rng, sentences, args.quotes_per_article, names)
            title = rng.choice(sentences).rstrip(".!?")[:120]
            published_at = EPOCH + timedelta(minutes=rng.randrange(60 * 24 * 365 * 7))
            articles.add(id=article_id, title=title, url=f"https://news.example/{article_id}",
                         outlet=rng.choice(OUTLETS), published_at=published_at, created_at=now,
                         fetched_at=None, authors=None, text=body, source="cli",
                         content_hash=hashlib.sha256(body.encode()).hexdigest())
            for sentence, spoken, start, end, speaker, s_start, s_end, cue in found:
                quote_id += 1
                public = rng.random() < 0.06
                published += public
                quotes.add(
                    id=quote_id, article_id=article_id, speaker_id=speaker + 1, text=spoken.rstrip(","),
                    start=start, end=end - (1 if spoken.endswith(",") else 0),
                    speaker_as_written=names[speaker], speaker_start=s_start, speaker_end=s_end,
                    cue=cue, kind="full", confidence=0.96, resolution="direct",
                    created_at=published_at, updated_at=published_at,
                    verdict=rng.choice(VERDICTS) if public else "unverified",
                    rating=None, status="published" if public else "new",
                    public_note="The desk compared this with the recording." if public else "",
                    internal_note="", published_at=published_at if public else None,
                    attribution="unchecked", flagged=False, version=1,
                )
                segments.add(id=quote_id, quote_id=quote_id, start=start,
                             end=end - (1 if spoken.endswith(",") else 0))
                earlier = first_by_sentence.setdefault(sentence, quote_id) if sentence >= 0 else quote_id
                if earlier != quote_id and rng.random() < 0.5:
                    matches.add(quote_id=quote_id, earlier_id=earlier, relation="repeat", score=100.0,
                                misattribution=False, created_at=now)
            if article_id % 2_000 == 0:
                for each in (articles, quotes, segments, matches):  # parents before children
                    each.flush()
            if article_id % 10_000 == 0:
                log(f"  {article_id} articles, {quote_id} quotes")
        for each in (articles, quotes, segments, matches):
            each.flush()
        if postgres:
            for table in ("speakers", "articles", "quotes", "quote_segments", "quote_matches"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))")
        log("full-text index and article page versions: filling in one pass")
        search_index.rebuild(connection)
        page_versions.rebuild(connection)
    log("matching index: rebuilding")
    rebuild_matching_index(engine)
    with engine.begin() as connection:
        if postgres:
            connection.exec_driver_sql("ANALYZE")
        else:
            connection.exec_driver_sql("ANALYZE")
    return {"articles": args.articles, "quotes": quote_id, "speakers": len(names),
            "published": published, "matches": matches.count, "text": origin}


def rebuild_matching_index(engine) -> None:
    from sqlalchemy.orm import Session

    from factcheck.services import candidates, matching

    with Session(engine) as session:
        matching.rebuild_index(session)
        session.commit()
    candidates.prepare_for_queries(engine)


class ExecutemanyLoader:
    """Rows for a SQLite table, written in batches through executemany on ``flush()``."""

    def __init__(self, connection, table) -> None:
        self.connection = connection
        self.table = table.name
        self.columns = [c.name for c in table.columns]
        self.defaults = _defaults(table)
        self.rows: list[dict] = []
        self.count = 0

    def add(self, **values) -> None:
        self.rows.append({**self.defaults, **values})
        self.count += 1

    def flush(self) -> None:
        if not self.rows:
            return
        given = [c for c in self.columns if c in self.rows[0]]
        self.write(given, [tuple(row.get(c) for c in given) for row in self.rows])
        self.rows = []

    def write(self, given: list[str], rows: list[tuple]) -> None:
        sql = (f"INSERT INTO {self.table} ({', '.join(_q(c) for c in given)}) "
               f"VALUES ({', '.join('?' for _ in given)})")
        self.connection.exec_driver_sql(sql, [tuple(_sqlite_value(v) for v in row) for row in rows])


class CopyLoader(ExecutemanyLoader):
    """Rows for a PostgreSQL table, written with COPY on ``flush()``."""

    def write(self, given: list[str], rows: list[tuple]) -> None:
        cursor = self.connection.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY {self.table} ({', '.join(_q(c) for c in given)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _defaults(table) -> dict:
    found = {}
    for column in table.columns:
        default = column.default
        if default is not None and getattr(default, "is_scalar", False):
            value = default.arg
            found[column.name] = getattr(value, "value", value)
    return found


def _q(name: str) -> str:
    return f'"{name}"'


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


# --- the HTTP run ------------------------------------------------------------

LUA = r"""
-- Each request takes the next path of a shuffled list; responses are tallied.
local paths = {}
counts = {hit = 0, miss = 0, bad = 0, stored = 0}  -- global: done() reads it from each thread
local index = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  -- Each run and each thread starts somewhere else in the list (wrk's Lua is not seeded).
  math.randomseed(tonumber(args[2]) * 1000 + thread_id)
  index = math.random(#paths)
end

request = function()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

response = function(status, headers, body)
  if status >= 400 then counts.bad = counts.bad + 1 end
  local cache = headers["X-Page-Cache"]
  if cache == "hit" then counts.hit = counts.hit + 1 elseif cache == "miss" then counts.miss = counts.miss + 1
  elseif cache == "stored" then counts.stored = counts.stored + 1 end
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

done = function(summary, latency, requests)
  local hit, miss, bad, stored = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    hit = hit + c.hit; miss = miss + c.miss; bad = bad + c.bad; stored = stored + c.stored
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, ' ..
    '"timeouts": %d, "hits": %d, "misses": %d, "bad": %d, "stored": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, hit, miss, bad, stored))
end
"""


def zipf_ids(rng: random.Random, top: int, count: int, *, uniform: bool = False) -> list[int]:
    """Ids 1..top; popular ones (a permuted Zipf rank) come back often unless ``uniform``."""
    if uniform:
        return [rng.randint(1, top) for _ in range(count)]
    # Log-uniform ranks: P(rank <= k) = ln k / ln top, Zipf's law with exponent 1
    # (the most read page gets about 6% of the reads out of 100k).
    ranks = [min(top, int(math.exp(rng.random() * math.log(top + 1)))) for _ in range(count)]
    mixer = 2654435761
    return [(rank * mixer) % top + 1 for rank in ranks]


def search_paths(rng: random.Random, sentences: list[str], count: int) -> list[str]:
    words = [w.strip(".,;:!?()").lower() for s in sentences[:5000] for w in s.split()]
    words = [w for w in words if len(w) > 4 and w.isalpha()]
    surnames = [s.lower() for s in SURNAMES]
    paths = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5:
            query = f"q={urlquote(rng.choice(words))}"
        elif roll < 0.75:
            query = f"q={urlquote(rng.choice(words) + ' ' + rng.choice(words))}"
        elif roll < 0.9:
            query = f"q={urlquote(rng.choice(words))}&speaker={urlquote(rng.choice(surnames))}"
        else:
            query = f"q={urlquote(rng.choice(words))}&sort=newest"
        paths.append("/search?" + query)
    return paths


def write_paths(name: str, paths: list[str]) -> Path:
    path = OUT / f"paths-{name}.txt"
    path.write_text("\n".join(paths) + "\n")
    return path


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install -y wrk)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False,
                       capture_output=True, timeout=300)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (or `make bench-load`)")
    return found


class Processes:
    """The processes this run started, each in its own group, stopped by id on exit."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, command: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(command, start_new_session=True, **kwargs)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)


def server_cpu_seconds(master: int) -> float:
    """CPU time of gunicorn so far: the master, its live workers and the workers it reaped.

    Per request, it shows what a page costs the server whatever else the machine runs
    (the request rate does not: wrk and other work share the two cores).
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:  # gone meanwhile
            continue
        pid, parent = int(entry), int(fields[1])
        if pid == master:
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        elif parent == master:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def wait_ready(base: str, timeout: float) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not become ready at {base} within {timeout:.0f} s")


_runs = iter(range(1, 1_000_000))


def run_wrk(wrk: str, base: str, paths_file: Path, *, connections: int, seconds: int,
            threads: int) -> dict:
    script = OUT / "load.lua"
    script.write_text(LUA)
    done = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(script), base, "--", str(paths_file), str(next(_runs))],
        capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):])
    raise RuntimeError(f"wrk printed no figures: {done.stdout}\n{done.stderr}")


def start_server(url: str, args, held: dict, procs: Processes, log) -> tuple[str, int]:
    """gunicorn (gunicorn.conf.py) on loopback with the bench's settings: (base URL, master pid)."""
    port = args.port
    base = f"http://127.0.0.1:{port}"
    log_path = OUT / "gunicorn.log"
    env = flask_env(url, GUNICORN_BIND=f"127.0.0.1:{port}", FACTCHECK_SESSION_COOKIE_SECURE="false",
                    GUNICORN_LOG_LEVEL="warning")
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.no_stored_pages:
        env["FACTCHECK_STORE_ARTICLE_PAGES"] = "false"
    for setting in args.app_setting:
        name, _, value = setting.partition("=")
        env[f"FACTCHECK_{name}"] = value
    held["shared_cache"] = "per process only"
    held["stored_pages"] = "off" if args.no_stored_pages else "on"
    if not args.no_redis_cache:
        try:
            from redis import Redis

            Redis.from_url(args.redis_url).flushdb()  # the bench's own Redis database only
            env["FACTCHECK_PAGE_CACHE_REDIS_URL"] = args.redis_url
            held["shared_cache"] = f"per process + Redis ({args.redis_url})"
        except Exception as error:
            log(f"page cache without Redis: {error}")
    with log_path.open("w") as log_file:
        master = procs.start([str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                             cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT).pid
    wait_ready(base, 60)
    log(f"gunicorn up at {base} (log: {log_path.relative_to(ROOT)})")
    return base, master


def measure_http(url: str, args, held: dict, procs: Processes, log, deadline: float,
                 server_up=None) -> list[dict]:
    wrk = ensure_wrk()
    rng = random.Random(11)
    sentences, _ = sentence_pool(random.Random(20261127), 60_000)
    articles, quotes = held["articles"], held["quotes"]
    n = 20_000
    suites = [
        ("article page (zipf)", "article", [f"/articles/{i}" for i in zipf_ids(rng, articles, n)]),
        ("article page (uniform)", "article", [f"/articles/{i}" for i in zipf_ids(rng, articles, n, uniform=True)]),
        ("quote page (zipf)", "quote", [f"/quotes/{i}" for i in zipf_ids(rng, quotes, n)]),
        ("quote page (uniform)", "quote", [f"/quotes/{i}" for i in zipf_ids(rng, quotes, n, uniform=True)]),
        ("search", "search", search_paths(rng, sentences, n)),
        ("API quote list", "api", [f"/api/v1/quotes?page={rng.randint(1, 20)}" for _ in range(n)]),
    ]
    if args.only:
        suites = [suite for suite in suites if suite[1] in args.only.split(",")]
    base, master = start_server(url, args, held, procs, log)
    if server_up is not None:
        server_up()
    # One quick pass over a few URLs of each kind, so first-request costs are not measured.
    for _, _, paths in suites:
        for path in paths[:20]:
            try:
                urllib.request.urlopen(base + path, timeout=10).read()
            except urllib.error.HTTPError:
                pass
    results = []
    healthz = write_paths("healthz", ["/healthz"])
    for label, kind, paths in suites:
        if time.monotonic() + args.seconds * 1.5 + args.warmup + 20 > deadline:
            log(f"skipping {label}: --max-minutes reached")
            continue
        paths_file = write_paths(kind + str(len(results)), paths)
        if args.warmup:  # a server that has been up a while: caches warm
            run_wrk(wrk, base, paths_file, connections=args.connections, seconds=args.warmup, threads=2)
        # The ceiling right beside each row, so a machine whose load drifts compares like with like.
        cpu = server_cpu_seconds(master)
        ceiling = run_wrk(wrk, base, healthz, connections=args.connections,
                          seconds=max(3, args.seconds // 2), threads=2)
        ceiling["server_cpu"] = server_cpu_seconds(master) - cpu
        cpu = server_cpu_seconds(master)
        figures = run_wrk(wrk, base, paths_file, connections=args.connections, seconds=args.seconds,
                          threads=2)
        figures.update(label=label, kind=kind, ceiling=ceiling, server_cpu=server_cpu_seconds(master) - cpu)
        results.append(figures)
        log(f"  {label}: {figures['requests'] / figures['seconds']:.0f} req/s, "
            f"/healthz {ceiling['requests'] / ceiling['seconds']:.0f} req/s")
    return results


def error_kinds(figures: dict) -> dict[str, int]:
    """A wrk run's failed requests by kind (connect, read, write, timeout, HTTP status)."""
    return {"connect": figures["connect_errors"], "read": figures["read_errors"],
            "write": figures["write_errors"], "timeout": figures["timeouts"],
            "HTTP status >= 400": figures["bad"]}


def print_http(results: list[dict], held: dict, database: str, args) -> bool:
    print()
    print(f"HTTP under load — {database}: {held['articles']:,} articles, {held['quotes']:,} quotes, "
          f"{held['published']:,} published verdicts, {held['matches']:,} matches")
    print("load average before/after the run (other work on this machine): "
          f"{held.get('load_before', '?')} / {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"gunicorn.conf.py on loopback ({args.workers or 'default'} workers), wrk {args.connections} "
          f"connections, {args.seconds} s per row after {args.warmup} s of warm-up; /healthz measured "
          f"right before each row as its ceiling;")
    print(f"page cache {held.get('shared_cache')}; article pages stored in the database "
          f"{held.get('stored_pages', '?')}; {os.cpu_count()} CPUs shared by server, wrk and "
          f"everything else")
    print("server CPU: gunicorn's CPU ms per request (the page, then /healthz), steady whatever "
          "else runs" + ("" if database == "SQLite" else "; PostgreSQL's own CPU not included"))
    header = (f"{'':24} {'req/s':>7} {'/healthz':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'errors':>6} {'hits':>5} {'stored':>6} {'server CPU':>11}  target")
    print(header)
    print("-" * len(header))
    all_met = True
    for r in results:
        rate = r["requests"] / r["seconds"]
        ceiling = r["ceiling"]["requests"] / r["ceiling"]["seconds"]
        ratio = rate / ceiling if ceiling else 0.0
        errors = sum(error_kinds(r).values())
        p99 = r["p99_us"] / 1000
        stored = r.get("stored", 0)
        seen = r["hits"] + r["misses"] + stored
        hits = f"{100 * r['hits'] / seen:.0f}%" if seen else "-"
        stored = f"{100 * stored / seen:.0f}%" if seen else "-"
        if r["kind"] in ("article", "quote"):
            met = ratio >= TARGET_RATIO and p99 <= TARGET_PAGE_P99_MS and not errors
            target = f">= {TARGET_RATIO:.0%}, p99 <= {TARGET_PAGE_P99_MS:.0f} ms"
        elif r["kind"] == "search":
            met = p99 <= TARGET_SEARCH_P99_MS and not errors
            target = f"p99 <= {TARGET_SEARCH_P99_MS:.0f} ms"
        else:
            met, target = not errors, "no errors"
        all_met &= met
        cpu = (f"{1000 * r['server_cpu'] / max(1, r['requests']):.2f}/"
               f"{1000 * r['ceiling']['server_cpu'] / max(1, r['ceiling']['requests']):.2f}")
        print(f"{r['label']:24} {rate:7.0f} {ceiling:8.0f} {ratio:6.0%} {r['p50_us'] / 1000:7.1f} "
              f"{p99:7.1f} {errors:6d} {hits:>5} {stored:>6} {cpu:>11}  {target}: {'met' if met else 'MISSED'}")
    for r in results:  # what kind of error, where there were any
        kinds = error_kinds(r)
        if any(kinds.values()):
            print(f"  {r['label']} errors: " + ", ".join(f"{n} {k}" for k, n in kinds.items() if n))
    failed, other = _server_log(OUT / "gunicorn.log")
    if failed:
        print("  in the server's log, responses with status >= 400: "
              + ", ".join(f"{n} x {status} on {path}" for (status, path), n in failed.most_common(8)))
    if other:
        print(f"  in the server's log, {len(other)} lines that are not a request's, the first: {other[0][:160]}")
    return all_met


def _server_log(log_path: Path) -> tuple[Counter, list[str]]:
    """What the server's log says went wrong: (status, path) of every request the app
    logged as failed, and the lines that are no request's (gunicorn's own, a traceback)."""
    failed: Counter = Counter()
    other: list[str] = []
    if not log_path.exists():
        return failed, other
    with log_path.open(encoding="utf-8", errors="replace") as lines:
        for line in map(str.strip, lines):
            try:
                entry = json.loads(line) if line else None
            except ValueError:
                entry = None
            if not isinstance(entry, dict) or "path" not in entry:
                if line:
                    other.append(line)
            elif entry.get("status", 0) >= 400:
                failed[entry["status"], entry["path"]] += 1
    return failed, other


# --- a long mixed run, looking for failures rather than speed -------------------

# What gunicorn or Python write when a worker dies or a request fails inside it.
_DEATH = re.compile(r"Worker \(pid:\d+\) (?:was sent|exited)|Fatal Python error|Segmentation fault|Traceback",
                    re.IGNORECASE)


def soak(url: str, args, held: dict, procs: Processes, log) -> dict:
    """``--soak MINUTES`` of article pages, quote pages and searches in one shuffled list.

    Ids are picked uniformly and most searches are unique, so most requests render (with
    ``--app-setting PAGE_CACHE_BYTES=0`` every one does). Counts what failed: wrk's
    errors, responses >= 400 in the app's log, and any worker death gunicorn reports.
    """
    wrk = ensure_wrk()
    rng = random.Random(int(time.time()))
    sentences, _ = sentence_pool(random.Random(20261127), 60_000)
    n = 20_000
    paths = ([f"/articles/{i}" for i in zipf_ids(rng, held["articles"], n, uniform=True)]
             + [f"/quotes/{i}" for i in zipf_ids(rng, held["quotes"], n, uniform=True)]
             + search_paths(rng, sentences, n))
    rng.shuffle(paths)
    base, _ = start_server(url, args, held, procs, log)
    seconds = int(args.soak * 60)
    log(f"soak: {seconds} s at {args.connections} connections")
    figures = run_wrk(wrk, base, write_paths("soak", paths), connections=args.connections,
                      seconds=seconds, threads=2)
    figures["server_alive"] = procs.started[-1].poll() is None
    failed, other = _server_log(OUT / "gunicorn.log")
    figures["failed_responses"] = sum(failed.values())
    figures["deaths"] = [line for line in other if _DEATH.search(line)]
    figures["other_lines"] = other
    return figures


def print_soak(figures: dict, args) -> bool:
    errors = error_kinds(figures)
    seen = figures["hits"] + figures["misses"]
    print()
    print(f"Soak — {args.soak:g} min of article pages, quote pages and searches (uniform ids), "
          f"wrk {args.connections} connections; app settings: {', '.join(args.app_setting) or 'defaults'}")
    print(f"  {figures['requests']:,} requests, {figures['requests'] / figures['seconds']:.0f} req/s, "
          f"p50 {figures['p50_us'] / 1000:.1f} ms, p99 {figures['p99_us'] / 1000:.1f} ms, max "
          f"{figures['max_us'] / 1000:.0f} ms; page cache hits "
          + (f"{100 * figures['hits'] / seen:.0f}%" if seen else "-"))
    print("  errors: " + (", ".join(f"{n} {k}" for k, n in errors.items() if n) or "none")
          + f"; responses >= 400 in the server's log: {figures['failed_responses']}")
    print(f"  worker deaths and fatal errors in the server's log: {len(figures['deaths'])}"
          + "".join(f"\n    {line[:200]}" for line in figures["deaths"][:10]))
    if figures["other_lines"] and not figures["deaths"]:
        print(f"  other lines in the server's log: {len(figures['other_lines'])}, the first: "
              f"{figures['other_lines'][0][:160]}")
    held_up = not any(errors.values()) and not figures["failed_responses"] and not figures["deaths"] \
        and figures["server_alive"]
    print(f"  {'no failure' if held_up else 'FAILURES (see above)'}"
          + ("" if figures["server_alive"] else "; gunicorn itself had stopped"))
    return held_up


# --- bulk ingestion through two workers ---------------------------------------

def measure_ingestion(url: str, args, procs: Processes, log, deadline: float) -> dict | None:
    redis_url = args.redis_url
    try:
        from redis import Redis

        Redis.from_url(redis_url).flushdb()  # the bench's own Redis database only
    except Exception as error:
        log(f"ingestion skipped: Redis at {redis_url} is not reachable ({error})")
        return None
    rng = random.Random(int(time.time()))
    sentences, _ = sentence_pool(random.Random(20261127), 60_000)
    names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(3000)]
    nonce = hashlib.sha256(str(time.time_ns()).encode()).hexdigest()[:10]
    source = Path(tempfile.mkdtemp(prefix="factcheck-ingest-", dir=OUT)) / "articles.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for number in range(args.ingest):
            body, _ = write_article(rng, sentences, args.quotes_per_article, names)
            handle.write(json.dumps({"title": f"Bulk {nonce} {number}", "text": body,
                                     "outlet": rng.choice(OUTLETS),
                                     "published_at": "2026-11-27"}) + "\n")
    try:
        return _ingest(url, args, procs, log, deadline, source, nonce)
    finally:
        shutil.rmtree(source.parent, ignore_errors=True)  # generated text never stays behind


def _ingest(url, args, procs, log, deadline, source: Path, nonce: str) -> dict:
    redis_url = args.redis_url
    extra = {"FACTCHECK_REDIS_URL": redis_url}
    if args.no_stored_pages:  # the workers neither (they would also render every outdated page)
        extra["FACTCHECK_STORE_ARTICLE_PAGES"] = "false"
    from sqlalchemy import create_engine, text

    from factcheck.app import database_url

    engine = create_engine(database_url(url, str(ROOT / "instance")))
    with engine.connect() as connection:
        first_job = (connection.execute(text("SELECT coalesce(max(id), 0) FROM jobs")).scalar() or 0) + 1
    workers_log = (OUT / "workers.log").open("w")
    for _ in range(2):
        procs.start([str(VENV_BIN / "flask"), "--app", "wsgi", "worker",
                     "--fork" if args.fork else "--no-fork"], cwd=ROOT,
                    env=flask_env(url, **extra), stdout=workers_log, stderr=subprocess.STDOUT)
    time.sleep(2)
    started = time.perf_counter()
    flask(["ingest", "--background", "--batch-size", str(args.batch_size), str(source)], url,
          timeout=max(30, deadline - time.monotonic()), **extra)
    queued_at = time.perf_counter() - started
    states: dict[str, int] = {}
    while time.monotonic() < deadline:  # every job exists once the queueing command is back
        with engine.connect() as connection:
            states = dict(connection.execute(text(
                "SELECT state, count(*) FROM jobs WHERE id >= :first GROUP BY state"),
                {"first": first_job}).all())
        if states.get("queued", 0) + states.get("running", 0) == 0:
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    with engine.connect() as connection:
        done, quotes, matches = connection.execute(text(
            "SELECT (SELECT count(*) FROM articles WHERE title LIKE :t), count(*),"
            " (SELECT count(*) FROM quote_matches m JOIN quotes q2 ON q2.id = m.quote_id "
            "  JOIN articles a2 ON a2.id = q2.article_id WHERE a2.title LIKE :t) "
            "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE a.title LIKE :t"),
            {"t": f"Bulk {nonce} %"}).one()
    pages = None if args.no_stored_pages else _pages_after(engine, nonce, done, deadline)
    engine.dispose()
    return {"articles": args.ingest, "done": done, "jobs": sum(states.values()), "pages": pages,
            "failed": states.get("failed", 0),
            "unfinished": states.get("queued", 0) + states.get("running", 0),
            "seconds": elapsed, "queued_seconds": queued_at, "quotes": quotes, "matches": matches}


def _pages_after(engine, nonce: str, articles: int, deadline: float, wait: float = 300.0) -> tuple[int, float]:
    """The new articles' pages, rendered by the workers on their pages queue once the
    ingestion jobs were done: (how many are stored at their article's current version,
    seconds waited for them after the last ingestion job)."""
    from sqlalchemy import text

    started = time.perf_counter()
    stored = 0
    while True:
        with engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT count(*) FROM articles a JOIN article_page_versions v ON v.article_id = a.id "
                "JOIN article_pages p ON p.article_id = a.id AND p.version = v.version WHERE a.title LIKE :t"),
                {"t": f"Bulk {nonce} %"}).scalar()
        waited = time.perf_counter() - started
        if stored >= articles or waited > wait or time.monotonic() > deadline:
            return stored, waited
        time.sleep(0.5)


def print_ingestion(figures: dict | None, args) -> bool:
    print()
    if figures is None:
        print("Bulk ingestion: skipped (no Redis)")
        return False
    rate = figures["done"] / figures["seconds"] if figures["seconds"] else 0.0
    met = rate >= TARGET_INGEST_PER_S and not figures["failed"] and not figures["unfinished"]
    mode = "--fork" if args.fork else "--no-fork"
    print(f"Bulk ingestion — 2 x `flask worker {mode}` on {args.redis_url}, `flask ingest --background "
          f"--batch-size {args.batch_size}` of {figures['articles']:,} generated articles "
          f"({args.quotes_per_article} quotes each)")
    print(f"  {figures['done']:,} articles stored by {figures['jobs']} jobs (failed {figures['failed']}, "
          f"unfinished {figures['unfinished']}) in {figures['seconds']:.1f} s (queueing took "
          f"{figures['queued_seconds']:.1f} s of it)")
    print(f"  {figures['quotes']:,} quotes extracted, {figures['matches']:,} matches found")
    if figures.get("pages") is not None:
        stored, waited = figures["pages"]
        print(f"  then their pages, on the workers' pages queue: {stored:,} of {figures['done']:,} stored "
              f"{waited:.1f} s after the last article")
    print(f"  {rate:.1f} articles/s including extraction and matching — target >= "
          f"{TARGET_INGEST_PER_S:.0f}: {'met' if met else 'MISSED'}")
    return met


def warm_file_cache(path: Path, log) -> None:
    """Read the database file once, so the pages come from the OS page cache, as on a
    server that has been up a while. Without this, a file the machine has evicted since
    the last run is read from disk at random: rows then measure the disk, not factcheck
    (seen here: the article page at 57 req/s, p99 2.7 s, with the server's CPU idle)."""
    started = time.monotonic()
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass
    log(f"database file read into the page cache ({path.stat().st_size / 1e9:.1f} GB, "
        f"{time.monotonic() - started:.1f} s)")


def measure_rows_and_ingestion(url: str, args, held: dict, procs: Processes, log, deadline: float,
                               database: str) -> tuple[bool, bool]:
    """The HTTP rows, then bulk ingestion: (every target met, anything measured).

    With --while-ingesting N the rows run while two workers ingest N articles, each
    a committed change: what readers get from the cache while a desk's workers are busy."""
    met, measured = True, False
    if args.while_ingesting and database == "SQLite":
        raise SystemExit("--while-ingesting needs PostgreSQL (SQLite takes one writer at a time)")
    if not args.skip_http:
        held["load_before"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        background: dict = {}
        ingesting = None

        def start_ingesting() -> None:
            nonlocal ingesting
            during = argparse.Namespace(**{**vars(args), "ingest": args.while_ingesting})
            ingesting = threading.Thread(target=lambda: background.update(
                measure_ingestion(url, during, procs, log, deadline) or {}), daemon=True)
            ingesting.start()
            time.sleep(5)  # the workers started and busy before the first row

        results = measure_http(url, args, held, procs, log, deadline,
                               server_up=start_ingesting if args.while_ingesting else None)
        if ingesting is not None:
            still = ingesting.is_alive()
            held["while_ingesting"] = background if not still else {"unfinished_at_end": True}
        procs.stop_all()
        if ingesting is not None:
            ingesting.join(timeout=30)
        met &= print_http(results, held, database, args)
        if args.while_ingesting:
            print_while_ingesting(held.get("while_ingesting", {}), args)
        measured = bool(results)
    if args.ingest and database == "SQLite":
        print("\nBulk ingestion: not run on SQLite, which takes one writer at a time (two "
              "workers and the\nqueueing command fail with 'database is locked'); run it with "
              "--database-url postgresql:///loadtest")
    elif args.ingest:
        figures = measure_ingestion(url, args, procs, log, deadline)
        procs.stop_all()
        met &= print_ingestion(figures, args)
        measured = True
    return met, measured


def print_while_ingesting(figures: dict, args) -> None:
    if figures.get("unfinished_at_end"):
        print(f"  the rows ran while 2 workers ingested (of {args.while_ingesting:,} articles, some were "
              "still queued when the rows ended: every row saw commits throughout)")
    elif figures:
        seconds = max(1e-9, figures["seconds"])
        print(f"  the rows ran while 2 workers ingested {figures['done']:,} articles in {figures['jobs']} "
              f"jobs over {seconds:.0f} s ({figures['done'] / seconds:.1f} articles/s; each job commits "
              f"its batch: {figures['jobs'] / seconds:.2f} commits/s); failed jobs: {figures['failed']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None,
                        help="default: SQLite at bench/out/load.sqlite3; e.g. postgresql:///loadtest")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--quotes-per-article", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--seconds", type=int, default=10, help="wrk run per row")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=10,
                        help="seconds of the same load before each measured row (not counted)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: its config)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--ingest", type=int, default=2000, help="articles for the ingestion run (0: skip)")
    parser.add_argument("--batch-size", type=int, default=50,
                        help="articles per ingestion job (flask ingest --batch-size)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--fork", action="store_true",
                        help="workers fork a process per job (flask worker's default) instead of --no-fork")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--only", default="", metavar="KINDS",
                        help="measure only these rows: article,quote,search,api (comma-separated)")
    parser.add_argument("--no-stored-pages", action="store_true",
                        help="serve article pages without the pages stored in the database (and render none)")
    parser.add_argument("--no-redis-cache", action="store_true",
                        help="page cache in each gunicorn process only (no shared level in Redis)")
    parser.add_argument("--app-setting", action="append", default=[], metavar="NAME=VALUE",
                        help="an app setting for the served app (FACTCHECK_NAME), e.g. SQLITE_MMAP_SIZE=0")
    parser.add_argument("--soak", type=float, default=0, metavar="MINUTES",
                        help="instead of the rows: a mixed run this long, counting failures and "
                             "worker deaths")
    parser.add_argument("--while-ingesting", type=int, default=0, metavar="N",
                        help="run the rows while two workers ingest N articles (PostgreSQL)")
    parser.add_argument("--max-minutes", type=float, default=45.0)
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{OUT / 'load.sqlite3'}"
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    began = time.monotonic()
    deadline = began + args.max_minutes * 60

    def log(message: str) -> None:
        print(f"[{time.monotonic() - began:7.1f} s] {message}", file=sys.stderr, flush=True)

    def out_of_time(signum, frame):
        raise Deadline()

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(args.max_minutes * 60) + 30)
    procs = Processes()
    met, measured = True, False
    try:
        held = build(url, args, log)
        log(f"database ready: {held['articles']:,} articles, {held['quotes']:,} quotes "
            f"(built in {held.get('build_seconds', '?')} s)")
        if not args.no_stored_pages:
            # What a deployment runs after a bulk load or a deploy; only missing or outdated pages.
            log("article pages: `flask pages render`")
            rendered = flask(["pages", "render"], url, timeout=3600).stdout.strip().splitlines()
            log(f"article pages: {rendered[-1] if rendered else '?'}")
        if database == "SQLite" and (args.soak or not args.skip_http):
            warm_file_cache(OUT / "load.sqlite3", log)
        if args.soak:  # a run of its own: no rows, no ingestion
            met &= print_soak(soak(url, args, held, procs, log), args)
            measured = True
        else:
            met, measured = measure_rows_and_ingestion(url, args, held, procs, log, deadline, database)
    except Deadline:
        print(f"stopped: the run went past --max-minutes {args.max_minutes}", file=sys.stderr)
        met = False
    finally:
        signal.alarm(0)
        procs.stop_all()
    print()
    if args.soak:
        print("the soak ran without a failure" if met else "the soak had FAILURES (see above)")
    elif not measured:
        print("nothing was measured (--skip-http, and no ingestion run)")
    else:
        print("every target of the rows measured was met" if met else "some targets MISSED (see above)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
