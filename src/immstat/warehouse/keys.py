"""Person keys: an HMAC-SHA256 of a FOIA release's anonymised identifier, with a per-warehouse
secret, scoped to one release.

``person_key = HMAC-SHA256(secret, scope + "|" + raw identifier)`` where ``scope`` names the
release (its FOIA number, else its release date), so the same person links across the files of
one release and never across releases (releases re-key their identifiers anyway). The secret is
32 random bytes made at the first record-level ingest and kept in ``<warehouse>.key`` beside the
warehouse file, mode 0600 — never in a table. Without it nobody holding the public file can map
keys back to identifiers, and two warehouses give different keys for the same person. Lose the
key file and new ingests no longer link to what is loaded: keep it with the warehouse.

The HMAC runs inside DuckDB (``sha256`` over byte strings, RFC 2104), so keys are computed in the
same vectorised insert as the rest of the row; :func:`person_key` is the same function in Python.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from immstat.core.errors import IngestError

KEY_BYTES = 32
_BLOCK = 64  # SHA-256 block size


def key_path(db: Path) -> Path:
    """The secret's file beside warehouse ``db`` (``immstat.duckdb`` → ``immstat.duckdb.key``)."""
    return db.with_name(db.name + ".key")


def warehouse_secret(db: Path) -> bytes:
    """The warehouse's secret; created (mode 0600) on first use, tightened to 0600 if looser."""
    path = key_path(db)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, 0o600)
        text = path.read_text(encoding="ascii").strip()
        try:
            secret = bytes.fromhex(text)
        except ValueError:
            secret = b""
        if len(secret) != KEY_BYTES:
            raise IngestError(f"{path}: not an ImmStat key file ({KEY_BYTES} bytes as hex). Restore "
                              "it from a backup, or move it away to start a new key (then records "
                              "loaded before no longer link to new ones).") from None
        return secret
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    return warehouse_secret(db)


def person_key(secret: bytes, scope: str, raw: str) -> str:
    """Reference implementation of the key DuckDB computes (hex digest)."""
    return hmac.new(secret, f"{scope}|{raw}".encode(), hashlib.sha256).hexdigest()


def person_key_sql(column: str) -> str:
    """SQL for the key of ``column``; parameters from :func:`person_key_params`, in order."""
    inner = f"unhex(sha256(?::BLOB || encode(? || \"{column}\")))"
    return f"CASE WHEN \"{column}\" IS NULL THEN NULL ELSE sha256(?::BLOB || {inner}) END"


def person_key_params(secret: bytes, scope: str) -> list:
    """[outer pad, inner pad, scope prefix]: the HMAC's key pads for :func:`person_key_sql`."""
    key = secret.ljust(_BLOCK, b"\0")
    outer = bytes(b ^ 0x5C for b in key)
    inner = bytes(b ^ 0x36 for b in key)
    return [outer, inner, f"{scope}|"]
