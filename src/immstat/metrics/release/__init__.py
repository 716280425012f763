"""The protected release: every record-derived number ImmStat shows is read from it.

``count`` (Ibis: every lattice cell once) → ``model`` (the linked equations) → ``protect``
(primary + MILP complementary suppression) → ``audit`` (exact) → ``store`` (warehouse tables +
manifest). ``build`` runs them per family; ``metrics/query.py`` reads the result.
"""
