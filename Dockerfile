# newsmon's image: the API (`newsmon serve`) and the crawler (`newsmon watch`) run from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    NEWSMON_HOST=0.0.0.0 NEWSMON_PORT=8000 NEWSMON_ELASTIC_SPOOL_PATH=/data/elastic_spool.db

WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p newsmon crawler nlp api digest && touch newsmon/__init__.py \
    && pip install ".[elasticsearch]" && pip uninstall -y newsmon
COPY newsmon newsmon
COPY crawler crawler
COPY nlp nlp
COPY api api
COPY digest digest
RUN pip install --no-deps ".[elasticsearch]" \
    && useradd --system --uid 10001 --home /data newsmon && mkdir -p /data && chown newsmon /data

USER newsmon
VOLUME /data
EXPOSE 8000
CMD ["newsmon", "serve"]
