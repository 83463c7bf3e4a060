"""The Hangul reading of the hanja a resident card prints after the name: 황숙(黃淑).

A second, independent witness for the name. The Korean model misreads a syllable of a scrawled face
in the same way in every variant (황→항, 진→지), so its reads agree on a misread; the hanja, read by
the Traditional Chinese model and turned into their Hangul reading, err differently. Readings come
from the `hanja` library's table; a surname whose reading differs from the character's common one
(金 김, 沈 심) and the surnames registered in their original sound (李 리, 柳 류, 羅 라 …, allowed
since 2007) are this module's own knowledge.
"""

from __future__ import annotations

import re
from functools import cache

HANJA_LANG = "chi_tra"
# CJK Unified Ideographs, the compatibility block (cards print some names in it) and extension A
_IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HANGUL = re.compile(r"^[가-힣]+$")
# surname characters read otherwise than in a word (金 is 금 in 金融, 김 as a surname)
SURNAME_READING = {"金": "김", "沈": "심"}


@cache
def _translate() -> object:
    import hanja  # loaded on first use: its table takes ~0.1 s to parse

    return hanja.translate


def _read(text: str) -> str:
    translate = _translate()
    return str(translate(text, "substitution"))  # type: ignore[operator]


def hanja_run(text: str) -> str | None:
    """The hanja of a name line: the run inside the parentheses, else the longest run of ideographs."""
    inside = re.search(r"\(([^)]*)\)?", text)
    pool = inside.group(1) if inside else text
    runs = _IDEOGRAPHS.findall(pool.replace(" ", "")) or _IDEOGRAPHS.findall(text.replace(" ", ""))
    if not runs:
        return None
    run: str = max(runs, key=len)
    return run if 2 <= len(run) <= 5 else None


def readings(text: str) -> list[str]:
    """The Hangul names the hanja on ``text`` can stand for, the usual reading first; [] when the
    line holds no hanja name. A two-character surname (南宮, 諸葛 …) reads as its characters do."""
    run = hanja_run(text)
    if run is None:
        return []
    usual = _read(run)
    if not _HANGUL.match(usual) or len(usual) != len(run):
        return []  # a character the table does not know
    surname = run[0]
    first = SURNAME_READING.get(surname, usual[0])
    # inside a word a character keeps its original sound (李 in 行李 is 리): the registered variant
    original = SURNAME_READING.get(surname, _read("一" + surname)[1:])
    out = [first + usual[1:]]
    if original != first and _HANGUL.match(original):
        out.append(original + usual[1:])
    return out


def surname_misread(read: str, reading: str) -> bool:
    """``read`` is ``reading`` but for its first syllable: the surname misread, the given name not."""
    return len(read) == len(reading) and read[0] != reading[0] and read[1:] == reading[1:]


def _jamo(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def one_jamo_apart(read: str, reading: str) -> bool:
    """``read`` is ``reading`` but for one letter of one syllable (진 → 지, 현 → 헌, 황 → 왕): how the
    Korean model misreads a glyph. A misread hanja is another character, whose reading is unlike."""
    if len(read) != len(reading) or not _HANGUL.match(read + reading):
        return False
    pairs = [(a, b) for a, b in zip(read, reading, strict=True) if a != b]
    if len(pairs) != 1:
        return False
    a, b = pairs[0]
    return sum(x != y for x, y in zip(_jamo(a), _jamo(b), strict=True)) == 1
