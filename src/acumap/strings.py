"""Every label the user reads, from data/strings/<lang>.toml, looked up by a dotted key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Strings:
    table: dict[str, Any]
    lang: str = "en"

    def get(self, key: str, **values: Any) -> str:
        node: Any = self.table
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"no text for '{key}' in strings/{self.lang}.toml")
            node = node[part]
        if not isinstance(node, str):
            raise KeyError(f"'{key}' in strings/{self.lang}.toml is a section, not a text")
        return node.format(**values) if values else node

    def has(self, key: str) -> bool:
        try:
            self.get(key)
        except KeyError:
            return False
        return True
