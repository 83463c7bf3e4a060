"""An SMSC on 127.0.0.1 that speaks SMPP 3.4 to our transceiver: the demo's and the tests' carrier.

Every PDU is decoded by `codec` and checked (lengths, sequence numbers rising per connection, data
coding, UDH); a problem is answered as a real SMSC would (generic_nack, ESME_RINV*) and noted in
``violations`` (the client broke the protocol) or ``rejections`` (a message refused). An accepted
``submit_sm`` gets a message id and, ``dlr_delay_s`` later, a delivery receipt (``DELIVRD``, or the
status set by ``fail_number``). A resend of the same message (our vendor TLV ``KIOSK_MESSAGE_ID``) gets
the same id and no second delivery. Concatenated parts are put back together into ``inbox`` (what the
phone shows). Receipts due to a client that is gone wait for its next bind, as an SMSC stores them.

Fault switches: ``fail_next(n, kind)``, ``throttle(n)`` (at most n submits a second, the rest
ESME_RTHROTTLED), ``drop_connection()``, ``go_silent()`` / ``recover()``, ``fail_number(number)``.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import re
import secrets
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from config import clock
from db.pii import mask_phone
from kiosk.sms.smpp.codec import Bind, BindResp, Command, MessageIdResp, Pdu, ShortMessage, Status, Tag
from kiosk.sms.smpp.session import SmscSession
from kiosk.sms.smpp.text import Concat, Receipt, TextError, decode_ucs2, segments, split_udh

log = logging.getLogger(__name__)

_MOBILE = re.compile(r"01\d{8,9}")
_SENDER = re.compile(r"\d{4,16}")
_FAULTS = {
    "throttled": Status.RTHROTTLED,
    "unavailable": Status.RSYSERR,
    "rejected": Status.RINVDSTADR,
    "queue_full": Status.RMSGQFUL,
    "auth": Status.RINVBNDSTS,
}
_STATES = {"ENROUTE": 1, "DELIVRD": 2, "EXPIRED": 3, "DELETED": 4, "UNDELIV": 5, "ACCEPTD": 6,
           "UNKNOWN": 7, "REJECTD": 8}  # fmt: skip


@dataclass(frozen=True)
class PhoneMessage:
    """A message as the phone shows it, parts put back together."""

    to: str
    sender: str
    text: str
    at: datetime


@dataclass
class _Receipt:
    system_id: str
    origin: SmscSession | None
    message_id: str
    phone: str
    sender: str
    stat: str
    submitted: datetime


class SmscEmulator:
    def __init__(
        self,
        system_id: str = "kiosk",
        password: str = "secret",  # noqa: S107 (the emulator's own test password)
        dlr_delay_s: float = 0.0,
        *,
        senders: set[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.system_id, self.password, self.dlr_delay_s = system_id, password, dlr_delay_s
        self.senders, self._address = senders, (host, port)
        self.log: deque[tuple[str, Pdu]] = deque(maxlen=100_000)  # decoded PDUs, "in" / "out"
        self.violations: list[str] = []
        self.rejections: list[str] = []
        self.inbox: list[PhoneMessage] = []
        self.silent = False
        self._lock = threading.Condition()
        self._sessions: list[SmscSession] = []
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._running = False
        self._faults: deque[Status] = deque()
        self._failing: dict[str, str] = {}
        self._throttle: int | None = None
        self._recent: deque[float] = deque()
        self._ids = itertools.count(1)
        self._prefix = secrets.token_hex(2).upper()  # ids differ from a previous run's
        self._dedupe: dict[tuple[str, str, int], str] = {}
        self._parts: dict[tuple[str, str, str, int, int], dict[int, str]] = {}
        self._due: list[tuple[float, int, _Receipt | PhoneMessage]] = []
        self._pending: deque[_Receipt | PhoneMessage] = deque()
        self._order = itertools.count()
        self._last_sender = ""  # where a phone's reply goes: the number we last sent from

    # --- life --------------------------------------------------------------------------------------

    def start(self) -> tuple[str, int]:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(self._address)
        listener.listen(16)
        listener.settimeout(0.2)
        self._listener, self._running = listener, True
        self._address = listener.getsockname()[:2]
        for target, name in ((self._accept, "smsc-accept"), (self._schedule, "smsc-dlr")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self._address

    def stop(self) -> None:
        with self._lock:
            self._running = False
            self._lock.notify_all()
        if self._listener is not None:
            self._listener.close()
        self.drop_connection()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> SmscEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        assert self._listener is not None
        while self._running:
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            session = SmscSession(self, sock)
            with self._lock:
                self._sessions.append(session)
            threading.Thread(target=session.run, name="smsc-session", daemon=True).start()

    def forget(self, session: SmscSession) -> None:
        with self._lock:
            if session in self._sessions:
                self._sessions.remove(session)

    # --- fault switches ----------------------------------------------------------------------------

    def fail_next(self, n: int, kind: str | int = "throttled") -> None:
        """The next ``n`` submits are refused: a kind name (throttled, unavailable, rejected,
        queue_full; a GatewayErrorKind's value works) or a raw command_status."""
        status = Status(kind) if isinstance(kind, int) else _FAULTS[str(kind)]
        with self._lock:
            self._faults.extend([status] * n)

    def throttle(self, n: int | None) -> None:
        """At most ``n`` submits in any one second (the rest ESME_RTHROTTLED); None: no limit."""
        with self._lock:
            self._throttle, self._recent = n, deque()

    def fail_number(self, number: str, stat: str = "UNDELIV") -> None:
        """Receipts for this phone carry ``stat`` (UNDELIV, EXPIRED, REJECTD…) instead of DELIVRD."""
        self._failing[number] = stat

    def drop_connection(self) -> None:
        with self._lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.close()

    def go_silent(self) -> None:
        """Keep the connections and read everything, answer nothing (a hung SMSC)."""
        self.silent = True

    def recover(self) -> None:
        self.silent = False
        with self._lock:
            self._lock.notify_all()

    def reply_from(self, number: str, text: str) -> None:
        """A phone sends a message to the sender number (an inbound deliver_sm, not a receipt)."""
        self._enqueue(0.0, PhoneMessage(self._last_sender, number, text, clock.now()))

    # --- what the emulator heard -------------------------------------------------------------------

    def received(self, command: Command) -> list[Pdu]:
        return [pdu for way, pdu in list(self.log) if way == "in" and pdu.command is command]

    @property
    def address(self) -> tuple[str, int]:
        return self._address

    # --- protocol ----------------------------------------------------------------------------------

    def handle(self, session: SmscSession, pdu: Pdu) -> None:
        if pdu.command.is_response:
            if pdu.sequence not in session.outstanding:
                self.violations.append(f"{pdu.command.name} {pdu.sequence} answers nothing we sent")
            session.outstanding.discard(pdu.sequence)
            return
        if pdu.sequence <= session.last_sequence:
            self.violations.append(f"sequence {pdu.sequence} after {session.last_sequence}")
        session.last_sequence = max(session.last_sequence, pdu.sequence)
        reply = pdu.command.response() if pdu.command is not Command.DELIVER_SM else Command.GENERIC_NACK
        if pdu.command is Command.BIND_TRANSCEIVER:
            assert isinstance(pdu.body, Bind)
            status = self._bind(session, pdu.body)
            session.send(Pdu(reply, pdu.sequence, status, BindResp("SMSCEMU")))
            if status == Status.ROK:
                self._flush()
        elif session.system_id is None:
            session.send(Pdu(Command.GENERIC_NACK, pdu.sequence, Status.RINVBNDSTS))
        elif pdu.command is Command.SUBMIT_SM:
            assert isinstance(pdu.body, ShortMessage)
            status, message_id, receipt = self._submit(session, pdu.body)
            session.send(Pdu(reply, pdu.sequence, status, MessageIdResp(message_id)))
            if receipt is not None:  # after the answer, as an SMSC does
                self._enqueue(self.dlr_delay_s, receipt)
        elif pdu.command is Command.UNBIND:
            session.send(Pdu(reply, pdu.sequence))
            session.close()
        elif pdu.command is Command.ENQUIRE_LINK:
            session.send(Pdu(reply, pdu.sequence))
        else:
            session.send(Pdu(Command.GENERIC_NACK, pdu.sequence, Status.RINVCMDID))

    def _bind(self, session: SmscSession, bind: Bind) -> Status:
        if session.system_id is not None:
            return Status.RALYBND
        if bind.system_id != self.system_id:
            return Status.RINVSYSID
        if not secrets.compare_digest(bind.password.encode(), self.password.encode()):
            log.info("smsc emulator: bind refused (wrong password)")
            return Status.RINVPASWD
        session.system_id = bind.system_id
        return Status.ROK

    def _refuse(self, why: str, status: Status) -> tuple[Status, str, None]:
        self.rejections.append(why)
        return status, "", None

    def _submit(self, session: SmscSession, sm: ShortMessage) -> tuple[Status, str, _Receipt | None]:
        with self._lock:
            if self._faults:
                return self._refuse("fail_next", self._faults.popleft())
            if self._throttle is not None:
                now = time.monotonic()
                while self._recent and now - self._recent[0] >= 1.0:
                    self._recent.popleft()
                if len(self._recent) >= self._throttle:
                    return self._refuse("throttled", Status.RTHROTTLED)
                self._recent.append(now)
        if not _MOBILE.fullmatch(sm.destination_addr):
            return self._refuse("destination is not a Korean mobile", Status.RINVDSTADR)
        if not _SENDER.fullmatch(sm.source_addr) or (self.senders and sm.source_addr not in self.senders):
            return self._refuse("sender not registered", Status.RINVSRCADR)
        try:
            concat, text = self._text(sm)
        except TextError as exc:
            return self._refuse(f"message: {exc}", Status.RINVMSGLEN)
        message_id, receipt = self._accept_message(session, sm, concat, text)
        return Status.ROK, message_id, receipt

    def _text(self, sm: ShortMessage) -> tuple[Concat | None, str]:
        payload = sm.payload
        concat, octets = split_udh(payload) if sm.has_udh else (None, payload)
        limit = 134 if concat and concat.total > 1 else 140
        if not octets:
            raise TextError("empty message")
        if sm.data_coding == 8:
            if len(octets) > limit and sm.tlv(Tag.MESSAGE_PAYLOAD) is None:
                raise TextError(f"{len(octets)} UCS-2 octets in one segment (at most {limit})")
            return concat, decode_ucs2(octets)
        if sm.data_coding in (0, 1):
            if not octets.isascii() or len(octets) > 160:
                raise TextError("data coding 0/1 takes at most 160 ASCII characters")
            return concat, octets.decode("ascii")
        raise TextError(f"data coding {sm.data_coding} not taken (0, 1 or 8)")

    def _accept_message(
        self, session: SmscSession, sm: ShortMessage, concat: Concat | None, text: str
    ) -> tuple[str, _Receipt | None]:
        assert session.system_id is not None
        self._last_sender = sm.source_addr
        ours = (sm.tlv(Tag.KIOSK_MESSAGE_ID) or b"").rstrip(b"\0").decode("ascii", "replace")
        key = (session.system_id, ours, concat.number if concat else 1)
        with self._lock:
            if ours and key in self._dedupe:
                return self._dedupe[key], None  # a resend: same id, nothing delivered twice
            message_id = f"{self._prefix}{next(self._ids):08X}"
            if ours:
                self._dedupe[key] = message_id
            whole = self._reassemble(session.system_id, sm, concat, text)
            now = clock.now()
            if whole is not None:
                self.inbox.append(PhoneMessage(sm.destination_addr, sm.source_addr, whole, now))
        if not sm.registered_delivery & 0x03:
            return message_id, None
        stat = self._failing.get(sm.destination_addr, "DELIVRD")
        return message_id, _Receipt(
            session.system_id, session, message_id, sm.destination_addr, sm.source_addr, stat, now
        )

    def _reassemble(self, system_id: str, sm: ShortMessage, concat: Concat | None, text: str) -> str | None:
        if concat is None or concat.total == 1:
            return text
        key = (system_id, sm.source_addr, sm.destination_addr, concat.reference, concat.total)
        parts = self._parts.setdefault(key, {})
        if concat.number in parts:  # a phone would mix two messages' parts
            self.violations.append(f"concatenation reference {concat.reference} reused while in flight")
        parts[concat.number] = text
        if len(parts) < concat.total:
            return None
        del self._parts[key]
        return "".join(parts[n] for n in range(1, concat.total + 1))

    # --- receipts and replies ----------------------------------------------------------------------

    def _enqueue(self, delay_s: float, item: _Receipt | PhoneMessage) -> None:
        with self._lock:
            heapq.heappush(self._due, (time.monotonic() + delay_s, next(self._order), item))
            self._lock.notify_all()

    def _schedule(self) -> None:
        with self._lock:
            while self._running:
                now = time.monotonic()
                while self._due and self._due[0][0] <= now:
                    self._pending.append(heapq.heappop(self._due)[2])
                if self._pending and not self.silent:
                    self._lock.release()
                    try:
                        self._flush()
                    finally:
                        self._lock.acquire()
                wait = self._due[0][0] - now if self._due else 0.5
                self._lock.wait(timeout=max(0.001, min(wait, 0.5)))

    def _flush(self) -> None:
        """Hand every pending receipt or reply to a bound session (its origin first); keep the rest."""
        while True:
            with self._lock:
                if not self._pending or self.silent:
                    return
                item = self._pending.popleft()
                bound = [s for s in self._sessions if s.alive and s.system_id == self.system_id]
                origin = item.origin if isinstance(item, _Receipt) else None
                target = origin if origin in bound else (bound[0] if bound else None)
                if target is None:
                    self._pending.appendleft(item)
                    return
            for body in self._deliver_bodies(item):
                target.request(Command.DELIVER_SM, body)

    def _deliver_bodies(self, item: _Receipt | PhoneMessage) -> list[ShortMessage]:
        if isinstance(item, PhoneMessage):
            log.debug("smsc emulator: reply from %s", mask_phone(item.sender))
            parts = segments(item.text, next(self._ids) & 0xFF)
            esm = 0x40 if len(parts) > 1 else 0
            return [ShortMessage(item.sender, item.to, part, 8, esm_class=esm) for part in parts]
        done = clock.now()
        err = "000" if item.stat == "DELIVRD" else "001"
        text = Receipt(item.message_id, item.stat, item.submitted, done, err).build()
        tlvs = (
            (int(Tag.RECEIPTED_MESSAGE_ID), item.message_id.encode("ascii") + b"\0"),
            (int(Tag.MESSAGE_STATE), struct.pack(">B", _STATES[item.stat])),
        )
        return [ShortMessage(item.phone, item.sender, text.encode("ascii"), 0, esm_class=0x04, tlvs=tlvs)]
