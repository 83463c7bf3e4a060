"""Field encryption for personal data at rest (PIPA §24의2) and the blind index of the RRN.

One module per reason:
- ``cipher``: the AEAD cipher behind ``FieldCipher`` (AES-256-GCM; a KCMVP cipher registers in
  ``CIPHERS``) and the ciphertext blob an ``*_enc`` column holds;
- ``keyring``: ``KeyRing`` (encrypt, decrypt, blind index, rotation) and the key-file document;
- ``sources``: where a ring comes from (``KIOSK_KEYS``, the key file the settings name);
- ``private_file``: owner-only JSON files written atomically (the key file and its backups).

A process starting on a database goes through ``db.key_guard``, never straight to ``load_keyring``.
"""

from db.crypto.cipher import (
    BLOB_VERSION,
    CIPHERS,
    DEFAULT_CIPHER,
    NONCE_BYTES,
    AesGcmCipher,
    DecryptionError,
    FieldCipher,
    blob_key_id,
    split_blob,
)
from db.crypto.keyring import ENV_VAR, KEY_FILE_FORMAT, KeyRing, new_key_id, parse_document
from db.crypto.private_file import write_private_json
from db.crypto.sources import (
    create_key_file,
    key_file_for,
    keyring_for,
    keyring_from_environment,
    load_keyring,
    read_keyring,
)

__all__ = [
    "BLOB_VERSION",
    "CIPHERS",
    "DEFAULT_CIPHER",
    "ENV_VAR",
    "KEY_FILE_FORMAT",
    "NONCE_BYTES",
    "AesGcmCipher",
    "DecryptionError",
    "FieldCipher",
    "KeyRing",
    "blob_key_id",
    "create_key_file",
    "key_file_for",
    "keyring_for",
    "keyring_from_environment",
    "load_keyring",
    "new_key_id",
    "parse_document",
    "read_keyring",
    "split_blob",
    "write_private_json",
]
