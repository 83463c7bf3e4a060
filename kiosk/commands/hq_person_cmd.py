"""`kiosk hq seal-keygen` and `kiosk hq contacts`: HQ's sealing key, and the audited after-care read of a
person's sealed contacts (issue 20 item 4). Names and phones are printed masked, never whole."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.commands.hq_cmd import _engine, _hq_db

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext

CENTER_FILE = "<data_dir>/hq/hq-seal-x25519.pub.pem"


def _seal_keygen(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq.sealed import SealKeyFileError, create_seal_key, public_path

    path = Path(args.out)
    try:
        _key, made = create_seal_key(path)
    except SealKeyFileError as exc:
        print(f"봉인 키를 읽지 못했어요 (seal key unreadable): {exc}", file=sys.stderr)
        return 2
    print(f"{'새 봉인 키를 만들었어요' if made else '이미 있는 봉인 키예요'} (private key, 0600): {path}")
    print(f"공개키 파일 (public key file): {public_path(path)}")
    print(f"각 센터의 {CENTER_FILE} 로 복사해요 (install it at each center as {CENTER_FILE}).")
    return 0


def _contacts(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy.orm import Session

    from kiosk.hq.accounts import AccountError, ReadRefused, aftercare_contacts, check_password
    from kiosk.hq.sealed import SealKeyFileError, load_seal_key

    try:
        key = load_seal_key(Path(args.seal_key))
    except SealKeyFileError as exc:
        print(f"봉인 키를 읽지 못했어요 (seal key unreadable): {exc}", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("password: ")
    engine = _engine(args)
    if engine is None:
        return 2
    try:
        with Session(engine) as session, session.begin():
            account = check_password(session, args.username, password)
            if account is None:
                print("계정 이름이나 비밀번호가 맞지 않아요 (wrong username or password)", file=sys.stderr)
                return 2
            reads = aftercare_contacts(session, account, args.person_bi, args.purpose, key)
    except ReadRefused as exc:
        print(f"{ReadRefused.message_ko} ({exc})", file=sys.stderr)
        return 3
    except AccountError as exc:
        print(f"연락처를 읽지 못했어요 (contacts not read): {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if not reads:
        print("봉인된 연락처가 없어요 (no sealed contact for this person)")
    for read in reads:
        where = f"{read.center_code} #{read.seq} {read.at.date().isoformat()}"
        if read.contact is None:
            print(f"{where}: 열 수 없어요 (does not open): {read.problem}")
        else:
            born = read.contact.birth_date.year if read.contact.birth_date else "-"
            print(f"{where}: {read.contact.name_masked} {read.contact.phone_masked} ({born}년생)")
    return 0


def register(registry: CommandRegistry) -> None:
    keygen = registry.subcommand(
        "hq",
        "seal-keygen",
        "본부 봉인 키 만들기 (make HQ's X25519 key that centers seal contacts to)",
        _seal_keygen,
    )
    keygen.add_argument("--out", required=True, metavar="FILE", help="private key file (made 0600)")
    contacts = _hq_db(
        registry.subcommand(
            "hq", "contacts", "사후관리 연락처 보기 (audited after-care read; masked)", _contacts
        )
    )
    contacts.add_argument("--username", required=True, help="an HQ account allowed to read (admin)")
    contacts.add_argument("--person-bi", required=True, help="the person's national blind index")
    contacts.add_argument("--purpose", required=True, help="why (kept in hq_read_audit)")
    contacts.add_argument("--seal-key", required=True, metavar="FILE", help="HQ's seal private key (0600)")
    contacts.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
