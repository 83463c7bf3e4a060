"""Reading an eMRTD (ePassport) chip: select the LDS application, BAC, then EF.COM and DG1 under SM.

The transport is a plain ``transmit(bytes) -> bytes`` so the same code runs over pyscard (real
pcscd) and in unit tests against the virtual chip directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from devices.id.image.mrz import MrzError, Td3, parse_td3
from devices.id.model import IdDocument, IdError
from devices.id.pcsc import tlv
from devices.id.pcsc.apdu import (
    SW_AUTH_FAILED,
    SW_OK,
    SW_REF_NOT_FOUND,
    SW_SECURITY_NOT_SATISFIED,
    ApduError,
    CommandApdu,
    ResponseApdu,
)
from devices.id.pcsc.bac import BacError, KeyPair, complete_mutual_auth, external_authenticate_data, key_seed
from devices.id.pcsc.bac import mrz_information as bac_mrz_information
from devices.id.pcsc.secure_messaging import SecureChannel, SecureMessagingError

LDS_AID = bytes.fromhex("A0000002471001")
FID_EF_COM = 0x011E
FID_DG1 = 0x0101
MAX_FILE = 0x8000  # DG1 and EF.COM are tiny; refuse a chip that claims a huge file
CHUNK = 0xDF  # stays within short APDUs after SM overhead

Transmit = Callable[[bytes], bytes]

# DG tags listed in EF.COM's tag list (5C) → data group names
DG_NAMES = {0x61: "DG1", 0x75: "DG2", 0x63: "DG3", 0x76: "DG4", 0x6B: "DG11", 0x6C: "DG12", 0x77: "SOD"}


@dataclass(frozen=True)
class BacKey:
    """What BAC needs from the MRZ (from the image reader's MRZ or typed by staff)."""

    document_number: str
    birth_yymmdd: str
    expiry_yymmdd: str

    @classmethod
    def from_td3(cls, td3: Td3) -> BacKey:
        return cls(td3.document_number, td3.birth, td3.expiry)

    def __repr__(self) -> str:  # the triple is the access key: keep it out of logs
        return "BacKey(***)"


@dataclass(frozen=True)
class EfCom:
    lds_version: str
    unicode_version: str
    data_groups: tuple[str, ...]


@dataclass(frozen=True)
class PassportData:
    ef_com: EfCom
    mrz: Td3
    dg1_raw: bytes


def parse_ef_com(data: bytes) -> EfCom:
    try:
        root = tlv.parse_one(data)
    except tlv.TlvError as exc:
        raise IdError("bad_tlv", f"EF.COM: {exc}") from None
    if root.tag != 0x60:
        raise IdError("bad_tlv", "EF.COM must start with tag 60")
    lds = root.find(0x5F01)
    uni = root.find(0x5F36)
    tags = root.find(0x5C)
    if lds is None or tags is None:
        raise IdError("bad_tlv", "EF.COM lacks 5F01 or 5C")
    groups = tuple(DG_NAMES.get(t, f"tag {t:02X}") for t in tags.value)
    return EfCom(
        lds.value.decode("ascii", "replace"),
        uni.value.decode("ascii", "replace") if uni else "",
        groups,
    )


def parse_dg1(data: bytes) -> Td3:
    try:
        root = tlv.parse_one(data)
    except tlv.TlvError as exc:
        raise IdError("bad_tlv", f"DG1: {exc}") from None
    mrz = root.find(0x5F1F) if root.tag == 0x61 else None
    if mrz is None:
        raise IdError("bad_tlv", "DG1 must be 61 { 5F1F MRZ }")
    try:
        return parse_td3(mrz.value.decode("ascii"))
    except (UnicodeDecodeError, MrzError) as exc:
        raise IdError("bad_mrz", str(exc)) from None


class EmrtdSession:
    def __init__(self, transmit: Transmit) -> None:
        self._transmit = transmit
        self.channel: SecureChannel | None = None

    def _plain(self, command: CommandApdu) -> ResponseApdu:
        try:
            return ResponseApdu.parse(self._transmit(command.to_bytes()))
        except ApduError as exc:
            raise IdError("card_error", str(exc)) from None

    def _secure(self, command: CommandApdu) -> ResponseApdu:
        assert self.channel is not None
        raw = self._transmit(self.channel.wrap(command))
        try:
            return self.channel.unwrap(raw)
        except SecureMessagingError as exc:
            raise IdError("sm_failed", str(exc)) from None

    def select_application(self) -> None:
        response = self._plain(CommandApdu(0x00, 0xA4, 0x04, 0x0C, LDS_AID))
        if response.sw != SW_OK:
            raise IdError("not_emrtd", f"SELECT AID answered {response.sw:04X}")

    def authenticate(self, key: BacKey, rnd_ifd: bytes | None = None, k_ifd: bytes | None = None) -> None:
        challenge = self._plain(CommandApdu(0x00, 0x84, 0x00, 0x00, le=8))
        if challenge.sw != SW_OK or len(challenge.data) != 8:
            raise IdError("card_error", f"GET CHALLENGE answered {challenge.sw:04X}/{len(challenge.data)}")
        keys = KeyPair.from_seed(
            key_seed(bac_mrz_information(key.document_number, key.birth_yymmdd, key.expiry_yymmdd))
        )
        data, rnd_ifd, k_ifd = external_authenticate_data(keys, challenge.data, rnd_ifd, k_ifd)
        answer = self._plain(CommandApdu(0x00, 0x82, 0x00, 0x00, data, le=0x28))
        if answer.sw in (SW_AUTH_FAILED, SW_SECURITY_NOT_SATISFIED):
            raise IdError("wrong_mrz", f"EXTERNAL AUTHENTICATE answered {answer.sw:04X}")
        if answer.sw == SW_REF_NOT_FOUND:
            raise IdError("pace_only", "BAC refused with 6A88")
        if answer.sw != SW_OK:
            raise IdError("card_error", f"EXTERNAL AUTHENTICATE answered {answer.sw:04X}")
        try:
            self.channel = SecureChannel(
                complete_mutual_auth(keys, answer.data, challenge.data, rnd_ifd, k_ifd)
            )
        except BacError as exc:
            raise IdError("sm_failed", str(exc)) from None

    def read_file(self, fid: int) -> bytes:
        selected = self._secure(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
        if selected.sw != SW_OK:
            raise IdError("card_error", f"SELECT {fid:04X} answered {selected.sw:04X}")
        head = self._read_binary(0, 4)
        try:
            total = tlv.total_length(head)
        except tlv.TlvError as exc:
            raise IdError("bad_tlv", str(exc)) from None
        if total > MAX_FILE:
            raise IdError("bad_tlv", f"file claims {total} bytes")
        data = head[:total]
        while len(data) < total:
            chunk = self._read_binary(len(data), min(CHUNK, total - len(data)))
            if not chunk:
                raise IdError("card_error", "READ BINARY returned no data")
            data += chunk
        return data[:total]

    def _read_binary(self, offset: int, length: int) -> bytes:
        response = self._secure(CommandApdu(0x00, 0xB0, (offset >> 8) & 0x7F, offset & 0xFF, le=length))
        if response.sw != SW_OK:
            raise IdError("card_error", f"READ BINARY answered {response.sw:04X}")
        if len(response.data) > length:
            raise IdError("sm_failed", f"asked for {length} bytes, got {len(response.data)}")
        return response.data


def read_passport(transmit: Transmit, key: BacKey) -> PassportData:
    """The whole read: SELECT, BAC, EF.COM, DG1. Raises IdError with a stable code."""
    session = EmrtdSession(transmit)
    session.select_application()
    session.authenticate(key)
    ef_com = parse_ef_com(session.read_file(FID_EF_COM))
    dg1 = session.read_file(FID_DG1)
    return PassportData(ef_com, parse_dg1(dg1), dg1)


def bac_key_from_document(document: IdDocument) -> BacKey:
    """The chip's access key from a passport read by the image reader (its MRZ)."""
    if document.birth_date is None or document.expiry_date is None or not document.document_number:
        raise IdError("bad_mrz", "document number, birth date and expiry are all needed for BAC")
    return BacKey(document.document_number, f"{document.birth_date:%y%m%d}", f"{document.expiry_date:%y%m%d}")
