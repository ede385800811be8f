"""Reads the session-parameter cards back out of the page's HTML, as a user would see them."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.support.apptest import blocks


class _Cards(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict] = []
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if "acu-pcard" in cls.split():
            self.cards.append({"key": dict(attrs).get("data-key"), "label": "", "value": "", "marks": [], "note": ""})
        elif self.cards and "acu-plabel" in cls:
            self._field = "label"
        elif self.cards and "acu-pvalue" in cls:
            self._field = "value"
        elif self.cards and "acu-mark" in cls:
            self._field = "mark"
        elif self.cards and tag == "small":
            self._field = "note"

    def handle_endtag(self, tag: str) -> None:
        self._field = None

    def handle_data(self, data: str) -> None:
        if not self.cards or self._field is None:
            return
        card = self.cards[-1]
        if self._field == "mark":
            card["marks"].append(data)
        else:
            card[self._field] += data


def read_cards(html: str) -> list[dict]:
    parser = _Cards()
    parser.feed(html)
    return parser.cards


def page_cards(at) -> list[dict]:
    """The cards an AppTest run shows (one block of them per page)."""
    found = [read_cards(m.value) for m in blocks(at) if "acu-pgrid" in m.value]
    assert len(found) == 1, "one block of parameter cards expected"
    return found[0]
