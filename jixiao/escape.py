"""Escaping for where a message goes: the terminal, HTML, a SQL string literal, a DuckDB glob.

Everything a user sees may carry text from a document or a file name (an attacker's choice):
escape it for its destination, in one place.
"""

from __future__ import annotations

import html as _html
import re

# C0 and C1 controls (ESC starts ANSI sequences), DEL; tab and newline are kept by ``terminal``.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_QUOTED = re.compile(r"「([^」]*)」")
QUOTE_LIMIT = 40


def _visible(m: re.Match) -> str:
    return f"\\x{ord(m.group(0)):02x}"


def terminal(text: object, keep_newlines: bool = True) -> str:
    """``text`` safe to print: control characters (ANSI escapes, carriage returns) shown as ``\\xNN``."""
    pattern = _CONTROLS if keep_newlines else _ALL_CONTROLS
    return pattern.sub(_visible, str(text))


def one_line(text: object) -> str:
    """``text`` as one terminal-safe line (newlines and tabs escaped too)."""
    return _ALL_CONTROLS.sub(_visible, str(text))


def html(text: object) -> str:
    return _html.escape(str(text), quote=True)


def sql_literal(text: object) -> str:
    """A SQL string literal: ``'it''s'``."""
    return "'" + str(text).replace("'", "''") + "'"


def glob_literal(text: object) -> str:
    """A path that DuckDB's glob matches literally (``[``, ``*``, ``?`` become one-character classes)."""
    return re.sub(r"([\[*?])", r"[\1]", str(text))


def short_quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A quoted excerpt of document text: at most ``limit`` characters, controls escaped."""
    text = one_line(text)
    return text if len(text) <= limit else text[:limit] + "…"


def safe_reason(reason: str | None) -> str | None:
    """A reason sentence whose every 「quote」 of document text is short and escaped."""
    if reason is None:
        return None
    return one_line(_QUOTED.sub(lambda m: f"「{short_quote(m.group(1))}」", reason))
