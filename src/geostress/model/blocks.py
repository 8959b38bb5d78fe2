"""Spreading a compiled loop over threads: one contiguous block of items per numba thread.

A kernel compiled as a serial loop over a range ``first .. last − 1`` that releases the GIL runs here one block
per thread, instead of as a ``prange`` kernel. The reason is the compile time on first use: a ``prange`` kernel
with a large body is slow to compile (the market pass took 30 s as one, 5–7 s as a serial loop; the fiscal
ensemble's takes over a minute on 2 cores, see :mod:`geostress.run.warm`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def run_in_blocks(kernel: Callable[[int, int], int | None], n_items: int) -> int:
    """Run ``kernel(first, last)`` over contiguous blocks of ``n_items``, one per numba thread, and add up what the
    blocks return (``None`` counts as 0).

    The number of blocks is :func:`numba.get_num_threads` (the caller's setting: 1 inside
    :func:`geostress.run.coupled.serial_kernels`), at most ``n_items``; with one block the kernel runs on the calling
    thread.
    """
    import numba

    blocks = max(1, min(numba.get_num_threads(), n_items))
    if blocks == 1:
        return int(kernel(0, n_items) or 0)
    from concurrent.futures import ThreadPoolExecutor

    edges = np.linspace(0, n_items, blocks + 1).astype(int)
    with ThreadPoolExecutor(max_workers=blocks) as pool:
        return sum(int(r or 0) for r in pool.map(kernel, edges[:-1], edges[1:]))
