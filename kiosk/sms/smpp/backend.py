"""`SmppGateway`: the `SmsGateway` over SMPP 3.4, a transceiver bind through ``smpplib``.

One connection, kept by a supervisor thread that binds, reads every PDU (submit_sm_resp, deliver_sm,
enquire_link, generic_nack, unbind), sends enquire_link when the line has been quiet, and after a drop
reconnects with a doubling backoff (``backoff_s``). A wrong password (ESME_RINVPASWD / RINVSYSID /
RBINDFAIL) is `GatewayError(AUTH)` at once and is retried only every ``auth_retry_s``.

``submit`` is thread-safe and blocks until the SMSC answers: up to ``window`` submit_sm may be
unanswered at once (one slot per part, freed when its answer arrives), so the outbox's submit threads
keep the line full. Hangul goes as UCS-2 (data coding 8), 70 characters in one segment, longer texts in
parts of 67 behind an 8-bit-reference UDH (`text.segments`, references counting up). Each part carries
our message id in a vendor TLV (``KIOSK_MESSAGE_ID``) so the SMSC can drop a resent copy (the emulator
does; a carrier's SMSC ignores an unknown vendor TLV).

Multi-part messages (our choice): `Submitted` carries the **first part's** SMSC id; one `DeliveryReport`
for that id comes when **every** part has a final receipt — DELIVRD if all were delivered, else the
first part's status that was not. A receipt for an id we do not know (sent before a restart) is passed on
as it is. `DeliveryReport.at` is when the receipt reached us (the receipt's own dates have minutes only).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import secrets
import select
import socket
import struct
import threading
import time
from typing import Any

import smpplib.client
import smpplib.command
import smpplib.consts
import smpplib.exceptions
import smpplib.smpp

from config import clock
from kiosk.sms.gateway import (
    GatewayError,
    GatewayErrorKind,
    InboundHandler,
    OutgoingMessage,
    ReportHandler,
    Submitted,
)
from kiosk.sms.smpp.codec import Status, Tag
from kiosk.sms.smpp.receipts import Group, ReceiptRouter, text_of
from kiosk.sms.smpp.text import TextError, segments

log = logging.getLogger(__name__)
# smpplib logs every PDU in hex at DEBUG: numbers and texts, merely encoded. Never below INFO.
logging.getLogger("kiosk.sms.smpp.wire").setLevel(logging.INFO)

_THROTTLED = {Status.RTHROTTLED, Status.RMSGQFUL}
_UNAVAILABLE = {Status.RSYSERR, Status.RINVBNDSTS, Status.RUNKNOWNERR, 0x64}  # 0x64: ESME_RX_T_APPN
_AUTH = {Status.RINVPASWD, Status.RINVSYSID, Status.RBINDFAIL}


def status_error(status: int, what: str) -> GatewayError:
    """The `GatewayError` for an SMSC command_status (never 0)."""
    try:
        name = Status(status).name
    except ValueError:
        name = f"0x{status:08X}"
    if status in _THROTTLED:
        return GatewayError(GatewayErrorKind.THROTTLED, f"{what}: ESME_{name}")
    if status in _AUTH:
        return GatewayError(GatewayErrorKind.AUTH, f"{what}: ESME_{name}")
    if status in _UNAVAILABLE:
        return GatewayError(GatewayErrorKind.UNAVAILABLE, f"{what}: ESME_{name}")
    return GatewayError(GatewayErrorKind.REJECTED, f"{what}: ESME_{name}")


_RESENDS_ON_A_DROP = 2  # then a last try whose loss goes to the outbox (retryable, same id)


class _ConnectionLost(GatewayError):
    """The line went down under a submit: worth one more try on the next connection."""

    def __init__(self, detail: str) -> None:
        super().__init__(GatewayErrorKind.UNAVAILABLE, detail)


class _KioskSubmitSM(smpplib.command.SubmitSM):  # type: ignore[misc]
    """smpplib's submit_sm plus our vendor TLV (smpplib has no way to add one)."""

    kiosk_message_id = b""

    def generate_params(self) -> bytes:
        body: bytes = super().generate_params()
        value = self.kiosk_message_id + b"\0"
        return body + struct.pack(">HH", Tag.KIOSK_MESSAGE_ID, len(value)) + value


class _Waiter:
    def __init__(self, group: Group, index: int, slots: threading.Semaphore) -> None:
        self.group, self.index, self._slots = group, index, slots
        self.event = threading.Event()
        self.message_id = ""
        self.error: GatewayError | None = None
        self._freed = False
        self._lock = threading.Lock()

    def finish(self, error: GatewayError | None = None, message_id: str = "") -> None:
        with self._lock:
            if self._freed:
                return
            self._freed = True
        self.error, self.message_id = error, message_id
        self._slots.release()
        self.event.set()


