/*
 * migrations.c: the schema, as the ordered list of migrations open.c
 * applies (migration n brings a file from version n - 1 to n). Later
 * issues append and never edit a published one.
 */
#include "store/store_int.h"

/* Migration n brings a file from version n - 1 to n. DDL only, no values:
 * run with sqlite3_exec, so nothing here is ever built from input. */
const char *const mw_store_migrations[] = {
    /* 1: outlets, sources, the fetch log, articles and topic matches. */
    "CREATE TABLE outlets ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  tier TEXT NOT NULL CHECK (tier IN ('central', 'provincial', 'city',"
    "    'county', 'portal', 'new-media')),"
    "  region TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  poll_interval_s INTEGER NOT NULL,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  next_due INTEGER NOT NULL DEFAULT 0,"
    "  consecutive_failures INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  last_fetch INTEGER NOT NULL DEFAULT 0,"
    "  last_ok INTEGER NOT NULL DEFAULT 0,"
    "  last_status INTEGER NOT NULL DEFAULT 0,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE INDEX sources_outlet ON sources (outlet_id);"
    /* Short history per source (trimmed on insert), for source health. */
    "CREATE TABLE fetch_log ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  fetched_at INTEGER NOT NULL,"
    "  ok INTEGER NOT NULL,"
    "  http_status INTEGER NOT NULL,"
    "  error TEXT,"
    "  new_articles INTEGER NOT NULL"
    ");"
    "CREATE INDEX fetch_log_source ON fetch_log (source_id, id);"
    /* outlet_id is the publisher (the source's outlet), copied at insert so
     * a source moving to another outlet does not rewrite history.
     * counted_at is the time coverage counts by: published when the page
     * said, else when we first saw it. */
    "CREATE TABLE articles ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  guid TEXT,"
    "  title TEXT,"
    "  author TEXT,"
    "  origin TEXT,"
    "  text TEXT,"
    "  published INTEGER,"
    "  fetched INTEGER NOT NULL,"
    "  counted_at INTEGER NOT NULL"
    "    GENERATED ALWAYS AS (coalesce(published, fetched)) STORED"
    ");"
    /* The coverage query scans a time range and groups by outlet. */
    "CREATE INDEX articles_counted ON articles (counted_at, outlet_id);"
    "CREATE INDEX articles_source ON articles (source_id);"
    "CREATE TABLE matches ("
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  topic TEXT NOT NULL,"
    "  terms TEXT,"
    "  PRIMARY KEY (article_id, topic)"
    ") WITHOUT ROWID;"
    "CREATE INDEX matches_topic ON matches (topic, article_id);",
    /* 2: reprint clusters. articles.simhash is mw_simhash's value as a
     * signed 64-bit integer (0: text too short, NULL: stored before this
     * version); cluster_id is NULL for articles in no cluster. A cluster's
     * counts and original are kept up to date by store/clusters.c so the
     * report reads them without grouping. */
    "CREATE TABLE clusters ("
    "  id INTEGER PRIMARY KEY,"
    "  original_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,"
    "  original_outlet TEXT,"
    "  first_seen INTEGER NOT NULL,"
    "  article_count INTEGER NOT NULL DEFAULT 0,"
    "  outlet_count INTEGER NOT NULL DEFAULT 0"
    ");"
    "ALTER TABLE articles ADD COLUMN simhash INTEGER;"
    "ALTER TABLE articles ADD COLUMN cluster_id INTEGER"
    "  REFERENCES clusters(id) ON DELETE SET NULL;"
    "CREATE INDEX articles_cluster ON articles (cluster_id);"
    /* The hash cut into 4 bands of 16 bits (band 0 the lowest bits): two
     * hashes at most 3 bits apart agree on at least one whole band, so
     * looking up the 4 bands finds every such neighbour. The primary key
     * is the (band, value) index. No foreign key: checking it on article
     * deletes would need another index, and the lookup joins articles, so
     * a row left behind is never read. */
    "CREATE TABLE simhash_bands ("
    "  band INTEGER NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  article_id INTEGER NOT NULL,"
    "  PRIMARY KEY (band, value, article_id)"
    ") WITHOUT ROWID;",
    /* 3: attachments of listing pages (PDF, DOC, images): recorded with the
     * listing's source, never fetched as articles. */
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  text TEXT,"
    "  first_seen INTEGER NOT NULL"
    ");"
    "CREATE INDEX attachments_source ON attachments (source_id, first_seen);",
    /* 4: the reprint index kept narrow. articles.simhash and cluster_id sit
     * after the long text, so reading them walks the row's overflow pages
     * and setting them rewrites the whole row. article_hashes holds what
     * clustering reads of every hashed article (simhash 0 included), the
     * publishing outlet and coverage time copied at insert like
     * articles.outlet_id; each band row carries the whole hash so the
     * candidates of a lookup are judged without a join. articles keeps
     * simhash and cluster_id, written at insert, for the coverage query
     * and readers of the table. */
    "CREATE TABLE article_hashes ("
    "  article_id INTEGER PRIMARY KEY"
    "    REFERENCES articles(id) ON DELETE CASCADE,"
    "  simhash INTEGER NOT NULL,"
    "  cluster_id INTEGER,"
    "  outlet_id INTEGER NOT NULL,"
    "  counted_at INTEGER NOT NULL"
    ");"
    "INSERT INTO article_hashes (article_id, simhash, cluster_id, outlet_id,"
    "  counted_at)"
    "  SELECT id, simhash, cluster_id, outlet_id, counted_at FROM articles"
    "  WHERE simhash IS NOT NULL;"
    /* A cluster's members, earliest first. */
    "CREATE INDEX article_hashes_cluster ON article_hashes"
    "  (cluster_id, counted_at) WHERE cluster_id IS NOT NULL;"
    "ALTER TABLE simhash_bands ADD COLUMN simhash INTEGER;"
    "UPDATE simhash_bands SET simhash = (SELECT h.simhash FROM"
    "  article_hashes h WHERE h.article_id = simhash_bands.article_id);",
    /* 5: alerts and the on-duty workflow. An article's sensitivity (score,
     * level 0..4, 属地) as the alerts engine decided it, in a narrow table
     * of its own with the outlet and first-seen time the spread count
     * reads: setting columns of articles would rewrite each long row (and
     * its overflow pages) once more. Only articles that scored anything
     * have a row. Spread and burst counts go by first-seen time. */
    "CREATE TABLE article_sensitivity ("
    "  article_id INTEGER PRIMARY KEY REFERENCES articles(id)"
    "    ON DELETE CASCADE,"
    "  score REAL NOT NULL,"
    "  level INTEGER NOT NULL,"
    "  region TEXT,"
    "  outlet_id INTEGER NOT NULL,"
    "  fetched INTEGER NOT NULL"
    ");"
    "CREATE INDEX article_sensitivity_region ON article_sensitivity"
    "  (region, fetched, outlet_id) WHERE level >= 1;"
    "CREATE INDEX IF NOT EXISTS articles_fetched ON articles (fetched);"
    /* One row per grouping key. Ids and times that may be absent are NULL
     * (the API reads them as 0). cluster_id has no foreign key: an empty
     * cluster is deleted (clusters.c) while its alert lives on. */
    "CREATE TABLE alerts ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  cluster_id INTEGER,"
    "  article_id INTEGER,"
    "  topic TEXT,"
    "  region TEXT,"
    "  level INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  title TEXT,"
    "  url TEXT,"
    "  reason TEXT,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  deadline INTEGER,"
    "  acked_at INTEGER,"
    "  acked_by TEXT,"
    "  assignee TEXT,"
    "  due INTEGER,"
    "  escalation INTEGER NOT NULL DEFAULT 0,"
    "  notified_at INTEGER,"
    "  notified_level INTEGER,"
    "  silence_id INTEGER,"
    "  overdue INTEGER NOT NULL DEFAULT 0"
    ");"
    /* mw_store_alert_list's order; the open alerts (what the engine's tick
     * and the duty desk read) in a partial index of their own. */
    "CREATE INDEX alerts_order ON alerts (level, created, id);"
    "CREATE INDEX alerts_open ON alerts (level, created, id)"
    "  WHERE state <> 'closed';"
    "CREATE TABLE alert_articles ("
    "  alert_id INTEGER NOT NULL REFERENCES alerts(id),"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (alert_id, article_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX alert_articles_article ON alert_articles (article_id);"
    "CREATE TABLE alert_events ("
    "  id INTEGER PRIMARY KEY,"
    "  alert_id INTEGER NOT NULL REFERENCES alerts(id),"
    "  at INTEGER NOT NULL,"
    "  actor TEXT,"
    "  action TEXT NOT NULL,"
    "  from_state TEXT,"
    "  to_state TEXT,"
    "  comment TEXT"
    ");"
    "CREATE INDEX alert_events_alert ON alert_events (alert_id, at);"
    "CREATE TABLE silences ("
    "  id INTEGER PRIMARY KEY,"
    "  topic TEXT,"
    "  region TEXT,"
    "  term TEXT,"
    "  starts INTEGER NOT NULL,"
    "  ends INTEGER NOT NULL,"
    "  created_by TEXT,"
    "  reason TEXT,"
    "  created INTEGER NOT NULL"
    ");"
    /* The outbox: alert_id NULL for a digest, sent_at NULL while pending.
     * No foreign key on alert_id: a message outlives nothing it needs. The
     * partial index is each receiver's queue in order. */
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  alert_id INTEGER,"
    "  receiver TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  text TEXT,"
    "  json TEXT,"
    "  created INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL,"
    "  last_error TEXT,"
    "  sent_at INTEGER"
    ");"
    "CREATE INDEX outbox_pending ON outbox (receiver, id)"
    "  WHERE sent_at IS NULL;"
    "CREATE INDEX outbox_alert ON outbox (alert_id) WHERE alert_id IS NOT NULL;"
    "CREATE TABLE held ("
    "  id INTEGER PRIMARY KEY,"
    "  receiver TEXT NOT NULL,"
    "  alert_id INTEGER,"
    "  at INTEGER NOT NULL,"
    "  line TEXT NOT NULL"
    ");"
    "CREATE INDEX held_receiver ON held (receiver, at);",
    /* 6: the mentions coverage targets count (store/mentions.c), so a count
     * never reads article texts. article_mentions holds an article under
     * every indexed term its title or text contains; mention_terms the
     * highest article id searched for each term, so indexing resumes
     * there and a term configured later is caught up from the start. */
    "CREATE TABLE article_mentions ("
    "  term TEXT NOT NULL,"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (term, article_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE mention_terms ("
    "  term TEXT PRIMARY KEY,"
    "  indexed_through INTEGER NOT NULL"
    ");",
    /* 7: the dashboard (mediawatch serve). Users and their web sessions
     * (the cookie's token is kept only as its SHA-256, so a copy of the
     * file signs no one in); the full-text index of titles and texts
     * (FTS5, trigram tokens so Chinese needs no word segmentation; external
     * content, so the texts are not stored twice; filled in batches by
     * store/search.c up to search_state's watermark, never on the crawl
     * path); counters that only grow, for /metrics (fetch_log is trimmed). */
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('viewer', 'duty', 'admin')),"
    "  hash TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  changed INTEGER NOT NULL"
    ");"
    "CREATE TABLE web_sessions ("
    "  token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX web_sessions_expires ON web_sessions (expires);"
    /* The cascade from users looks sessions up by user. */
    "CREATE INDEX web_sessions_user ON web_sessions (user_id);"
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, text,"
    "  content='articles', content_rowid='id', tokenize='trigram');"
    /* One row: the highest article id in article_fts. Articles are only
     * ever added, in id order, so everything above it is pending. */
    "CREATE TABLE search_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  indexed_through INTEGER NOT NULL"
    ");"
    "INSERT INTO search_state (id, indexed_through) VALUES (1, 0);"
    /* Start from what the fetch log still knows. */
    "CREATE TABLE counters ("
    "  name TEXT PRIMARY KEY,"
    "  value INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "INSERT INTO counters (name, value) VALUES"
    "  ('fetches', (SELECT count(*) FROM fetch_log)),"
    "  ('fetch_failures', (SELECT count(*) FROM fetch_log WHERE ok = 0));",
    /* 8: source health (store/health.c). The fetch log keeps what a usable
     * 200 yielded (links; NULL when not known) and the permanent redirect
     * followed; a source keeps its adaptive interval and why, the redirect
     * target its polls lead to and since when, and its first poll. An
     * existing source's first poll is the oldest one we know of: the fetch
     * log is trimmed, so the first article's fetch time (one index step
     * each) counts too, else the last poll. */
    "ALTER TABLE fetch_log ADD COLUMN links INTEGER;"
    "ALTER TABLE fetch_log ADD COLUMN moved_to TEXT;"
    "ALTER TABLE sources ADD COLUMN interval_s INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sources ADD COLUMN interval_why TEXT;"
    "ALTER TABLE sources ADD COLUMN moved_to TEXT;"
    "ALTER TABLE sources ADD COLUMN moved_since INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sources ADD COLUMN first_fetch INTEGER NOT NULL DEFAULT 0;"
    "UPDATE sources SET first_fetch = min("
    "  coalesce((SELECT min(f.fetched_at) FROM fetch_log f"
    "    WHERE f.source_id = sources.id), 9223372036854775807),"
    "  coalesce((SELECT a.fetched FROM articles a"
    "    WHERE a.source_id = sources.id ORDER BY a.id LIMIT 1),"
    "    9223372036854775807));"
    "UPDATE sources SET first_fetch = last_fetch"
    "  WHERE first_fetch = 9223372036854775807;"
    /* One narrow row per new article: what health judges extraction and
     * encoding on, read newest first per source. */
    "CREATE TABLE article_quality ("
    "  article_id INTEGER PRIMARY KEY"
    "    REFERENCES articles(id) ON DELETE CASCADE,"
    "  source_id INTEGER NOT NULL,"
    "  fetched INTEGER NOT NULL,"
    "  flags INTEGER NOT NULL,"
    "  chars INTEGER NOT NULL,"
    "  odd_chars INTEGER NOT NULL"
    ");"
    "CREATE INDEX article_quality_source ON article_quality"
    "  (source_id, article_id);"
    /* A source's publication times, newest first, read from the index
     * alone: counted_at sits behind the long text in the row. */
    "CREATE INDEX articles_source_counted ON articles (source_id, counted_at);"
    /* Problems found by the health check; cleared 0 while open, and at
     * most one open row per source and code. */
    "CREATE TABLE source_problems ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  code TEXT NOT NULL,"
    "  severity TEXT NOT NULL,"
    "  detail TEXT,"
    "  since INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  notified INTEGER NOT NULL DEFAULT 0,"
    "  cleared INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE UNIQUE INDEX source_problems_open ON source_problems"
    "  (source_id, code) WHERE cleared = 0;"
    /* Small named values that survive restarts (the last digest day). */
    "CREATE TABLE state ("
    "  name TEXT PRIMARY KEY,"
    "  value INTEGER NOT NULL"
    ") WITHOUT ROWID;",
    /* 9: article pages that yielded no article, one row per URL, so an
     * article template that defeats extraction altogether is seen. */
    "CREATE TABLE page_failures ("
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  url TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  reason TEXT,"
    "  PRIMARY KEY (source_id, url)"
    ") WITHOUT ROWID;"
    "CREATE INDEX page_failures_at ON page_failures (source_id, at);",
};

const size_t mw_store_n_migrations =
    sizeof mw_store_migrations / sizeof mw_store_migrations[0];
