"""What the renderer draws: generated scenes, name cards, titles and the slow pan across a picture."""

from __future__ import annotations

import functools
import hashlib
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

ZOOM = 1.12  # a picture is prepared this much larger than the frame, then slowly panned across
# Pillow's bundled font (scalable since Pillow 10.1) has no CJK glyphs: try a system font for those.
_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _rng(seed: str) -> random.Random:
    return random.Random(hashlib.sha256(seed.encode()).digest())  # noqa: S311 - looks, not security


def _needs_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)


@functools.lru_cache(maxsize=1)
def _cjk_font_files() -> list[Path]:
    found = [Path(p) for p in _CJK_FONTS if Path(p).is_file()]
    for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
        if Path(root).is_dir():
            found += sorted(Path(root).glob("**/*CJK*.tt[cf]")) + sorted(Path(root).glob("**/*CJK*.otf"))
    return found


@functools.lru_cache(maxsize=32)
def font(size: int, cjk: bool = False) -> Font:
    """Pillow's own scalable font; for Chinese text, a system CJK font where there is one."""
    if cjk:
        for path in _cjk_font_files():
            if path.is_file():
                try:
                    return ImageFont.truetype(path, size)
                except OSError:
                    continue
    return ImageFont.load_default(size)


def _gradient(
    width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    ramp = Image.linear_gradient("L").resize((width, height))
    return ImageOps.colorize(ramp, top, bottom).convert("RGB")


def scene(seed: str, width: int, height: int) -> Image.Image:
    """A generated landscape standing in for an AI-generated clip: sky, sun, layered hills."""
    rng = _rng(seed)
    hue = rng.random()
    sky_top = tuple(int(60 + 120 * abs(((hue + k / 3) % 1) - 0.5)) for k in range(3))
    sky_bottom = (250, 200 + rng.randrange(40), 150 + rng.randrange(80))
    image = _gradient(width, height, sky_top, sky_bottom)  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    r = min(width, height) // 9
    cx, cy = int(width * rng.uniform(0.2, 0.8)), int(height * rng.uniform(0.2, 0.45))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 236, 180))
    for layer in range(4):
        base = height * (0.55 + 0.1 * layer)
        shade = 30 + 35 * layer
        colour = (shade // 2, shade + rng.randrange(40), shade // 2 + rng.randrange(60))
        points = [(0, height)]
        for x in range(0, width + 1, max(8, width // 12)):
            points.append((x, int(base - rng.uniform(0, height * 0.12))))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    return image


def card(name: str, width: int, height: int) -> Image.Image:
    """A clip that can't be decoded here: its name on a coloured card."""
    rng = _rng(name)
    top = (rng.randrange(30, 120), rng.randrange(30, 120), rng.randrange(60, 160))
    image = _gradient(width, height, top, (15, 15, 25))
    draw = ImageDraw.Draw(image)
    label = f"▶ {name}" if not _needs_cjk(name) else name
    face = font(max(12, min(width, height) // 12), _needs_cjk(name))
    draw.text((width / 2, height / 2), label, font=face, fill=(240, 240, 240), anchor="mm")
    return image


def cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale and centre-crop to fill ``width`` x ``height``."""
    return ImageOps.fit(image, (width, height), Image.Resampling.BILINEAR)


def panned(base: Image.Image, width: int, height: int, progress: float, forward: bool) -> Image.Image:
    """A slow diagonal pan (Ken Burns) across ``base`` (ZOOM times the frame): a crop, no rescale,
    so a 1080x1920 frame costs a copy rather than a resample."""
    spare_x, spare_y = base.width - width, base.height - height
    share = progress if forward else 1 - progress
    x, y = round(spare_x * share), round(spare_y * (0.5 + (share - 0.5) * 0.6))
    return base.crop((x, y, x + width, y + height))


def title(text: str, width: int, height: int) -> tuple[Image.Image, tuple[int, int]]:
    """The title as a translucent band in the lower third: (RGBA patch, where to paste it)."""
    size = max(12, int(min(width, height) * (0.075 if width >= height else 0.085)))
    face = font(size, _needs_cjk(text))
    text = text.strip() or " "
    # Wrap to the frame's width, one word (or CJK character) at a time.
    words = list(text) if _needs_cjk(text) and " " not in text else text.split()
    lines: list[str] = []
    joiner = "" if _needs_cjk(text) and " " not in text else " "
    for word in words:
        trial = f"{lines[-1]}{joiner}{word}" if lines else word
        if lines and face.getlength(trial) > width * 0.84:
            lines.append(word)
        elif lines:
            lines[-1] = trial
        else:
            lines.append(word)
    lines = lines[:3]
    spacing = size // 4
    box = ImageDraw.Draw(Image.new("L", (1, 1))).multiline_textbbox(
        (0, 0), "\n".join(lines), font=face, spacing=spacing, align="center"
    )
    pad = size // 2
    patch_w = min(width, int(box[2] - box[0]) + 2 * pad)
    patch_h = min(height, int(box[3] - box[1]) + 2 * pad)
    patch = Image.new("RGBA", (patch_w, patch_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(patch)
    draw.rounded_rectangle((0, 0, patch_w - 1, patch_h - 1), radius=pad // 2, fill=(0, 0, 0, 140))
    draw.multiline_text(
        (patch_w / 2, patch_h / 2),
        "\n".join(lines),
        font=face,
        fill=(255, 255, 255, 255),
        anchor="mm",
        spacing=spacing,
        align="center",
        stroke_width=max(1, size // 24),
        stroke_fill=(0, 0, 0, 255),
    )
    x = (width - patch_w) // 2
    y = int(height * 0.72) - patch_h // 2
    return patch, (x, max(0, min(height - patch_h, y)))
