"""Provides Ed25519 signatures of report payloads: a mission's key, its fingerprint, signing a digest, checking."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # cryptography is imported by the functions that need it: importing this module stays cheap
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PREFIX = b"assess-signature/1\0"
"""What every signed message starts with: a signature made for something else never verifies here."""
KEY_BYTES = 32
"""An Ed25519 public key's length, raw."""
SIGNATURE_BYTES = 64
"""An Ed25519 signature's length."""
FINGERPRINT_PREFIX = "SHA256:"
KDF_ROUNDS = 600_000
"""PBKDF2-HMAC-SHA256 iterations deriving the key that encrypts a private key from its passphrase: OWASP's
figure for PBKDF2-HMAC-SHA256 (2023). About 0.1 s each time the key is opened; a guesser pays it for every try."""
_DIGEST = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")


def fingerprint(public_key: bytes) -> str:
    """The key's fingerprint, written the way OpenSSH writes one: 'SHA256:' and the unpadded base64 of the SHA-256
    of the 32 raw bytes of the public key (of the raw bytes, so it differs from ssh-keygen's for the same key)."""
    return FINGERPRINT_PREFIX + base64.b64encode(hashlib.sha256(public_key).digest()).decode("ascii").rstrip("=")


def is_fingerprint(text: str) -> bool:
    """Whether text is written as a fingerprint is ('SHA256:' and 43 base64 characters)."""
    return _FINGERPRINT.fullmatch(text) is not None


@dataclass(frozen=True)
class PublicKey:
    """A mission's public key: what headquarters trusts, and what a signed report carries."""

    mission: str
    """The mission the key was made for (the name its reports give as 'mission')."""
    key: bytes
    """The 32 raw bytes of the Ed25519 public key."""
    created: str
    """When the key was made (ISO 8601 UTC, such as 2026-05-01T09:30:00Z)."""

    @property
    def fingerprint(self) -> str:
        """The key's fingerprint ('SHA256:…')."""
        return fingerprint(self.key)


@dataclass(frozen=True)
class SigningKey:
    """A mission's private key, with which its reports are signed."""

    mission: str
    created: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        """The public half: what the mission sends headquarters."""
        return PublicKey(self.mission, raw_public(self.private), self.created)


@dataclass(frozen=True)
class Signature:
    """A report payload's signature: who signed it, with which key, and the signature itself."""

    mission: str
    """The mission whose key signed (the signed message includes it)."""
    fingerprint: str
    """The fingerprint of public_key, as the signer stated it."""
    public_key: bytes
    """The 32 raw bytes of the signer's public key."""
    value: bytes
    """The 64-byte Ed25519 signature of message(mission, digest)."""


def message(mission: str, digest: str) -> bytes:
    """The bytes signed: b'assess-signature/1\\0', the mission in UTF-8, b'\\0', the digest's hex in ASCII.

    Raises ValueError when the mission holds a NUL character (it would make the message ambiguous) or the digest is
    not a SHA-256 in lowercase hex (64 characters)."""
    if "\0" in mission:
        raise ValueError("a mission's name cannot hold a NUL character")
    if not _DIGEST.fullmatch(digest):
        raise ValueError("the digest is not a SHA-256 in lowercase hex")
    return PREFIX + mission.encode("utf-8") + b"\0" + digest.encode("ascii")


def new_key(mission: str, created: str) -> SigningKey:
    """A new Ed25519 key for mission, made at created (ISO 8601 UTC)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return SigningKey(mission, created, Ed25519PrivateKey.generate())


def raw_public(private: Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of a private key's public key."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign(key: SigningKey, digest: str) -> Signature:
    """The signature of a payload's digest (its SHA-256 hex) by key, for key's mission."""
    public = key.public
    value = key.private.sign(message(key.mission, digest))
    return Signature(key.mission, public.fingerprint, public.key, value)


def valid(sig: Signature, digest: str) -> bool:
    """Whether sig is a signature of digest for sig.mission, made by the key it carries, whose fingerprint it gives.

    False for anything malformed (a key not 32 bytes, a signature not 64, a digest not hex): never raises. Whether
    the key is one to trust is not decided here (collect decides, with the store's keys)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(sig.public_key) != KEY_BYTES or len(sig.value) != SIGNATURE_BYTES:
        return False
    if fingerprint(sig.public_key) != sig.fingerprint:
        return False
    try:
        signed = message(sig.mission, digest)
        Ed25519PublicKey.from_public_bytes(sig.public_key).verify(sig.value, signed)
    except (InvalidSignature, ValueError):
        return False
    return True


def private_pem(key: SigningKey, passphrase: bytes | None, rounds: int = KDF_ROUNDS) -> bytes:
    """The private key as PEM (PKCS#8), encrypted with passphrase when one is given: PBES2, the key derived by
    PBKDF2-HMAC-SHA256 of rounds iterations, AES-256-CBC (encrypt_pkcs8)."""
    from cryptography.hazmat.primitives import serialization as s

    if not passphrase:
        return key.private.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption())
    der = key.private.private_bytes(s.Encoding.DER, s.PrivateFormat.PKCS8, s.NoEncryption())
    body = base64.b64encode(encrypt_pkcs8(der, passphrase, rounds)).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(
        ["-----BEGIN ENCRYPTED PRIVATE KEY-----", *lines, "-----END ENCRYPTED PRIVATE KEY-----", ""]
    ).encode()


