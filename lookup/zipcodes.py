"""Which state a ZIP code belongs to, from the USPS three-digit prefixes (public facts)."""

from __future__ import annotations

# (first prefix, last prefix, state). Prefixes not listed are unassigned. A few prefixes
# sit inside another state's run (055 is Andover MA among Vermont's, 201 is Dulles VA
# among DC's, 733 is Austin TX among Oklahoma's, 885 is El Paso TX): they are listed
# on their own so the runs around them stay honest.
_PREFIX_RANGES: tuple[tuple[int, int, str], ...] = (
    (5, 5, "NY"),  # Holtsville IRS
    (6, 7, "PR"),
    (8, 8, "VI"),
    (9, 9, "PR"),
    (10, 27, "MA"),
    (28, 29, "RI"),
    (30, 38, "NH"),
    (39, 49, "ME"),
    (50, 54, "VT"),
    (55, 55, "MA"),  # Andover IRS
    (56, 59, "VT"),
    (60, 69, "CT"),
    (70, 89, "NJ"),
    (90, 98, "AE"),
    (100, 149, "NY"),
    (150, 196, "PA"),
    (197, 199, "DE"),
    (200, 200, "DC"),
    (201, 201, "VA"),
    (202, 205, "DC"),
    (206, 212, "MD"),
    (214, 219, "MD"),
    (220, 246, "VA"),
    (247, 268, "WV"),
    (270, 289, "NC"),
    (290, 299, "SC"),
    (300, 319, "GA"),
    (320, 339, "FL"),
    (340, 340, "AA"),
    (341, 349, "FL"),
    (350, 369, "AL"),
    (370, 385, "TN"),
    (386, 397, "MS"),
    (398, 399, "GA"),
    (400, 427, "KY"),
    (430, 459, "OH"),
    (460, 479, "IN"),
    (480, 499, "MI"),
    (500, 528, "IA"),
    (530, 549, "WI"),
    (550, 567, "MN"),
    (569, 569, "DC"),
    (570, 577, "SD"),
    (580, 588, "ND"),
    (590, 599, "MT"),
    (600, 629, "IL"),
    (630, 658, "MO"),
    (660, 679, "KS"),
    (680, 693, "NE"),
    (700, 715, "LA"),
    (716, 729, "AR"),
    (730, 732, "OK"),
    (733, 733, "TX"),  # Austin IRS
    (734, 749, "OK"),
    (750, 799, "TX"),
    (800, 816, "CO"),
    (820, 831, "WY"),
    (832, 838, "ID"),
    (840, 847, "UT"),
    (850, 865, "AZ"),
    (870, 884, "NM"),
    (885, 885, "TX"),  # El Paso
    (889, 898, "NV"),
    (900, 961, "CA"),
    (962, 966, "AP"),
    (967, 968, "HI"),
    (970, 979, "OR"),
    (980, 994, "WA"),
    (995, 999, "AK"),
)

# Prefix 969 is shared by Guam, the Northern Mariana Islands and the freely associated
# states, and 96799 (American Samoa) hides inside Hawaii's 967: these need five digits.
_ZIP_RANGES: tuple[tuple[int, int, str], ...] = (
    (96799, 96799, "AS"),
    (96910, 96932, "GU"),
    (96950, 96952, "MP"),
)

_STATE_BY_PREFIX: dict[int, str] = {
    prefix: state for first, last, state in _PREFIX_RANGES for prefix in range(first, last + 1)
}


def state_for_zip(zip_code: str) -> str | None:
    """The USPS state code a five-digit ZIP belongs to, or None for an unassigned prefix."""
    if len(zip_code) != 5 or not zip_code.isascii() or not zip_code.isdigit():
        return None
    number = int(zip_code)
    for first, last, state in _ZIP_RANGES:
        if first <= number <= last:
            return state
    return _STATE_BY_PREFIX.get(number // 100)
