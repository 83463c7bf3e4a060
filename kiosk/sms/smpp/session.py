"""One SMPP connection at the emulated SMSC: framing, decoding, sending; the protocol is the owner's."""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
from collections import deque
from typing import Protocol

from kiosk.sms.smpp import codec
from kiosk.sms.smpp.codec import Command, Pdu, PduError


class SessionOwner(Protocol):
    log: deque[tuple[str, Pdu]]
    violations: list[str]
    silent: bool

    def handle(self, session: SmscSession, pdu: Pdu) -> None: ...

    def forget(self, session: SmscSession) -> None: ...


class SmscSession:
    def __init__(self, server: SessionOwner, sock: socket.socket) -> None:
        self.server, self.sock = server, sock
        self.send_lock = threading.Lock()
        self.system_id: str | None = None
        self.last_sequence = 0
        self.next_sequence = itertools.count(1)
        self.outstanding: set[int] = set()
        self.alive = True

    def send(self, pdu: Pdu) -> None:
        self.server.log.append(("out", pdu))
        try:
            with self.send_lock:
                self.sock.sendall(codec.encode(pdu))
        except OSError:
            self.close()

    def request(self, command: Command, body: codec.Body = None) -> None:
        seq = next(self.next_sequence)
        self.outstanding.add(seq)
        self.send(Pdu(command, seq, 0, body))

    def close(self) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def _read(self, n: int) -> bytes:
        chunks, got = [], 0
        while got < n:
            chunk = self.sock.recv(n - got)
            if not chunk:
                raise ConnectionError("peer closed")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def run(self) -> None:
        try:
            while self.alive:
                head = self._read(4)
                try:
                    length = codec.peek_length(head)
                except PduError as exc:  # the stream cannot be framed any more: nack and hang up
                    self.server.violations.append(f"framing: {exc}")
                    self.send(Pdu(Command.GENERIC_NACK, 0, exc.status))
                    break
                data = head + self._read(length - 4)
                try:
                    pdu = codec.decode(data)
                except PduError as exc:
                    self.server.violations.append(f"decode: {exc}")
                    self.server.log.append(("in-bad", Pdu(Command.GENERIC_NACK, exc.sequence, exc.status)))
                    if not self.server.silent:
                        self.send(Pdu(Command.GENERIC_NACK, exc.sequence, exc.status))
                    continue
                self.server.log.append(("in", pdu))
                if not self.server.silent:
                    self.server.handle(self, pdu)
        except OSError:
            pass
        finally:
            self.close()
            self.server.forget(self)
