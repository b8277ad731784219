from .models import Area, PostcodeArea


def area_for_postcode(postcode: str) -> Area | None:
    """The district of a Dutch postcode ("8921 AB" or "8921AB"), or None when unknown."""
    digits = (postcode or "").replace(" ", "")[:4]
    if len(digits) != 4 or not digits.isdigit():
        return None
    mapping = PostcodeArea.objects.select_related("area").filter(postcode4=digits).order_by("-share").first()
    return mapping.area if mapping else None