def encrypt_pkcs8(
    der: bytes, passphrase: bytes, rounds: int, salt: bytes | None = None, iv: bytes | None = None
) -> bytes:
    """An unencrypted PKCS#8 key (DER) encrypted with passphrase: the DER of an EncryptedPrivateKeyInfo (RFC 5958)
    with PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 of rounds iterations over a 16-byte random salt, AES-256-CBC with a
    random IV. It is byte for byte what cryptography's BestAvailableEncryption writes, with the iteration count
    chosen: that writes 2048, far too few, and its encryption_builder().kdf_rounds() is refused for PKCS#8 (only
    OpenSSH and PKCS#12 take it, cryptography 50). Any PKCS#8 reader opens it (load_pem_private_key, openssl)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.hashes import SHA256
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    from cryptography.hazmat.primitives.padding import PKCS7

    salt = salt if salt is not None else os.urandom(16)
    iv = iv if iv is not None else os.urandom(16)
    secret = PBKDF2HMAC(SHA256(), 32, salt, rounds).derive(passphrase)
    padder = PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(der) + padder.finalize()) + encryptor.finalize()
    kdf = _der(0x30, _PBKDF2 + _der(0x30, _der(0x04, salt) + _der_integer(rounds) + _der(0x30, _HMAC_SHA256 + _NULL)))
    cipher = _der(0x30, _AES256_CBC + _der(0x04, iv))
    return _der(0x30, _der(0x30, _PBES2 + _der(0x30, kdf + cipher)) + _der(0x04, data))


# the DER of the object identifiers of EncryptedPrivateKeyInfo's algorithms (RFC 8018 appendix C, RFC 3565)
_PBES2 = bytes.fromhex("06092a864886f70d01050d")  # 1.2.840.113549.1.5.13
_PBKDF2 = bytes.fromhex("06092a864886f70d01050c")  # 1.2.840.113549.1.5.12
_HMAC_SHA256 = bytes.fromhex("06082a864886f70d0209")  # 1.2.840.113549.2.9
_AES256_CBC = bytes.fromhex("060960864801650304012a")  # 2.16.840.1.101.3.4.1.42
_NULL = b"\x05\x00"


def _der(tag: int, content: bytes) -> bytes:
    """A DER element: its tag, its length (short form under 128, else long form), its content."""
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _der_integer(value: int) -> bytes:
    """A DER INTEGER of a value >= 0 (a leading zero byte when its top bit is set)."""
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


UNREADABLE = "unreadable"
"""What load_private's ValueError says of a PEM that does not parse."""


class PassphraseError(ValueError):
    """The PEM could not be opened for want of the right passphrase: needed (none given), wrong, or not needed."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind
        """'needed', 'wrong' or 'unexpected'."""


def pem_encrypted(pem: bytes) -> bool:
    """Whether a PEM private key is encrypted (PKCS#8 'ENCRYPTED PRIVATE KEY', or an OpenSSL 'Proc-Type' header)."""
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in pem or b"Proc-Type: 4,ENCRYPTED" in pem


def load_private(pem: bytes, passphrase: bytes | None) -> Ed25519PrivateKey:
    """The Ed25519 private key a PEM holds, decrypted with passphrase.

    Raises PassphraseError (needed, wrong, unexpected) for the passphrase; ValueError for a PEM that does not hold
    an Ed25519 private key: UNREADABLE when it does not parse, else the name of the kind of key it holds."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    encrypted = pem_encrypted(pem)
    if encrypted and not passphrase:
        raise PassphraseError("needed")
    try:
        private = load_pem_private_key(pem, passphrase if encrypted else None)
    except TypeError as exc:  # the library's way of saying a password is missing or not expected
        raise PassphraseError("needed" if encrypted else "unexpected") from exc
    except ValueError as exc:
        if encrypted:  # a wrong passphrase decrypts to garbage, which does not parse
            raise PassphraseError("wrong") from exc
        raise ValueError(UNREADABLE) from None
    except Exception:  # the library raises its own errors for some malformed inputs
        raise ValueError(UNREADABLE) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError(key_kind(private))
    return private


def key_kind(private: object) -> str:
    """The kind of a private key the library read, in words (RSA, ECDSA, Ed448, DSA, X25519, X448)."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, rsa, x448, x25519

    kinds: tuple[tuple[type, str], ...] = (
        (rsa.RSAPrivateKey, "RSA"),
        (ec.EllipticCurvePrivateKey, "ECDSA"),
        (ed448.Ed448PrivateKey, "Ed448"),
        (dsa.DSAPrivateKey, "DSA"),
        (x25519.X25519PrivateKey, "X25519"),
        (x448.X448PrivateKey, "X448"),
    )
    return next((name for cls, name in kinds if isinstance(private, cls)), type(private).__name__)
