"""Each thread gets its own Meilisearch client: the SDK edits shared headers per call."""

import threading
from pathlib import Path

from sqlalchemy import create_engine

from core.settings import Settings
from search.local_meilisearch import MeilisearchEndpoint
from service.web.context import AppContext


def test_one_client_per_thread(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    context = AppContext(
        settings, create_engine("sqlite://"), MeilisearchEndpoint("http://127.0.0.1:1", "k")
    )
    mine = context.meili
    assert context.meili is mine
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(context.meili))
    thread.start()
    thread.join()
    assert theirs[0] is not mine
    assert theirs[0].config.url == mine.config.url == "http://127.0.0.1:1"  # type: ignore[attr-defined]
