"""What the live class's screens say, worked out without Streamlit: the one line a refusal becomes,
the teacher link, a student's name, the QR block for the projector and the lines of a reveal."""

from __future__ import annotations

import functools
import re
from html import escape
from urllib.parse import urlsplit

from acumap.classroom.errors import ClassError
from acumap.classroom.models import Reveal
from acumap.classroom.qr import join_qr_svg
from acumap.data.strings import Strings

TEACH = "teach"  # the query parameter of a teacher link: CODE.KEY
JOIN = "class"  # the query parameter of a join link: CODE
# A joined student's own link adds their key: a reload, or a page reconnected to another server after its
# own went down, takes the same seat again (Classroom.rejoin). The key is in the phone's address bar only;
# the teacher's key, shown on a projector, never stays in the URL.
SEAT = "seat"


def error_line(s: Strings, exc: ClassError) -> str:
    """One line a teacher or a student can act on, in the page's language."""
    key = "live.error." + exc.reason.replace(".", "_")
    return s.get(key) if s.has(key) else s.get("live.error.other", detail=str(exc))


def base_url(page_url: str, fallback: str) -> str:
    """The app's address as the browser reached it (scheme, host and path), else the configured one."""
    parts = urlsplit(page_url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return fallback.rstrip("/")


def join_link(base: str, code: str) -> str:
    return f"{base}/?{JOIN}={code}"


def teacher_link(base: str, code: str, key: str, lang: str) -> str:
    """Reopens the teacher's screen in the language it was made in, as a view's link carries `lang`."""
    return f"{base}/?mode=present&lang={lang}&{TEACH}={code}.{key}"


def read_teach(raw: str) -> tuple[str, str] | None:
    """A teacher link's CODE.KEY, or None when it is not one (the store checks the key itself)."""
    code, dot, key = str(raw).partition(".")
    return (code, key) if dot and code and key else None


def student_name(s: Strings, nickname: str, number: int) -> str:
    """A nickname as typed (the screen draws it as plain text), or "Student 3" without one."""
    return nickname or s.get("live.student_number", n=number)


# Every ASCII punctuation mark Markdown may read as markup (CommonMark lets a backslash escape any of them).
_MARKUP = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_literal(text: str) -> str:
    """Text that Streamlit's Markdown shows as typed: a table's cells are read as Markdown (not HTML),
    so a nickname such as `**x**` would turn bold."""
    return _MARKUP.sub(r"\\\1", text)


@functools.lru_cache(maxsize=64)
def qr_html(url: str, alt: str) -> str:
    """The join link's QR code as an image with a text alternative, for the projector."""
    return (f'<div class="acu-qr" role="img" aria-label="{escape(alt)}" style="max-width:18rem">'
            f'{join_qr_svg(url)}</div>')


def reveal_lines(s: Strings, reveal: Reveal) -> list[str]:
    """The distribution of answers, right answer marked: one line per choice (or right and wrong clicks)."""
    if reveal.question.target is not None:
        right = sum(1 for *_xy, ok in reveal.clicks if ok)
        return [s.get("live.click_right", count=right),
                s.get("live.click_wrong", count=len(reveal.clicks) - right)]
    return [s.get("live.share_right" if share.right else "live.share", text=share.text, count=share.count)
            for share in reveal.shares]
