"""Seeding: every path's random numbers depend only on the seed and the path's index.

Paths come in fixed blocks of :data:`BLOCK_PATHS`; block ``b`` draws its shocks from
``SeedSequence(seed, spawn_key=(b,))``. A path's shocks therefore never depend on how paths are grouped into chunks,
on the chunk size, on the number of workers, or on how many paths are run in all.

References
----------
NumPy, "Parallel random number generation" (``SeedSequence.spawn``), numpy.org/doc/stable/reference/random/parallel.html
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from geostress.model.fiscal import SHOCKS

#: Paths per seeding block (the unit of reproducibility).
BLOCK_PATHS = 1024


def block_generator(seed: int, block: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def draw_paths(
    seed: int, first: int, count: int, months: int, *, threads: int = 2, out: np.ndarray | None = None
) -> np.ndarray:
    """Standard normal shocks (float32) for paths ``first .. first+count-1``: shape (count, months, shocks).

    Block ``b`` (paths ``b·BLOCK_PATHS`` onwards) always draws the same numbers, so any split of the paths into
    calls gives identical shocks. Whole blocks are drawn straight into the output; partial blocks at either end
    are drawn whole and sliced.
    """
    shape = (count, months, len(SHOCKS))
    if out is None:
        out = np.empty(shape, dtype=np.float32)
    elif out.shape != shape or out.dtype != np.float32:
        raise ValueError(f"out must be float32 with shape {shape}")
    last = first + count

    def fill(block: int) -> None:
        lo, hi = block * BLOCK_PATHS, (block + 1) * BLOCK_PATHS
        rng = block_generator(seed, block)
        if lo >= first and hi <= last:
            rng.standard_normal(dtype=np.float32, out=out[lo - first : hi - first])
        else:
            whole = rng.standard_normal((BLOCK_PATHS, months, len(SHOCKS)), dtype=np.float32)
            a, b = max(lo, first), min(hi, last)
            out[a - first : b - first] = whole[a - lo : b - lo]

    blocks = range(first // BLOCK_PATHS, (last - 1) // BLOCK_PATHS + 1)
    if threads > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(fill, blocks))
    else:
        for block in blocks:
            fill(block)
    return out
