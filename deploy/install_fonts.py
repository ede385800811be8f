"""Installs the page's font for the exports: `make run` and `make test` run it (python deploy/install_fonts.py).

The page is set in Source Sans, a web font Streamlit serves to the browser; the PNG, SVG and PDF exports are
drawn by a Chromium on the server, which only sees the fonts installed there. Debian 12 packages no Source
Sans, so the font is taken from the copy Streamlit itself ships (SourceSansVF, a variable font under the SIL
Open Font License 1.1, its licence named in the font's own name table) and installed for this user as four
static faces (regular, bold, italic, bold italic) named "Source Sans", the family name the page's CSS asks
for: ~/.local/share/fonts/acumap (or $XDG_DATA_HOME/fonts/acumap), where fontconfig looks. It changes
nothing else on the machine and is done once: a second run with the same source finds the faces there.

A missing source or fontconfig is one line on stderr and exit status 1 (the exports then fall back to DejaVu
Sans, style.FILE_FONT); a wrong argument, exit status 2."""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

FAMILY = "Source Sans"  # as Streamlit's CSS names it (font-family: "Source Sans", sans-serif)
FACES = {  # file stem: (weight, italic, the face's name)
    "SourceSans-Regular": (400, False, "Regular"),
    "SourceSans-Bold": (700, False, "Bold"),
    "SourceSans-Italic": (400, True, "Italic"),
    "SourceSans-BoldItalic": (700, True, "Bold Italic"),
}
STAMP = ".source"  # the digest of the variable fonts the faces were made from


def streamlit_fonts() -> dict[bool, Path]:
    """Streamlit's Source Sans variable fonts: {italic: path}."""
    import streamlit

    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    found = {italic: sorted(media.glob(f"SourceSansVF-{'Italic' if italic else 'Upright'}*.woff2"))
             for italic in (False, True)}
    missing = [name for name, paths in (("upright", found[False]), ("italic", found[True])) if not paths]
    if missing:
        raise FileNotFoundError(f"no Source Sans ({', '.join(missing)}) in {media}: is streamlit installed?")
    return {italic: paths[0] for italic, paths in found.items()}


def default_target() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "fonts" / "acumap"


def _name(font, weight: int, italic: bool, face: str, stem: str) -> None:
    """Names a static instance as one face of the family, so fontconfig and Chromium find it by the page's name."""
    name = font["name"]
    for nid in (16, 17, 21, 22, 25):  # typographic and variation names of the variable font: not this face's
        name.removeNames(nameID=nid)
    legacy_face = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "Bold Italic": "Bold Italic"}[face]
    for nid, text in ((1, FAMILY), (2, legacy_face), (3, f"{stem};acumap"), (4, f"{FAMILY} {face}"), (6, stem)):
        name.setName(text, nid, 3, 1, 0x409)
        name.setName(text, nid, 1, 0, 0)
    os2 = font["OS/2"]
    os2.usWeightClass = weight
    bold = weight >= 700
    # fsSelection: bit 0 italic, bit 5 bold, bit 6 regular; macStyle: bit 0 bold, bit 1 italic
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (1 if italic else 0) | (0b100000 if bold else 0) \
        | (0b1000000 if not (bold or italic) else 0)
    font["head"].macStyle = (1 if bold else 0) | (2 if italic else 0)


def install(target: Path) -> list[Path]:
    """Writes the four faces into `target` (skipped when they were made from the same source) and returns them."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    sources = streamlit_fonts()
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources.values())).hexdigest()
    paths = [target / f"{stem}.ttf" for stem in FACES]
    stamp = target / STAMP
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest and all(p.exists() for p in paths):
        return paths
    target.mkdir(parents=True, exist_ok=True)
    for (stem, (weight, italic, face)), path in zip(FACES.items(), paths, strict=True):
        font = instancer.instantiateVariableFont(TTFont(sources[italic]), {"wght": weight})
        font.flavor = None  # a plain TrueType file: fontconfig does not read WOFF2
        _name(font, weight, italic, face, stem)
        font.save(path)
    stamp.write_text(digest + "\n", encoding="utf-8")
    return paths


def refresh_cache(target: Path) -> None:
    fc_cache = shutil.which("fc-cache")
    if fc_cache is None:
        raise FileNotFoundError("fc-cache not found (Debian's fontconfig): the faces are written but not yet seen")
    subprocess.run([fc_cache, "-f", str(target)], check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install the page's font (Source Sans) for the exports.")
    parser.add_argument("--target", type=Path, default=None, help="folder for the faces (default: %(default)s)")
    args = parser.parse_args(argv)
    target = args.target or default_target()
    try:
        paths = install(target)
        refresh_cache(target)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"install_fonts: {exc}", file=sys.stderr)
        return 1
    print(f"install_fonts: {FAMILY} in {target} ({len(paths)} faces)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
