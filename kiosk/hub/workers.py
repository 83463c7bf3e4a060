"""The hub as one of several uvicorn worker processes (`kiosk hub --workers N`, PostgreSQL only).

uvicorn starts each worker fresh and calls `kiosk.hub.workers:create_app_from_env`, so everything a worker
needs comes from the environment the supervising `kiosk hub` set (`worker_environment`): the database,
the settings file, the signing certificate, the CA fingerprint.

The background jobs — the SMS sender (the gateway's one bind), after-care reminders and the HQ pusher —
must run once per center, not once per worker. The worker that takes a PostgreSQL advisory lock at its
start runs them and holds the lock on a connection of its own for as long as it lives; the others skip
them. When that worker dies its connection closes, the lock is free, and uvicorn's replacement worker
takes it at its start. The other workers still offer SMS: they store messages in the outbox (the same
table), and the sender in the lock holder sends them within its poll interval.

The HTTP provider's webhooks (delivery reports, replies) reach whichever worker the kernel picks, so
every worker mounts one (kiosk.sms.http.webhook_shared): each webhook id is taken once in the database,
the holder hands it to its gateway, the others write the report to the outbox's rows and hear replies
themselves (opt-out words, after-care reply codes: both are database writes).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from fastapi import FastAPI

from kiosk.context import AppContext

log = logging.getLogger("kiosk.hub")

ENV_SIGNING_CERT = "KIOSK_HUB_WORKER_SIGNING_CERT"
ENV_SIGNING_KEY = "KIOSK_HUB_WORKER_SIGNING_KEY"
ENV_CA_FINGERPRINT = "KIOSK_HUB_WORKER_CA_FINGERPRINT"
# Advisory locks are database-wide: the key carries the schema, so hubs in two schemas keep one each.
JOBS_LOCK_KEY = "hashtext(current_schema() || ':kiosk-hub-background-jobs')"
TRY_JOBS_LOCK = f"SELECT pg_try_advisory_lock({JOBS_LOCK_KEY})"


def worker_environment(
    ctx: AppContext,
    *,
    signing_cert: str | None,
    signing_key: str | None,
    ca_fingerprint: str | None,
) -> dict[str, str]:
    """What the supervisor puts in the environment for its workers (they inherit it)."""
    env = {"KIOSK_DB_URL": ctx.db_url}
    if ctx.config_file:
        env["KIOSK_CONFIG"] = ctx.config_file
    if signing_cert and signing_key:
        env[ENV_SIGNING_CERT], env[ENV_SIGNING_KEY] = signing_cert, signing_key
    if ca_fingerprint:
        env[ENV_CA_FINGERPRINT] = ca_fingerprint
    return env


class _NoSendGateway:
    """The gateway of a worker that does not send: the outbox stores, the lock holder's sender sends.
    Replies the provider posts to this worker go to ``replies`` (the outbox registers its handler)."""

    name = "other-worker"

    def __init__(self) -> None:
        self.replies: list[Any] = []

    def submit(self, message: Any) -> Any:
        raise RuntimeError("this worker does not send SMS; the background-jobs worker does")

    def on_report(self, handler: Any) -> None:
        pass  # reports are written by kiosk.sms.http.webhook_shared.StoreOnlyHandler

    def on_inbound(self, handler: Any) -> None:
        self.replies.append(handler)

    def close(self) -> None:
        pass


@dataclass
class BackgroundJobs:
    """The jobs of the one worker holding the advisory lock (``holder``); nothing in the others."""

    holder: psycopg.Connection[Any] | None
    running: list[Any] = field(default_factory=list)

    @classmethod
    def claim(cls, conninfo: str) -> BackgroundJobs:
        conn = psycopg.connect(conninfo, autocommit=True)
        row = conn.execute(TRY_JOBS_LOCK).fetchone()
        if row is not None and row[0]:
            log.info("worker %d runs the background jobs (SMS sender, reminders, HQ sync)", os.getpid())
            return cls(conn)
        conn.close()
        return cls(None)

    def sms_service(self, ctx: AppContext, keys: Any) -> Any:
        """The started service in the holder; an unstarted, store-only one elsewhere (None: SMS off)."""
        from kiosk.sms.config import section_templates
        from kiosk.sms.service import SmsService, service_from_settings

        if self.holder is not None:
            sms = service_from_settings(ctx.settings, ctx.sessions, keys)
            if sms is not None:
                self.running.append(sms)
            return sms
        section = ctx.settings.sms
        if section.backend == "off":
            return None
        return SmsService(
            ctx.sessions,
            _NoSendGateway(),
            keys,
            sender=section.sender,
            templates=section_templates(section),
            daytime_hours=(section.daytime_start_hour, section.daytime_end_hour),
            max_attempts=section.max_attempts,
        )

    def sms_webhook(self, ctx: AppContext, sms: Any) -> Any:
        """The HTTP provider's webhook for this worker (None: another backend, or SMS off)."""
        section = ctx.settings.sms
        if sms is None or section.backend != "http":
            return None
        from kiosk.sms.config import read_credentials
        from kiosk.sms.http.webhook_shared import (
            SharedWebhook,
            StoreOnlyHandler,
            WebhookLedger,
            receiver_handler,
        )

        gateway = sms.gateway
        if self.holder is not None and getattr(gateway, "webhook", None) is not None:
            handler: Any = receiver_handler(gateway.webhook)
        else:
            handler = StoreOnlyHandler(ctx.sessions, getattr(gateway, "replies", []))
        secret = read_credentials(section)["api_secret"]
        return SharedWebhook(secret, WebhookLedger(ctx.sessions), handler)

    def start(self, ctx: AppContext, app: FastAPI) -> None:
        if self.holder is None:
            if app.state.hub.sms is not None:
                from kiosk.aftercare.reminders import ReminderJob

                # No reminder passes here, but a reply code posted to this worker is recorded here.
                ReminderJob.for_hub(app.state.hub).listen()
            return
        from kiosk.hq_sync.pusher import pusher_from_settings

        state = app.state.hub
        if state.sms is not None:
            from kiosk.aftercare.reminders import ReminderJob

            self.running.append(ReminderJob.for_hub(state).start())
        pusher = pusher_from_settings(ctx.settings, ctx.sessions)
        if pusher is not None:
            self.running.append(pusher.start())
        from kiosk.hub.fleet import FleetJob

        self.running.append(FleetJob.for_hub(state).start())  # a silent printer alerts the desk, once

    def close(self) -> None:
        for job in reversed(self.running):
            job.close()
        self.running.clear()
        if self.holder is not None:
            self.holder.close()  # the lock goes with the connection
            self.holder = None


