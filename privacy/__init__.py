"""Supporters' phone numbers: a keyed hash to count and limit, encryption while a call needs the number, masks
for display."""

from privacy.phones import PhoneVault, mask_phone

__all__ = ["PhoneVault", "mask_phone"]
