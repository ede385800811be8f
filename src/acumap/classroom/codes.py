"""Join codes, secret keys and nicknames: what a person types or is handed.

A join code is 6 characters from an alphabet without look-alikes (no 0/O/Q/D, 1/I/L, 2/Z, 5/S,
6/G/b, 8/B, U/V), drawn with `secrets`. Keys are stored only as their SHA-256 and compared in
constant time. A nickname is stored as typed, cut to a length: screens escape it when they draw it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from acumap.classroom.errors import ClassError

ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 6
NICKNAME_MAX = 40  # characters


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def read_code(raw: str) -> str:
    """The code as stored (capitals), from what a person typed (any case, spaces or dashes between);
    ClassError("code.malformed") when it cannot be a code."""
    code = "".join(ch for ch in str(raw) if ch not in " -\t").upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        shown = str(raw)[:20]
        raise ClassError("code.malformed", f"'{shown}' is not a class code: a code is {CODE_LENGTH} characters "
                         f"from {ALPHABET}")
    return code


def new_key() -> str:
    """A secret key, never starting with "-": one did in about 1 of 64 draws, and the command line
    (`--key KEY`) then took it for an option and refused it."""
    while True:
        key = secrets.token_urlsafe(24)
        if not key.startswith("-"):
            return key


def key_hash(key: str) -> str:
    return hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)


def nickname(raw: str | None) -> str:
    """Kept literally (HTML, Markdown and direction marks included), only cut to NICKNAME_MAX characters;
    leading and trailing spaces go, and so do NUL characters and unpaired surrogates, which no database
    text column takes."""
    text = (raw or "").encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    return text.strip()[:NICKNAME_MAX]
