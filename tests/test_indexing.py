"""Incremental indexing and the embedding cache."""

import json

from conftest import load
from sqlalchemy import func, select

from matchmaker import importing, indexing
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
