"""Colours of GOV.UK tags for documents (Word, PDF, HTML files) that cannot load GOV.UK's CSS.

Keyed by the tag class an app's presenter returns (`govuk-tag--red`...), so an app decides the
colour of a status once, and the web page and its exports agree. Values are GOV.UK Frontend 5's
tag colours (background, text), whose text meets WCAG AA contrast on its background.
"""

TAG_COLOURS: dict[str, tuple[str, str]] = {
    "govuk-tag--grey": ("E5E6E7", "282D30"),
    "govuk-tag--purple": ("E5E1F1", "3D2375"),
    "govuk-tag--turquoise": ("D4ECEA", "10403C"),
    "govuk-tag--blue": ("BBD4EA", "0C2D4A"),
    "govuk-tag--light-blue": ("E8F1F8", "0C2D4A"),
    "govuk-tag--yellow": ("FFF7BF", "594D00"),
    "govuk-tag--orange": ("FCD6C3", "6E3619"),
    "govuk-tag--red": ("F4CDC6", "2A0B06"),
    "govuk-tag--pink": ("F3DAE5", "6B1C40"),
    "govuk-tag--green": ("CCE2D8", "005A30"),
}
DEFAULT_TAG = ("E5E6E7", "282D30")


def tag_colours(tag_class: str) -> tuple[str, str]:
    """(background, text) as "RRGGBB" for a GOV.UK tag class; grey for an unknown one."""
    return TAG_COLOURS.get(tag_class, DEFAULT_TAG)
