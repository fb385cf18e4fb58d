"""The simulator's contract variants, for running flow tests across them.

The contract leaves shapes open (two envelopes, two SSE formats, the upload answer's optional
fields and nesting, render progress styles); the simulator can take each (``SimConfig``).
``SIM_VARIANTS`` covers every value of every axis at least once in a few runs (the first is
the simulator's default); ``ALL_VARIANTS`` is the full cross product, for a nightly run.

To run a test module across them, override its simulator settings::

    from .variants import SIM_VARIANTS, Variant

    @pytest.fixture(params=SIM_VARIANTS, ids=str)
    def sim_config(request: pytest.FixtureRequest) -> SimConfig:
        return request.param.apply(fast_config())

or one test: ``@pytest.mark.parametrize("sim_config", variant_params())``. The ``sim_variant``
fixture in ``conftest.py`` gives the variant itself (to branch an assertion on it).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from _pytest.mark import ParameterSet

from ai_video_music.simulator import Envelope, ProgressStyle, SimConfig, SseFormat, UploadShape

AXES: dict[str, tuple[Any, ...]] = {
    "envelope": tuple(Envelope),
    "sse_format": tuple(SseFormat),
    "upload_shape": tuple(UploadShape),
    "progress_style": tuple(ProgressStyle),
}


@dataclass(frozen=True)
class Variant:
    """One value for each contract axis."""

    envelope: Envelope
    sse_format: SseFormat
    upload_shape: UploadShape
    progress_style: ProgressStyle

    def apply(self, config: SimConfig) -> SimConfig:
        """``config`` (timings and all) speaking this variant."""
        return dataclasses.replace(config, **self.settings())

    def settings(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in AXES}

    def __str__(self) -> str:
        return "-".join(str(value) for value in self.settings().values())


def _covering() -> tuple[Variant, ...]:
    """As many variants as the longest axis has values; the i-th takes each axis's i-th value
    (wrapping, each axis shifted differently on each wrap), so every value appears and the
    pairings vary (both envelopes meet both SSE formats)."""
    count = max(len(values) for values in AXES.values())
    return tuple(
        Variant(*(vals[(i + k * (i // len(vals))) % len(vals)] for k, vals in enumerate(AXES.values())))
        for i in range(count)
    )


SIM_VARIANTS: tuple[Variant, ...] = _covering()
ALL_VARIANTS: tuple[Variant, ...] = tuple(Variant(*combo) for combo in itertools.product(*AXES.values()))


def variant_params(
    base: SimConfig | None = None, variants: tuple[Variant, ...] = SIM_VARIANTS
) -> list[ParameterSet]:
    """``pytest.param`` configs for ``@pytest.mark.parametrize("sim_config", ...)``."""
    from .conftest import fast_config  # here, not at the top: conftest imports this module

    config = base or fast_config()
    return [pytest.param(v.apply(config), id=str(v)) for v in variants]
