"""Imports every ``catalog_*.py`` module here; each registers the metrics of one source family."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("catalog_"):
        importlib.import_module(f"{__package__}.{_info.name}")
