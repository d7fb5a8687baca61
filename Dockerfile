# Production image of the Conciliamo app (the web service and the `conciliamo` command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.lock pyproject.toml README.md ./
RUN pip install -r requirements.lock

COPY service ./service
COPY search ./search
COPY importers ./importers
COPY templates ./templates
COPY demo ./demo
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 conciliamo \
    && mkdir -p /app/var && chown conciliamo /app/var
USER conciliamo

EXPOSE 8000
CMD ["conciliamo", "serve", "--host", "0.0.0.0", "--port", "8000"]
