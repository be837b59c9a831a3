"""Charts as inline SVG, drawn on the server: no JavaScript, sharp in print, readable without colour
(every bar carries its number; a hidden value is drawn as a hatched stub marked "x")."""

from __future__ import annotations

from html import escape

BAR = "#2f6690"
HIDDEN_LABEL = "x"


def bar_chart(title: str, items: list[tuple[str, int | None]], *, width: int = 560, max_items: int = 15) -> str:
    """Horizontal bars, one per key, in the given order."""
    items = items[:max_items]
    if not items:
        return ""
    row, label_w, pad = 22, 170, 46
    height = row * len(items) + 28
    top = max([v for _, v in items if v is not None] or [1]) or 1
    bar_area = width - label_w - pad
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2"/>'
        "</pattern></defs>",
    ]
    for n, (key, value) in enumerate(items):
        y = 8 + n * row
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">{escape(_short(key))}</text>'
        )
        if value is None:
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="18" height="14" fill="url(#hatch)" stroke="#888"/>')
            parts.append(f'<text x="{label_w + 24}" y="{y + 14}" font-size="12" fill="#555">{HIDDEN_LABEL}</text>')
            continue
        w = max(1, round(bar_area * value / top)) if value else 0
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="14" fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 14}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(title: str, items: list[tuple[str, int | None]], *, width: int = 480, height: int = 200) -> str:
    """Vertical columns over time (periods in order)."""
    if not items:
        return ""
    items = items[-36:]
    left, bottom, top_pad = 36, 40, 18
    inner_w, inner_h = width - left - 8, height - bottom - top_pad
    step = inner_w / len(items)
    bar_w = max(2.0, step * 0.7)
    top = max([v for _, v in items if v is not None] or [1]) or 1
    label_every = max(1, len(items) // 12)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top_pad + inner_h}" x2="{width - 8}" y2="{top_pad + inner_h}" stroke="#333"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{left - 4}" y="{top_pad + inner_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for n, (key, value) in enumerate(items):
        x = left + n * step + (step - bar_w) / 2
        if value is None:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + inner_h - 4}" text-anchor="middle" '
                f'font-size="11" fill="#555">{HIDDEN_LABEL}</text>'
            )
        else:
            h = inner_h * value / top
            parts.append(
                f'<rect x="{x:.1f}" y="{top_pad + inner_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{BAR}"><title>{escape(key)}: {value}</title></rect>'
            )
            if len(items) <= 16:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + inner_h - h - 3:.1f}" '
                    f'text-anchor="middle" font-size="11">{value}</text>'
                )
        if n % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + inner_h + 14}" text-anchor="middle" '
                f'font-size="10">{escape(key)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
