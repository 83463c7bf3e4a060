"""The citizen's phone (issue 19): a small mobile web the hub serves under ``/m/``, without an app or a login.

Its own router, its own rate limit and its own security headers: a public page never reaches the
counselor API, and a web token is not a hub token. Pages are server-rendered (Jinja2) and readable
without JavaScript; a little plain script (served from here, no inline code) adds live updates.
"""
