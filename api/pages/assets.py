"""Static files: the project's own CSS/JS and the YASGUI build installed by `npm ci` in api/static."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SITE_DIR = STATIC_DIR / "site"
YASGUI_DIR = STATIC_DIR / "node_modules" / "@zazuko" / "yasgui" / "build"


def yasgui_installed() -> bool:
    return (YASGUI_DIR / "yasgui.min.js").is_file()


def mount_static(app: FastAPI) -> None:
    """Serve /static/site (own files) and /static/yasgui (the YASGUI build from node_modules)."""
    app.mount("/static/site", StaticFiles(directory=SITE_DIR), name="site-static")
    app.mount("/static/yasgui", StaticFiles(directory=YASGUI_DIR, check_dir=False), name="yasgui-static")
