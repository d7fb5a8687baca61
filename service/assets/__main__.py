"""`python -m service.assets [--out DIR]`: build the front-end assets (what `make assets` runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.assets.build import build_assets, describe
from service.assets.manifest import BUILD_DIR
from service.assets.purge import AssetBuildError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.assets", description=__doc__)
    parser.add_argument("--out", type=Path, help=f"output directory (default {BUILD_DIR})")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    out_dir = args.out or BUILD_DIR
    try:
        manifest = build_assets(out_dir)
    except AssetBuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(describe(manifest, out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
