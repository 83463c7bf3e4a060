"""ICAO 9303-11 secure messaging with 3DES session keys: protect commands, unwrap responses.

Both sides are here: the terminal (``SecureChannel.wrap``/``unwrap``) and the chip
(``SecureChannel.chip_unwrap``/``chip_wrap``, used by the virtual ePassport). A reply whose MAC is off
by a single bit raises :class:`SecureMessagingError`; nothing in it is trusted.
"""

from __future__ import annotations

import hmac

from devices.id.pcsc import tlv
from devices.id.pcsc.apdu import ApduError, CommandApdu, ResponseApdu
from devices.id.pcsc.bac import SessionKeys, pad, retail_mac, tdes_decrypt, tdes_encrypt, unpad


class SecureMessagingError(Exception):
    """A protected APDU that is malformed or whose MAC does not verify."""


class SecureChannel:
    def __init__(self, keys: SessionKeys) -> None:
        self.ks_enc = keys.enc
        self.ks_mac = keys.mac
        self.ssc = keys.ssc

    def _next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")

    # ---- terminal side ------------------------------------------------------------------------
    def wrap(self, command: CommandApdu) -> bytes:
        cla = command.cla | 0x0C
        header = bytes([cla, command.ins, command.p1, command.p2])
        do87 = b""
        if command.data:
            do87 = tlv.encode(0x87, b"\x01" + tdes_encrypt(self.ks_enc, pad(command.data)))
        do97 = tlv.encode(0x97, bytes([command.le & 0xFF])) if command.le is not None else b""
        mac_input = self._next_ssc() + pad(header) + do87 + do97
        do8e = tlv.encode(0x8E, retail_mac(self.ks_mac, mac_input))
        body = do87 + do97 + do8e
        return header + bytes([len(body)]) + body + b"\x00"

    def unwrap(self, raw: bytes) -> ResponseApdu:
        """Check the MAC of a protected response and return the plain data and status word."""
        try:
            response = ResponseApdu.parse(raw)
        except ApduError as exc:
            raise SecureMessagingError(str(exc)) from None
        ssc = self._next_ssc()
        if not response.data:
            # an unprotected error status (the chip could not even apply SM): no data to trust
            if response.sw == 0x9000:
                raise SecureMessagingError("9000 without a MAC")
            return response
        try:
            objects = tlv.parse(response.data)
        except tlv.TlvError as exc:
            raise SecureMessagingError(f"malformed SM response: {exc}") from None
        by_tag = {node.tag: node for node in objects}
        if 0x8E not in by_tag or 0x99 not in by_tag:
            raise SecureMessagingError("SM response lacks DO'99' or DO'8E'")
        covered = b"".join(
            tlv.encode(node.tag, node.value) for node in objects if node.tag in (0x85, 0x87, 0x99)
        )
        expected = retail_mac(self.ks_mac, ssc + covered)
        if not hmac.compare_digest(expected, by_tag[0x8E].value):
            raise SecureMessagingError("response MAC does not verify")
        sw_value = by_tag[0x99].value
        if len(sw_value) != 2:
            raise SecureMessagingError("DO'99' must hold 2 bytes")
        data = b""
        if 0x87 in by_tag:
            value = by_tag[0x87].value
            if not value or value[0] != 0x01 or (len(value) - 1) % 8:
                raise SecureMessagingError("DO'87' is not padded ciphertext")
            try:
                data = unpad(tdes_decrypt(self.ks_enc, value[1:]))
            except ValueError as exc:
                raise SecureMessagingError(str(exc)) from None
        return ResponseApdu(data, int.from_bytes(sw_value, "big"))

    # ---- chip side ----------------------------------------------------------------------------
    def chip_unwrap(self, raw: bytes) -> CommandApdu:
        try:
            command = CommandApdu.parse(raw)
        except ApduError as exc:
            raise SecureMessagingError(str(exc)) from None
        if command.cla & 0x0C != 0x0C:
            raise SecureMessagingError("command is not protected")
        ssc = self._next_ssc()
        try:
            objects = tlv.parse(command.data)
        except tlv.TlvError as exc:
            raise SecureMessagingError(f"malformed SM command: {exc}") from None
        by_tag = {node.tag: node for node in objects}
        if 0x8E not in by_tag:
            raise SecureMessagingError("SM command lacks DO'8E'")
        header = bytes([command.cla, command.ins, command.p1, command.p2])
        covered = b"".join(tlv.encode(n.tag, n.value) for n in objects if n.tag in (0x85, 0x87, 0x97))
        if not hmac.compare_digest(retail_mac(self.ks_mac, ssc + pad(header) + covered), by_tag[0x8E].value):
            raise SecureMessagingError("command MAC does not verify")
        data = b""
        if 0x87 in by_tag:
            value = by_tag[0x87].value
            if not value or value[0] != 0x01 or (len(value) - 1) % 8:
                raise SecureMessagingError("DO'87' is not padded ciphertext")
            try:
                data = unpad(tdes_decrypt(self.ks_enc, value[1:]))
            except ValueError as exc:
                raise SecureMessagingError(str(exc)) from None
        le = by_tag[0x97].value[0] if 0x97 in by_tag and by_tag[0x97].value else None
        return CommandApdu(command.cla & ~0x0C & 0xFF, command.ins, command.p1, command.p2, data, le)

    def chip_wrap(self, data: bytes, sw: int) -> bytes:
        ssc = self._next_ssc()
        do87 = tlv.encode(0x87, b"\x01" + tdes_encrypt(self.ks_enc, pad(data))) if data else b""
        do99 = tlv.encode(0x99, sw.to_bytes(2, "big"))
        do8e = tlv.encode(0x8E, retail_mac(self.ks_mac, ssc + do87 + do99))
        return do87 + do99 + do8e + b"\x90\x00"
