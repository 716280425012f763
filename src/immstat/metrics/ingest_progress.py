"""``python -m immstat.metrics.ingest_progress DB FILE``: ingest one file, printing the rows read
so far after each batch, then ``finished`` — a child process that the kill -9 test and the 100 M
benchmark stop at a chosen row."""

from __future__ import annotations

import sys

from immstat.metrics.warehouse import Warehouse


def main(db: str, path: str) -> None:
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        print(done, flush=True)

    Warehouse(db).ingest([path], progress=progress)
    print("finished", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
