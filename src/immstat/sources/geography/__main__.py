"""``python -m immstat.sources.geography SHARED_DATA_DIR [OUT_DIR]``: rebuild the reference CSVs."""

import sys
from pathlib import Path

from immstat.sources.geography.build import build_reference

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m immstat.sources.geography SHARED_DATA_DIR [OUT_DIR]")
    out = Path(sys.argv[2]) if len(sys.argv) == 3 else None
    for name, rows in build_reference(Path(sys.argv[1]), out).items():
        print(f"{name}: {rows} rows")
