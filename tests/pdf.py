"""Reading back the text a ReportLab PDF draws, page by page, without a PDF library: the
page tree gives the pages in order, each page's content stream is ASCII85- and
Flate-encoded, and the standard fonts use the Windows-1252 encoding."""

import base64
import re
import zlib


def _objects(content: bytes) -> dict[int, bytes]:
    return {
        int(number): body
        for number, body in re.findall(rb"(\d+) 0 obj\s(.*?)endobj", content, re.S)
    }


def _text(stream: bytes) -> list[str]:
    data = stream.strip()
    if data.endswith(b"~>"):
        data = base64.a85decode(data.removesuffix(b"~>"))
    data = zlib.decompress(data)
    pieces = []
    for text in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
        raw = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else m.group(1),
            text,
        )
        pieces.append(raw.decode("cp1252"))
    return pieces


def pages(content: bytes) -> list[list[str]]:
    """The text pieces each page draws, in the order of the pages."""
    objects = _objects(content)
    tree = next(body for body in objects.values() if re.search(rb"/Type /Pages\b", body))
    kids = [
        int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids \[(.*?)\]", tree).group(1))
    ]
    out = []
    for kid in kids:
        ref = int(re.search(rb"/Contents (\d+) 0 R", objects[kid]).group(1))
        stream = re.search(rb"stream\r?\n(.*?)endstream", objects[ref], re.S).group(1)
        out.append(_text(stream))
    return out


def row_drawn(pieces: list[str], *cells: str) -> bool:
    """Whether a table row with these cells is drawn (its cells one after the other)."""
    n = len(cells)
    return any(tuple(pieces[i : i + n]) == cells for i in range(len(pieces) - n + 1))
