"""Atomic file writes: readers see the previous file or the whole new one, never a part.

Every writer in geostress that replaces a result file goes through :func:`atomic_path`: the data go to a hidden
temporary name in the target's folder (same file system), which is moved onto the target with :func:`os.replace`
only once the writer has finished; if the writer fails or the process is interrupted, the temporary file is
removed (or, after a ``kill -9``, left as a hidden ``.*.tmp`` that readers ignore) and the target is untouched.
The data store's Parquet batches use their own variant with a folder fsync (:mod:`geostress.data.store`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(target: Path | str, *, durable: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it onto ``target``, else remove it.

    Parameters
    ----------
    target
        The file to write; its folder is created if needed.
    durable
        Also flush the new file to disk before the rename (for records that must survive a power loss, such as
        a service's run status).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name (not mkstemp: its 0600 mode would stick); the writer creates it with the usual permissions
    tmp = target.parent / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        yield tmp
        if durable:
            _fsync(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(target: Path | str, writer: Callable[[Path], object], *, durable: bool = False) -> Path:
    """Call ``writer(temporary_path)`` and move the file it wrote onto ``target`` (:func:`atomic_path`)."""
    with atomic_path(target, durable=durable) as tmp:
        writer(tmp)
    return Path(target)


def write_bytes_atomic(target: Path | str, data: bytes, *, durable: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically (:func:`atomic_path`); returns the target."""
    return write_atomic(target, lambda tmp: tmp.write_bytes(data), durable=durable)


def write_text_atomic(target: Path | str, text: str, *, durable: bool = False) -> Path:
    """Write UTF-8 ``text`` (``\\n`` line ends) to ``target`` atomically; returns the target."""
    return write_bytes_atomic(target, text.encode("utf-8"), durable=durable)
