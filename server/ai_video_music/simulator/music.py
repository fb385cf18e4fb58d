"""Free background music, synthesised: a chord progression in the style the track's name asks for.

Not a composer: enough that a render has real, audible music whose loudness follows the draft's
volume (amplitude is proportional to it, so 20% is quieter than 35%).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

RATE = 44_100  # the default sample rate (SimConfig.audio_rate may lower it: tests)
PEAK = 0.8  # loudest sample at 100% volume


@dataclass(frozen=True)
class Style:
    bpm: float
    chords: tuple[tuple[int, ...], ...]  # semitones above A3, one chord a bar
    decay: float  # how fast a note fades (per second)
    beat: bool  # a kick on every beat
    hats: bool  # soft noise on the off-beats


_POP = ((0, 4, 7), (7, 11, 14), (9, 12, 16), (5, 9, 12))  # I V vi IV
_SAD = ((9, 12, 16), (5, 9, 12), (0, 4, 7), (7, 11, 14))  # vi IV I V
STYLES = {
    "lo-fi": Style(78, ((2, 5, 9, 12), (7, 11, 14, 17), (0, 4, 7, 11), (9, 12, 16, 19)), 2.2, True, True),
    "piano": Style(70, _SAD, 1.4, False, False),
    "upbeat": Style(120, _POP, 3.5, True, True),
    "epic": Style(90, _SAD, 0.8, True, False),
    "acoustic": Style(96, _POP, 2.8, False, True),
}


def style_of(name: str) -> Style:
    lower = name.lower()
    for key, words in (
        ("piano", ("piano", "calm")),
        ("upbeat", ("upbeat", "pop", "happy", "dance")),
        ("epic", ("epic", "cinematic")),
        ("acoustic", ("acoustic", "folk", "guitar")),
    ):
        if any(w in lower for w in words):
            return STYLES[key]
    return STYLES["lo-fi"]


def _note(freq: float, length: int, decay: float, rate: int) -> NDArray[np.float32]:
    t = np.arange(length, dtype=np.float32) / rate
    tone = (
        np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t) + 0.1 * np.sin(6 * np.pi * freq * t)
    )
    attack = np.minimum(1.0, t / 0.01)
    return (tone * attack * np.exp(-decay * t)).astype(np.float32)


def synthesise(name: str, seconds: float, rate: int = RATE) -> NDArray[np.float32]:
    """``seconds`` of mono music at ``rate`` samples a second, at full volume (peak ``PEAK``)."""
    total = max(1, int(seconds * rate))
    style = style_of(name)
    beat = int(rate * 60 / style.bpm)
    bar = beat * 4
    out = np.zeros(total + 2 * bar, dtype=np.float32)  # notes ring on past the last bar
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big"))
    for start in range(0, total, bar):
        chord = style.chords[(start // bar) % len(style.chords)]
        for step in range(4):
            at = start + step * beat
            # The chord on the first beat, a rising arpeggio on the others; the root in the bass.
            notes = chord if step == 0 else (chord[step % len(chord)] + 12,)
            for semitone in notes:
                out[at : at + bar] += 0.22 * _note(220.0 * 2 ** (semitone / 12), bar, style.decay, rate)
            if step == 0:
                out[at : at + bar] += 0.3 * _note(110.0 * 2 ** (chord[0] / 12), bar, style.decay / 2, rate)
            if style.beat:
                kick = _note(55.0, beat // 2, 18.0, rate)
                out[at : at + kick.size] += 0.5 * kick
            if style.hats:
                off = at + beat // 2
                length = min(beat // 8, out.size - off)
                hat = rng.standard_normal(length).astype(np.float32) * np.exp(
                    -np.arange(length) / (rate * 0.01)
                )
                out[off : off + length] += 0.05 * hat.astype(np.float32)
    out = out[:total]
    fade = min(total // 4, rate // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        out[:fade] *= ramp
        out[-fade:] *= ramp[::-1]
    peak = float(np.max(np.abs(out))) or 1.0
    return (out * (PEAK / peak)).astype(np.float32)
