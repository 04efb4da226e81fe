-- Runs and their variants. Times are Unix milliseconds, 0 when not yet.
-- Paths of files inside the library are relative to its folder.

CREATE TABLE runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: images/<id>/ stays unique
	owner       TEXT    NOT NULL DEFAULT '',       -- session that runs it (see Resume)
	source_path TEXT    NOT NULL DEFAULT '',
	source_hash TEXT    NOT NULL DEFAULT '',       -- sha256 of the file's content
	source_url  TEXT    NOT NULL DEFAULT '',
	source_name TEXT    NOT NULL DEFAULT '',       -- file name, for search and lists
	prompt      TEXT    NOT NULL,
	variants    INTEGER NOT NULL,                  -- how many were asked for
	options     TEXT    NOT NULL DEFAULT '{}',     -- canonical JSON
	skip_key    TEXT    NOT NULL,                  -- digest of content + prompt + variants + options
	backend     TEXT    NOT NULL,                  -- service host, or 'offline engine'
	task_id     TEXT    NOT NULL DEFAULT '',
	state       TEXT    NOT NULL,
	error       TEXT    NOT NULL DEFAULT '',
	added_ms    INTEGER NOT NULL,
	sent_ms     INTEGER NOT NULL DEFAULT 0,
	created_ms  INTEGER NOT NULL DEFAULT 0,
	finished_ms INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX runs_by_shot ON runs (source_hash, id);
CREATE INDEX runs_done_by_key ON runs (skip_key) WHERE state = 'done';
CREATE INDEX runs_by_state ON runs (state); -- finds the few under way among many done
CREATE INDEX runs_by_sent ON runs (sent_ms) WHERE backend <> 'offline engine';

CREATE TABLE variants (
	run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	n            INTEGER NOT NULL,               -- 1-based variant number
	kept_path    TEXT    NOT NULL,               -- the library's own copy
	cached_path  TEXT    NOT NULL DEFAULT '',
	saved_path   TEXT    NOT NULL DEFAULT '',    -- in the output folder
	width        INTEGER NOT NULL DEFAULT 0,
	height       INTEGER NOT NULL DEFAULT 0,
	format       TEXT    NOT NULL DEFAULT '',    -- content type
	starred      INTEGER NOT NULL DEFAULT 0,
	thumb_path   TEXT    NOT NULL DEFAULT '',    -- '' until made
	thumb_failed INTEGER NOT NULL DEFAULT 0,     -- 1: the image could not be read
	saved_ms     INTEGER NOT NULL,
	PRIMARY KEY (run_id, n)
) WITHOUT ROWID;

CREATE INDEX variants_thumb_pending ON variants (run_id) WHERE thumb_path = '' AND thumb_failed = 0;
