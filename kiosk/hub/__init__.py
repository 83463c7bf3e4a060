"""The center hub: one FastAPI service that lobbies, desks and counters talk to (see app.create_app)."""
