"""Passwords: Argon2id through argon2-cffi (its defaults follow RFC 9106's recommendations),
and the rules a new one must follow."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.i18n import Text, _

MIN_LENGTH = 12
MAX_LENGTH = 200
_HASHER = PasswordHasher()
#: verified against when the account does not exist, so both take the same time
_DUMMY_HASH = _HASHER.hash("conciliamo-no-such-account")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def password_problem(password: str, email: str) -> Text | None:
    """Why `password` cannot be used, or None."""
    if len(password) < MIN_LENGTH:
        return _("la password deve avere almeno {count} caratteri", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("la password può avere al massimo {count} caratteri", count=MAX_LENGTH)
    if password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        return _("la password non può essere il tuo indirizzo e-mail")
    if len(set(password)) < 4:
        return _("la password è troppo semplice: usa parole e caratteri diversi")
    return None
