"""Incremental indexing and the embedding cache."""

import json

from conftest import load
from sqlalchemy import func, select

from matchmaker.matching import indexing
from matchmaker.records import importing
from models import CachedEmbedding, Supplier


def test_second_run_changes_nothing_and_embeds_nothing(workspace):
    first = load(workspace)
    assert first.kinds["supplier"].added == 15 and first.texts_encoded > 0
    second = indexing.update_index(workspace)
    assert second.texts_encoded == 0
    assert second.kinds["supplier"].unchanged == 15 and second.kinds["supplier"].updated == 0


def test_changed_and_deleted_records_are_picked_up(workspace, tmp_path):
    load(workspace)
    path = tmp_path / "change.jsonl"
    path.write_text(
        json.dumps({"id": "0101000012", "name": "Hong Ha Precision", "description": "Spring making"}) + "\n"
    )
    with workspace.sessions() as session:
        importing.import_file(db_session=session, kind="suppliers", path=path)
        session.delete(session.get(Supplier, "0101000014"))
        session.commit()
    report = indexing.update_index(workspace)
    assert report.kinds["supplier"].updated == 1 and report.kinds["supplier"].removed == 1
    assert report.texts_encoded == 1
    assert "0101000014" not in workspace.backend.indexed_hashes("supplier")


def test_rebuild_reuses_cached_embeddings(workspace):
    load(workspace)
    with workspace.sessions() as session:
        cached = session.scalar(select(func.count()).select_from(CachedEmbedding))
    report = indexing.update_index(workspace, rebuild=True)
    assert report.kinds["supplier"].added == 15
    assert report.texts_encoded == 0
    with workspace.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CachedEmbedding)) == cached


def test_a_new_run_brings_a_stale_index_up_to_date(workspace, tmp_path):
    """`matchmaker match` right after `matchmaker import` (no `index`) still sees the import."""
    from matchmaker.matching import service as matching
    from matchmaker.workspace import Workspace

    load(workspace)
    path = tmp_path / "new.jsonl"
    row = {"id": "0109999999", "name": "Công ty Đế giày Mới", "products": ["đế giày cao su", "đế EVA"]}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n")
    with workspace.sessions() as session:
        importing.import_file(db_session=session, kind="suppliers", path=path)
    next_run = Workspace(workspace.settings)
    found = [m.supplier_id for m in matching.match_requirement(next_run, "R-SOLE-KO", top=3)]
    next_run.close()
    assert "0109999999" in found


def test_an_index_in_an_older_layout_is_replaced(tmp_path):
    import sqlite3

    from indexer.backends.embedded import EmbeddedBackend

    old = tmp_path / "embedded.sqlite"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE VIRTUAL TABLE supplier_fts USING fts5(id UNINDEXED, text)")
    backend = EmbeddedBackend(tmp_path, dim=384)
    assert backend.count("supplier") == 0 and backend.source_version() is None


def test_a_rebuild_never_shows_a_partial_index_and_a_crash_keeps_the_old_one(workspace):
    """Searches during a rebuild see the complete old index; a rebuild that dies halfway
    leaves the old index and no up-to-date marker, so the next run repairs it."""
    from matchmaker.matching import service as matching

    load(workspace)
    backend = workspace.backend
    before = [m.supplier_id for m in matching.match_requirement(workspace, "R-DC-EN", top=5)]
    seen_during = []
    original = backend.upsert

    def upsert_then_search(documents, vectors):
        original(documents, vectors)
        seen_during.append(backend.count("supplier"))
        seen_during.append([m.supplier_id for m in matching.match_requirement(workspace, "R-DC-EN", top=5)])
        raise KeyboardInterrupt  # killed after the first batch

    backend.upsert = upsert_then_search
    try:
        indexing.update_index(workspace, rebuild=True)
    except KeyboardInterrupt:
        pass
    finally:
        backend.upsert = original
    assert seen_during == [15, before]
    assert backend.count("supplier") == 15
    assert not indexing.index_is_current(workspace)
    indexing.update_index(workspace)
    assert indexing.index_is_current(workspace)
    assert [m.supplier_id for m in matching.match_requirement(workspace, "R-DC-EN", top=5)] == before


def test_readers_keep_the_old_view_while_one_thread_builds_the_new(workspace):
    import threading

    load(workspace)
    backend = workspace.backend
    old = backend._view("supplier")
    gate, builds = threading.Event(), []
    real_build = backend._build_view

    def slow_build(kind, generation):
        builds.append(kind)
        gate.wait(10)
        return real_build(kind, generation)

    backend._build_view = slow_build
    with workspace.sessions() as session:  # a write moves the generation on
        record = session.get(Supplier, "0101000012")
    indexing.index_records(workspace, "supplier", [record.id])
    builder = threading.Thread(target=backend._view, args=("supplier",))
    builder.start()
    while not builds:
        pass
    views = [backend._view("supplier") for _ in range(5)]  # do not wait, do not build again
    gate.set()
    builder.join()
    backend._build_view = real_build
    assert all(v is old for v in views) and builds == ["supplier"]
    assert backend._view("supplier").generation > old.generation
