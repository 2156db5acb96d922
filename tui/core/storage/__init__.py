"""The store as a package: annotations and speaker corrections in TinyDB files, safe on disk.

- `atomic`: writing a file atomically and durably (the one implementation: the store, settings,
  caches and exports use it);
- `tinydb_files`: TinyDB storages (atomic, and in-memory staging) and table changes through
  TinyDB's public API;
- `shards`: the per-article files, their validation and what is cached of them;
- `journal`: all-or-nothing writes of several files, replayed after a crash;
- `migration`: opening a database, the schema, migrating schema 1;
- `status`: notices, read-only state, damaged files moved aside;
- `store`: the `AnnotationStore` facade; `anchored`: annotations that follow their text.

`tui.core.store` re-exports the public names, for callers written before the package.
"""
