# Production image of the Conciliamo app (the web service and the `conciliamo` command).

# 1. npm packages of the front end (bootstrap-italia, Leaflet, htmx, PurgeCSS), from the lock.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY frontend/package.json frontend/package-lock.json ./frontend/
RUN npm ci --prefix frontend --no-audit --no-fund

# 2. build/static: purged, fingerprinted assets + manifest.json (what `make assets` does).
#    The build step needs only node and the Python standard library.
FROM python:3.11-slim-bookworm AS assets
WORKDIR /app
COPY --from=frontend /usr/local/bin/node /usr/local/bin/node
COPY --from=frontend /app/frontend/node_modules ./frontend/node_modules
COPY frontend/purge.mjs ./frontend/
COPY service ./service
COPY templates ./templates
RUN python -m service.assets

# 3. The app.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.lock pyproject.toml README.md ./
RUN pip install -r requirements.lock

COPY core ./core
COPY service ./service
COPY search ./search
COPY importers ./importers
COPY templates ./templates
COPY demo ./demo
COPY --from=assets /app/build/static ./build/static
# editable: the code finds templates/, demo/ and build/static/ beside it, under /app
RUN pip install --no-deps -e . \
    && useradd --create-home --uid 10001 conciliamo \
    && mkdir -p /app/var && chown conciliamo /app/var
USER conciliamo

EXPOSE 8000
CMD ["conciliamo", "serve", "--host", "0.0.0.0", "--port", "8000"]
