"""The IC-chip backend: pyscard on a worker thread, reader hot-plug and card insert/remove events, and
an ePassport read (BAC + SM) as soon as a card appears and a BAC key is known.

pyscard's own observers run on its monitor thread and stop when pcscd restarts (pyscard #82, #127,
#162, #220), so this polls with SCardGetStatusChange on our own thread and emits plain events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.id.model import (
    CardPresent,
    CardRemoved,
    IdDocument,
    IdError,
    ReadError,
    Reading,
    ReadResult,
    ThreadedIdReader,
)
from devices.id.pcsc.emrtd import BacKey, PassportData, read_passport

log = logging.getLogger(__name__)

SCARD_W_REMOVED_CARD = 0x80100069
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_NO_SERVICE = 0x8010001D


def _map_card_exception(exc: Exception) -> IdError:
    text = str(exc).lower()
    code = getattr(exc, "hresult", 0) & 0xFFFFFFFF
    if code in (SCARD_W_REMOVED_CARD,) or "removed" in text:
        return IdError("card_removed")
    if code == SCARD_E_NO_SMARTCARD or "no smart card" in text:
        return IdError("no_card_in_reader")
    if code == SCARD_E_NO_SERVICE or "service" in text:
        return IdError("pcscd_not_running")
    return IdError("card_error", f"{type(exc).__name__}: {exc}")


def passport_document(data: PassportData) -> IdDocument:
    return IdDocument.passport(
        data.mrz,
        source="chip",
        confidence={"name": 1.0, "document_number": 1.0, "birth_date": 1.0},
        extra={"lds_version": data.ef_com.lds_version, "data_groups": ",".join(data.ef_com.data_groups)},
    )


def read_passport_on(reader_name: str | None, key: BacKey) -> PassportData:
    """Connect to the card in ``reader_name`` (or the first reader with a card) and read it."""
    from smartcard.Exceptions import CardConnectionException, NoCardException
    from smartcard.pcsc.PCSCExceptions import EstablishContextException
    from smartcard.System import readers

    try:
        available = readers()
    except EstablishContextException:
        raise IdError("pcscd_not_running") from None
    if not available:
        raise IdError("no_reader")
    candidates = [r for r in available if reader_name is None or reader_name in str(r)]
    if not candidates:
        raise IdError("no_reader", f"no reader matching {reader_name!r}")
    last: IdError = IdError("no_card_in_reader")
    for reader in candidates:
        connection = reader.createConnection()  # keep the reference: pyscard frees the context otherwise
        try:
            connection.connect()
        except (NoCardException, CardConnectionException) as exc:
            last = _map_card_exception(exc)
            _release(connection)
            continue

        def transmit(apdu: bytes, connection: object = connection, name: str = str(reader)) -> bytes:
            try:
                data, sw1, sw2 = connection.transmit(list(apdu))  # type: ignore[attr-defined]
            except CardConnectionException as exc:
                error = _map_card_exception(exc)
                # a card lifted mid-APDU often fails that APDU with a generic error and only the
                # reader's state tells it was removed; give the reader a moment to notice
                if error.code == "card_error" and wait_for_card(name, 1.0, present=False):
                    error = IdError("card_removed")
                raise error from None
            return bytes(data) + bytes([sw1, sw2])

        try:
            return read_passport(transmit, key)
        finally:
            try:
                connection.disconnect()
            except CardConnectionException:
                pass  # already gone (removed mid-read)
            _release(connection)
    raise last


def _release(connection: object) -> None:
    """Free the connection's PC/SC context now rather than in __del__ (which may run after pcscd
    stopped and print an ignored exception)."""
    release = getattr(connection, "release", None)
    if release is None:
        return
    try:
        release()
    except Exception:  # noqa: S110 - the daemon may already be gone; nothing left to free
        pass


def wait_for_card(reader_name: str, timeout: float, present: bool = True) -> bool:
    """Poll until a card is (or, with present=False, is no longer) in the named reader."""
    import time

    probe = PcscIdReader(lambda: None, reader_filter=reader_name)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(probe._present().values()) == present:
            return True
        time.sleep(0.05)
    return False


class PcscIdReader(ThreadedIdReader):
    """Watches PC/SC readers on a worker thread; reads an ePassport when one is placed.

    ``key_provider`` returns the BAC key for the next read (from the image reader's MRZ, or typed by
    staff); when it returns None only CardPresent/CardRemoved are reported.
    """

    thread_name = "pcsc-id-reader"
    join_timeout_s = 10.0

    def __init__(
        self,
        key_provider: Callable[[], BacKey | None],
        reader_filter: str | None = None,
        poll_ms: int = 250,
    ) -> None:
        super().__init__()
        self.key_provider = key_provider
        self.reader_filter = reader_filter
        self.poll_ms = poll_ms

    def _present(self) -> dict[str, bool]:
        from smartcard.scard import (
            SCARD_S_SUCCESS,
            SCARD_SCOPE_USER,
            SCARD_STATE_PRESENT,
            SCARD_STATE_UNAWARE,
            SCardEstablishContext,
            SCardGetStatusChange,
            SCardListReaders,
            SCardReleaseContext,
        )

        hresult, context = SCardEstablishContext(SCARD_SCOPE_USER)
        if hresult != SCARD_S_SUCCESS:
            raise IdError("pcscd_not_running")
        try:
            hresult, names = SCardListReaders(context, [])
            if hresult != SCARD_S_SUCCESS or not names:
                return {}
            names = [n for n in names if self.reader_filter is None or self.reader_filter in n]
            if not names:
                return {}
            hresult, states = SCardGetStatusChange(context, 0, [(n, SCARD_STATE_UNAWARE) for n in names])
            if hresult != SCARD_S_SUCCESS:
                return {}
            return {name: bool(event & SCARD_STATE_PRESENT) for name, event, _atr in states}
        finally:
            SCardReleaseContext(context)

    def _run(self) -> None:
        known: dict[str, bool] = {}
        reported_error = ""
        while not self._stop.is_set():
            try:
                present = self._present()
                reported_error = ""
            except IdError as exc:
                if exc.code != reported_error:
                    self.emit(ReadError.of(exc))
                    reported_error = exc.code
                # Without the daemon we cannot see the cards: the one that lies on the reader when
                # it returns may be another visitor's, so it counts as newly placed and is read.
                for name, had_card in known.items():
                    if had_card:
                        self.emit(CardRemoved(name))
                known = {}
                self._stop.wait(1.0)
                continue
            for name, has_card in present.items():
                if has_card and not known.get(name):
                    self.emit(CardPresent(name))
                    self._read(name)
                elif not has_card and known.get(name):
                    self.emit(CardRemoved(name))
            for name in set(known) - set(present):
                if known[name]:
                    self.emit(CardRemoved(name))
            known = present
            self._stop.wait(self.poll_ms / 1000)

    def _read(self, reader_name: str) -> None:
        key = self.key_provider()
        if key is None:
            return
        self.emit(Reading(reader_name))
        try:
            document = passport_document(read_passport_on(reader_name, key))
        except IdError as exc:
            self.emit(ReadError.of(exc))
            return
        self.emit(ReadResult(document))
