"""Cell values as plans write them: text, paragraphs, leads, RAG words, header words.

Shared by every reader so a RAG word or a lead means the same in Markdown, Word
and a spreadsheet.
"""

import re

from inclusion.core.partial_dates import PartialDate, PartialDateError, parse_partial_date
from inclusion.plans.models import Rag

_SPACES = re.compile(r"\s+")
# Zero-width characters Word and web pages leave behind; they are not text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)


def clean(text: str | None) -> str:
    """One line of text: non-breaking and repeated spaces become one space, trimmed."""
    if not text:
        return ""
    return _SPACES.sub(" ", str(text).translate(_INVISIBLE).replace("\u00a0", " ")).strip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    return [p for p in (clean(p) for p in paragraphs) if p]


# A paragraph that ends like this is finished; anything else was cut by a page break.
_FINISHED = re.compile(r"[.!?:…][\"'’”)\]]*$")


def ends_sentence(text: str) -> bool:
    return bool(_FINISHED.search(text.rstrip()))


def join_continuation(before: list[str], after: list[str]) -> list[str]:
    """Join a cell's paragraphs with the paragraphs that carry it on after a page break.

    A fragment that stopped mid-sentence (no closing punctuation), or a continuation
    that starts in lower case, is the same paragraph: join with one space. Otherwise
    the continuation starts a new paragraph. Nothing is dropped or repeated.
    """
    before = list(before)
    after = list(after)
    if not before:
        return after
    if not after:
        return before
    first = after[0]
    if not ends_sentence(before[-1]) or first[:1].islower():
        before[-1] = f"{before[-1]} {first}"
        return before + after[1:]
    return before + after


def join_text(before: str, after: str) -> str:
    """The one-paragraph version of `join_continuation` (area titles, how)."""
    return "\n\n".join(join_continuation(split_paragraphs(before), split_paragraphs(after)))


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


_LEAD_SEPARATORS = re.compile(r"[/;\n]")


def parse_leads(text: str) -> list[str]:
    """ "Kate Capel/Health DCO", "John Harris /CCG" → names as written, trimmed.

    Split on "/", ";" and new lines only: "and" or "&" may be part of a team's name.
    """
    return [name for name in (clean(part) for part in _LEAD_SEPARATORS.split(text or "")) if name]


# The words a plan may use for a rating (docs/import-formats.md). Blue means complete
# (docs/adr/0006-rag.md).
RAG_WORDS = {
    "red": Rag.RED,
    "amber": Rag.AMBER,
    "green": Rag.GREEN,
    "blue": Rag.BLUE,
    "complete": Rag.BLUE,
    "completed": Rag.BLUE,
    "not rated": Rag.NOT_RATED,
    "": Rag.NOT_RATED,
}


def parse_rag(text: str | None) -> str:
    """A RAG value from a cell; raises ValueError naming the word it does not know."""
    word = clean(text).lower().rstrip(".")
    if word in RAG_WORDS:
        return str(RAG_WORDS[word].value)
    raise ValueError(
        f"'{clean(text)}' is not a RAG rating; use Red, Amber, Green, Blue (or Complete), "
        "Not rated, or leave it empty"
    )


def parse_date_cell(text: str) -> PartialDate | None:
    """A by-when or update date; empty is None. Raises PartialDateError with its message."""
    text = clean(text)
    if not text:
        return None
    return parse_partial_date(text)


_MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_IN_TEXT = re.compile(
    rf"\b(\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_NAMES})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTH_NAMES})\.?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)


def find_date(text: str) -> PartialDate | None:
    """The last date written in a heading or title ("Progress at August 2019" → 2019-08)."""
    found = None
    for match in _DATE_IN_TEXT.finditer(clean(text)):
        try:
            found = parse_partial_date(match.group(1))
        except PartialDateError:
            continue
    return found


# ------------------------------------------------------------------ header words

# Checked in this order; the first role whose pattern matches a header wins, so
# "Where are we now? Progress at August 2019" is progress, not a date, and
# "RAG status" is a rating. Other councils' words belong here, not in a reader.
HEADER_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("rationale", re.compile(r"\brationale\b|\breason for (?:the )?rating\b")),
    ("rag", re.compile(r"\brag\b|\brating\b|\bred\s*/\s*amber")),
    (
        "update_date",
        re.compile(r"\bupdate[ _]date\b|\bdate of (?:the )?update\b|\bprogress date\b"),
    ),
    ("author", re.compile(r"\bauthor\b|\bupdated by\b")),
    (
        "progress",
        re.compile(
            r"\bprogress\b|\bwhere are we\b|\bupdate(?:_text)?\b|\bcommentary\b|\bcomments?\b"
            r"|\bevidence\b|\bimpact\b|\bnarrative\b"
        ),
    ),
    (
        "by_when",
        re.compile(
            r"\bby[ _]when\b|\bdeadline\b|\btarget\b|\bdue\b|\btimescales?\b|\btimeframe\b"
            r"|\bcompletion date\b|\bdate\b|\bwhen\b"
        ),
    ),
    ("lead", re.compile(r"\bleads?\b|\bresponsib|\bowners?\b|\bwho\b|\baccountable\b")),
    ("partners", re.compile(r"\bpartners?\b|\bsupported by\b|\bwith whom\b")),
    ("board", re.compile(r"\bboard\b|\bgovernance\b|\breports? to\b")),
    ("rag", re.compile(r"\bstatus\b")),
    (
        "area",
        re.compile(
            r"\bareas?\b|\bimprovement\b|\bweakness(?:es)?\b|\bdevelopment\b|\bpriorit"
            r"|\bobjectives?\b|\bissues?\b|\bfindings?\b"
        ),
    ),
    ("how", re.compile(r"\bhow\b|\bactions?\b|\bwhat\b|\bactivit|\btasks?\b|\bsteps?\b")),
]

ROLE_NAMES = {
    "area": "Area for improvement",
    "how": "How",
    "by_when": "By when",
    "lead": "Lead",
    "progress": "Progress",
    "rag": "RAG rating",
    "partners": "Partners",
    "board": "Board",
    "update_date": "Update date",
    "rationale": "RAG rationale",
    "author": "Author",
}


def header_role(text: str) -> str | None:
    key = clean(text).lower().replace("_", " ")
    if not key:
        return None
    for role, pattern in HEADER_ROLES:
        if pattern.search(key):
            return role
    return None


def header_roles(cells: list[str]) -> dict[str, int]:
    """Map each role to the first column whose header names it."""
    roles: dict[str, int] = {}
    for index, text in enumerate(cells):
        role = header_role(text)
        if role and role not in roles:
            roles[role] = index
    return roles


def looks_like_header(cells: list[str]) -> bool:
    """A row is the action table's header if it names How and two more known columns."""
    roles = header_roles(cells)
    return "how" in roles and len(roles) >= 3
