"""Serve `build/static/` with a one-year immutable cache, and gzip text responses app-wide."""

from __future__ import annotations

from typing import Any

from litestar import Router, get
from litestar.config.compression import CompressionConfig
from litestar.datastructures import CacheControlHeader, Headers
from litestar.enums import CompressionEncoding
from litestar.exceptions import NotFoundException
from litestar.middleware.compression import CompressionMiddleware
from litestar.params import FromPath
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import File
from litestar.types import Message, Scope, Send

from service.assets.manifest import URL_PREFIX, AssetManifest

ONE_YEAR = 31_536_000
IMMUTABLE = CacheControlHeader(public=True, max_age=ONE_YEAR, immutable=True)
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")
COMPRESSIBLE_SUFFIXES = ("+json", "+xml")


def static_assets_router(manifest: AssetManifest, path: str = URL_PREFIX) -> Router:
    """`GET {path}/<fingerprinted name>`: only files the manifest lists, cached for a year."""

    @get("/{file_name:str}", cache_control=IMMUTABLE, include_in_schema=False, sync_to_thread=False)
    def static_asset(file_name: FromPath[str]) -> File:
        served = manifest.served_file(file_name)
        if served is None:
            raise NotFoundException(f"file non trovato: {file_name}")
        return File(path=served, filename=file_name, content_disposition_type="inline")

    return Router(path=path, route_handlers=[static_asset])


def register_asset_global(engine: JinjaTemplateEngine, manifest: AssetManifest) -> None:
    """Templates write `{{ asset("site.css") }}` for the fingerprinted URL."""
    engine.engine.globals["asset"] = manifest.url


def is_compressible(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith(COMPRESSIBLE_TYPES) or media_type.endswith(COMPRESSIBLE_SUFFIXES)


class TextCompressionMiddleware(CompressionMiddleware):
    """Litestar's compression, skipped for fonts and images (already compressed)."""

    def create_compression_send_wrapper(
        self,
        send: Send,
        compression_encoding: Any,
        scope: Scope,
    ) -> Send:
        compressing = super().create_compression_send_wrapper(send, compression_encoding, scope)
        compress = True

        async def send_wrapper(message: Message) -> None:
            nonlocal compress
            if message["type"] == "http.response.start":
                content_type = Headers(message["headers"]).get("content-type", "")
                compress = is_compressible(content_type)
            await (compressing if compress else send)(message)

        return send_wrapper


def compression_config() -> CompressionConfig:
    return CompressionConfig(
        backend=CompressionEncoding.GZIP,
        gzip_compress_level=6,
        minimum_size=500,
        middleware_class=TextCompressionMiddleware,
    )
