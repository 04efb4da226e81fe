-- Full-text search over prompts and file names, kept in step by triggers.
-- Words are matched by prefix, case and accents ignored.

CREATE VIRTUAL TABLE runs_search USING fts5 (
	prompt, source_name,
	content = 'runs', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO runs_search (rowid, prompt, source_name) SELECT id, prompt, source_name FROM runs;

CREATE TRIGGER runs_search_insert AFTER INSERT ON runs BEGIN
	INSERT INTO runs_search (rowid, prompt, source_name) VALUES (new.id, new.prompt, new.source_name);
END;

CREATE TRIGGER runs_search_delete AFTER DELETE ON runs BEGIN
	INSERT INTO runs_search (runs_search, rowid, prompt, source_name) VALUES ('delete', old.id, old.prompt, old.source_name);
END;

CREATE TRIGGER runs_search_update AFTER UPDATE OF prompt, source_name ON runs BEGIN
	INSERT INTO runs_search (runs_search, rowid, prompt, source_name) VALUES ('delete', old.id, old.prompt, old.source_name);
	INSERT INTO runs_search (rowid, prompt, source_name) VALUES (new.id, new.prompt, new.source_name);
END;
