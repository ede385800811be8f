"""Where the data lives. ACUMAP_DATA_DIR overrides it (tests point it at a broken copy)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]  # src/acumap/data/paths.py -> the repository


def data_dir() -> Path:
    override = os.environ.get("ACUMAP_DATA_DIR")
    return Path(override) if override else REPO_ROOT / "data"


def seed_dir() -> Path:
    """The shared seed folder beside the repository, where the articles' text is kept."""
    override = os.environ.get("ACUMAP_SEED_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "seeds"
