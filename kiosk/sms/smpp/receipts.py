"""What the SMSC sends us unasked (deliver_sm), turned into the gateway's reports and replies.

Runs on the backend's reader thread only, so its dictionaries need no lock. A receipt names its
message by the ``receipted_message_id`` TLV (else the text's ``id:``); its status by the text's
``stat:`` (else the ``message_state`` TLV). Multi-part messages are reported once, for the first part's
id, when every part has a final receipt (see `kiosk.sms.smpp.backend`).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from config import clock
from kiosk.sms.gateway import (
    DeliveryReport,
    DeliveryStatus,
    InboundHandler,
    InboundMessage,
    ReportHandler,
)
from kiosk.sms.smpp.text import TextError, decode_ucs2, parse_receipt, split_udh

log = logging.getLogger(__name__)

_MESSAGE_STATE = {1: "ENROUTE", 2: "DELIVRD", 3: "EXPIRED", 4: "DELETED", 5: "UNDELIV", 6: "ACCEPTD",
                  7: "UNKNOWN", 8: "REJECTD"}  # fmt: skip
_FINALS_KEPT = 10_000


class Group:
    """The parts of one message: their SMSC ids as answers come, their receipts as they arrive."""

    def __init__(self, parts: int) -> None:
        self.ids: list[str | None] = [None] * parts
        self.finals: dict[str, tuple[DeliveryStatus, str]] = {}

    def merged(self) -> DeliveryReport | None:
        if any(i is None or i not in self.finals for i in self.ids):
            return None
        results = [self.finals[i] for i in self.ids if i is not None]
        status, error = next(((s, e) for s, e in results if s is not DeliveryStatus.DELIVRD), results[0])
        return DeliveryReport(str(self.ids[0]), status, clock.now(), error)


def text_of(value: object) -> str:
    """An smpplib C-string field (bytes, NUL maybe kept) as text."""
    if isinstance(value, bytes):
        return value.rstrip(b"\0").decode("ascii", "replace")
    return "" if value is None else str(value)


class ReceiptRouter:
    def __init__(self) -> None:
        self.report_handlers: list[ReportHandler] = []
        self.inbound_handlers: list[InboundHandler] = []
        self._part_of: dict[str, Group] = {}
        self._finals: OrderedDict[str, tuple[DeliveryStatus, str]] = OrderedDict()
        self._inbound_parts: dict[tuple[str, int, int], dict[int, str]] = {}

    def part_answered(self, group: Group, index: int, message_id: str) -> None:
        """submit_sm_resp for part ``index``: its receipt may come next (or may have come already)."""
        group.ids[index] = message_id
        self._part_of[message_id] = group
        if message_id in self._finals:  # a resent part the SMSC had delivered already
            group.finals[message_id] = self._finals[message_id]
        self._maybe_report(group)

    def _maybe_report(self, group: Group) -> None:
        report = group.merged()
        if report is None:
            return
        for part in group.ids:
            self._part_of.pop(str(part), None)
        self._emit(report)

    def deliver_sm(self, pdu: Any) -> None:
        esm_class = int(pdu.esm_class or 0)
        if esm_class & 0x3C == 0x04:
            self._on_receipt(pdu)
        else:
            self._on_reply(pdu, esm_class)

    def _on_receipt(self, pdu: Any) -> None:
        text = text_of(pdu.short_message)
        try:
            receipt = parse_receipt(text)
            gateway_id, stat, error = receipt.message_id, receipt.stat, receipt.err
        except TextError:
            gateway_id, stat, error = "", _MESSAGE_STATE.get(int(pdu.message_state or 0), "UNKNOWN"), ""
        gateway_id = text_of(getattr(pdu, "receipted_message_id", b"")) or gateway_id
        if not gateway_id:
            log.warning("SMPP receipt without a message id ignored")
            return
        status = DeliveryStatus(stat)
        error = "" if status is DeliveryStatus.DELIVRD else error
        if status.final:
            self._finals[gateway_id] = (status, error)
            while len(self._finals) > _FINALS_KEPT:
                self._finals.popitem(last=False)
        group = self._part_of.get(gateway_id)
        if group is None:
            self._emit(DeliveryReport(gateway_id, status, clock.now(), error))
        elif status.final:
            group.finals[gateway_id] = (status, error)
            self._maybe_report(group)

    def _on_reply(self, pdu: Any, esm_class: int) -> None:
        sender = text_of(pdu.source_addr)
        raw: bytes = pdu.short_message or getattr(pdu, "message_payload", None) or b""
        try:
            concat, raw = split_udh(raw) if esm_class & 0x40 else (None, raw)
            coding = int(pdu.data_coding or 0)
            text = decode_ucs2(raw) if coding == 8 else raw.decode("latin-1" if coding == 3 else "ascii")
        except (TextError, UnicodeDecodeError):
            log.warning("SMPP reply with undecodable text ignored")
            return
        if concat is not None and concat.total > 1:
            key = (sender, concat.reference, concat.total)
            parts = self._inbound_parts.setdefault(key, {})
            parts[concat.number] = text
            if len(parts) < concat.total:
                return
            del self._inbound_parts[key]
            text = "".join(parts[n] for n in range(1, concat.total + 1))
        message = InboundMessage(sender, text, clock.now())
        for handler in list(self.inbound_handlers):
            try:
                handler(message)
            except Exception:
                log.exception("SMS inbound handler failed")

    def _emit(self, report: DeliveryReport) -> None:
        for handler in list(self.report_handlers):
            try:
                handler(report)
            except Exception:
                log.exception("SMS report handler failed")
