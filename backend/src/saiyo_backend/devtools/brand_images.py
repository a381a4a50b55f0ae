"""Draw the PNG versions of the brand mark and the default sharing image with Pillow.

Writes into the add-on's theme/static: ``favicon-48.png``, ``apple-touch-icon.png`` (180 px),
``ogp-default.png`` (1200×630) and ``sns-icon-400.png`` (400×400, the profile icon of the
prefecture's SNS accounts: the mark inside the circle those services crop it to). The shapes are those of ``brand.svg``; run this again
after changing it: ``.venv/bin/saiyo brand-images``.
"""

from io import BytesIO
from PIL import Image
from PIL import ImageDraw
from saiyo_backend.config import ROOT


STATIC = ROOT / "src/kagoshima.saiyo/src/kagoshima/saiyo/theme/static"
PRIMARY = "#0b4f8a"
SUN = "#f6b73c"
WAVE = "#9fd3f5"
SKY = "#dcefff"
SUPERSAMPLE = 4


def wave_points(
    y: float, x0: float, x1: float, amplitude: float, steps: int = 64
) -> list[tuple[float, float]]:
    import math

    return [
        (x0 + (x1 - x0) * i / steps, y - amplitude * math.sin(math.pi * 4 * i / steps))
        for i in range(steps + 1)
    ]


def draw_mark(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, rounded: bool = True) -> None:
    """The 64×64 brand mark of brand.svg, drawn at (x, y) with the given size."""
    k = size / 64

    def p(px, py):
        return (x + px * k, y + py * k)

    if rounded:
        draw.rounded_rectangle([p(0, 0), p(64, 64)], radius=12 * k, fill=PRIMARY)
    else:
        draw.rectangle([p(0, 0), p(64, 64)], fill=PRIMARY)
    draw.ellipse([p(39, 10), p(53, 24)], fill=SUN)
    draw.polygon([p(6, 44), p(22, 24), p(27, 29), p(32, 21), p(40, 30), p(58, 44)], fill="#ffffff")
    draw.line(
        [p(29, 22), p(27.5, 17), p(30.5, 13), p(29, 9)],
        fill="#ffffff",
        width=max(1, round(3 * k)),
        joint="curve",
    )
    for base in (50, 57):
        points = [p(px, py) for px, py in wave_points(base, 6, 58, 2)]
        draw.line(points, fill=WAVE, width=max(1, round(4 * k)), joint="curve")


def square_icon(size: int, rounded: bool) -> bytes:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw_mark(ImageDraw.Draw(image), 0, 0, big, rounded=rounded)
    out = BytesIO()
    image.resize((size, size), Image.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def sns_icon(size: int = 400) -> bytes:
    """The mark on its blue ground, inset so that a circular crop keeps all of it."""
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), PRIMARY)
    inset = big // 10
    draw_mark(ImageDraw.Draw(image), inset, inset, big - 2 * inset, rounded=False)
    out = BytesIO()
    image.resize((size, size), Image.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def sharing_image() -> bytes:
    width, height = 1200 * 2, 630 * 2
    image = Image.new("RGB", (width, height), SKY)
    draw = ImageDraw.Draw(image)
    draw.ellipse([1850, 160, 2110, 420], fill=SUN)
    draw.polygon([(0, 1000), (700, 430), (900, 560), (1120, 330), (1420, 600), (2400, 1000)], fill=PRIMARY)
    draw.rectangle([0, 990, width, height], fill="#1b78c2")
    for base in (1060, 1160):
        draw.line(wave_points(base, 0, width, 14, 128), fill=WAVE, width=16, joint="curve")
    draw_mark(draw, 120, 120, 360)
    out = BytesIO()
    image.resize((1200, 630), Image.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def main(argv=None) -> None:
    (STATIC / "favicon-48.png").write_bytes(square_icon(48, rounded=True))
    (STATIC / "apple-touch-icon.png").write_bytes(square_icon(180, rounded=False))
    (STATIC / "ogp-default.png").write_bytes(sharing_image())
    (STATIC / "sns-icon-400.png").write_bytes(sns_icon(400))
    for name in ("favicon-48.png", "apple-touch-icon.png", "ogp-default.png", "sns-icon-400.png"):
        print(name, (STATIC / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