class SmppGateway:
    name = "smpp"

    def __init__(
        self,
        host: str,
        port: int,
        system_id: str,
        password: str,
        window: int = 10,
        source_addr: str = "",
        *,
        enquire_link_s: float = 30.0,
        response_timeout_s: float = 5.0,
        backoff_s: tuple[float, float] = (0.05, 5.0),
        auth_retry_s: float = 30.0,
    ) -> None:
        self.host, self.port, self.system_id, self._password = host, port, system_id, password
        self.window, self.source_addr = window, source_addr
        self.enquire_link_s, self.response_timeout_s = enquire_link_s, response_timeout_s
        self.backoff_s, self.auth_retry_s = backoff_s, auth_retry_s
        self._slots = threading.Semaphore(window)
        self._send_lock = threading.Lock()  # sequence numbers and bytes leave in one order
        self._cond = threading.Condition()
        self._state = "connecting"  # connecting, bound, down, auth, closed
        self._auth_error: GatewayError | None = None
        self._client: Any = None
        self._waiters: dict[int, _Waiter] = {}
        self._router = ReceiptRouter()
        # Concatenation references count up (smpplib's make_parts draws them at random, and two long
        # messages in flight to one phone with the same reference get their parts mixed).
        self._references = itertools.count(secrets.randbelow(256))
        self.binds = 0  # successful binds so far (a reconnect is the second)
        self._thread = threading.Thread(target=self._run, name="sms-smpp", daemon=True)
        self._thread.start()

    # --- SmsGateway --------------------------------------------------------------------------------

    def on_report(self, handler: ReportHandler) -> None:
        self._router.report_handlers.append(handler)

    def on_inbound(self, handler: InboundHandler) -> None:
        self._router.inbound_handlers.append(handler)

    def submit(self, message: OutgoingMessage) -> Submitted:
        parts, esm_class = self._parts(message)
        lost: Any = None
        for _ in range(_RESENDS_ON_A_DROP):
            client = self._wait_bound(avoid=lost)
            try:
                return self._submit_once(client, message, parts, esm_class)
            except _ConnectionLost:
                # A drop is only seen when the next PDU goes. Again on a new connection, not the lost
                # one: on a busy machine the supervisor may not have noticed the drop yet, and every
                # try went down the dead socket at once. If the SMSC took an earlier copy, our message
                # id in the vendor TLV makes it drop this one.
                lost = client
        return self._submit_once(self._wait_bound(avoid=lost), message, parts, esm_class)  # a loss: outbox

    def _submit_once(self, client: Any, message: OutgoingMessage, parts: list[bytes],
                     esm_class: int) -> Submitted:  # fmt: skip
        group = Group(len(parts))
        waiters: list[_Waiter] = []
        try:
            for index, short_message in enumerate(parts):
                if not self._slots.acquire(timeout=self.response_timeout_s):
                    raise GatewayError(GatewayErrorKind.UNAVAILABLE, "no answer frees the submit window")
                waiter = _Waiter(group, index, self._slots)
                waiters.append(waiter)
                self._send_submit(client, message, short_message, esm_class, waiter)
            for waiter in waiters:
                if not waiter.event.wait(self.response_timeout_s):
                    raise GatewayError(GatewayErrorKind.UNAVAILABLE, "SMSC did not answer submit_sm in time")
                if waiter.error is not None:
                    raise waiter.error
        finally:
            for waiter in waiters:  # an unanswered part frees its slot; its late answer is ignored
                waiter.finish(GatewayError(GatewayErrorKind.UNAVAILABLE, "abandoned"))
        return Submitted(message.message_id, str(group.ids[0]), clock.now())

    def close(self) -> None:
        with self._cond:
            self._state = "closed"
            self._cond.notify_all()
        client = self._client
        if client is not None:
            with contextlib.suppress(Exception), self._send_lock:
                client.send_pdu(smpplib.smpp.make_pdu("unbind", client=client))
        self._drop("gateway closed")
        self._thread.join(timeout=5)

    # --- sending -----------------------------------------------------------------------------------

    def _parts(self, message: OutgoingMessage) -> tuple[list[bytes], int]:
        text = f"{message.subject}\n{message.text}" if message.subject else message.text
        if not text:
            raise GatewayError(GatewayErrorKind.REJECTED, "empty message")
        with self._send_lock:
            reference = next(self._references) & 0xFF
        try:
            parts = segments(text, reference)
        except TextError as exc:
            raise GatewayError(GatewayErrorKind.REJECTED, str(exc)) from None
        return parts, 0x40 if len(parts) > 1 else 0

    def _wait_bound(self, avoid: Any = None) -> Any:
        """The bound connection, waiting (up to the response timeout) for one; ``avoid`` is a
        connection a send just lost, waited past until the supervisor has replaced it."""
        deadline = time.monotonic() + self.response_timeout_s

        def waiting() -> bool:
            usable = self._client is not None and self._client is not avoid
            return self._state in ("connecting", "down") or (self._state == "bound" and not usable)

        with self._cond:
            while waiting() and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            if self._state == "auth" and self._auth_error is not None:
                raise self._auth_error
            if self._state != "bound":
                raise GatewayError(GatewayErrorKind.UNAVAILABLE, f"not bound to the SMSC ({self._state})")
            return self._client

    def _send_submit(
        self, client: Any, message: OutgoingMessage, short_message: bytes, esm_class: int, waiter: _Waiter
    ) -> None:
        with self._send_lock:
            if client is not self._client:
                waiter.finish(_ConnectionLost("connection lost"))
                return
            pdu = _KioskSubmitSM(
                "submit_sm",
                client=client,
                source_addr_ton=0,
                source_addr_npi=0,
                source_addr=self.source_addr or message.sender,
                dest_addr_ton=0,
                dest_addr_npi=0,
                destination_addr=message.to,
                esm_class=esm_class,
                data_coding=smpplib.consts.SMPP_ENCODING_ISO10646,
                registered_delivery=1,
                short_message=short_message,
            )
            pdu.kiosk_message_id = message.message_id.encode("ascii", "replace")[:64]
            self._waiters[pdu.sequence] = waiter
            try:
                client.send_pdu(pdu)
            except Exception:
                self._waiters.pop(pdu.sequence, None)
                waiter.finish(_ConnectionLost("connection lost while sending"))

    # --- the connection ----------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        with self._cond:
            if self._state != "closed":
                self._state = state
            self._cond.notify_all()

    def _run(self) -> None:
        delay = self.backoff_s[0]
        while self._state != "closed":
            if self._connect():
                delay = self.backoff_s[0]
                self._read_loop()
            wait = self.auth_retry_s if self._state == "auth" else delay
            delay = min(delay * 2, self.backoff_s[1])
            with self._cond:
                if self._state != "closed":
                    self._cond.wait(wait)

    def _connect(self) -> bool:
        client = smpplib.client.Client(
            self.host,
            self.port,
            timeout=self.response_timeout_s,
            logger_name="kiosk.sms.smpp.wire",
            allow_unknown_opt_params=True,
        )
        try:
            client.connect()
            client._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.bind_transceiver(system_id=self.system_id, password=self._password)
        except smpplib.exceptions.PDUError as exc:
            status = exc.args[1] if len(exc.args) > 1 else int(Status.RBINDFAIL)
            error = status_error(int(status), "bind_transceiver refused")
            with contextlib.suppress(Exception):
                client.disconnect()
            if error.kind is GatewayErrorKind.AUTH:
                log.warning("SMPP bind refused: %s", error.detail)
                self._auth_error = error
                self._set_state("auth")
            else:
                self._set_state("down")
            return False
        except Exception as exc:
            log.info("SMPP connect to %s:%s failed: %s", self.host, self.port, type(exc).__name__)
            with contextlib.suppress(Exception):
                client.disconnect()
            self._set_state("down")
            return False
        with self._send_lock:
            self._client = client
        self.binds += 1
        self._auth_error = None
        self._set_state("bound")
        return True

    def _drop(self, why: str) -> None:
        with self._send_lock:
            client, self._client = self._client, None
            waiters, self._waiters = self._waiters, {}
        for waiter in waiters.values():
            waiter.finish(_ConnectionLost(why))
        if client is not None:
            client.state = smpplib.consts.SMPP_CLIENT_STATE_OPEN  # no "disconnecting while bound" warning
            with contextlib.suppress(Exception):
                client.disconnect()

    def _read_loop(self) -> None:
        client = self._client
        last_heard, probe_sent = time.monotonic(), 0.0
        try:
            while self._state == "bound" and client is self._client:
                readable, _, _ = select.select([client._socket], [], [], 0.1)
                now = time.monotonic()
                if readable:
                    pdu = client.read_pdu()
                    last_heard, probe_sent = now, 0.0
                    self._dispatch(client, pdu)
                elif probe_sent and now - probe_sent > self.response_timeout_s:
                    raise TimeoutError("no enquire_link_resp")
                elif not probe_sent and now - last_heard > self.enquire_link_s:
                    with self._send_lock:
                        client.send_pdu(smpplib.smpp.make_pdu("enquire_link", client=client))
                    probe_sent = now
        except Exception as exc:
            if self._state != "closed":
                log.info("SMPP connection lost (%s); reconnecting", type(exc).__name__)
        self._set_state("down")
        self._drop("connection to the SMSC lost")

    def _dispatch(self, client: Any, pdu: Any) -> None:
        command = pdu.command
        if command in ("submit_sm_resp", "generic_nack"):
            waiter = self._waiters.pop(pdu.sequence, None)
            if waiter is None:
                return
            if pdu.status:
                waiter.finish(status_error(int(pdu.status), command))
                return
            message_id = text_of(getattr(pdu, "message_id", b""))
            self._router.part_answered(waiter.group, waiter.index, message_id)
            waiter.finish(message_id=message_id)
        elif command == "deliver_sm":
            try:
                self._router.deliver_sm(pdu)
            finally:
                self._answer(client, "deliver_sm_resp", pdu.sequence)
        elif command == "enquire_link":
            self._answer(client, "enquire_link_resp", pdu.sequence)
        elif command == "unbind":
            self._answer(client, "unbind_resp", pdu.sequence)
            raise ConnectionError("SMSC unbound")

    def _answer(self, client: Any, command: str, sequence: int) -> None:
        with self._send_lock:
            resp = smpplib.smpp.make_pdu(command, client=client)
            resp.sequence = sequence
            client.send_pdu(resp)
