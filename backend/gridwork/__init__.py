"""The hub's side of the grid's own work: register, visit plans, meetings, patrols, roster.

``tables`` holds the SQLAlchemy models (migration ``0006_gridwork``), ``store`` the queries
and writes (one transaction each, on the hub's :class:`backend.store.Store` engine),
``service`` answers the wire's GridworkQuery and GridworkCommand for a session,
``register_csv`` imports the register, ``seed`` fills a demo city, ``sim`` works it.
"""
