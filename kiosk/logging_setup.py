"""Process-wide logging with the PII filter installed on every handler, uvicorn's included."""

from __future__ import annotations

import logging
from typing import Any

from db.pii import PiiMaskingFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# uvicorn's loggers ("uvicorn.error" carries "Exception in ASGI application" with its traceback).
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def configure_logging(verbose: bool = False) -> None:
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stream)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for handler in root.handlers:
        if not any(isinstance(f, PiiMaskingFilter) for f in handler.filters):
            handler.addFilter(PiiMaskingFilter())


def uvicorn_log_config() -> dict[str, Any]:
    """The `log_config` for uvicorn, instead of its own (whose handlers print records unmasked).

    uvicorn's loggers get no handlers of their own: their records propagate to the root handlers
    that configure_logging filtered. The filter also sits on each uvicorn logger, so a record is masked
    where it is made, whatever handler (a test's, logging.lastResort) ends up printing it. Servers
    also run with access_log=False: its lines carry the request path and query, and the hub's audit
    chain already says who did what.
    """
    for name in UVICORN_LOGGERS:  # dictConfig adds filters: one per logger, however many servers ran
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, PiiMaskingFilter)]:
            logger.removeFilter(old)
    pii = {"()": PiiMaskingFilter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"pii": pii},
        "loggers": {
            name: {"handlers": [], "propagate": True, "filters": ["pii"]} for name in UVICORN_LOGGERS
        },
    }
