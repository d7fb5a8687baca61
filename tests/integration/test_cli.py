"""The `conciliamo` command, run as a person would, against real services."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from search.local_meilisearch import MeilisearchEndpoint
from service.cli.main import main

pytestmark = pytest.mark.integration


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help() -> None:
    runner = CliRunner()
    paths = list(_commands(main))
    assert {("serve",), ("import",), ("reindex",), ("check",), ("import", "demo")} <= set(paths)
    for path in paths:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        command = main
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert command.help, f"`conciliamo {' '.join(path)}` has no help text"


@pytest.fixture
def env(
    database_url: str, meilisearch: MeilisearchEndpoint, index_prefix: str, tmp_path: Path
) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "MEILI_URL": meilisearch.url,
        "MEILI_MASTER_KEY": meilisearch.api_key,
        "CONCILIAMO_INDEX_PREFIX": index_prefix,
        "CONCILIAMO_DATA_DIR": str(tmp_path),
    }


def test_import_reindex_check(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    report_path = tmp_path / "report.json"

    imported = runner.invoke(main, ["import", "demo", "--report", str(report_path)], env=env)
    assert imported.exit_code == 0, imported.output
    assert "servizi.csv: lette 72, inserite 72, aggiornate 0, invariate 0, scartate 0" in (
        imported.output
    )
    assert json.loads(report_path.read_text())["inserted"] == 72

    unsynced = runner.invoke(main, ["check"], env=env)
    assert unsynced.exit_code == 1
    assert "72 missing from the index" in unsynced.output
    assert "database and index differ: start `conciliamo worker`" in unsynced.output

    assert runner.invoke(main, ["reindex"], env=env).exit_code == 0
    checked = runner.invoke(main, ["check"], env=env)
    assert checked.exit_code == 0, checked.output
    assert "database: 72 published services; index: 72 documents" in checked.output
    assert "in sync" in checked.output


def test_corrupt_file_is_a_clear_error(env: dict[str, str], tmp_path: Path) -> None:
    corrupt = tmp_path / "scuole.csv"
    corrupt.write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(main, ["import", "miur-infanzia", str(corrupt)], env=env)
    assert result.exit_code == 1
    assert "scuole.csv: non è un file CSV di testo" in result.output
    assert "(nulla è stato salvato)" in result.output


def test_dry_run_reports_without_storing(env: dict[str, str]) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["import", "demo", "--dry-run"], env=env)
    assert "inserite 72" in result.output and "(prova: nulla è stato salvato)" in result.output
    again = runner.invoke(main, ["import", "demo"], env=env)
    assert "inserite 72" in again.output
