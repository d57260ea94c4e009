"""Simple line icons for the rich menu buttons, drawn with Pillow primitives (no icon font
is bundled, and Noto Sans Thai has no emoji). Each icon fits a `size` square at (x, y)."""

from __future__ import annotations

from collections.abc import Callable

from PIL import ImageDraw

Pen = ImageDraw.ImageDraw
W = "white"


def _doc(p: Pen, x: int, y: int, s: int) -> None:
    p.rounded_rectangle((x + s * .2, y, x + s * .8, y + s), radius=s * .06, outline=W, width=int(s * .07))
    for i in range(3):
        yy = y + s * (.3 + i * .2)
        p.line((x + s * .32, yy, x + s * .68, yy), fill=W, width=int(s * .06))


def _search(p: Pen, x: int, y: int, s: int) -> None:
    p.ellipse((x + s * .1, y + s * .1, x + s * .65, y + s * .65), outline=W, width=int(s * .08))
    p.line((x + s * .58, y + s * .58, x + s * .92, y + s * .92), fill=W, width=int(s * .12))


def _chart(p: Pen, x: int, y: int, s: int) -> None:
    for i, h in enumerate((.45, .75, .3)):
        p.rectangle((x + s * (.12 + i * .28), y + s * (1 - h), x + s * (.32 + i * .28), y + s), fill=W)


def _camera(p: Pen, x: int, y: int, s: int) -> None:
    p.rounded_rectangle((x, y + s * .25, x + s, y + s * .9), radius=s * .1, outline=W, width=int(s * .07))
    p.rectangle((x + s * .3, y + s * .12, x + s * .6, y + s * .25), fill=W)
    p.ellipse((x + s * .3, y + s * .38, x + s * .7, y + s * .78), outline=W, width=int(s * .07))


def _person(p: Pen, x: int, y: int, s: int) -> None:
    p.ellipse((x + s * .3, y, x + s * .7, y + s * .4), outline=W, width=int(s * .08))
    p.pieslice((x + s * .1, y + s * .48, x + s * .9, y + s * 1.3), 180, 360, outline=W, width=int(s * .08))


def _list(p: Pen, x: int, y: int, s: int) -> None:
    for i in range(3):
        yy = y + s * (.15 + i * .33)
        p.ellipse((x, yy - s * .07, x + s * .14, yy + s * .07), fill=W)
        p.line((x + s * .28, yy, x + s, yy), fill=W, width=int(s * .09))


def _inbox(p: Pen, x: int, y: int, s: int) -> None:
    p.rounded_rectangle((x, y + s * .15, x + s, y + s * .9), radius=s * .08, outline=W, width=int(s * .07))
    p.line((x, y + s * .55, x + s * .3, y + s * .55, x + s * .4, y + s * .7, x + s * .6, y + s * .7,
            x + s * .7, y + s * .55, x + s, y + s * .55), fill=W, width=int(s * .07))


def _edit(p: Pen, x: int, y: int, s: int) -> None:
    p.polygon([(x + s * .15, y + s * .7), (x + s * .7, y + s * .15), (x + s * .85, y + s * .3),
               (x + s * .3, y + s * .85), (x + s * .1, y + s * .9)], outline=W, width=int(s * .07))
    p.line((x, y + s, x + s, y + s), fill=W, width=int(s * .06))


def _help(p: Pen, x: int, y: int, s: int) -> None:
    p.ellipse((x, y, x + s, y + s), outline=W, width=int(s * .08))
    p.arc((x + s * .3, y + s * .18, x + s * .7, y + s * .55), 180, 90, fill=W, width=int(s * .09))
    p.line((x + s * .5, y + s * .55, x + s * .5, y + s * .68), fill=W, width=int(s * .09))
    p.ellipse((x + s * .44, y + s * .76, x + s * .56, y + s * .88), fill=W)


def _target(p: Pen, x: int, y: int, s: int) -> None:
    for k in (0, .17, .34):
        p.ellipse((x + s * k, y + s * k, x + s * (1 - k), y + s * (1 - k)), outline=W, width=int(s * .07))


def _bell(p: Pen, x: int, y: int, s: int) -> None:
    p.pieslice((x + s * .15, y + s * .1, x + s * .85, y + s * 1.1), 180, 360, fill=W)
    p.rectangle((x + s * .15, y + s * .6, x + s * .85, y + s * .75), fill=W)
    p.rectangle((x + s * .05, y + s * .72, x + s * .95, y + s * .8), fill=W)
    p.ellipse((x + s * .4, y + s * .82, x + s * .6, y + s), fill=W)


def _link(p: Pen, x: int, y: int, s: int) -> None:
    p.rounded_rectangle((x, y + s * .3, x + s * .6, y + s * .7), radius=s * .2, outline=W, width=int(s * .08))
    p.rounded_rectangle((x + s * .4, y + s * .3, x + s, y + s * .7), radius=s * .2, outline=W, width=int(s * .08))


def _key(p: Pen, x: int, y: int, s: int) -> None:
    p.ellipse((x, y + s * .3, x + s * .4, y + s * .7), outline=W, width=int(s * .08))
    p.line((x + s * .4, y + s * .5, x + s, y + s * .5), fill=W, width=int(s * .08))
    p.line((x + s * .8, y + s * .5, x + s * .8, y + s * .7), fill=W, width=int(s * .08))


def _next(p: Pen, x: int, y: int, s: int) -> None:
    p.polygon([(x + s * .25, y + s * .1), (x + s * .85, y + s * .5), (x + s * .25, y + s * .9)], fill=W)


def _back(p: Pen, x: int, y: int, s: int) -> None:
    p.polygon([(x + s * .75, y + s * .1), (x + s * .15, y + s * .5), (x + s * .75, y + s * .9)], fill=W)


def _exit(p: Pen, x: int, y: int, s: int) -> None:
    p.rectangle((x + s * .1, y + s * .1, x + s * .55, y + s * .9), outline=W, width=int(s * .07))
    p.line((x + s * .4, y + s * .5, x + s, y + s * .5), fill=W, width=int(s * .08))
    p.polygon([(x + s * .8, y + s * .35), (x + s, y + s * .5), (x + s * .8, y + s * .65)], fill=W)


ICONS: dict[str, Callable[[Pen, int, int, int], None]] = {
    "doc": _doc, "search": _search, "chart": _chart, "camera": _camera, "person": _person, "list": _list,
    "inbox": _inbox, "edit": _edit, "help": _help, "target": _target, "bell": _bell, "link": _link,
    "key": _key, "next": _next, "back": _back, "exit": _exit,
}


def draw_icon(pen: Pen, name: str, x: int, y: int, size: int) -> None:
    ICONS[name](pen, x, y, size)
