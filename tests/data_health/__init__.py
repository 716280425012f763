"""Tests of the revision ledger, data-health checks and freshness (issue 17)."""
