"""Every label the user reads, from data/strings/<lang>.toml, looked up by a dotted key; numbers and
plural forms as the language writes them, through Babel (CLDR rules), not hand-written rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class Strings:
    table: dict[str, Any]
    lang: str = "en"

    def _node(self, key: str) -> Any:
        node: Any = self.table
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"no text for '{key}' in strings/{self.lang}.toml")
            node = node[part]
        return node

    def get(self, key: str, **values: Any) -> str:
        node = self._node(key)
        if isinstance(node, dict) and "other" in node:
            node = node["other"]  # a plural table read without a count: its general form
        if not isinstance(node, str):
            raise KeyError(f"'{key}' in strings/{self.lang}.toml is a section, not a text")
        return node.format(**values) if values else node

    def plural(self, key: str, count: float, **values: Any) -> str:
        """The form of `key` that goes with `count` ("1 игла", "2 иглы", "5 игл"). A key given as
        one text has one form; a table gives one per CLDR plural category (one, few, many, other)."""
        node = self._node(key)
        if isinstance(node, dict):
            form = Locale.parse(self.lang).plural_form(abs(count))
            node = node.get(form, node.get("other"))
        if not isinstance(node, str):
            raise KeyError(f"'{key}' in strings/{self.lang}.toml has no plural form for {count}")
        return node.format(**values) if values else node

    def number(self, value: float) -> str:
        """1.5 -> '1.5' in English, '1,5' in Russian; whole numbers without decimals, no grouping."""
        return format_decimal(value, locale=self.lang, group_separator=False)

    def has(self, key: str) -> bool:
        try:
            self._node(key)
        except KeyError:
            return False
        return True
