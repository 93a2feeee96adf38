"""Incremental indexing and the embedding cache."""

import json

import numpy as np
from conftest import load
from sqlalchemy import func, select

from indexer.documents import SearchDocument
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


def test_readers_keep_the_old_view_while_one_thread_brings_it_up_to_date(workspace):
    import threading

    load(workspace)
    backend = workspace.backend
    old = backend._view("supplier")
    gate, patches = threading.Event(), []
    real_patch = backend._patched

    def slow_patch(kind, view):
        patches.append(kind)
        gate.wait(10)
        return real_patch(kind, view)

    backend._patched = slow_patch
    with workspace.sessions() as session:  # a write moves the change log on
        record = session.get(Supplier, "0101000012")
    indexing.index_records(workspace, "supplier", [record.id])
    builder = threading.Thread(target=backend._view, args=("supplier",))
    builder.start()
    while not patches:
        pass
    views = [backend._view("supplier") for _ in range(5)]  # do not wait, do not patch again
    gate.set()
    builder.join()
    backend._patched = real_patch
    assert all(v is old for v in views) and patches == ["supplier"]
    assert backend._view("supplier").seq > old.seq


def test_a_write_patches_the_view_and_searches_see_it_at_once(workspace):
    """A new and a deleted supplier reach the next search through a patch (never a rebuild), in
    this process and in another that shares the index file."""
    from indexer.backends.base import Query
    from indexer.backends.embedded import EmbeddedBackend

    load(workspace)
    backend = workspace.backend
    elsewhere = EmbeddedBackend(backend.path.parent, backend.dim)  # another process's engine
    base, base_elsewhere = backend._view("supplier"), elsewhere._view("supplier")
    builds = []
    for engine in (backend, elsewhere):
        real = engine._built
        engine._built = lambda kind, real=real: builds.append(kind) or real(kind)
    docs = backend.fetch("supplier", ["0101000001"])
    new = SearchDocument(
        "supplier", "N-1", "h", "", "duc ap luc nhom", "cxdiecasting", docs["0101000001"].payload
    )
    backend.upsert([new], np.stack([docs["0101000001"].vector]))
    backend.delete("supplier", ["0101000002"])
    for engine in (backend, elsewhere):
        query = Query(["duc", "ap", "luc", "nhom"], [], docs["0101000001"].vector, {})
        lexical = [c.id for c in engine.lexical("supplier", query, 20)]
        dense = [c.id for c in engine.dense("supplier", query, 20)]
        assert "N-1" in lexical and "N-1" in dense
        assert "0101000002" not in lexical + dense
    assert builds == []  # patched, not rebuilt
    assert backend._view("supplier").size == base.size + 1
    assert elsewhere._view("supplier").alive.sum() == 15
    assert base.size == base_elsewhere.size == 15  # the old views were left as they were


def test_after_many_patches_the_exact_view_is_rebuilt_in_the_background(workspace):
    from indexer.backends.base import Query
    from indexer.backends.embedded import EmbeddedBackend

    load(workspace)
    backend = workspace.backend
    backend._view("supplier")
    doc = backend.fetch("supplier", ["0101000001"])["0101000001"]
    many = [
        SearchDocument("supplier", f"N-{i}", "h", "", f"duc ap luc nhom lo {i}", "", doc.payload)
        for i in range(80)
    ]
    backend.upsert(many, np.stack([doc.vector] * len(many)))
    patched = backend._view("supplier")
    assert patched.needs_compaction and patched.size == 95
    backend._compacting["supplier"].join(30)
    exact = backend._view("supplier")
    assert exact.patched_rows == 0 and exact.size == 95 and exact is not patched
    fresh = EmbeddedBackend(backend.path.parent, backend.dim)
    query = Query(["duc", "nhom", "lo"], [], doc.vector, {})
    assert [(c.id, round(c.lexical, 5)) for c in backend.lexical("supplier", query, 30)] == [
        (c.id, round(c.lexical, 5)) for c in fresh.lexical("supplier", query, 30)
    ]


def test_warming_up_loads_what_a_first_search_needs_and_freezes_it(workspace):
    """`matchmaker serve` warms up before its first request: over records imported but not yet
    indexed, the index is brought up to date and the view built; then the heap is frozen and
    the youngest generation may grow."""
    import gc

    from conftest import DATA

    from matchmaker.matching import service as matching

    with workspace.sessions() as session:
        importing.import_file(db_session=session, kind="suppliers", path=DATA / "suppliers.jsonl")
    assert not indexing.index_is_current(workspace)
    thresholds = gc.get_threshold()
    try:
        matching.warm_up(workspace)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == matching.SEARCH_GC_THRESHOLD > thresholds[0]
    finally:
        gc.unfreeze()  # the rest of the test run keeps an ordinary heap and collector
        gc.set_threshold(*thresholds)
    assert workspace.index_checked and indexing.index_is_current(workspace)
    assert workspace.backend._views.get("supplier") is not None  # no view build left for a request


def test_the_8_bit_knn_pass_finds_what_an_exact_scan_finds_and_honours_filters():
    """Over a view too large for the shortcut (every row rescored), the 8-bit first pass and the
    exact rescoring return the exact scan's nearest rows; the stored graph is what onnx builds."""
    from onnx import TensorProto, helper

    from indexer.backends import embedded_view

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(3000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [
        embedded_view.Row(f"S{i:05d}", ["x"], {"ownership": "domestic_private"}, b"{}", vectors[i])
        for i in range(len(vectors))
    ]
    view = embedded_view.build(rows, 384, seq=0, epoch=0)
    query = vectors[11] + 0.5 * vectors[12]
    query /= np.linalg.norm(query)
    exact = vectors @ query
    assert view.size > 50 * embedded_view.RESCORE_FACTOR + embedded_view.RESCORE_EXTRA
    found = embedded_view.dense_candidates(view, query, 50, None)
    assert [row for row, _ in found] == list(np.argsort(-exact, kind="stable")[:50])
    assert np.allclose([score for _, score in found], np.sort(exact)[::-1][:50], atol=1e-5)
    passing = np.arange(len(vectors)) % 2 == 1  # odd rows only: row 11 stays, row 12 goes
    filtered = [row for row, _ in embedded_view.dense_candidates(view, query, 20, passing)]
    assert filtered[0] == 11 and all(row % 2 == 1 for row in filtered)
    assert filtered == [int(i) for i in np.argsort(-np.where(passing, exact, -np.inf), kind="stable")[:20]]

    node = helper.make_node("MatMulInteger", ["codes", "query"], ["scores"])
    inputs = [
        helper.make_tensor_value_info("codes", TensorProto.UINT8, ["rows", "dim"]),
        helper.make_tensor_value_info("query", TensorProto.INT8, ["dim", 1]),
    ]
    outputs = [helper.make_tensor_value_info("scores", TensorProto.INT32, ["rows", 1])]
    graph = helper.make_graph([node], "knn", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    assert model.SerializeToString() == embedded_view.KNN_GRAPH


def test_a_small_view_is_scanned_exactly_in_row_order_for_ties():
    from indexer.backends import embedded_view

    vector = np.zeros(384, np.float32)
    vector[0] = 1.0
    rows = [embedded_view.Row(f"S{i}", ["x"], {}, b"{}", vector) for i in range(5)]
    view = embedded_view.build(rows, 384, seq=0, epoch=0)
    assert [row for row, _ in embedded_view.dense_candidates(view, vector, 3, None)] == [0, 1, 2]
    passing = np.array([False, True, False, True, True])
    assert [row for row, _ in embedded_view.dense_candidates(view, vector, 3, passing)] == [1, 3, 4]