def build_worker_app(environ: Mapping[str, str] | None = None) -> FastAPI:
    """One worker's hub, built from the environment `worker_environment` describes."""
    from kiosk.hub.app import create_app
    from kiosk.hub.pg_bus import libpq_url
    from printers.documents.pades import DocumentSigner

    env = os.environ if environ is None else environ
    ctx = AppContext(config_file=env.get("KIOSK_CONFIG"), db_url_option=env.get("KIOSK_DB_URL"))
    if ctx.engine.dialect.name != "postgresql":
        raise RuntimeError("several hub workers need PostgreSQL (kiosk hub --workers)")
    keys = ctx.keyring()
    signer = None
    if env.get(ENV_SIGNING_CERT) and env.get(ENV_SIGNING_KEY):
        signer = DocumentSigner.from_pem(
            Path(env[ENV_SIGNING_CERT]).read_bytes(), Path(env[ENV_SIGNING_KEY]).read_bytes()
        )
    elif ctx.settings.printer.signing_cert_file:
        signer = DocumentSigner.from_settings(ctx.settings.printer)
    jobs = BackgroundJobs.claim(libpq_url(ctx.engine))
    sms = jobs.sms_service(ctx, keys)
    app = create_app(
        ctx.settings,
        ctx.sessions,
        keys,
        document_signer=signer,
        ca_fingerprint=env.get(ENV_CA_FINGERPRINT) or None,
        sms=sms,
        sms_webhook=jobs.sms_webhook(ctx, sms),
    )
    jobs.start(ctx, app)
    app.state.background_jobs = jobs  # kept alive with the app: the lock lives on its connection
    app.router.add_event_handler("shutdown", jobs.close)
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn's import-string factory for `kiosk hub --workers N`: one worker's hub, built from the
    environment the supervising `kiosk hub` set. It lives here, not in kiosk.hub.app, so that app does
    not import this module back."""
    return build_worker_app()
