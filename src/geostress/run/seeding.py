"""Seeding: every path's random numbers depend only on the seed and the path's index.

Paths come in fixed blocks of :data:`BLOCK_PATHS`; block ``b`` draws its shocks from
``SeedSequence(seed, spawn_key=(b,))`` and its parameter draws from ``SeedSequence(seed, spawn_key=(b, key))``
(:data:`MARKET_KEY`, :data:`CONTAGION_KEY`). A path's shocks and parameters therefore never depend on how paths are
grouped into chunks, on the chunk size, on the number of workers, or on how many paths are run in all.

This module imports neither the fiscal engine nor the compiled kernels at load (``geostress market impact`` draws
its parameters here and runs the block in plain numpy: numba's import alone is ≈0.2 s of a command's start).

References
----------
NumPy, "Parallel random number generation" (``SeedSequence.spawn``), numpy.org/doc/stable/reference/random/parallel.html
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from typing import Any

import numpy as np

from geostress.model import market as mk

#: Paths per seeding block (the unit of reproducibility).
BLOCK_PATHS = 1024
#: Spawn keys of the parameter draws (block b of BLOCK_PATHS paths draws from SeedSequence(seed, (b, key))).
MARKET_KEY, CONTAGION_KEY = 101, 102


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
    from geostress.model.fiscal import SHOCKS

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


# -- per-path parameter draws -------------------------------------------------------------------------------------
class BlockStreams:
    """Uniforms for consecutive seeding blocks at once: ``random(n)`` (n = blocks × BLOCK_PATHS) is each block's
    next BLOCK_PATHS uniforms from its own generator, block after block. A model's ``draw_params`` run once on it
    gives every block the numbers it would get drawn alone (in one call instead of one per block of 1,024).
    ``record`` (a dict, or ``None``) receives what each :class:`geostress.run.coupled._NamedPrior` draws from
    these streams."""

    def __init__(self, generators: list[np.random.Generator],
                 record: dict[str, np.ndarray] | None = None) -> None:
        self._generators = generators
        self.record = record

    def random(self, size: int) -> np.ndarray:
        per_block, left = divmod(size, len(self._generators))
        if left:
            raise ValueError(f"{size} uniforms do not split into {len(self._generators)} equal blocks")
        out = np.empty(size)
        for i, generator in enumerate(self._generators):
            generator.random(out=out[i * per_block : (i + 1) * per_block])
        return out


def block_draws(seed: int, key: int, first: int, count: int, draw: Callable[[BlockStreams, int], Any],
                record: dict[str, np.ndarray] | None = None) -> tuple[Any, slice]:
    """Per-path parameter draws that depend only on the seed and the path index (blocks of BLOCK_PATHS): ``draw``
    over the whole blocks that hold paths ``first … first + count − 1``, and which of its rows are those paths
    (``record``: see :class:`BlockStreams`; its arrays cover the whole blocks too)."""
    blocks = range(first // BLOCK_PATHS, (first + count - 1) // BLOCK_PATHS + 1)
    streams = BlockStreams([np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b, key))))
                            for b in blocks], record)
    skip = first - blocks[0] * BLOCK_PATHS
    return draw(streams, len(blocks) * BLOCK_PATHS), slice(skip, skip + count)


def draw_market(priors: mk.MarketPriors, stabilisers: mk.Stabilisers, seed: int, first: int,
                count: int) -> mk.MarketParams:
    """The market parameters of paths ``first … first + count − 1`` (by path index, :func:`block_draws`)."""
    whole, rows = block_draws(seed, MARKET_KEY, first, count,
                              lambda rng, n: mk.draw_params(priors, rng, n, stabilisers))
    values = {f.name: np.asarray(getattr(whole, f.name))[rows].copy() for f in fields(mk.MarketPriors)}
    return mk.MarketParams(**values, stabilisers=stabilisers)
