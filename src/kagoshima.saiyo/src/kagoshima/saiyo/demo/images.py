"""Illustrations for the demo content, drawn with Pillow (nothing is downloaded).

* ``staff``: a friendly flat-design bust (no face) on a soft coloured background,
  square, for the 写真 of a StaffProfile;
* ``landscape``: a 1200×630 lead image with a colour and a simple motif
  (building, bridge, field, sea …) for JobCategory and ExamNotice pages;
* ``hero``: a wide Sakurajima-and-sea landscape for the top page.

Every picture is drawn from a seed, so the same parameters always give the same
bytes. Shapes are drawn at twice the size and scaled down for smooth edges. The
output is a JPEG (quality 80), a few tens of kilobytes.
"""

from io import BytesIO
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFilter

import math
import random


SCALE = 2  # supersampling factor
JPEG_QUALITY = 80

BACKGROUNDS = ("#dbeafe", "#fde2e4", "#e2f0cb", "#fff1c1", "#e4dcf5", "#d3f2ee", "#ffe3cc", "#e0e7ef")
SKIN_TONES = ("#f3d3b8", "#eac3a2", "#e0b08c", "#f6dcc6", "#d9a47f")
HAIR_COLOURS = ("#2b2222", "#3b2a20", "#4a3426", "#1f1b1b", "#5a4032")
CLOTHES = ("#27476e", "#3d5a80", "#4a4e69", "#2f6f62", "#5c4d7d", "#6b705c", "#30475e", "#7a4e3b")
HAIR_STYLES = ("short", "side", "bob", "long", "bun", "cropped")


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t: float) -> tuple[int, int, int]:
    a, b = _hex(a) if isinstance(a, str) else a, _hex(b) if isinstance(b, str) else b
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _jpeg(image: Image.Image, size: tuple[int, int]) -> bytes:
    image = image.resize(size, Image.Resampling.LANCZOS).convert("RGB")
    out = BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _soft_circles(image: Image.Image, rng: random.Random, base, count: int, blur: int) -> None:
    """Translucent round shapes in lighter (and a few slightly darker) tones of the background.

    Each shape is blurred as an alpha mask over a solid colour, so its edge fades
    into the background instead of leaving a dark rim. The masks are drawn and
    blurred at a quarter of the size, which looks the same and is much faster.
    """
    w, h = image.size
    small = (max(1, w // 4), max(1, h // 4))
    for _ in range(count):
        r = rng.randint(h // 8, h // 3)
        x, y = rng.randint(-r // 2, w), rng.randint(-r // 2, h)
        lighter = rng.random() < 0.75
        tone = _mix(base, "#ffffff" if lighter else "#000000", rng.uniform(0.3, 0.55) if lighter else 0.08)
        mask = Image.new("L", small, 0)
        ImageDraw.Draw(mask).ellipse(
            (x / 4 - r / 4, y / 4 - r / 4, x / 4 + r / 4, y / 4 + r / 4), fill=rng.randint(110, 170)
        )
        mask = mask.filter(ImageFilter.GaussianBlur(max(1, blur // 4))).resize(
            image.size, Image.Resampling.BILINEAR
        )
        solid = Image.new("RGBA", image.size, (*tone, 255))
        solid.putalpha(mask)
        image.alpha_composite(solid)


def _gradient(size, top, bottom) -> Image.Image:
    w, h = size
    column = Image.new("RGBA", (1, h))
    for y in range(h):
        column.putpixel((0, y), (*_mix(top, bottom, y / max(h - 1, 1)), 255))
    return column.resize(size)


# --- staff photos -------------------------------------------------------------------


def staff_photo(seed: int, size: int = 800, background: str | None = None, hair: str | None = None) -> bytes:
    """A square flat-design bust: shoulders, neck, head and hair, no facial features."""
    rng = random.Random(f"staff-{seed}")
    bg = background or rng.choice(BACKGROUNDS)
    skin = rng.choice(SKIN_TONES)
    hair_colour = rng.choice(HAIR_COLOURS)
    clothes = rng.choice(CLOTHES)
    style = hair or rng.choice(HAIR_STYLES)
    s = size * SCALE
    image = _gradient((s, s), _mix(bg, "#ffffff", 0.35), bg)
    _soft_circles(image, rng, bg, 6, s // 40)
    d = ImageDraw.Draw(image)

    cx = s // 2 + rng.randint(-s // 40, s // 40)
    head_r = int(s * 0.135)
    head_cy = int(s * 0.44)
    shoulder_top = int(s * 0.66)

    # hair that falls behind the shoulders is drawn first
    if style in ("long", "bob"):
        length = int(s * (0.26 if style == "long" else 0.13))
        d.rounded_rectangle(
            (cx - head_r * 1.22, head_cy - head_r * 0.6, cx + head_r * 1.22, head_cy + length),
            radius=head_r,
            fill=hair_colour,
        )

    # body: jacket, shirt collar and an ID card on a lanyard
    d.rounded_rectangle(
        (cx - s * 0.34, shoulder_top, cx + s * 0.34, s * 1.15), radius=int(s * 0.16), fill=clothes
    )
    neck_w = head_r * 0.42
    d.rectangle(
        (cx - neck_w, head_cy + head_r * 0.6, cx + neck_w, shoulder_top + s * 0.03),
        fill=_mix(skin, "#000000", 0.08),
    )
    shirt = "#ffffff" if rng.random() < 0.7 else "#eef3f8"
    d.polygon(
        [(cx - s * 0.09, shoulder_top), (cx + s * 0.09, shoulder_top), (cx, shoulder_top + s * 0.17)],
        fill=shirt,
    )
    d.polygon(
        [(cx - neck_w, shoulder_top), (cx + neck_w, shoulder_top), (cx, shoulder_top + s * 0.06)],
        fill=_mix(skin, "#000000", 0.08),
    )
    lanyard = rng.choice(("#e76f51", "#2a9d8f", "#f4a261", "#e9c46a"))
    d.line(
        [(cx - s * 0.07, shoulder_top + s * 0.02), (cx - s * 0.04, shoulder_top + s * 0.2)],
        fill=lanyard,
        width=s // 120,
    )
    d.line(
        [(cx + s * 0.07, shoulder_top + s * 0.02), (cx - s * 0.02, shoulder_top + s * 0.2)],
        fill=lanyard,
        width=s // 120,
    )
    d.rounded_rectangle(
        (cx - s * 0.075, shoulder_top + s * 0.2, cx + s * 0.005, shoulder_top + s * 0.29),
        radius=s // 150,
        fill="#ffffff",
    )
    d.rectangle(
        (cx - s * 0.065, shoulder_top + s * 0.215, cx - s * 0.005, shoulder_top + s * 0.235), fill=lanyard
    )

    r = head_r
    # ears, the crown of the hair, the face, then the fringe over the forehead
    for side in (-1, 1):
        ex = cx + side * r * 0.9
        d.ellipse((ex - r * 0.14, head_cy + r * 0.05, ex + r * 0.14, head_cy + r * 0.4), fill=skin)
    crown = r * (0.93 if style == "cropped" else 1.02)
    d.ellipse((cx - crown, head_cy - r * 1.12, cx + crown, head_cy + r * 0.55), fill=hair_colour)
    if style == "bun":
        d.ellipse((cx - r * 0.42, head_cy - r * 1.6, cx + r * 0.42, head_cy - r * 0.8), fill=hair_colour)
    d.ellipse((cx - r * 0.88, head_cy - r * 0.78, cx + r * 0.88, head_cy + r * 1.05), fill=skin)
    fringe = (cx - r * 0.95, head_cy - r * 1.1, cx + r * 0.95, head_cy + r * 0.05)
    if style == "side":
        d.chord(fringe, 150, 345, fill=hair_colour)
    elif style in ("short", "cropped"):
        d.chord(fringe, 175, 355, fill=hair_colour)
    elif style in ("long", "bob"):
        d.chord(fringe, 195, 30, fill=hair_colour)
        for side in (-1, 1):
            x_outer = cx + side * r * 1.02
            x_inner = cx + side * r * 0.78
            d.rectangle(
                (min(x_outer, x_inner), head_cy - r * 0.3, max(x_outer, x_inner), head_cy + r * 0.8),
                fill=hair_colour,
            )
    else:  # bun: hair pulled back, a low parting
        d.chord(fringe, 185, 350, fill=hair_colour)
    return _jpeg(image, (size, size))


# --- lead images --------------------------------------------------------------------


def _motif(d: ImageDraw.ImageDraw, motif: str, box, fg, accent, rng: random.Random) -> None:
    """Draw one simple motif inside ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if motif == "office":  # a prefectural office tower with windows
        d.rectangle((cx - w * 0.18, y0 + h * 0.1, cx + w * 0.18, y1), fill=fg)
        d.rectangle((cx - w * 0.42, y0 + h * 0.45, cx + w * 0.42, y1), fill=fg)
        d.rectangle((cx - w * 0.02, y0, cx + w * 0.02, y0 + h * 0.1), fill=fg)
        for row in range(7):
            for col in range(3):
                x = cx - w * 0.13 + col * w * 0.1
                y = y0 + h * 0.16 + row * h * 0.1
                d.rectangle((x, y, x + w * 0.055, y + h * 0.05), fill=accent)
        for side in (-1, 1):
            for row in range(4):
                for col in range(2):
                    x = cx + side * (w * 0.24 + col * w * 0.09) - w * 0.03
                    y = y0 + h * 0.52 + row * h * 0.11
                    d.rectangle((x, y, x + w * 0.05, y + h * 0.05), fill=accent)
    elif motif == "bridge":  # an arch bridge over water
        d.rectangle((x0, cy + h * 0.05, x1, cy + h * 0.12), fill=fg)
        d.arc(
            (x0 + w * 0.12, cy - h * 0.35, x1 - w * 0.12, cy + h * 0.55),
            180,
            360,
            fill=fg,
            width=int(h * 0.05),
        )
        for i in range(1, 8):
            x = x0 + w * 0.12 + i * (w * 0.76) / 8
            t = abs(x - cx) / (w * 0.38)
            top = cy - h * 0.33 * (1 - t * t) ** 0.5 + h * 0.1
            d.line([(x, top), (x, cy + h * 0.05)], fill=fg, width=int(h * 0.015))
        for i in range(3):
            y = cy + h * (0.25 + i * 0.12)
            d.line(
                [(x0 + w * (0.05 + i * 0.1), y), (x1 - w * (0.1 + i * 0.05), y)],
                fill=accent,
                width=int(h * 0.02),
            )
    elif motif == "house":  # a house frame and a crane
        d.polygon([(cx - w * 0.3, cy), (cx, y0 + h * 0.15), (cx + w * 0.3, cy)], fill=fg)
        d.rectangle((cx - w * 0.24, cy, cx + w * 0.24, y1 - h * 0.05), fill=fg)
        d.rectangle((cx - w * 0.06, cy + h * 0.15, cx + w * 0.06, y1 - h * 0.05), fill=accent)
        d.rectangle((cx - w * 0.2, cy + h * 0.08, cx - w * 0.1, cy + h * 0.2), fill=accent)
        d.rectangle((cx + w * 0.1, cy + h * 0.08, cx + w * 0.2, cy + h * 0.2), fill=accent)
        d.rectangle((x1 - w * 0.08, y0, x1 - w * 0.05, y1 - h * 0.05), fill=fg)
        d.rectangle((cx + w * 0.05, y0, x1 - w * 0.02, y0 + h * 0.04), fill=fg)
        d.line([(cx + w * 0.15, y0 + h * 0.04), (cx + w * 0.15, y0 + h * 0.25)], fill=fg, width=int(h * 0.01))
    elif motif == "field":  # a sun, rows of crops and a sprout
        d.ellipse((x1 - w * 0.3, y0, x1 - w * 0.08, y0 + w * 0.22), fill=accent)
        for i in range(5):
            y = cy + i * h * 0.09
            d.rounded_rectangle(
                (x0 + i * w * 0.03, y, x1 - i * w * 0.03, y + h * 0.045), radius=int(h * 0.02), fill=fg
            )
        stem_x, stem_y = cx - w * 0.1, cy - h * 0.02
        d.line([(stem_x, stem_y), (stem_x, stem_y - h * 0.3)], fill=fg, width=int(h * 0.025))
        d.ellipse((stem_x - w * 0.2, stem_y - h * 0.32, stem_x, stem_y - h * 0.2), fill=fg)
        d.ellipse((stem_x, stem_y - h * 0.42, stem_x + w * 0.2, stem_y - h * 0.28), fill=fg)
    elif motif == "forest":  # a row of conifers
        for i, scale in enumerate((0.7, 1.0, 0.85, 0.6)):
            tx = x0 + w * (0.15 + i * 0.23)
            th = h * 0.8 * scale
            for layer in range(3):
                top = y1 - th + layer * th * 0.22
                half = w * 0.1 * scale * (1 + layer * 0.3)
                d.polygon([(tx, top), (tx - half, top + th * 0.38), (tx + half, top + th * 0.38)], fill=fg)
            d.rectangle((tx - w * 0.012, y1 - th * 0.05, tx + w * 0.012, y1), fill=accent)
    elif motif == "sea":  # waves and fish
        for i in range(3):
            y = cy + i * h * 0.14
            points = []
            for k in range(41):
                x = x0 + k * w / 40
                points.append((x, y + (h * 0.03) * (1 if k % 4 < 2 else -1)))
            d.line(points, fill=fg, width=int(h * 0.025), joint="curve")
        for fx, fy, fs in ((cx - w * 0.2, cy - h * 0.22, 1.0), (cx + w * 0.18, cy - h * 0.32, 0.7)):
            d.ellipse(
                (fx - w * 0.12 * fs, fy - h * 0.07 * fs, fx + w * 0.1 * fs, fy + h * 0.07 * fs), fill=fg
            )
            d.polygon(
                [
                    (fx + w * 0.08 * fs, fy),
                    (fx + w * 0.18 * fs, fy - h * 0.08 * fs),
                    (fx + w * 0.18 * fs, fy + h * 0.08 * fs),
                ],
                fill=fg,
            )
            d.ellipse(
                (fx - w * 0.08 * fs, fy - h * 0.02 * fs, fx - w * 0.06 * fs, fy + h * 0.0 * fs), fill=accent
            )
    elif motif == "paw":  # an animal's paw print
        d.ellipse((cx - w * 0.2, cy - h * 0.02, cx + w * 0.2, cy + h * 0.4), fill=fg)
        for dx, dy in ((-0.27, -0.12), (-0.1, -0.3), (0.1, -0.3), (0.27, -0.12)):
            d.ellipse(
                (cx + w * (dx - 0.08), cy + h * (dy - 0.1), cx + w * (dx + 0.08), cy + h * (dy + 0.1)),
                fill=fg,
            )
    elif motif == "care":  # a heart and a cross
        r = w * 0.16
        d.ellipse((cx - 2 * r, cy - r * 1.4, cx, cy + r * 0.4), fill=fg)
        d.ellipse((cx, cy - r * 1.4, cx + 2 * r, cy + r * 0.4), fill=fg)
        d.polygon([(cx - 1.95 * r, cy - r * 0.3), (cx + 1.95 * r, cy - r * 0.3), (cx, cy + r * 1.9)], fill=fg)
        d.rectangle((cx - r * 0.18, cy - r * 0.9, cx + r * 0.18, cy + r * 0.5), fill=accent)
        d.rectangle((cx - r * 0.6, cy - r * 0.38, cx + r * 0.6, cy - r * 0.02), fill=accent)
    elif motif == "shield":  # a shield with a star
        d.polygon(
            [
                (cx - w * 0.3, y0 + h * 0.1),
                (cx + w * 0.3, y0 + h * 0.1),
                (cx + w * 0.28, cy + h * 0.1),
                (cx, y1),
                (cx - w * 0.28, cy + h * 0.1),
            ],
            fill=fg,
        )
        points = []
        for k in range(10):
            radius = h * (0.2 if k % 2 == 0 else 0.08)
            angle = -math.pi / 2 + k * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy - h * 0.05 + radius * math.sin(angle)))
        d.polygon(points, fill=accent)
    elif motif == "school":  # an open book
        d.polygon(
            [
                (cx, cy - h * 0.2),
                (x0 + w * 0.05, cy - h * 0.32),
                (x0 + w * 0.05, cy + h * 0.3),
                (cx, cy + h * 0.42),
            ],
            fill=fg,
        )
        d.polygon(
            [
                (cx, cy - h * 0.2),
                (x1 - w * 0.05, cy - h * 0.32),
                (x1 - w * 0.05, cy + h * 0.3),
                (cx, cy + h * 0.42),
            ],
            fill=fg,
        )
        for i in range(4):
            y = cy - h * 0.12 + i * h * 0.1
            d.line([(x0 + w * 0.13, y - h * 0.04), (cx - w * 0.05, y)], fill=accent, width=int(h * 0.015))
            d.line([(cx + w * 0.05, y), (x1 - w * 0.13, y - h * 0.04)], fill=accent, width=int(h * 0.015))
    elif motif == "gear":  # a gear and a lightning bolt
        r = min(w, h) * 0.3
        teeth = []
        for k in range(24):
            radius = r * (1.18 if k % 2 == 0 else 0.95)
            angle = k * math.pi / 12
            teeth.append((cx - w * 0.1 + radius * math.cos(angle), cy + radius * math.sin(angle)))
        d.polygon(teeth, fill=fg)
        d.ellipse((cx - w * 0.1 - r * 0.4, cy - r * 0.4, cx - w * 0.1 + r * 0.4, cy + r * 0.4), fill=accent)
        bx = cx + w * 0.28
        d.polygon(
            [
                (bx, cy - h * 0.4),
                (bx - w * 0.1, cy + h * 0.05),
                (bx, cy + h * 0.02),
                (bx - w * 0.04, cy + h * 0.4),
                (bx + w * 0.1, cy - h * 0.08),
                (bx, cy - h * 0.05),
            ],
            fill=fg,
        )
    elif motif == "flask":  # a laboratory flask
        d.rectangle((cx - w * 0.06, y0 + h * 0.05, cx + w * 0.06, cy - h * 0.1), fill=fg)
        d.polygon(
            [
                (cx - w * 0.06, cy - h * 0.12),
                (cx + w * 0.06, cy - h * 0.12),
                (cx + w * 0.28, y1 - h * 0.05),
                (cx - w * 0.28, y1 - h * 0.05),
            ],
            fill=fg,
        )
        d.polygon(
            [
                (cx - w * 0.17, cy + h * 0.2),
                (cx + w * 0.17, cy + h * 0.2),
                (cx + w * 0.25, y1 - h * 0.09),
                (cx - w * 0.25, y1 - h * 0.09),
            ],
            fill=accent,
        )
    elif motif == "calendar":  # a calendar page
        d.rounded_rectangle((x0 + w * 0.1, y0 + h * 0.12, x1 - w * 0.1, y1), radius=int(h * 0.05), fill=fg)
        d.rectangle((x0 + w * 0.1, y0 + h * 0.12, x1 - w * 0.1, y0 + h * 0.3), fill=accent)
        for row in range(4):
            for col in range(5):
                x = x0 + w * (0.17 + col * 0.14)
                y = y0 + h * (0.38 + row * 0.15)
                d.rectangle(
                    (x, y, x + w * 0.08, y + h * 0.08),
                    fill=accent if (row, col) == (2, 3) else _mix(fg, accent, 0.25),
                )
        for side in (-1, 1):
            d.rounded_rectangle(
                (cx + side * w * 0.2 - w * 0.02, y0, cx + side * w * 0.2 + w * 0.02, y0 + h * 0.2),
                radius=6,
                fill=accent,
            )
    else:  # "sakurajima": the volcano over the sea, with a plume
        d.polygon(
            [
                (x0, y1 - h * 0.15),
                (cx - w * 0.1, y0 + h * 0.3),
                (cx + w * 0.08, y0 + h * 0.32),
                (x1, y1 - h * 0.15),
            ],
            fill=fg,
        )
        for i in range(4):
            px = cx + w * (0.02 + i * 0.08)
            py = y0 + h * (0.2 - i * 0.06)
            r = h * (0.07 + i * 0.025)
            d.ellipse((px - r, py - r, px + r, py + r), fill=_mix(fg, accent, 0.3))
        for k in range(3):
            y = y1 - h * (0.1 - k * 0.06)
            d.line([(x0 + w * k * 0.08, y), (x1 - w * k * 0.05, y)], fill=accent, width=int(h * 0.02))


def landscape(
    motif: str, colour: str = "#2a6f97", seed: int = 0, width: int = 1200, height: int = 630
) -> bytes:
    """A lead image: a gradient in ``colour``, soft shapes, and the motif on the right."""
    rng = random.Random(f"landscape-{motif}-{seed}")
    w, h = width * SCALE, height * SCALE
    image = _gradient((w, h), _mix(colour, "#ffffff", 0.25), _mix(colour, "#000000", 0.15))
    _soft_circles(image, rng, colour, 9, h // 30)
    d = ImageDraw.Draw(image)
    # a gentle hill across the bottom
    d.ellipse((-w * 0.2, h * 0.82, w * 1.2, h * 1.6), fill=_mix(colour, "#ffffff", 0.55))
    fg = _mix(colour, "#ffffff", 0.88)
    accent = _mix(colour, "#000000", 0.1)
    box = (w * 0.5, h * 0.14, w * 0.9, h * 0.86)
    _motif(d, motif, box, fg, accent, rng)
    # small dots on the left to balance the composition
    for _ in range(14):
        x, y, r = (
            rng.uniform(w * 0.05, w * 0.4),
            rng.uniform(h * 0.1, h * 0.75),
            rng.uniform(h * 0.006, h * 0.016),
        )
        d.ellipse((x - r, y - r, x + r, y + r), fill=_mix(colour, "#ffffff", 0.6))
    return _jpeg(image, (width, height))


def hero(seed: int = 0, width: int = 1920, height: int = 800) -> bytes:
    """The top page's wide illustration: Sakurajima, the bay and the city at dawn."""
    rng = random.Random(f"hero-{seed}")
    w, h = width * SCALE, height * SCALE
    image = _gradient((w, h), "#ffd9a8", "#8ecae6")
    _soft_circles(image, rng, "#ffd9a8", 7, h // 25)
    d = ImageDraw.Draw(image)
    d.ellipse((w * 0.72, h * 0.12, w * 0.8, h * 0.12 + w * 0.08), fill="#fff3d6")
    # Sakurajima
    d.polygon(
        [(w * 0.25, h * 0.7), (w * 0.47, h * 0.3), (w * 0.53, h * 0.31), (w * 0.78, h * 0.7)], fill="#5c6f8a"
    )
    d.polygon(
        [(w * 0.47, h * 0.3), (w * 0.5, h * 0.27), (w * 0.53, h * 0.31), (w * 0.5, h * 0.37)], fill="#4b5d75"
    )
    for i in range(5):
        px, py, r = w * (0.5 + i * 0.035), h * (0.22 - i * 0.035), h * (0.04 + i * 0.015)
        d.ellipse((px - r, py - r, px + r, py + r), fill="#f1f1f1")
    # the bay
    d.rectangle((0, h * 0.7, w, h), fill="#3a86b4")
    for i in range(6):
        y = h * (0.76 + i * 0.04)
        x = rng.uniform(0, w * 0.6)
        d.line([(x, y), (x + w * rng.uniform(0.1, 0.3), y)], fill="#6fb1d6", width=max(2, h // 200))
    # the city on the near shore
    x = 0.0
    while x < w:
        bw = rng.uniform(w * 0.02, w * 0.05)
        bh = rng.uniform(h * 0.05, h * 0.16)
        d.rectangle((x, h * 0.92 - bh, x + bw, h), fill=rng.choice(("#2f4858", "#33658a", "#3d5a80")))
        x += bw + rng.uniform(0, w * 0.01)
    d.rectangle((0, h * 0.92, w, h), fill="#2a9d8f")
    return _jpeg(image, (width, height))


DRAWERS = {"staff": staff_photo, "landscape": landscape, "hero": hero}


def draw(kind: str, **params) -> bytes:
    """JPEG bytes of an illustration of ``kind`` (see DRAWERS) with ``params``."""
    try:
        drawer = DRAWERS[kind]
    except KeyError:
        raise ValueError(f"unknown illustration kind {kind!r}; known: {', '.join(DRAWERS)}") from None
    return drawer(**params)
