"""Front-end assets: built into `build/static/` by `python -m service.assets` (`make assets`).

`build` writes fingerprinted files and `manifest.json`; `manifest` reads it back for the app
(`AssetManifest.url("site.css")`, the Jinja global `asset`); `serving` serves the files with a
one-year immutable cache and compresses text responses.
"""
