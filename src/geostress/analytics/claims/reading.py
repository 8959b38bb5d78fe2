"""Reading a claims check's input: bytes of unknown encoding to text, HTML pages to their visible text.

Kept apart from the extractor, which takes ``str`` only: :func:`read_text` reads a file or standard input,
:func:`decode_bytes` tries UTF-8, then GB18030, Big5 or Shift-JIS (whichever reads as Chinese; Japanese is refused),
and :func:`article_text` strips an HTML page down to its visible text.
"""

from __future__ import annotations

import codecs
import sys
from html.parser import HTMLParser
from pathlib import Path

from geostress.errors import DataError


MAX_BYTES = 64 * 1024 * 1024
#: Frequent characters in Chinese news text, in both scripts: a wrong legacy decoding rarely produces them.
_COMMON = set("的是在了有和中國国年月人不這这為为上個个大來来到以說说時时要就出會会也你對对後后能下過过而於于自"
              "美元億亿萬万持債债外儲储金黃黄百分比增減减降至約约截底")


class InputError(DataError):
    """Input text that cannot be read (empty, binary, an unknown encoding)."""


def _score(text: str) -> float:
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(ch in _COMMON for ch in cjk) / len(cjk)


def _kana_share(text: str) -> float:
    """Hiragana and katakana among the CJK characters and kana of ``text``: Japanese prose is rarely under 20 %."""
    kana = sum("\u3040" <= ch <= "\u30ff" for ch in text)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return kana / (kana + cjk) if kana + cjk else 0.0


def _halfwidth_katakana(text: str) -> float:
    """Half-width katakana per character: what GB18030 or Big5 bytes turn into when read as Shift-JIS."""
    return sum("\uff61" <= ch <= "\uff9f" for ch in text) / max(1, len(text))


def decode_bytes(raw: bytes, name: str = "<input>") -> tuple[str, str]:
    """``(text, encoding)`` for raw bytes; :class:`InputError` with a clear message for unreadable input.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as such; other bytes are tried as GB18030, Big5
    and Shift-JIS, and the reading with the most common Chinese characters wins. Shift-JIS bytes that read as
    Japanese (kana) are refused: the checker reads Chinese and English only.
    """
    if not raw.strip():
        raise InputError(f"{name}: the input is empty; give a text file or pipe text to `-`")
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (with BOM)"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    sample = raw[:65536]
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(f"{name}: the input looks binary (NUL or control bytes), not text; give a plain-text file")
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc, label in (("gb18030", "GB18030"), ("big5hkscs", "Big5")):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text[:20000]), label, text))
    try:
        sjis = raw.decode("cp932")  # Shift-JIS as Windows writes it (a superset of JIS X 0208)
    except UnicodeDecodeError:
        sjis = None
    if sjis is not None and _halfwidth_katakana(sjis[:20000]) < 0.01:
        if _kana_share(sjis[:20000]) >= 0.2:
            raise InputError(f"{name}: the input reads as Japanese (Shift-JIS); the checker reads Chinese and English "
                             "only — give the article in one of those")
        candidates.append((_score(sjis[:20000]), "Shift-JIS", sjis))
    if not candidates:
        raise InputError(f"{name}: the input is neither UTF-8, GB18030, Big5 nor Shift-JIS; convert it to UTF-8 "
                         "(e.g. `iconv -f <encoding> -t UTF-8`)")
    score, label, text = max(candidates, key=lambda c: (c[0], c[1] == "GB18030", c[1] == "Big5"))
    if score < 0.05 and len(candidates) == 1 and not any("\u4e00" <= ch <= "\u9fff" for ch in text[:2000]):
        raise InputError(f"{name}: the input is not UTF-8 and does not read as GB18030 or Big5 Chinese text; "
                         "convert it to UTF-8")
    return text, label


def read_text(path: str) -> tuple[str, str]:
    """Read ``path`` (``-`` for standard input) and decode it (see :func:`decode_bytes`)."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(f"{path}: is a directory; give one article's file (text or HTML), e.g. "
                                 f"{Path(path) / 'article.txt'}, or `-` to read standard input")
            if not p.is_file():
                raise InputError(f"{path}: no such file" if not p.exists() else
                                 f"{path}: not a regular file; give a text or HTML file, or `-` for standard input")
            with open(p, "rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"{path}: the input is larger than {MAX_BYTES // 2**20} MiB; split it into parts")
    return decode_bytes(raw, "standard input" if path == "-" else path)


# -- HTML ------------------------------------------------------------------------------------------------------
_SKIP = {"script", "style", "head", "noscript", "template"}
_BREAK = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote"}


class _TextOnly(HTMLParser):
    """Visible text of an HTML document, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag in _BREAK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def looks_like_html(text: str, name: str = "") -> bool:
    """Whether ``text`` is an HTML document (by extension or by its opening tags)."""
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def html_to_text(text: str) -> str:
    """The visible text of an HTML page (scripts and styles dropped, block elements on their own lines)."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def article_text(text: str, name: str = "") -> str:
    """``text`` itself, or the visible text when it is an HTML page (see :func:`looks_like_html`)."""
    return html_to_text(text) if looks_like_html(text, name) else text


def read_article(path: str) -> tuple[str, str]:
    """Read ``path`` (``-`` for standard input; text or HTML; UTF-8, GB18030 or Big5): ``(text, encoding)``.

    Raises
    ------
    InputError
        The file is missing, empty, binary or in an unknown encoding; the message names it and what to do.
    """
    text, encoding = read_text(path)
    return article_text(text, "" if path == "-" else path), encoding
