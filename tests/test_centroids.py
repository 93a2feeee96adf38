"""The encoder's language centroids: a request is compared with a profile for what it says, not
for the language both are written in (real encoder, bundled centroids)."""

from datetime import date

import numpy as np
import pytest

from indexer.centroids import CENTRED_RANGE, OVERALL
from indexer.documents import requirement_document, supplier_document
from indexer.encoders import load_encoder
from matchmaker.config import DEFAULT_MODEL
from matchmaker.matching.ranking import Scorer
from models.vocabulary.text import language_of


@pytest.mark.parametrize(
    "text, language",
    [
        ("Khung ghế ngồi xe buýt hàn từ ống thép", "vi"),
        ("Chuyen ep nhua linh kien cho may giat va tu lanh", "vi-plain"),
        ("Hex bolts, nuts and washers, cold forged", "en"),
        # an English profile that names its firm in Vietnamese is still English
        ("Đông Á Springs Co., Ltd: compression and torsion springs in spring steel", "en"),
        ("Cong ty Duc Viet: grey iron castings", "en"),
        ("ステンレス製の圧縮ばね", "ja"),
        ("스테인리스 압축 스프링", "ko"),
        ("不锈钢压缩弹簧", "zh"),
    ],
)
def test_language_of(text, language):
    assert language_of(text) == language


@pytest.fixture(scope="module")
def encoder():
    return load_encoder(DEFAULT_MODEL)


def test_the_default_encoder_ships_its_centroids(encoder):
    centroids = encoder.centroids
    assert centroids is not None and {"vi", "vi-plain", "en", OVERALL} <= set(centroids.vectors)
    # a language no sample profile is written in is centred on the mean of all
    assert centroids.of("ja") == OVERALL and centroids.of("vi") == "vi"


def test_centred_cosine_is_the_cosine_of_centred_vectors(encoder):
    centroids = encoder.centroids
    rng = np.random.default_rng(7)
    for query_language, supplier_language in (("vi", "en"), ("ja", "vi-plain"), ("en", "en")):
        query, supplier = (v / np.linalg.norm(v) for v in rng.normal(size=(2, encoder.dim)))
        explicit = float(
            np.dot(centroids.centre(query, query_language), centroids.centre(supplier, supplier_language))
        )
        fast = centroids.centred_cosine(centroids.centre(query, query_language), supplier, supplier_language)
        assert fast == pytest.approx(explicit, abs=1e-5)


REQUESTS = {
    "Vỏ hộp số xe máy đúc áp lực nhôm ADC12": "Aluminium die casting of gearbox housings and engine covers",
    "Bu lông lục giác mạ kẽm M12": "Hex bolts, nuts and washers, cold forged and zinc plated",
}
OTHER_TRADES_IN_VIETNAMESE = [
    "Chuyên may quần áo bảo hộ lao động và đồng phục công nhân",
    "Sản xuất bao bì carton và thùng giấy in offset",
    "Chuyên dệt vải cotton và vải pha polyester",
]


@pytest.mark.parametrize("request_text", list(REQUESTS))
def test_a_firm_of_the_trade_beats_firms_that_only_share_the_language(encoder, request_text):
    centroids = encoder.centroids
    query = encoder.encode_queries([request_text])[0]
    right, *others = encoder.encode_passages([REQUESTS[request_text], *OTHER_TRADES_IN_VIETNAMESE])
    # Raw cosine ranks every Vietnamese profile above the English one of the right trade…
    assert float(np.dot(query, right)) < min(float(np.dot(query, o)) for o in others)
    # …centred on their languages, the right trade comes first.
    centred = centroids.centre(query, language_of(request_text))
    theirs = [centroids.centred_cosine(centred, o, "vi") for o in others]
    assert centroids.centred_cosine(centred, right, "en") > max(theirs)


def test_the_scorer_compares_centred_vectors(encoder):
    requirement = requirement_document({"id": "R", "title": "Bu lông lục giác mạ kẽm M12"})
    supplier = supplier_document(
        {
            "id": "S",
            "name": "Hanoi Fasteners",
            "products": ["hex bolts", "nuts"],
            "processes": ["cold forging"],
        }
    )
    assert requirement.payload["language"] == "vi" and supplier.payload["language"] == "en"
    query = encoder.encode_queries([requirement.embed_text])[0]
    vector = encoder.encode_passages([supplier.embed_text])[0]
    frequencies = (1, {})
    raw = Scorer(encoder.similarity_range, today=date(2026, 12, 1))
    centred = Scorer(encoder.similarity_range, today=date(2026, 12, 1), centroids=encoder.centroids)
    plain = raw.score(raw.prepare(requirement.payload, query, frequencies), supplier.payload, vector)
    fair = centred.score(centred.prepare(requirement.payload, query, frequencies), supplier.payload, vector)
    assert plain.explanation["components"]["cosine"] == pytest.approx(float(np.dot(query, vector)), abs=1e-4)
    expected = encoder.centroids.centred_cosine(encoder.centroids.centre(query, "vi"), vector, "en")
    assert fair.explanation["components"]["cosine"] == pytest.approx(expected, abs=1e-4)
    low, high = CENTRED_RANGE
    assert fair.explanation["components"]["dense"] == pytest.approx((expected - low) / (high - low), abs=1e-3)
